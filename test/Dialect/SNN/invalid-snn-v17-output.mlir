// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V17: outputs name lif or li populations, each once.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  snn.output @r
  // expected-error @+1 {{SNN-V17: @in must name a lif or li population}}
  snn.output @in
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
  // expected-error @+1 {{SNN-V17: @ghost must name a lif or li population}}
  snn.output @ghost
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
  // expected-error @+1 {{SNN-V17: @r is already an output}}
  snn.output @r
}
