//===- Collective.cpp - MPI, or this process alone ------------------------===//
//
// The only file of snnc that includes mpi.h (SNNRT_HAVE_MPI, set by CMake's
// SNNC_ENABLE_MPI). MPI_Init runs only when a launcher's variables are in the
// environment, so a plain `snnc train` never starts MPI's run-time (which
// would spawn helpers and print warnings on machines without a network).
//
//===----------------------------------------------------------------------===//

#include "snnrt/train/Collective.h"
#include "snnrt/train/CudaCollective.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#ifdef SNNRT_HAVE_MPI
// MPI's C API only: Open MPI and MPICH otherwise declare their deprecated
// C++ bindings, which need a second library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace snnrt {

namespace {

class Single final : public Collective {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int localRank() const override { return 0; }
  int localSize() const override { return 1; }
  Status
  chain(std::vector<double> &acc,
        const std::function<void(std::vector<double> &)> &step) override {
    step(acc);
    return Status::ok();
  }
  Status allgather(uint64_t mine, std::vector<uint64_t> &all) override {
    all.assign(1, mine);
    return Status::ok();
  }
  Status broadcast(std::vector<double> &, int root) override {
    if (root != 0)
      return Status::error("broadcast from rank " + std::to_string(root) +
                               " of 1",
                           ErrorKind::Internal);
    return Status::ok();
  }
  Status broadcastBytes(std::vector<uint8_t> &, int root) override {
    if (root != 0)
      return Status::error("broadcast from rank " + std::to_string(root) +
                               " of 1",
                           ErrorKind::Internal);
    return Status::ok();
  }
  Status barrier() override { return Status::ok(); }
  [[noreturn]] void abort(int code) override { std::exit(code); }
};

/// The number of ranks a launcher announced (Open MPI, MPICH/PMI, PMIx,
/// Slurm), 0 when none did or SNNC_MPI=0 asks to ignore it (a program that
/// runs under mpirun itself and starts `snnc train` as a child, which
/// inherits its rank's variables but is no rank).
long launcherSize() {
  if (const char *off = std::getenv("SNNC_MPI"); off && std::string(off) == "0")
    return 0;
  for (const char *var :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    if (const char *v = std::getenv(var))
      return std::strtol(v, nullptr, 10);
  }
  return 0;
}

#ifdef SNNRT_HAVE_MPI
Status mpiError(const char *call, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(code, text, &len);
  return Status::error(std::string(call) +
                           " failed: " + std::string(text, size_t(len)),
                       ErrorKind::Io);
}

#define SNNRT_MPI(call)                                                        \
  do {                                                                         \
    int rc_ = (call);                                                          \
    if (rc_ != MPI_SUCCESS)                                                    \
      return mpiError(#call, rc_);                                             \
  } while (0)

/// Completes `request`, sleeping between tests instead of spinning as MPI's
/// blocking calls do: a rank waiting for another's micro-batches would
/// otherwise take a core from it when ranks outnumber free cores (a shared
/// machine, --oversubscribe). The sleep grows from 20 us to 1 ms, which is
/// small next to a micro-batch's forward and backward.
Status waitSleeping(MPI_Request &request, const char *what) {
  long sleepNs = 20000;
  for (;;) {
    int done = 0;
    if (int rc = MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        rc != MPI_SUCCESS)
      return mpiError(what, rc);
    if (done)
      return Status::ok();
    struct timespec ts = {0, sleepNs};
    nanosleep(&ts, nullptr);
    sleepNs = std::min(sleepNs * 2, 1000000L);
  }
}

class Mpi final : public Collective {
public:
  Mpi(int rank, int size, int localRank, int localSize)
      : rank_(rank), size_(size), localRank_(localRank), localSize_(localSize) {
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int localRank() const override { return localRank_; }
  int localSize() const override { return localSize_; }
  Status
  chain(std::vector<double> &acc,
        const std::function<void(std::vector<double> &)> &step) override {
    if (acc.size() > size_t(INT32_MAX))
      return Status::error("chain: buffer larger than MPI's int count",
                           ErrorKind::Internal);
    const int n = int(acc.size());
    // Rank r continues the fold where rank r - 1 left it: one message per
    // link, then the last rank's result to everyone.
    MPI_Request req;
    if (rank_ > 0) {
      SNNRT_MPI(MPI_Irecv(acc.data(), n, MPI_DOUBLE, rank_ - 1, kChainTag,
                          MPI_COMM_WORLD, &req));
      SNNRT_TRY(waitSleeping(req, "MPI_Irecv"));
    }
    step(acc);
    if (rank_ + 1 < size_) {
      SNNRT_MPI(MPI_Isend(acc.data(), n, MPI_DOUBLE, rank_ + 1, kChainTag,
                          MPI_COMM_WORLD, &req));
      SNNRT_TRY(waitSleeping(req, "MPI_Isend"));
    }
    SNNRT_MPI(
        MPI_Ibcast(acc.data(), n, MPI_DOUBLE, size_ - 1, MPI_COMM_WORLD, &req));
    return waitSleeping(req, "MPI_Ibcast");
  }
  Status allgather(uint64_t mine, std::vector<uint64_t> &all) override {
    all.assign(size_t(size_), 0);
    MPI_Request req;
    SNNRT_MPI(MPI_Iallgather(&mine, 1, MPI_UINT64_T, all.data(), 1,
                             MPI_UINT64_T, MPI_COMM_WORLD, &req));
    return waitSleeping(req, "MPI_Iallgather");
  }
  Status broadcast(std::vector<double> &data, int root) override {
    if (data.size() > size_t(INT32_MAX))
      return Status::error("broadcast: buffer larger than MPI's int count",
                           ErrorKind::Internal);
    MPI_Request req;
    SNNRT_MPI(MPI_Ibcast(data.data(), int(data.size()), MPI_DOUBLE, root,
                         MPI_COMM_WORLD, &req));
    return waitSleeping(req, "MPI_Ibcast");
  }
  Status broadcastBytes(std::vector<uint8_t> &data, int root) override {
    if (data.size() > size_t(INT32_MAX))
      return Status::error("broadcast: buffer larger than MPI's int count",
                           ErrorKind::Internal);
    MPI_Request req;
    SNNRT_MPI(MPI_Ibcast(data.data(), int(data.size()), MPI_BYTE, root,
                         MPI_COMM_WORLD, &req));
    return waitSleeping(req, "MPI_Ibcast");
  }
  Status barrier() override {
    MPI_Request req;
    SNNRT_MPI(MPI_Ibarrier(MPI_COMM_WORLD, &req));
    return waitSleeping(req, "MPI_Ibarrier");
  }
  [[noreturn]] void abort(int code) override {
    std::fflush(stdout);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code); // MPI_Abort does not return; this keeps [[noreturn]]
  }

private:
  static constexpr int kChainTag = 2201;
  int rank_, size_, localRank_, localSize_;
};

void finalizeMpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized)
    MPI_Finalize();
}
#endif

} // namespace

