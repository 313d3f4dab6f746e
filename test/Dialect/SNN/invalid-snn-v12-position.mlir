// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V12: DCLS positions are finite, within [-h, h], with sigma >= 0.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: DCLS 'position' needs 'sigma'}}
  snn.projection @ih @in -> @h {max_delay = 5 : i64, weight = dense<1.0> : tensor<3x2xf32>, position = dense<0.0> : tensor<3x2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: 'sigma' must be finite and >= 0, got -1}}
  snn.projection @ih @in -> @h {max_delay = 5 : i64, weight = dense<1.0> : tensor<3x2xf32>, position = dense<0.0> : tensor<3x2xf32>, sigma = -1.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: position of synapse 3 is 2.5, outside [-2, 2] for max_delay = 5}}
  snn.projection @ih @in -> @h {max_delay = 5 : i64, weight = dense<1.0> : tensor<3x2xf32>, position = dense<[[0.0, 1.5], [-2.0, 2.5], [0.0, 0.0]]> : tensor<3x2xf32>, sigma = 1.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: 'position' element 1 is nan (must be finite)}}
  snn.projection @ih @in -> @h {max_delay = 5 : i64, weight = dense<1.0> : tensor<3x2xf32>, position = dense<[[0.0, 0x7FC00000], [0.0, 0.0], [0.0, 0.0]]> : tensor<3x2xf32>, sigma = 1.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V12: 'position' must be tensor<3x2xf32>, got 'tensor<2xf32>'}}
  snn.projection @ih @in -> @h {max_delay = 5 : i64, weight = dense<1.0> : tensor<3x2xf32>, position = dense<0.0> : tensor<2xf32>, sigma = 1.0 : f64}
}
