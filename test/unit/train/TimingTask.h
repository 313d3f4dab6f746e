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

} // namespace snnrt::fixtures
