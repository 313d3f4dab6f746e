// RUN: snn-opt %s -split-input-file --snn-delay-extension=max-delay=4 | FileCheck %s
// RUN: snn-opt %s -split-input-file --snn-delay-extension=max-delay=4 | snn-opt --verify-roundtrip > /dev/null
// RUN: snn-opt %s -split-input-file --snn-delay-extension=max-delay=12 | FileCheck %s --check-prefix=FITS
// Delays >= L = 4 go through relay stages (SNN-I10): stage j fires L steps
// after stage j - 1 (link delay L - 1, plus one step in the relay), and the
// synapse leaves stage floor(D/L) with delay D mod L.
// @ab delays [[0, 4, 9], [11, 3, 5]]:
//   (0,0) D0 and (1,1) D3 stay in @ab (max_delay becomes 4);
//   (0,1) D4 -> stage 1 delay 0; (1,2) D5 -> stage 1 delay 1;
//   (0,2) D9 -> stage 2 delay 1; (1,0) D11 -> stage 2 delay 3.
// Stage 1 relays sources {0, 1, 2} (each needs >= 1 stage); stage 2 relays
// {0, 2}. Signs follow the relayed source.

// CHECK-LABEL: snn.network @float
// CHECK: snn.projection @ab @a -> @b {delay = dense<{{\[\[}}0, 0, 0], [0, 3, 0]]> : tensor<2x3xi32>, mask = dense<{{\[\[}}true, false, false], [false, true, false]]> : tensor<2x3xi1>, max_delay = 4 : i64, sign = dense<[1, -1, 1]> : tensor<3xi8>, 
// CHECK: snn.lif @ab_relay1 {relay, reset = #snn.reset<subtract>, size = 3 : i64, tau_mem = 1.000000e-03 : f64}
// CHECK: snn.sparse_projection @ab_relay1_in @a -> @ab_relay1 {col_idx = dense<[0, 1, 2]> : tensor<3xi32>, delay = dense<3> : tensor<3xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2, 3]> : tensor<4xi64>, weight = dense<2.000000e+00> : tensor<3xf32>}
// CHECK: snn.lif @ab_relay2 {relay, reset = #snn.reset<subtract>, size = 2 : i64, tau_mem = 1.000000e-03 : f64}
// CHECK: snn.sparse_projection @ab_relay2_in @ab_relay1 -> @ab_relay2 {col_idx = dense<[0, 2]> : tensor<2xi32>, delay = dense<3> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, weight = dense<2.000000e+00> : tensor<2xf32>}
// CHECK: snn.sparse_projection @ab_d1 @ab_relay1 -> @b {col_idx = dense<[1, 2]> : tensor<2xi32>, delay = dense<[0, 1]> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, sign = dense<[1, -1, 1]> : tensor<3xi8>, weight = dense<[-2.500000e-01, 1.500000e+00]> : tensor<2xf32>}
// CHECK: snn.sparse_projection @ab_d2 @ab_relay2 -> @b {col_idx = dense<[1, 0]> : tensor<2xi32>, delay = dense<[1, 3]> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, sign = dense<1> : tensor<2xi8>, weight = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}
// Delays already below L only get the tighter max_delay.
// CHECK: snn.projection @ia @in -> @a {delay = dense<1> : tensor<3x2xi32>, max_delay = 4 : i64

