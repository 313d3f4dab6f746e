// RUN: snn-opt %s | snn-opt | FileCheck %s
// The synaptic bias of CuBa populations (SNN-F8, SNN-V24), float and integer.

// CHECK: snn.lif @h {bias_syn = dense<[5.000000e-01, -2.500000e-01, 0.000000e+00]> : tensor<3xf32>, size = 3 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 5.000000e-03 : f64}
// CHECK: snn.li @o {bias_syn = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 2.000000e-03 : f64}
snn.network @f attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<[0.5, -0.25, 0.0]> : tensor<3xf32>}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 2.0e-03 : f64, bias_syn = dense<[1.0, 2.0]> : tensor<2xf32>}
  snn.projection @ih @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<3x1xf32>, delay = dense<0> : tensor<3x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.output @o
}
