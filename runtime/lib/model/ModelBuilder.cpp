//===- ModelBuilder.cpp - Freshly initialised feed-forward networks -------===//

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/base/Random.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

const char *toString(DelayMode mode) {
  switch (mode) {
  case DelayMode::Learn:
    return "learn";
  case DelayMode::Frozen:
    return "frozen";
  case DelayMode::None:
    return "none";
  }
  return "?";
}

std::optional<DelayMode> parseDelayMode(const std::string &text) {
  if (text == "learn")
    return DelayMode::Learn;
  if (text == "frozen")
    return DelayMode::Frozen;
  if (text == "none")
    return DelayMode::None;
  return std::nullopt;
}

Expected<Model> buildFeedForward(const NetworkSpec &spec, uint64_t seed) {
  if (spec.inputs == 0 || spec.outputs == 0 || spec.steps == 0 ||
      spec.maxDelay == 0)
    return Status::error("network needs inputs, outputs, steps and max delay "
                         "of at least 1");
  for (uint32_t h : spec.hidden)
    if (h == 0)
      return Status::error("hidden layer sizes must be positive");
  Rng rng(seed);
  Model m;
  m.name = spec.name;
  m.dt = spec.dt;
  m.steps = spec.steps;
  m.decay = spec.decay;
  Population in;
  in.name = "input";
  in.kind = PopulationKind::Input;
  in.size = spec.inputs;
  in.inputKind = spec.inputKind;
  in.scale = spec.inputScale;
  m.populations.push_back(in);

  if (!(spec.tauSpread >= 0 && spec.tauSpread < 1))
    return Status::error("tau spread must lie in [0, 1)");
  Rng tauRng(seed ^ 0x7A75C0DEull);
  auto spread = [&](double tau, uint32_t size) {
    std::vector<double> taus(size);
    for (auto &t : taus)
      t = tau * (1.0 + spec.tauSpread * tauRng.uniform(-1.0, 1.0));
    return taus;
  };

  const double h = (spec.maxDelay - 1.0) / 2.0;
  const double sigma0 = std::isnan(spec.sigma0) ? h : spec.sigma0;
  const double pLow = std::isnan(spec.positionLow) ? -h - 1 : spec.positionLow;
  const double pHigh = std::isnan(spec.positionHigh) ? h : spec.positionHigh;

  std::vector<uint32_t> sizes = spec.hidden;
  sizes.push_back(spec.outputs);
  std::string prev = "input";
  uint32_t prevSize = spec.inputs;
  for (size_t l = 0; l < sizes.size(); ++l) {
    bool readout = l + 1 == sizes.size();
    Population p;
    p.name = readout ? "output" : "hidden" + std::to_string(l + 1);
    p.kind = readout ? PopulationKind::Li : PopulationKind::Lif;
    p.size = sizes[l];
    p.tauMem = spec.tauMemSteps * spec.dt;
    if (!readout && spec.tauSynSteps)
      p.tauSyn = *spec.tauSynSteps * spec.dt;
    if (readout && spec.readoutTauSynSteps)
      p.tauSyn = *spec.readoutTauSynSteps * spec.dt;
    if (spec.tauSpread > 0) {
      p.tauMemPerNeuron = spread(p.tauMem, p.size);
      p.tauMem = p.tauMemPerNeuron[0];
      if (p.tauSyn) {
        p.tauSynPerNeuron = spread(*p.tauSyn, p.size);
        p.tauSyn = p.tauSynPerNeuron[0];
      }
    }
    p.threshold = spec.threshold;
    p.reset = spec.reset;
    if (!readout)
      p.convention = spec.convention;
    p.bias.assign(p.size, 0.0f);
    if (!readout) {
      p.dropout = spec.dropout;
      if (spec.batchnorm) {
        BatchNorm bn;
        bn.gamma.assign(p.size, 1.0f);
        bn.beta.assign(p.size, 0.0f);
        bn.mean.assign(p.size, 0.0f);
        bn.var.assign(p.size, 1.0f);
        bn.eps = spec.bnEps;
        bn.momentum = spec.bnMomentum;
        p.batchnorm = bn;
      }
    }
    Projection pj;
    pj.name = "fc" + std::to_string(l + 1);
    pj.source = prev;
    pj.target = p.name;
    pj.maxDelay = spec.maxDelay;
    size_t n = size_t(p.size) * prevSize;
    double gain = readout && !std::isnan(spec.readoutGain) ? spec.readoutGain
                                                           : spec.kaimingGain;
    double bound = gain * std::sqrt(3.0 / prevSize);
    pj.weights.resize(n);
    for (auto &w : pj.weights)
      w = float(rng.uniform(-bound, bound));
    switch (spec.delays) {
    case DelayMode::Learn:
      pj.positions.resize(n);
      for (auto &q : pj.positions) // docs/reference.md §1: init then clamp
        q = float(std::clamp(rng.uniform(pLow, pHigh), -h, h));
      pj.sigma = sigma0;
      break;
    case DelayMode::Frozen:
      pj.delays.resize(n);
      for (auto &d : pj.delays)
        d = int32_t(rng.below(spec.maxDelay));
      break;
    case DelayMode::None:
      pj.delays.assign(n, 0);
      break;
    }
    m.populations.push_back(p);
    m.projections.push_back(pj);
    prev = p.name;
    prevSize = p.size;
  }
  m.outputs = {"output"};
  m.training.delayMode = toString(spec.delays);
  m.training.seed = seed;
  SNNRT_TRY(m.validate());
  return m;
}

} // namespace snnrt
