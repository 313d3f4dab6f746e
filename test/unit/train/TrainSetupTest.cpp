//===- TrainSetupTest.cpp - A training run from its settings --------------===//

#include "TimingTask.h"

#include "snnrt/train/TrainSetup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace snnrt;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/ts_" + std::to_string(getpid()) + "_" + name;
}

/// Settings for a small, fast run on the timing task written to a file.
TrainSettings smallRun(const std::string &name) {
  TrainSettings s;
  s.trainPath = tempPath(name + "-train.h5");
  EXPECT_TRUE(writeDataset(s.trainPath, fixtures::timingTask(32, 5, 30)));
  s.checkpointPath = tempPath(name + ".ckpt");
  s.hidden = 12;
  s.maxDelay = 6;
  s.epochs = 2;
  s.batch = 16;
  s.threads = 1;
  s.sigmaEpochs = 2;
  return s;
}

} // namespace

TEST(TrainSetup, NetworkSpecFollowsTheDatasetAndTheSettings) {
  TrainSettings s;
  Dataset spikes = fixtures::timingTask(4, 1, 30);
  NetworkSpec spec = networkSpec(s, spikes);
  EXPECT_EQ(spec.inputs, spikes.channels);
  EXPECT_EQ(spec.outputs, spikes.numClasses);
  EXPECT_EQ(spec.steps, spikes.steps);
  EXPECT_EQ(spec.dt, spikes.dtSeconds);
  EXPECT_EQ(spec.hidden, std::vector<uint32_t>{256});
  TrainSettings deep = s;
  deep.hidden = 64;
  deep.hiddenLayers = 3;
  EXPECT_EQ(networkSpec(deep, spikes).hidden,
            (std::vector<uint32_t>{64, 64, 64}));
  EXPECT_EQ(spec.inputKind, InputKind::Spikes);
  EXPECT_EQ(spec.inputScale, 1.0); // spikes count as they are
  EXPECT_FALSE(spec.tauSynSteps.has_value());

  Dataset frames = spikes;
  frames.kind = InputKind::Frames;
  EXPECT_EQ(networkSpec(s, frames).inputScale, 20.0); // RawHD's x20

  s.inputScale = 3;
  s.tauSynSteps = 5;
  s.reset = ResetMode::Subtract;
  s.decay = DecayMode::Exp;
  s.batchnorm = false;
  spec = networkSpec(s, frames);
  EXPECT_EQ(spec.inputScale, 3.0);
  ASSERT_TRUE(spec.tauSynSteps.has_value());
  EXPECT_EQ(*spec.tauSynSteps, 5.0);
  EXPECT_EQ(spec.reset, ResetMode::Subtract);
  EXPECT_EQ(spec.decay, DecayMode::Exp);
  EXPECT_FALSE(spec.batchnorm);
}

TEST(TrainSetup, TrainConfigCarriesTheSettings) {
  TrainSettings s;
  s.epochs = 7;
  s.batch = 32;
  s.seed = 9;
  s.lrWeights = 1e-3;
  s.sigmaEpochs = 3;
  s.trainBias = true;
  s.checkpointPath = "x.ckpt";
  s.augmentTime = 4;
  s.augmentChannels = 2;
  TrainConfig cfg = trainConfig(s);
  EXPECT_EQ(cfg.augment.timeShift, 4u);
  EXPECT_EQ(cfg.augment.channelShift, 2u);
  EXPECT_EQ(cfg.epochs, 7);
  EXPECT_EQ(cfg.batch, 32u);
  EXPECT_EQ(cfg.seed, 9u);
  EXPECT_EQ(cfg.lrWeights, 1e-3);
  EXPECT_EQ(cfg.sigmaEpochs, 3);
  EXPECT_TRUE(cfg.trainBias);
  EXPECT_EQ(cfg.checkpointPath, "x.ckpt");
  EXPECT_GE(cfg.threads, 1); // 0: every core
  s.threads = 3;
  EXPECT_EQ(trainConfig(s).threads, 3);
}

