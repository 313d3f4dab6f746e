// RUN: snn-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect
// SNN-V2: the network is a DAG of populations from inputs to outputs.

// expected-error @+1 {{SNN-V2: a network needs at least one snn.input}}
snn.network @no_input attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
}

// -----

// expected-error @+1 {{SNN-V2: a network needs at least one snn.output}}
snn.network @no_output attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
}

// -----

snn.network @orphan attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  // expected-error @+1 {{SNN-V2: population @out receives no projection}}
  snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @out
}

// -----

snn.network @cycle attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V2: population @a lies on a cycle of projections}}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @b {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @in_a @in -> @a {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @a_b @a -> @b {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @b_a @b -> @a {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @b
}

// -----

snn.network @foreign_op attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @out {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{SNN-V2: only snn ops may appear in a network}}
  "test.unknown"() : () -> ()
  snn.output @out
}
