// RUN: snn-opt %s -split-input-file -verify-diagnostics
// A dense_resource parameter whose blob is missing, or holds fewer or more
// bytes than its type, cannot be verified (SNN-V9, SNN-V11); the short blob
// was read past its end by the passes (found by fuzz-mlir-text).

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V9: 'weight' has no readable data (a dense_resource without a blob, a blob whose size does not match its type, or an unsupported storage)}}
  snn.projection @w @in -> @h {max_delay = 4 : i64,
      weight = dense_resource<missing_blob> : tensor<1x2xf32>,
      delay = dense<0> : tensor<1x2xi32>}
  snn.output @h
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V11: 'delay' has no readable data (a dense_resource without a blob, a blob whose size does not match its type, or an unsupported storage)}}
  snn.projection @w @in -> @h {max_delay = 4 : i64,
      weight = dense<0.5> : tensor<2x2xf32>,
      delay = dense_resource<short_delay> : tensor<2x2xi32>}
  snn.output @h
}

{-#
  dialect_resources: {
    builtin: {
      short_delay: "0x04000000010000000200000003000000"
    }
  }
#-}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{SNN-V9: 'weight' has no readable data (a dense_resource without a blob, a blob whose size does not match its type, or an unsupported storage)}}
  snn.projection @w @in -> @h {max_delay = 4 : i64,
      weight = dense_resource<long_weight> : tensor<1x2xf32>,
      delay = dense<0> : tensor<1x2xi32>}
  snn.output @h
}

{-#
  dialect_resources: {
    builtin: {
      long_weight: "0x040000000000003f0000003f0000003f"
    }
  }
#-}
