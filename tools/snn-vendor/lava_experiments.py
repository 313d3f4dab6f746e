#!/usr/bin/env python3
"""The experiments behind rules SNN-L1 ... SNN-L13 (docs/semantics.md), run against Lava.

    lava_experiments.py [--only E4] [--verbose]

Each experiment writes a tiny NetX file, runs it through Lava (lava_run.run_sample with
u and v of every layer probed) and through the numpy model (lava_reference.simulate), and
checks the numbers the rule predicts, written out literally below. Prints one line per
experiment; exit code 1 if Lava or the model disagrees with a prediction. Needs the vendors
venv (`scripts/snnc-setup vendors`); takes about 15 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lava_reference  # noqa: E402
import lava_run  # noqa: E402
from netx_io import DenseLayer, NetxNetwork, write_netx  # noqa: E402

FOLDER = tempfile.mkdtemp(prefix="lava_experiments.")
_count = [0]
VERBOSE = False


def L(w, vth=100, i_decay=4096, v_decay=4096, delay=None, bias=None, **kw):
    return DenseLayer(name="l", weight=np.asarray(w, dtype=np.float64), delay=delay, bias=bias,
                      i_decay=i_decay, v_decay=v_decay, v_th_mant=vth, **kw)


def run(layers, x, bits=None):
    """Run in Lava and in the model; returns Lava's result after checking they agree."""
    x = np.asarray(x, dtype=np.int64)
    for i, layer in enumerate(layers):
        layer.name = f"layer{i + 1}"
    net = NetxNetwork(inputs=x.shape[1], layers=layers)
    _count[0] += 1
    path = os.path.join(FOLDER, f"e{_count[0]}.h5")
    write_netx(path, net)
    net.path = path
    if bits is None:
        bits = lava_run.input_message_bits_for(x)
    got = lava_run.run_sample(path, x, bits, probe_state=True)
    ref = lava_reference.simulate(lava_reference.prepare(net), x, bits)
    for key in ("spikes", "u", "v_all"):
        for i, (a, b) in enumerate(zip(got[key], ref[key])):
            if not np.array_equal(a, b):
                raise AssertionError(f"model differs from Lava in layer {i + 1} {key}:\n"
                                     f"lava  {a.T.tolist()}\nmodel {b.T.tolist()}")
    if VERBOSE:
        for i in range(len(layers)):
            print(f"    layer{i + 1} s {got['spikes'][i].astype(int).T.tolist()}")
            print(f"    layer{i + 1} u {got['u'][i].T.tolist()}")
            print(f"    layer{i + 1} v {got['v_all'][i].T.tolist()}")
    return got


def col(got, key, layer=0, neuron=0):
    arr = got[key][layer]
    return (arr[:, neuron].astype(int) if key == "spikes" else arr[:, neuron]).tolist()


