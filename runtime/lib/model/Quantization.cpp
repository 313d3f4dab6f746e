//===- Quantization.cpp - A float model on its integer grid ---------------===//
//
// snapToGrid follows snn-fold-batchnorm and snn-quantize's per-layer path
// (lib/Transforms/FoldBatchNorm.cpp, Quantize.cpp: chooseUnits,
// fitThresholds, fitLavaBias, quantizeWeights, quantizeThresholds,
// quantizeBias) step for step, with the element rules of Quantization.h that
// those passes call too. test/unit/compiler/QuantAwareTest.cpp checks that
// the integer network snnc compiles from a snapped model computes what the
// snapped float model computes.
//
//===----------------------------------------------------------------------===//

#include "snnrt/model/Quantization.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace snnrt {

WeightGrid loihi2Grid() { return WeightGrid(); }

namespace {

/// The float value of one integer unit of `source`'s output (snn-quantize's
/// computeSourceUnits, SNN-I2): spike counts carry the input's scale, frame
/// inputs keep `inputFracBits` fractional bits, spikes are 0 or 1.
double sourceUnit(const Population &source, const WeightGrid &grid) {
  if (source.kind != PopulationKind::Input)
    return 1.0;
  if (source.inputKind == InputKind::Spikes)
    return source.scale;
  return std::ldexp(1.0, -int(grid.inputFracBits));
}

/// The target neuron of each entry of a projection's weight array, and
/// whether the synapse exists.
void synapseTargets(const Projection &pj, uint32_t sourceSize,
                    std::vector<uint32_t> &target,
                    std::vector<uint8_t> &present) {
  const size_t n = pj.weights.size();
  target.assign(n, 0);
  present.assign(n, 1);
  if (pj.isCsr()) {
    for (size_t row = 0; row + 1 < pj.rowPtr.size(); ++row)
      for (uint64_t k = pj.rowPtr[row]; k < pj.rowPtr[row + 1] && k < n; ++k)
        target[k] = uint32_t(row);
    return;
  }
  for (size_t i = 0; i < n; ++i)
    target[i] = sourceSize ? uint32_t(i / sourceSize) : 0;
  if (!pj.mask.empty())
    for (size_t i = 0; i < n && i < pj.mask.size(); ++i)
      present[i] = pj.mask[i] != 0;
}

Status snapPopulation(Model &model, int index, const WeightGrid &grid) {
  Population &pop = model.populations[size_t(index)];
  const uint32_t n = pop.size;
  const bool lif = pop.kind == PopulationKind::Lif;
  const bool cuba = pop.tauSyn.has_value();
  // SNN-F5 folded (snn-fold-batchnorm): scale per neuron, offset into the
  // bias, or into the synaptic bias of a CuBa population.
  std::vector<quant::BatchNormFold> fold(n);
  if (pop.batchnorm) {
    const BatchNorm &bn = *pop.batchnorm;
    for (uint32_t b = 0; b < n; ++b)
      fold[b] = quant::foldBatchNorm(bn.gamma[b], bn.beta[b], bn.mean[b],
                                     bn.var[b], bn.eps);
  }
  const bool bn = pop.batchnorm.has_value();
  auto folded = [&](const std::vector<float> &v, bool takesOffset,
                    std::vector<double> &out) {
    out.assign(n, 0.0);
    for (uint32_t b = 0; b < n; ++b) {
      float x = v.empty() ? 0.0f : v[b];
      out[b] = takesOffset ? double(quant::foldedBias(x, fold[b].offset))
                           : double(x);
    }
  };
  // Which biases the folded network has (the compiler rounds only those).
  const bool hasBias = bn || !pop.bias.empty();
  const bool hasBiasSyn = cuba && (bn || !pop.biasSyn.empty());
  std::vector<double> bias, biasSyn;
  folded(pop.bias, bn && !cuba, bias);
  folded(pop.biasSyn, bn && cuba, biasSyn);

  struct Incoming {
    Projection *pj;
    double q;
    std::vector<uint32_t> target;
    std::vector<uint8_t> present;
    std::vector<double> w; ///< folded weight times q_source
  };
  std::vector<Incoming> incoming;
  double largest = 0;
  std::vector<double> neuronMax(n, 0.0);
  for (Projection &pj : model.projections) {
    if (pj.target != pop.name)
      continue;
    int src = model.findPopulation(pj.source);
    if (src < 0)
      return Status::error("projections/" + pj.name + ": unknown source " +
                           pj.source);
    Incoming in{
        &pj, sourceUnit(model.populations[size_t(src)], grid), {}, {}, {}};
    synapseTargets(pj, model.populations[size_t(src)].size, in.target,
                   in.present);
    in.w.assign(pj.weights.size(), 0.0);
    for (size_t i = 0; i < pj.weights.size(); ++i) {
      if (!in.present[i])
        continue;
      in.w[i] =
          double(quant::foldedWeight(fold[in.target[i]].scale, pj.weights[i])) *
          in.q;
      largest = std::max(largest, std::abs(in.w[i]));
      double &m = neuronMax[in.target[i]];
      m = std::max(m, std::abs(in.w[i]));
    }
    incoming.push_back(std::move(in));
  }
  if (!(largest > 0))
    return Status::ok(); // nothing to scale by (the compiler refuses it)
  // chooseUnits, fitThresholds, fitLavaBias.
  double layerUnit = quant::weightUnit(largest, grid.weightBits);
  std::vector<double> units(n, layerUnit);
  if (grid.perNeuronScale)
    for (uint32_t b = 0; b < n; ++b)
      if (neuronMax[b] > 0)
        units[b] = quant::weightUnit(neuronMax[b], grid.weightBits);
  if (lif) {
    const int64_t sMax = grid.lava ? quant::kLavaMaxThreshold
                                   : quant::maxMantissa(grid.stateBits);
    double thetaMax = 0;
    for (uint32_t b = 0; b < n; ++b) {
      thetaMax = std::max(thetaMax, pop.thresholdOf(b));
      if (grid.perNeuronScale)
        units[b] = std::max(units[b], pop.thresholdOf(b) / double(sMax));
    }
    if (!grid.perNeuronScale)
      units.assign(n, std::max(layerUnit, thetaMax / double(sMax)));
  }
  if (grid.lava && hasBias && !grid.perNeuronScale) {
    double biggest = 0;
    for (uint32_t b = 0; b < n; ++b)
      biggest = std::max(biggest, std::abs(double(float(bias[b]))));
    if (biggest / units[0] > double(quant::kLavaMaxBiasUnits))
      units.assign(n, biggest / double(quant::kLavaMaxBiasUnits));
  }
  // quantizeThresholds: theta becomes t units; scaling the neuron's inputs
  // by theta / (t u) instead keeps the model's threshold.
  std::vector<double> gain(n, 1.0);
  if (lif)
    for (uint32_t b = 0; b < n; ++b) {
      double theta = pop.thresholdOf(b), unit = units[b];
      double t = quant::roundHalfEven(theta / unit);
      if (t < 1)
        return Status::error(
            "populations/" + pop.name + ": the threshold of neuron " +
                std::to_string(b) + " rounds to 0 units (threshold " +
                std::to_string(theta) + ", unit " + std::to_string(unit) + ")",
            ErrorKind::BadInput);
      gain[b] = theta / (t * unit);
    }
  // quantizeWeights, back in the model's (unfolded) terms.
  for (Incoming &in : incoming)
    for (size_t i = 0; i < in.w.size(); ++i) {
      if (!in.present[i])
        continue;
      const uint32_t b = in.target[i];
      if (fold[b].scale == 0)
        continue; // every weight folds to 0 whatever it is
      double k = quant::roundHalfEven(in.w[i] / units[b]);
      in.pj->weights[i] = float(k * units[b] * gain[b] / in.q / fold[b].scale);
    }
  // quantizeBias: the folded bias becomes u·rne(b/u); with BatchNorm its β
  // takes the difference, without it the bias itself.
  auto snapBias = [&](const std::vector<double> &value, bool viaBeta,
                      std::vector<float> &field) {
    if (field.empty())
      field.assign(n, 0.0f);
    for (uint32_t b = 0; b < n; ++b) {
      double v = double(float(value[b]));
      double snapped = quant::roundHalfEven(v / units[b]) * units[b] * gain[b];
      if (viaBeta) {
        float &beta = pop.batchnorm->beta[b];
        beta = float(double(beta) + (snapped - v));
      } else {
        field[b] = float(snapped);
      }
    }
  };
  if (hasBias)
    snapBias(bias, bn && !cuba, pop.bias);
  if (hasBiasSyn)
    snapBias(biasSyn, bn && cuba, pop.biasSyn);
  return Status::ok();
}

} // namespace

