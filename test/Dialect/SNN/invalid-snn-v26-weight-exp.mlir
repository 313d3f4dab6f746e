// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V26: 'weight_exp' exactly under Lava's arithmetic, in [-8, 7], or
// Xylo's (its matrix's weight shift), in [0, 8], with weight mantissas of at
// most 8 bits.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V26: under Lava's arithmetic a projection needs 'weight_exp'}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V26: 'weight_exp' must lie in [-8, 7], got 8}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 8 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V26: Lava's weight mantissas have at most 8 bits, got 'weight_bits' = 12}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi16>, weight_bits = 12 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<10> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V26: 'weight_exp' belongs to networks under Lava's or Xylo's arithmetic}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  // expected-error @+1 {{SNN-V26: under Xylo's arithmetic a projection needs 'weight_exp'}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  // expected-error @+1 {{SNN-V26: 'weight_exp' must lie in [0, 8] (Xylo's weight shift; a larger one wraps), got 9}}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 9 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}
