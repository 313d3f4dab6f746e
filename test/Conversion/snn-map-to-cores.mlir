// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json strategy=sequential})' | FileCheck %s --check-prefix=SEQ
// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json strategy=metis})' | FileCheck %s --check-prefix=METIS
// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json profile=%S/Inputs/tiny-profile.json})' | FileCheck %s --check-prefix=PROFILE
// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=%S/Inputs/tiny-target.json})' | snn-opt | FileCheck %s --check-prefix=METIS
// Three layers on a target of 4 neurons per core: 6 + 2 neurons need 2 cores
// by neuron count; h1 row-major fills core0 (4) and core1 (2 + the readout).

snn.network @tiny attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 4 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h1 {size = 6 : i64, tau_mem = 2.0e-02 : f64, threshold = 1.0 : f64}
  snn.li @out {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w1 @in -> @h1 {max_delay = 4 : i64,
      weight = dense<[[0.5, 0.0, 0.0, 0.0], [0.5, 0.25, 0.0, 0.0],
                      [0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.5, 0.25],
                      [0.25, 0.0, 0.0, 0.5], [0.0, 0.5, 0.0, 0.25]]> : tensor<6x4xf32>,
      delay = dense<[[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1],
                     [3, 0, 1, 2], [0, 1, 2, 3], [1, 2, 3, 0]]> : tensor<6x4xi32>}
  snn.projection @w2 @h1 -> @out {max_delay = 4 : i64,
      weight = dense<[[1.0, 1.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]]> : tensor<2x6xf32>,
      delay = dense<[[0, 1, 0, 0, 2, 0], [0, 0, 3, 1, 0, 2]]> : tensor<2x6xi32>}
  snn.output @out
}

// The sequential fill runs out of axons (6) on core1: the readout's second
// neuron needs a third core.
// SEQ-LABEL: snnhw.system @tiny attributes
// SEQ-SAME: partitioner = #snnhw.partitioner<sequential>
// SEQ-SAME: target = "tiny"
// SEQ: snnhw.population @in {encoding = #snn.encoding<spikes>, kind = #snnhw.kind<input>
// SEQ: snnhw.population @h1 {kind = #snnhw.kind<lif>, reset = #snn.reset<hard>, size = 6 : i64
// SEQ: snnhw.population @out {kind = #snnhw.kind<li>, output, size = 2 : i64
// SEQ: snnhw.core @core0 {
// SEQ-SAME: axon_index = dense<[0, 1, 2, 3]> : tensor<4xi32>
// SEQ-SAME: chip = 0 : i64
// SEQ-SAME: neuron_index = dense<[0, 1, 2, 3]> : tensor<4xi32>
// SEQ-SAME: neuron_pop = dense<1> : tensor<4xi32>
// SEQ-SAME: syn_ptr = dense<[0, 1, 3, 4, 6]> : tensor<5xi64>
// SEQ-SAME: syn_weight = dense<[127, 127, 64, 127, 127, 64]> : tensor<6xi8>
// SEQ-SAME: x = 0 : i64, y = 0 : i64
// SEQ: snnhw.core @core1 {
// SEQ-SAME: axon_pop = dense<[0, 0, 0, 1, 1, 1]> : tensor<6xi32>
// SEQ-SAME: neuron_index = dense<[4, 5, 0]> : tensor<3xi32>
// SEQ-SAME: neuron_pop = dense<[1, 1, 2]> : tensor<3xi32>
// SEQ-SAME: threshold = dense<[254, 254, 8388607]> : tensor<3xi32>
// SEQ-SAME: x = 1 : i64, y = 0 : i64
// SEQ: snnhw.core @core2 {
// SEQ-SAME: x = 0 : i64, y = 1 : i64
// SEQ: snnhw.route @core0 -> @core1 {axons = 2 : i64, hops = 1 : i64, traffic = 2.000000e+00 : f64}
// SEQ: snnhw.route @core0 -> @core2 {axons = 2 : i64, hops = 1 : i64, traffic = 2.000000e+00 : f64}
// SEQ: snnhw.route @core1 -> @core2 {axons = 1 : i64, hops = 2 : i64, traffic = 1.000000e+00 : f64}

// METIS groups each readout neuron with its three sources: 2 cores (the
// lower bound) and no spike leaves a core.
// METIS-LABEL: snnhw.system @tiny
// METIS-SAME: partitioner = #snnhw.partitioner<metis>
// METIS: snnhw.core @core0
// METIS-SAME: neuron_index = dense<[0, 1, 4, 0]> : tensor<4xi32>
// METIS: snnhw.core @core1
// METIS-SAME: neuron_index = dense<[2, 3, 5, 1]> : tensor<4xi32>
// METIS-NOT: snnhw.core @core2
// METIS-NOT: snnhw.route

// PROFILE-LABEL: snnhw.system @tiny
// PROFILE-SAME: partitioner = #snnhw.partitioner<metis>
// PROFILE-NOT: snnhw.core @core2
