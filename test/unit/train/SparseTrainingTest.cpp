//===- SparseTrainingTest.cpp - Budgets, Dale signs, RigL, masks ----------===//
//
// Sparse training (docs/sparse-training.md): the initial mask holds exactly
// the target count, the count stays exact after every rewiring, signs fixed
// per presynaptic neuron never flip (SNN-F2), RigL regrows at the most
// negative dL/dtheta of absent slots, and a sparse projection computes the
// same values and gradients as the dense one with zero weights off the mask.
//
//===----------------------------------------------------------------------===//

#include "TimingTask.h"

#include "snnrt/base/Random.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <unistd.h>

using namespace snnrt;

namespace {

Model smallModel(DelayMode delays, uint32_t in, uint32_t hidden, uint32_t out,
                 uint32_t steps, uint64_t seed) {
  NetworkSpec spec;
  spec.inputs = in;
  spec.hidden = {hidden};
  spec.outputs = out;
  spec.steps = steps;
  spec.maxDelay = 6;
  spec.inputScale = 1.0;
  spec.delays = delays;
  spec.dropout = 0.0;
  spec.sigma0 = 1.0;
  auto m = buildFeedForward(spec, seed);
  EXPECT_TRUE(m.hasValue()) << m.status().message();
  return m.take();
}

uint64_t countPresent(const std::vector<uint8_t> &mask) {
  return uint64_t(std::count(mask.begin(), mask.end(), uint8_t(1)));
}

std::vector<float> randomInput(uint32_t channels, uint32_t steps, uint32_t B,
                               uint64_t seed) {
  std::vector<float> x(size_t(channels) * steps * B);
  Rng rng(seed);
  for (auto &v : x)
    v = rng.uniform() < 0.6 ? 0.0f : float(rng.uniform(0.0, 2.0));
  return x;
}

} // namespace

TEST(Sparse, InitialMaskHoldsExactlyTheTarget) {
  for (int k = 0; k <= 9; ++k) {
    double s = 1.0 - std::ldexp(1.0, -k);
    Model m = smallModel(DelayMode::Frozen, 40, 64, 20, 10, 3);
    SparsitySpec spec;
    spec.sparsity = s;
    ASSERT_TRUE(sparsify(m, spec, 11));
    for (const Projection &p : m.projections) {
      uint64_t target = targetSynapses(p.weights.size(), s);
      EXPECT_EQ(countPresent(p.mask), target) << p.name << " k=" << k;
      EXPECT_EQ(target, std::max<uint64_t>(
                            1, uint64_t(std::llround(p.weights.size() *
                                                     std::ldexp(1.0, -k)))));
      for (size_t i = 0; i < p.weights.size(); ++i) {
        EXPECT_GE(p.weights[i], 0.0f);
        if (!p.mask[i]) {
          EXPECT_EQ(p.weights[i], 0.0f);
        }
      }
      for (int8_t sg : p.signs)
        EXPECT_TRUE(sg == 1 || sg == -1);
    }
  }
}

// A sparse projection (mask, present synapses only) and the dense one with
// zero weights off the mask compute the same currents and the same
// gradients on present synapses; so does an engine whose structure was
// changed by setPresent, compared with one created with that mask.
TEST(Sparse, SparseAndDenseMaskedAgree) {
  for (DelayMode mode : {DelayMode::Learn, DelayMode::Frozen}) {
    SCOPED_TRACE(toString(mode));
    const uint32_t C = 5, H = 7, K = 3, T = 12, B = 4;
    Model sparse = smallModel(mode, C, H, K, T, 5);
    SparsitySpec spec;
    spec.sparsity = 0.75;
    ASSERT_TRUE(sparsify(sparse, spec, 2));
    Model dense = sparse;
    for (Projection &p : dense.projections)
      p.mask.clear(); // weights are already 0 off the mask
    auto run = [&](const Model &m, std::vector<float> &out,
                   std::vector<std::vector<float>> &grads,
                   std::vector<std::vector<uint8_t>> &present) {
      EngineOptions opt;
      opt.strategy = ProjectionStrategy::Sparse;
      auto e = Engine<float>::create(m, opt);
      ASSERT_TRUE(e.hasValue()) << e.status().message();
      Engine<float> &eng = **e;
      eng.setTraining(true);
      eng.setSigma(1.0);
      ASSERT_TRUE(eng.setInputDense(randomInput(C, T, B, 9), B));
      eng.forward(false);
      std::vector<int32_t> labels = {0, 1, 2, 1};
      eng.backward(labels);
      out = eng.values("output");
      grads.clear();
      present.clear();
      for (auto &p : eng.params()) {
        grads.push_back(p.grad);
        present.push_back(p.present);
      }
    };
    std::vector<float> os, od;
    std::vector<std::vector<float>> gs, gd;
    std::vector<std::vector<uint8_t>> ps, pd;
    run(sparse, os, gs, ps);
    run(dense, od, gd, pd);
    ASSERT_EQ(os.size(), od.size());
    double mx = 0;
    for (size_t i = 0; i < os.size(); ++i) {
      EXPECT_NEAR(os[i], od[i], 1e-5 * (1 + std::fabs(od[i])));
      mx = std::max(mx, double(std::fabs(od[i])));
    }
    EXPECT_GT(mx, 1e-3); // not a silent network
    ASSERT_EQ(gs.size(), gd.size());
    size_t nonzero = 0;
    for (size_t k = 0; k < gs.size(); ++k)
      for (size_t i = 0; i < gs[k].size(); ++i) {
        if (!ps[k].empty() && !ps[k][i])
          continue; // absent: no gradient in the sparse engine
        EXPECT_NEAR(gs[k][i], gd[k][i], 1e-5 + 1e-4 * std::fabs(gd[k][i]))
            << k << "[" << i << "]";
        nonzero += gs[k][i] != 0.0f;
      }
    EXPECT_GT(nonzero, 10u);
  }
}

