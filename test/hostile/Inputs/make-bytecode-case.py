#!/usr/bin/env python3
"""Writes a corrupted copy of a valid MLIR bytecode file (bytecode version 6,
as `snn-opt --emit-bytecode` writes it), one corruption per case, for
test/hostile/corrupted-bytecode.test. The inputs of that test were made with

    make-bytecode-case.py fuzz/corpus/mlir-bytecode/hostile.mlirbc OUT CASE

The file is split into its sections and written back with the sections'
lengths and alignment padding recomputed (offsets from the file's start, as
MLIR's writer aligns them), so a case changes only what it names. The entry
numbers below are those of hostile.mlirbc (snn-gen-network hostile --seed 1).
"""
import sys


def read_varint(b, i):
    first = b[i]
    if first == 0:
        return int.from_bytes(b[i + 1:i + 9], "little"), i + 9
    n = (first & -first).bit_length() - 1  # trailing zeros: bytes that follow
    raw = int.from_bytes(b[i:i + 1 + n], "little")
    return raw >> (n + 1), i + 1 + n


def varint(v):
    for n in range(8):
        if v < (1 << (7 * (n + 1))):
            return ((((v << 1) | 1) << n)).to_bytes(n + 1, "little")
    return b"\0" + v.to_bytes(8, "little")


def split(b):
    assert b[:4] == b"ML\xefR", "not MLIR bytecode"
    _, i = read_varint(b, 4)
    i = b.index(0, i) + 1  # the producer string
    head, sections = b[:i], []
    while i < len(b):
        sid = b[i]
        length, i = read_varint(b, i + 1)
        align = None
        if sid & 0x80:
            align, i = read_varint(b, i)
            while i % align:
                i += 1
        sections.append([sid & 0x7F, align, bytes(b[i:i + length])])
        i += length
    return head, sections


def join(head, sections):
    out = bytearray(head)
    for sid, align, data in sections:
        out.append(sid | (0x80 if align else 0))
        out += varint(len(data))
        if align:
            out += varint(align)
            while len(out) % align:
                out.append(0xCB)
        out += data
    return bytes(out)


def strings(data):
    n, i = read_varint(data, 0)
    sizes = []
    for _ in range(n):
        size, i = read_varint(data, i)
        sizes.append(size)
    return sizes[::-1], data[i:]  # sizes are stored last string first


def entry_offsets(offsets):
    """(offset in the attribute/type section) of every attribute entry."""
    attrs, i = read_varint(offsets, 0)
    _, i = read_varint(offsets, i)
    pos, result = 0, []
    while len(result) < attrs:
        _, i = read_varint(offsets, i)  # dialect
        count, i = read_varint(offsets, i)
        for _ in range(count):
            size, i = read_varint(offsets, i)
            result.append(pos)
            pos += size >> 1
    return result


def main():
    src, dst, case = sys.argv[1:4]
    head, sections = split(open(src, "rb").read())
    at = {s[0]: s for s in sections}
    attr = entry_offsets(at[3][2])

    def patch_attr(index, offset, value):
        data = bytearray(at[2][2])
        data[attr[index] + offset] = value
        at[2][2] = bytes(data)

    if case == "int-attr-float-type":
        # attribute 13, IntegerAttr 8 : i64 (11 01 11): its type index 0
        # (i64) becomes 1 (f64).
        patch_attr(13, 1, 0x03)
    elif case == "float-attr-int-type":
        # attribute 3, a FloatAttr of type 1 (f64): type 0 (i64) instead.
        patch_attr(3, 1, 0x01)
    elif case == "top-block-args":
        # The top-level block header (ops << 1 | has-arguments) gets one
        # argument of type 0, no location, no use-list order.
        ir = at[4][2]
        header, i = read_varint(ir, 0)
        at[4][2] = varint(header | 1) + varint(1) + varint(0) + b"\0" + ir[i:]
    elif case == "empty-string":
        # String 1 ('snn') gets size 0; string 0 takes its bytes, so the
        # section stays consistent.
        sizes, data = strings(at[0][2])
        sizes[0] += sizes[1]
        sizes[1] = 0
        at[0][2] = (varint(len(sizes)) +
                    b"".join(varint(s) for s in reversed(sizes)) + data)
    else:
        sys.exit("unknown case " + case)
    open(dst, "wb").write(join(head, sections))


if __name__ == "__main__":
    main()
