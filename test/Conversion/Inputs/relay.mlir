// A delay of 9 steps from a LIF population: on a target with 8 delay slots
// it becomes one relay neuron (snn-delay-extension, SNN-I10).
snn.network @relay attributes {dt = 1.0e-03 : f64, steps = 20 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w1 @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @w2 @h -> @o {max_delay = 12 : i64,
      weight = dense<0.5> : tensor<1x1xf32>, delay = dense<9> : tensor<1x1xi32>}
  snn.output @o
}
