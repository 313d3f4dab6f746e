//===- NirDelaysTest.cpp - Per-synapse delays through NIR and back --------===//

#include "NirFixtures.h"
#include "NirRefSim.h"

#include "snnrt/nir/NirDelays.h"
#include "snnrt/nir/NirFile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
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

namespace {

/// A relay that fires in the step its input reaches threshold weight/2
/// (what the nirtorch readers build), or, with `lag` 1, one step later
/// from the state before the input (Spyx): the arithmetic each reader's
/// relay neuron is tuned to (test/unit/compiler checks those per reader).
NirRelayNeuron idealRelay() {
  NirRelayNeuron r;
  r.make = [](uint64_t n) {
    NirNode node(NirKind::IF);
    node.params["r"] = NirArray::filled(n, 1.0);
    node.params["v_threshold"] = NirArray::filled(n, 1.0);
    return node;
  };
  r.weight = 2.0;
  return r;
}

const NirArray &weightOf(const NirGraph &g, const std::string &name) {
  return *g.nodes.at(name).param("weight");
}

} // namespace

// The shift register: relay r(a, k) fires k steps after r(a, 0), and the sum
// node reads W[b, a] from r(a, D[b, a]), so the target receives
// Σ_a W[b, a]·x_a[t − D[b, a]] (SNN-F2) for any 0/1 spike trains.
TEST(NirDelays, RelayedProjectionComputesSnnF2OnSpikes) {
  for (unsigned seed : {1u, 2u, 3u}) {
    NirSynapses p = randomSynapses(4, 5, 6, seed == 2, seed);
    NirGraph g = host(5, 4);
    auto stats = nirAddRelayedProjection(g, "fc", "in", "out", p, idealRelay());
    ASSERT_TRUE(stats) << stats.status().message();
    ASSERT_TRUE(validateNir(g, "relayed"));
    // Σ over sources with a weighted synapse of (its largest delay + 1).
    uint64_t relays = 0, synapses = 0;
    for (uint64_t a = 0; a < 5; ++a) {
      int m = -1;
      for (uint64_t b = 0; b < 4; ++b)
        if (p.weights[b * 5 + a] != 0.0f) {
          m = std::max(m, int(p.delays[b * 5 + a]));
          ++synapses;
        }
      relays += uint64_t(m + 1);
    }
    EXPECT_EQ(stats->relays, relays);
    EXPECT_EQ(stats->nodes, 4u);
    const uint64_t nr = relays;
    const NirArray &in = weightOf(g, "fc_relay_in"),
                   &rec = weightOf(g, "fc_relay_rec"), &out = weightOf(g, "fc");
    EXPECT_EQ(in.shape, (std::vector<uint64_t>{nr, 5}));
    EXPECT_EQ(rec.shape, (std::vector<uint64_t>{nr, nr}));
    EXPECT_EQ(out.shape, (std::vector<uint64_t>{4, nr}));
    // Every relay but the first of each source takes one shift edge; the
    // sum node holds exactly the projection's synapses.
    EXPECT_EQ(stats->synapses, nr + synapses);
    EXPECT_EQ(g.nodes.at("fc").kind,
              p.bias.empty() ? NirKind::Linear : NirKind::Affine);

    std::mt19937 rng(seed);
    std::bernoulli_distribution fire(0.4);
    const int T = 40;
    std::vector<std::vector<double>> x(T, std::vector<double>(5));
    for (auto &row : x)
      for (double &v : row)
        v = fire(rng);
    std::vector<double> s(nr, 0.0);
    for (int t = 0; t < T; ++t) {
      std::vector<double> v(nr, 0.0);
      for (uint64_t r = 0; r < nr; ++r) {
        for (uint64_t a = 0; a < 5; ++a)
          v[r] += in.values[r * 5 + a] * x[t][a];
        for (uint64_t q = 0; q < nr; ++q)
          v[r] += rec.values[r * nr + q] * s[q]; // the loop: S[t − 1]
      }
      for (uint64_t r = 0; r < nr; ++r)
        s[r] = v[r] >= 1.0 ? 1.0 : 0.0;
      for (uint64_t b = 0; b < 4; ++b) {
        double got = 0, want = 0;
        for (uint64_t r = 0; r < nr; ++r)
          got += out.values[b * nr + r] * s[r];
        for (uint64_t a = 0; a < 5; ++a) {
          int d = p.delays[b * 5 + a];
          if (t >= d)
            want += double(p.weights[b * 5 + a]) * x[t - d][a];
        }
        EXPECT_NEAR(got, want, 1e-9)
            << "seed " << seed << " step " << t << " target " << b;
      }
    }
  }
}

