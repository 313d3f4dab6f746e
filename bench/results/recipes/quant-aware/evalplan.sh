#!/usr/bin/env bash
# evalplan.sh TAG: compile TAG.h5 for loihi2 (test split as --data, as the demo
# does), verify it, append "TAG float plan gap agreement kept" to results.tsv.
tag=$1
cd /work/pg-runs
rm -rf $tag.loihi2
./snnc-pg compile $tag.h5 --target loihi2 --out $tag.loihi2 --data digits/test.h5 \
  --profile-samples 1000000 > $tag.compile.log 2>&1
./snnc-pg verify $tag.h5 $tag.loihi2/plan.h5 --data digits/test.h5 > $tag.verify.txt 2>&1
./snnc-pg verify $tag.h5 $tag.loihi2/plan.h5 --data digits/test.h5 --json > $tag.verify.json 2>/dev/null
python3 - $tag <<'PY'
import json, re, sys
tag = sys.argv[1]
v = json.load(open(f"{tag}.verify.json"))
txt = open(f"{tag}.verify.txt").read()
agree = re.search(r"hidden1\s+([\d.]+)%", txt)
log = open(f"{tag}.train.log").read()
kept = re.search(r"kept epoch (\d+) of (\d+)", log)
fl, pl = 100 * v["float_accuracy"], 100 * v["plan_accuracy"]
row = [tag, f"{fl:.2f}", f"{pl:.2f}", f"{pl - fl:+.2f}", agree.group(1) if agree else "-",
       f"{kept.group(1)}/{kept.group(2)}" if kept else "-", "yes" if v["verified"] else "NO"]
print("\t".join(row))
open("results.tsv", "a").write("\t".join(row) + "\n")
PY
