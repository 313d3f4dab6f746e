#!/usr/bin/env bash
# Collects what bench/gpu-check.sh needs on the GPU machine into one
# folder: the runtime-only binaries (gpu-bench, snnrt-cuda-tests; no LLVM),
# the shared libraries they load except glibc and the NVIDIA driver (found
# with ldd), a small built-in digits dataset, a plan compiled from a model
# trained on it, gpu-check.sh and torch_reference.py. The GPU machine has no
# Debian packages, no espeak-ng and no network, so everything is made here.
#
#   bench/gpu-bundle.sh [BUILD_DIR [OUT_DIR]]      (defaults: build, BUILD_DIR/gpu-bundle)
#
# BUILD_DIR must be configured with -DSNNC_ENABLE_CUDA=ON and built (snnc,
# gpu-bench, snnrt-cuda-tests). Environment: SNNC_BUNDLE_TRAIN (training
# samples, default 512), SNNC_BUNDLE_TEST (256), SNNC_BUNDLE_DATA (a folder
# with train.h5/test.h5 to reuse instead of synthesising), SNNC_BUNDLE_TARGET
# (loihi2). Fails when the folder exceeds 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-$BUILD/gpu-bundle}
NTRAIN=${SNNC_BUNDLE_TRAIN:-512}
NTEST=${SNNC_BUNDLE_TEST:-256}
TARGET=${SNNC_BUNDLE_TARGET:-loihi2}
LIMIT=$((64 * 1024 * 1024))

for b in snnc gpu-bench snnrt-cuda-tests; do
  [[ -x $BUILD/bin/$b ]] || { echo "gpu-bundle: $BUILD/bin/$b missing (ninja -C $BUILD $b)" >&2; exit 2; }
done
if ! "$BUILD/bin/gpu-bench" | grep -q '"cuda_built": true'; then
  echo "gpu-bundle: $BUILD was configured without CUDA (-DSNNC_ENABLE_CUDA=ON)" >&2
  exit 2
fi
rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/data"

echo "gpu-bundle: data ($NTRAIN train / $NTEST test built-in digits)"
if [[ -n ${SNNC_BUNDLE_DATA:-} ]]; then
  cp "$SNNC_BUNDLE_DATA/train.h5" "$SNNC_BUNDLE_DATA/test.h5" "$OUT/data/"
else
  "$BUILD/bin/snnc" data digits --out "$OUT/data" --train "$NTRAIN" --test "$NTEST" --quiet
fi
echo "gpu-bundle: a model (1 epoch, CPU) and its $TARGET plan"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BUILD/bin/snnc" train --train "$OUT/data/train.h5" --out "$tmp/model.h5" \
  --epochs 1 --quiet --checkpoint "$tmp/model.ckpt"
"$BUILD/bin/snnc" compile "$tmp/model.h5" --target "$TARGET" --out "$tmp/plan" >/dev/null
cp "$tmp/plan/plan.h5" "$OUT/data/plan.h5"

echo "gpu-bundle: binaries and libraries"
cp "$BUILD/bin/gpu-bench" "$BUILD/bin/snnrt-cuda-tests" "$OUT/bin/"
strip --strip-unneeded "$OUT/bin/"* 2>/dev/null || true
# Everything ldd resolves except glibc's own libraries and the driver, which
# the GPU machine provides (libcuda.so.1 comes with its NVIDIA driver; the
# CUDA runtime is linked statically).
for b in "$OUT/bin/"*; do
  ldd "$b" | awk '/=> \// {print $3}'
done | sort -u | while read -r lib; do
  case $(basename "$lib") in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|libcuda.so*|libresolv.so*) ;;
    *) cp -L "$lib" "$OUT/lib/" ;;
  esac
done
strip --strip-unneeded "$OUT/lib/"* 2>/dev/null || true
# OpenBLAS alone is 36 MB and HDF5 brings curl, Kerberos and TLS: 61 MB in
# all, so the libraries travel gzipped (21 MB) and gpu-check.sh unpacks them
# into a temporary folder (tar, or python3's tarfile where tar is missing).
tar -czf "$OUT/lib.tar.gz" -C "$OUT" lib
rm -rf "$OUT/lib"
cp bench/gpu-check.sh bench/torch_reference.py "$OUT/"
chmod +x "$OUT/gpu-check.sh"

size=$(du -sb "$OUT" | cut -f1)
printf 'gpu-bundle: %s, %.1f MiB (limit 64 MiB)\n' "$OUT" "$(echo "$size / 1048576" | bc -l)"
du -sh "$OUT"/* | sed 's/^/  /'
if (( size > LIMIT )); then
  echo "gpu-bundle: over 64 MiB; lower SNNC_BUNDLE_TRAIN / SNNC_BUNDLE_TEST" >&2
  exit 1
fi
echo "gpu-bundle: on the GPU machine run: $OUT/gpu-check.sh"
