// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V11: integer delays are i32 of the weight's shape, in [0, max_delay).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V11: delay of synapse 4 is 4, outside [0, max_delay = 4)}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<[[0, 1], [2, 3], [4, 0]]> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V11: delay of synapse 1 is -1, outside [0, max_delay = 4)}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<[[0, -1], [2, 3], [1, 0]]> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V11: 'delay' must be tensor<3x2xi32>, got 'tensor<3x2xi64>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V11: delay of synapse 1 is 2, outside [0, max_delay = 2)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 2 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<[1, 2]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: 'sigma' belongs to DCLS 'position', not to integer 'delay'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>, sigma = 1.0 : f64}
}
