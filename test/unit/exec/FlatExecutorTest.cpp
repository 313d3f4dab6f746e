//===- FlatExecutorTest.cpp - The flat integer reference executor ---------===//
//
// Delay timing, relays (SNN-I10) and saturation on hand-built networks whose
// results follow from the rules by hand.
//
//===----------------------------------------------------------------------===//

#include "snnrt/exec/FlatExecutor.h"
#include "IntNetworkFixtures.h"

#include <gtest/gtest.h>

#include <random>

using namespace snnrt;

namespace {

/// A dataset of one spike sample on `channels` channels.
Dataset spikeSample(uint32_t steps, uint32_t channels,
                    const std::vector<std::pair<uint32_t, uint32_t>> &events) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = steps;
  d.channels = channels;
  d.numClasses = 1;
  d.labels = {0};
  d.eventOffsets = {0, events.size()};
  for (auto [t, c] : events) {
    d.eventStep.push_back(t);
    d.eventChannel.push_back(c);
    d.eventCount.push_back(1);
  }
  return d;
}

/// A LIF population that fires exactly one step after any input >= 1:
/// full decay (d = 4096), threshold 1, hard reset.
IntPopulation follower(const std::string &name, uint32_t size,
                       ResetMode reset = ResetMode::Hard) {
  IntPopulation p;
  p.name = name;
  p.kind = PopulationKind::Lif;
  p.size = size;
  p.reset = reset;
  p.threshold.assign(size, 1);
  p.bias.assign(size, 0);
  p.vDecay.assign(size, 4096);
  p.weightScale.assign(size, 1.0f);
  return p;
}

IntProjection oneToOne(const std::string &src, const std::string &dst,
                       uint32_t size, int32_t weight, int32_t delay,
                       uint32_t maxDelay) {
  IntProjection p;
  p.name = src + "_" + dst;
  p.source = src;
  p.target = dst;
  p.maxDelay = maxDelay;
  for (uint32_t i = 0; i <= size; ++i)
    p.rowPtr.push_back(i);
  for (uint32_t i = 0; i < size; ++i) {
    p.colIdx.push_back(i);
    p.weight.push_back(weight);
    p.delay.push_back(delay);
  }
  return p;
}

IntNetwork network(uint32_t steps) {
  IntNetwork n;
  n.steps = steps;
  n.stateBits = 16;
  n.decay = intmath::DecayKind::Mul12;
  return n;
}

} // namespace

TEST(FlatExecutor, SpikeArrivesExactlyDelayStepsLater) { // SNN-I3, SNN-I6
  const uint32_t T = 12, maxDelay = 5;
  for (int32_t d : {0, 1, int32_t(maxDelay) - 1}) {
    for (uint32_t at : {0u, 3u, T - 1 - uint32_t(d) - 1}) {
      IntNetwork n = network(T);
      n.populations = {fixtures::spikeInput(1), follower("out", 1)};
      n.projections = {oneToOne("in", "out", 1, 1, d, maxDelay)};
      n.outputs = {"out"};
      auto trace = runFlat(n, spikeSample(T, 1, {{at, 0}}), 0);
      ASSERT_TRUE(trace) << trace.status().message();
      // Input at `at` reaches the membrane at at + d (SNN-I3); the neuron
      // spikes one step later (SNN-I6 timing).
      for (uint32_t t = 0; t < T; ++t)
        EXPECT_EQ(trace->output[1][t], t == at + d + 1 ? 1 : 0)
            << "delay " << d << " input at " << at << " step " << t;
    }
  }
}

TEST(FlatExecutor, LastStepInputHasNoEffectWithinTheSample) {
  IntNetwork n = network(6);
  n.populations = {fixtures::spikeInput(1), follower("out", 1)};
  n.projections = {oneToOne("in", "out", 1, 1, 0, 1)};
  n.outputs = {"out"};
  auto trace = runFlat(n, spikeSample(6, 1, {{5, 0}}), 0);
  ASSERT_TRUE(trace);
  for (uint32_t t = 0; t < 6; ++t)
    EXPECT_EQ(trace->output[1][t], 0);
}

