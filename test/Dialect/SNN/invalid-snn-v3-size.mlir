// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V3: every population has at least one neuron.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  // expected-error @+1 {{SNN-V3: 'size' must be > 0, got 0}}
  snn.input @in {size = 0 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V3: 'size' must be > 0, got -4}}
  snn.lif @h {size = -4 : i64, tau_mem = 2.0e-02 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V3: 'size' must be > 0, got 0}}
  snn.li @r {size = 0 : i64, tau_mem = 2.0e-02 : f64}
}
