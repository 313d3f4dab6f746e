//===- TimingTask.h - A classification task with no rate cue ----*- C++ -*-===//
//
// Four input channels each fire exactly one spike per sample; the class is
// which permutation of the offsets {0, 5, 10, 15} the channels follow, and
// the whole pattern starts at a random step. Every class has the same spike
// count on every channel, so only the relative timing between channels
// identifies it: a network of coincidence detectors needs delays to solve it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Trainer.h"

#include <algorithm>

namespace snnrt::fixtures {

inline Dataset timingTask(size_t samples, uint64_t seed, uint32_t steps = 40) {
  static const int kOffsets[4][4] = {
      {0, 5, 10, 15}, {15, 10, 5, 0}, {5, 15, 0, 10}, {10, 0, 15, 5}};
  Rng rng(seed);
  Dataset d;
  d.kind = InputKind::Spikes;
  d.dtSeconds = 0.001;
  d.steps = steps;
  d.channels = 4;
  d.numClasses = 4;
  d.source = "timing task (test/unit/train/TimingTask.h)";
  d.eventOffsets.push_back(0);
  for (size_t n = 0; n < samples; ++n) {
    int label = int(n % 4);
    uint32_t start = uint32_t(rng.below(steps - 16 - 4));
    std::vector<std::pair<uint32_t, uint32_t>> ev;
    for (uint32_t c = 0; c < 4; ++c)
      ev.push_back({start + uint32_t(kOffsets[label][c]), c});
    std::sort(ev.begin(), ev.end());
    for (auto &[t, c] : ev) {
      d.eventStep.push_back(t);
      d.eventChannel.push_back(c);
      d.eventCount.push_back(1.0f);
    }
    d.eventOffsets.push_back(d.eventStep.size());
    d.labels.push_back(label);
  }
  return d;
}

/// A small network for the task (4 -> 32 -> 4, learned delays up to 16,
/// BatchNorm and dropout), as the training tests build it.
inline NetworkSpec timingTaskNetwork() {
  NetworkSpec s;
  s.inputs = 4;
  s.hidden = {32};
  s.outputs = 4;
  s.steps = 40;
  s.dt = 0.001;
  s.tauMemSteps = 5.0;
  s.maxDelay = 16;
  s.delays = DelayMode::Learn;
  s.inputKind = InputKind::Spikes;
  s.inputScale = 1.0;
  s.batchnorm = true;
  s.dropout = 0.25;
  return s;
}

/// A few epochs on it: batch 32, 2 threads, no L1, σ annealed over
/// `sigmaEpochs`.
inline TrainConfig timingTaskConfig(int64_t epochs, int64_t sigmaEpochs) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch = 32;
  c.seed = 4;
  c.threads = 2;
  c.l1 = 0.0;
  c.lrWeights = 2e-3;
  c.lrWeightsMax = 1e-2;
  c.sigmaEpochs = sigmaEpochs;
  return c;
}

} // namespace snnrt::fixtures
