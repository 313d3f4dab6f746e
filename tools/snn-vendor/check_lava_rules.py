#!/usr/bin/env python3
"""Show that rules SNN-L1 ... SNN-L13 reproduce Lava bit for bit on random networks.

    check_lava_rules.py --networks N [--seed S] [--samples 2] [--steps 30] [--workdir DIR]

For each of N random cases (lava_random.py: a NetX network and a spike dataset) it runs
the dataset through Lava with lava_run.py (one Lava import for all cases; every sample a
fresh Lava run), writes and re-reads the recording, runs the same files through the numpy
model lava_reference.py, and compares every spike of every layer and the last layer's v
at every step. The first difference is named (network file, sample, layer, neuron, step)
and the exit code is 1. Also counts how often each corner of the rules was exercised.
Needs the vendors venv (`scripts/snnc-setup vendors`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lava_random  # noqa: E402
import lava_reference  # noqa: E402
import lava_run  # noqa: E402
from netx_io import VendorError, read_dataset, read_netx, read_recording, write_recording  # noqa: E402


def first_difference(lava, ref):
    """(sample, population, neuron, step, what) of the first mismatch, or None."""
    N = lava.v_last.shape[0]
    for n in range(N):
        for name in ref.names:
            a, b = lava.spikes[name][n], ref.spikes[name][n]
            if a.shape != b.shape:
                return n, name, -1, -1, f"shape {a.shape} vs {b.shape}"
            diff = np.argwhere(a != b)
            if diff.size:
                t, i = (int(z) for z in diff[np.lexsort((diff[:, 1], diff[:, 0]))][0])
                return n, name, i, t, f"spike lava={int(a[t, i])} reference={int(b[t, i])}"
        diff = np.argwhere(lava.v_last[n] != ref.v_last[n])
        if diff.size:
            t, i = (int(z) for z in diff[0])
            return (n, ref.names[-1], i, t,
                    f"v lava={lava.v_last[n][t, i]} reference={ref.v_last[n][t, i]}")
    return None


class Coverage:
    """How often the corners of the rules occurred (from the reference's states)."""

    def __init__(self):
        self.c = dict.fromkeys([
            "layers", "delay-dense layers", "delay 62 synapses", "graded samples",
            "netx/Lava sign modes differ", "weights changed by netx/Lava", "all weights zeroed",
            "bias wrapped (int16)", "u wrapped", "v clipped", "a_in<<6 wrapped (int32)",
            "spikes", "silent layers (no spike)"], 0)

    def add(self, net, layers, x, bits):
        for spec, layer in zip(net.layers, layers):
            self.c["layers"] += 1
            if layer.delays is not None:
                self.c["delay-dense layers"] += 1
                self.c["delay 62 synapses"] += int(np.sum((layer.delays == 62) & (layer.weights.w != 0)))
            wt = layer.weights
            if wt.netx_sign != wt.lava_sign:
                self.c["netx/Lava sign modes differ"] += 1
            want = np.trunc(np.asarray(spec.weight, dtype=float)).astype(np.int64)
            eff = lava_reference.shift_by_exp(wt.w, wt.weight_exp)
            if np.any(eff != want):
                self.c["weights changed by netx/Lava"] += 1
            if not np.any(wt.w):
                self.c["all weights zeroed"] += 1
            if spec.bias is not None:
                b = np.trunc(np.asarray(spec.bias, dtype=float))
                self.c["bias wrapped (int16)"] += int(np.any((b < -32768) | (b > 32767)))
        for n in range(x.shape[0]):
            self.c["graded samples"] += int(np.any(x[n] > 1))
            out = _trace(layers, x[n], bits, self.c)
            for s in out["spikes"]:
                self.c["spikes"] += int(s.sum())
                self.c["silent layers (no spike)"] += int(not s.any())

    def report(self):
        return "\n".join(f"  {k:32s} {v}" for k, v in self.c.items())


def _trace(layers, x, bits, c):
    """Re-run the reference step by step and count wraps and clips."""
    T = x.shape[0]
    src = x if bits > 0 else (x != 0).astype(np.int64)
    pend = [np.zeros((T + 64, layer.size), dtype=np.int64) for layer in layers]
    u = [np.zeros(layer.size, dtype=np.int64) for layer in layers]
    v = [np.zeros(layer.size, dtype=np.int64) for layer in layers]
    spikes = [np.zeros((T, layer.size), dtype=bool) for layer in layers]
    for t in range(T):
        lava_reference._deliver(layers[0], src[t], pend[0], t)
        for i, layer in enumerate(layers):
            a = pend[i][t]
            c["a_in<<6 wrapped (int32)"] += int(np.any(np.abs(a) >= (1 << 25)))
            s = lava_reference.wrap32(lava_reference.trunc0_decay(u[i], layer.i_decay)
                                      + lava_reference.shl32(a, 6))
            c["u wrapped"] += int(np.sum((s > (1 << 23)) | (s <= -(1 << 23))))
            total = (lava_reference.trunc0_decay(v[i], layer.v_decay)
                     + lava_reference._lif_step(layer, u[i], v[i], a)[0] + layer.bias_eff)
            c["v clipped"] += int(np.sum(np.abs(total) > (1 << 23) - 1))
            u[i], v[i], sp = lava_reference._lif_step(layer, u[i], v[i], a)
            spikes[i][t] = sp
            if i + 1 < len(layers):
                lava_reference._deliver(layers[i + 1], sp.astype(np.int64), pend[i + 1], t)
    return {"spikes": spikes}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Generate random NetX networks and spike datasets, run them through Lava "
                    "(lava_run.py) and the numpy rules (lava_reference.py), and check that "
                    "every spike of every layer and the last layer's v agree bit for bit.")
    p.add_argument("--networks", type=int, required=True, help="how many random cases")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument("--samples", type=int, default=2, help="samples per case (2)")
    p.add_argument("--steps", type=int, default=30, help="steps per sample (30)")
    p.add_argument("--workdir", default=None,
                   help="keep the generated files and recordings here (default: a temporary folder)")
    p.add_argument("--keep-going", action="store_true", help="check every case, then report all failures")
    a = p.parse_args(argv)
    if a.networks < 1 or a.samples < 1 or a.steps < 1:
        print("check_lava_rules: error: --networks, --samples and --steps must be at least 1", file=sys.stderr)
        return 2
    tmp = None
    if a.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="check_lava_rules.")
        folder = tmp.name
    else:
        folder = a.workdir
        os.makedirs(folder, exist_ok=True)
    t0 = time.time()
    lava_run._import_lava()
    t_import = time.time() - t0
    rng = np.random.default_rng(a.seed)
    cov = Coverage()
    failures = []
    t_lava = t_ref = 0.0
    try:
        for k in range(a.networks):
            net_path, data_path = lava_random.write_case(folder, k, rng, a.samples, a.steps)
            data = read_dataset(data_path)
            bits = lava_run.input_message_bits_for(data.x)
            t1 = time.time()
            try:
                rec = lava_run.run_dataset(net_path, data.x, dt=data.dt, input_message_bits=bits)
            except VendorError as e:
                failures.append(f"{net_path}: Lava failed: {e}")
                if not a.keep_going:
                    break
                continue
            out_path = os.path.join(folder, f"lava{k}.h5")
            write_recording(out_path, rec)
            lava = read_recording(out_path)
            t2 = time.time()
            ref = lava_reference.run_dataset(net_path, data.x, dt=data.dt, input_message_bits=bits)
            t3 = time.time()
            t_lava += t2 - t1
            t_ref += t3 - t2
            net = read_netx(net_path)
            cov.add(net, lava_reference.prepare(net), data.x, bits)
            diff = first_difference(lava, ref)
            if diff is not None:
                n, name, i, t, what = diff
                failures.append(f"{net_path} ({data_path}): sample {n}, layer {name}, neuron {i}, "
                                f"step {t}: {what}")
                print(f"check_lava_rules: MISMATCH {failures[-1]}", file=sys.stderr)
                if not a.keep_going:
                    break
            if (k + 1) % 20 == 0:
                print(f"check_lava_rules: {k + 1}/{a.networks} cases, {len(failures)} failing, "
                      f"{time.time() - t0:.0f} s", file=sys.stderr)
    finally:
        if tmp is not None:
            tmp.cleanup()
    done = k + 1
    total = time.time() - t0
    print(f"check_lava_rules: {done} networks x {a.samples} samples x {a.steps} steps "
          f"(seed {a.seed}): {done - len(failures)} bit-exact, {len(failures)} failing")
    print(f"  wall time {total:.1f} s (Lava import {t_import:.1f} s, Lava runs {t_lava:.1f} s, "
          f"reference {t_ref:.1f} s)")
    print("  exercised:\n" + cov.report())
    for f in failures:
        print(f"  FAIL {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
