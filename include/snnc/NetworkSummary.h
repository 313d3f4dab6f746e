//===- NetworkSummary.h - What a network holds, in numbers ------*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace snnc {

struct PopulationSummary {
  std::string name, kind; // kind: input, lif, li
  int64_t size = 0;
};

struct ProjectionSummary {
  std::string name, source, target, form; // form: dense or csr
  int64_t synapses = 0;                   // after the mask
  int64_t maxDelay = 0;
  bool dcls = false;      ///< delays are DCLS positions (SNN-F3)
  int64_t delayMin = 0, delayMax = 0; ///< of the (rounded) integer delays
  double delayMean = 0;
};

struct NetworkSummary {
  std::string name;
  double dt = 0;
  int64_t steps = 0;
  std::vector<PopulationSummary> populations;
  std::vector<ProjectionSummary> projections;
  std::vector<std::string> outputs;
  int64_t neurons() const;
  int64_t synapses() const;
};

/// Summarises a verified network.
NetworkSummary summarize(snn::NetworkOp network);
void printSummary(const NetworkSummary &summary, llvm::raw_ostream &os);
void printSummaryJson(const NetworkSummary &summary, llvm::raw_ostream &os);

/// Rounded integer delay of a DCLS position (SNN-F4).
int64_t roundedDelay(float position, int64_t maxDelay);

} // namespace snnc
