// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V27: under Lava's arithmetic one threshold and one pair of decays per
// population, within Lava's ranges.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V27: under Lava's arithmetic one threshold serves the whole population, but neuron 1 has 11 and neuron 0 10}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<[10, 11]> : tensor<2xi32>, v_decay = 205 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V27: 'v_threshold' must lie in [0, 131071] (Lava's 17-bit vth), got 131072}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<131072> : tensor<1xi32>, v_decay = 205 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V27: 'v_decay' must lie in [0, 4095] (Lava's 12-bit dv), got 4096}}
  snn.li @o {size = 1 : i64, tau_mem = 1.0e-03 : f64, v_decay = 4096 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V27: 'i_decay' must lie in [1, 4096] (Lava's 12-bit du + 1), got 0}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, v_decay = 205 : i64, i_decay = 0 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V27: under Lava's arithmetic decays are per population, not per neuron ('v_decay_per_neuron', 'i_decay_per_neuron')}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 1.0e-02]> : tensor<2xf64>, v_decay = 205 : i64, v_decay_per_neuron = dense<[205, 410]> : tensor<2xi32>}
}
