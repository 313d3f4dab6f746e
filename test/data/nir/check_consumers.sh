#!/usr/bin/env bash
# Exports snnc networks for each framework's NIR reader (`snnc export
# --nir-reader FW`), loads them in the framework itself, runs them on the same
# input as `snnc run`, and counts the spikes that differ
# (load_export_in_frameworks.py). Prints one line per case; docs/nir.md's
# consumer table is this output. CI does not run it (no Python there).
# The delayed cases (last) export per-synapse delays in the delay-expanded
# form (--nir-reader's relay layers, docs/nir.md "Delays for consumers"):
# the fixtures with delays 0..3 on their second projection, and random
# networks (make_delayed_net.py) with delays 0..5 on both projections and
# 0/1 spike inputs; a control runs an expanded file against the undelayed
# model's spikes, which must differ.
#
#   test/data/nir/check_consumers.sh [BUILD_DIR]     (default: build)
#
# Environments (test/data/nir/README.md), overridable:
#   FW_PYTHON      snnTorch, Norse, Rockpool (default /work/fwenv/bin/python)
#   SINABS_PYTHON  Sinabs 3.1.3 with nir 1.0.4 (default /work/sinabsenv/bin/python)
#   SPYX_PYTHON    Spyx 1.0.0 (default /work/spyxenv/bin/python)
#   DEMO_MODEL, DEMO_DATA, DEMO_SAMPLES  optional: also run the README demo
#                  network with its learned delays in Sinabs (last case)
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

# Delays: the fixtures' second projection gets delays (3b + 2a + 1) mod 4.
add_delays() { # IN.mlir OUT.h5
  python3 - "$1" "$T/d.mlir" <<'PY'
import re, sys
text, n = open(sys.argv[1]).read(), [0]
def fix(m):
    n[0] += 1
    if n[0] != 2:
        return m.group(0)
    r, c = int(m.group(1)), int(m.group(2))
    rows = ", ".join("[" + ", ".join(str((3 * b + 2 * a + 1) % 4)
                                      for a in range(c)) + "]" for b in range(r))
    return "delay = dense<[%s]> : tensor<%dx%dxi32>, max_delay = 4" % (rows, r, c)
open(sys.argv[2], "w").write(re.sub(
    r"delay = dense<0> : tensor<(\d+)x(\d+)xi32>, max_delay = 1", fix, text))
PY
  "$SNNC" export "$T/d.mlir" -o "$2"
}
for m in spyx_lif sinabs_lif sinabs_iaf rockpool_cubalif lava_lif; do
  "$SNNC" export "$T/$m.h5" -o "$T/a.mlir"
  add_delays "$T/a.mlir" "$T/${m}_d.h5"
done

# dcase MODEL DATA FW [check flags]: --nir-reader FW with its default
# --delays, or DELAYS="--delays expand" where the form has a condition.
dcase() {
  local model=$1 data=$2 fw=$3
  shift 3
  local out=$T/$model.$fw.nir flags=(--nir-reader "$fw" ${DELAYS:-})
  [ $fw = sinabs ] && flags+=(--nir-version 1.0.4)
  "$SNNC" run "$T/$model.h5" --data "$data" --quiet --record "$T/$model.rec.h5" >/dev/null 2>&1
  local err
  if ! err=$("$SNNC" export "$T/$model.h5" -o "$out" "${flags[@]}" 2>&1); then
    echo "$model -> $fw (delays${DELAYS:+ $DELAYS}): export refused: ${err#*error: }"
    return
  fi
  local size
  size=$(echo "$err" | grep -o 'written as [0-9]* [a-z]* ' | grep -o '[0-9]*' | paste -sd+)
  local res
  res=$("$(py "$fw")" "$CHECK" "$out" "$fw" --data "$data" --record "${RECORD:-$T/$model.rec.h5}" "$@" 2>&1 | grep "^$fw: " | tail -1)
  echo "$model -> $fw (delays, ${size} relays${DELAYS:+, $DELAYS}${*:+, $*}${RECORD:+, against $(basename "$RECORD")}): ${res#$fw: }"
}