/// snn-quantize's integerDecay (SNN-I4): the time constant whose leak is
/// d / 4096 with d = rne(4096 · leak(tau)).
double snappedTau(const Model &m, double tau) {
  double beta = decayFactor(m.decay, m.dt, tau);
  double d = quant::roundHalfEven(4096.0 * (1.0 - beta));
  if (d <= 0 || d >= 4096)
    return tau;
  double leak = d / 4096.0;
  return m.decay == DecayMode::Exp ? -m.dt / std::log1p(-leak) : m.dt / leak;
}

Status snapToGrid(Model &model, const WeightGrid &grid) {
  if (grid.weightBits < 2 || grid.weightBits > 16)
    return Status::error("weight bits must lie in [2, 16], got " +
                             std::to_string(grid.weightBits),
                         ErrorKind::BadInput);
  for (size_t p = 0; p < model.populations.size(); ++p)
    if (model.populations[p].kind != PopulationKind::Input)
      SNNRT_TRY(snapPopulation(model, int(p), grid));
  if (grid.snapDecays)
    for (Population &p : model.populations) {
      if (p.kind == PopulationKind::Input)
        continue;
      p.tauMem = snappedTau(model, p.tauMem);
      for (double &t : p.tauMemPerNeuron)
        t = snappedTau(model, t);
      if (p.tauSyn)
        p.tauSyn = snappedTau(model, *p.tauSyn);
      for (double &t : p.tauSynPerNeuron)
        t = snappedTau(model, t);
    }
  return Status::ok();
}

void snapInputs(Dataset &data, const Model &model, const WeightGrid &grid) {
  if (data.kind != InputKind::Frames)
    return;
  double scale = 1.0;
  for (const Population &p : model.populations)
    if (p.kind == PopulationKind::Input)
      scale = p.scale;
  // snn-quantize's new input scale c·2^f, then SNN-I2's rne (and int16).
  const double c = scale * std::ldexp(1.0, int(grid.inputFracBits));
  if (!(c > 0))
    return;
  for (float &x : data.frames) {
    double r = quant::roundHalfEven(c * double(x));
    r = std::min(32767.0, std::max(-32768.0, r));
    x = float(r / c);
  }
}

} // namespace snnrt
