//===- CudaRewiringTest.cpp - DEEP R / RigL on CPU and GPU ----------------===//
//
// The shared per-slot maths (RewiringMath.h) and the selection rule are
// tested everywhere; cudaRewireSlots must equal rewireSlots bit for bit
// (theta, mask, the grown slots in order, the count) on random masks,
// weights and gradients, skipped with "skipped: no GPU (...)" without one.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/device/Device.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/CudaRewiring.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/RewiringMath.h"
#include "snnrt/train/Sparsity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

using namespace snnrt;

namespace {

#define REQUIRE_GPU()                                                          \
  do {                                                                         \
    std::string why;                                                           \
    if (cudaDeviceCount(&why) == 0)                                            \
      GTEST_SKIP() << "skipped: no GPU (" << why << ")";                       \
  } while (0)

uint32_t bitsOf(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// ---- Shared maths (everywhere) --------------------------------------------

TEST(RewiringMath, LogAndCosMatchTheLibrary) {
  Rng rng(5);
  for (int i = 0; i < 20000; ++i) {
    double u = rewiring::uniformOpenZero(rng.next());
    EXPECT_NEAR(rewiring::logUnit(u), std::log(u),
                4e-16 * std::max(1.0, std::fabs(std::log(u))));
    double t = double(rng.next() >> 11) * 0x1.0p-53;
    EXPECT_NEAR(rewiring::cosTurns(t), std::cos(2.0 * M_PI * t), 1e-15);
  }
  EXPECT_EQ(rewiring::logUnit(1.0), 0.0);
  EXPECT_NEAR(rewiring::logUnit(0x1.0p-53), -53.0 * std::log(2.0), 1e-13);
  EXPECT_EQ(rewiring::cosTurns(0.0), 1.0);
  EXPECT_NEAR(rewiring::cosTurns(0.25), 0.0, 1e-16);
  EXPECT_EQ(rewiring::cosTurns(0.5), -1.0);
}

TEST(RewiringMath, GaussianHasUnitMoments) {
  const int n = 200000;
  double s = 0, s2 = 0, s4 = 0;
  const uint64_t key = rewiring::streamKey(3, 1, 2, 0);
  for (int i = 0; i < n; ++i) {
    double z = rewiring::gaussian(key, uint64_t(i));
    s += z;
    s2 += z * z;
    s4 += z * z * z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.01);
  EXPECT_NEAR(s4 / n, 3.0, 0.06); // kurtosis of N(0, 1)
}

TEST(RewiringMath, StreamsDifferPerStepAndTensor) {
  std::set<uint64_t> keys;
  for (uint64_t e = 0; e < 4; ++e)
    for (uint64_t b = 0; b < 4; ++b)
      for (uint64_t t = 0; t < 4; ++t)
        keys.insert(rewiring::streamKey(1, e, b, t));
  EXPECT_EQ(keys.size(), 64u);
  EXPECT_NE(rewiring::selectionKey(7, 0), rewiring::selectionKey(7, 1));
}

TEST(RewiringMath, PresentStepClampsAndMasks) {
  using rewiring::presentStep;
  EXPECT_EQ(presentStep(0.5f, true, 0, 0, 1, 0), 0.5f);
  EXPECT_EQ(presentStep(-0.5f, true, 0, 0, 1, 0), 0.0f);
  EXPECT_EQ(presentStep(0.5f, false, 0, 0, 1, 0), 0.0f);
  EXPECT_EQ(presentStep(0.5f, true, 0.25, 0, 1, 0), 0.25f);
  EXPECT_EQ(presentStep(0.5f, true, 1.0, 0, 1, 0), 0.0f); // L1 drives to 0
  // Noise: theta + scale * gaussian, rounded once to float.
  const uint64_t key = 99;
  float t = presentStep(1.0f, true, 0, 0.5, key, 17);
  EXPECT_EQ(t, float(1.0 + 0.5 * rewiring::gaussian(key, 17)));
  EXPECT_TRUE(rewiring::dropped(0.0f, true));
  EXPECT_TRUE(rewiring::dropped(-0.0f, true));
  EXPECT_FALSE(rewiring::dropped(1e-30f, true));
  EXPECT_FALSE(rewiring::dropped(0.0f, false));
}

TEST(RewiringMath, GradientKeySortsLikeTheFloats) {
  std::vector<float> v = {-std::numeric_limits<float>::infinity(),
                          -3.0f,
                          -1e-30f,
                          -0.0f,
                          0.0f,
                          1e-38f,
                          2.0f,
                          std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN()};
  for (size_t a = 0; a < v.size(); ++a)
    for (size_t b = 0; b < v.size(); ++b) {
      uint32_t ka = rewiring::gradientKey(v[a]),
               kb = rewiring::gradientKey(v[b]);
      if (std::isnan(v[a]) || std::isnan(v[b]))
        EXPECT_EQ(ka < kb, !std::isnan(v[a]) && std::isnan(v[b]));
      else
        EXPECT_EQ(ka < kb, v[a] < v[b]) << v[a] << " " << v[b];
    }
  EXPECT_EQ(rewiring::gradientKey(-0.0f), rewiring::gradientKey(0.0f));
}

// ---- rewireSlots on the CPU (everywhere) ------------------------------------

struct Case {
  std::vector<float> theta;
  std::vector<uint8_t> present;
};

/// `slots` slots, `kept` present with theta in (0, 1], `dying` of them at
/// theta <= 0 (as after an optimiser step).
Case randomCase(size_t slots, size_t kept, size_t dying, uint64_t seed) {
  Rng rng(seed);
  std::vector<size_t> idx(slots);
  for (size_t i = 0; i < slots; ++i)
    idx[i] = i;
  rng.shuffle(idx);
  Case c;
  c.theta.assign(slots, 0.0f);
  c.present.assign(slots, 0);
  for (size_t k = 0; k < kept; ++k) {
    c.present[idx[k]] = 1;
    c.theta[idx[k]] = k < dying ? -float(rng.uniform(0, 0.01))
                                : float(rng.uniform(1e-6, 1.0));
  }
  return c;
}

/// Gradients from the slot index alone, rounded to a coarse grid so that
/// many are equal (the tie rule matters).
SlotGradientFn hashGradients(uint64_t seed,
                             std::vector<size_t> *asked = nullptr) {
  return
      [seed, asked](const std::vector<size_t> &slots, std::vector<float> &g) {
        if (asked)
          *asked = slots;
        g.resize(slots.size());
        for (size_t j = 0; j < slots.size(); ++j) {
          uint64_t h = rewiring::mix64(seed + slots[j]);
          g[j] = float(int(h % 41) - 20) * 0.125f; // -2.5 .. 2.5, many ties
          if (h % 97 == 0)
            g[j] = -0.0f;
        }
        return Status::ok();
      };
}

size_t countPresent(const std::vector<uint8_t> &p) {
  return size_t(std::count(p.begin(), p.end(), uint8_t(1)));
}

TEST(RewireSlots, DeepRRegrowsTheSmallestSelectionKeys) {
  Case c = randomCase(500, 60, 7, 1);
  const std::vector<uint8_t> before = c.present;
  SlotRewireSpec spec;
  spec.mode = RewireMode::DeepR;
  spec.key = rewiring::streamKey(1, 0, 3, 0);
  SlotRewireResult r;
  ASSERT_TRUE(rewireSlots(spec, c.theta, c.present, nullptr, r));
  EXPECT_EQ(r.removed, 7u);
  ASSERT_EQ(r.grown.size(), 7u);
  EXPECT_EQ(countPresent(c.present), 60u); // the budget, exactly
  std::vector<std::pair<uint64_t, size_t>> free;
  for (size_t i = 0; i < before.size(); ++i)
    if (!before[i])
      free.push_back({rewiring::selectionKey(spec.key, i), i});
  std::sort(free.begin(), free.end());
  for (size_t k = 0; k < 7; ++k) {
    EXPECT_EQ(r.grown[k], free[k].second);
    EXPECT_EQ(c.theta[r.grown[k]], 1e-12f);
  }
  for (size_t i = 0; i < before.size(); ++i)
    if (before[i] && !c.present[i]) {
      EXPECT_EQ(bitsOf(c.theta[i]), 0u); // removed: theta = +0
    }
}

TEST(RewireSlots, RigLTakesTheMostNegativeWithTiesBySlot) {
  Case c = randomCase(400, 40, 9, 2);
  const std::vector<uint8_t> before = c.present;
  SlotRewireSpec spec;
  spec.mode = RewireMode::RigL;
  spec.key = 5;
  std::vector<size_t> asked;
  auto grads = hashGradients(11, &asked);
  SlotRewireResult r;
  ASSERT_TRUE(rewireSlots(spec, c.theta, c.present, grads, r));
  // Asked for every free slot, ascending.
  std::vector<size_t> free;
  for (size_t i = 0; i < before.size(); ++i)
    if (!before[i])
      free.push_back(i);
  EXPECT_EQ(asked, free);
  std::vector<float> g;
  ASSERT_TRUE(grads(free, g));
  std::vector<size_t> order(free.size());
  for (size_t j = 0; j < order.size(); ++j)
    order[j] = j;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return g[a] < g[b]; });
  ASSERT_EQ(r.grown.size(), 9u);
  for (size_t k = 0; k < 9; ++k)
    EXPECT_EQ(r.grown[k], free[order[k]]);
  EXPECT_EQ(countPresent(c.present), 40u);
}

