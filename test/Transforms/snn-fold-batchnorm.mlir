// RUN: snn-opt %s -split-input-file --snn-fold-batchnorm | FileCheck %s
// RUN: snn-opt %s -split-input-file --snn-fold-batchnorm=population=h | FileCheck %s --check-prefix=ONLY
// SNN-F5 in evaluation: Î = s·(I − μ) + β, s = γ/sqrt(v + ε). Every
// projection into the population is scaled per target neuron (dense and CSR
// alike) and β − s·μ joins the bias. Here s = [0.5, 1], offset = [0, 1].

// CHECK-LABEL: snn.network @bn
// CHECK-NOT: snn.batchnorm @bn1
// CHECK: snn.lif @h {bias = dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: snn.li @out {bias = dense<5.000000e-01> : tensor<1xf32>
// CHECK: snn.projection @a @in -> @h {{{.*}}weight = dense<{{\[\[}}5.000000e-01, 1.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>}
// CHECK: snn.sparse_projection @c @in2 -> @h {{{.*}}weight = dense<[2.000000e+00, -6.000000e+00]> : tensor<2xf32>}
// CHECK: snn.projection @b @h -> @out {{{.*}}weight = dense<{{\[\[}}4.000000e+00, -8.000000e+00]]> : tensor<1x2xf32>}
// CHECK-NOT: snn.batchnorm

// ONLY-LABEL: snn.network @bn
// ONLY-NOT: snn.batchnorm @bn1
// ONLY: snn.lif @h {bias = dense<[1.000000e+00, 3.000000e+00]>
// ONLY: snn.li @out {size = 1 : i64
// ONLY: snn.batchnorm @bn2
// ONLY-LABEL: snn.network @cuba
snn.network @bn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.input @in2 {size = 1 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, bias = dense<[1.0, 2.0]> : tensor<2xf32>}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>, delay = dense<0> : tensor<2x2xi32>}
  snn.sparse_projection @c @in2 -> @h {max_delay = 1 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 0]> : tensor<2xi32>,
      weight = dense<[4.0, -6.0]> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
  snn.projection @b @h -> @out {max_delay = 1 : i64,
      weight = dense<[[1.0, -2.0]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.batchnorm @bn1 {target = @h, gamma = dense<[1.0, 3.0]> : tensor<2xf32>,
      beta = dense<[0.25, 0.0]> : tensor<2xf32>, mean = dense<[0.5, -1.0]> : tensor<2xf32>,
      var = dense<[3.0, 8.0]> : tensor<2xf32>, eps = 1.0 : f64}
  snn.batchnorm @bn2 {target = @out, gamma = dense<2.0> : tensor<1xf32>,
      beta = dense<0.5> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 0.25 : f64}
  snn.output @out
}

// -----

// A CuBa population folds when the offset β − s·μ is zero: only weights scale.
// CHECK-LABEL: snn.network @cuba
// CHECK: snn.lif @h {bias = dense<0.000000e+00> : tensor<1xf32>, size = 1 : i64, tau_mem = 2.000000e-02 : f64, tau_syn = 5.000000e-03 : f64}
// CHECK: weight = dense<4.000000e+00> : tensor<1x1xf32>
snn.network @cuba attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.batchnorm @bn {target = @h, gamma = dense<2.0> : tensor<1xf32>,
      beta = dense<2.0> : tensor<1xf32>, mean = dense<0.5> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 0.25 : f64}
  snn.output @h
}

// -----

// With a non-zero offset β − s·μ the CuBa population's offset sits in front
// of the synaptic filter (SNN-F8): it joins the synaptic bias, not the bias.
// s = 2/sqrt(0+0.25) = 4; offsets 0 − 4·0 = 0 and 0.5 − 4·0 = 0.5, plus the
// existing bias_syn [1, 1]; the li readout (CubaLI) folds the same way.
// CHECK-LABEL: snn.network @cuba_offset
// CHECK: snn.lif @h {bias = dense<0.000000e+00> : tensor<2xf32>, bias_syn = dense<[1.000000e+00, 1.500000e+00]> : tensor<2xf32>
// CHECK: snn.li @o {bias = dense<0.000000e+00> : tensor<1xf32>, bias_syn = dense<-2.500000e-01> : tensor<1xf32>
snn.network @cuba_offset attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<1.0> : tensor<2xf32>}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.projection @b @h -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.batchnorm @bn {target = @h, gamma = dense<2.0> : tensor<2xf32>,
      beta = dense<[0.0, 0.5]> : tensor<2xf32>, mean = dense<0.0> : tensor<2xf32>,
      var = dense<0.0> : tensor<2xf32>, eps = 0.25 : f64}
  snn.batchnorm @bn2 {target = @o, gamma = dense<1.0> : tensor<1xf32>,
      beta = dense<-0.25> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>,
      var = dense<0.0> : tensor<1xf32>, eps = 1.0 : f64}
  snn.output @o
}
