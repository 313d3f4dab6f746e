// RUN: snn-opt %s --snn-discretize-delays | FileCheck %s
// RUN: snn-opt %s --snn-discretize-delays=max-sigma=0.5 | FileCheck %s
// SNN-F4: D = clamp(round(h − p), 0, max_delay − 1), half to even, as the
// runtime's roundedDelay; position and sigma go away.
// max_delay 4, h = 1.5: h − p = [[0, 3, 1.5], [0.5, 2, 1]] -> [[0, 3, 2], [0, 2, 1]].
// max_delay 8, h = 3.5: h − p = [7, 3.5, 0] -> [7, 4, 0].

// CHECK-LABEL: snn.network @dcls
// CHECK: snn.projection @ints @in -> @h {delay = dense<{{\[\[}}1, 2], [0, 3], [3, 3]]> : tensor<3x2xi32>, max_delay = 4 : i64, 
// CHECK: snn.projection @dense @h -> @out {delay = dense<{{\[\[}}0, 3, 2], [0, 2, 1]]> : tensor<2x3xi32>, max_delay = 4 : i64, weight
// CHECK-NOT: position
// CHECK-NOT: sigma
// CHECK: snn.sparse_projection @csr @in -> @out {col_idx = dense<[0, 1, 1]> : tensor<3xi32>, delay = dense<[7, 4, 0]> : tensor<3xi32>, max_delay = 8 : i64, row_ptr
snn.network @dcls attributes {dt = 1.0e-02 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 0.1 : f64}
  snn.li @out {size = 2 : i64, tau_mem = 0.1 : f64}
  snn.projection @ints @in -> @h {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<[[1, 2], [0, 3], [3, 3]]> : tensor<3x2xi32>}
  snn.projection @dense @h -> @out {max_delay = 4 : i64,
      weight = dense<1.0> : tensor<2x3xf32>,
      position = dense<[[1.5, -1.5, 0.0], [1.0, -0.5, 0.5]]> : tensor<2x3xf32>, sigma = 0.25 : f64}
  snn.sparse_projection @csr @in -> @out {max_delay = 8 : i64,
      row_ptr = dense<[0, 2, 3]> : tensor<3xi64>, col_idx = dense<[0, 1, 1]> : tensor<3xi32>,
      weight = dense<1.0> : tensor<3xf32>,
      position = dense<[-3.5, 0.0, 3.5]> : tensor<3xf32>, sigma = 0.0 : f64}
  snn.output @out
}
