#!/usr/bin/env python3
"""flip.py IN OUT --in-dataset: copies IN to OUT with one bit flipped in the
middle of the file's largest run of non-zero raw bytes (a weight dataset).
flip.py IN DIR --every K: writes DIR/NNNN.h5 with bit 0 of byte i flipped for
every K-th byte i, and DIR/ref.mlir is left for the caller to make."""
import os
import sys

src, dst, mode = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
if mode == "--in-dataset":
    # Longest run of bytes without 8 zero bytes in a row: float weights.
    best, start, zeros = (0, 0), 0, 0
    for i, b in enumerate(data):
        zeros = zeros + 1 if b == 0 else 0
        if zeros == 8:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = i + 1
    mid = (best[0] + best[1]) // 2
    d = bytearray(data)
    d[mid] ^= 0x10
    open(dst, "wb").write(d)
else:
    k = int(sys.argv[4])
    os.makedirs(dst, exist_ok=True)
    n = 0
    for i in range(0, len(data), k):
        d = bytearray(data)
        d[i] ^= 1
        open(os.path.join(dst, "%06d.h5" % i), "wb").write(d)
        n += 1
    print("wrote %d mutants" % n)
