// RUN: snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | FileCheck %s
// RUN: snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | snn-opt -split-input-file --verify-roundtrip | FileCheck %s
// The xylo-iaf map (SNN-X14, snn-quantize under xylo-iaf) by hand. dt = 1 ms,
// tau_mem = 8 ms: leak 1/8, dash 3; tau_syn = 2 ms: leak 1/2, dash 1, so
// Xylo's current keeps b = 1 - 2^-1 = 1/2 of each input: weights W q / b = 2 W.
// @h: frame input counted in events (q = 1): 2W = [[1, -0.5], [2, 0.25]],
//   snnc's unit 2/127. Refined by 2^r while the largest one-step input (neuron
//   1: 15 events x (2 + 0.25) = 33.75) stays within int16: r = 3 (33.75 x 508
//   = 17145; r = 4 gives 34290 > 32767): u = 1/508, theta 508, bias
//   rne([50.8, -101.6]) = [51, -102]. weights_in: the largest weight 1016
//   units needs shift 3 (1016 / 8 = 127): mantissas rne(2W * 63.5) =
//   [[64, -32], [127, 16]].
// @o (li, output neurons): 2W = [4, -2], keeps u = 4/127, weights_out shift
//   0, mantissas [127, rne(-63.5) = -64].
// The frame input's scale stays 1 (absent): a frame value is an event count.

// CHECK: snn.network @q attributes {dt = 1.000000e-03 : f64, int_arithmetic = #snn.arithmetic<xylo_iaf>, int_decay = #snn.int_decay<shift>, int_state_bits = 16 : i64, steps = 10 : i64}
// CHECK: snn.input @in {size = 2 : i64}
// CHECK: snn.lif @h {bias = dense<[51, -102]> : tensor<2xi32>, i_decay = 1 : i64, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64, v_threshold = dense<508> : tensor<2xi32>}
// CHECK: snn.li @o {i_decay = 1 : i64, size = 1 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<{{\[\[}}64, -32], [127, 16]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_exp = 3 : i64, weight_scale = dense<0.00196850393> : tensor<1xf32>}
// CHECK: snn.projection @ho @h -> @o {{{.*}}weight = dense<{{\[\[}}127, -64]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<0.0314960629> : tensor<1xf32>}
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

// One shift per matrix: @b and @c both lie in weights_rec (all weights
// doubled by the dash-1 current gain, as above). @a (2W = 2 from a channel
// of up to 15 events: one-step input 30): refined by 2^4 to u = 1/1016
// (30 x 1016 = 30480), theta 1016, weights_in shift 4. @b (2W = 8 from a
// spiking lif, theta 1): refined by 2^8 to u = 1/4064 (theta 4064 <= 2^12,
// one-step input 32512), its weight 32512 units needs shift 8. @c (2W = 1):
// refined by 2^5 to u = 1/4064 (theta 4064), its weight 4064 units needs
// shift 5 alone, but shares weights_rec's shift 8: mantissa rne(4064 / 256) = 16.
// Delays stay on the synapses (Xylo's relays are implicit, SNN-X13).
// CHECK-LABEL: snn.network @shared
// CHECK: snn.lif @a {i_decay = 1 : i64, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 8.000000e-03 : f64, tau_syn = 2.000000e-03 : f64, v_decay = 3 : i64, v_threshold = dense<1016> : tensor<1xi32>}
// CHECK: snn.lif @b {{{.*}}v_threshold = dense<4064> : tensor<1xi32>}
// CHECK: snn.lif @c {{{.*}}v_threshold = dense<4064> : tensor<1xi32>}
// CHECK: snn.projection @ia @in -> @a {delay = dense<0> : tensor<1x1xi32>, max_delay = 1 : i64, weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 4 : i64
// CHECK: snn.projection @ab @a -> @b {delay = dense<3> : tensor<1x1xi32>, max_delay = 4 : i64, weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 8 : i64
// CHECK: snn.projection @ac @a -> @c {{{.*}}weight = dense<16> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 8 : i64
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
// unit is theta / 32767 = 1 (SNN-I9), r = 0; the weight 2W = 2 needs no shift.
// CHECK-LABEL: snn.network @big
// CHECK: snn.lif @h {{{.*}}v_threshold = dense<32767> : tensor<1xi32>}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<2> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64
snn.network @big attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, threshold = 32767.0 : f64}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// A delayed synapse from an input channel reaches its target from the last
// relay of its chain, through weights_rec (SNN-X13): a projection has one
// weight_exp, so weights_in and weights_rec get one shift, the larger: @ab's
// 8 here, where @ia alone needs 3 (its mantissas drop from [127, 64] to
// rne([1016, 508] / 256) = [4, 2]: the price of one shift).
// CHECK-LABEL: snn.network @chains
// CHECK: snn.projection @ia @in -> @a {delay = dense<{{\[\[}}0, 2]]> : tensor<1x2xi32>, max_delay = 3 : i64, weight = dense<{{\[\[}}4, 2]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_exp = [[S:8]] : i64
// CHECK: snn.projection @ab @a -> @b {{{.*}}weight_exp = [[S]] : i64
snn.network @chains attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @b {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ia @in -> @a {max_delay = 3 : i64, weight = dense<[[1.0, 0.5]]> : tensor<1x2xf32>, delay = dense<[[0, 2]]> : tensor<1x2xi32>}
  snn.projection @ab @a -> @b {max_delay = 1 : i64, weight = dense<4.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @bo @b -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
