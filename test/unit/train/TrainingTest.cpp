//===- TrainingTest.cpp - Delay learning works; resume is exact -----------===//

#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace snnrt;

namespace {

// Coincidence detectors: tau_mem = dt gives beta = 0 (SNN-F6 linear), so a
// neuron only sees the current of one step and the spike count per channel
// is the same in every class: without delays the task is at chance level.
NetworkSpec timingNet(DelayMode mode) {
  NetworkSpec s = fixtures::timingTaskNetwork();
  s.tauMemSteps = 1.0;
  s.delays = mode;
  s.batchnorm = false;
  s.dropout = 0.0;
  return s;
}

TrainConfig timingConfig() {
  TrainConfig c;
  c.epochs = 30;
  c.batch = 32;
  c.seed = 4;
  c.threads = 2;
  c.l1 = 0.0;
  c.lrWeights = 2e-3;
  c.lrWeightsMax = 1e-2;
  // Anneal over the first half and to a near one-hot kernel, so training
  // sees (almost) the rounded delays evaluation uses (SNN-F4): with the
  // paper's 0.23 a few seeds keep kernels split across two taps and lose
  // some test accuracy to rounding.
  c.sigmaEpochs = 15;
  c.sigmaEnd = 0.02;
  return c;
}

double trainAndTest(DelayMode mode, const Dataset &train,
                    const Dataset &test) {
  auto model = buildFeedForward(timingNet(mode), 21);
  EXPECT_TRUE(model.hasValue());
  auto tr = Trainer::create(*model, timingConfig(), train, &test);
  EXPECT_TRUE(tr.hasValue()) << tr.status().message();
  EpochReport last;
  Status s = (*tr)->run([&](const EpochReport &r) { last = r; });
  EXPECT_TRUE(s) << s.message();
  // Test accuracy is evaluated with rounded integer delays (SNN-F4).
  auto r = evaluate((*tr)->model(), test, 2);
  EXPECT_TRUE(r.hasValue());
  EXPECT_DOUBLE_EQ(r->accuracy, last.testAccuracy);
  return r->accuracy;
}

} // namespace

TEST(Training, LearnedDelaysSolveATimingOnlyTask) {
  Dataset train = fixtures::timingTask(512, 1), test = fixtures::timingTask(256, 2);
  auto t0 = std::chrono::steady_clock::now();
  double learned = trainAndTest(DelayMode::Learn, train, test);
  double none = trainAndTest(DelayMode::None, train, test);
  double secs = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - t0).count();
  std::printf("timing task: learned delays %.1f %%, zero delays %.1f %% "
              "(%.1f s)\n", 100 * learned, 100 * none, secs);
  EXPECT_GE(learned, 0.95);
  EXPECT_LE(none, 0.50); // chance is 25 %
}

