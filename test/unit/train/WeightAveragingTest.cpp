//===- WeightAveragingTest.cpp - An average of the weights is kept --------===//
//
// TrainConfig::emaDecay: the average follows every optimiser step from the
// start epoch on (checked against the steps' weights, recomputed here), it
// is what evaluation reports and what model() returns while training goes
// on from the trained weights, a start after the last epoch changes
// nothing, and a run resumed from its checkpoint ends with the same bits,
// also through quantisation-aware epochs and model selection.
//
//===----------------------------------------------------------------------===//

#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/model/Quantization.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <unistd.h>

using namespace snnrt;

namespace {

NetworkSpec net() { return fixtures::timingTaskNetwork(); }

TrainConfig config() {
  TrainConfig c = fixtures::timingTaskConfig(3, 2);
  c.emaDecay = 0.8;
  c.emaStartEpoch = 1;
  return c;
}

/// The model arrays weight averaging covers, by parameter name.
std::map<std::string, std::vector<float>> averagedArrays(const Model &m) {
  std::map<std::string, std::vector<float>> out;
  for (const Projection &pj : m.projections) {
    out["projections/" + pj.name + "/weights"] = pj.weights;
    if (pj.hasPositions())
      out["projections/" + pj.name + "/positions"] = pj.positions;
  }
  for (const Population &p : m.populations)
    if (p.batchnorm) {
      out["populations/" + p.name + "/batchnorm/gamma"] = p.batchnorm->gamma;
      out["populations/" + p.name + "/batchnorm/beta"] = p.batchnorm->beta;
      out["populations/" + p.name + "/batchnorm/mean"] = p.batchnorm->mean;
      out["populations/" + p.name + "/batchnorm/var"] = p.batchnorm->var;
    }
  return out;
}

} // namespace

TEST(WeightAveraging, UpdateAverageMaths) {
  std::vector<float> avg;
  updateAverage(avg, {1.0f, -2.0f}, 0.9, 0); // the first step copies
  EXPECT_EQ(avg, (std::vector<float>{1.0f, -2.0f}));
  updateAverage(avg, {2.0f, 0.0f}, 0.75, 1);
  EXPECT_EQ(avg, (std::vector<float>{1.25f, -1.5f}));
  // A constant stays put; 1 - decay of every step reaches the average.
  std::vector<float> c = {0.3f};
  for (int64_t s = 0; s < 50; ++s)
    updateAverage(c, {0.3f}, 0.99, s);
  EXPECT_EQ(c[0], 0.3f);
  std::vector<float> d;
  for (int64_t s = 0; s < 3; ++s)
    updateAverage(d, {float(s)}, 0.5, s);
  // 0 -> 0.5 * 0 + 0.5 * 1 = 0.5 -> 0.5 * 0.5 + 0.5 * 2 = 1.25
  EXPECT_EQ(d[0], 1.25f);
}

