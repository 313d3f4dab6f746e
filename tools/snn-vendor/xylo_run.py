#!/usr/bin/env python3
"""Run every sample of an snnc spike dataset through Rockpool's XyloSim (Xylo Audio 2,
syns61201) and record every spike, in snnc's spike-recording format.

    xylo_run.py SPEC.xylo.npz DATASET.h5 OUT.h5 [--samples N] [--states]

SPEC is a Rockpool specification file (xylo_spec.py: np.savez of the keyword
arguments of XyloSim.from_specification). DATASET is an snnc-dataset of kind
`spikes` (docs/formats/dataset.md) with as many channels as the spec has inputs;
each event count must be an integer 1..15 (Xylo takes at most 15 input events per
channel and step; larger counts are refused, or clipped to 15 with --clip-counts as
XyloSim itself would). Frame datasets are refused: encode spikes first.

OUT (docs/formats/spikes.md, format snnc-spikes, attribute source = "xylosim") holds
populations `input` (kind input), `hidden` and `output` (kind lif; names set by
--hidden-name/--output-name), each with a `count` dataset (spikes of that neuron in
that step: a hidden neuron may fire up to 31 times per step, an output neuron once),
plus `/xylo/vmem_out` and `/xylo/isyn_out` (int16 [samples, T, Nout]: the output
layer's membrane and synaptic current at the end of each step) and, with --states,
`/xylo/vmem`, `/xylo/isyn`, `/xylo/isyn2` (int16 [samples, T, Nhidden]).
With --reference the numpy model (xylo_reference.py) runs instead of XyloSim.

With --meta NET.xylo.json (the metadata `snnc compile --target xylo-audio` writes next to
the spec) the recording is split as snnc's plan names things, for level 5 of
`snnc verify --vendor xylosim`: one population per snnc population (kind lif, the name
and neuron numbering of the plan), the relay neurons as population `xylo_relays` (kind
relay), the output neurons under the readout's name, and `/readout/vmem` (int32
[samples, T, size], attribute `population`) holding Vmem_out in readout-neuron order.
The metadata maps indices in either of two forms (see `index_map`):

    {"hidden": [{"population": "h1", "neuron": 0}, {"relay": true}, ...],
     "outputs": [{"population": "readout", "neuron": 0}, ...]}
    {"populations": [{"name": "h1", "offset": 0, "size": 40}, ...],
     "relays": {"offset": 40, "size": 12},
     "outputs": [{"name": "readout", "offset": 0, "size": 4}]}

Exit status: 0 on success, 1 for a spec or dataset Xylo cannot run, 2 when
Rockpool/xylosim are missing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from snnc_h5 import DataError, SpikeDataset, write_spike_recording  # noqa: E402
from xylo_spec import SpecError, load_spec, shape_of  # noqa: E402


class MetaError(ValueError):
    """Metadata that does not describe the spec; the message names the file."""


def _ranges(entries, total, where, what):
    """[(name, offset, size)] -> per-index (name, neuron), checked to tile [0, total)."""
    out = [None] * total
    for e in entries:
        name, off, size = e["name"], int(e["offset"]), int(e["size"])
        if off < 0 or size < 0 or off + size > total:
            raise MetaError(f"{where}: {what} '{name}' covers [{off}, {off + size}), outside [0, {total})")
        for i in range(size):
            if out[off + i] is not None:
                raise MetaError(f"{where}: {what} index {off + i} is claimed twice")
            out[off + i] = (name, i)
    return out


def index_map(meta: dict, n_hid: int, n_out: int, where: str):
    """Returns (hidden, outputs): for every hidden index (population, neuron) or None for
    a relay neuron, and for every output index (population, neuron)."""
    try:
        if "hidden" in meta:
            hidden = [None if h.get("relay") else (str(h["population"]), int(h["neuron"]))
                      for h in meta["hidden"]]
        else:
            entries = [dict(e) for e in meta["populations"]]
            relays = meta.get("relays")
            hidden = _ranges(entries + ([{"name": None, **relays}] if relays else []), n_hid,
                             where, "hidden population")
            hidden = [None if h is None or h[0] is None else h for h in hidden]
        outs = meta["outputs"]
        if outs and "offset" in outs[0]:
            outputs = _ranges(outs, n_out, where, "output population")
        else:
            outputs = [(str(o["population"]), int(o["neuron"])) for o in outs]
    except (KeyError, TypeError, ValueError) as e:
        raise MetaError(f"{where}: not snnc Xylo metadata ({type(e).__name__}: {e})") from None
    if len(hidden) != n_hid:
        raise MetaError(f"{where}: maps {len(hidden)} hidden neurons, the spec has {n_hid}")
    if len(outputs) != n_out or any(o is None for o in outputs):
        raise MetaError(f"{where}: maps {len(outputs)} output neurons, the spec has {n_out}")
    return hidden, outputs


def split_by_meta(hidden_map, output_map, hid, out, vmem_out):
    """Per-sample (T, N) arrays by Xylo index -> {population: (kind, size, arrays)} by
    snnc population, and the readout's Vmem_out in readout-neuron order."""
    sizes, pops = {}, {}
    for h in hidden_map:
        if h is not None:
            sizes[h[0]] = max(sizes.get(h[0], 0), h[1] + 1)
    relay_idx = [i for i, h in enumerate(hidden_map) if h is None]
    for name, size in sizes.items():
        idx = [(i, h[1]) for i, h in enumerate(hidden_map) if h is not None and h[0] == name]
        arrays = []
        for x in hid:
            a = np.zeros((x.shape[0], size), np.int64)
            for i, k in idx:
                a[:, k] = x[:, i]
            arrays.append(a)
        pops[name] = ("lif", size, arrays)
    if relay_idx:
        pops["xylo_relays"] = ("relay", len(relay_idx), [x[:, relay_idx] for x in hid])
    readout = output_map[0][0]
    if any(o[0] != readout for o in output_map):
        raise MetaError("outputs from more than one population are not supported")
    size = max(o[1] for o in output_map) + 1
    order = [0] * size
    for i, (_, k) in enumerate(output_map):
        order[k] = i
    pops[readout] = ("lif", size, [x[:, order] for x in out])
    return pops, readout, vmem_out[:, :, order].astype(np.int32)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", help="Rockpool Xylo specification (.xylo.npz)")
    ap.add_argument("dataset", help="snnc spike dataset (.h5, kind spikes)")
    ap.add_argument("out", help="spike recording to write (.h5, format snnc-spikes)")
    ap.add_argument("--samples", type=int, default=None, help="run only the first N samples")
    ap.add_argument("--states", action="store_true", help="also record the hidden layer's Vmem, Isyn, Isyn2")
    ap.add_argument("--clip-counts", action="store_true", help="clip input counts above 15 to 15 instead of refusing")
    ap.add_argument("--hidden-name", default="hidden", help="population name of the hidden layer (default hidden)")
    ap.add_argument("--output-name", default="output", help="population name of the output layer (default output)")
    ap.add_argument("--reference", action="store_true", help="run xylo_reference.py's numpy model instead of XyloSim")
    ap.add_argument("--meta", help="snnc's .xylo.json: record under the plan's population names")
    ap.add_argument("--steps", type=int, default=None, help="run T steps (pads the dataset with zeros or cuts it)")
    ap.add_argument("--quiet", action="store_true", help="no summary line")
    args = ap.parse_args(argv)

    try:
        spec = load_spec(args.spec)
        data = SpikeDataset(args.dataset)
    except (SpecError, DataError) as e:
        print(f"xylo_run: {e}", file=sys.stderr)
        return 1
    n_in, n_hid, n_out = shape_of(spec)
    maps = None
    if args.meta:
        try:
            with open(args.meta) as f:
                maps = index_map(json.load(f), n_hid, n_out, args.meta)
        except (OSError, json.JSONDecodeError, MetaError) as e:
            print(f"xylo_run: {args.meta}: {e}" if not isinstance(e, MetaError) else f"xylo_run: {e}",
                  file=sys.stderr)
            return 1
    if data.channels != n_in:
        print(f"xylo_run: {args.dataset}: {data.channels} channels, but {args.spec} has {n_in} inputs",
              file=sys.stderr)
        return 1
    n = data.samples if args.samples is None else min(max(args.samples, 0), data.samples)
    if args.samples is not None and args.samples > data.samples:
        print(f"xylo_run: {args.dataset} has only {data.samples} samples; running all", file=sys.stderr)
    if abs(spec["dt"] - data.dt) > 1e-12 * max(1.0, data.dt):
        print(f"xylo_run: note: {args.spec} has dt = {spec['dt']}, {args.dataset} dt = {data.dt}; "
              f"steps are steps (dt does not enter XyloSim's arithmetic)", file=sys.stderr)

    if args.reference:
        from xylo_reference import run_reference

        def runner(x):
            return run_reference(spec, x)
        vendor = "xylo_reference.py (numpy model of XyloSim)"
    else:
        try:
            from xylo_bridge import VendorMissing, build, run_sample
            mod = build(spec)
        except VendorMissing as e:
            print(f"xylo_run: {e}", file=sys.stderr)
            return 2

        def runner(x):
            return run_sample(mod, x)
        import rockpool
        vendor = f"rockpool {rockpool.__version__} syns61201.XyloSim, xylosim"

    T = data.steps if args.steps is None else args.steps
    inp, hid, out = [], [], []
    vmem_out = np.zeros((n, T, n_out), np.int16)
    isyn_out = np.zeros((n, T, n_out), np.int16)
    states = {k: np.zeros((n, T, n_hid), np.int16) for k in ("vmem", "isyn", "isyn2")} if args.states else {}
    for s in range(n):
        try:
            x = data.counts(s, clip=args.clip_counts)
        except DataError as e:
            print(f"xylo_run: {e}", file=sys.stderr)
            return 1
        if x.shape[0] != T:
            x = np.concatenate([x, np.zeros((T, x.shape[1]), x.dtype)])[:T]
        r = runner(x)
        inp.append(x)
        hid.append(r["Spikes"])
        out.append(r["out_spikes"])
        vmem_out[s] = r["Vmem_out"]
        isyn_out[s] = r["Isyn_out"]
        for k, rk in (("vmem", "Vmem"), ("isyn", "Isyn"), ("isyn2", "Isyn2")):
            if k in states:
                states[k][s] = r[rk]
    extra = {"xylo/vmem_out": vmem_out, "xylo/isyn_out": isyn_out}
    extra.update({f"xylo/{k}": v for k, v in states.items()})
    pops = {
        "input": ("input", n_in, inp),
        args.hidden_name: ("lif", n_hid, hid),
        args.output_name: ("lif", n_out, out),
    }
    if len(pops) != 3:
        print("xylo_run: population names must differ from each other and from 'input'", file=sys.stderr)
        return 1
    if maps is not None:
        try:
            split, readout, vmem = split_by_meta(maps[0], maps[1], hid, out, vmem_out)
        except MetaError as e:
            print(f"xylo_run: {args.meta}: {e}", file=sys.stderr)
            return 1
        pops = {"input": ("input", n_in, inp), **split}
        extra["readout/vmem"] = vmem
    try:
        write_spike_recording(args.out, data.dt, T, pops, extra,
                              {"source": "xylosim" if not args.reference else "xylo-reference",
                               "vendor": vendor, "spec": os.path.basename(args.spec),
                               "dataset": os.path.basename(args.dataset)})
    except OSError as e:
        print(f"xylo_run: {args.out}: cannot write ({e})", file=sys.stderr)
        return 1
    spikes_h = int(sum(h.sum() for h in hid))
    spikes_o = int(sum(o.sum() for o in out))
    if maps is not None:
        with h5py.File(args.out, "r+") as f:
            f["readout/vmem"].attrs["population"] = readout
    if not args.quiet:
        print(f"xylo_run: {n} samples x {T} steps: {spikes_h} hidden spikes, {spikes_o} output spikes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
