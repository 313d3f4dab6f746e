//===- Augment.h - Input augmentation of a training batch --------*- C++
//-*-===//
//
// Random shifts of each training sample in time and across input channels,
// drawn afresh for every sample of every batch. The built-in digits' and
// SHD's channels are a filterbank ordered by frequency, so a shift across
// channels moves the formants up or down, roughly what a longer or shorter
// vocal tract does; a shift in time moves the word in its window. A warp
// bends the channel axis (inner channels move by different amounts, as the
// formants of another vocal tract do: F1 and F3 need not move together) and a
// band gain scales the channels by a smooth random curve (another voice's
// spectral tilt). A formant scale multiplies every frequency by one factor
// (vocal tract length perturbation), reading the channels as bands equally
// spaced on the mel scale from 0 Hz, as the built-in digits' and the audio
// front-end's are. All aim at voices the network has not heard (SNN-F14;
// docs/training.md).
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
  /// Each sample's channel c reads channel c - d(c) (linear interpolation),
  /// d(c) = W (a1 sin(pi u) + a2 sin(2 pi u) / 2), u = c / (C - 1), a1, a2
  /// uniform in [-1, 1]: the end channels stay, inner ones move by up to 1.3 W
  /// channels. W < maxWarp(C) keeps the map monotone.
  double warpChannels = 0;
  /// Each sample's channel c is multiplied by 1 + g(c), g(c) = G (b1 (2u - 1)
  /// + b2 sin(2 pi u)) / 2, b1, b2 uniform in [-1, 1]: a tilt and a bump of
  /// at most G (G < 1 keeps every value's sign). Spike counts are rounded
  /// up or down at random to a whole count (0: the event is dropped).
  double bandGain = 0;
  /// Each sample's frequencies are multiplied by one factor a = (1 + F)^v,
  /// v uniform in [-1, 1]: channel c reads the frequency f(c) / a (linear
  /// interpolation between channels; silent above the top band), f(c) the
  /// centre of mel band c of C equally spaced from 0 Hz to melTopHz.
  double formantScale = 0;
  /// The top of the mel filterbank the channels were made with (the built-in
  /// digits and `snnc data audio`: 8000 Hz).
  double melTopHz = 8000;

  bool enabled() const {
    return timeShift > 0 || channelShift > 0 || warpChannels > 0 ||
           bandGain > 0 || formantScale > 0;
  }
};

/// The largest warp (exclusive) that keeps the channel map of C channels
/// monotone: |d'| <= 2 pi W / (C - 1) < 1.
double maxWarp(int64_t channels);

/// Shifts, warps and scales every sample of `batch` in place (frames or
/// spikes; spikes shifted out of the window are dropped, spikes the warp
/// lands on one channel in one step become one event with the summed count,
/// the order by (step, channel) is kept). The draws come from `rng`, sample
/// by sample: time shift, channel shift, then (only where enabled) the
/// warp's a1, a2, the gain's b1, b2 and the formant scale's v, and for
/// spikes with a gain one draw per event kept; shifts are applied first, then
/// the warp, then the formant scale, then the gain.
void augmentSamples(Dataset &batch, const AugmentSpec &spec, Rng &rng);

} // namespace snnrt
