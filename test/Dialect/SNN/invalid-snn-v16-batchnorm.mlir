// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V16: BatchNorm of a lif or li population, tensor<size x f32> statistics.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: target @in must name a lif or li population}}
  snn.batchnorm @bn {target = @in, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: 'var' must be tensor<3xf32>, got 'tensor<2xf32>'}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: 'var' element 1 is -0.5 (a variance must be >= 0)}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<[1.0, -0.5, 1.0]> : tensor<3xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: 'gamma' element 1 is nan (must be finite)}}
  snn.batchnorm @bn {target = @h, gamma = dense<[1.0, 0x7FC00000, 1.0]> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: 'eps' must be finite and > 0, got 0}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>, eps = 0.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V16: 'momentum' must lie in [0, 1], got 1.5}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>, momentum = 1.5 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  snn.batchnorm @bn0 {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>}
  // expected-error @+1 {{SNN-V16: population @h already has a batchnorm (@bn0)}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>}
}
