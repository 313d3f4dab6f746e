// RUN: snn-opt %s -split-input-file -verify-diagnostics --snn-quantize="state-bits=16"
// RUN: not snn-opt %s -split-input-file --snn-quantize=weight-bits=1 2>&1 | FileCheck %s --check-prefix=WBITS
// RUN: not snn-opt %s -split-input-file --snn-quantize=state-bits=40 2>&1 | FileCheck %s --check-prefix=SBITS
// RUN: not snn-opt %s -split-input-file --snn-quantize=decay=exp 2>&1 | FileCheck %s --check-prefix=DECAY
// RUN: not snn-opt %s -split-input-file --snn-quantize=input-frac-bits=17 2>&1 | FileCheck %s --check-prefix=FRAC
// RUN: not snn-opt %s --split-input-file --snn-quantize=decay=shift 2>&1 | FileCheck %s --check-prefix=SHIFT
// RUN: not snn-opt %s --split-input-file --snn-quantize=weight-bits=2 2>&1 | FileCheck %s --check-prefix=RELAY
// Every diagnostic of snn-quantize. Unrepresentable values are errors, never
// silent clamps (SNN-I9). Options are checked first, on the network.

// WBITS: error: snn-quantize: 'weight-bits' must lie in [2, 16], got 1
// SBITS: error: snn-quantize: 'state-bits' must lie in [3, 32], got 40
// DECAY: for the --decay option: Cannot find option named 'exp'!
// FRAC: error: snn-quantize: 'input-frac-bits' must lie in [0, 16], got 17

snn.network @zero_threshold attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{threshold of neuron 0 of @h rounds to 0 state units (threshold 1, unit 7.87402): the neuron would fire on every step (SNN-I9)}}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @h {max_delay = 1 : i64,
      weight = dense<1000.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
}

// -----

snn.network @bias attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{bias overflow: neuron 0 of @o needs bias 1000 / unit 0.00787402 = 127000 state units, beyond the 16-bit state limit 32767 (SNN-I1, SNN-I9)}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, bias = dense<1000.0> : tensor<1xf32>}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// SNN-I7: the synaptic bias is in the current's (membrane) units too.
snn.network @bias_syn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  // expected-error @+1 {{bias_syn overflow: neuron 0 of @o needs synaptic bias 1000 / unit 0.00787402 = 127000 state units, beyond the 16-bit state limit 32767 (SNN-I1, SNN-I7)}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, bias_syn = dense<1000.0> : tensor<1xf32>}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

snn.network @all_zero_population attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  // expected-error @+1 {{cannot be quantised: every incoming synapse of @o is absent or zero, so no weight scale represents it (SNN-I9)}}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<0.0> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// -----

// One neuron fed by a strong and a weak projection: the weak one's weights
// are below half a unit of the shared scale.
snn.network @all_zero_layer attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.input @in2 {size = 2 : i64, encoding = #snn.encoding<spikes>}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @big @in -> @o {max_delay = 1 : i64,
      weight = dense<100.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{all-zero layer after quantisation: every weight of @small rounds to 0 at 8 bits (largest |w| = 0.3, unit of @o = 0.787402); use per-neuron-scale or more weight bits (SNN-I9)}}
  snn.projection @small @in2 -> @o {max_delay = 1 : i64,
      weight = dense<[[0.1, -0.3]]> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @o
}

// -----

snn.network @bn attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  // expected-error @+1 {{must be folded before quantisation (run snn-fold-batchnorm): integer networks have no BatchNorm (SNN-V18)}}
  snn.batchnorm @bn {target = @o, gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>}
  snn.output @o
}

// -----

snn.network @dcls attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  // expected-error @+1 {{has DCLS positions: run snn-discretize-delays before quantisation (SNN-F4, SNN-V18)}}
  snn.projection @p @in -> @o {max_delay = 3 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, position = dense<0.0> : tensor<1x1xf32>, sigma = 0.0 : f64}
  snn.output @o
}

// -----

// expected-error @+1 {{snn-quantize: network @int is already an integer network}}
snn.network @int attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 1 : i64}
  snn.li @o {size = 1 : i64, tau_mem = 2.0e-02 : f64, v_decay = 205 : i64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1> : tensor<1x1xi8>, weight_bits = 8 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// SHIFT: error: 'snn.li' op 'tau_mem' = 1e+07 gives beta = 1, which needs shift k = 33 > 31 (SNN-I5)
snn.network @slow attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.li @o {size = 1 : i64, tau_mem = 1.0e+07 : f64}
  snn.projection @p @in -> @o {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @o
}

// -----

// RELAY: error: 'snn.lif' op relay population @r needs input weight 2, which does not fit 2-bit weights (SNN-I10)
snn.network @relay attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @r {size = 1 : i64, tau_mem = 1.0e-03 : f64, reset = #snn.reset<subtract>, relay}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.projection @ar @a -> @r {max_delay = 4 : i64,
      weight = dense<2.0> : tensor<1x1xf32>, delay = dense<3> : tensor<1x1xi32>}
  snn.output @r
}