Collective &singleProcess() {
  static Single single;
  return single;
}

bool builtWithMpi() {
#ifdef SNNRT_HAVE_MPI
  return true;
#else
  return false;
#endif
}

Expected<Collective *> worldCollective() {
  const long announced = launcherSize();
#ifdef SNNRT_HAVE_MPI
  static Mpi *world = nullptr;
  if (world)
    return static_cast<Collective *>(world);
  if (announced <= 0)
    return &singleProcess();
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    // Another part of the program may have initialised MPI already; then
    // that part also finalises it.
    if (int rc = MPI_Init(nullptr, nullptr); rc != MPI_SUCCESS)
      return mpiError("MPI_Init", rc);
    std::atexit(finalizeMpi);
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // The ranks sharing this machine's memory are those sharing its GPUs.
  MPI_Comm node;
  if (int rc = MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank,
                                   MPI_INFO_NULL, &node);
      rc != MPI_SUCCESS)
    return mpiError("MPI_Comm_split_type", rc);
  int localRank = 0, localSize = 1;
  MPI_Comm_rank(node, &localRank);
  MPI_Comm_size(node, &localSize);
  MPI_Comm_free(&node);
  world = new Mpi(rank, size, localRank, localSize); // lives until exit
  return static_cast<Collective *>(world);
#else
  if (announced > 1)
    return Status::error(
        "started by an MPI launcher with " + std::to_string(announced) +
            " ranks, but this snnc was built without MPI (SNNC_ENABLE_MPI=OFF "
            "or no MPI found): every rank would train the whole model alone; "
            "rebuild with MPI (scripts/snnc-setup installs Open MPI) or run "
            "one process",
        ErrorKind::BadInput);
  return &singleProcess();
#endif
}

Expected<int> rankDevice(int localRank, int localSize, int visible) {
  if (visible <= 0)
    return Status::error("no CUDA device visible to this rank",
                         ErrorKind::BadInput);
  if (visible == 1)
    return 0; // its own GPU (CUDA_VISIBLE_DEVICES per rank) or the only one
  if (localSize > visible || localRank >= visible)
    return Status::error(
        std::to_string(localSize) + " ranks on this machine but " +
            std::to_string(visible) +
            " GPUs visible: data-parallel training on cuda gives every rank "
            "a GPU of its own (NCCL cannot share one between ranks); start "
            "at most " +
            std::to_string(visible) + " ranks per machine",
        ErrorKind::BadInput);
  return localRank;
}

int rankSharingGpu(const std::vector<uint64_t> &keys, int rank) {
  for (size_t r = 0; r < keys.size(); ++r)
    if (int(r) != rank && keys[r] == keys[size_t(rank)])
      return int(r);
  return -1;
}

} // namespace snnrt
