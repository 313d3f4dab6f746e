//===- CsrTrainingTest.cpp - Sparse training in CSR -----------------------===//
//
// docs/sparse-training.md, "CSR": a sparse model trained in CSR computes
// what the dense layout with a mask computes (forward and gradients within
// float rounding, the gradients the exact derivative by finite differences),
// rewires to the same slots as the mask path with the same keys, keeps its
// synapse count, sorted rows and no duplicates through training, skips the
// per-step work of neurons that cannot reach the loss without changing a
// bit, and resumes exactly from its checkpoint.
//
//===----------------------------------------------------------------------===//

#include "TimingTask.h"

#include "snnrt/base/Random.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/RewiringMath.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unistd.h>

using namespace snnrt;

namespace {

Model sparseModel(DelayMode delays, uint32_t in, uint32_t hidden, uint32_t out,
                  uint32_t steps, double sparsity, uint64_t seed) {
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
  Model model = m.take();
  SparsitySpec ss;
  ss.sparsity = sparsity;
  EXPECT_TRUE(sparsify(model, ss, seed));
  return model;
}

template <typename Real>
std::vector<Real> randomInput(uint32_t channels, uint32_t steps, uint32_t B,
                              uint64_t seed) {
  std::vector<Real> x(size_t(channels) * steps * B);
  Rng rng(seed);
  for (auto &v : x)
    v = rng.uniform() < 0.6 ? Real(0) : Real(rng.uniform(0.0, 2.0));
  return x;
}

/// CSR structure invariants: rowPtr from 0 to nnz, non-decreasing, columns
/// strictly increasing (sorted, no duplicates) and in range per row.
void expectValidCsr(const Projection &p, uint32_t rows, uint32_t cols) {
  ASSERT_EQ(p.rowPtr.size(), size_t(rows) + 1) << p.name;
  EXPECT_EQ(p.rowPtr.front(), 0u) << p.name;
  EXPECT_EQ(p.rowPtr.back(), p.colIdx.size()) << p.name;
  for (uint32_t r = 0; r < rows; ++r) {
    ASSERT_LE(p.rowPtr[r], p.rowPtr[r + 1]) << p.name << " row " << r;
    for (uint64_t k = p.rowPtr[r]; k < p.rowPtr[r + 1]; ++k) {
      EXPECT_LT(p.colIdx[k], cols) << p.name;
      if (k > p.rowPtr[r]) {
        EXPECT_LT(p.colIdx[k - 1], p.colIdx[k]) << p.name << " row " << r;
      }
    }
  }
}

/// The mask a CSR structure stands for.
std::vector<uint8_t> maskOf(const std::vector<uint64_t> &rowPtr,
                            const std::vector<uint32_t> &colIdx, uint32_t rows,
                            uint32_t cols) {
  std::vector<uint8_t> m(size_t(rows) * cols, 0);
  for (uint32_t r = 0; r < rows; ++r)
    for (uint64_t k = rowPtr[r]; k < rowPtr[r + 1]; ++k)
      m[size_t(r) * cols + colIdx[k]] = 1;
  return m;
}

} // namespace

// toCsrLayout keeps exactly the present slots, in row-major order, with their
// weights and delays or positions; signs stay; the model validates.
TEST(Csr, ToCsrLayoutKeepsThePresentSlots) {
  for (DelayMode mode : {DelayMode::Learn, DelayMode::Frozen}) {
    Model dense = sparseModel(mode, 9, 13, 4, 8, 0.75, 3);
    Model csr = dense;
    ASSERT_TRUE(toCsrLayout(csr));
    for (size_t j = 0; j < dense.projections.size(); ++j) {
      const Projection &d = dense.projections[j], &c = csr.projections[j];
      const uint32_t rows = j == 0 ? 13 : 4, cols = j == 0 ? 9 : 13;
      ASSERT_TRUE(c.isCsr());
      EXPECT_TRUE(c.mask.empty());
      expectValidCsr(c, rows, cols);
      EXPECT_EQ(maskOf(c.rowPtr, c.colIdx, rows, cols), d.mask);
      EXPECT_EQ(c.signs, d.signs);
      size_t k = 0;
      for (size_t s = 0; s < d.mask.size(); ++s) {
        if (!d.mask[s])
          continue;
        EXPECT_EQ(c.weights[k], d.weights[s]);
        if (mode == DelayMode::Learn) {
          EXPECT_EQ(c.positions[k], d.positions[s]);
        } else {
          EXPECT_EQ(c.delays[k], d.delays[s]);
        }
        ++k;
      }
      EXPECT_EQ(k, c.colIdx.size());
    }
  }
}

