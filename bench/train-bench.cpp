//===- train-bench.cpp - Time one training epoch of the paper's network ---===//
//
// One run times an epoch (forward + BPTT + Adam over every batch) of
// 40 -> 256 -> 20, T = 100, Dmax = 25, batch 256, on 4000 synthetic samples
// (or a dataset file) in the settings --rows names (by default these five):
//   learn, sigma = 12   DCLS at the start of training (all taps live)
//   learn, sigma = 0    DCLS with the narrowest kernel (taps truncated)
//   learn, sigma = 0.23 DCLS after the paper's annealing (epochs 37-150)
//   frozen              random integer delays
//   reference           the same DCLS step at sigma = 0 computed the plain
//                       way: every one of the Dmax taps as a dense BLAS
//                       product, no truncation, no synapse-wise kernels
// and prints seconds per epoch, the speed-up over the reference and the
// peak resident memory (getrusage; cumulative over the rows of one run, so
// bench/torch-vs-snnc.sh runs one row per process). --export-raw writes the
// data for bench/torch_reference.py instead.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/BlasSetup.h"
#include "snnrt/train/Trainer.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

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

bool jsonRows = false; ///< --json: one JSON line per row as well

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
  // One untimed forward + backward of the first batch on the engine that is
  // timed (no optimiser step, running statistics untouched), as
  // torch_reference.py warms its model: the first touch of this engine's
  // buffers is paid once per training run, not once per epoch, and with
  // --time-samples it would otherwise be scaled up with the epoch.
  auto warmUp = [&](Engine<float> &e) {
    std::vector<size_t> idx;
    std::vector<int32_t> labels;
    for (size_t i = 0; i < std::min<size_t>(batch, sub.size()); ++i) {
      idx.push_back(i);
      labels.push_back(sub.labels[i]);
    }
    if (!e.setInput(sub, idx).ok())
      return;
    e.forward(/*updateRunningStats=*/false);
    e.loss(labels);
    e.backward(labels);
  };
  // The trainer's engine uses the auto strategy; the reference forces the
  // dense taps through a separate engine option below.
  Result r;
  std::unique_ptr<Engine<float>> eng;
  if (engineOpt.strategy != ProjectionStrategy::Auto) {
    EngineOptions o = engineOpt;
    o.threads = threads;
    auto created = Engine<float>::create(*model, o);
    if (!created) {
      std::fprintf(stderr, "%s\n", created.status().message().c_str());
      std::exit(1);
    }
    eng = std::move(*created);
    eng->setTraining(true);
    eng->setSigma(sigma);
    warmUp(*eng);
  } else {
    Engine<float> &e = (*tr)->engine();
    bool wasTraining = e.training();
    e.setTraining(true);
    e.setSigma(sigma);
    warmUp(e);
    e.setTraining(wasTraining);
  }
  double c0 = cpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  if (eng) {
    // Same epoch with a forced strategy (the reference: every tap a BLAS
    // product), forward and backward without the optimiser step.
    for (size_t s = 0; s < sub.size(); s += batch) {
      std::vector<size_t> idx;
      std::vector<int32_t> labels;
      for (size_t i = s; i < std::min(sub.size(), s + batch); ++i) {
        idx.push_back(i);
        labels.push_back(sub.labels[i]);
      }
      (void)eng->setInput(sub, idx);
      eng->forward();
      eng->loss(labels);
      eng->backward(labels);
    }
    for (auto &st : eng->lastStrategies())
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
  if (jsonRows)
    std::printf("{\"what\": \"snnc-epoch\", \"row\": \"%s\", "
                "\"seconds\": %.4f, \"cpu_seconds\": %.4f, "
                "\"kernels\": \"%s\", \"peak_rss_mib\": %.1f}\n",
                label, r.seconds, r.cpu, r.strategies.c_str(), r.peak);
  std::fflush(stdout);
  return r;
}

/// One row of the run: "frozen", "reference" or a sigma (learned delays).
struct Row {
  std::string name;
  DelayMode mode = DelayMode::Learn;
  double sigma = 0;
  bool reference = false;
};

bool parseRows(const std::string &list, std::vector<Row> &rows) {
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = std::min(list.find(',', at), list.size());
    std::string item = list.substr(at, comma - at);
    at = comma + 1;
    Row r;
    if (item == "frozen") {
      r.name = "frozen delays";
      r.mode = DelayMode::Frozen;
    } else if (item == "reference") {
      r.name = "reference (dense taps)";
      r.reference = true;
    } else {
      char *end = nullptr;
      r.sigma = std::strtod(item.c_str(), &end);
      if (item.empty() || *end || !(r.sigma >= 0)) {
        std::fprintf(stderr,
                     "train-bench: --rows item '%s' is not a sigma "
                     "(>= 0), 'frozen' or 'reference'\n",
                     item.c_str());
        return false;
      }
      r.name = "learn, sigma=" + item;
    }
    rows.push_back(r);
  }
  return true;
}

