// RUN: snn-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(snn-lower{target=xylo-audio},snn-map-to-cores{target=xylo-audio})' | FileCheck %s
// Xylo Audio's limits (HW-V16, docs/targets/xylo-audio.md): 16 input
// channels, 8 output neurons, 1000 hidden neurons including one relay per
// step of each source's longest delay (Xylo has no synaptic delays, SNN-X13).

snn.network @inputs attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  // expected-error @+1 {{has 17 channels, but target 'xylo-audio' accepts 16 input channels in all (chip.max_input_channels)}}
  snn.input @in {size = 17 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x17xf32>, delay = dense<0> : tensor<1x17xi32>}
  snn.output @h
}

// -----

snn.network @outputs attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  // expected-error @+1 {{is an output of 9 neurons, but target 'xylo-audio' has 8 output neurons in all (chip.max_output_neurons)}}
  snn.li @o {size = 9 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @v @h -> @o {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<9x1xf32>, delay = dense<0> : tensor<9x1xi32>}
  snn.output @o
}

// -----

// 979 hidden neurons and a delay of 11 steps from both input channels: 22
// relays, 1001 hidden neurons.
// expected-error @+1 {{'snn.network' op needs 1001 hidden neurons (979 lif neurons and 22 relay neurons for the delays of 2 sources, one per step of each source's longest delay), but target 'xylo-audio' (Xylo) has 1000 hidden neurons}}
snn.network @relays attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 979 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.projection @w @in -> @h {max_delay = 12 : i64,
      weight = dense<0.5> : tensor<979x2xf32>, delay = dense<11> : tensor<979x2xi32>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @v @h -> @o {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x979xf32>, delay = dense<0> : tensor<1x979xi32>}
  snn.output @o
}

// -----

// The same delays with 978 hidden neurons fit exactly: the delay stays on
// the synapse (the executors' ring, the exporter's relay chain).
// CHECK-LABEL: snnhw.system @fits
// CHECK-SAME: arithmetic = #snn.arithmetic<xylo_iaf>
// CHECK: snnhw.population @h {{.*}}size = 978
snn.network @fits attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 978 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.projection @w @in -> @h {max_delay = 12 : i64,
      weight = dense<0.5> : tensor<978x2xf32>, delay = dense<11> : tensor<978x2xi32>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @v @h -> @o {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x978xf32>, delay = dense<0> : tensor<1x978xi32>}
  snn.output @o
}
