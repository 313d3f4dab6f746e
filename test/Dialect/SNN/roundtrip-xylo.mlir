// RUN: snn-opt %s --verify-roundtrip | FileCheck %s
// An integer network under XyloSim's arithmetic (SNN-V30): 16-bit states,
// bitshift decays (dashes), int8 weight mantissas with their matrix's shift
// as weight_exp (SNN-V26, SNN-V32, SNN-V33).

// CHECK: snn.network @xylo attributes {{{.*}}int_arithmetic = #snn.arithmetic<xylo_iaf>, int_decay = #snn.int_decay<shift>, int_state_bits = 16 : i64
// CHECK: snn.lif @h {{{.*}}i_decay = 1 : i64, {{.*}}v_decay = 2 : i64, v_threshold = dense<100> : tensor<2xi32>}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight_bits = 8 : i64, weight_exp = 2 : i64
snn.network @xylo attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 4.0e-03 : f64, tau_syn = 2.0e-03 : f64,
      v_threshold = dense<100> : tensor<2xi32>, v_decay = 2 : i64, i_decay = 1 : i64,
      bias = dense<[0, -3]> : tensor<2xi32>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, v_decay = 3 : i64, i_decay = 1 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<[[127], [-128]]> : tensor<2x1xi8>,
      weight_bits = 8 : i64, weight_exp = 2 : i64, weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.projection @ho @h -> @o {max_delay = 3 : i64, weight = dense<[[3, 4]]> : tensor<1x2xi8>,
      weight_bits = 8 : i64, weight_exp = 0 : i64, weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<[[0, 2]]> : tensor<1x2xi32>}
  snn.output @o
}
