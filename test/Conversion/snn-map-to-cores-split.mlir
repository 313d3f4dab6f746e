// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json strategy=metis})' | FileCheck %s
// The readout listens to all 6 hidden neurons and the hidden ones to all 4
// inputs, so no core of 6 axons can hold the readout with a hidden neuron.
// METIS does not see axons: its parts that overflow are split by a
// sequential fill, and the mapping still fits (the verifier checks HW-V4).

snn.network @split attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 4 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 6 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w1 @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<6x4xf32>, delay = dense<0> : tensor<6x4xi32>}
  snn.projection @w2 @h -> @out {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x6xf32>, delay = dense<1> : tensor<1x6xi32>}
  snn.output @out
}

// CHECK-LABEL: snnhw.system @split
// CHECK: snnhw.core @core0
// CHECK: snnhw.core @core1
// CHECK: snnhw.core @core2
// CHECK-NOT: snnhw.core @core3
