#!/usr/bin/env bash
# Level 5 of snnc verify over many generated Xylo networks: each is compiled
# for xylo-audio (xylo-iaf arithmetic, delays as relay neurons), exported as
# a Rockpool specification (.xylo.npz + .xylo.json), run in XyloSim and
# compared with the plan: every hidden spike count and Vmem_out. Prints one
# line per network, a table of the corners drawn, and a summary.
#
#   bench/xylo-level5-sweep.sh [NETWORKS] [BUILD_DIR] [FIRST_SEED]
#
# Networks come from `snn-gen-network.py xylo --seed S` (S = FIRST_SEED ..):
# 1-2 hidden layers, delays 0..30 (relays), biases, multi-spike, saturation,
# sparse/dense, excitatory/inhibitory/mixed; inputs are random counts 0..15
# (test/Tools/Inputs/xylo-spikes.py), 2 samples each. Needs the vendors venv
# (scripts/snnc-setup vendors) or SNNC_VENDOR_PYTHON. Exit 0 only when every
# network passes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
networks=${1:-200}
build=$(cd "${2:-$here/build}" && pwd)
first=${3:-1}
py=${SNNC_VENDOR_PYTHON:-$build/vendors-venv/bin/python}
snnc=$build/bin/snnc
gen="python3 $here/tools/snn-gen-network/snn-gen-network.py"
spikes="$py $here/test/Tools/Inputs/xylo-spikes.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0
declare -A seen passed
start=$SECONDS
for ((seed = first; seed < first + networks; ++seed)); do
  d=$work/$seed
  mkdir -p "$d"
  $gen xylo --seed "$seed" -o "$d/net.mlir"
  corners=$(head -1 "$d/net.mlir" | sed 's|^// xylo-corners: ||')
  channels=$(sed -n 's/.*snn.input @in {size = \([0-9]*\) .*/\1/p' "$d/net.mlir")
  steps=$(sed -n 's/.*steps = \([0-9]*\) : i64.*/\1/p' "$d/net.mlir" | head -1)
  result=FAIL
  if ! "$snnc" export "$d/net.mlir" -o "$d/model.h5" >"$d/export.txt" 2>&1; then
    line="export failed: $(tail -1 "$d/export.txt")"
  elif ! "$snnc" compile "$d/model.h5" --target xylo-audio --out "$d/c" --quiet >"$d/compile.txt" 2>&1; then
    line="compile failed: $(grep -m1 error "$d/compile.txt" || tail -1 "$d/compile.txt")"
  else
    $spikes "$d/spikes.h5" 2 "$steps" "$channels" "$seed"
    line=$("$snnc" verify "$d/model.h5" "$d/c/plan.h5" --data "$d/spikes.h5" --vendor xylosim \
      --vendor-python "$py" --vendor-samples 2 2>/dev/null | grep '^5 ' || true)
    case $line in
      *PASS*) result=PASS ;;
      *SKIP*) result=SKIP ;;
    esac
  fi
  case $result in
    PASS) pass=$((pass + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
  esac
  for c in $corners; do
    seen[$c]=$((${seen[$c]:-0} + 1))
    [[ $result == PASS ]] && passed[$c]=$((${passed[$c]:-0} + 1))
  done
  echo "network $seed [$corners]: $result ${line:-no level-5 line}"
done
echo
printf '%-14s %9s %7s\n' corner networks PASS
for c in $(printf '%s\n' "${!seen[@]}" | sort); do
  printf '%-14s %9d %7d\n' "$c" "${seen[$c]}" "${passed[$c]:-0}"
done
echo "xylo-level5-sweep: $networks networks: $pass PASS, $fail FAIL, $skip SKIP; $((SECONDS - start)) s"
((fail == 0 && skip == 0))
