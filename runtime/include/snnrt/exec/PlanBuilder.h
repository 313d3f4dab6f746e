//===- PlanBuilder.h - A plan from an integer network and a core map -*- C++ -*-===//
//
// Builds the Plan that places each lif/li neuron of an IntNetwork on a given
// core — per-core axon lists, synapse tables and neuron parameters — without
// relays or placement on a mesh. The compiler's mapping (snn-map-to-cores)
// is the real producer of plans; this is for tests and benchmarks of the
// executors, which need plans of chosen shapes.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/exec/IntNetwork.h"
#include "snnrt/exec/Plan.h"

#include <cstdint>
#include <vector>

namespace snnrt {

/// `coreOf[g]` is the core of global neuron g (populations in order, inputs
/// included but ignored). Cores that receive no neuron are dropped. Under
/// Lava's arithmetic every projection must have weightExp 0: a core sums
/// each neuron's synapses into one input, as snn-map-to-cores requires.
Plan planFromIntNetwork(const IntNetwork &network,
                        const std::vector<uint32_t> &coreOf);

/// Fills cores in neuron order, `neuronsPerCore` at a time.
std::vector<uint32_t> sequentialCoreMap(const IntNetwork &network,
                                        uint32_t neuronsPerCore);

} // namespace snnrt
