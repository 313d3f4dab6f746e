"""Checks the delay relay of docs/semantics.md (SNN-X13, "Delay relay") in XyloSim's
arithmetic: a chain of relay neurons (dash_syn 1, dash_mem 0, threshold c = 2^s_rec,
weight +2 from the previous link and self-weight -1, both through weight_shift_rec; the
first link of an input channel fed 2c through weights_in) repeats every count, bursts of
up to 31 (15 for inputs) included, one step later per link, with v back to 0 every step.

Runs the numpy reference (xylo_reference.py) and, with --xylosim, XyloSim itself; also
reproduces the values of FlatExecutorTest.XyloMatchesTheReferenceWithAnExplicitRelay.
Exit status 0 when every check holds.

    build/vendors-venv/bin/python tools/snn-vendor/check_xylo_relay.py [--xylosim] [--steps T]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from xylo_reference import run_reference


def spec_of(w_in, w_rec, w_out, dash_mem, dash_syn, threshold, out_dash_mem,
            s_in, s_rec, s_out):
    n, n_out = w_rec.shape[0], w_out.shape[1]
    return dict(weights_in=w_in, weights_rec=w_rec, weights_out=w_out,
                dash_mem=np.array(dash_mem), dash_syn=np.array(dash_syn),
                dash_syn_2=np.zeros(n, np.int64), threshold=np.array(threshold),
                bias=np.zeros(n, np.int64), dash_mem_out=np.full(n_out, out_dash_mem),
                dash_syn_out=np.ones(n_out, np.int64),
                threshold_out=np.full(n_out, 32767), bias_out=np.zeros(n_out, np.int64),
                weight_shift_in=s_in, weight_shift_rec=s_rec, weight_shift_out=s_out,
                dt=1e-3, aliases=[[] for _ in range(n)])


def hidden_chain(s_rec: int, links: int):
    """Hidden 0: a source driven by input 0 with bursts up to 31; 1..links: its relays."""
    c = 2 ** s_rec
    n = links + 1
    w_in = np.zeros((1, n), np.int64)
    w_in[0, 0] = 64                      # 16384 per event (s_in 8): bursts up to 31
    w_rec = np.zeros((n, n), np.int64)
    for k in range(1, n):
        w_rec[k - 1, k] = 2
        w_rec[k, k] = -1
    w_out = np.zeros((n, 1), np.int64)
    thr = [600] + [c] * links
    return spec_of(w_in, w_rec, w_out, [1] + [0] * links, [1] * n, thr, 1, 8, s_rec, 0)


def input_chain(s_in: int, s_rec: int, links: int):
    c = 2 ** s_rec
    w_in = np.zeros((1, links), np.int64)
    w_in[0, 0] = (2 * c) >> s_in
    w_rec = np.zeros((links, links), np.int64)
    for k in range(links):
        w_rec[k, k] = -1
        if k:
            w_rec[k - 1, k] = 2
    return spec_of(w_in, w_rec, np.zeros((links, 1), np.int64), [0] * links,
                   [1] * links, [c] * links, 1, s_in, s_rec, 0)


def unit_test_network():
    """FlatExecutorTest.XyloMatchesTheReferenceWithAnExplicitRelay."""
    w_in = np.zeros((1, 3), np.int64); w_in[0, 0] = 5
    w_rec = np.zeros((3, 3), np.int64)
    w_rec[0, 2], w_rec[2, 2], w_rec[2, 1], w_rec[0, 1] = 2, -1, 7, 3
    w_out = np.zeros((3, 1), np.int64); w_out[1, 0] = 2
    spec = spec_of(w_in, w_rec, w_out, [0, 2, 0], [1, 1, 1], [10, 50, 16], 3, 2, 4, 3)
    counts = np.zeros((12, 1), np.int64)
    counts[2, 0], counts[5, 0], counts[6, 0] = 3, 20, 1
    return spec, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xylosim", action="store_true", help="also run XyloSim")
    ap.add_argument("--steps", type=int, default=300)
    args = ap.parse_args()
    runners = [("reference", run_reference)]
    if args.xylosim:
        import xylo_bridge
        runners.append(("XyloSim", lambda s, x: xylo_bridge.run_sample(xylo_bridge.build(s), x)))
    rng = np.random.default_rng(7)
    failures = 0

    def check(name, ok):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        failures += 0 if ok else 1

    for who, run in runners:
        for s_rec in (0, 4, 8):
            links = 3
            counts = rng.integers(0, 16, size=(args.steps, 1)) * rng.integers(0, 3, size=(args.steps, 1))
            r = run(hidden_chain(s_rec, links), counts)
            sp = np.asarray(r["Spikes"])
            ok = sp[:, 0].max() > 15 and all(
                (sp[k:, k] == sp[: args.steps - k, 0]).all() and (sp[:k, k] == 0).all()
                for k in range(1, links + 1))
            check(f"{who}: hidden relay chain, s_rec {s_rec}, bursts up to {sp[:, 0].max()}", ok)
            check(f"{who}: hidden relays return to v = 0", (np.asarray(r["Vmem"])[:, 1:] == 0).all())
        for s_in, s_rec in ((0, 0), (3, 6), (8, 8)):
            counts = rng.integers(0, 16, size=(args.steps, 1))
            r = run(input_chain(s_in, s_rec, 2), counts)
            sp = np.asarray(r["Spikes"])
            ok = (sp[:, 0] == counts[:, 0]).all() and (sp[1:, 1] == counts[:-1, 0]).all()
            check(f"{who}: input relay chain, s_in {s_in}, s_rec {s_rec}", ok)
        spec, counts = unit_test_network()
        r = run(spec, counts)
        ok = (np.asarray(r["Spikes"])[:, 0].tolist() == [0, 0, 3, 1, 0, 15, 8, 4, 2, 1, 0, 0]
              and np.asarray(r["Spikes"])[:, 1].tolist() == [0, 0, 0, 1, 4, 4, 8, 25, 24, 17, 11, 7]
              and np.asarray(r["Vmem_out"])[:, 0].tolist() == [0, 0, 0, 0, 8, 43, 88, 166, 391, 658, 870, 997])
        check(f"{who}: FlatExecutorTest's network gives the unit test's values", ok)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
