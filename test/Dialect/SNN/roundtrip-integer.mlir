// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// RUN: snn-opt %s -emit-bytecode | snn-opt | FileCheck %s
// An integer network (SNN-I1..SNN-I10, SNN-V18..SNN-V21): integer weights
// with bits and scale in both projection forms, integer thresholds, biases
// and decays, a CuBa population with i_decay.

// CHECK: snn.network @int attributes {dt = 1.000000e-03 : f64, int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64, steps = 10 : i64}
// CHECK: snn.lif @h {bias = dense<[3, -4]> : tensor<2xi32>, i_decay = 819 : i64, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 5.000000e-03 : f64, v_decay = 205 : i64, v_threshold = dense<[100, 200]> : tensor<2xi32>}
// CHECK: snn.li @out {bias = dense<7> : tensor<1xi32>, size = 1 : i64, tau_mem = 2.000000e-02 : f64, v_decay = 4096 : i64}
// CHECK: snn.projection @a @in -> @h {delay = dense<0> : tensor<2x2xi32>, max_delay = 4 : i64, weight = dense<{{\[\[}}127, -128], [0, 5]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_scale = dense<[2.500000e-01, 1.250000e-01]> : tensor<2xf32>}
// CHECK: snn.sparse_projection @b @h -> @out {col_idx = dense<[0, 1]> : tensor<2xi32>, delay = dense<[1, 3]> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 2]> : tensor<2xi64>, weight = dense<[2047, -2048]> : tensor<2xi16>, weight_bits = 12 : i64, weight_scale = dense<5.000000e-01> : tensor<1xf32>}
snn.network @int attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, reset = #snn.reset<subtract>,
      v_threshold = dense<[100, 200]> : tensor<2xi32>, bias = dense<[3, -4]> : tensor<2xi32>,
      v_decay = 205 : i64, i_decay = 819 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64, bias = dense<7> : tensor<1xi32>, v_decay = 4096 : i64}
  snn.projection @a @in -> @h {max_delay = 4 : i64,
      weight = dense<[[127, -128], [0, 5]]> : tensor<2x2xi8>, weight_bits = 8 : i64,
      weight_scale = dense<[0.25, 0.125]> : tensor<2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.sparse_projection @b @h -> @out {max_delay = 4 : i64,
      row_ptr = dense<[0, 2]> : tensor<2xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<[2047, -2048]> : tensor<2xi16>, weight_bits = 12 : i64,
      weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<[1, 3]> : tensor<2xi32>}
  snn.output @out
}
