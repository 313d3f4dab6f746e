//===- PlanRun.h - Run a plan over a dataset --------------------*- C++ -*-===//
//
// `snnc run` on a plan: samples in parallel, one PlanExecutor per thread,
// results in sample order whatever the thread count.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/RunSummary.h"

namespace snnrt {

Expected<RunSummary> runPlanOnDataset(const Plan &plan, const Dataset &data,
                                      const RunOptions &options);

} // namespace snnrt
