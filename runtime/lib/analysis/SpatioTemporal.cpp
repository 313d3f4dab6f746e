//===- SpatioTemporal.cpp - Where E and I synapses sit in (source, delay) -===//
#include "snnrt/analysis/SpatioTemporal.h"
#include "snnrt/base/Random.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {

/// Neighbouring pairs of one field: (i, j), i < j. Entries are sorted by
/// source, so the scan stops at the first source beyond the radius.
std::vector<std::pair<uint32_t, uint32_t>>
neighbourPairs(const std::vector<FieldEntry> &f, const GroupingOptions &o) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t i = 0; i < f.size(); ++i)
    for (uint32_t j = i + 1; j < f.size(); ++j) {
      if (f[j].source - f[i].source > o.sourceRadius)
        break;
      uint32_t dd = f[i].delay > f[j].delay ? f[i].delay - f[j].delay
                                            : f[j].delay - f[i].delay;
      if (dd <= o.delayRadius)
        out.push_back({i, j});
    }
  return out;
}

} // namespace

SignGrouping signGrouping(const std::vector<std::vector<FieldEntry>> &fields,
                          const GroupingOptions &o,
                          const std::vector<int8_t> *sourceSigns) {
  SignGrouping g;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> pairs(fields.size());
  std::vector<std::vector<int8_t>> signs(fields.size());
  std::vector<std::vector<uint32_t>> sources(fields.size());
  for (size_t n = 0; n < fields.size(); ++n) {
    std::vector<FieldEntry> f = fields[n];
    std::sort(f.begin(), f.end(), [](const FieldEntry &a, const FieldEntry &b) {
      return a.source != b.source ? a.source < b.source : a.delay < b.delay;
    });
    pairs[n] = neighbourPairs(f, o);
    for (const FieldEntry &e : f) {
      signs[n].push_back(e.weight > 0 ? 1 : -1);
      sources[n].push_back(e.source);
    }
    g.pairs += pairs[n].size();
    for (auto [i, j] : pairs[n])
      g.samePairs += signs[n][i] == signs[n][j];
  }
  if (g.pairs == 0)
    return g;
  g.sameFraction = double(g.samePairs) / double(g.pairs);
  // Baseline. Under Dale's law a sign belongs to a source and is shared by
  // all its targets, so the null is a random assignment of the same signs to
  // sources (one permutation for the whole projection, structure kept);
  // permuting each neuron's signs independently would ignore that sharing
  // and make the spread far too narrow. Without source signs: each neuron's
  // signs permuted over its own cells.
  Rng rng = Rng::derive(o.seed, 0x9a0u);
  double sum = 0, sum2 = 0;
  for (uint32_t r = 0; r < o.shuffles; ++r) {
    uint64_t same = 0;
    std::vector<int8_t> perm;
    if (sourceSigns) {
      perm = *sourceSigns;
      rng.shuffle(perm);
    }
    for (size_t n = 0; n < fields.size(); ++n) {
      if (pairs[n].empty())
        continue;
      if (sourceSigns) {
        for (auto [i, j] : pairs[n])
          same += perm[sources[n][i]] == perm[sources[n][j]];
        continue;
      }
      std::vector<int8_t> s = signs[n];
      rng.shuffle(s);
      for (auto [i, j] : pairs[n])
        same += s[i] == s[j];
    }
    double f = double(same) / double(g.pairs);
    sum += f;
    sum2 += f * f;
  }
  if (o.shuffles > 0) {
    g.shuffledMean = sum / o.shuffles;
    double var =
        std::max(0.0, sum2 / o.shuffles - g.shuffledMean * g.shuffledMean);
    g.shuffledStd =
        o.shuffles > 1 ? std::sqrt(var * o.shuffles / (o.shuffles - 1)) : 0.0;
    g.zScore = g.shuffledStd > 0
                   ? (g.sameFraction - g.shuffledMean) / g.shuffledStd
                   : 0.0;
  }
  return g;
}

Expected<ProjectionAnalysis> analyzeProjection(const Model &model, size_t index,
                                               const GroupingOptions &o) {
  if (index >= model.projections.size())
    return Status::error("no projection " + std::to_string(index));
  const Projection &p = model.projections[index];
  int src = model.findPopulation(p.source),
      tgt = model.findPopulation(p.target);
  if (src < 0 || tgt < 0)
    return Status::error("projections/" + p.name + ": unknown population");
  ProjectionAnalysis a;
  a.projection = p.name;
  a.source = p.source;
  a.target = p.target;
  a.rows = model.populations[tgt].size;
  a.cols = model.populations[src].size;
  a.maxDelay = p.maxDelay;
  a.hasSigns = !p.signs.empty();
  const std::vector<int32_t> delays = effectiveDelays(p); // SNN-F4
  a.fields.assign(a.rows, {});
  const size_t grid = size_t(a.cols) * a.maxDelay;
  a.populationWeight.assign(grid, 0.0f);
  a.populationExc.assign(grid, 0);
  a.populationInh.assign(grid, 0);
  a.delayExc.assign(a.maxDelay, 0);
  a.delayInh.assign(a.maxDelay, 0);
  double sumDelayExc = 0, sumDelayInh = 0;
  auto add = [&](uint32_t r, uint32_t c, size_t k) {
    if (!p.isCsr() && !p.mask.empty() && !p.mask[k])
      return;
    float w = p.weights[k] * (a.hasSigns ? float(p.signs[c]) : 1.0f);
    if (w == 0.0f)
      return; // a synapse at 0 carries no sign (rewiring removes it)
    uint32_t d = uint32_t(delays.empty() ? 0 : delays[k]);
    a.fields[r].push_back({c, d, w});
    size_t cell = size_t(c) * a.maxDelay + d;
    a.populationWeight[cell] += w;
    ++a.synapses;
    if (w > 0) {
      ++a.excitatory;
      ++a.populationExc[cell];
      ++a.delayExc[d];
      sumDelayExc += d;
    } else {
      ++a.inhibitory;
      ++a.populationInh[cell];
      ++a.delayInh[d];
      sumDelayInh += d;
    }
  };
  for (uint32_t r = 0; r < a.rows; ++r) {
    if (p.isCsr()) {
      for (uint64_t k = p.rowPtr[r]; k < p.rowPtr[r + 1]; ++k)
        add(r, p.colIdx[k], k);
    } else {
      for (uint32_t c = 0; c < a.cols; ++c)
        add(r, c, size_t(r) * a.cols + c);
    }
  }
  a.meanDelayExc = a.excitatory ? sumDelayExc / double(a.excitatory) : 0.0;
  a.meanDelayInh = a.inhibitory ? sumDelayInh / double(a.inhibitory) : 0.0;
  a.grouping = signGrouping(a.fields, o, a.hasSigns ? &p.signs : nullptr);
  return a;
}

} // namespace snnrt
