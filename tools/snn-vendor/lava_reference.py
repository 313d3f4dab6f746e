#!/usr/bin/env python3
"""Plain-numpy model of Lava's fixed-point CUBA LIF + Dense/DelayDense, as NetX loads it.

    lava_reference.py NETX.h5 DATASET.h5 OUT.h5 [--samples N] [--steps T]

Independent of Lava: it implements rules SNN-L1 ... SNN-L13 of docs/semantics.md
("Vendor arithmetic: Lava fixed-point CUBA") and nothing else, so that
check_lava_rules.py can show the rules reproduce Lava bit for bit. Same inputs and the
same output file as lava_run.py (`source = lava-reference`). Needs numpy and h5py only.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netx_io import (DenseLayer, NetxNetwork, Recording, VendorError,  # noqa: E402
                     read_dataset, read_netx, write_recording)

U_MAX = 1 << 23  # SNN-L8: u wraps into (-2^23, 2^23]
V_LIM = (1 << 23) - 1  # SNN-L9: v clips to [-(2^23 - 1), 2^23 - 1]
MAX_DELAY = 62  # SNN-L3


# ------------------------------------------------------------- integer helpers


def wrap32(x):
    """Two's-complement wrap into int32 (numpy int32 arithmetic), on int64 values."""
    x = np.asarray(x, dtype=np.int64)
    return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def wrap16(x):
    x = np.asarray(x, dtype=np.int64)
    return ((x + (1 << 15)) & 0xFFFF) - (1 << 15)


def shl32(x, k: int):
    """numpy's int32 `x << k`: 0 for a count outside [0, 31] (SNN-L4)."""
    x = np.asarray(x, dtype=np.int64)
    return wrap32(x << k) if 0 <= k < 32 else np.zeros_like(x)


def shr32(x, k: int):
    """numpy's `x >> k` (flooring): 0 or -1 (by sign) for a count outside [0, 31]."""
    x = np.asarray(x, dtype=np.int64)
    return x >> k if 0 <= k < 32 else np.where(x < 0, -1, 0)


def shift_by_exp(x, weight_exp: int):
    """Dense's weight exponent on an accumulated sum: `<< e` if e > 0 else `>> -e`."""
    return shl32(x, weight_exp) if weight_exp > 0 else shr32(x, -weight_exp)


def trunc0_decay(x, d: int):
    """SNN-L7: sign(x * (4096 - d)) * (|x * (4096 - d)| >> 12), then int32."""
    p = np.asarray(x, dtype=np.int64) * (4096 - d)
    return wrap32(np.sign(p) * (np.abs(p) >> 12))


# ------------------------------------------------------------- weight pipeline


@dataclasses.dataclass
class Weights:
    """The synapse weights Lava ends up with (SNN-L4) and the exponent Dense applies."""

    w: np.ndarray  # int64 [out, in], Lava's stored weight W4
    weight_exp: int  # Dense shifts every accumulated sum by it (SNN-L5)
    num_weight_bits: int
    netx_sign: str  # 'exc' | 'inh' | 'mixed'
    lava_sign: str


def prepare_weights(stored: np.ndarray, where: str = "") -> Weights:
    """SNN-L4: stored NetX weight -> netx optimize_weight_bits -> Lava clip/truncate."""
    w = np.trunc(np.asarray(stored, dtype=np.float64)).astype(np.int64)  # L4a: astype(int)
    if w.size == 0 or not np.any(w):
        raise VendorError(f"{where}all-zero weight matrix: netx cannot load it (log2 of 0)")
    hi, lo = int(w.max()), int(w.min())
    if (hi > 254 and lo < 0) or (lo < -256 and hi > 0):  # L4b
        w = np.clip(w, -256, 254)
        hi, lo = int(w.max()), int(w.min())
    # L4c: netx sign mode and scale
    if hi < 0:
        sign, signed = "inh", 0
        scale = -256.0 / lo
    elif lo >= 0:
        sign, signed = "exc", 0
        scale = 255.0 / hi
    else:
        sign, signed = "mixed", 1
        pos = 127.0 / hi if hi > 0 else math.inf
        neg = -128.0 / lo
        scale = min(pos, neg)
    scale_bits = int(math.floor(math.log2(scale))) + signed
    # L4d: the largest n <= 8 such that 2^n divides every weight
    n = 8
    while n > 0 and np.any(w % (1 << n)):
        n -= 1
    n -= signed
    num_weight_bits = 8 - scale_bits - n
    weight_exp = -scale_bits
    w2 = shl32(wrap32(w), scale_bits)  # L4e
    # L4f: Lava's Dense decides the sign mode again, on the shifted weights
    if w2.min() >= 0:
        lava_sign = "exc"
    elif w2.max() <= 0:
        lava_sign = "inh"
    else:
        lava_sign = "mixed"
    # L4g: clip to 8 bits (+ sign for mixed)
    if lava_sign == "inh":
        w3 = -np.clip(-w2, 0, 255)
    elif lava_sign == "exc":
        w3 = np.clip(w2, 0, 255)
    else:
        w3 = np.clip(w2, -256, 255)
    # L4h: drop the low bits below num_weight_bits
    t = 8 - num_weight_bits + (1 if lava_sign == "mixed" else 0)
    if lava_sign == "inh":
        w4 = -shl32(shr32(-w3, t), t)
    else:
        w4 = shl32(shr32(w3, t), t)
    return Weights(w=w4.astype(np.int64), weight_exp=weight_exp,
                   num_weight_bits=num_weight_bits, netx_sign=sign, lava_sign=lava_sign)


