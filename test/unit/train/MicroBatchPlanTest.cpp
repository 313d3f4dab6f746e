//===- MicroBatchPlanTest.cpp - Micro-batches, ranks and gathered slots ---===//
//
// The host logic of data-parallel training on GPUs (docs/training.md,
// "Data-parallel training on GPUs"): which rank computes which micro-batch,
// where each micro-batch's slot lies in the bytes the ranks gather, and that
// adding the slots in micro-batch order gives the same bits for any number
// of ranks (the GPU kernel reads the same offsets and weights). Which GPU a
// rank takes. No GPU needed.
//
//===----------------------------------------------------------------------===//

#include "snnrt/train/MicroBatchPlan.h"
#include "snnrt/train/CudaCollective.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <vector>

using namespace snnrt;

namespace {

// Every (B, M, N) of a small range: the ranks' runs are consecutive, cover
// every micro-batch once, in rank order, and fit the slots of a block.
TEST(MicroBatchPlan, RanksOwnConsecutiveRunsThatFitTheirSlots) {
  for (size_t B = 1; B <= 40; ++B)
    for (size_t M = 1; M <= 9; ++M)
      for (size_t N = 1; N <= 5; ++N) {
        const MicroBatchPlan p(B, M, N);
        SCOPED_TRACE("B=" + std::to_string(B) + " M=" + std::to_string(M) +
                     " N=" + std::to_string(N));
        ASSERT_EQ(p.count, (B + M - 1) / M);
        EXPECT_EQ(p.first(0), 0u);
        EXPECT_EQ(p.last(N - 1), p.count);
        size_t most = 0, samples = 0;
        for (size_t r = 0; r < N; ++r) {
          ASSERT_LE(p.first(r), p.last(r));
          if (r + 1 < N) {
            EXPECT_EQ(p.last(r), p.first(r + 1));
          }
          most = std::max(most, p.last(r) - p.first(r));
          for (size_t k = p.first(r); k < p.last(r); ++k)
            EXPECT_EQ(p.owner(k), r) << "k=" << k;
        }
        EXPECT_EQ(most, p.slotsPerRank());
        std::set<size_t> slots;
        for (size_t k = 0; k < p.count; ++k) {
          const size_t s = p.slotOf(k);
          EXPECT_LT(s, N * p.slotsPerRank());
          EXPECT_EQ(s / p.slotsPerRank(), p.owner(k));
          EXPECT_TRUE(slots.insert(s).second) << "slot " << s << " twice";
          EXPECT_GE(p.samples(k), 1u);
          EXPECT_LE(p.samples(k), M);
          if (k + 1 < p.count) {
            EXPECT_EQ(p.samples(k), M);
          }
          samples += p.samples(k);
        }
        EXPECT_EQ(samples, B);
      }
}

// What the CPU path computes: weights m_k / B (the last micro-batch of a
// short batch weighs less).
TEST(MicroBatchPlan, WeightsAreTheMicroBatchShares) {
  const MicroBatchPlan p(10, 4, 3);
  ASSERT_EQ(p.count, 3u);
  EXPECT_EQ(p.weight(0), 0.4);
  EXPECT_EQ(p.weight(1), 0.4);
  EXPECT_EQ(p.weight(2), 0.2);
  // More ranks than micro-batches: some ranks compute none.
  const MicroBatchPlan q(8, 4, 4);
  ASSERT_EQ(q.count, 2u);
  EXPECT_EQ(q.slotsPerRank(), 1u);
  EXPECT_EQ(q.first(0), q.last(0));
  EXPECT_EQ(q.owner(0), 1u);
  EXPECT_EQ(q.owner(1), 3u);
}

TEST(GatherLayout, SlotsAreAlignedAndDisjoint) {
  for (size_t floats : {0, 1, 3, 4, 1000})
    for (size_t doubles : {0, 2, 7})
      for (size_t spr : {1, 2, 5})
        for (size_t N : {1, 2, 3}) {
          GatherLayout l{floats, doubles, spr};
          EXPECT_EQ(l.floatBytes() % 8, 0u);
          EXPECT_GE(l.floatBytes(), floats * sizeof(float));
          EXPECT_LT(l.floatBytes(), floats * sizeof(float) + 8);
          // Byte ranges: every header and slot, none overlapping.
          std::vector<std::pair<size_t, size_t>> ranges;
          for (size_t r = 0; r < N; ++r)
            ranges.push_back({l.headerOffset(r), GatherLayout::kHeaderBytes});
          for (size_t s = 0; s < N * spr; ++s) {
            EXPECT_EQ(l.slotOffset(s) % 8, 0u);
            ranges.push_back({l.slotOffset(s), l.slotBytes()});
          }
          std::sort(ranges.begin(), ranges.end());
          for (size_t i = 0; i < ranges.size(); ++i) {
            EXPECT_LE(ranges[i].first + ranges[i].second, N * l.rankBytes());
            if (i + 1 < ranges.size()) {
              EXPECT_LE(ranges[i].first + ranges[i].second,
                        ranges[i + 1].first);
            }
          }
        }
}

/// What N ranks gather: each writes its micro-batches' floats and doubles
/// into its block's slots (rankBytes each, in rank order), as
/// DeviceGather::setSlot* and CudaEngine::copyGradients do.
std::vector<unsigned char>
gathered(const MicroBatchPlan &p, const GatherLayout &l,
         const std::vector<std::vector<float>> &floats,
         const std::vector<std::vector<double>> &doubles) {
  std::vector<unsigned char> buf(p.ranks * l.rankBytes(), 0);
  for (size_t r = 0; r < p.ranks; ++r) {
    uint64_t hash = 0xABC0 + r;
    std::memcpy(buf.data() + l.headerOffset(r), &hash, sizeof hash);
    for (size_t k = p.first(r); k < p.last(r); ++k) {
      unsigned char *slot =
          buf.data() + r * l.rankBytes() + l.slotInRank(k - p.first(r));
      std::memcpy(slot, floats[k].data(), floats[k].size() * sizeof(float));
      std::memcpy(slot + l.floatBytes(), doubles[k].data(),
                  doubles[k].size() * sizeof(double));
    }
  }
  return buf;
}

/// DeviceGather::sumFloats's arithmetic on the host: slots in micro-batch
/// order at the plan's offsets, acc + w_k * x in double from 0.
std::vector<float> sumSlots(const MicroBatchPlan &p, const GatherLayout &l,
                            const std::vector<unsigned char> &buf) {
  std::vector<float> out(l.floats);
  for (size_t i = 0; i < l.floats; ++i) {
    double acc = 0.0;
    for (size_t k = 0; k < p.count; ++k) {
      float x;
      std::memcpy(&x, buf.data() + l.slotOffset(p.slotOf(k)) + i * sizeof x,
                  sizeof x);
      acc += p.weight(k) * double(x);
    }
    out[i] = float(acc);
  }
  return out;
}

// The point of the layout: the gathered slots, read in micro-batch order,
// give the same bits for N = 1 .. 5 ranks, and the same as the CPU path's
// chain (a buffer passed from rank to rank, each adding its micro-batches).
TEST(GatherLayout, SumsInMicroBatchOrderDoNotDependOnTheRanks) {
  const size_t B = 27, M = 4, F = 257, D = 3;
  std::mt19937 rng(11);
  std::normal_distribution<float> g(0.0f, 1e-3f);
  const size_t K = (B + M - 1) / M;
  std::vector<std::vector<float>> floats(K, std::vector<float>(F));
  std::vector<std::vector<double>> doubles(K, std::vector<double>(D));
  for (size_t k = 0; k < K; ++k) {
    for (auto &x : floats[k])
      x = g(rng) * float(1 + k * 1000); // magnitudes apart: order matters
    for (size_t d = 0; d < D; ++d)
      doubles[k][d] = double(k) * 10 + double(d);
  }
  // The chain's sums (Trainer's microBatchStep with any number of ranks).
  std::vector<double> chain(F, 0.0);
  const MicroBatchPlan one(B, M, 1);
  for (size_t k = 0; k < K; ++k)
    for (size_t i = 0; i < F; ++i)
      chain[i] += one.weight(k) * double(floats[k][i]);
  // Any other order of addition gives other bits here (the test can fail).
  std::vector<double> reversed(F, 0.0);
  for (size_t k = K; k-- > 0;)
    for (size_t i = 0; i < F; ++i)
      reversed[i] += one.weight(k) * double(floats[k][i]);
  size_t differ = 0;
  for (size_t i = 0; i < F; ++i)
    differ += float(chain[i]) != float(reversed[i]);
  ASSERT_GT(differ, 0u);

  for (size_t N = 1; N <= 5; ++N) {
    SCOPED_TRACE("N=" + std::to_string(N));
    const MicroBatchPlan p(B, M, N);
    const GatherLayout l{F, D, p.slotsPerRank()};
    auto buf = gathered(p, l, floats, doubles);
    auto sums = sumSlots(p, l, buf);
    for (size_t i = 0; i < F; ++i)
      ASSERT_EQ(sums[i], float(chain[i])) << "i=" << i;
    // Every micro-batch's doubles and every rank's hash come back.
    for (size_t k = 0; k < K; ++k) {
      double d[D];
      std::memcpy(d, buf.data() + l.slotOffset(p.slotOf(k)) + l.floatBytes(),
                  sizeof d);
      for (size_t j = 0; j < D; ++j)
        EXPECT_EQ(d[j], doubles[k][j]);
    }
    for (size_t r = 0; r < N; ++r) {
      uint64_t h;
      std::memcpy(&h, buf.data() + l.headerOffset(r), sizeof h);
      EXPECT_EQ(h, 0xABC0 + r);
    }
  }
}

TEST(RankDevice, LocalRankTakesItsGpu) {
  EXPECT_EQ(*rankDevice(0, 2, 2), 0);
  EXPECT_EQ(*rankDevice(1, 2, 2), 1);
  EXPECT_EQ(*rankDevice(1, 2, 8), 1);
  // A launcher that gives each rank its own GPU (CUDA_VISIBLE_DEVICES).
  EXPECT_EQ(*rankDevice(3, 4, 1), 0);
  auto tooMany = rankDevice(2, 3, 2);
  ASSERT_FALSE(tooMany.hasValue());
  EXPECT_NE(tooMany.status().message().find("3 ranks on this machine but 2 "
                                            "GPUs visible"),
            std::string::npos)
      << tooMany.status().message();
  EXPECT_FALSE(rankDevice(0, 1, 0).hasValue());
}

TEST(RankDevice, RanksSharingAGpuAreFound) {
  EXPECT_EQ(rankSharingGpu({1, 2, 3}, 0), -1);
  EXPECT_EQ(rankSharingGpu({1, 2, 3}, 2), -1);
  EXPECT_EQ(rankSharingGpu({7, 2, 7}, 0), 2);
  EXPECT_EQ(rankSharingGpu({7, 2, 7}, 2), 0);
  EXPECT_EQ(rankSharingGpu({5}, 0), -1);
}

} // namespace
