// RUN: snn-opt %s -split-input-file -verify-diagnostics
// A dense_resource parameter whose blob is missing cannot be verified (SNN-V9).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V9: 'weight' has no readable data (a dense_resource without a blob, or an unsupported storage)}}
  snn.projection @w @in -> @h {max_delay = 4 : i64,
      weight = dense_resource<missing_blob> : tensor<1x2xf32>,
      delay = dense<0> : tensor<1x2xi32>}
  snn.output @h
}
