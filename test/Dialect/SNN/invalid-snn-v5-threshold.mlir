// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V5: thresholds are finite and positive.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V5: 'threshold' must be finite and > 0, got 0}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, threshold = 0.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V5: 'threshold' must be finite and > 0, got -1}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, threshold = -1.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V5: 'threshold' must be finite and > 0, got inf}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, threshold = 0x7FF0000000000000 : f64}
}
