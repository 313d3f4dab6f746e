//===- NirGraph.h - In-memory NIR graph -------------------------*- C++ -*-===//
//
// The Neuromorphic Intermediate Representation (NIR, neuromorphs/NIR) is the
// exchange format between SNN frameworks. This header holds a NIR graph in
// memory as the file stores it: nodes by name, each with its type and its
// numeric fields as arrays (dtype and shape kept, so a write reproduces every
// bit), edges as (source, destination) names, nested graphs as nodes.
//
// Reading and writing files: NirFile.h. Per-synapse delays: NirDelays.h.
// It is deliberately a file-level model, not our network model: the mapping to
// snnc's discrete-time semantics (docs/semantics.md, SNN-F*) lives in
// NirDiscretize.h and the importer, and it needs an explicit dt and reset mode
// that NIR does not store (docs/nir.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

/// Element type of a stored NIR array. Kept so that a graph written back uses
/// the dtype it was read with (NIR files mix float32 parameters, int64 shapes
/// and, from some exporters, float64).
enum class NirDType : uint8_t {
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
};
const char *nirDTypeName(NirDType type);
bool nirIsFloat(NirDType type);

/// A numeric array of a NIR node. Values are held as double: every float32,
/// float64 and every integer of magnitude up to 2^53 converts exactly, so
/// read → write round trips are bit-exact (the reader rejects larger integers).
struct NirArray {
  NirDType dtype = NirDType::Float32;
  std::vector<uint64_t> shape; ///< empty: a scalar (one value)
  std::vector<double> values;  ///< row-major

  size_t size() const { return values.size(); }
  bool isScalar() const { return shape.empty(); }

  static NirArray floats(std::vector<double> values,
                         std::vector<uint64_t> shape,
                         NirDType dtype = NirDType::Float32);
  static NirArray ints(std::vector<double> values, std::vector<uint64_t> shape,
                       NirDType dtype = NirDType::Int64);
  /// A vector of `n` copies of `value`, of shape [n].
  static NirArray filled(size_t n, double value,
                         NirDType dtype = NirDType::Float32);
};

/// Bitwise equality (dtype, shape, and the stored values bit by bit, so NaN
/// payloads and -0.0 count): what "round trip is exact" means.
bool operator==(const NirArray &a, const NirArray &b);
inline bool operator!=(const NirArray &a, const NirArray &b) {
  return !(a == b);
}

/// Node types snnc reads. NIR defines more (Conv1d, Conv2d, SumPool2d,
/// AvgPool2d, Flatten); the reader names them in a "not supported" error.
enum class NirKind : uint8_t {
  Input,
  Output,
  Affine,
  Linear,
  Scale,
  Delay,
  Threshold,
  LIF,
  CubaLIF,
  LI,
  CubaLI,
  IF,
  I,
  Graph, ///< "NIRGraph": a nested graph
};
/// The type string NIR stores ("LIF", "NIRGraph", ...).
const char *nirKindName(NirKind kind);
/// The kind for a stored type string, if snnc supports it.
std::optional<NirKind> nirKindFromName(const std::string &name);
/// "Input, Output, Affine, ..." for error messages.
std::string nirSupportedKindList();
/// True for the NIR types snnc knows but rejects (Conv1d, Conv2d, ...).
bool nirIsKnownUnsupported(const std::string &typeName);
/// True for neuron kinds (LIF, CubaLIF, LI, CubaLI, IF, I).
bool nirIsNeuron(NirKind kind);

class NirGraph;

struct NirEdge {
  std::string src;
  std::string dst;
  bool operator==(const NirEdge &o) const {
    return src == o.src && dst == o.dst;
  }
};

/// One node: its kind, its numeric fields, and for kind Graph the nested
/// graph. String fields other than "type" (none of the supported types has
/// one, but a future exporter might add one) and flat metadata are kept so
/// that a read → write cycle does not silently drop them.
class NirNode {
public:
  NirNode() = default;
  explicit NirNode(NirKind kind) : kind(kind) {}
  NirNode(const NirNode &other);
  NirNode &operator=(const NirNode &other);
  NirNode(NirNode &&) noexcept = default;
  NirNode &operator=(NirNode &&) noexcept = default;
  ~NirNode();

