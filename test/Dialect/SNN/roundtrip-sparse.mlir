// RUN: %snn-gen-network sparse --seed 5 -o %t.mlir
// RUN: snn-opt %t.mlir --verify-roundtrip | FileCheck %s
// A network of CSR projections with integer delays and Dale's-law signs.

// CHECK: snn.input @in {encoding = #snn.encoding<spikes>, size = 64 : i64}
// CHECK: snn.lif @hidden {reset = #snn.reset<subtract>, size = 128 : i64
// CHECK: snn.sparse_projection @fc1 @in -> @hidden {col_idx = dense_resource<fc1_col_idx> : tensor<1024xi32>, delay = dense_resource<fc1_delay> : tensor<1024xi32>, max_delay = 16 : i64, row_ptr = dense_resource<fc1_row_ptr> : tensor<129xi64>, sign = dense_resource<fc1_sign> : tensor<64xi8>, weight = dense_resource<fc1_weight> : tensor<1024xf32>}
// CHECK: snn.sparse_projection @fc2 @hidden -> @readout {col_idx = dense_resource<fc2_col_idx> : tensor<160xi32>