TEST(Training, ResumeIsBitIdentical) {
  Dataset train = fixtures::timingTask(96, 5), test = fixtures::timingTask(32, 6);
  NetworkSpec spec = timingNet(DelayMode::Learn);
  spec.batchnorm = true; // running statistics are resumed state too
  spec.dropout = 0.25;   // and the dropout streams
  spec.tauMemSteps = 5.0;
  auto model = buildFeedForward(spec, 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = timingConfig();
  cfg.epochs = 4;
  cfg.l1 = 0.01;
  cfg.sigmaEpochs = 3;
  std::string dir = ::testing::TempDir() + "snnrt-resume-" +
                    std::to_string(getpid());
  cfg.checkpointPath = dir + "-a.ckpt.h5";
  auto a = Trainer::create(*model, cfg, train, &test);
  ASSERT_TRUE(a.hasValue());
  ASSERT_TRUE((*a)->run(nullptr));
  Model full = (*a)->model();

  cfg.checkpointPath = dir + "-b.ckpt.h5";
  auto b = Trainer::create(*model, cfg, train, &test);
  ASSERT_TRUE(b.hasValue());
  ASSERT_TRUE((*b)->run(nullptr, 2)); // "interrupted" after two epochs
  b->reset();
  auto c = Trainer::resume(cfg.checkpointPath, cfg, train, &test);
  ASSERT_TRUE(c.hasValue()) << c.status().message();
  EXPECT_EQ((*c)->epochsDone(), 2);
  ASSERT_TRUE((*c)->run(nullptr));
  Model resumed = (*c)->model();
  ASSERT_EQ(full.projections.size(), resumed.projections.size());
  for (size_t i = 0; i < full.projections.size(); ++i) {
    EXPECT_EQ(full.projections[i].weights, resumed.projections[i].weights);
    EXPECT_EQ(full.projections[i].positions, resumed.projections[i].positions);
    EXPECT_EQ(full.projections[i].sigma, resumed.projections[i].sigma);
  }
  for (size_t i = 0; i < full.populations.size(); ++i) {
    EXPECT_EQ(full.populations[i].bias, resumed.populations[i].bias);
    if (full.populations[i].batchnorm) {
      EXPECT_EQ(full.populations[i].batchnorm->gamma,
                resumed.populations[i].batchnorm->gamma);
      EXPECT_EQ(full.populations[i].batchnorm->mean,
                resumed.populations[i].batchnorm->mean);
      EXPECT_EQ(full.populations[i].batchnorm->var,
                resumed.populations[i].batchnorm->var);
    }
  }
  // Training changed the model at all (the comparison is not vacuous).
  EXPECT_NE(full.projections[0].weights, model->projections[0].weights);

  // A checkpoint from another configuration is refused, not silently mixed.
  TrainConfig other = cfg;
  other.seed = cfg.seed + 1;
  auto bad = Trainer::resume(cfg.checkpointPath, other, train, &test);
  ASSERT_FALSE(bad.hasValue());
  EXPECT_NE(bad.status().message().find("--seed"), std::string::npos);
  std::remove((dir + "-a.ckpt.h5").c_str());
  std::remove((dir + "-b.ckpt.h5").c_str());
}

TEST(Training, ValidationChoosesTheNetworkAndResumesExactly) {
  Dataset train = fixtures::timingTask(96, 5),
          test = fixtures::timingTask(32, 6), val = fixtures::timingTask(48, 7);
  auto model = buildFeedForward(timingNet(DelayMode::Learn), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = timingConfig();
  cfg.epochs = 6;
  cfg.sigmaEpochs = 4;
  std::string dir =
      ::testing::TempDir() + "snnrt-val-" + std::to_string(getpid());
  cfg.checkpointPath = dir + "-a.ckpt.h5";
  auto a = Trainer::create(*model, cfg, train, &test, &val);
  ASSERT_TRUE(a.hasValue()) << a.status().message();
  std::vector<EpochReport> reps;
  ASSERT_TRUE((*a)->run([&](const EpochReport &r) { reps.push_back(r); }));
  ASSERT_EQ(reps.size(), 6u);
  // The kept epoch is the best validation accuracy (ties: lower loss).
  size_t best = 0;
  for (size_t i = 1; i < reps.size(); ++i)
    if (reps[i].valAccuracy > reps[best].valAccuracy ||
        (reps[i].valAccuracy == reps[best].valAccuracy &&
         reps[i].valLoss < reps[best].valLoss))
      best = i;
  EXPECT_EQ((*a)->bestEpoch(), int64_t(best + 1));
  EXPECT_EQ(reps.back().bestEpoch, int64_t(best + 1));
  EXPECT_TRUE(reps[best].improved);
  Model kept = (*a)->model();
  EXPECT_EQ(kept.training.epochs, int64_t(best + 1));
  EXPECT_EQ(kept.training.testAccuracy, reps[best].testAccuracy);
  auto r = evaluate(kept, val, 2);
  ASSERT_TRUE(r.hasValue());
  EXPECT_DOUBLE_EQ(r->accuracy, reps[best].valAccuracy);
  EXPECT_EQ((*a)->currentModel().training.epochs, 6);

  // Interrupted after 3 epochs and resumed: the same network is kept.
  cfg.checkpointPath = dir + "-b.ckpt.h5";
  auto b = Trainer::create(*model, cfg, train, &test, &val);
  ASSERT_TRUE((*b)->run(nullptr, 3));
  b->reset();
  auto c = Trainer::resume(cfg.checkpointPath, cfg, train, &test, &val);
  ASSERT_TRUE(c.hasValue()) << c.status().message();
  ASSERT_TRUE((*c)->run(nullptr));
  EXPECT_EQ((*c)->bestEpoch(), (*a)->bestEpoch());
  // The resumed run's history holds the epochs before the interruption too.
  TrainingHistory ha = (*a)->history(), hc = (*c)->history();
  ASSERT_EQ(hc.size(), 6u);
  EXPECT_EQ(hc.epoch, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(hc.valAccuracy, ha.valAccuracy);
  EXPECT_EQ(hc.testAccuracy, ha.testAccuracy);
  EXPECT_EQ(hc.keptEpoch, (*a)->bestEpoch());
  // Written with the model and read back.
  std::string file = dir + "-history.h5";
  ASSERT_TRUE(writeTrainedModel(file, (*c)->model(), hc));
  auto back = readTrainingHistory(file);
  ASSERT_TRUE(back && *back) << back.status().message();
  EXPECT_EQ((*back)->valAccuracy, hc.valAccuracy);
  EXPECT_EQ((*back)->keptEpoch, hc.keptEpoch);
  std::remove(file.c_str());
  Model resumed = (*c)->model();
  for (size_t i = 0; i < kept.projections.size(); ++i) {
    EXPECT_EQ(kept.projections[i].weights, resumed.projections[i].weights);
    EXPECT_EQ(kept.projections[i].positions, resumed.projections[i].positions);
  }
  // Resuming without the split (or with another one) is refused.
  auto none = Trainer::resume(cfg.checkpointPath, cfg, train, &test);
  ASSERT_FALSE(none.hasValue());
  EXPECT_NE(none.status().message().find("validation"), std::string::npos);
  Dataset smaller = firstSamples(val, 40);
  auto other = Trainer::resume(cfg.checkpointPath, cfg, train, &test, &smaller);
  ASSERT_FALSE(other.hasValue());
  EXPECT_NE(other.status().message().find("validation split"),
            std::string::npos)
      << other.status().message();
  for (const char *k : {"-a.ckpt.h5", "-b.ckpt.h5"}) {
    std::remove((dir + k).c_str());
    std::remove(Trainer::bestModelPath(dir + k).c_str());
  }
}

TEST(Training, PatienceStopsWhenValidationStopsImproving) {
  Dataset train = fixtures::timingTask(64, 5),
          val = fixtures::timingTask(32, 7);
  auto model = buildFeedForward(timingNet(DelayMode::Learn), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = timingConfig();
  // Nothing learns (rates 0, no BatchNorm, no dropout): every epoch's
  // validation result equals the first, which alone counts as better.
  cfg.lrWeights = cfg.lrWeightsMax = cfg.lrPositions = 0;
  cfg.sigmaEpochs = 0;
  cfg.epochs = 10;
  cfg.patience = 2;
  auto t = Trainer::create(*model, cfg, train, nullptr, &val);
  ASSERT_TRUE(t.hasValue());
  std::vector<EpochReport> reps;
  ASSERT_TRUE((*t)->run([&](const EpochReport &r) { reps.push_back(r); }));
  ASSERT_EQ(reps.size(), 3u);
  EXPECT_TRUE(reps[0].improved);
  EXPECT_FALSE(reps[1].improved);
  EXPECT_TRUE(reps[2].stopEarly);
  EXPECT_TRUE((*t)->stoppedEarly());
  EXPECT_EQ((*t)->bestEpoch(), 1);
  EXPECT_EQ((*t)->model().training.epochs, 1);
}

// The engine splits work by output row only, so one and two threads give
// identical numbers.
TEST(Training, ThreadCountDoesNotChangeResults) {
  // Large enough that every hidden-layer loop runs on a team of threads
  // (Engine runs loops under 2^17 values on one thread).
  Dataset train = fixtures::timingTask(256, 8);
  NetworkSpec spec = timingNet(DelayMode::Learn);
  spec.hidden = {64};
  spec.batchnorm = true;
  spec.dropout = 0.2;
  auto model = buildFeedForward(spec, 9);
  ASSERT_TRUE(model.hasValue());
  std::vector<Model> out;
  for (int threads : {1, 2}) {
    TrainConfig cfg = timingConfig();
    cfg.epochs = 2;
    cfg.batch = 128;
    cfg.threads = threads;
    auto t = Trainer::create(*model, cfg, train, nullptr);
    ASSERT_TRUE(t.hasValue());
    ASSERT_TRUE((*t)->run(nullptr));
    out.push_back((*t)->model());
  }
  for (size_t i = 0; i < out[0].projections.size(); ++i) {
    EXPECT_EQ(out[0].projections[i].weights, out[1].projections[i].weights);
    EXPECT_EQ(out[0].projections[i].positions,
              out[1].projections[i].positions);
  }
  EXPECT_EQ(out[0].populations[1].batchnorm->mean,
            out[1].populations[1].batchnorm->mean);
}

// docs/reference.md §1 schedules, stepped per epoch.
TEST(Training, Schedules) {
  // sigma: 12 * ((0.23/12)^(1/37))^e for the first 37 epochs, then constant.
  EXPECT_DOUBLE_EQ(annealedSigma(12, 0.23, 37, 0), 12.0);
  EXPECT_NEAR(annealedSigma(12, 0.23, 37, 1), 12 * std::pow(0.23 / 12, 1 / 37.0),
              1e-12);
  EXPECT_NEAR(annealedSigma(12, 0.23, 37, 37), 0.23, 1e-12);
  EXPECT_NEAR(annealedSigma(12, 0.23, 37, 149), 0.23, 1e-12);
  // OneCycle as PyTorch runs it for the paper: from 5e-3/25 up to 5e-3 at
  // 30 % of 150 epochs, then down to 2e-4/1e4.
  TrainConfig paper;
  EXPECT_DOUBLE_EQ(paper.lrWeights, 5e-3 / 25);
  EXPECT_NEAR(oneCycleLr(2e-4, 5e-3, 0.3, 1e4, 0, 150), 2e-4, 1e-15);
  EXPECT_NEAR(oneCycleLr(2e-4, 5e-3, 0.3, 1e4, 44, 150), 5e-3, 1e-15);
  EXPECT_NEAR(oneCycleLr(2e-4, 5e-3, 0.3, 1e4, 149, 150), 2e-8, 1e-15);
  EXPECT_LT(oneCycleLr(2e-4, 5e-3, 0.3, 1e4, 100, 150), 5e-3);
  EXPECT_NEAR(oneCycleBeta1(0.85, 0.95, 0.3, 0, 150), 0.95, 1e-15);
  EXPECT_NEAR(oneCycleBeta1(0.85, 0.95, 0.3, 44, 150), 0.85, 1e-15);
  // Cosine for positions: 0.1 at the start, half way 0.05.
  EXPECT_DOUBLE_EQ(cosineLr(0.1, 0, 150), 0.1);
  EXPECT_NEAR(cosineLr(0.1, 75, 150), 0.05, 1e-15);
}
