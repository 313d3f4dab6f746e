#!/usr/bin/env python3
"""Writes the Rockpool, Sinabs and Spyx fixtures of snnc's NIR conventions
(docs/nir.md, "Framework conventions"): each framework builds a small
two-layer spiking net, runs it on a fixed input, and exports it with its own
NIR exporter. Run once per framework, each in its own environment
(test/data/nir/README.md):

  python generate_framework_fixtures.py rockpool   # rockpool 3.1.0, nir 1.0.8
  python generate_framework_fixtures.py sinabs     # sinabs 3.1.3, nir 1.0.4
  python generate_framework_fixtures.py spyx       # spyx 1.0.0, jax, nir 1.0.8
  python generate_framework_fixtures.py spyx_cuba  # the same, CuBaLIF
  python generate_framework_fixtures.py norse      # norse 1.1.0, nir 1.0.8
  python generate_framework_fixtures.py norse_cuba # the same, LIFCell (CubaLIF)

Each writes, next to itself:
  <fw>_<neuron>.nir     the framework's own export
  <fw>_<neuron>.trace   its own run: input, spikes per layer and step (the
                        trace format of generate_fixtures.py, plus `lag`: the
                        steps each layer of snnc's import runs behind)
  <fw>_<neuron>_input.h5  the same input as an snnc frames dataset (1 sample)
  and prints the spikes `snnc run` must count per layer.
CI does not run this; its outputs are committed.
"""
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 20   # the framework's run; the last ZERO_TAIL inputs are 0
ZERO_TAIL = 4
SIZES = [3, 5, 2]


def make_input(seed):
    rng = np.random.default_rng(seed)
    x = (rng.uniform(0.0, 1.6, size=(STEPS, SIZES[0]))).astype(np.float32)
    x[STEPS - ZERO_TAIL:] = 0.0
    return x


def write_dataset(path, x, dt):
    """One-sample frames dataset (docs/formats/dataset.md)."""
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "snnc-dataset"
        f.attrs["version"] = np.int64(1)
        f.attrs["kind"] = "frames"
        f.attrs["dt"] = np.float64(dt)
        f.attrs["steps"] = np.int64(x.shape[0])
        f.attrs["channels"] = np.int64(x.shape[1])
        f.attrs["num_classes"] = np.int64(2)
        f.attrs["source"] = "test/data/nir/generate_framework_fixtures.py"
        f["labels"] = np.zeros(1, np.int32)
        f["frames"] = x[None].astype(np.float32)


def write_trace(path, fw, version, neuron, dt, reset, lag, x, layers, spk,
                margin):
    with open(path, "w") as f:
        f.write("# %s %s run of %s, recorded by "
                "generate_framework_fixtures.py\n"
                % (fw, version, os.path.basename(path).replace(".trace",
                                                               ".nir")))
        f.write("framework %s\nneuron %s\ndt %r\nreset %s\nsteps %d\n"
                "lag %d\nmargin %r\n" % (fw, neuron, dt, reset, x.shape[0],
                                         lag, margin))
        f.write("layers %s\n" % " ".join(layers))
        for t in range(x.shape[0]):
            f.write("x %d %s\n" % (t, " ".join(repr(float(v)) for v in x[t])))
        for li in range(len(layers)):
            for t in range(x.shape[0]):
                f.write("spk %d %d %s\n" % (li, t, " ".join(
                    repr(float(v)) for v in spk[li][t])))


def report(name, spk, lag, steps):
    """`snnc run` over `steps` steps sees layer l's first steps − lag·(l+1)
    framework steps (the rest fall beyond the sample)."""
    counts = []
    for li, s in enumerate(spk):
        counts.append(int(np.sum(s[:steps - lag * (li + 1)])))
    print("%s: framework spikes per layer %s; within snnc's %d steps: %s"
          % (name, [int(np.sum(s)) for s in spk], steps, counts))


# --------------------------------------------------------------------------
# Rockpool: LinearTorch -> LIFTorch (exported as CubaLIF), twice
# --------------------------------------------------------------------------

