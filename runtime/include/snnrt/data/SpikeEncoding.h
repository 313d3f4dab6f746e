//===- SpikeEncoding.h - Frames to spike events -----------------*- C++ -*-===//
//
// Optional spike encoding of front-end bands: send-on-delta with separate
// "up" and "down" channels per band (docs/data.md, "Spike encoding").
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <vector>

namespace snnrt {

struct DeltaEncoding {
  /// Change of the band value (in normalised units, before gain) that emits
  /// one spike.
  double threshold = 0.05;
};

/// Encodes one sample of [steps, bands] values (already divided by the gain,
/// i.e. in [0, 1]) into events on 2*bands channels: channel b is band b
/// rising, channel bands + b is band b falling. Events are appended to the
/// dataset's event arrays sorted by (step, channel); eventOffsets is not
/// touched.
void deltaEncode(const float *values, uint32_t steps, uint32_t bands,
                 const DeltaEncoding &encoding, Dataset &out);

/// Converts a frames dataset whose values are gain * [0, 1] into a spike
/// dataset with 2*C channels.
Expected<Dataset> encodeFramesAsSpikes(const Dataset &frames, double gain,
                                       const DeltaEncoding &encoding);

} // namespace snnrt
