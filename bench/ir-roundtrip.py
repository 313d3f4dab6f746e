#!/usr/bin/env python3
"""ir-roundtrip: how fast `snn-opt` parses, verifies and prints big networks.

Generates networks of 10^5 and 10^6 synapses (dense and CSR) with
tools/snn-gen-network, then times `snn-opt IN -o OUT` (parse + verify + print)
for three storages of the same parameters: dense_resource blobs in text (the
default), MLIR bytecode, and inline `dense<[...]>` literals (the naive form,
only at 10^5). Prints seconds, peak memory and the ratios.

  bench/ir-roundtrip.py [--build BUILD] [--repeat 3]
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "tools", "snn-gen-network", "snn-gen-network.py")


def run_timed(cmd, repeat):
    """Best wall time of `repeat` runs and the peak RSS (MiB) of the children."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        best = min(best, time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return best, peak_kib / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    opt = os.path.join(args.build, "bin", "snn-opt")
    if not os.path.exists(opt):
        sys.exit(f"ir-roundtrip: {opt} not found; build first (scripts/snnc-setup)")
    tmp = tempfile.mkdtemp(prefix="snnc-bench-")
    rows = []
    for synapses, form in ((100_000, "dense"), (1_000_000, "dense"), (1_000_000, "csr")):
        src = os.path.join(tmp, f"net-{synapses}-{form}.mlir")
        subprocess.run([sys.executable, GEN, "large", "--synapses", str(synapses),
                        "--form", form, "-o", src], check=True)
        size_mb = os.path.getsize(src) / 2**20
        text, mem = run_timed([opt, src, "-o", os.devnull], args.repeat)
        bc = src + "bc"
        subprocess.run([opt, src, "--emit-bytecode", "-o", bc], check=True)
        bytecode, _ = run_timed([opt, bc, "--emit-bytecode", "-o", os.devnull], args.repeat)
        inline = None
        if synapses <= 100_000:
            isrc = os.path.join(tmp, f"net-{synapses}-{form}-inline.mlir")
            subprocess.run([sys.executable, GEN, "large", "--synapses", str(synapses),
                            "--form", form, "--inline-limit", str(10**9), "-o", isrc], check=True)
            inline, _ = run_timed([opt, isrc, "-o", os.devnull], args.repeat)
        rows.append((synapses, form, size_mb, text, bytecode, inline, mem))

    print(f"{'synapses':>9} {'form':>5} {'file MiB':>8} {'text s':>7} {'bytecode s':>10} "
          f"{'inline s':>8} {'inline/text':>11} {'text/bytecode':>13}")
    for synapses, form, size_mb, text, bytecode, inline, mem in rows:
        inline_s = f"{inline:8.3f}" if inline else f"{'-':>8}"
        ratio = f"{inline / text:10.1f}x" if inline else f"{'-':>11}"
        print(f"{synapses:>9} {form:>5} {size_mb:8.1f} {text:7.3f} {bytecode:10.3f} "
              f"{inline_s} {ratio} {text / bytecode:12.1f}x")
    print(f"peak memory of any snn-opt run: {rows[-1][-1]:.0f} MiB")
    print("goal: a 10^6-synapse network round-trips in well under 1 s -> "
          + ("met" if all(r[3] < 1.0 for r in rows if r[0] == 1_000_000) else "NOT met"))


if __name__ == "__main__":
    main()
