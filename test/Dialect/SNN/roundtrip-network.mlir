// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// The network container: dt, steps and the decay mode (SNN-F6).

// CHECK-LABEL: snn.network @linear attributes {dt = 1.000000e-03 : f64, steps = 10 : i64} {
// CHECK-NEXT:    snn.input @in {size = 2 : i64}
// CHECK-NEXT:    snn.lif @out {size = 1 : i64, tau_mem = 2.000000e-02 : f64}
// CHECK-NEXT:    snn.projection @w @in -> @out {delay = dense<{{\[\[}}0, 3]]> : tensor<1x2xi32>, max_delay = 4 : i64, weight = dense<{{\[\[}}5.000000e-01, 2.500000e-01]]> : tensor<1x2xf32>}
// CHECK-NEXT:    snn.output @out
// CHECK-NEXT:  }
snn.network @linear attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64, threshold = 1.0 : f64}
  snn.projection @w @in -> @out {max_delay = 4 : i64,
      weight = dense<[[0.5, 0.25]]> : tensor<1x2xf32>,
      delay = dense<[[0, 3]]> : tensor<1x2xi32>}
  snn.output @out
}

// CHECK-LABEL: snn.network @exp attributes {decay = #snn.decay<exp>, dt = 5.000000e-04 : f64, steps = 2000 : i64}
snn.network @exp attributes {dt = 5.0e-04 : f64, steps = 2000 : i64, decay = #snn.decay<exp>} {
  snn.input @in {size = 1 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 1.0e-04 : f64}
  snn.projection @w @in -> @out {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @out
}
