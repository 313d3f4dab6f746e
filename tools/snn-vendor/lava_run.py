#!/usr/bin/env python3
"""Run an snnc dataset through a lava-dl NetX network in Lava and record every spike.

    lava_run.py NETX.h5 DATASET.h5 OUT.h5 [--samples N] [--steps T]

Each sample is one fresh Lava run (`netx.hdf5.Network`, `Loihi2SimCfg(select_tag=
'fixed_pt')`, i.e. the bit-accurate CPU models PyLifModelBitAcc / PyDenseModelBitAcc /
PyDelayDenseModelBitAcc): the input goes in through an `io.source.RingBuffer`, every
layer's spikes come out through an `io.sink.RingBuffer`, and the last layer's `v` through
a `Monitor`. OUT.h5 is an snnc-spikes file (docs/formats/spikes.md, `source = lava`) with
populations `input` and one per dense layer (the layer's `name` if the NetX file has one,
else `layer<i>`), plus `/readout/v` (int32 [samples, steps, size]) = the last layer's `v`
after each step. Rules: docs/semantics.md, SNN-L1 ... SNN-L13.

Needs the vendors venv (`scripts/snnc-setup vendors`): run it with
`build/vendors-venv/bin/python`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netx_io import (Recording, VendorError, read_dataset, read_netx,  # noqa: E402
                     write_recording)

_lava = None


def _import_lava():
    """Import Lava once (about 3-5 s); quiet the import-time banners."""
    global _lava
    if _lava is None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from lava.lib.dl import netx
            from lava.magma.core.run_conditions import RunSteps
            from lava.magma.core.run_configs import Loihi2SimCfg
            from lava.proc import io as lava_io
            from lava.proc.monitor.process import Monitor
        _lava = dict(netx=netx, RunSteps=RunSteps, Loihi2SimCfg=Loihi2SimCfg,
                     io=lava_io, Monitor=Monitor)
    return _lava


def input_message_bits_for(x: np.ndarray) -> int:
    """0 (binary spikes) when every input is 0 or 1, else 16 (graded), SNN-L2."""
    return 0 if np.all((x == 0) | (x == 1)) else 16


def run_sample(netx_path: str, x: np.ndarray, input_message_bits: int,
               probe_state: bool = False) -> dict:
    """Run one sample `x[T, C]` (integers) through Lava.

    Returns {'spikes': [bool [T, size] per dense layer], 'v': int64 [T, size_last]} and, with
    probe_state, 'u' and 'v_all' lists of int64 [T, size] for every layer.
    """
    lava = _import_lava()
    T = x.shape[0]
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        net = lava["netx"].hdf5.Network(net_config=netx_path,
                                        input_message_bits=input_message_bits)
    source = lava["io"].source.RingBuffer(data=np.ascontiguousarray(x.T.astype(np.int32)))
    source.s_out.connect(net.inp)
    sinks = []
    for layer in net.layers:
        sink = lava["io"].sink.RingBuffer(shape=layer.out.shape, buffer=T)
        layer.out.connect(sink.a_in)
        sinks.append(sink)
    monitors = []
    probed = net.layers if probe_state else net.layers[-1:]
    for layer in probed:
        mv = lava["Monitor"]()
        mv.probe(layer.neuron.v, T)
        mu = None
        if probe_state:
            mu = lava["Monitor"]()
            mu.probe(layer.neuron.u, T)
        monitors.append((mv, mu))
    try:
        net.run(condition=lava["RunSteps"](num_steps=T),
                run_cfg=lava["Loihi2SimCfg"](select_tag="fixed_pt"))
        spikes = [np.asarray(s.data.get()).T != 0 for s in sinks]
        vs, us = [], []
        for mv, mu in monitors:
            vs.append(_monitor_array(mv, "v"))
            if mu is not None:
                us.append(_monitor_array(mu, "u"))
    finally:
        net.stop()
        net.net_config.f.close()  # netx keeps the NetX file open; free it for rewriting
    out = {"spikes": spikes, "v": vs[-1]}
    if probe_state:
        out["u"] = us
        out["v_all"] = vs
    return out


def _monitor_array(monitor, var: str) -> np.ndarray:
    data = monitor.get_data()
    (inner,) = data.values()
    arr = np.asarray(inner[var])
    if not np.all(arr == np.rint(arr)):
        raise VendorError(f"Lava monitor of {var} returned non-integer values")
    return arr.astype(np.int64)


def run_dataset(netx_path: str, x: np.ndarray, dt: float = 1e-3,
                input_message_bits: int | None = None, progress=None) -> Recording:
    """Run every sample of `x[N, T, C]`; returns a Recording (source 'lava')."""
    net = read_netx(netx_path)  # validates the file, names layers
    N, T, C = x.shape
    if C != net.inputs:
        raise VendorError(f"{netx_path}: input layer has {net.inputs} channels, the dataset {C}")
    if input_message_bits is None:
        input_message_bits = input_message_bits_for(x)
    names = ["input"] + [layer.name for layer in net.layers]
    kinds = ["input"] + ["lif"] * len(net.layers)
    spikes = {"input": x != 0}
    for layer in net.layers:
        spikes[layer.name] = np.zeros((N, T, layer.size), dtype=bool)
    v_last = np.zeros((N, T, net.layers[-1].size), dtype=np.int64)
    for n in range(N):
        try:
            out = run_sample(netx_path, x[n], input_message_bits)
        except VendorError:
            raise
        except Exception as e:  # Lava's own errors: name the file and the sample
            raise VendorError(f"{netx_path}: Lava failed on sample {n}: {type(e).__name__}: {e}") from e
        for layer, s in zip(net.layers, out["spikes"]):
            spikes[layer.name][n] = s
        v_last[n] = out["v"]
        if progress:
            progress(n)
    return Recording(names=names, kinds=kinds, spikes=spikes, v_last=v_last, dt=dt, source="lava")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Run an snnc dataset through a lava-dl NetX network in Lava's bit-accurate "
                    "CPU simulation and write every layer's spikes (snnc-spikes) plus the last "
                    "layer's v per step (/readout/v).",
        epilog="Inputs: spike datasets (x = count) and frame datasets "
               "(x = sat16(rne(--input-scale * frame))). Binary inputs (all 0/1) are sent as "
               "unary spikes, anything else as graded spikes (16 message bits); see "
               "docs/semantics.md SNN-L2. Run with the vendors venv: "
               "build/vendors-venv/bin/python tools/snn-vendor/lava_run.py ...")
    p.add_argument("netx", metavar="NETX.h5", help="lava-dl NetX network (input layer + dense CUBA layers)")
    p.add_argument("dataset", metavar="DATASET.h5", help="snnc dataset (docs/formats/dataset.md)")
    p.add_argument("out", metavar="OUT.h5", help="spike recording to write (docs/formats/spikes.md)")
    p.add_argument("--samples", type=int, default=None, help="run only the first N samples")
    p.add_argument("--steps", type=int, default=None,
                   help="steps per sample (default: the dataset's; longer runs pad with zeros)")
    p.add_argument("--input-scale", type=float, default=1.0,
                   help="frame datasets: integer input = round(scale * frame) (default 1)")
    p.add_argument("--input-bits", type=int, default=None,
                   help="force Lava's input_message_bits (0 = unary spikes; default: 0 for "
                        "binary inputs, else 16)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    a = p.parse_args(argv)
    try:
        if a.samples is not None and a.samples < 1:
            raise VendorError("--samples must be at least 1")
        data = read_dataset(a.dataset, samples=a.samples, steps=a.steps, input_scale=a.input_scale)
        t0 = time.time()
        progress = None if a.quiet else (
            lambda n: print(f"lava_run: sample {n + 1}/{data.x.shape[0]} done", file=sys.stderr))
        rec = run_dataset(a.netx, data.x, dt=data.dt, input_message_bits=a.input_bits,
                          progress=progress)
        write_recording(a.out, rec)
        if not a.quiet:
            print(f"lava_run: wrote {a.out} ({data.x.shape[0]} samples x {data.x.shape[1]} steps, "
                  f"{len(rec.names) - 1} layers) in {time.time() - t0:.1f} s")
    except VendorError as e:
        print(f"lava_run: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
