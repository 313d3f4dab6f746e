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
//
//===----------------------------------------------------------------------===//

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
  RunOptions options;
  options.threads = threads;
  double t0 = now();
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
}

} // namespace

int main(int argc, char **argv) {
  int threads = 2;
  uint64_t largeSynapses = 10'000'000;
  size_t samples = 4;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--large-synapses") && i + 1 < argc)
      largeSynapses = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--samples") && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr,
                   "usage: executor-bench [--threads N] [--large-synapses N] "
                   "[--samples N]\n");
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
  measure("paper 40-256-20", paper, paperPlan, paperData, threads, true);

  // 10^5 neurons, ~10^7 synapses: 1000 inputs -> 49,500 -> 49,480 -> 20.
  uint32_t fanIn = uint32_t(largeSynapses / 99'000);
  IntNetwork large =
      network(rng, 1000, {49'500, 49'480}, 20, std::max(1u, fanIn), 16, 100);
  Dataset largeData = spikes(rng, 1000, 100, samples, 0.02);
  Plan largePlan = planFromIntNetwork(large, sequentialCoreMap(large, 1024));
  measure("random 1e5 neurons", large, largePlan, largeData, threads, true);
  std::printf("peak memory: %.0f MiB (both networks, both executors)\n",
              peakMiB());
  return 0;
}
