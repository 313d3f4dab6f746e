// RUN: %snn-gen-network paper --seed 5 -o %t.paper.mlir
// RUN: snn-opt %t.paper.mlir --pass-pipeline="builtin.module(snn-lower{weight-bits=8 per-neuron-scale=true max-delay=25 prune-density=0.5})" -o %t.lowered.mlir
// RUN: FileCheck %s --check-prefix=PAPER < %t.lowered.mlir
// RUN: snn-opt %t.lowered.mlir --verify-roundtrip > /dev/null
// RUN: snn-opt %t.paper.mlir --snn-lower="decay=shift state-bits=16 weight-bits=6 per-neuron-scale=false max-fan-in=8" | FileCheck %s --check-prefix=SHIFT
// RUN: not snn-opt %t.paper.mlir --snn-lower=max-delay=16 -o /dev/null 2>&1 | FileCheck %s --check-prefix=INPUT
// RUN: %snn-gen-network cuba -o %t.cuba.mlir
// RUN: snn-opt %t.cuba.mlir --snn-lower | FileCheck %s --check-prefix=CUBA
// RUN: snn-opt %s --snn-lower="max-delay=4 weight-bits=4" | FileCheck %s --check-prefix=RELAY
// RUN: snn-opt %s --snn-lower="target=loihi2 weight-bits=4" | FileCheck %s --check-prefix=LOIHI2
// RUN: not snn-opt %s --snn-lower="target=xylo-audio max-delay=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=XYLO
// RUN: snn-opt %s --snn-lower=target=xylo-audio | FileCheck %s --check-prefix=NATIVE
// RUN: not snn-opt %s --snn-lower=target=xylo -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// The registered lowering pipeline (lib/Pipelines): fold-batchnorm,
// discretize-delays, prune, quantize, delay-extension.

// The paper's network (docs/reference.md §1) to an 8-bit integer network: no
// batchnorm, no positions, integer weights with per-neuron scales, delays
// within the 25 slots, half of each projection's synapses pruned away.
// PAPER: snn.network @paper attributes {dt = 1.000000e-02 : f64, int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64, steps = 100 : i64}
// PAPER: snn.input @in {scale = 3.200000e+02 : f64, size = 40 : i64}
// PAPER: snn.lif @hidden {bias = dense_resource<{{.*}}> : tensor<256xi32>, {{.*}}v_decay = 408 : i64, v_threshold = dense_resource<{{.*}}> : tensor<256xi32>}
// PAPER: snn.li @readout {size = 20 : i64, tau_mem = 1.005000e-01 : f64, v_decay = 408 : i64}
// PAPER: snn.projection @fc1 @in -> @hidden {delay = dense_resource<{{.*}}> : tensor<256x40xi32>, mask = dense_resource<{{.*}}> : tensor<256x40xi1>, max_delay = 25 : i64, weight = dense_resource<{{.*}}> : tensor<256x40xi8>, weight_bits = 8 : i64, weight_scale = dense_resource<{{.*}}> : tensor<256xf32>}
// PAPER-NOT: snn.batchnorm
// PAPER: snn.projection @fc2 @hidden -> @readout {delay = dense_resource<{{.*}}> : tensor<20x256xi32>, mask = dense_resource<{{.*}}> : tensor<20x256xi1>, max_delay = 25 : i64, weight = dense_resource<{{.*}}> : tensor<20x256xi8>, weight_bits = 8 : i64, weight_scale = dense_resource<{{.*}}> : tensor<20xf32>}
// PAPER-NOT: position
// PAPER-NOT: sigma
// PAPER-NOT: snn.batchnorm

// Xylo-like: shift decay k = rne(-log2(1/10.05)) = rne(3.33) = 3, 6-bit
// weights, one scale per layer, fan-in 8.
// SHIFT: int_decay = #snn.int_decay<shift>, int_state_bits = 16 : i64
// SHIFT: snn.lif @hidden {{{.*}}v_decay = 3 : i64
// SHIFT: snn.projection @fc1 @in -> @hidden {{{.*}}weight = dense_resource<{{.*}}> : tensor<256x40xi8>, weight_bits = 6 : i64, weight_scale = dense<{{.*}}> : tensor<1xf32>}

