//===- Dataset.cpp - Operations on a dataset in memory --------------------===//

#include "snnrt/dataset/Dataset.h"

#include <algorithm>

namespace snnrt {

Dataset firstSamples(const Dataset &data, size_t n) {
  n = std::min(n, data.size());
  Dataset out;
  out.kind = data.kind;
  out.dtSeconds = data.dtSeconds;
  out.steps = data.steps;
  out.channels = data.channels;
  out.numClasses = data.numClasses;
  out.classNames = data.classNames;
  out.source = data.source;
  auto firstOf = [](const auto &v, size_t count) {
    return std::decay_t<decltype(v)>(v.begin(), v.begin() + count);
  };
  out.labels = firstOf(data.labels, n);
  if (!data.speakers.empty())
    out.speakers = firstOf(data.speakers, n);
  if (data.kind == InputKind::Frames) {
    out.frames = firstOf(data.frames, n * size_t(data.steps) * data.channels);
  } else if (!data.eventOffsets.empty()) {
    out.eventOffsets = firstOf(data.eventOffsets, n + 1);
    const size_t events = out.eventOffsets[n];
    out.eventStep = firstOf(data.eventStep, events);
    out.eventChannel = firstOf(data.eventChannel, events);
    out.eventCount = firstOf(data.eventCount, events);
  }
  return out;
}

} // namespace snnrt
