// RUN: snn-opt %s --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false" | FileCheck %s
// RUN: snn-opt %s --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false" | snn-opt --verify-roundtrip | FileCheck %s
// The lava-cuba map (snn-quantize, SNN-L rules) by hand. dt = 1 ms, tau = 20 ms.
// One unit per population: u = max|W q| / 127, at least theta / (2^17 - 1).
// @ih: frame input, q = 1/16: W q = [[1/32, -1/64], [1/16, 1/128]], u = (1/16)/127:
//   mantissas [[rne(63.5) = 64, rne(-31.75) = -32], [127, rne(15.875) = 16]], weight_exp 0;
//   vth = rne(1/u) = 2032 (Lava spikes at v > 2032 * 64);
//   bias in weight units rne([0.1, -0.2] / u) = rne([203.2, -406.4]) = [203, -406], within
//   the 13-bit mantissa (4095), in state units << 6 = [12992, -25984] (bias_exp 6).
// @ho: spikes, W = [[2, -1]]: u = 2/127, mantissas [127, rne(-63.5) = -64].
// Decays: v_decay = rne(4096 * 0.05) = 205; no tau_syn, so no i_decay (Lava's du = 4095).

// CHECK: snn.network @q attributes {dt = 1.000000e-03 : f64, int_arithmetic = #snn.arithmetic<lava_cuba>, int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64, steps = 10 : i64}
// CHECK: snn.lif @h {bias = dense<[12992, -25984]> : tensor<2xi32>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, v_decay = 205 : i64, v_threshold = dense<2032> : tensor<2xi32>}
// CHECK: snn.li @o {size = 1 : i64, tau_mem = 2.000000e-02 : f64, v_decay = 205 : i64}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<{{\[\[}}64, -32], [127, 16]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<4.921260e-04> : tensor<1xf32>}
// CHECK: snn.projection @ho @h -> @o {{{.*}}weight = dense<{{\[\[}}127, -64]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<0.0157480314> : tensor<1xf32>}
snn.network @q attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias = dense<[0.1, -0.2]> : tensor<2xf32>}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ih @in -> @h {max_delay = 4 : i64,
      weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf32>,
      delay = dense<[[0, 1], [2, 3]]> : tensor<2x2xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64,
      weight = dense<[[2.0, -1.0]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// A CuBa population: tau_syn = 5 ms, i_decay = rne(4096 * 0.2) = 819. A
// threshold large against the weights raises the unit to theta / (2^17 - 1).
// CHECK-LABEL: snn.network @cuba
// CHECK: snn.lif @h {i_decay = 819 : i64, {{.*}}v_decay = 205 : i64, v_threshold = dense<131071> : tensor<1xi32>}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight = dense<1> : tensor<1x1xi8>
snn.network @cuba attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, threshold = 131071.0 : f64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// A relay becomes Lava's relay (SNN-V29): threshold 0, v_decay 4095, input
// weight 1 with weight_exp 0 and weight_scale 1.
// CHECK-LABEL: snn.network @relay
// CHECK: snn.lif @r {relay, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 1.000000e-03 : f64, v_decay = 4095 : i64, v_threshold = dense<0> : tensor<2xi32>}
// CHECK: snn.sparse_projection @ar @a -> @r {{{.*}}weight = dense<1> : tensor<2xi8>, weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<1.000000e+00> : tensor<1xf32>}
snn.network @relay attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<[[0.5], [0.25]]> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @ar @a -> @r {max_delay = 4 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<2.0> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.projection @ro @r -> @o {max_delay = 1 : i64,
      weight = dense<[[0.3, -0.6]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// A bias large against the weights raises the unit to |bias| / 4095 (the 13-bit
// mantissa): u = 100 / 4095, so the weight 1 becomes rne(40.95) = 41 and the bias
// 4095 << 6 = 262080.
// CHECK-LABEL: snn.network @big_bias
// CHECK: snn.li @o {bias = dense<262080> : tensor<1xi32>
// CHECK: snn.projection @p @in -> @o {{{.*}}weight = dense<41> : tensor<1x1xi8>
snn.network @big_bias attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, bias = dense<100.0> : tensor<1xf32>}
  snn.projection @p @in -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
