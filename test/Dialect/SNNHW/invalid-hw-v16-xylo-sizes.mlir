// RUN: snn-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// HW-V16: Xylo Audio 2's sizes: at most 16 input channels, 8 output neurons
// (li) and 1000 hidden neurons, relays included: a source whose longest
// delay is d needs d relay neurons (SNN-X13).

// Two hidden neurons and delays 3 (input 1) and 997 (@h's neuron 0): 2 + 3
// + 997 = 1002 hidden neurons.
// expected-error @+1 {{HW-V16: 2 hidden neurons and 1000 relay neurons (2 delayed sources, one relay per step of each source's longest delay) need 1002 hidden neurons; Xylo has 1000}}
snnhw.system @relays attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 3, 997]> : tensor<3xi16>}
}

// -----

// With delay 995 instead, 1000 hidden neurons fit exactly.
// CHECK-LABEL: snnhw.system @fits
snnhw.system @fits attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 3, 995]> : tensor<3xi16>}
}

// -----

// A target file without chip-wide limits still gets Xylo's.
// expected-error @+1 {{HW-V16: 17 input channels exceed Xylo's 16}}
snnhw.system @inputs attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 0, max_output_neurons = 0, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 17 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 3, 0]> : tensor<3xi16>}
}

// -----

// expected-error @+1 {{HW-V16: 9 output neurons (li populations) exceed Xylo's 8}}
snnhw.system @outputs attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 9 : i64, weight_scale = dense<0.125> : tensor<9xf32>}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]> : tensor<11xi32>, neuron_index = dense<[0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8]> : tensor<11xi32>,
      threshold = dense<[100, 100, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767]> : tensor<11xi32>, bias = dense<0> : tensor<11xi32>,
      v_decay = dense<3> : tensor<11xi32>, i_decay = dense<1> : tensor<11xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3]> : tensor<12xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 3, 0]> : tensor<3xi16>}
}
