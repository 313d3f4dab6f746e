//===- SpatioTemporal.h - E/I synapses over (source, delay) -----*- C++ -*-===//
//
// The paper's spatio-temporal analysis (docs/reference.md §1: "E and I synapses
// group in input channel and delay"). Every target neuron of a projection
// has a receptive field over (source neuron x delay): the signed weight
// sigma_a * W[b,a] at the synapse's integer delay (SNN-F2, SNN-F4). The
// grouping number is the fraction of neighbouring synapse pairs of the same
// target (|source distance| <= sourceRadius, |delay distance| <=
// delayRadius) that share a sign, against the same fraction with signs
// shuffled among each neuron's own synapses (same cells, same E/I count),
// as a z-score. Under Dale's law the sign belongs to the source, so the
// baseline draws a random assignment of the same signs to sources (shared by
// all targets, the learned structure kept); a high z means the network kept
// same-sign synapses next to each other more than such a chance assignment
// would. Models without signs: signs shuffled among each neuron's synapses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {

struct GroupingOptions {
  uint32_t sourceRadius = 1; ///< neighbouring sources (channels)
  uint32_t delayRadius = 1;  ///< neighbouring delays, steps
  uint32_t shuffles = 200;   ///< baseline draws
  uint64_t seed = 1;
};

struct SignGrouping {
  uint64_t pairs = 0, samePairs = 0; ///< neighbouring pairs, same-sign ones
  double sameFraction = 0;           ///< samePairs / pairs (0 when no pair)
  double shuffledMean = 0, shuffledStd = 0;
  double zScore = 0; ///< (sameFraction - mean) / std; 0 when std is 0
};

/// One synapse of a receptive field.
struct FieldEntry {
  uint32_t source = 0, delay = 0;
  float weight = 0; ///< signed: sigma_a * W
};

struct ProjectionAnalysis {
  std::string projection, source, target;
  uint32_t rows = 0, cols = 0, maxDelay = 1;
  uint64_t synapses = 0, excitatory = 0, inhibitory = 0; ///< nonzero weights
  bool hasSigns = false;
  SignGrouping grouping;
  /// [target] -> present synapses with nonzero weight, by source.
  std::vector<std::vector<FieldEntry>> fields;
  /// Population views over [source][delay]: sum of signed weights, and the
  /// number of excitatory / inhibitory synapses.
  std::vector<float> populationWeight;
  std::vector<uint32_t> populationExc, populationInh;
  /// Per delay: excitatory and inhibitory synapse counts and weight sums.
  std::vector<uint32_t> delayExc, delayInh;
  double meanDelayExc = 0, meanDelayInh = 0;
};

/// Receptive fields and sign grouping of one projection (effective delays
/// SNN-F4; the sign of a synapse is that of sigma_a * W, so unsigned models
/// are analysed by the signs of their weights).
Expected<ProjectionAnalysis> analyzeProjection(const Model &model,
                                               size_t projection,
                                               const GroupingOptions &options);

/// The grouping number alone, for fields given directly. With
/// `sourceSigns` (Dale's law: every field's signs are those of its sources)
/// the baseline permutes the signs among sources, once per draw for all
/// targets; without, it permutes each target's signs among its synapses.
SignGrouping signGrouping(const std::vector<std::vector<FieldEntry>> &fields,
                          const GroupingOptions &options,
                          const std::vector<int8_t> *sourceSigns = nullptr);

} // namespace snnrt
