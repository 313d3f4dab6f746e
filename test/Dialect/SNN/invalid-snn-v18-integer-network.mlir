// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V18: integer semantics are all or nothing; state bits in [3, 32]; an
// integer network holds no batchnorm and no DCLS positions.

// expected-error @+1 {{SNN-V18: 'int_state_bits' and 'int_decay' must be given together}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V18: 'int_state_bits' and 'int_decay' must be given together}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V18: 'int_state_bits' must lie in [3, 32], got 2}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 2 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V18: 'int_state_bits' must lie in [3, 32], got 33}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 33 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{SNN-V18: an integer network holds no batchnorm (fold it before quantising)}}
  snn.batchnorm @bn {target = @o, gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V18: an integer network holds no DCLS 'position' (discretise delays first)}}
  snn.projection @p @in -> @o {max_delay = 3 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      position = dense<0.0> : tensor<1x1xf32>, sigma = 0.0 : f64}
  snn.output @o
}
