// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V8: a projection runs from an input or lif population to a lif or li population.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V8: source @nope does not name a population of the network}}
  snn.projection @bad @nope -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  // expected-error @+1 {{SNN-V8: target @nope does not name a population of the network}}
  snn.projection @bad @in -> @nope {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  // expected-error @+1 {{SNN-V8: source @r is an LI readout, which emits no spikes}}
  snn.projection @bad @r -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  // expected-error @+1 {{SNN-V8: target @in is an input population}}
  snn.projection @bad @h -> @in {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
}