TEST(TrainSetup, DenseRunTrains) {
  TrainSettings s = smallRun("dense");
  auto run = setupTraining(s);
  ASSERT_TRUE(run) << run.status().message();
  EXPECT_EQ((*run)->train.size(), 32u);
  EXPECT_FALSE((*run)->test.has_value());
  EXPECT_EQ((*run)->threads, 1);
  ASSERT_TRUE((*run)->trainer->run(nullptr, 1));
  EXPECT_EQ((*run)->trainer->epochsDone(), 1);
  EXPECT_FALSE((*run)->rewirer); // dense: nothing rewires
  std::remove(s.trainPath.c_str());
  std::remove(s.checkpointPath.c_str());
}

TEST(TrainSetup, RecipesSetTheirFieldsOnly) {
  TrainSettings s = smallRun("recipe");
  TrainSettings paper;
  applyRecipe(s, Recipe::Fast);
  EXPECT_GT(s.valFraction, 0.0);
  EXPECT_LT(s.epochs, paper.epochs);
  // Paths and the network's shape are not a recipe's business.
  EXPECT_EQ(s.hidden, 12);
  EXPECT_EQ(s.maxDelay, 6);
  applyRecipe(s, Recipe::Paper);
  EXPECT_EQ(s.epochs, paper.epochs);
  EXPECT_EQ(s.batch, paper.batch);
  EXPECT_EQ(s.lrWeightsMax, paper.lrWeightsMax);
  EXPECT_EQ(s.l1, paper.l1);
  EXPECT_EQ(s.sigmaEpochs, paper.sigmaEpochs);
  EXPECT_EQ(s.valFraction, 0.0);
  EXPECT_EQ(s.hidden, 12);
  EXPECT_EQ(parseRecipe("fast"), Recipe::Fast);
  EXPECT_EQ(parseRecipe("paper"), Recipe::Paper);
  EXPECT_EQ(parseRecipe("long"), Recipe::Long);
  EXPECT_STREQ(toString(Recipe::Long), "long");
  // Long is fast over more epochs with shifted inputs; paper and fast shift
  // nothing.
  EXPECT_EQ(s.augmentTime, 0);
  TrainSettings fast = s, longer = s;
  applyRecipe(fast, Recipe::Fast);
  applyRecipe(longer, Recipe::Long);
  EXPECT_EQ(fast.augmentTime, 0);
  EXPECT_GT(longer.epochs, fast.epochs);
  EXPECT_GT(longer.augmentTime, 0);
  EXPECT_GT(longer.augmentChannels, 0);
  EXPECT_EQ(longer.batch, fast.batch);
  EXPECT_EQ(longer.l1, fast.l1);
  EXPECT_EQ(longer.valFraction, fast.valFraction);
  EXPECT_EQ(longer.readoutGain, fast.readoutGain);
  EXPECT_EQ(longer.hidden, 12);
  // Fast keeps the split by speaker it was measured with; long holds out
  // whole voice variants where the file records them.
  EXPECT_EQ(fast.valGroups, ValidationGroups::Speaker);
  EXPECT_EQ(longer.valGroups, ValidationGroups::Auto);
  // Long warps and tilts its inputs and averages the second half's weights;
  // fast and paper do neither.
  EXPECT_EQ(fast.augmentWarp, 0.0);
  EXPECT_EQ(fast.augmentBandGain, 0.0);
  EXPECT_EQ(fast.emaDecay, 0.0);
  EXPECT_GT(longer.augmentWarp, 0.0);
  EXPECT_GT(longer.augmentBandGain, 0.0);
  EXPECT_GT(longer.emaDecay, 0.0);
  EXPECT_EQ(longer.emaStartEpoch, longer.epochs / 2);
  // Longer is long over 120 epochs, sigma and the average scaled with them.
  TrainSettings longest = s;
  applyRecipe(longest, Recipe::Longer);
  EXPECT_EQ(parseRecipe("longer"), Recipe::Longer);
  EXPECT_STREQ(toString(Recipe::Longer), "longer");
  EXPECT_EQ(longest.epochs, 120);
  EXPECT_EQ(longest.sigmaEpochs, 30);
  EXPECT_EQ(longest.emaStartEpoch, 60);
  EXPECT_EQ(longest.augmentWarp, longer.augmentWarp);
  EXPECT_EQ(longest.augmentBandGain, longer.augmentBandGain);
  EXPECT_EQ(longest.augmentChannels, longer.augmentChannels);
  EXPECT_EQ(longest.valGroups, ValidationGroups::Auto);
  // Applying paper after long resets everything long set.
  applyRecipe(longest, Recipe::Paper);
  EXPECT_EQ(longest.augmentWarp, 0.0);
  EXPECT_EQ(longest.emaDecay, 0.0);
  EXPECT_FALSE(parseRecipe("slow"));
  std::remove(s.trainPath.c_str());
}

