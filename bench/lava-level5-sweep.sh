#!/usr/bin/env bash
# Level 5 of snnc verify over many generated networks: each is compiled for
# loihi2 (lava-cuba), exported as NetX, run in Lava and compared spike by
# spike with the plan. Prints one line per network and a summary.
#
#   bench/lava-level5-sweep.sh [NETWORKS] [BUILD_DIR]
#
# Networks alternate between the generator's CuBa chain (16 -> 32 -> 4, with
# biases) and the paper's network (40 -> 256 -> 20, BatchNorm folded into a
# bias) with a random fc1 density; seeds 1..NETWORKS. Needs the vendors venv
# (scripts/snnc-setup vendors) or SNNC_VENDOR_PYTHON.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
networks=${1:-200}
build=$(cd "${2:-$here/build}" && pwd)
py=${SNNC_VENDOR_PYTHON:-$build/vendors-venv/bin/python}
snnc=$build/bin/snnc
gen="python3 $here/tools/snn-gen-network/snn-gen-network.py"
spikes="$py $here/test/Tools/Inputs/lava-spikes.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 noexport=0
start=$SECONDS
for ((seed = 1; seed <= networks; ++seed)); do
  d=$work/$seed
  mkdir -p "$d"
  if ((seed % 2)); then
    kind=cuba channels=16 steps=100
    $gen cuba --seed "$seed" -o "$d/net.mlir"
  else
    kind=paper channels=40 steps=100
    density=$(python3 -c "import random; random.seed($seed); print(round(random.uniform(0.05, 1.0), 3))")
    $gen paper --seed "$seed" --density "$density" -o "$d/net.mlir"
  fi
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
  $spikes "$d/spikes.h5" 2 "$steps" "$channels" "$seed"
  line=$("$snnc" verify "$d/model.h5" "$d/c/plan.h5" --data "$d/spikes.h5" --vendor lava \
    --vendor-python "$py" --vendor-samples 2 2>/dev/null | grep '^5 ' || true)
  case $line in
    *PASS*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)) ;;
  esac
  echo "network $seed ($kind): ${line:-no level-5 line}"
done
echo "lava-level5-sweep: $networks networks: $pass PASS, $fail FAIL, $noexport without a NetX form; $((SECONDS - start)) s"
((fail == 0))
