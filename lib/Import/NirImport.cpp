//===- NirImport.cpp - NIR graphs <-> snnrt::Model ------------------------===//

#include "snnc/Import/NirImport.h"

#include "NirReaders.h"

#include "snnrt/nir/NirDelays.h"
#include "snnrt/nir/NirDiscretize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

using namespace snnc;
using snnrt::Expected;
using snnrt::Model;
using snnrt::NirArray;
using snnrt::NirDType;
using snnrt::NirGraph;
using snnrt::NirKind;
using snnrt::NirNode;
using snnrt::Status;

// Metadata snnc writes on export and reads back, so that what NIR cannot say
// (a projection's name and delay range, a neuron's reset mode) survives.
static const char *kMetaProjection = "snnc_projection";
static const char *kMetaMaxDelay = "snnc_max_delay";
static const char *kMetaReset = "snnc_reset";
// SNN-F13: NIR has no field for the float neuron convention; a non-paper
// one is kept in this metadata string so snnc's own round trip is exact.
static const char *kMetaConvention = "snnc_convention";
// The step the model was trained with (seconds): NIR is continuous-time, so
// without it importing snnc's own file back needs --dt-ms, and another dt
// silently gives another network.
static const char *kMetaDt = "snnc_dt";

//===----------------------------------------------------------------------===//
// NIR -> Model
//===----------------------------------------------------------------------===//

namespace {

bool isPopulationNode(const NirNode &node) {
  return node.kind == NirKind::Input || snnrt::nirIsNeuron(node.kind);
}

/// One path of transform nodes from a population node to another.
struct Path {
  std::string source;             ///< population node at the start
  std::vector<std::string> nodes; ///< transform nodes, source side first
};

/// A projection being assembled: dense [target, source] weights and delays,
/// `present` marks the synapses some path defined.
struct PendingProjection {
  std::string name, source, target;
  uint32_t sourceSize = 0, targetSize = 0;
  int64_t maxDelayHint = 0;
  std::vector<double> weight;
  std::vector<int32_t> delay;
  std::vector<uint8_t> present;
};

class NirImporter {
public:
  NirImporter(const NirGraph &graph, const NirImportOptions &options,
              const std::string &where)
      : graph(graph), options(options), where(where) {}

  Expected<Model> run();

private:
  Status error(const std::string &message) const {
    return Status::error(where + ": " + message);
  }
  Status collectPaths(const std::string &node, std::vector<std::string> &chain,
                      std::vector<Path> &paths, int depth);
  Status applyPath(const Path &path, const std::string &target,
                   std::vector<PendingProjection> &pending);
  Status findPending(const std::string &name, const std::string &source,
                     const std::string &target,
                     std::vector<PendingProjection> &pending,
                     PendingProjection *&found);
  Status importPopulations(Model &model);
  Status importProjections(Model &model);
  void addAffineBiases(Model &model);
  Status importOutputs(Model &model);

