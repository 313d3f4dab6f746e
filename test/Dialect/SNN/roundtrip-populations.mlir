// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// Every population attribute survives a round trip (SNN-F1, F7, F8, F9, F12).

// CHECK: snn.input @frames {scale = 2.000000e+01 : f64, size = 3 : i64}
// CHECK: snn.input @spikes {encoding = #snn.encoding<spikes>, size = 2 : i64}
// CHECK: snn.lif @hard {bias = dense<[1.000000e-01, -2.000000e-01]> : tensor<2xf32>, dropout = 4.000000e-01 : f64, size = 2 : i64, tau_mem = 1.005000e-01 : f64, threshold = 1.500000e+00 : f64}
// CHECK: snn.lif @cuba {reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 5.000000e-03 : f64}
// CHECK: snn.li @readout {bias = dense<2.500000e-01> : tensor<2xf32>, size = 2 : i64, tau_mem = 1.005000e-01 : f64}
snn.network @pops attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @frames {size = 3 : i64, scale = 20.0 : f64, encoding = #snn.encoding<frames>}
  snn.input @spikes {size = 2 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @hard {size = 2 : i64, tau_mem = 0.1005 : f64, threshold = 1.5 : f64,
      reset = #snn.reset<hard>, bias = dense<[0.1, -0.2]> : tensor<2xf32>, dropout = 0.4 : f64}
  snn.lif @cuba {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64,
      reset = #snn.reset<subtract>}
  snn.li @readout {size = 2 : i64, tau_mem = 0.1005 : f64, bias = dense<0.25> : tensor<2xf32>}
  snn.projection @a @frames -> @hard {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.projection @b @spikes -> @cuba {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @c @hard -> @readout {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @d @cuba -> @readout {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.output @readout
}
