//===- LifKernelsTest.cpp - The LIF fast paths against plain loops --------===//
//
// populationForward/Backward run the Heaviside forward and the detached
// backward through branch-free kernels (Engine.cpp, lifForwardImpl and
// lifBackwardImpl, one instance per reset/convention/dropout). Forward: V
// and S of a hidden layer fed through identity weights at delay 0 (so its
// current is the input exactly) against kernels::heaviside and lifNext step
// by step, bit for bit, for both conventions and both resets. Backward:
// against the generic loop (detachReset = false), which agrees with the
// detached gradient where no spike resets the potential.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/Kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

using namespace snnrt;

namespace {

/// Every convention with the resets it allows (Lava's is hard only).
const std::pair<NeuronConvention, ResetMode> kRules[] = {
    {NeuronConvention::Paper, ResetMode::Hard},
    {NeuronConvention::Paper, ResetMode::Subtract},
    {NeuronConvention::Lava, ResetMode::Hard},
    {NeuronConvention::ResetFirst, ResetMode::Hard},
    {NeuronConvention::ResetFirst, ResetMode::Subtract}};

Model identityModel(NeuronConvention conv, ResetMode reset, double threshold,
                    double dropout) {
  NetworkSpec spec;
  spec.inputs = 3;
  spec.hidden = {3};
  spec.outputs = 2;
  spec.steps = 12;
  spec.maxDelay = 2;
  spec.inputScale = 1.0;
  spec.delays = DelayMode::None;
  spec.reset = reset;
  spec.convention = conv;
  spec.tauMemSteps = 4.0;
  spec.threshold = threshold;
  spec.dropout = dropout;
  spec.batchnorm = false;
  auto m = buildFeedForward(spec, 7);
  EXPECT_TRUE(m.hasValue());
  Model model = *m;
  Projection &fc1 = model.projections[0];
  EXPECT_EQ(fc1.target, "hidden1");
  for (uint32_t r = 0; r < 3; ++r)
    for (uint32_t a = 0; a < 3; ++a)
      fc1.weights[r * 3 + a] = r == a ? 1.0f : 0.0f;
  for (auto &s : fc1.signs)
    s = 1;
  for (auto &p : model.populations)
    if (p.name == "hidden1")
      p.bias = {0.05f, -0.02f, 0.1f};
  return model;
}

} // namespace

TEST(LifKernels, HeavisideForwardMatchesPlainSteps) {
  const uint32_t T = 12, B = 5;
  for (auto [conv, reset] : kRules) {
    SCOPED_TRACE(std::to_string(int(conv)) + "/" + std::to_string(int(reset)));
    Model model = identityModel(conv, reset, 0.6, 0.0);
    EngineOptions opt;
    opt.threads = 1;
    auto created = Engine<float>::create(model, opt);
    ASSERT_TRUE(created.hasValue()) << created.status().message();
    Engine<float> &eng = **created;
    eng.setTraining(true);
    std::vector<float> x(size_t(3) * T * B);
    Rng rng(11);
    for (auto &v : x)
      v = float(rng.uniform(0.0, 0.6));
    ASSERT_TRUE(eng.setInputDense(x, B));
    eng.forward(false);
    const auto &V = eng.membranes("hidden1");
    const auto &S = eng.values("hidden1");
    ASSERT_EQ(V.size(), x.size());
    ASSERT_EQ(S.size(), x.size());
    const Population *pop = nullptr;
    for (auto &p : model.populations)
      if (p.name == "hidden1")
        pop = &p;
    ASSERT_NE(pop, nullptr);
    const LifRule rule = lifRule(conv);
    const bool hard = reset == ResetMode::Hard;
    size_t spikes = 0, resets = 0;
    for (uint32_t i = 0; i < 3; ++i) {
      float beta = float(decayFactor(model.decay, model.dt, pop->tauMemOf(i)));
      float theta = float(pop->thresholdOf(i));
      for (uint32_t b = 0; b < B; ++b) {
        float v = 0;
        for (uint32_t t = 0; t < T; ++t) {
          size_t o = (size_t(i) * T + t) * B + b;
          float sp = kernels::heaviside(v - theta, rule.strictThreshold);
          EXPECT_EQ(V[o], v) << "neuron " << i << " t " << t << " b " << b;
          EXPECT_EQ(S[o], sp) << "neuron " << i << " t " << t << " b " << b;
          spikes += sp != 0;
          resets += sp != 0 && t + 1 < T;
          v = kernels::lifNext(v, beta, x[o], pop->bias[i], sp, theta, hard,
                               rule.resetFirst);
        }
      }
    }
    // Not vacuous: the layer spikes, and not on every step.
    EXPECT_GT(resets, 5u);
    EXPECT_LT(spikes, size_t(3) * T * B / 2);
  }
}

TEST(LifKernels, DetachedBackwardMatchesGenericLoop) {
  const uint32_t T = 12, B = 4;
  for (auto [conv, reset] : kRules)
    for (double dropout : {0.0, 0.4}) {
      SCOPED_TRACE(std::to_string(int(conv)) + "/" +
                   std::to_string(int(reset)) + "/" + std::to_string(dropout));
      // No potential reaches the threshold: no reset, so the reset's
      // gradient (the only difference) is 0.
      Model model = identityModel(conv, reset, 1e6, dropout);
      EngineOptions opt;
      opt.threads = 2;
      auto a = Engine<double>::create(model, opt); // detached: fast path
      opt.detachReset = false;                     // generic loop
      auto b = Engine<double>::create(model, opt);
      ASSERT_TRUE(a.hasValue() && b.hasValue());
      std::vector<double> x(size_t(3) * T * B);
      Rng rng(5);
      for (auto &v : x)
        v = rng.uniform(0.0, 2.0);
      std::vector<int32_t> labels = {1, 0, 0, 1};
      for (auto *e : {a->get(), b->get()}) {
        e->setTraining(true);
        e->setDropoutSeed(3);
        ASSERT_TRUE(e->setInputDense(x, B));
        e->forward(false);
        e->loss(labels);
        e->backward(labels);
      }
      // Relative to each tensor's largest gradient: the hidden layer's are
      // ~1e-12 (the surrogate far below the threshold), and the reset terms
      // the generic loop adds are that much smaller again.
      double largest = 0;
      for (size_t k = 0; k < (*a)->params().size(); ++k) {
        const auto &ga = (*a)->params()[k].grad;
        const auto &gb = (*b)->params()[k].grad;
        double scale = 0;
        for (double g : gb)
          scale = std::max(scale, std::fabs(g));
        for (size_t i = 0; i < ga.size(); ++i)
          EXPECT_NEAR(ga[i], gb[i], 1e-6 * scale)
              << (*a)->params()[k].name << "[" << i << "]";
        if ((*a)->params()[k].name.find("hidden1") != std::string::npos)
          largest = std::max(largest, scale);
      }
      EXPECT_GT(largest, 0.0); // the hidden layer's gradients are not 0
    }
}
