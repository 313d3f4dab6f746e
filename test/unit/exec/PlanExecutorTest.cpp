//===- PlanExecutorTest.cpp - plan executor vs flat reference -------------===//
//
// docs/design.md §5 level 2 at the runtime level: random integer networks,
// mapped onto random numbers of cores of random sizes, run event-driven per
// core and flat; every spike and every readout state must agree. (The
// compiler's own mapping, with relays, is checked end to end
// by `snnc verify`.)
//
//===----------------------------------------------------------------------===//

#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/PlanBuilder.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/exec/PlanRun.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

using namespace snnrt;

namespace {

/// A random network under `arithmetic`. Under Lava's, decays and
/// thresholds are per population and weights 8-bit mantissas with exponent
/// 0 (what a plan holds), biases in state units.
IntNetwork
randomNetwork(std::mt19937 &rng, bool frames,
              intmath::Arithmetic arithmetic = intmath::Arithmetic::Snnc) {
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const bool lava = arithmetic == intmath::Arithmetic::LavaCuba;
  // Xylo: 16-bit states, 4-bit dashes, a current on every neuron, weights
  // int8 · 2^shift (large shifts make deliveries saturate), no input →
  // readout synapses.
  const bool xylo = arithmetic == intmath::Arithmetic::XyloIaf;
  const int xyloShift = uniform(0, 8);
  IntNetwork n;
  n.arithmetic = arithmetic;
  n.steps = uniform(8, 30);
  n.stateBits = lava ? 24 : xylo ? 16 : uniform(10, 24);
  n.decay = xylo                ? intmath::DecayKind::Shift
            : lava || rng() % 2 ? intmath::DecayKind::Mul12
                                : intmath::DecayKind::Shift;
  const int maxDecay = xylo                                   ? 15
                       : n.decay == intmath::DecayKind::Mul12 ? 4096
                                                              : 12;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = uniform(2, 9);
  in.inputKind = frames ? InputKind::Frames : InputKind::Spikes;
  in.scale = frames ? 16.0 : 1.0;
  n.populations.push_back(in);
  const int hiddenLayers = uniform(1, 3);
  std::vector<std::string> spiking = {"in"};
  for (int l = 0; l <= hiddenLayers; ++l) {
    bool readout = l == hiddenLayers;
    IntPopulation p;
    p.name = readout ? "out" : "h" + std::to_string(l);
    p.kind = readout ? PopulationKind::Li : PopulationKind::Lif;
    p.size = uniform(1, 12);
    p.reset = rng() % 2 ? ResetMode::Subtract : ResetMode::Hard;
    // Decays per neuron, sometimes uniform; a CuBa synapse on lif and li.
    const bool cuba = xylo || rng() % 3 == 0,
               uniformDecay = lava || rng() % 2 == 0;
    const int vShared = uniform(0, lava ? 4095 : maxDecay),
              iShared = uniform(lava ? 1 : 0, maxDecay);
    for (uint32_t b = 0; b < p.size; ++b) {
      p.vDecay.push_back(uniformDecay ? vShared : uniform(0, maxDecay));
      if (cuba)
        p.iDecay.push_back(uniformDecay ? iShared : uniform(0, maxDecay));
    }
    const int sharedThreshold = uniform(0, 60);
    for (uint32_t b = 0; b < p.size; ++b) {
      p.threshold.push_back(lava   ? sharedThreshold
                            : xylo ? uniform(1, 60) << xyloShift
                                   : uniform(1, 60));
      // Lava's biases are state units, 2^6 of them per weight unit.
      p.bias.push_back(lava ? uniform(-200, 320) : uniform(-3, 5));
      p.weightScale.push_back(0.01f * uniform(1, 100));
    }
    if (readout)
      p.threshold.clear();
    // One or two incoming projections, from any earlier spiking population.
    int incoming = uniform(1, 2);
    for (int k = 0; k < incoming; ++k) {
      const std::string &src =
          spiking[uniform(xylo && readout ? 1 : 0, int(spiking.size()) - 1)];
      uint32_t ns = n.populations[n.findPopulation(src)].size;
      IntProjection proj;
      proj.name = src + "_" + p.name + "_" + std::to_string(k);
      proj.source = src;
      proj.target = p.name;
      proj.maxDelay = uniform(1, 9);
      proj.rowPtr = {0};
      for (uint32_t b = 0; b < p.size; ++b) {
        for (uint32_t a = 0; a < ns; ++a)
          if (rng() % 3 != 0) {
            proj.colIdx.push_back(a);
            // Xylo: a multiple of 2^shift (not <<: shifting a negative
            // value left is undefined before C++20; UBSan stops on it).
            proj.weight.push_back(lava   ? uniform(-128, 127)
                                  : xylo ? uniform(-128, 127) * (1 << xyloShift)
                                         : uniform(-40, 60));
            proj.delay.push_back(uniform(0, int(proj.maxDelay) - 1));
          }
        proj.rowPtr.push_back(proj.colIdx.size());
      }
      n.projections.push_back(proj);
    }
    n.populations.push_back(p);
    if (!readout)
      spiking.push_back(p.name);
  }
  n.outputs = {"out"};
  return n;
}

/// Maps every lif/li neuron onto one of `cores` cores at random.
Plan randomPlan(const IntNetwork &n, std::mt19937 &rng, int cores) {
  std::vector<uint32_t> coreOf;
  for (const auto &p : n.populations)
    for (uint32_t i = 0; i < p.size; ++i)
      coreOf.push_back(uint32_t(rng() % cores));
  return planFromIntNetwork(n, coreOf);
}

Dataset randomData(std::mt19937 &rng, const IntNetwork &n, bool frames,
                   size_t samples) {
  Dataset d;
  d.kind = frames ? InputKind::Frames : InputKind::Spikes;
  d.steps = n.steps;
  d.channels = n.populations[0].size;
  d.numClasses = 1;
  d.labels.assign(samples, 0);
  if (frames) {
    std::uniform_real_distribution<float> u(-1.0f, 3.0f);
    d.frames.resize(samples * d.steps * d.channels);
    for (auto &x : d.frames)
      x = rng() % 4 ? 0.0f : u(rng);
    return d;
  }
  d.eventOffsets = {0};
  for (size_t s = 0; s < samples; ++s) {
    for (uint32_t t = 0; t < d.steps; ++t)
      for (uint32_t c = 0; c < d.channels; ++c)
        if (rng() % 3 == 0) {
          d.eventStep.push_back(t);
          d.eventChannel.push_back(c);
          d.eventCount.push_back(float(1 + rng() % 2));
        }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

} // namespace

class PlanExecutorArithmetic
    : public ::testing::TestWithParam<intmath::Arithmetic> {};

TEST_P(PlanExecutorArithmetic, BitExactToTheFlatReferenceOnRandomNetworks) {
  int checked = 0;
  uint64_t spikes = 0;
  for (unsigned seed = 0; seed < 60; ++seed) {
    std::mt19937 rng(seed);
    bool frames = seed % 2;
    IntNetwork net = randomNetwork(rng, frames, GetParam());
    ASSERT_TRUE(net.validate()) << net.validate().message();
    Plan plan = randomPlan(net, rng, 1 + int(rng() % 7));
    ASSERT_TRUE(validatePlan(plan)) << validatePlan(plan).message();
    Dataset data = randomData(rng, net, frames, 3);
    {
      auto exec = PlanExecutor::create(plan);
      ASSERT_TRUE(exec) << exec.status().message();
      // Both ways of walking a step's segments (gathered, the default,
      // and one loop per segment) on the same tables.
      PlanExecutorOptions perSegment;
      perSegment.gather = false;
      std::unique_ptr<PlanExecutor> other = (*exec)->twin(perSegment);
      for (size_t s = 0; s < data.size(); ++s) {
        auto flat = runFlat(net, data, s);
        ASSERT_TRUE(flat);
        for (PlanExecutor *e : {exec->get(), other.get()}) {
          PlanRunStats stats;
          auto mapped = e->run(data, s, &stats);
          ASSERT_TRUE(mapped);
          spikes += stats.spikes;
          for (size_t p = 0; p < net.populations.size(); ++p) {
            ASSERT_EQ(flat->output[p], mapped->output[p])
                << "seed " << seed << " population " << net.populations[p].name;
            ASSERT_EQ(flat->readout[p], mapped->readout[p])
                << "seed " << seed << " population " << net.populations[p].name;
          }
          EXPECT_EQ(predictClass(net, *flat), e->predictClass(*mapped));
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 60 * 3);
  EXPECT_GT(spikes, 1000u); // the networks are not silent
}

INSTANTIATE_TEST_SUITE_P(
    BothArithmetics, PlanExecutorArithmetic,
    ::testing::Values(intmath::Arithmetic::Snnc, intmath::Arithmetic::LavaCuba,
                      intmath::Arithmetic::XyloIaf),
    [](const ::testing::TestParamInfo<intmath::Arithmetic> &info) {
      return info.param == intmath::Arithmetic::LavaCuba  ? "LavaCuba"
             : info.param == intmath::Arithmetic::XyloIaf ? "XyloIaf"
                                                          : "Snnc";
    });

// Weights beyond int16 (or inputs that could carry a neuron's sum past
// int32) keep the executor on its per-core tables and int64 rings instead
// of the direct delivery; that path must stay bit-exact too.
TEST(PlanExecutor, WideWeightsStayBitExactToTheFlatReference) {
  int checked = 0;
  for (unsigned seed = 0; seed < 20; ++seed) {
    std::mt19937 rng(seed);
    bool frames = seed % 2;
    IntNetwork net = randomNetwork(rng, frames, intmath::Arithmetic::Snnc);
    for (auto &p : net.projections)
      for (auto &w : p.weight)
        w *= 1000; // past int16 wherever |w| >= 33
    ASSERT_TRUE(net.validate()) << net.validate().message();
    Plan plan = randomPlan(net, rng, 1 + int(rng() % 7));
    Dataset data = randomData(rng, net, frames, 2);
    auto exec = PlanExecutor::create(plan);
    ASSERT_TRUE(exec) << exec.status().message();
    // Asked for samples in flight, the per-core tables run them one at a
    // time within the group: the same traces.
    PlanExecutorOptions inFlight;
    inFlight.inFlight = 8;
    auto group = (*exec)->twin(inFlight)->runGroup(data, {0, 1});
    ASSERT_TRUE(group) << group.status().message();
    for (size_t s = 0; s < data.size(); ++s) {
      auto flat = runFlat(net, data, s);
      auto mapped = (*exec)->run(data, s);
      ASSERT_TRUE(flat && mapped);
      for (size_t p = 0; p < net.populations.size(); ++p) {
        ASSERT_EQ(flat->output[p], mapped->output[p]) << "seed " << seed;
        ASSERT_EQ(flat->readout[p], mapped->readout[p]) << "seed " << seed;
        ASSERT_EQ(flat->output[p], (*group)[s].output[p]) << "seed " << seed;
        ASSERT_EQ(flat->readout[p], (*group)[s].readout[p]) << "seed " << seed;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20 * 2);
}

TEST(PlanExecutor, CountsSynapticEventsInProportionToSpikes) {
  std::mt19937 rng(5);
  IntNetwork net = randomNetwork(rng, false);
  Plan plan = randomPlan(net, rng, 3);
  Dataset silent = randomData(rng, net, false, 1);
  silent.eventStep.clear();
  silent.eventChannel.clear();
  silent.eventCount.clear();
  silent.eventOffsets = {0, 0};
  for (auto &p : net.populations) // no bias: nothing can fire
    std::fill(p.bias.begin(), p.bias.end(), 0);
  for (auto &c : plan.cores)
    std::fill(c.bias.begin(), c.bias.end(), 0);
  auto exec = PlanExecutor::create(plan);
  ASSERT_TRUE(exec);
  PlanRunStats stats;
  ASSERT_TRUE((*exec)->run(silent, 0, &stats));
  EXPECT_EQ(stats.synapticEvents, 0u);
  EXPECT_EQ(stats.spikes, 0u);
}

TEST(PlanExecutor, RejectsAMismatchedDataset) {
  std::mt19937 rng(9);
  IntNetwork net = randomNetwork(rng, true);
  Plan plan = randomPlan(net, rng, 2);
  auto exec = PlanExecutor::create(plan);
  ASSERT_TRUE(exec);
  Dataset data = randomData(rng, net, true, 1);
  data.channels += 1;
  data.frames.resize(size_t(data.steps) * data.channels);
  auto run = (*exec)->run(data, 0);
  ASSERT_FALSE(run);
  EXPECT_NE(run.status().message().find("channels"), std::string::npos);
}

TEST(PlanExecutor, DatasetRunsDoNotDependOnTheThreadCount) {
  std::mt19937 rng(17);
  IntNetwork net = randomNetwork(rng, false);
  Plan plan = randomPlan(net, rng, 4);
  Dataset data = randomData(rng, net, false, 37);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  one.record = two.record = true;
  auto a = runPlanOnDataset(plan, data, one);
  auto b = runPlanOnDataset(plan, data, two);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->predictions, b->predictions);
  EXPECT_EQ(a->synapticEvents, b->synapticEvents);
  for (size_t p = 0; p < a->populations.size(); ++p) {
    EXPECT_EQ(a->populations[p].spikes, b->populations[p].spikes);
    EXPECT_EQ(a->recording[p].step, b->recording[p].step);
    EXPECT_EQ(a->recording[p].neuron, b->recording[p].neuron);
  }
}

// Long segments (more synapses per (source, delay) than one gathered copy
// holds) and steps with more due synapses than the gathering buffer, which
// the small networks above never reach: 40 inputs fan out to 900 neurons
// over 3 delays (~150 synapses a segment), the hidden layers to each
// other; frames (input values other than 1) and spikes.
TEST(PlanExecutor, GatheredDeliveryStaysExactOnWideFanouts) {
  for (bool frames : {false, true}) {
    std::mt19937 rng(frames ? 31 : 30);
    IntNetwork n;
    n.steps = 12;
    n.stateBits = 16;
    IntPopulation in;
    in.name = "in";
    in.kind = PopulationKind::Input;
    in.size = 40;
    in.inputKind = frames ? InputKind::Frames : InputKind::Spikes;
    in.scale = frames ? 16.0 : 1.0;
    n.populations.push_back(in);
    auto layer = [&](const std::string &name, uint32_t size, bool readout) {
      IntPopulation p;
      p.name = name;
      p.kind = readout ? PopulationKind::Li : PopulationKind::Lif;
      p.size = size;
      for (uint32_t b = 0; b < size; ++b) {
        if (!readout)
          p.threshold.push_back(40 + int(rng() % 40));
        p.bias.push_back(int(rng() % 5) - 1);
        p.vDecay.push_back(int(rng() % 4096));
        p.weightScale.push_back(0.01f);
      }
      n.populations.push_back(p);
    };
    auto connect = [&](const std::string &src, uint32_t sources,
                       const std::string &dst, uint32_t targets, int percent,
                       uint32_t maxDelay) {
      IntProjection p;
      p.name = src + "_" + dst;
      p.source = src;
      p.target = dst;
      p.maxDelay = maxDelay;
      p.rowPtr = {0};
      for (uint32_t b = 0; b < targets; ++b) {
        for (uint32_t a = 0; a < sources; ++a)
          if (int(rng() % 100) < percent) {
            p.colIdx.push_back(a);
            p.weight.push_back(int(rng() % 31) - 12);
            p.delay.push_back(int32_t(rng() % maxDelay));
          }
        p.rowPtr.push_back(p.colIdx.size());
      }
      n.projections.push_back(p);
    };
    layer("h1", 900, false);
    layer("h2", 300, false);
    layer("out", 5, true);
    connect("in", 40, "h1", 900, 50, 3);
    connect("h1", 900, "h2", 300, 10, 4);
    connect("h2", 300, "out", 5, 50, 2);
    n.outputs = {"out"};
    ASSERT_TRUE(n.validate()) << n.validate().message();
    Plan plan = randomPlan(n, rng, 3);
    Dataset data = randomData(rng, n, frames, 2);
    auto exec = PlanExecutor::create(plan);
    ASSERT_TRUE(exec) << exec.status().message();
    ASSERT_NE((*exec)->layout().find("direct delivery"), std::string::npos);
    PlanExecutorOptions perSegment;
    perSegment.gather = false;
    std::unique_ptr<PlanExecutor> other = (*exec)->twin(perSegment);
    uint64_t hidden = 0;
    for (size_t s = 0; s < data.size(); ++s) {
      auto flat = runFlat(n, data, s);
      ASSERT_TRUE(flat);
      for (PlanExecutor *e : {exec->get(), other.get()}) {
        PlanRunStats stats;
        auto mapped = e->run(data, s, &stats);
        ASSERT_TRUE(mapped);
        hidden += stats.spikes;
        for (size_t p = 0; p < n.populations.size(); ++p) {
          ASSERT_EQ(flat->output[p], mapped->output[p])
              << "frames " << frames << " population " << n.populations[p].name;
          ASSERT_EQ(flat->readout[p], mapped->readout[p])
              << "frames " << frames << " population " << n.populations[p].name;
        }
      }
    }
    EXPECT_GT(hidden, 1000u) << "frames " << frames; // not silent
  }
}

// Samples in flight (runGroup): groups of S samples advance together, their
// states side by side and each spike row delivered once to every sample of
// the group that fired on it. Every trace, spike count and event count must
// equal the lone run's and the flat reference's, under each arithmetic
// (Xylo's runs one sample at a time inside a group), for S = 1, 3, 8 and 16
// over 11 samples: ragged last groups of 2 and 3 samples, and a group of 11
// in 16 lanes.
TEST_P(PlanExecutorArithmetic, SamplesInFlightAreBitExactToTheFlatReference) {
  uint64_t spikes = 0;
  int checked = 0;
  for (unsigned seed = 100; seed < 130; ++seed) {
    std::mt19937 rng(seed);
    const bool frames = seed % 2;
    IntNetwork net = randomNetwork(rng, frames, GetParam());
    ASSERT_TRUE(net.validate()) << net.validate().message();
    Plan plan = randomPlan(net, rng, 1 + int(rng() % 5));
    Dataset data = randomData(rng, net, frames, 11);
    std::vector<size_t> ids(data.size());
    for (size_t s = 0; s < ids.size(); ++s)
      ids[s] = s;
    auto single = PlanExecutor::create(plan);
    ASSERT_TRUE(single) << single.status().message();
    std::vector<IntTrace> flat;
    std::vector<PlanRunStats> lone;
    for (size_t s = 0; s < data.size(); ++s) {
      auto ft = runFlat(net, data, s);
      ASSERT_TRUE(ft);
      flat.push_back(std::move(*ft));
      PlanRunStats st;
      ASSERT_TRUE((*single)->run(data, s, &st));
      lone.push_back(st);
    }
    for (uint32_t width : {1u, 3u, 8u, 16u}) {
      PlanExecutorOptions options;
      options.inFlight = width;
      std::unique_ptr<PlanExecutor> exec = (*single)->twin(options);
      ASSERT_EQ(exec->samplesInFlight(), width);
      std::vector<PlanRunStats> stats;
      auto dense = exec->runGroup(data, ids, &stats);
      ASSERT_TRUE(dense) << dense.status().message();
      ASSERT_EQ(dense->size(), data.size());
      std::vector<PlanRunStats> sparseStats;
      auto sparse = exec->runSparseGroup(data, ids, &sparseStats);
      ASSERT_TRUE(sparse) << sparse.status().message();
      for (size_t s = 0; s < data.size(); ++s) {
        const IntTrace &mine = (*dense)[s];
        for (size_t p = 0; p < net.populations.size(); ++p) {
          ASSERT_EQ(flat[s].output[p], mine.output[p])
              << "seed " << seed << " S " << width << " sample " << s
              << " population " << net.populations[p].name;
          ASSERT_EQ(flat[s].readout[p], mine.readout[p])
              << "seed " << seed << " S " << width << " sample " << s
              << " population " << net.populations[p].name;
          // The sparse form holds the dense trace's nonzero outputs.
          const SparseTrace &sp = (*sparse)[s];
          const uint32_t size = net.populations[p].size;
          std::vector<int32_t> fromSparse(mine.output[p].size(), 0);
          for (size_t k = 0; k < sp.step[p].size(); ++k)
            fromSparse[size_t(sp.step[p][k]) * size + sp.neuron[p][k]] =
                sp.value[p][k];
          ASSERT_EQ(fromSparse, mine.output[p])
              << "seed " << seed << " S " << width << " sample " << s;
          ASSERT_EQ(sp.readout[p], mine.readout[p]);
        }
        EXPECT_EQ(stats[s].spikes, lone[s].spikes) << "seed " << seed;
        EXPECT_EQ(stats[s].synapticEvents, lone[s].synapticEvents)
            << "seed " << seed << " S " << width << " sample " << s;
        EXPECT_EQ(sparseStats[s].synapticEvents, lone[s].synapticEvents);
        spikes += stats[s].spikes;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 30 * 4 * 11);
  EXPECT_GT(spikes, 1000u);
}

// The int32 lanes (a group's samples, or one sample's neurons of a class)
// against their element-by-element fallback and the flat reference where
// the states are large: Lava's current u far from 24 bits (strong inputs
// wrap it), snnc's hard-reset LIF with 24-bit states and large biases, and
// spikes of one source in many lanes at once (every sample the same input,
// so rows are shared by all lanes).
TEST_P(PlanExecutorArithmetic, SamplesInFlightStayExactOnLargeStates) {
  if (GetParam() == intmath::Arithmetic::XyloIaf)
    GTEST_SKIP() << "Xylo's plans run one sample at a time";
  const bool lava = GetParam() == intmath::Arithmetic::LavaCuba;
  for (unsigned seed = 200; seed < 210; ++seed) {
    std::mt19937 rng(seed);
    IntNetwork net = randomNetwork(rng, true, GetParam());
    net.stateBits = lava ? 24 : 24;
    for (auto &p : net.populations) {
      if (p.kind == PopulationKind::Input) {
        p.scale = 4000.0; // x up to sat16: inputs of ~10^6 per neuron
        continue;
      }
      for (auto &b : p.bias)
        b *= lava ? 64 : 1000;
      if (!lava)
        for (auto &th : p.threshold)
          th *= 20000;
    }
    ASSERT_TRUE(net.validate()) << net.validate().message();
    Plan plan = randomPlan(net, rng, 2);
    Dataset data = randomData(rng, net, true, 9);
    // Samples 4..8 repeat sample 0: the group's lanes share every row.
    const size_t per = size_t(data.steps) * data.channels;
    for (size_t s = 4; s < 9; ++s)
      std::copy(data.frames.begin(), data.frames.begin() + per,
                data.frames.begin() + s * per);
    auto exec = PlanExecutor::create(plan, PlanExecutorOptions{true, 16});
    ASSERT_TRUE(exec) << exec.status().message();
    std::vector<size_t> ids = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    auto group = (*exec)->runGroup(data, ids);
    ASSERT_TRUE(group) << group.status().message();
    for (size_t s = 0; s < ids.size(); ++s) {
      auto flat = runFlat(net, data, s);
      ASSERT_TRUE(flat);
      // The one-sample path updates a class's neurons as lanes too.
      auto one = (*exec)->run(data, s);
      ASSERT_TRUE(one) << one.status().message();
      for (size_t p = 0; p < net.populations.size(); ++p) {
        ASSERT_EQ(flat->output[p], (*group)[s].output[p])
            << "seed " << seed << " sample " << s;
        ASSERT_EQ(flat->readout[p], (*group)[s].readout[p])
            << "seed " << seed << " sample " << s;
        ASSERT_EQ(flat->output[p], one->output[p])
            << "one at a time, seed " << seed << " sample " << s;
        ASSERT_EQ(flat->readout[p], one->readout[p])
            << "one at a time, seed " << seed << " sample " << s;
      }
    }
  }
}

TEST(PlanExecutor, SamplesInFlightRefusesBadCounts) {
  std::mt19937 rng(3);
  IntNetwork net = randomNetwork(rng, false);
  Plan plan = randomPlan(net, rng, 2);
  PlanExecutorOptions options;
  options.inFlight = PlanExecutorOptions::kMaxInFlight + 1;
  auto tooMany = PlanExecutor::create(plan, options);
  ASSERT_FALSE(tooMany);
  EXPECT_NE(tooMany.status().message().find("samples in flight"),
            std::string::npos);
  for (const char *bad : {"0", "17", "x", "-2", "8x"}) {
    ::setenv("SNNC_SAMPLES_IN_FLIGHT", bad, 1);
    auto exec = PlanExecutor::create(plan);
    ::unsetenv("SNNC_SAMPLES_IN_FLIGHT");
    ASSERT_FALSE(exec) << bad;
    EXPECT_NE(exec.status().message().find("SNNC_SAMPLES_IN_FLIGHT='" +
                                           std::string(bad) + "'"),
              std::string::npos)
        << exec.status().message();
  }
  ::setenv("SNNC_SAMPLES_IN_FLIGHT", "5", 1);
  auto five = PlanExecutor::create(plan);
  ::unsetenv("SNNC_SAMPLES_IN_FLIGHT");
  ASSERT_TRUE(five);
  EXPECT_EQ((*five)->samplesInFlight(), 5u);
  // A bad sample in a group is refused, naming it.
  Dataset data = randomData(rng, net, false, 2);
  auto run = (*five)->runGroup(data, {0, 1, 2});
  ASSERT_FALSE(run);
  EXPECT_NE(run.status().message().find("sample 2"), std::string::npos);
}

TEST(PlanExecutor, DatasetRunsDoNotDependOnSamplesInFlight) {
  for (auto arithmetic :
       {intmath::Arithmetic::Snnc, intmath::Arithmetic::LavaCuba}) {
    std::mt19937 rng(23);
    IntNetwork net = randomNetwork(rng, true, arithmetic);
    Plan plan = randomPlan(net, rng, 3);
    Dataset data = randomData(rng, net, true, 29);
    RunOptions one, eight;
    one.inFlight = 1;
    eight.inFlight = 8;
    one.record = eight.record = true;
    auto a = runPlanOnDataset(plan, data, one);
    auto b = runPlanOnDataset(plan, data, eight);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->predictions, b->predictions);
    EXPECT_EQ(a->synapticEvents, b->synapticEvents);
    for (size_t p = 0; p < a->populations.size(); ++p) {
      EXPECT_EQ(a->populations[p].spikes, b->populations[p].spikes);
      EXPECT_EQ(a->populations[p].ratePerNeuron,
                b->populations[p].ratePerNeuron);
      EXPECT_EQ(a->recording[p].step, b->recording[p].step);
      EXPECT_EQ(a->recording[p].neuron, b->recording[p].neuron);
      EXPECT_EQ(a->recording[p].samplePtr, b->recording[p].samplePtr);
    }
  }
}

// Lava's current at its wrap boundaries (SNN-L): u = wrap32(2^6 · 8x) is
// exactly 2^23 (kept), −2^23 (wrapped to 2^23), just past either, 2^24 − 2^9
// and −2^24, each in one lane of a group and in a run of its own; the
// readout's state, clipped to ±(2^23 − 1), shows which way every lane went.
TEST(PlanExecutor, SamplesInFlightWrapLavasCurrentAtItsBoundaries) {
  IntNetwork n;
  n.arithmetic = intmath::Arithmetic::LavaCuba;
  n.steps = 3;
  n.stateBits = 24;
  n.decay = intmath::DecayKind::Mul12;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = 1;
  in.inputKind = InputKind::Frames;
  in.scale = 1.0;
  n.populations.push_back(in);
  IntPopulation out;
  out.name = "out";
  out.kind = PopulationKind::Li;
  out.size = 2;
  out.bias = {0, 0};
  out.vDecay = {0, 4095};
  out.iDecay = {4096, 1};
  out.weightScale = {1.0f, 1.0f};
  n.populations.push_back(out);
  IntProjection p;
  p.name = "in_out";
  p.source = "in";
  p.target = "out";
  p.maxDelay = 1;
  p.rowPtr = {0, 1, 2};
  p.colIdx = {0, 0};
  p.weight = {8, -8};
  p.delay = {0, 0};
  n.projections.push_back(p);
  n.outputs = {"out"};
  ASSERT_TRUE(n.validate()) << n.validate().message();
  const std::vector<float> xs = {16384, -16384, 16383, -16385,
                                 32767, -32768, 16385, -16383};
  Dataset data;
  data.kind = InputKind::Frames;
  data.steps = n.steps;
  data.channels = 1;
  data.numClasses = 1;
  data.labels.assign(xs.size(), 0);
  for (float x : xs)
    for (uint32_t t = 0; t < n.steps; ++t)
      data.frames.push_back(t == 1 ? 0.0f : x);
  Plan plan = planFromIntNetwork(n, {0, 0, 0});
  auto exec = PlanExecutor::create(plan, PlanExecutorOptions{true, 8});
  ASSERT_TRUE(exec) << exec.status().message();
  std::vector<size_t> ids(xs.size());
  for (size_t s = 0; s < ids.size(); ++s)
    ids[s] = s;
  auto group = (*exec)->runGroup(data, ids);
  ASSERT_TRUE(group) << group.status().message();
  std::set<int64_t> states;
  for (size_t s = 0; s < ids.size(); ++s) {
    auto flat = runFlat(n, data, s);
    ASSERT_TRUE(flat);
    EXPECT_EQ(flat->readout[1], (*group)[s].readout[1]) << "x " << xs[s];
    // One sample at a time: the two neurons are one class each, lanes of
    // one (lavaLanes32 on a range).
    auto one = (*exec)->run(data, s);
    ASSERT_TRUE(one) << one.status().message();
    EXPECT_EQ(flat->readout[1], one->readout[1])
        << "one at a time, x " << xs[s];
    states.insert((*group)[s].readout[1].begin(), (*group)[s].readout[1].end());
  }
  // The lower clip limit and 2^23 − 2^9 of either sign are reached (the
  // upper limit lies past the readout's threshold and reads 0).
  const int64_t limit = int64_t(1) << 23;
  EXPECT_TRUE(states.count(1 - limit));
  EXPECT_TRUE(states.count(limit - 512));
  EXPECT_TRUE(states.count(512 - limit));
}
