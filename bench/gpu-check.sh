#!/usr/bin/env bash
# The GPU check, prepared to run in under 8 minutes on the H200
# machine from the folder bench/gpu-bundle.sh makes (no Debian packages, no
# LLVM, no network needed there):
#   1. the device (nvidia-smi, driver and runtime versions);
#   2. the CUDA tests (test/unit/device): integer plan CPU vs CUDA bit-exact;
#      float forward, gradients and one training epoch within the
#      tolerances stated in CudaBackendTest.cpp; the Adam kernel; DEEP R /
#      RigL rewiring kernels bit-exact to the CPU (CudaRewiringTest.cpp);
#   3. timings: one training epoch of the paper's network (40 -> 256 -> 20,
#      T = 100, Dmax 25, batch 256, DCLS) on the bundled digits on CUDA, and
#      on the CPU for comparison; plan execution throughput, CUDA and CPU;
#   4. the same model and epoch in PyTorch on the same GPU
#      (torch_reference.py) and the ratio of the two epoch times.
# Output: the JSON lines of each step and a summary; everything is also
# written to $OUT_DIR (default ./gpu-check-results, or $OUT when set).
# Exit code: 0 when the tests pass, 1 when a test fails, 6 without a GPU
# (after running the tests, which then report "skipped: no GPU").
# Run from a build tree instead with: GPU_CHECK_BIN=build/bin GPU_CHECK_DATA=DIR
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${GPU_CHECK_BIN:-$HERE/bin}
DATA=${GPU_CHECK_DATA:-$HERE/data}
RES=${OUT:-${OUT_DIR:-$PWD/gpu-check-results}}
mkdir -p "$RES"
LIB=$HERE/lib
if [[ ! -d $LIB && -f $HERE/lib.tar.gz ]]; then # gpu-bundle.sh gzips them
  LIB=$(mktemp -d "${TMPDIR:-/tmp}/snnc-gpu-lib.XXXXXX")/lib
  tar -xzf "$HERE/lib.tar.gz" -C "$(dirname "$LIB")" 2>/dev/null ||
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
      "$HERE/lib.tar.gz" "$(dirname "$LIB")"
fi
export LD_LIBRARY_PATH="$LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
THREADS=$(nproc 2>/dev/null || echo 4)
log() { echo "== $*" | tee -a "$RES/summary.txt"; }
: > "$RES/summary.txt"
start=$(date +%s)

log "1. device"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$RES/summary.txt"
else
  echo "nvidia-smi: not found" | tee -a "$RES/summary.txt"
fi
timeout 60 "$BIN/gpu-bench" | tee "$RES/device.json"
gpus=$(grep -o '"gpus": [0-9]*' "$RES/device.json" | grep -o '[0-9]*$' || echo 0)

log "2. CUDA tests (CPU vs CUDA)"
timeout 240 "$BIN/snnrt-cuda-tests" --gtest_color=no > "$RES/tests.txt" 2>&1
tests_rc=$?
# Each test's result, the failures' details, then gtest's totals.
grep -E '^\[ +(OK|FAILED) +\] [A-Za-z]|^\[  SKIPPED \] [A-Za-z].*\(|Failure|Expected|Which is|skipped: no GPU' "$RES/tests.txt" | sort -u | head -60
sed -n '/test suites\? ran/,$p' "$RES/tests.txt" | tee -a "$RES/summary.txt"

if [[ ${gpus:-0} -eq 0 ]]; then
  log "no usable GPU: CUDA tests skipped; timings not run"
  exit $(( tests_rc ? 1 : 6 ))
fi

log "3a. training epoch, CUDA ($DATA/train.h5)"
raw=$(mktemp -d)
timeout 150 "$BIN/gpu-bench" --train "$DATA/train.h5" --device cuda --export-raw "$raw" \
  | grep train-epoch | tee "$RES/epoch-cuda.json"
log "3b. training epoch, CPU ($THREADS threads)"
timeout 150 "$BIN/gpu-bench" --train "$DATA/train.h5" --device cpu --threads "$THREADS" \
  | grep train-epoch | tee "$RES/epoch-cpu.json"
log "3c. plan throughput ($DATA/plan.h5 on $DATA/test.h5)"
timeout 120 "$BIN/gpu-bench" --plan "$DATA/plan.h5" --data "$DATA/test.h5" --threads "$THREADS" \
  | grep '"plan"' | tee "$RES/plan.json"

log "4. PyTorch reference, same model and data"
if command -v python3 >/dev/null; then
  timeout 180 python3 "$HERE/torch_reference.py" --raw "$raw" | tee "$RES/torch.json"
else
  echo '{"what": "torch-epoch", "error": "no python3"}' | tee "$RES/torch.json"
fi
rm -rf "$raw"

sec() { grep -o '"seconds": [0-9.e+-]*' "$1" 2>/dev/null | head -1 | awk '{print $2}'; }
cu=$(sec "$RES/epoch-cuda.json"); th=$(sec "$RES/torch.json")
log "summary"
{
  echo "snnc CUDA epoch:    ${cu:-n/a} s"
  echo "PyTorch epoch:      ${th:-n/a} s"
  if [[ -n ${cu:-} && -n ${th:-} ]]; then
    awk -v a="$th" -v b="$cu" 'BEGIN { printf "ratio PyTorch / snnc: %.2f (above 1: snnc faster)\n", a / b }'
  fi
  echo "tests exit code:    $tests_rc"
  echo "wall time:          $(( $(date +%s) - start )) s"
} | tee -a "$RES/summary.txt"
exit $(( tests_rc ? 1 : 0 ))
