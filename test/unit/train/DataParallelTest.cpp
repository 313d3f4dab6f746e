//===- DataParallelTest.cpp - Micro-batched training, any number of ranks -===//
//
// The trainer's data-parallel path (docs/training.md, "Data-parallel
// training") with ranks as threads of this process: the same reduction code
// as under mpirun, without needing MPI (and so also in sanitized builds).
// test/Tools/snnc-train-mpi.test runs the real thing with mpirun.
//
//===----------------------------------------------------------------------===//

#include "DataParallelFixture.h"
#include "TimingTask.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace snnrt;
using namespace snnrt::test;

// The result depends on the micro-batch size, never on the number of ranks:
// 1, 2 and 3 ranks (3 divides neither the 4 micro-batches of a full batch
// nor the 3 of the last, 10-sample one) give the bits of one plain process.
TEST(DataParallel, SameBitsOnAnyNumberOfRanks) {
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  for (bool rigl : {false, true}) {
    SCOPED_TRACE(rigl ? "sparse, RigL" : "dense");
    Model initial = network(rigl);
    Outcome plain = trainOn(0, initial, config(4), rigl, train, test, val);
    for (int n : {1, 2, 3}) {
      SCOPED_TRACE(std::to_string(n) + " ranks");
      expectSame(plain, trainOn(n, initial, config(4), rigl, train, test, val));
    }
    // Training changed the network (the comparison is not vacuous), RigL
    // moved synapses, and micro-batches are not whole batches (BatchNorm
    // per micro-batch).
    EXPECT_NE(plain.model.projections[0].weights,
              initial.projections[0].weights);
    if (rigl) {
      size_t moved = 0;
      for (size_t j = 0; j < initial.projections.size(); ++j)
        moved += plain.model.projections[j].mask != initial.projections[j].mask;
      EXPECT_GT(moved, 0u);
    }
    Outcome whole = trainOn(0, initial, config(0), rigl, train, test, val);
    EXPECT_NE(plain.model.projections[0].weights,
              whole.model.projections[0].weights);
  }
}

// RigL on CSR projections (regrowth gradients at every slot with the
// timing a regrown synapse gets) on 1, 2 and 3 ranks: one process's bits.
TEST(DataParallel, CsrRigLSameBitsOnAnyNumberOfRanks) {
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  Model initial = network(true, DelayMode::Learn, /*csr=*/true);
  ASSERT_TRUE(initial.projections[0].isCsr());
  Outcome plain = trainOn(0, initial, config(4), true, train, test, val);
  for (int n : {1, 2, 3}) {
    SCOPED_TRACE(std::to_string(n) + " ranks");
    expectSame(plain, trainOn(n, initial, config(4), true, train, test, val));
  }
  size_t moved = 0; // rewiring did move synapses (the test is not vacuous)
  for (size_t j = 0; j < initial.projections.size(); ++j)
    moved += plain.model.projections[j].colIdx != initial.projections[j].colIdx;
  EXPECT_GT(moved, 0u);
}

// One micro-batch per batch is the batch computed whole: the reduction's
// weights are 1 and doubles carry floats unchanged, so --micro-batch B (or
// more) trains the bits the default does. (RigL with learned delays is the
// exception docs/training.md states: its slot gradients are taken before
// the step there, after it by the default path; so RigL here has frozen
// delays.)
TEST(DataParallel, OneMicroBatchIsTheWholeBatch) {
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  for (bool rigl : {false, true}) {
    SCOPED_TRACE(rigl ? "sparse, RigL" : "dense");
    Model initial = network(rigl, rigl ? DelayMode::Frozen : DelayMode::Learn);
    Outcome whole = trainOn(0, initial, config(0), rigl, train, test, val);
    expectSame(whole, trainOn(0, initial, config(16), rigl, train, test, val));
    expectSame(whole, trainOn(2, initial, config(64), rigl, train, test, val));
  }
}

