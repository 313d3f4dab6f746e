// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V25: 'int_arithmetic' on integer networks only; Lava's needs 24-bit
// states and mul12 decay.

// expected-error @+1 {{SNN-V25: 'int_arithmetic' belongs to integer networks (the network has no 'int_state_bits')}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
}

// -----

// expected-error @+1 {{SNN-V25: Lava's arithmetic needs 'int_state_bits' = 24 and 'int_decay' = mul12, got 16 and mul12}}
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>, int_arithmetic = #snn.arithmetic<lava_cuba>} {
  snn.input @in {size = 1 : i64}
}
