//===- Trainer.h - BPTT training loop with checkpoints ----------*- C++ -*-===//
//
// Epochs of shuffled mini-batches: forward, SNN-F10 loss plus L1, backward
// through time, Adam with separate learning rates for weights and DCLS
// positions (OneCycle and cosine schedules, stepped per epoch), position
// clamp (SNN-F3) and sigma annealing. Every setting of the paper
// (docs/reference.md §1) is a field of TrainConfig. Randomness comes from
// streams derived from (seed, epoch, batch), so a checkpoint at an epoch
// boundary plus the seed determines the rest of the run exactly.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/device/Device.h"
#include "snnrt/model/Model.h"
#include "snnrt/model/Quantization.h"
#include "snnrt/train/Augment.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/TrainingHistory.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace snnrt {

/// What a per-step hook sees: the engine right after the optimiser step of
/// one batch (gradients of that batch still stored) and the Adam moments, so
/// that a hook which changes the network (sparse rewiring) can reset them.
struct StepContext {
  Engine<float> &engine;
  int64_t epoch = 0;      ///< 0-based
  uint64_t batch = 0;     ///< 0-based within the epoch
  int64_t step = 0;       ///< optimiser steps so far, this one included
  double lrWeights = 0;   ///< the weights' rate used by this step
  std::vector<std::vector<float>> &adamM, &adamV; ///< per params() entry
  /// Set when training runs on the GPU (TrainConfig::device): slot
  /// gradients from the device (the CPU engine then holds no activations),
  /// with Engine::slotGradients's meaning. Hooks call this when set.
  std::function<Status(int, const std::vector<size_t> &, std::vector<float> &)>
      slotGradients;
  /// Set with slotGradients when it serves gradients held on the host (a
  /// micro-batched run's, reduced over its micro-batches before the step):
  /// rewiring then stays on the CPU.
  bool slotGradientsOnHost = false;
};

/// Slot gradients a micro-batched run computes ahead of a step
/// (TrainConfig::slotGradientsNeeded): Engine::slotGradients at `slots`
/// (ascending) of weight tensor `param`, with `timing` when not empty (CSR
/// projections: the position or delay a regrown synapse would get).
struct SlotGradientRequest {
  int param = -1;
  std::vector<size_t> slots;
  std::vector<double> timing;
};

