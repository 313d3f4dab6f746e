// RUN: snn-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(snn-lower{state-bits=20 weight-bits=9},snn-map-to-cores{target=truenorth})'
// TrueNorth: four weights per neuron (axon types), a constant leak only.

snn.network @values attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 5 : i64}
  // expected-error @+1 {{neuron 0 uses 5 distinct weights, but target 'truenorth' allows 4 per neuron (core.weight_values_per_neuron)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<[[0.5, 0.25, -0.5, 0.125, 1.0]]> : tensor<1x5xf32>,
      delay = dense<0> : tensor<1x5xi32>}
  snn.output @h
}

// -----

snn.network @leak attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  // expected-error @+1 {{leaks (neuron 0: v_decay = 205), but target 'truenorth' has no multiplicative leak (neuron.decay = none)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @h
}
