//===- GradientTest.cpp - BPTT gradients against finite differences -------===//
//
// In float64, with the Heaviside replaced by its smooth counterpart (whose
// derivative is exactly the SNN-F11 surrogate) and the reset not detached,
// the backward pass must be the exact derivative of the forward pass. Every
// trainable tensor is checked: weights, DCLS positions (SNN-F3), biases and
// BatchNorm gamma/beta (SNN-F5), through LIF (SNN-F7, both resets), CuBa
// (SNN-F8), dropout (SNN-F12), LI and the loss (SNN-F9, F10).
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace snnrt;

namespace {

struct Case {
  const char *name;
  DelayMode delays;
  ResetMode reset;
  bool cuba;
  bool batchnorm;
  double dropout;
  ProjectionStrategy strategy;
  bool csrOutput;
  bool skip = false; ///< extra input -> output projection (a DAG, not a chain)
  /// Per-neuron tau_mem/tau_syn/threshold and a CuBa readout (SNN-F8 on LI).
  bool perNeuron = false;
  /// A synaptic bias on every CuBa population (SNN-F8), trained.
  bool biasSyn = false;
  /// Float neuron convention of the hidden LIF layer (SNN-F13).
  NeuronConvention convention = NeuronConvention::Paper;
};

Model tinyModel(const Case &c) {
  NetworkSpec spec;
  spec.inputs = 3;
  spec.hidden = {4};
  spec.outputs = 3;
  spec.steps = 9;
  spec.maxDelay = 4;
  spec.inputScale = 1.0;
  spec.delays = c.delays;
  spec.reset = c.reset;
  spec.convention = c.convention;
  if (c.cuba)
    spec.tauSynSteps = 3.0;
  spec.tauMemSteps = 4.0;
  spec.batchnorm = c.batchnorm;
  spec.dropout = c.dropout;
  spec.sigma0 = 0.8;
  spec.threshold = 0.6;
  if (c.perNeuron) {
    spec.tauSpread = 0.5;
    spec.readoutTauSynSteps = 2.0;
  }
  auto m = buildFeedForward(spec, 7);
  EXPECT_TRUE(m.hasValue()) << m.status().message();
  Model model = m.take();
  Rng rng(99);
  if (c.perNeuron)
    for (auto &p : model.populations)
      if (p.kind == PopulationKind::Lif) {
        for (uint32_t i = 0; i < p.size; ++i)
          p.thresholdPerNeuron.push_back(0.4 + 0.15 * i);
        p.threshold = p.thresholdPerNeuron[0];
        EXPECT_FALSE(p.tauMemPerNeuron.empty());
      }
  for (auto &p : model.populations) {
    for (auto &b : p.bias)
      b = float(rng.uniform(-0.3, 0.3));
    if (c.biasSyn && p.tauSyn)
      for (uint32_t i = 0; i < p.size; ++i)
        p.biasSyn.push_back(float(rng.uniform(-0.3, 0.3)));
    if (p.batchnorm) {
      for (auto &g : p.batchnorm->gamma)
        g = float(rng.uniform(0.5, 1.5));
      for (auto &b : p.batchnorm->beta)
        b = float(rng.uniform(0.0, 0.5));
    }
  }
  if (c.csrOutput) {
    // Drop a few synapses of the readout and store it as CSR.
    Projection &p = model.projections.back();
    Projection q = p;
    q.layout = ProjectionLayout::Csr;
    q.weights.clear();
    q.delays.clear();
    q.positions.clear();
    q.rowPtr = {0};
    uint32_t cols = 4;
    for (uint32_t r = 0; r < 3; ++r) {
      for (uint32_t a = 0; a < cols; ++a) {
        if ((r + a) % 3 == 1)
          continue;
        size_t k = size_t(r) * cols + a;
        q.colIdx.push_back(a);
        q.weights.push_back(p.weights[k]);
        if (!p.delays.empty())
          q.delays.push_back(p.delays[k]);
        if (!p.positions.empty())
          q.positions.push_back(p.positions[k]);
      }
      q.rowPtr.push_back(q.colIdx.size());
    }
    p = q;
  }
  if (c.skip) {
    // Two projections into the readout, and the input feeding two targets:
    // currents add (SNN-F2) and gradients from both consumers add.
    Projection sk;
    sk.name = "skip";
    sk.source = "input";
    sk.target = "output";
    sk.maxDelay = 3;
    sk.weights = {0.4f, -0.3f, 0.2f, 0.5f, 0.1f, -0.6f, 0.3f, 0.2f, -0.1f};
    sk.delays = {0, 1, 2, 2, 1, 0, 1, 1, 1};
    sk.signs = {1, -1, 1};
    model.projections.push_back(sk);
  }
  // Positions away from the clamp boundary keep delta inside the taps.
  for (auto &p : model.projections)
    for (auto &q : p.positions)
      q = float(std::clamp(double(q), -1.2, 1.2));
  return model;
}

void checkGradients(const Case &c) {
  SCOPED_TRACE(c.name);
  Model model = tinyModel(c);
  EngineOptions opt;
  opt.spike = SpikeFunction::SmoothArctan;
  opt.detachReset = false;
  opt.truncationRadius = 0; // every tap: the function is smooth in p
  opt.strategy = c.strategy;
  auto created = Engine<double>::create(model, opt);
  ASSERT_TRUE(created.hasValue()) << created.status().message();
  Engine<double> &eng = **created;
  eng.setTraining(true);
  eng.setSigma(0.8);
  eng.setDropoutSeed(5);
  const uint32_t B = 3, T = 9, C = 3;
  std::vector<double> x(size_t(C) * T * B);
  Rng rng(3);
  for (auto &v : x)
    v = rng.uniform() < 0.5 ? 0.0 : rng.uniform(0.0, 2.0);
  ASSERT_TRUE(eng.setInputDense(x, B));
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
  int checked = 0;
  double worst = 0;
  for (size_t k = 0; k < eng.params().size(); ++k) {
    auto &p = eng.params()[k];
    double scale = 0;
    for (double g : analytic[k])
      scale = std::max(scale, std::fabs(g));
    for (size_t i = 0; i < p.value.size(); ++i) {
      if (!p.present.empty() && !p.present[i])
        continue;
      double v0 = p.value[i];
      p.value[i] = v0 + h;
      double lp = lossAt();
      p.value[i] = v0 - h;
      double lm = lossAt();
      p.value[i] = v0;
      double numeric = (lp - lm) / (2 * h);
      double a = analytic[k][i];
      double err = std::fabs(a - numeric) /
                   std::max({std::fabs(a), std::fabs(numeric), 1e-6 * scale,
                             1e-9});
      worst = std::max(worst, err);
      EXPECT_LT(err, 1e-4) << p.name << "[" << i << "] analytic " << a
                           << " numeric " << numeric;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
  std::printf("%s: %d partial derivatives, max relative error %.2e\n", c.name,
              checked, worst);
  // The check is not vacuous: some gradient of each kind is non-zero.
  for (size_t k = 0; k < analytic.size(); ++k) {
    double mx = 0;
    for (double g : analytic[k])
      mx = std::max(mx, std::fabs(g));
    EXPECT_GT(mx, 1e-6) << eng.params()[k].name;
  }
}

} // namespace

TEST(Gradient, DclsHardResetBatchNormDropout) {
  checkGradients({"dcls-hard-bn-dropout", DelayMode::Learn, ResetMode::Hard,
                  false, true, 0.3, ProjectionStrategy::Auto, false});
}

TEST(Gradient, DclsSubtractCubaDenseTaps) {
  checkGradients({"dcls-subtract-cuba-dense", DelayMode::Learn,
                  ResetMode::Subtract, true, true, 0.0,
                  ProjectionStrategy::DenseTaps, false});
}

// A synaptic bias in front of the CuBa filter (SNN-F8, snnTorch's Synaptic)
// is a parameter with its own gradient, after BatchNorm.
TEST(Gradient, CubaSynapticBias) {
  Case c{"cuba-bias-syn", DelayMode::Learn, ResetMode::Subtract, true, true,
         0.0, ProjectionStrategy::DenseTaps, false};
  c.biasSyn = true;
  checkGradients(c);
}

TEST(Gradient, DclsSparseKernelsCsrReadout) {
  checkGradients({"dcls-sparse-csr", DelayMode::Learn, ResetMode::Hard, false,
                  true, 0.0, ProjectionStrategy::Sparse, true});
}

// Every neuron its own beta, beta_syn and theta, forward and backward; the
// readout has a synaptic current too (CubaLI).
TEST(Gradient, PerNeuronParametersAndCubaReadout) {
  Case c{"per-neuron",
         DelayMode::Learn,
         ResetMode::Subtract,
         true,
         false,
         0.0,
         ProjectionStrategy::Auto,
         false};
  c.perNeuron = true;
  c.biasSyn = true; // the CubaLI readout and the CuBa hidden layer
  checkGradients(c);
  Case hard = c;
  hard.name = "per-neuron-hard-frozen";
  hard.delays = DelayMode::Frozen;
  hard.reset = ResetMode::Hard;
  checkGradients(hard);
}

TEST(Gradient, DagWithSkipProjectionAndSigns) {
  Case c{"dag-skip", DelayMode::Learn, ResetMode::Hard, false, true, 0.0,
         ProjectionStrategy::Auto, true};
  c.skip = true;
  checkGradients(c);
}

TEST(Gradient, FrozenDelaysSparseAndDense) {
  checkGradients({"frozen-sparse", DelayMode::Frozen, ResetMode::Hard, true,
                  false, 0.0, ProjectionStrategy::Sparse, true});
  checkGradients({"frozen-dense", DelayMode::Frozen, ResetMode::Subtract,
                  false, true, 0.2, ProjectionStrategy::DenseTaps, false});
}

// The spectral strategy (the dense taps through a DFT over time): its
// gradients are the same derivative, through the transforms.
TEST(Gradient, SpectralDclsAndFrozen) {
  checkGradients({"spectral-dcls-hard-cuba-bn-dropout", DelayMode::Learn,
                  ResetMode::Hard, true, true, 0.3,
                  ProjectionStrategy::Spectral, false});
  Case dag{"spectral-dag-csr",
           DelayMode::Learn,
           ResetMode::Subtract,
           false,
           true,
           0.0,
           ProjectionStrategy::Spectral,
           true};
  dag.skip = true;
  checkGradients(dag);
  checkGradients({"spectral-frozen", DelayMode::Frozen, ResetMode::Hard, false,
                  true, 0.0, ProjectionStrategy::Spectral, false});
}

// SNN-F13 Lava convention: the reset acts on V[t] before the decay and keeps
// I[t], so the reset's gradient (-beta V[t] dL/dV[t+1]) and the input's
// (which passes the reset) differ from the paper's; both are checked exactly.
TEST(Gradient, LavaConventionHardReset) {
  Case c{"lava-dcls-bn-dropout",
         DelayMode::Learn,
         ResetMode::Hard,
         false,
         true,
         0.3,
         ProjectionStrategy::Auto,
         false};
  c.convention = NeuronConvention::Lava;
  checkGradients(c);
  Case pn{"lava-per-neuron-cuba",
          DelayMode::Frozen,
          ResetMode::Hard,
          true,
          false,
          0.0,
          ProjectionStrategy::DenseTaps,
          false};
  pn.perNeuron = true;
  pn.biasSyn = true;
  pn.convention = NeuronConvention::Lava;
  checkGradients(pn);
}

// The production setting (Heaviside, detached reset) differs from the exact
// derivative only through the reset path: with a threshold no potential
// reaches, no reset happens and both agree (up to the surrogate's tail).
TEST(Gradient, DetachedResetMatchesWhenNoSpikeResets) {
  Case c{"no-reset", DelayMode::Frozen, ResetMode::Hard, false, false,
         0.0, ProjectionStrategy::Auto, false};
  Model model = tinyModel(c);
  for (auto &p : model.populations)
    if (p.kind == PopulationKind::Lif)
      p.threshold = 1e6;
  EngineOptions opt;
  opt.threads = 2;
  auto a = Engine<double>::create(model, opt);
  opt.detachReset = false;
  auto b = Engine<double>::create(model, opt);
  ASSERT_TRUE(a.hasValue() && b.hasValue());
  std::vector<double> x(3 * 9 * 2, 0.5);
  std::vector<int32_t> labels = {1, 0};
  for (auto *e : {a->get(), b->get()}) {
    e->setTraining(true);
    ASSERT_TRUE(e->setInputDense(x, 2));
    e->forward(false);
    e->loss(labels);
    e->backward(labels);
  }
  for (size_t k = 0; k < (*a)->params().size(); ++k)
    for (size_t i = 0; i < (*a)->params()[k].grad.size(); ++i)
      EXPECT_NEAR((*a)->params()[k].grad[i], (*b)->params()[k].grad[i],
                  1e-9);
}

// A label that names no output neuron (a dataset with more classes than the
// network's outputs, as snnc run and verify may get) adds no loss term; it
// was read past the sample's sums (ASan, VerifyPropertyTest).
TEST(Gradient, LossIgnoresLabelsOutsideTheOutputs) {
  Case c{"labels", DelayMode::Frozen, ResetMode::Hard, false, false,
         0.0, ProjectionStrategy::Auto, false};
  Model model = tinyModel(c);
  auto e = Engine<double>::create(model, EngineOptions{});
  ASSERT_TRUE(e.hasValue());
  std::vector<double> x(3 * 9 * 2, 0.5);
  ASSERT_TRUE((*e)->setInputDense(x, 2));
  (*e)->forward(false);
  double both = (*e)->loss({1, 0});
  double first = (*e)->loss({1, 1000});
  double second = (*e)->loss({-1, 0});
  EXPECT_GT(both, 0);
  EXPECT_NEAR(first + second, both, 1e-12);
  EXPECT_EQ((*e)->loss({1000, -1}), 0.0);
}
