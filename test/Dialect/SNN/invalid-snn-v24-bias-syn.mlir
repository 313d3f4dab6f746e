// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V24: the synaptic bias in front of a CuBa filter (SNN-F8).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V24: 'bias_syn' needs a current-based synapse ('tau_syn')}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias_syn = dense<[1.0, 2.0]> : tensor<2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V24: 'bias_syn' must be tensor<2xf32>, got 'tensor<3xf32>'}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V24: 'bias_syn' element 1 is nan (must be finite)}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<[1.0, 0x7FC00000]> : tensor<2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V24: 'bias_syn' must be tensor<2xi32>, got 'tensor<2xf32>'}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, v_decay = 100 : i64, i_decay = 200 : i64, bias_syn = dense<[1.0, 2.0]> : tensor<2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V24: bias_syn of neuron 1 is 128, outside the 8-bit state range [-128, 127]}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, v_decay = 100 : i64, i_decay = 200 : i64, bias_syn = dense<[-128, 128]> : tensor<2xi32>}
}
