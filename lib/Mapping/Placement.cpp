//===- Placement.cpp - Core-to-core traffic and mesh placement ------------===//

#include "snnc/Mapping/Mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <queue>

using namespace snnc::mapping;

Traffic snnc::mapping::computeTraffic(const Graph &g, const Partition &p) {
  // Per source, the set of cores holding its targets: a stamp per
  // (source, core) pair visited in neuron order keeps this O(S).
  std::map<std::pair<int32_t, int32_t>, Traffic::Edge> edges;
  std::vector<int32_t> lastCore(g.numSources(), -1);
  // Sources' destination cores, collected with a stamp per neuron's core.
  std::vector<std::vector<int32_t>> dest(g.numSources());
  std::vector<int64_t> order(g.numNeurons);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return p.coreOf[a] < p.coreOf[b];
  });
  for (int64_t n : order) {
    int32_t c = p.coreOf[n];
    for (int64_t k = g.inPtr[n]; k < g.inPtr[n + 1]; ++k) {
      int32_t s = g.inSource[k];
      if (g.sourceNeuron[s] < 0 || lastCore[s] == c)
        continue;
      lastCore[s] = c;
      dest[s].push_back(c);
    }
  }
  Traffic t;
  for (int64_t s = 0; s < g.numSources(); ++s) {
    if (g.sourceNeuron[s] < 0)
      continue;
    int32_t from = p.coreOf[g.sourceNeuron[s]];
    for (int32_t to : dest[s]) {
      if (to == from)
        continue;
      Traffic::Edge &e = edges[{from, to}];
      e.src = from;
      e.dst = to;
      e.axons += 1;
      e.traffic += g.sourceRate[s];
      t.total += g.sourceRate[s];
    }
    std::vector<int32_t>().swap(dest[s]);
  }
  t.edges.reserve(edges.size());
  for (auto &kv : edges)
    t.edges.push_back(kv.second);
  return t;
}

int64_t snnc::mapping::hops(const Position &a, const Position &b,
                            const Mesh &mesh) {
  return std::abs((a.chip - b.chip) * mesh.cols + a.x - b.x) +
         std::abs(a.y - b.y);
}

double snnc::mapping::hopWeightedTraffic(const Traffic &t,
                                         const std::vector<Position> &pos,
                                         const Mesh &mesh) {
  double sum = 0;
  for (const Traffic::Edge &e : t.edges)
    sum += e.traffic * double(hops(pos[e.src], pos[e.dst], mesh));
  return sum;
}

