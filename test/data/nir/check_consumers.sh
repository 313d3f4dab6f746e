#!/usr/bin/env bash
# Exports snnc networks for each framework's NIR reader (`snnc export
# --nir-reader FW`), loads them in the framework itself, runs them on the same
# input as `snnc run`, and counts the spikes that differ
# (load_export_in_frameworks.py). Prints one line per case; docs/nir.md's
# consumer table is this output. CI does not run it (no Python there).
#
#   test/data/nir/check_consumers.sh [BUILD_DIR]     (default: build)
#
# Environments (test/data/nir/README.md), overridable:
#   FW_PYTHON      snnTorch, Norse, Rockpool (default /work/fwenv/bin/python)
#   SINABS_PYTHON  Sinabs 3.1.3 with nir 1.0.4 (default /work/sinabsenv/bin/python)
#   SPYX_PYTHON    Spyx 1.0.0 (default /work/spyxenv/bin/python)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
SNNC=$BUILD/bin/snnc
FW_PYTHON=${FW_PYTHON:-/work/fwenv/bin/python}
SINABS_PYTHON=${SINABS_PYTHON:-/work/sinabsenv/bin/python}
SPYX_PYTHON=${SPYX_PYTHON:-/work/spyxenv/bin/python}
CHECK=$HERE/load_export_in_frameworks.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$HERE"

py() {
  case $1 in
  sinabs) echo "$SINABS_PYTHON" ;;
  spyx) echo "$SPYX_PYTHON" ;;
  *) echo "$FW_PYTHON" ;;
  esac
}

# The models: each framework's own fixture imported with its convention, and
# lava-order versions (zero reset keeping the next input, V > theta: what
# snnTorch's and Norse's readers build) of the Spyx LIF and Rockpool CubaLIF
# nets.
"$SNNC" import spyx_lif.nir --convention spyx --steps 20 -o "$T/spyx_lif.h5"
"$SNNC" import sinabs_lif.nir --convention sinabs --steps 20 -o "$T/sinabs_lif.h5" 2>/dev/null
"$SNNC" import sinabs_iaf.nir --convention sinabs --steps 20 -o "$T/sinabs_iaf.h5" 2>/dev/null
"$SNNC" import rockpool_cubalif.nir --convention rockpool --steps 20 -o "$T/rockpool_cubalif.h5"
"$SNNC" import spyx_cubalif.nir --convention spyx --steps 20 -o "$T/spyx_cubalif.h5"
"$SNNC" import norse_lifbox.nir --convention norse --steps 20 -o "$T/norse_lifbox.h5" 2>/dev/null
"$SNNC" import norse_lifcell.nir --convention norse --steps 20 -o "$T/norse_lifcell.h5" 2>/dev/null
"$SNNC" export "$T/spyx_lif.h5" -o "$T/a.mlir"
sed 's/reset = #snn.reset<subtract>/convention = #snn.convention<lava>/' "$T/a.mlir" > "$T/b.mlir"
"$SNNC" export "$T/b.mlir" -o "$T/lava_lif.h5"
"$SNNC" export "$T/rockpool_cubalif.h5" -o "$T/a.mlir"
sed 's/reset = #snn.reset<subtract>, //; s/convention = #snn.convention<reset_first>/convention = #snn.convention<lava>/' "$T/a.mlir" > "$T/b.mlir"
"$SNNC" export "$T/b.mlir" -o "$T/lava_cubalif.h5"

data_of() {
  case $1 in
  spyx_lif | lava_lif) echo spyx_lif_input.h5 ;;
  rockpool_cubalif | lava_cubalif) echo rockpool_cubalif_input.h5 ;;
  *) echo "$1_input.h5" ;;
  esac
}

# case MODEL FW [EXTRA check flags]: --nir-reader FW, and plain --nir-compat.
case_() {
  local model=$1 fw=$2
  shift 2
  local data
  data=$(data_of "$model")
  "$SNNC" run "$T/$model.h5" --data "$data" --quiet --record "$T/$model.rec.h5" >/dev/null 2>&1
  for mode in reader compat; do
    local out=$T/$model.$fw.$mode.nir flags=(--nir-reader "$fw")
    [ $mode = compat ] && flags=(--nir-compat)
    [ $fw = sinabs ] && flags+=(--nir-version 1.0.4)
    local err
    if ! err=$("$SNNC" export "$T/$model.h5" -o "$out" "${flags[@]}" 2>&1); then
      echo "$model -> $fw ($mode): export refused: ${err#*error: }"
      continue
    fi
    local res
    res=$("$(py "$fw")" "$CHECK" "$out" "$fw" --data "$data" --record "$T/$model.rec.h5" "$@" 2>&1 | grep "^$fw: " | tail -1)
    [ -z "$res" ] && res=$("$(py "$fw")" "$CHECK" "$out" "$fw" 2>&1 | tail -1)
    echo "$model -> $fw ($mode${*:+ $*}): ${res#$fw: }"
  done
}

case_ spyx_lif spyx
case_ spyx_cubalif spyx
case_ norse_lifbox norse
case_ norse_lifcell norse
case_ rockpool_cubalif spyx
case_ sinabs_lif sinabs
case_ sinabs_lif sinabs --single-spike
case_ sinabs_iaf sinabs
case_ sinabs_iaf sinabs --single-spike
case_ rockpool_cubalif rockpool
case_ rockpool_cubalif rockpool --single-spike
case_ lava_lif norse
case_ lava_cubalif norse
case_ lava_lif snntorch
case_ lava_cubalif snntorch
case_ spyx_lif snntorch
case_ spyx_lif norse
case_ sinabs_lif spyx
