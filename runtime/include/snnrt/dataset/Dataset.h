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
  bool bySpeaker = false;     ///< whole speakers held out
  size_t speakers = 0;        ///< speakers in the input (when bySpeaker)
  size_t heldOutSpeakers = 0; ///< of them in `validation`
};

/// Holds out `fraction` (in (0, 1)) of `data`: of its speakers when the
/// dataset records them (so validation voices are unseen, like the test
/// split's), else of its samples. Deterministic in `seed`; both parts keep
/// the input's order. Errors: a fraction outside (0, 1), fewer than 2
/// speakers (or samples).
Expected<ValidationSplit> splitValidation(const Dataset &data, double fraction,
                                          uint64_t seed);

/// Reads and validates a dataset file; errors name the file and the dataset.
Expected<Dataset> readDataset(const std::string &path);
/// The same from an open file (h5::File::openImage: the fuzz targets).
Expected<Dataset> readDataset(const h5::File &file);
/// Validates, then writes atomically (temp file + rename).
Status writeDataset(const std::string &path, const Dataset &dataset);

} // namespace snnrt
