//===- Dataset.h - The dataset file that `snnc train` reads -----*- C++ -*-===//
//
// One sample is T steps of C input channels, either dense real-valued frames
// (audio features) or sparse spike events. Layout on disk: docs/formats/dataset.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {
namespace h5 {
class File;
} // namespace h5

enum class InputKind { Frames, Spikes };

struct Dataset {
  InputKind kind = InputKind::Frames;
  double dtSeconds = 0.01;   ///< length of one step
  uint32_t steps = 0;        ///< T
  uint32_t channels = 0;     ///< C
  uint32_t numClasses = 0;   ///< labels lie in [0, numClasses)
  std::vector<int32_t> labels;          ///< [N]
  std::vector<int32_t> speakers;        ///< [N], or empty when unknown
  /// [N] each sample's voice variant (timbre) and base voice (accent), or
  /// empty when unknown; a speaker is one (base, variant) pair. Recorded by
  /// `snnc data digits`, whose test split holds out whole variants, so a
  /// validation split can do the same (splitValidation).
  std::vector<int32_t> variants, voiceBases;
  std::vector<std::string> classNames;  ///< [numClasses], or empty
  std::string source;                   ///< provenance, free text

  /// Frames: [N, T, C] row-major (sample, step, channel).
  std::vector<float> frames;

  /// Spikes: events of sample n are [eventOffsets[n], eventOffsets[n+1]),
  /// sorted by (step, channel), each (step, channel) at most once; `eventCount`
  /// is the number of spikes binned into that step (>= 1).
  std::vector<uint64_t> eventOffsets; ///< [N + 1]
  std::vector<uint32_t> eventStep;    ///< [E]
  std::vector<uint32_t> eventChannel; ///< [E]
  std::vector<float> eventCount;      ///< [E]

  size_t size() const { return labels.size(); }

  /// Checks every invariant above; the message names the field at fault.
  Status validate() const;
};

/// The first `n` samples of `data` (all of them when it holds no more), with
/// its steps, channels, classes and provenance.
Dataset firstSamples(const Dataset &data, size_t n);

/// The samples of `data` at `indices` (in that order; each index < size()),
/// with its steps, channels, classes and provenance.
Dataset selectSamples(const Dataset &data, const std::vector<size_t> &indices);

/// A training set divided into the samples trained on and a validation split
/// for model selection (the test split stays untouched).
struct ValidationSplit {
  Dataset train, validation;
  bool bySpeaker = false;     ///< whole speakers (or variants) held out
  bool byVariant = false;     ///< whole voice variants held out
  size_t speakers = 0;        ///< speakers (variants) in the input
  size_t heldOutSpeakers = 0; ///< of them in `validation`
  std::vector<int32_t> heldOutIds; ///< their ids, ascending
};

/// What a validation split holds out whole.
enum class ValidationGroups {
  Auto,    ///< variants when recorded, else speakers, else samples
  Variant, ///< voice variants (timbres), as the built-in digits' test split
  Speaker, ///< speakers, else samples
  Sample,  ///< single samples
};

const char *toString(ValidationGroups groups);
/// "auto", "variant", "speaker" or "sample"; false for anything else.
bool parseValidationGroups(const std::string &text, ValidationGroups &out);

/// Holds out `fraction` (in (0, 1)) of `data`'s groups (`groups`): whole
/// voice variants, so that validation voices have a timbre never trained on
/// as the built-in digits' test voices do; whole speakers, so that they are
/// unseen voices; or samples. A group the dataset does not record falls back
/// to the next (Variant: an error, asked for explicitly). Deterministic in
/// `seed`; both parts keep the input's order. Errors: a fraction outside
/// (0, 1), fewer than 2 groups, Variant without recorded variants.
Expected<ValidationSplit>
splitValidation(const Dataset &data, double fraction, uint64_t seed,
                ValidationGroups groups = ValidationGroups::Speaker);

/// Reads and validates a dataset file; errors name the file and the dataset.
Expected<Dataset> readDataset(const std::string &path);
/// The same from an open file (h5::File::openImage: the fuzz targets).
Expected<Dataset> readDataset(const h5::File &file);
/// Validates, then writes atomically (temp file + rename).
Status writeDataset(const std::string &path, const Dataset &dataset);

} // namespace snnrt
