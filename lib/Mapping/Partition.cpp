//===- Partition.cpp - Neurons onto cores: sequential fill and METIS ------===//

#include "snnc/Mapping/Mapping.h"

#include "snnrt/base/Random.h"

#include <metis.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>

using namespace snnc::mapping;

std::vector<int64_t> snnc::mapping::distinctFanIn(const Graph &g) {
  std::vector<int64_t> out(g.numNeurons, 0);
  // One stamp per source: sources repeat within a neuron when two
  // projections join the same pair, yet they use one axon.
  std::vector<int64_t> stamp(g.numSources(), -1);
  for (int64_t n = 0; n < g.numNeurons; ++n)
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k)
      if (stamp[g.inSource[k]] != n) {
        stamp[g.inSource[k]] = n;
        ++out[n];
      }
  return out;
}

std::vector<Load> snnc::mapping::computeLoads(const Graph &g,
                                              const Partition &p) {
  std::vector<Load> loads(p.numCores);
  // Visiting neurons grouped by core lets one stamp array count distinct
  // sources per core in O(S).
  std::vector<int64_t> order(g.numNeurons);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return p.coreOf[a] < p.coreOf[b];
  });
  std::vector<int32_t> stamp(g.numSources(), -1);
  for (int64_t n : order) {
    int32_t c = p.coreOf[n];
    Load &l = loads[c];
    ++l.neurons;
    l.synapses += g.inPtr[n + 1] - g.inPtr[n];
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k)
      if (stamp[g.inSource[k]] != c) {
        stamp[g.inSource[k]] = c;
        ++l.axons;
      }
  }
  return loads;
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t snnc::mapping::coreLowerBound(const Graph &g, const Capacity &cap) {
  std::vector<bool> used(g.numSources(), false);
  for (int32_t s : g.inSource)
    used[s] = true;
  int64_t sources = std::count(used.begin(), used.end(), true);
  return std::max({ceilDiv(g.numNeurons, cap.neurons),
                   ceilDiv(g.numSynapses(), cap.synapses),
                   ceilDiv(sources, cap.axons), int64_t(1)});
}

/// Fills cores visiting neurons in `order`, opening a new core when the next
/// neuron would overflow a resource or (with `group`) starts a new group.
/// With the identity order this is the sequential baseline; with METIS's
/// parts as groups it keeps every part that fits as one core and splits the
/// ones that overflow.
static Partition fillInOrder(const Graph &g, const Capacity &cap,
                             const std::vector<int64_t> &order,
                             const std::vector<int32_t> *group) {
  Partition p;
  p.coreOf.assign(g.numNeurons, 0);
  std::vector<int32_t> stamp(g.numSources(), -1); // core that has the axon
  std::vector<int64_t> seen(g.numSources(), -1);  // counted in this call
  int64_t tag = 0;
  int32_t core = 0, lastGroup = -1;
  Load load;
  // Axons neuron n would add to `core`.
  auto newAxons = [&](int64_t n) {
    int64_t count = 0;
    ++tag;
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int32_t s = g.inSource[k];
      if (stamp[s] != core && seen[s] != tag) {
        seen[s] = tag;
        ++count;
      }
    }
    return count;
  };
  for (int64_t n : order) {
    int64_t syn = g.inPtr[n + 1] - g.inPtr[n], axons = newAxons(n);
    bool newGroup = group && (*group)[n] != lastGroup;
    if (group)
      lastGroup = (*group)[n];
    if (load.neurons > 0 &&
        (newGroup || load.neurons + 1 > cap.neurons ||
         load.synapses + syn > cap.synapses ||
         load.axons + axons > cap.axons)) {
      ++core;
      load = Load();
      axons = newAxons(n);
    }
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k)
      stamp[g.inSource[k]] = core;
    load.neurons += 1;
    load.synapses += syn;
    load.axons += axons;
    p.coreOf[n] = core;
  }
  p.numCores = g.numNeurons ? core + 1 : 0;
  return p;
}

Partition snnc::mapping::partitionSequential(const Graph &g,
                                             const Capacity &cap) {
  std::vector<int64_t> order(g.numNeurons);
  std::iota(order.begin(), order.end(), 0);
  return fillInOrder(g, cap, order, nullptr);
}

