#!/usr/bin/env python3
"""Writes a small random network with per-synapse delays on both projections
(input(6) -> h(10) -> o(3), delays 0..D) as snn-dialect MLIR, and a frames
dataset of 0/1 spike trains for it: check_consumers.sh exports it with
`snnc export --nir-reader FW --delays expand` (the delays leave the input
population, whose frames must be spikes for the relays to copy them) and
runs it in each framework.

  python make_delayed_net.py OUT.mlir OUT_input.h5 --neuron N [--seed S]

N picks the neuron each reader builds (docs/nir.md, "--nir-reader"):
`lava` (zero reset keeping the next input; snnTorch, Norse), `paper`
(subtract after the decay; Spyx's LIF), `reset_first` (subtract before it;
Sinabs), `cuba` (CubaLIF, subtract before the decay; Rockpool). Needs numpy
and h5py. The weights are drawn so both layers spike at moderate rates.
"""
import argparse

import h5py
import numpy as np

SIZES = (6, 10, 3)


def dense(a, kind):
    rows = ", ".join("[" + ", ".join(kind(v) for v in r) + "]" for r in a)
    return "dense<[%s]> : tensor<%dx%dx%s>" % (
        rows, a.shape[0], a.shape[1], "f32" if kind is fl else "i32")


def fl(v):
    return repr(float(np.float32(v)))


def it(v):
    return str(int(v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mlir")
    ap.add_argument("data")
    ap.add_argument("--neuron", required=True,
                    choices=("lava", "paper", "reset_first", "cuba"))
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--max-delay", type=int, default=5)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--steps", type=int, default=30)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    # Spyx reads tau in steps (dt = 1); the others take the model's dt.
    dt = 1.0 if a.neuron == "paper" else 1e-3
    decay = "exp" if a.neuron in ("reset_first", "cuba") else "linear"
    attrs = {
        "lava": "convention = #snn.convention<lava>",
        "paper": "reset = #snn.reset<subtract>",
        "reset_first": "convention = #snn.convention<reset_first>, "
                       "reset = #snn.reset<subtract>",
        "cuba": "convention = #snn.convention<reset_first>, "
                "reset = #snn.reset<subtract>",
    }[a.neuron]
    lines = ["snn.network @delayed attributes {decay = #snn.decay<%s>, "
             "dt = %r : f64, steps = %d : i64} {" % (decay, dt, a.steps),
             "  snn.input @input {size = %d : i64}" % SIZES[0]]
    for name, n in (("h", SIZES[1]), ("o", SIZES[2])):
        syn = (", tau_syn = %r : f64" % (3 * dt)) if a.neuron == "cuba" else ""
        lines.append("  snn.lif @%s {%s, size = %d : i64, tau_mem = %r : f64%s, "
                     "threshold = 1.0 : f64}" % (name, attrs, n, 6 * dt, syn))
    for name, src, dst, ns, nt, gain in (("p1", "input", "h", SIZES[0],
                                          SIZES[1], 1.2),
                                         ("p2", "h", "o", SIZES[1], SIZES[2],
                                          0.9)):
        w = rng.uniform(-0.3, 1.0, (nt, ns)) * gain
        d = rng.integers(0, a.max_delay + 1, (nt, ns))
        lines.append("  snn.projection @%s @%s -> @%s {max_delay = %d : i64, "
                     "weight = %s, delay = %s}" % (name, src, dst,
                                                   a.max_delay + 1,
                                                   dense(w, fl), dense(d, it)))
    lines += ["  snn.output @o", "}"]
    with open(a.mlir, "w") as f:
        f.write("// make_delayed_net.py --neuron %s --seed %d\n" % (a.neuron,
                                                                  a.seed))
        f.write("\n".join(lines) + "\n")
    x = (rng.random((a.samples, a.steps, SIZES[0])) < 0.3).astype(np.float32)
    x[:, -a.max_delay:] = 0  # let the delayed spikes arrive within the run
    with h5py.File(a.data, "w") as f:
        f.attrs["format"] = "snnc-dataset"
        f.attrs["version"] = 1
        f.attrs["kind"] = "frames"
        f.attrs["dt"] = dt
        f.attrs["steps"] = a.steps
        f.attrs["channels"] = SIZES[0]
        f.attrs["num_classes"] = SIZES[2]
        f.attrs["source"] = "test/data/nir/make_delayed_net.py"
        f["frames"] = x
        f["labels"] = (np.arange(a.samples) % SIZES[2]).astype(np.int32)


if __name__ == "__main__":
    main()
