//===- ShdReader.h - Spiking Heidelberg Digits to a dataset -----*- C++ -*-===//
//
// Reads the published SHD layout (ragged `spikes/times` in seconds and
// `spikes/units`, `labels`, optional `extra/speaker`) whatever integer or
// float widths the file uses, and bins it into a spike dataset
// (docs/formats/dataset.md, kind `spikes`). Details: docs/data.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <string>

namespace snnrt {
namespace h5 {
class File;
} // namespace h5

struct ShdOptions {
  double dtSeconds = 0.01;    ///< bin width
  uint32_t steps = 140;       ///< T; spikes at t >= T*dt are dropped
  uint32_t channelBin = 1;    ///< sum units in groups of K (700/5 = 140)
  uint32_t inputUnits = 700;  ///< units in the file lie in [0, inputUnits)
  uint32_t numClasses = 20;   ///< labels in the file lie in [0, numClasses)
};

struct ShdStats {
  uint64_t samples = 0;
  uint64_t spikes = 0;        ///< spikes read
  uint64_t droppedLate = 0;   ///< spikes at or after T*dt (not in the output)
  uint64_t samplesTruncated = 0; ///< samples that lost at least one spike
  double maxTime = 0;         ///< latest spike time in the file, seconds
};

/// Step of a spike at time `t` seconds. A spike within 1e-6 of a step of a bin
/// edge counts in the later bin, so times that are exact multiples of dt in
/// decimal (0.03 s at 10 ms) land on their own step despite rounding.
int64_t shdStepOf(double t, double dtSeconds);

/// Reads and bins an SHD file. Errors name the file, the dataset and the
/// sample (missing `labels`, unit >= inputUnits, negative times, ...).
Expected<Dataset> readShd(const std::string &path, const ShdOptions &options,
                          ShdStats *stats = nullptr);
/// The same from an open file (h5::File::openImage: the fuzz targets); the
/// options are not checked again.
Expected<Dataset> readShd(const h5::File &file, const ShdOptions &options,
                          ShdStats *stats = nullptr);

/// The 20 SHD/Heidelberg Digits class names: "en-zero".."en-nine",
/// "de-null".."de-neun".
const std::vector<std::string> &heidelbergClassNames();

} // namespace snnrt
