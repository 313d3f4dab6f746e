//===- Rewiring.h - DEEP R / RigL rewiring with a fixed budget --*- C++ -*-===//
//
// After an optimiser step, every sparse projection drops the synapses whose
// magnitude theta reached 0 and regrows as many elsewhere at theta = 1e-12,
// so the count stays exactly at its budget (REFERENCE.md §1). Regrowth is at
// random (DEEP R) or at the absent slots whose dL/dtheta is most negative
// (RigL as the paper uses it). Signs are per presynaptic neuron and never
// change (Dale's law, SNN-F2). Details and costs: docs/sparse-training.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/Engine.h"
#include "snnrt/Model.h"
#include "snnrt/Random.h"
#include "snnrt/Status.h"
#include "snnrt/Trainer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

enum class RewireMode {
  None,  ///< fixed random mask: theta clamped at 0, nothing moves
  DeepR, ///< regrow uniformly among absent slots
  RigL,  ///< regrow where dL/dtheta of an absent slot is most negative
};
const char *toString(RewireMode mode);
std::optional<RewireMode> parseRewireMode(const std::string &text);

struct RewireConfig {
  RewireMode mode = RewireMode::DeepR;
  /// Rewire after every `interval` optimiser steps; between rewirings theta
  /// is clamped at 0 so that no sign flips.
  int64_t interval = 1;
  /// DEEP R noise temperature T: theta += sqrt(2 lr T) * N(0, 1) per step on
  /// present synapses (0: none, as in the paper's code).
  double temperature = 0.0;
  /// DEEP R L1 step: theta -= lr * l1Step per step on present synapses.
  double l1Step = 0.0;
  double regrowValue = 1e-12;
  /// RigL: gradients are computed for at most candidates x (removed count)
  /// absent slots drawn at random (0: every absent slot, exact but as
  /// costly as one dense gradient product at each rewiring step).
  uint32_t candidates = 0;
  uint64_t seed = 1;
};

struct RewireStats {
  uint64_t steps = 0, rewirings = 0;
  uint64_t removed = 0, regrown = 0;
};

/// Rewires the dense-layout projections of `model` that carry Dale signs
/// (see sparsify). Stateless between steps apart from counters; randomness is
/// drawn from (seed, epoch, batch).
class Rewirer {
public:
  static Expected<Rewirer> create(const Model &model,
                                  const Engine<float> &engine,
                                  const RewireConfig &config);
  /// The TrainConfig::afterStep hook body.
  Status afterStep(StepContext &ctx);
  const RewireStats &stats() const { return stats_; }
  /// Weight tensors this rewirer manages (engine params() indices).
  const std::vector<int> &managed() const { return managed_; }

private:
  Status rewireTensor(StepContext &ctx, int param, Rng &rng);
  RewireConfig cfg_;
  std::vector<int> managed_;
  RewireStats stats_;
};

/// Sets `train.afterStep` to rewire `model`'s signed projections (the
/// rewirer is built on the first step, once the trainer's engine exists).
/// `rewirer`, when given, receives it then, for statistics; it must outlive
/// training.
void attachRewiring(TrainConfig &train, const Model &model,
                    const RewireConfig &config,
                    std::shared_ptr<Rewirer> *rewirer = nullptr);

} // namespace snnrt
