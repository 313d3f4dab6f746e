//===- QuantAwareTrainingTest.cpp - The last epochs train the plan --------===//
//
// TrainConfig::quantAwareEpochs: the epochs run on the grid, the network
// kept is one of theirs and already on the grid (snapping it again changes
// nothing), it carries the target's neuron and decays, BatchNorm statistics
// and DCLS positions stay as the last float epoch left them, the reported
// validation accuracy is the kept network's, and a run resumed in the middle
// of those epochs ends with the same bits.
//
//===----------------------------------------------------------------------===//

#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/model/Quantization.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace snnrt;

namespace {

NetworkSpec net() { return fixtures::timingTaskNetwork(); }

TrainConfig config() {
  TrainConfig c = fixtures::timingTaskConfig(5, 3);
  c.quantAwareEpochs = 2;
  c.quantGrid = loihi2Grid();
  return c;
}

} // namespace

TEST(QuantAwareTraining, LastEpochsTrainTheNetworkOnTheGrid) {
  Dataset train = fixtures::timingTask(96, 5),
          test = fixtures::timingTask(32, 6), val = fixtures::timingTask(48, 7);
  auto model = buildFeedForward(net(), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = config();
  std::string dir =
      ::testing::TempDir() + "snnrt-qat-" + std::to_string(getpid());
  cfg.checkpointPath = dir + "-a.ckpt.h5";
  auto a = Trainer::create(*model, cfg, train, &test, &val);
  ASSERT_TRUE(a.hasValue()) << a.status().message();
  std::vector<EpochReport> reps;
  std::vector<Model> after;
  ASSERT_TRUE((*a)->run([&](const EpochReport &r) {
    reps.push_back(r);
    after.push_back((*a)->currentModel());
  }));
  ASSERT_EQ(reps.size(), 5u);
  for (size_t i = 0; i < reps.size(); ++i)
    EXPECT_EQ(reps[i].quantAware, i >= 3) << "epoch " << i + 1;
  // Selection restarts with the grid's epochs.
  EXPECT_GE((*a)->bestEpoch(), 4);
  Model kept = (*a)->model();

  // On the grid: snapping again moves nothing (beyond float rounding), the
  // hidden neuron is Lava's, the decay the plan's mul12 one.
  Model again = kept;
  ASSERT_TRUE(snapToGrid(again, cfg.quantGrid).isOk());
  size_t weights = 0;
  for (size_t j = 0; j < kept.projections.size(); ++j)
    for (size_t i = 0; i < kept.projections[j].weights.size(); ++i, ++weights)
      ASSERT_NEAR(again.projections[j].weights[i],
                  kept.projections[j].weights[i],
                  1e-6 * std::abs(kept.projections[j].weights[i]) + 1e-12);
  EXPECT_GT(weights, 100u);
  const Population &hidden = kept.populations[1];
  ASSERT_EQ(hidden.kind, PopulationKind::Lif);
  EXPECT_EQ(hidden.convention, NeuronConvention::Lava);
  double beta = decayFactor(kept.decay, kept.dt, hidden.tauMem);
  EXPECT_NEAR(4096 * (1 - beta), std::nearbyint(4096 * (1 - beta)), 1e-6);
  EXPECT_NE(hidden.tauMem, model->populations[1].tauMem);

  // Frozen during those epochs: BatchNorm statistics and positions.
  EXPECT_EQ(after[2].populations[1].batchnorm->mean,
            after[4].populations[1].batchnorm->mean);
  EXPECT_EQ(after[2].populations[1].batchnorm->var,
            after[4].populations[1].batchnorm->var);
  EXPECT_EQ(after[2].projections[0].positions,
            after[4].projections[0].positions);
  // ... while the weights still learn.
  EXPECT_NE(after[3].projections[0].weights, after[4].projections[0].weights);

  // The validation accuracy reported is the kept network's.
  auto r = evaluate(kept, val, 2);
  ASSERT_TRUE(r.hasValue());
  EXPECT_DOUBLE_EQ(r->accuracy,
                   reps[size_t((*a)->bestEpoch() - 1)].valAccuracy);

  // Resumed after the first grid epoch: the same network.
  cfg.checkpointPath = dir + "-b.ckpt.h5";
  auto b = Trainer::create(*model, cfg, train, &test, &val);
  ASSERT_TRUE(b.hasValue());
  ASSERT_TRUE((*b)->run(nullptr, 4));
  b->reset();
  auto c = Trainer::resume(cfg.checkpointPath, cfg, train, &test, &val);
  ASSERT_TRUE(c.hasValue()) << c.status().message();
  ASSERT_TRUE((*c)->run(nullptr));
  Model resumed = (*c)->model();
  EXPECT_EQ((*c)->bestEpoch(), (*a)->bestEpoch());
  for (size_t j = 0; j < kept.projections.size(); ++j)
    EXPECT_EQ(kept.projections[j].weights, resumed.projections[j].weights);
  std::remove((dir + "-a.ckpt.h5").c_str());
  std::remove((dir + "-b.ckpt.h5").c_str());
  std::remove(Trainer::bestModelPath(dir + "-a.ckpt.h5").c_str());
  std::remove(Trainer::bestModelPath(dir + "-b.ckpt.h5").c_str());
}

TEST(QuantAwareTraining, RefusesWhatItCannotRun) {
  Dataset train = fixtures::timingTask(32, 5);
  auto model = buildFeedForward(net(), 3);
  ASSERT_TRUE(model.hasValue());
  TrainConfig cfg = config();
  cfg.microBatch = 8;
  auto a = Trainer::create(*model, cfg, train, nullptr);
  ASSERT_FALSE(a.hasValue());
  EXPECT_NE(a.status().message().find("whole batches"), std::string::npos);
}
