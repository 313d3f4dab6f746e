"""Plain numpy model of XyloSim's integer arithmetic (rules SNN-X1 ... in
docs/semantics.md, "Vendor arithmetic: XyloSim IAF"), independent of XyloSim and Rockpool.

``run_reference(spec, counts)`` takes a spec validated by xylo_spec.validate_spec and
input event counts (T x Nin, non-negative integers) and returns the same arrays as
xylo_bridge.run_sample: ``out_spikes``, ``Spikes``, ``Vmem``, ``Isyn``, ``Isyn2``,
``Vmem_out``, ``Isyn_out``.
"""

from __future__ import annotations

import numpy as np

from xylo_spec import validate_spec

LO, HI = -(2**15), 2**15 - 1
MAX_IN_SPIKES = 15   # SNN-X4: input events per channel and step
MAX_HID_SPIKES = 31  # SNN-X9: spikes of a hidden neuron per step
MAX_OUT_SPIKES = 1   # SNN-X9: spikes of an output neuron per step


def sat16(x):
    """SNN-X1: clamp to int16 (XyloSim's safe_add)."""
    return np.clip(x, LO, HI)


def wrap16(x):
    """Two's-complement truncation to 16 bits (C++ conversion to int16_t)."""
    return ((np.asarray(x, np.int64) + 2**15) & 0xFFFF) - 2**15


def decay(v, dash):
    """SNN-X2: v >> dash (flooring), but 1 where that is 0 and v > 0."""
    d = np.right_shift(v, dash)
    return np.where((d == 0) & (v > 0), 1, d)


def _ports(w: np.ndarray) -> np.ndarray:
    """A weight tensor as (pre, post, 2): a 2-D tensor or a single port feeds port 0."""
    w = np.asarray(w, np.int64)
    if w.ndim == 2:
        w = w[:, :, None]
    if w.shape[2] == 1:
        w = np.concatenate([w, np.zeros_like(w)], axis=2)
    return w


def _deliver(state: np.ndarray, counts: np.ndarray, w: np.ndarray) -> np.ndarray:
    """SNN-X4/X5: add counts[p] * w[p] for each source p in index order, saturating
    after every single event. `state` is (post, ports), `w` is (pre, post, ports).

    Repeated saturating additions of one weight equal one saturating addition of
    the multiple (the partial sums are monotone), so each source is one clip. When no
    partial sum can leave int16 the whole delivery is one exact product.
    """
    act = np.nonzero(counts)[0]
    if act.size == 0:
        return state
    n = counts[act]
    wa = w[act]
    bound = np.abs(state) + np.tensordot(n, np.abs(wa), axes=(0, 0))
    if bound.max() <= HI:
        return state + np.tensordot(n, wa, axes=(0, 0))
    for k, p in enumerate(act):
        state = sat16(state + n[k] * wa[k])
    return state


def _integrate(v, isyn, dash_mem, dash_syn, bias):
    """SNN-X6/X7: decay the currents, then v = sat(v + sat(sat(-decay(v) + sum i) + bias))."""
    isyn = isyn - decay(isyn, dash_syn)
    leak = wrap16(-decay(v, dash_mem))  # int16_t dv_mem = -decay(...): -(-32768) wraps
    dv = sat16(leak + isyn.sum(axis=1))
    dv = sat16(dv + bias)
    v = sat16(v + dv)
    return v, isyn


def _fire_one(v: int, th: int, n: int, max_spikes: int) -> tuple[int, int]:
    """SNN-X8 for one neuron: while v >= th and n < max: n += 1, v = wrap16(v - th)."""
    while v >= th and n < max_spikes:
        n += 1
        v = int(wrap16(v - th))
    return v, n


