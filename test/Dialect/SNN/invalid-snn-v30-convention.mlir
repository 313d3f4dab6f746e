// RUN: snn-opt %s -split-input-file -verify-diagnostics
// SNN-V30: the lava neuron convention (SNN-F13) is Lava's LIF, which zeroes v
// after a spike: it has no subtract reset.

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+1 {{SNN-V30: 'convention' lava needs 'reset' hard (Lava's LIF zeroes v; it has no subtract reset)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, reset = #snn.reset<subtract>, convention = #snn.convention<lava>}
}

// -----

snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  // expected-error @+2 {{expected ::snnc::snn::NeuronConvention to be one of: paper, lava}}
  // expected-error @+1 {{failed to parse SNN_NeuronConventionAttr parameter 'value'}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, convention = #snn.convention<loihi>}
}
