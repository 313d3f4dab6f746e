//===- AugmentTest.cpp - Random shifts of training samples ----------------===//

#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Augment.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
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

namespace {

/// One sample of T steps whose row is `row` at every step.
Dataset rows(const std::vector<float> &row, int64_t T) {
  Dataset d;
  d.kind = InputKind::Frames;
  d.steps = uint32_t(T);
  d.channels = uint32_t(row.size());
  d.numClasses = 1;
  d.labels = {0};
  for (int64_t t = 0; t < T; ++t)
    d.frames.insert(d.frames.end(), row.begin(), row.end());
  return d;
}

/// `samples` spike samples of T steps x C channels, one class, no events
/// yet (eventOffsets = {0}: the caller appends each sample's events).
Dataset spikeSamples(uint32_t T, uint32_t C, size_t samples) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = T;
  d.channels = C;
  d.numClasses = 1;
  d.labels.assign(samples, 0);
  d.eventOffsets = {0};
  return d;
}

} // namespace

TEST(Augment, WarpBendsTheChannelsMonotonicallyWithinTheLimit) {
  // Row value = channel index, so a warped row reads where each channel
  // came from: c - d(c), with d(c) = W (a1 sin(pi u) + a2 sin(2 pi u) / 2).
  const int64_t C = 40;
  std::vector<float> ramp(C);
  std::iota(ramp.begin(), ramp.end(), 0.0f);
  const double W = 5.0;
  ASSERT_LT(W, maxWarp(C));
  double largest = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Dataset d = rows(ramp, 3);
    Rng rng(seed), replay(seed);
    AugmentSpec spec;
    spec.warpChannels = W;
    augmentSamples(d, spec, rng);
    double a1 = W * replay.uniform(-1, 1), a2 = W * replay.uniform(-1, 1);
    EXPECT_EQ(rng.state(), replay.state()); // two draws, no more
    for (int64_t t = 0; t < 3; ++t) {
      const float *r = d.frames.data() + t * C;
      EXPECT_EQ(r[0], 0.0f); // the ends stay
      EXPECT_EQ(r[C - 1], float(C - 1));
      for (int64_t c = 0; c < C; ++c) {
        double u = double(c) / double(C - 1);
        double want = double(c) - (a1 * std::sin(M_PI * u) +
                                   0.5 * a2 * std::sin(2 * M_PI * u));
        EXPECT_NEAR(r[c], want, 1e-4) << "seed " << seed << " c " << c;
        EXPECT_LE(std::fabs(r[c] - double(c)), 1.3 * W + 1e-4);
        if (c > 0) {
          EXPECT_GT(r[c], r[c - 1]) << "not monotone at c " << c;
        }
        largest = std::max(largest, std::fabs(double(r[c]) - double(c)));
      }
    }
  }
  EXPECT_GT(largest, 0.8 * W); // the limit is reached, not just allowed
}

TEST(Augment, BandGainScalesByASmoothCurveWithinTheLimit) {
  const int64_t C = 16;
  const double G = 0.3;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Dataset d = rows(std::vector<float>(C, 2.0f), 2);
    Rng rng(seed), replay(seed);
    AugmentSpec spec;
    spec.bandGain = G;
    augmentSamples(d, spec, rng);
    double b1 = G * replay.uniform(-1, 1), b2 = G * replay.uniform(-1, 1);
    for (int64_t t = 0; t < 2; ++t)
      for (int64_t c = 0; c < C; ++c) {
        double u = double(c) / double(C - 1);
        double g = 0.5 * (b1 * (2 * u - 1) + b2 * std::sin(2 * M_PI * u));
        float v = d.frames[size_t(t * C + c)];
        EXPECT_NEAR(v, 2.0 * (1 + g), 1e-5);
        EXPECT_LE(std::fabs(v / 2.0 - 1), G + 1e-6);
      }
  }
}

