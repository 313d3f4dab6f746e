#!/usr/bin/env python3
"""Change one weight of a Rockpool Xylo specification (.xylo.npz), for the test that
level 5 of `snnc verify --vendor xylosim` catches it at the right neuron.

    xylo_tamper.py SPEC.xylo.npz OUT.xylo.npz [--matrix in|rec|out] [--meta NET.xylo.json]
                   [--source I --target J] [--delta D]

Without --source/--target the largest-magnitude non-zero weight of the matrix is
changed (it is used, so the change shows), by default to its negation (an excitatory
synapse becomes inhibitory: the largest change int8 allows); with --delta D, D is added
(subtracted when adding would leave [-128, 127]). Prints the changed entry and, with
--meta, the snnc neuron it feeds: `target: population NAME neuron K` (hidden or output
neuron) or `target: relay`. OUT gets the .xylo.json copied next to it when --meta is
given, so that `snnc verify` finds the pair. Exit 1 on a bad spec or index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xylo_run import MetaError, index_map  # noqa: E402
from xylo_spec import SpecError, load_spec, save_spec, shape_of  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("--matrix", choices=["in", "rec", "out"], default="rec")
    ap.add_argument("--meta", help="snnc's .xylo.json: name the neuron the weight feeds")
    ap.add_argument("--source", type=int)
    ap.add_argument("--target", type=int)
    ap.add_argument("--delta", type=int, default=None,
                    help="add D (default: flip the sign, the largest change int8 allows)")
    args = ap.parse_args(argv)
    try:
        spec = load_spec(args.spec)
    except SpecError as e:
        print(f"xylo_tamper: {e}", file=sys.stderr)
        return 1
    key = f"weights_{args.matrix}"
    w = np.array(spec[key], np.int64)
    w2 = w if w.ndim == 2 else w[:, :, 0]  # port 1 (snnc writes port 2 empty)
    if args.source is None or args.target is None:
        if not np.any(w2):
            print(f"xylo_tamper: {args.spec}: {key} is all zero", file=sys.stderr)
            return 1
        i, j = np.unravel_index(int(np.argmax(np.abs(w2))), w2.shape)
    else:
        i, j = args.source, args.target
    if not (0 <= i < w2.shape[0] and 0 <= j < w2.shape[1]):
        print(f"xylo_tamper: {key}[{i}, {j}] is outside {w2.shape}", file=sys.stderr)
        return 1
    old = int(w2[i, j])
    if args.delta is None:
        new = max(-127, min(127, -old)) if old != 0 else 100
    else:
        new = old + args.delta if -128 <= old + args.delta <= 127 else old - args.delta
    if not -128 <= new <= 127 or new == old:
        print(f"xylo_tamper: cannot change {key}[{i}, {j}] = {old} by {args.delta} within int8", file=sys.stderr)
        return 1
    w2[i, j] = new
    if w.ndim == 3:
        w[:, :, 0] = w2
    spec[key] = w.astype(np.int64)
    try:
        save_spec(args.out, spec)
    except (OSError, SpecError) as e:
        print(f"xylo_tamper: {args.out}: cannot write ({e})", file=sys.stderr)
        return 1
    print(f"changed: {key}[{i}, {j}] {old} -> {new}")
    if args.meta:
        try:
            with open(args.meta) as f:
                meta = json.load(f)
            n_in, n_hid, n_out = shape_of(spec)
            hidden, outputs = index_map(meta, n_hid, n_out, args.meta)
        except (OSError, json.JSONDecodeError, MetaError) as e:
            print(f"xylo_tamper: {e}", file=sys.stderr)
            return 1
        fed = (outputs if args.matrix == "out" else hidden)[j]
        print("target: relay" if fed is None else f"target: population {fed[0]} neuron {fed[1]}")
        out_meta = args.out[:-len(".npz")] + ".json" if args.out.endswith(".npz") else args.out + ".json"
        if os.path.abspath(out_meta) != os.path.abspath(args.meta):
            shutil.copyfile(args.meta, out_meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
