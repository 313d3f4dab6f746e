//===- TrainingHistory.h - Per-epoch record of a training run ---*- C++ -*-===//
//
// What `snnc train` printed per epoch, kept in the model file
// (`training/history/`, docs/formats/model.md) so that the compile report can
// draw the learning curve of the network it deploys, and in checkpoints so
// that a resumed run keeps the epochs before the interruption.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Hdf5File.h"
#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

struct EpochReport;

/// One entry per epoch, in order; accuracies are fractions, -1 where the
/// run had no such split.
struct TrainingHistory {
  std::vector<int64_t> epoch; ///< 1-based
  std::vector<double> loss, trainAccuracy, valAccuracy, testAccuracy, sigma,
      seconds;
  /// The epoch whose network the file holds (0: the last one).
  int64_t keptEpoch = 0;

  void add(const EpochReport &report);
  size_t size() const { return epoch.size(); }
  bool empty() const { return epoch.empty(); }
};

/// Writes `training/history/` into an open model file (after writeModel).
Status writeTrainingHistory(h5::File &file, const TrainingHistory &history);
/// The history of a model file, or nullopt when it has none (a model from
/// an import or an older snnc); errors name the file and dataset.
Expected<std::optional<TrainingHistory>>
readTrainingHistory(const h5::File &file);
Expected<std::optional<TrainingHistory>>
readTrainingHistory(const std::string &path);

/// writeModel plus the history, atomically (temp file + rename).
Status writeTrainedModel(const std::string &path, const Model &model,
                         const TrainingHistory &history);

} // namespace snnrt
