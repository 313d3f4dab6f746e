#!/usr/bin/env python3
"""Writes the NIR fixtures of snnc's NIR tests (test/unit/nir/).

Run it as test/data/nir/README.md says: with nir 1.0.x, torch and snnTorch in
one environment, and nir 0.2.0 in a second one for the old-layout file. It
writes, next to itself:

  *.nir            graphs written by the real `nir` package / exported by
                   snnTorch (export_to_nir)
  expected.txt     every dataset of every fixture, read back raw with h5py
                   (not through nir's reader), values as exact decimal
                   doubles: what the C++ reader must return
  snntorch_*.trace the framework's own simulation of the exported nets
                   (input, spikes and membranes per step) for the C++
                   simulation check

CI does not run this; its outputs are committed.
"""
import argparse
import os
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
F32 = np.float32


def rnd(rng, *shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(F32)


def pos(rng, *shape, lo=0.5, hi=1.5):
    return rng.uniform(lo, hi, size=shape).astype(F32)


# --------------------------------------------------------------------------
# graphs written with the nir package
# --------------------------------------------------------------------------

def all_types_graph(nir, rng):
    """Input -> Affine -> LIF -> Linear -> Delay -> CubaLIF -> Scale -> IF ->
    Affine -> CubaLI -> Threshold -> I -> LI -> Output: every node type snnc
    supports, in one type-consistent chain."""
    n, m = 4, 2
    nodes = {
        "input": nir.Input(input_type=np.array([3])),
        "fc_in": nir.Affine(weight=rnd(rng, n, 3), bias=rnd(rng, n)),
        "lif": nir.LIF(tau=pos(rng, n, lo=1e-3, hi=2e-3), r=pos(rng, n),
                       v_leak=rnd(rng, n, lo=-0.1, hi=0.1),
                       v_threshold=pos(rng, n),
                       v_reset=rnd(rng, n, lo=-0.2, hi=0.0),
                       metadata={"note": "lif layer", "gain": np.float64(2.5)}),
        "rec": nir.Linear(weight=rnd(rng, n, n)),
        "delay": nir.Delay(delay=np.array([0, 1e-3, 2e-3, 5e-3], dtype=F32)),
        "cuba": nir.CubaLIF(tau_syn=pos(rng, n, lo=2e-3, hi=4e-3),
                            tau_mem=pos(rng, n, lo=5e-3, hi=8e-3),
                            r=pos(rng, n), v_leak=np.zeros(n, F32),
                            v_threshold=pos(rng, n), v_reset=np.zeros(n, F32),
                            w_in=pos(rng, n)),
        "scale": nir.Scale(scale=rnd(rng, n)),
        "if": nir.IF(r=pos(rng, n), v_threshold=pos(rng, n),
                     v_reset=np.zeros(n, F32)),
        "fc_out": nir.Affine(weight=rnd(rng, m, n), bias=rnd(rng, m)),
        "cubali": nir.CubaLI(tau_syn=pos(rng, m, lo=1e-3, hi=2e-3),
                             tau_mem=pos(rng, m, lo=3e-3, hi=4e-3),
                             r=pos(rng, m), v_leak=np.zeros(m, F32),
                             w_in=pos(rng, m)),
        "thr": nir.Threshold(threshold=pos(rng, m)),
        "integrator": nir.I(r=pos(rng, m)),
        "readout": nir.LI(tau=pos(rng, m, lo=1e-2, hi=2e-2), r=pos(rng, m),
                          v_leak=np.zeros(m, F32)),
        "output": nir.Output(output_type=np.array([m])),
    }
    chain = ["input", "fc_in", "lif", "rec", "delay", "cuba", "scale", "if",
             "fc_out", "cubali", "thr", "integrator", "readout", "output"]
    edges = list(zip(chain[:-1], chain[1:]))
    return nir.NIRGraph(nodes=nodes, edges=edges)


def nested_graph(nir, rng):
    """A graph holding a graph holding a graph: top-level input -> fc ->
    block (input -> lif -> inner (input -> w -> li -> output) -> output) ->
    output, plus a recurrent Linear inside `block`."""
    n = 3
    inner = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([n])),
            "w": nir.Linear(weight=rnd(rng, n, n)),
            "li": nir.LI(tau=pos(rng, n, lo=1e-2, hi=2e-2), r=pos(rng, n),
                         v_leak=np.zeros(n, F32)),
            "output": nir.Output(output_type=np.array([n])),
        },
        edges=[("input", "w"), ("w", "li"), ("li", "output")])
    block = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([n])),
            "lif": nir.LIF(tau=pos(rng, n, lo=1e-2, hi=2e-2), r=pos(rng, n),
                           v_leak=np.zeros(n, F32), v_threshold=pos(rng, n),
                           v_reset=np.zeros(n, F32)),
            "rec": nir.Linear(weight=rnd(rng, n, n)),
            "inner": inner,
            "output": nir.Output(output_type=np.array([n])),
        },
        edges=[("input", "lif"), ("lif", "rec"), ("rec", "lif"),
               ("lif", "inner"), ("inner", "output")])
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([2])),
            "fc": nir.Affine(weight=rnd(rng, n, 2), bias=rnd(rng, n)),
            "block": block,
            "output": nir.Output(output_type=np.array([n])),
        },
        edges=[("input", "fc"), ("fc", "block"), ("block", "output")])


