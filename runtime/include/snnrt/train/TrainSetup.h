//===- TrainSetup.h - A training run from its settings ----------*- C++ -*-===//
//
// Everything between `snnc train`'s options and the first epoch: the
// network's shape from the training dataset, the optimiser's configuration,
// the initial network (fresh, optionally sparse, or the checkpoint's when
// resuming), rewiring, and the trainer. Defaults are the paper's setting
// (docs/reference.md §1); the dataset fixes inputs, classes, steps and dt.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/device/Device.h"
#include "snnrt/model/Model.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace snnrt {

/// A named set of defaults for the settings below (applyRecipe).
enum class Recipe {
  /// The authors' setting (docs/reference.md §1): 150 epochs, L1 from the
  /// start, sigma annealed over 37 epochs, no validation split; the last
  /// epoch's network is kept.
  Paper,
  /// snnc's short schedule (docs/training.md): converges in a few epochs
  /// with a validation split (by speaker) choosing the network kept.
  Fast,
  /// Fast's rates over twice the epochs, sigma annealed over 12, every
  /// training sample shifted by up to 4 steps and 2 channels, its channel
  /// axis warped by up to 2 channels and its bands scaled by up to 20 %
  /// (SNN-F14), weights averaged over the second half, validation holding
  /// out whole voice variants where the file records them: better on unseen
  /// voices at twice fast's cost (docs/training.md).
  Long,
  /// Long over 120 epochs (sigma annealed over 30, the average from epoch
  /// 61): the schedule that passes 95 % on the built-in digits' unseen
  /// voices (docs/training.md).
  Longer,
};
const char *toString(Recipe recipe);
std::optional<Recipe> parseRecipe(const std::string &text);

/// The settings of one training run. Integer fields are int64_t so that an
/// option parser can fill them directly.
struct TrainSettings {
  std::string trainPath;      ///< training dataset
  std::string testPath;       ///< evaluated every epoch; empty: none
  std::string checkpointPath; ///< written every epoch, read when resuming
  bool resume = false;        ///< continue from the checkpoint exactly

  // The network (NetworkSpec).
  int64_t hidden = 256;
  /// Hidden layers of `hidden` neurons each (the paper's SHD network: 2).
  int64_t hiddenLayers = 1;
  int64_t maxDelay = 25;
  DelayMode delays = DelayMode::Learn;
  double tauMemSteps = 10.05;
  double tauSynSteps = 0; ///< 0: no CuBa synapse (SNN-F8)
  double threshold = 1.0;
  ResetMode reset = ResetMode::Hard;
  /// Float LIF convention of the hidden layers (SNN-F13).
  NeuronConvention convention = NeuronConvention::Paper;
  DecayMode decay = DecayMode::Linear;
  double inputScale = -1; ///< < 0: 20 for frames (RawHD), 1 for spikes
  bool batchnorm = true;
  double dropout = 0.4;
  double readoutGain = -1; ///< < 0: the Kaiming gain sqrt(2) of every layer

  // The optimiser and its schedules (TrainConfig).
  int64_t epochs = 150;
  int64_t batch = 256;
  int64_t seed = 1;
  int64_t threads = 0; ///< 0: every core
  double lrWeights = 2e-4, lrWeightsMax = 5e-3, lrPositions = 0.1;
  double l1 = 0.01;
  int64_t l1StartEpoch = 0; ///< first epoch (0-based) with the L1 term
  double warmup = 0.3;      ///< OneCycle's rising fraction (pct_start)
  double sigmaStart = -1;   ///< < 0: (Dmax - 1) / 2, the paper's 12 for 25
  double sigmaEnd = 0.23;
  int64_t sigmaEpochs = 37;
  /// Fraction of the training set (of its speakers, when recorded) held out
  /// for model selection; 0: none, the last epoch's network is kept.
  double valFraction = 0;
  /// What the validation split holds out whole (splitValidation): Auto
  /// takes voice variants where the file records them (the built-in
  /// digits), as the test split does.
  ValidationGroups valGroups = ValidationGroups::Auto;
  int64_t patience = 0; ///< stop after N epochs without a better validation
  /// Random shifts of each training sample (AugmentSpec): steps, channels.
  int64_t augmentTime = 0, augmentChannels = 0;
  /// Random channel warp (channels) and band gain of each training sample
  /// (AugmentSpec::warpChannels, bandGain).
  double augmentWarp = 0, augmentBandGain = 0;
  /// Random formant scale of each training sample and the top of the mel
  /// filterbank its channels come from (AugmentSpec::formantScale, melTopHz).
  double augmentFormant = 0, augmentMelTopHz = 8000;
  bool trainBias = false;
  Device device = Device::Cpu; ///< resolved (resolveDevice)
  /// Quantisation-aware fine-tuning: the last N epochs train the network on
  /// `quantGrid` (TrainConfig::quantAwareEpochs; docs/training.md); < 0:
  /// automatic (quantAwareEpochs() below), the fast and long recipes'.
  int64_t quantAwareEpochs = 0;
  WeightGrid quantGrid; ///< loihi2's unless set (snnc train --quant-target)
  /// Weight averaging (TrainConfig::emaDecay): decay per optimiser step, 0:
  /// none; the first epoch (0-based) averaged.
  double emaDecay = 0;
  int64_t emaStartEpoch = 0;

