#!/usr/bin/env python3
"""Writes dense-small.h5 and dense-external-link.h5: files in the HDF5 1.10
format (h5py, libver v110) whose metadata lives in the structures that
h5py and NIR files with many links or attributes use, and that
h5::checkStructure walks: a group of 12 links and an object with 12
attributes in dense storage (fractal heaps, v2 B-trees, creation order
indexed), and chunked datasets with each 1.10 chunk index (fixed array,
filtered and not; extensible array; v2 B-tree; implicit; single chunk).
dense-external-link.h5 holds an external link among 11 dense links.

Needs h5py (scripts/snnc-setup vendors provides one):
    build/vendors-venv/bin/python test/hostile/Inputs/make-dense-fixture.py
The committed files are this script's output; rerun only to change them.
"""
import os
import sys

import h5py
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else here
x = np.arange(64, dtype="<i4")
with h5py.File(os.path.join(out, "dense-small.h5"), "w",
               libver=("v110", "v110")) as f:
    g = f.create_group("links", track_order=True)
    for i in range(12):
        g.create_group("group_%02d" % i)
    a = f.create_group("attrs")
    for i in range(12):
        a.attrs["attribute_%02d" % i] = np.arange(i + 1, dtype="<i4")
    f.create_dataset("fixed", data=x, chunks=(8,), fletcher32=True)
    f.create_dataset("fixed_plain", data=x, chunks=(8,))
    f.create_dataset("extensible", data=x, chunks=(8,), maxshape=(None,))
    f.create_dataset("btree", data=x.reshape(8, 8), chunks=(4, 4),
                     maxshape=(None, None))
    f.create_dataset("single", data=x, chunks=(64,), fletcher32=True)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((8,))
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    space = h5py.h5s.create_simple((64,), (64,))
    d = h5py.h5d.create(f.id, b"implicit", h5py.h5t.STD_I32LE, space, dcpl)
    d.write(h5py.h5s.ALL, h5py.h5s.ALL, x)
with h5py.File(os.path.join(out, "dense-external-link.h5"), "w",
               libver=("v110", "v110")) as f:
    g = f.create_group("links")
    for i in range(10):
        g.create_group("group_%02d" % i)
    g["elsewhere"] = h5py.ExternalLink("other.h5", "/secret")
