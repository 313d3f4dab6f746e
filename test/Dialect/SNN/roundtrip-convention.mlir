// RUN: snn-opt %s | FileCheck %s
// RUN: snn-opt %s | snn-opt | FileCheck %s
// RUN: snn-opt %s --emit-bytecode | snn-opt | FileCheck %s
// The float neuron convention of a LIF population (SNN-F13) is printed and
// parsed; the default (paper) is not printed.

// CHECK-LABEL: snn.network @conv
// CHECK: snn.lif @lava {convention = #snn.convention<lava>, size = 2 : i64, tau_mem = 2.000000e-02 : f64}
// CHECK: snn.lif @paper {size = 2 : i64, tau_mem = 2.000000e-02 : f64}
// CHECK: snn.lif @plain {size = 2 : i64, tau_mem = 2.000000e-02 : f64}
snn.network @conv attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @lava {size = 2 : i64, tau_mem = 2.0e-02 : f64, convention = #snn.convention<lava>}
  snn.lif @paper {size = 2 : i64, tau_mem = 2.0e-02 : f64, convention = #snn.convention<paper>}
  snn.lif @plain {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p1 @in -> @lava {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @p2 @in -> @paper {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @p3 @in -> @plain {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.output @lava
}
