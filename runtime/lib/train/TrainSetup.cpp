//===- TrainSetup.cpp - A training run from its settings ------------------===//

#include "snnrt/train/TrainSetup.h"

#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Augment.h"
#include "snnrt/train/Sparsity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

namespace snnrt {

const char *toString(Recipe recipe) {
  switch (recipe) {
  case Recipe::Paper:
    return "paper";
  case Recipe::Fast:
    return "fast";
  case Recipe::Long:
    return "long";
  case Recipe::Longer:
    return "longer";
  }
  return "fast";
}

std::optional<Recipe> parseRecipe(const std::string &text) {
  if (text == "paper")
    return Recipe::Paper;
  if (text == "fast")
    return Recipe::Fast;
  if (text == "long")
    return Recipe::Long;
  if (text == "longer")
    return Recipe::Longer;
  return std::nullopt;
}

void applyRecipe(TrainSettings &s, Recipe recipe) {
  TrainSettings paper; // the struct's defaults are the paper's
  s.epochs = paper.epochs;
  s.batch = paper.batch;
  s.lrWeights = paper.lrWeights;
  s.lrWeightsMax = paper.lrWeightsMax;
  s.lrPositions = paper.lrPositions;
  s.l1 = paper.l1;
  s.l1StartEpoch = paper.l1StartEpoch;
  s.warmup = paper.warmup;
  s.sigmaStart = paper.sigmaStart;
  s.sigmaEnd = paper.sigmaEnd;
  s.sigmaEpochs = paper.sigmaEpochs;
  s.dropout = paper.dropout;
  s.readoutGain = paper.readoutGain;
  s.valFraction = paper.valFraction;
  s.valGroups = paper.valGroups;
  s.patience = paper.patience;
  s.augmentTime = paper.augmentTime;
  s.augmentChannels = paper.augmentChannels;
  s.augmentWarp = paper.augmentWarp;
  s.augmentBandGain = paper.augmentBandGain;
  s.augmentFormant = paper.augmentFormant;
  s.augmentMelTopHz = paper.augmentMelTopHz;
  s.quantAwareEpochs = paper.quantAwareEpochs;
  s.emaDecay = paper.emaDecay;
  s.emaStartEpoch = paper.emaStartEpoch;
  if (recipe == Recipe::Paper)
    return;
  // Fast (docs/training.md has the runs behind each choice): more, smaller
  // steps (batch 32); OneCycle's warm-up from 2e-4 kept (starting at the
  // peak rate saturated the readout); a readout initialised 7x smaller so
  // its per-step softmax starts unsaturated; no L1 (it dominated the loss);
  // DCLS from sigma 2 (not 12) annealed over 6 epochs, so most epochs run
  // with narrow, cheap kernels; a validation split of the training voices
  // chooses the epoch kept.
  s.epochs = 24;
  s.batch = 32;
  s.l1 = 0;
  s.warmup = 0.2;
  s.readoutGain = 0.2;
  s.sigmaStart = 2;
  s.sigmaEpochs = 6;
  s.valFraction = 0.1;
  // Fast keeps the split its runs were measured with (by speaker) whether
  // or not the file records variants (docs/training.md).
  s.valGroups = ValidationGroups::Speaker;
  // The last sixth of the epochs (4 of 24) train the plan's network
  // (loihi2's grid unless --quant-target says otherwise): seed 4's plan
  // moved from 0.9 points below its float model to 0.2 above
  // (docs/training.md, "Quantisation-aware fine-tuning").
  s.quantAwareEpochs = -1;
  if (recipe == Recipe::Fast)
    return;
  // Long: the test voices are timbres never heard in training, and fast's
  // runs ended still learning (train accuracy ~95 % with dropout); twice the
  // epochs with shifted inputs (a channel shift moves the formants, as
  // another vocal tract does) reached 94.0, 95.0 and 92.9 % on them (seeds
  // 1-3, mean 94.0 %; fast: 91.3-92.3 %, docs/training.md, "Recipes over
  // seeds").
  s.epochs = 48;
  s.sigmaEpochs = 12;
  s.augmentTime = 4;
  // The voices the networks failed on ('snnc eval --by variant': travis
  // at 75-78 %) move each formant by its own factor and tilt the spectrum;
  // +-2 channels, a warp of up to 2 channels and a band gain of up to 20 %
  // lifted them to 80-84 % and this recipe's mean from 93.9 to 94.7 %
  // (94.5 % on today's draw of the digits; docs/training.md, "Warped and
  // tilted inputs").
  s.augmentChannels = 2;
  s.augmentWarp = 2;
  s.augmentBandGain = 0.2;
  // Weight averaging over the second half of the epochs.
  s.emaDecay = 0.998;
  s.emaStartEpoch = 24;
  // Validation holds out whole voice variants where the file records them
  // (the built-in digits), as the test split does.
  s.valGroups = ValidationGroups::Auto;
  if (recipe == Recipe::Long)
    return;
  // Longer: 120 epochs, sigma and the average scaled with them. 80 epochs
  // gave 95.2 +- 0.3 % on one engine and 94.8 +- 0.5 % on the FFT engine
  // (the same sums rounded otherwise: each seed takes another path, the
  // test curves of the weak seeds still rising at the end); 120 lifted
  // every seed (docs/training.md, "120 epochs").
  s.epochs = 120;
  s.sigmaEpochs = 30;
  s.emaStartEpoch = 60;
}

NetworkSpec networkSpec(const TrainSettings &settings, const Dataset &train) {
  NetworkSpec spec;
  spec.inputs = train.channels;
  spec.hidden.assign(size_t(settings.hiddenLayers), uint32_t(settings.hidden));
  spec.outputs = train.numClasses;
  spec.steps = train.steps;
  spec.dt = train.dtSeconds;
  spec.tauMemSteps = settings.tauMemSteps;
  if (settings.tauSynSteps > 0)
    spec.tauSynSteps = settings.tauSynSteps;
  spec.decay = settings.decay;
  spec.threshold = settings.threshold;
  spec.reset = settings.reset;
  spec.convention = settings.convention;
  spec.inputKind = train.kind;
  spec.inputScale = settings.inputScale >= 0
                        ? settings.inputScale
                        : (train.kind == InputKind::Frames ? 20.0 : 1.0);
  spec.maxDelay = uint32_t(settings.maxDelay);
  spec.delays = settings.delays;
  spec.batchnorm = settings.batchnorm;
  spec.dropout = settings.dropout;
  if (settings.readoutGain >= 0)
    spec.readoutGain = settings.readoutGain;
  if (settings.sigmaStart >= 0)
    spec.sigma0 = settings.sigmaStart;
  return spec;
}

int64_t quantAwareEpochs(const TrainSettings &settings) {
  if (settings.quantAwareEpochs >= 0)
    return settings.quantAwareEpochs;
  // Automatic: where the trainer can run it (one process, whole batches,
  // the CPU engine), a sixth of the epochs; none in runs too short to have
  // float epochs before it.
  const bool manyRanks = settings.collective && settings.collective->size() > 1;
  if (settings.device == Device::Cuda || settings.microBatch > 0 || manyRanks)
    return 0;
  return settings.epochs / 6;
}

TrainConfig trainConfig(const TrainSettings &settings) {
  TrainConfig cfg;
  cfg.epochs = settings.epochs;
  cfg.batch = uint32_t(settings.batch);
  cfg.seed = uint64_t(settings.seed);
  cfg.threads = settings.threads > 0
                    ? int(settings.threads)
                    : int(std::max(1u, std::thread::hardware_concurrency()));
  cfg.lrWeights = settings.lrWeights;
  cfg.lrWeightsMax = settings.lrWeightsMax;
  cfg.lrPositions = settings.lrPositions;
  cfg.l1 = settings.l1;
  cfg.l1StartEpoch = settings.l1StartEpoch;
  cfg.oneCyclePctStart = settings.warmup;
  cfg.patience = settings.patience;
  cfg.sigmaEnd = settings.sigmaEnd;
  cfg.sigmaEpochs = settings.sigmaEpochs;
  cfg.trainBias = settings.trainBias;
  cfg.quantAwareEpochs = quantAwareEpochs(settings);
  cfg.quantGrid = settings.quantGrid;
  cfg.emaDecay = settings.emaDecay;
  cfg.emaStartEpoch = settings.emaStartEpoch;
  cfg.augment.timeShift = uint32_t(settings.augmentTime);
  cfg.augment.channelShift = uint32_t(settings.augmentChannels);
  cfg.augment.warpChannels = settings.augmentWarp;
  cfg.augment.bandGain = settings.augmentBandGain;
  cfg.augment.formantScale = settings.augmentFormant;
  cfg.augment.melTopHz = settings.augmentMelTopHz;
  cfg.checkpointPath = settings.checkpointPath;
  cfg.device = settings.device;
  cfg.microBatch = uint32_t(settings.microBatch);
  cfg.collective = settings.collective;
  return cfg;
}

namespace {

/// Dense or CSR storage for this run: on the GPU, Auto keeps the dense
/// layout (the CUDA rewirer works on masks).
SparseFormat sparseFormatOf(const TrainSettings &settings) {
  if (settings.device == Device::Cuda &&
      settings.sparseFormat == SparseFormat::Auto)
    return SparseFormat::Dense;
  return resolveSparseFormat(settings.sparseFormat, settings.sparsity);
}

/// A fresh network, made sparse and signed when `settings` asks for it.
Expected<Model> freshModel(const TrainSettings &settings, const Dataset &train,
                           uint64_t seed) {
  auto model = buildFeedForward(networkSpec(settings, train), seed);
  if (!model)
    return model.status();
  if (settings.sparsity >= 0) {
    SparsitySpec sparsity;
    sparsity.sparsity = settings.sparsity;
    sparsity.excitatoryFraction = settings.excitatoryFraction;
    SNNRT_TRY(sparsify(*model, sparsity, seed));
    if (sparseFormatOf(settings) == SparseFormat::Csr)
      SNNRT_TRY(toCsrLayout(*model));
  }
  return model;
}

/// The checkpoint's network: its structure (mask, signs) is the run's.
Expected<Model> checkpointModel(const TrainSettings &settings) {
  auto model = readModel(settings.checkpointPath);
  if (!model)
    return model.status();
  bool sparseRun = false;
  for (const auto &pj : model->projections)
    sparseRun |= !pj.signs.empty() && (!pj.mask.empty() || pj.isCsr());
  // Without the rewirer, theta could go below 0 and flip a synapse against
  // its source's sign (SNN-F2).
  if (sparseRun && settings.sparsity < 0)
    return Status::error(settings.checkpointPath +
                             ": a sparse run (mask and Dale signs); resume it "
                             "with the same --sparsity and --rewire",
                         ErrorKind::BadInput);
  return model;
}

} // namespace

Expected<std::unique_ptr<TrainingRun>>
setupTraining(const TrainSettings &settings) {
  auto run = std::make_unique<TrainingRun>();
  auto train = readDataset(settings.trainPath);
  if (!train)
    return train.status();
  run->train = train.take();
  // A shift as long as the window (or the channels) leaves some samples
  // silent: almost certainly a mistyped option.
  if (settings.augmentTime >= int64_t(run->train.steps) ||
      settings.augmentChannels >= int64_t(run->train.channels))
    return Status::error(
        settings.trainPath + ": --augment-time " +
            std::to_string(settings.augmentTime) + " / --augment-channels " +
            std::to_string(settings.augmentChannels) +
            " must be below the samples' " + std::to_string(run->train.steps) +
            " steps / " + std::to_string(run->train.channels) + " channels",
        ErrorKind::BadInput);
  const double warpLimit = maxWarp(int64_t(run->train.channels));
  if (!(settings.augmentWarp >= 0) ||
      (settings.augmentWarp > 0 && !(settings.augmentWarp < warpLimit))) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.3g", warpLimit);
    return Status::error(
        settings.trainPath + ": --augment-warp " +
            std::to_string(settings.augmentWarp) + " must lie in [0, " +
            limit + ") for " + std::to_string(run->train.channels) +
            " channels ((C - 1) / 2 pi: a larger warp folds the channel axis)",
        ErrorKind::BadInput);
  }
  if (!(settings.augmentBandGain >= 0 && settings.augmentBandGain < 1))
    return Status::error("--augment-band-gain " +
                             std::to_string(settings.augmentBandGain) +
                             " must lie in [0, 1)",
                         ErrorKind::BadInput);
  if (!(settings.augmentFormant >= 0 && settings.augmentFormant < 1))
    return Status::error("--augment-formant " +
                             std::to_string(settings.augmentFormant) +
                             " must lie in [0, 1) (frequencies scaled by "
                             "at most 1 + X either way)",
                         ErrorKind::BadInput);
  if (!(settings.augmentMelTopHz > 0 &&
        std::isfinite(settings.augmentMelTopHz)))
    return Status::error("--augment-mel-top " +
                             std::to_string(settings.augmentMelTopHz) +
                             " must be a positive frequency in Hz",
                         ErrorKind::BadInput);
  if (settings.valFraction > 0) {
    auto split = splitValidation(run->train, settings.valFraction,
                                 uint64_t(settings.seed), settings.valGroups);
    if (!split) {
      Status st = split.status();
      return st.withContext(settings.trainPath);
    }
    run->validationBySpeaker = split->bySpeaker;
    run->validationByVariant = split->byVariant;
    run->validationIds = split->heldOutIds;
    run->validationSpeakers = split->heldOutSpeakers;
    run->trainingSpeakers = split->speakers - split->heldOutSpeakers;
    run->train = std::move(split->train);
    run->validation = std::move(split->validation);
  }
  if (!settings.testPath.empty()) {
    auto test = readDataset(settings.testPath);
    if (!test)
      return test.status();
    run->test = test.take();
  }
  TrainConfig cfg = trainConfig(settings);
  run->threads = cfg.threads;

