// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V1: dt and steps of a network.

// expected-error @+1 {{SNN-V1: 'dt' must be finite and > 0, got 0}}
snn.network @zero_dt attributes {dt = 0.0 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @out {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @out
}

// -----

// expected-error @+1 {{SNN-V1: 'dt' must be finite and > 0, got -0.001}}
snn.network @negative_dt attributes {dt = -1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.output @in
}

// -----

// expected-error @+1 {{SNN-V1: 'dt' must be finite and > 0, got nan}}
snn.network @nan_dt attributes {dt = 0x7FF8000000000000 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.output @in
}

// -----

// expected-error @+1 {{SNN-V1: 'steps' must be > 0, got 0}}
snn.network @no_steps attributes {dt = 1.0e-03 : f64, steps = 0 : i64} {
  snn.input @in {size = 2 : i64}
  snn.output @in
}
