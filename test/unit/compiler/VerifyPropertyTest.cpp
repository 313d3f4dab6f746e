//===- VerifyPropertyTest.cpp - compile + verify on random networks -------===//
//
// docs/design.md §5 level 2 end to end: random float networks with long delays
// are compiled (lowering, relays, METIS mapping) for random tight targets
// and `verifyDeployment` must find the plan bit-exact to the flat quantised
// network. Then single corruptions of a plan (one weight, one delay, one
// route) must make it fail and name the place.
//
//===----------------------------------------------------------------------===//

#include "snnc/Compile/Compile.h"
#include "snnc/Verify/Verify.h"

#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/model/ModelFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <unistd.h>

using namespace snnc;

namespace {

std::string tempDir(const std::string &name) {
  std::string dir = ::testing::TempDir() + "/snnc-verify-" + name + "-" +
                    std::to_string(getpid());
  llvm::sys::fs::remove_directories(dir);
  llvm::sys::fs::create_directories(dir);
  return dir;
}

/// in (spikes) -> h1 (LIF, sometimes CuBa) -> [h2 (LIF)] -> out (LI). Input
/// delays stay below `inputDelays` (relays cannot carry graded inputs);
/// hidden delays reach `maxDelay` - 1, beyond the target's slots.
snnrt::Model randomModel(std::mt19937 &rng, uint32_t inputDelays,
                         uint32_t maxDelay, bool lava) {
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::uniform_real_distribution<float> weight(-0.4f, 1.2f);
  snnrt::Model m;
  m.name = "random";
  m.dt = 0.001;
  m.steps = 30;
  std::vector<std::pair<std::string, uint32_t>> layers = {
      {"in", uint32_t(uniform(4, 10))}, {"h1", uint32_t(uniform(5, 20))}};
  if (rng() % 2)
    layers.push_back({"h2", uint32_t(uniform(4, 12))});
  layers.push_back({"out", uint32_t(uniform(3, 5))});
  for (size_t l = 0; l < layers.size(); ++l) {
    snnrt::Population p;
    p.name = layers[l].first;
    p.size = layers[l].second;
    p.tauMem = 0.005 * uniform(2, 6);
    if (l == 0) {
      p.kind = snnrt::PopulationKind::Input;
      p.inputKind = snnrt::InputKind::Spikes;
    } else if (l + 1 == layers.size()) {
      p.kind = snnrt::PopulationKind::Li;
    } else {
      p.kind = snnrt::PopulationKind::Lif;
      p.threshold = 1.0;
      // Lava's neuron zeroes v after a spike: it has no subtract reset.
      p.reset = rng() % 2 || lava ? snnrt::ResetMode::Hard
                                  : snnrt::ResetMode::Subtract;
      if (rng() % 3 == 0)
        p.tauSyn = 0.004;
    }
    m.populations.push_back(p);
  }
  for (size_t l = 1; l < layers.size(); ++l) {
    snnrt::Projection proj;
    proj.name = "fc" + std::to_string(l);
    proj.source = layers[l - 1].first;
    proj.target = layers[l].first;
    proj.maxDelay = l == 1 ? inputDelays : maxDelay;
    size_t n = size_t(layers[l].second) * layers[l - 1].second;
    for (size_t k = 0; k < n; ++k) {
      proj.weights.push_back(weight(rng));
      proj.delays.push_back(uniform(0, int(proj.maxDelay) - 1));
    }
    m.projections.push_back(proj);
  }
  m.outputs = {"out"};
  return m;
}

snnrt::Dataset randomSpikes(std::mt19937 &rng, uint32_t channels,
                            uint32_t steps, size_t samples) {
  snnrt::Dataset d;
  d.kind = snnrt::InputKind::Spikes;
  d.dtSeconds = 0.001;
  d.steps = steps;
  d.channels = channels;
  d.numClasses = 5;
  d.eventOffsets = {0};
  for (size_t s = 0; s < samples; ++s) {
    d.labels.push_back(int32_t(rng() % 5));
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < channels; ++c)
        if (rng() % 3 == 0) {
          d.eventStep.push_back(t);
          d.eventChannel.push_back(c);
          d.eventCount.push_back(1);
        }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

void writeTarget(const std::string &path, int neurons, int delaySlots,
                 bool lava) {
  std::ofstream os(path);
  os << R"({"name": "tight", "core": {"neurons": )" << neurons
     << R"(, "axons": 64, "synapse_memory": {"entries": 100000},
  "weight_bits": 8}, "delay": {"max": )"
     << delaySlots << R"(, "realisation": "relay"},
  "neuron": {"decay": "mul12", "state_bits": 24, "threshold_bits": 24,
             "arithmetic": ")"
     << (lava ? "lava-cuba" : "snnc") << R"("},
  "chip": {"cores": 64, "mesh": [8, 8], "max_chips": 8},
  "energy_pj": {"synaptic_op": 20, "spike_hop": 2, "neuron_update": 50}})";
}

struct Compiled {
  std::string dir, model, plan, data;
};

Compiled compileRandom(unsigned seed, std::mt19937 &rng, bool lava = false) {
  Compiled c;
  c.dir = tempDir(std::to_string(seed) + (lava ? "-lava" : ""));
  int slots = 4 + int(rng() % 3);
  snnrt::Model model = randomModel(rng, uint32_t(slots), 20, lava);
  c.model = c.dir + "/model.h5";
  c.data = c.dir + "/data.h5";
  EXPECT_TRUE(snnrt::writeModel(c.model, model));
  EXPECT_TRUE(snnrt::writeDataset(
      c.data, randomSpikes(rng, model.populations[0].size, model.steps, 4)));
  std::string target = c.dir + "/target.json";
  writeTarget(target, 4 + int(rng() % 5), slots, lava);
  CompileOptions options;
  options.input = c.model;
  options.target = target;
  options.outDir = c.dir + "/out";
  options.strategy = rng() % 2 ? "metis" : "sequential";
  std::string progress;
  llvm::raw_string_ostream os(progress);
  CompileResult result = compileNetwork(options, os);
  EXPECT_EQ(result.outcome, CompileOutcome::Ok)
      << "seed " << seed << ": " << result.message;
  c.plan = options.outDir + "/plan.h5";
  return c;
}

