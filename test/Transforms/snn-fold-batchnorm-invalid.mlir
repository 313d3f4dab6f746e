// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-fold-batchnorm
// RUN: not snn-opt %s -split-input-file --snn-fold-batchnorm=population=nothere 2>&1 | FileCheck %s --check-prefix=POP
// Every diagnostic of snn-fold-batchnorm.

// POP: no snn.batchnorm targets @nothere in network @scale
snn.network @scale attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{cannot fold into @h: neuron 0 has scale gamma/sqrt(var+eps) = 1e+45, beyond float32}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0e30> : tensor<1xf32>,
      beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 1.0e-30 : f64}
  snn.output @h
}

// -----

snn.network @weight attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<[[1.0, 10.0]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  // expected-error @+1 {{cannot fold into @h: weight of synapse (target 0, source 1) of @a overflows float32}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0e38> : tensor<1xf32>,
      beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 1.0 : f64}
  snn.output @h
}

// -----

snn.network @bias attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, bias = dense<3.0e38> : tensor<1xf32>}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{cannot fold into @h: the bias of neuron 0 overflows float32}}
  snn.batchnorm @bn {target = @h, gamma = dense<1.0> : tensor<1xf32>,
      beta = dense<3.0e38> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 1.0 : f64}
  snn.output @h
}