struct TrainConfig {
  int64_t epochs = 150;
  uint32_t batch = 256;
  uint64_t seed = 1;
  int threads = 1;
  // Weights, biases, BatchNorm: Adam with OneCycle (PyTorch OneCycleLR,
  // cosine, stepped per epoch) from lrWeights up to lrWeightsMax and down to
  // lrWeights / oneCycleFinalDiv. The paper's code creates Adam with 1e-3,
  // but OneCycleLR replaces that by max_lr / div_factor = 5e-3 / 25 = 2e-4,
  // which is therefore the default start here.
  double lrWeights = 2e-4;
  double lrWeightsMax = 5e-3;
  double oneCyclePctStart = 0.3;
  double oneCycleFinalDiv = 1e4;
  /// PyTorch's OneCycleLR also cycles Adam's beta1 of the weights inversely
  /// to the rate (max at the start and end, base at the peak); its defaults.
  bool oneCycleMomentum = true;
  double oneCycleBaseMomentum = 0.85, oneCycleMaxMomentum = 0.95;
  // DCLS positions: Adam lrPositions with cosine annealing to 0.
  double lrPositions = 0.1;
  double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8;
  double l1 = 0.01; ///< SNN-F10: lambda_1 * sum |W|
  // SNN-F3 sigma annealing: sigma *= (sigmaEnd / sigma0)^(1/sigmaEpochs)
  // per epoch for the first sigmaEpochs epochs (sigma0 from the model).
  double sigmaEnd = 0.23;
  int64_t sigmaEpochs = 37;
  /// Random shifts of every training sample in time and across channels,
  /// drawn from (seed, epoch, batch) so that resuming stays exact; none by
  /// default (the paper trains on the samples as they are).
  AugmentSpec augment;
  /// Biases (`bias` and the synaptic `bias_syn`, SNN-F8) stay at their
  /// initial value unless set.
  bool trainBias = false;
  double surrogateAlpha = 5.0;
  double truncationRadius = 5.0;
  /// How projections compute their current (EngineOptions::strategy); Auto
  /// except in benchmarks that time one strategy against another.
  ProjectionStrategy strategy = ProjectionStrategy::Auto;
  /// EngineOptions::skipUnobserved (off only to time the engine without it).
  bool skipUnobserved = true;
  /// EngineOptions::computeAllSpikes (set by attachRewiring for RigL).
  bool computeAllSpikes = false;
  /// First epoch (0-based) whose loss carries the L1 term; before it the
  /// network learns the task unpenalised (0: from the start, the paper's).
  int64_t l1StartEpoch = 0;
  /// With a validation set: stop after this many epochs without a better
  /// validation accuracy (0: never stop early).
  int64_t patience = 0;
  /// With a validation set, model() is the network of the epoch with the
  /// best validation accuracy (ties: the lower validation loss; then the
  /// earlier epoch), not the last one.
  bool selectBest = true;
  /// Quantisation-aware fine-tuning (docs/training.md): the last this many
  /// epochs run, forward and backward, the network the plan will compute on
  /// `quantGrid` (snapToGrid of the current weights before every batch, the
  /// gradient applied to the float weights: a straight-through estimator;
  /// frame inputs on the plan's input grid, snapInputs), with evaluation
  /// semantics otherwise: BatchNorm's running statistics frozen, no dropout,
  /// the rounded integer delays (SNN-F4) and the DCLS positions frozen. Every
  /// model those epochs produce is snapped, and model selection restarts
  /// with them: the kept network is chosen by the validation accuracy of
  /// the snapped network on snapped inputs. 0: none. CPU engine, whole
  /// batches only.
  int64_t quantAwareEpochs = 0;
  WeightGrid quantGrid;
  /// Weight averaging: after every optimiser step from epoch emaStartEpoch
  /// (0-based) on, an exponential moving average of the trained tensors
  /// (weights, DCLS positions, biases, BatchNorm gamma and beta) moves
  /// towards them by 1 - emaDecay (updateAverage). Evaluation, validation,
  /// the network kept and model() use the average; training continues from
  /// the trained tensors, and the checkpoint holds both. BatchNorm's running
  /// statistics are averaged alike (the trained network's would not fit the
  /// averaged weights). 0: none.
  /// CPU engine; not with rewiring (the synapses would move under it).
  double emaDecay = 0;
  int64_t emaStartEpoch = 0;
  /// Evaluation batch size (test accuracy every epoch).
  uint32_t evalBatch = 256;
  /// Written after every epoch (atomically) when not empty.
  std::string checkpointPath;
  /// Where forward, backward and the optimiser step run: Cpu or Cuda (a
  /// resolved device, see resolveDevice; Auto counts as Cpu). On Cuda the
  /// parameters still live in engine()'s tensors, so checkpoints, resume and
  /// afterStep hooks (DEEP R; RigL through StepContext::slotGradients)
  /// behave as on the CPU; results agree within the tolerances of
  /// test/unit/device.
  Device device = Device::Cpu;
  /// Called after every optimiser step when set (sparse rewiring,
  /// docs/sparse-training.md). It must draw its randomness from (seed, epoch,
  /// batch) so that resuming stays exact.
  std::function<Status(StepContext &)> afterStep;

  // Data-parallel training (docs/training.md, "Data-parallel training").
  /// Samples per micro-batch: each batch is computed as consecutive
  /// micro-batches of this size (BatchNorm statistics per micro-batch), whose
  /// gradients are summed in micro-batch order, so the result depends on
  /// this size but not on how many ranks compute the micro-batches. 0: the
  /// batch is computed whole, as one engine batch.
  uint32_t microBatch = 0;
  /// The ranks sharing each batch (contiguous runs of micro-batches each);
  /// null: this process alone. Every rank holds the same model after every
  /// step; only rank 0 writes checkpoints. Several ranks need microBatch.
  Collective *collective = nullptr;
  /// Micro-batched runs: the slot gradients the afterStep hook of optimiser
  /// step `step` (1-based) may ask StepContext::slotGradients for. They are
  /// computed per micro-batch before the step, while its activations exist,
  /// and summed like the gradients (RigL).
  std::function<std::vector<SlotGradientRequest>(const Engine<float> &,
                                                 int64_t step)>
      slotGradientsNeeded;
};

struct EpochReport {
  int64_t epoch = 0; ///< 1-based
  int64_t epochs = 0;
  double loss = 0;   ///< mean over batches of cross-entropy + L1
  double trainAccuracy = 0, testAccuracy = -1;
  /// On the validation split (-1 without one); bestEpoch is the 1-based
  /// epoch whose network model() returns so far, improved says it is this
  /// one, stopEarly that the patience ran out after this epoch.
  double valAccuracy = -1, valLoss = -1;
  int64_t bestEpoch = 0;
  bool improved = false, stopEarly = false;
  /// The epoch ran on the plan's grid (TrainConfig::quantAwareEpochs); its
  /// accuracies are the snapped network's.
  bool quantAware = false;
  double sigma = 0, lrWeights = 0, lrPositions = 0, beta1Weights = 0;
  double seconds = 0, etaSeconds = 0;
};

