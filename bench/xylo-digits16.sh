#!/usr/bin/env bash
# A network for Xylo Audio trained on the built-in digits at Xylo's shape, and
# the accuracy of the float model, snnc's plan and XyloSim side by side.
#
#   bench/xylo-digits16.sh [WORK_DIR] [BUILD_DIR]
#
# 1. snnc data digits --channels 16 --classes 8 (16 log-mel bands = Xylo's 16
#    inputs; English 0-7 = 8 outputs);
# 2. snnc train: 64 hidden neurons, delays < 6 (relays: (16 + 64) x 5 = 400,
#    so 464 of Xylo's 1000 hidden neurons), subtractive reset and tau = 8
#    steps (Xylo's dash 3: v -= v >> 3 is the linear decay 1 - 1/8), input
#    scale 15 (a frame in [0, 1] becomes 0..15 events, Xylo's most per step);
# 3. snnc compile --target xylo-audio (plan.h5 + NAME.xylo.npz/.xylo.json);
# 4. snnc verify --vendor xylosim on TEST_SAMPLES test samples (default 100):
#    every hidden spike count and Vmem_out against XyloSim, and the accuracy of
#    each.
# Environment: EPOCHS (30), TRAIN (4000), TEST (1000), TEST_SAMPLES (100),
# SNNC_VENDOR_PYTHON (default BUILD_DIR/vendors-venv/bin/python).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-/tmp/xylo-digits16}
build=$(cd "${2:-$here/build}" && pwd)
snnc=$build/bin/snnc
py=${SNNC_VENDOR_PYTHON:-$build/vendors-venv/bin/python}
epochs=${EPOCHS:-30} ntrain=${TRAIN:-4000} ntest=${TEST:-1000} nverify=${TEST_SAMPLES:-100}
mkdir -p "$work"  # data digits wants the parent of --out to exist
start=$SECONDS
if [[ ! -f $work/data/test.h5 ]]; then
  "$snnc" data digits --channels 16 --classes 8 --train "$ntrain" --test "$ntest" \
    --quiet --out "$work/data"
fi
if [[ ! -f $work/model.h5 ]]; then
  "$snnc" train --train "$work/data/train.h5" --test "$work/data/test.h5" \
    --out "$work/model.h5" --epochs "$epochs" --hidden 64 --max-delay 6 \
    --tau-mem 8 --reset subtract --decay linear --input-scale 15 \
    --no-batchnorm --quiet
fi
rm -rf "$work/xylo"
"$snnc" compile "$work/model.h5" --target xylo-audio --out "$work/xylo" \
  --data "$work/data/test.h5" --quiet
ls "$work/xylo"
set +e
"$snnc" verify "$work/model.h5" "$work/xylo/plan.h5" --data "$work/data/test.h5" \
  --samples "$nverify" --vendor xylosim --vendor-python "$py" \
  --vendor-samples "$nverify" --json > "$work/verify.json" 2>"$work/verify.log"
rc=$?
set -e
"$py" - "$work/verify.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for l in r["levels"]:
    print(f'level {l["level"]} {l["check"]}: {l["result"]} {l["detail"]}')
v = r.get("vendor") or {}
xs = f'{100 * v["accuracy"]:.2f} %' if v.get("accuracy") is not None else "not measured"
print(f'xylo-digits16: {r["samples"]} test samples: float {100 * r["float_accuracy"]:.2f} %, '
      f'plan {100 * r["plan_accuracy"]:.2f} %, XyloSim {xs}')
PY
echo "xylo-digits16: verify exit $rc; $((SECONDS - start)) s"
exit $rc