def conv_graph(nir, rng):
    """Input -> Conv2d -> Flatten -> LIF -> Output: snnc must refuse Conv2d."""
    w = rnd(rng, 2, 1, 3, 3)
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([1, 4, 4])),
            "conv1": nir.Conv2d(input_shape=np.array([4, 4]), weight=w,
                                stride=1, padding=1, dilation=1, groups=1,
                                bias=rnd(rng, 2)),
            "flat": nir.Flatten(input_type={"input": np.array([2, 4, 4])},
                                start_dim=0, end_dim=-1),
            "lif": nir.LIF(tau=pos(rng, 32, lo=1e-2, hi=2e-2),
                           r=pos(rng, 32), v_leak=np.zeros(32, F32),
                           v_threshold=pos(rng, 32),
                           v_reset=np.zeros(32, F32)),
            "output": nir.Output(output_type=np.array([32])),
        },
        edges=[("input", "conv1"), ("conv1", "flat"), ("flat", "lif"),
               ("lif", "output")])


def old_graph(nir, rng):
    """For nir 0.2.0: no v_reset (added 2025) and no w_in on CubaLIF (0.2's
    writer omits it), uncompressed arrays."""
    n = 3
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([2])),
            "fc": nir.Affine(weight=rnd(rng, n, 2), bias=rnd(rng, n)),
            "lif": nir.LIF(tau=pos(rng, n, lo=1e-2, hi=2e-2), r=pos(rng, n),
                           v_leak=np.zeros(n, F32), v_threshold=pos(rng, n)),
            "w": nir.Linear(weight=rnd(rng, n, n)),
            "cuba": nir.CubaLIF(tau_syn=pos(rng, n, lo=1e-2, hi=2e-2),
                                tau_mem=pos(rng, n, lo=2e-2, hi=3e-2),
                                r=pos(rng, n), v_leak=np.zeros(n, F32),
                                v_threshold=pos(rng, n)),
            "w2": nir.Linear(weight=rnd(rng, 2, n)),
            "li": nir.LI(tau=pos(rng, 2, lo=1e-2, hi=2e-2), r=pos(rng, 2),
                         v_leak=np.zeros(2, F32)),
            "output": nir.Output(output_type=np.array([2])),
        },
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "w"), ("w", "cuba"),
               ("cuba", "w2"), ("w2", "li"), ("li", "output")])


# --------------------------------------------------------------------------
# snnTorch exports and their recorded simulations
# --------------------------------------------------------------------------

def snntorch_net(kind, seed):
    import torch
    import snntorch as snn
    torch.manual_seed(seed)
    if kind == "rleaky":
        # One recurrent layer: Linear (bias) -> RLeaky (all-to-all recurrent
        # Linear with bias). snnTorch exports the RLeaky as a subgraph that
        # nirtorch inlines under dotted names (1.lif, 1.w_rec).
        n = 4
        return torch.nn.Sequential(
            torch.nn.Linear(3, n),
            snn.RLeaky(beta=torch.rand(n) * 0.5 + 0.4, linear_features=n,
                       threshold=torch.rand(n) * 0.5 + 0.5,
                       init_hidden=True, reset_mechanism="subtract"))
    sizes = [3, 5, 2]
    layers = []
    for i in range(2):
        n = sizes[i + 1]
        # Layer 1 has a bias (exported as Affine), layer 2 none (Linear):
        # SNN-F7 runs each spiking layer one step behind snnTorch, and a
        # downstream bias would integrate during that extra step, so only a
        # bias-free second layer gives traces that are exact time shifts
        # (docs/nir.md, "Timing").
        fc = torch.nn.Linear(sizes[i], n, bias=(i == 0))
        beta = torch.rand(n) * 0.5 + 0.45
        thr = torch.rand(n) * 0.5 + 0.5
        if kind == "lif":
            neuron = snn.Leaky(beta=beta, threshold=thr, init_hidden=True,
                               reset_mechanism="subtract")
        else:
            alpha = torch.rand(n) * 0.5 + 0.3
            neuron = snn.Synaptic(alpha=alpha, beta=beta, threshold=thr,
                                  init_hidden=True,
                                  reset_mechanism="subtract")
        layers += [fc, neuron]
    return torch.nn.Sequential(*layers)