  // Sparse training (docs/sparse-training.md).
  double sparsity = -1; ///< < 0: dense and unsigned
  double excitatoryFraction = 0.5;
  RewireMode rewire = RewireMode::None; ///< None: a fixed mask
  int64_t rewireInterval = 1;
  double rewireTemperature = 0, rewireL1 = 0;
  int64_t riglCandidates = 0; ///< 0: every absent slot

  // Data-parallel training (TrainConfig::microBatch, docs/training.md).
  int64_t microBatch = 0; ///< 0: whole batches, as one engine batch
  /// The ranks sharing each batch (worldCollective() for `mpirun snnc
  /// train`); null: this process alone, whatever launched it (a sweep's
  /// cells are independent runs).
  Collective *collective = nullptr;
  /// Storage of a sparse run (--sparse-format); a resumed run keeps its
  /// checkpoint's. On the GPU, Auto means Dense.
  SparseFormat sparseFormat = SparseFormat::Auto;
};

/// Sets every field a recipe fixes (schedule, rates, regularisation,
/// validation); paths, network shape and device stay as they are.
void applyRecipe(TrainSettings &settings, Recipe recipe);

/// The network `settings` asks for on `train`'s inputs, classes and steps.
NetworkSpec networkSpec(const TrainSettings &settings, const Dataset &train);

/// The quantisation-aware epochs a run gets: the setting, or when it is
/// automatic (< 0) a sixth of the epochs on the CPU engine in one process
/// with whole batches, else none.
int64_t quantAwareEpochs(const TrainSettings &settings);

/// The trainer's configuration (without rewiring, which needs the initial
/// network: setupTraining attaches it).
TrainConfig trainConfig(const TrainSettings &settings);

/// A training run ready to start. It holds the datasets, the trainer and the
/// rewirer at fixed addresses (the trainer and the rewiring hook point at
/// them), so it lives behind a unique_ptr and is neither copied nor moved.
struct TrainingRun {
  Dataset train; ///< what is trained on (without validation)
  std::optional<Dataset> test;
  std::optional<Dataset> validation; ///< held out of the training file
  bool validationBySpeaker = false;
  bool validationByVariant = false; ///< whole voice variants held out
  /// Speakers (variants, when by variant) held out and trained on.
  size_t validationSpeakers = 0, trainingSpeakers = 0;
  std::vector<int32_t> validationIds; ///< the held-out ones' ids
  int threads = 1; ///< resolved
  /// Set after the first optimiser step of a sparse run, for statistics.
  std::shared_ptr<Rewirer> rewirer;
  std::unique_ptr<Trainer> trainer;

  TrainingRun() = default;
  TrainingRun(const TrainingRun &) = delete;
  TrainingRun &operator=(const TrainingRun &) = delete;
};

/// Reads the datasets, builds the initial network (or reads the checkpoint's
/// when resuming), makes it sparse and attaches rewiring when asked, and
/// creates (or resumes) the trainer. Errors: the datasets' and the
/// checkpoint's, --rewire without --sparsity, a sparse checkpoint resumed
/// without --sparsity.
Expected<std::unique_ptr<TrainingRun>>
setupTraining(const TrainSettings &settings);

} // namespace snnrt
