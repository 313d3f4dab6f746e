//===- Quantization.h - The integer grid a compiled network lives on -*- C++
//-*-===//
//
// The arithmetic by which `snnc compile` turns a float model into an integer
// network (docs/semantics.md, SNN-F5 folding and SNN-I2/I6/I9 quantisation),
// element by element, shared by the compiler's passes (snn-fold-batchnorm,
// snn-quantize) and by quantisation-aware training, which runs the float
// model on the weights, biases, thresholds and inputs the plan will have
// (docs/training.md, "Quantisation-aware fine-tuning"). One definition of
// each rule, so the two cannot drift apart.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/Model.h"

#include <cmath>
#include <cstdint>

namespace snnrt {
namespace quant {

/// Round half to even: std::nearbyint under the default FE_TONEAREST mode,
/// the rounding of every SNN-I rule and of SNN-F4's delays.
inline double roundHalfEven(double x) { return std::nearbyint(x); }

/// The largest signed mantissa of `bits` bits, 2^(bits−1) − 1.
inline int64_t maxMantissa(int64_t bits) {
  return (int64_t(1) << (bits - 1)) - 1;
}

/// SNN-I9: the unit of a layer (or neuron) whose largest |weight| is
/// `largest`: that weight becomes ±(2^(bits−1) − 1).
inline double weightUnit(double largest, int64_t bits) {
  return largest / double(maxMantissa(bits));
}

/// SNN-F5 in evaluation, folded: Î = s·I + o with s = γ / sqrt(var + ε) and
/// o = β − s·μ, in double from the float statistics.
struct BatchNormFold {
  double scale = 1, offset = 0;
};
inline BatchNormFold foldBatchNorm(float gamma, float beta, float mean,
                                   float var, double eps) {
  BatchNormFold f;
  f.scale = double(gamma) / std::sqrt(double(var) + eps);
  f.offset = double(beta) - f.scale * double(mean);
  return f;
}
/// A weight into a neuron with BatchNorm scale `scale`, folded (float32, as
/// the folded network stores it).
inline float foldedWeight(double scale, float w) {
  return float(scale * double(w));
}
/// A bias (or synaptic bias) with BatchNorm offset `offset` added.
inline float foldedBias(float bias, double offset) {
  return float(double(bias) + offset);
}

/// Lava's 13-bit bias mantissa (SNN-L rules): the bias in weight units must
/// have |b| <= 4095, so a population's unit is at least max|bias| / 4095.
inline constexpr int64_t kLavaMaxBiasUnits = 4095;
/// Lava's 17-bit threshold mantissa (vth).
inline constexpr int64_t kLavaMaxThreshold = (int64_t(1) << 17) - 1;

} // namespace quant

/// What of snn-quantize's options decides the grid: the arithmetic's
/// weight bits, its largest threshold and bias, the input's fractional bits
/// (the options `snnc compile --target T` passes; docs/targets.md). Xylo's
/// per-matrix weight shifts are not modelled.
struct WeightGrid {
  int64_t weightBits = 8;
  int64_t stateBits = 24;
  /// One unit per neuron (snn-quantize's per-neuron-scale, which compile
  /// uses under snnc's arithmetic) instead of one per population.
  bool perNeuronScale = false;
  /// Lava's CUBA neuron (loihi, loihi2): 17-bit threshold and 13-bit bias
  /// mantissas bound the unit from below (snn-quantize's fitThresholds and
  /// fitLavaBias).
  bool lava = true;
  /// SNN-I2: frame inputs keep this many fractional bits.
  int64_t inputFracBits = 4;
  /// SNN-I4 (mul12 decays): time constants become those whose leak is the
  /// integer decay's d / 4096.
  bool snapDecays = true;
};

/// loihi2's grid (lib/Target/Presets.cpp: 8-bit weights, 24-bit states,
/// arithmetic lava-cuba; snnc compile's input-frac-bits 4).
WeightGrid loihi2Grid();

/// Moves `model` onto the integer network snnc compile would make of it
/// under `grid`, staying a float model: with BatchNorm folded and each
/// population's (or neuron's) unit u chosen as snn-quantize chooses it
/// (largest folded |w·q_source| / (2^(b−1) − 1), raised for the threshold
/// and Lava's bias),
/// every folded weight becomes u·rne(w/u) and every folded bias u·rne(b/u);
/// a LIF population whose threshold θ rounds to n units has its weights and
/// biases multiplied by θ / (n·u), the same neuron as threshold n·u (v
/// scales linearly; resets are to 0 or by the threshold). The float model
/// then computes what the plan computes up to the integer neuron's own
/// rounding (decay, state). BatchNorm stays (its β absorbs the bias change).
/// Applying it twice changes nothing beyond float rounding. Populations
/// without incoming weights are left as they are.
Status snapToGrid(Model &model, const WeightGrid &grid);

/// SNN-I2 for frame inputs: each value x of `data` becomes
/// rne(x·c·2^f) / (c·2^f) with c the input population's scale of `model`,
/// so scale·x is what the plan's integer input stands for. Spike data is
/// left as it is (counts are exact).
void snapInputs(Dataset &data, const Model &model, const WeightGrid &grid);

} // namespace snnrt
