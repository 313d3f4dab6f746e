#!/usr/bin/env python3
"""snn-gen-network: write random but valid `snn` networks as .mlir.

Used by the lit tests (round trips of the paper's network, CSR networks and
CuBa networks) and by bench/ (networks of 10^6 synapses and more). Standard
library only, deterministic for a seed. Large arrays become dense_resource
blobs (the dialect's storage for parameters), small ones may be inline.

  snn-gen-network.py paper   [--density 0.0625] [--seed S]
  snn-gen-network.py sparse  [--seed S]
  snn-gen-network.py cuba    [--seed S]
  snn-gen-network.py hostile [--seed S]   (Lava corners; first line lists them)
  snn-gen-network.py large   --synapses N [--form dense|csr] [--seed S]
  snn-gen-network.py xylo    [--seed S] [--max-delay D]
"""
import argparse
import array
import math
import random
import sys

DT = 0.01          # 10 ms steps, the paper's RawHD setting
TAU = 10.05 * DT   # tau = 10.05 steps (docs/reference.md §1)


class Writer:
    def __init__(self, inline_limit):
        self.blobs = []
        self.inline_limit = inline_limit

    def tensor(self, name, shape, etype, values):
        """Returns the attribute text for a tensor; big ones become blobs."""
        ty = "tensor<" + "".join(f"{d}x" for d in shape) + etype + ">"
        if len(values) <= self.inline_limit:
            return f"dense<{nested(shape, values, etype)}> : {ty}"
        code, align = {"f32": ("f", 4), "i32": ("i", 4), "i64": ("q", 8),
                       "i8": ("b", 1), "i1": ("B", 1)}[etype]
        data = array.array(code, values)
        if sys.byteorder != "little":
            data.byteswap()
        blob = align.to_bytes(4, "little") + data.tobytes()
        self.blobs.append((name, blob.hex()))
        return f"dense_resource<{name}> : {ty}"

    def resources(self):
        if not self.blobs:
            return ""
        lines = ["", "{-#", "  dialect_resources: {", "    builtin: {"]
        for i, (name, hexdata) in enumerate(self.blobs):
            comma = "," if i + 1 < len(self.blobs) else ""
            lines.append(f'      {name}: "0x{hexdata}"{comma}')
        lines += ["    }", "  }", "#-}"]
        return "\n".join(lines) + "\n"


def fmt(v, etype):
    if etype == "f32":
        return repr(float(v)) if math.isfinite(v) else ("0x7FC00000" if v != v else "0x7F800000")
    if etype == "i1":
        return "true" if v else "false"
    return str(int(v))


def nested(shape, values, etype):
    if not shape:
        return fmt(values[0], etype)
    if len(shape) == 1:
        return "[" + ", ".join(fmt(v, etype) for v in values) + "]"
    step = len(values) // shape[0]
    return "[" + ", ".join(nested(shape[1:], values[i * step:(i + 1) * step], etype)
                           for i in range(shape[0])) + "]"


def kaiming(rng, fan_in, n):
    bound = 1.0 / math.sqrt(fan_in)
    return [rng.uniform(-bound, bound) for _ in range(n)]


def f32(x):
    return array.array("f", [x])[0]


