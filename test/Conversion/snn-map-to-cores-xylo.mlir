// RUN: snn-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(snn-lower{decay=shift state-bits=16},snn-map-to-cores{target=xylo-audio})'
// Xylo Audio's chip-wide limits: 16 input channels, 8 output neurons, no
// delays (docs/reference.md §4).

snn.network @inputs attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  // expected-error @+1 {{has 17 channels, but target 'xylo-audio' accepts 16 input channels in all (chip.max_input_channels)}}
  snn.input @in {size = 17 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x17xf32>, delay = dense<0> : tensor<1x17xi32>}
  snn.output @h
}

// -----

snn.network @outputs attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{is an output of 9 neurons, but target 'xylo-audio' has 8 output neurons in all (chip.max_output_neurons)}}
  snn.li @o {size = 9 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @o {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<9x1xf32>, delay = dense<0> : tensor<9x1xi32>}
  snn.output @o
}

// -----

snn.network @delays attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{synapse (target 0 of @h, source 1 of @in) has delay 1, but target 'xylo-audio' holds delays below 1 and realises no longer delays (delay.realisation = native)}}
  snn.projection @w @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x2xf32>, delay = dense<[[0, 1]]> : tensor<1x2xi32>}
  snn.output @h
}
