// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V21: projections into one population share its membrane unit.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.input @in2 {size = 1 : i64}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<[1.0, 2.0]> : tensor<2xf32>,
      delay = dense<0> : tensor<2x1xi32>}
  // expected-error @+1 {{SNN-V21: 'weight_scale' differs from that of @p, which also targets @o (projections into one population share its membrane unit)}}
  snn.projection @q @in2 -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<[1.0, 3.0]> : tensor<2xf32>,
      delay = dense<0> : tensor<2x1xi32>}
  snn.output @o
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.input @in2 {size = 1 : i64}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<2x1xi32>}
  // expected-error @+1 {{SNN-V21: 'weight_scale' differs from that of @p, which also targets @o}}
  snn.projection @q @in2 -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<2x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<2xf32>,
      delay = dense<0> : tensor<2x1xi32>}
  snn.output @o
}