def simulate_snntorch(net, x):
    """Runs the net step by step, recording each neuron layer's spikes and
    membrane (after the step, as snnTorch returns them)."""
    import torch
    import snntorch as snn
    from snntorch import utils
    utils.reset(net)
    neurons = [m for m in net
               if isinstance(m, (snn.Leaky, snn.Synaptic, snn.RLeaky))]
    spikes = [[] for _ in neurons]
    mems = [[] for _ in neurons]
    with torch.no_grad():
        for t in range(x.shape[0]):
            h = x[t:t + 1]
            for m in net:
                h = m(h)
                if m in neurons:
                    i = neurons.index(m)
                    spikes[i].append(h[0].numpy().copy())
                    mems[i].append(m.mem[0].numpy().copy())
    return neurons, spikes, mems


def margin(neurons, mems):
    """Smallest |mem - threshold| seen: how far the run is from a spike that
    float rounding could flip."""
    best = np.inf
    for m, trace in zip(neurons, mems):
        thr = m.threshold.detach().numpy()
        for v in trace:
            best = min(best, float(np.min(np.abs(v - thr))))
    return best


def write_trace(path, kind, net, x, neurons, spikes, mems, mg, seed):
    import torch
    import snntorch
    import nir
    with open(path, "w") as f:
        f.write("# snnTorch simulation of %s, recorded by generate_fixtures.py\n"
                % os.path.basename(path).replace(".trace", ".nir"))
        f.write("# snntorch %s, torch %s, nir %s, seed %d\n"
                % (snntorch.__version__, torch.__version__, nir.version, seed))
        f.write("# Every step: each layer's input current is fc(spikes of the"
                " layer before), then\n# mem = beta*mem + I - thr*reset "
                "(reset: mem > thr at the previous step), spk = mem > thr.\n")
        f.write("framework snntorch\n")
        f.write("neuron %s\n" % kind)
        f.write("dt 0.0001\n")  # snnTorch's export_to_nir hard-codes it
        f.write("reset subtract\n")
        f.write("steps %d\n" % x.shape[0])
        f.write("margin %r\n" % mg)
        f.write("layers %s\n" % " ".join(layer_node(net, m) for m in neurons))
        for t in range(x.shape[0]):
            f.write("x %d %s\n" % (t, " ".join(repr(float(v))
                                               for v in x[t].numpy())))
        for li, m in enumerate(neurons):
            for t in range(x.shape[0]):
                f.write("spk %d %d %s\n" % (li, t, " ".join(
                    repr(float(v)) for v in spikes[li][t])))
                f.write("mem %d %d %s\n" % (li, t, " ".join(
                    repr(float(v)) for v in mems[li][t])))


def layer_node(net, module):
    """The NIR node a neuron module becomes: its index in the Sequential,
    or `<index>.lif` for an RLeaky (exported as a subgraph)."""
    import snntorch as snn
    name = str(net_index(net, module))
    return name + ".lif" if isinstance(module, snn.RLeaky) else name


def net_index(net, module):
    for i, m in enumerate(net):
        if m is module:
            return i
    return -1


def export_snntorch(kind, out_dir, steps=16):
    import torch
    import nir
    from snntorch.export_nir import export_to_nir
    # Pick the first seed whose run both spikes and stays clear of the
    # threshold (>= 1e-3), so float32-vs-double rounding cannot flip a spike.
    for seed in range(100):
        net = snntorch_net(kind, seed)
        g = torch.Generator().manual_seed(1000 + seed)
        x = torch.rand(steps, 3, generator=g) * 2.0
        neurons, spikes, mems = simulate_snntorch(net, x)
        total = [sum(float(s.sum()) for s in layer) for layer in spikes]
        mg = margin(neurons, mems)
        if min(total) >= 4 and mg >= 1e-3:
            break
    else:
        raise RuntimeError("no seed gave a usable %s run" % kind)
    from snntorch import utils
    utils.reset(net)
    graph = export_to_nir(net, torch.zeros(1, 3), ignore_dims=[0])
    path = os.path.join(out_dir, "snntorch_%s.nir" % kind)
    nir.write(path, graph)
    write_trace(os.path.join(out_dir, "snntorch_%s.trace" % kind), kind, net,
                x, neurons, spikes, mems, mg, seed)
    return path


