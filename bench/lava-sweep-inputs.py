"""Random spike inputs for bench/lava-level5-sweep.sh: OUT SAMPLES STEPS CHANNELS SEED [MAXCOUNT].
Counts in [0, MAXCOUNT] (1: binary spikes; above 1: graded spikes in Lava, SNN-L2),
about 15 % of channel-steps non-zero."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "snn-vendor"))
from netx_io import write_spike_dataset  # noqa: E402

out, n, t, c, seed = sys.argv[1], *map(int, sys.argv[2:6])
maxcount = int(sys.argv[6]) if len(sys.argv) > 6 else 1
rng = np.random.default_rng(seed)
x = (rng.random((n, t, c)) < 0.15) * rng.integers(1, maxcount + 1, (n, t, c))
write_spike_dataset(out, x.astype(np.int64), num_classes=4)
