//===- executor-bench.cpp - Integer executors: events/s and memory --------===//
//
// The measurement: synaptic events per second (per core) of the
// event-driven plan executor against a naive dense time-stepped execution of
// the same integer semantics (the flat reference: every synapse, every
// step), on the paper's network shape (40 -> 256 -> 20, delays < 25) and on
// a random 10^5-neuron, 10^7-synapse network, in one run, with the ratio and
// peak memory. `--plan PLAN.h5 --data FILE` adds a compiled plan.
//
//   executor-bench [--threads 2] [--large-synapses 10000000] [--samples N]
//                  [--only-large] [--export-network FILE.h5]
//
// `--export-network` writes the random network and its input spikes to an
// HDF5 file (layout in bench/README.md) that bench/brian2_run.py reads to
// simulate the same network in Brian2; the spike counts per population
// printed here are the numbers the two must agree on.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/PlanBuilder.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/exec/PlanRun.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <random>
#include <string>
#include <sys/resource.h>

using namespace snnrt;
using snnrt::h5::File;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double peakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

IntPopulation lif(const std::string &name, uint32_t size, int32_t threshold) {
  IntPopulation p;
  p.name = name;
  p.kind = PopulationKind::Lif;
  p.size = size;
  p.threshold.assign(size, threshold);
  p.bias.assign(size, 0);
  p.vDecay.assign(size, 409); // beta ~ 0.9
  p.weightScale.assign(size, 1.0f / threshold);
  return p;
}

/// Random projection with `fanIn` sources per target and delays < maxDelay.
IntProjection randomProjection(std::mt19937 &rng, const std::string &src,
                               uint32_t sources, const std::string &dst,
                               uint32_t targets, uint32_t fanIn,
                               uint32_t maxDelay, int lo, int hi) {
  IntProjection p;
  p.name = src + "_" + dst;
  p.source = src;
  p.target = dst;
  p.maxDelay = maxDelay;
  p.rowPtr.reserve(targets + 1);
  p.rowPtr.push_back(0);
  std::uniform_int_distribution<int> w(lo, hi);
  for (uint32_t b = 0; b < targets; ++b) {
    // Sorted distinct sources: a stride walk from a random start.
    uint32_t start = rng() % sources, stride = 1 + sources / fanIn;
    std::vector<uint32_t> cols;
    for (uint32_t k = 0; k < fanIn && k < sources; ++k)
      cols.push_back((start + k * stride) % sources);
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    for (uint32_t a : cols) {
      p.colIdx.push_back(a);
      p.weight.push_back(w(rng));
      p.delay.push_back(int32_t(rng() % maxDelay));
    }
    p.rowPtr.push_back(p.colIdx.size());
  }
  return p;
}

IntNetwork network(std::mt19937 &rng, uint32_t inputs,
                   const std::vector<uint32_t> &hidden, uint32_t outputs,
                   uint32_t fanIn, uint32_t maxDelay, uint32_t steps) {
  IntNetwork n;
  n.steps = steps;
  n.stateBits = 24;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = inputs;
  in.inputKind = InputKind::Spikes;
  n.populations.push_back(in);
  std::string prev = "in";
  uint32_t prevSize = inputs;
  for (size_t l = 0; l < hidden.size(); ++l) {
    std::string name = "h" + std::to_string(l + 1);
    n.populations.push_back(lif(name, hidden[l], 64));
    n.projections.push_back(randomProjection(
        rng, prev, prevSize, name, hidden[l], std::min(fanIn, prevSize),
        maxDelay, -6, 12));
    prev = name;
    prevSize = hidden[l];
  }
  IntPopulation out = lif("out", outputs, 64);
  out.kind = PopulationKind::Li;
  out.threshold.clear();
  n.populations.push_back(out);
  n.projections.push_back(randomProjection(rng, prev, prevSize, "out", outputs,
                                           std::min(fanIn, prevSize), maxDelay,
                                           -6, 12));
  n.outputs = {"out"};
  return n;
}

Dataset spikes(std::mt19937 &rng, uint32_t channels, uint32_t steps,
               size_t samples, double rate) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = steps;
  d.channels = channels;
  d.numClasses = 1;
  d.labels.assign(samples, 0);
  d.eventOffsets = {0};
  std::bernoulli_distribution fire(rate);
  for (size_t s = 0; s < samples; ++s) {
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < channels; ++c)
        if (fire(rng)) {
          d.eventStep.push_back(t);
          d.eventChannel.push_back(c);
          d.eventCount.push_back(1);
        }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

