// RUN: snn-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json})'
// Every limit a network can break on the tiny target (6 axons, 16 synapses,
// 4 neurons per core, delays below 8, 2 chips x 4 cores) is a diagnostic at
// the op concerned, naming the neuron and the limit.

snn.network @fanin attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 7 : i64}
  // expected-error @+1 {{neuron 0 has 7 distinct presynaptic sources, but a core of target 'tiny' has 6 input axons (core.axons)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x7xf32>, delay = dense<0> : tensor<1x7xi32>}
  snn.output @h
}

// -----

snn.network @synapses attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 6 : i64}
  // expected-error @+1 {{neuron 0 has 18 synapses, but a core of target 'tiny' holds 16 (core.synapse_memory)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x6xf32>, delay = dense<0> : tensor<1x6xi32>}
  snn.projection @b @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x6xf32>, delay = dense<1> : tensor<1x6xi32>}
  snn.projection @c @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x6xf32>, delay = dense<1> : tensor<1x6xi32>}
  snn.output @h
}

// -----

snn.network @delay attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w1 @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{synapse (target 0 of @o, source 0 of @h) has delay 9, but target 'tiny' holds delays below 8 (run snn-delay-extension{max-delay=8})}}
  snn.projection @w2 @h -> @o {max_delay = 12 : i64,
      weight = dense<0.5> : tensor<1x1xf32>, delay = dense<9> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// 40 neurons need 10 cores of 4; the target has 2 chips of 4 cores.
// expected-error @+1 {{needs at least 10 cores (40 neurons, 40 synapses), but target 'tiny' offers 8 (2 chips x 4 cores)}}
snn.network @large attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 40 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<40x1xf32>, delay = dense<0> : tensor<40x1xi32>}
  snn.output @h
}
