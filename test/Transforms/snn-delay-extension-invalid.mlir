// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-delay-extension="max-delay=4 relays=false"
// RUN: not snn-opt %s -split-input-file --snn-delay-extension=max-delay=4 2>&1 | FileCheck %s --check-prefix=RELAYS
// RUN: not snn-opt %s -split-input-file --snn-delay-extension=max-delay=0 2>&1 | FileCheck %s --check-prefix=OPTION
// Every diagnostic of snn-delay-extension.

// OPTION: error: snn-delay-extension: 'max-delay' must be >= 1, got 0

snn.network @disabled attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @b {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  // expected-error @+1 {{synapse (target 1, source 0) of @ab has delay 6, not below max-delay 4, and relays are disabled}}
  snn.projection @ab @a -> @b {max_delay = 8 : i64,
      weight = dense<1.0> : tensor<2x2xf32>, delay = dense<[[0, 3], [6, 7]]> : tensor<2x2xi32>}
  snn.output @b
}

// -----

// RELAYS: error: 'snn.projection' op synapse (target 0, source 1) of @ib has delay 5 >= max-delay 4, but its source @in is a frame input: relays carry spikes, not real-valued input frames (SNN-F1, SNN-I10), so this delay cannot be extended
snn.network @input attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.li @b {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{synapse (target 0, source 1) of @ib has delay 5, not below max-delay 4, and relays are disabled}}
  snn.projection @ib @in -> @b {max_delay = 8 : i64,
      weight = dense<1.0> : tensor<1x2xf32>, delay = dense<[[0, 5]]> : tensor<1x2xi32>}
  snn.output @b
}

// -----

// A spike input relays only when every event brings at least 1 through the
// relay's weight 2 (scale >= 1), or a relay that just fired would miss it.
// RELAYS: error: 'snn.projection' op synapse (target 0, source 1) of @ib has delay 5 >= max-delay 4, but its source @in is a spike input with scale 0.25: a relay (weight 2, threshold 1, SNN-I10) passes every spike only for scale >= 1 (1 in an integer network)
snn.network @weakspikes attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64, encoding = #snn.encoding<spikes>, scale = 0.25 : f64}
  snn.li @b {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{synapse (target 0, source 1) of @ib has delay 5, not below max-delay 4, and relays are disabled}}
  snn.projection @ib @in -> @b {max_delay = 8 : i64,
      weight = dense<1.0> : tensor<1x2xf32>, delay = dense<[[0, 5]]> : tensor<1x2xi32>}
  snn.output @b
}

// -----

// RELAYS: error: 'snn.projection' op needs relays for synapse (target 0, source 0), but a relay's input weight 2 does not fit weight_bits = 2 (SNN-I10 needs at least 3)
snn.network @bits attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<1> : tensor<1xi32>, v_decay = 205 : i64}
  snn.li @b {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 2 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{synapse (target 0, source 0) of @ab has delay 4, not below max-delay 4, and relays are disabled}}
  snn.projection @ab @a -> @b {max_delay = 8 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 2 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<4> : tensor<1x1xi32>}
  snn.output @b
}

// -----

snn.network @dcls attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @b {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{has DCLS positions: run snn-discretize-delays before snn-delay-extension (SNN-F4)}}
  snn.projection @p @in -> @b {max_delay = 9 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, position = dense<0.0> : tensor<1x1xf32>, sigma = 0.0 : f64}
  snn.output @b
}

// -----

snn.network @relayed attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<[[1.0], [0.5]]> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  // expected-error @+1 {{feeds relay population @r with delay 7 >= max-delay 4: relays were built for a larger max-delay; run snn-delay-extension once, with the smallest max-delay (SNN-V22 keeps one input per relay)}}
  snn.sparse_projection @ar @a -> @r {max_delay = 8 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<2.0> : tensor<2xf32>, delay = dense<7> : tensor<2xi32>}
  snn.projection @ro @r -> @o {max_delay = 1 : i64,
      weight = dense<[[0.25, -0.5]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}
