//===- train-bench.cpp - Time one training epoch of the paper's network ---===//
//
// One run times an epoch (forward + BPTT + Adam over every batch) of
// 40 -> 256 -> 20, T = 100, Dmax = 25, batch 256, on 4000 synthetic samples
// (or a dataset file) in four settings:
//   learn, sigma = 12   DCLS at the start of training (all taps live)
//   learn, sigma = 0    DCLS with the narrowest kernel (taps truncated)
//   learn, sigma = 0.23 DCLS after the paper's annealing (epochs 37-150)
//   frozen              random integer delays
//   reference           the same DCLS step at sigma = 0 computed the plain
//                       way: every one of the Dmax taps as a dense BLAS
//                       product, no truncation, no synapse-wise kernels
// and prints seconds per epoch, the speed-up over the reference and the
// peak resident memory (getrusage).
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Trainer.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace snnrt;

namespace {

Dataset synthetic(size_t n, uint32_t steps, uint32_t channels,
                  uint32_t classes, uint64_t seed) {
  // Non-negative frames with a class-dependent channel profile, roughly the
  // statistics of log-mel features after the paper's x20 scaling.
  Rng rng(seed);
  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = 0.01;
  d.steps = steps;
  d.channels = channels;
  d.numClasses = classes;
  d.source = "train-bench synthetic frames";
  d.frames.resize(n * steps * channels);
  for (size_t i = 0; i < n; ++i) {
    int label = int(i % classes);
    d.labels.push_back(label);
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < channels; ++c) {
        double bump = std::exp(-0.5 * std::pow((double(c) - 2.0 * label) / 3.0, 2));
        d.frames[(i * steps + t) * channels + c] =
            float(0.05 * rng.uniform() + 0.05 * bump * rng.uniform());
      }
  }
  return d;
}

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double peakMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0; // Linux reports KiB
}

struct Result {
  double seconds = 0, cpu = 0;
  std::string strategies;
  double peak = 0;
};

Result timeEpoch(const char *label, const Dataset &data, DelayMode mode,
                 double sigma, const EngineOptions &engineOpt,
                 uint32_t batch, int threads, size_t maxSamples) {
  NetworkSpec spec;
  spec.inputs = data.channels;
  spec.hidden = {256};
  spec.outputs = data.numClasses;
  spec.steps = data.steps;
  spec.dt = data.dtSeconds;
  spec.maxDelay = 25;
  spec.delays = mode;
  spec.sigma0 = sigma;
  auto model = buildFeedForward(spec, 1);
  if (!model) {
    std::fprintf(stderr, "%s\n", model.status().message().c_str());
    std::exit(1);
  }
  TrainConfig cfg;
  cfg.epochs = 1;
  cfg.batch = batch;
  cfg.threads = threads;
  cfg.sigmaEpochs = 0; // hold sigma where the setting puts it
  cfg.truncationRadius = engineOpt.truncationRadius;
  Dataset sub = firstSamples(data, maxSamples);
  auto tr = Trainer::create(*model, cfg, sub, nullptr);
  if (!tr) {
    std::fprintf(stderr, "%s\n", tr.status().message().c_str());
    std::exit(1);
  }
  // The trainer's engine uses the auto strategy; the reference forces the
  // dense taps through a separate engine option below.
  Result r;
  double c0 = cpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  if (engineOpt.strategy == ProjectionStrategy::DenseTaps) {
    // Same epoch, computed the plain way (every tap a BLAS product).
    EngineOptions o = engineOpt;
    o.threads = threads;
    auto eng = Engine<float>::create(*model, o);
    (*eng)->setTraining(true);
    (*eng)->setSigma(sigma);
    for (size_t s = 0; s < sub.size(); s += batch) {
      std::vector<size_t> idx;
      std::vector<int32_t> labels;
      for (size_t i = s; i < std::min(sub.size(), s + batch); ++i) {
        idx.push_back(i);
        labels.push_back(sub.labels[i]);
      }
      (void)(*eng)->setInput(sub, idx);
      (*eng)->forward();
      (*eng)->loss(labels);
      (*eng)->backward(labels);
    }
    for (auto &st : (*eng)->lastStrategies())
      r.strategies += st + " ";
  } else {
    auto rep = (*tr)->runEpoch();
    if (!rep) {
      std::fprintf(stderr, "%s\n", rep.status().message().c_str());
      std::exit(1);
    }
    for (auto &st : (*tr)->engine().lastStrategies())
      r.strategies += st + " ";
  }
  r.seconds = std::chrono::duration<double>(
                  std::chrono::steady_clock::now() - t0).count();
  r.cpu = cpuSeconds() - c0;
  double scale = double(data.size()) / double(sub.size());
  r.seconds *= scale; // per full epoch when a subset was timed
  r.cpu *= scale;
  r.peak = peakMiB();
  std::printf("%-22s %8.2f s/epoch (CPU %7.2f s)  kernels: %-26s peak RSS "
              "%.0f MiB\n",
              label, r.seconds, r.cpu, r.strategies.c_str(), r.peak);
  std::fflush(stdout);
  return r;
}

} // namespace