def prepare_delays(layer: DenseLayer, where: str = "") -> np.ndarray | None:
    """SNN-L3: netx's delay broadcast; None means a plain Dense (no delay dataset)."""
    if layer.delay is None:
        return None
    d = np.asarray(layer.delay)
    out, inp = layer.weight.shape
    if d.ndim == 0 or d.size == 1:
        d = np.full((out, inp), d.reshape(-1)[0])
    elif d.ndim == 1 and d.size == out:
        d = np.repeat(d.reshape(-1, 1), inp, axis=1)
    elif d.ndim == 1 and d.size == inp:
        d = np.repeat(d.reshape(1, -1), out, axis=0)
    elif d.shape != (out, inp):
        raise VendorError(f"{where}delay of shape {d.shape} does not fit weight {(out, inp)}")
    if np.any(d != np.rint(d)) or d.min() < 0 or d.max() > MAX_DELAY:
        raise VendorError(f"{where}delays must be integers in [0, {MAX_DELAY}]")
    return d.astype(np.int64)


@dataclasses.dataclass
class Layer:
    name: str
    weights: Weights
    delays: np.ndarray | None
    bias_eff: np.ndarray  # int64 [size], SNN-L10
    i_decay: int
    v_decay: int
    vth_eff: int  # SNN-L11

    @property
    def size(self) -> int:
        return self.weights.w.shape[0]


def prepare(net: NetxNetwork) -> list[Layer]:
    layers = []
    for i, layer in enumerate(net.layers, start=1):
        where = f"{net.path}: /layer/{i} ({layer.name}): "
        for key, value in (("iDecay", layer.i_decay), ("vDecay", layer.v_decay)):
            if not 0 <= value <= 4096:
                raise VendorError(f"{where}{key} = {value} outside [0, 4096]")
        if not 0 <= layer.v_th_mant < (1 << 24):
            raise VendorError(f"{where}vThMant = {layer.v_th_mant} outside [0, 2^24)")
        w = prepare_weights(layer.weight, where)
        d = prepare_delays(layer, where)
        if layer.bias is None:
            bias = np.zeros(layer.size, dtype=np.int64)
        else:
            b = np.trunc(np.asarray(layer.bias, dtype=np.float64)).astype(np.int64)
            bias = wrap16(np.broadcast_to(b, (layer.size,)))  # bias_mant is int16
        layers.append(Layer(name=layer.name, weights=w, delays=d, bias_eff=bias << 6,
                            i_decay=layer.i_decay, v_decay=layer.v_decay,
                            vth_eff=layer.v_th_mant << 6))
    return layers


# ------------------------------------------------------------- simulation


def _deliver(layer: Layer, s: np.ndarray, pending: np.ndarray, t: int) -> None:
    """SNN-L5/L3: what a source vector `s` at step t adds to the layer's future input."""
    w = layer.weights.w
    if layer.delays is None:
        pending[t + 1] = wrap32(pending[t + 1] + wrap32(shift_by_exp(w @ s, layer.weights.weight_exp)))
        return
    for k in np.unique(layer.delays):
        wk = np.where(layer.delays == k, w, 0)
        add = shift_by_exp(wk @ s, layer.weights.weight_exp)
        pending[t + 1 + k] = wrap32(pending[t + 1 + k] + wrap32(add))


def _lif_step(layer: Layer, u: np.ndarray, v: np.ndarray, a_in: np.ndarray):
    """SNN-L6 ... SNN-L11 for one step; returns the new (u, v, spikes)."""
    act = shl32(a_in, 6)  # L6
    s = wrap32(trunc0_decay(u, layer.i_decay) + act)  # L7
    u = np.where(s > U_MAX, s - 2 * U_MAX, np.where(s <= -U_MAX, s + 2 * U_MAX, s))  # L8
    total = wrap32(wrap32(trunc0_decay(v, layer.v_decay) + u) + layer.bias_eff)
    v = np.clip(total, -V_LIM, V_LIM)  # L9
    spikes = v > layer.vth_eff  # L11
    v = np.where(spikes, 0, v)  # L12
    return u, v, spikes