bool exportRaw(const Dataset &d, const std::string &dir) {
  // The layout bench/torch_reference.py reads (gpu-bench writes the same).
  std::ofstream frames(dir + "/frames.f32", std::ios::binary);
  frames.write(reinterpret_cast<const char *>(d.frames.data()),
               std::streamsize(d.frames.size() * sizeof(float)));
  std::ofstream labels(dir + "/labels.i32", std::ios::binary);
  labels.write(reinterpret_cast<const char *>(d.labels.data()),
               std::streamsize(d.labels.size() * sizeof(int32_t)));
  std::ofstream shape(dir + "/shape.txt");
  shape << d.size() << " " << d.steps << " " << d.channels << " "
        << d.numClasses << "\n";
  return bool(frames) && bool(labels) && bool(shape);
}

} // namespace

int main(int argc, char **argv) {
  snnrt::ensureBlasKernels(argv); // see BlasSetup.h
  size_t samples = 4000, maxSamples = SIZE_MAX;
  uint32_t batch = 256;
  int threads = 2;
  std::string dataPath, rawDir, rowList = "12,0,0.23,frozen,reference";
  ProjectionStrategy forced = ProjectionStrategy::Auto;
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
    else if (a == "--rows")
      rowList = next();
    else if (a == "--json")
      jsonRows = true;
    else if (a == "--strategy") {
      std::string v = next();
      if (v == "auto")
        forced = ProjectionStrategy::Auto;
      else if (v == "sparse")
        forced = ProjectionStrategy::Sparse;
      else if (v == "dense-taps")
        forced = ProjectionStrategy::DenseTaps;
      else if (v == "spectral")
        forced = ProjectionStrategy::Spectral;
      else {
        std::fprintf(stderr,
                     "train-bench: --strategy is auto, sparse, "
                     "dense-taps or spectral, not '%s'\n",
                     v.c_str());
        return 2;
      }
    } else if (a == "--export-raw")
      rawDir = next();
    else {
      std::printf(
          "usage: train-bench [--samples N] [--batch N] [--threads N] "
          "[--data FILE] [--time-samples N] [--rows LIST] [--json] "
          "[--strategy S] [--export-raw DIR]\n"
          "  --time-samples N  time only the first N samples of each "
          "epoch and scale to the full epoch\n"
          "  --rows LIST       comma-separated sigmas (learned delays), "
          "'frozen', 'reference' (default 12,0,0.23,frozen,reference)\n"
          "  --json            also print one JSON line per row\n"
          "  --strategy S      force auto|sparse|dense-taps|spectral on every "
          "projection of the non-reference rows (then without the optimiser "
          "step)\n"
          "  --export-raw DIR  write the data as DIR/frames.f32, "
          "labels.i32, shape.txt (for bench/torch_reference.py) and "
          "exit\n");
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }
  std::vector<Row> rows;
  if (!parseRows(rowList, rows))
    return 2;
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
  if (!rawDir.empty()) {
    if (data.kind != InputKind::Frames) {
      std::fprintf(stderr,
                   "train-bench: --export-raw needs a frame dataset "
                   "(%s holds spikes)\n",
                   dataPath.c_str());
      return 2;
    }
    if (!exportRaw(data, rawDir)) {
      std::fprintf(stderr,
                   "train-bench: cannot write %s/frames.f32, "
                   "labels.i32, shape.txt\n",
                   rawDir.c_str());
      return 1;
    }
    std::printf("wrote %zu samples to %s\n", data.size(), rawDir.c_str());
    return 0;
  }
  std::printf("train-bench: %u -> 256 -> %u, T=%u, Dmax=25, batch %u, %zu "
              "samples, %d threads\n",
              data.channels, data.numClasses, data.steps, batch, data.size(),
              threads);
  EngineOptions fast; // auto strategy, taps truncated at 5 sigma'
  fast.strategy = forced;
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
  std::vector<Result> results;
  const Result *ref = nullptr;
  for (const Row &r : rows) {
    EngineOptions o = fast;
    if (r.reference) {
      o.strategy = ProjectionStrategy::DenseTaps;
      o.truncationRadius = 0;
    }
    results.push_back(timeEpoch(r.name.c_str(), data, r.mode, r.sigma, o, batch,
                                threads, maxSamples));
  }
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].reference)
      ref = &results[i];
  if (ref) {
    std::printf("\nspeed-up over the reference (wall, CPU):");
    for (size_t i = 0; i < rows.size(); ++i)
      if (!rows[i].reference)
        std::printf("%s %s %.2fx, %.2fx", i ? ";" : "", rows[i].name.c_str(),
                    ref->seconds / results[i].seconds,
                    ref->cpu / results[i].cpu);
    std::printf("\n");
  }
  std::printf("peak resident memory: %.0f MiB\n", peakMiB());
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, f))
      std::printf("load average at the end: %s", buf);
    std::fclose(f);
  }
  return 0;
}
