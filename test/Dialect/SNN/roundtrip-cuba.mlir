// RUN: %snn-gen-network cuba --seed 7 -o %t.mlir
// RUN: snn-opt %t.mlir --verify-roundtrip | FileCheck %s
// A current-based LIF network (SNN-F8) with exponential decay (SNN-F6).

// CHECK: snn.network @cuba attributes {decay = #snn.decay<exp>, dt = 1.000000e-03 : f64, steps = 200 : i64}
// CHECK: snn.lif @hidden {bias = dense_resource<hidden_bias> : tensor<32xf32>, size = 32 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 5.000000e-03 : f64, threshold = 5.000000e-01 : f64}
// CHECK: snn.projection @fc1 @in -> @hidden {delay = dense_resource<fc1_delay> : tensor<32x16xi32>, max_delay = 8 : i64