TEST(FlatExecutor, RelayPassesBurstsUnchanged) { // SNN-I10
  std::mt19937 rng(3);
  const uint32_t T = 64;
  std::vector<std::pair<uint32_t, uint32_t>> events;
  std::vector<int> x(T, 0);
  for (uint32_t t = 0; t < T; ++t)
    if (rng() % 2) {
      events.push_back({t, 0});
      x[t] = 1;
    }
  // in -> relay (theta 1, weight 2, subtract reset, full decay) -> relay2
  IntNetwork n = network(T);
  n.populations = {fixtures::spikeInput(1),
                   follower("r1", 1, ResetMode::Subtract),
                   follower("r2", 1, ResetMode::Subtract)};
  n.projections = {oneToOne("in", "r1", 1, 2, 0, 1),
                   oneToOne("r1", "r2", 1, 2, 0, 1)};
  n.outputs = {"r2"};
  auto trace = runFlat(n, spikeSample(T, 1, events), 0);
  ASSERT_TRUE(trace);
  for (uint32_t t = 2; t < T; ++t)
    EXPECT_EQ(trace->output[2][t], x[t - 2]) << "step " << t;

  // A hard-reset relay loses the second spike of a burst.
  n.populations[1].reset = ResetMode::Hard;
  auto hard = runFlat(n, spikeSample(T, 1, {{4, 0}, {5, 0}}), 0);
  ASSERT_TRUE(hard);
  EXPECT_EQ(hard->output[1][5], 1);
  EXPECT_EQ(hard->output[1][6], 0);
}

TEST(FlatExecutor, CurrentSaturatesAtTheStateWidth) { // SNN-I3
  IntNetwork n = network(4);
  n.stateBits = 8;
  IntPopulation li;
  li.name = "out";
  li.kind = PopulationKind::Li;
  li.size = 1;
  li.bias = {0};
  li.vDecay = {0}; // no leak
  li.weightScale = {1.0f};
  n.populations = {fixtures::spikeInput(3), li};
  IntProjection p;
  p.name = "w";
  p.source = "in";
  p.target = "out";
  p.maxDelay = 1;
  p.rowPtr = {0, 3};
  p.colIdx = {0, 1, 2};
  p.weight = {100, 100, 100};
  p.delay = {0, 0, 0};
  n.projections = {p};
  n.outputs = {"out"};
  auto trace = runFlat(n, spikeSample(4, 3, {{0, 0}, {0, 1}, {0, 2}}), 0);
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->readout[1][0], 127); // sat(300) at 8 bits
  EXPECT_EQ(trace->readout[1][1], 127); // no leak, no input: stays
}

// SNN-I7 with a synaptic bias: j[t] = sat(dec(j[t-1]) + I[t] + bias_syn),
// u[t] = dec(u[t-1]) + j[t]. mul12 i_decay 2048 halves j (floor), no
// membrane leak: j = 8, 12, 14, 15, ... and u sums them.
TEST(FlatExecutor, SynapticBiasFiltersIntoTheCurrent) {
  IntNetwork n = network(5);
  IntPopulation li;
  li.name = "out";
  li.kind = PopulationKind::Li;
  li.size = 1;
  li.bias = {0};
  li.vDecay = {0};
  li.iDecay = {2048};
  li.biasSyn = {8};
  li.weightScale = {1.0f};
  n.populations = {fixtures::spikeInput(1), li};
  n.projections = {oneToOne("in", "out", 1, 1, 0, 1)};
  n.outputs = {"out"};
  auto trace = runFlat(n, spikeSample(5, 1, {}), 0);
  ASSERT_TRUE(trace) << trace.status().message();
  const int64_t expect[] = {8, 20, 34, 49, 64}; // j = 8, 12, 14, 15, 15
  for (int t = 0; t < 5; ++t)
    EXPECT_EQ(trace->readout[1][t], expect[t]) << t;
  // A synaptic bias needs a synaptic current.
  n.populations[1].iDecay.clear();
  EXPECT_FALSE(n.validate());
}

TEST(FlatExecutor, RejectsInvalidNetworks) {
  IntNetwork n = network(4);
  n.populations = {fixtures::spikeInput(1), follower("out", 1)};
  n.projections = {oneToOne("in", "out", 1, 1, 3, 2)}; // delay beyond max
  n.outputs = {"out"};
  auto trace = runFlat(n, spikeSample(4, 1, {}), 0);
  ASSERT_FALSE(trace);
  EXPECT_NE(trace.status().message().find("delay 3 outside [0, 2)"),
            std::string::npos);
  n.projections = {oneToOne("in", "out", 1, 1, 0, 1)};
  n.populations[1].threshold = {0};
  trace = runFlat(n, spikeSample(4, 1, {}), 0);
  ASSERT_FALSE(trace);
  EXPECT_NE(trace.status().message().find("threshold 0 outside"),
            std::string::npos);
}