def _fire(v, th, max_spikes):
    """SNN-X8 vectorised for neurons starting with no spikes."""
    n = np.zeros_like(v)
    pos = th > 0
    k = np.where(pos & (v >= th), (v - th) // np.where(pos, th, 1) + 1, 0)
    k = np.minimum(k, max_spikes)
    n[pos] = k[pos]
    v = np.where(pos, v - k * th, v)
    for i in np.nonzero(~pos)[0]:
        v[i], n[i] = _fire_one(int(v[i]), int(th[i]), 0, max_spikes)
    return v, n


def run_reference(spec: dict, counts) -> dict:
    s = validate_spec(spec)
    counts = np.asarray(counts)
    if counts.ndim != 2:
        raise ValueError(f"input counts must be (T, Nin), found {counts.shape}")
    if counts.size and counts.min() < 0:
        raise ValueError("input counts must be non-negative")
    counts = np.minimum(counts.astype(np.int64), MAX_IN_SPIKES)
    T = counts.shape[0]
    n_in = s["weights_in"].shape[0]
    if counts.shape[1] != n_in:
        raise ValueError(f"input has {counts.shape[1]} channels, the spec {n_in}")

    w_rec = _ports(s["weights_rec"])
    N = w_rec.shape[0]
    w_in_raw = _ports(s["weights_in"])
    w_in = np.zeros((n_in, N, 2), np.int64)
    w_in[:, : w_in_raw.shape[1]] = w_in_raw  # SNN-X10: weights_in reaches the first Nin_res neurons
    w_out_raw = np.asarray(s["weights_out"], np.int64)
    n_out = w_out_raw.shape[1]
    w_out = np.zeros((N, n_out, 1), np.int64)
    w_out[N - w_out_raw.shape[0]:, :, 0] = w_out_raw  # SNN-X10: the last Nout_res neurons feed the outputs

    # SNN-X3: shifted weights, truncated to int16.
    w_in = wrap16(np.left_shift(w_in, s["weight_shift_in"]))
    w_rec = wrap16(np.left_shift(w_rec, s["weight_shift_rec"]))
    w_out = wrap16(np.left_shift(w_out, s["weight_shift_out"]))

    dash_syn = np.stack([s["dash_syn"], s["dash_syn_2"]], axis=1).astype(np.int64)
    dash_mem = s["dash_mem"].astype(np.int64)
    th, bias = s["threshold"].astype(np.int64), s["bias"].astype(np.int64)
    dash_syn_o = s["dash_syn_out"].astype(np.int64)[:, None]
    dash_mem_o = s["dash_mem_out"].astype(np.int64)
    th_o, bias_o = s["threshold_out"].astype(np.int64), s["bias_out"].astype(np.int64)
    aliases = s["aliases"]
    use_alias = any(aliases)

    v = np.zeros(N, np.int64)
    isyn = np.zeros((N, 2), np.int64)
    v_o = np.zeros(n_out, np.int64)
    isyn_o = np.zeros((n_out, 1), np.int64)
    spikes = np.zeros(N, np.int64)  # hidden spikes of the previous step (SNN-X5)

    rec = {k: np.zeros((T, N), np.int64) for k in ("Spikes", "Vmem", "Isyn", "Isyn2")}
    rec.update({k: np.zeros((T, n_out), np.int64) for k in ("Vmem_out", "Isyn_out", "out_spikes")})
    for t in range(T):
        # SNN-X4, SNN-X5: inputs of step t, then hidden spikes of step t-1.
        isyn = _deliver(isyn, counts[t], w_in)
        isyn = _deliver(isyn, spikes, w_rec)
        isyn_o = _deliver(isyn_o, spikes, w_out)
        # SNN-X6 ... X9: hidden neurons, then output neurons.
        v, isyn = _integrate(v, isyn, dash_mem, dash_syn, bias)
        if use_alias:
            buf = np.zeros(N, np.int64)
            for i in range(N):  # SNN-X11: neuron order matters
                vi, ni = _fire_one(int(v[i]), int(th[i]), int(buf[i]), MAX_HID_SPIKES)
                v[i], buf[i] = vi, ni
                for k in aliases[i]:
                    buf[k] = min(buf[k] + ni, MAX_HID_SPIKES)
            spikes = buf
        else:
            v, spikes = _fire(v, th, MAX_HID_SPIKES)
        v_o, isyn_o = _integrate(v_o, isyn_o, dash_mem_o, dash_syn_o, bias_o)
        v_o, s_o = _fire(v_o, th_o, MAX_OUT_SPIKES)
        rec["Spikes"][t] = spikes
        rec["Vmem"][t] = v
        rec["Isyn"][t] = isyn[:, 0]
        rec["Isyn2"][t] = isyn[:, 1]
        rec["Vmem_out"][t] = v_o
        rec["Isyn_out"][t] = isyn_o[:, 0]
        rec["out_spikes"][t] = s_o
    return rec
