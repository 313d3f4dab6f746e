// RUN: snn-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// HW-V15: under Xylo's arithmetic every synapse lies in one of Xylo's three
// matrices (from an input: weights_in; into an li: weights_out; else
// weights_rec; never input to li), each matrix's weights are int8
// mantissas shifted by one shift in [0, 8] (SNN-X3), and the neurons have
// int16 thresholds (li readouts 32767) and biases, 4-bit dashes, a synaptic
// current and no synaptic bias.
// Synapses: neuron 0 of @h <- input 0 (weights_in), neuron 1 of @h <- input 1
// (weights_in; weights_rec when delayed: through a relay chain, SNN-X13),
// neuron 0 of @o <- neuron 0 of @h (weights_out).

// A valid system: weights_in 508 = 127 << 2 and -512 = -128 << 2 (shift 2),
// weights_out 5 (shift 0).
// CHECK-LABEL: snnhw.system @ok
snnhw.system @ok attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
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
      syn_weight = dense<[508, -512, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

// One weight off the matrix shift: 508 needs shift 2, 6 is no multiple of 4.
snnhw.system @off attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: synapse 1 has weight 6, not an int8 weight shifted by the shift 2 of weights_in (which synapse 0's weight 508 needs)}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[508, 6, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

// The same weight 6 on a synapse of delay 3 from the input reaches its
// target from the last relay of its chain: it lies in weights_rec (shift 0).
// CHECK-LABEL: snnhw.system @delayed
snnhw.system @delayed attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
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
      syn_weight = dense<[508, 6, 5]> : tensor<3xi16>, syn_delay = dense<[0, 3, 0]> : tensor<3xi16>}
}

// -----

// 32767 needs a shift of 9, which wraps (SNN-X3).
snnhw.system @wide attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: synapse 0 has weight 32767 (weights_in), beyond an int8 weight shifted by Xylo's largest shift 8 (larger shifts wrap)}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[32767, 0, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

// An input channel straight into an output neuron.
snnhw.system @in_out attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: synapse 2 joins input @in to output neuron 2, but Xylo has no synapses from input channels to output neurons}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 1]> : tensor<3xi32>,
      syn_weight = dense<[1, 2, 3]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @thr attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 0 has threshold 0, outside Xylo's int16 [1, 32767]}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[0, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @readout attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 2 has threshold 1000, but an li readout (Xylo output neuron) has threshold 32767}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 1000]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @bias attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 1 has bias 40000, outside Xylo's int16 range}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, 40000, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @dash attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 1 has dashes (v_decay 16, i_decay 1) outside Xylo's 4-bit [0, 15]}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<[3, 16, 3]> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @nocurrent attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 2 has dashes (v_decay 3, i_decay -1) outside Xylo's 4-bit [0, 15] (every Xylo neuron has a synaptic current: i_decay -1 is not allowed)}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<[1, 1, -1]> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}

// -----

snnhw.system @biassyn attributes {target = "xylo-audio", dt = 1.0e-03 : f64, steps = 10 : i64,
    state_bits = 16 : i64, decay_mode = #snn.int_decay<shift>, arithmetic = #snn.arithmetic<xylo_iaf>,
    limits = #snnhw.limits<neurons_per_core = 1008, axons_per_core = 1016, synapses_per_core = 88000, weight_bits = 8, weight_values_per_neuron = 0, max_delay = 1000, state_bits = 16, threshold_bits = 16, cores_per_chip = 1, mesh_rows = 1, mesh_cols = 1, max_chips = 1, max_input_channels = 16, max_output_neurons = 8, decay = shift>} {
  snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64, scale = 1.0 : f64, encoding = #snn.encoding<frames>}
  snnhw.population @h {kind = #snnhw.kind<lif>, size = 2 : i64, reset = #snn.reset<subtract>, weight_scale = dense<0.5> : tensor<2xf32>}
  snnhw.population @o {kind = #snnhw.kind<li>, size = 1 : i64, weight_scale = dense<0.125> : tensor<1xf32>, output}
  // expected-error @+1 {{HW-V15: neuron 1 has a synaptic bias, which Xylo's IAF neuron does not have}}
  snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64,
      neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>, neuron_index = dense<[0, 1, 0]> : tensor<3xi32>,
      threshold = dense<[100, 100, 32767]> : tensor<3xi32>, bias = dense<[0, -3, 0]> : tensor<3xi32>,
      v_decay = dense<3> : tensor<3xi32>, i_decay = dense<1> : tensor<3xi32>,
      bias_syn = dense<[0, 4, 0]> : tensor<3xi32>,
      axon_pop = dense<[0, 0, 1]> : tensor<3xi32>, axon_index = dense<[0, 1, 0]> : tensor<3xi32>,
      syn_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, syn_axon = dense<[0, 1, 2]> : tensor<3xi32>,
      syn_weight = dense<[127, -128, 5]> : tensor<3xi16>, syn_delay = dense<[0, 0, 0]> : tensor<3xi16>}
}
