//===- StreamStore.cpp - Copies that bypass the cache ---------------------===//

#include "snnrt/base/StreamStore.h"

#include <algorithm>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SNNRT_STREAM_X86 1
#endif

namespace snnrt {

namespace {

#ifdef SNNRT_STREAM_X86
// Each copies whole 64-byte lines: dst aligned, n a multiple of a line.
__attribute__((target("avx512f"))) void lines512(float *dst, const float *src,
                                                 size_t n) {
  for (size_t i = 0; i < n; i += 16)
    _mm512_stream_ps(dst + i, _mm512_loadu_ps(src + i));
}
__attribute__((target("avx"))) void lines256(float *dst, const float *src,
                                             size_t n) {
  for (size_t i = 0; i < n; i += 8)
    _mm256_stream_ps(dst + i, _mm256_loadu_ps(src + i));
}
void lines128(float *dst, const float *src, size_t n) {
  for (size_t i = 0; i < n; i += 4)
    _mm_stream_ps(dst + i, _mm_loadu_ps(src + i));
}

// 2: AVX-512, 1: AVX, 0: SSE2 (every x86-64).
int level() {
  static const int l = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
      return 2;
    return __builtin_cpu_supports("avx") ? 1 : 0;
  }();
  return l;
}

// Moves only (no arithmetic), so any type's lines go through as floats.
void copyLines(float *dst, const float *src, size_t n) {
  switch (level()) {
  case 2:
    lines512(dst, src, n);
    break;
  case 1:
    lines256(dst, src, n);
    break;
  default:
    lines128(dst, src, n);
    break;
  }
}
#endif

template <typename Real>
void streamCopyImpl(Real *dst, const Real *src, size_t n) {
#ifdef SNNRT_STREAM_X86
  if (streamable(dst, n * sizeof(Real))) {
    copyLines(reinterpret_cast<float *>(dst),
              reinterpret_cast<const float *>(src),
              n * sizeof(Real) / sizeof(float));
    return;
  }
#endif
  std::copy_n(src, n, dst);
}

} // namespace

bool streamable(const void *dst, size_t bytes) {
#ifdef SNNRT_STREAM_X86
  return (reinterpret_cast<uintptr_t>(dst) % 64) == 0 && bytes % 64 == 0;
#else
  (void)dst;
  (void)bytes;
  return false;
#endif
}

void streamCopy(float *dst, const float *src, size_t n) {
  streamCopyImpl(dst, src, n);
}
void streamCopy(double *dst, const double *src, size_t n) {
  streamCopyImpl(dst, src, n);
}

void streamFence() {
#ifdef SNNRT_STREAM_X86
  _mm_sfence();
#endif
}

} // namespace snnrt
