//===- Collective.h - The ranks of a data-parallel run ----------*- C++ -*-===//
//
// What data-parallel training needs from the processes it runs on: who this
// rank is, an ordered fold of a buffer through the ranks, a broadcast, a
// barrier, and a way to stop them all. MPI lives behind this interface in
// Collective.cpp alone (nothing else includes mpi.h); without MPI, or when
// the process was not started by an MPI launcher, the world is this process
// alone (size 1), so `snnc train` behaves as a plain process.
//
// There is deliberately no floating-point allreduce: an MPI_Allreduce adds
// in an order that depends on the number of ranks, and the trainer promises
// the same model bits for any number (docs/training.md, "Data-parallel
// training"). chain() adds in one fixed order instead.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace snnrt {

class Collective {
public:
  virtual ~Collective() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// This rank among the ranks on its own machine (0 .. localSize()-1), and
  /// how many they are: data-parallel training on GPUs gives local rank l
  /// the machine's GPU l.
  virtual int localRank() const = 0;
  virtual int localSize() const = 0;
  /// An ordered fold: `acc` (the same size on every rank) passes from rank 0
  /// to rank size()-1, each applying `step` to it in turn, and every rank
  /// ends with what the last one produced. When the ranks own consecutive
  /// runs of items in rank order and `step` adds its rank's items in order,
  /// the sum is formed in the same order whatever the number of ranks.
  virtual Status
  chain(std::vector<double> &acc,
        const std::function<void(std::vector<double> &)> &step) = 0;
  /// Every rank's `mine`, in rank order, on every rank.
  virtual Status allgather(uint64_t mine, std::vector<uint64_t> &all) = 0;
  /// `data` of rank `root` on every rank (the same size everywhere).
  virtual Status broadcast(std::vector<double> &data, int root) = 0;
  /// The same for bytes (NCCL's unique id, which rank 0 creates).
  virtual Status broadcastBytes(std::vector<uint8_t> &data, int root) = 0;
  virtual Status barrier() = 0;
  /// Ends every rank with `code`: a rank that fails alone would otherwise
  /// leave the others waiting in their next collective call.
  [[noreturn]] virtual void abort(int code) = 0;
};

/// This process alone (rank 0 of 1); chain() applies `step` once.
Collective &singleProcess();

/// Whether this build has the MPI implementation (SNNC_ENABLE_MPI).
bool builtWithMpi();
/// Whether this build has NCCL (SNNC_ENABLE_NCCL, with CUDA and MPI): the
/// reduction between the GPUs of a data-parallel run on cuda
/// (snnrt/train/CudaCollective.h).
bool builtWithNccl();

/// The ranks an MPI launcher (mpirun, srun with PMI) started, as a
/// Collective over MPI_COMM_WORLD; MPI is initialised on the first call (and
/// finalised at exit) only when a launcher's environment says so, so a
/// process started alone never initialises MPI. Without a launcher, or with
/// SNNC_MPI=0 in the environment: singleProcess(). Errors: started by a launcher with several ranks but
/// built without MPI.
Expected<Collective *> worldCollective();

} // namespace snnrt
