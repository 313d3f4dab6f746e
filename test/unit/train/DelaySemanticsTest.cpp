//===- DelaySemanticsTest.cpp - A spike at t arrives at exactly t + d -----===//
//
// SNN-F2: I_b[t] = sum_a W x_a[t - D]. With an LI readout of decay 0
// (tau_mem = dt, linear mode: beta = 1 - dt/tau = 0, SNN-F6/F9) the readout
// potential is the current itself, so every arrival is visible step by step.
// Checked for dense and CSR layouts, both kernels (BLAS taps, synapse-wise /
// event-driven), frame and spike inputs, at the edges d = 0, d = Dmax - 1,
// arrival on the last step and arrival after the last step (never).
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/model/Model.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace snnrt;

namespace {

constexpr uint32_t kT = 10, kDmax = 6;

// input(2) -> out(2), synapse a -> a with delay d[a]; weight 1.5 and 2.5.
Model edgeModel(bool csr, InputKind kind, int d0, int d1, bool positions) {
  Model m;
  m.dt = 0.001;
  m.steps = kT;
  Population in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = 2;
  in.inputKind = kind;
  in.scale = 1.0;
  Population out;
  out.name = "out";
  out.kind = PopulationKind::Li;
  out.size = 2;
  out.tauMem = 0.001; // beta = 0
  m.populations = {in, out};
  Projection p;
  p.name = "p";
  p.source = "in";
  p.target = "out";
  p.maxDelay = kDmax;
  std::vector<int32_t> d;
  if (csr) {
    p.layout = ProjectionLayout::Csr;
    p.rowPtr = {0, 1, 2};
    p.colIdx = {0, 1};
    p.weights = {1.5f, 2.5f};
    d = {d0, d1};
  } else {
    p.weights = {1.5f, 0.0f, 0.0f, 2.5f};
    p.mask = {1, 0, 0, 1};
    d = {d0, 0, 0, d1};
  }
  if (positions) {
    // SNN-F4: D = round(h - p); h = 2.5. p = h - D -+ 0.3 rounds back to D
    // and stays inside [-h, h].
    for (int v : d)
      p.positions.push_back(float(2.5 - v + (v == 0 ? -0.3 : 0.3)));
    p.sigma = 0.0;
  } else {
    p.delays = d;
  }
  m.projections = {p};
  m.outputs = {"out"};
  return m;
}

void checkArrival(bool csr, InputKind kind, ProjectionStrategy strategy,
                  bool positions) {
  struct Case {
    int t0, d;
  } cases[] = {{3, 0}, {2, int(kDmax) - 1}, {4, int(kDmax) - 1}, {7, 5},
               {9, 0}, {0, 3}};
  for (const Case &c : cases) {
    // Channel 0 spikes at t0 with delay d; channel 1 spikes at step 0 with
    // delay Dmax-1-d, in sample 1 of a batch of 2 (sample 0 stays silent on
    // channel 1), so samples and channels cannot leak into each other.
    int d1 = int(kDmax) - 1 - c.d;
    Model m = edgeModel(csr, kind, c.d, d1, positions);
    ASSERT_TRUE(m.validate()) << m.validate().message();
    EngineOptions opt;
    opt.strategy = strategy;
    auto e = Engine<float>::create(m, opt);
    ASSERT_TRUE(e.hasValue()) << e.status().message();
    const uint32_t B = 2;
    std::vector<float> x(2 * kT * B, 0.0f);
    auto at = [&](int ch, int t, int b) { return (size_t(ch) * kT + t) * B + b; };
    x[at(0, c.t0, 0)] = 1.0f;
    x[at(0, c.t0, 1)] = 2.0f;
    x[at(1, 0, 1)] = 1.0f;
    (*e)->setTraining(false);
    ASSERT_TRUE((*e)->setInputDense(x, B));
    (*e)->forward();
    const auto &u = (*e)->values("out");
    for (int t = 0; t < int(kT); ++t) {
      SCOPED_TRACE("t0=" + std::to_string(c.t0) + " d=" +
                   std::to_string(c.d) + " t=" + std::to_string(t) +
                   " strategy=" + (*e)->lastStrategies()[0]);
      float want0 = t == c.t0 + c.d ? 1.5f : 0.0f;
      EXPECT_EQ(u[at(0, t, 0)], want0);
      EXPECT_EQ(u[at(0, t, 1)], 2.0f * want0);
      EXPECT_EQ(u[at(1, t, 0)], 0.0f);
      EXPECT_EQ(u[at(1, t, 1)], t == d1 ? 2.5f : 0.0f);
    }
  }
}

} // namespace

