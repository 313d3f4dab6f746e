//===- ThreadRanks.h - The ranks of a data-parallel run as threads -------===//
//
// A Collective whose ranks are threads of one process: the trainer's
// data-parallel code runs as under mpirun without MPI (and so also in
// sanitized builds). DataParallelTest uses it on the CPU, the CUDA tests
// with one GPU per thread (NCCL).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/train/Collective.h"

#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace snnrt::test {

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
    int localRank() const override { return r_; }
    int localSize() const override { return g_->n_; }
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
    Status broadcastBytes(std::vector<uint8_t> &data, int root) override {
      if (r_ == root)
        g_->bytes_ = data;
      g_->barrier();
      data = g_->bytes_;
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
  std::vector<uint8_t> bytes_;
  std::vector<uint64_t> gathered_;
};

} // namespace snnrt::test
