// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V20: integer thresholds, biases and decays exactly in integer networks.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'v_threshold', 'v_decay' and 'i_decay' belong to integer networks (the network has no 'int_state_bits')}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'bias' must be tensor<1xi32>, got 'tensor<1xf32>'}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, bias = dense<1.0> : tensor<1xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: bias of neuron 1 is -129, outside the 8-bit state range [-128, 127]}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, bias = dense<[0, -129]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: a lif population of an integer network needs 'v_threshold'}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: threshold of neuron 0 is 128, outside [1, 127] for 8-bit state}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_threshold = dense<128> : tensor<1xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: threshold of neuron 0 is 0, outside [1, 127] for 8-bit state}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_threshold = dense<0> : tensor<1xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'v_threshold' must be tensor<2xi32>, got 'tensor<1xi32>'}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_threshold = dense<1> : tensor<1xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: a population of an integer network needs 'v_decay'}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'v_decay' must lie in [0, 4096] for mul12 decay, got 4097}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 4097 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'v_decay' must lie in [0, 31] for shift decay, got 32}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 32 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: a population of an integer network needs 'i_decay'}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, v_decay = 205 : i64, v_threshold = dense<1> : tensor<1xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V20: 'i_decay' needs a current-based synapse ('tau_syn')}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, i_decay = 819 : i64, v_threshold = dense<1> : tensor<1xi32>}
}
