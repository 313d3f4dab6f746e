// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="state-bits=16" | FileCheck %s
// SNN-I9: the membrane unit is never below θ / (2^(S−1) − 1), so a threshold
// always fits the state; weights that are small against the threshold lose
// resolution instead of the network being refused.

// Weights of 0.001 (0.016 × the frame unit 1/16) would ask for a unit of
// 0.001/127, making the threshold 1 = 127000 units, beyond 16-bit state. The
// unit is raised to 1/32767: the threshold is 32767 units and the weight
// rne(0.001 × 32767) = 33.
// CHECK-LABEL: snn.network @floor
// CHECK: snn.lif @h
// CHECK-SAME: v_threshold = dense<32767> : tensor<1xi32>
// CHECK: snn.projection @p
// CHECK-SAME: weight = dense<33> : tensor<1x1xi8>
// CHECK-SAME: weight_scale = dense<3.05185{{[0-9]*}}E-5>
snn.network @floor attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64,
      weight = dense<0.016> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

// Neuron 1's only weight, 1e-6, is below half of the unit its threshold
// needs (1/32767): it rounds to 0 and the neuron can never fire, which is
// worth a warning but not a refusal (neuron 0 keeps its input).
// CHECK-LABEL: snn.network @silenced
// CHECK: snn.lif @h
// CHECK-SAME: v_threshold = dense<[254, 32767]>
// CHECK: snn.projection @p
// CHECK-SAME: weight = dense<{{\[}}[127], [0]]> : tensor<2x1xi8>
snn.network @silenced attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{1 neuron(s) of @h lose every input: neuron 1's largest weight 1e-06 rounds to 0 at unit 3.05185e-05, the smallest that holds its threshold 1 in 16-bit state; such a neuron never fires (SNN-I9)}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64,
      weight = dense<[[0.5], [1.0e-06]]> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.output @h
}
