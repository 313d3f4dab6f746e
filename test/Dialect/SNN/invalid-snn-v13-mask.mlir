// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V13: a mask is i1 of the weight's shape.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V13: 'mask' must be tensor<3x2xi1>, got 'tensor<2x3xi1>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>, mask = dense<true> : tensor<2x3xi1>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V13: 'mask' must be tensor<3x2xi1>, got 'tensor<3x2xi8>'}}
  snn.projection @ih @in -> @h {max_delay = 4 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>, mask = dense<1> : tensor<3x2xi8>}
}
