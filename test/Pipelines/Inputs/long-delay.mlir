// A network whose delays (63 and 20 steps between two lif populations) need
// relays on every relay target: 63 is the first delay Loihi cannot hold
// natively (max 63 slots: delays 0..62). Generic form, so that it reads the
// same whatever the ops' assembly formats.
"builtin.module"() ({
  "snn.network"() <{decay = #snn.decay<linear>, dt = 1.000000e-03 : f64, steps = 80 : i64, sym_name = "long_delay"}> ({
    "snn.input"() <{encoding = #snn.encoding<spikes>, scale = 1.000000e+00 : f64, size = 2 : i64, sym_name = "in"}> : () -> ()
    "snn.lif"() <{reset = #snn.reset<hard>, size = 2 : i64, sym_name = "h", tau_mem = 2.000000e-02 : f64, threshold = 1.000000e+00 : f64}> : () -> ()
    "snn.lif"() <{reset = #snn.reset<hard>, size = 1 : i64, sym_name = "o", tau_mem = 2.000000e-02 : f64, threshold = 1.000000e+00 : f64}> : () -> ()
    "snn.projection"() <{delay = dense<[[0, 1], [1, 0]]> : tensor<2x2xi32>, max_delay = 2 : i64, source = @in, sym_name = "w1", target = @h, weight = dense<[[5.000000e-01, 2.500000e-01], [7.500000e-01, -5.000000e-01]]> : tensor<2x2xf32>}> : () -> ()
    "snn.projection"() <{delay = dense<[[63, 20]]> : tensor<1x2xi32>, max_delay = 64 : i64, source = @h, sym_name = "w2", target = @o, weight = dense<[[5.000000e-01, -2.500000e-01]]> : tensor<1x2xf32>}> : () -> ()
    "snn.output"() <{population = @o}> : () -> ()
  }) : () -> ()
}) : () -> ()

