#!/usr/bin/env python3
"""mapping.py: how well and how fast snn-map-to-cores maps networks.

  bench/mapping.py [--build build]
                   [--sizes 1e4:1e6,1e5:1e7,1e6:1e7,1e6:3e7,1e6:1e8]
                   [--metis-max-synapses 1e8] [--shuffled-max-synapses 1e8]
                   [--jsonl FILE] [--quick]

Part 1, the paper's network (40-256-20, delays < 25) through `snnc compile` on
every preset, METIS and sequential: cores against the lower bound, inter-core
and hop-weighted traffic, mapping time -- or the diagnostic of a preset that
refuses it.

Part 2 (and again with each layer's neurons numbered in random order, so
that neuron order says nothing about locality), generated layered networks of N neurons and S synapses (bench/mapping.cpp:
local connectivity, loihi limits), each strategy in its own process: mapping
time (wall and CPU: the machine is shared), peak memory and bytes per synapse
(linear in S), cores / lower bound, and METIS+placement against the
sequential baseline as ratios. `--jsonl` also writes every raw result line.

Standard library only; the numbers of the last run are in bench/README.md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RAW = []  # every result, for --jsonl
PRESETS = ["loihi", "loihi2", "truenorth", "spinnaker", "xylo-audio", "generic"]


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def part1(build, tmp):
    net = os.path.join(tmp, "paper.mlir")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "snn-gen-network",
                                                 "snn-gen-network.py"),
                    "paper", "-o", net], check=True)
    print("== the paper's network on every preset (snnc compile)")
    print(f"{'target':<11} {'strategy':<10} {'cores':>5} {'bound':>5} "
          f"{'traffic':>9} {'hops*tr':>9} {'map s':>7}  kept / why refused")
    for t in PRESETS:
        for strategy in ["metis", "sequential"]:
            out = os.path.join(tmp, f"{t}-{strategy}")
            r = run([os.path.join(build, "bin", "snnc"), "compile", net,
                     "--target", t, "--out", out, "--strategy", strategy,
                     "--json", "--quiet"])
            if r.returncode != 0:
                why = [l for l in r.stderr.splitlines() if "error:" in l][0]
                why = why.split("error: ", 1)[1]
                print(f"{t:<11} {strategy:<10} {'-':>5} {'-':>5} {'-':>9} "
                      f"{'-':>9} {'-':>7}  exit {r.returncode}: {why[:110]}")
                break
            j = json.loads(r.stdout)
            RAW.append({"part": "paper", "target": t, "strategy": strategy,
                        "cores": j["cores"],
                        "lower_bound": j["core_lower_bound"],
                        "traffic": j["traffic"]})
            tm = {s["stage"]: s["seconds"] for s in j["timings"]}
            print(f"{t:<11} {strategy:<10} {j['cores']:>5} "
                  f"{j['core_lower_bound']:>5} "
                  f"{j['traffic']['inter_core_spikes_per_sample']:>9.0f} "
                  f"{j['traffic']['hop_weighted_per_sample']:>9.0f} "
                  f"{tm.get('snn-map-to-cores', 0):>7.3f}  {j['partitioner']}")


def part2(build, sizes, metisMax, shuffle):
    print("\n== generated networks (bench/mapping.cpp, loihi limits%s)"
          % (", neurons numbered in random order" if shuffle else ""))
    print(f"{'neurons':>8} {'synapses':>10} {'strategy':<10} {'cores':>5} "
          f"{'bound':>5} {'c/bound':>7} {'traffic':>10} {'hops*tr':>11} "
          f"{'map s':>7} {'cpu s':>7} {'peak MiB':>8} {'B/syn':>6}  kept "
          f"(METIS graph pairs, sources kept per neuron)")
    for n, s in sizes:
        res = {}
        for strategy in ["sequential", "metis"]:
            if strategy == "metis" and s > metisMax:
                print(f"{n:>8} {s:>10} {'metis':<10} skipped (above "
                      f"--metis-max-synapses {metisMax:.0e})")
                continue
            r = run([os.path.join(build, "bin", "mapping-bench"), "--neurons",
                     str(n), "--synapses", str(s), "--strategy", strategy]
                    + (["--shuffle"] if shuffle else []))
            if r.returncode != 0:
                print(f"{n:>8} {s:>10} {strategy:<10} failed: {r.stderr.strip()}")
                continue
            j = json.loads(r.stdout)
            RAW.append(dict(j, part="generated"))
            res[strategy] = j
            graph = ""
            if strategy == "metis":
                own = (f"METIS alone {j['metis_cores']} cores, traffic "
                       f"{j['metis_traffic']:.0f}" if j['metis_cores']
                       else "METIS alone: none")
                graph = (f" ({j['metis_pairs']} pairs, "
                         f"{j['metis_degree_cap'] or 'all'}; "
                         f"{j['metis_runs']} METIS runs; {own})")
            print(f"{j['neurons']:>8} {j['synapses']:>10} {strategy:<10} "
                  f"{j['cores']:>5} {j['lower_bound']:>5} "
                  f"{j['cores'] / j['lower_bound']:>7.3f} {j['traffic']:>10.0f} "
                  f"{j['hop_traffic']:>11.0f} {j['map_s']:>7.2f} "
                  f"{j['map_cpu_s']:>7.2f} {j['peak_rss_mib']:>8.0f} "
                  f"{j['peak_rss_mib'] * 2**20 / j['synapses']:>6.1f}  "
                  f"{j['kept']}{graph}", flush=True)
        if len(res) == 2:
            m, q = res["metis"], res["sequential"]
            ratio = lambda a, b: a / b if b else float("nan")
            print(f"{'':>8} {'':>10} {'metis/seq':<10} "
                  f"cores {ratio(m['cores'], q['cores']):.3f}, "
                  f"traffic {ratio(m['traffic'], q['traffic']):.3f}, "
                  f"hop-weighted {ratio(m['hop_traffic'], q['hop_traffic']):.3f}, "
                  f"time {ratio(m['map_s'], q['map_s']):.1f}x", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--sizes", default="1e4:1e6,1e5:1e7,1e6:1e7,1e6:3e7,1e6:1e8",
                   help="neurons:synapses pairs")
    p.add_argument("--quick", action="store_true", help="only 1e4:1e6")
    p.add_argument("--metis-max-synapses", type=float, default=1e8,
                   help="run METIS only up to this many synapses (time)")
    p.add_argument("--shuffled-max-synapses", type=float, default=1e8,
                   help="also map shuffled networks up to this many synapses")
    p.add_argument("--jsonl", help="also write every raw result here")
    a = p.parse_args()
    sizes = [(int(float(x)), int(float(y)))
             for x, y in (pair.split(":") for pair in a.sizes.split(","))]
    if a.quick:
        sizes = sizes[:1]
    with tempfile.TemporaryDirectory() as tmp:
        part1(a.build, tmp)
    part2(a.build, sizes, a.metis_max_synapses, False)
    part2(a.build, [x for x in sizes if x[1] <= a.shuffled_max_synapses],
          a.metis_max_synapses, True)
    print(f"\nload average: {os.getloadavg()[0]:.2f} (2-core machine, shared)")
    if a.jsonl:
        with open(a.jsonl, "w") as f:
            for r in RAW:
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
