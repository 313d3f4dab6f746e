"""Changes one weight of a NetX file in place, for the level-5 tamper tests:
FILE LAYER ROW COL VALUE. The weight at [ROW, COL] of the dense layer named
LAYER becomes VALUE, which must lie within the layer's smallest and largest
weights, so that netx stores every other weight as before (SNN-L4)."""
import sys

import h5py
import numpy as np

path, name = sys.argv[1], sys.argv[2]
row, col, new = map(int, sys.argv[3:6])
with h5py.File(path, "r+") as f:
    for key in f["layer"]:
        g = f["layer"][key]
        if "name" in g and g["name"][()].decode() == name:
            w = np.array(g["weight"][()])
            old = int(w[row, col])
            if not (w.min() <= new <= w.max()):
                sys.exit(f"{name}[{row}, {col}] = {old}: {new} is outside [{w.min()}, {w.max()}]")
            w[row, col] = new
            del g["weight"]
            g["weight"] = w
            print(f"{name}[{row}, {col}]: {old} -> {new}")
            break
    else:
        sys.exit(f"{path}: no layer named {name}")