// setPresent + slotGradients against a fresh dense engine: the gradient at
// an absent slot is what the slot's weight gradient would be if it were a
// synapse at theta = 0 (zero weights do not change the forward pass).
TEST(Sparse, SlotGradientsMatchDenseGradients) {
  for (DelayMode mode : {DelayMode::Learn, DelayMode::Frozen}) {
    SCOPED_TRACE(toString(mode));
    const uint32_t C = 6, H = 8, K = 3, T = 14, B = 5;
    Model sparse = smallModel(mode, C, H, K, T, 8);
    SparsitySpec spec;
    spec.sparsity = 0.5;
    ASSERT_TRUE(sparsify(sparse, spec, 4));
    Model dense = sparse;
    for (Projection &p : dense.projections)
      p.mask.clear();
    std::vector<int32_t> labels = {0, 1, 2, 1, 0};
    auto prepare = [&](Engine<float> &eng) {
      eng.setTraining(true);
      eng.setSigma(1.0);
      ASSERT_TRUE(eng.setInputDense(randomInput(C, T, B, 21), B));
      eng.forward(false);
      eng.backward(labels);
    };
    auto es = Engine<float>::create(sparse, EngineOptions());
    auto ed = Engine<float>::create(dense, EngineOptions());
    ASSERT_TRUE(es.hasValue() && ed.hasValue());
    prepare(**es);
    prepare(**ed);
    for (const Projection &p : sparse.projections) {
      int k = (*es)->findParam("projections/" + p.name + "/weights");
      std::vector<size_t> absent;
      for (size_t i = 0; i < p.mask.size(); ++i)
        if (!p.mask[i])
          absent.push_back(i);
      ASSERT_FALSE(absent.empty());
      std::vector<float> g;
      ASSERT_TRUE((*es)->slotGradients(k, absent, g));
      const auto &ref = (*ed)->params()[k].grad;
      size_t nonzero = 0;
      for (size_t q = 0; q < absent.size(); ++q) {
        EXPECT_NEAR(g[q], ref[absent[q]],
                    1e-5 + 1e-4 * std::fabs(ref[absent[q]]))
            << p.name << " slot " << absent[q];
        nonzero += g[q] != 0.0f;
      }
      EXPECT_GT(nonzero, 0u) << p.name;
    }
    // Rewiring the sparse engine to the dense structure reproduces it.
    for (const Projection &p : sparse.projections) {
      int k = (*es)->findParam("projections/" + p.name + "/weights");
      ASSERT_TRUE((*es)->setPresent(
          k, std::vector<uint8_t>(p.weights.size(), uint8_t(1))));
    }
    prepare(**es);
    const auto &a = (*es)->values("output"), &b = (*ed)->values("output");
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_NEAR(a[i], b[i], 1e-5 * (1 + std::fabs(b[i])));
  }
}

