#!/usr/bin/env bash
# fuzz/hours.sh: what the fuzz ledger holds, per target: runs, CPU hours,
# inputs executed, the latest corpus size and findings (fuzz/README.md).
#
#   fuzz/hours.sh [LEDGER]          (default: fuzz/hours.tsv)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ledger=${1:-$here/hours.tsv}
[[ -r $ledger ]] || { echo "fuzz/hours.sh: no ledger at $ledger" >&2; exit 2; }
awk -F'\t' '
  NR == 1 { next }
  { t = $3; runs[t]++; cpu[t] += $5; execs[t] += $6; corpus[t] = $7
    if ($8 != "ok") found[t]++
    if (!(t in first)) { first[t] = $1; order[++n] = t }
    last[t] = $1 }
  END {
    printf "%-14s %5s %9s %12s %7s %8s  %s\n", "target", "runs", "cpu_h",
      "execs", "corpus", "findings", "first .. last run (UTC)"
    for (i = 1; i <= n; i++) { t = order[i]
      printf "%-14s %5d %9.2f %12d %7d %8d  %s .. %s\n", t, runs[t],
        cpu[t] / 3600, execs[t], corpus[t], found[t] + 0, first[t], last[t] }
  }' "$ledger"
