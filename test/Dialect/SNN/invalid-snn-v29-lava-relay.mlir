// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V29: a relay under Lava's arithmetic is Lava's relay: threshold 0,
// v_decay 4095, one input synapse of weight 1 with weight_exp 0.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V29: relay 0 has integer threshold 1, not 0 (Lava's relay)}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay, v_threshold = dense<1> : tensor<1xi32>, v_decay = 4095 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V29: a relay's 'v_decay' under Lava's arithmetic must be 4095}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay, v_threshold = dense<0> : tensor<1xi32>, v_decay = 0 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V29: relay 0 of @r has input weight 2, not 1}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay, v_threshold = dense<0> : tensor<1xi32>, v_decay = 4095 : i64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ar @a -> @r {max_delay = 4 : i64, weight = dense<2> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<3> : tensor<1x1xi32>}
  snn.output @r
}
