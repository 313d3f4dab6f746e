"""Writes OUT: an snn network that fits Xylo's 1000 hidden neurons only
without its delays: 16 inputs -> 995 lif neurons with delay 1 on every input
synapse (16 relays, one per input channel) -> 4 li outputs."""
import sys

out = sys.argv[1]
with open(out, "w") as f:
    f.write("""snn.network @big attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 16 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 995 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 4 : i64, tau_mem = 8.0e-03 : f64, tau_syn = 2.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 2 : i64,
      weight = dense<0.5> : tensor<995x16xf32>, delay = dense<1> : tensor<995x16xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64,
      weight = dense<0.25> : tensor<4x995xf32>, delay = dense<0> : tensor<4x995xi32>}
  snn.output @o
}
""")
