//===- CudaCollective.h - Micro-batch sums between GPUs --------*- C++ -*-===//
//
// The reduction of a micro-batched run on cuda (docs/training.md,
// "Data-parallel training on GPUs"). Each rank owns one GPU; it writes every
// micro-batch it computes into a slot of its block (GatherLayout), on the
// GPU. gather() concatenates the blocks of all ranks on every rank: one
// ncclAllGather between GPUs, a copy in a run of one rank (which needs no
// NCCL). sumFloats() then adds the K slots' floats in micro-batch order on
// this GPU, in double with the weights m_k / B and no fused multiply-add —
// the arithmetic of the CPU path's chain — so every rank, whatever their
// number, forms the same sums. NCCL's own reductions are not used: their
// order of addition depends on the number of ranks and on NCCL's algorithm.
//
// The host Collective (MPI) starts the ranks, hands NCCL its unique id and
// tells each rank its place on its machine (its GPU is the local rank's).
// NCCL lives behind this interface in CudaCollective.cu alone. A build
// without the CUDA backend compiles CudaTrainStubs.cpp instead, whose entry
// points refuse with cudaNotBuiltMessage() (a CPU-only build, not unfinished
// work); several ranks on cuda without NCCL are refused by TrainCommand.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/MicroBatchPlan.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace snnrt {

/// The GPU that local rank `localRank` of `localSize` on a machine with
/// `visible` GPUs trains on: its own index, or 0 when the launcher gave each
/// rank one GPU of its own (CUDA_VISIBLE_DEVICES, `visible` = 1). Errors:
/// more ranks on the machine than GPUs (NCCL cannot put two ranks on one
/// GPU), or none visible.
Expected<int> rankDevice(int localRank, int localSize, int visible);

/// Given every rank's key of the GPU it chose (machine and PCI bus, hashed;
/// in rank order): the first other rank that chose the same GPU as `rank`,
/// or -1. Two ranks on one GPU would fail inside NCCL's set-up with a
/// message that does not say which ranks.
int rankSharingGpu(const std::vector<uint64_t> &keys, int rank);

class DeviceGather {
public:
  /// For the ranks of `ranks`: one rank needs nothing; several select their
  /// GPU (rankDevice) and create an NCCL communicator over them, rank 0's
  /// unique id broadcast through `ranks`. Collective: every rank calls it.
  /// Errors: several ranks in a build without NCCL; NCCL's, named.
  static Expected<std::unique_ptr<DeviceGather>> create(Collective &ranks);
  ~DeviceGather();

  int size() const;
  /// The GPU this rank uses (create selected it).
  int device() const;

  /// Sizes the buffers for `layout` and zeroes this rank's block.
  Status prepare(const GatherLayout &layout);
  /// Device address of the floats of this rank's slot j, for the engine to
  /// copy a micro-batch's gradients into (CudaEngine::copyGradients).
  float *slotFloats(size_t j);
  /// Host values into this rank's slot j: floats from `at` on, the doubles.
  Status setSlotFloats(size_t j, size_t at, const std::vector<float> &values);
  Status setSlotDoubles(size_t j, const std::vector<double> &values);
  Status setHash(uint64_t hash);

  /// Every rank's block, in rank order, on every rank's GPU.
  Status gather();
  /// After gather(): the layout's floats summed over the plan's micro-batches
  /// k = 0 .. K-1 in that order, acc = acc + w_k * double(x_k) from 0 in
  /// double, then rounded to float.
  Status sumFloats(const MicroBatchPlan &plan, std::vector<float> &sums);
  /// After gather(): the doubles of every micro-batch, K x layout.doubles, in
  /// micro-batch order; and every rank's hash.
  Status slotDoubles(const MicroBatchPlan &plan, std::vector<double> &out);
  Status hashes(std::vector<uint64_t> &out);

  struct Impl;

private:
  explicit DeviceGather(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace snnrt
