//===- sparse-bench.cpp - Epoch time against connectivity -----------------===//
//
// Times one training epoch (forward + BPTT + Adam + rewiring over every
// batch) of the paper's 40 -> 256 -> 20 network, T = 100, Dmax = 25, batch
// 256, with an exact synapse budget at connectivity 1/2^k (k = 0 ... 9), for
// each condition asked (docs/sparse-training.md):
//   frozen-none   frozen random delays, fixed mask
//   frozen-deepr  frozen delays, DEEP R (random regrowth)
//   frozen-rigl   frozen delays, RigL (gradients of absent slots at
//                 every rewiring)
//   learn-rigl    DCLS delays at the annealed width 0.23, RigL
//   learn-none    the same with a fixed mask
//   learnwide-none DCLS at the initial width 12 (all 25 taps live), fixed
// Prints seconds per epoch (wall and CPU) and the engine's strategy.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace snnrt;

namespace {

Dataset synthetic(size_t n, uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = 0.01;
  d.steps = 100;
  d.channels = 40;
  d.numClasses = 20;
  d.source = "sparse-bench synthetic frames";
  d.frames.resize(n * 100 * 40);
  for (size_t i = 0; i < n; ++i) {
    d.labels.push_back(int(i % 20));
    for (size_t k = 0; k < 100 * 40; ++k)
      d.frames[i * 4000 + k] = float(0.1 * rng.uniform());
  }
  return d;
}

double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

} // namespace

int main(int argc, char **argv) {
  std::string dataPath,
      modes = "frozen-none,frozen-deepr,frozen-rigl,learn-rigl";
  size_t samples = 1024;
  int threads = 2, kMax = 9, hidden = 256;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? argv[++i] : (char *)"0"; };
    if (a == "--data")
      dataPath = next();
    else if (a == "--samples")
      samples = size_t(std::atol(next()));
    else if (a == "--threads")
      threads = std::atoi(next());
    else if (a == "--kmax")
      kMax = std::atoi(next());
    else if (a == "--hidden")
      hidden = std::atoi(next());
    else if (a == "--modes")
      modes = next();
    else {
      std::printf("usage: sparse-bench [--data train.h5] [--samples N] "
                  "[--threads N] [--kmax K] [--hidden N] [--modes "
                  "frozen-none,frozen-deepr,frozen-rigl,learn-rigl]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  Dataset data;
  if (!dataPath.empty()) {
    auto d = readDataset(dataPath);
    if (!d) {
      std::fprintf(stderr, "sparse-bench: %s\n", d.status().message().c_str());
      return 1;
    }
    data = firstSamples(*d, samples);
  } else {
    data = synthetic(samples, 7);
  }
  std::printf("# %zu samples, batch 256, 40 -> %d -> 20, T=100, Dmax=25, %d "
              "threads\n",
              data.size(), hidden, threads);
  std::printf("%-13s %5s %10s %9s %9s %s\n", "condition", "conn", "synapses",
              "wall_s", "cpu_s", "strategies");
  size_t start = 0;
  while (start < modes.size()) {
    size_t end = modes.find(',', start);
    if (end == std::string::npos)
      end = modes.size();
    std::string mode = modes.substr(start, end - start);
    start = end + 1;
    bool learn = mode.rfind("learn", 0) == 0;
    std::string rw = mode.substr(mode.find('-') + 1);
    auto rewire = parseRewireMode(rw);
    if (!rewire) {
      std::fprintf(stderr, "sparse-bench: unknown condition %s\n",
                   mode.c_str());
      return 2;
    }
    for (int k = 0; k <= kMax; ++k) {
      NetworkSpec spec;
      spec.hidden = {uint32_t(hidden)};
      spec.delays = learn ? DelayMode::Learn : DelayMode::Frozen;
      spec.sigma0 = mode.rfind("learnwide", 0) == 0 ? 12.0 : 0.23;
      auto m = buildFeedForward(spec, 1);
      if (!m)
        return 1;
      Model model = m.take();
      SparsitySpec ss;
      ss.sparsity = 1.0 - std::ldexp(1.0, -k);
      if (!sparsify(model, ss, 1))
        return 1;
      uint64_t syn = 0;
      for (const auto &p : model.projections)
        for (uint8_t b : p.mask)
          syn += b;
      TrainConfig cfg;
      cfg.epochs = 2;
      cfg.batch = 256;
      cfg.threads = threads;
      cfg.sigmaEpochs = 0;
      RewireConfig rc;
      rc.mode = *rewire;
      attachRewiring(cfg, model, rc);
      auto t = Trainer::create(model, cfg, data, nullptr);
      if (!t) {
        std::fprintf(stderr, "sparse-bench: %s\n",
                     t.status().message().c_str());
        return 1;
      }
      // The first epoch warms caches and event lists; time the second.
      if (!(*t)->run(nullptr, 1))
        return 1;
      auto w0 = std::chrono::steady_clock::now();
      double c0 = cpuSeconds();
      auto rep = (*t)->runEpoch();
      if (!rep)
        return 1;
      double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - w0)
              .count();
      std::string strat;
      for (const auto &s : (*t)->engine().lastStrategies())
        strat += (strat.empty() ? "" : ",") + s;
      std::printf("%-13s 1/%-3d %10llu %9.3f %9.3f %s\n", mode.c_str(), 1 << k,
                  (unsigned long long)syn, wall, cpuSeconds() - c0,
                  strat.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
