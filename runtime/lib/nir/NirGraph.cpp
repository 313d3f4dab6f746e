//===- NirGraph.cpp - In-memory NIR graph: kinds, defaults, checks --------===//

#include "snnrt/nir/NirGraph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <sstream>

namespace snnrt {

//===----------------------------------------------------------------------===//
// dtypes and arrays
//===----------------------------------------------------------------------===//

const char *nirDTypeName(NirDType type) {
  switch (type) {
  case NirDType::Float32:
    return "float32";
  case NirDType::Float64:
    return "float64";
  case NirDType::Int8:
    return "int8";
  case NirDType::Int16:
    return "int16";
  case NirDType::Int32:
    return "int32";
  case NirDType::Int64:
    return "int64";
  case NirDType::UInt8:
    return "uint8";
  case NirDType::UInt16:
    return "uint16";
  case NirDType::UInt32:
    return "uint32";
  case NirDType::UInt64:
    return "uint64";
  }
  return "?";
}

bool nirIsFloat(NirDType type) {
  return type == NirDType::Float32 || type == NirDType::Float64;
}

NirArray NirArray::floats(std::vector<double> values,
                          std::vector<uint64_t> shape, NirDType dtype) {
  NirArray a;
  a.dtype = dtype;
  a.shape = std::move(shape);
  a.values = std::move(values);
  return a;
}

NirArray NirArray::ints(std::vector<double> values, std::vector<uint64_t> shape,
                        NirDType dtype) {
  return floats(std::move(values), std::move(shape), dtype);
}

NirArray NirArray::filled(size_t n, double value, NirDType dtype) {
  return floats(std::vector<double>(n, value), {n}, dtype);
}

bool operator==(const NirArray &a, const NirArray &b) {
  if (a.dtype != b.dtype || a.shape != b.shape ||
      a.values.size() != b.values.size())
    return false;
  // Bitwise, not numeric: NaN == NaN and -0.0 != 0.0 here, because the
  // question asked is "did the file round trip unchanged".
  return a.values.empty() ||
         std::memcmp(a.values.data(), b.values.data(),
                     a.values.size() * sizeof(double)) == 0;
}

//===----------------------------------------------------------------------===//
// kinds
//===----------------------------------------------------------------------===//

namespace {

struct KindInfo {
  NirKind kind;
  const char *name;
  std::vector<const char *> required;
  /// Optional fields that older files omit; applyNirDefaults fills them.
  std::vector<const char *> defaulted;
};

const std::vector<KindInfo> &kindTable() {
  static const std::vector<KindInfo> table = {
      {NirKind::Input, "Input", {"shape"}, {}},
      {NirKind::Output, "Output", {"shape"}, {}},
      {NirKind::Affine, "Affine", {"weight", "bias"}, {}},
      {NirKind::Linear, "Linear", {"weight"}, {}},
      {NirKind::Scale, "Scale", {"scale"}, {}},
      {NirKind::Delay, "Delay", {"delay"}, {}},
      {NirKind::Threshold, "Threshold", {"threshold"}, {}},
      {NirKind::LIF,
       "LIF",
       {"tau", "r", "v_leak", "v_threshold"},
       {"v_reset"}},
      {NirKind::CubaLIF,
       "CubaLIF",
       {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"},
       {"v_reset", "w_in"}},
      {NirKind::LI, "LI", {"tau", "r", "v_leak"}, {}},
      {NirKind::CubaLI,
       "CubaLI",
       {"tau_syn", "tau_mem", "r", "v_leak"},
       {"w_in"}},
      {NirKind::IF, "IF", {"r", "v_threshold"}, {"v_reset"}},
      {NirKind::I, "I", {"r"}, {}},
      {NirKind::Graph, "NIRGraph", {}, {}},
  };
  return table;
}

const KindInfo &info(NirKind kind) {
  for (const auto &k : kindTable())
    if (k.kind == kind)
      return k;
  return kindTable().front(); // unreachable: the table covers every kind
}

uint64_t product(const std::vector<uint64_t> &shape) {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

std::string shapeString(const std::vector<uint64_t> &shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? "," : "") << shape[i];
  os << ']';
  return os.str();
}

} // namespace

const char *nirKindName(NirKind kind) { return info(kind).name; }

std::optional<NirKind> nirKindFromName(const std::string &name) {
  for (const auto &k : kindTable())
    if (name == k.name)
      return k.kind;
  return std::nullopt;
}

std::string nirSupportedKindList() {
  std::string out;
  for (const auto &k : kindTable()) {
    if (!out.empty())
      out += ", ";
    out += k.name;
  }
  return out;
}

bool nirIsKnownUnsupported(const std::string &typeName) {
  static const char *const names[] = {"Conv1d", "Conv2d", "SumPool2d",
                                      "AvgPool2d", "Flatten"};
  for (const char *n : names)
    if (typeName == n)
      return true;
  return false;
}

bool nirIsNeuron(NirKind kind) {
  switch (kind) {
  case NirKind::LIF:
  case NirKind::CubaLIF:
  case NirKind::LI:
  case NirKind::CubaLI:
  case NirKind::IF:
  case NirKind::I:
    return true;
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// nodes and graphs
//===----------------------------------------------------------------------===//

NirNode::NirNode(const NirNode &other)
    : kind(other.kind), params(other.params), strings(other.strings),
      metadata(other.metadata), metadataStrings(other.metadataStrings),
      graph(other.graph ? std::make_unique<NirGraph>(*other.graph) : nullptr) {}

NirNode &NirNode::operator=(const NirNode &other) {
  if (this != &other) {
    NirNode copy(other);
    *this = std::move(copy);
  }
  return *this;
}

NirNode::~NirNode() = default;

const NirArray *NirNode::param(const std::string &name) const {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

const NirNode *NirGraph::node(const std::string &name) const {
  auto it = nodes.find(name);
  return it == nodes.end() ? nullptr : &it->second;
}

bool operator==(const NirNode &a, const NirNode &b) {
  if (a.kind != b.kind || a.params != b.params || a.strings != b.strings ||
      a.metadata != b.metadata || a.metadataStrings != b.metadataStrings)
    return false;
  if (bool(a.graph) != bool(b.graph))
    return false;
  return !a.graph || *a.graph == *b.graph;
}

bool operator==(const NirGraph &a, const NirGraph &b) {
  return a.version == b.version && a.nodes == b.nodes && a.edges == b.edges;
}

//===----------------------------------------------------------------------===//
// defaults
//===----------------------------------------------------------------------===//

void applyNirDefaults(NirGraph &graph) {
  for (auto &[name, node] : graph.nodes) {
    if (node.kind == NirKind::Graph) {
      if (node.graph)
        applyNirDefaults(*node.graph);
      continue;
    }
    // Shape and dtype follow the field the nir package copies them from
    // (np.zeros_like(v_threshold), np.ones_like(v_threshold) * w_in).
    auto fill = [&](const char *field, const char *like, double value) {
      if (node.params.count(field))
        return;
      const NirArray *ref = node.param(like);
      if (!ref)
        return; // the missing reference is validateNir's to report
      NirArray a = *ref;
      std::fill(a.values.begin(), a.values.end(), value);
      node.params[field] = std::move(a);
    };
    for (const char *field : info(node.kind).defaulted) {
      if (std::strcmp(field, "v_reset") == 0)
        fill("v_reset", "v_threshold", 0.0);
      else if (std::strcmp(field, "w_in") == 0)
        fill("w_in", node.kind == NirKind::CubaLIF ? "v_threshold" : "r", 1.0);
    }
  }
}

//===----------------------------------------------------------------------===//
// sizes
//===----------------------------------------------------------------------===//

namespace {
std::optional<uint64_t> neuronSize(const NirNode &node) {
  for (const auto &[name, a] : node.params)
    if (!a.isScalar())
      return a.size();
  return std::nullopt;
}

std::optional<uint64_t> shapeFieldSize(const NirNode &node) {
  const NirArray *s = node.param("shape");
  if (!s)
    return std::nullopt;
  uint64_t n = 1;
  for (double d : s->values)
    n *= static_cast<uint64_t>(d < 0 ? 0 : d);
  return n;
}

std::optional<uint64_t> fieldSize(const NirNode &node, const char *field) {
  const NirArray *a = node.param(field);
  if (!a || a->isScalar())
    return std::nullopt;
  return a->size();
}

std::optional<uint64_t> weightDim(const NirNode &node, size_t axis) {
  const NirArray *w = node.param("weight");
  if (!w || w->shape.size() != 2)
    return std::nullopt;
  return w->shape[axis];
}
} // namespace

void nirDropTimeAxis(NirGraph &graph) {
  // Only top-level ports: nirtorch writes the sample's shape there.
  for (auto &[name, node] : graph.nodes) {
    if (node.kind != NirKind::Input && node.kind != NirKind::Output)
      continue;
    NirArray *shape =
        node.params.count("shape") ? &node.params["shape"] : nullptr;
    if (!shape || shape->values.size() < 2)
      continue;
    uint64_t whole = shapeFieldSize(node).value_or(0);
    uint64_t inner = 1;
    for (size_t i = 1; i < shape->values.size(); ++i)
      inner *= static_cast<uint64_t>(std::max(0.0, shape->values[i]));
    // The sizes on the other end of this port's edges, where they are fixed.
    bool any = false, allInner = true;
    for (const NirEdge &e : graph.edges) {
      const std::string *other =
          node.kind == NirKind::Input && e.src == name    ? &e.dst
          : node.kind == NirKind::Output && e.dst == name ? &e.src
                                                          : nullptr;
      if (!other)
        continue;
      auto it = graph.nodes.find(*other);
      if (it == graph.nodes.end())
        continue;
      std::optional<uint64_t> size = node.kind == NirKind::Input
                                         ? nirInputSize(it->second)
                                         : nirOutputSize(it->second);
      if (!size)
        continue;
      any = true;
      allInner &= *size == inner && *size != whole;
    }
    if (!any || !allInner)
      continue;
    auto dims = [](const NirArray &a) {
      std::string s = "[";
      for (size_t i = 0; i < a.values.size(); ++i)
        s += (i ? ", " : "") + std::to_string(uint64_t(a.values[i]));
      return s + "]";
    };
    std::string before = dims(*shape);
    shape->values.erase(shape->values.begin());
    shape->shape = {shape->values.size()};
    graph.notes.push_back(
        "node '" + name + "' (" + nirKindName(node.kind) + ") has shape " +
        before + " but its neighbours take " + std::to_string(inner) +
        " values: the leading axis is taken as time (as Sinabs's export "
        "writes it) and dropped, giving " +
        dims(*shape));
  }
}

std::optional<uint64_t> nirOutputSize(const NirNode &node) {
  switch (node.kind) {
  case NirKind::Input:
  case NirKind::Output:
    return shapeFieldSize(node);
  case NirKind::Affine:
  case NirKind::Linear:
    return weightDim(node, 0);
  case NirKind::Scale:
    return fieldSize(node, "scale");
  case NirKind::Delay:
    return fieldSize(node, "delay");
  case NirKind::Threshold:
    return fieldSize(node, "threshold");
  case NirKind::Graph:
    return std::nullopt;
  default:
    return neuronSize(node);
  }
}

std::optional<uint64_t> nirInputSize(const NirNode &node) {
  if (node.kind == NirKind::Affine || node.kind == NirKind::Linear)
    return weightDim(node, 1);
  return nirOutputSize(node);
}

std::map<std::string, uint64_t> nirNodeSizes(const NirGraph &flat) {
  std::map<std::string, uint64_t> out;
  auto passesSize = [](NirKind k) {
    return k != NirKind::Affine && k != NirKind::Linear &&
           k != NirKind::Graph;
  };
  for (const auto &[name, node] : flat.nodes)
    if (auto n = nirOutputSize(node))
      out[name] = *n;
  // Propagate across edges until nothing changes; each pass fixes at least
  // one node or stops, so this ends after at most |nodes| passes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const NirEdge &e : flat.edges) {
      const NirNode *a = flat.node(e.src);
      const NirNode *b = flat.node(e.dst);
      if (!a || !b)
        continue;
      if (out.count(e.src) && !out.count(e.dst) && passesSize(b->kind)) {
        out[e.dst] = out[e.src];
        changed = true;
      }
      if (!out.count(e.src) && passesSize(a->kind)) {
        std::optional<uint64_t> in = out.count(e.dst) && passesSize(b->kind)
                                         ? std::optional<uint64_t>(out[e.dst])
                                         : nirInputSize(*b);
        if (in) {
          out[e.src] = *in;
          changed = true;
        }
      }
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// validation
//===----------------------------------------------------------------------===//

namespace {

class Validator {
public:
  explicit Validator(std::string where) : where_(std::move(where)) {}

  Status graph(const NirGraph &g, const std::string &prefix) {
    for (const auto &[name, node] : g.nodes)
      SNNRT_TRY(this->node(prefix + name, node));
    for (const auto &[name, node] : g.nodes)
      if (node.kind == NirKind::Graph)
        SNNRT_TRY(graph(*node.graph, prefix + name + "."));
    for (const NirEdge &e : g.edges)
      SNNRT_TRY(edge(g, e, prefix));
    return Status::ok();
  }

private:
  Status error(const std::string &message) {
    return Status::error(where_.empty() ? message : where_ + ": " + message);
  }
  Status nodeError(const std::string &full, const NirNode &node,
                   const std::string &message) {
    return error("node '" + full + "' (" + nirKindName(node.kind) + ") " +
                 message);
  }

  Status node(const std::string &full, const NirNode &node) {
    if (node.kind == NirKind::Graph) {
      if (!node.graph)
        return nodeError(full, node, "has no nested graph");
      return Status::ok();
    }
    const KindInfo &k = info(node.kind);
    for (const char *field : k.required) {
      if (node.strings.count(field))
        return nodeError(full, node,
                         "has field '" + std::string(field) +
                             "' stored as a string; it must be numeric");
      if (!node.param(field))
        return nodeError(full, node,
                         "lacks the required field '" + std::string(field) +
                             "'");
    }
    for (const auto &[field, a] : node.params) {
      if (product(a.shape) != a.values.size())
        return nodeError(full, node,
                         "field '" + field + "' has shape " +
                             shapeString(a.shape) + " but " +
                             std::to_string(a.values.size()) + " values");
      for (size_t i = 0; i < a.values.size(); ++i)
        if (!std::isfinite(a.values[i]))
          return nodeError(full, node,
                           "field '" + field + "' holds " +
                               (std::isnan(a.values[i]) ? "NaN" : "Inf") +
                               " at index " + std::to_string(i) +
                               "; NIR parameters must be finite");
    }
    switch (node.kind) {
    case NirKind::Input:
    case NirKind::Output: {
      const NirArray &s = *node.param("shape");
      if (s.shape.size() > 1)
        return nodeError(full, node,
                         "field 'shape' must be a list of dimensions, found "
                         "an array of shape " +
                             shapeString(s.shape));
      for (double d : s.values)
        if (d < 1 || d != std::floor(d))
          return nodeError(full, node,
                           "field 'shape' must hold positive integers, found " +
                               std::to_string(d));
      break;
    }
    case NirKind::Affine:
    case NirKind::Linear: {
      const NirArray &w = *node.param("weight");
      if (w.shape.size() != 2)
        return nodeError(full, node,
                         "field 'weight' must be a matrix [out,in], found "
                         "shape " +
                             shapeString(w.shape));
      if (node.kind == NirKind::Affine) {
        const NirArray &b = *node.param("bias");
        if (b.shape != std::vector<uint64_t>{w.shape[0]})
          return nodeError(full, node,
                           "field 'bias' has shape " + shapeString(b.shape) +
                               " but weight " + shapeString(w.shape) +
                               " needs [" + std::to_string(w.shape[0]) + "]");
      }
      break;
    }
    case NirKind::Delay:
      for (size_t i = 0; i < node.param("delay")->values.size(); ++i)
        if (node.param("delay")->values[i] < 0)
          return nodeError(full, node,
                           "field 'delay' is negative at index " +
                               std::to_string(i));
      break;
    default:
      if (nirIsNeuron(node.kind))
        SNNRT_TRY(neuronShapes(full, node));
      break;
    }
    return Status::ok();
  }

  /// NIR's neuron classes assert that all fields have one shape; snnc also
  /// lets a rank-0 scalar stand for "the same value for every neuron".
  Status neuronShapes(const std::string &full, const NirNode &node) {
    const std::string *refName = nullptr;
    const NirArray *ref = nullptr;
    for (const auto &[field, a] : node.params) {
      if (a.isScalar())
        continue;
      if (!ref) {
        ref = &a;
        refName = &field;
        continue;
      }
      if (a.shape != ref->shape)
        return nodeError(full, node,
                         "fields must share one shape: '" + *refName +
                             "' is " + shapeString(ref->shape) + " but '" +
                             field + "' is " + shapeString(a.shape));
    }
    return Status::ok();
  }

  /// Resolves an edge end to the node it reaches and, for a nested graph, the
  /// port's size. Returns the node or nullptr with `status` set.
  const NirNode *endpoint(const NirGraph &g, const std::string &name,
                          bool isSource, const NirEdge &e,
                          const std::string &prefix, Status &status,
                          std::optional<uint64_t> &size) {
    const NirKind portKind = isSource ? NirKind::Output : NirKind::Input;
    auto describe = [&] {
      return "edge '" + prefix + e.src + "' -> '" + prefix + e.dst + "'";
    };
    if (const NirNode *n = g.node(name)) {
      if (n->kind == NirKind::Graph) {
        std::vector<const NirNode *> ports;
        for (const auto &[pn, p] : n->graph->nodes)
          if (p.kind == portKind)
            ports.push_back(&p);
        if (ports.size() != 1) {
          status = error(describe() + " connects to nested graph '" + prefix +
                         name + "', which has " +
                         std::to_string(ports.size()) + " " +
                         nirKindName(portKind) +
                         " nodes; name one as '" + name + ".<node>'");
          return nullptr;
        }
        size = nirOutputSize(*ports[0]);
      } else {
        size = isSource ? nirOutputSize(*n) : nirInputSize(*n);
      }
      return n;
    }
    size_t dot = name.find('.');
    if (dot != std::string::npos) {
      const NirNode *sub = g.node(name.substr(0, dot));
      if (sub && sub->kind == NirKind::Graph) {
        const NirNode *port = sub->graph->node(name.substr(dot + 1));
        if (port && port->kind == portKind) {
          size = nirOutputSize(*port);
          return port;
        }
      }
    }
    status = error(describe() + " names node '" + prefix + name +
                   "', which does not exist");
    return nullptr;
  }

  Status edge(const NirGraph &g, const NirEdge &e, const std::string &prefix) {
    Status st;
    std::optional<uint64_t> outSize, inSize;
    const NirNode *src = endpoint(g, e.src, true, e, prefix, st, outSize);
    if (!src)
      return st;
    const NirNode *dst = endpoint(g, e.dst, false, e, prefix, st, inSize);
    if (!dst)
      return st;
    std::string what = "edge '" + prefix + e.src + "' -> '" + prefix + e.dst +
                       "'";
    // A plain Output node only receives and a plain Input only sends; the
    // nested-graph ports resolved above are the other way round by design.
    if (src->kind == NirKind::Output && g.node(e.src) == src)
      return error(what + " leaves from an Output node");
    if (dst->kind == NirKind::Input && g.node(e.dst) == dst)
      return error(what + " enters an Input node");
    if (outSize && inSize && *outSize != *inSize)
      return error(what + ": '" + prefix + e.src + "' gives " +
                   std::to_string(*outSize) + " values but '" + prefix + e.dst +
                   "' takes " + std::to_string(*inSize));
    return Status::ok();
  }

  std::string where_;
};

} // namespace

Status validateNir(const NirGraph &graph, const std::string &where) {
  return Validator(where).graph(graph, "");
}

//===----------------------------------------------------------------------===//
// flattening
//===----------------------------------------------------------------------===//

Expected<NirGraph> flattenNir(const NirGraph &graph) {
  NirGraph out;
  out.version = graph.version;
  // Inlined Input/Output nodes of nested graphs: bypassed at the end.
  std::set<std::string> passThrough;
  // For each nested graph: its port node names (renamed), by direction.
  std::map<std::string, std::vector<std::string>> inPorts, outPorts;

  auto add = [&](const std::string &name, NirNode node) -> Status {
    if (out.nodes.count(name))
      return Status::error("flattening gives two nodes named '" + name + "'");
    out.nodes.emplace(name, std::move(node));
    return Status::ok();
  };

  for (const auto &[name, node] : graph.nodes) {
    if (node.kind != NirKind::Graph) {
      SNNRT_TRY(add(name, node));
      continue;
    }
    if (!node.graph)
      return Status::error("node '" + name + "' (NIRGraph) has no nested graph");
    Expected<NirGraph> flat = flattenNir(*node.graph);
    if (!flat)
      return Status(flat.status()).withContext("in nested graph '" + name + "'");
    for (auto &[inner, innerNode] : flat->nodes) {
      std::string renamed = name + "." + inner;
      if (innerNode.kind == NirKind::Input || innerNode.kind == NirKind::Output) {
        passThrough.insert(renamed);
        (innerNode.kind == NirKind::Input ? inPorts : outPorts)[name].push_back(
            renamed);
      }
      SNNRT_TRY(add(renamed, std::move(innerNode)));
    }
    for (const NirEdge &e : flat->edges)
      out.edges.push_back({name + "." + e.src, name + "." + e.dst});
  }

  auto resolve = [&](const std::string &end, bool isSource,
                     std::string &resolved) -> Status {
    const NirNode *n = graph.node(end);
    if (!n || n->kind != NirKind::Graph) {
      resolved = end; // a plain node, or an explicit "sub.port"
      if (!out.nodes.count(resolved))
        return Status::error("edge end '" + end + "' names no node");
      return Status::ok();
    }
    const auto &ports = (isSource ? outPorts : inPorts)[end];
    if (ports.size() != 1)
      return Status::error("an edge " + std::string(isSource ? "from" : "to") +
                           " nested graph '" + end + "' is ambiguous: it has " +
                           std::to_string(ports.size()) +
                           (isSource ? " Output" : " Input") + " nodes");
    resolved = ports[0];
    return Status::ok();
  };
  for (const NirEdge &e : graph.edges) {
    NirEdge r;
    SNNRT_TRY(resolve(e.src, true, r.src));
    SNNRT_TRY(resolve(e.dst, false, r.dst));
    out.edges.push_back(std::move(r));
  }

  // Bypass each inlined port: every edge into it joins every edge out of it.
  // Done one node at a time so chains (graph in graph, Input wired straight
  // to Output) collapse too.
  for (const std::string &p : passThrough) {
    std::vector<NirEdge> kept, into, from;
    for (NirEdge &e : out.edges) {
      if (e.dst == p && e.src == p)
        continue; // a self-loop on a port carries nothing
      if (e.dst == p)
        into.push_back(std::move(e));
      else if (e.src == p)
        from.push_back(std::move(e));
      else
        kept.push_back(std::move(e));
    }
    for (const NirEdge &a : into)
      for (const NirEdge &b : from)
        kept.push_back({a.src, b.dst});
    out.edges = std::move(kept);
    out.nodes.erase(p);
  }
  return out;
}

} // namespace snnrt
