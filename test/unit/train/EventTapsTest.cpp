//===- EventTapsTest.cpp - Event-driven DCLS taps against dense taps ------===//
//
// A projection from a mostly silent source runs on the source's event lists
// (strategy "sparse-events"); with learned DCLS positions each synapse has
// several taps, which Engine.cpp's eventTapsForward/eventTapsGrad apply in
// one pass over the events. Their current, output and every gradient
// (weights, positions, through the readout) against the same step with each
// tap a dense BLAS product, in float64.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/train/Engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace snnrt;

namespace {

Model dclsModel() {
  Model m;
  m.dt = 0.001;
  m.steps = 14;
  Population in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = 3;
  in.inputKind = InputKind::Frames;
  in.scale = 1.0;
  Population out;
  out.name = "out";
  out.kind = PopulationKind::Li;
  out.size = 2;
  out.tauMem = 0.004;
  m.populations = {in, out};
  Projection p;
  p.name = "p";
  p.source = "in";
  p.target = "out";
  p.maxDelay = 7;
  p.weights = {0.9f, -0.4f, 0.7f, 0.3f, 1.1f, -0.8f};
  // Positions spread over the delay range (h = 3): delays 0.7 ... 5.8.
  p.positions = {2.3f, -0.4f, 1.1f, -2.8f, 0.2f, -1.9f};
  p.sigma = 1.0;
  m.projections = {p};
  m.outputs = {"out"};
  return m;
}

} // namespace

TEST(EventTaps, MatchDenseTaps) {
  Model m = dclsModel();
  ASSERT_TRUE(m.validate()) << m.validate().message();
  const uint32_t T = 14, B = 3;
  std::vector<double> x(size_t(3) * T * B, 0.0);
  Rng rng(17);
  size_t events = 0;
  for (auto &v : x)
    if (rng.uniform() < 0.15) {
      v = rng.uniform() < 0.5 ? 1.0 : 2.0; // dropout-scaled spikes too
      ++events;
    }
  ASSERT_GT(events, 10u);
  std::vector<int32_t> labels = {1, 0, 1};
  struct Run {
    std::vector<double> out;
    std::vector<std::vector<double>> grads;
    std::string strategy;
  };
  auto run = [&](ProjectionStrategy st) {
    EngineOptions opt;
    opt.strategy = st;
    opt.truncationRadius = 0; // every tap, so each synapse has several
    auto e = Engine<double>::create(m, opt);
    EXPECT_TRUE(e.hasValue()) << e.status().message();
    Engine<double> &eng = **e;
    eng.setTraining(true);
    eng.setSigma(1.0);
    EXPECT_TRUE(eng.setInputDense(x, B));
    eng.forward(false);
    eng.loss(labels);
    eng.backward(labels);
    Run r;
    r.out = eng.values("out");
    for (auto &p : eng.params())
      r.grads.push_back(p.grad);
    r.strategy = eng.lastStrategies()[0];
    return r;
  };
  Run ev = run(ProjectionStrategy::Sparse);
  Run dense = run(ProjectionStrategy::DenseTaps);
  EXPECT_EQ(ev.strategy, "sparse-events");
  EXPECT_EQ(dense.strategy, "dense-taps");
  ASSERT_EQ(ev.out.size(), dense.out.size());
  double outScale = 0;
  for (size_t i = 0; i < ev.out.size(); ++i) {
    EXPECT_NEAR(ev.out[i], dense.out[i], 1e-12) << "out[" << i << "]";
    outScale = std::max(outScale, std::fabs(dense.out[i]));
  }
  EXPECT_GT(outScale, 0.1);
  ASSERT_EQ(ev.grads.size(), dense.grads.size());
  size_t nonzero = 0;
  for (size_t k = 0; k < ev.grads.size(); ++k)
    for (size_t i = 0; i < ev.grads[k].size(); ++i) {
      EXPECT_NEAR(ev.grads[k][i], dense.grads[k][i], 1e-12)
          << "param " << k << "[" << i << "]";
      nonzero += std::fabs(dense.grads[k][i]) > 1e-6;
    }
  EXPECT_GT(nonzero, 8u); // weights and positions both get gradients
}
