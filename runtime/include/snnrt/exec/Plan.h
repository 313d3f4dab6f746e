//===- Plan.h - The mapped integer network an executor runs -----*- C++ -*-===//
//
// plan.h5 is what `snnc compile` writes and an integer executor runs: the
// populations (with input/output bindings), every core's neurons with their
// integer parameters, its input axons and synapse table, the relay neurons
// and the routes between cores, plus the integer rules' parameters (state
// bits, decay mode). Format and semantics: docs/formats/plan.md; the
// arithmetic is docs/semantics.md rules SNN-I1..SNN-I10. Plain C++17.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/exec/IntegerMath.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace snnrt {
namespace h5 {
class File;
} // namespace h5

struct PlanPopulation {
  std::string name;
  std::string kind; ///< "input", "lif" or "li"
  uint32_t size = 0;
  double scale = 1.0;   ///< input: x = sat16(rne(scale · in)) (SNN-I2)
  std::string encoding; ///< input: "frames" or "spikes"
  std::string reset;    ///< lif: "hard" or "subtract" (SNN-I6)
  bool relay = false;   ///< lif relay of a long delay (SNN-I10)
  bool output = false;  ///< a network output (bound in outputs order)
  /// lif/li: membrane unit per neuron; real value = state · weightScale
  /// (SNN-I8, SNN-I9). Empty for inputs.
  std::vector<float> weightScale;
};

/// One core. Neuron i is neuron `neuronIndex[i]` of population
/// `neuronPop[i]` (an index into Plan::populations). Its synapses are
/// entries synPtr[i] .. synPtr[i+1]−1: a spike of axon synAxon[k] (the
/// source (axonPop, axonIndex)[synAxon[k]]) at step t adds synWeight[k] to
/// the neuron's input at step t + synDelay[k] (SNN-I3).
struct PlanCore {
  int64_t chip = 0, x = 0, y = 0;
  std::vector<int32_t> neuronPop, neuronIndex;
  /// Per neuron; iDecay −1: no CuBa synapse (SNN-I7, lif or li).
  std::vector<int32_t> threshold, bias, vDecay, iDecay;
  /// Per neuron synaptic bias (SNN-I7, with iDecay >= 0); empty: all 0.
  std::vector<int32_t> biasSyn;
  std::vector<int32_t> axonPop, axonIndex;
  std::vector<int64_t> synPtr; ///< size neurons + 1, starts at 0
  std::vector<int32_t> synAxon, synWeight, synDelay;
};

struct PlanRoute {
  uint32_t src = 0, dst = 0; ///< core indices
  uint64_t axons = 0;        ///< sources of src that dst listens to
  double traffic = 0;        ///< expected packets per sample
  uint32_t hops = 0;         ///< mesh distance
};

struct Plan {
  /// Version 2: an li neuron may have a synaptic current (i_decay >= 0,
  /// SNN-I7). Version 1 files never did, so the reader takes both.
  /// Version 3: a CuBa neuron may have a synaptic bias (cores/bias_syn,
  /// optional).
  /// Version 4: the root attribute "arithmetic" ("snnc" or "lava-cuba");
  /// older files follow snnc's rules.
  /// Version 5: "arithmetic" may be "xylo-iaf" (SNN-X): spike counts,
  /// dashes in [0, 15], every neuron has i_decay (dash_syn), an li neuron's
  /// threshold is xylo::kReadoutThreshold.
  static constexpr uint32_t kVersion = 5;
  std::string name;   ///< the network's name
  std::string target; ///< the target it was mapped for
  double dt = 0;
  uint32_t steps = 0;
  uint32_t stateBits = 0;    ///< S of SNN-I1
  /// SNN-I4 (mul12) or SNN-I5 (shift); "decay_mode" in the file.
  intmath::DecayKind decayMode = intmath::DecayKind::Mul12;
  /// snnc's rules or Lava's (SNN-L): as IntNetwork::arithmetic; under
  /// Lava's, `threshold` is vth, an li neuron's is lava::kMaxThreshold and
  /// iDecay −1 means 4096. Under Xylo's (SNN-X), weights are effective
  /// (w·2^shift) and v/iDecay are dash_mem/dash_syn.
  intmath::Arithmetic arithmetic = intmath::Arithmetic::Snnc;
  std::string partitioner;   ///< "metis" or "sequential"
  /// The target's limits as recorded by snnhw.system (name, value).
  std::vector<std::pair<std::string, int64_t>> limits;
  std::string targetDecay; ///< "mul12", "shift" or "none"
  std::vector<PlanPopulation> populations;
  std::vector<PlanCore> cores;
  std::vector<PlanRoute> routes;

  /// Input populations in binding order (the order of `populations`), and
  /// output populations likewise.
  std::vector<uint32_t> inputs() const;
  std::vector<uint32_t> outputs() const;
};

/// Structural checks shared by the writer and the reader: every index in
/// range, every lif/li neuron on exactly one core, CSR arrays consistent.
/// The message names the dataset concerned ("cores/syn_axon[12]: ...").
Status validatePlan(const Plan &plan);

/// Writes plan.h5 atomically (temp file + rename).
Status writePlanFile(const std::string &path, const Plan &plan);

/// Reads and validates plan.h5; errors name the file and the dataset.
Expected<Plan> readPlanFile(const std::string &path);
/// The same from an open file (h5::File::openImage: the fuzz targets).
Expected<Plan> readPlanFile(const h5::File &file);

} // namespace snnrt
