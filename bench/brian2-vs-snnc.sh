#!/usr/bin/env bash
# snnc's plan executor against Brian2 (C++ standalone) on the same random
# network, in one run (bench/README.md "Brian2").
#
#   bench/brian2-vs-snnc.sh [BUILD_DIR] [--samples N] [--threads N]
#                           [--synapses N] [--scale K] [--pairs N]
#
# --scale 10 --synapses 100000000: the 10^6-neuron, 10^8-synapse network.
#
# 1. executor-bench writes its random network and input spikes
#    (--export-network) and runs it; bench/brian2_run.py builds the same
#    network in Brian2 from that file, compiles and runs it, and the spike
#    counts per population of the two are compared (they must be equal: the
#    Brian2 model computes snnc's integer arithmetic in exact float64).
# 2. Then `--pairs` more runs alternate snnc and the compiled Brian2 binary
#    (A B A B ...), so that each ratio comes from two runs next to each other
#    on a shared machine; the medians are printed.
# Brian2 goes into a venv under BUILD_DIR (pip; its standalone device needs
# g++ only). Times are of the simulation loops (snnc: the executor over all
# samples; Brian2: its network.run), memory is each process's peak RSS.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../build"
if [[ $# -gt 0 && "$1" != --* ]]; then
  build="$1"
  shift
fi
samples=2 threads=2 synapses=10000000 scale=1 pairs=2
while [[ $# -gt 0 ]]; do
  case "$1" in
  --samples) samples="$2"; shift 2 ;;
  --threads) threads="$2"; shift 2 ;;
  --synapses) synapses="$2"; shift 2 ;;
  --pairs) pairs="$2"; shift 2 ;;
  --scale) scale="$2"; shift 2 ;;
  *) echo "brian2-vs-snnc.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
build="$(cd "$build" && pwd)"
bench="$build/bin/executor-bench"
[[ -x "$bench" ]] || { echo "brian2-vs-snnc.sh: build executor-bench first ($bench is missing)" >&2; exit 1; }

venv="$build/brian2-venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import brian2, h5py" 2>/dev/null; then
  echo "creating $venv (brian2, h5py)" >&2
  python3 -m venv "$venv"
  # Brian2 2.9 still calls ndarray.ptp, which NumPy 2 removed.
  "$venv/bin/pip" install -q brian2 h5py 'numpy<2'
fi

work="$build/brian2-vs-snnc"
mkdir -p "$work"
net="$work/network.h5"
project="$work/brian2-project"
tmp="$work/run.txt"
common=(--only-large --threads "$threads" --samples "$samples" --large-synapses "$synapses" --scale "$scale")

# snnc run: prints "events/s peak-MiB" from executor-bench's own lines.
snnc_run() {
  /usr/bin/time -f "%M" -o "$work/snnc-rss.txt" "$bench" "${common[@]}" "$@" >"$tmp"
  cat "$tmp" >&2
  local eps spikes
  eps=$(sed -n 's/.*synaptic events [0-9]*, [0-9.e+]* s, \([0-9.e+]*\) events\/s.*/\1/p' "$tmp")
  [[ -n "$eps" ]] || { echo "brian2-vs-snnc.sh: no events/s in executor-bench's output" >&2; exit 1; }
  echo "$eps $(( $(cat "$work/snnc-rss.txt") / 1024 ))"
}
# Brian2 run of the compiled project: "events/s peak-MiB".
brian2_run() {
  (cd "$project" && /usr/bin/time -f "%M" -o "$work/brian2-rss.txt" ./main >/dev/null)
  local secs
  secs=$(cut -d' ' -f1 "$project/results/last_run_info.txt")
  python3 -c "print($brian2_events / $secs, $(cat "$work/brian2-rss.txt") // 1024)"
}

echo "== snnc (export + run)" >&2
read -r s_eps s_mib < <(snnc_run --export-network "$net")
snnc_spikes=$(sed -n 's/^  spikes: \([^(]*\)(.*/\1/p' "$tmp" | xargs)
echo "== Brian2 (build + compile + run)" >&2
"$venv/bin/python" "$here/brian2_run.py" "$net" --threads "$threads" \
  --build-dir "$project" 2> >(grep -v WARNING >&2) >"$work/brian2.json"
cat "$work/brian2.json" >&2
brian2_events=$(python3 -c "import json; print(json.load(open('$work/brian2.json'))['synaptic_events'])")
brian2_spikes=$(python3 -c "import json; d=json.load(open('$work/brian2.json')); print(' '.join(f'{k}={v}' for k, v in d['spikes'].items()))")
b_eps=$(python3 -c "import json; print(json.load(open('$work/brian2.json'))['events_per_s'])")
b_mib=$(python3 -c "import json; print(int(json.load(open('$work/brian2.json'))['peak_mib']))")

ratios=("$(python3 -c "print($s_eps / $b_eps)")")
s_all=("$s_eps") b_all=("$b_eps")
for ((p = 0; p < pairs; ++p)); do
  echo "== pair $((p + 1)) of $pairs" >&2
  read -r se sm < <(snnc_run)
  read -r be bm < <(brian2_run)
  s_all+=("$se") b_all+=("$be")
  ratios+=("$(python3 -c "print($se / $be)")")
  ((sm > s_mib)) && s_mib=$sm
  ((bm > b_mib)) && b_mib=$bm
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo
echo "random network, scale $scale, $synapses synapses requested, $samples samples x 100 steps, $threads threads; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "spikes  snnc:   $snnc_spikes"
echo "spikes  Brian2: $brian2_spikes"
if [[ "$snnc_spikes" == "$brian2_spikes" ]]; then
  echo "spike counts: equal"
else
  echo "spike counts: DIFFERENT" && status=1
fi
printf '%-8s %14s %14s %10s\n' "" "events/s" "per thread/s" "peak MiB"
printf '%-8s %14.3g %14.3g %10d\n' snnc "$(median "${s_all[@]}")" \
  "$(python3 -c "print($(median "${s_all[@]}") / $threads)")" "$s_mib"
printf '%-8s %14.3g %14.3g %10d\n' Brian2 "$(median "${b_all[@]}")" \
  "$(python3 -c "print($(median "${b_all[@]}") / $threads)")" "$b_mib"
echo "ratio snnc/Brian2 per pair: ${ratios[*]}; median $(median "${ratios[@]}")"
grep '^copy bandwidth' "$tmp"
# The last snnc run's rate per CPU second of its threads (the wall clock on
# a shared machine counts other jobs' time) and its distance to the memory
# limit.
grep '^random network:' "$tmp"
exit "${status:-0}"
