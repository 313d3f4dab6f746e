//===- ModelRun.h - Run a float model over a dataset ------------*- C++ -*-===//
//
// `snnc run` on a model: the float engine in inference mode, batch by batch.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/RunSummary.h"
#include "snnrt/model/Model.h"

namespace snnrt {

Expected<RunSummary> runModelOnDataset(const Model &model, const Dataset &data,
                                       const RunOptions &options);

} // namespace snnrt
