//===- mapping.cpp - Mapping time, memory and quality on large networks ---===//
//
// `mapping-bench --neurons N --synapses S --strategy metis|sequential`
// builds a layered network in memory (input channels -> two hidden layers
// of N/2 neurons -> nothing else; each neuron draws S/N sources from a
// local window of the layer below, so the network has the locality a good
// partition can exploit), maps it with lib/Mapping exactly as
// snn-map-to-cores does (partition, traffic, placement) on the `loihi`
// preset's core limits, and prints one JSON line: times, peak RSS, cores,
// the lower bound, traffic and hop-weighted traffic. bench/mapping.py runs
// it over sizes and strategies and prints the ratios.
//
//===----------------------------------------------------------------------===//

#include "snnc/Mapping/Mapping.h"
#include "snnc/Target/Target.h"

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <sys/resource.h>

using namespace snnc;
using namespace snnc::mapping;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

static double cpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

static double peakRssMiB() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

int main(int argc, char **argv) {
  int64_t neurons = 10000, synapses = 1000000;
  std::string strategy = "metis", targetName = "loihi";
  bool shuffle = false;
  MetisOptions metisOpts;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : "";
    if (!std::strcmp(a, "--shuffle"))
      shuffle = true;
    else if (!std::strcmp(a, "--neurons"))
      neurons = std::atoll(v), ++i;
    else if (!std::strcmp(a, "--synapses"))
      synapses = std::atoll(v), ++i;
    else if (!std::strcmp(a, "--strategy"))
      strategy = v, ++i;
    else if (!std::strcmp(a, "--target"))
      targetName = v, ++i;
    else if (!std::strcmp(a, "--metis-pairs"))
      metisOpts.maxPairs = std::atoll(v), ++i;
    else if (!std::strcmp(a, "--metis-keep"))
      metisOpts.keepPairs = std::atoll(v), ++i;
    else {
      std::fprintf(stderr, "usage: mapping-bench [--neurons N] [--synapses S] "
                           "[--strategy metis|sequential] [--target T] "
                           "[--shuffle] [--metis-pairs P] [--metis-keep K]\n");
      return 2;
    }
  }
  llvm::Expected<Target> target = loadTarget(targetName);
  if (!target) {
    llvm::errs() << llvm::toString(target.takeError()) << "\n";
    return 2;
  }
  auto t0 = Clock::now();
  // Layers: inputs (neurons/10 channels), hidden A and B (neurons/2 each).
  int64_t half = neurons / 2, inputs = std::max<int64_t>(1, neurons / 10);
  int64_t fanIn = std::max<int64_t>(1, synapses / neurons);
  Graph g;
  g.numNeurons = 2 * half;
  g.sourceNeuron.assign(inputs + 2 * half, -1);
  for (int64_t n = 0; n < 2 * half; ++n)
    g.sourceNeuron[inputs + n] = int32_t(n);
  g.sourceRate.assign(g.sourceNeuron.size(), 1.0);
  g.inPtr.assign(g.numNeurons + 1, 0);
  g.inSource.reserve(size_t(g.numNeurons * fanIn));
  std::mt19937_64 rng(1);
  // --shuffle: the same local structure, but each layer's neurons are
  // numbered in random order (as after rewiring, or an importer that does
  // not sort): neuron order then says nothing about locality.
  std::vector<int64_t> place(2 * half);
  std::iota(place.begin(), place.end(), 0);
  if (shuffle) {
    std::shuffle(place.begin(), place.begin() + half, rng);
    std::shuffle(place.begin() + half, place.end(), rng);
  }
  std::vector<int64_t> inverse(half); // layer-A position -> neuron id
  for (int64_t n = 0; n < half; ++n)
    inverse[place[n]] = n;
  for (int64_t n = 0; n < g.numNeurons; ++n) {
    bool first = n < half;
    int64_t below = first ? inputs : half;
    // Sources of layer B are layer-A neurons at positions near n's; their
    // ids are the neurons whose place is that position.
    int64_t base = first ? 0 : inputs;
    int64_t pos = (first ? place[n] : place[n] - half) * below / half;
    int64_t window = std::min(below, 4 * fanIn);
    int64_t start = std::clamp<int64_t>(pos - window / 2, 0, below - window);
    int64_t k = std::min(fanIn, window);
    // k distinct sources of the window, in increasing order (Floyd).
    std::vector<int64_t> pick;
    for (int64_t j = window - k; j < window; ++j) {
      int64_t r = std::uniform_int_distribution<int64_t>(0, j)(rng);
      if (std::find(pick.begin(), pick.end(), r) != pick.end())
        r = j;
      pick.push_back(r);
    }
    std::vector<int32_t> ids;
    for (int64_t r : pick)
      ids.push_back(int32_t(first ? base + start + r
                                  : base + inverse[start + r]));
    std::sort(ids.begin(), ids.end());
    g.inSource.insert(g.inSource.end(), ids.begin(), ids.end());
    g.inPtr[n + 1] = int64_t(g.inSource.size());
  }
  double genSeconds = since(t0);
  double genRss = peakRssMiB();

  Capacity cap{target->neuronsPerCore, target->axonsPerCore,
               target->synapsesPerCore()};
  auto t1 = Clock::now();
  double cpu1 = cpuSeconds();
  int64_t lower = coreLowerBound(g, cap);
  Mesh mesh{target->meshRows, target->meshCols, target->coresPerChip};
  Result result;
  std::string error;
  if (!mapGraph(g, cap, mesh, target->maxCores(), strategy == "metis", result,
                error, metisOpts)) {
    llvm::errs() << "mapping: " << error << "\n";
    return 5;
  }
  double mapSeconds = since(t1), mapCpu = cpuSeconds() - cpu1;
  double hopTraffic = hopWeightedTraffic(result.traffic, result.positions,
                                         mesh);
  std::printf("{\"neurons\": %lld, \"synapses\": %lld, \"strategy\": \"%s\", "
              "\"target\": \"%s\", \"shuffled\": %s, \"cores\": %lld, \"lower_bound\": %lld, "
              "\"kept\": \"%s\", \"metis_runs\": %d, \"metis_pairs\": %lld, "
              "\"metis_degree_cap\": %lld, \"metis_cores\": %lld, "
              "\"metis_traffic\": %.1f, \"traffic\": %.1f, "
              "\"hop_traffic\": %.1f, \"generate_s\": %.3f, \"map_s\": %.3f, \"map_cpu_s\": %.3f, "
              "\"graph_rss_mib\": %.1f, \"peak_rss_mib\": %.1f}\n",
              (long long)g.numNeurons, (long long)g.numSynapses(),
              strategy.c_str(), target->name.c_str(),
              shuffle ? "true" : "false",
              (long long)result.partition.numCores, (long long)lower,
              result.partitioner.c_str(), result.metisRuns,
              (long long)result.metisKeptPairs,
              (long long)result.metisDegreeCap,
              (long long)result.metisCores, result.metisTraffic,
              result.traffic.total, hopTraffic, genSeconds, mapSeconds, mapCpu, genRss,
              peakRssMiB());
  return 0;
}
