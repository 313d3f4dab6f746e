// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V28: under Lava's arithmetic a bias is a 13-bit mantissa shifted left
// by an exponent in [0, 7]; there is no synaptic bias.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V28: bias of neuron 1 is 4097, which is no 13-bit mantissa shifted left by an exponent in [0, 7] (Lava's bias_mant, bias_exp)}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64, bias = dense<[4095, 4097]> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V28: Lava's CUBA neuron has no synaptic bias ('bias_syn')}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, v_decay = 205 : i64, i_decay = 819 : i64, bias_syn = dense<1> : tensor<1xi32>}
}
