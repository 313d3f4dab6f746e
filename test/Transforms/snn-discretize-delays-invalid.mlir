// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-discretize-delays=max-sigma=1.0
// Every diagnostic of snn-discretize-delays: an un-annealed DCLS kernel.

snn.network @n attributes {dt = 1.0e-02 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 0.1 : f64}
  // expected-error @+1 {{DCLS width sigma = 12 exceeds max-sigma = 1: the kernel has not annealed, so rounding the positions (SNN-F4) changes what the network computes}}
  snn.projection @p @in -> @out {max_delay = 25 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, position = dense<0.0> : tensor<1x1xf32>, sigma = 12.0 : f64}
  snn.output @out
}
