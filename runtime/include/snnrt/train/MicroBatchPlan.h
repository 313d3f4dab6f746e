//===- MicroBatchPlan.h - Which rank computes which micro-batch -*- C++ -*-===//
//
// Data-parallel training cuts a batch of B samples into K micro-batches of M
// (the last one smaller) and gives rank r of N the consecutive run
// [floor(Kr/N), floor(K(r+1)/N)) (docs/training.md, "Data-parallel
// training"). On the CPU the ranks add their micro-batches into one buffer
// passed along a chain (Collective::chain). Between GPUs (NCCL) every rank
// instead writes each of its micro-batches' partial sums into a slot of its
// own block, the ranks gather all blocks (ncclAllGather), and every rank adds
// the K slots in micro-batch order: GatherLayout says where each slot lies
// in the gathered bytes. Both orders of addition are k = 0, 1, ..., K-1
// whatever N is, so the model does not depend on N.
//
// Host logic only (no CUDA), unit-tested in test/unit/train.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>

namespace snnrt {

struct MicroBatchPlan {
  size_t batch = 0; ///< B: samples in this batch
  size_t micro = 0; ///< M: samples per micro-batch
  size_t ranks = 1; ///< N
  size_t count = 0; ///< K = ceil(B / M)

  /// Needs batch, micro, ranks > 0.
  MicroBatchPlan(size_t batch, size_t micro, size_t ranks);

  /// Rank r's micro-batches: [first(r), last(r)), possibly empty (K < N).
  size_t first(size_t rank) const { return count * rank / ranks; }
  size_t last(size_t rank) const { return count * (rank + 1) / ranks; }
  /// The rank computing micro-batch k (k < count).
  size_t owner(size_t k) const;
  /// Samples of micro-batch k and its weight in the batch's mean, m_k / B.
  size_t samples(size_t k) const;
  double weight(size_t k) const;
  /// The most micro-batches any rank computes: ceil(K / N). Every rank's
  /// block of gathered slots has this many (the last unused by some).
  size_t slotsPerRank() const;
  /// Where micro-batch k's slot lies among the N * slotsPerRank() gathered
  /// slots: its rank's block, then its place in that rank's run.
  size_t slotOf(size_t k) const;
};

/// The bytes of one rank's block in the gathered buffer: an 8-byte header
/// (the rank's network hash, compared before every step), then
/// `slotsPerRank` slots of `floats` floats (the micro-batch's gradients, then
/// its slot gradients for RigL) padded to 8 bytes, followed by `doubles`
/// doubles (its loss, its count of correct predictions, its BatchNorm means
/// and variances).
struct GatherLayout {
  size_t floats = 0, doubles = 0, slotsPerRank = 0;

  size_t floatBytes() const { return (floats * sizeof(float) + 7) / 8 * 8; }
  size_t slotBytes() const { return floatBytes() + doubles * sizeof(double); }
  static constexpr size_t kHeaderBytes = 8;
  size_t rankBytes() const { return kHeaderBytes + slotsPerRank * slotBytes(); }
  /// Offset of slot j (< slotsPerRank) within its rank's block.
  size_t slotInRank(size_t j) const { return kHeaderBytes + j * slotBytes(); }
  /// Offset in the gathered buffer of global slot s (MicroBatchPlan::slotOf)
  /// and of rank r's header.
  size_t slotOffset(size_t s) const {
    return (s / slotsPerRank) * rankBytes() + slotInRank(s % slotsPerRank);
  }
  size_t headerOffset(size_t rank) const { return rank * rankBytes(); }
};

} // namespace snnrt
