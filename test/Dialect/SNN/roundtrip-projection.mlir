// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// Dense projections: integer delays, DCLS positions with sigma, masks and
// Dale's-law signs (SNN-F2, SNN-F3).

// CHECK-LABEL: snn.network @dense
// CHECK: snn.projection @int_delays @in -> @h {delay = dense<{{\[\[}}0, 24], [12, 1]]> : tensor<2x2xi32>, mask = dense<{{\[\[}}true, false], [true, true]]> : tensor<2x2xi1>, max_delay = 25 : i64, sign = dense<[1, -1]> : tensor<2xi8>, 
// CHECK: snn.projection @dcls @h -> @out {max_delay = 25 : i64, position = dense<{{\[\[}}-1.200000e+01, 1.200000e+01], [0.000000e+00, 3.500000e+00]]> : tensor<2x2xf32>, sigma = 1.200000e+01 : f64, 
snn.network @dense attributes {dt = 1.0e-02 : f64, steps = 100 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 0.1005 : f64}
  snn.li @out {size = 2 : i64, tau_mem = 0.1005 : f64}
  snn.projection @int_delays @in -> @h {max_delay = 25 : i64,
      weight = dense<[[0.5, 0.25], [1.0, 2.0]]> : tensor<2x2xf32>,
      delay = dense<[[0, 24], [12, 1]]> : tensor<2x2xi32>,
      mask = dense<[[true, false], [true, true]]> : tensor<2x2xi1>,
      sign = dense<[1, -1]> : tensor<2xi8>}
  snn.projection @dcls @h -> @out {max_delay = 25 : i64,
      weight = dense<[[0.5, -0.25], [1.0, 2.0]]> : tensor<2x2xf32>,
      position = dense<[[-12.0, 12.0], [0.0, 3.5]]> : tensor<2x2xf32>,
      sigma = 12.0 : f64}
  snn.output @out
}