// RigL on a constructed case: the synapses to remove are known (theta forced
// to 0), and the regrown slots must be exactly the absent slots with the most
// negative dL/dtheta of a dense reference engine.
TEST(Sparse, RigLRegrowsAtMostNegativeGradients) {
  const uint32_t C = 6, H = 10, K = 3, T = 14, B = 6;
  Model m = smallModel(DelayMode::Frozen, C, H, K, T, 12);
  SparsitySpec spec;
  spec.sparsity = 0.75;
  ASSERT_TRUE(sparsify(m, spec, 6));
  Model dense = m;
  for (Projection &p : dense.projections)
    p.mask.clear();
  std::vector<int32_t> labels = {0, 1, 2, 0, 1, 2};
  auto prepare = [&](Engine<float> &eng) {
    eng.setTraining(true);
    ASSERT_TRUE(eng.setInputDense(randomInput(C, T, B, 33), B));
    eng.forward(false);
    eng.backward(labels);
  };
  auto es = Engine<float>::create(m, EngineOptions());
  auto ed = Engine<float>::create(dense, EngineOptions());
  ASSERT_TRUE(es.hasValue() && ed.hasValue());
  prepare(**es);
  prepare(**ed);
  RewireConfig rc;
  rc.mode = RewireMode::RigL;
  auto rw = Rewirer::create(m, **es, rc);
  ASSERT_TRUE(rw.hasValue()) << rw.status().message();
  int k = (*es)->findParam("projections/fc1/weights");
  auto &w = (*es)->params()[k];
  const std::vector<uint8_t> before = w.present;
  // Remove the first 5 present synapses.
  std::vector<size_t> removed;
  for (size_t i = 0; i < w.value.size() && removed.size() < 5; ++i)
    if (w.present[i]) {
      w.value[i] = -0.01f; // an optimiser step pushed it below 0
      removed.push_back(i);
    }
  // Expected: the 5 most negative reference gradients among absent slots.
  const auto &ref = (*ed)->params()[k].grad;
  std::vector<size_t> absent;
  for (size_t i = 0; i < before.size(); ++i)
    if (!before[i])
      absent.push_back(i);
  std::sort(absent.begin(), absent.end(), [&](size_t a, size_t b) {
    return ref[a] != ref[b] ? ref[a] < ref[b] : a < b;
  });
  std::vector<size_t> expected(absent.begin(), absent.begin() + 5);
  ASSERT_LT(ref[expected.back()], 0.0f); // the case has negative gradients
  // The gap to the 6th makes the choice robust to float rounding.
  ASSERT_GT(ref[absent[5]] - ref[absent[4]], 1e-6f);
  std::vector<std::vector<float>> am, av;
  for (auto &p : (*es)->params()) {
    am.emplace_back(p.value.size(), 0.5f);
    av.emplace_back(p.value.size(), 0.5f);
  }
  StepContext ctx{**es, 0, 0, 1, 1e-3, am, av};
  ASSERT_TRUE(rw->afterStep(ctx));
  std::vector<size_t> grown;
  for (size_t i = 0; i < w.present.size(); ++i)
    if (w.present[i] && !before[i])
      grown.push_back(i);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(grown, expected);
  EXPECT_EQ(countPresent(w.present), countPresent(before));
  for (size_t i : removed)
    EXPECT_FALSE(w.present[i]);
  for (size_t i : grown) {
    EXPECT_FLOAT_EQ(w.value[i], 1e-12f);
    EXPECT_EQ(am[k][i], 0.0f); // fresh optimiser moments
  }
  EXPECT_EQ(rw->stats().removed, 5u);
}

