// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// Per-neuron time constants and thresholds (SNN-F6, SNN-V23), a CuBa readout
// (SNN-F8 on LI), and per-neuron integer decays.

// CHECK: snn.lif @h {size = 3 : i64, tau_mem = 2.000000e-02 : f64, tau_mem_per_neuron = dense<[2.000000e-02, 3.000000e-02, 4.000000e-02]> : tensor<3xf64>, tau_syn = 5.000000e-03 : f64, tau_syn_per_neuron = dense<[5.000000e-03, 4.000000e-03, 5.000000e-03]> : tensor<3xf64>, threshold = 1.500000e+00 : f64, threshold_per_neuron = dense<[1.500000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf64>}
// CHECK: snn.li @o {size = 2 : i64, tau_mem = 2.000000e-02 : f64, tau_mem_per_neuron = dense<[2.000000e-02, 1.000000e-02]> : tensor<2xf64>, tau_syn = 2.000000e-03 : f64}
snn.network @float attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 3.0e-02, 4.0e-02]> : tensor<3xf64>,
              tau_syn = 5.0e-03 : f64, tau_syn_per_neuron = dense<[5.0e-03, 4.0e-03, 5.0e-03]> : tensor<3xf64>,
              threshold = 1.5 : f64, threshold_per_neuron = dense<[1.5, 1.0, 2.0]> : tensor<3xf64>}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 1.0e-02]> : tensor<2xf64>, tau_syn = 2.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.output @o
}

// CHECK: snn.li @o {i_decay = 1638 : i64, i_decay_per_neuron = dense<[1638, 2048]> : tensor<2xi32>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 2.500000e-03 : f64, v_decay = 205 : i64, v_decay_per_neuron = dense<[205, 410]> : tensor<2xi32>}
snn.network @integer attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 2 : i64}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 2.5e-03 : f64, v_decay = 205 : i64, v_decay_per_neuron = dense<[205, 410]> : tensor<2xi32>,
             i_decay = 1638 : i64, i_decay_per_neuron = dense<[1638, 2048]> : tensor<2xi32>}
  snn.projection @io @in -> @o {max_delay = 1 : i64, weight = dense<1> : tensor<2x2xi8>, weight_bits = 8 : i64,
      weight_scale = dense<1.0> : tensor<1xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.output @o
}
