// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V19: integer weights (i8/i16/i32) with weight_bits and weight_scale
// exactly in integer networks.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V19: 'weight_bits' and 'weight_scale' belong to integer networks (the network has no 'int_state_bits')}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, weight_scale = dense<1.0> : tensor<1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V9: 'weight' must be tensor<1x1xf32>, got 'tensor<1x1xi8>'}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: in an integer network 'weight' must be tensor<1x1xi8> (or i16, i32), got 'tensor<1x1xf32>'}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: integer weights need 'weight_bits' and 'weight_scale'}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: 'weight_bits' must lie in [2, 8] for 'i8' weights, got 9}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 9 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 2 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: weight of synapse 1 is -9, outside the 4-bit range [-8, 7]}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<[[7, -9]]> : tensor<1x2xi8>, weight_bits = 4 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: 'weight_scale' must be tensor<1xf32> (per layer) or tensor<2xf32> (per neuron), got 'tensor<3xf32>'}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<3xf32>,
      delay = dense<0> : tensor<2x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: 'weight_scale' element 1 is 0 (must be > 0)}}
  snn.sparse_projection @p @in -> @o {max_delay = 1 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<0> : tensor<2xi32>,
      weight = dense<1> : tensor<2xi16>, weight_bits = 8 : i64, weight_scale = dense<[1.0, 0.0]> : tensor<2xf32>,
      delay = dense<0> : tensor<2xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V19: 'weight_scale' element 0 is inf (must be finite)}}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0x7F800000> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