// Training with rewiring on the timing task: after every step the count of
// every projection is exactly its target, no magnitude is negative (so no
// synapse acts against its source's sign), signs never change, and synapses
// did move.
TEST(Sparse, BudgetExactAndSignsFixedThroughTraining) {
  Dataset data = fixtures::timingTask(64, 4, 30);
  for (RewireMode mode : {RewireMode::DeepR, RewireMode::RigL}) {
    for (DelayMode delays : {DelayMode::Learn, DelayMode::Frozen}) {
      SCOPED_TRACE(std::string(toString(mode)) + "/" + toString(delays));
      Model m = smallModel(delays, 4, 24, 4, 30, 1);
      SparsitySpec spec;
      spec.sparsity = 0.875;
      ASSERT_TRUE(sparsify(m, spec, 1));
      TrainConfig cfg;
      cfg.epochs = 3;
      cfg.batch = 16;
      cfg.lrWeightsMax = 2e-2;
      cfg.sigmaEpochs = 3;
      RewireConfig rc;
      rc.mode = mode;
      rc.temperature = mode == RewireMode::DeepR ? 1e-4 : 0.0;
      std::shared_ptr<Rewirer> rewirer;
      attachRewiring(cfg, m, rc, &rewirer);
      auto inner = cfg.afterStep;
      size_t checks = 0;
      cfg.afterStep = [&](StepContext &ctx) -> Status {
        SNNRT_TRY(inner(ctx));
        for (const Projection &p : m.projections) {
          const auto &w = ctx.engine.params()[ctx.engine.findParam(
              "projections/" + p.name + "/weights")];
          EXPECT_EQ(countPresent(w.present), countPresent(p.mask)) << p.name;
          for (size_t i = 0; i < w.value.size(); ++i) {
            EXPECT_GE(w.value[i], 0.0f);
            if (!w.present[i]) {
              EXPECT_EQ(w.value[i], 0.0f);
            }
          }
        }
        ++checks;
        return Status::ok();
      };
      auto t = Trainer::create(m, cfg, data, nullptr);
      ASSERT_TRUE(t.hasValue()) << t.status().message();
      ASSERT_TRUE((*t)->run(nullptr));
      EXPECT_EQ(checks, 12u);
      ASSERT_TRUE(rewirer);
      EXPECT_GT(rewirer->stats().removed, 0u); // rewiring really happened
      EXPECT_EQ(rewirer->stats().removed, rewirer->stats().regrown);
      Model out = (*t)->model();
      size_t moved = 0;
      for (size_t j = 0; j < m.projections.size(); ++j) {
        EXPECT_EQ(out.projections[j].signs, m.projections[j].signs);
        EXPECT_EQ(countPresent(out.projections[j].mask),
                  countPresent(m.projections[j].mask));
        moved += out.projections[j].mask != m.projections[j].mask;
      }
      EXPECT_GT(moved, 0u); // the exported mask is the rewired one
    }
  }
}

// The mask travels in the checkpoint and rewiring draws from (seed, epoch,
// batch): an interrupted sparse run resumed from its checkpoint ends where
// the uninterrupted one does, structure included.
TEST(Sparse, ResumeWithRewiringIsBitIdentical) {
  Dataset data = fixtures::timingTask(64, 8, 30);
  Model m = smallModel(DelayMode::Learn, 4, 24, 4, 30, 2);
  SparsitySpec spec;
  spec.sparsity = 0.75;
  ASSERT_TRUE(sparsify(m, spec, 3));
  RewireConfig rc;
  rc.mode = RewireMode::DeepR;
  rc.temperature = 1e-4;
  auto config = [&](const std::string &ckpt, const Model &structure) {
    TrainConfig cfg;
    cfg.epochs = 4;
    cfg.batch = 16;
    cfg.lrWeightsMax = 2e-2;
    cfg.sigmaEpochs = 3;
    cfg.checkpointPath = ckpt;
    attachRewiring(cfg, structure, rc);
    return cfg;
  };
  std::string base = ::testing::TempDir() + "snnrt-sparse-resume-" +
                     std::to_string(::getpid());
  auto a = Trainer::create(m, config(base + "-a.h5", m), data, nullptr);
  ASSERT_TRUE(a.hasValue());
  ASSERT_TRUE((*a)->run(nullptr));
  Model full = (*a)->model();
  auto b = Trainer::create(m, config(base + "-b.h5", m), data, nullptr);
  ASSERT_TRUE(b.hasValue());
  ASSERT_TRUE((*b)->run(nullptr, 2));
  Model half = (*b)->model();
  b->reset();
  auto c = Trainer::resume(base + "-b.h5", config(base + "-b.h5", half), data,
                           nullptr);
  ASSERT_TRUE(c.hasValue()) << c.status().message();
  ASSERT_TRUE((*c)->run(nullptr));
  Model resumed = (*c)->model();
  for (size_t j = 0; j < full.projections.size(); ++j) {
    EXPECT_EQ(full.projections[j].mask, resumed.projections[j].mask);
    EXPECT_EQ(full.projections[j].weights, resumed.projections[j].weights);
    EXPECT_EQ(full.projections[j].positions, resumed.projections[j].positions);
  }
  size_t moved = 0; // not vacuous: the structure did change
  for (size_t j = 0; j < full.projections.size(); ++j)
    moved += full.projections[j].mask != m.projections[j].mask;
  EXPECT_GT(moved, 0u);
  std::remove((base + "-a.h5").c_str());
  std::remove((base + "-b.h5").c_str());
}
