//===- NirDelaysTest.cpp - Per-synapse delays through NIR and back --------===//

#include "NirFixtures.h"
#include "NirRefSim.h"

#include "snnrt/nir/NirDelays.h"
#include "snnrt/nir/NirFile.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <set>
#include <unistd.h>

using namespace snnrt;
using namespace nirtest;

namespace {

constexpr double kDt = 1e-3;

NirSynapses randomSynapses(uint64_t targets, uint64_t sources, int maxDelay,
                           bool bias, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  std::uniform_int_distribution<int> d(0, maxDelay);
  std::bernoulli_distribution keep(0.6);
  NirSynapses p;
  p.targets = targets;
  p.sources = sources;
  for (uint64_t i = 0; i < targets * sources; ++i) {
    bool present = keep(rng);
    float v = w(rng);
    int k = d(rng);
    p.weights.push_back(present ? v : 0.0f);
    p.delays.push_back(present ? k : 0);
  }
  if (bias)
    for (uint64_t b = 0; b < targets; ++b)
      p.bias.push_back(w(rng));
  return p;
}

NirNode io(NirKind kind, uint64_t n) {
  NirNode node(kind);
  node.params["shape"] = NirArray::ints({double(n)}, {1});
  return node;
}

/// in(sources) ──projection──► out(targets)
NirGraph host(uint64_t sources, uint64_t targets) {
  NirGraph g;
  g.version = kNirWriteVersion;
  g.nodes["in"] = io(NirKind::Input, sources);
  g.nodes["out"] = io(NirKind::Output, targets);
  return g;
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

TEST(NirDelays, ExportWriteReadCollectIsExact) {
  NirSynapses p = randomSynapses(6, 7, 9, /*bias=*/true, 11);
  NirGraph g = host(7, 6);
  ASSERT_TRUE(nirAddDelayedProjection(g, "fc", "in", "out", p, kDt));
  ASSERT_TRUE(validateNir(g, "export"));

  // One weight node per distinct delay, a Delay behind each non-zero one.
  std::set<int32_t> distinct;
  for (size_t i = 0; i < p.weights.size(); ++i)
    if (p.weights[i] != 0)
      distinct.insert(p.delays[i]);
  distinct.insert(0); // the bias lives in the delay-0 Affine
  size_t delayNodes = 0;
  for (const auto &[n, node] : g.nodes)
    delayNodes += node.kind == NirKind::Delay;
  EXPECT_EQ(delayNodes, distinct.size() - 1);
  EXPECT_EQ(g.node("fc")->kind, NirKind::Affine);

  std::string path = std::filesystem::temp_directory_path() /
                     ("snnc-nir-delays-" + std::to_string(getpid()) + ".nir");
  ASSERT_TRUE(writeNir(path, g));
  auto back = readNir(path);
  std::remove(path.c_str());
  ASSERT_TRUE(back) << back.status().message();
  auto flat = flattenNir(*back);
  ASSERT_TRUE(flat);
  auto q = nirCollectDelayedProjection(*flat, "in", "out", kDt);
  ASSERT_TRUE(q) << q.status().message();
  ASSERT_EQ(q->targets, p.targets);
  ASSERT_EQ(q->sources, p.sources);
  for (size_t i = 0; i < p.weights.size(); ++i) {
    EXPECT_TRUE(sameBits(q->weights[i], p.weights[i])) << i;
    if (p.weights[i] != 0)
      EXPECT_EQ(q->delays[i], p.delays[i]) << i;
  }
  ASSERT_EQ(q->bias.size(), p.bias.size());
  for (size_t b = 0; b < p.bias.size(); ++b)
    EXPECT_TRUE(sameBits(q->bias[b], p.bias[b])) << b;
}

TEST(NirDelays, ExportedGraphComputesSnnF2) {
  // The NIR graph, stepped by the reference simulator, delivers exactly
  // I_b[t] = Σ_a W[b,a]·x_a[t − D[b,a]] (SNN-F2) into the target.
  NirSynapses p = randomSynapses(5, 4, 6, /*bias=*/false, 5);
  NirGraph g = host(4, 5);
  ASSERT_TRUE(nirAddDelayedProjection(g, "fc", "in", "out", p, kDt));
  NirDiscretizeOptions o;
  o.dt = kDt;
  o.reset = ResetMode::Hard;
  RefSim sim(g, o);
  std::mt19937 rng(3);
  std::bernoulli_distribution spike(0.4);
  std::vector<std::vector<double>> x;
  for (int t = 0; t < 30; ++t) {
    std::vector<double> xt(4);
    for (double &v : xt)
      v = spike(rng);
    x.push_back(xt);
    sim.step(xt);
    for (uint64_t b = 0; b < p.targets; ++b) {
      double want = 0;
      for (uint64_t a = 0; a < p.sources; ++a) {
        int tt = t - p.delays[b * p.sources + a];
        if (tt >= 0)
          want += double(p.weights[b * p.sources + a]) * x[tt][a];
      }
      EXPECT_NEAR(sim.value("out")[b], want, 1e-12) << "t " << t << " b " << b;
    }
  }
}

TEST(NirDelays, NoBiasNoZeroGroupAndAllZero) {
  NirSynapses p;
  p.targets = 1;
  p.sources = 2;
  p.weights = {0.5f, -0.25f};
  p.delays = {3, 3};
  NirGraph g = host(2, 1);
  ASSERT_TRUE(nirAddDelayedProjection(g, "fc", "in", "out", p, kDt));
  EXPECT_EQ(g.node("fc"), nullptr); // no delay-0 synapse and no bias
  ASSERT_NE(g.node("fc_d3"), nullptr);
  ASSERT_NE(g.node("fc_d3_delay"), nullptr);
  auto q = nirCollectDelayedProjection(g, "in", "out", kDt);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->delays, (std::vector<int32_t>{3, 3}));
  EXPECT_TRUE(q->bias.empty());

  NirSynapses zero = p;
  zero.weights = {0.0f, 0.0f};
  NirGraph z = host(2, 1);
  ASSERT_TRUE(nirAddDelayedProjection(z, "fc", "in", "out", zero, kDt));
  EXPECT_EQ(z.node("fc")->kind, NirKind::Linear); // keeps the connection
}

TEST(NirDelays, Errors) {
  NirSynapses p;
  p.targets = 1;
  p.sources = 2;
  p.weights = {0.5f, 0.5f};
  p.delays = {0, -1};
  NirGraph g = host(2, 1);
  Status st = nirAddDelayedProjection(g, "fc", "in", "out", p, kDt);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("synapse (0, 1) has negative delay -1"),
            std::string::npos)
      << st.message();

