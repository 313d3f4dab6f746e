// RUN: snn-opt %s -split-input-file --snn-prune=density=0.5 | FileCheck %s --check-prefix=DENSITY
// RUN: snn-opt %s -split-input-file --snn-prune=max-fan-in=1 | FileCheck %s --check-prefix=FANIN
// RUN: snn-opt %s -split-input-file --snn-prune | FileCheck %s --check-prefix=NONE
// RUN: snn-opt %s -split-input-file --snn-prune="density=0.5 max-fan-in=1 remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// Magnitude pruning: density keeps ceil(d·n) of each projection's synapses;
// max-fan-in bounds the synapses of each neuron over all its projections.
// Dense projections record removals in their mask, CSR drops entries.

// DENSITY-LABEL: snn.network @p
// DENSITY: snn.projection @a @in -> @h {delay = {{.*}}, mask = dense<{{\[\[}}false, true], [true, false]]> : tensor<2x2xi1>
// DENSITY: snn.sparse_projection @c @in2 -> @h {col_idx = dense<0> : tensor<1xi32>, delay = dense<4> : tensor<1xi32>, max_delay = 8 : i64, row_ptr = dense<[0, 0, 1]> : tensor<3xi64>, weight = dense<-3.000000e+00> : tensor<1xf32>}
// Equal magnitudes: the earlier synapses stay.
// DENSITY: snn.projection @ag @in -> @g {delay = {{.*}}, mask = dense<{{\[\[}}true, true], [true, false], [false, false]]> : tensor<3x2xi1>
// DENSITY: snn.projection @b @g -> @out {delay = {{.*}}, mask = dense<{{\[\[}}false, true, true], [false, false, true]]> : tensor<2x3xi1>

// FANIN-LABEL: snn.network @p
// FANIN: snn.projection @a @in -> @h {delay = {{.*}}, mask = dense<{{\[\[}}false, true], [false, false]]> : tensor<2x2xi1>
// FANIN: snn.sparse_projection @c @in2 -> @h {col_idx = dense<0> : tensor<1xi32>, delay = dense<4> : tensor<1xi32>, max_delay = 8 : i64, row_ptr = dense<[0, 0, 1]> : tensor<3xi64>
// FANIN: snn.projection @ag @in -> @g {delay = {{.*}}, mask = dense<{{\[\[}}true, false], [true, false], [true, false]]> : tensor<3x2xi1>
// FANIN: snn.projection @b @g -> @out {delay = {{.*}}, mask = dense<{{\[\[}}false, true, false], [false, false, true]]> : tensor<2x3xi1>

// Both criteria: density first, then the fan-in limit over what is left.
// REMARK: remark: snn-prune: @a keeps 1 of 4 synapses (2 removed by density, 1 by fan-in)
// REMARK: remark: snn-prune: @c keeps 1 of 2 synapses (1 removed by density, 0 by fan-in)
// REMARK: remark: snn-prune: @ag keeps 2 of 6 synapses (3 removed by density, 1 by fan-in)
// REMARK: remark: snn-prune: @b keeps 2 of 6 synapses (3 removed by density, 1 by fan-in)

// Nothing to prune: projections stay as they were (no all-true mask).
// NONE-NOT: mask
snn.network @p attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.input @in2 {size = 1 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @g {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @out {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 8 : i64,
      weight = dense<[[0.5, -2.0], [1.0, 0.25]]> : tensor<2x2xf32>, delay = dense<1> : tensor<2x2xi32>}
  snn.sparse_projection @c @in2 -> @h {max_delay = 8 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 0]> : tensor<2xi32>,
      weight = dense<[1.5, -3.0]> : tensor<2xf32>, delay = dense<[2, 4]> : tensor<2xi32>}
  snn.projection @ag @in -> @g {max_delay = 8 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<0> : tensor<3x2xi32>}
  snn.projection @b @g -> @out {max_delay = 8 : i64,
      weight = dense<[[0.1, -0.9, 0.5], [0.3, 0.2, -0.8]]> : tensor<2x3xf32>,
      delay = dense<0> : tensor<2x3xi32>}
  snn.output @out
}

// -----

// Relay links (SNN-V22) are structure: never pruned, never counted.
// DENSITY-LABEL: snn.network @relayed
// DENSITY: snn.projection @ia @in -> @a {delay = dense<0> : tensor<2x1xi32>, mask = dense<{{\[}}[true], [false]]> : tensor<2x1xi1>
// DENSITY: snn.sparse_projection @ar @a -> @r {col_idx = dense<[0, 1]> : tensor<2xi32>, delay = dense<7> : tensor<2xi32>, max_delay = 8 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>
// DENSITY: snn.projection @ro @r -> @o {delay = dense<0> : tensor<1x2xi32>, mask = dense<{{\[\[}}false, true]]> : tensor<1x2xi1>
// REMARK-NOT: @ar keeps
snn.network @relayed attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<[[1.0], [0.5]]> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @ar @a -> @r {max_delay = 8 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<2.0> : tensor<2xf32>, delay = dense<7> : tensor<2xi32>}
  snn.projection @ro @r -> @o {max_delay = 1 : i64,
      weight = dense<[[0.25, -0.5]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}
