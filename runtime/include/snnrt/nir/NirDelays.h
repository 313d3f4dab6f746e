//===- NirDelays.h - Per-synapse delays in NIR graphs -----------*- C++ -*-===//
//
// snnc's projections carry one integer delay per synapse (SNN-F2); NIR's
// Delay node delays a whole signal, one value per element. A projection with
// per-synapse delays therefore becomes, in NIR, one weight node per distinct
// delay value k, holding the synapses whose delay is k (zeros elsewhere),
// followed by a Delay node of k·dt on every output, all summed into the
// target (NIR sums the edges that converge on a node):
//
//     src ─► name      (Affine: delay-0 synapses + bias) ─────────────► dst
//     src ─► name_d3   (Linear: delay-3 synapses) ─► name_d3_delay (3·dt) ─► dst
//     src ─► name_d7   (Linear: delay-7 synapses) ─► name_d7_delay (7·dt) ─► dst
//
// Because the Delay follows the weights, its entries are per target neuron;
// the reader accepts any such vector (D[b,a] = delay[b] for the group's
// synapses), so graphs from other tools that delay per target import too.
// docs/nir.md, "Per-synapse delays", has the rationale and the costs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/nir/NirGraph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {

/// A dense projection with per-synapse delays in steps. A synapse is present
/// where its weight is non-zero: NIR has no mask, so a zero-weight synapse
/// (which contributes nothing) does not keep its delay across a round trip.
struct NirSynapses {
  uint64_t targets = 0;
  uint64_t sources = 0;
  std::vector<float> weights;  ///< [targets * sources], row-major
  std::vector<int32_t> delays; ///< [targets * sources], steps >= 0
  std::vector<float> bias;     ///< empty, or [targets]
};

/// Adds the weight and Delay nodes that express `p` from node `src` to node
/// `dst` (both must exist), named `name`, `name_d<k>`, `name_d<k>_delay`.
/// Delays are stored as float32 seconds k·dt. Fails on a name clash, a
/// negative delay or inconsistent sizes.
Status nirAddDelayedProjection(NirGraph &graph, const std::string &name,
                               const std::string &src, const std::string &dst,
                               const NirSynapses &p, double dt);

/// The inverse on a flattened graph: gathers every path
/// src → (Affine|Linear) → [Delay] → dst whose weight node has no other input
/// or output and whose Delay has no other output, and merges them into one
/// projection. Fails when none exists, when one synapse carries weight at two
/// different delays (snnc keeps one delay per synapse: split the projection),
/// when an Affine's non-zero bias sits behind a non-zero Delay (it would be
/// absent for the first steps, which a bias cannot express), or when a delay
/// is not a whole number of steps.
Expected<NirSynapses> nirCollectDelayedProjection(const NirGraph &flat,
                                                  const std::string &src,
                                                  const std::string &dst,
                                                  double dt);

} // namespace snnrt
