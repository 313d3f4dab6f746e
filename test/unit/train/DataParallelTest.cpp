//===- DataParallelTest.cpp - Micro-batched training, any number of ranks -===//
//
// The trainer's data-parallel path (docs/training.md, "Data-parallel
// training") with ranks as threads of this process: the same reduction code
// as under mpirun, without needing MPI (and so also in sanitized builds).
// test/Tools/snnc-train-mpi.test runs the real thing with mpirun.
//
//===----------------------------------------------------------------------===//

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

namespace {

/// N ranks as N threads: every collective is built from one barrier and a
/// shared buffer, so chain() runs its steps strictly in rank order.
class ThreadRanks {
public:
  explicit ThreadRanks(int n) : n_(n), gathered_(size_t(n)) {
    for (int r = 0; r < n; ++r)
      ranks_.emplace_back(new Rank(this, r));
  }
  Collective &rank(int r) { return *ranks_[size_t(r)]; }

private:
  class Rank final : public Collective {
  public:
    Rank(ThreadRanks *g, int r) : g_(g), r_(r) {}
    int rank() const override { return r_; }
    int size() const override { return g_->n_; }
    Status
    chain(std::vector<double> &acc,
          const std::function<void(std::vector<double> &)> &step) override {
      for (int t = 0; t < g_->n_; ++t) {
        g_->barrier();
        if (t == r_) {
          if (t > 0)
            acc = g_->shared_;
          step(acc);
          g_->shared_ = acc;
        }
      }
      g_->barrier();
      acc = g_->shared_;
      g_->barrier();
      return Status::ok();
    }
    Status allgather(uint64_t mine, std::vector<uint64_t> &all) override {
      g_->gathered_[size_t(r_)] = mine;
      g_->barrier();
      all = g_->gathered_;
      g_->barrier();
      return Status::ok();
    }
    Status broadcast(std::vector<double> &data, int root) override {
      if (r_ == root)
        g_->shared_ = data;
      g_->barrier();
      data = g_->shared_;
      g_->barrier();
      return Status::ok();
    }
    Status barrier() override {
      g_->barrier();
      return Status::ok();
    }
    [[noreturn]] void abort(int) override { std::abort(); }

  private:
    ThreadRanks *g_;
    int r_;
  };

  void barrier() {
    std::unique_lock<std::mutex> lock(mu_);
    uint64_t phase = phase_;
    if (++arrived_ == n_) {
      arrived_ = 0;
      ++phase_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return phase_ != phase; });
    }
  }

  int n_;
  std::vector<std::unique_ptr<Rank>> ranks_;
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;
  uint64_t phase_ = 0;
  std::vector<double> shared_;
  std::vector<uint64_t> gathered_;
};

/// A network with everything that couples samples or draws randomness:
/// BatchNorm, dropout, learned delays (by default), and (with `sparse`) a
/// sparse mask for RigL to rewire.
Model network(bool sparse, DelayMode delays = DelayMode::Learn,
              bool csr = false) {
  NetworkSpec s;
  s.inputs = 4;
  s.hidden = {24};
  s.outputs = 4;
  s.steps = 30;
  s.dt = 0.001;
  s.tauMemSteps = 5.0;
  s.maxDelay = 12;
  s.delays = delays;
  s.inputKind = InputKind::Spikes;
  s.inputScale = 1.0;
  s.batchnorm = true;
  s.dropout = 0.25;
  auto m = buildFeedForward(s, 3);
  EXPECT_TRUE(m.hasValue());
  if (sparse) {
    SparsitySpec spec;
    spec.sparsity = 0.75;
    EXPECT_TRUE(sparsify(*m, spec, 3));
    if (csr) {
      EXPECT_TRUE(toCsrLayout(*m));
    }
  }
  return *m;
}

TrainConfig config(uint32_t micro) {
  TrainConfig c;
  c.epochs = 3;
  c.batch = 16;
  c.microBatch = micro;
  c.seed = 5;
  c.threads = 1;
  c.l1 = 0.01;
  c.lrWeightsMax = 1e-2;
  c.sigmaEpochs = 2;
  c.evalBatch = 8; // several evaluation chunks to spread over the ranks
  return c;
}

struct Outcome {
  Model model;
  TrainingHistory history;
};