def expect(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: Lava gives {got}, the rule predicts {want}")


EXPERIMENTS = {}


def experiment(name, rule, text):
    def deco(fn):
        EXPERIMENTS[name] = (rule, text, fn)
        return fn
    return deco


def pulse(T, C, at, ch=0, value=1):
    x = np.zeros((T, C), dtype=np.int64)
    x[at, ch] = value
    return x


@experiment("E1", "SNN-L1", "input layer with a neuron group cannot be fed; without one the "
            "input goes straight into layer 1's synapses")
def e1():
    got = run([L([[10]], vth=5)], pulse(4, 1, 1))
    expect("layer1 spikes (input at step 1)", col(got, "spikes"), [0, 0, 1, 0])
    path = os.path.join(FOLDER, "e1_neuron.h5")
    write_netx(path, NetxNetwork(inputs=1, layers=[L([[10]], vth=5)]))
    import h5py
    with h5py.File(path, "a") as f:
        n = f["layer/0"].create_group("neuron")
        n["type"], n["iDecay"], n["vDecay"], n["vThMant"] = np.bytes_("CUBA"), 0, 4096, 1
    lava = lava_run._import_lava()
    net = lava["netx"].hdf5.Network(net_config=path)
    src = lava["io"].source.RingBuffer(data=np.zeros((1, 4), dtype=np.int32))
    src.s_out.connect(net.inp)
    try:
        net.run(condition=lava["RunSteps"](num_steps=4),
                run_cfg=lava["Loihi2SimCfg"](select_tag="fixed_pt"))
        net.stop()
        raise AssertionError("Lava ran an input layer with a neuron group fed from a source")
    except NotImplementedError as e:
        expect("error", "No subcompiler" in str(e), True)
    finally:
        net.net_config.f.close()


@experiment("E2", "SNN-L3", "a spike at step t reaches layer 1's u at t+1+d; layer 2 one step later")
def e2():
    for d, first in ((None, 2), (0, 2), (1, 3), (5, 7)):
        delay = None if d is None else np.array([[d]])
        got = run([L([[10]], vth=5, delay=delay), L([[10]], vth=5)], pulse(9, 1, 1))
        expect(f"delay {d}: layer1 u", col(got, "u"), [640 if t == first else 0 for t in range(9)])
        expect(f"delay {d}: layer2 spikes", col(got, "spikes", 1), [int(t == first + 1) for t in range(9)])
    got = run([L([[10]], vth=5, delay=np.array([[62]]))], pulse(66, 1, 1))
    expect("delay 62: u non-zero at", np.nonzero(col(got, "u"))[0].tolist(), [64])


@experiment("E3", "SNN-L2", "unary input (0 message bits) counts any non-zero value as 1; "
            "graded input multiplies")
def e3():
    big = dict(vth=1 << 17)
    expect("x=3, bits 0", col(run([L([[10]], **big)], pulse(3, 1, 0, value=3), bits=0), "u"), [0, 640, 0])
    expect("x=3, bits 16", col(run([L([[10]], **big)], pulse(3, 1, 0, value=3), bits=16), "u"), [0, 1920, 0])
    expect("x=-2, bits 16", col(run([L([[10]], **big)], pulse(3, 1, 0, value=-2), bits=16), "u"), [0, -1280, 0])
    expect("x=-2, bits 0", col(run([L([[10]], **big)], pulse(3, 1, 0, value=-2), bits=0), "u"), [0, 640, 0])


@experiment("E4", "SNN-L4/L5", "weights: truncation, netx clip/scale, Lava clip/truncate")
def e4():
    x = np.zeros((5, 4), dtype=np.int64)
    x[0, 0], x[1, 1], x[2, 2], x[3, 3] = 1, 1, 1, 1
    big = dict(vth=1 << 17)
    cases = [
        ([[1, -1, 2.7, -2.7]], [64, -64, 128, -128]),  # astype(int) truncates toward 0
        ([[-128, -128, -128, -128]], [0, 0, 0, 0]),  # inhibitory: -256 -> -255 -> truncated to 0
        ([[-128, -3, -5, -7]], [-127 * 64, -3 * 64, -5 * 64, -7 * 64]),  # -256 -> -255 -> >>1
        ([[-64, -32, -64, -64]], [-32 * 64, -32 * 64, -32 * 64, -32 * 64]),
        ([[255, -1, 7, 9]], [254 * 64, -64, 7 * 64, 9 * 64]),  # mixed: netx clips to 254
        ([[254, -256, 3, 1]], [254 * 64, -256 * 64, 3 * 64, 64]),
        ([[300, 1, 7, 9]], [0, 0, 0, 0]),  # excitatory > 255: netx shifts by -1 -> 0
        ([[0, -255, -3, -8]], [0, 0, 0, 0]),  # netx MIXED, Lava INHIBITORY, truncate by -1
        ([[0, -200, -8, -16]], [0, -200 * 64, -8 * 64, -16 * 64]),
    ]
    for w, want in cases:
        got = run([L(w, **big)], x)
        expect(f"weights {w}: u", col(got, "u")[1:], want)


@experiment("E5", "SNN-L5", "Dense shifts each accumulated sum (per delay slot) by weight_exp, flooring")
def e5():
    w = [[-128, -128, -1, 0]]  # netx: mixed, scale 1 -> x2; Lava: inhibitory, -256 clips to -255
    x = np.zeros((4, 4), dtype=np.int64)
    x[1, 0] = x[1, 1] = 1
    got = run([L(w, vth=1 << 17)], x)
    expect("two -255 in one sum: (-510 >> 1) << 6", col(got, "u"), [0, 0, -255 * 64, 0])
    x = np.zeros((4, 4), dtype=np.int64)
    x[0, 1] = x[1, 0] = 1
    got = run([L(w, vth=1 << 17, delay=np.array([[0, 1, 0, 0]]))], x)
    expect("two slots: ((-255 >> 1) + (-255 >> 1)) << 6", col(got, "u"), [0, 0, -256 * 64, 0])


@experiment("E6", "SNN-L6/L7", "u = trunc0(u * (4096 - iDecay) / 4096) + (a_in << 6)")
def e6():
    x = np.zeros((6, 1), dtype=np.int64)
    x[0:3, 0] = 1
    big = dict(vth=131071)
    g = run([L([[100]], i_decay=0, v_decay=0, **big)], x)
    expect("iDecay 0 (no decay): u", col(g, "u"), [0, 6400, 12800, 19200, 19200, 19200])
    expect("vDecay 0 (no decay): v", col(g, "v_all"), [0, 6400, 19200, 38400, 57600, 76800])
    g = run([L([[100]], i_decay=4096, v_decay=4096, **big)], x)
    expect("iDecay 4096 (full): u", col(g, "u"), [0, 6400, 6400, 6400, 0, 0])
    g = run([L([[100]], i_decay=1, v_decay=1, **big)], x)
    expect("iDecay 1: u", col(g, "u"), [0, 6400, 12798, 19194, 19189, 19184])
    g = run([L([[-100]], i_decay=1000, v_decay=1000, **big)], x)
    expect("negative, toward zero: u", col(g, "u"), [0, -6400, -11237, -14893, -11257, -8508])
    expect("negative, toward zero: v", col(g, "v_all"), [0, -6400, -16074, -27042, -31696, -32465])


@experiment("E7", "SNN-L8", "u wraps once by 2^24 into (-2^23, 2^23]; a_in is int32 (no int16 "
            "truncation) and a_in << 6 wraps in int32")
def e7():
    g = run([L([[255]], vth=1 << 17)], pulse(3, 1, 0, value=200))
    expect("a_in = 51000 > int16", col(g, "u"), [0, 3264000, 0])
    g = run([L(np.full((1, 64), 255), vth=1 << 17, i_decay=0)], np.ones((11, 64), dtype=np.int64))
    expect("u crosses 2^23", col(g, "u")[8:], [8355840, 8355840 + 1044480 - (1 << 24), -6332416])
    g = run([L([[128, 1]], vth=1 << 17, i_decay=0, v_decay=0)], pulse(3, 2, 0, value=1024))
    expect("u = 2^23 stays", col(g, "u"), [0, 1 << 23, 1 << 23])
    g = run([L([[-128, 1]], vth=1 << 17, i_decay=0, v_decay=0)], pulse(3, 2, 0, value=1024))
    expect("u = -2^23 becomes +2^23", col(g, "u"), [0, 1 << 23, 1 << 23])
    x = np.zeros((3, 8), dtype=np.int64)
    x[0, :] = 32767
    g = run([L(np.full((1, 8), 255))], x)
    # 8 * 32767 * 255 = 66844680; << 6 wraps in int32 to -16907776; + 2^24 (SNN-L8)
    expect("a_in << 6 wraps in int32", col(g, "u"), [0, -16907776 + (1 << 24), 0])


@experiment("E8", "SNN-L9/L11", "v clips to +-(2^23 - 1); spike iff v > vThMant << 6")
def e8():
    x = np.ones((12, 64), dtype=np.int64)
    for th, spike_at in ((131071, 9), (131072, None), (200000, None)):
        g = run([L(np.full((1, 64), 255), vth=th, i_decay=4096, v_decay=0)], x)
        expect(f"vThMant {th}: spikes", col(g, "spikes"), [int(t == spike_at) for t in range(12)])
        if spike_at is None:
            expect(f"vThMant {th}: v clips", col(g, "v_all")[9:], [(1 << 23) - 1] * 3)
    x = np.zeros((4, 2), dtype=np.int64)
    x[0, 0] = 1
    expect("v = 640 = 10 << 6 does not spike", col(run([L([[10, 1]], vth=10)], x), "spikes"), [0, 0, 0, 0])
    expect("v = 640 > 9 << 6 spikes", col(run([L([[10, 1]], vth=9)], x), "spikes"), [0, 1, 0, 0])


@experiment("E9", "SNN-L10", "bias: truncated, stored as int16 (wraps), added as bias << 6 every step")
def e9():
    g = run([L(np.eye(5), vth=1 << 17, v_decay=0,
               bias=np.array([5, -3.7, 5000, 40000, -40000]))], np.zeros((3, 5), dtype=np.int64))
    want = [5 * 64, -3 * 64, 5000 * 64, (40000 - 65536) * 64, (65536 - 40000) * 64]
    for i, b in enumerate(want):
        expect(f"bias neuron {i}: v", col(g, "v_all", neuron=i), [b, 2 * b, 3 * b])


@experiment("E10", "SNN-L12", "reset: v = 0 after a spike (recorded after the reset), u kept, "
            "no refractory period")
def e10():
    x = np.zeros((6, 2), dtype=np.int64)
    x[0, 0] = 1
    g = run([L([[10, 1]], vth=15, i_decay=0, v_decay=0)], x)
    expect("u", col(g, "u"), [0, 640, 640, 640, 640, 640])
    expect("v", col(g, "v_all"), [0, 640, 0, 640, 0, 640])
    expect("spikes", col(g, "spikes"), [0, 0, 1, 0, 1, 0])
    g = run([L([[10, 1]], vth=5, i_decay=0, v_decay=0)], x)
    expect("spikes on consecutive steps", col(g, "spikes"), [0, 1, 1, 1, 1, 1])


@experiment("E11", "SNN-L13", "refDelay and gradedSpike change nothing")
def e11():
    rng = np.random.default_rng(1)
    x = (rng.random((20, 3)) < 0.5).astype(np.int64)
    w = [[50, -20, 30], [10, 10, 10]]
    a = run([L(w, vth=40, i_decay=500, v_decay=300)], x)
    b = run([L(w, vth=40, i_decay=500, v_decay=300, ref_delay=7, graded_spike=True)], x)
    for key in ("spikes", "u", "v_all"):
        expect(key, np.array_equal(a[key][0], b[key][0]), True)
    expect("some spikes", bool(a["spikes"][0].any()), True)


def main(argv=None) -> int:
    global VERBOSE
    p = argparse.ArgumentParser(
        description="Run the experiments that establish Lava's fixed-point CUBA rules "
                    "(SNN-L1 ... SNN-L13) against Lava and the numpy model.")
    p.add_argument("--only", action="append", help="run only this experiment (E1 ... E11); repeatable")
    p.add_argument("--verbose", action="store_true", help="print every probed u, v and spike trace")
    a = p.parse_args(argv)
    VERBOSE = a.verbose
    failed = 0
    for name, (rule, text, fn) in EXPERIMENTS.items():
        if a.only and name not in a.only:
            continue
        try:
            fn()
            print(f"{name:4s} {rule:11s} ok    {text}")
        except AssertionError as e:
            failed += 1
            print(f"{name:4s} {rule:11s} FAIL  {text}\n     {e}")
    print(f"lava_experiments: {len(EXPERIMENTS) if not a.only else len(a.only)} experiments, {failed} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
