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

Plans (executor-bench --plan ... --only-plan --export-network): under
snnc's rules as above; under Lava's (SNN-L, "arithmetic" = "lava-cuba")
every neuron is a CUBA LIF with 24-bit states: the test v > vth·2^6 on
v[t], then u = wrap24(wrap32(dec(u, du) + wrap32(a·2^6))) and
v = clip23(wrap32(wrap32(dec(v', dv) + u) + bias)) with v' = 0 after a
spike, the voltage starting at clip23(bias). Inputs of any integer value
x (frames): the value of an event must be read when it fires, but Brian2
evaluates a delayed synapse's code at delivery, so each channel has one
copy per delay d whose x is the input's x of d steps earlier (a
TimedArray read with a time offset) and every input synapse has delay 0
from the copy of its delay.

Prints one JSON object: spike counts, synaptic events, the simulation
loop's CPU seconds as Brian2 measures them (std::clock in network.run: CPU
time, not wall), the wall seconds around the run (measured in main,
before_run preparation included), peak resident memory, CPU and wall
seconds of the whole simulation process.
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
    # One thread: Brian2's plain loops, without OpenMP (openmp_threads 0),
    # so that no barrier waits on a descheduled thread of a shared machine.
    b2.prefs.devices.cpp_standalone.openmp_threads = (
        0 if args.threads == 1 else args.threads)
    # The simulation process's own peak memory, not the compiler's.
    rss_file = os.path.abspath(os.path.join(build_dir, "maxrss.txt"))
    b2.prefs.devices.cpp_standalone.run_cmd_unix = [
        "/usr/bin/time", "-f", "%M %U %S %e", "-o", rss_file, "./main"]
    dt = 0.1 * b2.ms
    b2.defaultclock.dt = dt

    arith = f["arithmetic"][()] if "arithmetic" in f else b"snnc"
    arith = arith.decode() if isinstance(arith, bytes) else arith
    if arith not in ("snnc", "lava-cuba"):
        sys.exit("brian2_run.py: arithmetic '%s' is not modelled" % arith)
    lava = arith == "lava-cuba"
    window = "(timestep(t, dt) %% %d) < %d" % (period, steps)
    last = "int((timestep(t, dt) %% %d) == %d)" % (period, period - 1)

    groups, sizes, outdeg, input_per_neuron = {}, {}, {}, {}
    pop_kind = {}
    input_copies = {}  # input population -> (group, delays) for valued inputs
    for name in pops:
        g = f["populations/" + name]
        kind = g["kind"][()]
        kind = kind.decode() if isinstance(kind, bytes) else kind
        size = int(g["size"][()])
        sizes[name] = size
        pop_kind[name] = kind
        outdeg[name] = np.zeros(size, dtype=np.int64)
        if kind == "input":
            off = f["input/offsets"][()].astype(np.int64)
            step = f["input/step"][()].astype(np.int64)
            chan = f["input/channel"][()].astype(np.int64)
            count = f["input/count"][()]
            sample_of = np.repeat(np.arange(samples), np.diff(off))
            keep = step < steps
            input_per_neuron[name] = np.bincount(chan[keep], minlength=size)
            if np.all(count == 1):
                times = (sample_of[keep] * period + step[keep]) * dt
                groups[name] = b2.SpikeGeneratorGroup(size, chan[keep], times,
                                                      name=name)
                continue
            # Valued inputs: x per (step of the whole run, channel), with
            # max_delay leading zero rows, read by copy (d, c) at row
            # t + max_delay - d: the x of step t - d.
            rows = np.zeros((samples * period + max_delay, size))
            rows[sample_of[keep] * period + step[keep] + max_delay,
                 chan[keep]] = count[keep]
            xs = b2.TimedArray(rows, dt=dt, name=name + "_x")
            copies = b2.NeuronGroup(
                size * max_delay,
                """x = xs(t + (%d - dd) * dt, c) : 1
                   dd : integer (constant)
                   c : integer (constant)""" % max_delay,
                threshold="x != 0", name=name)
            copies.dd = np.repeat(np.arange(max_delay), size)
            copies.c = np.tile(np.arange(size), max_delay)
            groups[name] = copies
            input_copies[name] = size
            continue
        model = """v : 1
                   u : 1
                   acc : 1
                   spk : 1
                   nspk : 1
                   bias : 1 (constant)
                   vdec : 1 (constant)
                   idec : 1 (constant)
                   thr : 1 (constant)
                   v0 : 1 (constant)"""
        if lava:
            # SNN-L: every neuron tests v > vth·2^6 (a readout's spikes go
            # nowhere but still reset it); i_decay -1 means du + 1 = 4096.
            ng = b2.NeuronGroup(
                size, model, threshold="v > thr * 64 and " + window,
                reset="spk = 1\nnspk += 1", name=name)
            idec = g["i_decay"][()].astype(np.float64)
            ng.idec = np.where(idec < 0, 4096.0, idec)
            ng.thr = g["threshold"][()].astype(np.float64)
            bias = g["bias"][()].astype(np.float64)
            ng.bias = bias
            ng.v0 = np.clip(bias, -(2 ** 23 - 1), 2 ** 23 - 1)
            ng.v = "v0"
            dec = "sign({0}) * floor(abs({0}) * (4096 - {1}) / 4096)"
            wrap = "({0} - 4294967296 * floor(({0} + 2147483648) / 4294967296))"
            code = "\n".join([
                "v = (1 - spk) * v",
                "u = " + wrap.format(dec.format("u", "idec") + " + " +
                                     wrap.format("acc * 64")),
                "u = u - 16777216 * int(u > 8388608) + 16777216 * int(u <= -8388608)",
                "v = clip(" + wrap.format(wrap.format(dec.format("v", "vdec") +
                                                      " + u") + " + bias") +
                ", -8388607, 8388607)",
                "v = v * (1 - %s) + v0 * %s" % (last, last),
                "u = u * (1 - %s)" % last,
                "acc = 0", "spk = 0"])
        else:
            if kind == "lif":
                ng = b2.NeuronGroup(
                    size, model, threshold="v >= thr and " + window,
                    reset="spk = 1\nnspk += 1", name=name)
                ng.thr = g["threshold"][()].astype(np.float64)
            else:
                ng = b2.NeuronGroup(size, model, name=name)
            if "i_decay" in g and np.any(g["i_decay"][()] >= 0):
                sys.exit("brian2_run.py: CuBa synapses under snnc's rules "
                         "are not modelled")
            ng.bias = g["bias"][()].astype(np.float64)
            # SNN-I4: sign(v)·((|v|·(4096−d)) >> 12); exact in float64.
            code = ("v = (1 - spk) * clip(sign(v) * floor(abs(v) * (4096 - vdec) / 4096)"
                    " + clip(acc, %d, %d) + bias, %d, %d)\n"
                    "v = v * (1 - %s)\n"
                    "acc = 0\nspk = 0") % (lo, hi, lo, hi, last)
        ng.vdec = g["v_decay"][()].astype(np.float64)
        ng.run_regularly(code, when="end", name=name + "_update")
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
        d = g["delay"][()].astype(np.int64)
        if src in input_copies:
            # From the copy of the synapse's delay, at once; the event's
            # value is the copy's x now.
            s = b2.Synapses(groups[src], groups[dst], "w : 1 (constant)",
                            on_pre="acc_post += w * x_pre", name=name)
            s.connect(i=d * input_copies[src] + i, j=j)
        else:
            s = b2.Synapses(groups[src], groups[dst], "w : 1 (constant)",
                            on_pre="acc_post += w", name=name)
            s.connect(i=i, j=j)
            s.delay = d.astype(np.float64) * dt
        s.w = g["weight"][()].astype(np.float64)
        synapses.append(s)
        outdeg[src] += np.bincount(i, minlength=sizes[src])
    f.close()

    net = b2.Network(list(groups.values()) + synapses)
    # Brian2's own time of the loop (network.run's `_last_run_time`) is
    # std::clock(): CPU seconds of the process, not wall. main also writes
    # the wall seconds around the run (its before_run preparation of the
    # spike queues included) next to itself, to compare with snnc's wall.
    b2.prefs.codegen.cpp.headers += ["<time.h>", "<stdio.h>"]
    b2.device.insert_code("main", "struct timespec snnc_wall0; "
                          "clock_gettime(CLOCK_MONOTONIC, &snnc_wall0);")
    net.run(samples * period * dt)
    b2.device.insert_code("main", r'''{
      struct timespec wall1;
      clock_gettime(CLOCK_MONOTONIC, &wall1);
      FILE *out = fopen("run_wall.txt", "w");
      if (out) {
        fprintf(out, "%.6f\n", double(wall1.tv_sec - snnc_wall0.tv_sec) +
                                1e-9 * double(wall1.tv_nsec - snnc_wall0.tv_nsec));
        fclose(out);
      }
    }''')
    b2.device.build(directory=build_dir, compile=True, run=True,
                    with_output=False)

    # "cpu_seconds": Brian2's _last_run_time (std::clock over the loop).
    result = {"samples": samples, "steps": steps, "threads": args.threads,
              "cpu_seconds": float(b2.device._last_run_time), "spikes": {}}
    with open(os.path.join(build_dir, "run_wall.txt")) as wf:
        result["wall_seconds"] = float(wf.read())
    events = 0
    for name in pops:
        grp = groups[name]
        if name in input_per_neuron:
            per = input_per_neuron[name]
        elif pop_kind[name] == "lif":
            per = np.asarray(grp.nspk[:]).astype(np.int64)
            result["spikes"][name] = int(per.sum())
        else:
            continue
        events += int((per * outdeg[name]).sum())
    result["synaptic_events"] = events
    result["events_per_s"] = events / result["wall_seconds"]
    result["events_per_cpu_s"] = events / result["cpu_seconds"]
    with open(rss_file) as rf:
        rss, user, system, wall = rf.read().split()[-4:]
    result["peak_mib"] = int(rss) / 1024.0
    # CPU seconds of the whole process (loading its arrays included) and
    # its wall time: on a shared machine the run's CPU share is about
    # cpu / wall.
    result["process_cpu_seconds"] = float(user) + float(system)
    result["process_wall_seconds"] = float(wall)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
