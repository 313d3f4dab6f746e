//===- MappingTest.cpp - Partitioning, traffic and placement --------------===//

#include "snnc/Mapping/Mapping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

using namespace snnc::mapping;

namespace {

/// `inputs` channels feed `n` neurons; neuron i listens to `fanIn` channels
/// starting at (i * step) % inputs, and neuron i > 0 also to neuron i − 1.
Graph chain(int64_t inputs, int64_t n, int64_t fanIn, int64_t step) {
  Graph g;
  g.numNeurons = n;
  g.sourceNeuron.assign(inputs + n, -1);
  for (int64_t i = 0; i < n; ++i)
    g.sourceNeuron[inputs + i] = int32_t(i);
  g.sourceRate.assign(inputs + n, 1.0);
  g.inPtr.push_back(0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < fanIn; ++k)
      g.inSource.push_back(int32_t((i * step + k) % inputs));
    if (i > 0)
      g.inSource.push_back(int32_t(inputs + i - 1));
    g.inPtr.push_back(int64_t(g.inSource.size()));
  }
  return g;
}

void expectFits(const Graph &g, const Partition &p, const Capacity &cap) {
  ASSERT_EQ(int64_t(p.coreOf.size()), g.numNeurons);
  for (const Load &l : computeLoads(g, p)) {
    EXPECT_LE(l.neurons, cap.neurons);
    EXPECT_LE(l.axons, cap.axons);
    EXPECT_LE(l.synapses, cap.synapses);
  }
}

TEST(Mapping, LowerBoundTakesTheTightestResource) {
  Graph g = chain(8, 10, 3, 1); // 10 neurons, 39 synapses, 17 sources
  EXPECT_EQ(coreLowerBound(g, {4, 100, 100}), 3);  // neurons
  EXPECT_EQ(coreLowerBound(g, {100, 100, 10}), 4); // synapses
  EXPECT_EQ(coreLowerBound(g, {100, 4, 100}), 5);  // 17 sources / 4 axons
}

TEST(Mapping, SequentialFillOpensACoreOnEachLimit) {
  Graph g = chain(8, 10, 3, 1);
  Capacity byNeurons{4, 100, 100};
  Partition p = partitionSequential(g, byNeurons);
  EXPECT_EQ(p.numCores, 3);
  EXPECT_EQ(p.coreOf, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2}));
  // Axons: neuron 0 uses channels 0-2 (3 axons); neuron 1 adds channel 3
  // and neuron 0 (5); neuron 2 would add channel 4 and neuron 1 (7 > 6).
  Capacity byAxons{100, 6, 100};
  p = partitionSequential(g, byAxons);
  EXPECT_EQ(p.coreOf[0], 0);
  EXPECT_EQ(p.coreOf[1], 0);
  EXPECT_EQ(p.coreOf[2], 1);
  expectFits(g, p, byAxons);
}

TEST(Mapping, DistinctFanInCountsRepeatedSourcesOnce) {
  Graph g;
  g.numNeurons = 1;
  g.sourceNeuron = {-1, -1, 0};
  g.sourceRate = {1, 1, 1};
  g.inPtr = {0, 4};
  g.inSource = {0, 1, 0, 1}; // two projections from the same channels
  EXPECT_EQ(distinctFanIn(g), (std::vector<int64_t>{2}));
}

TEST(Mapping, MetisPartitionsFitAndNeverLoseToSequential) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 5; ++trial) {
    Graph g = chain(64, 300 + 50 * trial, 6, 1 + trial);
    Capacity cap{32, 48, 200};
    Mesh mesh{4, 4, 16};
    Result metis, seq;
    std::string error;
    ASSERT_TRUE(mapGraph(g, cap, mesh, 1000, true, metis, error)) << error;
    ASSERT_TRUE(mapGraph(g, cap, mesh, 1000, false, seq, error)) << error;
    expectFits(g, metis.partition, cap);
    expectFits(g, seq.partition, cap);
    EXPECT_GE(metis.partition.numCores, coreLowerBound(g, cap));
    EXPECT_LE(metis.partition.numCores, seq.partition.numCores);
    if (metis.partition.numCores == seq.partition.numCores)
      EXPECT_LE(metis.traffic.total, seq.traffic.total);
  }
}

/// Two layers of `half` neurons over `inputs` channels; each neuron takes
/// `fanIn` distinct sources from a window of 4·fanIn around its position in
/// the layer below, and each layer's neurons are numbered at random (as
/// bench/mapping.cpp --shuffle): local structure that neuron order hides.
Graph shuffledLocal(int64_t inputs, int64_t half, int64_t fanIn,
                    unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<int64_t> place(2 * half);
  for (int64_t i = 0; i < 2 * half; ++i)
    place[i] = i;
  std::shuffle(place.begin(), place.begin() + half, rng);
  std::shuffle(place.begin() + half, place.end(), rng);
  std::vector<int64_t> inverse(half);
  for (int64_t n = 0; n < half; ++n)
    inverse[place[n]] = n;
  Graph g;
  g.numNeurons = 2 * half;
  g.sourceNeuron.assign(inputs + 2 * half, -1);
  for (int64_t n = 0; n < 2 * half; ++n)
    g.sourceNeuron[inputs + n] = int32_t(n);
  g.sourceRate.assign(g.sourceNeuron.size(), 1.0);
  g.inPtr.push_back(0);
  for (int64_t n = 0; n < 2 * half; ++n) {
    bool first = n < half;
    int64_t below = first ? inputs : half;
    int64_t pos = (first ? place[n] : place[n] - half) * below / half;
    int64_t window = std::min(below, 4 * fanIn);
    int64_t start = std::clamp<int64_t>(pos - window / 2, 0, below - window);
    std::vector<int64_t> w(window);
    for (int64_t i = 0; i < window; ++i)
      w[i] = i;
    std::shuffle(w.begin(), w.end(), rng);
    for (int64_t i = 0; i < fanIn; ++i)
      g.inSource.push_back(int32_t(first ? start + w[i]
                                         : inputs + inverse[start + w[i]]));
    g.inPtr.push_back(int64_t(g.inSource.size()));
  }
  return g;
}