struct EvalResult {
  size_t samples = 0;
  double accuracy = 0;
  double loss = 0; ///< mean cross-entropy (SNN-F10, no L1)
  uint32_t classes = 0;
  std::vector<uint64_t> confusion; ///< [true][predicted], classes x classes
  /// The predicted class of each sample, in the dataset's order (filled by
  /// one process; empty when ranks split the evaluation).
  std::vector<int32_t> predictions;
};

/// Called after each batch with (samples done, total).
using ProgressFn = std::function<void(size_t, size_t)>;

/// Evaluation semantics: running BatchNorm statistics, no dropout, rounded
/// integer delays (SNN-F4).
Expected<EvalResult> evaluate(const Model &model, const Dataset &data,
                              int threads = 1, uint32_t batch = 256,
                              Device device = Device::Cpu,
                              const ProgressFn &progress = {});

/// PyTorch OneCycleLR (anneal cos, three_phase off) at `step` of `total`.
double oneCycleLr(double initial, double maxLr, double pctStart,
                  double finalDiv, int64_t step, int64_t total);
/// PyTorch OneCycleLR's cycled momentum (beta1) at `step` of `total`.
double oneCycleBeta1(double baseMomentum, double maxMomentum, double pctStart,
                     int64_t step, int64_t total);
/// One step of weight averaging (TrainConfig::emaDecay): `average` becomes
/// a copy of `value` at the first step (`steps` = 0, steps averaged so
/// far), then decay * average + (1 - decay) * value, in double, rounded to
/// float.
void updateAverage(std::vector<float> &average, const std::vector<float> &value,
                   double decay, int64_t steps);
/// CosineAnnealingLR with eta_min 0 at `step` of `total`.
double cosineLr(double base, int64_t step, int64_t total);
/// The DCLS width used during epoch `epoch` (0-based).
double annealedSigma(double sigma0, double sigmaEnd, int64_t sigmaEpochs,
                     int64_t epoch);

class Trainer {
public:
  /// `model` is the initial network (see buildFeedForward). `test` may be
  /// null (no test accuracy); it is only reported, never used to choose.
  /// `validation` may be null; when set, it chooses the network model()
  /// returns (TrainConfig::selectBest) and when to stop (patience).
  static Expected<std::unique_ptr<Trainer>>
  create(const Model &model, const TrainConfig &config, const Dataset &train,
         const Dataset *test, const Dataset *validation = nullptr);
  /// Continues from a checkpoint written by a run with the same config (and
  /// its best network so far, from bestModelPath(checkpointPath)).
  static Expected<std::unique_ptr<Trainer>>
  resume(const std::string &checkpointPath, const TrainConfig &config,
         const Dataset &train, const Dataset *test,
         const Dataset *validation = nullptr);
  /// Where a run with a validation set keeps the best network so far next
  /// to its checkpoint (rewritten when validation accuracy improves).
  static std::string bestModelPath(const std::string &checkpointPath);
  ~Trainer();

  /// Runs the remaining epochs (all, or up to `stopAfter` more when >= 0),
  /// calling `report` after each one.
  Status run(const std::function<void(const EpochReport &)> &report,
             int64_t stopAfter = -1);
  /// One epoch; exposed for tests and benchmarks.
  Expected<EpochReport> runEpoch();

  int64_t epochsDone() const;
  /// The network to keep: with a validation set (and selectBest) the one of
  /// the best validation epoch, else the current one.
  Model model() const;
  /// The current network (parameters, running statistics, sigma); with
  /// weight averaging (TrainConfig::emaDecay) under way, the average.
  Model currentModel() const;
  /// The network as trained, never averaged.
  Model trainedModel() const;
  /// Optimiser steps averaged so far (TrainConfig::emaDecay; 0: none yet).
  int64_t averagedSteps() const;
  /// 1-based epoch of model()'s network (0: none chosen yet).
  int64_t bestEpoch() const;
  /// Whether the patience ran out (run() stops then).
  bool stoppedEarly() const;
  /// Every epoch so far (a resumed run's includes those before the
  /// checkpoint), with keptEpoch = bestEpoch().
  TrainingHistory history() const;
  Engine<float> &engine();

  struct State;

private:
  explicit Trainer(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

} // namespace snnrt