  auto initial = settings.resume ? checkpointModel(settings)
                                 : freshModel(settings, run->train, cfg.seed);
  if (!initial)
    return initial.status();
  if (settings.device == Device::Cuda && settings.rewire != RewireMode::None &&
      !settings.resume && sparseFormatOf(settings) == SparseFormat::Csr)
    return Status::error("--sparse-format csr rewires on the CPU only; on the "
                         "GPU use --sparse-format dense (or auto)",
                         ErrorKind::BadInput);
  if (settings.sparsity >= 0) {
    RewireConfig rewire;
    rewire.mode = settings.rewire;
    rewire.interval = settings.rewireInterval;
    rewire.temperature = settings.rewireTemperature;
    rewire.l1Step = settings.rewireL1;
    rewire.candidates = uint32_t(settings.riglCandidates);
    rewire.seed = cfg.seed;
    attachRewiring(cfg, *initial, rewire, &run->rewirer);
    if (settings.emaDecay > 0 && settings.rewire != RewireMode::None)
      return Status::error("--ema-decay averages fixed synapses; with "
                           "--rewire they move under the average",
                           ErrorKind::BadInput);
  } else if (settings.rewire != RewireMode::None) {
    return Status::error("--rewire needs --sparsity (the budget)",
                         ErrorKind::BadInput);
  }

  const Dataset *test = run->test ? &*run->test : nullptr;
  const Dataset *val = run->validation ? &*run->validation : nullptr;
  auto trainer =
      settings.resume
          ? Trainer::resume(settings.checkpointPath, cfg, run->train, test, val)
          : Trainer::create(*initial, cfg, run->train, test, val);
  if (!trainer)
    return trainer.status();
  run->trainer = trainer.take();
  return run;
}

} // namespace snnrt