TEST(RewireSlots, RigLCandidatesAreARandomSubsetInSlotOrder) {
  Case c = randomCase(1000, 100, 4, 3);
  SlotRewireSpec spec;
  spec.mode = RewireMode::RigL;
  spec.candidates = 5;
  spec.key = 8;
  std::vector<size_t> asked;
  SlotRewireResult r;
  ASSERT_TRUE(
      rewireSlots(spec, c.theta, c.present, hashGradients(4, &asked), r));
  ASSERT_EQ(asked.size(), 20u);
  EXPECT_TRUE(std::is_sorted(asked.begin(), asked.end()));
  for (size_t i : r.grown)
    EXPECT_TRUE(std::binary_search(asked.begin(), asked.end(), i));
  EXPECT_EQ(countPresent(c.present), 100u);
}

TEST(RewireSlots, FullConnectivityRegrowsAmongTheRemoved) {
  Case c = randomCase(30, 28, 5, 4); // 2 free slots, 5 removed
  SlotRewireSpec spec;
  spec.key = 1;
  SlotRewireResult r;
  ASSERT_TRUE(rewireSlots(spec, c.theta, c.present, nullptr, r));
  EXPECT_EQ(r.removed, 5u);
  EXPECT_EQ(r.grown.size(), 5u);
  EXPECT_EQ(countPresent(c.present), 28u);
}

