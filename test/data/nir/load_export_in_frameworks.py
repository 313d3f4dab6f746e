#!/usr/bin/env python3
"""Loads an NIR file (e.g. `snnc export --nir-compat`'s) with one framework's
own NIR reader and, given a dataset and snnc's spikes on it, runs the loaded
network in the framework and compares its spikes with snnc's. Run it with each
environment's python (test/data/nir/README.md):

  python load_export_in_frameworks.py FILE.nir FW
  python load_export_in_frameworks.py FILE.nir FW --data D.h5 --record S.h5 \
      [--dt SECONDS] [--samples N]

FW is snntorch, norse, rockpool, sinabs or spyx. Without --data it prints
`<fw>: loads` or `<fw>: refused: <error>` after one step (exit 0 when it
loads). With --data (a frames dataset, docs/formats/dataset.md) and --record
(`snnc run --record` on the same network and dataset, docs/formats/spikes.md)
it runs every sample through the framework, takes each spiking layer's spikes
and compares them with snnc's population of the same name, allowing for the
timing difference (docs/nir.md, "Timing"): snnTorch, Norse, Rockpool and
Sinabs test the membrane after this step's input, so the spiking layer at
depth L (counted in spiking layers from the input) fires at step t where snnc
fires at t + L; Spyx spikes as snnc does (no lag). Steps whose shifted index
falls beyond snnc's run are not compared. `snnc export --nir-reader FW`
writes per-synapse delays as relay layers (a LIF/IF/CubaLIF node named
`<projection>_relay` in a loop with `<projection>_relay_rec`, or a nested
graph of that name for Rockpool; docs/nir.md, "Delays for consumers"):
they are not snnc populations, so they are not compared and add no depth,
but in Spyx each adds one step (RELAY_LAG), so the framework then runs on
the input padded with that many zero steps and its spikes are compared
that much later. Sinabs runs a graph with a loop one step per call (its
layers take a whole sequence per call otherwise, and the loop would see the
previous call). It prints one line per layer,

  <fw>: layer <name> depth L: snnc S spikes, framework F, differing D of N

and a last line `<fw>: spike-exact` (exit 0) or `<fw>: differs in D spikes`
(exit 1). A framework that fires several spikes in one step (Sinabs's
MultiSpike, Rockpool's max_spikes_per_dt, both the readers' defaults) counts
each; `--single-spike` sets them to one spike per step after loading. `--dt` is passed to readers that take a step (Norse,
Spyx); by default the dataset's dt for Norse and 1 for Spyx (its to_nir
default, which `snnc export --nir-reader spyx` writes for).
CI does not run it (no Python there).
"""
import argparse
import copy
import sys

import h5py
import numpy as np

LAG = {"snntorch": 1, "norse": 1, "rockpool": 1, "sinabs": 1, "spyx": 0}
RELAY_LAG = {"snntorch": 0, "norse": 0, "rockpool": 0, "sinabs": 0, "spyx": 1}
SPIKING = ("LIF", "CubaLIF", "IF")


def is_relay(graph, name):
    """A delay-expansion relay layer written by snnc export --nir-reader."""
    kind = type(graph.nodes[name]).__name__
    return name.endswith("_relay") and kind in SPIKING + ("NIRGraph",)


def loop_edges(graph):
    """Edges (a, b) whose reverse (b, a) exists too: a relay's loop."""
    edges = set(map(tuple, graph.edges))
    return {e for e in edges if (e[1], e[0]) in edges}


def spiking_depths(graph):
    """Spiking node name -> depth (spiking nodes on the longest path from the
    input, itself included)."""
    import nir
    preds = {}
    for a, b in graph.edges:
        preds.setdefault(b, []).append(a)
    memo = {}

    def depth(n, seen=()):
        if n in memo:
            return memo[n]
        if n in seen:  # recurrent edge: no extra depth
            return 0
        d = max([depth(p, seen + (n,)) for p in preds.get(n, [])] or [0])
        if type(graph.nodes[n]).__name__ in SPIKING and \
                not is_relay(graph, n):
            d += 1
        memo[n] = d
        return d

    return {n: depth(n) for n, v in graph.nodes.items()
            if type(v).__name__ in SPIKING and not is_relay(graph, n)}


