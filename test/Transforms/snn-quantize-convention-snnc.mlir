// RUN: snn-opt %s -verify-diagnostics --snn-quantize
// SNN-F13: snnc's own arithmetic runs the paper's neuron (SNN-I6); a LIF
// trained with the lava convention is quantised with a warning naming it.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h was trained with the lava neuron convention (SNN-F13) but arithmetic snnc runs the paper's neuron (SNN-I6), so the plan may lose accuracy against the float model; compile for a target with that convention's arithmetic (e.g. loihi2) or train with '--neuron-convention paper'}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, convention = #snn.convention<lava>}
  snn.lif @p {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<2.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ip @in -> @p {max_delay = 1 : i64, weight = dense<2.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}