def rockpool():
    import torch
    import rockpool as rp
    import nir
    from rockpool.nn.modules import LinearTorch, LIFTorch
    from rockpool.nn.combinators import Sequential
    from rockpool.nn.modules.torch.nir import to_nir
    dt = 1e-3
    torch.manual_seed(3)
    rng = np.random.default_rng(30)
    mods = []
    for i in range(2):
        n = SIZES[i + 1]
        w = torch.tensor(rng.uniform(-0.1, 0.35, size=(SIZES[i], n)),
                         dtype=torch.float32)
        mods.append(LinearTorch((SIZES[i], n), weight=w, has_bias=False))
        mods.append(LIFTorch(
            n, tau_mem=torch.tensor(rng.uniform(8e-3, 20e-3, n),
                                    dtype=torch.float32),
            tau_syn=torch.tensor(rng.uniform(2e-3, 6e-3, n),
                                 dtype=torch.float32),
            threshold=torch.tensor(rng.uniform(0.5, 1.0, n),
                                   dtype=torch.float32),
            dt=dt, max_spikes_per_dt=torch.tensor(1.0)))
    net = Sequential(*mods)
    x = make_input(31)
    spk = []
    with torch.no_grad():
        h = torch.tensor(x)[None]
        for m in mods:
            m.reset_state()
            h, _, rec = m(h, record=True)
            if isinstance(m, LIFTorch):
                spk.append(h[0].numpy().copy())
    # nir 1.0.8's type inference refuses the shapes nirtorch 2.6 gives the
    # ports (the batch axis stays in them): export without it, then give the
    # ports their per-sample shapes.
    infer = nir.NIRGraph.infer_types
    nir.NIRGraph.infer_types = lambda self: None
    try:
        graph = to_nir(net, torch.zeros(1, SIZES[0]))
    finally:
        nir.NIRGraph.infer_types = infer
    graph.nodes["input"] = nir.Input({"input": np.array([SIZES[0]])})
    graph.nodes["output"] = nir.Output({"output": np.array([SIZES[2]])})
    base = os.path.join(HERE, "rockpool_cubalif")
    nir.write(base + ".nir", graph)
    g = nir.read(base + ".nir")
    layers = [k for k, v in sorted(g.nodes.items())
              if isinstance(v, nir.CubaLIF)]
    write_trace(base + ".trace", "rockpool", rp.__version__, "cubalif", dt,
                "subtract-before-decay", 1, x, layers, spk, 0.0)
    write_dataset(base + "_input.h5", x, dt)
    report("rockpool_cubalif", spk, 1, STEPS)


# --------------------------------------------------------------------------
# Sinabs: Linear -> IAF (exact) and Linear -> LIF (subtract before decay)
# --------------------------------------------------------------------------

def sinabs():
    import torch
    import sinabs as sb
    import sinabs.layers as sl
    import nir
    from sinabs.activation import SingleSpike
    from sinabs.nir import to_nir
    for kind in ("iaf", "lif"):
        rng = np.random.default_rng(40 if kind == "iaf" else 41)
        layers = []
        for i in range(2):
            n = SIZES[i + 1]
            lin = torch.nn.Linear(SIZES[i], n, bias=False)
            lin.weight.data = torch.tensor(
                rng.uniform(-0.2, 0.9, size=(n, SIZES[i])),
                dtype=torch.float32)
            layers.append(lin)
            # SingleSpike: snnc neurons fire at most once per step (Sinabs's
            # default MultiSpike fires floor(v/θ) times).
            if kind == "iaf":
                layers.append(sl.IAF(spike_threshold=torch.tensor(1.0),
                                     spike_fn=SingleSpike))
            else:
                layers.append(sl.LIF(
                    tau_mem=torch.tensor(rng.uniform(4.0, 12.0, n),
                                         dtype=torch.float32),
                    spike_threshold=torch.ones(n),
                    spike_fn=SingleSpike, norm_input=False))
        net = torch.nn.Sequential(*layers)
        x = make_input(42)
        spk = []
        with torch.no_grad():
            h = torch.tensor(x)[None]
            for m in net:
                if hasattr(m, "reset_states"):
                    m.reset_states()
                h = m(h)
                if isinstance(m, (sl.IAF, sl.LIF)):
                    spk.append(h[0].numpy().copy())
            for m in net:
                if hasattr(m, "reset_states"):
                    m.reset_states()
            # Sinabs's natural export: a [batch, time, features] sample, so
            # the Input node's shape carries the time axis.
            graph = to_nir(net, torch.zeros(1, STEPS, SIZES[0]))
        base = os.path.join(HERE, "sinabs_%s" % kind)
        nir.write(base + ".nir", graph)
        g = nir.read(base + ".nir")
        want = nir.IF if kind == "iaf" else nir.LIF
        names = [k for k, v in sorted(g.nodes.items()) if isinstance(v, want)]
        write_trace(base + ".trace", "sinabs", sb.__version__, kind, 1e-3,
                    "subtract-before-decay", 1, x, names, spk, 0.0)
        write_dataset(base + "_input.h5", x, 1e-3)
        report("sinabs_" + kind, spk, 1, STEPS)


# --------------------------------------------------------------------------
# Spyx: Linear -> LIF (subtract after the decay, spikes from the state
# before the input: snnc's own timing)
# --------------------------------------------------------------------------

