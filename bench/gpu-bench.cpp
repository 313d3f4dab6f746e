//===- gpu-bench.cpp - CUDA timings for bench/gpu-check.sh ----------------===//
//
// Runtime only (no LLVM), so it travels in the GPU bundle. Prints one JSON
// object per line:
//   {"what": "device", ...}             the GPU, driver and runtime
//   {"what": "train-epoch", ...}        one training epoch of the paper's
//                                       network (40 -> 256 -> 20, T from the
//                                       data, Dmax 25, batch 256, DCLS) on
//                                       the given device
//   {"what": "plan", ...}               plan execution throughput (samples/s,
//                                       synaptic events/s), CUDA and CPU
// Options:
//   --train FILE       training set (.h5) for the epoch
//   --plan FILE --data FILE   plan and dataset for the throughput
//   --device cpu|cuda  device of the epoch (default cuda)
//   --samples N        use only the first N training samples (0: all)
//   --threads N        CPU threads (default: all cores)
//   --export-raw DIR   write DIR/frames.f32 [N][T][C], DIR/labels.i32 and
//                      DIR/shape.txt ("N T C classes") for torch_reference.py
//
//===----------------------------------------------------------------------===//

#include "snnrt/dataset/Dataset.h"
#include "snnrt/device/Device.h"
#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanRun.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/BlasSetup.h"
#include "snnrt/train/Trainer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

using namespace snnrt;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int fail(const std::string &what, const Status &s) {
  std::fprintf(stderr, "gpu-bench: %s: %s\n", what.c_str(),
               s.message().c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  snnrt::ensureBlasKernels(argv); // see BlasSetup.h
  std::string train, plan, data, rawDir, device = "cuda";
  size_t samples = 0;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gpu-bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--train")
      train = next();
    else if (a == "--plan")
      plan = next();
    else if (a == "--data")
      data = next();
    else if (a == "--device")
      device = next();
    else if (a == "--samples")
      samples = size_t(std::atoll(next().c_str()));
    else if (a == "--threads")
      threads = std::atoi(next().c_str());
    else if (a == "--export-raw")
      rawDir = next();
    else {
      std::fprintf(stderr, "gpu-bench: unknown option %s (see the header of "
                           "bench/gpu-bench.cpp)\n",
                   a.c_str());
      return 2;
    }
  }
  std::printf("{\"what\": \"device\", \"cuda_built\": %s, \"gpus\": %d, "
              "\"description\": \"%s\"}\n",
              cudaBuilt() ? "true" : "false", cudaDeviceCount(),
              cudaDescription().c_str());
  std::fflush(stdout);

  if (!train.empty()) {
    auto d = readDataset(train);
    if (!d)
      return fail(train, d.status());
    if (samples)
      *d = firstSamples(*d, samples);
    if (!rawDir.empty()) {
      std::ofstream(rawDir + "/frames.f32", std::ios::binary)
          .write(reinterpret_cast<const char *>(d->frames.data()),
                 std::streamsize(d->frames.size() * sizeof(float)));
      std::ofstream(rawDir + "/labels.i32", std::ios::binary)
          .write(reinterpret_cast<const char *>(d->labels.data()),
                 std::streamsize(d->labels.size() * sizeof(int32_t)));
      std::ofstream(rawDir + "/shape.txt")
          << d->size() << " " << d->steps << " " << d->channels << " "
          << d->numClasses << "\n";
    }
    auto dev = parseDevice(device);
    if (!dev)
      return fail("--device", Status::error("cpu or cuda"));
    NetworkSpec spec; // the paper's network, shaped by the data
    spec.inputs = d->channels;
    spec.outputs = d->numClasses;
    spec.steps = d->steps;
    spec.dt = d->dtSeconds;
    spec.inputKind = d->kind;
    spec.inputScale = d->kind == InputKind::Frames ? 20.0 : 1.0;
    auto model = buildFeedForward(spec, 1);
    if (!model)
      return fail("model", model.status());
    TrainConfig cfg;
    cfg.epochs = 150;
    cfg.batch = 256;
    cfg.threads = threads;
    cfg.device = *dev;
    auto trainer = Trainer::create(*model, cfg, *d, nullptr);
    if (!trainer)
      return fail("trainer", trainer.status());
    double t0 = now();
    auto rep = (*trainer)->runEpoch();
    double t1 = now();
    if (!rep)
      return fail("epoch", rep.status());
    std::printf("{\"what\": \"train-epoch\", \"device\": \"%s\", "
                "\"samples\": %zu, \"batch\": 256, \"steps\": %u, "
                "\"network\": \"%u-256-%u\", \"max_delay\": 25, "
                "\"seconds\": %.4f, \"loss\": %.6f, \"train_accuracy\": %.4f}\n",
                device.c_str(), d->size(), d->steps, d->channels,
                d->numClasses, t1 - t0, rep->loss, rep->trainAccuracy);
    std::fflush(stdout);
  }

  if (!plan.empty() && !data.empty()) {
    auto p = readPlanFile(plan);
    if (!p)
      return fail(plan, p.status());
    auto d = readDataset(data);
    if (!d)
      return fail(data, d.status());
    if (samples)
      *d = firstSamples(*d, samples);
    std::vector<size_t> ids(d->size());
    for (size_t i = 0; i < ids.size(); ++i)
      ids[i] = i;
    size_t synapses = 0;
    for (const auto &c : p->cores)
      synapses += c.synAxon.size();
    if (cudaDeviceCount() > 0) {
      auto exec = CudaPlanExecutor::create(*p);
      if (!exec)
        return fail("CUDA plan executor", exec.status());
      (*exec)->run(*d, {ids.front()}, false); // warm-up
      double t0 = now();
      auto r = (*exec)->run(*d, ids, false);
      double t1 = now();
      if (!r)
        return fail("CUDA plan run", r.status());
      size_t correct = 0;
      for (size_t i = 0; i < ids.size(); ++i)
        correct += r->predictions[i] == d->labels[i];
      std::printf("{\"what\": \"plan\", \"device\": \"cuda\", \"samples\": %zu, "
                  "\"synapses\": %zu, \"seconds\": %.4f, "
                  "\"samples_per_second\": %.1f, \"synaptic_events\": %llu, "
                  "\"events_per_second\": %.4g, \"accuracy\": %.4f}\n",
                  ids.size(), synapses, t1 - t0,
                  double(ids.size()) / (t1 - t0),
                  (unsigned long long)r->stats.synapticEvents,
                  double(r->stats.synapticEvents) / (t1 - t0),
                  double(correct) / double(ids.size()));
      std::fflush(stdout);
    }
    RunOptions opt;
    opt.threads = threads;
    double t0 = now();
    auto r = runPlanOnDataset(*p, *d, opt);
    double t1 = now();
    if (!r)
      return fail("CPU plan run", r.status());
    std::printf("{\"what\": \"plan\", \"device\": \"cpu\", \"threads\": %d, "
                "\"samples\": %zu, \"seconds\": %.4f, "
                "\"samples_per_second\": %.1f, \"synaptic_events\": %llu, "
                "\"events_per_second\": %.4g, \"accuracy\": %.4f}\n",
                threads, r->samples, t1 - t0, double(r->samples) / (t1 - t0),
                (unsigned long long)r->synapticEvents,
                double(r->synapticEvents) / (t1 - t0), r->accuracy);
  }
  return 0;
}
