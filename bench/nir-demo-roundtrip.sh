#!/usr/bin/env bash
# The README demo model through NIR and back, on its whole test split:
# export (per-synapse delays as Delay nodes, docs/nir.md §3) → import →
# `snnc run`, and `snnc run` on the .nir directly, each compared with the
# original model's run: accuracy, spikes per population, and every recorded
# spike (`--record`, compared event for event with h5py when a Python with
# h5py is given, else by the spike counts only).
#
#   bench/nir-demo-roundtrip.sh MODEL.h5 TEST.h5 [BUILD_DIR]
#
# MODEL.h5: scripts/snnc-demo's out/demo/model.h5 (or `snnc train` with its
# settings); TEST.h5: out/demo/digits/test.h5. PYTHON (default: the vendors'
# venv, which has h5py) compares the recordings.
set -euo pipefail
model=$1 data=$2
BUILD=${3:-build}
snnc=$BUILD/bin/snnc
PYTHON=${PYTHON:-$BUILD/vendors-venv/bin/python}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The model's dt (ms) and T for the import, from its MLIR form.
"$snnc" export "$model" -o "$T/model.mlir"
dt_s=$(grep -o 'dt = [0-9.e+-]*' "$T/model.mlir" | head -1 | cut -d' ' -f3)
steps=$(grep -o 'steps = [0-9]*' "$T/model.mlir" | head -1 | cut -d' ' -f3)
decay=$(grep -q 'decay = #snn.decay<exp>' "$T/model.mlir" && echo exp || echo linear)
dt_ms=$(python3 -c "print(repr(float('$dt_s') * 1000))")
echo "model: dt = $dt_ms ms, T = $steps, decay $decay"

"$snnc" export "$model" -o "$T/model.nir"
"$snnc" import "$T/model.nir" --dt-ms "$dt_ms" --decay "$decay" --steps "$steps" -o "$T/back.h5"
if [ -x "$PYTHON" ]; then
  "$PYTHON" - "$T/model.nir" <<'PY'
import collections, sys
import h5py
f = h5py.File(sys.argv[1], "r")
nodes = f["node/nodes"]
kinds = collections.Counter(nodes[n]["type"][()].decode() for n in nodes)
print("NIR graph: %d nodes (%s)" % (sum(kinds.values()), ", ".join(
    "%d %s" % (c, k) for k, c in sorted(kinds.items()))))
PY
fi

run() { # NAME FILE [import options]
  local name=$1 file=$2
  shift 2
  "$snnc" run "$file" "$@" --data "$data" --quiet --json --record "$T/$name.rec.h5" > "$T/$name.json"
  python3 - "$name" "$T/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
pops = ", ".join("%s %d" % (p["name"], p["spikes"]) for p in r["populations"])
print("%-9s accuracy %.2f%% (%d samples); spikes: %s"
      % (sys.argv[1], 100 * r["accuracy"], r["samples"], pops))
PY
}
run original "$model"
run imported "$T/back.h5"
run direct "$T/model.nir" --dt-ms "$dt_ms" --decay "$decay" --steps "$steps"

status=0
for other in imported direct; do
  if ! python3 - "$T/original.json" "$T/$other.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
same = a["accuracy"] == b["accuracy"] and \
    [(p["name"], p["spikes"]) for p in a["populations"]] == \
    [(p["name"], p["spikes"]) for p in b["populations"]]
sys.exit(0 if same else 1)
PY
  then
    echo "$other: accuracy or spike counts differ from the original"
    status=1
  fi
  if [ -x "$PYTHON" ]; then
    "$PYTHON" - "$T/original.rec.h5" "$T/$other.rec.h5" "$other" <<'PY' || status=1
import sys
import h5py
import numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
diff = 0
for name in a["populations"]:
    ga, gb = a["populations"][name], b["populations"][name]
    for key in ("sample_ptr", "step", "neuron"):
        if not np.array_equal(ga[key][()], gb[key][()]):
            print("%s: population %s: %s differs" % (sys.argv[3], name, key))
            diff += 1
events = sum(len(a["populations"][n]["step"]) for n in a["populations"])
print("%s: %s (%d recorded events compared)"
      % (sys.argv[3], "every spike equal" if not diff else "spikes differ",
         events))
sys.exit(1 if diff else 0)
PY
  fi
done
exit $status