  const NirGraph &graph;
  const NirImportOptions &options;
  std::string where;
  double dt = 0; ///< options.dt, or the convention's default
  std::map<std::string, std::vector<std::string>> predecessors;
  std::map<std::string, snnrt::NirNeuronMapping> neurons;
  std::map<std::string, uint32_t> sizes;
  std::map<std::string, std::vector<double>> extraBias; ///< from Affine biases
  /// Affine biases in front of a CuBa filter: the synaptic bias (SNN-F8).
  std::map<std::string, std::vector<double>> extraBiasSyn;
};

Status NirImporter::collectPaths(const std::string &node,
                                 std::vector<std::string> &chain,
                                 std::vector<Path> &paths, int depth) {
  if (depth > 64)
    return error("node '" + node + "': chain of transform nodes too long (a "
                 "cycle without neurons?)");
  auto it = predecessors.find(node);
  if (it == predecessors.end() || it->second.empty())
    return error("node '" + node + "' has no input edge");
  for (const std::string &pred : it->second) {
    const NirNode &p = graph.nodes.at(pred);
    if (isPopulationNode(p)) {
      Path path{pred, std::vector<std::string>(chain.rbegin(), chain.rend())};
      paths.push_back(path);
      continue;
    }
    switch (p.kind) {
    case NirKind::Affine:
    case NirKind::Linear:
    case NirKind::Scale:
    case NirKind::Delay:
      chain.push_back(pred);
      SNNRT_TRY(collectPaths(pred, chain, paths, depth + 1));
      chain.pop_back();
      break;
    default:
      return error("node '" + pred + "' of type " +
                   snnrt::nirKindName(p.kind) +
                   " cannot stand between two neuron nodes in snnc (only "
                   "Affine, Linear, Scale and Delay can)");
    }
  }
  return Status::ok();
}

/// The pending projection `name` from `source` to `target`, created on first
/// use.
Status NirImporter::findPending(const std::string &name,
                                const std::string &source,
                                const std::string &target,
                                std::vector<PendingProjection> &pending,
                                PendingProjection *&found) {
  auto it =
      std::find_if(pending.begin(), pending.end(),
                   [&](const PendingProjection &p) { return p.name == name; });
  if (it != pending.end()) {
    if (it->source != source)
      return error("projection '" + name + "' appears with two sources ('" +
                   it->source + "', '" + source + "')");
    found = &*it;
    return Status::ok();
  }
  const uint32_t ns = sizes.at(source), nt = sizes.at(target);
  PendingProjection p;
  p.name = name;
  p.source = source;
  p.target = target;
  p.sourceSize = ns;
  p.targetSize = nt;
  p.weight.assign(size_t(nt) * ns, 0.0);
  p.delay.assign(size_t(nt) * ns, 0);
  p.present.assign(size_t(nt) * ns, 0);
  pending.push_back(std::move(p));
  found = &pending.back();
  return Status::ok();
}

Status NirImporter::applyPath(const Path &path, const std::string &target,
                              std::vector<PendingProjection> &pending) {
  const uint32_t ns = sizes.at(path.source);
  const uint32_t nt = sizes.at(target);
  // Compose: per-source gain and delay before the matrix, the matrix,
  // per-target gain and delay after it.
  std::vector<double> srcGain(ns, 1.0), dstGain(nt, 1.0);
  std::vector<int32_t> srcDelay(ns, 0), dstDelay(nt, 0);
  const NirNode *matrix = nullptr;
  std::string matrixName;
  for (const std::string &name : path.nodes) {
    const NirNode &node = graph.nodes.at(name);
    bool after = matrix != nullptr;
    size_t width = after ? nt : ns;
    if (node.kind == NirKind::Affine || node.kind == NirKind::Linear) {
      if (matrix)
        return error("nodes '" + matrixName + "' and '" + name +
                     "' are two weight matrices in a row; snnc needs one "
                     "matrix per projection");
      const NirArray *w = node.param("weight");
      if (w->shape.size() != 2 || w->shape[0] != nt || w->shape[1] != ns)
        return error("node '" + name + "': weight has shape [" +
                     std::to_string(w->shape[0]) + ", " +
                     std::to_string(w->shape.size() > 1 ? w->shape[1] : 0) +
                     "] but connects " + std::to_string(ns) + " to " +
                     std::to_string(nt) + " neurons");
      matrix = &node;
      matrixName = name;
      continue;
    }
    if (node.kind == NirKind::Scale) {
      const auto &s = node.param("scale")->values;
      if (s.size() != width && s.size() != 1)
        return error("node '" + name + "': scale has " +
                     std::to_string(s.size()) + " entries, expected " +
                     std::to_string(width));
      auto &gain = after ? dstGain : srcGain;
      for (size_t i = 0; i < width; ++i)
        gain[i] *= s.size() == 1 ? s[0] : s[i];
      continue;
    }
    // Delay
    auto steps = snnrt::nirDelaySteps(node, name, dt);
    if (!steps)
      return error(steps.status().message());
    if (steps->size() != width && steps->size() != 1)
      return error("node '" + name + "': delay has " +
                   std::to_string(steps->size()) + " entries, expected " +
                   std::to_string(width));
    auto &delay = after ? dstDelay : srcDelay;
    for (size_t i = 0; i < width; ++i)
      delay[i] += steps->size() == 1 ? (*steps)[0] : (*steps)[i];
  }
  if (!matrix && ns != nt)
    return error("the path from '" + path.source + "' to '" + target +
                 "' has no weight matrix but joins " + std::to_string(ns) +
                 " to " + std::to_string(nt) + " neurons");

  // Projections are keyed by the name snnc exported them under, else by the
  // matrix node (or the two endpoints when there is none).
  std::string name = path.source + "_to_" + target;
  int64_t maxDelayHint = 0;
  if (matrix) {
    name = matrixName;
    auto meta = matrix->metadataStrings.find(kMetaProjection);
    if (meta != matrix->metadataStrings.end())
      name = meta->second;
    auto md = matrix->metadata.find(kMetaMaxDelay);
    if (md != matrix->metadata.end() && !md->second.values.empty())
      maxDelayHint = static_cast<int64_t>(md->second.values[0]);
  }
  PendingProjection *found = nullptr;
  SNNRT_TRY(findPending(name, path.source, target, pending, found));
  found->maxDelayHint = std::max(found->maxDelayHint, maxDelayHint);
  const std::vector<double> &gain = neurons.count(target)
                                        ? neurons.at(target).inputGain
                                        : std::vector<double>(nt, 1.0);
  for (uint32_t b = 0; b < nt; ++b)
    for (uint32_t a = 0; a < ns; ++a) {
      double w = matrix ? matrix->param("weight")->values[size_t(b) * ns + a]
                        : (a == b ? 1.0 : 0.0);
      if (w == 0.0)
        continue; // an absent synapse
      size_t k = size_t(b) * ns + a;
      if (found->present[k])
        return error("synapse (" + std::to_string(b) + ", " +
                     std::to_string(a) + ") of projection '" + name +
                     "' is defined by two paths from '" + path.source +
                     "' to '" + target + "'");
      found->present[k] = 1;
      found->weight[k] = w * srcGain[a] * dstGain[b] * gain[b];
      found->delay[k] = srcDelay[a] + dstDelay[b];
    }
  if (matrix && matrix->kind == NirKind::Affine) {
    const auto &bias = matrix->param("bias")->values;
    // A Delay behind the matrix would delay the bias too (it is missing for
    // the first steps), which a neuron's constant bias cannot express.
    for (uint32_t b = 0; b < nt; ++b)
      if (bias[b] != 0.0 && dstDelay[b] != 0)
        return error("node '" + matrixName + "': its bias of target " +
                     std::to_string(b) + " passes a Delay of " +
                     std::to_string(dstDelay[b]) + " steps on the way to '" +
                     target +
                     "'; snnc adds a bias undelayed, so it refuses a "
                     "non-zero Affine bias in front of a non-zero Delay "
                     "(put the bias on an undelayed path)");
    // NIR adds an Affine bias to I. In front of a CuBa synapse the filter
    // low-pass filters it like a weighted spike, so it becomes the synaptic
    // bias (SNN-F8: J = β_syn·J + I + bias_syn) with the synapses' gain.
    bool cuba = neurons.count(target) && neurons.at(target).cuba;
    auto &extra = cuba ? extraBiasSyn[target] : extraBias[target];
    extra.resize(nt, 0.0);
    for (uint32_t b = 0; b < nt; ++b)
      extra[b] += bias[b] * dstGain[b] * gain[b];
  }
  return Status::ok();
}

/// A per-neuron parameter as the model holds it: the shared scalar (neuron
/// 0's value) and, only when the neurons differ, the per-neuron array.
void perNeuron(const std::vector<double> &values, double &scalar,
               std::vector<double> &array) {
  scalar = values.front();
  array.clear();
  for (double v : values)
    if (v != scalar) {
      array = values;
      return;
    }
}

/// Populations: Input and neuron nodes.
Status NirImporter::importPopulations(Model &model) {
  snnrt::NirDiscretizeOptions dopts;
  dopts.dt = dt;
  dopts.decay = options.decay;
  dopts.convention = options.convention;
  std::map<std::string, uint64_t> nodeSizes = snnrt::nirNodeSizes(graph);
  for (const auto &[name, node] : graph.nodes) {
    if (node.kind == NirKind::Input) {
      snnrt::Population pop;
      pop.name = name;
      pop.kind = snnrt::PopulationKind::Input;
      uint64_t size = snnrt::nirOutputSize(node).value_or(0);
      pop.size = static_cast<uint32_t>(size);
      sizes[name] = pop.size;
      model.populations.push_back(pop);
      continue;
    }
    if (!snnrt::nirIsNeuron(node.kind))
      continue;
    dopts.reset = options.reset;
    auto meta = node.metadataStrings.find(kMetaReset);
    if (!dopts.reset && meta != node.metadataStrings.end())
      dopts.reset = meta->second == "subtract" ? snnrt::ResetMode::Subtract
                                               : snnrt::ResetMode::Hard;
    // Rank-0 fields (Norse's default cells) take the size from the
    // neighbouring layers.
    auto m = snnrt::discretizeNirNeuron(
        node, name, dopts, nodeSizes.count(name) ? nodeSizes[name] : 0);
    if (!m) {
      // The hint belongs to the missing reset mode only, not to other errors
      // (a time constant shorter than dt, ...) of a node without one.
      const bool spiking = node.kind == NirKind::LIF ||
                           node.kind == NirKind::CubaLIF ||
                           node.kind == NirKind::IF;
      return error(m.status().message() +
                   (spiking && !dopts.reset &&
                            options.convention == snnrt::NirConvention::Generic
                        ? " (pass --reset hard|subtract, or --convention "
                          "with the exporting framework)"
                        : ""));
    }
    snnrt::Population pop;
    pop.name = name;
    pop.kind = m->spiking ? snnrt::PopulationKind::Lif
                          : snnrt::PopulationKind::Li;
    pop.size = static_cast<uint32_t>(m->size);
    // IF and I do not leak: the largest finite τ makes β = 1 − dt/τ exactly 1.
    std::vector<double> tauMem = m->tauMem;
    for (double &tau : tauMem)
      if (!std::isfinite(tau))
        tau = std::numeric_limits<double>::max();
    perNeuron(tauMem, pop.tauMem, pop.tauMemPerNeuron);
    if (m->cuba) {
      double tauSyn = 0;
      perNeuron(m->tauSyn, tauSyn, pop.tauSynPerNeuron);
      pop.tauSyn = tauSyn;
    }
    if (m->spiking) {
      perNeuron(m->threshold, pop.threshold, pop.thresholdPerNeuron);
      pop.reset = m->reset;
      pop.convention = m->convention;
      auto conv = node.metadataStrings.find(kMetaConvention);
      if (conv != node.metadataStrings.end()) {
        auto parsed = snnrt::parseNeuronConvention(conv->second);
        if (!parsed)
          return error("node '" + name + "': metadata " +
                       std::string(kMetaConvention) + " '" + conv->second +
                       "' is not paper, lava or reset_first (SNN-F13)");
        pop.convention = *parsed;
      }
    }
    pop.bias.assign(m->bias.begin(), m->bias.end());
    sizes[name] = pop.size;
    neurons[name] = std::move(*m);
    model.populations.push_back(pop);
  }
  return Status::ok();
}

/// Projections: every path of transform nodes into a neuron node.
Status NirImporter::importProjections(Model &model) {
  std::vector<PendingProjection> pending;
  for (const auto &[name, node] : graph.nodes) {
    if (!snnrt::nirIsNeuron(node.kind))
      continue;
    std::vector<std::string> chain;
    std::vector<Path> paths;
    SNNRT_TRY(collectPaths(name, chain, paths, 0));
    for (const Path &path : paths) {
      if (graph.nodes.at(path.source).kind != NirKind::Input &&
          !neurons.at(path.source).spiking)
        return error("node '" + path.source + "' is a non-spiking readout ("
                     "LI/I) but feeds '" + name +
                     "'; snnc projections carry spikes (SNN-F2)");
      SNNRT_TRY(applyPath(path, name, pending));
    }
  }
  for (auto &p : pending) {
    snnrt::Projection proj;
    proj.name = p.name;
    proj.source = p.source;
    proj.target = p.target;
    int32_t maxDelay = 0;
    bool allPresent = true;
    for (size_t k = 0; k < p.weight.size(); ++k) {
      if (p.present[k])
        maxDelay = std::max(maxDelay, p.delay[k]);
      allPresent &= p.present[k] != 0;
    }
    proj.maxDelay = static_cast<uint32_t>(
        std::max<int64_t>(maxDelay + 1, p.maxDelayHint));
    proj.weights.assign(p.weight.begin(), p.weight.end());
    if (maxDelay > 0)
      proj.delays = p.delay;
    if (!allPresent)
      proj.mask = p.present;
    model.projections.push_back(std::move(proj));
  }
  return Status::ok();
}

/// Affine biases join the population's bias, or in front of a CuBa filter
/// its synaptic bias.
void NirImporter::addAffineBiases(Model &model) {
  for (auto &pop : model.populations) {
    auto it = extraBias.find(pop.name);
    if (it == extraBias.end())
      continue;
    if (pop.bias.empty())
      pop.bias.assign(pop.size, 0.0f);
    for (size_t b = 0; b < pop.size; ++b)
      pop.bias[b] = static_cast<float>(double(pop.bias[b]) + it->second[b]);
  }
  for (auto &pop : model.populations) {
    auto it = extraBiasSyn.find(pop.name);
    if (it == extraBiasSyn.end())
      continue;
    bool any = false;
    for (double v : it->second)
      any |= v != 0.0;
    if (!any)
      continue; // an all-zero Affine bias adds nothing
    pop.biasSyn.resize(pop.size);
    for (size_t b = 0; b < pop.size; ++b)
      pop.biasSyn[b] = static_cast<float>(it->second[b]);
  }
}

/// Outputs: the neuron nodes that feed an Output node.
Status NirImporter::importOutputs(Model &model) {
  for (const auto &[name, node] : graph.nodes)
    if (node.kind == NirKind::Output)
      for (const std::string &pred : predecessors[name]) {
        if (!neurons.count(pred))
          return error("Output node '" + name + "' is fed by '" + pred +
                       "', which is not a neuron node");
        model.outputs.push_back(pred);
      }
  return Status::ok();
}

/// The dt snnc's export recorded on its neuron nodes (0: none recorded).
static Expected<double> recordedDt(const NirGraph &graph) {
  double found = 0;
  std::string first;
  for (const auto &[name, node] : graph.nodes) {
    auto it = node.metadata.find(kMetaDt);
    if (it == node.metadata.end() || it->second.values.empty())
      continue;
    double v = it->second.values.front();
    if (!(v > 0) || !std::isfinite(v))
      return Status::error("node '" + name + "': metadata " + kMetaDt +
                               " is not a positive number of seconds",
                           snnrt::ErrorKind::BadInput);
    if (found > 0 && v != found)
      return Status::error("nodes '" + first + "' and '" + name +
                               "' record different steps in metadata " +
                               kMetaDt,
                           snnrt::ErrorKind::BadInput);
    found = v;
    first = name;
  }
  return found;
}

Expected<Model> NirImporter::run() {
  auto recorded = recordedDt(graph);
  if (!recorded)
    return error(recorded.status().message());
  // --dt-ms wins (re-discretising is a choice); then the step snnc's export
  // recorded; then the convention's default.
  dt = options.dt > 0   ? options.dt
       : *recorded > 0 ? *recorded
                        : snnrt::nirConventionDefaultDt(options.convention);
  if (!(dt > 0))
    return error("importing NIR needs --dt-ms (milliseconds per step): NIR "
                 "stores none (--convention " +
                 std::string(snnrt::nirConventionName(options.convention)) +
                 " gives no default)");
  for (const auto &edge : graph.edges)
    predecessors[edge.dst].push_back(edge.src);

  Model model;
  model.name = "nir";
  model.dt = dt;
  model.steps = options.steps;
  model.decay = snnrt::nirConventionDecay(options.convention, options.decay);
  SNNRT_TRY(importPopulations(model));
  SNNRT_TRY(importProjections(model));
  addAffineBiases(model);
  SNNRT_TRY(importOutputs(model));
  // Populations in topological order keep the model easy to read.
  std::vector<int> order = model.topologicalOrder();
  if (order.size() == model.populations.size()) {
    std::vector<snnrt::Population> sorted;
    for (int i : order)
      sorted.push_back(model.populations[i]);
    model.populations = std::move(sorted);
  }
  Status status = model.validate();
  if (!status)
    return error("the imported network is not valid: " + status.message());
  return model;
}

} // namespace