def paper(args, rng, w):
    """40 -> 256 -> 20, DCLS delays (max 25), BatchNorm, 1/16-density mask."""
    nin, nh, nout, dmax = 40, 256, 20, 25
    h = (dmax - 1) / 2
    out = [f'snn.network @paper attributes {{dt = {DT} : f64, steps = 100 : i64}} {{',
           '  snn.input @in {size = 40 : i64, scale = 20.0 : f64}',
           f'  snn.lif @hidden {{size = {nh} : i64, tau_mem = {TAU} : f64, '
           'threshold = 1.0 : f64, dropout = 0.4 : f64}',
           f'  snn.li @readout {{size = {nout} : i64, tau_mem = {TAU} : f64}}']
    mask = [1 if rng.random() < args.density else 0 for _ in range(nh * nin)]
    out.append('  snn.projection @fc1 @in -> @hidden {'
               f'max_delay = {dmax} : i64,\n'
               f'      weight = {w.tensor("fc1_weight", [nh, nin], "f32", kaiming(rng, nin, nh * nin))},\n'
               f'      position = {w.tensor("fc1_position", [nh, nin], "f32", [f32(rng.uniform(-h, h)) for _ in range(nh * nin)])},\n'
               f'      sigma = 12.0 : f64,\n'
               f'      mask = {w.tensor("fc1_mask", [nh, nin], "i1", mask)}}}')
    out.append(f'  snn.batchnorm @bn1 {{target = @hidden,\n'
               f'      gamma = {w.tensor("bn1_gamma", [nh], "f32", [rng.uniform(0.5, 1.5) for _ in range(nh)])},\n'
               f'      beta = {w.tensor("bn1_beta", [nh], "f32", [rng.uniform(-0.1, 0.1) for _ in range(nh)])},\n'
               f'      mean = {w.tensor("bn1_mean", [nh], "f32", [rng.uniform(-0.1, 0.1) for _ in range(nh)])},\n'
               f'      var = {w.tensor("bn1_var", [nh], "f32", [rng.uniform(0.5, 2.0) for _ in range(nh)])}}}')
    out.append('  snn.projection @fc2 @hidden -> @readout {'
               f'max_delay = {dmax} : i64,\n'
               f'      weight = {w.tensor("fc2_weight", [nout, nh], "f32", kaiming(rng, nh, nout * nh))},\n'
               f'      position = {w.tensor("fc2_position", [nout, nh], "f32", [f32(rng.uniform(-h, h)) for _ in range(nout * nh)])},\n'
               f'      sigma = 12.0 : f64}}')
    out.append('  snn.output @readout')
    out.append('}')
    return out


def csr(rng, rows, cols, density):
    row_ptr, col_idx = [0], []
    for _ in range(rows):
        picked = sorted(rng.sample(range(cols), max(1, int(round(cols * density)))))
        col_idx += picked
        row_ptr.append(len(col_idx))
    return row_ptr, col_idx


def sparse(args, rng, w):
    """Two CSR projections with integer delays and Dale's-law signs."""
    nin, nh, nout, dmax = 64, 128, 10, 16
    out = [f'snn.network @sparse attributes {{dt = {DT} : f64, steps = 50 : i64}} {{',
           f'  snn.input @in {{size = {nin} : i64, encoding = #snn.encoding<spikes>}}',
           f'  snn.lif @hidden {{size = {nh} : i64, tau_mem = {TAU} : f64, '
           'threshold = 1.0 : f64, reset = #snn.reset<subtract>}',
           f'  snn.li @readout {{size = {nout} : i64, tau_mem = {TAU} : f64}}']
    for name, src, dst, ns, nt in (("fc1", "in", "hidden", nin, nh),
                                   ("fc2", "hidden", "readout", nh, nout)):
        rp, ci = csr(rng, nt, ns, 1 / 8)
        nnz = len(ci)
        out.append(f'  snn.sparse_projection @{name} @{src} -> @{dst} {{'
                   f'max_delay = {dmax} : i64,\n'
                   f'      row_ptr = {w.tensor(name + "_row_ptr", [nt + 1], "i64", rp)},\n'
                   f'      col_idx = {w.tensor(name + "_col_idx", [nnz], "i32", ci)},\n'
                   f'      weight = {w.tensor(name + "_weight", [nnz], "f32", [abs(x) for x in kaiming(rng, ns, nnz)])},\n'
                   f'      delay = {w.tensor(name + "_delay", [nnz], "i32", [rng.randrange(dmax) for _ in range(nnz)])},\n'
                   f'      sign = {w.tensor(name + "_sign", [ns], "i8", [rng.choice((-1, 1)) for _ in range(ns)])}}}')
    out.append('  snn.output @readout')
    out.append('}')
    return out


def cuba(args, rng, w):
    """A current-based LIF network, as NIR's CubaLIF describes."""
    nin, nh, nout, dmax = 16, 32, 4, 8
    out = [f'snn.network @cuba attributes {{dt = 1.0e-03 : f64, steps = 200 : i64, decay = #snn.decay<exp>}} {{',
           f'  snn.input @in {{size = {nin} : i64}}',
           f'  snn.lif @hidden {{size = {nh} : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, '
           f'threshold = 0.5 : f64, bias = {w.tensor("hidden_bias", [nh], "f32", [rng.uniform(0, 0.01) for _ in range(nh)])}}}',
           f'  snn.li @readout {{size = {nout} : i64, tau_mem = 2.0e-02 : f64}}']
    for name, src, dst, ns, nt in (("fc1", "in", "hidden", nin, nh),
                                   ("fc2", "hidden", "readout", nh, nout)):
        out.append(f'  snn.projection @{name} @{src} -> @{dst} {{max_delay = {dmax} : i64,\n'
                   f'      weight = {w.tensor(name + "_weight", [nt, ns], "f32", kaiming(rng, ns, nt * ns))},\n'
                   f'      delay = {w.tensor(name + "_delay", [nt, ns], "i32", [rng.randrange(dmax) for _ in range(nt * ns)])}}}')
    out.append('  snn.output @readout')
    out.append('}')
    return out


