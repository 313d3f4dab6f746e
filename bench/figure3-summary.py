#!/usr/bin/env python3
"""Markdown tables of a `snnc sweep` Figure 3 table, for docs/figure3.md.

    bench/figure3-summary.py bench/results/figure3-digits-40epochs.csv

Reads figure3.csv (docs/sweep.md) of the four-condition grid and prints:

1. test accuracy per connectivity and condition: mean over seeds (min, max);
2. the paper's first finding, what learning the structure (RigL) adds over a
   fixed random mask, per delay mode and connectivity, and
   its second, what learning the delays adds with and without learned
   structure (differences of seed means, with the spread of the per-seed
   differences: the seeds fix the same initial signs and mask in both arms);
3. the E/I grouping z-score of the input projection and its baseline
   (same-sign fraction under random E/I labelling) against the observed
   same-sign fraction.
"""
import csv
import statistics
import sys

LR, FR, LF, FF = ("learned delays + learned structure",
                  "frozen delays + learned structure",
                  "learned delays + fixed structure",
                  "frozen delays + fixed structure")


def conn(s):
    c = 1 - float(s)
    k = round(-__import__("math").log2(c))
    return "1/%d" % 2 ** k if abs(c - 2.0 ** -k) < 1e-12 else "%.4g" % c


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    levels = sorted({r["sparsity"] for r in rows}, key=float)
    conds = [c for c in (LR, FR, LF, FF) if any(r["condition"] == c
                                                  for r in rows)]
    by = {}
    for r in rows:
        by.setdefault((r["condition"], r["sparsity"]), {})[r["seed"]] = r

    def vals(c, s, key):
        return [float(x[key]) for x in by.get((c, s), {}).values()]

    print("| connectivity | " + " | ".join(conds) + " |")
    print("|---|" + "---:|" * len(conds))
    for s in levels:
        cells = []
        for c in conds:
            a = [100 * v for v in vals(c, s, "test_accuracy")]
            cells.append("%.1f %% (%s)" % (statistics.mean(a), ", ".join(
                "%.1f" % v for v in a)) if a else "-")
        print("| %s | %s |" % (conn(s), " | ".join(cells)))

    def diff(a, b, s, key="test_accuracy"):
        ra, rb = by.get((a, s), {}), by.get((b, s), {})
        seeds = sorted(set(ra) & set(rb), key=int)
        if not seeds:
            return "-"
        d = [100 * (float(ra[x][key]) - float(rb[x][key])) for x in seeds]
        return "%+.1f (%s)" % (statistics.mean(d),
                               ", ".join("%+.1f" % v for v in d))

    print()
    print("| connectivity | RigL − fixed, learned delays | RigL − fixed, "
          "frozen delays | learned − frozen delays, RigL | learned − frozen "
          "delays, fixed |")
    print("|---|---:|---:|---:|---:|")
    for s in levels:
        print("| %s | %s | %s | %s | %s |" % (
            conn(s), diff(LR, LF, s), diff(FR, FF, s), diff(LR, FR, s),
            diff(LF, FF, s)))

    print()
    print("| connectivity | " + " | ".join(conds) + " |")
    print("|---|" + "---:|" * len(conds))
    for s in levels:
        cells = []
        for c in conds:
            z = vals(c, s, "z_score")
            same = vals(c, s, "same_fraction")
            base = vals(c, s, "baseline_mean")
            pairs = vals(c, s, "pairs")
            cells.append("z %s; %.2f vs %.2f; %d pairs" % (
                ", ".join("%.1f" % v for v in z), statistics.mean(same),
                statistics.mean(base), statistics.mean(pairs)) if z else "-")
        print("| %s | %s |" % (conn(s), " | ".join(cells)))


if __name__ == "__main__":
    main()
