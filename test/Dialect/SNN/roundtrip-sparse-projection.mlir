// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// CSR projections over targets: empty rows, integer delays and DCLS positions.

// CHECK: snn.sparse_projection @csr @in -> @h {col_idx = dense<[0, 2, 1]> : tensor<3xi32>, delay = dense<[0, 7, 3]> : tensor<3xi32>, max_delay = 8 : i64, row_ptr = dense<[0, 2, 2, 3]> : tensor<4xi64>, sign = dense<[1, 1, -1]> : tensor<3xi8>, weight = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>}
// CHECK: snn.sparse_projection @csr_dcls @h -> @out {col_idx = dense<[1, 0, 2]> : tensor<3xi32>, max_delay = 8 : i64, position = dense<[-3.500000e+00, 0.000000e+00, 3.500000e+00]> : tensor<3xf32>, row_ptr = dense<[0, 1, 3]> : tensor<3xi64>, sigma = 0.000000e+00 : f64
snn.network @sparse attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 3 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @out {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.sparse_projection @csr @in -> @h {max_delay = 8 : i64,
      row_ptr = dense<[0, 2, 2, 3]> : tensor<4xi64>,
      col_idx = dense<[0, 2, 1]> : tensor<3xi32>,
      weight = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>,
      delay = dense<[0, 7, 3]> : tensor<3xi32>,
      sign = dense<[1, 1, -1]> : tensor<3xi8>}
  snn.sparse_projection @csr_dcls @h -> @out {max_delay = 8 : i64,
      row_ptr = dense<[0, 1, 3]> : tensor<3xi64>,
      col_idx = dense<[1, 0, 2]> : tensor<3xi32>,
      weight = dense<[0.5, 0.5, 0.5]> : tensor<3xf32>,
      position = dense<[-3.5, 0.0, 3.5]> : tensor<3xf32>,
      sigma = 0.0 : f64}
  snn.output @out
}