// A run interrupted on 2 ranks resumes on 3 and ends with the network of an
// uninterrupted one-process run; only rank 0 wrote the checkpoint.
TEST(DataParallel, ResumeOnAnotherNumberOfRanks) {
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // as in trainOn's threads
  Model initial = network(true);
  Outcome full = trainOn(0, initial, config(4), true, train, test, val);
  TrainConfig cfg = config(4);
  std::string base = ::testing::TempDir() + "snnrt-dp-" +
                     std::to_string(getpid()) + ".ckpt.h5";
  cfg.checkpointPath = base;
  trainOn(2, initial, cfg, true, train, test, val, /*stopAfter=*/1);
  Outcome resumed = trainOn(3, initial, cfg, true, train, test, val, -1,
                            /*resume=*/true);
  expectSame(full, resumed);
  // Another micro-batch size is another run: refused, not mixed.
  TrainConfig other = cfg;
  other.microBatch = 8;
  auto bad = Trainer::resume(base, other, train, &test, &val);
  ASSERT_FALSE(bad.hasValue());
  EXPECT_NE(bad.status().message().find("--micro-batch 4"), std::string::npos)
      << bad.status().message();
  std::remove(base.c_str());
  std::remove(Trainer::bestModelPath(base).c_str());
}

TEST(DataParallel, SeveralRanksNeedAMicroBatchSize) {
  Dataset train = fixtures::timingTask(32, 5, 30);
  Model initial = network(false);
  ThreadRanks group(2);
  TrainConfig cfg = config(0);
  cfg.collective = &group.rank(1);
  auto t = Trainer::create(initial, cfg, train, nullptr);
  ASSERT_FALSE(t.hasValue());
  EXPECT_NE(t.status().message().find("--micro-batch"), std::string::npos);
  // On cuda, several ranks gather their gradients between GPUs through
  // NCCL; a build without it says so (without CUDA: that the backend is not
  // built). With NCCL, rank 1 alone would wait for rank 0 in NCCL's set-up:
  // test/unit/device/CudaDataParallelTest.cpp runs two there.
  if (!builtWithNccl()) {
    cfg = config(4);
    cfg.device = Device::Cuda;
    cfg.collective = &group.rank(1);
    t = Trainer::create(initial, cfg, train, nullptr);
    ASSERT_FALSE(t.hasValue());
    EXPECT_NE(t.status().message().find(cudaBuilt() ? "needs NCCL"
                                                    : cudaNotBuiltMessage()),
              std::string::npos)
        << t.status().message();
  }
}

// Started without a launcher, the world is this process alone.
TEST(DataParallel, WorldWithoutALauncherIsOneProcess) {
  for (const char *var :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (std::getenv(var))
      GTEST_SKIP() << "running under an MPI launcher (" << var << ")";
  auto w = worldCollective();
  ASSERT_TRUE(w.hasValue()) << w.status().message();
  EXPECT_EQ((*w)->size(), 1);
  EXPECT_EQ((*w)->rank(), 0);
  std::vector<double> acc = {1.0};
  ASSERT_TRUE((*w)->chain(acc, [](std::vector<double> &a) { a[0] += 2; }));
  EXPECT_EQ(acc[0], 3.0);
  // A launcher's variables with SNNC_MPI=0: still this process alone (and
  // MPI is not initialised, which would fail without a real launcher).
  setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  setenv("SNNC_MPI", "0", 1);
  auto off = worldCollective();
  unsetenv("OMPI_COMM_WORLD_SIZE");
  unsetenv("SNNC_MPI");
  ASSERT_TRUE(off.hasValue()) << off.status().message();
  EXPECT_EQ((*off)->size(), 1);
  // Built without MPI and started as one of several ranks: refused, rather
  // than every rank training the whole model alone. (With MPI this would
  // initialise it, which needs a real launcher.)
  if (builtWithMpi())
    return;
  setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  auto refused = worldCollective();
  unsetenv("OMPI_COMM_WORLD_SIZE");
  ASSERT_FALSE(refused.hasValue());
  EXPECT_NE(refused.status().message().find("built without MPI"),
            std::string::npos)
      << refused.status().message();
}
