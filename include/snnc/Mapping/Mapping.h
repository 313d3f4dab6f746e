//===- Mapping.h - Partitioning neurons onto cores, placing cores -*- C++ -*-===//
//
// The algorithms of `snn-map-to-cores`, on a plain graph so that they can
// be tested and benchmarked without IR: neurons to place, the presynaptic
// sources they listen to (input channels and spiking neurons), and per-core
// capacities. Memory is linear in the synapse count (docs/design.md §7).
// docs/mapping.md explains the objective and the graph given to METIS.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snnc::mapping {

/// Neurons 0..N−1 are the lif/li neurons to place. Sources 0..M−1 are every
/// possible presynaptic neuron: input channels (not placed) and spiking
/// neurons (placed; `sourceNeuron[s]` names the neuron).
struct Graph {
  int64_t numNeurons = 0;
  std::vector<int32_t> sourceNeuron; ///< size M; −1 for an input channel
  std::vector<double> sourceRate;    ///< spikes per sample; 1 when unknown
  std::vector<int64_t> inPtr;        ///< size N+1: synapses of neuron n
  std::vector<int32_t> inSource;     ///< size S: source of each synapse
  int64_t numSources() const { return int64_t(sourceNeuron.size()); }
  int64_t numSynapses() const { return int64_t(inSource.size()); }
};

struct Capacity {
  int64_t neurons = 0, axons = 0, synapses = 0;
};

struct Load {
  int64_t neurons = 0, axons = 0, synapses = 0;
};

struct Partition {
  int64_t numCores = 0;
  std::vector<int32_t> coreOf; ///< size N
};

/// Distinct sources of each neuron (its fan-in in axons).
std::vector<int64_t> distinctFanIn(const Graph &g);

/// Resources each core uses (axons: distinct sources of its neurons).
std::vector<Load> computeLoads(const Graph &g, const Partition &p);

/// The largest of total neurons, synapses and distinct sources over the
/// per-core capacities: no mapping can use fewer cores. (The axon term
/// counts each source once, a bound even when it must be repeated.)
int64_t coreLowerBound(const Graph &g, const Capacity &cap);

/// Fills cores in neuron order, opening a new core when the next neuron
/// would overflow any resource. Every neuron must fit an empty core.
Partition partitionSequential(const Graph &g, const Capacity &cap);

struct MetisResult {
  Partition partition;
  int attempts = 0;       ///< METIS runs (k grows until every part fits)
  int64_t graphPairs = 0; ///< distinct connected (neuron, source) pairs
  int64_t keptPairs = 0;  ///< of those, the ones METIS saw
  int64_t degreeCap = 0;  ///< sources kept per neuron; 0: all
};

/// How large a graph METIS is given. Up to `maxPairs` distinct (neuron,
/// source) pairs it gets the exact graph; above, each neuron keeps only its
/// heaviest sources, keepPairs / N of them but at least `minDegree`
/// (docs/mapping.md): METIS's time and memory then stay bounded while
/// capacities, the overflow repair and the traffic still count every
/// synapse.
struct MetisOptions {
  int64_t maxPairs = 32000000;
  int64_t keepPairs = 16000000;
  int64_t minDegree = 8;
  /// Cores of a partition already known (mapGraph: the sequential fill's);
  /// METIS runs with more parts than that are skipped. 0: none.
  int64_t knownCores = 0;
};

/// METIS k-way partition of the synapse graph (docs/mapping.md), with k
/// raised from the lower bound until every core fits. Returns false with
/// `error` when METIS fails or no k up to `maxCores` fits.
bool partitionMetis(const Graph &g, const Capacity &cap, int64_t maxCores,
                    MetisResult &result, std::string &error,
                    const MetisOptions &opts = {});

/// Spike traffic between cores: for every spiking source, one packet per
/// spike to every *other* core that holds one of its targets (multicast to
/// an axon there). Input channels are not counted (they come from the host).
struct Traffic {
  struct Edge {
    int32_t src, dst;
    int64_t axons;  ///< sources of `src` that `dst` listens to
    double traffic; ///< packets per sample
  };
  std::vector<Edge> edges; ///< sorted by (src, dst)
  double total = 0;
};
Traffic computeTraffic(const Graph &g, const Partition &p);

struct Mesh {
  int64_t rows = 1, cols = 1, coresPerChip = 1;
};
struct Position {
  int64_t chip = 0, x = 0, y = 0;
};
/// Manhattan distance with chips side by side along x.
int64_t hops(const Position &a, const Position &b, const Mesh &mesh);

/// Places cores on chip meshes. `greedy` places the most-connected core
/// first and every next core (most traffic to the placed ones first) on the
/// free position that minimises its hop-weighted traffic to them; otherwise
/// cores go in index order, row-major (the sequential baseline).
std::vector<Position> placeCores(int64_t numCores, const Traffic &traffic,
                                 const Mesh &mesh, bool greedy);

/// Σ traffic · hops over all edges.
double hopWeightedTraffic(const Traffic &t, const std::vector<Position> &pos,
                          const Mesh &mesh);

/// The whole mapping as snn-map-to-cores runs it. `metis`: METIS partition,
/// unless the sequential fill uses fewer cores or as many with less traffic
/// (a graph cut counts synapses, not multicast packets), then greedy
/// placement; `sequential`: sequential fill, row-major placement.
struct Result {
  Partition partition;
  std::string partitioner; ///< which partition was kept
  int metisRuns = 0;
  int64_t metisKeptPairs = 0, metisDegreeCap = 0; ///< MetisResult's
  /// METIS's own partition (after the overflow split), kept or not; 0 cores
  /// when METIS found none.
  int64_t metisCores = 0;
  double metisTraffic = 0;
  Traffic traffic;
  std::vector<Position> positions;
};
bool mapGraph(const Graph &g, const Capacity &cap, const Mesh &mesh,
              int64_t maxCores, bool metis, Result &result,
              std::string &error, const MetisOptions &opts = {});

} // namespace snnc::mapping
