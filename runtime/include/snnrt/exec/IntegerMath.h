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

//===----------------------------------------------------------------------===//
// Lava's fixed-point CUBA LIF (docs/semantics.md, SNN-L rules)
//===----------------------------------------------------------------------===//
//
// lava-nc's PyLifModelBitAcc and PyDenseModelBitAcc, element by element, in
// snnc's step indexing: the state an executor keeps between steps is Lava's
// (u, v) just before its threshold test, so that step t tests first and
// then integrates I[t] (SNN-I6's layout), and Lava's first step, which sees
// no input yet, becomes the initial voltage (lavaInitialVoltage).

/// Whose integer rules a network follows.
enum class Arithmetic : uint8_t { Snnc, LavaCuba, XyloIaf };

namespace lava {
constexpr int64_t kStateLimit = int64_t(1) << 23; ///< 24-bit u and v
constexpr uint32_t kStateBits = 24;
constexpr int64_t kMaxThreshold = (int64_t(1) << 17) - 1; ///< vth, 17 bits
constexpr int64_t kMaxVDecay = 4095;                      ///< dv
constexpr int64_t kMinIDecay = 1, kMaxIDecay = 4096;      ///< du + 1
constexpr int64_t kMinWeightExp = -8, kMaxWeightExp = 7;
constexpr int kUnitShift = 6; ///< activation and threshold MSB alignment
} // namespace lava

/// One projection's contribution to a neuron's activation: Dense's
/// `weights · s` shifted by its weight exponent, left for exp > 0, else
/// right with flooring (numpy's right_shift of a signed sum).
SNNRT_HD inline int64_t lavaInput(int64_t sum, int64_t exp) {
  return exp > 0 ? sum * (int64_t(1) << exp) : sum >> -exp;
}

/// Lava's int32 arithmetic: x reduced modulo 2^32 into [−2^31, 2^31).
SNNRT_HD inline int64_t wrapInt32(int64_t x) {
  return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(x)));
}

/// The neuron's a_in from the sum of its projections' lavaInput values: the
/// Dense slots accumulate in int32 and the port passes the sum on unchanged
/// (SNN-L5, SNN-L6: no 16-bit truncation).
SNNRT_HD inline int64_t lavaActivation(int64_t total) {
  return wrapInt32(total);
}

/// u wraps into 24 bits the way Lava does: one correction, with the
/// comparisons `> 2^23` and `<= −2^23`.
SNNRT_HD inline int64_t lavaWrapCurrent(int64_t u) {
  if (u > lava::kStateLimit)
    return u - 2 * lava::kStateLimit;
  if (u <= -lava::kStateLimit)
    return u + 2 * lava::kStateLimit;
  return u;
}

/// v is clipped to ±(2^23 − 1).
SNNRT_HD inline int64_t lavaClipVoltage(int64_t v) {
  const int64_t hi = lava::kStateLimit - 1;
  return v > hi ? hi : (v < -hi ? -hi : v);
}

/// Lava's spike test: v > vth · 2^6.
SNNRT_HD inline bool lavaSpikes(int64_t v, int64_t threshold) {
  return v > threshold * (int64_t(1) << lava::kUnitShift);
}

/// The voltage before the threshold test of snnc's step 0: Lava's first
/// step integrates no input (Dense sends its first sums one step later), so
/// u stays 0 and v becomes the bias.
SNNRT_HD inline int64_t lavaInitialVoltage(int64_t bias) {
  return lavaClipVoltage(bias);
}