def relays_before(graph):
    """Spiking node name -> relay layers on the longest path to it."""
    preds = {}
    loops = loop_edges(graph)
    for a, b in graph.edges:
        if (a, b) not in loops:
            preds.setdefault(b, []).append(a)
    memo = {}

    def count(n):
        if n not in memo:
            memo[n] = max([count(p) for p in preds.get(n, [])] or [0]) + \
                (1 if is_relay(graph, n) else 0)
        return memo[n]

    return {n: count(n) for n in spiking_depths(graph)}


def chain_order(graph):
    """Spiking nodes in the order Spyx's reader chains them (first edge out
    of each node, from `input`)."""
    out, cur, seen = [], "input", set()
    loops = loop_edges(graph)  # Spyx folds a relay's loop into one layer
    while cur not in seen:
        seen.add(cur)
        nxt = [b for a, b in graph.edges if a == cur and (a, b) not in loops]
        if not nxt:
            break
        cur = nxt[0]
        if type(graph.nodes[cur]).__name__ in SPIKING:
            out.append(cur)
    return out


def as_array(out):
    """A module's spike output (snnTorch and Norse return tuples, Rockpool
    (out, state, record))."""
    while isinstance(out, (tuple, list)):
        out = out[0]
    return out.detach().cpu().numpy()


def run_torch(fw, graph, x, dt, single=False):
    """x: [T, channels] of one sample -> {node: [T, n] spikes}."""
    import torch
    rec = {}
    spiking = set(spiking_depths(graph))
    T = x.shape[0]
    if fw == "sinabs":
        from sinabs.nir import from_nir
        net = from_nir(graph, batch_size=1)
    elif fw == "rockpool":
        from rockpool.nn.modules.torch.nir import from_nir
        net = from_nir(graph)
    elif fw == "snntorch":
        from snntorch.import_nir import import_from_nir
        net = import_from_nir(graph)
    else:
        import norse.torch as nt
        net = nt.from_nir(graph, dt=dt)
    if single:
        # The readers build multi-spike neurons (Sinabs MultiSpike,
        # Rockpool max_spikes_per_dt = 2^16); snnc's fire at most once.
        for mod in net.modules():
            # (ExpLeak, an LI, has spike_fn None: it does not spike.)
            if fw == "sinabs" and getattr(mod, "spike_fn", None) is not None:
                from sinabs.activation import SingleSpike
                mod.spike_fn = SingleSpike
            if fw == "rockpool" and hasattr(mod, "max_spikes_per_dt"):
                mod.max_spikes_per_dt = torch.tensor(1.0)
    hooks = []
    for name, mod in net.named_modules():
        if name in spiking:
            def hook(m, inp, out, name=name):
                rec.setdefault(name, []).append(as_array(out))
            hooks.append(mod.register_forward_hook(hook))
    missing = spiking - {n for n, _ in net.named_modules()}
    if missing:
        raise RuntimeError("no module for spiking node(s) %s" % sorted(missing))
    xt = torch.tensor(x, dtype=torch.float32)
    with torch.no_grad():
        if fw == "sinabs":
            for m in net.modules():
                if hasattr(m, "reset_states"):
                    m.reset_states()
            if not loop_edges(graph):
                net(xt)  # Squeeze layers take [batch·time, channels]
                return {n: v[0].reshape(T, -1) for n, v in rec.items()}
            state = None
            for t in range(T):  # one step per call: the loop sees t − 1
                out = net(xt[t:t + 1], state)
                if isinstance(out, tuple):
                    state = out[1]
            return {n: np.concatenate(v, axis=0).reshape(T, -1)
                    for n, v in rec.items()}
        if fw == "rockpool":
            net(xt[None])  # [batch, time, channels]
            return {n: v[0].reshape(T, -1) for n, v in rec.items()}
        state = None
        for t in range(T):
            if fw == "snntorch":
                net(xt[t:t + 1])
            else:
                _, state = net(xt[t:t + 1], state)
        return {n: np.concatenate(v, axis=0).reshape(T, -1)
                for n, v in rec.items()}


