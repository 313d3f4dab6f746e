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
#if SNNC_HAVE_COMPILER
#include "NirOptions.h"
#endif

#include "snnrt/base/Clock.h"
#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanRun.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/ModelRun.h"
#include "snnrt/train/Trainer.h"

#include <cstdio>
#include <unistd.h>

using namespace snnc;

namespace {
/// --device cuda: the plan on the CUDA executor (predictions and counts;
/// per-population activity needs --device cpu).
snnrt::Expected<snnrt::RunSummary>
runPlanOnCuda(const snnrt::Plan &plan, const snnrt::Dataset &data,
              size_t maxSamples) {
  auto t0 = snnrt::steadyNow();
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
  r.seconds = snnrt::secondsSince(t0);
  return r;
}
/// --device cuda: the float model on the CUDA engine (accuracy only).
snnrt::Expected<snnrt::RunSummary>
runModelOnCuda(const snnrt::Model &model, const snnrt::Dataset &data,
               size_t maxSamples) {
  auto t0 = snnrt::steadyNow();
  const snnrt::Dataset subset =
      maxSamples ? snnrt::firstSamples(data, maxSamples) : data;
  auto e = snnrt::evaluate(model, subset, 1, 256, snnrt::Device::Cuda);
  if (!e)
    return e.status();
  snnrt::RunSummary r;
  r.what = "model";
  r.samples = e->samples;
  r.accuracy = e->accuracy;
  r.correct = size_t(std::llround(e->accuracy * double(e->samples)));
  r.seconds = snnrt::secondsSince(t0);
  return r;
}

/// The options of `snnc run`.
struct RunCliOptions {
  std::string input, data, record, profile, device = "cpu";
  bool json = false, quiet = false;
  int64_t threads = 2, samples = 0, inFlight = 0;
#if SNNC_HAVE_COMPILER
  cli::NirFlags nir; ///< when the input is a .nir graph
#endif
};

void addRunOptions(cli::ArgParser &parser, RunCliOptions &o) {
#if SNNC_HAVE_COMPILER
  parser.addPositional("MODEL.h5|PLAN.h5|NET.nir", &o.input,
                       "a model from snnc train, a plan from snnc compile, "
                       "or a NIR graph (run as a float model)");
  o.nir.add(parser, "NIR input only: ");
#else
  parser.addPositional("MODEL.h5|PLAN.h5", &o.input,
                       "a model from snnc train or a plan from snnc compile");
#endif
  parser.addString("--data", &o.data, "dataset file (.h5)", "FILE", true);
  parser.addFlag("--json", &o.json, "print one JSON object on stdout");
  parser.addString("--record", &o.record,
                   "write every spike to this file (docs/formats/spikes.md)",
                   "SPIKES.h5");
  parser.addString("--profile", &o.profile,
                   "write per-neuron rates (spikes per sample) as the JSON "
                   "profile snn-map-to-cores reads",
                   "RATES.json");
  parser.addInt("--threads", &o.threads, "worker threads", 1, 256);
  parser.addInt("--samples", &o.samples,
                "run only the first N samples (0: all)", 0, INT64_MAX);
  parser.addInt("--samples-in-flight", &o.inFlight,
                "plans on the CPU: samples each thread advances together "
                "(0: picked from the plan's size, or SNNC_SAMPLES_IN_FLIGHT; "
                "1: one at a time); results do not depend on it",
                0, 16);
  parser.addFlag("--quiet", &o.quiet, "no progress output");
  cli::addDeviceOption(parser, &o.device);
  parser.setEpilog("example:\n  snnc run loihi2/plan.h5 --data digits/test.h5 "
                   "--record spikes.h5");
}

/// Inputs and outputs are checked before the run starts.
snnrt::Status checkRunFiles(const RunCliOptions &o) {
  SNNRT_TRY(snnrt::expectFile(
      o.input,
      {
        snnrt::FileKind::Model, snnrt::FileKind::Plan,
            snnrt::FileKind::Checkpoint,
#if SNNC_HAVE_COMPILER
            snnrt::FileKind::Nir,
#endif
      },
      "a model or a plan",
      "a snnc model.h5 from 'snnc train', a "
      "plan.h5 from 'snnc compile' or a NIR graph"));
  SNNRT_TRY(snnrt::expectFile(o.data, {snnrt::FileKind::Dataset}, "a dataset",
                              cli::kExpectDataset));
  for (const std::string *out : {&o.record, &o.profile})
    if (!out->empty())
      SNNRT_TRY(cli::checkOutputFile(*out));
  return snnrt::Status::ok();
}

/// A run of the plan or the model in `input` over `dataset`, on `device`,
/// and the step and step count its spike recording is written with.
struct InputRun {
  snnrt::Expected<snnrt::RunSummary> summary = snnrt::Status::error("not run");
  double dt = 0;
  uint32_t steps = 0;
};

/// Runs `network` (a plan or a model, as read) with `onCuda` or `onCpu`.
template <typename Network, typename CudaRun, typename CpuRun>
InputRun runNetwork(snnrt::Expected<Network> network,
                    const snnrt::Dataset &dataset,
                    const snnrt::RunOptions &options, snnrt::Device device,
                    CudaRun onCuda, CpuRun onCpu) {
  InputRun run;
  if (!network) {
    run.summary = network.status();
    return run;
  }
  run.dt = network->dt;
  run.steps = network->steps;
  run.summary = device == snnrt::Device::Cuda
                    ? onCuda(*network, dataset, options.maxSamples)
                    : onCpu(*network, dataset, options);
  return run;
}

InputRun runInput(const RunCliOptions &o, const snnrt::Dataset &dataset,
                  const snnrt::RunOptions &options, snnrt::Device device) {
  const std::string &input = o.input;
  if (snnrt::fileKind(input) == snnrt::FileKind::Plan)
    return runNetwork(snnrt::readPlanFile(input), dataset, options, device,
                      runPlanOnCuda, snnrt::runPlanOnDataset);
#if SNNC_HAVE_COMPILER
  // A NIR graph runs as the float model `snnc import` would make of it.
  if (snnrt::fileKind(input) == snnrt::FileKind::Nir)
    return runNetwork(cli::readNirModel(input, o.nir), dataset, options, device,
                      runModelOnCuda, snnrt::runModelOnDataset);
#endif
  return runNetwork(snnrt::readModel(input), dataset, options, device,
                    runModelOnCuda, snnrt::runModelOnDataset);
}

void printRunJson(const std::string &input, const snnrt::RunSummary &run,
                  double eventsPerSecond) {
  std::printf("{\"input\": \"%s\", \"kind\": \"%s\", \"samples\": %zu, "
              "\"accuracy\": %.6f, \"seconds\": %.6f, "
              "\"synaptic_events\": %llu, \"synaptic_events_per_second\": "
              "%.1f, \"populations\": [",
              input.c_str(), run.what.c_str(), run.samples, run.accuracy,
              run.seconds, (unsigned long long)run.synapticEvents,
              eventsPerSecond);
  for (size_t p = 0; p < run.populations.size(); ++p) {
    const auto &pop = run.populations[p];
    std::printf("%s{\"name\": \"%s\", \"kind\": \"%s\", \"size\": %u, "
                "\"spikes\": %llu, \"spikes_per_sample\": %.4f}",
                p ? ", " : "", pop.name.c_str(), pop.kind.c_str(), pop.size,
                (unsigned long long)pop.spikes,
                run.samples ? double(pop.spikes) / run.samples : 0.0);
  }
  std::printf("]}\n");
}

void printRunText(const std::string &input, const std::string &data,
                  const snnrt::RunSummary &run, double eventsPerSecond) {
  std::printf("%s %s on %s: accuracy %.2f%% (%zu/%zu samples) in %.2f s\n",
              run.what.c_str(), input.c_str(), data.c_str(), 100 * run.accuracy,
              run.correct, run.samples, run.seconds);
  std::printf("%-16s %-6s %8s %14s %16s\n", "population", "kind", "neurons",
              "spikes", "spikes/sample");
  for (const auto &pop : run.populations)
    std::printf("%-16s %-6s %8u %14llu %16.2f\n", pop.name.c_str(),
                pop.kind.c_str(), pop.size, (unsigned long long)pop.spikes,
                run.samples ? double(pop.spikes) / run.samples : 0.0);
  std::printf("synaptic events: %llu (%.3g per second%s)\n",
              (unsigned long long)run.synapticEvents, eventsPerSecond,
              run.what == "model" ? ", estimated from spikes x fan-out" : "");
}
} // namespace

