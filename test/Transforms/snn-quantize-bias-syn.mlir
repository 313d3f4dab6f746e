// RUN: snn-opt %s --snn-quantize | FileCheck %s
// SNN-I7: the synaptic bias (SNN-F8) becomes rne(bias_syn / u_b) in the
// current's units, the membrane unit u_b of SNN-I9 (weight-bits 8:
// u_b = max|w| / 127). @o: max |w| 0.5 and 0.254 -> u = 0.5/127, 0.002;
// bias_syn 0.3, -0.1 -> 76.2 -> 76, -50.
// CHECK: snn.li @o {bias_syn = dense<[76, -50]> : tensor<2xi32>
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64, encoding = #snn.encoding<spikes>}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<[0.3, -0.1]> : tensor<2xf32>}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<[[0.5, 0.1], [0.254, -0.2]]> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.output @o
}
