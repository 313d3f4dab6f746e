//===- RewiringMath.h - Per-slot arithmetic of DEEP R / RigL ----*- C++ -*-===//
//
// The per-slot maths of rewiring (Rewiring.h), written once as SNNRT_HD
// functions so that the CPU rewirer (runtime/lib/train/Rewiring.cpp) and the CUDA
// kernels (runtime/lib/train/CudaRewiring.cu) compute the same bits:
//
//  - randomness is counter-based: a splitmix64 hash of (seed, epoch, batch,
//    tensor) gives a stream key, and every slot draws from
//    hash(key, slot, stream), so no slot depends on another's draw and the
//    GPU needs no sequential generator;
//  - the DEEP R Gaussian is Box-Muller with log, cos and sin evaluated by
//    series in +, -, *, / and sqrt only, each correctly rounded and never
//    fused (explicit __d*_rn intrinsics on the device): CUDA's and the C
//    library's log/cos differ in the last bit, these do not;
//  - the regrowth choice is "the k smallest (key, slot) pairs", keys from
//    selectionKey (DEEP R, RigL's candidate subset) or gradientKey (RigL),
//    so a stable sort on the key over slots in ascending order (the GPU's
//    radix sort) and the CPU's partial sort pick the same slots.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/HostDevice.h"
#include "snnrt/base/Random.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace snnrt::rewiring {

// ---- Contraction-free double arithmetic ------------------------------------
// nvcc fuses a*b+c into one FMA by default and a host compiler may do so with
// FMA enabled; either changes the last bit. These never fuse.
#if defined(__CUDA_ARCH__)
SNNRT_HD inline double dmul(double a, double b) { return __dmul_rn(a, b); }
SNNRT_HD inline double dadd(double a, double b) { return __dadd_rn(a, b); }
SNNRT_HD inline double dsub(double a, double b) { return __dsub_rn(a, b); }
SNNRT_HD inline double ddiv(double a, double b) { return __ddiv_rn(a, b); }
SNNRT_HD inline double dsqrt(double a) { return __dsqrt_rn(a); }
#else
#if defined(__FMA__) || defined(__aarch64__) || defined(__powerpc__)
// A stored product cannot be fused into the following addition.
inline double dmul(double a, double b) {
  volatile double p = a * b;
  return p;
}
#else
inline double dmul(double a, double b) { return a * b; }
#endif
inline double dadd(double a, double b) { return a + b; }
inline double dsub(double a, double b) { return a - b; }
inline double ddiv(double a, double b) { return a / b; }
inline double dsqrt(double a) { return std::sqrt(a); } // correctly rounded
#endif

// ---- Counter-based randomness ----------------------------------------------

/// splitmix64's finaliser, the one Random.h's streams use.
using snnrt::mix64;

/// The key of one tensor's draws at one optimiser step.
SNNRT_HD inline uint64_t streamKey(uint64_t seed, uint64_t epoch,
                                   uint64_t batch, uint64_t tensor) {
  uint64_t h = mix64(seed ^ 0xDEE9A5C3B1F70E27ull);
  h = mix64(h + (epoch + 1) * kSplitmix64Gamma);
  h = mix64(h + (batch + 1) * 0xD1B54A32D192ED03ull);
  return mix64(h + (tensor + 1) * 0x8CB92BA72F3D8DD7ull);
}

/// What a slot's draw is for (independent streams per slot).
enum Stream : uint64_t {
  kNoiseU1 = 0, ///< Box-Muller's radius
  kNoiseU2 = 1, ///< Box-Muller's angle
  kSelect = 2,  ///< DEEP R regrowth order, RigL candidate subset
};

SNNRT_HD inline uint64_t slotHash(uint64_t key, uint64_t slot,
                                  uint64_t stream) {
  return mix64(key + mix64(slot * 4 + stream + 1) * kSplitmix64Gamma);
}

/// Uniform in (0, 1] with 53 random bits (never 0: the log below).
SNNRT_HD inline double uniformOpenZero(uint64_t h) {
  return double((h >> 11) + 1) * 0x1.0p-53;
}

// ---- log, sin, cos for the Gaussian ----------------------------------------

/// Natural log of x in (0, 1] (normal numbers), |error| ~ 1e-16 relative.
SNNRT_HD inline double logUnit(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int e = int((bits >> 52) & 0x7FF) - 1022; // x = m 2^e, m in [0.5, 1)
  bits = (bits & 0x000FFFFFFFFFFFFFull) | (uint64_t(1022) << 52);
  double m;
  memcpy(&m, &bits, sizeof m);
  if (m < 0.70710678118654752440) { // m in [sqrt(1/2), sqrt(2))
    m = dmul(m, 2.0);
    --e;
  }
  // log m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: 2 s sum s^2k/(2k+1).
  const double s = ddiv(dsub(m, 1.0), dadd(m, 1.0));
  const double s2 = dmul(s, s);
  double sum = ddiv(1.0, 23.0);
  for (int k = 10; k >= 0; --k)
    sum = dadd(dmul(sum, s2), ddiv(1.0, double(2 * k + 1)));
  const double ln2 = 0.69314718055994530942;
  return dadd(dmul(double(e), ln2), dmul(dmul(2.0, s), sum));
}