Expected<Model> snnc::nirToModel(const NirGraph &graph,
                                 const NirImportOptions &options,
                                 const std::string &where) {
  auto flat = snnrt::flattenNir(graph);
  if (!flat)
    return Status::error(where + ": " + flat.status().message());
  // snnc's own delay-expanded export (--nir-reader) reads back as the
  // per-synapse delays it came from; its relays' loop is no snnc network.
  const double dt = options.dt > 0
                        ? options.dt
                        : snnrt::nirConventionDefaultDt(options.convention);
  if (dt > 0)
    if (auto collapsed = snnrt::nirCollapseRelays(*flat, dt); !collapsed)
      return Status::error(where + ": " + collapsed.status().message());
  return NirImporter(*flat, options, where).run();
}

//===----------------------------------------------------------------------===//
// Model -> NIR
//===----------------------------------------------------------------------===//

namespace {

NirArray f64(std::vector<double> values, std::vector<uint64_t> shape) {
  return NirArray::floats(std::move(values), std::move(shape),
                          NirDType::Float64);
}

NirArray f64Filled(size_t n, double value) {
  return NirArray::filled(n, value, NirDType::Float64);
}

/// True when no neuron of `pop` leaks (β = 1: IF, or an LI integrator),
/// which NIR writes as IF / I rather than as a LIF with an infinite τ.
bool integrates(const Model &model, const snnrt::Population &pop) {
  if (pop.kind == snnrt::PopulationKind::Input || pop.tauSyn)
    return false;
  for (size_t i = 0; i < pop.size; ++i)
    if (snnrt::decayFactor(model.decay, model.dt, pop.tauMemOf(i)) != 1.0)
      return false;
  return true;
}

/// The inverse of discretizeNirNeuron for one population: chooses r (and
/// w_in) so that the input gain is 1 and v_leak so that the bias comes back.
NirNode neuronNode(const Model &model, const snnrt::Population &pop,
                   const NirExportOptions &options) {
  const size_t n = pop.size;
  // A spiking node's threshold, and (outside compat mode: readers before
  // nir 1.0.5 take no v_reset, and 0 is NIR's default) its reset and
  // convention.
  auto addFiring = [&](NirNode &node) {
    std::vector<double> theta;
    for (size_t i = 0; i < n; ++i)
      theta.push_back(pop.thresholdOf(i));
    node.params["v_threshold"] = f64(theta, {n});
    if (options.compat)
      return;
    node.params["v_reset"] = f64Filled(n, 0.0);
    node.metadataStrings[kMetaReset] =
        pop.reset == snnrt::ResetMode::Subtract ? "subtract" : "hard";
    if (pop.convention != snnrt::NeuronConvention::Paper)
      node.metadataStrings[kMetaConvention] = snnrt::toString(pop.convention);
  };
  if (integrates(model, pop)) {
    // NIR's IF/I integrate v̇ = R·I, dt·R per step by Euler (the generic
    // reading): r = 1/dt gives gain 1. They have no v_leak: a bias travels
    // as the Affine bias in front (modelToNir).
    bool spiking = pop.kind == snnrt::PopulationKind::Lif;
    NirNode node(spiking ? NirKind::IF : NirKind::I);
    node.params["r"] = f64Filled(n, 1.0 / model.dt);
    if (spiking)
      addFiring(node);
    return node;
  }
  // k = 1 − β of SNN-F6, computed without cancellation (docs/nir.md §2).
  auto gainOf = [&](double tau) {
    return model.decay == snnrt::DecayMode::Linear
               ? model.dt / tau
               : -std::expm1(-model.dt / tau);
  };
  std::vector<double> tauMem(n), r(n), vLeak(n, 0.0), tauSyn, wIn;
  for (size_t i = 0; i < n; ++i) {
    tauMem[i] = pop.tauMemOf(i);
    double k = gainOf(tauMem[i]);
    r[i] = 1.0 / k;
    // Compat: the bias travels as the Affine bias in front (modelToNir).
    if (!pop.bias.empty() && !options.compat)
      vLeak[i] = double(pop.bias[i]) / k;
  }
  bool spiking = pop.kind == snnrt::PopulationKind::Lif;
  bool cuba = pop.tauSyn.has_value();
  NirNode node(spiking ? (cuba ? NirKind::CubaLIF : NirKind::LIF)
                       : (cuba ? NirKind::CubaLI : NirKind::LI));
  if (cuba) {
    for (size_t i = 0; i < n; ++i) {
      tauSyn.push_back(pop.tauSynOf(i));
      wIn.push_back(1.0 / gainOf(tauSyn.back()));
    }
    node.params["tau_mem"] = f64(tauMem, {n});
    node.params["tau_syn"] = f64(tauSyn, {n});
    node.params["w_in"] = f64(wIn, {n});
  } else {
    node.params["tau"] = f64(tauMem, {n});
  }
  node.params["r"] = f64(r, {n});
  node.params["v_leak"] = f64(vLeak, {n});
  if (spiking)
    addFiring(node);
  return node;
}

} // namespace

