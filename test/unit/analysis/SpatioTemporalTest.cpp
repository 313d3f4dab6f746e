//===- SpatioTemporalTest.cpp - The E/I grouping number on known structure ===//
//
// Constructed models whose sign-grouping number is known in closed form:
// block signs on a diagonal field (every neighbour pair but one shares a
// sign), alternating signs (none does), and the shuffled baseline of a path
// of 20 E and 20 I sources (P(same) = 2 * 20 * 19 / (40 * 39)); random
// source signs on random structure stay within the baseline's spread.
//
//===----------------------------------------------------------------------===//

#include "snnrt/analysis/AnalysisReport.h"
#include "snnrt/analysis/SpatioTemporal.h"
#include "snnrt/base/Random.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace snnrt;

namespace {

/// input(40) -> hidden(8), every synapse present with delay c / 4 (so
/// channels c and c+1 are always within one delay step), sign per channel
/// from `signOf`, and one inactive (zero) synapse per neuron.
Model diagonalModel(int (*signOf)(uint32_t), uint32_t neurons = 8) {
  Model m;
  m.steps = 20;
  Population in;
  in.name = "input";
  in.kind = PopulationKind::Input;
  in.size = 40;
  Population h;
  h.name = "hidden";
  h.kind = PopulationKind::Lif;
  h.size = neurons;
  m.populations = {in, h};
  m.outputs = {"hidden"};
  Projection p;
  p.name = "fc1";
  p.source = "input";
  p.target = "hidden";
  p.maxDelay = 10;
  for (uint32_t r = 0; r < neurons; ++r)
    for (uint32_t c = 0; c < 40; ++c) {
      p.weights.push_back(0.5f + 0.01f * float(r + c));
      p.delays.push_back(int32_t(c / 4));
    }
  for (uint32_t c = 0; c < 40; ++c)
    p.signs.push_back(int8_t(signOf(c)));
  m.projections = {p};
  return m;
}

int blockSign(uint32_t c) { return c < 20 ? 1 : -1; }
int alternatingSign(uint32_t c) { return c % 2 ? -1 : 1; }

} // namespace

TEST(SpatioTemporal, BlockSignsGroupAboveTheShuffledBaseline) {
  Model m = diagonalModel(blockSign);
  ASSERT_TRUE(m.validate());
  GroupingOptions o;
  o.shuffles = 400;
  auto a = analyzeProjection(m, 0, o);
  ASSERT_TRUE(a.hasValue()) << a.status().message();
  // Per neuron 39 neighbour pairs (c, c+1), of which only (19, 20) differ.
  EXPECT_EQ(a->grouping.pairs, 8u * 39);
  EXPECT_EQ(a->grouping.samePairs, 8u * 38);
  EXPECT_DOUBLE_EQ(a->grouping.sameFraction, 38.0 / 39.0);
  EXPECT_NEAR(a->grouping.shuffledMean, 760.0 / 1560.0, 0.02);
  // One permutation of the sources per draw, shared by all 8 neurons: the
  // spread is that of one path of 39 pairs (about 0.08), so z is about 6.
  EXPECT_NEAR(a->grouping.shuffledStd, 0.08, 0.025);
  EXPECT_GT(a->grouping.zScore, 4.0);
  EXPECT_EQ(a->excitatory, 8u * 20);
  EXPECT_EQ(a->inhibitory, 8u * 20);
  EXPECT_EQ(a->fields[3].size(), 40u);
  EXPECT_EQ(a->fields[3][21].delay, 5u);
  EXPECT_LT(a->fields[3][21].weight, 0.0f);
  // Mean delays: E on channels 0-19 (delays 0-4), I on 20-39 (5-9).
  EXPECT_DOUBLE_EQ(a->meanDelayExc, 2.0);
  EXPECT_DOUBLE_EQ(a->meanDelayInh, 7.0);
}

