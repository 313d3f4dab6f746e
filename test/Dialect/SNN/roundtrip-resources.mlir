// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// Parameters stored as dense_resource blobs stay blobs (never inlined) and
// keep their bytes.

// CHECK: snn.projection @w @in -> @out {delay = dense_resource<w_delay> : tensor<1x2xi32>, max_delay = 4 : i64, weight = dense_resource<w_weight> : tensor<1x2xf32>}
// CHECK: dialect_resources: {
// CHECK:   builtin: {
// CHECK-DAG:  w_weight: "0x040000000000003F0000803E"
// CHECK-DAG:  w_delay: "0x040000000000000003000000"
snn.network @res attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @out {max_delay = 4 : i64,
      weight = dense_resource<w_weight> : tensor<1x2xf32>,
      delay = dense_resource<w_delay> : tensor<1x2xi32>}
  snn.output @out
}

{-#
  dialect_resources: {
    builtin: {
      w_weight: "0x040000000000003F0000803E",
      w_delay: "0x040000000000000003000000"
    }
  }
#-}
