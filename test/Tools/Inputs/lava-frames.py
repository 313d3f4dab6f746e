"""Random frames dataset (docs/formats/dataset.md, kind frames) for the Lava tests:
OUT SAMPLES STEPS CHANNELS CLASSES SEED. Values in [0, 1) at about 30 % of channel-steps."""
import sys

import h5py
import numpy as np

out, n, t, c, classes, seed = sys.argv[1], *map(int, sys.argv[2:7])
rng = np.random.default_rng(seed)
frames = (rng.random((n, t, c)) < 0.3) * rng.random((n, t, c))
with h5py.File(out, "w") as f:
    for key, value in (("format", "snnc-dataset"), ("kind", "frames"),
                       ("source", "test/Tools/Inputs/lava-frames.py")):
        f.attrs[key] = value
    f.attrs["version"] = np.int64(1)
    f.attrs["dt"] = np.float64(1e-3)
    f.attrs["steps"], f.attrs["channels"] = np.int64(t), np.int64(c)
    f.attrs["num_classes"] = np.int64(classes)
    f["labels"] = rng.integers(0, classes, n).astype(np.int32)
    f["frames"] = frames.astype(np.float32)
