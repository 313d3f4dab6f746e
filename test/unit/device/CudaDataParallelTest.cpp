//===- CudaDataParallelTest.cpp - Micro-batches and ranks on GPUs ---------===//
//
// Micro-batched training on cuda (docs/training.md, "Data-parallel training
// on GPUs"), with ranks as threads of this process, each on a GPU of its own
// (ThreadRanks gives thread r local rank r, hence GPU r):
//   - one GPU: one micro-batch of the whole batch is the default cuda run,
//     bit for bit; micro-batches on the GPU agree with micro-batches on the
//     CPU within the tolerances of CudaBackendTest (one epoch: loss within
//     2 %, parameters within 2 % in norm);
//   - two GPUs (NCCL): 1 and 2 ranks train the same model bits.
// Each test that cannot run here says why in its skip message: no GPU, fewer
// than two, or a build without NCCL. No multi-GPU machine has run the NCCL
// test yet (docs/training.md says so).
//
//===----------------------------------------------------------------------===//

#include "../train/DataParallelFixture.h"
#include "../train/TimingTask.h"

#include "snnrt/device/Device.h"
#include "snnrt/train/Collective.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace snnrt;
using namespace snnrt::test;

namespace {

#define REQUIRE_GPUS(n)                                                        \
  do {                                                                         \
    std::string why;                                                           \
    const int have = cudaDeviceCount(&why);                                    \
    if (have < (n))                                                            \
      GTEST_SKIP() << "skipped: needs " << (n) << " GPU(s), " << have          \
                   << " visible" << (have ? std::string() : " (" + why + ")"); \
  } while (0)

TrainConfig onCuda(uint32_t micro) {
  TrainConfig c = config(micro);
  c.device = Device::Cuda;
  c.epochs = 2;
  return c;
}

double relDiff(const std::vector<float> &a, const std::vector<float> &b) {
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    den += double(b[i]) * b[i];
  }
  return a.size() != b.size() ? 1e30 : std::sqrt(num / std::max(den, 1e-30));
}

// As on the CPU (DataParallel.OneMicroBatchIsTheWholeBatch): weights 1,
// floats through double unchanged, the batch's BatchNorm statistics its own.
TEST(CudaMicroBatch, OneMicroBatchIsTheWholeBatch) {
  REQUIRE_GPUS(1);
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  Model initial = network(false);
  Outcome whole = trainOn(0, initial, onCuda(0), false, train, test, val);
  expectSame(whole, trainOn(0, initial, onCuda(16), false, train, test, val));
  // One rank through the gather (a thread rank, not the plain process).
  expectSame(whole, trainOn(1, initial, onCuda(64), false, train, test, val));
}

TEST(CudaMicroBatch, AgreesWithMicroBatchesOnTheCpu) {
  REQUIRE_GPUS(1);
  Dataset train = fixtures::timingTask(96, 5, 30);
  Model initial = network(false);
  TrainConfig cfg = config(8);
  cfg.epochs = 1;
  auto cpu = Trainer::create(initial, cfg, train, nullptr);
  cfg.device = Device::Cuda;
  auto gpu = Trainer::create(initial, cfg, train, nullptr);
  ASSERT_TRUE(bool(cpu)) << cpu.status().message();
  ASSERT_TRUE(bool(gpu)) << gpu.status().message();
  auto rc = (*cpu)->runEpoch();
  auto rg = (*gpu)->runEpoch();
  ASSERT_TRUE(bool(rc)) << rc.status().message();
  ASSERT_TRUE(bool(rg)) << rg.status().message();
  EXPECT_NEAR(rg->loss, rc->loss, 0.02 * std::fabs(rc->loss));
  const auto &pc = (*cpu)->engine().params();
  const auto &pg = (*gpu)->engine().params();
  for (size_t k = 0; k < pc.size(); ++k) {
    SCOPED_TRACE(pc[k].name);
    EXPECT_LE(relDiff(pg[k].value, pc[k].value), 2e-2);
  }
  // The running statistics moved from the combined micro-batch statistics.
  Model mc = (*cpu)->currentModel(), mg = (*gpu)->currentModel();
  for (size_t i = 0; i < mc.populations.size(); ++i) {
    if (!mc.populations[i].batchnorm)
      continue;
    SCOPED_TRACE(mc.populations[i].name);
    EXPECT_LE(relDiff(mg.populations[i].batchnorm->mean,
                      mc.populations[i].batchnorm->mean),
              2e-2);
    EXPECT_LE(relDiff(mg.populations[i].batchnorm->var,
                      mc.populations[i].batchnorm->var),
              2e-2);
  }
}

// The check on GPUs: the model of 2 ranks (threads on GPUs 0 and 1,
// gathering through NCCL) is the model of one process, with RigL rewiring
// (slot gradients in the gathered slots) and learned delays; the batch of
// 16 and the last one of 10 make 4 and 3 micro-batches, so the ranks'
// shares differ.
TEST(CudaDataParallel, TwoGpusTrainTheModelOfOne) {
  if (!builtWithNccl())
    GTEST_SKIP() << "skipped: built without NCCL (SNNC_ENABLE_NCCL needs the "
                    "CUDA backend, MPI and nccl.h)";
  REQUIRE_GPUS(2);
  Dataset train = fixtures::timingTask(90, 5, 30),
          test = fixtures::timingTask(20, 6, 30),
          val = fixtures::timingTask(12, 7, 30);
  for (bool rigl : {false, true}) {
    SCOPED_TRACE(rigl ? "sparse, RigL" : "dense");
    Model initial = network(rigl);
    Outcome plain = trainOn(0, initial, onCuda(4), rigl, train, test, val);
    expectSame(plain, trainOn(2, initial, onCuda(4), rigl, train, test, val));
  }
}

} // namespace