def spyx():
    import jax.numpy as jnp
    import nir
    import spyx as sx
    from flax import nnx
    from spyx.nn import LIF
    from spyx.nir import to_nir
    rng = np.random.default_rng(50)
    rngs = nnx.Rngs(0)
    mods = []
    for i in range(2):
        n = SIZES[i + 1]
        lin = nnx.Linear(SIZES[i], n, use_bias=False, rngs=rngs)
        lin.kernel[...] = jnp.array(rng.uniform(-0.2, 0.9,
                                                size=(SIZES[i], n)),
                                    dtype=jnp.float32)
        # beta=None gives a per-neuron β (a given β is one scalar).
        lif = LIF((n,), beta=None, threshold=1.0, rngs=rngs)
        lif.beta[...] = jnp.array(rng.uniform(0.5, 0.9, n), dtype=jnp.float32)
        mods += [lin, lif]
    x = make_input(51)
    spk = [[], []]
    V = [jnp.zeros((1, SIZES[1])), jnp.zeros((1, SIZES[2]))]
    for t in range(STEPS):
        h = jnp.array(x[t:t + 1])
        for li in range(2):
            h = mods[2 * li](h)
            s, V[li] = mods[2 * li + 1](h, V[li])
            spk[li].append(np.asarray(s[0]))
            h = s
    spk = [np.array(s) for s in spk]
    graph = to_nir(nnx.Sequential(*mods), {"input": np.array([SIZES[0]])},
                   {"output": np.array([SIZES[2]])}, dt=1)
    base = os.path.join(HERE, "spyx_lif")
    nir.write(base + ".nir", graph)
    g = nir.read(base + ".nir")
    names = [k for k, v in sorted(g.nodes.items()) if isinstance(v, nir.LIF)]
    write_trace(base + ".trace", "spyx", sx.__version__, "lif", 1.0,
                "subtract", 0, x, names, spk, 0.0)
    write_dataset(base + "_input.h5", x, 1.0)
    report("spyx_lif", spk, 0, STEPS)


# --------------------------------------------------------------------------
# Spyx: Linear -> CuBaLIF (subtract before the decay, J = alpha·J + x,
# V = beta·V + J, spikes from the state before the input)
# --------------------------------------------------------------------------

def spyx_cuba():
    import jax.numpy as jnp
    import nir
    import spyx as sx
    from flax import nnx
    from spyx.nn import CuBaLIF
    from spyx.nir import to_nir
    rng = np.random.default_rng(52)
    rngs = nnx.Rngs(0)
    mods = []
    for i in range(2):
        n = SIZES[i + 1]
        lin = nnx.Linear(SIZES[i], n, use_bias=False, rngs=rngs)
        lin.kernel[...] = jnp.array(rng.uniform(-0.2, 0.6,
                                                size=(SIZES[i], n)),
                                    dtype=jnp.float32)
        # alpha/beta=None give per-neuron values.
        lif = CuBaLIF((n,), alpha=None, beta=None, threshold=1.0, rngs=rngs)
        lif.alpha[...] = jnp.array(rng.uniform(0.3, 0.7, n), dtype=jnp.float32)
        lif.beta[...] = jnp.array(rng.uniform(0.5, 0.9, n), dtype=jnp.float32)
        mods += [lin, lif]
    x = make_input(53)
    spk = [[], []]
    VI = [lif.initial_state(1) for lif in mods[1::2]]
    for t in range(STEPS):
        h = jnp.array(x[t:t + 1])
        for li in range(2):
            h = mods[2 * li](h)
            s, VI[li] = mods[2 * li + 1](h, VI[li])
            spk[li].append(np.asarray(s[0]))
            h = s
    spk = [np.array(s) for s in spk]
    graph = to_nir(nnx.Sequential(*mods), {"input": np.array([SIZES[0]])},
                   {"output": np.array([SIZES[2]])}, dt=1)
    base = os.path.join(HERE, "spyx_cubalif")
    nir.write(base + ".nir", graph)
    g = nir.read(base + ".nir")
    names = [k for k, v in sorted(g.nodes.items())
             if isinstance(v, nir.CubaLIF)]
    write_trace(base + ".trace", "spyx", sx.__version__, "cubalif", 1.0,
                "subtract-before-decay", 0, x, names, spk, 0.0)
    write_dataset(base + "_input.h5", x, 1.0)
    report("spyx_cubalif", spk, 0, STEPS)


# --------------------------------------------------------------------------
# Norse: Linear -> LIFBoxCell twice (Euler step, zero reset from the
# just-updated membrane keeping the next input, V > θ)
# --------------------------------------------------------------------------

