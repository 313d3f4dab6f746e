// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V22: a `relay` lif population has the shape of SNN-I10 — subtract
// reset, threshold 1, full decay, no bias — and one input synapse of weight 2
// per neuron.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V22: a relay must reset by subtraction (a hard-reset relay drops bursts, SNN-I10)}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, relay}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: a relay has threshold 1, got 0.5}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, threshold = 0.5 : f64, reset = #snn.reset<subtract>, relay}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: a relay has no 'bias', 'tau_syn' or 'dropout'}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, bias = dense<0.5> : tensor<1xf32>, relay}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: a relay needs full decay (beta = 0 under linear decay, beta <= e^-64 under exp): 'tau_mem' must be dt = 0.001, got 0.002}}
  snn.lif @r {size = 1 : i64, tau_mem = 2.0e-03 : f64, reset = #snn.reset<subtract>, relay}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, decay = #snn.decay<exp>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: a relay needs full decay (beta = 0 under linear decay, beta <= e^-64 under exp): 'tau_mem' must be <= dt/64 = 1.5625e-05, got 0.001}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: a relay's 'v_decay' must zero the state (4096 for mul12 decay)}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay,
      v_threshold = dense<1> : tensor<1xi32>, v_decay = 0 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V22: relay 1 has integer threshold 2, not 1}}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay,
      v_threshold = dense<[1, 2]> : tensor<2xi32>, v_decay = 0 : i64}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V22: relay population @r receives more than one projection}}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @l1 @a -> @r {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>,
      col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<2.0> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.sparse_projection @l2 @a -> @r {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>,
      col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<2.0> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.output @r
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V22: relay 1 of @r has input weight 1, not 2}}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @l1 @a -> @r {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>,
      col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<[2.0, 1.0]> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.output @r
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V22: relay 0 of @r has 2 input synapses, not 1}}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.projection @l1 @a -> @r {max_delay = 4 : i64, weight = dense<2.0> : tensor<2x2xf32>,
      mask = dense<[[true, true], [false, true]]> : tensor<2x2xi1>, delay = dense<3> : tensor<2x2xi32>}
  snn.output @r
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 8 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<4> : tensor<1xi32>, v_decay = 205 : i64}
  // expected-error @+1 {{SNN-V22: the input of relay population @r must have weight_scale 1}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay,
      v_threshold = dense<1> : tensor<1xi32>, v_decay = 4096 : i64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1> : tensor<1x1xi8>,
      weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @l1 @a -> @r {max_delay = 4 : i64, weight = dense<2> : tensor<1x1xi8>,
      weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.output @r
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V22: relay population @r has a batchnorm (@bn)}}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ar @a -> @r {max_delay = 4 : i64, weight = dense<2.0> : tensor<1x1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.batchnorm @bn {target = @r, gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>}
  snn.output @r
}