TEST(Augment, ShiftsComeBeforeTheWarpAndDrawFirst) {
  // With a shift, a warp and a gain, the draws are: time, channel, a1, a2,
  // b1, b2; the shifted sample is then warped and scaled.
  const int64_t C = 12, T = 4;
  std::vector<float> ramp(C);
  std::iota(ramp.begin(), ramp.end(), 1.0f);
  const Dataset orig = rows(ramp, T);
  AugmentSpec spec{1, 2};
  spec.warpChannels = 1.5;
  spec.bandGain = 0.2;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Dataset d = orig;
    Rng rng(seed), replay(seed);
    augmentSamples(d, spec, rng);
    int64_t dt = int64_t(replay.below(3)) - 1;
    int64_t dc = int64_t(replay.below(5)) - 2;
    double a1 = 1.5 * replay.uniform(-1, 1), a2 = 1.5 * replay.uniform(-1, 1);
    double b1 = 0.2 * replay.uniform(-1, 1), b2 = 0.2 * replay.uniform(-1, 1);
    EXPECT_EQ(rng.state(), replay.state());
    for (int64_t t = 0; t < T; ++t) {
      std::vector<float> shifted(C, 0.0f);
      if (t - dt >= 0 && t - dt < T)
        for (int64_t c = 0; c < C; ++c)
          if (c - dc >= 0 && c - dc < C)
            shifted[size_t(c)] = ramp[size_t(c - dc)];
      for (int64_t c = 0; c < C; ++c) {
        double u = double(c) / double(C - 1);
        double from = double(c) - (a1 * std::sin(M_PI * u) +
                                   0.5 * a2 * std::sin(2 * M_PI * u));
        from = std::clamp(from, 0.0, double(C - 1));
        int64_t lo = std::min<int64_t>(int64_t(std::floor(from)), C - 1);
        int64_t hi = std::min<int64_t>(lo + 1, C - 1);
        double f = from - double(lo);
        double want = (1 - f) * shifted[size_t(lo)] + f * shifted[size_t(hi)];
        want *= 1 + 0.5 * (b1 * (2 * u - 1) + b2 * std::sin(2 * M_PI * u));
        EXPECT_NEAR(d.frames[size_t(t * C + c)], want, 1e-4)
            << "seed " << seed << " t " << t << " c " << c;
      }
    }
  }
}

TEST(Augment, WarpedSpikesStayOrderedAndKeepTheirCounts) {
  // Every channel of 30 fires at steps 0 and 2: a warp moves events to
  // other channels, merges those it lands together (summing the counts),
  // keeps the (step, channel) order and loses nothing.
  const uint32_t C = 30;
  Dataset d = spikeSamples(3, C, 2);
  for (int s = 0; s < 2; ++s) {
    for (uint32_t t : {0u, 2u})
      for (uint32_t c = 0; c < C; ++c) {
        d.eventStep.push_back(t);
        d.eventChannel.push_back(c);
        d.eventCount.push_back(float(1 + c % 3));
      }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  bool merged = false;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Dataset a = d;
    Rng rng(seed);
    AugmentSpec spec;
    spec.warpChannels = 4.0;
    augmentSamples(a, spec, rng);
    ASSERT_TRUE(a.validate()) << a.validate().message();
    for (size_t s = 0; s < 2; ++s) {
      double before = 0, after = 0;
      for (uint64_t e = d.eventOffsets[s]; e < d.eventOffsets[s + 1]; ++e)
        before += d.eventCount[e];
      for (uint64_t e = a.eventOffsets[s]; e < a.eventOffsets[s + 1]; ++e)
        after += a.eventCount[e];
      EXPECT_EQ(before, after);
      merged |= a.eventOffsets[s + 1] - a.eventOffsets[s] < 2 * C;
      // The ends stay where they are.
      EXPECT_EQ(a.eventChannel[a.eventOffsets[s]], 0u);
      EXPECT_EQ(a.eventChannel[a.eventOffsets[s + 1] - 1], C - 1);
    }
  }
  EXPECT_TRUE(merged);
}

namespace {

/// The frequency at fractional channel y of C mel bands from 0 to 8000 Hz
/// (band c peaks at mel(8000) (c + 1) / (C + 1)), written out here rather
/// than taken from the front-end so that the test checks the layout too.
double melBandHz(double y, int64_t C) {
  double melTop = 2595.0 * std::log10(1.0 + 8000.0 / 700.0);
  return 700.0 * (std::pow(10.0, (y + 1) * melTop / double(C + 1) / 2595.0) -
                  1.0);
}

} // namespace

TEST(Augment, FormantScaleMultipliesEveryFrequencyByOneFactor) {
  // Row value = channel index: a scaled row says where each channel reads,
  // and that channel's frequency times a must be the channel's own (0
  // where it would read above the top band). a = (1 + X)^v, v uniform in
  // [-1, 1], drawn last.
  const int64_t C = 40;
  const double X = 0.4;
  std::vector<float> ramp(C);
  std::iota(ramp.begin(), ramp.end(), 0.0f);
  double widest = 0;
  bool silentTop = false;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Dataset d = rows(ramp, 2);
    Rng rng(seed), replay(seed);
    AugmentSpec spec;
    spec.formantScale = X;
    augmentSamples(d, spec, rng);
    double a = std::pow(1 + X, replay.uniform(-1, 1));
    EXPECT_EQ(rng.state(), replay.state());
    widest = std::max(widest, std::fabs(std::log(a)));
    for (int64_t c = 0; c < C; ++c) {
      float read = d.frames[size_t(C + c)];
      EXPECT_EQ(read, d.frames[size_t(c)]) << "steps differ at c " << c;
      double want = melBandHz(double(c), C) / a;
      if (want > melBandHz(double(C - 1), C)) {
        EXPECT_EQ(read, 0.0f) << "seed " << seed << " c " << c;
        silentTop = true;
      } else if (read > 0) {
        EXPECT_NEAR(melBandHz(read, C) / want, 1.0, 1e-4)
            << "seed " << seed << " c " << c << " a " << a;
      } else {
        EXPECT_LE(want, melBandHz(0.0, C) * (1 + 1e-9)); // below band 0
      }
      if (c > 0 && read > 0) {
        EXPECT_GT(read, d.frames[size_t(c - 1)]) << "not monotone at " << c;
      }
    }
  }
  EXPECT_GT(widest, 0.95 * std::log(1 + X)); // the limit is reached
  EXPECT_TRUE(silentTop);
}

