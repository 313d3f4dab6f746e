#!/usr/bin/env python3
"""Random Xylo Audio 2 specifications within Xylo's limits, and matching random
spike datasets, to test XyloSim's arithmetic (check_xylo_rules.py) and the bridge.

Each network draws its shape (1..16 inputs, 1..64 hidden, 1..8 outputs, or a large
hidden layer near 1000), its connectivity (dense or sparse, excitatory, inhibitory or
mixed, one or both synaptic ports, 2-D or 3-D weight tensors, input and output
layers reaching fewer hidden neurons), weight shifts, dashes 0..15, biases, small and
large thresholds (so that multi-spike steps and 16-bit saturation happen) and
sometimes aliases. Inputs are event counts 0..15 per channel and step.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xylo_spec import MAX_HIDDEN, save_spec, validate_spec  # noqa: E402


def _weights(rng, shape, style, density):
    if style == "exc":
        w = rng.integers(0, 128, shape)
    elif style == "inh":
        w = rng.integers(-128, 1, shape)
    elif style == "small":
        w = rng.integers(-8, 9, shape)
    elif style == "extreme":
        w = rng.choice([-128, -127, 127, 126], shape)
    else:
        w = rng.integers(-128, 128, shape)
    return np.where(rng.random(shape) < density, w, 0).astype(np.int8)


def _pick(rng, options, p=None):
    return options[rng.choice(len(options), p=p)]


def _dashes(rng, n):
    mode = rng.integers(3)
    if mode == 0:
        return rng.integers(0, 16, n)            # anything, 0 included (wipes the state)
    if mode == 1:
        return rng.integers(1, 7, n)             # typical
    return np.full(n, rng.integers(0, 16))       # one value for the layer


def _thresholds(rng, n):
    mode = _pick(rng, ["small", "medium", "large", "mixed", "odd"], [0.3, 0.25, 0.15, 0.25, 0.05])
    if mode == "small":
        th = rng.integers(1, 30, n)
    elif mode == "medium":
        th = rng.integers(30, 2000, n)
    elif mode == "large":
        th = rng.integers(2000, 2**15, n)
    elif mode == "mixed":
        th = rng.choice([1, 2, 7, 64, 500, 4096, 20000, 32767], n)
    else:  # thresholds <= 0 (spike every step up to the cap; negative ones wrap)
        th = rng.integers(-50, 40, n)
    return th


def _biases(rng, n):
    mode = _pick(rng, ["none", "small", "large", "sparse"], [0.4, 0.25, 0.1, 0.25])
    if mode == "none":
        return np.zeros(n, np.int64)
    if mode == "small":
        return rng.integers(-20, 21, n)
    if mode == "large":
        return rng.integers(-(2**15), 2**15, n)
    return np.where(rng.random(n) < 0.3, rng.integers(-500, 501, n), 0)


def random_spec(rng: np.random.Generator, n_hidden: int | None = None) -> dict:
    n_in = int(rng.integers(1, 17))
    N = int(n_hidden if n_hidden is not None else rng.integers(1, 65))
    n_out = int(rng.integers(1, 9))
    ports = _pick(rng, ["two", "one3d", "2d"], [0.6, 0.1, 0.3])
    density = float(_pick(rng, [1.0, 0.5, 0.2, 0.05]))
    style = _pick(rng, ["mixed", "exc", "inh", "small", "extreme"], [0.4, 0.2, 0.1, 0.2, 0.1])
    n_in_res = N if rng.random() < 0.8 else int(rng.integers(1, N + 1))
    n_out_res = N if rng.random() < 0.8 else int(rng.integers(1, N + 1))
    third = {"two": (2,), "one3d": (1,), "2d": ()}[ports]
    w_in = _weights(rng, (n_in, n_in_res) + third, style, density)
    rec_mode = _pick(rng, ["none", "sparse", "dense", "absent"], [0.2, 0.4, 0.3, 0.1])
    rec_ports = third if rng.random() < 0.8 else _pick(rng, [(2,), ()])
    if rec_mode == "absent" and n_in_res == N:
        w_rec = None
    else:
        d = 0.0 if rec_mode in ("none", "absent") else (min(density, 0.3) if rec_mode == "sparse" else density)
        w_rec = _weights(rng, (N, N) + rec_ports, _pick(rng, ["mixed", "inh", "small", style]), d)
    w_out = _weights(rng, (n_out_res, n_out), _pick(rng, ["mixed", "exc", "small", style]), max(density, 0.2))
    shifts = [int(_pick(rng, [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12])) for _ in range(3)]
    spec = {
        "weights_in": w_in, "weights_out": w_out, "weights_rec": w_rec,
        "dash_mem": _dashes(rng, N), "dash_syn": _dashes(rng, N), "dash_syn_2": _dashes(rng, N),
        "dash_mem_out": _dashes(rng, n_out), "dash_syn_out": _dashes(rng, n_out),
        "threshold": _thresholds(rng, N), "threshold_out": _thresholds(rng, n_out),
        "bias": _biases(rng, N), "bias_out": _biases(rng, n_out),
        "weight_shift_in": shifts[0], "weight_shift_rec": shifts[1], "weight_shift_out": shifts[2],
        "dt": 1e-3,
    }
    if rng.random() < 0.2:
        aliases = [[] for _ in range(N)]
        for i in np.nonzero(rng.random(N) < 0.3)[0]:
            aliases[i] = [int(rng.integers(0, N))]
        spec["aliases"] = aliases
    return validate_spec(spec, "random spec")


def random_counts(rng: np.random.Generator, steps: int, n_in: int, over_limit: bool = False) -> np.ndarray:
    """(steps, n_in) event counts: sparse single events, bursts up to 15, or dense.
    With `over_limit`, some counts exceed 15 (XyloSim clips them, SNN-X4)."""
    mode = _pick(rng, ["sparse", "bursts", "dense", "silent"], [0.4, 0.3, 0.25, 0.05])
    if mode == "silent":
        x = np.zeros((steps, n_in), np.int64)
    elif mode == "sparse":
        x = (rng.random((steps, n_in)) < rng.uniform(0.02, 0.3)).astype(np.int64)
    elif mode == "bursts":
        x = np.where(rng.random((steps, n_in)) < rng.uniform(0.05, 0.4), rng.integers(1, 16, (steps, n_in)), 0)
    else:
        x = rng.integers(0, 16, (steps, n_in))
    if over_limit:
        x = np.where(rng.random((steps, n_in)) < 0.1, rng.integers(16, 60, (steps, n_in)), x)
    return x.astype(np.int64)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", help="directory for net_<i>.xylo.npz and data_<i>.h5")
    ap.add_argument("--networks", type=int, default=10, help="number of networks (default 10)")
    ap.add_argument("--samples", type=int, default=4, help="samples per dataset (default 4)")
    ap.add_argument("--steps", type=int, default=50, help="steps per sample (default 50)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--large", action="store_true", help="make network 0 large (990..1000 hidden neurons)")
    args = ap.parse_args(argv)
    from snnc_h5 import write_spike_dataset

    os.makedirs(args.outdir, exist_ok=True)
    for i in range(args.networks):
        rng = np.random.default_rng([args.seed, i])
        spec = random_spec(rng, int(rng.integers(990, MAX_HIDDEN + 1)) if (args.large and i == 0) else None)
        n_in = spec["weights_in"].shape[0]
        samples = [random_counts(rng, args.steps, n_in) for _ in range(args.samples)]
        labels = rng.integers(0, 2, args.samples)
        save_spec(os.path.join(args.outdir, f"net_{i}.xylo.npz"), spec)
        write_spike_dataset(os.path.join(args.outdir, f"data_{i}.h5"), samples, labels, spec["dt"], 2,
                            f"xylo_random.py --seed {args.seed} network {i}")
    print(f"wrote {args.networks} specifications and datasets to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