TEST(RewireSlots, WithoutRewiringOnlyClamps) {
  Case c = randomCase(100, 30, 6, 5);
  const std::vector<uint8_t> before = c.present;
  for (RewireMode mode : {RewireMode::None, RewireMode::DeepR}) {
    Case d = c;
    SlotRewireSpec spec;
    spec.mode = mode;
    spec.rewire = mode != RewireMode::DeepR;
    SlotRewireResult r;
    ASSERT_TRUE(rewireSlots(spec, d.theta, d.present, nullptr, r));
    EXPECT_EQ(r.removed, 0u);
    EXPECT_EQ(d.present, before);
    for (float t : d.theta)
      EXPECT_GE(t, 0.0f);
  }
}

// ---- CPU vs CUDA, bit for bit ---------------------------------------------

struct Config {
  const char *name;
  RewireMode mode;
  size_t slots, kept, dying;
  double l1, noise;
  uint32_t candidates;
  bool rewire;
};

using RewireFn = Status (*)(const SlotRewireSpec &, std::vector<float> &,
                            std::vector<uint8_t> &, const SlotGradientFn &,
                            SlotRewireResult &);

void expectSame(const Config &cfg, uint64_t seed, RewireFn second) {
  Case c = randomCase(cfg.slots, cfg.kept, cfg.dying, seed);
  SlotRewireSpec spec;
  spec.mode = cfg.mode;
  spec.rewire = cfg.rewire;
  spec.l1Decrement = cfg.l1;
  spec.noiseScale = cfg.noise;
  spec.candidates = cfg.candidates;
  spec.key = rewiring::streamKey(seed, seed % 3, seed % 7, 1);
  Case cpu = c, gpu = c;
  SlotRewireResult rc, rg;
  std::vector<size_t> askedCpu, askedGpu;
  ASSERT_TRUE(rewireSlots(spec, cpu.theta, cpu.present,
                          hashGradients(seed, &askedCpu), rc));
  Status st =
      second(spec, gpu.theta, gpu.present, hashGradients(seed, &askedGpu), rg);
  ASSERT_TRUE(st) << st.message();
  SCOPED_TRACE(std::string(cfg.name) + " seed " + std::to_string(seed));
  EXPECT_EQ(rg.removed, rc.removed);
  EXPECT_EQ(rg.grown, rc.grown);
  EXPECT_EQ(askedGpu, askedCpu);
  EXPECT_EQ(gpu.present, cpu.present);
  size_t differ = 0;
  for (size_t i = 0; i < c.theta.size(); ++i)
    differ += bitsOf(gpu.theta[i]) != bitsOf(cpu.theta[i]);
  EXPECT_EQ(differ, 0u);
  if (cfg.rewire && cfg.mode != RewireMode::None) {
    EXPECT_EQ(countPresent(gpu.present), cfg.kept);
  }
}