/// cos(x) and sin(x) for x in [0, pi/4] (Taylor, Horner in x^2).
SNNRT_HD inline double cosSmall(double x) {
  const double x2 = dmul(x, x);
  double c = 1.0;
  for (int k = 10; k >= 1; --k)
    c = dsub(1.0, ddiv(dmul(x2, c), double((2 * k - 1) * (2 * k))));
  return c;
}
SNNRT_HD inline double sinSmall(double x) {
  const double x2 = dmul(x, x);
  double s = 1.0;
  for (int k = 10; k >= 1; --k)
    s = dsub(1.0, ddiv(dmul(x2, s), double((2 * k) * (2 * k + 1))));
  return dmul(x, s);
}

/// cos(2 pi u) for u in [0, 1) a multiple of 2^-53: the quadrant and the
/// fold to [0, pi/4] are exact in turns.
SNNRT_HD inline double cosTurns(double u) {
  const double q4 = dmul(u, 4.0); // exact
  const int q = int(q4);
  double r = dsub(q4, double(q)); // [0, 1) of a quarter turn, exact
  const double halfPi = 1.57079632679489661923;
  // cos(q pi/2 + a): q = 0: cos a, 1: -sin a, 2: -cos a, 3: sin a.
  bool useSin = (q & 1) != 0;
  const bool negative = q == 1 || q == 2;
  if (r > 0.5) { // cos a = sin(pi/2 - a), sin a = cos(pi/2 - a)
    r = dsub(1.0, r);
    useSin = !useSin;
  }
  const double a = dmul(r, halfPi);
  const double v = useSin ? sinSmall(a) : cosSmall(a);
  return negative ? -v : v;
}

/// N(0, 1) for one slot (Box-Muller's cosine branch).
SNNRT_HD inline double gaussian(uint64_t key, uint64_t slot) {
  const double u1 = uniformOpenZero(slotHash(key, slot, kNoiseU1));
  const double u2 = double(slotHash(key, slot, kNoiseU2) >> 11) * 0x1.0p-53;
  return dmul(dsqrt(dmul(-2.0, logUnit(u1))), cosTurns(u2));
}

// ---- Per-slot steps ------------------------------------------------------

/// Steps 1 and 2 of docs/sparse-training.md for one slot: DEEP R's L1 step
/// (`l1Decrement` = lr * l1Step) and noise (`noiseScale` = sqrt(2 lr T)) on a
/// present synapse, then theta = present ? max(theta, 0) : 0.
SNNRT_HD inline float presentStep(float theta, bool present, double l1Decrement,
                                  double noiseScale, uint64_t key,
                                  uint64_t slot) {
  if (!present)
    return 0.0f;
  if (l1Decrement > 0 || noiseScale > 0) {
    double v = dsub(double(theta), l1Decrement);
    if (noiseScale > 0)
      v = dadd(v, dmul(noiseScale, gaussian(key, slot)));
    theta = float(v);
  }
  return theta < 0.0f ? 0.0f : theta; // as std::max(theta, 0.0f)
}

/// Step 3's drop rule: a present synapse the optimiser drove to 0.
SNNRT_HD inline bool dropped(float theta, bool present) {
  return present && theta <= 0.0f;
}

/// Order key of the random choices (DEEP R's regrowth, RigL's candidates):
/// the k smallest (key, slot) pairs are a uniform k-subset.
SNNRT_HD inline uint64_t selectionKey(uint64_t key, uint64_t slot) {
  return slotHash(key, slot, kSelect);
}

/// RigL's order: an unsigned key that sorts like dL/dtheta ascending (most
/// negative first), -0 equal to +0, NaN last.
SNNRT_HD inline uint32_t gradientKey(float g) {
  if (g != g)
    return 0xFFFFFFFFu;
  if (g == 0.0f)
    g = 0.0f; // -0 -> +0
  uint32_t b;
  memcpy(&b, &g, sizeof b);
  return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

/// The selection rule of both: (key, slot) ascending.
SNNRT_HD inline bool selectedBefore(uint64_t keyA, uint64_t slotA,
                                    uint64_t keyB, uint64_t slotB) {
  return keyA != keyB ? keyA < keyB : slotA < slotB;
}

} // namespace snnrt::rewiring
