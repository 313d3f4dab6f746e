//===- Augment.h - Input augmentation of a training batch --------*- C++
//-*-===//
//
// Random shifts of each training sample in time and across input channels,
// drawn afresh for every sample of every batch. The built-in digits' and
// SHD's channels are a filterbank ordered by frequency, so a shift across
// channels moves the formants up or down, roughly what a longer or shorter
// vocal tract does; a shift in time moves the word in its window. Both aim at
// voices the network has not heard (SNN-F14; docs/training.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>

namespace snnrt {

struct AugmentSpec {
  /// Each sample moves by a whole number of steps drawn uniformly from
  /// [-timeShift, timeShift]; steps moved in from outside are silent.
  uint32_t timeShift = 0;
  /// Each sample moves by a whole number of channels drawn uniformly from
  /// [-channelShift, channelShift]; channels moved in from outside are silent.
  uint32_t channelShift = 0;

  bool enabled() const { return timeShift > 0 || channelShift > 0; }
};

/// Shifts every sample of `batch` in place (frames or spikes; spikes shifted
/// out of the window are dropped, the order by (step, channel) is kept). The
/// shifts come from `rng`, time first, then channels, sample by sample.
void augmentSamples(Dataset &batch, const AugmentSpec &spec, Rng &rng);

} // namespace snnrt
