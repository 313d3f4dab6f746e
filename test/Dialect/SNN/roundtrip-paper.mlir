// RUN: %snn-gen-network paper --seed 3 -o %t.mlir
// RUN: snn-opt %t.mlir --verify-roundtrip | FileCheck %s
// RUN: snnc inspect %t.mlir | FileCheck %s --check-prefix=SUMMARY
// The paper's network (docs/reference.md §1): 40 -> 256 -> 20, DCLS delays over
// 25 taps, BatchNorm on the hidden layer and a 1/16-density mask on fc1.

// CHECK: snn.network @paper attributes {dt = 1.000000e-02 : f64, steps = 100 : i64}
// CHECK: snn.input @in {scale = 2.000000e+01 : f64, size = 40 : i64}
// CHECK: snn.lif @hidden {dropout = 4.000000e-01 : f64, size = 256 : i64, tau_mem = 1.005000e-01 : f64}
// CHECK: snn.li @readout {size = 20 : i64, tau_mem = 1.005000e-01 : f64}
// CHECK: snn.projection @fc1 @in -> @hidden {mask = dense_resource<fc1_mask> : tensor<256x40xi1>, max_delay = 25 : i64, position = dense_resource<fc1_position> : tensor<256x40xf32>, sigma = 1.200000e+01 : f64, weight = dense_resource<fc1_weight> : tensor<256x40xf32>}
// CHECK: snn.batchnorm @bn1 {beta = dense_resource<bn1_beta> : tensor<256xf32>, gamma = dense_resource<bn1_gamma> : tensor<256xf32>, mean = dense_resource<bn1_mean> : tensor<256xf32>, target = @hidden, var = dense_resource<bn1_var> : tensor<256xf32>}
// CHECK: snn.projection @fc2 @hidden -> @readout {max_delay = 25 : i64, position = dense_resource<fc2_position> : tensor<20x256xf32>, sigma = 1.200000e+01 : f64, weight = dense_resource<fc2_weight> : tensor<20x256xf32>}
// CHECK: snn.output @readout
// CHECK: dialect_resources

// SUMMARY: network @paper: dt = 10.00 ms, 100 steps, 316 neurons
// SUMMARY: @fc1 @in -> @hidden dense, {{[0-9]+}} synapses, delays 0..24 {{.*}} of max 25, DCLS positions rounded
// SUMMARY: @fc2 @hidden -> @readout dense, 5120 synapses
