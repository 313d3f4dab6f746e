// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V4: time constants are positive and, with linear decay, at least dt.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V4: 'tau_mem' must be finite and > 0, got 0}}
  snn.lif @h {size = 1 : i64, tau_mem = 0.0 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V4: 'tau_mem' must be finite and > 0, got -0.02}}
  snn.li @r {size = 1 : i64, tau_mem = -2.0e-02 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V4: 'tau_syn' must be finite and > 0, got inf}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 0x7FF0000000000000 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-02 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V4: 'tau_mem' = 0.005 is shorter than dt = 0.01, so the linear decay 1 - dt/tau would be negative}}
  snn.lif @h {size = 1 : i64, tau_mem = 5.0e-03 : f64}
}
