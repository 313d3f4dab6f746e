// RUN: snn-opt %s -split-input-file -verify-diagnostics
// HW-V14: a system under Xylo's arithmetic has 16-bit states and shift decay.

// expected-error @+1 {{HW-V14: Xylo's arithmetic needs 'state_bits' = 16 and 'decay_mode' = shift}}
snnhw.system @net attributes {target = "test", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<mul12>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 4, axons_per_core = 4, synapses_per_core = 8, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 16, state_bits = 24, threshold_bits = 24, cores_per_chip = 4, mesh_rows = 2, mesh_cols = 2, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = mul12>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 16.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<hard>,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>}
  snnhw.population @out {kind = #snnhw.kind<li>, size = 1 : i64,
      weight_scale = dense<0.125> : tensor<1xf32>, output}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1]> : tensor<2xi32>, neuron_index = dense<[0, 1]> : tensor<2xi32>,
      threshold = dense<100> : tensor<2xi32>, bias = dense<[0, -192]> : tensor<2xi32>,
      v_decay = dense<410> : tensor<2xi32>, i_decay = dense<-1> : tensor<2xi32>,
      axon_pop = dense<[0, 0]> : tensor<2xi32>, axon_index = dense<[0, 1]> : tensor<2xi32>,
      syn_ptr = dense<[0, 2, 3]> : tensor<3xi64>, syn_axon = dense<[0, 1, 1]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi8>, syn_delay = dense<[0, 15, 3]> : tensor<3xi8>}
  snnhw.core @core1 {chip = 0 : i64, x = 1 : i64, y = 0 : i64,
      neuron_pop = dense<2> : tensor<1xi32>, neuron_index = dense<0> : tensor<1xi32>,
      threshold = dense<131071> : tensor<1xi32>, bias = dense<0> : tensor<1xi32>,
      v_decay = dense<0> : tensor<1xi32>, i_decay = dense<-1> : tensor<1xi32>,
      axon_pop = dense<[1, 1]> : tensor<2xi32>, axon_index = dense<[0, 1]> : tensor<2xi32>,
      syn_ptr = dense<[0, 2]> : tensor<2xi64>, syn_axon = dense<[0, 1]> : tensor<2xi32>,
      syn_weight = dense<[3, 4]> : tensor<2xi8>, syn_delay = dense<[1, 2]> : tensor<2xi8>}
  snnhw.route @core0 -> @core1 {axons = 2 : i64, traffic = 2.0 : f64, hops = 1 : i64}
}