TEST(Mapping, SparsifiedMetisGraphFitsAndBeatsSequentialOnShuffledNetwork) {
  // 4000 neurons, 24 sources each: 96 000 pairs. With a budget of 40 000
  // pairs each neuron keeps 10 of its 24 sources for METIS's objective,
  // while the parts are still checked (and repaired) against every synapse.
  Graph g = shuffledLocal(400, 2000, 24, 5);
  Capacity cap{128, 384, 3000};
  MetisOptions sparse;
  sparse.maxPairs = sparse.keepPairs = 40000;
  MetisResult m;
  std::string error;
  ASSERT_TRUE(partitionMetis(g, cap, 10000, m, error, sparse)) << error;
  EXPECT_EQ(m.degreeCap, 10);
  EXPECT_EQ(m.keptPairs, 10 * g.numNeurons);
  EXPECT_GT(m.graphPairs, 2 * m.keptPairs);
  expectFits(g, m.partition, cap);
  Partition seq = partitionSequential(g, cap);
  int64_t lower = coreLowerBound(g, cap);
  EXPECT_GE(m.partition.numCores, lower);
  EXPECT_LE(m.partition.numCores, seq.numCores);
  EXPECT_LE(double(m.partition.numCores), 1.25 * double(lower));
  double sparseTraffic = computeTraffic(g, m.partition).total;
  EXPECT_LT(sparseTraffic, 0.5 * computeTraffic(g, seq).total);

  // The full graph (default budget): no sparsification, and the sparsified
  // graph's partition is not far behind it.
  MetisResult full;
  ASSERT_TRUE(partitionMetis(g, cap, 10000, full, error)) << error;
  EXPECT_EQ(full.degreeCap, 0);
  EXPECT_EQ(full.keptPairs, full.graphPairs);
  expectFits(g, full.partition, cap);
  EXPECT_LE(sparseTraffic, 1.5 * computeTraffic(g, full.partition).total);
}

TEST(Mapping, TrafficCountsOnePacketPerRemoteCore) {
  // Neuron 0 (core 0) feeds neurons 1, 2 (core 1) and 3 (core 2): one
  // packet to core 1 (multicast), one to core 2. Inputs are not counted.
  Graph g;
  g.numNeurons = 4;
  g.sourceNeuron = {-1, 0, 1, 2, 3};
  g.sourceRate = {9, 2.5, 1, 1, 1};
  g.inPtr = {0, 1, 2, 3, 4};
  g.inSource = {0, 1, 1, 1};
  Partition p{3, {0, 1, 1, 2}};
  Traffic t = computeTraffic(g, p);
  ASSERT_EQ(t.edges.size(), 2u);
  EXPECT_EQ(t.edges[0].dst, 1);
  EXPECT_EQ(t.edges[0].axons, 1);
  EXPECT_DOUBLE_EQ(t.edges[0].traffic, 2.5);
  EXPECT_EQ(t.edges[1].dst, 2);
  EXPECT_DOUBLE_EQ(t.total, 5.0);
}

TEST(Mapping, HopsPutChipsSideBySide) {
  Mesh mesh{2, 3, 6};
  EXPECT_EQ(hops({0, 0, 0}, {0, 2, 1}, mesh), 3);
  EXPECT_EQ(hops({0, 2, 0}, {1, 0, 0}, mesh), 1); // neighbouring chips
  EXPECT_EQ(hops({1, 1, 1}, {0, 1, 0}, mesh), 4);
}

TEST(Mapping, GreedyPlacementUsesDistinctSlotsAndShortensHops) {
  // A ring of 12 cores with traffic between neighbours, listed in a
  // scrambled order: row-major placement of that order is far from optimal.
  Traffic t;
  std::vector<int32_t> order = {0, 7, 3, 10, 5, 1, 8, 11, 2, 6, 9, 4};
  for (int i = 0; i < 12; ++i) {
    int32_t a = order[i], b = order[(i + 1) % 12];
    t.edges.push_back({a, b, 1, 1.0});
    t.total += 1;
  }
  Mesh mesh{4, 4, 16};
  auto greedy = placeCores(12, t, mesh, true);
  auto rowMajor = placeCores(12, t, mesh, false);
  std::set<std::tuple<int64_t, int64_t, int64_t>> slots;
  for (const Position &p : greedy) {
    EXPECT_TRUE(slots.insert({p.chip, p.x, p.y}).second);
    EXPECT_LT(p.x, 4);
    EXPECT_LT(p.y, 4);
  }
  EXPECT_LT(hopWeightedTraffic(t, greedy, mesh),
            hopWeightedTraffic(t, rowMajor, mesh));
}

} // namespace
