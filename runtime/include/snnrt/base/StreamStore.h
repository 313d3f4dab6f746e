//===- StreamStore.h - Copies that bypass the cache ------------*- C++ -*-===//
//
// A large array written once and read much later (a spectrum of 34 MB in
// the training engine) costs twice its size in memory traffic with plain
// stores: each cache line is first read, then written back. Non-temporal
// ("streaming") stores write whole lines without reading them. x86 only
// (SSE2, AVX2 or AVX-512, picked by CPU features); elsewhere, and for a
// destination not on a 64-byte boundary or a length not a whole number of
// 64-byte lines, a plain copy.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>

namespace snnrt {

/// Whether streamCopy streams a copy of `bytes` to dst: a start on a
/// 64-byte line and whole lines, on x86.
bool streamable(const void *dst, size_t bytes);

/// dst[i] = src[i] for i < n, with streaming stores where streamable.
void streamCopy(float *dst, const float *src, size_t n);
void streamCopy(double *dst, const double *src, size_t n);

/// Orders the streaming stores before this call before every later store
/// (call once after a run of streamCopy, before other threads read).
void streamFence();

} // namespace snnrt
