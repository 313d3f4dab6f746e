//===- Rewiring.h - DEEP R / RigL rewiring with a fixed budget --*- C++ -*-===//
//
// After an optimiser step, every sparse projection drops the synapses whose
// magnitude theta reached 0 and regrows as many elsewhere at theta = 1e-12,
// so the count stays exactly at its budget (docs/reference.md §1). Regrowth
// is at random (DEEP R) or at the absent slots whose dL/dtheta is most
// negative (RigL as the paper uses it). Signs are per presynaptic neuron and
// never change (Dale's law, SNN-F2). Details and costs:
// docs/sparse-training.md.
//
// The per-slot work and the choice of regrown slots run on the CPU
// (rewireSlots) or, when training runs on the GPU, in CUDA kernels
// (cudaRewireSlots, CudaRewiring.h); both use the SNNRT_HD functions of
// RewiringMath.h and counter-based randomness, so they give the same bits.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Random.h"
#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/Trainer.h"

#include <cstdint>
#include <functional>
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

/// Where Rewirer::afterStep does its work. The result is the same bits.
enum class RewireDevice {
  Auto, ///< the trainer's device (CUDA when StepContext::slotGradients is set)
  Cpu,
  Cuda, ///< fails without a usable GPU
};

struct RewireConfig {
  RewireMode mode = RewireMode::DeepR;
  RewireDevice device = RewireDevice::Auto;
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

/// One tensor's work at one optimiser step, on flat slot arrays: steps 1-3
/// of docs/sparse-training.md. Randomness: RewiringMath.h, from `key`.
struct SlotRewireSpec {
  RewireMode mode = RewireMode::DeepR;
  bool rewire = true;       ///< step 3 (drop and regrow) at this step
  double l1Decrement = 0;   ///< lr * l1Step
  double noiseScale = 0;    ///< sqrt(2 lr T)
  uint64_t key = 0;         ///< rewiring::streamKey(seed, epoch, batch, tensor)
  uint32_t candidates = 0;  ///< RewireConfig::candidates
  double regrowValue = 1e-12;
};
struct SlotRewireResult {
  uint64_t removed = 0;
  std::vector<size_t> grown; ///< in the order chosen (best first)
};
/// dL/dtheta at the given slots (ascending), as Engine::slotGradients.
using SlotGradientFn =
    std::function<Status(const std::vector<size_t> &, std::vector<float> &)>;

/// The CPU implementation: updates `theta` and `present` in place (removed
/// slots: present 0, theta 0; grown: present 1, theta regrowValue). `grads`
/// is called only for RigL and only when something was removed.
Status rewireSlots(const SlotRewireSpec &spec, std::vector<float> &theta,
                   std::vector<uint8_t> &present, const SlotGradientFn &grads,
                   SlotRewireResult &result);

/// Rewires the dense-layout projections of `model` that carry Dale signs
/// (see sparsify). Stateless between steps apart from counters; randomness is
/// drawn from (seed, epoch, batch, tensor, slot) (RewiringMath.h).
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
