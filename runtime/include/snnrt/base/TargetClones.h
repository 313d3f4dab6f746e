//===- TargetClones.h - One function for several x86 levels ---*- C++ -*-===//
//
// SNNRT_CLONES before a (non-template) function compiles it for AVX-512,
// AVX2 and baseline x86-64; the loader picks one by CPU features, so one
// binary runs everywhere and uses the wide vectors where they exist. GCC
// only (clang's target_clones differs); elsewhere a plain function.
//
//===----------------------------------------------------------------------===//
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SNNRT_CLONES                                                           \
  __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SNNRT_CLONES
#endif
