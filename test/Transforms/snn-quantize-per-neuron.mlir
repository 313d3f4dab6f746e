// RUN: snn-opt %s --snn-quantize | FileCheck %s
// RUN: snn-opt %s --snn-quantize="decay=shift" | FileCheck %s --check-prefix=SHIFT
// Per-neuron time constants and thresholds (SNN-V23) become one integer decay
// and threshold per neuron (SNN-I4, SNN-I9); a CuBa readout (NIR CubaLI) gets
// i_decay (SNN-I7). mul12: d = rne(4096 dt/tau), dt = 0.1 ms:
//   @h tau 0.5, 0.4, 0.8, 0.3 ms -> 819, 1024, 512, 1365 (scalar = neuron 0)
//   @o tau_mem 0.6, 0.9 ms -> 683, 455; tau_syn 0.2, 0.3 ms -> 2048, 1365
// CHECK: snn.lif @h {{{.*}}v_decay = 819 : i64, v_decay_per_neuron = dense<[819, 1024, 512, 1365]> : tensor<4xi32>, v_threshold = dense<[2032, 2371, 1626, 2032]> : tensor<4xi32>}
// CHECK: snn.li @o {i_decay = 2048 : i64, i_decay_per_neuron = dense<[2048, 1365]> : tensor<2xi32>, {{.*}}v_decay = 683 : i64, v_decay_per_neuron = dense<[683, 455]> : tensor<2xi32>}
// shift: k = rne(-log2(dt/tau)): @h 2.32, 2, 3, 1.58 -> 2, 2, 3, 2.
// SHIFT: snn.lif @h {{{.*}}v_decay = 2 : i64, v_decay_per_neuron = dense<[2, 2, 3, 2]> : tensor<4xi32>
// Equal decays need no per-neuron array: @o's tau_syn 0.2, 0.3 ms -> k = 1, 2;
// tau_mem 0.6, 0.9 ms -> 2.58, 3.17 -> 3, 3.
// SHIFT: snn.li @o {i_decay = 1 : i64, i_decay_per_neuron = dense<[1, 2]> : tensor<2xi32>, {{.*}}v_decay = 3 : i64}
snn.network @cubali attributes {dt = 1.0e-04 : f64, steps = 16 : i64} {
  snn.input @in {size = 3 : i64}
  snn.lif @h {size = 4 : i64, tau_mem = 5.0e-04 : f64, tau_mem_per_neuron = dense<[5.0e-04, 4.0e-04, 8.0e-04, 3.0e-04]> : tensor<4xf64>,
              threshold = 0.5 : f64, threshold_per_neuron = dense<[0.5, 0.7, 0.4, 0.6]> : tensor<4xf64>, reset = #snn.reset<subtract>}
  snn.li @o {size = 2 : i64, tau_mem = 6.0e-04 : f64, tau_mem_per_neuron = dense<[6.0e-04, 9.0e-04]> : tensor<2xf64>,
             tau_syn = 2.0e-04 : f64, tau_syn_per_neuron = dense<[2.0e-04, 3.0e-04]> : tensor<2xf64>}
  snn.projection @ih @in -> @h {max_delay = 3 : i64,
      weight = dense<[[0.5, 0.3, -0.2], [0.4, -0.1, 0.6], [0.2, 0.5, 0.1], [-0.3, 0.6, 0.4]]> : tensor<4x3xf32>,
      delay = dense<[[0, 1, 2], [2, 0, 1], [1, 1, 0], [0, 2, 2]]> : tensor<4x3xi32>}
  snn.projection @ho @h -> @o {max_delay = 2 : i64,
      weight = dense<[[0.7, -0.4, 0.5, 0.3], [-0.2, 0.6, 0.4, -0.5]]> : tensor<2x4xf32>,
      delay = dense<[[0, 1, 0, 1], [1, 0, 1, 0]]> : tensor<2x4xi32>}
  snn.output @o
}
