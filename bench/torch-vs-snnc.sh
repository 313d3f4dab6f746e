#!/usr/bin/env bash
# torch-vs-snnc.sh: one training epoch of the paper's network (40 -> 256 ->
# 20, T = 100, Dmax = 25, batch 256) on the built-in digits, snnc's float
# engine against PyTorch with the authors' DCLS layer (the `dcls` package's
# Dcls1d, version "gauss", kernel_count 1, dilated_kernel_size 25), on the
# same file, the same number of threads, in one run; prints a table with the
# ratios and each side's peak resident memory, and extrapolates the paper's
# 150-epoch schedule (sigma 12 -> 0.23 over 37 epochs, then 113 at 0.23).
#
# usage: bench/torch-vs-snnc.sh [--threads N] [--time-samples N]
#                               [--no-schedule] [--rows LIST] [--pairs N]
#   --threads N       threads for both (default 2; torch.set_num_threads)
#   --time-samples N  time the first N samples of each epoch and scale to
#                     the 4000-sample epoch (default: the whole epoch)
#   --no-schedule     skip the extra sigma points of the 150-epoch estimate
#   --rows LIST       the rows compared directly (default 12,0.23,frozen)
#   --pairs N         time every row N times, snnc and PyTorch in turn
#                     (default 1); the table gives each side's median and
#                     the median of the N pair-by-pair ratios with their
#                     range: on a shared, noisy machine one pair can be off
#                     by 10-20 %, the median of several is not
#   --flush-denormal  PyTorch with torch.set_flush_denormal(True): at small
#                     sigma the DCLS kernel's Gaussian tails are denormal
#                     floats, which make PyTorch's convolution ~4x slower
#
# Needs the build (snnc, train-bench: cmake --build build --target snnc
# train-bench). Makes BUILD_DIR/torch-venv (torch from PyPI, the dcls
# package, numpy) the first time: several GB, TORCH_PYTHON=... uses another
# interpreter that has them. Each measurement runs in its own process, so
# the peak RSS is that of one epoch's process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build}
threads=2
timeSamples=0
schedule=1
rows=12,0.23,frozen
pairs=1
flush=()
while [[ $# -gt 0 ]]; do
  case $1 in
  --threads) threads=$2; shift 2 ;;
  --time-samples) timeSamples=$2; shift 2 ;;
  --no-schedule) schedule=0; shift ;;
  --rows) rows=$2; shift 2 ;;
  --pairs) pairs=$2; shift 2 ;;
  --flush-denormal) flush=(--flush-denormal); shift ;;
  -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
  *) echo "torch-vs-snnc.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in snnc train-bench; do
  if [[ ! -x $build/bin/$tool ]]; then
    echo "torch-vs-snnc.sh: $build/bin/$tool missing; build it first:" \
      "cmake --build $build --target snnc train-bench" >&2
    exit 2
  fi
done

py=${TORCH_PYTHON:-$build/torch-venv/bin/python}
if ! "$py" -c 'import torch, numpy, DCLS.construct.modules' 2>/dev/null; then
  if [[ -n ${TORCH_PYTHON:-} ]]; then
    echo "torch-vs-snnc.sh: $py lacks torch, numpy or the dcls package" >&2
    exit 2
  fi
  echo "== making $build/torch-venv (torch, dcls, numpy from PyPI)"
  python3 -m venv "$build/torch-venv"
  "$build/torch-venv/bin/pip" install --progress-bar off -q torch dcls numpy
fi

data=$build/bench-digits
if [[ ! -f $data/train.h5 ]]; then
  echo "== built-in digits -> $data"
  "$build/bin/snnc" data digits --out "$data" >/dev/null
fi
raw=$build/bench-raw
mkdir -p "$raw"
"$build/bin/train-bench" --data "$data/train.h5" --export-raw "$raw" >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ts=()
[[ $timeSamples -gt 0 ]] && ts=(--time-samples "$timeSamples")

# One row: snnc's epoch, then PyTorch's right after it (pairs close in time
# share the machine's load). $1 = a sigma or "frozen"; $2 = 1 to time torch.
measure() {
  local row=$1 withTorch=$2
  "$build/bin/train-bench" --data "$data/train.h5" --threads "$threads" \
    --rows "$row" --json "${ts[@]}" | grep '^{' >>"$out/snnc.jsonl"
  if [[ $withTorch == 1 ]]; then
    local args=(--layer dcls --device cpu --raw "$raw" --threads "$threads")
    if [[ $row == frozen ]]; then
      args+=(--sigma 0 --frozen)
    else
      args+=(--sigma "$row")
    fi
    "$py" "$here/torch_reference.py" "${args[@]}" "${ts[@]}" "${flush[@]}" 2>/dev/null |
      grep '^{' | sed "s/^{/{\"row\": \"$row\", /" >>"$out/torch.jsonl"
  fi
}

