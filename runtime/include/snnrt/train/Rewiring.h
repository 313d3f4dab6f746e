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

/// What rewireCsr did to one CSR projection.
struct CsrRewireResult {
  uint64_t removed = 0;
  std::vector<size_t> grown; ///< slots (row * cols + col), in the order chosen
  /// For every synapse of the new structure, its index in the old one, or
  /// -1 for a regrown synapse (the caller moves delays or positions and
  /// optimiser moments along, and gives regrown ones fresh values).
  std::vector<int64_t> from;
};

/// rewireSlots on a CSR projection of `rows` x `cols` slots without a dense
/// array: `theta` holds the present synapses' magnitudes in CSR order. The
/// same steps, keys and selection rule as rewireSlots on the equivalent mask
/// (slot = row * cols + col), so both choose the same slots; the absent
/// slots are enumerated, not stored (a hash per slot and a bounded heap of
/// the n best: memory in proportion to the synapses moved). RigL's `grads`
/// gets the candidate absent slots: `candidates` x removed drawn at random,
/// or every absent slot when `candidates` is 0 (a dense gradient, at rewiring
/// steps only). On return rowPtr/colIdx/theta describe the new synapses.
Status rewireCsr(const SlotRewireSpec &spec, uint32_t rows, uint32_t cols,
                 std::vector<uint64_t> &rowPtr, std::vector<uint32_t> &colIdx,
                 std::vector<float> &theta, const SlotGradientFn &grads,
                 CsrRewireResult &result);

/// The delay (frozen) or DCLS position (learned) a regrown CSR synapse gets:
/// a fixed function of (seed, projection, slot), uniform over [0, maxDelay)
/// or [-h, h], h = (maxDelay - 1) / 2, like the dense layout's one drawn
/// value per slot (docs/sparse-training.md, "CSR").
int32_t regrownDelay(uint64_t seed, uint64_t projection, uint64_t slot,
                     uint32_t maxDelay);
float regrownPosition(uint64_t seed, uint64_t projection, uint64_t slot,
                      uint32_t maxDelay);

/// Rewires the projections of `model` that carry Dale signs (dense layout
/// with a mask, or CSR; see sparsify). Stateless between steps apart from counters; randomness is
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
  Status afterStepCsr(StepContext &ctx, size_t m, const SlotRewireSpec &spec,
                      bool onGpu);
  RewireConfig cfg_;
  std::vector<int> managed_;
  /// Per managed tensor: CSR layout, its position tensor (-1: delays), the
  /// projection's index, Dmax and size.
  struct CsrInfo {
    bool csr = false;
    int posParam = -1;
    uint64_t projection = 0;
    uint32_t maxDelay = 1, rows = 0, cols = 0;
  };
  std::vector<CsrInfo> info_;
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