// FITS-LABEL: snn.network @float
// FITS-NOT: relay
// FITS: snn.projection @ab @a -> @b {delay = dense<{{\[\[}}0, 4, 9], [11, 3, 5]]> : tensor<2x3xi32>, max_delay = 12 : i64
// FITS: snn.projection @ia @in -> @a {delay = dense<1> : tensor<3x2xi32>, max_delay = 8 : i64
snn.network @float attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64}
  snn.lif @a {size = 3 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @b {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ab @a -> @b {max_delay = 12 : i64,
      weight = dense<[[0.5, -0.25, 1.0], [2.0, 0.75, 1.5]]> : tensor<2x3xf32>,
      delay = dense<[[0, 4, 9], [11, 3, 5]]> : tensor<2x3xi32>,
      sign = dense<[1, -1, 1]> : tensor<3xi8>}
  snn.projection @ia @in -> @a {max_delay = 8 : i64,
      weight = dense<1.0> : tensor<3x2xf32>, delay = dense<1> : tensor<3x2xi32>}
  snn.output @b
}

// -----

// Integer network, CSR, shift decay: only source 2 needs a relay (delays 7
// and 4). Relays get v_threshold 1 and v_decay 0
// (k = 0 zeroes the state), links weight 2 with scale 1; the rerouted
// synapses keep their integer weights, bits and scale.
// CHECK-LABEL: snn.network @int
// CHECK: snn.sparse_projection @ab @a -> @b {col_idx = dense<[0, 1]> : tensor<2xi32>, delay = dense<[2, 1]> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, weight = dense<[5, -7]> : tensor<2xi8>, weight_bits = 4 : i64, weight_scale = dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>}
// CHECK: snn.lif @ab_relay1 {relay, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 1.000000e-03 : f64, v_decay = 0 : i64, v_threshold = dense<1> : tensor<1xi32>}
// CHECK: snn.sparse_projection @ab_relay1_in @a -> @ab_relay1 {col_idx = dense<2> : tensor<1xi32>, delay = dense<3> : tensor<1xi32>, {{.*}}weight = dense<2> : tensor<1xi8>, weight_bits = 4 : i64, weight_scale = dense<1.000000e+00> : tensor<1xf32>}
// CHECK: snn.sparse_projection @ab_d1 @ab_relay1 -> @b {col_idx = dense<0> : tensor<2xi32>, delay = dense<[3, 0]> : tensor<2xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1, 2]> : tensor<3xi64>, weight = dense<[3, 6]> : tensor<2xi8>, weight_bits = 4 : i64, weight_scale = dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>}
snn.network @int attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 16 : i64, int_decay = #snn.int_decay<shift>} {
  snn.input @in {size = 1 : i64}
  snn.lif @a {size = 3 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<8> : tensor<3xi32>, v_decay = 4 : i64}
  snn.lif @b {size = 2 : i64, tau_mem = 2.0e-02 : f64, v_threshold = dense<8> : tensor<2xi32>, v_decay = 4 : i64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<7> : tensor<3x1xi8>, weight_bits = 4 : i64, weight_scale = dense<1.0> : tensor<1xf32>,
      delay = dense<0> : tensor<3x1xi32>}
  snn.sparse_projection @ab @a -> @b {max_delay = 8 : i64,
      row_ptr = dense<[0, 2, 4]> : tensor<3xi64>, col_idx = dense<[0, 2, 1, 2]> : tensor<4xi32>,
      weight = dense<[5, 3, -7, 6]> : tensor<4xi8>, weight_bits = 4 : i64,
      weight_scale = dense<[0.5, 0.25]> : tensor<2xf32>,
      delay = dense<[2, 7, 1, 4]> : tensor<4xi32>}
  snn.output @b
}

// -----

// A long delay from a spike input: the relay chain follows the input (its
// first link listens to the input channel with weight 2), and the rerouted
// synapse takes the input's scale into its weight (0.5 · 3 = 1.5).
// CHECK-LABEL: snn.network @spikes
// CHECK: snn.lif @ib_relay1 {relay, reset = #snn.reset<subtract>, size = 1 : i64, tau_mem = 1.000000e-03 : f64}
// CHECK: snn.sparse_projection @ib_relay1_in @in -> @ib_relay1 {col_idx = dense<1> : tensor<1xi32>, delay = dense<3> : tensor<1xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1]> : tensor<2xi64>, weight = dense<2.000000e+00> : tensor<1xf32>}
// CHECK: snn.sparse_projection @ib_d1 @ib_relay1 -> @b {col_idx = dense<0> : tensor<1xi32>, delay = dense<1> : tensor<1xi32>, max_delay = 4 : i64, row_ptr = dense<[0, 1]> : tensor<2xi64>, weight = dense<1.500000e+00> : tensor<1xf32>}
snn.network @spikes attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 2 : i64, encoding = #snn.encoding<spikes>, scale = 3.0 : f64}
  snn.li @b {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ib @in -> @b {max_delay = 8 : i64,
      weight = dense<[[1.0, 0.5]]> : tensor<1x2xf32>, delay = dense<[[0, 5]]> : tensor<1x2xi32>}
  snn.output @b
}
