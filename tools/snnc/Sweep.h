//===- Sweep.h - snnc sweep: a grid of training runs ------------*- C++ -*-===//
//
// The spec of a sweep (SweepSpec.cpp reads it from JSON), the cells it
// expands to, the result of a finished cell and the files written from all
// of them (SweepReport.cpp: CSV, JSON, the Figure 3 SVG and an HTML page).
// SweepCommand.cpp runs the cells as `snnc train` subprocesses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace snnc::sweep {

/// One `snnc train` option as the spec gives it: "--KEY VALUE", or "--KEY"
/// alone for a flag (an empty value with isFlag).
struct TrainOption {
  std::string key, value;
  bool isFlag = false;
};

/// A condition of the grid: a name and the train options that make it.
struct Condition {
  std::string name, slug;
  std::vector<TrainOption> options;
};

/// What a spec file asks for, with paths resolved against its folder.
struct Spec {
  std::string path;                ///< the spec file, for messages
  std::string trainPath, testPath; ///< datasets (test optional)
  int64_t epochs = 0;
  std::vector<int64_t> seeds;
  /// Sparsities; empty: no --sparsity (the options' or train's default).
  std::vector<double> sparsities;
  std::vector<Condition> conditions; ///< at least one
  std::vector<TrainOption> options;  ///< every cell's
  std::string title;                 ///< of the plot and the page
};

/// Reads and checks a spec. Errors name the file and the key
/// ("spec.json: conditions[2].rewire: ...") and, for JSON syntax errors,
/// the line and column.
snnrt::Expected<Spec> readSpec(const std::string &path);

/// One training run of the grid.
struct Cell {
  size_t index = 0;     ///< in grid order (sparsity, condition, seed)
  std::string tag;      ///< folder name under OUT/cells
  size_t condition = 0; ///< into Spec::conditions
  bool hasSparsity = false;
  double sparsity = 0;
  int64_t seed = 0;
  /// `snnc train` arguments without --train/--test/--out/--checkpoint,
  /// --resume and --threads: what identifies the run.
  std::vector<std::string> args;
};

std::vector<Cell> expandCells(const Spec &spec);

/// What a finished cell measured (read from its model file).
struct CellResult {
  double testAccuracy = -1, valAccuracy = -1, trainAccuracy = -1;
  int64_t keptEpoch = 0, epochsRun = 0;
  uint64_t synapses = 0; ///< nonzero weights, every projection
  /// E/I sign grouping of the input projection (snnc analyze) against its
  /// shuffled baseline.
  std::string zProjection;
  double zScore = 0, sameFraction = 0, baselineMean = 0, baselineStd = 0;
  uint64_t pairs = 0;
  double trainSeconds = 0; ///< sum of the epochs' times (resumes included)
};

/// A cell and, when finished, its result.
struct Row {
  const Cell *cell = nullptr;
  bool done = false;
  CellResult result;
};

/// connectivity exponent k of a sparsity: 1 - s = 2^-k.
double connectivityLog2(double sparsity);

/// Writes OUT/figure3.csv, figure3.json, figure3.svg and figure3.html, each
/// through a temporary file renamed into place.
snnrt::Status writeReport(const Spec &spec, const std::vector<Row> &rows,
                          const std::string &outDir);

/// The result file of a cell (JSON) and its reader. `args` is what the cell
/// was trained with; a result whose args differ is an error the caller
/// reports.
std::string resultJson(const Cell &cell, const CellResult &r);
snnrt::Expected<std::pair<std::vector<std::string>, CellResult>>
readResult(const std::string &path);

/// Writes `text` to `path` through a temporary file and a rename.
snnrt::Status writeFileAtomic(const std::string &path, const std::string &text);

} // namespace snnc::sweep