def hostile(args, rng, w):
    """A CuBa chain for Lava's level 5 that aims at the corners of SNN-L*:
    delays up to 200 (relay layers, SNN-L14), spike counts above 1 (graded
    input), biases, u and v driven to their wrap and clip, unleaky neurons,
    sparse and dense, excitatory / inhibitory / mixed matrices, all-zero rows.
    The first line, `// corners: ...`, names the corners drawn, and
    `// input: binary|graded` what the data must be: a relayed input
    projection only passes binary spikes (SNN-I10, SNN-L14)."""
    nin = rng.choice([4, 8, 16])
    sizes = [rng.randint(4, 24) for _ in range(rng.choice([1, 2]))] + [rng.randint(2, 4)]
    names = [f"h{i + 1}" for i in range(len(sizes) - 1)] + ["readout"]
    corners = []
    steps = 260
    pops = []
    for i, (name, n) in enumerate(zip(names, sizes)):
        li = name == "readout"
        leak = rng.choice(["leaky", "leaky", "unleaky"])
        tau_mem = 1.0e9 if leak == "unleaky" else rng.choice([5.0e-3, 2.0e-2, 1.0e-1])
        syn = rng.choice(["none", "fast", "slow"])
        attrs = [f"size = {n} : i64", f"tau_mem = {tau_mem!r} : f64"]
        if syn != "none":
            attrs.append(f"tau_syn = {(5.0e-3 if syn == 'fast' else 1.0)!r} : f64")
        if not li:
            attrs.append(f"threshold = {rng.choice([0.05, 0.5, 2.0])!r} : f64")
            if rng.random() < 0.4:
                corners.append("bias")
                attrs.append("bias = " + w.tensor(name + "_bias", [n], "f32",
                                                  [rng.choice([0.0, 0.25, -0.25, 0.5, 1.0]) for _ in range(n)]))
        corners += [leak, "syn-" + syn]
        pops.append(f"  snn.{'li' if li else 'lif'} @{name} {{{', '.join(attrs)}}}")
    graded = rng.random() < 0.4
    projs = []
    srcs = ["in"] + names[:-1]
    fan = [nin] + sizes[:-1]
    for k, (src, dst, ns, nt) in enumerate(zip(srcs, names, fan, sizes)):
        long_ = rng.random() < 0.5 and not (k == 0 and graded)
        if long_:
            dmax = rng.randint(63, 200)
            relays = -(-(dmax - 62) // 63)
            delays = [rng.randint(relays, dmax) for _ in range(nt * ns)]
            corners.append(f"relays-{relays}")
        else:
            dmax = rng.choice([1, 8, 63])
            delays = [rng.randrange(dmax) for _ in range(nt * ns)]
            corners.append("delay<=62")
        sign = rng.choice(["excitatory", "inhibitory", "mixed"])
        density = rng.choice([0.1, 0.3, 1.0])
        corners += [sign, "dense" if density == 1.0 else "sparse"]
        scale = rng.choice([0.2, 1.0, 4.0])
        weights = []
        zero_row = rng.random() < 0.3
        for b in range(nt):
            for a in range(ns):
                x = rng.uniform(0.05, 1.0) * scale
                x = {"excitatory": x, "inhibitory": -x, "mixed": x if rng.random() < 0.5 else -x}[sign]
                keep = rng.random() < density and not (zero_row and b == 0)
                weights.append(x if keep else 0.0)
        if zero_row:
            corners.append("zero-row")
        if not any(weights):
            weights[-1] = scale
        if scale == 4.0:
            corners.append("strong")
        projs.append(f"  snn.projection @p{k + 1} @{src} -> @{dst} {{max_delay = {max(delays) + 1} : i64,\n"
                     f"      weight = {w.tensor(f'p{k + 1}_weight', [nt, ns], 'f32', weights)},\n"
                     f"      delay = {w.tensor(f'p{k + 1}_delay', [nt, ns], 'i32', delays)}}}")
    corners.append("graded" if graded else "binary")
    out = [f"// corners: {' '.join(sorted(set(corners)))}",
           f"// input: {'graded' if graded else 'binary'}",
           f"snn.network @hostile attributes {{dt = 1.0e-03 : f64, steps = {steps} : i64, decay = #snn.decay<exp>}} {{",
           f"  snn.input @in {{size = {nin} : i64, encoding = #snn.encoding<spikes>}}"]
    out += pops + projs
    out.append("  snn.output @readout")
    out.append("}")
    return out


def large(args, rng, w):
    """input -> hidden with about `--synapses` synapses, hidden -> 20 readout."""
    n = args.synapses
    side = max(1, int(math.isqrt(n)))
    nin, nh, dmax = side, max(1, n // side), 25
    out = [f'snn.network @large attributes {{dt = {DT} : f64, steps = 100 : i64}} {{',
           f'  snn.input @in {{size = {nin} : i64}}',
           f'  snn.lif @hidden {{size = {nh} : i64, tau_mem = {TAU} : f64}}',
           f'  snn.li @readout {{size = 20 : i64, tau_mem = {TAU} : f64}}']
    # Cheap, deterministic values: speed matters here, not their distribution.
    weights = [((i * 2654435761) % 1000) / 1000.0 - 0.5 for i in range(nin * nh)]
    delays = [(i * 40503) % dmax for i in range(nin * nh)]
    if args.form == "dense":
        out.append(f'  snn.projection @fc1 @in -> @hidden {{max_delay = {dmax} : i64,\n'
                   f'      weight = {w.tensor("fc1_weight", [nh, nin], "f32", weights)},\n'
                   f'      delay = {w.tensor("fc1_delay", [nh, nin], "i32", delays)}}}')
    else:
        rp = [i * nin for i in range(nh + 1)]
        ci = [i % nin for i in range(nin * nh)]
        out.append(f'  snn.sparse_projection @fc1 @in -> @hidden {{max_delay = {dmax} : i64,\n'
                   f'      row_ptr = {w.tensor("fc1_row_ptr", [nh + 1], "i64", rp)},\n'
                   f'      col_idx = {w.tensor("fc1_col_idx", [nin * nh], "i32", ci)},\n'
                   f'      weight = {w.tensor("fc1_weight", [nin * nh], "f32", weights)},\n'
                   f'      delay = {w.tensor("fc1_delay", [nin * nh], "i32", delays)}}}')
    out.append(f'  snn.projection @fc2 @hidden -> @readout {{max_delay = {dmax} : i64,\n'
               f'      weight = {w.tensor("fc2_weight", [20, nh], "f32", weights[:20 * nh] if len(weights) >= 20 * nh else [0.1] * (20 * nh))},\n'
               f'      delay = {w.tensor("fc2_delay", [20, nh], "i32", [0] * (20 * nh))}}}')
    out.append('  snn.output @readout')
    out.append('}')
    return out


XYLO_INPUTS, XYLO_HIDDEN, XYLO_OUTPUTS = 16, 1000, 8


def xylo(args, rng, w):
    """A random network inside Xylo Audio's limits (16 inputs, 1000 hidden
    neurons relays included, 8 outputs), covering what its arithmetic and the
    relays must get right: one or two hidden layers (the second reached over
    the recurrent weights), delays from 0 up to and past what needs relay
    neurons, biases, subtractive reset with several spikes per step (large
    weights against small thresholds), 16-bit saturation (very large weights
    and inputs), sparse and dense, excitatory, inhibitory and mixed
    projections, time constants on Xylo's power-of-two grid (tau = dt * 2^k
    gives dash k exactly). The corners drawn are listed in a leading comment
    (`// xylo-corners: ...`) so a sweep can count them."""
    corners = []
    nin = rng.choice([2, 4, 8, 16])
    layers = [rng.randint(4, 48)] + ([rng.randint(4, 32)] if rng.random() < 0.4 else [])
    nout = rng.randint(1, XYLO_OUTPUTS)
    # Delays: each source neuron with a longest delay d needs d relays; keep
    # the hidden total (neurons + relays) within Xylo's 1000.
    dmax = args.max_delay if args.max_delay is not None else rng.choice([0, 0, 1, 2, 4, 8, 16, 30])
    sources = nin + sum(layers)
    while dmax > 0 and sum(layers) + sources * dmax > XYLO_HIDDEN:
        dmax //= 2
    if dmax > 0:
        corners.append("relays")  # on Xylo every delay >= 1 is a relay chain
    if dmax == 0:
        corners.append("no-delays")
    steps = rng.choice([30, 50, 80]) + dmax
    dt = DT

    def tau():
        return dt * 2 ** rng.randint(1, 6)

    out = [None,
           f'snn.network @xylo{args.seed} attributes {{dt = {dt} : f64, steps = {steps} : i64}} {{',
           f'  snn.input @in {{size = {nin} : i64, encoding = #snn.encoding<spikes>}}']
    names = [f"h{k + 1}" for k in range(len(layers))]
    for name, n in zip(names, layers):
        multi = rng.random() < 0.3
        threshold = rng.choice([0.05, 0.1]) if multi else rng.uniform(0.3, 2.0)
        if multi:
            corners.append("multi-spike")
        attrs = [f"size = {n} : i64", f"tau_mem = {tau()!r} : f64",
                 f"tau_syn = {tau()!r} : f64", f"threshold = {threshold!r} : f64",
                 "reset = #snn.reset<subtract>"]
        if rng.random() < 0.5:
            corners.append("bias")
            attrs.append(f'bias = {w.tensor(name + "_bias", [n], "f32", [rng.uniform(-0.05, 0.1) for _ in range(n)])}')
        out.append(f'  snn.lif @{name} {{{", ".join(attrs)}}}')
    out.append(f'  snn.li @readout {{size = {nout} : i64, tau_mem = {tau()!r} : f64, tau_syn = {tau()!r} : f64}}')
    chain = ["in"] + names + ["readout"]
    sizes = [nin] + layers + [nout]
    for k in range(len(chain) - 1):
        src, dst, ns, nt = chain[k], chain[k + 1], sizes[k], sizes[k + 1]
        name = f"fc{k + 1}"
        sign = rng.choice(["mixed", "mixed", "excitatory", "inhibitory"])
        corners.append(sign)
        scale = 1.0
        if rng.random() < 0.15:
            scale = 40.0  # drives the 16-bit state into saturation
            corners.append("saturation")
        density = rng.choice([1.0, 1.0, 0.5, 0.1])
        corners.append("dense" if density == 1.0 else "sparse")
        weights = []
        for _ in range(nt * ns):
            x = abs(rng.gauss(0, 1.5 / math.sqrt(ns))) * scale
            if sign == "inhibitory" or (sign == "mixed" and rng.random() < 0.4):
                x = -x
            weights.append(f32(x) if rng.random() < density else 0.0)
        if all(x == 0 for x in weights):
            weights[0] = 0.5
        d = dmax + 1  # max_delay is exclusive (SNN-V11)
        delays = [rng.randrange(dmax + 1) if dmax else 0 for _ in range(nt * ns)]
        out.append(f'  snn.projection @{name} @{src} -> @{dst} {{max_delay = {d} : i64,\n'
                   f'      weight = {w.tensor(name + "_weight", [nt, ns], "f32", weights)},\n'
                   f'      delay = {w.tensor(name + "_delay", [nt, ns], "i32", delays)}}}')
    out.append('  snn.output @readout')
    out.append('}')
    out[0] = "// xylo-corners: " + " ".join(sorted(set(corners)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("kind", choices=["paper", "sparse", "cuba", "hostile", "large", "xylo"])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--density", type=float, default=1 / 16,
                   help="paper: fraction of fc1 synapses the mask keeps")
    p.add_argument("--synapses", type=int, default=1_000_000, help="large: synapse count")
    p.add_argument("--form", choices=["dense", "csr"], default="dense")
    p.add_argument("--inline-limit", type=int, default=16,
                   help="arrays up to this many elements are printed inline")
    p.add_argument("--max-delay", type=int, default=None,
                   help="xylo: longest delay in steps (default: drawn from 0..30)")
    p.add_argument("-o", "--output", default="-")
    args = p.parse_args()
    rng = random.Random(args.seed)
    w = Writer(args.inline_limit)
    lines = {"paper": paper, "sparse": sparse, "cuba": cuba, "hostile": hostile, "large": large, "xylo": xylo}[args.kind](args, rng, w)
    text = "\n".join(lines) + "\n" + w.resources()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
