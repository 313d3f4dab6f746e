// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V9: weights have the projection's shape, f32, finite.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V9: 'weight' must be tensor<3x2xf32>, got 'tensor<2x3xf32>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V9: 'weight' must be tensor<3x2xf32>, got 'tensor<3x2xi8>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1> : tensor<3x2xi8>, delay = dense<0> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V9: 'weight' element 2 is inf (must be finite)}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<[[1.0, 2.0], [0x7F800000, 0.0], [0.0, 0.0]]> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V9: 'weight' element 1 is nan (must be finite)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<[1.0, 0x7FC00000]> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V9: 'weight' must be tensor<2xf32>, got 'tensor<3xf32>'}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<3xf32>, delay = dense<0> : tensor<2xi32>}
}