TEST(DelaySemantics, DenseLayoutBlasTaps) {
  checkArrival(false, InputKind::Frames, ProjectionStrategy::DenseTaps, false);
}
TEST(DelaySemantics, DenseLayoutSynapseKernel) {
  checkArrival(false, InputKind::Frames, ProjectionStrategy::Sparse, false);
}
TEST(DelaySemantics, CsrLayoutBothKernels) {
  checkArrival(true, InputKind::Frames, ProjectionStrategy::Sparse, false);
  checkArrival(true, InputKind::Frames, ProjectionStrategy::DenseTaps, false);
}
TEST(DelaySemantics, SpikeInputEventDriven) {
  checkArrival(true, InputKind::Spikes, ProjectionStrategy::Sparse, false);
  checkArrival(false, InputKind::Spikes, ProjectionStrategy::Auto, false);
}
TEST(DelaySemantics, RoundedDclsPositionsInEvaluation) {
  checkArrival(false, InputKind::Frames, ProjectionStrategy::Auto, true);
  checkArrival(true, InputKind::Spikes, ProjectionStrategy::Sparse, true);
}

TEST(DelaySemantics, RoundHalfToEven) {
  // SNN-F4 on Dmax = 6 (h = 2.5): p = 0 gives delta 2.5 -> 2 (even).
  EXPECT_EQ(roundedDelay(0.0f, 6), 2);
  EXPECT_EQ(roundedDelay(-1.0f, 6), 4); // 3.5 -> 4
  EXPECT_EQ(roundedDelay(2.5f, 6), 0);
  EXPECT_EQ(roundedDelay(-2.5f, 6), 5);
  EXPECT_EQ(roundedDelay(-9.0f, 6), 5); // clamped
}

// SNN-F7: a spike at t depends on inputs up to t-1; hard reset restarts from
// zero the step after a spike, discarding that step's input.
TEST(DelaySemantics, LifSpikesTheStepAfterItsInput) {
  Model m = edgeModel(false, InputKind::Frames, 2, 0, false);
  Population &out = m.populations[1];
  out.kind = PopulationKind::Lif;
  out.threshold = 1.0;
  ASSERT_TRUE(m.validate());
  auto e = Engine<float>::create(m, {});
  ASSERT_TRUE(e.hasValue());
  std::vector<float> x(2 * kT, 0.0f); // batch 1
  x[3] = 1.0f;                        // channel 0, t = 3 -> current at t = 5
  x[kT + 4] = 1.0f;                   // channel 1, t = 4 and t = 5
  x[kT + 5] = 1.0f;
  ASSERT_TRUE((*e)->setInputDense(x, 1));
  (*e)->forward();
  const auto &s = (*e)->values("out");
  for (uint32_t t = 0; t < kT; ++t) {
    EXPECT_EQ(s[t], t == 6 ? 1.0f : 0.0f) << "t=" << t;
    // Channel 1: V[5] = 2.5 -> spike at 5; input at 5 discarded by the reset.
    EXPECT_EQ(s[kT + t], t == 5 ? 1.0f : 0.0f) << "t=" << t;
  }
}

