//===- RunCommand.cpp - snnc run ------------------------------------------===//
//
// Runs a trained model (float, SNN-F*) or a compiled plan (integer,
// SNN-I*, event-driven per core) over a dataset and reports accuracy,
// spikes per population and synaptic events per second.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "DeviceOption.h"
#include "Files.h"

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanRun.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/ModelRun.h"
#include "snnrt/train/Trainer.h"

#include <chrono>
#include <cstdio>
#include <unistd.h>

using namespace snnc;

namespace {
/// --device cuda: the plan on the CUDA executor (predictions and counts;
/// per-population activity needs --device cpu).
snnrt::Expected<snnrt::RunSummary>
runPlanOnCuda(const snnrt::Plan &plan, const snnrt::Dataset &data,
              size_t maxSamples) {
  auto t0 = std::chrono::steady_clock::now();
  auto exec = snnrt::CudaPlanExecutor::create(plan);
  if (!exec)
    return exec.status();
  size_t n = maxSamples ? std::min(maxSamples, data.size()) : data.size();
  std::vector<size_t> ids(n);
  for (size_t i = 0; i < n; ++i)
    ids[i] = i;
  auto batch = (*exec)->run(data, ids, false);
  if (!batch)
    return batch.status();
  snnrt::RunSummary r;
  r.what = "plan";
  r.samples = n;
  r.predictions = batch->predictions;
  for (size_t i = 0; i < n; ++i)
    r.correct += batch->predictions[i] == data.labels[i];
  r.accuracy = n ? double(r.correct) / double(n) : 0;
  r.synapticEvents = batch->stats.synapticEvents;
  r.seconds = std::chrono::duration<double>(
                  std::chrono::steady_clock::now() - t0)
                  .count();
  return r;
}
/// --device cuda: the float model on the CUDA engine (accuracy only).
snnrt::Expected<snnrt::RunSummary>
runModelOnCuda(const snnrt::Model &model, const snnrt::Dataset &data,
               size_t maxSamples) {
  auto t0 = std::chrono::steady_clock::now();
  snnrt::Dataset subset = data;
  if (maxSamples && maxSamples < data.size()) { // the first N samples
    const size_t n = maxSamples;
    subset.labels.resize(n);
    if (!subset.speakers.empty())
      subset.speakers.resize(n);
    if (subset.kind == snnrt::InputKind::Frames) {
      subset.frames.resize(n * size_t(subset.steps) * subset.channels);
    } else {
      subset.eventOffsets.resize(n + 1);
      const size_t e = subset.eventOffsets[n];
      subset.eventStep.resize(e);
      subset.eventChannel.resize(e);
      subset.eventCount.resize(e);
    }
  }
  auto e = snnrt::evaluate(model, subset, 1, 256, snnrt::Device::Cuda);
  if (!e)
    return e.status();
  snnrt::RunSummary r;
  r.what = "model";
  r.samples = e->samples;
  r.accuracy = e->accuracy;
  r.correct = size_t(std::llround(e->accuracy * double(e->samples)));
  r.seconds = std::chrono::duration<double>(
                  std::chrono::steady_clock::now() - t0)
                  .count();
  return r;
}

/// "plan", "model" or "" (neither), from the file's `format` attribute.
std::string fileFormat(const std::string &path) {
  auto file = snnrt::h5::File::openRead(path);
  std::string format;
  if (file && file->hasAttr("/", "format") &&
      file->getAttrString("/", "format", format))
    return format;
  return "";
}
} // namespace

