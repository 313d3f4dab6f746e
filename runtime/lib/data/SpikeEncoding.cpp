//===- SpikeEncoding.cpp - Frames to spike events -------------------------===//
//
// Send-on-delta: each band keeps a reference level that starts at 0 (the
// normalised floor, i.e. silence). Whenever the band has moved a full
// threshold away from the reference, the reference moves one threshold
// towards it and a spike is emitted on the band's up or down channel; several
// crossings within one step become one event whose count is the number of
// crossings. Deterministic and lossless up to the threshold: the reference
// never lags the band by a threshold or more after each step.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/SpikeEncoding.h"

#include <cmath>

namespace snnrt {

void deltaEncode(const float *values, uint32_t steps, uint32_t bands,
                 const DeltaEncoding &enc, Dataset &out) {
  std::vector<double> ref(bands, 0.0);
  std::vector<uint32_t> down(bands);
  for (uint32_t t = 0; t < steps; ++t) {
    // Up channels (< bands) are emitted first in this step, then the down
    // channels, which keeps events sorted by (step, channel).
    for (uint32_t b = 0; b < bands; ++b) {
      double x = values[size_t(t) * bands + b];
      double diff = x - ref[b];
      // The small slack keeps values exactly k thresholds away (0.1 with a
      // 0.05 threshold) from losing a crossing to rounding.
      uint32_t k = uint32_t(std::floor(std::fabs(diff) / enc.threshold + 1e-9));
      down[b] = 0;
      if (k == 0)
        continue;
      if (diff > 0) {
        ref[b] += k * enc.threshold;
        out.eventStep.push_back(t);
        out.eventChannel.push_back(b);
        out.eventCount.push_back(float(k));
      } else {
        ref[b] -= k * enc.threshold;
        down[b] = k;
      }
    }
    for (uint32_t b = 0; b < bands; ++b)
      if (down[b]) {
        out.eventStep.push_back(t);
        out.eventChannel.push_back(bands + b);
        out.eventCount.push_back(float(down[b]));
      }
  }
}

Expected<Dataset> encodeFramesAsSpikes(const Dataset &in, double gain,
                                       const DeltaEncoding &enc) {
  if (in.kind != InputKind::Frames)
    return Status::error("spike encoding needs a frames dataset");
  if (!(enc.threshold > 0) || !(enc.threshold <= 1))
    return Status::error("spike threshold must lie in (0, 1]");
  if (!(gain > 0))
    return Status::error("spike encoding: gain must be positive");
  Dataset out;
  out.kind = InputKind::Spikes;
  out.dtSeconds = in.dtSeconds;
  out.steps = in.steps;
  out.channels = 2 * in.channels;
  out.numClasses = in.numClasses;
  out.labels = in.labels;
  out.speakers = in.speakers;
  out.variants = in.variants;
  out.voiceBases = in.voiceBases;
  out.classNames = in.classNames;
  out.source = in.source;
  out.eventOffsets.push_back(0);
  const size_t per = size_t(in.steps) * in.channels;
  std::vector<float> unit(per);
  for (size_t s = 0; s < in.size(); ++s) {
    for (size_t i = 0; i < per; ++i)
      unit[i] = float(in.frames[s * per + i] / gain);
    deltaEncode(unit.data(), in.steps, in.channels, enc, out);
    out.eventOffsets.push_back(out.eventStep.size());
  }
  return out;
}

} // namespace snnrt