void measure(const char *label, const IntNetwork &net, const Plan &plan,
             const Dataset &data, int threads, bool runFlatToo) {
  uint64_t synapses = 0;
  for (const auto &p : net.projections)
    synapses += p.weight.size();
  // Loading one executor (tables built from the plan) is part of the
  // timed run below, once per thread; shown apart so that it is visible.
  double t0 = now();
  if (!PlanExecutor::create(plan)) {
    std::fprintf(stderr, "executor-bench: the plan does not load\n");
    std::exit(1);
  }
  double loadTime = now() - t0;
  RunOptions options;
  options.threads = threads;
  t0 = now();
  auto run = runPlanOnDataset(plan, data, options);
  double eventTime = now() - t0;
  if (!run) {
    std::fprintf(stderr, "%s\n", run.status().message().c_str());
    std::exit(1);
  }
  uint64_t events = run->synapticEvents;
  double flatTime = 0;
  if (runFlatToo) {
    // The naive reference on the same samples, the same number of threads.
    t0 = now();
    bool ok = true;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long s = 0; s < long(data.size()); ++s)
      if (!runFlat(net, data, size_t(s)))
        ok = false;
    flatTime = now() - t0;
    if (!ok)
      std::exit(1);
  }
  double perCore = events / eventTime / double(plan.cores.size());
  std::printf("%-26s %9llu %11llu %6zu %10.3f %12.3g %12.3g",
              label, (unsigned long long)synapses,
              (unsigned long long)events, plan.cores.size(), eventTime,
              events / eventTime, perCore);
  if (runFlatToo)
    std::printf(" %10.3f %8.1fx", flatTime, flatTime / eventTime);
  std::printf("\n");
  // What another simulator of the same network must reproduce.
  std::printf("  spikes:");
  for (const auto &p : run->populations)
    if (p.kind == "lif")
      std::printf(" %s=%llu", p.name.c_str(), (unsigned long long)p.spikes);
  std::printf("  (synaptic events %llu, %.4g s, %.4g events/s; one "
              "executor loads in %.3g s)\n",
              (unsigned long long)events, eventTime, events / eventTime,
              loadTime);
}

/// STREAM's copy kernel (b = a over arrays much larger than the caches) on
/// `threads` threads: the best of five passes, counting read and write
/// bytes as STREAM does. The memory limit of an executor is this bandwidth
/// divided by the bytes it moves per synaptic event.
double copyBandwidth(int threads) {
  const size_t n = size_t(1) << 24; // 2 x 128 MiB
  std::vector<double> a(n, 1.0), b(n, 0.0);
  double best = 1e30;
  for (int pass = 0; pass < 5; ++pass) {
    double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < long(n); ++i)
      b[size_t(i)] = a[size_t(i)];
    best = std::min(best, now() - t0);
    a[size_t(pass)] = b[n - 1 - size_t(pass)]; // keep the copies observable
  }
  return 2.0 * double(n) * sizeof(double) / best;
}

/// Fails the bench with the file and object HDF5 named.
void check(const Status &status) {
  if (!status.ok()) {
    std::fprintf(stderr, "executor-bench: %s\n", status.message().c_str());
    std::exit(1);
  }
}

/// Writes `net` and `data` for bench/brian2_run.py: per population its kind,
/// size and parameters, per projection the CSR synapses flattened to
/// (source, target, weight, delay) lists, and the input events. Only what
/// the random network uses (snnc rules, Mul12 decay, hard reset, no CuBa
/// synapse) is supported; anything else is refused so that Brian2 never
/// silently simulates something different.
void exportNetwork(const std::string &path, const IntNetwork &net,
                   const Dataset &data) {
  if (net.arithmetic != intmath::Arithmetic::Snnc ||
      net.decay != intmath::DecayKind::Mul12) {
    std::fprintf(stderr, "executor-bench: --export-network supports snnc's "
                         "rules with multiplicative decay only\n");
    std::exit(1);
  }
  auto file = File::createAtomic(path);
  if (!file) {
    check(file.status());
  }
  File &f = *file;
  check(f.writeScalar<uint32_t>("steps", net.steps));
  check(f.writeScalar<uint32_t>("state_bits", net.stateBits));
  std::vector<std::string> names;
  for (const auto &p : net.populations) {
    if (p.kind != PopulationKind::Input &&
        (!p.iDecay.empty() || p.reset != ResetMode::Hard)) {
      std::fprintf(stderr,
                   "executor-bench: population '%s' has a CuBa synapse or a "
                   "subtractive reset, which the export does not carry\n",
                   p.name.c_str());
      std::exit(1);
    }
    names.push_back(p.name);
    const std::string g = "populations/" + p.name;
    check(f.createGroup(g));
    check(f.writeString(g + "/kind", p.kind == PopulationKind::Input ? "input"
                                     : p.kind == PopulationKind::Lif ? "lif"
                                                                     : "li"));
    check(f.writeScalar<uint32_t>(g + "/size", p.size));
    if (p.kind == PopulationKind::Input)
      continue;
    if (p.kind == PopulationKind::Lif)
      check(f.write(g + "/threshold", p.threshold));
    check(f.write(g + "/bias", p.bias));
    check(f.write(g + "/v_decay", p.vDecay));
  }
  check(f.writeStrings("population_names", names));
  std::vector<std::string> projNames;
  for (const auto &p : net.projections) {
    projNames.push_back(p.name);
    const std::string g = "projections/" + p.name;
    check(f.createGroup(g));
    check(f.writeString(g + "/source", p.source));
    check(f.writeString(g + "/target", p.target));
    std::vector<uint32_t> target(p.colIdx.size());
    for (size_t b = 0; b + 1 < p.rowPtr.size(); ++b)
      for (uint64_t k = p.rowPtr[b]; k < p.rowPtr[b + 1]; ++k)
        target[k] = uint32_t(b);
    check(f.write(g + "/source_index", p.colIdx));
    check(f.write(g + "/target_index", target));
    check(f.write(g + "/weight", p.weight));
    check(f.write(g + "/delay", p.delay));
  }
  check(f.writeStrings("projection_names", projNames));
  // Inputs: one value per event; the random network's are all 1 (scale 1).
  check(f.writeScalar<uint64_t>("samples", uint64_t(data.size())));
  check(f.createGroup("input"));
  check(f.write("input/offsets", data.eventOffsets));
  check(f.write("input/step", data.eventStep));
  check(f.write("input/channel", data.eventChannel));
  check(f.write("input/count", data.eventCount));
  check(f.commit());
}

} // namespace

