// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V23: per-neuron time constants, thresholds and integer decays.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_mem_per_neuron' must be tensor<2xf64>, got 'tensor<2xf32>'}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 3.0e-02]> : tensor<2xf32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_mem_per_neuron' must be tensor<2xf64>, got 'tensor<3xf64>'}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 3.0e-02, 4.0e-02]> : tensor<3xf64>}
}

// -----

// Linear decay: a time constant shorter than dt would make beta negative.
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_mem_per_neuron' element 1 is 0.0005: shorter than dt = 0.001, so the linear decay 1 - dt/tau would be negative}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 5.0e-04]> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, decay = #snn.decay<exp>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_syn_per_neuron' element 1 is -0.003: a time constant must be finite and > 0}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 2.0e-03 : f64, tau_syn_per_neuron = dense<[2.0e-03, -3.0e-03]> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_syn_per_neuron' needs 'tau_syn'}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn_per_neuron = dense<[2.0e-03, 3.0e-03]> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'threshold_per_neuron' element 1 is 0: a threshold must be finite and > 0}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, threshold = 1.5 : f64, threshold_per_neuron = dense<[1.5, 0.0]> : tensor<2xf64>}
}

// -----

// The scalar holds neuron 0's value.
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'threshold' = 1 must equal element 0 of 'threshold_per_neuron' (1.5)}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, threshold_per_neuron = dense<[1.5, 2.0]> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'tau_mem_per_neuron' has no readable data}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense_resource<missing> : tensor<2xf64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'v_decay_per_neuron' and 'i_decay_per_neuron' belong to integer networks}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay_per_neuron = dense<[205, 100]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'v_decay_per_neuron' element 1 is 32: outside [0, 31] for shift decay}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 3 : i64, v_decay_per_neuron = dense<[3, 32]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'v_decay_per_neuron' must be tensor<2xi32>, got 'tensor<2xi64>'}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_decay_per_neuron = dense<[205, 100]> : tensor<2xi64>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'v_decay' = 205 must equal element 0 of 'v_decay_per_neuron' (100)}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_decay_per_neuron = dense<[100, 205]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V23: 'i_decay_per_neuron' needs 'i_decay'}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, v_threshold = dense<1> : tensor<2xi32>, i_decay_per_neuron = dense<[205, 100]> : tensor<2xi32>}
}
