//===- BuiltinDigits.h - The built-in spoken-digits dataset -----*- C++ -*-===//
//
// `snnc data digits`: English and German digits 0-9 (20 classes, numbered as
// in Heidelberg Digits) synthesised with espeak-ng over many voices, with
// random rate, pitch, level, noise and time shift, through the same
// front-end as `snnc data audio`. The split is by voice: the test set holds
// voice variants the training set never heard. Details: docs/data.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/data/AudioDataset.h"
#include "snnrt/data/SpikeEncoding.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {

struct DigitsOptions {
  uint32_t trainSamples = 4000;
  uint32_t testSamples = 1000;
  uint64_t seed = 1;
  uint32_t steps = 100;   ///< T: 1 s at 10 ms
  unsigned threads = 0;   ///< front-end workers; 0: all cores
  /// K: the first K classes (0-9 English, then German); labels 0..K-1.
  /// Fewer classes fit small chips (Xylo has 8 outputs).
  uint32_t classes = 20;
  /// Store send-on-delta spikes on 2 x mel.bands up/down channels instead of
  /// frames (the encoding of `snnc data audio --encode spikes`).
  bool spikes = false;
  DeltaEncoding encoding;
  MelConfig mel; ///< mel.bands is the channel count (40; 16 for Xylo)
};

/// One speaker: an espeak base voice with a voice variant.
struct DigitVoice {
  std::string language; ///< "en" or "de"
  std::string base;     ///< espeak voice ("en-gb-x-rp", "de", ...)
  std::string variant;  ///< espeak variant ("m3", "f2", "klatt", ...)
  int32_t speaker = 0;  ///< id stored in the dataset's `speakers`
  bool test = false;    ///< true: only in the test split
  /// Ids stored in `variants` (the training variants, then the test
  /// variants, in catalogue order) and `voice_bases` (English bases, then
  /// German), docs/data.md.
  int32_t variantId = 0, baseId = 0;
};

/// The fixed catalogue of voices and their split (independent of the seed,
/// so every run holds out the same voices).
const std::vector<DigitVoice> &digitVoices();

/// Spoken form of class `label` (0-9 English, 10-19 German).
const std::string &digitWord(int32_t label);

struct DigitsStats {
  double synthSeconds = 0;   ///< time spent inside espeak-ng
  double audioSeconds = 0;   ///< audio produced (after placement, 16 kHz)
  double wallSeconds = 0;
};

/// Generates one split ("train" or "test") in memory.
Expected<Dataset> generateDigits(const DigitsOptions &options, bool testSplit,
                                 DigitsStats *stats = nullptr,
                                 const ProgressFn &progress = {});

/// Generates both splits and writes DIR/train.h5 and DIR/test.h5 (creating
/// DIR). Nothing is written unless both splits were generated.
Status writeDigits(const std::string &dir, const DigitsOptions &options,
                   DigitsStats *stats = nullptr,
                   const std::function<void(const std::string &split,
                                            size_t done, size_t total)>
                       &progress = {});

} // namespace snnrt