// A random sparse layer in CSR against the dense layout with its mask (same
// synapse-wise kernels: the same bits) and against the dense taps of the
// unmasked layout with zeros off the mask (BLAS: equal within rounding);
// skipping unobserved neurons changes nothing in loss or gradients.
TEST(Csr, ForwardAndGradientsMatchDense) {
  for (DelayMode mode : {DelayMode::Learn, DelayMode::Frozen}) {
    SCOPED_TRACE(toString(mode));
    const uint32_t C = 7, H = 23, K = 3, T = 16, B = 5;
    Model masked = sparseModel(mode, C, H, K, T, 0.875, 5);
    Model csr = masked;
    ASSERT_TRUE(toCsrLayout(csr));
    Model unmasked = masked;
    for (Projection &p : unmasked.projections)
      p.mask.clear(); // the weights are 0 off the mask
    std::vector<int32_t> labels = {0, 1, 2, 1, 0};
    struct Result {
      std::vector<float> out;
      double loss = 0;
      std::vector<std::vector<float>> grads;
    };
    auto run = [&](const Model &m, ProjectionStrategy strategy, bool skip) {
      EngineOptions opt;
      opt.strategy = strategy;
      opt.skipUnobserved = skip;
      auto e = Engine<float>::create(m, opt);
      EXPECT_TRUE(e.hasValue()) << e.status().message();
      Engine<float> &eng = **e;
      eng.setTraining(true);
      eng.setSigma(1.0);
      EXPECT_TRUE(eng.setInputDense(randomInput<float>(C, T, B, 9), B));
      eng.forward(true);
      Result r;
      r.loss = eng.loss(labels);
      eng.backward(labels);
      r.out = eng.values("output");
      for (auto &p : eng.params())
        r.grads.push_back(p.grad);
      return r;
    };
    Result rm = run(masked, ProjectionStrategy::Sparse, false);
    Result rc = run(csr, ProjectionStrategy::Auto, false);
    Result rs = run(csr, ProjectionStrategy::Auto, true);
    Result rd = run(unmasked, ProjectionStrategy::DenseTaps, false);
    EXPECT_EQ(rc.out, rm.out);
    EXPECT_EQ(rs.out, rm.out);
    EXPECT_EQ(rc.loss, rm.loss);
    EXPECT_EQ(rs.loss, rm.loss);
    double mx = 0;
    for (size_t i = 0; i < rd.out.size(); ++i) {
      EXPECT_NEAR(rc.out[i], rd.out[i], 1e-5 * (1 + std::fabs(rd.out[i])));
      mx = std::max(mx, double(std::fabs(rd.out[i])));
    }
    EXPECT_GT(mx, 1e-3); // not a silent network
    ASSERT_EQ(rc.grads.size(), rm.grads.size());
    size_t nonzero = 0;
    // Per projection: CSR synapse k is the masked tensor's present slot.
    auto engineMasked = Engine<float>::create(masked, EngineOptions());
    ASSERT_TRUE(engineMasked.hasValue());
    for (size_t j = 0; j < csr.projections.size(); ++j) {
      const Projection &p = csr.projections[j];
      const uint32_t cols = j == 0 ? C : H;
      for (const char *tensor : {"/weights", "/positions"}) {
        int idx = (*engineMasked)->findParam("projections/" + p.name + tensor);
        if (idx < 0)
          continue;
        const auto &gm = rm.grads[idx], &gc = rc.grads[idx],
                   &gs = rs.grads[idx], &gd = rd.grads[idx];
        ASSERT_EQ(gc.size(), p.colIdx.size());
        for (uint32_t r = 0; r + 1 < p.rowPtr.size(); ++r)
          for (uint64_t k = p.rowPtr[r]; k < p.rowPtr[r + 1]; ++k) {
            size_t slot = size_t(r) * cols + p.colIdx[k];
            EXPECT_EQ(gc[k], gm[slot]) << p.name << tensor << " " << k;
            EXPECT_EQ(gs[k], gm[slot]) << p.name << tensor << " " << k;
            EXPECT_NEAR(gc[k], gd[slot], 1e-5 + 1e-4 * std::fabs(gd[slot]))
                << p.name << tensor << " " << k;
            nonzero += gc[k] != 0.0f;
          }
      }
    }
    EXPECT_GT(nonzero, 5u);
    // Population tensors (biases, BatchNorm) have the same shape: equal.
    for (size_t k = 0; k < rc.grads.size(); ++k)
      if (rc.grads[k].size() == rm.grads[k].size() &&
          (*engineMasked)->params()[k].kind !=
              ParamTensor<float>::Kind::Weight &&
          (*engineMasked)->params()[k].kind !=
              ParamTensor<float>::Kind::Position) {
        EXPECT_EQ(rc.grads[k], rm.grads[k]);
        EXPECT_EQ(rs.grads[k], rm.grads[k]);
      }
  }
}