// SNN-F13: under the lava convention a neuron fires on V > theta only, and
// the reset zeroes V[t] but keeps the spiking step's input, so a neuron
// driven on two consecutive steps fires on both (the paper's hard reset
// drops the second input). Threshold 1.5 equals neuron 0's single input.
TEST(DelaySemantics, LavaConventionStrictThresholdKeepsInput) {
  for (NeuronConvention conv :
       {NeuronConvention::Paper, NeuronConvention::Lava}) {
    SCOPED_TRACE(toString(conv));
    Model m = edgeModel(false, InputKind::Frames, 2, 0, false);
    Population &out = m.populations[1];
    out.kind = PopulationKind::Lif;
    out.threshold = 1.5;
    out.convention = conv;
    ASSERT_TRUE(m.validate());
    auto e = Engine<double>::create(m, {});
    ASSERT_TRUE(e.hasValue());
    std::vector<double> x(2 * kT, 0.0);
    x[3] = 1.0;      // channel 0 at t = 3 -> V[6] = 1.5 = theta exactly
    x[kT + 4] = 1.0; // channel 1 at t = 4 and 5 -> V[5] = 2.5, V[6] = 2.5
    x[kT + 5] = 1.0; //   under lava (input kept), 0 under paper
    ASSERT_TRUE((*e)->setInputDense(x, 1));
    (*e)->forward();
    const auto &s = (*e)->values("out");
    const bool lava = conv == NeuronConvention::Lava;
    for (uint32_t t = 0; t < kT; ++t) {
      EXPECT_EQ(s[t], t == 6 && !lava ? 1.0 : 0.0) << "t=" << t;
      EXPECT_EQ(s[kT + t], t == 5 || (t == 6 && lava) ? 1.0 : 0.0) << "t=" << t;
    }
  }
}

// Per-neuron parameters (SNN-F6..F9 with tau, theta per neuron): neuron b
// of each population uses its own beta_b, beta_syn_b and theta_b.
TEST(DelaySemantics, PerNeuronDecayThresholdAndCubaReadout) {
  Model m = edgeModel(false, InputKind::Frames, 0, 0, false);
  Population &out = m.populations[1];
  out.tauMemPerNeuron = {0.002, 0.004}; // beta 0.5, 0.75
  out.tauMem = 0.002;
  out.tauSyn = 0.002;
  out.tauSynPerNeuron = {0.002, 0.001}; // beta_syn 0.5, 0
  ASSERT_TRUE(m.validate());
  std::vector<float> x(2 * kT, 0.0f);
  x[0] = 1.0f;  // channel 0 impulse at t = 0 (current 1.5)
  x[kT] = 1.0f; // channel 1 impulse at t = 0 (current 2.5)
  auto e = Engine<double>::create(m, {});
  ASSERT_TRUE(e.hasValue()) << e.status().message();
  std::vector<double> xd(x.begin(), x.end());
  ASSERT_TRUE((*e)->setInputDense(xd, 1));
  (*e)->forward();
  const auto &u = (*e)->values("out");
  // Neuron 0: J = 1.5 * 0.5^t, U[t] = 0.5 U[t-1] + J[t] = 1.5 (t+1) 0.5^t.
  // Neuron 1: J = 2.5 at t = 0 only, U[t] = 2.5 * 0.75^t.
  for (uint32_t t = 0; t < kT; ++t) {
    EXPECT_NEAR(u[t], 1.5 * (t + 1) * std::pow(0.5, t), 1e-12) << t;
    EXPECT_NEAR(u[kT + t], 2.5 * std::pow(0.75, t), 1e-12) << t;
  }
  // LIF with per-neuron thresholds: the same constant drive crosses 1.4
  // (neuron 0, input 1.5) but not 2.6 (neuron 1, input 2.5).
  Model l = edgeModel(false, InputKind::Frames, 0, 0, false);
  Population &lif = l.populations[1];
  lif.kind = PopulationKind::Lif;
  lif.thresholdPerNeuron = {1.4, 2.6};
  lif.threshold = 1.4; // the scalar holds neuron 0's value
  ASSERT_TRUE(l.validate());
  auto f = Engine<double>::create(l, {});
  ASSERT_TRUE(f.hasValue());
  ASSERT_TRUE((*f)->setInputDense(xd, 1));
  (*f)->forward();
  const auto &s = (*f)->values("out");
  for (uint32_t t = 0; t < kT; ++t) {
    EXPECT_EQ(s[t], t == 1 ? 1.0 : 0.0) << t;
    EXPECT_EQ(s[kT + t], 0.0) << t;
  }
  lif.threshold = 1.0;
  EXPECT_FALSE(l.validate()); // scalar differs from neuron 0
  lif.thresholdPerNeuron = {1.0, -1.0};
  EXPECT_FALSE(l.validate());
}

