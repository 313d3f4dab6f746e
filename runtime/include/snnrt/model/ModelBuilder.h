//===- ModelBuilder.h - Freshly initialised feed-forward networks -*- C++ -*-===//
//
// The paper's network shape (docs/reference.md §1: input -> hidden LIF with
// BatchNorm and dropout -> LI readout), any number of hidden layers, every
// setting a field. Weights are Kaiming-uniform; delays follow the delay mode.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/model/Model.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

enum class DelayMode {
  Learn,  ///< DCLS positions (SNN-F3), trained
  Frozen, ///< random integer delays in [0, maxDelay), never trained
  None,   ///< every delay 0
};
const char *toString(DelayMode mode);
std::optional<DelayMode> parseDelayMode(const std::string &text);

struct NetworkSpec {
  std::string name = "net";
  uint32_t inputs = 40;
  std::vector<uint32_t> hidden = {256};
  uint32_t outputs = 20;
  uint32_t steps = 100;
  double dt = 0.01;                  ///< seconds per step
  /// docs/reference.md §1: beta = 1 - 1/10.05.
  double tauMemSteps = 10.05;
  std::optional<double> tauSynSteps; ///< CuBa hidden synapse (SNN-F8)
  /// CuBa readout synapse (SNN-F8 on the LI readout; NIR's CubaLI).
  std::optional<double> readoutTauSynSteps;
  /// Per-neuron time constants: each lif/li neuron's tau_mem (and tau_syn)
  /// is tau · (1 + tauSpread · u), u uniform in [-1, 1), drawn from a stream
  /// of its own so the weights stay those of the same seed. 0: uniform.
  double tauSpread = 0;
  DecayMode decay = DecayMode::Linear;
  double threshold = 1.0;
  ResetMode reset = ResetMode::Hard;
  /// Float convention of the hidden LIF layers (SNN-F13).
  NeuronConvention convention = NeuronConvention::Paper;
  InputKind inputKind = InputKind::Frames;
  double inputScale = 20.0; ///< RawHD inputs multiplied by 20
  uint32_t maxDelay = 25;
  DelayMode delays = DelayMode::Learn;
  bool batchnorm = true;
  double bnEps = 1e-5, bnMomentum = 0.1;
  double dropout = 0.4;
  /// Kaiming-uniform bound = gain * sqrt(3 / fan_in); sqrt(2) is the ReLU gain.
  double kaimingGain = 1.4142135623730951;
  /// The readout projection's gain instead (NaN: kaimingGain). A smaller one
  /// starts the readout's per-step softmax unsaturated (SNN-F10), so its
  /// gradients do not vanish in the first epochs.
  double readoutGain = NAN;
  /// Initial DCLS width and position range (docs/reference.md §1: sigma 12,
  /// p ~ U(-13, 12) clamped to [-12, 12] for Dmax 25). NaN: derive from
  /// maxDelay as h and [-h-1, h], h = (maxDelay-1)/2.
  double sigma0 = NAN, positionLow = NAN, positionHigh = NAN;
};

/// Builds and initialises the network (deterministic in `seed`).
Expected<Model> buildFeedForward(const NetworkSpec &spec, uint64_t seed);

} // namespace snnrt
