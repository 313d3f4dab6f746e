//===- Augment.cpp - Input augmentation of a training batch ---------------===//

#include "snnrt/train/Augment.h"

#include <algorithm>

namespace snnrt {

namespace {

int64_t drawShift(Rng &rng, uint32_t limit) {
  if (limit == 0)
    return 0;
  return int64_t(rng.below(2 * uint64_t(limit) + 1)) - int64_t(limit);
}

} // namespace

void augmentSamples(Dataset &batch, const AugmentSpec &spec, Rng &rng) {
  if (!spec.enabled())
    return;
  const int64_t T = batch.steps, C = batch.channels;
  const size_t n = batch.size();
  if (batch.kind == InputKind::Frames) {
    std::vector<float> shifted(size_t(T * C));
    for (size_t s = 0; s < n; ++s) {
      int64_t dt = drawShift(rng, spec.timeShift);
      int64_t dc = drawShift(rng, spec.channelShift);
      if (dt == 0 && dc == 0)
        continue;
      float *x = batch.frames.data() + s * size_t(T * C);
      std::fill(shifted.begin(), shifted.end(), 0.0f);
      for (int64_t t = 0; t < T; ++t) {
        int64_t from = t - dt;
        if (from < 0 || from >= T)
          continue;
        for (int64_t c = 0; c < C; ++c) {
          int64_t fc = c - dc;
          if (fc >= 0 && fc < C)
            shifted[size_t(t * C + c)] = x[from * C + fc];
        }
      }
      std::copy(shifted.begin(), shifted.end(), x);
    }
    return;
  }
  // Spikes: a common shift keeps each sample's (step, channel) order, so
  // dropping the events that leave the window is all the compaction needed.
  std::vector<uint64_t> offsets(n + 1, 0);
  size_t out = 0;
  for (size_t s = 0; s < n; ++s) {
    int64_t dt = drawShift(rng, spec.timeShift);
    int64_t dc = drawShift(rng, spec.channelShift);
    for (uint64_t e = batch.eventOffsets[s]; e < batch.eventOffsets[s + 1];
         ++e) {
      int64_t t = int64_t(batch.eventStep[e]) + dt;
      int64_t c = int64_t(batch.eventChannel[e]) + dc;
      if (t < 0 || t >= T || c < 0 || c >= C)
        continue;
      batch.eventStep[out] = uint32_t(t);
      batch.eventChannel[out] = uint32_t(c);
      batch.eventCount[out] = batch.eventCount[e];
      ++out;
    }
    offsets[s + 1] = out;
  }
  batch.eventOffsets = std::move(offsets);
  batch.eventStep.resize(out);
  batch.eventChannel.resize(out);
  batch.eventCount.resize(out);
}

} // namespace snnrt