std::vector<Position> snnc::mapping::placeCores(int64_t numCores,
                                                const Traffic &traffic,
                                                const Mesh &mesh,
                                                bool greedy) {
  // Usable slots of a chip: the first coresPerChip positions, row-major.
  auto slotPosition = [&](int64_t slot) {
    Position p;
    p.chip = slot / mesh.coresPerChip;
    int64_t local = slot % mesh.coresPerChip;
    p.y = local / mesh.cols;
    p.x = local % mesh.cols;
    return p;
  };
  std::vector<Position> pos(numCores);
  if (!greedy || numCores <= 1) {
    for (int64_t c = 0; c < numCores; ++c)
      pos[c] = slotPosition(c);
    return pos;
  }
  // Undirected neighbour lists with both directions' traffic summed.
  std::vector<std::vector<std::pair<int32_t, double>>> nbr(numCores);
  std::vector<double> totalOf(numCores, 0);
  for (const Traffic::Edge &e : traffic.edges) {
    nbr[e.src].push_back({e.dst, e.traffic});
    nbr[e.dst].push_back({e.src, e.traffic});
    totalOf[e.src] += e.traffic;
    totalOf[e.dst] += e.traffic;
  }
  int64_t chips = (numCores + mesh.coresPerChip - 1) / mesh.coresPerChip;
  int64_t slots = chips * mesh.coresPerChip;
  // Global grid of slots: gx = chip·cols + x.
  int64_t width = chips * mesh.cols, height = mesh.rows;
  std::vector<int64_t> slotAt(width * height, -1);
  for (int64_t s = 0; s < slots; ++s) {
    Position p = slotPosition(s);
    slotAt[p.y * width + p.chip * mesh.cols + p.x] = s;
  }
  std::vector<bool> taken(slots, false), placed(numCores, false);
  std::vector<double> attraction(numCores, 0); // traffic to placed cores
  using Item = std::pair<double, int32_t>;
  std::priority_queue<Item> queue;
  int64_t numPlaced = 0;
  auto place = [&](int32_t c, int64_t slot) {
    pos[c] = slotPosition(slot);
    taken[slot] = true;
    placed[c] = true;
    ++numPlaced;
    for (auto [d, w] : nbr[c])
      if (!placed[d]) {
        attraction[d] += w;
        queue.push({attraction[d], d});
      }
  };
  auto cost = [&](int32_t c, const Position &p) {
    double sum = 0;
    for (auto [d, w] : nbr[c])
      if (placed[d])
        sum += w * double(hops(p, pos[d], mesh));
    return sum;
  };
  int32_t nextSeed = 0;
  std::vector<int32_t> byTotal(numCores);
  std::iota(byTotal.begin(), byTotal.end(), 0);
  std::stable_sort(byTotal.begin(), byTotal.end(),
                   [&](int32_t a, int32_t b) { return totalOf[a] > totalOf[b]; });
  while (numPlaced < numCores) {
    int32_t c = -1;
    while (!queue.empty()) {
      auto [a, d] = queue.top();
      queue.pop();
      if (!placed[d] && a == attraction[d]) {
        c = d;
        break;
      }
    }
    if (c < 0) { // a new connected component: its busiest core
      while (placed[byTotal[nextSeed]])
        ++nextSeed;
      c = byTotal[nextSeed];
    }
    // Centroid of the placed neighbours, then rings around it until some
    // free slots are found; the cheapest of those wins.
    double wx = 0, wy = 0, wsum = 0;
    for (auto [d, w] : nbr[c])
      if (placed[d]) {
        wx += w * double(pos[d].chip * mesh.cols + pos[d].x);
        wy += w * double(pos[d].y);
        wsum += w;
      }
    int64_t cx = wsum > 0 ? std::llround(wx / wsum) : 0;
    int64_t cy = wsum > 0 ? std::llround(wy / wsum) : 0;
    int64_t best = -1;
    double bestCost = 0;
    int found = 0;
    for (int64_t r = 0; r < width + height && found < 8; ++r) {
      for (int64_t dy = -r; dy <= r; ++dy) {
        int64_t rem = r - std::abs(dy);
        for (int64_t dx : {-rem, rem}) {
          int64_t gx = cx + dx, gy = cy + dy;
          if (gx < 0 || gy < 0 || gx >= width || gy >= height)
            continue;
          int64_t slot = slotAt[gy * width + gx];
          if (slot < 0 || taken[slot])
            continue;
          double cst = cost(c, slotPosition(slot));
          if (best < 0 || cst < bestCost) {
            best = slot;
            bestCost = cst;
          }
          ++found;
          if (rem == 0)
            break;
        }
      }
    }
    if (best < 0) // cannot happen: slots >= numCores
      for (int64_t s = 0; s < slots && best < 0; ++s)
        if (!taken[s])
          best = s;
    place(c, best);
  }
  return pos;
}

bool snnc::mapping::mapGraph(const Graph &g, const Capacity &cap,
                             const Mesh &mesh, int64_t maxCores, bool metis,
                             Result &result, std::string &error,
                             const MetisOptions &opts) {
  result = Result();
  Partition seq = partitionSequential(g, cap);
  if (!metis) {
    result.partition = std::move(seq);
    result.partitioner = "sequential";
  } else {
    MetisResult m;
    MetisOptions known = opts;
    known.knownCores = seq.numCores;
    bool found = partitionMetis(g, cap, maxCores, m, error, known);
    if (!found) {
      // The sequential fill is a valid answer whenever it fits.
      if (seq.numCores > maxCores)
        return false;
      error.clear();
      m.partition = seq;
    }
    result.metisRuns = m.attempts;
    result.metisKeptPairs = m.keptPairs;
    result.metisDegreeCap = m.degreeCap;
    Traffic seqTraffic = computeTraffic(g, seq);
    Traffic metisTraffic = computeTraffic(g, m.partition);
    if (found) {
      result.metisCores = m.partition.numCores;
      result.metisTraffic = metisTraffic.total;
    }
    bool keepSeq = seq.numCores < m.partition.numCores ||
                   (seq.numCores == m.partition.numCores &&
                    seqTraffic.total < metisTraffic.total);
    result.partition = keepSeq ? std::move(seq) : std::move(m.partition);
    result.partitioner = keepSeq ? "sequential" : "metis";
  }
  result.traffic = computeTraffic(g, result.partition);
  result.positions =
      placeCores(result.partition.numCores, result.traffic, mesh, metis);
  return true;
}
