//===- NirDelays.cpp - Per-synapse delays in NIR graphs -------------------===//

#include "snnrt/nir/NirDelays.h"

#include "snnrt/nir/NirDiscretize.h"

#include <algorithm>
#include <memory>
#include <set>

namespace snnrt {

namespace {
std::string pairText(uint64_t b, uint64_t a) {
  return "(" + std::to_string(b) + ", " + std::to_string(a) + ")";
}

/// The checks both writers share: sizes, both end nodes present.
Status checkSynapses(const NirGraph &graph, const std::string &name,
                     const std::string &src, const std::string &dst,
                     const NirSynapses &p) {
  const uint64_t n = p.targets * p.sources;
  if (p.weights.size() != n || p.delays.size() != n)
    return Status::error("projection '" + name +
                         "': weights and delays must "
                         "hold targets x sources = " +
                         std::to_string(n) + " entries");
  if (!p.bias.empty() && p.bias.size() != p.targets)
    return Status::error("projection '" + name + "': bias must hold " +
                         std::to_string(p.targets) + " entries");
  if (!graph.node(src) || !graph.node(dst))
    return Status::error("projection '" + name + "': node '" +
                         (graph.node(src) ? dst : src) + "' does not exist");
  return Status::ok();
}

/// Moves `added` into `graph` when none of its node names is taken.
Status mergeNodes(NirGraph &graph, NirGraph &added, const std::string &name) {
  for (const auto &[nodeName, node] : added.nodes)
    if (graph.nodes.count(nodeName))
      return Status::error("projection '" + name + "': node name '" + nodeName +
                           "' is already taken");
  for (auto &[nodeName, node] : added.nodes)
    graph.nodes.emplace(nodeName, std::move(node));
  graph.edges.insert(graph.edges.end(), added.edges.begin(), added.edges.end());
  return Status::ok();
}
/// The nodes with an edge into / out of `node`, in edge order.
std::vector<std::string> edgeSources(const NirGraph &g,
                                     const std::string &node) {
  std::vector<std::string> v;
  for (const NirEdge &e : g.edges)
    if (e.dst == node)
      v.push_back(e.src);
  return v;
}
std::vector<std::string> edgeTargets(const NirGraph &g,
                                     const std::string &node) {
  std::vector<std::string> v;
  for (const NirEdge &e : g.edges)
    if (e.src == node)
      v.push_back(e.dst);
  return v;
}
} // namespace

Status nirAddDelayedProjection(NirGraph &graph, const std::string &name,
                               const std::string &src, const std::string &dst,
                               const NirSynapses &p, double dt) {
  const uint64_t n = p.targets * p.sources;
  SNNRT_TRY(checkSynapses(graph, name, src, dst, p));
  if (!(dt > 0))
    return Status::error("projection '" + name + "': dt must be > 0");

  // Only synapses that carry weight decide which delay groups exist; the
  // delay-0 group also holds the bias, which must not be delayed.
  std::set<int32_t> groups;
  for (uint64_t i = 0; i < n; ++i) {
    if (p.delays[i] < 0)
      return Status::error("projection '" + name + "': synapse " +
                           pairText(i / p.sources, i % p.sources) +
                           " has negative delay " +
                           std::to_string(p.delays[i]));
    if (p.weights[i] != 0.0f)
      groups.insert(p.delays[i]);
  }
  if (!p.bias.empty() || groups.empty())
    groups.insert(0);

  NirGraph added; // built aside, merged only when every name is free
  for (int32_t k : groups) {
    std::string wName = k == 0 ? name : name + "_d" + std::to_string(k);
    NirNode w(k == 0 && !p.bias.empty() ? NirKind::Affine : NirKind::Linear);
    std::vector<double> values(n, 0.0);
    for (uint64_t i = 0; i < n; ++i)
      if (p.delays[i] == k && p.weights[i] != 0.0f)
        values[i] = p.weights[i];
    w.params["weight"] =
        NirArray::floats(std::move(values), {p.targets, p.sources});
    if (w.kind == NirKind::Affine)
      w.params["bias"] = NirArray::floats(
          std::vector<double>(p.bias.begin(), p.bias.end()), {p.targets});
    added.nodes.emplace(wName, std::move(w));
    added.edges.push_back({src, wName});
    if (k == 0) {
      added.edges.push_back({wName, dst});
      continue;
    }
    std::string dName = wName + "_delay";
    NirNode d(NirKind::Delay);
    // Stored as float32 seconds like every NIR exporter; nirDelaySteps
    // recovers k exactly (float32 k·dt is within 1e-7·k steps of k).
    d.params["delay"] =
        NirArray::filled(p.targets, double(float(double(k) * dt)));
    added.nodes.emplace(dName, std::move(d));
    added.edges.push_back({wName, dName});
    added.edges.push_back({dName, dst});
  }
  return mergeNodes(graph, added, name);
}

Expected<NirSynapses> nirCollectDelayedProjection(const NirGraph &flat,
                                                  const std::string &src,
                                                  const std::string &dst,
                                                  double dt) {
  auto ins = [&](const std::string &n) { return edgeSources(flat, n); };
  auto outs = [&](const std::string &n) { return edgeTargets(flat, n); };
  const std::string what = "projection '" + src + "' -> '" + dst + "'";

  NirSynapses p;
  std::vector<uint8_t> present;
  bool any = false;
  for (const std::string &wName : outs(src)) {
    const NirNode *w = flat.node(wName);
    if (!w || (w->kind != NirKind::Affine && w->kind != NirKind::Linear))
      continue;
    std::vector<std::string> wOut = outs(wName);
    if (wOut.size() != 1 || ins(wName).size() != 1)
      continue;
    std::vector<int32_t> steps; // per target; empty = 0
    if (wOut[0] != dst) {
      const NirNode *d = flat.node(wOut[0]);
      if (!d || d->kind != NirKind::Delay)
        continue;
      std::vector<std::string> dOut = outs(wOut[0]);
      if (dOut.size() != 1 || dOut[0] != dst || ins(wOut[0]).size() != 1)
        continue;
      auto s = nirDelaySteps(*d, wOut[0], dt);
      if (!s)
        return s.status();
      steps = *s;
    }
    const NirArray &wa = *w->param("weight");
    if (!any) {
      p.targets = wa.shape[0];
      p.sources = wa.shape[1];
      p.weights.assign(p.targets * p.sources, 0.0f);
      p.delays.assign(p.targets * p.sources, 0);
      present.assign(p.targets * p.sources, 0);
      any = true;
    } else if (wa.shape[0] != p.targets || wa.shape[1] != p.sources) {
      return Status::error(what + ": node '" + wName +
                           "' has a weight shape unlike the others");
    }
    if (!steps.empty() && steps.size() != 1 && steps.size() != p.targets)
      return Status::error(what + ": Delay node '" + wOut[0] + "' has " +
                           std::to_string(steps.size()) + " entries for " +
                           std::to_string(p.targets) + " targets");
    auto stepOf = [&](uint64_t b) {
      return steps.empty() ? 0 : steps.size() == 1 ? steps[0] : steps[b];
    };
    if (w->kind == NirKind::Affine) {
      const NirArray &bias = *w->param("bias");
      if (p.bias.empty())
        p.bias.assign(p.targets, 0.0f);
      for (uint64_t b = 0; b < p.targets; ++b) {
        if (bias.values[b] == 0.0)
          continue;
        if (stepOf(b) != 0)
          return Status::error(
              what + ": node '" + wName + "' has bias " +
              std::to_string(bias.values[b]) + " on target " +
              std::to_string(b) + " behind a delay of " +
              std::to_string(stepOf(b)) +
              " steps; a delayed bias is not a constant bias");
        p.bias[b] += static_cast<float>(bias.values[b]);
      }
    }
    for (uint64_t b = 0; b < p.targets; ++b)
      for (uint64_t a = 0; a < p.sources; ++a) {
        double v = wa.values[b * p.sources + a];
        if (v == 0.0)
          continue;
        uint64_t i = b * p.sources + a;
        int32_t k = stepOf(b);
        if (present[i] && p.delays[i] != k)
          return Status::error(
              what + ": synapse " + pairText(b, a) + " has weight at delays " +
              std::to_string(p.delays[i]) + " and " + std::to_string(k) +
              " steps; snnc keeps one delay per synapse (split the "
              "projection)");
        // Our exporter never puts one synapse in two groups, so this sum
        // only happens for foreign graphs that split a weight in two.
        p.weights[i] = present[i] ? p.weights[i] + float(v) : float(v);
        p.delays[i] = k;
        present[i] = 1;
      }
  }
  if (!any)
    return Status::error(what + ": no path src -> Affine/Linear -> [Delay] -> "
                                "dst found");
  return p;
}

Expected<NirRelayStats>
nirAddRelayedProjection(NirGraph &graph, const std::string &name,
                        const std::string &src, const std::string &dst,
                        const NirSynapses &p, const NirRelayNeuron &relay) {
  SNNRT_TRY(checkSynapses(graph, name, src, dst, p));
  const uint64_t ns = p.sources, nt = p.targets;
  NirRelayStats stats;
  // Relays r(a, 0..m_a) of source a start at first[a]; a source without a
  // weighted synapse gets none.
  std::vector<int64_t> maxDelay(ns, -1);
  for (uint64_t b = 0; b < nt; ++b)
    for (uint64_t a = 0; a < ns; ++a) {
      int32_t d = p.delays[b * ns + a];
      if (d < 0)
        return Status::error("projection '" + name + "': synapse " +
                             pairText(b, a) + " has negative delay " +
                             std::to_string(d));
      if (p.weights[b * ns + a] != 0.0f)
        maxDelay[a] = std::max<int64_t>(maxDelay[a], d);
    }
  std::vector<uint64_t> first(ns, 0);
  for (uint64_t a = 0; a < ns; ++a) {
    first[a] = stats.relays;
    stats.relays += uint64_t(maxDelay[a] + 1);
    if (maxDelay[a] > 0)
      stats.maxDelay = std::max<uint64_t>(stats.maxDelay, maxDelay[a]);
  }
  const uint64_t nr = stats.relays;
  if (nr == 0)
    return Status::error("projection '" + name +
                         "': no synapse carries weight, nothing to relay");

  auto weightNode = [&](std::vector<double> values, uint64_t rows,
                        uint64_t cols, const std::vector<float> *bias) {
    for (double v : values)
      stats.synapses += v != 0.0;
    stats.denseValues += rows * cols;
    NirNode w(bias || relay.affineOnly ? NirKind::Affine : NirKind::Linear);
    w.params["weight"] = NirArray::floats(std::move(values), {rows, cols});
    if (w.kind == NirKind::Affine)
      w.params["bias"] = NirArray::floats(
          bias ? std::vector<double>(bias->begin(), bias->end())
               : std::vector<double>(rows, 0.0),
          {rows});
    return w;
  };
  std::vector<double> in(nr * ns, 0.0), shift(nr * nr, 0.0), out(nt * nr, 0.0);
  for (uint64_t a = 0; a < ns; ++a) {
    if (maxDelay[a] < 0)
      continue;
    in[first[a] * ns + a] = relay.weight;
    for (int64_t k = 1; k <= maxDelay[a]; ++k)
      shift[(first[a] + k) * nr + first[a] + k - 1] = relay.weight;
  }
  for (uint64_t b = 0; b < nt; ++b)
    for (uint64_t a = 0; a < ns; ++a)
      if (float w = p.weights[b * ns + a]; w != 0.0f)
        out[b * nr + first[a] + p.delays[b * ns + a]] = w;

  const std::string inName = name + "_relay_in", relayName = name + "_relay",
                    recName = name + "_relay_rec";
  NirGraph added;
  added.nodes.emplace(inName, weightNode(std::move(in), nr, ns, nullptr));
  NirNode rec = weightNode(std::move(shift), nr, nr, nullptr);
  NirNode sum =
      weightNode(std::move(out), nt, nr, p.bias.empty() ? nullptr : &p.bias);
  added.edges.push_back({src, inName});
  added.edges.push_back({inName, relayName});
  if (relay.nested) {
    NirNode sub(NirKind::Graph);
    sub.graph = std::make_unique<NirGraph>();
    NirNode input(NirKind::Input), output(NirKind::Output);
    input.params["shape"] = NirArray::ints({double(nr)}, {1});
    output.params["shape"] = NirArray::ints({double(nr)}, {1});
    sub.graph->nodes.emplace("input", std::move(input));
    sub.graph->nodes.emplace("lif", relay.make(nr));
    sub.graph->nodes.emplace("w_rec", std::move(rec));
    sub.graph->nodes.emplace("output", std::move(output));
    sub.graph->edges = {{"input", "lif"},
                        {"lif", "w_rec"},
                        {"w_rec", "lif"},
                        {"lif", "output"}};
    added.nodes.emplace(relayName, std::move(sub));
    stats.nodes += 3; // the nested input, w_rec and output
  } else {
    added.nodes.emplace(relayName, relay.make(nr));
    added.nodes.emplace(recName, std::move(rec));
    added.edges.push_back({relayName, recName});
    added.edges.push_back({recName, relayName});
  }
  added.nodes.emplace(name, std::move(sum));
  added.edges.push_back({relayName, name});
  added.edges.push_back({name, dst});
  stats.nodes += added.nodes.size();
  SNNRT_TRY(mergeNodes(graph, added, name));
  return stats;
}

Expected<std::vector<std::string>> nirCollapseRelays(NirGraph &flat,
                                                     double dt) {
  std::vector<std::string> notes;
  auto ends = [](const std::string &s, const std::string &tail) {
    return s.size() > tail.size() &&
           s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  auto ins = [&](const std::string &n) { return edgeSources(flat, n); };
  auto outs = [&](const std::string &n) { return edgeTargets(flat, n); };
  std::vector<std::string> relays;
  for (const auto &[name, node] : flat.nodes)
    if (nirIsNeuron(node.kind) &&
        (ends(name, "_relay") || ends(name, "_relay.lif")))
      relays.push_back(name);
  for (const std::string &relayName : relays) {
    const bool nested = ends(relayName, ".lif");
    const std::string stem =
        relayName.substr(0, relayName.size() - (nested ? 4 : 0));
    const std::string base = stem.substr(0, stem.size() - 6); // "_relay"
    const std::string inName = stem + "_in",
                      recName = nested ? stem + ".w_rec" : stem + "_rec";
    auto bad = [&](const std::string &why) {
      return Status::error("node '" + relayName +
                           "' looks like snnc's delay-expanded form of "
                           "projection '" +
                           base + "' but " + why);
    };
    const NirNode *in = flat.node(inName), *rec = flat.node(recName),
                  *sum = flat.node(base);
    auto isWeight = [](const NirNode *n) {
      return n && (n->kind == NirKind::Affine || n->kind == NirKind::Linear);
    };
    std::vector<std::string> relayIn = ins(relayName),
                             relayOut = outs(relayName);
    // A neuron merely named so, without the relay's weight nodes and its
    // loop, is someone else's: left alone.
    auto has = [](const std::vector<std::string> &v, const std::string &n) {
      return std::find(v.begin(), v.end(), n) != v.end();
    };
    if (!isWeight(in) || !isWeight(rec) || !isWeight(sum) ||
        !has(relayIn, recName) || !has(relayOut, recName))
      continue;
    std::sort(relayIn.begin(), relayIn.end());
    std::sort(relayOut.begin(), relayOut.end());
    std::vector<std::string> wantIn{inName, recName}, wantOut{base, recName};
    std::sort(wantIn.begin(), wantIn.end());
    std::sort(wantOut.begin(), wantOut.end());
    std::vector<std::string> src = ins(inName), dst = outs(base);
    if (relayIn != wantIn || relayOut != wantOut || src.size() != 1 ||
        outs(inName).size() != 1 || ins(recName).size() != 1 ||
        outs(recName).size() != 1 || ins(base).size() != 1 || dst.size() != 1)
      return bad("its edges are not in -> relay <-> rec, relay -> sum");
    auto zeroBias = [](const NirNode *n) {
      const NirArray *b = n->param("bias");
      return !b || std::all_of(b->values.begin(), b->values.end(),
                               [](double v) { return v == 0.0; });
    };
    if (!zeroBias(in) || !zeroBias(rec))
      return bad("a relay edge has a bias");
    const NirArray &wi = *in->param("weight"), &wr = *rec->param("weight"),
                   &wo = *sum->param("weight");
    const uint64_t nr = wi.shape[0], ns = wi.shape[1], nt = wo.shape[0];
    if (wr.shape != std::vector<uint64_t>{nr, nr} || wo.shape[1] != nr)
      return bad("its weight shapes do not match");
    // Each relay's single driver: (source a, stage 0) or relay q.
    std::vector<int64_t> fromSource(nr, -1), fromRelay(nr, -1);
    double weight = 0;
    for (uint64_t r = 0; r < nr; ++r) {
      int found = 0;
      auto take = [&](double v) {
        if (v == 0.0)
          return false;
        if (weight == 0.0)
          weight = v;
        ++found;
        return v == weight;
      };
      for (uint64_t a = 0; a < ns; ++a)
        if (double v = wi.values[r * ns + a]; v != 0.0) {
          if (!take(v))
            return bad("relay " + std::to_string(r) +
                       " has a different input weight");
          fromSource[r] = int64_t(a);
        }
      for (uint64_t q = 0; q < nr; ++q)
        if (double v = wr.values[r * nr + q]; v != 0.0) {
          if (!take(v))
            return bad("relay " + std::to_string(r) +
                       " has a different shift weight");
          fromRelay[r] = int64_t(q);
        }
      if (found != 1)
        return bad("relay " + std::to_string(r) + " has " +
                   std::to_string(found) + " inputs, not 1");
    }
    // Stage of each relay: follow the shift edges back to the source.
    std::vector<int64_t> source(nr, -1), stage(nr, -1);
    for (uint64_t r = 0; r < nr; ++r) {
      uint64_t q = r;
      int64_t k = 0;
      while (fromSource[q] < 0 && k <= int64_t(nr)) {
        q = uint64_t(fromRelay[q]);
        ++k;
      }
      if (k > int64_t(nr))
        return bad("its shift edges form a loop without a source");
      source[r] = fromSource[q];
      stage[r] = k;
    }
    NirSynapses p;
    p.targets = nt;
    p.sources = ns;
    p.weights.assign(nt * ns, 0.0f);
    p.delays.assign(nt * ns, 0);
    for (uint64_t b = 0; b < nt; ++b)
      for (uint64_t r = 0; r < nr; ++r)
        if (double v = wo.values[b * nr + r]; v != 0.0) {
          uint64_t k = b * ns + uint64_t(source[r]);
          if (p.weights[k] != 0.0f)
            return bad("synapse " + pairText(b, uint64_t(source[r])) +
                       " is read from two stages");
          p.weights[k] = float(v);
          p.delays[k] = int32_t(stage[r]);
        }
    if (const NirArray *bias = sum->param("bias"))
      p.bias.assign(bias->values.begin(), bias->values.end());
    int32_t maxDelay = 0;
    for (int32_t d : p.delays)
      maxDelay = std::max(maxDelay, d);
    // Replace the relay layer by the plain form.
    std::set<std::string> gone{inName, relayName, recName, base};
    if (nested)
      for (const char *port : {".input", ".output"})
        gone.insert(stem + port);
    std::vector<NirEdge> kept;
    for (const NirEdge &e : flat.edges)
      if (!gone.count(e.src) && !gone.count(e.dst))
        kept.push_back(e);
    flat.edges = std::move(kept);
    for (const std::string &n : gone)
      flat.nodes.erase(n);
    SNNRT_TRY(nirAddDelayedProjection(flat, base, src[0], dst[0], p, dt));
    notes.push_back("'" + relayName + "': " + std::to_string(nr) +
                    " relay neurons read back as the per-synapse delays (up "
                    "to " +
                    std::to_string(maxDelay) + " steps) of projection '" +
                    base +
                    "', the delay-expanded form snnc export "
                    "--nir-reader writes");
  }
  return notes;
}

} // namespace snnrt