def run_spyx(graph, x, dt):
    import jax.numpy as jnp
    from flax import nnx
    from spyx.nir import _build_model
    # _build_model rewrites the graph it is given (a loop becomes a nested
    # graph), so it gets a copy.
    model = _build_model(copy.deepcopy(graph), dt, nnx.Rngs(0))
    names = chain_order(graph)
    state = model.initial_state(1)
    rec = {n: [] for n in names}
    for t in range(x.shape[0]):
        h = jnp.array(x[t:t + 1])
        k = 0
        new = []
        for layer, s in zip(model.layers, state):
            if s is not None:
                h, s = layer(h, s)
                rec[names[k]].append(np.asarray(h[0]))
                k += 1
            else:
                h = layer(h)
            new.append(s)
        state = new
    return {n: np.array(v) for n, v in rec.items()}


def load(fw, path):
    import nir
    graph = nir.read(path)
    n_in = int(np.prod(graph.nodes["input"].input_type["input"]))
    x = np.zeros((1, n_in), np.float32)
    if fw == "spyx":
        run_spyx(graph, x, 1.0)
    else:
        run_torch(fw, graph, x, 1e-3)


def snnc_spikes(f, pop, sample, steps, n):
    g = f["populations"][pop]
    ptr = g["sample_ptr"][()]
    a, b = int(ptr[sample]), int(ptr[sample + 1])
    s = np.zeros((steps, n))
    cnt = g["count"][a:b] if "count" in g else np.ones(b - a)
    np.add.at(s, (g["step"][a:b].astype(int), g["neuron"][a:b].astype(int)),
              cnt)
    return s


def compare(fw, path, data, record, dt, samples, single):
    import nir
    graph = nir.read(path)
    depths = spiking_depths(graph)
    relays = relays_before(graph)
    extra = max([RELAY_LAG[fw] * r for r in relays.values()] or [0])
    with h5py.File(data, "r") as d:
        frames = d["frames"][()]
        if dt is None:
            dt = 1.0 if fw == "spyx" else float(d.attrs["dt"])
    if samples:
        frames = frames[:samples]
    lag = LAG[fw]
    totals = {}
    with h5py.File(record, "r") as r:
        steps = int(r.attrs["steps"])
        for s, x in enumerate(frames):
            x = x[:steps].reshape(steps, -1)
            x = np.concatenate([x, np.zeros((extra, x.shape[1]), x.dtype)])
            fws = run_spyx(graph, x, dt) if fw == "spyx" else \
                run_torch(fw, graph, x, dt, single)
            for name, depth in depths.items():
                f = fws[name]
                ours = snnc_spikes(r, name, s, steps, f.shape[1])
                # snnc's step t + shift is the framework's t + late.
                shift = lag * depth
                late = RELAY_LAG[fw] * relays[name]
                n = steps - shift
                mine = ours[shift:shift + n]
                theirs = f[late:late + n]
                tot = totals.setdefault(name, [0, 0, 0, 0])
                tot[0] += int(mine.sum())
                tot[1] += int(theirs.sum())
                tot[2] += int(np.abs(mine - theirs).sum())
                tot[3] += int(n * f.shape[1])
    diff = 0
    for name in sorted(totals, key=lambda k: (depths[k], k)):
        t = totals[name]
        diff += t[2]
        print("%s: layer %s depth %d: snnc %d spikes, framework %d, "
              "differing %d of %d" % (fw, name, depths[name], t[0], t[1],
                                       t[2], t[3]))
    if diff:
        print("%s: differs in %d spikes" % (fw, diff))
        return 1
    print("%s: spike-exact" % fw)
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("fw", choices=sorted(LAG))
    ap.add_argument("--data")
    ap.add_argument("--record")
    ap.add_argument("--dt", type=float)
    ap.add_argument("--samples", type=int, default=0)
    ap.add_argument("--single-spike", action="store_true",
                    help="after loading, make Sinabs's and Rockpool's "
                    "neurons fire at most once per step, as snnc's do")
    a = ap.parse_args()
    if a.data:
        sys.exit(compare(a.fw, a.file, a.data, a.record, a.dt, a.samples,
                         a.single_spike))
    try:
        load(a.fw, a.file)
    except Exception as e:  # the framework's own error is the result
        print("%s: refused: %s: %s" % (a.fw, type(e).__name__,
                                       str(e).splitlines()[0][:160]))
        sys.exit(1)
    print("%s: loads" % a.fw)
