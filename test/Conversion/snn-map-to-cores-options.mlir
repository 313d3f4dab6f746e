// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores{target=no-such-chip})' 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores{target=%S/Inputs/no-such-file.json})' 2>&1 | FileCheck %s --check-prefix=FILE
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores{target=%S/Inputs/bad-target.json})' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores{strategy=random})' 2>&1 | FileCheck %s --check-prefix=STRATEGY
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores{profile=%S/Inputs/bad-profile.json})' 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-map-to-cores)' 2>&1 | FileCheck %s --check-prefix=FLOAT
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-lower{decay=shift},snn-map-to-cores{target=loihi})' 2>&1 | FileCheck %s --check-prefix=DECAY
// RUN: not snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{target=truenorth})' 2>&1 | FileCheck %s --check-prefix=STATE
// RUN: snn-opt %s --pass-pipeline='builtin.module(snn-lower,snn-map-to-cores{max-chips=1 target=generic})' | FileCheck %s --check-prefix=CHIPS
// Bad options, bad target files and a float network.

snn.network @net attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @w @in -> @h {max_delay = 1 : i64,
      weight = dense<0.5> : tensor<1x2xf32>, delay = dense<0> : tensor<1x2xi32>}
  snn.output @h
}

// NAME: error: snn-map-to-cores: unknown target 'no-such-chip' (presets: loihi, loihi2, truenorth, spinnaker, xylo-audio, generic; or a FILE.json, see docs/targets.md)
// FILE: error: snn-map-to-cores: {{.*}}no-such-file.json: cannot read: No such file or directory
// BAD: error: snn-map-to-cores: {{.*}}bad-target.json: 'core.axons': expected an integer in [1, 1099511627776]
// STRATEGY: for the --strategy option: Cannot find option named 'random'!
// PROFILE: error: snn-map-to-cores: profile '{{.*}}bad-profile.json': expected {"rates": {...}}
// FLOAT: error: 'snn.network' op is a float network; target 'generic' executes integer networks (run snn-lower, SNN-I*)
// DECAY: error: 'snn.network' op is quantised with int_decay = shift, but target 'loihi' decays by mul12 (quantise with decay=mul12)
// STATE: error: 'snn.network' op has int_state_bits = 24, more than the 20 state bits of target 'truenorth'
// CHIPS: snnhw.system @net
// CHIPS-SAME: max_chips = 1,
