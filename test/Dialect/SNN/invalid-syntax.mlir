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