// SNN-F3 truncation: with an impulse input and a readout of decay 0 the
// readout shows the DCLS kernel K[k] itself. Dropping taps beyond
// radius * sigma' changes it by at most the bound in docs/semantics.md.
TEST(DelaySemantics, DclsTruncationWithinStatedBound) {
  for (double sigma : {0.0, 0.3, 1.0, 2.5, 6.0, 12.0}) {
    // p = 0.15 puts delta at 2.35, the worst case of the bound at sigma 0.
    for (float pos : {-2.5f, -1.3f, 0.0f, 0.15f, 0.49f, 2.2f}) {
      Model m = edgeModel(true, InputKind::Frames, 0, 0, true);
      m.steps = kT;
      m.projections[0].positions = {pos, pos};
      m.projections[0].sigma = sigma;
      std::vector<float> full, cut;
      for (double radius : {0.0, 5.0}) {
        EngineOptions opt;
        opt.truncationRadius = radius;
        auto e = Engine<float>::create(m, opt);
        ASSERT_TRUE(e.hasValue());
        (*e)->setTraining(true);
        (*e)->setSigma(sigma);
        std::vector<float> x(2 * kT, 0.0f);
        x[0] = 1.0f;
        ASSERT_TRUE((*e)->setInputDense(x, 1));
        (*e)->forward();
        (radius == 0 ? full : cut) = (*e)->values("out");
      }
      double sumFull = 0, diff = 0;
      for (uint32_t t = 0; t < kDmax; ++t) {
        sumFull += full[t];
        diff += std::fabs(double(full[t]) - double(cut[t]));
      }
      EXPECT_NEAR(sumFull, 1.5, 1e-5); // normalised kernel sums to W
      EXPECT_LE(diff, 2e-5 * 1.5) << "sigma " << sigma << " p " << pos;
    }
  }
}

// SNN-F1: a dataset sample enters as scale * value, frames and spike events
// alike, at its own (step, channel) and batch column.
TEST(DelaySemantics, DatasetInputIsScaled) {
  for (InputKind kind : {InputKind::Frames, InputKind::Spikes}) {
    Model m = edgeModel(false, kind, 0, 0, false);
    m.populations[0].scale = 3.0;
    Dataset d;
    d.kind = kind;
    d.steps = kT;
    d.channels = 2;
    d.numClasses = 2;
    d.labels = {0, 1, 1};
    if (kind == InputKind::Frames) {
      d.frames.assign(3 * kT * 2, 0.0f);
      d.frames[(1 * kT + 4) * 2 + 1] = 0.5f; // sample 1, t 4, channel 1
    } else {
      d.eventOffsets = {0, 0, 1, 1};
      d.eventStep = {4};
      d.eventChannel = {1};
      d.eventCount = {0.5f};
    }
    auto e = Engine<float>::create(m, {});
    ASSERT_TRUE(e.hasValue());
    // Batch of samples 2, 1: sample 1 sits in column 1.
    ASSERT_TRUE((*e)->setInput(d, {2, 1}));
    const auto &x = (*e)->values("in");
    ASSERT_EQ(x.size(), 2u * kT * 2);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_EQ(x[i], i == (size_t(1) * kT + 4) * 2 + 1 ? 1.5f : 0.0f) << i;
  }
}

// Cost: integer delays (frozen, or rounded positions in evaluation) never go
// through Dmax dense products; the engine applies one tap per synapse.
TEST(DelaySemantics, IntegerDelaysUseSynapseWiseKernels) {
  NetworkSpec spec;
  spec.inputs = 40;
  spec.hidden = {64};
  spec.outputs = 20;
  spec.steps = 30;
  spec.maxDelay = 25;
  for (DelayMode mode : {DelayMode::Frozen, DelayMode::Learn}) {
    spec.delays = mode;
    auto m = buildFeedForward(spec, 3);
    ASSERT_TRUE(m.hasValue());
    auto e = Engine<float>::create(*m, {});
    ASSERT_TRUE(e.hasValue());
    (*e)->setTraining(mode == DelayMode::Frozen); // Learn: evaluation rounds
    std::vector<float> x(40 * 30 * 8, 0.1f);
    ASSERT_TRUE((*e)->setInputDense(x, 8));
    (*e)->forward(false);
    for (const std::string &s : (*e)->lastStrategies())
      EXPECT_NE(s, "dense-taps") << toString(mode);
  }
}

