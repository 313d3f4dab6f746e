// RUN: not snn-opt %s --snn-prune=density=0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not snn-opt %s --snn-prune=density=1.5 2>&1 | FileCheck %s --check-prefix=ABOVE
// RUN: not snn-opt %s --snn-prune=max-fan-in=-1 2>&1 | FileCheck %s --check-prefix=FANIN
// Every diagnostic of snn-prune: options out of range, reported on the network.

// ZERO: error: snn-prune: 'density' must lie in (0, 1], got 0
// ABOVE: error: snn-prune: 'density' must lie in (0, 1], got 1.5
// FANIN: error: snn-prune: 'max-fan-in' must be >= 0 (0: no limit), got -1
snn.network @n attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @p @in -> @out {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @out
}
