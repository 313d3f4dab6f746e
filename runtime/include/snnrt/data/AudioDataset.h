//===- AudioDataset.h - Audio files to a frames dataset ---------*- C++ -*-===//
//
// `snnc data audio`: each input file through AudioFile (16 kHz) and
// MelFrontEnd into T frames, labelled from a list file or from Heidelberg
// Digits file names. Details: docs/data.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/data/MelFrontEnd.h"
#include "snnrt/data/SpikeEncoding.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace snnrt {

/// Called with (done, total) as work progresses; may be empty.
using ProgressFn = std::function<void(size_t done, size_t total)>;

/// What a Heidelberg Digits file name says:
/// `lang-english_speaker-03_trial-4_digit-0.flac`.
struct HeidelbergName {
  int32_t label = -1;   ///< English digit d -> d, German digit d -> 10 + d
  int32_t speaker = -1;
};
Expected<HeidelbergName> parseHeidelbergName(const std::string &path);

struct AudioDatasetOptions {
  uint32_t steps = 140;        ///< T (10 ms each); shorter inputs are padded
  MelConfig mel;               ///< front-end (gain included)
  bool spikes = false;         ///< encode bands as spikes (kind `spikes`)
  DeltaEncoding encoding;
  std::string labelsFile;      ///< empty: labels from Heidelberg file names
  unsigned threads = 0;        ///< 0: all cores
};

struct AudioDatasetStats {
  uint64_t truncated = 0;      ///< inputs longer than T steps
  double audioSeconds = 0;     ///< total input duration
  double frontEndSeconds = 0;  ///< wall time of read+resample+front-end
};

/// Reads the labels file: one `PATH LABEL` per line ('#' starts a comment).
/// LABEL is an integer class, or a name (names are numbered in sorted order
/// and become class_names). PATH matches an input by its full path as given
/// or by its file name.
struct LabelList {
  std::vector<std::pair<std::string, int32_t>> entries;
  std::vector<std::string> classNames; ///< empty for integer labels
  uint32_t numClasses = 0;
};
Expected<LabelList> readLabelList(const std::string &path);

Expected<Dataset> buildAudioDataset(const std::vector<std::string> &inputs,
                                    const AudioDatasetOptions &options,
                                    AudioDatasetStats *stats = nullptr,
                                    const ProgressFn &progress = {});

} // namespace snnrt