// fc1's long delays come from the input population, whose graded values no
// relay can carry.
// INPUT: error: 'snn.projection' op synapse (target {{[0-9]+}}, source {{[0-9]+}}) of @fc1 has delay {{[0-9]+}} >= max-delay 16, but its source @in is a frame input

// CuBa (exp decay, dt = 1 ms): tau_mem 20 ms -> d = rne(4096 (1 - e^-0.05)) = rne(199.8) = 200;
// tau_syn 5 ms -> d = rne(4096 (1 - e^-0.2)) = rne(742.5) = 742.
// CUBA: snn.lif @hidden {bias = dense_resource<{{.*}}> : tensor<32xi32>, i_decay = 742 : i64, {{.*}}v_decay = 200 : i64

// A hidden-to-hidden delay of 9 steps with 4 slots: two relay stages, and
// the synapse leaves the second with delay 1.
// RELAY: snn.network @relay attributes {{{.*}}int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64
// RELAY: snn.projection @ab @a -> @b {{{.*}}mask = dense<{{\[\[}}true, false]]> : tensor<1x2xi1>, max_delay = 4 : i64
// RELAY: snn.lif @ab_relay1 {relay, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 1.000000e-02 : f64, v_decay = 4096 : i64, v_threshold = dense<1> : tensor<1xi32>}
// RELAY: snn.sparse_projection @ab_relay1_in @a -> @ab_relay1 {col_idx = dense<1> : tensor<1xi32>, delay = dense<3> : tensor<1xi32>, {{.*}}weight = dense<2> : tensor<1xi8>, weight_bits = 4 : i64, weight_scale = dense<1.000000e+00> : tensor<1xf32>}
// RELAY: snn.lif @ab_relay2
// RELAY: snn.sparse_projection @ab_d2 @ab_relay2 -> @b {col_idx = dense<0> : tensor<1xi32>, delay = dense<1> : tensor<1xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1]> : tensor<2xi64>, weight = dense<-7> : tensor<1xi8>
snn.network @relay attributes {dt = 1.0e-02 : f64, steps = 20 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 2 : i64, tau_mem = 0.1 : f64}
  snn.li @b {size = 1 : i64, tau_mem = 0.1 : f64}
  snn.projection @ia @in -> @a {max_delay = 4 : i64,
      weight = dense<[[1.0], [2.0]]> : tensor<2x1xf32>, delay = dense<[[0], [3]]> : tensor<2x1xi32>}
  snn.projection @ab @a -> @b {max_delay = 10 : i64,
      weight = dense<[[0.5, -0.5]]> : tensor<1x2xf32>, delay = dense<[[2, 9]]> : tensor<1x2xi32>}
  snn.output @b
}

// Target presets set bits, decay and delay slots; explicit options win.
// LOIHI2: snn.network @relay attributes {{{.*}}int_decay = #snn.int_decay<mul12>, int_state_bits = 24 : i64
// LOIHI2-NOT: relay1
// LOIHI2: snn.projection @ab @a -> @b {delay = dense<{{\[\[}}2, 9]]> : tensor<1x2xi32>, max_delay = 10 : i64, {{.*}}weight_bits = 4 : i64
// Xylo keeps delays on the synapses (its relays are the exporter's,
// SNN-X13): relays asked for explicitly (max-delay 1) are refused, since
// SNN-I10's relay fires twice under Xylo's multi-spike neuron.
// XYLO: error: 'snn.projection' op has delays of 1 steps or more, but under Xylo's arithmetic delays stay on the synapses
// NATIVE: snn.network @relay attributes {{{.*}}int_arithmetic = #snn.arithmetic<xylo_iaf>, int_decay = #snn.int_decay<shift>, int_state_bits = 16 : i64
// NATIVE-NOT: relay1
// NATIVE: snn.projection @ab @a -> @b {delay = dense<{{\[\[}}2, 9]]> : tensor<1x2xi32>
// UNKNOWN: error: snn-lower: unknown target 'xylo' (presets: loihi, loihi2, truenorth, spinnaker, xylo-audio, generic; or a FILE.json, see docs/targets.md)