// In float64 with the smooth spike and an attached reset, the CSR engine's
// gradients (weights, positions, biases, BatchNorm) are the derivative of
// its loss, with unobserved neurons skipped: their parameters' gradients are
// 0 and so are the finite differences.
TEST(Csr, GradientsMatchFiniteDifferences) {
  for (DelayMode mode : {DelayMode::Learn, DelayMode::Frozen}) {
    SCOPED_TRACE(toString(mode));
    const uint32_t C = 4, H = 9, K = 3, T = 10, B = 3;
    Model model = sparseModel(mode, C, H, K, T, 0.75, 11);
    ASSERT_TRUE(toCsrLayout(model));
    for (auto &p : model.projections)
      for (auto &q : p.positions) // away from the clamp: smooth in p
        q = float(std::clamp(double(q), -1.2, 1.2));
    // An active hidden layer (GradientTest's tiny model's settings), so the
    // gradients reaching fc1 are well above the differences' resolution.
    Rng rng(99);
    for (auto &p : model.populations) {
      if (p.kind == PopulationKind::Lif)
        p.threshold = 0.6;
      for (auto &b : p.bias)
        b = float(rng.uniform(-0.3, 0.3));
    }
    EngineOptions opt;
    opt.spike = SpikeFunction::SmoothArctan;
    opt.detachReset = false;
    opt.truncationRadius = 0;
    opt.skipUnobserved = true;
    auto created = Engine<double>::create(model, opt);
    ASSERT_TRUE(created.hasValue()) << created.status().message();
    Engine<double> &eng = **created;
    eng.setTraining(true);
    eng.setSigma(0.8);
    ASSERT_TRUE(eng.setInputDense(randomInput<double>(C, T, B, 4), B));
    std::vector<int32_t> labels = {0, 2, 1};
    auto lossAt = [&]() {
      eng.forward(false);
      return eng.loss(labels);
    };
    lossAt();
    eng.backward(labels);
    std::vector<std::vector<double>> analytic;
    for (auto &p : eng.params())
      analytic.push_back(p.grad);
    const double h = 1e-6;
    int checked = 0, nonzero = 0;
    for (size_t k = 0; k < eng.params().size(); ++k) {
      auto &p = eng.params()[k];
      double scale = 0;
      for (double g : analytic[k])
        scale = std::max(scale, std::fabs(g));
      for (size_t i = 0; i < p.value.size(); ++i) {
        double v0 = p.value[i];
        p.value[i] = v0 + h;
        double lp = lossAt();
        p.value[i] = v0 - h;
        double lm = lossAt();
        p.value[i] = v0;
        double numeric = (lp - lm) / (2 * h);
        double a = analytic[k][i];
        // Relative, with a floor at 1e-4 of the tensor's largest entry:
        // central differences at h = 1e-6 resolve about 1e-10.
        double err =
            std::fabs(a - numeric) /
            std::max({std::fabs(a), std::fabs(numeric), 1e-4 * scale, 1e-9});
        EXPECT_LT(err, 1e-4) << p.name << "[" << i << "] analytic " << a
                             << " numeric " << numeric;
        ++checked;
        nonzero += std::fabs(a) > 1e-9;
      }
    }
    EXPECT_GT(checked, 30);
    EXPECT_GT(nonzero, 10);
  }
}

