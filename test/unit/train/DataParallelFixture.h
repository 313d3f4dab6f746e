//===- DataParallelFixture.h - Training on ranks as threads -----*- C++ -*-===//
//
// The network, settings and helpers of the data-parallel tests: a training
// run on N ranks as threads (ThreadRanks), and the comparison of two runs'
// models bit for bit. DataParallelTest runs them on the CPU; the CUDA tests
// (test/unit/device/CudaDataParallelTest.cpp) with `device` set.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ThreadRanks.h"

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace snnrt::test {

/// A network with everything that couples samples or draws randomness:
/// BatchNorm, dropout, learned delays (by default), and (with `sparse`) a
/// sparse mask for RigL to rewire.
inline Model network(bool sparse, DelayMode delays = DelayMode::Learn,
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

inline TrainConfig config(uint32_t micro) {
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
inline Outcome trainOn(int n, const Model &initial, TrainConfig cfg, bool rigl,
                       const Dataset &train, const Dataset &test,
                       const Dataset &val, int64_t stopAfter = -1,
                       bool resume = false) {
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
    // Only resuming reads a file; a create on cuda talks to the other ranks
    // (NCCL's set-up), which must not wait for this lock.
    std::unique_lock<std::mutex> lock(hdf5, std::defer_lock);
    if (resume)
      lock.lock();
    auto t = resume ? Trainer::resume(c.checkpointPath, c, train, &test, &val)
                    : Trainer::create(initial, c, train, &test, &val);
    if (lock.owns_lock())
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

inline void expectSame(const Outcome &a, const Outcome &b) {
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

} // namespace snnrt::test