namespace {

/// The symmetric METIS graph: placed neurons, then input channels (weight
/// 0: they occupy no core, but as hubs they pull the neurons that share
/// them together, which saves axons). One edge per connected pair, its
/// weight the spikes that would cross if the pair were cut.
///
/// Above `opts.maxPairs` distinct (neuron, source) pairs the graph is
/// sparsified: each neuron keeps only its `degreeCap` (keepPairs / N,
/// at least minDegree) heaviest sources
/// (ties broken by a hash of the pair, i.e. a fixed pseudo-random sample),
/// their weights scaled so that the neuron's total edge weight is kept.
/// Only the partitioner's objective sees the sparsified graph: the vertex
/// weights still count every synapse, and the loads, the overflow repair
/// and the traffic are computed on the full graph.
struct MetisGraph {
  idx_t nvtxs = 0;
  std::vector<idx_t> xadj, adjncy, adjwgt, vwgt;
  int64_t pairs = 0, keptPairs = 0, degreeCap = 0;
};

/// Vertex of every source: its neuron when the source is one, else an extra
/// vertex after the neurons (an input channel).
std::vector<int64_t> sourceVertices(const Graph &g, idx_t &nvtxs) {
  std::vector<int64_t> vertexOfSource(g.numSources());
  int64_t next = g.numNeurons;
  for (int64_t s = 0; s < g.numSources(); ++s)
    vertexOfSource[s] = g.sourceNeuron[s] >= 0 ? g.sourceNeuron[s] : next++;
  nvtxs = idx_t(next);
  return vertexOfSource;
}

/// Distinct (neuron, source) pairs; a neuron's synapse onto itself never
/// crosses cores.
int64_t countPairs(const Graph &g, const std::vector<int64_t> &vertexOfSource) {
  int64_t pairs = 0;
  std::vector<int64_t> stamp(g.numSources(), -1);
  for (int64_t n = 0; n < g.numNeurons; ++n)
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int32_t s = g.inSource[k];
      if (vertexOfSource[s] != n && stamp[s] != n) {
        stamp[s] = n;
        ++pairs;
      }
    }
  return pairs;
}

/// The pairs the partitioner sees, per neuron in CSR form, with their
/// weights summed over parallel synapses.
struct KeptPairs {
  std::vector<int64_t> ptr;
  std::vector<int32_t> source;
  std::vector<double> weight;
};

/// Keeps every pair, or with `degreeCap` > 0 each neuron's `degreeCap`
/// heaviest sources (ties broken by a hash of the pair), scaled so the
/// neuron's total edge weight is kept.
KeptPairs keepPairs(const Graph &g, const std::vector<int64_t> &vertexOfSource,
                    int64_t pairs, int64_t degreeCap) {
  // Integer edge weights: rates scaled so the busiest source weighs 1000
  // (a uniform 1 per synapse without a profile).
  double maxRate = 0;
  for (double r : g.sourceRate)
    maxRate = std::max(maxRate, r);
  auto weightOf = [&](int32_t s) -> double {
    if (maxRate <= 0)
      return 1;
    return double(std::max<int64_t>(
        1, std::llround(1000.0 * g.sourceRate[s] / maxRate)));
  };
  KeptPairs kept;
  kept.ptr.assign(g.numNeurons + 1, 0);
  kept.source.reserve(
      size_t(std::min(pairs, degreeCap ? degreeCap * g.numNeurons : pairs)));
  kept.weight.reserve(kept.source.capacity());
  std::vector<double> acc(g.numSources(), 0);
  std::vector<int64_t> stamp(g.numSources(), -1);
  std::vector<int32_t> row;
  for (int64_t n = 0; n < g.numNeurons; ++n) {
    row.clear();
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int32_t s = g.inSource[k];
      if (vertexOfSource[s] == n)
        continue;
      if (stamp[s] != n) {
        stamp[s] = n;
        acc[s] = 0;
        row.push_back(s);
      }
      acc[s] += weightOf(s);
    }
    double scale = 1;
    if (degreeCap && int64_t(row.size()) > degreeCap) {
      double total = 0, keptWeight = 0;
      for (int32_t s : row)
        total += acc[s];
      auto heavier = [&](int32_t a, int32_t b) {
        if (acc[a] != acc[b])
          return acc[a] > acc[b];
        // One splitmix64 step from the pair as state.
        uint64_t ha = uint64_t(n) << 32 ^ uint64_t(a);
        uint64_t hb = uint64_t(n) << 32 ^ uint64_t(b);
        ha = snnrt::splitmix64(ha);
        hb = snnrt::splitmix64(hb);
        return ha != hb ? ha < hb : a < b;
      };
      std::nth_element(row.begin(), row.begin() + degreeCap, row.end(),
                       heavier);
      row.resize(size_t(degreeCap));
      for (int32_t s : row)
        keptWeight += acc[s];
      scale = total / keptWeight;
    }
    for (int32_t s : row) {
      kept.source.push_back(s);
      kept.weight.push_back(acc[s] * scale);
    }
    kept.ptr[n + 1] = int64_t(kept.source.size());
  }
  return kept;
}

