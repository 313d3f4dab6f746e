// RUN: snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | FileCheck %s
// RUN: snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | snn-opt -split-input-file --verify-roundtrip | FileCheck %s
// The xylo-iaf map (snn-quantize, docs/semantics.md "snn-quantize under
// xylo-iaf") by hand. dt = 1 ms, tau_mem = 8 ms: leak 1/8, dash 3;
// tau_syn = 2 ms: leak 1/2, dash 1.
// @h: frame input counted in events (q = 1): W = [[0.5, -0.25], [1, 0.125]],
//   snnc's unit 1/127 gives theta 127; refined by 2^5 (127 * 32 = 4064 <= 2^12,
//   127 * 64 > 2^12): u = 1/4064, theta 4064, bias rne([406.4, -812.8]) =
//   [406, -813]. weights_in: the largest weight 4064 units needs shift 5
//   (4064 / 32 = 127): mantissas rne(W * 127) = [[64, -32], [127, 16]].
// @o (li, output neurons): keeps u = 2/127, weights_out shift 0,
//   mantissas [127, rne(-63.5) = -64].
// The frame input's scale stays 1 (absent): a frame value is an event count.

// CHECK: snn.network @q attributes {dt = 1.000000e-03 : f64, int_arithmetic = #snn.arithmetic<xylo_iaf>, int_decay = #snn.int_decay<shift>, int_state_bits = 16 : i64, steps = 10 : i64}
// CHECK: snn.input @in {size = 2 : i64}
// CHECK: snn.lif @h {bias = dense<[406, -813]> : tensor<2xi32>, i_decay = 1 : i64, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64, v_threshold = dense<4064> : tensor<2xi32>}
// CHECK: snn.li @o {i_decay = 1 : i64, size = 1 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<{{\[\[}}64, -32], [127, 16]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_exp = 5 : i64, weight_scale = dense<2.460630e-04> : tensor<1xf32>}
// CHECK: snn.projection @ho @h -> @o {{{.*}}weight = dense<{{\[\[}}127, -64]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<0.0157480314> : tensor<1xf32>}
snn.network @q attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, bias = dense<[0.1, -0.2]> : tensor<2xf32>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf32>,
      delay = dense<[[0, 1], [2, 3]]> : tensor<2x2xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64,
      weight = dense<[[2.0, -1.0]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// -----

// One shift per matrix: @b and @c both lie in weights_rec. @b (W = 4,
// theta 1): snnc's unit 4/127 gives theta 31.75 -> 32, refined by 2^7 to
// u = 1/4064 (theta 4064), its weight 16256 units needs shift 7. @c (W = 0.5):
// refined by 2^4 to u = 1/4064, its weight 2032 units needs shift 4 alone,
// but shares weights_rec's shift 7: mantissa rne(2032 / 128) = 16.
// Delays stay on the synapses (Xylo's relays are implicit, SNN-X13).
// CHECK-LABEL: snn.network @shared
// CHECK: snn.lif @a {i_decay = 1 : i64, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64, v_threshold = dense<4064> : tensor<1xi32>}
// CHECK: snn.lif @b {{{.*}}v_threshold = dense<4064> : tensor<1xi32>}
// CHECK: snn.lif @c {{{.*}}v_threshold = dense<4064> : tensor<1xi32>}
// CHECK: snn.projection @ia @in -> @a {delay = dense<0> : tensor<1x1xi32>, max_delay = 1 : i64, weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 5 : i64
// CHECK: snn.projection @ab @a -> @b {delay = dense<3> : tensor<1x1xi32>, max_delay = 4 : i64, weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 7 : i64
// CHECK: snn.projection @ac @a -> @c {{{.*}}weight = dense<16> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 7 : i64
// CHECK: snn.projection @bo @b -> @o {{{.*}}weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64
snn.network @shared attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @b {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @c {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ab @a -> @b {max_delay = 4 : i64, weight = dense<4.0> : tensor<1x1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.projection @ac @a -> @c {max_delay = 1 : i64, weight = dense<0.5> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @bo @b -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @co @c -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// A threshold that already fills the state leaves no room to refine: the
// unit is theta / 32767 (SNN-I9), r = 0; the weights need no shift.
// CHECK-LABEL: snn.network @big
// CHECK: snn.lif @h {{{.*}}v_threshold = dense<32767> : tensor<1xi32>}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64
snn.network @big attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, threshold = 32767.0 : f64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
