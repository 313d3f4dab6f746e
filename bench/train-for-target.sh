#!/usr/bin/env bash
# Train for the target (SNN-F13): the paper's network on the built-in digits,
# trained twice for 12 epochs, sigma annealed over 9, learned delays, seed 1
# (what scripts/snnc-demo ran before it moved to `--recipe fast`), once with the paper's float
# neuron and once with Lava's (--neuron-convention lava); each model is
# compiled for loihi2 (arithmetic lava-cuba) and verified on the whole test
# set. Prints the float and plan test accuracy of both and the loss in
# percentage points.
#
#   bench/train-for-target.sh [BUILD_DIR] [OUT_DIR]
#
# SNNC_BENCH_EPOCHS / SNNC_BENCH_SIGMA_EPOCHS / SNNC_BENCH_SEED / SNNC_BENCH_TARGET
# change the settings; an existing OUT_DIR/<convention>/model.h5 is reused
# (delete it to retrain). Run it under `nice -n 10` on a shared machine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
out=${2:-$here/out/train-for-target}
epochs=${SNNC_BENCH_EPOCHS:-12}
sigmaEpochs=${SNNC_BENCH_SIGMA_EPOCHS:-9}
seed=${SNNC_BENCH_SEED:-1}
target=${SNNC_BENCH_TARGET:-loihi2}
snnc=$build/bin/snnc
mkdir -p "$out"

if [[ ! -f $out/digits/test.h5 ]]; then
  "$snnc" data digits --out "$out/digits" >/dev/null
fi

for conv in paper lava; do
  d=$out/$conv
  mkdir -p "$d"
  if [[ ! -f $d/model.h5 ]]; then
    echo "== train ($conv convention, $epochs epochs, seed $seed)" >&2
    SECONDS=0
    # --recipe paper: the paper's other settings (no validation split), as measured.
    "$snnc" train --recipe paper --train "$out/digits/train.h5" --test "$out/digits/test.h5" \
      --out "$d/model.h5" --epochs "$epochs" --sigma-epochs "$sigmaEpochs" \
      --delays learn --seed "$seed" --neuron-convention "$conv" \
      >"$d/train.log"
    echo "$SECONDS" >"$d/train-seconds"
  fi
  echo "== compile for $target and verify ($conv)" >&2
  rm -rf "$d/$target"
  "$snnc" compile "$d/model.h5" --target "$target" --out "$d/$target" \
    --data "$out/digits/test.h5" >"$d/compile.txt" 2>"$d/compile.err"
  # verify exits non-zero when a level fails; the accuracies are still in
  # the JSON, and the table reports whether the plan was verified.
  "$snnc" verify "$d/model.h5" "$d/$target/plan.h5" \
    --data "$out/digits/test.h5" --json >"$d/verify.json" || true
done

python3 - "$out" "$target" "$epochs" "$seed" <<'PY'
import json, sys
out, target, epochs, seed = sys.argv[1:5]
print(f"paper network, built-in digits, {epochs} epochs, seed {seed}, "
      f"compiled for {target}; test accuracy")
print(f"| convention | float model | {target} plan | loss (points) | "
      f"convention warnings | plan verified |")
print("|---|---|---|---|---|---|")
for conv in ("paper", "lava"):
    v = json.load(open(f"{out}/{conv}/verify.json"))
    fa, pa = 100 * v["float_accuracy"], 100 * v["plan_accuracy"]
    warnings = sum("neuron convention" in line
                   for line in open(f"{out}/{conv}/compile.err"))
    print(f"| {conv} | {fa:.2f} % | {pa:.2f} % | {fa - pa:+.2f} | {warnings} | "
          f"{'yes' if v['verified'] else 'no'} |")
PY