TEST(TrainSetup, ValidationSplitIsHeldOutOfTraining) {
  TrainSettings s = smallRun("val");
  s.valFraction = 0.25; // the timing task records no speakers: by sample
  auto run = setupTraining(s);
  ASSERT_TRUE(run) << run.status().message();
  ASSERT_TRUE((*run)->validation.has_value());
  EXPECT_FALSE((*run)->validationBySpeaker);
  EXPECT_EQ((*run)->validation->size(), 8u);
  EXPECT_EQ((*run)->train.size(), 24u);
  EpochReport rep;
  ASSERT_TRUE((*run)->trainer->run([&](const EpochReport &r) { rep = r; }, 1));
  EXPECT_GE(rep.valAccuracy, 0.0);
  EXPECT_EQ(rep.bestEpoch, 1);
  std::remove(s.trainPath.c_str());
  std::remove(s.checkpointPath.c_str());
  std::remove(Trainer::bestModelPath(s.checkpointPath).c_str());
}

TEST(TrainSetup, ValidationHoldsOutVoiceVariantsWhenTheFileRecordsThem) {
  TrainSettings s = smallRun("variants");
  Dataset d = fixtures::timingTask(32, 5, 30);
  for (size_t i = 0; i < d.size(); ++i) { // 8 variants on 2 bases
    d.speakers.push_back(int32_t(i % 16));
    d.variants.push_back(int32_t(i % 8));
    d.voiceBases.push_back(int32_t((i % 16) / 8));
  }
  ASSERT_TRUE(writeDataset(s.trainPath, d));
  s.valFraction = 0.25;
  for (ValidationGroups g :
       {ValidationGroups::Auto, ValidationGroups::Speaker}) {
    s.valGroups = g;
    auto run = setupTraining(s);
    ASSERT_TRUE(run) << run.status().message();
    const bool byVariant = g == ValidationGroups::Auto;
    EXPECT_EQ((*run)->validationByVariant, byVariant);
    EXPECT_TRUE((*run)->validationBySpeaker);
    EXPECT_EQ((*run)->validationSpeakers, byVariant ? 2u : 4u);
    EXPECT_EQ((*run)->validationIds.size(), byVariant ? 2u : 4u);
    EXPECT_EQ((*run)->validation->size(), 8u);
    for (int32_t v : (*run)->train.variants)
      for (int32_t held : (*run)->validationIds)
        if (byVariant)
          EXPECT_NE(v, held);
  }
  // Weight averaging of synapses that rewiring moves is refused.
  s.sparsity = 0.5;
  s.rewire = RewireMode::DeepR;
  s.emaDecay = 0.99;
  auto refused = setupTraining(s);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("--ema-decay"), std::string::npos);
  std::remove(s.trainPath.c_str());
}

