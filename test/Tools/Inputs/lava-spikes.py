"""Random 0/1 spike dataset for the Lava tests: OUT SAMPLES STEPS CHANNELS SEED."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "tools", "snn-vendor"))
from netx_io import write_spike_dataset  # noqa: E402

out, n, t, c, seed = sys.argv[1], *map(int, sys.argv[2:6])
rng = np.random.default_rng(seed)
write_spike_dataset(out, (rng.random((n, t, c)) < 0.15).astype(np.int64), num_classes=4)
