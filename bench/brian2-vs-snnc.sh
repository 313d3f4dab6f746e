#!/usr/bin/env bash
# snnc's plan executor against Brian2 (C++ standalone) on the same random
# network, in one run (bench/README.md "Brian2").
#
#   bench/brian2-vs-snnc.sh [BUILD_DIR] [--samples N] [--threads N]
#                           [--synapses N] [--scale K] [--pairs N]
#                           [--plan PLAN.h5 --data DATA.h5 [--plan-samples N]]
#
# --scale 10 --synapses 100000000: the 10^6-neuron, 10^8-synapse network.
# --plan/--data: a compiled plan (snnc's or Lava's rules) on the first
# --plan-samples samples of its dataset (default 100) instead of the random
# network.
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
plan='' data='' plan_samples=100
while [[ $# -gt 0 ]]; do
  case "$1" in
  --samples) samples="$2"; shift 2 ;;
  --threads) threads="$2"; shift 2 ;;
  --synapses) synapses="$2"; shift 2 ;;
  --pairs) pairs="$2"; shift 2 ;;
  --scale) scale="$2"; shift 2 ;;
  --plan) plan="$2"; shift 2 ;;
  --data) data="$2"; shift 2 ;;
  --plan-samples) plan_samples="$2"; shift 2 ;;
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
if [[ -n "$plan" ]]; then
  [[ -n "$data" ]] || { echo "brian2-vs-snnc.sh: --plan needs --data" >&2; exit 2; }
  common=(--only-plan --threads "$threads" --plan "$plan" --data "$data" --plan-samples "$plan_samples")
  what="compiled plan $plan, the first $plan_samples samples of $data"
else
  common=(--only-large --threads "$threads" --samples "$samples" --large-synapses "$synapses" --scale "$scale")
  what="random network, scale $scale, $synapses synapses requested, $samples samples x 100 steps"
fi

# snnc run: prints "events/s peak-MiB events-per-CPU-second" from
# executor-bench's own lines (its CPU seconds are the runs' threads'; its
# peak memory is the whole process's: generator or dataset, plan, executor).
snnc_run() {
  "$bench" "${common[@]}" "$@" >"$tmp"
  cat "$tmp" >&2
  local eps cpu mib
  eps=$(sed -n 's/.*synaptic events [0-9]*, [0-9.e+]* s, \([0-9.e+]*\) events\/s.*/\1/p' "$tmp")
  cpu=$(sed -n 's/.* CPU s, \([0-9.e+]*\) events per CPU second.*/\1/p' "$tmp")
  [[ -n "$eps" && -n "$cpu" ]] || { echo "brian2-vs-snnc.sh: no events/s in executor-bench's output" >&2; exit 1; }
  # Its own peak, printed before the STREAM copy allocates 256 MiB.
  mib=$(sed -n 's/^peak memory: \([0-9]*\) MiB.*/\1/p' "$tmp")
  echo "$eps $mib $cpu"
}
# Brian2 run of the compiled project: "events/s peak-MiB
# events-per-CPU-second": wall seconds around its run (run_wall.txt,
# written by main), CPU seconds of its loop as Brian2 measures them
# (last_run_info.txt: std::clock, process CPU time).
brian2_run() {
  (cd "$project" && /usr/bin/time -f "%M" -o "$work/brian2-rss.txt" ./main >/dev/null)
  local cpu wall
  cpu=$(cut -d' ' -f1 "$project/results/last_run_info.txt")
  wall=$(cat "$project/run_wall.txt")
  python3 -c "print($brian2_events / $wall, $(tail -1 "$work/brian2-rss.txt") // 1024, $brian2_events / $cpu)"
}

echo "== snnc (export + run)" >&2
read -r s_eps s_mib s_cpu < <(snnc_run --export-network "$net")
snnc_spikes=$(sed -n 's/^  spikes: \([^(]*\)(.*/\1/p' "$tmp" | xargs)
echo "== Brian2 (build + compile + run)" >&2
"$venv/bin/python" "$here/brian2_run.py" "$net" --threads "$threads" \
  --build-dir "$project" 2> >(grep -v WARNING >&2) >"$work/brian2.json"
cat "$work/brian2.json" >&2
brian2_events=$(python3 -c "import json; print(json.load(open('$work/brian2.json'))['synaptic_events'])")
brian2_spikes=$(python3 -c "import json; d=json.load(open('$work/brian2.json')); print(' '.join(f'{k}={v}' for k, v in d['spikes'].items()))")
b_eps=$(python3 -c "import json; print(json.load(open('$work/brian2.json'))['events_per_s'])")
b_mib=$(python3 -c "import json; print(int(json.load(open('$work/brian2.json'))['peak_mib']))")
b_cpu=$(python3 -c "import json; print(json.load(open('$work/brian2.json'))['events_per_cpu_s'])")

ratios=("$(python3 -c "print($s_eps / $b_eps)")")
cpu_ratios=("$(python3 -c "print($s_cpu / $b_cpu)")")
s_all=("$s_eps") b_all=("$b_eps") s_cpus=("$s_cpu") b_cpus=("$b_cpu")
for ((p = 0; p < pairs; ++p)); do
  echo "== pair $((p + 1)) of $pairs" >&2
  read -r se sm sc < <(snnc_run)
  read -r be bm bc < <(brian2_run)
  s_all+=("$se") b_all+=("$be") s_cpus+=("$sc") b_cpus+=("$bc")
  ratios+=("$(python3 -c "print($se / $be)")")
  cpu_ratios+=("$(python3 -c "print($sc / $bc)")")
  ((sm > s_mib)) && s_mib=$sm
  ((bm > b_mib)) && b_mib=$bm
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo
echo "$what, $threads threads; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "spikes  snnc:   $snnc_spikes"
echo "spikes  Brian2: $brian2_spikes"
if [[ "$snnc_spikes" == "$brian2_spikes" ]]; then
  echo "spike counts: equal"
else
  echo "spike counts: DIFFERENT" && status=1
fi
printf '%-8s %14s %14s %16s %10s\n' "" "events/s" "per thread/s" "per CPU second" "peak MiB"
printf '%-8s %14.3g %14.3g %16.3g %10d\n' snnc "$(median "${s_all[@]}")" \
  "$(python3 -c "print($(median "${s_all[@]}") / $threads)")" "$(median "${s_cpus[@]}")" "$s_mib"
printf '%-8s %14.3g %14.3g %16.3g %10d\n' Brian2 "$(median "${b_all[@]}")" \
  "$(python3 -c "print($(median "${b_all[@]}") / $threads)")" "$(median "${b_cpus[@]}")" "$b_mib"
echo "ratio snnc/Brian2 per pair (wall): ${ratios[*]}; median $(median "${ratios[@]}")"
echo "ratio snnc/Brian2 per pair (events per CPU second of the simulation loops): ${cpu_ratios[*]}; median $(median "${cpu_ratios[@]}")"
python3 - "$work/brian2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("Brian2's first run: its loop %.3g CPU s (std::clock), %.3g s wall around its run; "
      "the process %.3g s wall, %.3g CPU s (loading included)"
      % (d["cpu_seconds"], d["wall_seconds"], d["process_wall_seconds"],
         d["process_cpu_seconds"]))
PY
grep '^copy bandwidth' "$tmp"
# The last snnc run's rate per CPU second of its threads (the wall clock on
# a shared machine counts other jobs' time) and its distance to the memory
# limit.
grep '^random network:' "$tmp" || true
exit "${status:-0}"
