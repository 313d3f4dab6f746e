#!/usr/bin/env python3
"""Write random NetX networks and matching random spike datasets.

    lava_random.py OUTDIR [--networks N] [--seed S] [--samples 2] [--steps 30]

writes OUTDIR/net<k>.h5 (NetX: input layer + 1-3 dense CUBA layers) and OUTDIR/data<k>.h5
(snnc spike dataset, kind `spikes`) for k = 0 ... N-1. The draws cover what the rules
SNN-L1 ... SNN-L13 (docs/semantics.md) distinguish: layer sizes 1-64; no delay dataset
(Dense), per-synapse, per-input and per-output delays in [0, 62]; mixed-sign, excitatory
and inhibitory weights, dense and sparse, integer and fractional, in and beyond the 8-bit
range that netx clips, including single-sign matrices with zeros and power-of-two
minima (where netx/Lava change weights); biases small, large and beyond int16; decays 0,
1, 4095, 4096 and anything between; thresholds from 0 to beyond the v range; long runs
of strong input with no current decay so that u wraps and v clips; binary and graded
(count > 1, up to 32767) inputs. Never an all-zero weight matrix (netx cannot load one).
Needs numpy and h5py only.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netx_io import (DenseLayer, NetxNetwork, VendorError,  # noqa: E402
                     write_netx, write_spike_dataset)


def _weights(rng: np.random.Generator, out: int, inp: int) -> np.ndarray:
    sign = rng.choice(["mixed", "exc", "inh"], p=[0.5, 0.25, 0.25])
    style = rng.choice(["small", "medium", "full", "wide", "pow2"], p=[0.2, 0.3, 0.3, 0.1, 0.1])
    if style == "small":
        mag = rng.integers(1, 9, size=(out, inp))
    elif style == "medium":
        mag = rng.integers(1, 128, size=(out, inp))
    elif style == "full":
        mag = rng.integers(1, 257, size=(out, inp))
    elif style == "wide":  # beyond the 8-bit range: netx clips mixed matrices (SNN-L4b)
        mag = rng.integers(1, 400, size=(out, inp))
    else:  # multiples of a power of two, with the power itself as the extreme
        j = int(rng.integers(0, 8))
        mag = (1 << j) * rng.integers(1, 3, size=(out, inp))
        mag[rng.integers(out), rng.integers(inp)] = 1 << min(j + 1, 8)
    if sign == "mixed":
        w = mag * rng.choice([-1, 1], size=(out, inp))
    elif sign == "exc":
        w = np.minimum(mag, 255) if style != "wide" else mag
        if style == "wide" and rng.random() < 0.7:
            w = np.minimum(w, 255)
    else:
        w = -(np.minimum(mag, 256) if style != "wide" or rng.random() < 0.7 else mag)
    density = rng.choice([1.0, rng.uniform(0.05, 0.6)])
    if density < 1.0:
        w = w * (rng.random((out, inp)) < density)
    if not np.any(w):
        w[rng.integers(out), rng.integers(inp)] = int(mag.flat[0]) * (-1 if sign == "inh" else 1)
    w = w.astype(np.float64)
    if rng.random() < 0.15:  # fractional weights: netx truncates toward zero (SNN-L4a)
        w = w + np.sign(w) * rng.random((out, inp)) * 0.99
        if not np.any(np.trunc(w)):
            w[np.unravel_index(np.argmax(np.abs(w)), w.shape)] += 1.0
    return w


def _delays(rng: np.random.Generator, out: int, inp: int):
    kind = rng.choice(["none", "full", "per-out", "per-in", "scalar"], p=[0.35, 0.4, 0.1, 0.1, 0.05])
    if kind == "none":
        return None
    top = int(rng.choice([0, 1, 5, 62, rng.integers(0, 63)]))
    if kind == "full":
        return rng.integers(0, top + 1, size=(out, inp)).astype(np.int64)
    if kind == "per-out" and out != inp:
        return rng.integers(0, top + 1, size=out).astype(np.int64)
    if kind == "per-in" and out != inp:
        return rng.integers(0, top + 1, size=inp).astype(np.int64)
    return np.int64(top)


def _decay(rng: np.random.Generator) -> int:
    return int(rng.choice([0, 1, 4095, 4096, rng.integers(0, 4097), rng.integers(0, 4097)]))


def random_network(rng: np.random.Generator) -> NetxNetwork:
    inputs = int(rng.choice([rng.integers(1, 9), rng.integers(1, 65)]))
    layers = []
    fan_in = inputs
    for i in range(int(rng.integers(1, 4))):
        size = int(rng.choice([rng.integers(1, 9), rng.integers(1, 65)]))
        w = _weights(rng, size, fan_in)
        bias = None
        b = rng.choice(["none", "small", "large", "int16"], p=[0.4, 0.35, 0.2, 0.05])
        if b == "small":
            bias = rng.integers(-50, 51, size=size).astype(np.float64)
        elif b == "large":
            bias = rng.integers(-6000, 6001, size=size).astype(np.float64)
        elif b == "int16":  # wraps in Lava's int16 bias_mant (SNN-L10)
            bias = rng.integers(-40000, 40001, size=size).astype(np.float64)
        if bias is not None and rng.random() < 0.2:
            bias = bias + rng.uniform(-0.99, 0.99, size=size)
        th = rng.choice(["zero", "small", "medium", "large", "huge"], p=[0.05, 0.3, 0.3, 0.25, 0.1])
        vth = {"zero": 0, "small": int(rng.integers(1, 20)), "medium": int(rng.integers(20, 2000)),
               "large": int(rng.integers(2000, 131073)),
               "huge": int(rng.choice([131071, 131072, 200000]))}[th]
        i_decay, v_decay = _decay(rng), _decay(rng)
        if rng.random() < 0.15:  # no leak at all: u wraps, v clips
            i_decay, v_decay = 0, 0
        layers.append(DenseLayer(
            name=f"layer{i + 1}", weight=w, delay=_delays(rng, size, fan_in), bias=bias,
            i_decay=i_decay, v_decay=v_decay, v_th_mant=vth,
            ref_delay=int(rng.integers(0, 8)), graded_spike=bool(rng.random() < 0.3)))
        fan_in = size
    if rng.random() < 0.3:  # named layers: populations take the name (lava_run.py)
        for i, layer in enumerate(layers):
            layer.name = f"{rng.choice(['hid', 'dense', 'out'])}{i}"
    return NetxNetwork(inputs=inputs, layers=layers)


def random_inputs(rng: np.random.Generator, inputs: int, samples: int, steps: int) -> np.ndarray:
    x = np.zeros((samples, steps, inputs), dtype=np.int64)
    for n in range(samples):
        mode = rng.choice(["sparse", "dense", "burst", "graded", "huge"], p=[0.3, 0.25, 0.2, 0.2, 0.05])
        rate = {"sparse": 0.05, "dense": 0.5, "burst": 0.9, "graded": 0.3, "huge": 0.3}[mode]
        on = rng.random((steps, inputs)) < rate
        if mode == "burst":
            on[rng.integers(0, steps):] = False
        if mode == "graded":
            x[n] = on * rng.integers(1, rng.choice([3, 20, 300]), size=(steps, inputs))
        elif mode == "huge":
            x[n] = on * rng.integers(1, 32768, size=(steps, inputs))
        else:
            x[n] = on
    return x


def write_case(folder: str, k: int, rng: np.random.Generator, samples: int, steps: int,
               names: bool = True) -> tuple[str, str]:
    net = random_network(rng)
    net_path = os.path.join(folder, f"net{k}.h5")
    data_path = os.path.join(folder, f"data{k}.h5")
    write_netx(net_path, net, names=names and not net.layers[0].name.startswith("layer"))
    write_spike_dataset(data_path, random_inputs(rng, net.inputs, samples, steps),
                        source=f"lava_random case {k}")
    return net_path, data_path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Write random NetX networks (net<k>.h5) and random snnc spike datasets "
                    "(data<k>.h5) that exercise every rule of Lava's fixed-point arithmetic.")
    p.add_argument("outdir", metavar="OUTDIR", help="folder to write into (created if missing)")
    p.add_argument("--networks", type=int, default=10, help="how many network/dataset pairs (10)")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument("--samples", type=int, default=2, help="samples per dataset (2)")
    p.add_argument("--steps", type=int, default=30, help="steps per sample (30)")
    a = p.parse_args(argv)
    try:
        if a.networks < 1 or a.samples < 1 or a.steps < 1:
            raise VendorError("--networks, --samples and --steps must be at least 1")
        os.makedirs(a.outdir, exist_ok=True)
        rng = np.random.default_rng(a.seed)
        for k in range(a.networks):
            write_case(a.outdir, k, rng, a.samples, a.steps)
        print(f"lava_random: wrote {a.networks} networks and datasets to {a.outdir}")
    except (VendorError, OSError) as e:
        print(f"lava_random: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
