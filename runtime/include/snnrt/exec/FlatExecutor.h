//===- FlatExecutor.h - Reference run of an unmapped integer network -*- C++ -*-===//
//
// The plainest possible execution of docs/semantics.md SNN-I1..SNN-I8: every
// step, every population in topological order, every synapse read from the
// full history of its source. No cores, no relays, no event queues — so that
// the core-level plan executor, written independently, can be checked
// against it bit for bit (docs/design.md §5, level 2). Cost O(T · synapses).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/IntNetwork.h"

#include <cstdint>
#include <vector>

namespace snnrt {

/// Everything one sample produced, population by population (index as in
/// IntNetwork::populations), step-major: entry [t * size + i].
struct IntTrace {
  /// lif: spikes s ∈ {0,1}; input: the integer input x (SNN-I2); li: empty.
  std::vector<std::vector<int32_t>> output;
  /// li: the readout state u (SNN-I8; Lava: the voltage after integrating
  /// I[t], as Lava reports it); others: empty.
  std::vector<std::vector<int64_t>> readout;
};

/// Runs sample `sample` of `data` (its channels must match the network's one
/// input population).
Expected<IntTrace> runFlat(const IntNetwork &network, const Dataset &data,
                           size_t sample);

/// SNN-F10 on real readout values: argmax over neurons of
/// Σ_t softmax(u[t] · weightScale) for one LI population's states u
/// ([steps * size], step-major); under Lava's arithmetic a weight unit is
/// 2^6 state units, so u · weightScale / 2^6. -1 when there is nothing to
/// classify.
int classifyReadout(const std::vector<int64_t> &u,
                    const std::vector<float> &weightScale, uint32_t steps,
                    intmath::Arithmetic arithmetic);

/// classifyReadout on the network's first output.
int predictClass(const IntNetwork &network, const IntTrace &trace);

} // namespace snnrt