namespace {

/// One training-mode forward and backward of a 40 -> 64 -> 20 DCLS network
/// at sigma 3 (taps 0..24 live) with the given strategy; returns the readout
/// followed by every parameter gradient.
template <typename Real>
std::vector<Real> spectralCase(ProjectionStrategy strategy, int threads,
                               std::vector<std::string> *strategies) {
  NetworkSpec spec;
  spec.inputs = 40;
  spec.hidden = {64};
  spec.outputs = 20;
  spec.steps = 60;
  spec.maxDelay = 25;
  spec.delays = DelayMode::Learn;
  spec.sigma0 = 3.0;
  spec.dropout = 0.0;
  auto m = buildFeedForward(spec, 5);
  EXPECT_TRUE(m.hasValue());
  EngineOptions opt;
  opt.strategy = strategy;
  opt.threads = threads;
  auto e = Engine<Real>::create(*m, opt);
  EXPECT_TRUE(e.hasValue());
  const uint32_t B = 64;
  std::vector<Real> x(size_t(40) * 60 * B);
  uint64_t st = 12345;
  for (auto &v : x)
    v = Real(double(splitmix64(st) >> 11) * 0x1.0p-53 * 2.0);
  std::vector<int32_t> labels(B);
  for (uint32_t b = 0; b < B; ++b)
    labels[b] = int32_t(b % 20);
  (*e)->setTraining(true);
  (*e)->setSigma(3.0);
  EXPECT_TRUE((*e)->setInputDense(x, B));
  (*e)->forward(false);
  (*e)->loss(labels);
  (*e)->backward(labels);
  if (strategies)
    *strategies = (*e)->lastStrategies();
  std::vector<Real> out = (*e)->values("output");
  for (const auto &p : (*e)->params())
    out.insert(out.end(), p.grad.begin(), p.grad.end());
  return out;
}

} // namespace

// Cost: the spectral strategy computes the dense taps' sums through a DFT
// over time. In double it agrees with the dense products to rounding (no
// spike flips at these differences). Both give identical float numbers with
// one and two threads (products split into blocks fixed by their shape).
TEST(DelaySemantics, SpectralMatchesDenseTapsAndThreadCount) {
  std::vector<std::string> used;
  auto dense = spectralCase<double>(ProjectionStrategy::DenseTaps, 1, &used);
  EXPECT_EQ(used, (std::vector<std::string>{"dense-taps", "dense-taps"}));
  auto spectral = spectralCase<double>(ProjectionStrategy::Spectral, 1, &used);
  EXPECT_EQ(used, (std::vector<std::string>{"spectral", "spectral"}));
  ASSERT_EQ(dense.size(), spectral.size());
  double scale = 0;
  for (double v : dense)
    scale = std::max(scale, std::fabs(v));
  ASSERT_GT(scale, 0.0);
  for (size_t i = 0; i < dense.size(); ++i)
    ASSERT_NEAR(spectral[i], dense[i], 1e-10 * scale) << i;
  for (auto st : {ProjectionStrategy::DenseTaps, ProjectionStrategy::Spectral})
    EXPECT_EQ(spectralCase<float>(st, 1, nullptr),
              spectralCase<float>(st, 2, nullptr))
        << (st == ProjectionStrategy::Spectral ? "spectral" : "dense-taps");
}

// Auto: at sigma 12 every tap is live and the paper's network takes the
// spectral path; integer delays never do (IntegerDelaysUseSynapseWiseKernels).
TEST(DelaySemantics, AutoPicksSpectralAtLargeSigma) {
  NetworkSpec spec;
  spec.inputs = 40;
  spec.hidden = {256};
  spec.outputs = 20;
  spec.steps = 100;
  spec.maxDelay = 25;
  spec.delays = DelayMode::Learn;
  spec.sigma0 = 12.0;
  auto m = buildFeedForward(spec, 3);
  ASSERT_TRUE(m.hasValue());
  auto e = Engine<float>::create(*m, {});
  ASSERT_TRUE(e.hasValue());
  (*e)->setTraining(true);
  (*e)->setSigma(12.0);
  std::vector<float> x(size_t(40) * 100 * 32, 0.1f);
  ASSERT_TRUE((*e)->setInputDense(x, 32));
  (*e)->forward(false);
  EXPECT_EQ((*e)->lastStrategies()[0], "spectral");
}