TEST(SpatioTemporal, AlternatingSignsGroupBelowTheBaseline) {
  Model m = diagonalModel(alternatingSign);
  auto a = analyzeProjection(m, 0, GroupingOptions());
  ASSERT_TRUE(a.hasValue());
  EXPECT_EQ(a->grouping.samePairs, 0u);
  EXPECT_LT(a->grouping.zScore, -4.0);
}

// The null: random source signs on a random structure (random delays, a
// random half of the synapses) give z-scores spread like N(0, 1) over seeds,
// not the large values a per-neuron shuffle would report.
TEST(SpatioTemporal, RandomSignsStayWithinTheBaseline) {
  double sum2 = 0;
  const int trials = 40;
  for (int t = 0; t < trials; ++t) {
    Rng rng(1000 + t);
    Model m = diagonalModel(blockSign, 64);
    Projection &p = m.projections[0];
    for (auto &s : p.signs)
      s = rng.uniform() < 0.5 ? 1 : -1;
    for (auto &d : p.delays)
      d = int32_t(rng.below(10));
    p.mask.assign(p.weights.size(), 0);
    for (auto &b : p.mask)
      b = rng.uniform() < 0.5;
    GroupingOptions o;
    o.delayRadius = 3;
    o.shuffles = 100;
    o.seed = uint64_t(t);
    auto a = analyzeProjection(m, 0, o);
    ASSERT_TRUE(a.hasValue());
    sum2 += a->grouping.zScore * a->grouping.zScore;
  }
  // E[z^2] = 1 under the null; a per-neuron shuffle (ignoring that the 64
  // targets share their sources' signs) gives about 8 here.
  EXPECT_LT(sum2 / trials, 2.0);
  EXPECT_GT(sum2 / trials, 0.3);
}

TEST(SpatioTemporal, MaskedAndZeroSynapsesDoNotCount) {
  Model m = diagonalModel(blockSign);
  Projection &p = m.projections[0];
  p.mask.assign(p.weights.size(), 1);
  // Drop channel 20 of every neuron by mask and channel 19 by a zero weight:
  // the (19, 20) and (20, 21), (18, 19) pairs disappear, all others share a
  // sign.
  for (uint32_t r = 0; r < 8; ++r) {
    p.mask[r * 40 + 20] = 0;
    p.weights[r * 40 + 19] = 0.0f;
  }
  auto a = analyzeProjection(m, 0, GroupingOptions());
  ASSERT_TRUE(a.hasValue());
  EXPECT_EQ(a->synapses, 8u * 38);
  EXPECT_EQ(a->grouping.pairs, 8u * 36);
  EXPECT_EQ(a->grouping.samePairs, 8u * 36);
}

TEST(SpatioTemporal, ReportFilesCarryTheNumber) {
  Model m = diagonalModel(blockSign);
  GroupingOptions o;
  auto a = analyzeProjection(m, 0, o);
  ASSERT_TRUE(a.hasValue());
  char tmpl[] = "/tmp/snnrt-analyze-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = std::string(tmpl) + "/out";
  AnalysisReportOptions ro;
  ro.modelPath = "constructed";
  ASSERT_TRUE(writeAnalysisReport(m, {*a}, dir, ro));
  std::ifstream js(dir + "/analysis.json"), html(dir + "/analysis.html");
  ASSERT_TRUE(js && html);
  std::stringstream j, h;
  j << js.rdbuf();
  h << html.rdbuf();
  EXPECT_NE(j.str().find("\"same_pairs\": 304"), std::string::npos);
  EXPECT_NE(j.str().find("\"same_fraction\": 0.974359"), std::string::npos);
  EXPECT_NE(h.str().find("<svg"), std::string::npos);
  EXPECT_EQ(h.str().find("<script"), std::string::npos); // self-contained
  for (const char *f :
       {"/analysis.json", "/analysis.html", "/population_fc1.svg",
        "/delays_fc1.svg", "/neurons_fc1.svg"})
    std::remove((dir + f).c_str());
  rmdir(dir.c_str());
  rmdir(tmpl);
}