VerifyReport verify(const Compiled &c) {
  VerifyOptions options;
  options.model = c.model;
  options.plan = c.plan;
  options.data = c.data;
  std::string progress;
  llvm::raw_string_ostream os(progress);
  return verifyDeployment(options, os);
}

} // namespace

/// Parameter: whether the target computes with Lava's arithmetic.
class VerifyPropertyArithmetic : public ::testing::TestWithParam<bool> {};

TEST_P(VerifyPropertyArithmetic, CompiledPlansAreBitExactToTheFlatNetwork) {
  const bool lava = GetParam();
  int withRelays = 0, multiCore = 0;
  for (unsigned seed = 0; seed < 16; ++seed) {
    std::mt19937 rng(seed);
    Compiled c = compileRandom(seed, rng, lava);
    if (HasFailure())
      return;
    auto plan = snnrt::readPlanFile(c.plan);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->arithmetic, lava ? snnrt::intmath::Arithmetic::LavaCuba
                                     : snnrt::intmath::Arithmetic::Snnc);
    for (const auto &p : plan->populations)
      if (p.relay) {
        ++withRelays;
        break;
      }
    multiCore += plan->cores.size() > 1;
    VerifyReport report = verify(c);
    ASSERT_TRUE(report.error.empty()) << report.error;
    for (const auto &level : report.levels)
      EXPECT_NE(level.status, LevelStatus::Fail)
          << "seed " << seed << " level " << level.level << ": "
          << level.detail;
    llvm::sys::fs::remove_directories(c.dir);
  }
  EXPECT_GE(withRelays, 12); // the property covers relays...
  EXPECT_EQ(multiCore, 16);  // ...and split populations
}

INSTANTIATE_TEST_SUITE_P(BothArithmetics, VerifyPropertyArithmetic,
                         ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &info) {
                           return info.param ? "LavaCuba" : "Snnc";
                         });

TEST(VerifyProperty, CorruptedPlansFailAndNameThePlace) {
  std::mt19937 rng(101);
  Compiled c = compileRandom(101, rng);
  ASSERT_FALSE(HasFailure());
  auto plan = snnrt::readPlanFile(c.plan);
  ASSERT_TRUE(plan);
  auto data = snnrt::readDataset(c.data);
  ASSERT_TRUE(data);
  // The readout synapse fed by the busiest source: any change to it shows
  // in the readout state, which verify compares exactly.
  auto exec = snnrt::PlanExecutor::create(*plan);
  ASSERT_TRUE(exec);
  auto trace = (*exec)->run(*data, 0);
  ASSERT_TRUE(trace);
  size_t bestCore = 0, bestSyn = 0;
  int64_t bestSpikes = -1;
  for (size_t ci = 0; ci < plan->cores.size(); ++ci) {
    const auto &core = plan->cores[ci];
    for (size_t i = 0; i < core.neuronPop.size(); ++i) {
      if (plan->populations[core.neuronPop[i]].kind != "li")
        continue;
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k) {
        int a = core.synAxon[k];
        const auto &spikes = trace->output[core.axonPop[a]];
        uint32_t size = plan->populations[core.axonPop[a]].size;
        int64_t count = 0;
        for (size_t t = 0; t + 1 < plan->steps; ++t)
          count += spikes[t * size + core.axonIndex[a]] != 0;
        if (count > bestSpikes) {
          bestSpikes = count;
          bestCore = ci;
          bestSyn = size_t(k);
        }
      }
    }
  }
  ASSERT_GT(bestSpikes, 0);
  const auto &core = plan->cores[bestCore];
  size_t neuron = 0;
  while (core.synPtr[neuron + 1] <= int64_t(bestSyn))
    ++neuron;
  const std::string population = plan->populations[core.neuronPop[neuron]].name;
  const std::string where = "population '" + population + "', neuron " +
                            std::to_string(core.neuronIndex[neuron]);

  auto corrupt = [&](const char *what, auto change) {
    snnrt::Plan bad = *plan;
    change(bad.cores[bestCore]);
    ASSERT_TRUE(snnrt::writePlanFile(c.plan, bad));
    VerifyReport report = verify(c);
    ASSERT_TRUE(report.error.empty()) << report.error;
    EXPECT_FALSE(report.exactLevelsPassed()) << what;
    ASSERT_GE(report.levels.size(), 2u);
    EXPECT_EQ(report.levels[1].status, LevelStatus::Fail) << what;
    EXPECT_NE(report.levels[1].detail.find(where), std::string::npos)
        << what << ": " << report.levels[1].detail;
  };
  corrupt("weight", [&](snnrt::PlanCore &k) { k.synWeight[bestSyn] += 7; });
  corrupt("delay", [&](snnrt::PlanCore &k) {
    k.synDelay[bestSyn] += k.synDelay[bestSyn] > 0 ? -1 : 1;
  });
  corrupt("route", [&](snnrt::PlanCore &k) {
    // Point the synapse's axon at another neuron of the same source.
    int a = k.synAxon[bestSyn];
    uint32_t size = plan->populations[k.axonPop[a]].size;
    k.axonIndex[a] = (k.axonIndex[a] + 1) % int32_t(size);
  });
  llvm::sys::fs::remove_directories(c.dir);
}