def simulate(layers: list[Layer], x: np.ndarray, input_message_bits: int) -> dict:
    """Run one sample `x[T, C]`; returns {'spikes': [bool [T, size]], 'v': [T, size_last],
    'u': [...], 'v_all': [...]} like lava_run.run_sample(probe_state=True)."""
    T = x.shape[0]
    x = np.asarray(x, dtype=np.int64)
    src = x if input_message_bits > 0 else (x != 0).astype(np.int64)  # L2
    pend = [np.zeros((T + MAX_DELAY + 2, layer.size), dtype=np.int64) for layer in layers]
    u = [np.zeros(layer.size, dtype=np.int64) for layer in layers]
    v = [np.zeros(layer.size, dtype=np.int64) for layer in layers]
    spikes = [np.zeros((T, layer.size), dtype=bool) for layer in layers]
    us = [np.zeros((T, layer.size), dtype=np.int64) for layer in layers]
    vs = [np.zeros((T, layer.size), dtype=np.int64) for layer in layers]
    for t in range(T):
        _deliver(layers[0], src[t], pend[0], t)
        for i, layer in enumerate(layers):
            u[i], v[i], s = _lif_step(layer, u[i], v[i], pend[i][t])
            spikes[i][t], us[i][t], vs[i][t] = s, u[i], v[i]
            if i + 1 < len(layers):
                _deliver(layers[i + 1], s.astype(np.int64), pend[i + 1], t)
    return {"spikes": spikes, "v": vs[-1], "u": us, "v_all": vs}


def run_dataset(netx_path: str, x: np.ndarray, dt: float = 1e-3,
                input_message_bits: int | None = None) -> Recording:
    net = read_netx(netx_path)
    N, T, C = x.shape
    if C != net.inputs:
        raise VendorError(f"{netx_path}: input layer has {net.inputs} channels, the dataset {C}")
    if input_message_bits is None:
        input_message_bits = 0 if np.all((x == 0) | (x == 1)) else 16
    layers = prepare(net)
    names = ["input"] + [layer.name for layer in layers]
    spikes = {"input": x != 0}
    for layer in layers:
        spikes[layer.name] = np.zeros((N, T, layer.size), dtype=bool)
    v_last = np.zeros((N, T, layers[-1].size), dtype=np.int64)
    for n in range(N):
        out = simulate(layers, x[n], input_message_bits)
        for layer, s in zip(layers, out["spikes"]):
            spikes[layer.name][n] = s
        v_last[n] = out["v"]
    return Recording(names=names, kinds=["input"] + ["lif"] * len(layers), spikes=spikes,
                     v_last=v_last, dt=dt, source="lava-reference")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Run an snnc dataset through a NetX network with the numpy model of Lava's "
                    "fixed-point arithmetic (rules SNN-L1 ... SNN-L13, docs/semantics.md) and write "
                    "the same recording lava_run.py writes.")
    p.add_argument("netx", metavar="NETX.h5", help="lava-dl NetX network (input layer + dense CUBA layers)")
    p.add_argument("dataset", metavar="DATASET.h5", help="snnc dataset (docs/formats/dataset.md)")
    p.add_argument("out", metavar="OUT.h5", help="spike recording to write (docs/formats/spikes.md)")
    p.add_argument("--samples", type=int, default=None, help="run only the first N samples")
    p.add_argument("--steps", type=int, default=None, help="steps per sample (default: the dataset's)")
    p.add_argument("--input-scale", type=float, default=1.0,
                   help="frame datasets: integer input = round(scale * frame) (default 1)")
    p.add_argument("--input-bits", type=int, default=None,
                   help="input_message_bits as lava_run.py (default: 0 for binary inputs, else 16)")
    a = p.parse_args(argv)
    try:
        if a.samples is not None and a.samples < 1:
            raise VendorError("--samples must be at least 1")
        t0 = time.time()
        data = read_dataset(a.dataset, samples=a.samples, steps=a.steps, input_scale=a.input_scale)
        rec = run_dataset(a.netx, data.x, dt=data.dt, input_message_bits=a.input_bits)
        write_recording(a.out, rec)
        print(f"lava_reference: wrote {a.out} ({data.x.shape[0]} samples x {data.x.shape[1]} steps) "
              f"in {time.time() - t0:.1f} s")
    except VendorError as e:
        print(f"lava_reference: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
