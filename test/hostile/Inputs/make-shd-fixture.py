#!/usr/bin/env python3
"""Writes shd-small.h5: a tiny file in the published SHD layout (Zenke et al.,
h5py defaults, no checksums), the SHD input of mutation-sweep.py.

Needs h5py (scripts/snnc-setup vendors provides one):
    build/vendors-venv/bin/python test/hostile/Inputs/make-shd-fixture.py
The committed file is the output of this script; rerun only to change it.
"""
import os
import sys

import h5py
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "shd-small.h5")
rng = np.random.default_rng(20)
n = 12
with h5py.File(out, "w") as f:
    f["labels"] = rng.integers(0, 20, n).astype(np.uint8)
    f["extra/speaker"] = rng.integers(0, 10, n).astype(np.uint8)
    vt = h5py.vlen_dtype(np.float16)
    vu = h5py.vlen_dtype(np.uint16)
    times = f.create_dataset("spikes/times", (n,), dtype=vt)
    units = f.create_dataset("spikes/units", (n,), dtype=vu)
    for i in range(n):
        k = int(rng.integers(20, 60))
        times[i] = np.sort(rng.uniform(0, 0.9, k)).astype(np.float16)
        units[i] = rng.integers(0, 700, k).astype(np.uint16)