const Config kConfigs[] = {
    {"deepr", RewireMode::DeepR, 5000, 400, 25, 0, 0, 0, true},
    {"deepr noise+l1", RewireMode::DeepR, 20000, 2500, 10, 1e-4, 3e-3, 0, true},
    {"deepr big", RewireMode::DeepR, 1 << 20, 1 << 14, 300, 0, 1e-3, 0, true},
    {"rigl all", RewireMode::RigL, 8000, 500, 40, 0, 0, 0, true},
    {"rigl candidates", RewireMode::RigL, 30000, 1000, 17, 0, 0, 4, true},
    {"rigl noise", RewireMode::RigL, 4096, 1024, 3, 1e-5, 1e-2, 2, true},
    {"full connectivity", RewireMode::DeepR, 300, 298, 9, 0, 0, 0, true},
    {"rigl full", RewireMode::RigL, 300, 299, 4, 0, 0, 0, true},
    {"nothing removed", RewireMode::RigL, 1000, 100, 0, 0, 0, 0, true},
    {"between rewirings", RewireMode::DeepR, 1000, 100, 10, 1e-3, 1e-2, 0,
     false},
    {"fixed", RewireMode::None, 1000, 100, 10, 0, 0, 0, true},
};

TEST(CudaRewiring, MatchesTheCpuBitForBit) {
  REQUIRE_GPU();
  for (const Config &cfg : kConfigs)
    for (uint64_t seed = 1; seed <= 3; ++seed)
      expectSame(cfg, seed, cudaRewireSlots);
}

// The same cases against the CPU itself, everywhere (the harness and the
// budget in every case).
TEST(RewireSlots, CasesOfTheGpuComparisonOnTheCpu) {
  for (const Config &cfg : kConfigs)
    for (uint64_t seed = 1; seed <= 3; ++seed)
      expectSame(cfg, seed, rewireSlots);
}

// The Rewirer on a sparse engine: RewireDevice::Cpu and ::Cuda leave the same
// parameters, masks, Adam moments and counts over several steps.
struct EngineRun {
  Model model;
  std::unique_ptr<Engine<float>> engine;
  std::vector<std::vector<float>> am, av;
};

Expected<EngineRun> sparseEngine() {
  NetworkSpec spec;
  spec.inputs = 12;
  spec.hidden = {16};
  spec.outputs = 4;
  spec.steps = 12;
  spec.maxDelay = 5;
  spec.delays = DelayMode::Frozen;
  spec.dropout = 0.0;
  auto m = buildFeedForward(spec, 3);
  if (!m)
    return m.status();
  EngineRun r;
  r.model = m.take();
  SparsitySpec sp;
  sp.sparsity = 0.75;
  SNNRT_TRY(sparsify(r.model, sp, 4));
  auto e = Engine<float>::create(r.model, EngineOptions());
  if (!e)
    return e.status();
  r.engine = e.take();
  const uint32_t B = 4;
  std::vector<float> x(size_t(spec.inputs) * spec.steps * B);
  Rng rng(9);
  for (auto &v : x)
    v = rng.uniform() < 0.5 ? 0.0f : float(rng.uniform(0.0, 2.0));
  r.engine->setTraining(true);
  SNNRT_TRY(r.engine->setInputDense(x, B));
  r.engine->forward(false);
  r.engine->backward({0, 1, 2, 3});
  for (auto &p : r.engine->params()) {
    r.am.emplace_back(p.value.size(), 0.5f);
    r.av.emplace_back(p.value.size(), 0.5f);
  }
  return r;
}

