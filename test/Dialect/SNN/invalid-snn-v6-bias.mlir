// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V6: biases are tensor<size x f32> with finite values.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V6: 'bias' must be tensor<2xf32>, got 'tensor<3xf32>'}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias = dense<0.0> : tensor<3xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V6: 'bias' must be tensor<2xf32>, got 'tensor<2xf64>'}}
  snn.li @r {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias = dense<0.0> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V6: 'bias' element 1 is nan (must be finite)}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias = dense<[0.0, 0x7FC00000]> : tensor<2xf32>}
}
