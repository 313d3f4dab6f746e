// RUN: snn-opt %s -split-input-file --verify-roundtrip | FileCheck %s
// Relay populations (SNN-I10, SNN-V22) in a float and an integer network.

// CHECK: snn.lif @r {relay, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 1.000000e-03 : f64}
// CHECK: snn.sparse_projection @l1 @a -> @r {{{.*}}weight = dense<2.000000e+00> : tensor<2xf32>}
snn.network @f attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @l1 @a -> @r {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>,
      col_idx = dense<[1, 0]> : tensor<2xi32>, weight = dense<2.0> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.output @r
}

// -----

// CHECK: snn.lif @r {relay, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 1.562500e-05 : f64, v_decay = 0 : i64, v_threshold = dense<1> : tensor<1xi32>}
snn.network @i attributes {dt = 1.0e-03 : f64, steps = 10 : i64, decay = #snn.decay<exp>, int_state_bits = 3 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<2> : tensor<1xi32>, v_decay = 4 : i64}
  snn.lif @r {size = 1 : i64, tau_mem = 1.5625e-05 : f64, reset = #snn.reset<subtract>, relay,
      v_threshold = dense<1> : tensor<1xi32>, v_decay = 0 : i64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>,
      weight_bits = 3 : i64, weight_scale = dense<1.0> : tensor<1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @l1 @a -> @r {max_delay = 4 : i64, weight = dense<2> : tensor<1x1xi8>,
      weight_bits = 3 : i64, weight_scale = dense<1.0> : tensor<1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.output @r
}