def export_norse(out_dir, steps=16):
    """Norse 1.1.0: a leaky-integrator readout (Linear -> LIBoxCell), whose
    Euler step SNN-F9 reproduces exactly, recorded like the snnTorch runs;
    and a spiking net (Linear -> LIFBoxCell -> Linear -> LIFCell) exported
    for the reader only: Norse's resets are not SNN-F7's (docs/nir.md)."""
    import torch
    import nir
    import norse
    import norse.torch as nt
    from norse.torch.functional.leaky_integrator_box import LIBoxParameters
    from norse.torch.functional.lif_box import LIFBoxParameters
    from norse.torch.functional.lif import LIFParameters
    torch.manual_seed(21)
    dt = 1e-3  # Norse's default, also to_nir's
    lin = torch.nn.Linear(3, 2)
    p = LIBoxParameters(tau_mem_inv=torch.tensor([100.0, 250.0]),
                        v_leak=torch.tensor([0.0, 0.2]))
    li = nt.LIBoxCell(p=p, dt=dt)
    net = nt.SequentialState(lin, li)
    g = torch.Generator().manual_seed(22)
    x = torch.rand(steps, 3, generator=g) * 2.0 - 0.5
    vs = []
    # Norse starts an LI at v = v_leak by default; SNN-F starts every state
    # at 0, so the run starts from an explicit zero state (docs/nir.md).
    from norse.torch.functional.leaky_integrator_box import LIBoxState
    with torch.no_grad():
        state = LIBoxState(v=torch.zeros(1, 2))
        for t in range(steps):
            v, state = li(lin(x[t:t + 1]), state)
            vs.append(v[0].numpy().copy())
    graph = nt.to_nir(net, torch.zeros(1, 3), dt=dt)
    path = os.path.join(out_dir, "norse_li.nir")
    nir.write(path, graph)
    with open(os.path.join(out_dir, "norse_li.trace"), "w") as f:
        f.write("# Norse simulation of norse_li.nir, recorded by "
                "generate_fixtures.py\n")
        f.write("# norse %s, torch %s, nir %s\n"
                % (norse.__version__, torch.__version__, nir.version))
        f.write("# v += dt*tau_mem_inv*((v_leak - v) + W x + b), dt = %r,\n"
                "# from v = 0 (Norse's default start is v_leak); to_nir "
                "writes tau = dt/tau_mem_inv\n" % dt)
        f.write("framework norse\nneuron li\n")
        f.write("dt %r\n" % dt)
        f.write("steps %d\n" % steps)
        f.write("layers 1\n")
        for t in range(steps):
            f.write("x %d %s\n" % (t, " ".join(repr(float(v))
                                               for v in x[t].numpy())))
        for t in range(steps):
            f.write("mem 0 %d %s\n" % (t, " ".join(repr(float(v))
                                                    for v in vs[t])))

    n = 4
    spiking = nt.SequentialState(
        torch.nn.Linear(3, n),
        nt.LIFBoxCell(p=LIFBoxParameters(
            tau_mem_inv=torch.full((n,), 100.0),
            v_th=torch.full((n,), 0.8), v_leak=torch.zeros(n),
            v_reset=torch.zeros(n))),
        torch.nn.Linear(n, 2, bias=False),
        nt.LIFCell(p=LIFParameters(
            tau_syn_inv=torch.full((2,), 200.0),
            tau_mem_inv=torch.full((2,), 100.0),
            v_th=torch.full((2,), 1.0), v_leak=torch.zeros(2),
            v_reset=torch.zeros(2))))
    graph = nt.to_nir(spiking, torch.zeros(1, 3), dt=dt)
    spath = os.path.join(out_dir, "norse_lif.nir")
    nir.write(spath, graph)

    # Default Norse cells hold scalar parameters, exported as rank-0 arrays:
    # the layer sizes must come from the neighbouring Linear layers.
    scalar = nt.SequentialState(torch.nn.Linear(3, 4), nt.LIFBoxCell(),
                                torch.nn.Linear(4, 2), nt.LIBoxCell())
    graph = nt.to_nir(scalar, torch.zeros(1, 3), dt=dt)
    cpath = os.path.join(out_dir, "norse_scalar.nir")
    # nir 1.0.8 cannot gzip the 0-d v_reset it adds ("Scalar datasets don't
    # support chunk/filter options"), so this one is written plain.
    nir.write(cpath, graph, compression=None)
    return [path, spath, cpath]