// Rockpool's form nests the relays and their loop in a graph of four nodes;
// Sinabs's writes Affine with a zero bias for every weight node. The file
// reads back equal (the nested graph included), and nothing is added when a
// name is taken.
TEST(NirDelays, RelayedProjectionNestedAffineAndErrors) {
  NirSynapses p;
  p.targets = 2;
  p.sources = 3;
  p.weights = {0.5f, 0.0f, -0.25f, 0.75f, 0.0f, 0.0f};
  p.delays = {2, 7, 0, 1, 0, 0};
  p.bias = {0.125f, -0.5f};
  NirRelayNeuron relay = idealRelay();
  relay.nested = true;
  relay.affineOnly = true;
  NirGraph g = host(3, 2);
  auto stats = nirAddRelayedProjection(g, "fc", "in", "out", p, relay);
  ASSERT_TRUE(stats) << stats.status().message();
  // Source 1 has no weighted synapse (its delay 7 carries weight 0): no
  // relays; source 0 reaches delay 2, source 2 delay 0.
  EXPECT_EQ(stats->relays, 4u);
  EXPECT_EQ(stats->maxDelay, 2u);
  EXPECT_EQ(stats->nodes, 6u);
  const NirNode &sub = g.nodes.at("fc_relay");
  ASSERT_EQ(sub.kind, NirKind::Graph);
  EXPECT_EQ(sub.graph->nodes.size(), 4u);
  EXPECT_EQ(sub.graph->nodes.at("lif").kind, NirKind::IF);
  EXPECT_EQ(sub.graph->nodes.at("w_rec").kind, NirKind::Affine);
  EXPECT_EQ(g.node("fc_relay_rec"), nullptr);
  EXPECT_EQ(g.nodes.at("fc_relay_in").kind, NirKind::Affine);
  EXPECT_EQ(g.nodes.at("fc_relay_in").param("bias")->values,
            std::vector<double>(4, 0.0));
  EXPECT_EQ(g.nodes.at("fc").param("bias")->values,
            (std::vector<double>{0.125, -0.5}));
  // out[b, r]: r(0, 2) is relay 2, r(2, 0) relay 3.
  EXPECT_EQ(weightOf(g, "fc").values,
            (std::vector<double>{0, 0, 0.5, -0.25, 0, 0.75, 0, 0}));
  std::string path =
      ::testing::TempDir() + "relayed-" + std::to_string(getpid()) + ".nir";
  ASSERT_TRUE(writeNir(path, g));
  auto back = readNir(path);
  std::remove(path.c_str());
  ASSERT_TRUE(back) << back.status().message();
  back->version = g.version;
  NirGraph expected = g; // the writer adds IF's default v_reset = 0
  applyNirDefaults(expected);
  EXPECT_TRUE(*back == expected);

  NirGraph taken = host(3, 2);
  taken.nodes["fc_relay_rec"] = io(NirKind::Output, 1);
  auto st = nirAddRelayedProjection(taken, "fc", "in", "out", p, idealRelay());
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("node name 'fc_relay_rec' is already "
                                       "taken"),
            std::string::npos);
  EXPECT_EQ(taken.node("fc"), nullptr);
  p.weights.assign(6, 0.0f);
  st = nirAddRelayedProjection(taken, "fd", "in", "out", p, idealRelay());
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("nothing to relay"), std::string::npos);
}

// snnc's importer reads its own expanded form back: the relay layer becomes
// the plain form again, weights bit for bit and each weighted synapse's
// delay exact, the bias on the delay-0 node; Rockpool's nested form after
// flattening too. A graph so named that breaks the structure is an error.
TEST(NirDelays, RelaysCollapseBackToThePlainForm) {
  for (bool nested : {false, true}) {
    NirSynapses p = randomSynapses(4, 5, 6, true, 11);
    NirRelayNeuron relay = idealRelay();
    relay.nested = nested;
    NirGraph g = host(5, 4);
    ASSERT_TRUE(nirAddRelayedProjection(g, "fc", "in", "out", p, relay));
    auto flat = flattenNir(g);
    ASSERT_TRUE(flat) << flat.status().message();
    auto notes = nirCollapseRelays(*flat, kDt);
    ASSERT_TRUE(notes) << notes.status().message();
    ASSERT_EQ(notes->size(), 1u);
    EXPECT_NE((*notes)[0].find("read back as the per-synapse delays (up to 6 "
                               "steps) of projection 'fc'"),
              std::string::npos)
        << (*notes)[0];
    EXPECT_EQ(flat->node("fc_relay"), nullptr);
    EXPECT_EQ(flat->node("fc_relay_in"), nullptr);
    auto q = nirCollectDelayedProjection(*flat, "in", "out", kDt);
    ASSERT_TRUE(q) << q.status().message();
    for (size_t i = 0; i < p.weights.size(); ++i) {
      EXPECT_TRUE(sameBits(q->weights[i], p.weights[i])) << i;
      if (p.weights[i] != 0.0f)
        EXPECT_EQ(q->delays[i], p.delays[i]) << i;
    }
    EXPECT_EQ(q->bias, p.bias);
  }

  NirSynapses p = randomSynapses(3, 3, 4, false, 5);
  NirGraph g = host(3, 3);
  ASSERT_TRUE(nirAddRelayedProjection(g, "fc", "in", "out", p, idealRelay()));
  // One relay driven twice: not a shift register.
  NirArray &rec = g.nodes.at("fc_relay_rec").params.at("weight");
  uint64_t nr = rec.shape[0];
  rec.values[(nr - 1) * nr] = 2.0;
  auto notes = nirCollapseRelays(g, kDt);
  ASSERT_FALSE(notes);
  EXPECT_NE(notes.status().message().find(
                "node 'fc_relay' looks like snnc's delay-expanded form of "
                "projection 'fc' but relay "),
            std::string::npos)
      << notes.status().message();
  // A neuron merely named like a relay, without the relay's weight nodes
  // and loop, is left alone; nothing named so: nothing changes.
  NirGraph foreign = host(3, 3);
  NirNode lif(NirKind::IF);
  lif.params["r"] = NirArray::filled(3, 1.0);
  lif.params["v_threshold"] = NirArray::filled(3, 1.0);
  foreign.nodes["x_relay"] = lif;
  foreign.edges = {{"in", "x_relay"}, {"x_relay", "out"}};
  NirGraph foreignBefore = foreign;
  auto left = nirCollapseRelays(foreign, kDt);
  ASSERT_TRUE(left) << left.status().message();
  EXPECT_TRUE(left->empty());
  EXPECT_TRUE(foreign == foreignBefore);
  NirGraph plain = host(3, 3);
  ASSERT_TRUE(nirAddDelayedProjection(plain, "fc", "in", "out", p, kDt));
  NirGraph before = plain;
  auto none = nirCollapseRelays(plain, kDt);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(plain == before);
}