int snnc::runRun(int argc, char **argv) {
  std::string input, data, record, profile;
  bool json = false, quiet = false;
  int64_t threads = 2, samples = 0;
  std::string device = "cpu";
  cli::ArgParser parser(
      "run", "Run a trained model (float) or a compiled plan (integer, "
             "event-driven per core) over a\ndataset: accuracy, spikes per "
             "population, synaptic events per second.");
  parser.addPositional("MODEL.h5|PLAN.h5", &input,
                       "a model from snnc train or a plan from snnc compile");
  parser.addString("--data", &data, "dataset file (.h5)", "FILE", true);
  parser.addFlag("--json", &json, "print one JSON object on stdout");
  parser.addString("--record", &record,
                   "write every spike to this file (docs/formats/spikes.md)",
                   "SPIKES.h5");
  parser.addString("--profile", &profile,
                   "write per-neuron rates (spikes per sample) as the JSON "
                   "profile snn-map-to-cores reads",
                   "RATES.json");
  parser.addInt("--threads", &threads, "worker threads", 1, 256);
  parser.addInt("--samples", &samples, "run only the first N samples (0: all)",
                0, INT64_MAX);
  parser.addFlag("--quiet", &quiet, "no progress output");
  cli::addDeviceOption(parser, &device);
  parser.setEpilog("example:\n  snnc run loihi2/plan.h5 --data digits/test.h5 "
                   "--record spikes.h5");
  if (auto code = parser.parse(argc, argv))
    return *code;
  snnrt::Device dev = snnrt::Device::Cpu;
  if (auto code = cli::resolveDeviceOption("run", device, dev))
    return *code;
  if (dev == snnrt::Device::Cuda && (!record.empty() || !profile.empty()))
    return cli::reportError(
        "run", snnrt::Status::error("--record and --profile run on the CPU; "
                                    "drop --device cuda",
                                    snnrt::ErrorKind::BadInput));

  if (auto st = cli::expectFile(input,
                                {cli::FileKind::Model, cli::FileKind::Plan,
                                 cli::FileKind::Checkpoint},
                                "a model or a plan",
                                "a snnc model.h5 from 'snnc train' or a "
                                "plan.h5 from 'snnc compile'");
      !st)
    return cli::reportError("run", st);
  if (auto st = cli::expectFile(data, {cli::FileKind::Dataset}, "a dataset",
                                cli::kExpectDataset);
      !st)
    return cli::reportError("run", st);
  for (const std::string *out : {&record, &profile})
    if (!out->empty())
      if (auto st = cli::checkOutputFile(*out); !st)
        return cli::reportError("run", st);

  auto dataset = snnrt::readDataset(data);
  if (!dataset)
    return cli::reportError("run", dataset.status());
  snnrt::RunOptions options;
  options.threads = int(threads);
  options.maxSamples = size_t(samples);
  options.record = !record.empty();
  if (!quiet)
    options.progress = cli::sampleProgress();
  std::string format = fileFormat(input);
  snnrt::Expected<snnrt::RunSummary> run =
      snnrt::Status::error(input + ": neither a snnc model nor a snnc plan "
                                   "(see 'snnc run --help')");
  double dt = 0;
  uint32_t steps = 0;
  if (format == "snnc-plan") {
    auto plan = snnrt::readPlanFile(input);
    if (!plan)
      return cli::reportError("run", plan.status());
    dt = plan->dt;
    steps = plan->steps;
    run = dev == snnrt::Device::Cuda
              ? runPlanOnCuda(*plan, *dataset, options.maxSamples)
              : snnrt::runPlanOnDataset(*plan, *dataset, options);
  } else if (format == "snnc-model") {
    auto model = snnrt::readModel(input);
    if (!model)
      return cli::reportError("run", model.status());
    dt = model->dt;
    steps = model->steps;
    run = dev == snnrt::Device::Cuda
              ? runModelOnCuda(*model, *dataset, options.maxSamples)
              : snnrt::runModelOnDataset(*model, *dataset, options);
  } else if (!snnrt::h5::File::openRead(input)) {
    return cli::reportError("run", snnrt::h5::File::openRead(input).status());
  }
  if (!run)
    return cli::reportError("run", run.status());
  if (!record.empty())
    if (auto status = snnrt::writeSpikeRecording(record, *run, dt, steps);
        !status)
      return cli::reportError("run", status);
  if (!profile.empty())
    if (auto status = snnrt::writeRateProfile(profile, *run); !status)
      return cli::reportError("run", status);

  double eventsPerSecond =
      run->seconds > 0 ? double(run->synapticEvents) / run->seconds : 0;
  if (json) {
    std::printf("{\"input\": \"%s\", \"kind\": \"%s\", \"samples\": %zu, "
                "\"accuracy\": %.6f, \"seconds\": %.6f, "
                "\"synaptic_events\": %llu, \"synaptic_events_per_second\": "
                "%.1f, \"populations\": [",
                input.c_str(), run->what.c_str(), run->samples, run->accuracy,
                run->seconds, (unsigned long long)run->synapticEvents,
                eventsPerSecond);
    for (size_t p = 0; p < run->populations.size(); ++p) {
      const auto &pop = run->populations[p];
      std::printf("%s{\"name\": \"%s\", \"kind\": \"%s\", \"size\": %u, "
                  "\"spikes\": %llu, \"spikes_per_sample\": %.4f}",
                  p ? ", " : "", pop.name.c_str(), pop.kind.c_str(), pop.size,
                  (unsigned long long)pop.spikes,
                  run->samples ? double(pop.spikes) / run->samples : 0.0);
    }
    std::printf("]}\n");
    return cli::kSuccess;
  }
  std::printf("%s %s on %s: accuracy %.2f%% (%zu/%zu samples) in %.2f s\n",
              run->what.c_str(), input.c_str(), data.c_str(),
              100 * run->accuracy, run->correct, run->samples, run->seconds);
  std::printf("%-16s %-6s %8s %14s %16s\n", "population", "kind", "neurons",
              "spikes", "spikes/sample");
  for (const auto &pop : run->populations)
    std::printf("%-16s %-6s %8u %14llu %16.2f\n", pop.name.c_str(),
                pop.kind.c_str(), pop.size, (unsigned long long)pop.spikes,
                run->samples ? double(pop.spikes) / run->samples : 0.0);
  std::printf("synaptic events: %llu (%.3g per second%s)\n",
              (unsigned long long)run->synapticEvents, eventsPerSecond,
              run->what == "model" ? ", estimated from spikes x fan-out" : "");
  return cli::kSuccess;
}