/// Trains on `n` thread ranks (0: one plain process, no collective) and
/// returns rank 0's result, checking that every rank ends with it.
Outcome trainOn(int n, const Model &initial, TrainConfig cfg, bool rigl,
                const Dataset &train, const Dataset &test, const Dataset &val,
                int64_t stopAfter = -1, bool resume = false) {
  const int ranks = std::max(n, 1);
  ThreadRanks group(ranks);
  std::vector<Outcome> out(static_cast<size_t>(ranks));
  std::vector<std::string> errors(static_cast<size_t>(ranks));
  // The ranks read the checkpoint one at a time, whether or not this HDF5
  // is thread-safe (MPI ranks are processes; only rank 0 writes).
  std::mutex hdf5;
  auto body = [&](int r) {
    // h5::File silences HDF5's error printing once, for the thread that
    // first opens a file; Debian's thread-safe HDF5 keeps that per thread.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    TrainConfig c = cfg;
    c.collective = n > 0 ? &group.rank(r) : nullptr;
    if (rigl) {
      RewireConfig rc;
      rc.mode = RewireMode::RigL;
      rc.interval = 2;
      rc.l1Step = 2.0; // shrinks magnitudes to 0 quickly: synapses do move
      rc.seed = c.seed;
      attachRewiring(c, initial, rc);
    }
    std::unique_lock<std::mutex> lock(hdf5);
    auto t = resume ? Trainer::resume(c.checkpointPath, c, train, &test, &val)
                    : Trainer::create(initial, c, train, &test, &val);
    lock.unlock();
    if (!t) {
      errors[size_t(r)] = t.status().message();
      return;
    }
    if (Status s = (*t)->run(nullptr, stopAfter); !s) {
      errors[size_t(r)] = s.message();
      return;
    }
    out[size_t(r)] = {(*t)->model(), (*t)->history()};
  };
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r)
    threads.emplace_back(body, r);
  for (auto &t : threads)
    t.join();
  for (int r = 0; r < ranks; ++r)
    EXPECT_EQ(errors[size_t(r)], "") << "rank " << r;
  return out[0];
}

void expectSame(const Outcome &a, const Outcome &b) {
  ASSERT_EQ(a.model.projections.size(), b.model.projections.size());
  for (size_t i = 0; i < a.model.projections.size(); ++i) {
    const Projection &p = a.model.projections[i], &q = b.model.projections[i];
    EXPECT_EQ(p.weights, q.weights) << p.name;
    EXPECT_EQ(p.positions, q.positions) << p.name;
    EXPECT_EQ(p.mask, q.mask) << p.name;
    EXPECT_EQ(p.rowPtr, q.rowPtr) << p.name;
    EXPECT_EQ(p.colIdx, q.colIdx) << p.name;
    EXPECT_EQ(p.delays, q.delays) << p.name;
    EXPECT_EQ(p.sigma, q.sigma) << p.name;
  }
  ASSERT_EQ(a.model.populations.size(), b.model.populations.size());
  for (size_t i = 0; i < a.model.populations.size(); ++i) {
    const Population &p = a.model.populations[i], &q = b.model.populations[i];
    EXPECT_EQ(p.bias, q.bias) << p.name;
    ASSERT_EQ(bool(p.batchnorm), bool(q.batchnorm));
    if (p.batchnorm) {
      EXPECT_EQ(p.batchnorm->gamma, q.batchnorm->gamma) << p.name;
      EXPECT_EQ(p.batchnorm->beta, q.batchnorm->beta) << p.name;
      EXPECT_EQ(p.batchnorm->mean, q.batchnorm->mean) << p.name;
      EXPECT_EQ(p.batchnorm->var, q.batchnorm->var) << p.name;
    }
  }
  EXPECT_EQ(a.history.loss, b.history.loss);
  EXPECT_EQ(a.history.trainAccuracy, b.history.trainAccuracy);
  EXPECT_EQ(a.history.valAccuracy, b.history.valAccuracy);
  EXPECT_EQ(a.history.testAccuracy, b.history.testAccuracy);
  EXPECT_EQ(a.history.keptEpoch, b.history.keptEpoch);
}

} // namespace

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
  cfg = config(4);
  cfg.device = Device::Cuda;
  t = Trainer::create(initial, cfg, train, nullptr);
  ASSERT_FALSE(t.hasValue());
  EXPECT_NE(t.status().message().find("CPU engine"), std::string::npos);
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