int main(int argc, char **argv) {
  int threads = 2;
  uint64_t largeSynapses = 10'000'000;
  size_t samples = 4;
  bool onlyLarge = false;
  std::string exportPath;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--large-synapses") && i + 1 < argc)
      largeSynapses = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--samples") && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--only-large"))
      onlyLarge = true;
    else if (!std::strcmp(argv[i], "--export-network") && i + 1 < argc)
      exportPath = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: executor-bench [--threads N] [--large-synapses N] "
                   "[--samples N] [--only-large] [--export-network FILE.h5]\n");
      return 2;
    }
  }
  std::mt19937 rng(1);
  std::printf("integer executors, %d threads, %zu samples each; 'naive' is "
              "the flat time-stepped reference\n",
              threads, samples);
  std::printf("%-26s %9s %11s %6s %10s %12s %12s %10s %9s\n", "network",
              "synapses", "syn-events", "cores", "event s", "events/s",
              "per core/s", "naive s", "ratio");

  // The paper's shape: 40 -> 256 -> 20, delays < 25, T = 100.
  IntNetwork paper = network(rng, 40, {256}, 20, 40, 25, 100);
  paper.projections[1] = randomProjection(rng, "h1", 256, "out", 20, 256, 25,
                                          -6, 12);
  Dataset paperData = spikes(rng, 40, 100, samples * 16, 0.1);
  Plan paperPlan = planFromIntNetwork(paper, sequentialCoreMap(paper, 128));
  if (!onlyLarge)
    measure("paper 40-256-20", paper, paperPlan, paperData, threads, true);

  // 10^5 neurons, ~10^7 synapses: 1000 inputs -> 49,500 -> 49,480 -> 20.
  uint32_t fanIn = uint32_t(largeSynapses / 99'000);
  IntNetwork large =
      network(rng, 1000, {49'500, 49'480}, 20, std::max(1u, fanIn), 16, 100);
  Dataset largeData = spikes(rng, 1000, 100, samples, 0.02);
  Plan largePlan = planFromIntNetwork(large, sequentialCoreMap(large, 1024));
  if (!exportPath.empty())
    exportNetwork(exportPath, large, largeData);
  measure("random 1e5 neurons", large, largePlan, largeData, threads,
          !onlyLarge);
  std::printf("peak memory: %.0f MiB (%s)\n", peakMiB(),
              onlyLarge ? "random network, plan executor"
                        : "both networks, both executors");
  // The plan executor's direct delivery streams one (target u32, weight
  // i16) entry per event from its (source, delay) segments; the int32
  // accumulator it adds into (4 bytes a neuron, 400 KB here) stays in cache.
  const double bytesPerEvent = 6.0, bandwidth = copyBandwidth(threads);
  std::printf("copy bandwidth: %.3g GB/s (%d threads); plan executor "
              "streams %.0f B/event -> memory limit %.3g events/s\n",
              bandwidth / 1e9, threads, bytesPerEvent,
              bandwidth / bytesPerEvent);
  return 0;
}