// rewireCsr against rewireSlots on the equivalent mask: the same theta
// updates (DEEP R noise and L1 keyed by slot), the same slots dropped and
// regrown (DEEP R at random, RigL by a gradient function of the slot), at
// every step of a long random sequence; the count, sorted rows and no
// duplicates hold throughout. Includes full connectivity (dropped slots come
// back) and a RigL candidate subset.
TEST(Csr, RewiringMatchesTheMaskPath) {
  const uint32_t rows = 17, cols = 11;
  for (RewireMode mode : {RewireMode::DeepR, RewireMode::RigL})
    for (uint32_t candidates : {0u, 3u})
      for (double sparsity : {0.0, 0.5, 0.9}) {
        SCOPED_TRACE(std::string(toString(mode)) + " candidates " +
                     std::to_string(candidates) + " sparsity " +
                     std::to_string(sparsity));
        Rng rng(42);
        const size_t slots = size_t(rows) * cols;
        const uint64_t keep = targetSynapses(slots, sparsity);
        std::vector<uint8_t> present(slots, 0);
        std::vector<size_t> idx(slots);
        for (size_t i = 0; i < slots; ++i)
          idx[i] = i;
        for (uint64_t k = 0; k < keep; ++k)
          std::swap(idx[k], idx[k + rng.below(slots - k)]);
        std::vector<float> theta(slots, 0.0f);
        for (uint64_t k = 0; k < keep; ++k) {
          present[idx[k]] = 1;
          theta[idx[k]] = float(rng.uniform(0.0, 0.1));
        }
        // The same state in CSR.
        std::vector<uint64_t> rowPtr(rows + 1, 0);
        std::vector<uint32_t> colIdx;
        std::vector<float> csrTheta;
        for (uint32_t r = 0; r < rows; ++r) {
          for (uint32_t c = 0; c < cols; ++c)
            if (present[size_t(r) * cols + c]) {
              colIdx.push_back(c);
              csrTheta.push_back(theta[size_t(r) * cols + c]);
            }
          rowPtr[r + 1] = colIdx.size();
        }
        // RigL's gradients: a fixed function of the slot (many ties broken
        // by slot, many distinct values).
        SlotGradientFn grads = [](const std::vector<size_t> &s,
                                  std::vector<float> &g) {
          g.resize(s.size());
          for (size_t j = 0; j < s.size(); ++j)
            g[j] = float(int(rewiring::mix64(s[j]) % 21) - 10) * 0.01f;
          return Status::ok();
        };
        uint64_t moved = 0;
        for (int step = 0; step < 40; ++step) {
          SlotRewireSpec spec;
          spec.mode = mode;
          spec.rewire = step % 2 == 0;
          spec.l1Decrement = 0.004;
          spec.noiseScale = 0.01;
          spec.key = rewiring::streamKey(7, 0, uint64_t(step), 0);
          spec.candidates = candidates;
          SlotRewireResult rd;
          ASSERT_TRUE(rewireSlots(spec, theta, present, grads, rd));
          CsrRewireResult rc;
          ASSERT_TRUE(
              rewireCsr(spec, rows, cols, rowPtr, colIdx, csrTheta, grads, rc));
          EXPECT_EQ(rc.removed, rd.removed);
          EXPECT_EQ(rc.grown, rd.grown);
          moved += rc.removed;
          // Invariants.
          ASSERT_EQ(colIdx.size(), keep);
          ASSERT_EQ(rowPtr.back(), keep);
          for (uint32_t r = 0; r < rows; ++r)
            for (uint64_t k = rowPtr[r] + 1; k < rowPtr[r + 1]; ++k)
              ASSERT_LT(colIdx[k - 1], colIdx[k]);
          ASSERT_EQ(maskOf(rowPtr, colIdx, rows, cols), present);
          ASSERT_EQ(rc.from.size(), rc.removed ? keep : 0); // empty: none
          for (uint32_t r = 0; r < rows; ++r)
            for (uint64_t k = rowPtr[r]; k < rowPtr[r + 1]; ++k)
              ASSERT_EQ(csrTheta[k], theta[size_t(r) * cols + colIdx[k]]);
        }
        if (sparsity > 0) {
          EXPECT_GT(moved, 0u); // not vacuous
        }
      }
}