TEST(Augment, FormantScaledSpikesMoveToTheScaledFrequency) {
  // Every channel of 40 fires once with count 2: each event moves to the
  // band nearest its frequency times a, or is dropped above the top band;
  // the order holds and the counts that stay add up.
  const uint32_t C = 40;
  Dataset d = spikeSamples(2, C, 1);
  for (uint32_t c = 0; c < C; ++c) {
    d.eventStep.push_back(1);
    d.eventChannel.push_back(c);
    d.eventCount.push_back(2.0f);
  }
  d.eventOffsets.push_back(d.eventStep.size());
  const double X = 0.5;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Dataset a = d;
    Rng rng(seed), replay(seed);
    AugmentSpec spec;
    spec.formantScale = X;
    augmentSamples(a, spec, rng);
    ASSERT_TRUE(a.validate()) << a.validate().message();
    double scale = std::pow(1 + X, replay.uniform(-1, 1));
    std::vector<float> want(C, 0.0f);
    for (uint32_t c = 0; c < C; ++c) {
      double hz = melBandHz(double(c), C) * scale;
      // The nearest band by fractional channel: invert melBandHz.
      double melTop = 2595.0 * std::log10(1.0 + 8000.0 / 700.0);
      double y = 2595.0 * std::log10(1.0 + hz / 700.0) * double(C + 1) /
                     melTop -
                 1.0;
      long to = std::lround(std::max(y, 0.0));
      if (to <= long(C - 1))
        want[size_t(to)] += 2.0f;
    }
    std::vector<float> got(C, 0.0f);
    for (uint64_t e = a.eventOffsets[0]; e < a.eventOffsets[1]; ++e)
      got[a.eventChannel[e]] += a.eventCount[e];
    EXPECT_EQ(got, want) << "seed " << seed << " a " << scale;
  }
}

TEST(Augment, BandGainOnSpikesRoundsCountsWithoutBias) {
  // 16 channels, each firing once with count 3 at step 1: a gain curve
  // 1 + g(c) makes 3 (1 + g(c)) on average, rounded to whole counts (0: the
  // event is gone). Over many draws the mean count per channel matches.
  const uint32_t C = 16;
  Dataset d = spikeSamples(2, C, 1);
  d.eventOffsets.push_back(C);
  for (uint32_t c = 0; c < C; ++c) {
    d.eventStep.push_back(1);
    d.eventChannel.push_back(c);
    d.eventCount.push_back(3.0f);
  }
  const double G = 0.5;
  std::vector<double> sum(C, 0.0), want(C, 0.0);
  const int draws = 4000;
  bool changed = false;
  for (int seed = 0; seed < draws; ++seed) {
    Dataset a = d;
    Rng rng(static_cast<uint64_t>(seed)), replay(static_cast<uint64_t>(seed));
    AugmentSpec spec;
    spec.bandGain = G;
    augmentSamples(a, spec, rng);
    ASSERT_TRUE(a.validate()) << a.validate().message();
    double b1 = G * replay.uniform(-1, 1), b2 = G * replay.uniform(-1, 1);
    for (uint32_t c = 0; c < C; ++c) {
      double u = double(c) / double(C - 1);
      want[c] += 3.0 * (1 + 0.5 * (b1 * (2 * u - 1) + b2 * std::sin(2 * M_PI * u)));
    }
    for (size_t e = 0; e < a.eventStep.size(); ++e) {
      float n = a.eventCount[e];
      EXPECT_EQ(n, std::floor(n)); // whole
      EXPECT_GE(n, 1.0f);
      EXPECT_LE(n, 5.0f); // 3 x 1.5, rounded up
      changed |= n != 3.0f;
      sum[a.eventChannel[e]] += n;
    }
  }
  EXPECT_TRUE(changed);
  for (uint32_t c = 0; c < C; ++c)
    EXPECT_NEAR(sum[c] / draws, want[c] / draws, 0.03) << "channel " << c;
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
