#!/usr/bin/env bash
# The paper's network (40 -> 256 -> 20, learned delays) on the built-in spoken
# digits, through Lava: train it for 12 epochs, sigma annealed over 9, seed 1
# (what scripts/snnc-demo ran before it moved to `--recipe fast`), compile for
# loihi2 (plan.h5 + paper.netx.h5), then `snnc verify --vendor lava` on
# SAMPLES test samples: every hidden spike and readout voltage of Lava's
# fixed-point run against the plan, and the accuracy of the float model, the
# plan and Lava side by side.
#
#   bench/lava-paper-network.sh [SAMPLES] [BUILD_DIR]     (default 100)
#
# Writes into ${SNNC_LAVA_PAPER_DIR:-out/lava-paper} and reuses the data and
# the trained model found there. Needs the vendors venv or SNNC_VENDOR_PYTHON.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
samples=${1:-100}
build=$(cd "${2:-$here/build}" && pwd)
py=${SNNC_VENDOR_PYTHON:-$build/vendors-venv/bin/python}
snnc=$build/bin/snnc
out=${SNNC_LAVA_PAPER_DIR:-$here/out/lava-paper}
mkdir -p "$out"
SECONDS=0
[[ -f $out/digits/test.h5 ]] || "$snnc" data digits --out "$out/digits"
if [[ ! -f $out/model.h5 ]]; then
  # --recipe paper: every other setting the paper's (no validation split), as
  # in the measured run (bench/README.md); --recipe fast would hold out 10 %.
  "$snnc" train --recipe paper --train "$out/digits/train.h5" --test "$out/digits/test.h5" \
    --out "$out/model.h5" --epochs 12 --sigma-epochs 9 --delays learn --seed 1
fi
echo "lava-paper-network: data and training ready after $SECONDS s"
rm -rf "$out/loihi2"
"$snnc" compile "$out/model.h5" --target loihi2 --out "$out/loihi2" --quiet
set +e
"$snnc" verify "$out/model.h5" "$out/loihi2/plan.h5" --data "$out/digits/test.h5" \
  --samples "$samples" --vendor lava --vendor-python "$py" --vendor-samples "$samples" | tee "$out/verify.txt"
rc=${PIPESTATUS[0]}
set -e
echo "lava-paper-network: $samples samples, $SECONDS s in all (exit $rc)"
exit "$rc"