// Training in CSR with DEEP R and RigL, learned and frozen delays: after
// every step the count is the budget, rows are sorted without duplicates,
// theta >= 0, the optimiser moments follow the synapses (one per synapse);
// synapses move, signs never change, and the exported model is CSR.
TEST(Csr, TrainingKeepsBudgetAndSortedRows) {
  Dataset data = fixtures::timingTask(64, 4, 30);
  for (RewireMode mode : {RewireMode::DeepR, RewireMode::RigL}) {
    for (DelayMode delays : {DelayMode::Learn, DelayMode::Frozen}) {
      SCOPED_TRACE(std::string(toString(mode)) + "/" + toString(delays));
      Model m = sparseModel(delays, 4, 24, 4, 30, 0.875, 1);
      ASSERT_TRUE(toCsrLayout(m));
      std::vector<size_t> budget;
      for (const Projection &p : m.projections)
        budget.push_back(p.colIdx.size());
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
        for (size_t j = 0; j < m.projections.size(); ++j) {
          const Projection &p = m.projections[j];
          int k = ctx.engine.findParam("projections/" + p.name + "/weights");
          const Projection *now = ctx.engine.projectionFor(k);
          EXPECT_TRUE(now && now->isCsr());
          if (!now)
            continue;
          expectValidCsr(*now, j == 0 ? 24 : 4, j == 0 ? 4 : 24);
          const auto &w = ctx.engine.params()[k];
          EXPECT_EQ(w.value.size(), budget[j]);
          EXPECT_EQ(now->colIdx.size(), budget[j]);
          EXPECT_EQ(ctx.adamM[k].size(), budget[j]);
          EXPECT_EQ(ctx.adamV[k].size(), budget[j]);
          for (float v : w.value)
            EXPECT_GE(v, 0.0f);
        }
        ++checks;
        return Status::ok();
      };
      auto t = Trainer::create(m, cfg, data, nullptr);
      ASSERT_TRUE(t.hasValue()) << t.status().message();
      ASSERT_TRUE((*t)->run(nullptr));
      EXPECT_EQ(checks, 12u);
      ASSERT_TRUE(rewirer);
      EXPECT_GT(rewirer->stats().removed, 0u);
      EXPECT_EQ(rewirer->stats().removed, rewirer->stats().regrown);
      Model out = (*t)->model();
      ASSERT_TRUE(out.validate());
      size_t moved = 0;
      for (size_t j = 0; j < m.projections.size(); ++j) {
        const Projection &p = out.projections[j];
        EXPECT_TRUE(p.isCsr());
        EXPECT_EQ(p.signs, m.projections[j].signs);
        EXPECT_EQ(p.colIdx.size(), budget[j]);
        moved += p.colIdx != m.projections[j].colIdx ||
                 p.rowPtr != m.projections[j].rowPtr;
      }
      EXPECT_GT(moved, 0u);
    }
  }
}

// The trainer skips unobserved neurons; with it off the model after two
// epochs of DEEP R is the same bits (weights, positions, structure, biases,
// BatchNorm running statistics), in CSR and in the dense layout.
TEST(Csr, SkippingUnobservedNeuronsChangesNoBit) {
  Dataset data = fixtures::timingTask(48, 4, 30);
  // Micro-batches (data-parallel training's reduction) read the batch's
  // BatchNorm statistics of every neuron, the unfed ones' included.
  for (auto [csr, micro] : {std::pair<bool, uint32_t>{true, 0},
                            {false, 0}, {true, 8}}) {
    SCOPED_TRACE(std::string(csr ? "csr" : "dense") + " micro-batch " +
                 std::to_string(micro));
    Model m = sparseModel(DelayMode::Learn, 4, 32, 4, 30, 0.9375, 4);
    if (csr) {
      ASSERT_TRUE(toCsrLayout(m));
    }
    auto train = [&](bool skip) {
      TrainConfig cfg;
      cfg.epochs = 2;
      cfg.batch = 16;
      cfg.lrWeightsMax = 2e-2;
      cfg.skipUnobserved = skip;
      cfg.microBatch = micro;
      RewireConfig rc;
      rc.mode = RewireMode::DeepR;
      attachRewiring(cfg, m, rc);
      auto t = Trainer::create(m, cfg, data, nullptr);
      EXPECT_TRUE(t.hasValue()) << t.status().message();
      EXPECT_TRUE((*t)->run(nullptr));
      return (*t)->model();
    };
    Model a = train(true), b = train(false);
    for (size_t j = 0; j < a.projections.size(); ++j) {
      EXPECT_EQ(a.projections[j].weights, b.projections[j].weights);
      EXPECT_EQ(a.projections[j].positions, b.projections[j].positions);
      EXPECT_EQ(a.projections[j].colIdx, b.projections[j].colIdx);
      EXPECT_EQ(a.projections[j].mask, b.projections[j].mask);
    }
    size_t silent = 0; // hidden neurons without outgoing synapses exist
    const Projection &readout = a.projections.back();
    std::vector<uint8_t> used(32, 0);
    if (csr) {
      for (uint32_t c : readout.colIdx)
        used[c] = 1;
    } else {
      for (size_t s = 0; s < readout.mask.size(); ++s)
        used[s % 32] |= readout.mask[s];
    }
    for (uint8_t u : used)
      silent += !u;
    EXPECT_GT(silent, 0u);
    for (size_t i = 0; i < a.populations.size(); ++i) {
      EXPECT_EQ(a.populations[i].bias, b.populations[i].bias);
      if (a.populations[i].batchnorm) {
        EXPECT_EQ(a.populations[i].batchnorm->mean,
                  b.populations[i].batchnorm->mean);
        EXPECT_EQ(a.populations[i].batchnorm->var,
                  b.populations[i].batchnorm->var);
        EXPECT_EQ(a.populations[i].batchnorm->gamma,
                  b.populations[i].batchnorm->gamma);
      }
    }
  }
}