TEST(WeightAveraging, FollowsEveryStepFromTheStartEpoch) {
  Dataset train = fixtures::timingTask(96, 5),
          test = fixtures::timingTask(32, 6);
  auto model = buildFeedForward(net(), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = config();
  // The weights after every step, as the hook sees them (after the step).
  std::map<std::string, std::vector<double>> expect;
  std::map<std::string, std::vector<float>> lastSeen;
  int64_t averaged = 0;
  cfg.afterStep = [&](StepContext &ctx) {
    // The running statistics are averaged alike, as two more tensors.
    std::vector<ParamTensor<float>> all = ctx.engine.params();
    std::vector<double> mean, var;
    ctx.engine.runningStats(mean, var);
    all.push_back({"populations/hidden1/batchnorm/mean",
                   ParamTensor<float>::Kind::Beta,
                   std::vector<float>(mean.begin(), mean.end()),
                   {},
                   {}});
    all.push_back({"populations/hidden1/batchnorm/var",
                   ParamTensor<float>::Kind::Beta,
                   std::vector<float>(var.begin(), var.end()),
                   {},
                   {}});
    for (const auto &p : all) {
      lastSeen[p.name] = p.value;
      if (ctx.epoch < cfg.emaStartEpoch)
        continue;
      auto &e = expect[p.name];
      if (averaged == 0) {
        e.assign(p.value.begin(), p.value.end());
        continue;
      }
      for (size_t i = 0; i < e.size(); ++i)
        e[i] = double(float(cfg.emaDecay * double(float(e[i])) +
                            (1 - cfg.emaDecay) * double(p.value[i])));
    }
    if (ctx.epoch >= cfg.emaStartEpoch)
      ++averaged;
    return Status::ok();
  };
  auto tr = Trainer::create(*model, cfg, train, &test);
  ASSERT_TRUE(tr.hasValue()) << tr.status().message();
  EpochReport last;
  ASSERT_TRUE((*tr)->run([&](const EpochReport &r) { last = r; }));
  EXPECT_EQ(averaged, 6); // epochs 2 and 3, 3 batches each
  EXPECT_EQ((*tr)->averagedSteps(), 6);

  Model avg = (*tr)->model();
  auto arrays = averagedArrays(avg);
  // 2 weights, 2 positions, gamma, beta, running mean and variance
  ASSERT_EQ(arrays.size(), 8u);
  for (const auto &[name, values] : arrays) {
    ASSERT_TRUE(expect.count(name)) << name;
    const auto &e = expect[name];
    ASSERT_EQ(values.size(), e.size()) << name;
    for (size_t i = 0; i < e.size(); ++i)
      ASSERT_EQ(values[i], float(e[i])) << name << "[" << i << "]";
  }
  // Training went on from the trained weights, which differ from the average.
  auto trained = averagedArrays((*tr)->trainedModel());
  bool differs = false;
  for (const auto &[name, values] : trained) {
    EXPECT_EQ(values, lastSeen[name]) << name;
    differs |= values != arrays[name];
  }
  EXPECT_TRUE(differs);
  // What was reported is the average's accuracy.
  auto r = evaluate(avg, test, 2);
  ASSERT_TRUE(r.hasValue());
  EXPECT_DOUBLE_EQ(r->accuracy, last.testAccuracy);
}

TEST(WeightAveraging, AStartAfterTheLastEpochChangesNothing) {
  Dataset train = fixtures::timingTask(96, 5),
          test = fixtures::timingTask(32, 6);
  auto model = buildFeedForward(net(), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig off = config();
  off.emaDecay = 0;
  TrainConfig late = config();
  late.emaStartEpoch = late.epochs;
  auto a = Trainer::create(*model, off, train, &test);
  auto b = Trainer::create(*model, late, train, &test);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->run(nullptr));
  ASSERT_TRUE((*b)->run(nullptr));
  EXPECT_EQ((*b)->averagedSteps(), 0);
  EXPECT_EQ(averagedArrays((*a)->model()), averagedArrays((*b)->model()));
  // And a decay outside [0, 1) is refused.
  TrainConfig bad = config();
  bad.emaDecay = 1.0;
  auto c = Trainer::create(*model, bad, train, &test);
  ASSERT_FALSE(c.hasValue());
  EXPECT_NE(c.status().message().find("decay"), std::string::npos);
}

TEST(WeightAveraging, ResumeIsExactThroughSelectionAndGridEpochs) {
  Dataset train = fixtures::timingTask(96, 5),
          test = fixtures::timingTask(32, 6), val = fixtures::timingTask(48, 7);
  auto model = buildFeedForward(net(), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = config();
  cfg.epochs = 5;
  cfg.quantAwareEpochs = 2;
  cfg.quantGrid = loihi2Grid();
  cfg.emaDecay = 0.7;
  std::string dir =
      ::testing::TempDir() + "snnrt-ema-" + std::to_string(getpid());
  cfg.checkpointPath = dir + "-a.ckpt.h5";
  auto a = Trainer::create(*model, cfg, train, &test, &val);
  ASSERT_TRUE(a.hasValue()) << a.status().message();
  ASSERT_TRUE((*a)->run(nullptr));

  // Interrupted after 2 epochs (averaging under way) and after 3 (before
  // the grid epochs), each resumed to the end.
  for (int64_t stop : {2, 3}) {
    cfg.checkpointPath = dir + "-b.ckpt.h5";
    auto b = Trainer::create(*model, cfg, train, &test, &val);
    ASSERT_TRUE((*b)->run(nullptr, stop));
    Model trainedB = (*b)->trainedModel();
    b->reset();
    // The checkpoint's network is the trained one, which the run goes on
    // from; the average is in checkpoint/ema.
    auto ck = readModel(cfg.checkpointPath);
    ASSERT_TRUE(ck.hasValue());
    EXPECT_EQ(averagedArrays(*ck), averagedArrays(trainedB));
    auto c = Trainer::resume(cfg.checkpointPath, cfg, train, &test, &val);
    ASSERT_TRUE(c.hasValue()) << c.status().message();
    ASSERT_TRUE((*c)->run(nullptr));
    EXPECT_EQ((*c)->averagedSteps(), (*a)->averagedSteps());
    EXPECT_EQ((*c)->bestEpoch(), (*a)->bestEpoch());
    EXPECT_EQ((*c)->history().valAccuracy, (*a)->history().valAccuracy);
    EXPECT_EQ((*c)->history().testAccuracy, (*a)->history().testAccuracy);
    EXPECT_EQ(averagedArrays((*c)->model()), averagedArrays((*a)->model()))
        << "stopped after epoch " << stop;
    EXPECT_EQ(averagedArrays((*c)->trainedModel()),
              averagedArrays((*a)->trainedModel()));

    // Another decay, or none, is refused rather than mixed.
    TrainConfig other = cfg;
    other.emaDecay = 0.5;
    auto bad = Trainer::resume(cfg.checkpointPath, other, train, &test, &val);
    ASSERT_FALSE(bad.hasValue());
    EXPECT_NE(bad.status().message().find("--ema-decay"), std::string::npos);
    other.emaDecay = 0;
    bad = Trainer::resume(cfg.checkpointPath, other, train, &test, &val);
    ASSERT_FALSE(bad.hasValue());
  }
  // The kept network is on the grid: an average of grid epochs, snapped
  // (snapping again moves nothing beyond float rounding).
  Model kept = (*a)->model();
  Model again = kept;
  ASSERT_TRUE(snapToGrid(again, cfg.quantGrid));
  for (size_t j = 0; j < kept.projections.size(); ++j)
    for (size_t i = 0; i < kept.projections[j].weights.size(); ++i)
      ASSERT_NEAR(again.projections[j].weights[i],
                  kept.projections[j].weights[i],
                  1e-6 * std::abs(kept.projections[j].weights[i]) + 1e-12);
  // And it is not the trained network snapped: the average differs.
  Model trainedSnapped = (*a)->trainedModel();
  ASSERT_TRUE(snapToGrid(trainedSnapped, cfg.quantGrid));
  EXPECT_NE(trainedSnapped.projections[0].weights, kept.projections[0].weights);
  for (const char *k : {"-a.ckpt.h5", "-b.ckpt.h5"}) {
    std::remove((dir + k).c_str());
    std::remove(Trainer::bestModelPath(dir + k).c_str());
  }
}
