//===- AnalysisReport.h - analysis.json and figures -------------*- C++ -*-===//
//
// Writes what `snnc analyze` produces from ProjectionAnalysis results:
// DIR/analysis.json (every number, receptive fields as sparse lists) and
// DIR/analysis.html with inline SVG figures (no script, no external file),
// plus each figure as its own .svg.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/analysis/SpatioTemporal.h"
#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"

#include <string>
#include <vector>

namespace snnrt {

struct AnalysisReportOptions {
  std::string modelPath;      ///< shown in the report
  uint32_t neuronsShown = 16; ///< receptive fields drawn per projection
  GroupingOptions grouping;   ///< recorded in the JSON
};

/// Creates `dir` if needed and writes the files (each atomically enough for
/// a report: written then renamed).
Status writeAnalysisReport(const Model &model,
                           const std::vector<ProjectionAnalysis> &analyses,
                           const std::string &dir,
                           const AnalysisReportOptions &options);

} // namespace snnrt