/// One step under Lava's rules. (u, v) hold the state after the previous
/// step's integration; returns s[t] = v > vth·2^6, zeroes v on a spike (u
/// is kept and this step's input is not discarded), then integrates the
/// activation a of I[t]:
///   u ← wrap(dec(u, iDecay) + a·2^6),  v ← clip(dec(v, vDecay) + u + bias)
/// with dec the 12-bit multiplicative decay rounding toward zero (SNN-I4's
/// decayMul12, which is Lava's sign(p)·(|p| >> 12)); every intermediate is
/// Lava's int32 (the shift a << 6 and the sums wrap in 32 bits, SNN-L6..L9).
SNNRT_HD inline bool lavaStep(int64_t &u, int64_t &v, int64_t activation,
                              int64_t bias, int64_t threshold, int64_t iDecay,
                              int64_t vDecay) {
  const bool spike = lavaSpikes(v, threshold);
  if (spike)
    v = 0;
  const int64_t act = wrapInt32(activation * (int64_t(1) << lava::kUnitShift));
  u = lavaWrapCurrent(wrapInt32(decayMul12(u, iDecay) + act));
  v = lavaClipVoltage(wrapInt32(wrapInt32(decayMul12(v, vDecay) + u) + bias));
  return spike;
}

/// What Lava reports as a readout's voltage after integrating I[t]: its
/// threshold test has run, so a voltage past the threshold reads 0.
SNNRT_HD inline int64_t lavaObservedVoltage(int64_t v, int64_t threshold) {
  return lavaSpikes(v, threshold) ? 0 : v;
}

//===----------------------------------------------------------------------===//
// XyloSim's IAF arithmetic (docs/semantics.md, SNN-X rules)
//===----------------------------------------------------------------------===//
//
// Xylo Audio 2 as XyloSim computes it, element by element: int16 states,
// per-event saturating delivery, bitshift decay that always moves a state
// toward 0, three saturations in the membrane update, and subtractive
// multi-spike firing tested after the update. An executor keeps one current
// (port 1) and the membrane per neuron; a step first delivers (inputs of
// this step, then hidden counts of the previous step, SNN-X5), then calls
// xyloNeuronStep.

namespace xylo {
constexpr int64_t kMin = -32768, kMax = 32767;
constexpr uint32_t kStateBits = 16;
constexpr int64_t kMaxInputEvents = 15;  ///< per channel and step (SNN-X4)
constexpr int64_t kMaxHiddenSpikes = 31; ///< per hidden neuron and step
constexpr int64_t kMaxOutputSpikes = 1;  ///< per output neuron and step
constexpr int64_t kMaxDash = 15;         ///< 4-bit dash registers
constexpr int64_t kMaxWeightShift = 8;   ///< beyond, SNN-X3 wraps
constexpr int64_t kMaxInputs = 16, kMaxHidden = 1000, kMaxOutputs = 8;
/// A readout (output neuron that must never fire) uses this threshold.
constexpr int64_t kReadoutThreshold = kMax;
} // namespace xylo

/// SNN-X1: XyloSim's safe_add, the sum saturated to int16.
SNNRT_HD inline int64_t xyloSat(int64_t x) {
  return x < xylo::kMin ? xylo::kMin : (x > xylo::kMax ? xylo::kMax : x);
}

/// Two's-complement truncation to 16 bits (C++ conversion to int16_t).
SNNRT_HD inline int64_t xyloWrap(int64_t x) {
  return static_cast<int64_t>(static_cast<int16_t>(static_cast<uint16_t>(x)));
}

/// SNN-X2: the amount a state loses in one step, x >> dash with a flooring
/// shift, but 1 where that is 0 and x > 0 (so a positive state reaches 0).
SNNRT_HD inline int64_t xyloDecrement(int64_t x, int64_t dash) {
  const int64_t d = x >> (dash > 62 ? 62 : dash);
  return (d == 0 && x > 0) ? 1 : d;
}

/// SNN-X2: x − dec(x, dash); never overflows.
SNNRT_HD inline int64_t xyloDecay(int64_t x, int64_t dash) {
  return x - xyloDecrement(x, dash);
}

/// SNN-X3: the effective weight wrap16(w · 2^shift).
SNNRT_HD inline int64_t xyloShiftedWeight(int64_t w, int64_t shift) {
  return xyloWrap(w * (int64_t(1) << shift));
}