# --------------------------------------------------------------------------
# the raw dump the C++ test compares against
# --------------------------------------------------------------------------

def dtype_name(dt):
    return {np.dtype(np.float32): "float32", np.dtype(np.float64): "float64",
            np.dtype(np.int64): "int64", np.dtype(np.int32): "int32",
            np.dtype(np.int16): "int16", np.dtype(np.int8): "int8",
            np.dtype(np.uint8): "uint8", np.dtype(np.uint16): "uint16",
            np.dtype(np.uint32): "uint32",
            np.dtype(np.uint64): "uint64"}[np.dtype(dt)]


def dump_group(f, group, prefix):
    t = group["type"][()].decode()
    if t == "NIRGraph":
        edges = group["edges"][()]
        if edges.size:
            for a, b in edges:
                f.write("edge %s %s %s\n" % (prefix or ".", a.decode(),
                                             b.decode()))
        for name in sorted(group["nodes"].keys()):
            dump_group(f, group["nodes"][name],
                       prefix + "." + name if prefix else name)
        return
    f.write("node %s %s\n" % (prefix, t))
    for key in sorted(group.keys()):
        item = group[key]
        if key == "type" or isinstance(item, h5py.Group):
            continue
        if item.dtype.kind in "SOU":
            continue
        a = item[()]
        arr = np.asarray(a)
        f.write("param %s %s %s %s [%s] %s\n" % (
            prefix, key, dtype_name(arr.dtype),
            "gzip" if item.compression == "gzip" else "plain",
            ",".join(str(d) for d in arr.shape),
            " ".join(repr(float(v)) for v in arr.reshape(-1))))


def dump_expected(paths, out):
    with open(out, "w") as f:
        f.write("# Raw contents of the fixtures, read with h5py by "
                "generate_fixtures.py.\n# file NAME / version V / node PATH "
                "TYPE / param PATH FIELD DTYPE gzip|plain [SHAPE] VALUES / "
                "edge GRAPH SRC DST\n# (nested node paths are dotted; values "
                "are exact decimal doubles)\n")
        for p in paths:
            with h5py.File(p, "r") as h:
                f.write("file %s\n" % os.path.basename(p))
                f.write("version %s\n" % h["version"][()].decode())
                dump_group(f, h["node"], "")
                f.write("end\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nir02-python",
                    help="python of an environment with nir==0.2.0 (for "
                         "old_v0_2.nir); without it that file is kept as is")
    ap.add_argument("--write-old", metavar="PATH",
                    help=argparse.SUPPRESS)  # used under nir 0.2.0
    args = ap.parse_args()
    import nir

    if args.write_old:
        nir.write(args.write_old, old_graph(nir, np.random.default_rng(2)))
        return

    assert nir.version.startswith("1.0"), "run with nir 1.0.x"
    out = HERE
    written = []

    def w(name, graph, **kw):
        p = os.path.join(out, name)
        nir.write(p, graph, **kw)
        written.append(p)

    w("all_types.nir", all_types_graph(nir, np.random.default_rng(1)))
    w("all_types_plain.nir", all_types_graph(nir, np.random.default_rng(1)),
      compression=None)
    w("nested.nir", nested_graph(nir, np.random.default_rng(3)))
    w("conv2d.nir", conv_graph(nir, np.random.default_rng(4)))
    old = os.path.join(out, "old_v0_2.nir")
    if args.nir02_python:
        subprocess.check_call([args.nir02_python, os.path.abspath(__file__),
                               "--write-old", old])
    written.append(old)
    written.append(export_snntorch("lif", out))
    written.append(export_snntorch("cubalif", out))
    written.append(export_snntorch("rleaky", out))
    written += export_norse(out)
    # Check every file with nir's own reader too (type_check off: nir 1.0.8
    # cannot infer types through Conv2d/Flatten in every case).
    for p in written:
        nir.read(p, type_check=False)
    dump_expected(written, os.path.join(out, "expected.txt"))
    print("wrote", ", ".join(os.path.basename(p) for p in written))


if __name__ == "__main__":
    main()
