#!/usr/bin/env bash
# fuzz/run.sh: run the libFuzzer targets of a SNNC_FUZZ=ON build, one after
# the other, each for a fixed time (fuzz/README.md).
#
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]     (default: every target)
#
# Each target starts from its committed seeds (fuzz/corpus/<target>) plus
# what earlier runs found (BUILD_DIR/fuzz/work/<target>, kept between runs);
# crashes, leaks, timeouts and out-of-memory inputs are written to
# BUILD_DIR/fuzz/artifacts/<target>/. Limits: 10 s per input, 2 GiB of RSS,
# also the most a single allocation may take (-malloc_limit_mb). Exit status 1
# when any target found something. FUZZ_NICE (default 10) is the nice level;
# FUZZ_JOBS (default 1) the number of fuzzing processes per target.
# FUZZ_SEED fixes libFuzzer's random seed and FUZZ_RUNS replaces the time
# limit by a number of inputs: together they make a run repeatable (CI: the
# same inputs on every machine, whatever its speed). FUZZ_WORK replaces
# BUILD_DIR/fuzz/work as the folder of the grown corpora (keep them outside
# the build folder to carry them from one session to the next).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(model plan dataset shd nir mlir-text mlir-bytecode target-json
           profile-json audio cli)
fi
# The sanitizers' options are compiled in (fuzz/SanitizerDefaults.cpp).
status=0
printf '%-14s %8s %6s %9s %7s %6s %s\n' target seconds cpu_s execs corpus cov \
  result
for t in "${targets[@]}"; do
  bin=$build/bin/fuzz-$t
  if [[ ! -x $bin ]]; then
    echo "fuzz/run.sh: $bin is missing (configure with -DSNNC_FUZZ=ON and build 'fuzzers')" >&2
    exit 2
  fi
  work=${FUZZ_WORK:-$build/fuzz/work}/$t
  art=$build/fuzz/artifacts/$t
  mkdir -p "$work" "$art"
  log=$build/fuzz/$t.log
  stamp=$build/fuzz/$t.start
  touch "$stamp"
  rev=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo ?)
  limit=(-max_total_time="$seconds")
  [[ -n ${FUZZ_RUNS:-} ]] && limit=(-runs="$FUZZ_RUNS")
  [[ -n ${FUZZ_SEED:-} ]] && limit+=(-seed="$FUZZ_SEED")
  # CPU seconds (user + system) of the target and its children: on a shared
  # machine the wall time says little about how much fuzzing was done.
  TIMEFORMAT='%U %S'
  { time nice -n "${FUZZ_NICE:-10}" "$bin" "${limit[@]}" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -close_fd_mask=3 \
      -print_final_stats=1 -artifact_prefix="$art/" \
      ${FUZZ_JOBS:+-fork=$FUZZ_JOBS} "$work" "$here/corpus/$t" >"$log" 2>&1
  } 2>"$build/fuzz/$t.time"
  rc=$?
  cpu=$(awk '{printf "%d", $1 + $2}' "$build/fuzz/$t.time")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(ls "$work" | wc -l)
  if ((rc == 0)); then
    result=ok
  else
    # The kinds of finding, from libFuzzer's artifact names (crash-, leak-,
    # timeout-, oom-, slow-unit-), for the ledger: a timeout on a loaded
    # machine reads differently from a crash.
    kinds=$(find "$art" -type f -newer "$stamp" -printf '%f\n' |
      sed -n 's/^\([a-z-]*\)-[0-9a-f]\{40\}$/\1/p' | sort -u | paste -sd+)
    result="FOUND:${kinds:-exit$rc} (exit $rc): $(find "$art" -type f -newer "$stamp" -printf '%f ')see $log"
    status=1
  fi
  printf '%-14s %8s %6s %9s %7s %6s %s\n' "$t" "$seconds" "${cpu:-?}" \
    "${execs:-?}" "$corpus" "${cov:-?}" "$result"
  if [[ -n ${FUZZ_LEDGER:-} ]]; then
    [[ -s $FUZZ_LEDGER ]] ||
      printf 'start_utc\tcommit\ttarget\twall_s\tcpu_s\texecs\tcorpus\tresult\n' \
        >"$FUZZ_LEDGER"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$(date -u -r "$stamp" +%Y-%m-%dT%H:%M:%SZ)" \
      "$rev" "$t" \
      "$(($(date +%s) - $(date -r "$stamp" +%s)))" "${cpu:-0}" "${execs:-0}" \
      "$corpus" "${result%% *}" >>"$FUZZ_LEDGER"
  fi
done
exit $status
