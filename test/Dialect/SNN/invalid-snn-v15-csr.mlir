// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V15: CSR structure of sparse projections.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: 'row_ptr' must be tensor<4xi64>, got 'tensor<3xi64>'}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: 'row_ptr' must start at 0, got 1}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[1, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: 'row_ptr' decreases at target 1 (2 -> 1)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 2, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: 'row_ptr' ends at 3 but 'col_idx' holds 2 synapses}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: synapse 1 of target 2 has source 2, outside [0, 2)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 2]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: sources of target 0 are not strictly increasing at synapse 1 (1 then 0; unsorted or duplicate)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 2, 2, 2]> : tensor<4xi64>, col_idx = dense<[1, 0]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: sources of target 0 are not strictly increasing at synapse 1 (1 then 1; unsorted or duplicate)}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 2, 2, 2]> : tensor<4xi64>, col_idx = dense<[1, 1]> : tensor<2xi32>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.li @r {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.output @r
  snn.projection @hr @h -> @r {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x3xf32>, delay = dense<0> : tensor<1x3xi32>}
  // expected-error @+1 {{SNN-V15: 'col_idx' must be tensor<?xi32> (one source per synapse), got 'tensor<2xi64>'}}
  snn.sparse_projection @ih @in -> @h {max_delay = 4 : i64, row_ptr = dense<[0, 1, 1, 2]> : tensor<4xi64>, col_idx = dense<[0, 1]> : tensor<2xi64>, weight = dense<1.0> : tensor<2xf32>, delay = dense<0> : tensor<2xi32>}
}
