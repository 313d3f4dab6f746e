// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false"
// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false" | FileCheck %s
// SNN-F13: snn-quantize warns, naming the population, when a LIF's float
// neuron convention differs from the arithmetic's (lava-cuba runs Lava's
// neuron, SNN-L11/L12), and keeps the attribute on the integer network.

// CHECK-LABEL: snn.network @lava
// CHECK: snn.lif @h {convention = #snn.convention<lava>, {{.*}}v_threshold =
snn.network @lava attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, convention = #snn.convention<lava>}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<2.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

// CHECK-LABEL: snn.network @paper
snn.network @paper attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h was trained with the paper's neuron convention (spike on V >= threshold, the reset also drops the spiking step's input, SNN-F7) but arithmetic lava-cuba fires on v > threshold and keeps that input (SNN-L11, SNN-L12), so the plan may lose accuracy against the float model; train with 'snnc train --neuron-convention lava' (SNN-F13)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<2.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}
