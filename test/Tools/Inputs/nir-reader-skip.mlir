// A lava-order net with a skip connection in -> out, for
// snnc-export-nir-reader.test: the same-step readers cannot line up the
// direct path with the one through the hidden layer, Spyx reads no branches.
snn.network @skip attributes {dt = 1.0e-03 : f64, steps = 20 : i64} {
  snn.input @in {size = 3 : i64}
  snn.lif @h {size = 4 : i64, tau_mem = 1.0e-02 : f64, threshold = 1.0 : f64, convention = #snn.convention<lava>}
  snn.lif @out {size = 2 : i64, tau_mem = 1.0e-02 : f64, threshold = 1.0 : f64, convention = #snn.convention<lava>}
  snn.projection @p1 @in -> @h {max_delay = 1 : i64,
      weight = dense<[[0.5, 0.2, 0.1], [0.3, 0.6, 0.2], [0.1, 0.1, 0.7], [0.4, 0.4, 0.4]]> : tensor<4x3xf32>, delay = dense<0> : tensor<4x3xi32>}
  snn.projection @p2 @h -> @out {max_delay = 1 : i64,
      weight = dense<[[0.6, 0.2, 0.3, 0.1], [0.1, 0.5, 0.4, 0.3]]> : tensor<2x4xf32>, delay = dense<0> : tensor<2x4xi32>}
  snn.projection @skip @in -> @out {max_delay = 1 : i64,
      weight = dense<[[0.2, 0.0, 0.3], [0.0, 0.4, 0.1]]> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.output @out
}
