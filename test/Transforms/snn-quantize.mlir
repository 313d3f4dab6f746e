// RUN: snn-opt %s --snn-quantize | FileCheck %s --check-prefix=NEURON
// RUN: snn-opt %s --snn-quantize=per-neuron-scale=false | FileCheck %s --check-prefix=LAYER
// RUN: snn-opt %s --snn-quantize="decay=shift weight-bits=12" | FileCheck %s --check-prefix=SHIFT
// RUN: snn-opt %s --snn-quantize | snn-opt --verify-roundtrip | FileCheck %s --check-prefix=NEURON
// RUN: snn-opt %s --snn-quantize | FileCheck %s --check-prefix=RELAY
// RUN: snn-opt %s --snn-quantize=remarks=true -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// SNN-I9 by hand. dt = 1 ms, tau = 20 ms: beta = 0.95.
// Frame input, 4 fractional bits: one input unit is 1/16, scale 1 -> 16.
// @ih effective weights W/16 = [[1/32, -1/64], [1/16, 1/128]].
// Per neuron (8 bits, max 127): u0 = (1/32)/127, u1 = (1/16)/127;
//   w = [[127, rne(-63.5) = -64], [127, rne(15.875) = 16]];
//   threshold 1/u = [4064, 2032]; bias [0.1, -0.2]/u = [406.4, -406.4] -> [406, -406].
// Per layer: u = (1/16)/127 for both: w = [[rne(63.5) = 64, rne(-31.75) = -32], [127, 16]],
//   threshold [2032, 2032], bias [203.2, -406.4] -> [203, -406].
// @ho from spikes (unit 1): [[2, -1]] -> u = 2/127, w = [127, rne(-63.5) = -64].
// mul12: d = rne(4096 * 0.05) = rne(204.8) = 205; shift: k = rne(-log2 0.05) = rne(4.32) = 4.

// NEURON: snn.network @q attributes {dt = 1.000000e-03 : f64, int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64, steps = 10 : i64}
// NEURON: snn.input @in {scale = 1.600000e+01 : f64, size = 2 : i64}
// NEURON: snn.lif @h {bias = dense<[406, -406]> : tensor<2xi32>, size = 2 : i64, tau_mem = 2.000000e-02 : f64, v_decay = 205 : i64, v_threshold = dense<[4064, 2032]> : tensor<2xi32>}
// NEURON: snn.li @o {size = 1 : i64, tau_mem = 2.000000e-02 : f64, v_decay = 205 : i64}
// NEURON: snn.projection @ih @in -> @h {delay = dense<[{{\[}}0, 1], [2, 3]]> : tensor<2x2xi32>, max_delay = 4 : i64, weight = dense<{{\[\[}}127, -64], [127, 16]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_scale = dense<[2.460630e-04, 4.921260e-04]> : tensor<2xf32>}
// NEURON: snn.projection @ho @h -> @o {{{.*}}weight = dense<{{\[\[}}127, -64]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_scale = dense<0.0157480314> : tensor<1xf32>}

// Errors: @ih row 0: -1/64 is -63.5 u0, stored -64 (0.5 u0 off); row 1: 1/128 is
// 15.875 u1, stored 16 (0.125 u1 off); RMS over 4 synapses relative to 1/16.
// REMARK: remark: snn-quantize: @ih: 8-bit weights, per-neuron scale; RMS weight error 0.00110043 of the largest |w|; 0 of 4 synapses rounded to 0
// REMARK: remark: snn-quantize: @ho: 8-bit weights, per-neuron scale; RMS weight error 0.00278388 of the largest |w|; 0 of 2 synapses rounded to 0

// LAYER: snn.lif @h {bias = dense<[203, -406]> : tensor<2xi32>, {{.*}}v_threshold = dense<2032> : tensor<2xi32>}
// LAYER: snn.projection @ih @in -> @h {{{.*}}weight = dense<{{\[\[}}64, -32], [127, 16]]> : tensor<2x2xi8>, weight_bits = 8 : i64, weight_scale = dense<4.921260e-04> : tensor<1xf32>}

// 12 bits (max 2047), stored as i16: u = [(1/32)/2047, (1/16)/2047];
//   w = [[2047, rne(-1023.5) = -1024], [2047, rne(255.875) = 256]];
//   threshold [65504, 32752]; bias [6550.4, -6550.4] -> [6550, -6550].
// SHIFT: int_decay = #snn.int_decay<shift>, int_state_bits = 24 : i64
// SHIFT: snn.lif @h {bias = dense<[6550, -6550]> : tensor<2xi32>, {{.*}}v_decay = 4 : i64, v_threshold = dense<[65504, 32752]> : tensor<2xi32>}
// SHIFT: snn.li @o {{{.*}}v_decay = 4 : i64}
// SHIFT: weight = dense<{{\[\[}}2047, -1024], [2047, 256]]> : tensor<2x2xi16>, weight_bits = 12 : i64
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

// A relay population (SNN-I10, SNN-V22) keeps unit 1 whatever its neighbours
// get: threshold 1, input weight 2, weight_scale 1, decay that zeroes it.
// RELAY-LABEL: snn.network @relay
// RELAY: snn.lif @r {relay, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 1.000000e-03 : f64, v_decay = 4096 : i64, v_threshold = dense<1> : tensor<2xi32>}
// RELAY: snn.sparse_projection @ar @a -> @r {{{.*}}weight = dense<2> : tensor<2xi8>, weight_bits = 8 : i64, weight_scale = dense<1.000000e+00> : tensor<2xf32>}
// RELAY: snn.projection @ro @r -> @o {{{.*}}weight = dense<{{\[\[}}64, -127]]> : tensor<1x2xi8>
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