int main(int argc, char **argv) {
  size_t samples = 4000, maxSamples = SIZE_MAX;
  uint32_t batch = 256;
  int threads = 2;
  std::string dataPath;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? argv[++i] : (char *)"0"; };
    if (a == "--samples")
      samples = std::strtoull(next(), nullptr, 10);
    else if (a == "--time-samples")
      maxSamples = std::strtoull(next(), nullptr, 10);
    else if (a == "--batch")
      batch = uint32_t(std::strtoul(next(), nullptr, 10));
    else if (a == "--threads")
      threads = std::atoi(next());
    else if (a == "--data")
      dataPath = next();
    else {
      std::printf("usage: train-bench [--samples N] [--batch N] [--threads N] "
                  "[--data FILE] [--time-samples N]\n"
                  "  --time-samples N  time only the first N samples of each "
                  "epoch and scale to the full epoch\n");
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }
  Dataset data;
  if (!dataPath.empty()) {
    auto d = readDataset(dataPath);
    if (!d) {
      std::fprintf(stderr, "%s\n", d.status().message().c_str());
      return 2;
    }
    data = d.take();
  } else {
    data = synthetic(samples, 100, 40, 20, 7);
  }
  std::printf("train-bench: %u -> 256 -> %u, T=%u, Dmax=25, batch %u, %zu "
              "samples, %d threads\n",
              data.channels, data.numClasses, data.steps, batch, data.size(),
              threads);
  EngineOptions fast; // auto strategy, taps truncated at 5 sigma'
  {
    // Untimed warm-up (BLAS buffers, first-touch page faults), so the first
    // timed row is not charged for them.
    NetworkSpec spec;
    spec.inputs = data.channels;
    spec.outputs = data.numClasses;
    spec.steps = data.steps;
    auto m = buildFeedForward(spec, 1);
    EngineOptions o;
    o.threads = threads;
    auto e = Engine<float>::create(*m, o);
    std::vector<size_t> idx;
    std::vector<int32_t> labels;
    for (size_t i = 0; i < std::min<size_t>(batch, data.size()); ++i) {
      idx.push_back(i);
      labels.push_back(data.labels[i]);
    }
    (*e)->setTraining(true);
    (void)(*e)->setInput(data, idx);
    (*e)->forward();
    (*e)->backward(labels);
  }
  Result s12 = timeEpoch("learn, sigma=12", data, DelayMode::Learn, 12.0,
                         fast, batch, threads, maxSamples);
  Result s0 = timeEpoch("learn, sigma=0", data, DelayMode::Learn, 0.0, fast,
                        batch, threads, maxSamples);
  Result s023 = timeEpoch("learn, sigma=0.23", data, DelayMode::Learn, 0.23,
                          fast, batch, threads, maxSamples);
  Result fr = timeEpoch("frozen delays", data, DelayMode::Frozen, 0.0, fast,
                        batch, threads, maxSamples);
  EngineOptions ref;
  ref.strategy = ProjectionStrategy::DenseTaps;
  ref.truncationRadius = 0;
  Result rf = timeEpoch("reference (dense taps)", data, DelayMode::Learn, 0.0,
                        ref, batch, threads, maxSamples);
  std::printf("\nspeed-up over the reference (wall): sigma=12 %.2fx, sigma=0 "
              "%.2fx, sigma=0.23 %.2fx, frozen %.2fx\n",
              rf.seconds / s12.seconds, rf.seconds / s0.seconds,
              rf.seconds / s023.seconds, rf.seconds / fr.seconds);
  std::printf("speed-up over the reference (CPU):  sigma=12 %.2fx, sigma=0 "
              "%.2fx, sigma=0.23 %.2fx, frozen %.2fx\npeak resident memory: "
              "%.0f MiB\n",
              rf.cpu / s12.cpu, rf.cpu / s0.cpu, rf.cpu / s023.cpu,
              rf.cpu / fr.cpu, peakMiB());
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, f))
      std::printf("load average at the end: %s", buf);
    std::fclose(f);
  }
  return 0;
}
