// Two hidden layers of the same depth converging on 'out', lava order, for
// snnc-export-nir-reader.test: nirtorch's GraphExecutor (the readers of
// snnTorch, Norse, Rockpool and Sinabs) delivers the branch it reaches second
// a step late.
snn.network @converge attributes {dt = 1.0e-03 : f64, steps = 20 : i64} {
  snn.input @in {size = 3 : i64}
  snn.lif @h1 {size = 2 : i64, tau_mem = 1.0e-02 : f64, threshold = 1.0 : f64, convention = #snn.convention<lava>}
  snn.lif @h2 {size = 2 : i64, tau_mem = 1.0e-02 : f64, threshold = 1.0 : f64, convention = #snn.convention<lava>}
  snn.lif @out {size = 2 : i64, tau_mem = 1.0e-02 : f64, threshold = 1.0 : f64, convention = #snn.convention<lava>}
  snn.projection @p1 @in -> @h1 {max_delay = 1 : i64,
      weight = dense<[[0.5, 0.2, 0.1], [0.3, 0.6, 0.2]]> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.projection @p2 @in -> @h2 {max_delay = 1 : i64,
      weight = dense<[[0.1, 0.1, 0.7], [0.4, 0.4, 0.4]]> : tensor<2x3xf32>, delay = dense<0> : tensor<2x3xi32>}
  snn.projection @q1 @h1 -> @out {max_delay = 1 : i64,
      weight = dense<[[0.6, 0.2], [0.1, 0.5]]> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @q2 @h2 -> @out {max_delay = 1 : i64,
      weight = dense<[[0.3, 0.1], [0.4, 0.3]]> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.output @out
}
