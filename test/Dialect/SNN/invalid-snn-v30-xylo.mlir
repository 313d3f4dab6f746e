// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V30: Xylo's arithmetic needs 16-bit states and shift decay (SNN-X1,
// SNN-X2).

// expected-error @+1 {{SNN-V30: Xylo's arithmetic needs 'int_state_bits' = 16 and 'int_decay' = shift, got 24 and shift}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<shift>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V30: Xylo's arithmetic needs 'int_state_bits' = 16 and 'int_decay' = shift, got 16 and mul12}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V25: 'int_arithmetic' belongs to integer networks}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_arithmetic = #snn.arithmetic<xylo_iaf>} {
  snn.input @in {size = 1 : i64}
}
