// RUN: snn-opt %s -split-input-file -verify-diagnostics
// Parser-level errors: unknown enum cases and ops outside a network.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  // expected-error @+2 {{failed to parse SNN_ResetModeAttr parameter 'value'}}
  // expected-error @+1 {{expected ::snnc::snn::ResetMode to be one of: hard, subtract}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, reset = #snn.reset<zero>}
}

// -----

// expected-error @+1 {{'snn.input' op expects parent op 'snn.network'}}
snn.input @in {size = 2 : i64}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  // expected-error @+1 {{'snn.lif' op requires attribute 'tau_mem'}}
  snn.lif @h {size = 1 : i64}
}

// -----

// A projection names its endpoints as `@source -> @target` before its
// attributes.
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{expected '->'}}
  snn.projection @w @in @out {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @out
}

// -----

// Endpoints given as `source` and `target` attributes do not parse.
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{custom op 'snn.projection' invalid kind of attribute specified}}
  snn.projection @w {source = @in, target = @out, max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @out
}
