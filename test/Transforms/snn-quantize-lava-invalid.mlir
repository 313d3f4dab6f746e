// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false"
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=lava-cuba" 2>&1 | FileCheck %s --check-prefix=PERNEURON
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false state-bits=16" 2>&1 | FileCheck %s --check-prefix=SBITS
// RUN: not snn-opt %s -split-input-file --snn-quantize="arithmetic=lava-cuba per-neuron-scale=false weight-bits=12" 2>&1 | FileCheck %s --check-prefix=WBITS
// What snn-quantize refuses under Lava's arithmetic (SNN-L rules): what Lava's
// CUBA neuron cannot express is a diagnostic, never a clamp.

// PERNEURON: error: snn-quantize: arithmetic=lava-cuba needs per-neuron-scale=false: Lava's threshold is one per population, so its neurons share one membrane unit
// SBITS: error: snn-quantize: arithmetic=lava-cuba needs state-bits=24 and decay=mul12 (Lava's 24-bit states and 12-bit decays), got state-bits=16 decay=mul12
// WBITS: error: snn-quantize: arithmetic=lava-cuba has weight mantissas of at most 8 bits, got weight-bits=12

snn.network @subtract attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{@h resets by subtraction (Lava sets v to 0 after a spike), which Lava's CUBA neuron cannot express (SNN-L rules)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, reset = #snn.reset<subtract>}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @no_memory attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{'tau_mem' of @h gives v_decay 4096, beyond Lava's 12-bit dv (at most 4095)}}
  snn.lif @h {size = 1 : i64, tau_mem = 1.0e-03 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @slow_current attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{'tau_syn' of @h gives i_decay 0, below Lava's smallest (1: du = i_decay - 1 is unsigned)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 1.0e+02 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @per_neuron_threshold attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{@h has per-neuron thresholds (Lava's threshold is per population), which Lava's CUBA neuron cannot express (SNN-L rules)}}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, threshold = 1.0 : f64, threshold_per_neuron = dense<[1.0, 2.0]> : tensor<2xf64>}
  snn.projection @p @in -> @h {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.output @h
}

// -----

snn.network @per_neuron_tau attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{@o has per-neuron time constants (Lava's decays are per population), which Lava's CUBA neuron cannot express (SNN-L rules)}}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_mem_per_neuron = dense<[2.0e-02, 1.0e-02]> : tensor<2xf64>}
  snn.projection @p @in -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<2x1xf32>, delay = dense<0> : tensor<2x1xi32>}
  snn.output @o
}

// -----

snn.network @bias_syn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{@o has a synaptic bias 'bias_syn', which Lava's CUBA neuron cannot express (SNN-L rules)}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<0.5> : tensor<1xf32>}
  snn.projection @p @in -> @o {max_delay = 1 : i64, weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}