// Lava's arithmetic (SNN-L rules) by hand: two projections into one readout,
// each sum shifted by its own exponent before they add (Lava's Dense outputs
// add at the LIF's input port). x = 1 on both channels at step 0:
// projection a: 5 >> 1 = 2; projection b: -5 >> 1 = -3 (floors); a = -1.
// Readout: iDecay 4096 (no filter), vDecay 0, bias 64: Lava's first step
// gives v = 64; then u = -64 and v = 64 + (-64) + 64 = 64 after step 0,
// and v = 64 + 0 + 64 = 128 after step 1.
TEST(FlatExecutor, LavaShiftsEachProjectionsSumByItsExponent) {
  IntNetwork n = network(2);
  n.stateBits = 24;
  n.arithmetic = intmath::Arithmetic::LavaCuba;
  IntPopulation li;
  li.name = "out";
  li.kind = PopulationKind::Li;
  li.size = 1;
  li.bias = {64};
  li.vDecay = {0};
  li.weightScale = {1.0f};
  n.populations = {fixtures::spikeInput(2), li};
  IntProjection a = oneToOne("in", "out", 1, 5, 0, 1);
  a.name = "a";
  a.weightExp = -1;
  IntProjection b = a;
  b.name = "b";
  b.colIdx = {1};
  b.weight = {-5};
  n.projections = {a, b};
  n.outputs = {"out"};
  auto trace = runFlat(n, spikeSample(2, 2, {{0, 0}, {0, 1}}), 0);
  ASSERT_TRUE(trace) << trace.status().message();
  EXPECT_EQ(trace->readout[1][0], 64);
  EXPECT_EQ(trace->readout[1][1], 128);
  // A weight exponent belongs to Lava's arithmetic.
  n.arithmetic = intmath::Arithmetic::Snnc;
  EXPECT_FALSE(n.validate());
}

// Xylo's arithmetic (SNN-X rules, SNN-X13 timing) against
// tools/snn-vendor/xylo_reference.py run on the same network with the delay
// as an explicit relay neuron (hidden 0 = h1, 1 = h2, 2 = relay of h1,
// weight_shift_rec 4, relay threshold 16, weights +2 / self −1): the relay
// fires exactly h1's counts one step later, and the values below are the
// reference's Spikes, Vmem and Vmem_out rows. Input counts 3, 20 (clipped
// to 15) and 1 at steps 2, 5, 6.
TEST(FlatExecutor, XyloMatchesTheReferenceWithAnExplicitRelay) {
  IntNetwork n = network(12);
  n.stateBits = 16;
  n.decay = intmath::DecayKind::Shift;
  n.arithmetic = intmath::Arithmetic::XyloIaf;
  auto xylo = [](const std::string &name, PopulationKind kind,
                 int32_t threshold, int32_t dashMem) {
    IntPopulation p;
    p.name = name;
    p.kind = kind;
    p.size = 1;
    p.threshold = {threshold};
    p.bias = {0};
    p.vDecay = {dashMem};
    p.iDecay = {1};
    p.weightScale = {1.0f};
    return p;
  };
  n.populations = {fixtures::spikeInput(1),
                   xylo("h1", PopulationKind::Lif, 10, 0),
                   xylo("h2", PopulationKind::Lif, 50, 2),
                   xylo("out", PopulationKind::Li, 0, 3)};
  IntProjection late = oneToOne("h1", "h2", 1, 112, 1, 2);
  late.name = "late";
  n.projections = {oneToOne("in", "h1", 1, 20, 0, 1),
                   oneToOne("h1", "h2", 1, 48, 0, 1), late,
                   oneToOne("h2", "out", 1, 16, 0, 1)};
  n.outputs = {"out"};
  Dataset d = spikeSample(12, 1, {{2, 0}, {5, 0}, {6, 0}});
  d.eventCount = {3, 20, 1};
  auto trace = runFlat(n, d, 0);
  ASSERT_TRUE(trace) << trace.status().message();
  const std::vector<int32_t> h1 = {0, 0, 3, 1, 0, 15, 8, 4, 2, 1, 0, 0};
  const std::vector<int32_t> h2 = {0, 0, 0, 1, 4, 4, 8, 25, 24, 17, 11, 7};
  const std::vector<int64_t> out = {0,  0,   0,   0,   8,   43,
                                    88, 166, 391, 658, 870, 997};
  EXPECT_EQ(trace->output[1], h1);
  EXPECT_EQ(trace->output[2], h2);
  EXPECT_EQ(trace->readout[3], out);
  // Xylo has no input→output synapses, and dashes are 4-bit.
  n.projections.push_back(oneToOne("in", "out", 1, 1, 0, 1));
  EXPECT_FALSE(n.validate());
  n.projections.pop_back();
  n.populations[1].vDecay = {16};
  auto bad = n.validate();
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("dash_mem 16 outside Xylo's [0, 15]"),
            std::string::npos);
}
