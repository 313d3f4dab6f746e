//===- Partition.cpp - Neurons onto cores: sequential fill and METIS ------===//

#include "snnc/Mapping/Mapping.h"

#include <metis.h>

#include <algorithm>
#include <cmath>
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
struct MetisGraph {
  idx_t nvtxs = 0;
  std::vector<idx_t> xadj, adjncy, adjwgt, vwgt;
};

MetisGraph buildMetisGraph(const Graph &g) {
  MetisGraph m;
  std::vector<int64_t> vertexOfSource(g.numSources());
  idx_t next = idx_t(g.numNeurons);
  for (int64_t s = 0; s < g.numSources(); ++s)
    vertexOfSource[s] = g.sourceNeuron[s] >= 0 ? g.sourceNeuron[s] : next++;
  m.nvtxs = next;
  // Integer edge weights: rates scaled so the busiest source weighs 1000
  // (a uniform 1 per synapse without a profile).
  double maxRate = 0;
  for (double r : g.sourceRate)
    maxRate = std::max(maxRate, r);
  auto weightOf = [&](int32_t s) -> idx_t {
    if (maxRate <= 0)
      return 1;
    return std::max<idx_t>(1, idx_t(std::lround(1000.0 * g.sourceRate[s] /
                                               maxRate)));
  };
  std::vector<idx_t> degree(m.nvtxs + 1, 0);
  for (int64_t n = 0; n < g.numNeurons; ++n)
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int64_t u = vertexOfSource[g.inSource[k]];
      if (u == n)
        continue; // a neuron's synapse onto itself never crosses cores
      ++degree[u];
      ++degree[n];
    }
  std::vector<int64_t> ptr(m.nvtxs + 1, 0);
  for (idx_t v = 0; v < m.nvtxs; ++v)
    ptr[v + 1] = ptr[v] + degree[v];
  std::vector<idx_t> adj(ptr.back()), wgt(ptr.back());
  std::vector<int64_t> fill(ptr.begin(), ptr.end() - 1);
  for (int64_t n = 0; n < g.numNeurons; ++n)
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int32_t s = g.inSource[k];
      int64_t u = vertexOfSource[s];
      if (u == n)
        continue;
      idx_t w = weightOf(s);
      adj[fill[u]] = idx_t(n), wgt[fill[u]++] = w;
      adj[fill[n]] = idx_t(u), wgt[fill[n]++] = w;
    }
  // Merge parallel edges (several synapses, both directions) in place.
  m.xadj.assign(m.nvtxs + 1, 0);
  m.adjncy.reserve(adj.size());
  m.adjwgt.reserve(adj.size());
  std::vector<std::pair<idx_t, idx_t>> row;
  for (idx_t v = 0; v < m.nvtxs; ++v) {
    row.clear();
    for (int64_t k = ptr[v]; k < ptr[v + 1]; ++k)
      row.push_back({adj[k], wgt[k]});
    std::sort(row.begin(), row.end());
    for (size_t i = 0; i < row.size(); ++i) {
      if (i && row[i].first == row[i - 1].first)
        m.adjwgt.back() += row[i].second;
      else {
        m.adjncy.push_back(row[i].first);
        m.adjwgt.push_back(row[i].second);
      }
    }
    m.xadj[v + 1] = idx_t(m.adjncy.size());
  }
  // Two balance constraints: neurons and synapses per core.
  m.vwgt.assign(2 * size_t(m.nvtxs), 0);
  for (int64_t n = 0; n < g.numNeurons; ++n) {
    m.vwgt[2 * n] = 1;
    m.vwgt[2 * n + 1] = idx_t(g.inPtr[n + 1] - g.inPtr[n]);
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
                                   std::string &error) {
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
  MetisGraph m = buildMetisGraph(g);
  if (m.xadj.back() > std::numeric_limits<idx_t>::max() / 2) {
    error = "the synapse graph has too many edges for METIS's 32-bit indices";
    return false;
  }
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = 1; // deterministic output
  options[METIS_OPTION_NUMBERING] = 0;
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
  for (int attempt = 1; attempt <= 6 && k <= maxCores; ++attempt) {
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
