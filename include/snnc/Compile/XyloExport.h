//===- XyloExport.h - A xylo-iaf plan as a Rockpool specification -*- C++
//-*-===//
//
// Turns a plan under XyloSim's arithmetic (`xylo-iaf`, docs/semantics.md
// SNN-X1..SNN-X13) into the keyword arguments of Rockpool's
// `syns61201.XyloSim.from_specification` — written as `<name>.xylo.npz` — and
// the map from Xylo's neurons back to the plan's (`<name>.xylo.json`), so
// that XyloSim, or a Xylo Audio 2 board, runs what `snnc compile` mapped and
// `snnc verify --vendor xylosim` can compare it spike for spike. Formats:
// docs/formats/xylo.md. Xylo has no synaptic delays: every delay becomes a
// chain of relay neurons (SNN-X13, "Delay relay") laid out after the plan's
// hidden neurons, in the order the executors deliver delayed events.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/exec/Plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

/// One chain of relay neurons: the delayed events of one source neuron.
/// Relay k (1-based) fires the source's counts k steps later; it is hidden
/// neuron `offset + k − 1`.
struct XyloRelayChain {
  std::string population; ///< the source's plan population (input or lif)
  uint32_t neuron = 0;
  uint32_t offset = 0, length = 0;
};

/// A contiguous range of Xylo neurons that are one plan population.
struct XyloRange {
  std::string name;
  uint32_t offset = 0, size = 0;
};

/// The specification (every array of `from_specification`, row-major) and
/// the metadata that maps it back to the plan.
struct XyloSpec {
  uint32_t inputs = 0, hidden = 0, outputs = 0;
  /// [inputs][hidden][2] and [hidden][hidden][2]: port 2 (the last axis)
  /// stays 0, snnc uses one synaptic current; [hidden][outputs].
  std::vector<int8_t> weightsIn, weightsRec, weightsOut;
  std::vector<uint8_t> dashMem, dashSyn, dashSyn2; ///< [hidden]
  std::vector<int16_t> threshold, bias;            ///< [hidden]
  std::vector<uint8_t> dashMemOut, dashSynOut;     ///< [outputs]
  std::vector<int16_t> thresholdOut, biasOut;      ///< [outputs]
  int64_t shiftIn = 0, shiftRec = 0, shiftOut = 0;
  double dt = 1e-3;

  // Metadata (.xylo.json).
  std::string network, target;
  uint32_t steps = 0;
  std::string inputPopulation, inputEncoding;
  double inputScale = 1.0;
  std::vector<XyloRange> populations; ///< hidden neurons of the plan
  XyloRange relays;                   ///< name "" ; all relay neurons
  std::vector<XyloRelayChain> chains;
  XyloRange readout; ///< the output neurons
};

/// The specification of a xylo-iaf plan. Refused, with the limit and the
/// count (or the population, neuron and value) named: a plan under another
/// arithmetic; more than 16 inputs, 8 outputs or 1000 hidden neurons
/// (relays included); not exactly one input population and one li
/// readout that is the network's output; a lif output; an input → readout
/// synapse (Xylo has none); two synapses of one source, delay and target
/// (Xylo holds one weight per pair); weights that are not int8 · 2^s for one
/// shift s ∈ [0, 8] per matrix (in, rec, out); a threshold or bias outside
/// int16, a dash outside [0, 15], a synaptic bias (SNN-I7).
snnrt::Expected<XyloSpec> xyloSpecFromPlan(const snnrt::Plan &plan);

/// Writes `spec` as an .npz archive (one .npy per keyword, stored entries,
/// every dash explicit, no `aliases`) to `npzPath` and its metadata to
/// `jsonPath`, each through a temporary file renamed into place.
snnrt::Status writeXyloSpec(const XyloSpec &spec, const std::string &npzPath,
                            const std::string &jsonPath);

/// The metadata document of `spec` (.xylo.json), for tests and tools.
std::string xyloMetadataJson(const XyloSpec &spec,
                             const std::string &specFileName);

} // namespace snnc
