// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V7: input scale is finite; dropout lies in [0, 1).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  // expected-error @+1 {{SNN-V7: 'scale' must be finite, got inf}}
  snn.input @in {size = 1 : i64, scale = 0x7FF0000000000000 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V7: 'dropout' must lie in [0, 1), got 1}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, dropout = 1.0 : f64}
}
