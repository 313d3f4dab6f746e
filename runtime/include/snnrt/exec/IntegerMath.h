//===- IntegerMath.h - Per-element arithmetic of the integer rules -*- C++ -*-===//
//
// The integer semantics (docs/semantics.md, SNN-I1..SNN-I8) element by
// element. Every executor of an integer network — the flat reference, the
// core-level plan executor, and the CUDA kernels — calls these functions, so
// they agree bit for bit by construction and a CPU test exercises the GPU's
// arithmetic. Header-only; `SNNRT_HD` marks them callable from device code.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define SNNRT_HD __host__ __device__
#else
#define SNNRT_HD
#endif

namespace snnrt::intmath {

/// SNN-I1: saturate to a signed `bits`-bit integer (2 <= bits <= 63).
SNNRT_HD inline int64_t sat(int64_t x, uint32_t bits) {
  const int64_t hi = (int64_t(1) << (bits - 1)) - 1;
  const int64_t lo = -hi - 1;
  return x < lo ? lo : (x > hi ? hi : x);
}

/// SNN-I2: one input value, x = sat16(rne(scale · in)), computed in double.
SNNRT_HD inline int64_t inputValue(double scale, double in) {
  double r = std::nearbyint(scale * in); // default rounding: half to even
  if (r > 32767.0)
    return 32767;
  if (r < -32768.0)
    return -32768;
  return static_cast<int64_t>(r);
}

/// SNN-I4: dec_d(v) = sign(v) · ((|v| · (4096 − d)) >> 12), rounding the
/// magnitude down (toward zero); d in [0, 4096].
SNNRT_HD inline int64_t decayMul12(int64_t v, int64_t d) {
  int64_t magnitude = v < 0 ? -v : v;
  int64_t kept = (magnitude * (4096 - d)) >> 12;
  return v < 0 ? -kept : kept;
}

/// SNN-I5: dec_k(v) = v − (v >> k) with a flooring shift; k in [0, 31]
/// (k = 0 zeroes the state).
SNNRT_HD inline int64_t decayShift(int64_t v, int64_t k) {
  return v - (v >> k);
}

enum class DecayKind : uint8_t { Mul12, Shift };

SNNRT_HD inline int64_t decay(DecayKind kind, int64_t v, int64_t parameter) {
  return kind == DecayKind::Mul12 ? decayMul12(v, parameter)
                                  : decayShift(v, parameter);
}

/// SNN-I6: one LIF step. Given v[t] and the (already filtered, SNN-I7) input
/// I[t], returns s[t] and writes v[t+1] into `v`.
SNNRT_HD inline bool lifStep(int64_t &v, int64_t input, int64_t bias,
                             int64_t threshold, DecayKind kind,
                             int64_t vDecay, bool subtractReset,
                             uint32_t bits) {
  const bool spike = v >= threshold;
  const int64_t next = decay(kind, v, vDecay) + input + bias;
  if (subtractReset)
    v = sat(next - (spike ? threshold : 0), bits);
  else
    v = spike ? 0 : sat(next, bits);
  return spike;
}

/// SNN-I7: j[t] = sat(dec_syn(j[t−1]) + I[t]).
SNNRT_HD inline int64_t synapseStep(int64_t j, int64_t input, DecayKind kind,
                                    int64_t iDecay, uint32_t bits,
                                    int64_t biasSyn = 0) {
  return sat(decay(kind, j, iDecay) + input + biasSyn, bits);
}

/// SNN-I8: u[t] = sat(dec(u[t−1]) + I[t] + bias).
SNNRT_HD inline int64_t readoutStep(int64_t u, int64_t input, int64_t bias,
                                    DecayKind kind, int64_t vDecay,
                                    uint32_t bits) {
  return sat(decay(kind, u, vDecay) + input + bias, bits);
}

} // namespace snnrt::intmath
