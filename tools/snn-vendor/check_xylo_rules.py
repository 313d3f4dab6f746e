#!/usr/bin/env python3
"""Check the numpy model of XyloSim's arithmetic (xylo_reference.py, rules SNN-X*)
bit-exactly against Rockpool's XyloSim on random networks (xylo_random.py).

For each network: draw a random specification, build it in XyloSim once, and run
every sample from a reset state (``reset_state``) through XyloSim and the reference;
compare every hidden spike count, output spike and recorded state (Vmem, Isyn, Isyn2,
Vmem_out, Isyn_out). Every tenth network also goes through save_spec / load_spec
and is built with the literal user line ``XyloSim.from_specification(**np.load(f))``.
Exit status 0 when all agree, 1 at the first difference (named by network, sample,
layer, neuron and step), 2 when XyloSim is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xylo_bridge import VendorMissing, build, import_xylosim, run_sample  # noqa: E402
from xylo_random import random_counts, random_spec  # noqa: E402
import xylo_reference  # noqa: E402
from xylo_reference import run_reference  # noqa: E402
from xylo_spec import load_spec, save_spec  # noqa: E402

KEYS = [("Spikes", "hidden spikes"), ("Vmem", "hidden Vmem"), ("Isyn", "hidden Isyn"),
        ("Isyn2", "hidden Isyn2"), ("out_spikes", "output spikes"),
        ("Vmem_out", "output Vmem"), ("Isyn_out", "output Isyn")]


def first_difference(a: dict, b: dict):
    """The earliest differing step over all recordings (hidden before output, spikes
    before states within a step), as text; None when all agree."""
    best = None
    for order, (k, what) in enumerate(KEYS):
        if a[k].shape != b[k].shape:
            return f"{what}: shape {a[k].shape} vs {b[k].shape}"
        d = np.argwhere(a[k] != b[k])
        if d.size:
            t, n = min(map(tuple, d))
            if best is None or (t, order) < best[:2]:
                best = (t, order, n, k, what)
    if best is None:
        return None
    t, _, n, k, what = best
    return f"{what}, neuron {n}, step {t}: XyloSim {a[k][t, n]}, reference {b[k][t, n]}"


def _mutate(name: str) -> None:
    """Replace one rule of the reference by a plausible alternative (to show the
    check detects it)."""
    R = xylo_reference
    if name == "no-min-decay":      # SNN-X2 without the minimum decay of 1
        R.decay = lambda v, d: np.right_shift(v, d)
    elif name == "trunc-decay":     # SNN-X2 rounding toward zero instead of flooring
        R.decay = lambda v, d: np.where(v < 0, -np.right_shift(-v, d), np.right_shift(v, d))
    elif name == "exact-delivery":  # SNN-X4 one saturation after the whole sum
        R._deliver = lambda st, n, w: R.sat16(st + np.tensordot(n, w, axes=(0, 0)))
    elif name == "one-stage-dv":    # SNN-X7 one saturation of v + leak + sum + bias
        def integ(v, isyn, dm, ds, b):
            isyn = isyn - R.decay(isyn, ds)
            return R.sat16(v - R.decay(v, dm) + isyn.sum(axis=1) + b), isyn
        R._integrate = integ
    elif name == "no-int16-wrap":    # SNN-X3/X7/X8 no int16 wrap-around (shifted weights, -decay(-32768), v - th)
        R.wrap16 = lambda x: np.asarray(x, np.int64)
    elif name == "out-max-31":      # SNN-X9 output neurons like hidden ones
        R.MAX_OUT_SPIKES = 31
    elif name != "none":
        raise SystemExit(f"check_xylo_rules: unknown --mutate {name}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--networks", type=int, default=200, help="random networks (default 200)")
    ap.add_argument("--samples", type=int, default=3, help="samples per network (default 3)")
    ap.add_argument("--steps", type=int, default=60, help="steps per sample (default 60)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--no-large", action="store_true", help="skip the network with 990..1000 hidden neurons")
    ap.add_argument("--mutate", default="none",
                    choices=["none", "no-min-decay", "trunc-decay", "exact-delivery", "one-stage-dv",
                             "no-int16-wrap", "out-max-31"],
                    help="replace one rule of the reference by an alternative; the check must then fail")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per network")
    args = ap.parse_args(argv)
    try:
        XyloSim = import_xylosim()
    except VendorMissing as e:
        print(f"check_xylo_rules: {e}", file=sys.stderr)
        return 2

    _mutate(args.mutate)
    t0 = time.time()
    tot = {"samples": 0, "steps": 0, "hidden_spikes": 0, "out_spikes": 0, "multi": 0,
           "sat": 0, "aliases": 0, "roundtrips": 0, "over15": 0}
    with tempfile.TemporaryDirectory(prefix="xylo-check.") as tmp:
        for i in range(args.networks):
            rng = np.random.default_rng([args.seed, i])
            large = (i == 1 and not args.no_large)
            spec = random_spec(rng, int(rng.integers(990, 1001)) if large else None)
            if i % 10 == 0:
                path = os.path.join(tmp, f"net_{i}.xylo.npz")
                save_spec(path, spec)
                spec = load_spec(path)
                with np.load(path, allow_pickle=True) as z:  # the user's one line
                    mod = XyloSim.from_specification(**z)
                tot["roundtrips"] += 1
            else:
                mod = build(spec)
            tot["aliases"] += any(spec["aliases"])
            n_in = spec["weights_in"].shape[0]
            steps = 25 if large else args.steps
            for s in range(args.samples):
                over = (i % 7 == 3 and s == 0)
                x = random_counts(rng, steps, n_in, over_limit=over)
                tot["over15"] += int((x > 15).sum())
                a = run_sample(mod, x)
                b = run_reference(spec, x)
                diff = first_difference(a, b)
                if diff:
                    print(f"DIFFERENCE network {i} (seed {args.seed}), sample {s}: {diff}")
                    return 1
                tot["samples"] += 1
                tot["steps"] += steps
                tot["hidden_spikes"] += int(a["Spikes"].sum())
                tot["out_spikes"] += int(a["out_spikes"].sum())
                tot["multi"] += int((a["Spikes"] > 1).sum())
                tot["sat"] += int(sum(((a[k] == 32767) | (a[k] == -32768)).sum()
                                      for k in ("Vmem", "Isyn", "Isyn2", "Vmem_out", "Isyn_out")))
            if args.verbose:
                N = spec["weights_rec"].shape[0]
                print(f"network {i}: {n_in}-{N}-{spec['weights_out'].shape[1]} ok")
    wall = time.time() - t0
    print(f"bit-exact: {args.networks} networks, {tot['samples']} samples, {tot['steps']} steps; "
          f"{tot['hidden_spikes']} hidden spikes ({tot['multi']} multi-spike neuron-steps), "
          f"{tot['out_spikes']} output spikes, {tot['sat']} saturated state values, "
          f"{tot['aliases']} networks with aliases, {tot['over15']} input counts above 15, "
          f"{tot['roundtrips']} file round trips; {wall:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