// The CSR structure travels in the checkpoint with the optimiser's moments
// per synapse: an interrupted CSR run resumed from its checkpoint ends where
// the uninterrupted one does, structure included.
TEST(Csr, ResumeWithRewiringIsBitIdentical) {
  Dataset data = fixtures::timingTask(64, 8, 30);
  Model m = sparseModel(DelayMode::Frozen, 4, 24, 4, 30, 0.75, 2);
  ASSERT_TRUE(toCsrLayout(m));
  RewireConfig rc;
  rc.mode = RewireMode::DeepR;
  rc.temperature = 1e-4;
  auto config = [&](const std::string &ckpt, const Model &structure) {
    TrainConfig cfg;
    cfg.epochs = 4;
    cfg.batch = 16;
    cfg.lrWeightsMax = 2e-2;
    cfg.checkpointPath = ckpt;
    attachRewiring(cfg, structure, rc);
    return cfg;
  };
  std::string base =
      ::testing::TempDir() + "snnrt-csr-resume-" + std::to_string(::getpid());
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
  size_t moved = 0;
  for (size_t j = 0; j < full.projections.size(); ++j) {
    EXPECT_TRUE(resumed.projections[j].isCsr());
    EXPECT_EQ(full.projections[j].rowPtr, resumed.projections[j].rowPtr);
    EXPECT_EQ(full.projections[j].colIdx, resumed.projections[j].colIdx);
    EXPECT_EQ(full.projections[j].weights, resumed.projections[j].weights);
    EXPECT_EQ(full.projections[j].delays, resumed.projections[j].delays);
    moved += full.projections[j].colIdx != m.projections[j].colIdx;
  }
  EXPECT_GT(moved, 0u);
  std::remove((base + "-a.h5").c_str());
  std::remove((base + "-b.h5").c_str());
}

// Errors name the projection and what is wrong.
TEST(Csr, BadStructureAndMissingTimingAreRefused) {
  Model m = sparseModel(DelayMode::Frozen, 4, 6, 3, 8, 0.5, 1);
  ASSERT_TRUE(toCsrLayout(m));
  auto e = Engine<float>::create(m, EngineOptions());
  ASSERT_TRUE(e.hasValue());
  int k = (*e)->findParam("projections/fc1/weights");
  const Projection &p = m.projections[0];
  CsrSynapses<float> syn;
  syn.rowPtr = p.rowPtr;
  syn.colIdx = p.colIdx;
  syn.weights = p.weights;
  syn.delays = p.delays;
  // A duplicate column in row 0 (it has at least two synapses here).
  size_t r = 0;
  while (p.rowPtr[r + 1] - p.rowPtr[r] < 2)
    ++r;
  auto dup = syn;
  dup.colIdx[p.rowPtr[r] + 1] = dup.colIdx[p.rowPtr[r]];
  Status s = (*e)->setCsr(k, dup);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "projections/fc1/col_idx: row " + std::to_string(r) +
                             " is not strictly increasing below 4");
  auto shortDelays = syn;
  shortDelays.delays.pop_back();
  s = (*e)->setCsr(k, shortDelays);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "projections/fc1: weights and delays need " +
                             std::to_string(p.colIdx.size()) + " entries");
  EXPECT_TRUE((*e)->setCsr(k, syn));
  std::vector<float> g;
  s = (*e)->slotGradients(k, {0}, g);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("projections/fc1: slot gradients of a CSR"),
            std::string::npos);
  s = (*e)->setPresent(k, std::vector<uint8_t>(24, 1));
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("projections/fc1"), std::string::npos);
}