  p.delays = {0, 2};
  g.nodes["fc_d2"] = io(NirKind::Output, 1);
  st = nirAddDelayedProjection(g, "fc", "in", "out", p, kDt);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("node name 'fc_d2' is already taken"),
            std::string::npos);
  EXPECT_EQ(g.node("fc"), nullptr) << "nothing is added on failure";

  // A foreign graph putting synapse (0,0) at two delays.
  NirGraph two = host(2, 1);
  NirSynapses a = p, b = p;
  a.delays = {1, 1};
  b.delays = {2, 2};
  b.weights = {0.25f, 0.0f};
  ASSERT_TRUE(nirAddDelayedProjection(two, "a", "in", "out", a, kDt));
  ASSERT_TRUE(nirAddDelayedProjection(two, "b", "in", "out", b, kDt));
  auto q = nirCollectDelayedProjection(two, "in", "out", kDt);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find("synapse (0, 0) has weight at delays"),
            std::string::npos)
      << q.status().message();

  // A bias behind a delay.
  NirGraph db = host(2, 1);
  NirNode aff(NirKind::Affine);
  aff.params["weight"] = NirArray::floats({1.0, 1.0}, {1, 2});
  aff.params["bias"] = NirArray::floats({0.5}, {1});
  NirNode del(NirKind::Delay);
  del.params["delay"] = NirArray::floats({double(float(2 * kDt))}, {1});
  db.nodes["aff"] = aff;
  db.nodes["del"] = del;
  db.edges = {{"in", "aff"}, {"aff", "del"}, {"del", "out"}};
  q = nirCollectDelayedProjection(db, "in", "out", kDt);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find("a delayed bias is not a constant bias"),
            std::string::npos)
      << q.status().message();

  q = nirCollectDelayedProjection(host(2, 1), "in", "out", kDt);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find("no path"), std::string::npos);
}

TEST(NirDelays, AllTypesFixtureDelayImports) {
  // The nir-written fixture has rec (Linear 4x4) -> delay (0,1,2,5 ms) ->
  // cuba: a per-target Delay, which becomes per-synapse delays by row.
  auto g = readNir(fixture("all_types.nir"));
  ASSERT_TRUE(g);
  auto q = nirCollectDelayedProjection(*g, "lif", "cuba", 1e-3);
  ASSERT_TRUE(q) << q.status().message();
  const NirArray &w = *g->node("rec")->param("weight");
  const int32_t rowDelay[] = {0, 1, 2, 5};
  for (uint64_t b = 0; b < 4; ++b)
    for (uint64_t a = 0; a < 4; ++a) {
      EXPECT_EQ(q->weights[b * 4 + a], float(w.values[b * 4 + a]));
      EXPECT_EQ(q->delays[b * 4 + a], rowDelay[b]);
    }
}
