#!/usr/bin/env python3
"""Simulate the network `executor-bench --export-network` wrote, in Brian2.

Brian2's C++ standalone device, OpenMP threads. The network is the integer
one snnc executes (docs/semantics.md SNN-I1, I4, I6, I8: 12-bit
multiplicative decay rounding toward zero, hard reset, saturation to
`state_bits`), written with float64 variables whose values stay integers
below 2^53, so Brian2 computes the same numbers; the spike counts per
population must then equal snnc's.

Samples: snnc resets every neuron at the start of each sample and drops
events that arrive after its last step. Brian2 runs all samples in one run,
each in a block of `steps + max_delay` steps: during the trailing
`max_delay` steps thresholds are off (late events land and are discarded)
and the block's last step zeroes every state.

Step order (SNN-I6): the threshold tests v[t], the synapses add the events
due at t (delay 0 included) into `acc`, then, at the end of the step,
v[t+1] = spiked ? 0 : sat(dec(v[t]) + sat(acc) + bias). Brian2's schedule
(thresholds, synapses, resets, end) has that order.

Prints one JSON object: spike counts, synaptic events, run seconds (the
simulation loop, as Brian2's standalone main measures it), peak resident
memory of the simulation process.
"""

import argparse
import json
import os
import sys
import tempfile

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("network", help="HDF5 file from executor-bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build-dir", default=None,
                    help="where Brian2 writes its C++ project")
    args = ap.parse_args()

    import brian2 as b2

    f = h5py.File(args.network, "r")
    steps = int(f["steps"][()])
    bits = int(f["state_bits"][()])
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    samples = int(f["samples"][()])
    pops = [n.decode() if isinstance(n, bytes) else n
            for n in f["population_names"][()]]
    projs = [n.decode() if isinstance(n, bytes) else n
             for n in f["projection_names"][()]]
    max_delay = 1
    for name in projs:
        max_delay = max(max_delay, int(f["projections/" + name + "/delay"][()].max()) + 1)
    period = steps + max_delay

    build_dir = args.build_dir or tempfile.mkdtemp(prefix="brian2-snnc-")
    b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    # The simulation process's own peak memory, not the compiler's.
    rss_file = os.path.abspath(os.path.join(build_dir, "maxrss.txt"))
    b2.prefs.devices.cpp_standalone.run_cmd_unix = [
        "/usr/bin/time", "-f", "%M", "-o", rss_file, "./main"]
    dt = 0.1 * b2.ms
    b2.defaultclock.dt = dt

    groups, sizes, outdeg, input_per_neuron = {}, {}, {}, {}
    for name in pops:
        g = f["populations/" + name]
        kind = g["kind"][()]
        kind = kind.decode() if isinstance(kind, bytes) else kind
        size = int(g["size"][()])
        sizes[name] = size
        outdeg[name] = np.zeros(size, dtype=np.int64)
        if kind == "input":
            off = f["input/offsets"][()].astype(np.int64)
            step = f["input/step"][()].astype(np.int64)
            chan = f["input/channel"][()].astype(np.int64)
            count = f["input/count"][()]
            if not np.all(count == 1):
                sys.exit("brian2_run.py: input values other than 1 are not "
                         "supported (the bench writes spikes of value 1)")
            sample_of = np.repeat(np.arange(samples), np.diff(off))
            keep = step < steps
            times = (sample_of[keep] * period + step[keep]) * dt
            groups[name] = b2.SpikeGeneratorGroup(size, chan[keep], times,
                                                  name=name)
            input_per_neuron[name] = np.bincount(chan[keep], minlength=size)
            continue
        model = """v : 1
                   acc : 1
                   spk : 1
                   nspk : 1
                   bias : 1 (constant)
                   vdec : 1 (constant)"""
        if kind == "lif":
            model += "\nthr : 1 (constant)"
            ng = b2.NeuronGroup(
                size, model,
                threshold="v >= thr and (timestep(t, dt) %% %d) < %d" % (period, steps),
                reset="spk = 1\nnspk += 1", name=name)
            ng.thr = g["threshold"][()].astype(np.float64)
        else:
            ng = b2.NeuronGroup(size, model, name=name)
        ng.bias = g["bias"][()].astype(np.float64)
        ng.vdec = g["v_decay"][()].astype(np.float64)
        # SNN-I4: sign(v)·((|v|·(4096−d)) >> 12); exact in float64.
        ng.run_regularly(
            ("v = (1 - spk) * clip(sign(v) * floor(abs(v) * (4096 - vdec) / 4096)"
             " + clip(acc, %d, %d) + bias, %d, %d)\n"
             "v = v * int((timestep(t, dt) %% %d) != %d)\n"
             "acc = 0\nspk = 0") % (lo, hi, lo, hi, period, period - 1),
            when="end", name=name + "_update")
        groups[name] = ng

    synapses = []
    for name in projs:
        g = f["projections/" + name]
        src = g["source"][()]
        dst = g["target"][()]
        src = src.decode() if isinstance(src, bytes) else src
        dst = dst.decode() if isinstance(dst, bytes) else dst
        i = g["source_index"][()].astype(np.int64)
        j = g["target_index"][()].astype(np.int64)
        s = b2.Synapses(groups[src], groups[dst], "w : 1 (constant)",
                        on_pre="acc_post += w", name=name)
        s.connect(i=i, j=j)
        s.w = g["weight"][()].astype(np.float64)
        s.delay = g["delay"][()].astype(np.float64) * dt
        synapses.append(s)
        outdeg[src] += np.bincount(i, minlength=sizes[src])
    f.close()

    net = b2.Network(list(groups.values()) + synapses)
    net.run(samples * period * dt)
    b2.device.build(directory=build_dir, compile=True, run=True,
                    with_output=False)

    result = {"samples": samples, "steps": steps, "threads": args.threads,
              "seconds": float(b2.device._last_run_time), "spikes": {}}
    events = 0
    for name in pops:
        grp = groups[name]
        if isinstance(grp, b2.SpikeGeneratorGroup):
            per = input_per_neuron[name]
        elif "thr" in grp.variables:
            per = np.asarray(grp.nspk[:]).astype(np.int64)
            result["spikes"][name] = int(per.sum())
        else:
            continue
        events += int((per * outdeg[name]).sum())
    result["synaptic_events"] = events
    result["events_per_s"] = events / result["seconds"]
    with open(rss_file) as rf:
        result["peak_mib"] = int(rf.read().split()[-1]) / 1024.0
    print(json.dumps(result))


if __name__ == "__main__":
    main()
