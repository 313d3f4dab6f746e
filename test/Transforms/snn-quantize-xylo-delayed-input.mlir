// RUN: snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false" | FileCheck %s
// A delayed input synapse reaches its target on Xylo from a relay neuron,
// through weights_rec (SNN-X13, docs/formats/xylo.md), so the input and
// recurrent matrices then share one shift, the larger: the export (snnc
// compile --target xylo-audio) holds every effective weight exactly.
//
// As @shared in snn-quantize-xylo.mlir (weights_in alone needs shift 5,
// weights_rec 7), but @ia has delay 1: weights_in takes shift 7 too, @ia's
// mantissa becomes rne(4064 / 128) = rne(31.75) = 32 (32 * 128 = 4096).
// CHECK-LABEL: snn.network @delayed
// CHECK: snn.projection @ia @in -> @a {delay = dense<1> : tensor<1x1xi32>, max_delay = 2 : i64, weight = dense<32> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 7 : i64
// CHECK: snn.projection @ab @a -> @b {{{.*}}weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 7 : i64
// CHECK: snn.projection @ac @a -> @c {{{.*}}weight = dense<16> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 7 : i64
// CHECK: snn.projection @bo @b -> @o {{{.*}}weight_exp = 0 : i64
snn.network @delayed attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @b {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @c {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ia @in -> @a {max_delay = 2 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<1> : tensor<1x1xi32>}
  snn.projection @ab @a -> @b {max_delay = 4 : i64, weight = dense<4.0> : tensor<1x1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.projection @ac @a -> @c {max_delay = 1 : i64, weight = dense<0.5> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @bo @b -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @co @c -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// The same network with @ia undelayed keeps its own shift, 5 (mantissa 127).
// CHECK-LABEL: snn.network @undelayed
// CHECK: snn.projection @ia @in -> @a {{{.*}}weight = dense<127> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_exp = 5 : i64
// CHECK: snn.projection @ab @a -> @b {{{.*}}weight_exp = 7 : i64
snn.network @undelayed attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.lif @b {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ia @in -> @a {max_delay = 2 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ab @a -> @b {max_delay = 4 : i64, weight = dense<4.0> : tensor<1x1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.projection @bo @b -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