dcase spyx_lif_d spyx_lif_input.h5 spyx
dcase lava_lif_d spyx_lif_input.h5 norse
dcase lava_lif_d spyx_lif_input.h5 snntorch
dcase rockpool_cubalif_d rockpool_cubalif_input.h5 rockpool --single-spike
dcase rockpool_cubalif_d rockpool_cubalif_input.h5 spyx
dcase sinabs_lif_d sinabs_lif_input.h5 sinabs --single-spike
DELAYS="--delays expand" dcase sinabs_lif_d sinabs_lif_input.h5 sinabs --single-spike
DELAYS="--delays expand" dcase sinabs_iaf_d sinabs_iaf_input.h5 sinabs --single-spike
# Sinabs's analog relays (leak-free LI): delays from the fixture's analog
# input too.
"$SNNC" export "$T/sinabs_lif_d.h5" -o "$T/a.mlir"
sed 's/delay = dense<0> : tensor<5x3xi32>, max_delay = 1/delay = dense<[[0, 1, 2], [2, 1, 0], [1, 1, 1], [0, 0, 2], [2, 2, 2]]> : tensor<5x3xi32>, max_delay = 3/' "$T/a.mlir" > "$T/b.mlir"
"$SNNC" export "$T/b.mlir" -o "$T/sinabs_lif_in.h5"
DELAYS="--delays expand" dcase sinabs_lif_in sinabs_lif_input.h5 sinabs --single-spike

# Random networks, delays on both projections (the first leaves the input:
# 0/1 spike frames, so --delays expand).
for n in lava paper reset_first cuba; do
  "$FW_PYTHON" make_delayed_net.py "$T/r_$n.mlir" "$T/r_${n}_input.h5" --neuron $n
  "$SNNC" export "$T/r_$n.mlir" -o "$T/r_$n.h5"
done
dcase r_lava "$T/r_lava_input.h5" norse
DELAYS="--delays expand" dcase r_lava "$T/r_lava_input.h5" norse
DELAYS="--delays expand" dcase r_paper "$T/r_paper_input.h5" spyx
DELAYS="--delays expand" dcase r_reset_first "$T/r_reset_first_input.h5" sinabs --single-spike
DELAYS="--delays expand" dcase r_cuba "$T/r_cuba_input.h5" rockpool --single-spike
DELAYS="--delays expand" dcase r_cuba "$T/r_cuba_input.h5" spyx

# Control: the expanded export of lava_lif_d against the spikes of the
# undelayed lava_lif must differ, or the check could not see delays.
RECORD=$T/lava_lif.rec.h5 dcase lava_lif_d spyx_lif_input.h5 norse

# The README demo network, when given (DEMO_MODEL=out/demo/model.h5
# DEMO_DATA=out/demo/digits/test.h5, DEMO_SAMPLES=3): no reader builds its
# hidden neuron (hard reset after the decay), so the hidden layer's reset is
# changed to Sinabs's (subtract before the decay), the rest kept: analog
# input, every learned delay (relayed by LI and IF relays), the LI readout.
# Run in Sinabs, stepped, on the first DEMO_SAMPLES test samples.
if [ -n "${DEMO_MODEL:-}" ]; then
  "$SNNC" export "$DEMO_MODEL" -o "$T/demo.mlir"
  python3 - "$T/demo.mlir" "$T/demo_sb.mlir" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def fix(m):
    attrs = re.sub(r"(reset|convention) = #snn\.[a-z_]+<[a-z_]+>, ", "", m.group(2))
    return (m.group(1) + "convention = #snn.convention<reset_first>, "
            "reset = #snn.reset<subtract>, " + attrs)
open(sys.argv[2], "w").write(re.sub(r"(snn\.lif @\S+ \{)([^}]*)", fix, text))
PY
  "$SNNC" export "$T/demo_sb.mlir" -o "$T/demo_sb.h5"
  DELAYS="--delays expand" dcase demo_sb "$DEMO_DATA" sinabs --single-spike --samples "${DEMO_SAMPLES:-3}"
fi
