#!/usr/bin/env bash
# recipe-seeds.sh: one row of the recipe x seed table in docs/training.md.
#   bench/recipe-seeds.sh RECIPE SEED [extra snnc train options...]
# Trains on the built-in digits (generated once into $DIR/digits), compiles
# the kept network for loihi2 with the test split as --data, verifies the
# plan against it (levels 1-4, as scripts/snnc-demo does) and appends one
# line to $DIR/table.tsv: recipe, seed, options, kept epoch / epochs run,
# validation and test accuracy of the kept epoch, float and plan accuracy
# from snnc verify, training wall time. Logs go to $DIR/RECIPE-sSEED.*.
# Environment: SNNC (the snnc binary, default build/bin/snnc), DIR (default
# out/recipes), THREADS (default 2), TAG (names the run, default RECIPE).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
recipe=$1 seed=$2
shift 2
snnc=${SNNC:-$here/build/bin/snnc}
dir=${DIR:-$here/out/recipes}
tag=${TAG:-$recipe}-s$seed
mkdir -p "$dir"
[[ -f $dir/digits/test.h5 ]] || "$snnc" data digits --out "$dir/digits"
rm -f "$dir/$tag.h5" "$dir/$tag.h5.ckpt" "$dir/$tag.h5.ckpt.best"
echo "# $(date -u +%FT%TZ) snnc train --recipe $recipe --seed $seed --threads ${THREADS:-2} $*" \
  | tee "$dir/$tag.train.log"
t0=$(date +%s)
"$snnc" train --recipe "$recipe" --seed "$seed" --threads "${THREADS:-2}" \
  --train "$dir/digits/train.h5" --test "$dir/digits/test.h5" \
  --out "$dir/$tag.h5" "$@" | tee -a "$dir/$tag.train.log"
t1=$(date +%s)
rm -rf "$dir/$tag.loihi2"
"$snnc" compile "$dir/$tag.h5" --target loihi2 --out "$dir/$tag.loihi2" \
  --data "$dir/digits/test.h5" --profile-samples 1000000 > "$dir/$tag.compile.log" 2>&1
set +e
"$snnc" verify "$dir/$tag.h5" "$dir/$tag.loihi2/plan.h5" \
  --data "$dir/digits/test.h5" --json > "$dir/$tag.verify.json"
set -e
python3 - "$dir" "$tag" "$recipe" "$seed" "$((t1 - t0))" "$*" <<'PY'
import json, re, sys
d, tag, recipe, seed, secs, opts = sys.argv[1:]
v = json.load(open(f"{d}/{tag}.verify.json"))
log = open(f"{d}/{tag}.train.log").read()
m = re.search(r"kept epoch (\d+) of (\d+)", log)
kept, ran = (m.group(1), m.group(2)) if m else ("-", "-")
val = test = "-"
for line in log.splitlines():
    e = re.match(r"epoch\s+(\d+)/", line)
    if e and e.group(1) == kept:
        val = re.search(r"val\s+([\d.]+)%", line).group(1)
        test = re.search(r"test\s+([\d.]+)%", line).group(1)
row = [recipe, seed, opts or "-", f"{kept}/{ran}", val, test,
       f"{100 * v['float_accuracy']:.2f}", f"{100 * v['plan_accuracy']:.2f}",
       "yes" if v["verified"] else "NO", f"{int(secs) // 60}m{int(secs) % 60:02d}s"]
print("\t".join(row))
with open(f"{d}/table.tsv", "a") as f:
    f.write("\t".join(row) + "\n")
PY