/// SNN-X4/X5: `count` events of one source through one synapse of
/// effective weight w, saturating after every event; the partial sums are
/// monotone, so this is one saturation of the multiple.
SNNRT_HD inline int64_t xyloDeliver(int64_t current, int64_t count, int64_t w) {
  return count <= 0 ? current : xyloSat(current + count * w);
}

/// SNN-X4: the number of events one input value stands for: non-negative
/// counts, at most 15 (XyloSim clips the uint8 count).
SNNRT_HD inline int64_t xyloInputEvents(int64_t x) {
  return x < 0 ? 0 : (x > xylo::kMaxInputEvents ? xylo::kMaxInputEvents : x);
}

/// SNN-X6..X9: one neuron's update after the deliveries of the step.
/// `current` (i1) decays by dashSyn, then
///   leak = wrap16(−dec(v, dashMem)), dv = sat(sat(leak + i) + bias),
///   v = sat(v + dv)
/// and the neuron fires subtractively up to `maxSpikes` times while
/// v ≥ θ (v ← wrap16(v − θ)). Returns the spike count.
SNNRT_HD inline int64_t xyloNeuronStep(int64_t &v, int64_t &current,
                                       int64_t bias, int64_t threshold,
                                       int64_t dashMem, int64_t dashSyn,
                                       int64_t maxSpikes) {
  current = xyloDecay(current, dashSyn);
  const int64_t leak = xyloWrap(-xyloDecrement(v, dashMem));
  int64_t dv = xyloSat(leak + current);
  dv = xyloSat(dv + bias);
  v = xyloSat(v + dv);
  int64_t n = 0;
  if (threshold >= 1) {
    // Closed form of the loop for a positive threshold: no wrap possible.
    if (v >= threshold) {
      n = (v - threshold) / threshold + 1;
      if (n > maxSpikes)
        n = maxSpikes;
      v -= n * threshold;
    }
    return n;
  }
  while (v >= threshold && n < maxSpikes) {
    ++n;
    v = xyloWrap(v - threshold);
  }
  return n;
}

/// Where one source's delivery to a neuron falls within a Xylo step
/// (SNN-X13): XyloSim delivers input channels first (phase 0, by channel),
/// then hidden neurons by index (phase 1), and snnc lays the relay neurons
/// that carry delayed events out after every other hidden neuron (phase 2,
/// by source population, source neuron and delay). Executors sort each
/// neuron's deliveries by this key so that saturation happens in XyloSim's
/// order.
struct XyloOrder {
  int32_t phase = 0;
  int64_t a = 0, b = 0, c = 0;
  bool operator<(const XyloOrder &o) const {
    if (phase != o.phase)
      return phase < o.phase;
    if (a != o.a)
      return a < o.a;
    return b != o.b ? b < o.b : c < o.c;
  }
};

/// The key of a synapse from neuron `neuron` of population `pop` with the
/// given delay; `hiddenIndex` is the source's hidden index (lif sources).
inline XyloOrder xyloOrder(bool fromInput, int64_t pop, int64_t neuron,
                           int64_t hiddenIndex, int64_t delay) {
  if (delay > 0)
    return {2, pop, neuron, delay};
  if (fromInput)
    return {0, neuron, 0, 0};
  return {1, hiddenIndex, 0, 0};
}

/// Whether `bias` is Lava's bias_mant << bias_exp with a 13-bit signed
/// mantissa and bias_exp in [0, 7].
inline bool lavaBiasRepresentable(int64_t bias) {
  for (int exp = 0; exp <= 7; ++exp) {
    const int64_t step = int64_t(1) << exp;
    if (bias % step == 0 && bias / step >= -4096 && bias / step <= 4095)
      return true;
  }
  return false;
}

/// The float value of one state unit per float value of one weight unit:
/// Lava aligns a weight unit to 2^6 state units (SNN-L rules).
inline double stateUnitsPerWeightUnit(Arithmetic a) {
  return a == Arithmetic::LavaCuba ? double(int64_t(1) << lava::kUnitShift)
                                   : 1.0; // Xylo: weights add to v unscaled
}

} // namespace snnrt::intmath