if ! [[ $pairs =~ ^[1-9][0-9]*$ ]]; then
  echo "torch-vs-snnc.sh: --pairs needs a positive count, not '$pairs'" >&2
  exit 2
fi
echo "== one epoch each, $pairs pair(s) per row ($threads threads${flush:+, PyTorch flushes denormals}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
IFS=, read -ra rowList <<<"$rows"
for ((pair = 1; pair <= pairs; ++pair)); do
  [[ $pairs -gt 1 ]] && echo "   pair $pair of $pairs" >&2
  for r in "${rowList[@]}"; do
    measure "$r" 1
  done
  # The schedule's sigma decays geometrically; snnc's cost follows the live
  # taps, so a few points along it are timed and interpolated in log sigma.
  if [[ $schedule == 1 ]]; then
    for s in 4 1.3 0.5; do
      measure "$s" 0
    done
  fi
done

python3 - "$out" "$threads" "$schedule" <<'EOF'
import json, math, sys
from statistics import median
out, threads, schedule = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
snnc = [json.loads(l) for l in open(out + "/snnc.jsonl")]
torch = [json.loads(l) for l in open(out + "/torch.jsonl")]
def key(row):
    return "frozen" if row.startswith("frozen") else row.split("=")[-1]
# Every row's measurements in the order taken: pair i is snnc's i-th epoch
# and PyTorch's right after it.
S, T = {}, {}
for r in snnc:
    S.setdefault(key(r["row"]), []).append(r)
for r in torch:
    T.setdefault(r["row"], []).append(r)
def med(runs, field):
    return median(r[field] for r in runs)
def ratios(ts, ss, field):
    return [t[field] / s[field] for t, s in zip(ts, ss)]
def ratioText(rs):
    text = "%.1fx" % median(rs)
    if len(rs) > 1:
        text += " (%.1f-%.1f, %d pairs)" % (min(rs), max(rs), len(rs))
    return text
print()
print("| row | snnc s/epoch | PyTorch+DCLS s/epoch | ratio | CPU s snnc / PyTorch | CPU ratio | snnc kernels (fc1, fc2) | snnc peak MiB | PyTorch peak MiB |")
print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
for row, ts in T.items():
    ss = S[row]
    name = "frozen delays" if row == "frozen" else "sigma = " + row
    print("| %s | %.2f | %.2f | %s | %.1f / %.1f | %s | %s | %.0f | %.0f |" % (
        name, med(ss, "seconds"), med(ts, "seconds"),
        ratioText(ratios(ts, ss, "seconds")),
        med(ss, "cpu_seconds"), med(ts, "cpu_seconds"),
        ratioText(ratios(ts, ss, "cpu_seconds")),
        ss[0]["kernels"].strip().replace(" ", ", "),
        max(r["peak_rss_mib"] for r in ss), max(r["peak_rss_mib"] for r in ts)))
def printPairs():
    if not any(len(ts) > 1 for ts in T.values()):
        return
    print()
    print("pairs in order (snnc s / PyTorch s):")
    for row, ts in T.items():
        print("  %s: %s" % (row, ", ".join(
            "%.2f / %.2f" % (s["seconds"], t["seconds"]) for s, t in zip(S[row], ts))))
if not schedule:
    printPairs()
    sys.exit(0)
# 150-epoch paper schedule: sigma_e = 12 (0.23/12)^(e/37) for e < 37, then
# 0.23. snnc: per-epoch time interpolated linearly in log sigma between the
# timed points; PyTorch: the convolution is the same at every sigma, so its
# mean over the timed learning rows times 150.
pts = sorted((float(k), med(v, "seconds")) for k, v in S.items()
             if k != "frozen" and float(k) > 0)
def snncAt(sig):
    if sig <= pts[0][0]:
        return pts[0][1]
    for (a, ta), (b, tb) in zip(pts, pts[1:]):
        if sig <= b:
            w = (math.log(sig) - math.log(a)) / (math.log(b) - math.log(a))
            return ta + w * (tb - ta)
    return pts[-1][1]
sigmas = [12 * (0.23 / 12) ** (min(e, 37) / 37) for e in range(150)]
snncTotal = sum(snncAt(s) for s in sigmas)
learn = [med(t, "seconds") for r, t in T.items() if r != "frozen"]
if not learn or not pts:
    printPairs()
    sys.exit(0)
torchTotal = 150 * sum(learn) / len(learn)
print("| 150-epoch paper schedule (extrapolated) | %.0f | %.0f | %.1fx | | | | | |" % (
    snncTotal, torchTotal, torchTotal / snncTotal))
print()
print("snnc timed at sigma = " + ", ".join("%g (%.2f s)" % p for p in pts) +
      "; the schedule's 150 epochs are interpolated in log sigma between them.")
printPairs()
EOF
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
