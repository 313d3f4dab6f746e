//===- Report.h - How a mapped network sits on its target -------*- C++ -*-===//
//
// The numbers and pictures of `snnc compile`'s report, computed from the
// plan (the same data the executor runs) and the target: cores and chips
// against the lower bound, utilisation of each core resource, relays,
// inter-core traffic and its hop-weighted cost, an energy estimate from
// the target's figures, quantisation error per layer, the core-to-core
// traffic matrix, the mesh placement and the delay histogram.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnc/Target/Target.h"
#include "snnrt/exec/Plan.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace snnc {

struct LayerQuantError {
  std::string projection;
  int64_t synapses = 0;
  double relRmsError = 0; ///< ||w·u/q − W|| / ||W|| (SNN-I9)
  double maxAbsError = 0; ///< largest |w·u/q − W|
  int64_t zeroed = 0;     ///< non-zero float weights that became 0
};

struct StageTime {
  std::string stage;
  double seconds = 0;
};

/// Accuracy of the network as trained (float) and as deployed (the plan's
/// integer execution) on the same samples.
struct AccuracySummary {
  std::string data; ///< the dataset file
  int64_t samples = 0;
  double floatAccuracy = 0, planAccuracy = 0;
};

/// The learning curve the model file records (training/history); accuracies
/// are fractions, -1 where the run had no such split.
struct TrainingCurve {
  std::vector<int64_t> epoch;
  std::vector<double> train, validation, test, seconds;
  int64_t keptEpoch = 0; ///< the epoch whose network was compiled (0: last)
};

struct ReportInputs {
  const snnrt::Plan *plan = nullptr;
  const Target *target = nullptr;
  std::vector<LayerQuantError> quantErrors;
  std::vector<StageTime> timings;
  /// Spikes per sample of each source neuron, by population; empty when no
  /// profile was run (then every neuron is assumed to spike once).
  std::map<std::string, std::vector<double>> rates;
  std::string profileSource; ///< the --data file, or empty
  std::string input;         ///< the compiled network file
  std::optional<AccuracySummary> accuracy; ///< when --data was given
  std::optional<TrainingCurve> training;   ///< when the model records one
};

struct Utilisation {
  double mean = 0, max = 0; ///< fractions of capacity
  int64_t used = 0, capacity = 0;
};

struct MappingReport {
  std::string network, target, partitioner, input, profileSource;
  /// The integer arithmetic the plan follows and what defines it.
  std::string arithmetic, arithmeticNote;
  int64_t cores = 0, chips = 0, lowerBound = 0;
  int64_t neurons = 0, relays = 0, synapses = 0, axons = 0, sources = 0;
  /// xylo-iaf: Xylo's hidden neurons (lif), the relay neurons its delays
  /// need (one per step of each source's longest delay, SNN-X13; implicit
  /// in the plan) and its output neurons (li). -1: not a Xylo plan.
  int64_t xyloHidden = -1, xyloRelays = 0, xyloOutputs = 0;
  Utilisation neuronUse, axonUse, synapseUse;
  double interCoreSpikes = 0, hopWeighted = 0;
  double synOps = 0, neuronUpdates = 0;
  double energySynPj = 0, energyHopPj = 0, energyNeuronPj = 0;
  bool energyComplete = true; ///< false when a target figure is missing
  std::vector<LayerQuantError> quantErrors;
  std::vector<StageTime> timings;
  std::vector<int64_t> delayHistogram; ///< synapses per delay value
  /// Per core: used neurons, axons, synapses; position.
  std::vector<std::array<int64_t, 3>> coreUse;
  std::vector<std::array<int64_t, 3>> corePos; ///< chip, x, y
  std::vector<snnrt::PlanRoute> routes;
  int64_t meshRows = 1, meshCols = 1;
  std::optional<AccuracySummary> accuracy;
  std::optional<TrainingCurve> training;

  double energyTotalPj() const {
    return energySynPj + energyHopPj + energyNeuronPj;
  }
};

MappingReport buildReport(const ReportInputs &in);

llvm::json::Value reportToJSON(const MappingReport &r);
void printReportText(const MappingReport &r, llvm::raw_ostream &os);
/// Self-contained HTML with inline SVG figures (no scripts, no links).
void printReportHTML(const MappingReport &r, llvm::raw_ostream &os);

} // namespace snnc
