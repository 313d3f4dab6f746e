// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | FileCheck %s
// What snn-quantize does, with a warning, where Xylo's neuron differs from
// the trained one (docs/semantics.md, "snn-quantize under xylo-iaf").

// A time constant far from 2^dash steps: tau = 12 steps becomes dash 4
// (tau 16 steps), a leak 0.75 times the float one. One warning per field.
// CHECK-LABEL: snn.network @dash
// CHECK: snn.lif @h {{{.*}}v_decay = 4 : i64
snn.network @dash attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h: 'tau_mem' = 0.012 s (12 steps) becomes Xylo dash 4, whose leak 2^-4 is 0.75 times the float leak (1 neuron(s))}}
  snn.lif @h {size = 1 : i64, tau_mem = 1.2e-02 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @q @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// tau_syn = dt (a current that lives one step) needs dash 0, which would
// wipe the current before it reaches the membrane: clamped to dash 1.
// CHECK-LABEL: snn.network @clamped
// CHECK: snn.lif @h {i_decay = 1 : i64
snn.network @clamped attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h: 'tau_syn' = 0.001 s (1 steps) becomes Xylo dash 1, whose leak 2^-1 is 0.5 times the float leak (1 neuron(s))}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 1.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @q @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// No synaptic current: every Xylo neuron has one, so the population gets
// dash_syn 1 and the tau_syn it stands for (2 dt under linear decay).
// CHECK-LABEL: snn.network @no_current
// CHECK: snn.lif @h {i_decay = 1 : i64, {{.*}}tau_syn = 2.000000e-03 : f64
// CHECK: snn.li @o {i_decay = 1 : i64, {{.*}}tau_syn = 2.000000e-03 : f64
snn.network @no_current attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h has no synaptic current, but every Xylo neuron has one: it gets dash_syn 1}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, reset = #snn.reset<subtract>}
  // expected-warning @+1 {{population @o has no synaptic current}}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @q @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// Hard reset: Xylo subtracts the threshold (SNN-X8).
// CHECK-LABEL: snn.network @hard
snn.network @hard attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-warning @+1 {{population @h resets to 0 (hard reset), but Xylo's neuron subtracts the threshold and may fire several times per step (SNN-X8)}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @q @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
