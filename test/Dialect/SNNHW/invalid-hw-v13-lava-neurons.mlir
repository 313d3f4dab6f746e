// RUN: snn-opt %s -split-input-file -verify-diagnostics
// HW-V13: neuron parameters under Lava's arithmetic: Lava's threshold and
// decay ranges, one of each per population, biases Lava can express.

snnhw.system @net attributes {target = "test", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 24 : i64, decay_mode = #snn.int_decay<mul12>, arithmetic = #snn.arithmetic<lava_cuba>,
    limits = #snnhw.limits<neurons_per_core = 4, axons_per_core = 4, synapses_per_core = 8, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 16, state_bits = 24, threshold_bits = 24, cores_per_chip = 4, mesh_rows = 2, mesh_cols = 2, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = mul12>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 16.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<hard>,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>}
  snnhw.population @out {kind = #snnhw.kind<li>, size = 1 : i64,
      weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V13: neuron 0 has threshold 131072, outside Lava's [0, 131071]}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1]> : tensor<2xi32>, neuron_index = dense<[0, 1]> : tensor<2xi32>,
      threshold = dense<[131072, 100]> : tensor<2xi32>, bias = dense<[0, -192]> : tensor<2xi32>,
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


// -----

snnhw.system @net attributes {target = "test", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 24 : i64, decay_mode = #snn.int_decay<mul12>, arithmetic = #snn.arithmetic<lava_cuba>,
    limits = #snnhw.limits<neurons_per_core = 4, axons_per_core = 4, synapses_per_core = 8, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 16, state_bits = 24, threshold_bits = 24, cores_per_chip = 4, mesh_rows = 2, mesh_cols = 2, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = mul12>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 16.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<hard>,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>}
  snnhw.population @out {kind = #snnhw.kind<li>, size = 1 : i64,
      weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V13: neurons 0 and 1 of one population differ in threshold or decays (Lava's are per population)}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1]> : tensor<2xi32>, neuron_index = dense<[0, 1]> : tensor<2xi32>,
      threshold = dense<[100, 101]> : tensor<2xi32>, bias = dense<[0, -192]> : tensor<2xi32>,
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


// -----

snnhw.system @net attributes {target = "test", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 24 : i64, decay_mode = #snn.int_decay<mul12>, arithmetic = #snn.arithmetic<lava_cuba>,
    limits = #snnhw.limits<neurons_per_core = 4, axons_per_core = 4, synapses_per_core = 8, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 16, state_bits = 24, threshold_bits = 24, cores_per_chip = 4, mesh_rows = 2, mesh_cols = 2, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = mul12>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 16.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<hard>,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>}
  snnhw.population @out {kind = #snnhw.kind<li>, size = 1 : i64,
      weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V13: neuron 0 has decays (4096, -1) outside Lava's v_decay [0, 4095] and i_decay [1, 4096] (or -1)}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1]> : tensor<2xi32>, neuron_index = dense<[0, 1]> : tensor<2xi32>,
      threshold = dense<100> : tensor<2xi32>, bias = dense<[0, -192]> : tensor<2xi32>,
      v_decay = dense<4096> : tensor<2xi32>, i_decay = dense<-1> : tensor<2xi32>,
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


// -----

snnhw.system @net attributes {target = "test", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 24 : i64, decay_mode = #snn.int_decay<mul12>, arithmetic = #snn.arithmetic<lava_cuba>,
    limits = #snnhw.limits<neurons_per_core = 4, axons_per_core = 4, synapses_per_core = 8, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 16, state_bits = 24, threshold_bits = 24, cores_per_chip = 4, mesh_rows = 2, mesh_cols = 2, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = mul12>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 16.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<hard>,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>}
  snnhw.population @out {kind = #snnhw.kind<li>, size = 1 : i64,
      weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V13: neuron 1 has bias 4097, not a 13-bit mantissa shifted left by an exponent in [0, 7]}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1]> : tensor<2xi32>, neuron_index = dense<[0, 1]> : tensor<2xi32>,
      threshold = dense<100> : tensor<2xi32>, bias = dense<[0, 4097]> : tensor<2xi32>,
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

