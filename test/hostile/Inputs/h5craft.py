#!/usr/bin/env python3
"""h5craft.py IN OUT SIG[#N] FIELD=VALUE...: copies the HDF5 file IN to OUT
with fields of its N-th (default first) metadata block of signature SIG set,
and the block's checksum recomputed, as a deliberately crafted file would
have it (HDF5's own checksums then pass; only snnc's structure check stands
between the values and HDF5's allocations). Offsets are for files with 8-byte
addresses and lengths, as snnc, h5py and HDF5's defaults write them.
Fields (byte offset in the block, width):
  FRHP (fractal heap header): width, start, maxdirect, maxindex, rootrows,
       maxman, root
  BTHD (v2 B-tree header):    nodesize, recsize, depth, root, rootrecs,
                              total
  FAHD (fixed array header):  elemsize, pagebits, count, block
  EAHD (extensible array):    maxbits, blockmin, supermin, index
Prints the block's offset (tests name it in their expected messages)."""
import sys

FIELDS = {
    "FRHP": (146, {"maxman": (10, 4), "width": (110, 2), "start": (112, 8),
                   "maxdirect": (120, 8), "maxindex": (128, 2),
                   "root": (132, 8), "rootrows": (140, 2)}),
    "BTHD": (38, {"nodesize": (6, 4), "recsize": (10, 2), "depth": (12, 2),
                  "root": (16, 8), "rootrecs": (24, 2), "total": (26, 8)}),
    "FAHD": (28, {"elemsize": (6, 1), "pagebits": (7, 1), "count": (8, 8),
                  "block": (16, 8)}),
    "EAHD": (72, {"maxbits": (7, 1), "blockmin": (9, 1), "supermin": (10, 1),
                  "index": (60, 8)}),
}
M = 0xffffffff


def rot(x, k):
    return ((x << k) | (x >> (32 - k))) & M


def lookup3(data):
    """Bob Jenkins' lookup3 hashlittle (initial value 0): HDF5's metadata
    checksum."""
    n = len(data)
    a = b = c = (0xdeadbeef + n) & M
    i = 0
    while n > 12:
        a = (a + int.from_bytes(data[i:i + 4], "little")) & M
        b = (b + int.from_bytes(data[i + 4:i + 8], "little")) & M
        c = (c + int.from_bytes(data[i + 8:i + 12], "little")) & M
        a = (a - c) & M; a ^= rot(c, 4); c = (c + b) & M
        b = (b - a) & M; b ^= rot(a, 6); a = (a + c) & M
        c = (c - b) & M; c ^= rot(b, 8); b = (b + a) & M
        a = (a - c) & M; a ^= rot(c, 16); c = (c + b) & M
        b = (b - a) & M; b ^= rot(a, 19); a = (a + c) & M
        c = (c - b) & M; c ^= rot(b, 4); b = (b + a) & M
        n -= 12
        i += 12
    if n == 0:
        return c
    tail = bytes(data[i:]) + bytes(12 - n)
    a = (a + int.from_bytes(tail[0:4], "little")) & M
    b = (b + int.from_bytes(tail[4:8], "little")) & M
    c = (c + int.from_bytes(tail[8:12], "little")) & M
    c ^= b; c = (c - rot(b, 14)) & M
    a ^= c; a = (a - rot(c, 11)) & M
    b ^= a; b = (b - rot(a, 25)) & M
    c ^= b; c = (c - rot(b, 16)) & M
    a ^= c; a = (a - rot(c, 4)) & M
    b ^= a; b = (b - rot(a, 14)) & M
    c ^= b; c = (c - rot(b, 24)) & M
    return c


def main():
    src, dst, sig = sys.argv[1], sys.argv[2], sys.argv[3]
    nth = 0
    if "#" in sig:
        sig, nth = sig.split("#")
        nth = int(nth)
    data = bytearray(open(src, "rb").read())
    at = -1
    for _ in range(nth + 1):
        at = data.find(sig.encode(), at + 1)
        if at < 0:
            sys.exit("h5craft: no block %s#%d in %s" % (sig, nth, src))
    length, fields = FIELDS[sig]
    block = data[at:at + length]
    stored = int.from_bytes(block[-4:], "little")
    if lookup3(block[:-4]) != stored:
        sys.exit("h5craft: the %s block at %d has no valid checksum" %
                 (sig, at))
    for item in sys.argv[4:]:
        name, value = item.split("=")
        off, width = fields[name]
        data[at + off:at + off + width] = int(value, 0).to_bytes(width,
                                                                 "little")
    data[at + length - 4:at + length] = lookup3(
        data[at:at + length - 4]).to_bytes(4, "little")
    open(dst, "wb").write(data)
    print(at)


if __name__ == "__main__":
    main()