  NirKind kind = NirKind::Input;
  std::map<std::string, NirArray> params;
  std::map<std::string, std::string> strings;
  std::map<std::string, NirArray> metadata;
  std::map<std::string, std::string> metadataStrings;
  /// Set exactly when kind == Graph.
  std::unique_ptr<NirGraph> graph;

  /// The field, or nullptr when absent.
  const NirArray *param(const std::string &name) const;
};

/// A NIR graph. Nodes are kept sorted by name (the order HDF5 lists them);
/// edges keep the file's order.
class NirGraph {
public:
  /// The NIR version string of the file it came from ("0.2.0", "1.0.8");
  /// meaningful on the top-level graph only.
  std::string version;
  std::map<std::string, NirNode> nodes;
  std::vector<NirEdge> edges;
  /// What the reader changed to make the file usable (nirDropTimeAxis), as
  /// sentences for the user; not part of the graph (operator== ignores it).
  std::vector<std::string> notes;

  const NirNode *node(const std::string &name) const;
};

bool operator==(const NirNode &a, const NirNode &b);
bool operator==(const NirGraph &a, const NirGraph &b);
inline bool operator!=(const NirGraph &a, const NirGraph &b) {
  return !(a == b);
}

/// Fills the fields NIR lets older files omit, as the nir package does:
/// `v_reset` (absent before 2025) = 0 and `w_in` (absent in 0.2 CubaLIF/CubaLI)
/// = 1, both shaped and typed like `v_threshold` / `r`. Recurses into nested
/// graphs. Call before validateNir; readNir does both.
void applyNirDefaults(NirGraph &graph);

/// Sinabs's natural export (nirtorch with a `[batch, time, ...]` sample)
/// writes the time axis into the top-level Input's shape: `[T, n]` where its
/// successors take `n` values. When the shape's product disagrees with what
/// every successor takes but the shape without its leading axis agrees, the
/// leading axis is dropped (likewise for an Output fed by nodes giving the
/// shorter size) and a note naming the node and both shapes is added to
/// `graph.notes`. Call before validateNir; readNir does.
void nirDropTimeAxis(NirGraph &graph);

/// Checks what snnc relies on: every required field present and numeric,
/// neuron fields of one shape (a rank-0 scalar broadcasts), Affine weight
/// [out,in] with bias [out], Linear weight rank 2, Input/Output shapes
/// positive integers, Delay non-negative, no NaN/Inf, edges naming existing
/// nodes (a nested graph's port as "sub" or "sub.<its Input/Output node>"),
/// and the sizes on both ends of every edge agreeing. Errors name the node
/// (nested nodes as "sub.node") and the field; `where` (usually the file
/// path) prefixes them.
Status validateNir(const NirGraph &graph, const std::string &where);

/// Inlines nested graphs: node `n` of graph `sub` becomes `sub.n`, edges into
/// `sub` go to the successors of its Input node and edges out of `sub` leave
/// from the predecessors of its Output node (an edge may name the port as
/// `sub.<input name>` when a nested graph has several). The nested graphs'
/// Input and Output nodes disappear; the top level's stay. Fails when an edge
/// to a nested graph with several Inputs (or from one with several Outputs)
/// does not say which, or when a name would clash.
Expected<NirGraph> flattenNir(const NirGraph &graph);

/// The number of neurons (elements) a node's output carries, if its fields
/// fix it: Affine/Linear rows, neuron field size, Input/Output shape product,
/// Delay/Scale/Threshold size. Empty for nested graphs and scalars.
std::optional<uint64_t> nirOutputSize(const NirNode &node);
/// The number of elements a node accepts; as nirOutputSize but Affine/Linear
/// give their columns.
std::optional<uint64_t> nirInputSize(const NirNode &node);

/// Output sizes of every node of a flattened graph, including those whose
/// fields do not fix it (neurons, Scale, Delay, Threshold with rank-0 fields —
/// Norse's default cells export so): such a node passes its size through, so
/// it takes the size of a neighbour across an edge. Nodes whose size nothing
/// determines are absent from the result.
std::map<std::string, uint64_t> nirNodeSizes(const NirGraph &flat);

} // namespace snnrt
