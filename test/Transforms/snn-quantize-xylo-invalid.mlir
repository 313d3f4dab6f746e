// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false"
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift" 2>&1 | FileCheck %s --check-prefix=PERNEURON
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf per-neuron-scale=false" 2>&1 | FileCheck %s --check-prefix=SBITS
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=xylo-iaf state-bits=16 decay=shift per-neuron-scale=false weight-bits=12" 2>&1 | FileCheck %s --check-prefix=WBITS
// What snn-quantize refuses under Xylo's arithmetic (SNN-X rules): what
// XyloSim's IAF neuron cannot express is a diagnostic, never a clamp.

// PERNEURON: error: snn-quantize: arithmetic=xylo-iaf needs per-neuron-scale=false: Xylo's weight shift is one per weight matrix, so a population's neurons share one membrane unit
// SBITS: error: snn-quantize: arithmetic=xylo-iaf needs state-bits=16 and decay=shift (Xylo's int16 states and bitshift decays), got state-bits=24 decay=mul12
// WBITS: error: snn-quantize: arithmetic=xylo-iaf has int8 weights, got weight-bits=12

snn.network @bias_syn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{@h has a synaptic bias 'bias_syn', which Xylo's IAF neuron does not have (SNN-X6)}}
  snn.lif @h {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>, bias_syn = dense<0.5> : tensor<1xf32>}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @input_to_output attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.li @o {size = 1 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  // expected-error @+1 {{@p connects input @in to li @o, but Xylo has no synapses from input channels to output neurons (SNN-X10); insert a lif population}}
  snn.projection @p @in -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @relay attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 2 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  // expected-error @+1 {{relay population @r is snnc's relay (SNN-I10), which fires twice on Xylo; quantise for xylo-iaf before snn-delay-extension: Xylo's relays are laid out by the exporter (SNN-X13)}}
  snn.lif @r {size = 2 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<[[0.5], [0.25]]> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.sparse_projection @ar @a -> @r {max_delay = 4 : i64,
      row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<2.0> : tensor<2xf32>, delay = dense<3> : tensor<2xi32>}
  snn.output @r
}
