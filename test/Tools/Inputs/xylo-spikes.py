"""Random spike-count dataset for the Xylo tests: OUT SAMPLES STEPS CHANNELS SEED [DT].

Counts 0..15 per channel and step (Xylo takes at most 15 input events per
channel and step): mostly silent, some single events, some bursts up to 15,
so that input delivery saturates now and then."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "tools", "snn-vendor"))
from snnc_h5 import write_spike_dataset  # noqa: E402

out, n, t, c, seed = sys.argv[1], *map(int, sys.argv[2:6])
dt = float(sys.argv[6]) if len(sys.argv) > 6 else 0.01
rng = np.random.default_rng(seed)
u = rng.random((n, t, c))
x = np.where(u < 0.15, 1, 0) + np.where(u < 0.03, rng.integers(1, 15, (n, t, c)), 0)
write_spike_dataset(out, list(x.astype(np.int64)), np.zeros(n, np.int32), dt, 1,
                    "test/Tools/Inputs/xylo-spikes.py")
