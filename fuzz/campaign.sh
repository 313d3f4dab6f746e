#!/usr/bin/env bash
# fuzz/campaign.sh: fuzz until every listed target has GOAL CPU seconds in the
# ledger (or the deadline passes), always giving the next round to the target
# with the fewest CPU seconds so far. Rounds are fuzz/run.sh runs of ROUND
# wall seconds; a round with a finding is logged and the campaign goes on
# (the input stays in BUILD/fuzz/artifacts/<target>/). FUZZ_PARALLEL (default
# 1) rounds run at once, each on a different target: one per core.
#
#   fuzz/campaign.sh BUILD GOAL_CPU_S ROUND_S DEADLINE_UTC [TARGET...]
#   e.g. FUZZ_WORK=/work/fuzz-corpus FUZZ_PARALLEL=2 \
#          fuzz/campaign.sh build-asan 3600 600 05:40
# FUZZ_LEDGER defaults to fuzz/hours.tsv; FUZZ_NICE etc. go to run.sh.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage='usage: fuzz/campaign.sh BUILD GOAL_CPU_S ROUND_S DEADLINE_UTC [TARGET...]'
build=${1:?$usage}; goal=${2:?$usage}; round=${3:?$usage}; deadline=${4:?$usage}
shift 4
targets=("$@")
((${#targets[@]})) || targets=(model plan dataset shd nir mlir-text mlir-bytecode
                                target-json profile-json audio cli)
export FUZZ_LEDGER=${FUZZ_LEDGER:-$here/hours.tsv}
end=$(date -u -d "$deadline" +%s) || exit 2
((end > $(date +%s))) || end=$((end + 86400))
cpu_of() {
  [[ -s $FUZZ_LEDGER ]] || { echo 0; return; }
  awk -F'\t' -v t="$1" 'NR > 1 && $3 == t { s += $5 } END { print s + 0 }' \
    "$FUZZ_LEDGER"
}
parallel=${FUZZ_PARALLEL:-1}
declare -A running=() # pid of a round -> its target

# pick: the target below the goal with the fewest CPU seconds, not in a round
# now, this campaign's or another's (best='' when there is none).
pick() {
  best= ; best_cpu=
  local t c r
  for t in "${targets[@]}"; do
    for r in "${running[@]}"; do [[ $r == "$t" ]] && continue 2; done
    # A round of another campaign (or by hand) on the same build.
    pgrep -f -- "/bin/fuzz-$t -" >/dev/null && continue
    c=$(cpu_of "$t")
    ((c >= goal)) && continue
    if [[ -z $best ]] || ((c < best_cpu)); then best=$t; best_cpu=$c; fi
  done
}

while :; do
  while ((${#running[@]} < parallel)); do
    left=$((end - $(date +%s)))
    ((left > 60)) || break
    pick
    [[ -n $best ]] || break
    secs=$((round < left ? round : left))
    # The last round of a target asks only for what it still needs (plus ten
    # seconds: a round's CPU time falls a little short of its wall time), so
    # the goal is not overshot by most of a round while other targets wait.
    need=$((goal - best_cpu + 10))
    ((need < secs)) && secs=$need
    echo "campaign $(date -u +%H:%M:%S): $best ($best_cpu CPU s so far), $secs s"
    "$here/run.sh" "$build" "$secs" "$best" | tail -1 &
    running[$!]=$best
  done
  if ((${#running[@]} == 0)); then
    pick
    [[ -n $best ]] || echo "campaign: every target has $goal CPU s"
    break
  fi
  wait -n
  for pid in "${!running[@]}"; do
    kill -0 "$pid" 2>/dev/null || unset "running[$pid]"
  done
done
"$here/hours.sh" "$FUZZ_LEDGER"