int snnc::runRun(int argc, char **argv) {
  RunCliOptions o;
  cli::ArgParser parser(
      "run", "Run a trained model (float) or a compiled plan (integer, "
             "event-driven per core) over a\ndataset: accuracy, spikes per "
             "population, synaptic events per second.");
  addRunOptions(parser, o);
  if (auto code = parser.parse(argc, argv))
    return *code;
  snnrt::Device dev = snnrt::Device::Cpu;
  if (auto code = cli::resolveDeviceOption("run", o.device, dev))
    return *code;
  if (dev == snnrt::Device::Cuda && (!o.record.empty() || !o.profile.empty()))
    return cli::reportError(
        "run", snnrt::Status::error("--record and --profile run on the CPU; "
                                    "drop --device cuda",
                                    snnrt::ErrorKind::BadInput));
  if (auto st = checkRunFiles(o); !st)
    return cli::reportError("run", st);

  auto dataset = snnrt::readDataset(o.data);
  if (!dataset)
    return cli::reportError("run", dataset.status());
  snnrt::RunOptions options;
  options.threads = int(o.threads);
  options.maxSamples = size_t(o.samples);
  options.inFlight = uint32_t(o.inFlight);
  options.record = !o.record.empty();
  if (!o.quiet)
    options.progress = cli::sampleProgress();
  InputRun run = runInput(o, *dataset, options, dev);
  if (!run.summary)
    return cli::reportError("run", run.summary.status());
  const snnrt::RunSummary &summary = *run.summary;
  if (!o.record.empty())
    if (auto status =
            snnrt::writeSpikeRecording(o.record, summary, run.dt, run.steps);
        !status)
      return cli::reportError("run", status);
  if (!o.profile.empty())
    if (auto status = snnrt::writeRateProfile(o.profile, summary); !status)
      return cli::reportError("run", status);

  double eventsPerSecond =
      summary.seconds > 0 ? double(summary.synapticEvents) / summary.seconds
                          : 0;
  if (o.json)
    printRunJson(o.input, summary, eventsPerSecond);
  else
    printRunText(o.input, o.data, summary, eventsPerSecond);
  return cli::kSuccess;
}
