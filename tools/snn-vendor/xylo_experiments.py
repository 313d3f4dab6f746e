#!/usr/bin/env python3
"""Targeted experiments that pin down XyloSim's arithmetic, one rule at a time.

Each experiment builds a tiny specification, runs it through Rockpool's XyloSim
(syns61201) and compares what XyloSim records with values worked out by hand from
the rule under test (docs/semantics.md, "Vendor arithmetic: XyloSim IAF", SNN-X1 ...). Where a plausible
alternative reading of the vendor code would give a different value, the experiment
states it, so a pass rules the alternative out. Prints one line per experiment;
exit status 1 if any fails, 2 when XyloSim is missing.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xylo_bridge import VendorMissing, import_xylosim, run_sample  # noqa: E402

FAILS: list[str] = []


def net(n_in=1, n_hid=1, n_out=1, **kw):
    """A spec with every dash 15 (slowest decay), thresholds 32767, no weights."""
    spec = dict(
        weights_in=np.zeros((n_in, n_hid, 2), np.int8),
        weights_rec=np.zeros((n_hid, n_hid, 2), np.int8),
        weights_out=np.zeros((n_hid, n_out), np.int8),
        dash_mem=np.full(n_hid, 15), dash_syn=np.full(n_hid, 15), dash_syn_2=np.full(n_hid, 15),
        dash_mem_out=np.full(n_out, 15), dash_syn_out=np.full(n_out, 15),
        threshold=np.full(n_hid, 32767), threshold_out=np.full(n_out, 32767),
        bias=np.zeros(n_hid, int), bias_out=np.zeros(n_out, int),
        weight_shift_in=0, weight_shift_rec=0, weight_shift_out=0,
    )
    spec.update(kw)
    return spec


def run(spec, x):
    XyloSim = import_xylosim()
    mod = XyloSim.from_specification(**spec)
    return run_sample(mod, np.asarray(x))


def events(T, n_in, *evs):
    x = np.zeros((T, n_in), np.int64)
    for t, c, n in evs:
        x[t, c] = n
    return x


def _plain(x):
    if isinstance(x, (list, tuple)):
        return [_plain(e) for e in x]
    return np.asarray(x).tolist()


def check(rule, what, got, want, alt=None):
    got, want = _plain(got), _plain(want)
    ok = got == want
    line = f"{'PASS' if ok else 'FAIL'} {rule}: {what}: got {got}"
    if not ok:
        line += f", expected {want}"
        FAILS.append(f"{rule}: {what}")
    if alt is not None:
        line += f" (alternative reading would give {_plain(alt)})"
    print(line)


def raises(rule, what, fn, exc=Exception):
    try:
        fn()
    except exc as e:
        print(f"PASS {rule}: {what}: raises {type(e).__name__}")
        return
    print(f"FAIL {rule}: {what}: no exception")
    FAILS.append(f"{rule}: {what}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)
    try:
        import_xylosim()
    except VendorMissing as e:
        print(f"xylo_experiments: {e}", file=sys.stderr)
        return 2
    w = lambda a: np.array(a, np.int8)  # noqa: E731

    # ---- SNN-X2 decay ------------------------------------------------------------
    # One event of +5 on port 0 at step 0; dash_syn 1: 5 -> 5-(5>>1)=3 -> 3-1=2 -> 2-1=1 -> 1-(0 => 1)=0.
    s = net(weights_in=w([[[5, -5]]]), dash_syn=[1], dash_syn_2=[1])
    r = run(s, events(5, 1, (0, 0, 1)))
    check("SNN-X2", "Isyn after +5, dash 1 (decay at least 1 when v>>d is 0)", r["Isyn"][:, 0], [3, 2, 1, 0, 0],
          alt=[3, 2, 1, 1, 1])
    # -5 on port 1: -5 -> -5-(-3)=-2 -> -2-(-1)=-1 -> -1-(-1)=0: flooring shift, never stuck at -1.
    check("SNN-X2", "Isyn2 after -5, dash 1 (v>>d floors: -5>>1 = -3)", r["Isyn2"][:, 0], [-2, -1, 0, 0, 0],
          alt=[-3, -2, -1, 0, 0])
    # dash 15: positive and negative values both move by exactly 1 per step.
    s = net(weights_in=w([[[100, -100]]]))
    r = run(s, events(4, 1, (0, 0, 1)))
    check("SNN-X2", "Isyn +100, dash 15", r["Isyn"][:, 0], [99, 98, 97, 96])
    check("SNN-X2", "Isyn2 -100, dash 15 (-100>>15 = -1)", r["Isyn2"][:, 0], [-99, -98, -97, -96])
    # dash 0 wipes: current never reaches the membrane.
    s = net(weights_in=w([[[100, 100]]]), dash_syn=[0], dash_syn_2=[0])
    r = run(s, events(3, 1, (0, 0, 5)))
    check("SNN-X2", "dash_syn 0: Isyn and Vmem stay 0", np.r_[r["Isyn"][:, 0], r["Vmem"][:, 0]], [0] * 6)
    # from_specification's default dashes are 0 (its docstring says 1): same wipe.
    XyloSim = import_xylosim()
    m = XyloSim.from_specification(weights_in=w([[[100, 0]]]), weights_out=w([[1]]), threshold=np.array([1000]))
    r = run_sample(m, events(3, 1, (0, 0, 5)))
    check("SNN-X12", "from_specification without dashes: input has no effect", r["Vmem"][:, 0], [0, 0, 0])

    # ---- SNN-X6/X7 order within a step ---------------------------------------------
    # +40 at step 0, dash_syn 2, dash_mem 1: i = 40-10 = 30; v = 0 - 0 + 30 = 30;
    # step 1: i = 30 - 7 = 23; v = 30 - 15 + 23 = 38.
    s = net(weights_in=w([[[40, 0]]]), dash_syn=[2], dash_mem=[1])
    r = run(s, events(2, 1, (0, 0, 1)))
    check("SNN-X6", "input decays once before it reaches Vmem, in the same step", r["Vmem"][:, 0], [30, 38],
          alt=[40, 50])
    # Bias: v = v - decay(v) + bias each step: dash_mem 2, bias 10: 10, 10-2+10=18, 18-4+10=24.
    s = net(dash_mem=[2], bias=np.array([10]))
    r = run(s, np.zeros((3, 1), int))
    check("SNN-X7", "bias adds to dv every step", r["Vmem"][:, 0], [10, 18, 24])
    # Two-stage saturation: both ports at 32767 (weights 127<<8 = 32512, two events -> sat),
    # decay dash 15 -> 32766 each; dv = sat(0 + 65532) = 32767; dv = sat(32767 - 1000) = 31767.
    s = net(weights_in=w([[[127, 127]]]), weight_shift_in=8, dash_mem=[1], bias=np.array([-1000]))
    r = run(s, events(1, 1, (0, 0, 2)))
    check("SNN-X7", "dv saturates before the bias is added", r["Vmem"][:, 0], [31767], alt=[32767])
    # Leak wrap: v = -32768 with dash_mem 0: -decay(v) = -(-32768) wraps to -32768 in int16.
    s = net(weights_in=w([[[-128, -128]]]), weight_shift_in=8, dash_syn=[1], dash_syn_2=[1], dash_mem=[0])
    r = run(s, events(4, 1, (0, 0, 1)))
    check("SNN-X7", "dash_mem 0 neuron at -32768 stays there (int16 negation wraps)", r["Vmem"][:, 0],
          [-32768] * 4, alt=[-32768, -16384, -8192, -4096])

    # ---- SNN-X1/X4 delivery: saturation after every event, channel order ----------
    # ch0 +32512 x2, ch1 -32512 x1: 32512 -> 32767 -> 255; decay dash 15 -> 254.
    s = net(n_in=2, weights_in=w([[[127, 0]], [[-127, 0]]]), weight_shift_in=8)
    r = run(s, events(1, 2, (0, 0, 2), (0, 1, 1)))
    check("SNN-X4", "events saturate one at a time, channel 0 first", r["Isyn"][:, 0], [254], alt=[32511])
    s = net(n_in=2, weights_in=w([[[-127, 0]], [[127, 0]]]), weight_shift_in=8)
    r = run(s, events(1, 2, (0, 0, 1), (0, 1, 2)))
    check("SNN-X4", "same events, negative channel first", r["Isyn"][:, 0], [32511])
    # Input counts above 15 are clipped to 15; counts are int after Rockpool's astype(int).
    s = net(weights_in=w([[[1, 0]]]))
    r15 = run(s, events(1, 1, (0, 0, 15)))["Isyn"][0, 0]
    r16 = run(s, events(1, 1, (0, 0, 16)))["Isyn"][0, 0]
    r99 = run(s, events(1, 1, (0, 0, 99)))["Isyn"][0, 0]
    check("SNN-X4", "input counts 15, 16, 99 -> same Isyn (cap 15)", [r15, r16, r99], [14, 14, 14])
    _, _, rr = XyloSim.from_specification(**s)(np.array([[2.9]]), record=True)
    rf = rr["Isyn"][0, 0]
    check("SNN-X12", "float count 2.9 truncated to 2 by Rockpool (astype(int))", rf, 1)
    raises("SNN-X4", "count 256 (not uint8)", lambda: run(s, events(1, 1, (0, 0, 256))))
    raises("SNN-X4", "count -1", lambda: run(s, events(1, 1, (0, 0, -1))))

    # ---- SNN-X3 weight shifts -------------------------------------------------------
    s = net(weights_in=w([[[-3, 127]]]), weight_shift_in=2)
    r = run(s, events(1, 1, (0, 0, 1)))
    check("SNN-X3", "-3<<2 = -12, 127<<2 = 508 (then -1 decay)", [r["Isyn"][0, 0], r["Isyn2"][0, 0]], [-11, 507])
    s = net(weights_in=w([[[127, 64]]]), weight_shift_in=9)
    r = run(s, events(1, 1, (0, 0, 1)))
    check("SNN-X3", "shift 9 wraps to int16: 127<<9 -> -512, 64<<9 -> -32768",
          [r["Isyn"][0, 0], r["Isyn2"][0, 0]], [-511, -32767], alt=[32766, 32766])

    # ---- SNN-X5 timing of hidden spikes ---------------------------------------------
    # Input drives neuron 0 (th 10, dash_syn 1: i = 20-10) to spike at step 0; its spike reaches neuron 1
    # (rec weight 50) and output 0 (weight 7) at step 1.
    s = net(n_hid=2, weights_in=w([[[20, 0], [0, 0]]]), threshold=np.array([10, 32767]), dash_syn=[1, 15],
            weights_rec=np.array([[[0, 0], [50, 0]], [[0, 0], [0, 0]]], np.int8),
            weights_out=w([[7], [0]]))
    r = run(s, events(3, 1, (0, 0, 1)))
    check("SNN-X5", "neuron 0 spikes at step 0 (same step as its input)", r["Spikes"][:, 0], [1, 0, 0])
    check("SNN-X5", "neuron 1 Isyn: spike arrives at step 1", r["Isyn"][:, 1], [0, 49, 48])
    check("SNN-X5", "output Isyn: spike arrives at step 1", r["Isyn_out"][:, 0], [0, 6, 5])

    # ---- SNN-X8/X9 spikes per step ------------------------------------------------------
    # th 10, input 125 (decay -> 124): 12 spikes, v = 4. Delivered count: 12 x rec weight 2 -> +24.
    s = net(n_hid=2, weights_in=w([[[125, 0], [0, 0]]]), threshold=np.array([10, 32767]),
            weights_rec=np.array([[[0, 0], [2, 0]], [[0, 0], [0, 0]]], np.int8),
            weights_out=w([[1], [0]]), threshold_out=np.array([2]))
    r = run(s, events(2, 1, (0, 0, 1)))
    check("SNN-X8", "hidden neuron: 12 spikes in one step, Vmem 124-120 = 4", [r["Spikes"][0, 0], r["Vmem"][0, 0]],
          [12, 4])
    check("SNN-X5", "12 spikes add 12 x weight: Isyn of neuron 1 = 24-1", r["Isyn"][1, 1], 23)
    check("SNN-X9", "output neuron: at most 1 spike, Vmem_out keeps the rest (11 - 2)",
          [r["out_spikes"][1, 0], r["Vmem_out"][1, 0]], [1, 9])
    # Cap 31: th 1, input 127 -> i 126 -> 31 spikes, v = 126 - 31 = 95.
    s = net(weights_in=w([[[127, 0]]]), threshold=np.array([1]))
    r = run(s, events(1, 1, (0, 0, 1)))
    check("SNN-X9", "hidden cap 31 spikes, Vmem keeps 126-31", [r["Spikes"][0, 0], r["Vmem"][0, 0]], [31, 95])
    # Threshold 0: 31 spikes every step while v >= 0, v unchanged.
    s = net(threshold=np.array([0]))
    r = run(s, np.zeros((2, 1), int))
    check("SNN-X8", "threshold 0 with v = 0: 31 spikes per step", r["Spikes"][:, 0], [31, 31])
    # Negative threshold: v - th wraps: bias 32767 -> v = 32767 >= -1: v = 32768 -> -32768, stop.
    s = net(threshold=np.array([-1]), bias=np.array([32767]))
    r = run(s, np.zeros((1, 1), int))
    check("SNN-X8", "threshold -1: v - th wraps to -32768 after 1 spike",
          [r["Spikes"][0, 0], r["Vmem"][0, 0]], [1, -32768])

    # ---- SNN-X11 aliases -------------------------------------------------------------------
    # Both neurons: th 1, input 127 -> 126 after decay -> would spike 31 times.
    base = dict(n_hid=2, weights_in=w([[[127, 0], [127, 0]]]), threshold=np.array([1, 1]))
    r = run(net(**base, aliases=[[1], []]), events(1, 1, (0, 0, 1)))
    check("SNN-X11", "0 -> 1 (later): neuron 1 starts at 31, spikes 0 own, keeps Vmem 126",
          [r["Spikes"][0].tolist(), r["Vmem"][0].tolist()], [[31, 31], [95, 126]])
    r = run(net(**base, aliases=[[], [0]]), events(1, 1, (0, 0, 1)))
    check("SNN-X11", "1 -> 0 (earlier): neuron 0 already fired, count capped at 31",
          [r["Spikes"][0].tolist(), r["Vmem"][0].tolist()], [[31, 31], [95, 95]])
    # Alias spikes only count toward the recording and delivery; a weaker source: th 50 on
    # neuron 0 (2 spikes: 126 -> 26), neuron 1 th 100 (1 spike: 126 -> 26) plus 2 aliased = 3;
    # neuron 1 -> 0 weight 1: neuron 0's Isyn at step 1 = 126 + 3, decayed by 1.
    r = run(net(n_hid=2, weights_in=w([[[127, 0], [127, 0]]]), threshold=np.array([50, 100]), aliases=[[1], []],
                weights_rec=np.array([[[0, 0], [0, 0]], [[1, 0], [0, 0]]], np.int8)),
            events(2, 1, (0, 0, 1)))
    check("SNN-X11", "aliased spikes add to the target's count and are delivered as its spikes",
          [r["Spikes"][0].tolist(), r["Isyn"][1, 0]], [[2, 3], 128], alt=[[2, 1], 125])

    # ---- SNN-X10 layer shapes --------------------------------------------------------------
    # weights_out with 1 row in a 3-neuron network connects the LAST hidden neuron.
    s = net(n_hid=3, weights_in=w([[[0, 0], [0, 0], [20, 0]]]), threshold=np.array([10, 10, 10]),
            weights_out=w([[9]]), dash_syn_out=[15])
    s["aliases"] = [[], [], []]
    r = run(s, events(2, 1, (0, 0, 1)))
    check("SNN-X10", "weights_out (1 x 1) reads hidden neuron 2 of 3 (one spike -> 9-1)", r["Isyn_out"][1, 0], 8,
          alt=0)
    s = net(n_hid=3, weights_in=w([[[30, 0]]]), threshold=np.full(3, 32767))
    r = run(s, events(1, 1, (0, 0, 1)))
    check("SNN-X10", "weights_in (1 x 1 x 2) reaches hidden neuron 0 only", r["Isyn"][0], [29, 0, 0])
    # 2-D weights: port 0 only; Isyn2 still recorded (zeros).
    s = net(weights_in=w([[20]]))
    r = run(s, events(1, 1, (0, 0, 1)))
    check("SNN-X10", "2-D weights_in feed port 0", [r["Isyn"][0, 0], r["Isyn2"][0, 0]], [19, 0])

    # ---- SNN-X12 what Rockpool adds --------------------------------------------------------
    s = net(weights_in=w([[[10, 0]]]))
    m = XyloSim.from_specification(**s)
    x = events(1, 1, (0, 0, 1))
    _, _, r1 = m(x, record=True)
    _, _, r2 = m(x, record=True)
    check("SNN-X12", "evolve continues the state unless reset_state (Isyn of 2 calls)",
          [r1["Isyn"][0, 0], r2["Isyn"][0, 0]], [9, 18])
    # XyloSim checks no size limit: 20 inputs, 1100 hidden, 12 outputs run.
    s = net(n_in=20, n_hid=1100, n_out=12)
    r = run(s, np.ones((2, 20), int))
    check("SNN-X12", "XyloSim runs 20-1100-12 (limits are not its own)", r["Vmem"].shape + r["Vmem_out"].shape,
          (2, 1100, 2, 12))
    raises("SNN-X12", "weight 200 (XyloSynapse weight is int8_t)",
           lambda: run(net(weights_in=np.array([[[200, 0]]])), events(1, 1)))
    raises("SNN-X12", "threshold 40000 (int16_t)", lambda: run(net(threshold=np.array([40000])), events(1, 1)))
    raises("SNN-X12", "bias 40000 (int16_t)", lambda: run(net(bias=np.array([40000])), events(1, 1)))
    raises("SNN-X12", "dash -1 (uint8_t)", lambda: run(net(dash_mem=np.array([-1])), events(1, 1)))
    raises("SNN-X12", "bias_hidden keyword (config_from_specification's name) is not accepted",
           lambda: XyloSim.from_specification(**net(), bias_hidden=np.array([1])))
    # dash 16 accepted and behaves like any shift >= 16: move by 1 per step.
    r = run(net(weights_in=w([[[100, 0]]]), dash_syn=[16]), events(2, 1, (0, 0, 1)))
    check("SNN-X2", "dash 16 (beyond 4 bits) accepted, acts as v>>16", r["Isyn"][:, 0], [99, 98])

    print(f"{len(FAILS)} failed" if FAILS else "all experiments agree with the rules")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
