// RUN: snn-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// SNN-V33: under Xylo's arithmetic the projections form Xylo's three
// matrices (from an input: weights_in; into an li: weights_out, never from
// an input; else weights_rec), and the projections of one matrix share its
// weight shift 'weight_exp' (SNN-X3, SNN-X10); a delayed synapse from an
// input reaches its target from a relay, through weights_rec (SNN-X13).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, v_decay = 3 : i64, i_decay = 1 : i64}
  // expected-error @+1 {{SNN-V33: under Xylo's arithmetic no projection joins an input to an li population (Xylo has no synapses from input channels to output neurons)}}
  snn.projection @io @in -> @o {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.lif @g {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 2 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @hg @h -> @g {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 3 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{SNN-V33: 'weight_exp' = 1 differs from the 2 of @ih, which lies in the same Xylo matrix weights_in (one weight shift per matrix)}}
  snn.projection @ig @in -> @g {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 1 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// The three matrices may differ; two projections into the li share
// weights_out.
// CHECK-LABEL: snn.network @ok
snn.network @ok attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.lif @g {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 2 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @hg @h -> @g {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 3 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @go @g -> @o {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// A delayed synapse from an input lies in weights_rec (SNN-X13).
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.lif @g {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, v_threshold = dense<100> : tensor<1xi32>, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.projection @hg @h -> @g {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 3 : i64, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{SNN-V33: 'weight_exp' = 2 differs from the 3 of @hg, which lies in the same Xylo matrix weights_rec (one weight shift per matrix; a delayed input synapse reaches its target through weights_rec)}}
  snn.projection @ih @in -> @h {max_delay = 3 : i64, weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 2 : i64, delay = dense<2> : tensor<1x1xi32>}
  snn.output @g
}
