#!/usr/bin/env python3
"""The paper's Figure 3 protocol on the built-in dataset.

Accuracy against sparsity 1 - 2^-k for the four conditions of the paper
(docs/reference.md §1): learned or frozen delays x dynamic (RigL rewiring) or fixed
random structure, several seeds. Every run is `snnc train --sparsity S
--rewire rigl|none --delays learn|frozen`, followed by `snnc analyze` (the E/I
grouping z-score of the input projection). Writes DIR/figure3.csv,
DIR/figure3.svg (mean test accuracy, min-max over seeds) and keeps each
run's model and log under DIR/runs/.

    bench/figure3.py --snnc build/bin/snnc --out fig3            # full
    bench/figure3.py --snnc build/bin/snnc --out fig3 --reduced  # ~30 min, 2 cores
    bench/figure3.py --snnc build/bin/snnc --out fig3 --tiny     # smoke test

Full: k = 0..9, 3 seeds, 150 epochs, 256 hidden, batch 256 (the paper's
setting; days on a CPU). Reduced: k = 0, 3, 6, 9, 2 seeds, 3 epochs, 128 hidden,
batch 32. Tiny: k = 0, 6, 1 seed, 1 epoch, 500 training samples.
Existing rows of the CSV are reused, so an interrupted sweep resumes.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

CONDITIONS = [  # (name, delays, rewire)
    ("learned delays + learned structure", "learn", "rigl"),
    ("frozen delays + learned structure", "frozen", "rigl"),
    ("learned delays + fixed structure", "learn", "none"),
    ("frozen delays + fixed structure", "frozen", "none"),
]
COLOURS = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c"]
FIELDS = ["condition", "delays", "rewire", "k", "sparsity", "seed",
          "test_accuracy", "train_accuracy", "seconds", "rewired",
          "z_fc1", "same_fc1", "shuffled_fc1"]


def run(cmd, log):
    with open(log, "w") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit("figure3: failed (%d): %s\n  see %s" % (p.returncode,
                                                         " ".join(cmd), log))
    return open(log).read()


def svg_plot(rows, path, title):
    W, H, L, R, T, B = 640, 400, 60, 230, 40, 50
    ks = sorted({int(r["k"]) for r in rows})
    kmin, kmax = min(ks), max(max(ks), min(ks) + 1)
    accs = [float(r["test_accuracy"]) for r in rows]
    top = max(0.1, min(1.0, max(accs) * 1.1))
    X = lambda k: L + (W - L - R) * (k - kmin) / (kmax - kmin)
    Y = lambda a: H - B - (H - T - B) * a / top
    out = ["<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
           "font-family='sans-serif' font-size='11'>" % (W, H),
           "<rect width='100%' height='100%' fill='white'/>",
           "<text x='%d' y='20' font-size='13'>%s</text>" % (L, title)]
    out.append("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
               % (L, H - B, W - R, H - B))
    out.append("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
               % (L, T, L, H - B))
    for k in ks:
        out.append("<text x='%.1f' y='%d' text-anchor='middle'>1/%d</text>"
                   % (X(k), H - B + 15, 2 ** k))
    out.append("<text x='%d' y='%d' text-anchor='middle'>connectivity "
               "(sparsity 1 - 2^-k)</text>" % ((L + W - R) / 2, H - 12))
    for i in range(6):
        a = top * i / 5
        out.append("<text x='%d' y='%.1f' text-anchor='end'>%.0f%%</text>"
                   % (L - 5, Y(a) + 4, 100 * a))
        out.append("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>"
                   % (L, Y(a), W - R, Y(a)))
    for ci, (name, d, rw) in enumerate(CONDITIONS):
        pts = []
        for k in ks:
            a = [float(r["test_accuracy"]) for r in rows
                 if r["condition"] == name and int(r["k"]) == k]
            if a:
                pts.append((k, sum(a) / len(a), min(a), max(a)))
        if not pts:
            continue
        c = COLOURS[ci]
        out.append("<polyline fill='none' stroke='%s' stroke-width='2' "
                   "points='%s'/>" % (c, " ".join("%.1f,%.1f" % (X(k), Y(m))
                                                  for k, m, _, _ in pts)))
        for k, m, lo, hi in pts:
            out.append("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
                       "stroke='%s'/>" % (X(k), Y(lo), X(k), Y(hi), c))
            out.append("<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>"
                       % (X(k), Y(m), c))
        out.append("<rect x='%d' y='%d' width='12' height='3' fill='%s'/>"
                   % (W - R + 10, T + 20 * ci + 5, c))
        out.append("<text x='%d' y='%d'>%s</text>"
                   % (W - R + 26, T + 20 * ci + 10, name))
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--snnc", default="build/bin/snnc")
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", help="folder with train.h5/test.h5 "
                    "(default: OUT/data, made by snnc data digits)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--reduced", action="store_true")
    g.add_argument("--tiny", action="store_true")
    ap.add_argument("--levels", help="k values, e.g. 0,3,6,9")
    ap.add_argument("--seeds", type=int)
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-samples", type=int, default=4000)
    ap.add_argument("--extra", default="", help="more snnc train options")
    ap.add_argument("--plot-only", action="store_true",
                    help="redraw the SVG from the CSV, train nothing")
    ap.add_argument("--reanalyze", action="store_true",
                    help="with --plot-only: rerun snnc analyze on the saved "
                    "models and update the z columns")
    a = ap.parse_args()
    preset = dict(levels="0,1,2,3,4,5,6,7,8,9", seeds=3, epochs=150,
                  hidden=256, batch=256, samples=4000)
    if a.reduced:
        preset.update(levels="0,3,6,9", seeds=2, epochs=3, hidden=128,
                      batch=32)
    if a.tiny:
        preset.update(levels="0,6", seeds=1, epochs=1, hidden=64, batch=32,
                      samples=500)
    levels = [int(k) for k in (a.levels or preset["levels"]).split(",")]
    seeds = a.seeds or preset["seeds"]
    epochs = a.epochs or preset["epochs"]
    hidden = a.hidden or preset["hidden"]
    batch = a.batch or preset["batch"]
    samples = preset["samples"] if a.tiny else a.train_samples
    os.makedirs(os.path.join(a.out, "runs"), exist_ok=True)
    data = a.data or os.path.join(a.out, "data")
    if not a.plot_only and not os.path.exists(os.path.join(data, "train.h5")):
        run([a.snnc, "data", "digits", "--out", data, "--train",
             str(samples), "--test", str(max(200, samples // 4)),
             "--threads", str(a.threads), "--quiet"],
            os.path.join(a.out, "runs", "data.log"))
    csv_path = os.path.join(a.out, "figure3.csv")
    rows = []
    if os.path.exists(csv_path):
        rows = list(csv.DictReader(open(csv_path)))
    done = {(r["condition"], r["k"], r["seed"]) for r in rows}
    if a.reanalyze:
        for r in rows:
            tag = "%s-%s-k%s-s%s" % (r["delays"], r["rewire"], r["k"],
                                     r["seed"])
            an = os.path.join(a.out, "runs", tag + "-analysis")
            run([a.snnc, "analyze", os.path.join(a.out, "runs", tag + ".h5"),
                 "--out", an, "--quiet"],
                os.path.join(a.out, "runs", tag + "-analyze.log"))
            fc1 = json.load(open(os.path.join(an, "analysis.json")))[
                "projections"][0]["grouping"]
            r.update(z_fc1="%.3f" % fc1["z_score"],
                     same_fc1="%.4f" % fc1["same_fraction"],
                     shuffled_fc1="%.4f" % fc1["shuffled_mean"])
        with open(csv_path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS)
            w.writeheader()
            w.writerows(rows)
    t_start = time.time()
    for k in ([] if a.plot_only else levels):
        s = 1.0 - 2.0 ** -k
        for name, delays, rewire in CONDITIONS:
            for seed in range(1, seeds + 1):
                if (name, str(k), str(seed)) in done:
                    continue
                tag = "%s-%s-k%d-s%d" % (delays, rewire, k, seed)
                model = os.path.join(a.out, "runs", tag + ".h5")
                t0 = time.time()
                log = run([a.snnc, "train", "--train",
                           os.path.join(data, "train.h5"), "--test",
                           os.path.join(data, "test.h5"), "--out", model,
                           "--epochs", str(epochs), "--batch", str(batch),
                           "--hidden", str(hidden), "--threads",
                           str(a.threads), "--seed", str(seed),
                           "--sigma-epochs", str(min(37, epochs)),
                           "--delays", delays, "--sparsity", repr(s),
                           "--rewire", rewire] + a.extra.split(),
                          os.path.join(a.out, "runs", tag + ".log"))
                secs = time.time() - t0
                ep = re.findall(r"train\s+([\d.]+)%\s+test\s+([\d.]+)%", log)
                rw = re.search(r"(\d+) synapses removed", log)
                an = os.path.join(a.out, "runs", tag + "-analysis")
                run([a.snnc, "analyze", model, "--out", an, "--quiet"],
                    os.path.join(a.out, "runs", tag + "-analyze.log"))
                fc1 = json.load(open(os.path.join(an, "analysis.json")))[
                    "projections"][0]["grouping"]
                row = dict(condition=name, delays=delays, rewire=rewire, k=k,
                           sparsity="%.6f" % s, seed=seed,
                           test_accuracy="%.4f" % (float(ep[-1][1]) / 100),
                           train_accuracy="%.4f" % (float(ep[-1][0]) / 100),
                           seconds="%.1f" % secs,
                           rewired=rw.group(1) if rw else "0",
                           z_fc1="%.3f" % fc1["z_score"],
                           same_fc1="%.4f" % fc1["same_fraction"],
                           shuffled_fc1="%.4f" % fc1["shuffled_mean"])
                rows.append(row)
                with open(csv_path, "w", newline="") as f:
                    w = csv.DictWriter(f, fieldnames=FIELDS)
                    w.writeheader()
                    w.writerows(rows)
                print("%-36s k=%d seed %d: test %s  z_fc1 %s  (%.0f s, %.0f s "
                      "so far)" % (name, k, seed, row["test_accuracy"],
                                   row["z_fc1"], secs, time.time() - t_start),
                      flush=True)
    svg_plot(rows, os.path.join(a.out, "figure3.svg"),
             "Test accuracy vs connectivity (%d epochs, %d hidden, %d seed%s)"
             % (epochs, hidden, seeds, "s" if seeds > 1 else ""))
    print("wrote %s and %s" % (csv_path, os.path.join(a.out, "figure3.svg")))


if __name__ == "__main__":
    main()