void compareRewirers(RewireDevice second) {
  for (RewireMode mode : {RewireMode::DeepR, RewireMode::RigL}) {
    auto a = sparseEngine(), b = sparseEngine();
    ASSERT_TRUE(a.hasValue() && b.hasValue()) << a.status().message();
    RewireConfig rc;
    rc.mode = mode;
    rc.temperature = 1e-3;
    rc.l1Step = 1e-2;
    rc.device = RewireDevice::Cpu;
    auto ra = Rewirer::create(a->model, *a->engine, rc);
    rc.device = second;
    auto rb = Rewirer::create(b->model, *b->engine, rc);
    ASSERT_TRUE(ra.hasValue() && rb.hasValue());
    for (int64_t step = 1; step <= 6; ++step) {
      // An optimiser step that pushes a few synapses below 0.
      for (EngineRun *r : {&*a, &*b})
        for (int k : ra->managed()) {
          auto &w = r->engine->params()[k];
          for (size_t i = 0; i < w.value.size(); ++i)
            if (w.present[i] && rewiring::mix64(i * 31 + step) % 9 == 0)
              w.value[i] -= 0.3f;
        }
      StepContext ca{*a->engine, 0, uint64_t(step), step, 1e-2, a->am, a->av};
      StepContext cb{*b->engine, 0, uint64_t(step), step, 1e-2, b->am, b->av};
      ASSERT_TRUE(ra->afterStep(ca));
      Status st = rb->afterStep(cb);
      ASSERT_TRUE(st) << st.message();
    }
    EXPECT_GT(ra->stats().removed, 0u);
    EXPECT_EQ(ra->stats().removed, rb->stats().removed);
    EXPECT_EQ(ra->stats().regrown, rb->stats().regrown);
    for (int k : ra->managed()) {
      const auto &wa = a->engine->params()[k], &wb = b->engine->params()[k];
      EXPECT_EQ(wa.present, wb.present);
      for (size_t i = 0; i < wa.value.size(); ++i)
        ASSERT_EQ(bitsOf(wa.value[i]), bitsOf(wb.value[i])) << i;
      EXPECT_EQ(a->am[k], b->am[k]);
      EXPECT_EQ(a->av[k], b->av[k]);
    }
  }
}

TEST(CudaRewiring, RewirerOnTheGpuEqualsTheCpu) {
  REQUIRE_GPU();
  compareRewirers(RewireDevice::Cuda);
}

// The comparison itself, everywhere: the CPU repeats itself, and the case
// removes synapses.
TEST(RewireSlots, RewirerRepeatsItselfOnTheCpu) {
  compareRewirers(RewireDevice::Cpu);
}

// Training on the GPU sets StepContext::slotGradients, which moves the
// rewiring there (RewireDevice::Auto): without a GPU that step fails.
TEST(CudaRewiring, AutoFollowsTheTrainersDevice) {
  auto a = sparseEngine();
  ASSERT_TRUE(a.hasValue()) << a.status().message();
  RewireConfig rc;
  auto r = Rewirer::create(a->model, *a->engine, rc);
  ASSERT_TRUE(r.hasValue());
  StepContext cpu{*a->engine, 0, 0, 1, 1e-3, a->am, a->av};
  EXPECT_TRUE(r->afterStep(cpu));
  if (cudaDeviceCount() > 0)
    return;
  StepContext gpu{*a->engine, 0, 1, 2, 1e-3, a->am, a->av};
  gpu.slotGradients = [](int, const std::vector<size_t> &,
                         std::vector<float> &) { return Status::ok(); };
  EXPECT_FALSE(r->afterStep(gpu));
}

TEST(CudaRewiring, StubOrDeviceAnswers) {
  // Without a GPU (or without the backend) the entry point refuses clearly.
  if (cudaDeviceCount() > 0)
    GTEST_SKIP() << "a GPU is present (MatchesTheCpuBitForBit covers it)";
  Case c = randomCase(10, 5, 1, 1);
  SlotRewireSpec spec;
  SlotRewireResult r;
  Status st = cudaRewireSlots(spec, c.theta, c.present, nullptr, r);
  EXPECT_FALSE(st);
}

} // namespace