/// The kept pairs as METIS's symmetric adjacency (both directions, parallel
/// edges merged), weights quantised to integers whose total stays under
/// 2^30 because METIS sums them in 32 bits.
void buildAdjacency(const Graph &g, const std::vector<int64_t> &vertexOfSource,
                    KeptPairs kept, MetisGraph &m) {
  double totalW = 0;
  for (double w : kept.weight)
    totalW += 2 * w;
  double wScale = totalW > double(1 << 30) ? double(1 << 30) / totalW : 1.0;
  auto quantise = [&](double w) {
    return idx_t(std::max<int64_t>(1, std::llround(w * wScale)));
  };
  std::vector<int64_t> ptr(size_t(m.nvtxs) + 1, 0);
  for (int64_t n = 0; n < g.numNeurons; ++n)
    for (int64_t k = kept.ptr[n]; k < kept.ptr[n + 1]; ++k) {
      ++ptr[vertexOfSource[kept.source[k]] + 1];
      ++ptr[n + 1];
    }
  for (idx_t v = 0; v < m.nvtxs; ++v)
    ptr[v + 1] += ptr[v];
  std::vector<idx_t> adj(ptr.back()), wgt(ptr.back());
  {
    std::vector<int64_t> fill(ptr.begin(), ptr.end() - 1);
    for (int64_t n = 0; n < g.numNeurons; ++n)
      for (int64_t k = kept.ptr[n]; k < kept.ptr[n + 1]; ++k) {
        int64_t u = vertexOfSource[kept.source[k]];
        idx_t w = quantise(kept.weight[k]);
        adj[fill[u]] = idx_t(n), wgt[fill[u]++] = w;
        adj[fill[n]] = idx_t(u), wgt[fill[n]++] = w;
      }
  }
  kept = KeptPairs(); // free before the merged copy is built
  m.xadj.assign(size_t(m.nvtxs) + 1, 0);
  m.adjncy.reserve(adj.size());
  m.adjwgt.reserve(adj.size());
  std::vector<std::pair<idx_t, idx_t>> edges;
  for (idx_t v = 0; v < m.nvtxs; ++v) {
    edges.clear();
    for (int64_t k = ptr[v]; k < ptr[v + 1]; ++k)
      edges.push_back({adj[k], wgt[k]});
    std::sort(edges.begin(), edges.end());
    for (size_t i = 0; i < edges.size(); ++i) {
      if (i && edges[i].first == edges[i - 1].first)
        m.adjwgt.back() += edges[i].second;
      else {
        m.adjncy.push_back(edges[i].first);
        m.adjwgt.push_back(edges[i].second);
      }
    }
    m.xadj[v + 1] = idx_t(m.adjncy.size());
  }
}

MetisGraph buildMetisGraph(const Graph &g, const MetisOptions &opts) {
  MetisGraph m;
  std::vector<int64_t> vertexOfSource = sourceVertices(g, m.nvtxs);
  m.pairs = countPairs(g, vertexOfSource);
  if (m.pairs > opts.maxPairs)
    m.degreeCap = std::max<int64_t>(
        opts.minDegree, opts.keepPairs / std::max<int64_t>(1, g.numNeurons));
  KeptPairs kept = keepPairs(g, vertexOfSource, m.pairs, m.degreeCap);
  m.keptPairs = int64_t(kept.source.size());
  buildAdjacency(g, vertexOfSource, std::move(kept), m);
  // Two balance constraints: neurons and synapses per core (synapse
  // weights divided down if their total would overflow 32 bits).
  int64_t synDiv = std::max<int64_t>(1, ceilDiv(g.numSynapses(), 1 << 30));
  m.vwgt.assign(2 * size_t(m.nvtxs), 0);
  for (int64_t n = 0; n < g.numNeurons; ++n) {
    m.vwgt[2 * n] = 1;
    m.vwgt[2 * n + 1] = idx_t(ceilDiv(g.inPtr[n + 1] - g.inPtr[n], synDiv));
  }
  return m;
}

bool fits(const std::vector<Load> &loads, const Capacity &cap) {
  for (const Load &l : loads)
    if (l.neurons > cap.neurons || l.axons > cap.axons ||
        l.synapses > cap.synapses)
      return false;
  return true;
}

} // namespace

