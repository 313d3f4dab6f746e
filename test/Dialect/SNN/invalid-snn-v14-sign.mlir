// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V14: Dale's-law signs are i8 per source, each +1 or -1.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V14: sign of source 1 is 0 (must be +1 or -1)}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>, sign = dense<[1, 0]> : tensor<2xi8>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V14: 'sign' must be tensor<2xi8>, got 'tensor<3xi8>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>, sign = dense<1> : tensor<3xi8>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V14: sign of source 1 is 2 (must be +1 or -1)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>, sign = dense<[-1, 2]> : tensor<2xi8>}
}
