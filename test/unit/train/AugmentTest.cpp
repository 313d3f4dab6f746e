//===- AugmentTest.cpp - Random shifts of training samples ----------------===//

#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Augment.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <set>

using namespace snnrt;

namespace {

/// Two 5-step x 4-channel frame samples whose value encodes (sample, t, c).
Dataset frames() {
  Dataset d;
  d.kind = InputKind::Frames;
  d.steps = 5;
  d.channels = 4;
  d.numClasses = 2;
  d.labels = {0, 1};
  for (int s = 0; s < 2; ++s)
    for (int t = 0; t < 5; ++t)
      for (int c = 0; c < 4; ++c)
        d.frames.push_back(float(100 * (s + 1) + 10 * t + c + 1));
  return d;
}

/// The (dt, dc) that maps `orig` onto `shifted` (sample s), checking every
/// value: moved where it lands, zero where nothing lands.
std::pair<int, int> shiftOf(const Dataset &orig, const Dataset &shifted,
                            size_t s) {
  const int T = int(orig.steps), C = int(orig.channels);
  for (int dt = -T + 1; dt < T; ++dt)
    for (int dc = -C + 1; dc < C; ++dc) {
      bool match = true;
      for (int t = 0; t < T && match; ++t)
        for (int c = 0; c < C && match; ++c) {
          int ft = t - dt, fc = c - dc;
          float want = ft >= 0 && ft < T && fc >= 0 && fc < C
                           ? orig.frames[s * T * C + ft * C + fc]
                           : 0.0f;
          match = shifted.frames[s * T * C + t * C + c] == want;
        }
      if (match)
        return {dt, dc};
    }
  ADD_FAILURE() << "sample " << s << " is not a shift of the original";
  return {99, 99};
}

} // namespace

TEST(Augment, FramesMoveWithinTheLimitsAndEdgesAreSilent) {
  const Dataset orig = frames();
  std::set<std::pair<int, int>> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Dataset d = orig;
    Rng rng(seed);
    augmentSamples(d, AugmentSpec{2, 1}, rng);
    for (size_t s = 0; s < 2; ++s) {
      auto [dt, dc] = shiftOf(orig, d, s);
      EXPECT_LE(std::abs(dt), 2);
      EXPECT_LE(std::abs(dc), 1);
      seen.insert({dt, dc});
    }
    EXPECT_EQ(d.labels, orig.labels);
  }
  // Every shift in [-2, 2] x [-1, 1] is drawn.
  EXPECT_EQ(seen.size(), 15u);
}

TEST(Augment, NoShiftLeavesTheBatchAlone) {
  Dataset d = frames();
  Rng rng(1);
  augmentSamples(d, AugmentSpec{}, rng);
  EXPECT_EQ(d.frames, frames().frames);
  EXPECT_EQ(rng.state(), Rng(1).state()); // nothing drawn
}

TEST(Augment, SpikesShiftAndLeaveTheWindow) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = 10;
  d.channels = 3;
  d.numClasses = 1;
  d.labels = {0, 0};
  // Sample 0: (0,0) (4,1) (9,2); sample 1: (5,1).
  d.eventOffsets = {0, 3, 4};
  d.eventStep = {0, 4, 9, 5};
  d.eventChannel = {0, 1, 2, 1};
  d.eventCount = {1, 2, 3, 4};
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Dataset a = d;
    Rng rng(seed), replay(seed);
    augmentSamples(a, AugmentSpec{3, 1}, rng);
    ASSERT_TRUE(a.validate()) << a.validate().message();
    // The same draws as the function's, time first, sample by sample.
    size_t out = 0;
    for (size_t s = 0; s < 2; ++s) {
      int dt = int(replay.below(7)) - 3, dc = int(replay.below(3)) - 1;
      ASSERT_EQ(a.eventOffsets[s], out);
      for (uint64_t e = d.eventOffsets[s]; e < d.eventOffsets[s + 1]; ++e) {
        int t = int(d.eventStep[e]) + dt, c = int(d.eventChannel[e]) + dc;
        if (t < 0 || t >= 10 || c < 0 || c >= 3)
          continue;
        ASSERT_LT(out, a.eventStep.size());
        EXPECT_EQ(a.eventStep[out], uint32_t(t));
        EXPECT_EQ(a.eventChannel[out], uint32_t(c));
        EXPECT_EQ(a.eventCount[out], d.eventCount[e]);
        ++out;
      }
    }
    EXPECT_EQ(a.eventOffsets[2], out);
    EXPECT_EQ(a.eventStep.size(), out);
  }
}

TEST(Augment, TrainingWithShiftsIsReproducibleAndDiffers) {
  Dataset data = fixtures::timingTask(32, 3, 30);
  NetworkSpec spec;
  spec.inputs = 4;
  spec.hidden = {12};
  spec.outputs = 4;
  spec.steps = 30;
  spec.maxDelay = 6;
  spec.inputKind = InputKind::Spikes;
  auto model = buildFeedForward(spec, 1);
  ASSERT_TRUE(model);
  auto lossAfterOneEpoch = [&](AugmentSpec augment, uint32_t micro = 0) {
    TrainConfig cfg;
    cfg.epochs = 1;
    cfg.batch = 16;
    cfg.augment = augment;
    cfg.microBatch = micro;
    auto t = Trainer::create(*model, cfg, data, nullptr);
    EXPECT_TRUE(t);
    EpochReport rep;
    EXPECT_TRUE((*t)->run([&](const EpochReport &r) { rep = r; }));
    return rep.loss;
  };
  double plain = lossAfterOneEpoch({});
  double shifted = lossAfterOneEpoch({4, 0});
  EXPECT_EQ(shifted, lossAfterOneEpoch({4, 0})); // drawn from (seed, epoch)
  EXPECT_NE(shifted, plain);
  // Micro-batches see the same shifted samples (one micro-batch per batch
  // gives the whole batch's bits).
  EXPECT_EQ(lossAfterOneEpoch({4, 0}, 16), shifted);
}