def norse():
    import torch
    import nir
    import norse as nr
    import norse.torch as nt
    from norse.torch.functional.lif_box import LIFBoxParameters, \
        LIFBoxFeedForwardState
    dt = 1e-3  # Norse's default, also to_nir's
    rng = np.random.default_rng(60)
    mods = []
    for i in range(2):
        n = SIZES[i + 1]
        lin = torch.nn.Linear(SIZES[i], n, bias=False)
        lin.weight.data = torch.tensor(
            rng.uniform(-2.0, 14.0, size=(n, SIZES[i])), dtype=torch.float32)
        p = LIFBoxParameters(
            tau_mem_inv=torch.tensor(1.0 / rng.uniform(5e-3, 20e-3, n),
                                     dtype=torch.float32),
            v_th=torch.tensor(rng.uniform(0.6, 1.2, n), dtype=torch.float32),
            v_leak=torch.zeros(n), v_reset=torch.zeros(n))
        mods += [lin, nt.LIFBoxCell(p=p, dt=dt)]
    x = make_input(61)
    spk = [[], []]
    with torch.no_grad():
        # SNN-F starts every state at 0 (Norse's default starts v at
        # v_leak, 0 here too; explicit for clarity).
        st = [LIFBoxFeedForwardState(v=torch.zeros(1, SIZES[i + 1]))
              for i in range(2)]
        for t in range(STEPS):
            h = torch.tensor(x[t:t + 1])
            for li in range(2):
                h = mods[2 * li](h)
                h, st[li] = mods[2 * li + 1](h, st[li])
                spk[li].append(h[0].numpy().copy())
    spk = [np.array(s) for s in spk]
    net = nt.SequentialState(*mods)
    graph = nt.to_nir(net, torch.zeros(1, SIZES[0]), dt=dt)
    base = os.path.join(HERE, "norse_lifbox")
    nir.write(base + ".nir", graph)
    # nir.read refuses it back: Norse writes the Input shape with the batch
    # axis, [1, 3] (snnc's reader drops the leading axis and says so).
    names = [k for k, v in sorted(graph.nodes.items())
             if isinstance(v, nir.LIF)]
    write_trace(base + ".trace", "norse", nr.__version__, "lif", dt,
                "zero-keep-input", 1, x, names, spk, 0.0)
    write_dataset(base + "_input.h5", x, dt)
    report("norse_lifbox", spk, 1, STEPS)


# --------------------------------------------------------------------------
# Norse: Linear -> LIFCell twice (exported as CubaLIF): i = β_syn·i + x
# (gain 1, no w_in written), zero reset keeping the next input, V > θ; one
# step behind per layer in snnc's import, like the others.
# --------------------------------------------------------------------------

def norse_cuba():
    import torch
    import nir
    import norse as nr
    import norse.torch as nt
    from norse.torch.functional.lif import LIFParameters, \
        LIFFeedForwardState
    dt = 1e-3
    rng = np.random.default_rng(62)
    mods = []
    for i in range(2):
        n = SIZES[i + 1]
        lin = torch.nn.Linear(SIZES[i], n, bias=False)
        lin.weight.data = torch.tensor(
            rng.uniform(-0.5, 1.2, size=(n, SIZES[i])), dtype=torch.float32)
        p = LIFParameters(
            tau_syn_inv=torch.tensor(1.0 / rng.uniform(3e-3, 8e-3, n),
                                     dtype=torch.float32),
            tau_mem_inv=torch.tensor(1.0 / rng.uniform(5e-3, 20e-3, n),
                                     dtype=torch.float32),
            v_th=torch.tensor(rng.uniform(0.4, 0.8, n), dtype=torch.float32),
            v_leak=torch.zeros(n), v_reset=torch.zeros(n))
        mods += [lin, nt.LIFCell(p=p, dt=dt)]
    x = make_input(63)
    spk = [[], []]
    with torch.no_grad():
        st = [LIFFeedForwardState(v=torch.zeros(1, SIZES[i + 1]),
                                  i=torch.zeros(1, SIZES[i + 1]))
              for i in range(2)]
        for t in range(STEPS):
            h = torch.tensor(x[t:t + 1])
            for li in range(2):
                h = mods[2 * li](h)
                h, st[li] = mods[2 * li + 1](h, st[li])
                spk[li].append(h[0].numpy().copy())
    spk = [np.array(s) for s in spk]
    net = nt.SequentialState(*mods)
    graph = nt.to_nir(net, torch.zeros(1, SIZES[0]), dt=dt)
    base = os.path.join(HERE, "norse_lifcell")
    nir.write(base + ".nir", graph)
    names = [k for k, v in sorted(graph.nodes.items())
             if isinstance(v, nir.CubaLIF)]
    write_trace(base + ".trace", "norse", nr.__version__, "cubalif", dt,
                "zero-keep-input", 1, x, names, spk, 0.0)
    write_dataset(base + "_input.h5", x, dt)
    report("norse_lifcell", spk, 1, STEPS)


if __name__ == "__main__":
    {"rockpool": rockpool, "sinabs": sinabs, "spyx": spyx,
     "spyx_cuba": spyx_cuba, "norse": norse,
     "norse_cuba": norse_cuba}[sys.argv[1]]()
