// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// BatchNorm statistics of a hidden population (SNN-F5).

// CHECK: snn.batchnorm @bn1 {beta = dense<[0.000000e+00, 1.000000e-01]> : tensor<2xf32>, eps = 1.000000e-03 : f64, gamma = dense<1.000000e+00> : tensor<2xf32>, mean = dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>, momentum = 5.000000e-02 : f64, target = @h, var = dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf32>}
// CHECK: snn.batchnorm @bn2 {beta = dense<0.000000e+00> : tensor<1xf32>, gamma = dense<1.000000e+00> : tensor<1xf32>, mean = dense<0.000000e+00> : tensor<1xf32>, target = @out, var = dense<1.000000e+00> : tensor<1xf32>}
snn.network @bn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @b @h -> @out {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.batchnorm @bn1 {target = @h, gamma = dense<1.0> : tensor<2xf32>,
      beta = dense<[0.0, 0.1]> : tensor<2xf32>, mean = dense<[0.5, -0.5]> : tensor<2xf32>,
      var = dense<[1.0, 4.0]> : tensor<2xf32>, eps = 1.0e-03 : f64, momentum = 0.05 : f64}
  snn.batchnorm @bn2 {target = @out, gamma = dense<1.0> : tensor<1xf32>,
      beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<1.0> : tensor<1xf32>}
  snn.output @out
}