bool snnc::mapping::partitionMetis(const Graph &g, const Capacity &cap,
                                   int64_t maxCores, MetisResult &result,
                                   std::string &error,
                                   const MetisOptions &opts) {
  result = MetisResult();
  int64_t lower = coreLowerBound(g, cap);
  if (lower == 1 || g.numNeurons <= 1) {
    Partition p;
    p.numCores = 1;
    p.coreOf.assign(g.numNeurons, 0);
    result.attempts = 0;
    if (fits(computeLoads(g, p), cap)) {
      result.partition = std::move(p);
      return true;
    }
  }
  MetisGraph m = buildMetisGraph(g, opts);
  result.graphPairs = m.pairs;
  result.keptPairs = m.keptPairs;
  result.degreeCap = m.degreeCap;
  if (int64_t(m.adjncy.size()) > std::numeric_limits<idx_t>::max() / 2) {
    error = "the synapse graph has too many edges for METIS's 32-bit indices";
    return false;
  }
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = 1; // deterministic output
  options[METIS_OPTION_NUMBERING] = 0;
  // METIS's own trace (coarsening levels, timers) for diagnosing a run.
  if (const char *dbg = std::getenv("SNNC_METIS_DBGLVL"))
    options[METIS_OPTION_DBGLVL] = idx_t(std::atoi(dbg));
  idx_t ncon = 2;
  // Slack over the average part so a part at the average plus slack still
  // fits: k starts at the lower bound inflated by that slack.
  real_t ubvec[2] = {1.03f, 1.05f};
  // k starts at the lower bound: with the balance slack a part may then
  // overflow, and k grows until every part fits.
  int64_t k = std::max<int64_t>(2, lower);
  std::vector<idx_t> part(m.nvtxs);
  // Each run's parts that overflow (METIS balances neurons and synapses
  // only within a tolerance, and does not see axons at all) are split by a
  // sequential fill inside the part, so every run yields a partition that
  // fits; k then grows by the worst overflow (a split part often beats a
  // larger k, but not always) and the best partition (cores, then cut
  // traffic) is kept.
  bool have = false;
  double bestTraffic = 0;
  // A run with more parts than the best partition known has cores (the
  // caller's, e.g. the sequential fill's, or an earlier run's after its
  // split) cannot win: cores come first. Such runs are skipped, which at
  // 10^8 synapses saves minutes per run.
  auto known = [&] {
    int64_t best = maxCores;
    if (opts.knownCores > 0)
      best = std::min(best, opts.knownCores);
    if (have)
      best = std::min(best, result.partition.numCores);
    return best;
  };
  for (int attempt = 1; attempt <= 6 && k <= known(); ++attempt) {
    idx_t nparts = idx_t(k), objval = 0, nvtxs = m.nvtxs;
    int status = METIS_PartGraphKway(
        &nvtxs, &ncon, m.xadj.data(), m.adjncy.data(), m.vwgt.data(),
        /*vsize=*/nullptr, m.adjwgt.data(), &nparts, /*tpwgts=*/nullptr, ubvec,
        options, &objval, part.data());
    result.attempts = attempt;
    if (status != METIS_OK) {
      error = "METIS_PartGraphKway failed with status " +
              std::to_string(status);
      return false;
    }
    Partition raw;
    raw.numCores = k;
    raw.coreOf.assign(part.begin(), part.begin() + g.numNeurons);
    std::vector<Load> loads = computeLoads(g, raw);
    double over = 1.0;
    for (const Load &l : loads)
      over = std::max({over, double(l.neurons) / cap.neurons,
                       double(l.axons) / cap.axons,
                       double(l.synapses) / cap.synapses});
    std::vector<int64_t> order(g.numNeurons);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return raw.coreOf[a] < raw.coreOf[b];
    });
    Partition p = fillInOrder(g, cap, order, &raw.coreOf);
    double traffic = computeTraffic(g, p).total;
    if (!have || p.numCores < result.partition.numCores ||
        (p.numCores == result.partition.numCores && traffic < bestTraffic)) {
      result.partition = std::move(p);
      bestTraffic = traffic;
      have = true;
    }
    if (over <= 1.0)
      break; // every part fitted as it was: more parts cannot help
    k = std::max<int64_t>(k + 1, int64_t(std::ceil(double(k) * std::min(over, 1.25))));
  }
  if (have && result.partition.numCores <= maxCores)
    return true;
  error = "METIS found no partition into at most " + std::to_string(maxCores) +
          " cores in which every core fits";
  return false;
}
