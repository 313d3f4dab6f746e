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
//     src ─► name_d3   (Linear: delay-3 synapses) ─► name_d3_delay (3·dt) ─►
//     dst src ─► name_d7   (Linear: delay-7 synapses) ─► name_d7_delay (7·dt)
//     ─► dst
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
#include <functional>
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

/// A neuron that re-emits every 0/1 spike it receives a fixed number of
/// steps later, as one framework's reader builds it: the building block of
/// nirAddRelayedProjection, for readers that run no Delay node.
struct NirRelayNeuron {
  /// The neuron node for `size` relays (every field of shape [size]).
  std::function<NirNode(uint64_t size)> make;
  /// Weight of the edge into the first relay and of every shift edge: one
  /// arriving spike fires the relay, none leaves it silent.
  double weight = 1.0;
  /// Write weight nodes as Affine with a zero bias (Sinabs 3.1 maps
  /// Linear to nothing).
  bool affineOnly = false;
  /// Wrap the relays and their shift matrix in a nested NIRGraph of four
  /// nodes (input, lif, w_rec, output): Rockpool 3.1 reads a recurrent
  /// layer only in that form.
  bool nested = false;
};

/// What nirAddRelayedProjection wrote, for the size report.
struct NirRelayStats {
  uint64_t relays = 0;   ///< relay neurons: Σ over sources of (max delay + 1)
  uint64_t maxDelay = 0; ///< largest delay of a weighted synapse
  uint64_t nodes = 0;    ///< nodes added (a nested graph counts its four)
  uint64_t synapses = 0; ///< non-zero weights added, the projection's own
                         ///< synapses included
  uint64_t denseValues = 0; ///< weight-matrix entries stored, zeros included
};

/// The delay-expanded form of `p` from `src` to `dst`, for readers that run
/// no Delay node: a shift register of relay neurons in one recurrent layer.
/// Source neuron a with largest delay m_a (over its weighted synapses) gets
/// relays r(a,0..m_a); `name_relay_in` feeds a's spike to r(a,0), the
/// recurrent `name_relay_rec` feeds r(a,k−1) to r(a,k) (a recurrent edge
/// arrives one step later in every reader), so r(a,k) fires k steps after
/// r(a,0); `name` (Affine with the bias, or Linear) sums W[b,a] from
/// r(a, D[b,a]) into `dst`. Every path into `dst` crosses the relay layer
/// once, so the graph is a chain (Spyx's reader follows only one) and `dst`
/// has one input (nirtorch's executor delays a second one). The relays copy
/// 0/1 spikes only: an analog source is read wrong. Fails on a name clash or
/// inconsistent sizes.
Expected<NirRelayStats>
nirAddRelayedProjection(NirGraph &graph, const std::string &name,
                        const std::string &src, const std::string &dst,
                        const NirSynapses &p, const NirRelayNeuron &relay);

/// The inverse on a flattened graph, for snnc's own importer: every relay
/// layer nirAddRelayedProjection wrote (a neuron node `B_relay`, or the
/// nested `B_relay.lif`, in a loop with `B_relay_rec` / `B_relay.w_rec`, fed
/// by `B_relay_in` from a population, read by `B` into one node) is replaced
/// by the plain form of the same projection (nirAddDelayedProjection: `B`,
/// `B_d<k>` and Delay nodes), so the graph imports as the model it came
/// from. Recognised by those names and checked by structure: each relay
/// takes exactly one non-zero weight, all equal, from the source or from
/// another relay, and each synapse is read from one stage. A neuron so
/// named without those weight nodes and loop is left alone. Returns a note
/// per projection; fails when a graph so built breaks that structure.
Expected<std::vector<std::string>> nirCollapseRelays(NirGraph &flat, double dt);

} // namespace snnrt
