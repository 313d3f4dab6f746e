// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V32: under Xylo's arithmetic a lif or li population is a Xylo neuron:
// a synaptic current ('tau_syn', 'i_decay' = dash_syn), 4-bit dashes, no
// synaptic bias, no relay population (Xylo's relays are implicit, SNN-X13).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V32: under Xylo's arithmetic every neuron has a synaptic current: the population needs 'tau_syn' and 'i_decay' (dash_syn)}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V32: 'v_decay' of neuron 0 is 16, outside Xylo's 4-bit dash range [0, 15]}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 16 : i64, i_decay = 1 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V32: 'i_decay' of neuron 1 is 20, outside Xylo's 4-bit dash range [0, 15]}}
  snn.lif @h {size = 2 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, tau_syn_per_neuron = dense<[2.0e-03, 3.0e-03]> : tensor<2xf64>, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<2xi32>, v_decay = 3 : i64, i_decay = 1 : i64, i_decay_per_neuron = dense<[1, 20]> : tensor<2xi32>}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<2x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V32: Xylo's IAF neuron has no synaptic bias ('bias_syn')}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64, bias_syn = dense<1> : tensor<1xi32>}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  // expected-error @+1 {{SNN-V32: under Xylo's arithmetic relays are implicit (delays stay on the synapses, SNN-X13); no 'relay' population}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, relay, v_threshold = dense<1> : tensor<1xi32>, v_decay = 0 : i64, i_decay = 1 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64, weight = dense<2> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @r
}
