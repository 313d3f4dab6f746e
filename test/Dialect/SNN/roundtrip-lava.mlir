// RUN: snn-opt %s -split-input-file --verify-roundtrip | FileCheck %s
// An integer network under Lava's arithmetic (SNN-V25 to SNN-V29): one
// threshold and decay pair per population, weight mantissas with an exponent
// per projection, biases Lava can express, a Lava relay.

// CHECK: snn.network @lava attributes {{{.*}}int_arithmetic = #snn.arithmetic<lava_cuba>
// CHECK: snn.lif @h {bias = dense<[0, 8192]> : tensor<2xi32>, {{.*}}v_threshold = dense<100> : tensor<2xi32>}
// CHECK: snn.lif @r {relay, {{.*}}v_decay = 4095 : i64, v_threshold = dense<0> : tensor<2xi32>}
// CHECK: snn.projection @ih @in -> @h {{{.*}}weight_exp = -2 : i64
// CHECK: snn.sparse_projection @hr @h -> @r {{{.*}}weight_exp = 0 : i64
snn.network @lava attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64,
      v_threshold = dense<100> : tensor<2xi32>, v_decay = 205 : i64, i_decay = 819 : i64,
      bias = dense<[0, 8192]> : tensor<2xi32>}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay,
      v_threshold = dense<0> : tensor<2xi32>, v_decay = 4095 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @ih @in -> @h {max_delay = 1 : i64, weight = dense<[[127], [-128]]> : tensor<2x1xi8>,
      weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = -2 : i64, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @hr @h -> @r {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>,
      col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1> : tensor<2xi8>,
      weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>, weight_exp = 0 : i64,
      delay = dense<3> : tensor<2xi32>}
  snn.projection @ro @r -> @o {max_delay = 1 : i64, weight = dense<[[3, 4]]> : tensor<1x2xi8>,
      weight_bits = 8 : i64, weight_scale = dense<0.5> : tensor<1xf32>, weight_exp = 0 : i64, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}
