#!/usr/bin/env bash
# Level 5 of snnc verify over many generated networks: each is compiled for
# loihi2 (lava-cuba), exported as NetX, run in Lava and compared spike by
# spike with the plan. Prints one line per network, PASS/FAIL counts and a
# table of the corners the passing networks covered.
#
#   bench/lava-level5-sweep.sh [--mix classic|hostile|both] [--first-seed S]
#                              [NETWORKS] [BUILD_DIR]
#
# classic: networks alternate between the generator's CuBa chain (16 -> 32 ->
# 4, with biases) and the paper's network (40 -> 256 -> 20, BatchNorm folded
# into a bias) with a random fc1 density. hostile: `snn-gen-network.py
# hostile` (delays up to 200 through NetX relay layers, spike counts up to 5
# as graded input, biases, strong drive, unleaky neurons, sparse and dense,
# excitatory / inhibitory / mixed, all-zero rows; docs/semantics.md SNN-L14).
# both: alternate (odd seeds hostile, even seeds the paper's network). Seeds
# S..S+NETWORKS-1 (S = 1 unless --first-seed), 2 samples each, so runs with
# disjoint seed ranges test different networks; the summary counts the
# distinct networks by the SHA-256 of their MLIR
# (comment lines left out). Needs the vendors venv
# (scripts/snnc-setup vendors) or SNNC_VENDOR_PYTHON.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mix=classic
first=1
while [[ ${1:-} == --* ]]; do
  case $1 in
    --mix) mix=${2:-} ;;
    --first-seed) first=${2:-} ;;
    *)
      echo "lava-level5-sweep: unknown option '$1' (--mix, --first-seed)" >&2
      exit 2
      ;;
  esac
  shift 2 || shift
done
case $mix in classic | hostile | both) ;; *)
  echo "lava-level5-sweep: --mix must be classic, hostile or both, not '$mix'" >&2
  exit 2
  ;;
esac
if ! [[ $first =~ ^[0-9]+$ ]] || ((first < 1)); then
  echo "lava-level5-sweep: --first-seed must be a positive integer, not '$first'" >&2
  exit 2
fi
networks=${1:-200}
last=$((first + networks - 1))
build=$(cd "${2:-$here/build}" && pwd)
py=${SNNC_VENDOR_PYTHON:-$build/vendors-venv/bin/python}
snnc=$build/bin/snnc
gen="python3 $here/tools/snn-gen-network/snn-gen-network.py"
inputs="$py $here/bench/lava-sweep-inputs.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 noexport=0
# "=()" makes the arrays set, so `set -u` accepts an empty one (a classic-only
# sweep has no corners).
declare -A corner=() digest=()
start=$SECONDS
for ((seed = first; seed <= last; ++seed)); do
  d=$work/$seed
  mkdir -p "$d"
  kind=$mix
  if [[ $mix == both ]]; then
    kind=$( ((seed % 2)) && echo hostile || echo classic)
  fi
  maxcount=1
  if [[ $kind == hostile ]]; then
    $gen hostile --seed "$seed" -o "$d/net.mlir"
    channels=$(grep -o 'snn.input @in {size = [0-9]*' "$d/net.mlir" | grep -o '[0-9]*$')
    steps=260
    grep -q '^// input: graded' "$d/net.mlir" && maxcount=5
  elif ((seed % 2)); then
    kind=cuba channels=16 steps=100
    $gen cuba --seed "$seed" -o "$d/net.mlir"
  else
    kind=paper channels=40 steps=100
    density=$(python3 -c "import random; random.seed($seed); print(round(random.uniform(0.05, 1.0), 3))")
    $gen paper --seed "$seed" --density "$density" -o "$d/net.mlir"
  fi
  # A repeated network would count twice towards the sweep's size; the
  # digest (of the IR without the generator's comment lines) makes the number
  # of distinct networks part of the result.
  digest[$(grep -v '^//' "$d/net.mlir" | sha256sum | cut -c1-64)]=1
  "$snnc" export "$d/net.mlir" -o "$d/model.h5" >/dev/null
  if ! "$snnc" compile "$d/model.h5" --target loihi2 --out "$d/c" --quiet >"$d/compile.txt" 2>&1; then
    echo "network $seed ($kind): compile failed: $(tail -1 "$d/compile.txt")"
    fail=$((fail + 1))
    continue
  fi
  if ! ls "$d/c"/*.netx.h5 >/dev/null 2>&1; then
    echo "network $seed ($kind): no NetX file: $(grep -m1 'no NetX' "$d/compile.txt" || true)"
    noexport=$((noexport + 1))
    continue
  fi
  $inputs "$d/spikes.h5" 2 "$steps" "$channels" "$seed" "$maxcount"
  line=$("$snnc" verify "$d/model.h5" "$d/c/plan.h5" --data "$d/spikes.h5" --vendor lava \
    --vendor-python "$py" --vendor-samples 2 2>/dev/null | grep '^5 ' || true)
  case $line in
    *PASS*)
      pass=$((pass + 1))
      if [[ $kind == hostile ]]; then
        for c in $(sed -n 's|^// corners: ||p' "$d/net.mlir"); do
          corner[$c]=$((${corner[$c]:-0} + 1))
        done
        [[ $line == *"(0 spikes)"* ]] && c=silent || c=spiking
        corner[$c]=$((${corner[$c]:-0} + 1))
      fi
      ;;
    *) fail=$((fail + 1)) ;;
  esac
  echo "network $seed ($kind): ${line:-no level-5 line}"
done
if ((${#corner[@]})); then
  echo "corners covered by passing hostile networks (networks):"
  for c in $(printf '%s\n' "${!corner[@]}" | sort); do
    printf '  %-12s %4d\n' "$c" "${corner[$c]}"
  done
fi
echo "lava-level5-sweep ($mix): seeds $first-$last, $networks networks (${#digest[@]} distinct): $pass PASS, $fail FAIL, $noexport without a NetX form; $((SECONDS - start)) s"
((fail == 0))