TEST(TrainSetup, SparseRunRewiresAndResumes) {
  TrainSettings s = smallRun("sparse");
  s.sparsity = 0.75;
  s.rewire = RewireMode::DeepR;
  // Auto stores a run at sparsity 0.75 in CSR (kCsrAutoSparsity); dense
  // keeps the mask. Both rewire and resume in their own layout.
  for (SparseFormat format : {SparseFormat::Dense, SparseFormat::Auto}) {
    SCOPED_TRACE(toString(format));
    const bool csr = format == SparseFormat::Auto;
    s.sparseFormat = format;
    s.resume = false;
    {
      auto run = setupTraining(s);
      ASSERT_TRUE(run) << run.status().message();
      ASSERT_TRUE((*run)->trainer->run(nullptr, 1));
      ASSERT_TRUE((*run)->rewirer);
      EXPECT_EQ((*run)->rewirer->stats().removed,
                (*run)->rewirer->stats().regrown);
      for (const Projection &p : (*run)->trainer->model().projections) {
        EXPECT_EQ(p.isCsr(), csr) << p.name;
        EXPECT_EQ(p.mask.empty(), csr) << p.name;
        EXPECT_FALSE(p.signs.empty()) << p.name;
      }
    }
    s.resume = true;
    auto resumed = setupTraining(s);
    ASSERT_TRUE(resumed) << resumed.status().message();
    EXPECT_EQ((*resumed)->trainer->epochsDone(), 1);
    for (const Projection &p : (*resumed)->trainer->model().projections)
      EXPECT_EQ(p.isCsr(), csr) << p.name;
  }

  // Without the budget the rewirer is missing and signs could flip.
  s.sparsity = -1;
  s.rewire = RewireMode::None;
  auto dense = setupTraining(s);
  ASSERT_FALSE(dense);
  EXPECT_EQ(dense.status().kind(), ErrorKind::BadInput);
  EXPECT_EQ(dense.status().message(),
            s.checkpointPath + ": a sparse run (mask and Dale signs); resume "
                               "it with the same --sparsity and --rewire");
  std::remove(s.trainPath.c_str());
  std::remove(s.checkpointPath.c_str());
}

TEST(TrainSetup, RewiringNeedsABudget) {
  TrainSettings s = smallRun("budget");
  s.rewire = RewireMode::RigL;
  auto run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().kind(), ErrorKind::BadInput);
  EXPECT_EQ(run.status().message(), "--rewire needs --sparsity (the budget)");
  std::remove(s.trainPath.c_str());
}

TEST(TrainSetup, AugmentationShorterThanTheSamples) {
  TrainSettings s = smallRun("augment");
  s.augmentChannels = 4; // the timing task has 4 channels
  auto run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().kind(), ErrorKind::BadInput);
  EXPECT_EQ(run.status().message(),
            s.trainPath + ": --augment-time 0 / --augment-channels 4 must be "
                          "below the samples' 30 steps / 4 channels");
  s.augmentChannels = 3;
  s.augmentTime = 29;
  auto ok = setupTraining(s);
  ASSERT_TRUE(ok) << ok.status().message();
  std::remove(s.trainPath.c_str());
}

TEST(TrainSetup, WarpAndBandGainHaveLimits) {
  TrainSettings s = smallRun("warp");
  // 4 channels: a warp must stay below 3 / 2 pi = 0.477 channels.
  s.augmentWarp = 0.5;
  auto run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().kind(), ErrorKind::BadInput);
  EXPECT_EQ(run.status().message(),
            s.trainPath + ": --augment-warp 0.500000 must lie in [0, 0.477) "
                          "for 4 channels ((C - 1) / 2 pi: a larger warp "
                          "folds the channel axis)");
  s.augmentWarp = 0.4;
  s.augmentBandGain = 1.0;
  run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().message(),
            "--augment-band-gain 1.000000 must lie in [0, 1)");
  s.augmentBandGain = 0;
  s.augmentFormant = -0.1;
  run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().message(),
            "--augment-formant -0.100000 must lie in [0, 1) (frequencies "
            "scaled by at most 1 + X either way)");
  s.augmentFormant = 0.2;
  s.augmentMelTopHz = std::nan("");
  run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().message(),
            "--augment-mel-top nan must be a positive frequency in Hz");
  s.augmentFormant = 0;
  s.augmentMelTopHz = 8000;
  // Spikes (the timing task) take a band gain too: counts rounded at random.
  s.augmentBandGain = 0.2;
  auto ok = setupTraining(s);
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(trainConfig(s).augment.warpChannels, 0.4);
  EXPECT_EQ(trainConfig(s).augment.bandGain, 0.2);
  ASSERT_TRUE((*ok)->trainer->run(nullptr, 1));
  std::remove(s.trainPath.c_str());
}

TEST(TrainSetup, MissingDatasetIsReported) {
  TrainSettings s;
  s.trainPath = tempPath("absent.h5");
  auto run = setupTraining(s);
  ASSERT_FALSE(run);
  EXPECT_NE(run.status().message().find(s.trainPath), std::string::npos);
}