Expected<NirGraph> snnc::modelToNir(const Model &model,
                                    const NirExportOptions &requested) {
  NirGraph graph;
  for (const auto &pop : model.populations)
    if (integrates(model, pop) &&
        std::any_of(pop.bias.begin(), pop.bias.end(),
                    [](float b) { return b != 0.0f; }) &&
        std::none_of(
            model.projections.begin(), model.projections.end(),
            [&](const snnrt::Projection &p) { return p.target == pop.name; }))
      return Status::error("population '" + pop.name +
                           "' integrates without leak (NIR IF/I, which have "
                           "no v_leak) and has a bias but no incoming "
                           "projection to carry it as an Affine bias");
  // A reader's layout is the compatible one, plus its own neurons.
  NirExportOptions options = requested;
  const bool forReader = options.reader != snnrt::NirConvention::Generic;
  options.compat |= forReader;
  // Per population: the reader's gain it cannot express, carried by the
  // weights (and Affine bias) into that population's rows.
  std::map<std::string, std::vector<double>> rowScale;
  if (forReader)
    if (auto status = nirCheckGraphForReader(model, options.reader); !status)
      return status;
  if (forReader && options.delays != NirExportOptions::Delays::Refuse)
    if (auto status = nirCheckRelayLag(model, options.reader); !status)
      return status;
  if (options.compat)
    for (const auto &pop : model.populations) {
      bool bias = std::any_of(pop.bias.begin(), pop.bias.end(),
                              [](float b) { return b != 0.0f; });
      if (bias && pop.tauSyn)
        return Status::error(
            "--nir-compat: population '" + pop.name +
            "' has a membrane bias behind its synaptic filter; an Affine "
            "bias would be filtered (NIR's CubaLIF), and v_leak is what the "
            "readers refuse: export without --nir-compat");
      if (bias &&
          std::none_of(
              model.projections.begin(), model.projections.end(),
              [&](const snnrt::Projection &p) { return p.target == pop.name; }))
        return Status::error("--nir-compat: population '" + pop.name +
                             "' has a bias but no incoming projection to "
                             "carry it as an Affine bias");
    }
  for (const auto &pop : model.populations) {
    if (pop.batchnorm)
      return Status::error("population '" + pop.name +
                           "' has BatchNorm, which NIR cannot hold: fold it "
                           "first (snn-opt --snn-fold-batchnorm)");
    if (pop.kind == snnrt::PopulationKind::Input) {
      NirNode node(NirKind::Input);
      node.params["shape"] = NirArray::ints({double(pop.size)}, {1});
      graph.nodes[pop.name] = std::move(node);
      continue;
    }
    if (forReader) {
      auto neuron = nirNeuronForReader(model, pop, options.reader);
      if (!neuron)
        return neuron.status();
      graph.nodes[pop.name] = std::move(neuron->node);
      rowScale[pop.name] = std::move(neuron->rowScale);
      continue;
    }
    graph.nodes[pop.name] = neuronNode(model, pop, options);
    if (!options.compat)
      graph.nodes[pop.name].metadata[kMetaDt] = f64Filled(1, model.dt);
  }
  // A synaptic bias (SNN-F8) goes back as the Affine bias of the first
  // projection into its population, in front of the CuBa filter; the node's
  // gain into the filter is 1 (neuronNode), so the value is unchanged.
  std::set<std::string> biasSynPlaced;
  for (const auto &pop : model.populations)
    if (!pop.biasSyn.empty() &&
        std::none_of(model.projections.begin(), model.projections.end(),
                     [&](const snnrt::Projection &p) {
                       return p.target == pop.name;
                     }))
      return Status::error("population '" + pop.name +
                           "' has a synaptic bias (bias_syn) but no incoming "
                           "projection to carry it as an NIR Affine bias");
  for (const auto &proj : model.projections) {
    const auto &src = model.populations[model.findPopulation(proj.source)];
    const auto &dst = model.populations[model.findPopulation(proj.target)];
    const size_t ns = src.size, nt = dst.size;
    std::vector<int32_t> delays = snnrt::effectiveDelays(proj);
    // Dense view of the synapses, Dale signs folded into the weights.
    snnrt::NirSynapses synapses;
    synapses.targets = nt;
    synapses.sources = ns;
    synapses.weights.assign(nt * ns, 0.0f);
    synapses.delays.assign(nt * ns, 0);
    if (!dst.biasSyn.empty() && biasSynPlaced.insert(dst.name).second)
      synapses.bias = dst.biasSyn;
    // Compat: a LIF/LI bias goes into the first projection's Affine bias
    // (gain 1 into the membrane, neuronNode), not v_leak.
    else if ((options.compat || integrates(model, dst)) && !dst.tauSyn &&
             !dst.bias.empty() && biasSynPlaced.insert(dst.name).second)
      synapses.bias = dst.bias;
    // NIR's Input node passes values through unscaled: an input
    // population's scale (SNN-F1) moves into the weights leaving it, so the
    // graph computes what the model does.
    const double sourceScale =
        src.kind == snnrt::PopulationKind::Input ? src.scale : 1.0;
    const std::vector<double> *rows =
        rowScale.count(dst.name) ? &rowScale[dst.name] : nullptr;
    if (rows)
      for (size_t b = 0; b < synapses.bias.size(); ++b)
        synapses.bias[b] = float(double(synapses.bias[b]) * (*rows)[b]);
    auto addSynapse = [&](size_t b, size_t a, size_t k) {
      float w = proj.weights[k];
      if (!proj.signs.empty())
        w *= proj.signs[a];
      double scale = sourceScale * (rows ? (*rows)[b] : 1.0);
      if (scale != 1.0)
        w = float(double(w) * scale);
      synapses.weights[b * ns + a] = w;
      synapses.delays[b * ns + a] = delays.empty() ? 0 : delays[k];
    };
    if (proj.isCsr()) {
      for (size_t b = 0; b < nt; ++b)
        for (uint64_t k = proj.rowPtr[b]; k < proj.rowPtr[b + 1]; ++k)
          addSynapse(b, proj.colIdx[k], k);
    } else {
      for (size_t b = 0; b < nt; ++b)
        for (size_t a = 0; a < ns; ++a)
          if (proj.mask.empty() || proj.mask[b * ns + a])
            addSynapse(b, a, b * ns + a);
    }
    // A synapse without weight contributes nothing, whatever its delay.
    std::optional<size_t> delayed;
    for (size_t k = 0; k < synapses.delays.size() && !delayed; ++k)
      if (synapses.delays[k] != 0 && synapses.weights[k] != 0.0f)
        delayed = k;
    if (options.compat && delayed) {
      const size_t k = *delayed;
      const std::string which =
          "projection '" + proj.name + "' has per-synapse delays (synapse " +
          std::to_string(k / ns) + ", " + std::to_string(k % ns) + ": " +
          std::to_string(synapses.delays[k]) + " steps)";
      if (!forReader)
        return Status::error(
            "--nir-compat: " + which +
            "; no current NIR reader runs a Delay node (snnTorch, Norse, "
            "Rockpool and Sinabs refuse it, Spyx keeps only the undelayed "
            "path): export without --nir-compat to keep them, or for one "
            "reader with --nir-reader, which writes them delay-expanded "
            "where it can run that (docs/nir.md)");
      const std::string fw = std::string("--nir-reader ") +
                             snnrt::nirConventionName(options.reader);
      if (options.delays == NirExportOptions::Delays::Refuse)
        return Status::error(fw + ": " + which +
                             " and --delays refuse was given; no current NIR "
                             "reader runs a Delay node");
      auto relay = nirRelayForReader(options.reader, model.dt);
      if (!relay)
        return Status::error(fw + ": " + which + "; " +
                             relay.status().message());
      std::string condition = relay->condition;
      const bool analog =
          src.kind == snnrt::PopulationKind::Input && relay->analog;
      if (src.kind == snnrt::PopulationKind::Input && !analog)
        condition = (condition.empty() ? "" : condition + ", and ") +
                    "the input frames of '" + src.name +
                    "' are 0/1 spikes (the relays copy spikes, and '" +
                    src.name + "' is an input population)";
      if (!condition.empty() &&
          options.delays != NirExportOptions::Delays::Expand)
        return Status::error(
            fw + ": " + which + "; the delay-expanded form is exact only if " +
            condition + ": pass --delays expand if so (docs/nir.md)");
      if (!condition.empty())
        graph.notes.push_back("projection '" + proj.name +
                              "': delay-expanded, exact only if " + condition);
      // Spyx chains the relays under one name prefix (its reader takes the
      // part before a '.' as the layer's key).
      std::string base = proj.name;
      std::replace(base.begin(), base.end(), '.', '_');
      auto stats = snnrt::nirAddRelayedProjection(
          graph, base, proj.source, proj.target, synapses,
          analog ? *relay->analog : relay->neuron);
      if (!stats)
        return stats.status();
      graph.notes.push_back(
          "projection '" + proj.name + "': delays up to " +
          std::to_string(stats->maxDelay) + " steps written as " +
          std::to_string(stats->relays) +
          (analog ? " analog relays (LI)" : " relay neurons") +
          " in one recurrent layer for " +
          snnrt::nirConventionName(options.reader) +
          "'s reader: " + std::to_string(stats->nodes) + " nodes, " +
          std::to_string(stats->synapses) + " non-zero weights in " +
          std::to_string(stats->denseValues) + " stored (" +
          std::to_string(std::count_if(synapses.weights.begin(),
                                       synapses.weights.end(),
                                       [](float w) { return w != 0.0f; })) +
          " synapses before)");
      continue;
    }
    std::set<std::string> before;
    for (const auto &entry : graph.nodes)
      before.insert(entry.first);
    if (auto status = snnrt::nirAddDelayedProjection(
            graph, proj.name, proj.source, proj.target, synapses, model.dt);
        !status)
      return status;
    // Tag the weight nodes it added, so import restores the projection's
    // name and delay range.
    for (auto &[name, node] : graph.nodes) {
      if (options.compat)
        break; // no metadata: nir 1.0.4's readers refuse it
      if (before.count(name) ||
          (node.kind != NirKind::Affine && node.kind != NirKind::Linear))
        continue;
      node.metadataStrings[kMetaProjection] = proj.name;
      node.metadata[kMetaMaxDelay] =
          NirArray::ints({double(proj.maxDelay)}, {1});
    }
  }
  for (const auto &out : model.outputs) {
    const auto &pop = model.populations[model.findPopulation(out)];
    std::string name = model.outputs.size() == 1 ? "output" : out + "_output";
    if (graph.nodes.count(name))
      name = out + "_output";
    NirNode node(NirKind::Output);
    node.params["shape"] = NirArray::ints({double(pop.size)}, {1});
    graph.nodes[name] = std::move(node);
    graph.edges.push_back({out, name});
  }
  return graph;
}
