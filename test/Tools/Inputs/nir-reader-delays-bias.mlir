// Spyx's neurons (subtract after the decay, dt 1), a delayed projection
// in -> h and a bias on 'out' behind it, for snnc-export-nir-delays.test:
// Spyx's relays delay the spikes by one more step, not the bias.
snn.network @bias attributes {dt = 1.0 : f64, steps = 20 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 4.0 : f64, threshold = 1.0 : f64, reset = #snn.reset<subtract>}
  snn.lif @out {size = 1 : i64, tau_mem = 4.0 : f64, threshold = 1.0 : f64, reset = #snn.reset<subtract>, bias = dense<[0.25]> : tensor<1xf32>}
  snn.projection @p0 @in -> @h {max_delay = 1 : i64,
      weight = dense<[[0.5, 0.2], [0.3, 0.6]]> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.projection @p1 @h -> @out {max_delay = 3 : i64,
      weight = dense<[[0.6, 0.4]]> : tensor<1x2xf32>, delay = dense<[[0, 2]]> : tensor<1x2xi32>}
  snn.output @out
}
