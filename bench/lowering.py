#!/usr/bin/env python3
"""lowering: the whole snn-lower pipeline on a network of 10^6 synapses.

Generates `snn-gen-network.py large --synapses N` (dense and CSR storage),
then times `snn-opt IN --snn-lower{...} -o OUT`: parse + verify, every pass
of the pipeline (fold-batchnorm, discretize-delays, prune, quantize,
delay-extension) with the verifier after each, and printing the integer
network. Reports the best wall time of --repeat runs, the peak resident
memory of that process (wait4, per child) and MLIR's own per-pass timing
(--mlir-timing) of the last run. Goal: well under 5 s at 10^6 synapses.

A third network, "relays", puts the 10^6 synapses between two hidden LIF
populations (32 -> 1000 -> 1000 -> 20) with delays 0..24 and lowers it with
max-delay=8, so snn-delay-extension builds relay chains for most synapses.

  bench/lowering.py [--build BUILD] [--synapses 1000000] [--repeat 3]
                    [--pipeline 'snn-lower{...}']
"""
import argparse
import array
import math
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "tools", "snn-gen-network", "snn-gen-network.py")
PIPELINE = ("snn-lower{weight-bits=8 per-neuron-scale=true prune-density=0.5 "
            "max-delay=25}")


def relay_network(path, synapses):
    """32 -> h1 -> h2 -> 20 with `synapses` synapses h1 -> h2, long delays."""
    n = max(1, math.isqrt(synapses))
    blobs = []

    def tensor(name, shape, code, etype, values):
        data = array.array(code, values)
        if sys.byteorder != "little":
            data.byteswap()
        align = data.itemsize
        blobs.append(f'      {name}: "0x{(align.to_bytes(4, "little") + data.tobytes()).hex()}"')
        dims = "".join(f"{d}x" for d in shape)
        return f"dense_resource<{name}> : tensor<{dims}{etype}>"

    def weights(count, salt):
        # Modulo a prime, so that values do not repeat with the row length.
        return [(((i + salt) * 2654435761) % 999983) / 999983.0 - 0.45
                for i in range(count)]

    lines = [
        "snn.network @relays attributes {dt = 0.01 : f64, steps = 100 : i64} {",
        "  snn.input @in {size = 32 : i64}",
        f"  snn.lif @h1 {{size = {n} : i64, tau_mem = 0.1005 : f64}}",
        f"  snn.lif @h2 {{size = {n} : i64, tau_mem = 0.1005 : f64}}",
        "  snn.li @out {size = 20 : i64, tau_mem = 0.1005 : f64}",
        f"  snn.projection @p1 @in -> @h1 {{max_delay = 25 : i64, "
        f"weight = {tensor('p1_w', [n, 32], 'f', 'f32', weights(n * 32, 1))}, "
        f"delay = {tensor('p1_d', [n, 32], 'i', 'i32', [0] * (n * 32))}}}",
        f"  snn.projection @p2 @h1 -> @h2 {{max_delay = 25 : i64, "
        f"weight = {tensor('p2_w', [n, n], 'f', 'f32', weights(n * n, 2))}, "
        f"delay = {tensor('p2_d', [n, n], 'i', 'i32', [(i * 40503 + (i // n) * 7) % 25 for i in range(n * n)])}}}",
        f"  snn.projection @p3 @h2 -> @out {{max_delay = 25 : i64, "
        f"weight = {tensor('p3_w', [20, n], 'f', 'f32', weights(20 * n, 3))}, "
        f"delay = {tensor('p3_d', [20, n], 'i', 'i32', [0] * (20 * n))}}}",
        "  snn.output @out",
        "}",
        "{-#", "  dialect_resources: {", "    builtin: {",
        ",\n".join(blobs), "    }", "  }", "#-}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(cmd):
    """Wall seconds, peak RSS (MiB) and stderr of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage, not the maximum over all children.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"lowering: {' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024, err


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--synapses", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pipeline", default=PIPELINE)
    args = p.parse_args()
    opt = os.path.join(args.build, "bin", "snn-opt")
    if not os.path.exists(opt):
        sys.exit(f"lowering: {opt} not found; build first")
    tmp = tempfile.mkdtemp(prefix="snnc-lowering-")
    pipeline = f"builtin.module({args.pipeline})"
    print(f"pipeline: {pipeline}")
    print(f"{'network':<24}{'MiB in':>8}{'parse+print s':>15}{'pipeline s':>12}"
          f"{'peak MiB':>10}")
    for form in ("dense", "csr", "relays"):
        src = os.path.join(tmp, f"large-{form}.mlir")
        if form == "relays":
            relay_network(src, args.synapses)
            pipeline = f"builtin.module({args.pipeline.replace('max-delay=25', 'max-delay=8')})"
            print(f"relays pipeline: {pipeline}")
        else:
            subprocess.run([sys.executable, GEN, "large", "--synapses",
                            str(args.synapses), "--form", form, "-o", src], check=True)
        out = os.path.join(tmp, f"large-{form}-lowered.mlir")
        base = min(run([opt, src, "-o", os.devnull])[0] for _ in range(args.repeat))
        best, peak, timing = float("inf"), 0.0, ""
        for _ in range(args.repeat):
            wall, rss, err = run([opt, src, f"--pass-pipeline={pipeline}",
                                  "--mlir-timing", "--mlir-timing-display=tree",
                                  "-o", out])
            if wall < best:
                best, peak, timing = wall, rss, err
        size = os.path.getsize(src) / 2**20
        print(f"{f'{args.synapses} syn, {form}':<24}{size:>8.1f}{base:>15.2f}"
              f"{best:>12.2f}{peak:>10.0f}")
        # The passes' own share, from MLIR's timing report.
        for line in timing.splitlines():
            if re.search(r"Pass|Parser|Output|Total", line) and "%" in line:
                print("    " + line.strip())
    print(f"load average: {os.getloadavg()[0]:.2f} (shared machine)")


if __name__ == "__main__":
    main()
