//===- ProjectionUtils.h - Shared helpers of the snn passes -----*- C++ -*-===//
//
// Both projection forms (snn.projection, snn.sparse_projection) name their
// arrays alike ("weight", "delay", "sign", ...), so the passes handle them
// through the generic attribute names and a per-synapse (target, source)
// index instead of duplicating every transformation. Private to
// lib/Transforms.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace snnc::detail {

/// True for snn.projection and snn.sparse_projection.
bool isProjection(mlir::Operation *op);
/// The projections of `net` in block order.
llvm::SmallVector<mlir::Operation *> getProjections(snn::NetworkOp net);
/// The projections of `net` whose target is `population`.
llvm::SmallVector<mlir::Operation *>
getIncomingProjections(snn::NetworkOp net, mlir::Operation *population);

/// True when `proj` feeds a relay population (snn.lif with `relay`,
/// SNN-V22): its synapses are structure built by snn-delay-extension, not
/// learned parameters, and must keep their SNN-I10 shape.
bool feedsRelay(snn::NetworkOp net, mlir::Operation *proj);

/// Symbol name of a projection or population.
llvm::StringRef symbolName(mlir::Operation *op);

/// Per-synapse view of a verifier-valid projection: for each stored entry
/// (dense: row-major over [target][source]; CSR: row order) its target and
/// source neuron, and whether it is present (mask; CSR entries always are).
struct SynapseIndex {
  int64_t numTargets = 0, numSources = 0;
  bool sparse = false;
  llvm::SmallVector<int32_t> target, source;
  llvm::SmallVector<bool> present;
  /// Number of present synapses.
  int64_t numPresent() const;
};
mlir::LogicalResult buildSynapseIndex(snn::NetworkOp net, mlir::Operation *proj,
                                      SynapseIndex &index);

/// Reads the float or integer weights of a projection as doubles.
mlir::LogicalResult readWeights(mlir::Operation *proj,
                                llvm::SmallVectorImpl<double> &out);

/// A tensor attribute of `values`: inline `dense<...>` when small (readable
/// lit output), a `dense_resource` blob named `blobName` otherwise (large
/// networks must not be printed inline, DESIGN.md §3).
template <typename T>
mlir::ElementsAttr makeTensor(mlir::ShapedType type, llvm::StringRef blobName,
                              llvm::ArrayRef<T> values);

/// Blob name for array `field` of op `owner`: "<symbol>_<field>".
std::string blobName(mlir::Operation *owner, llvm::StringRef field);

/// Round half to even (the default floating-point rounding mode), as used by
/// SNN-F4 and every rounding of SNN-I*.
double roundHalfEven(double x);

/// "%g" formatting for diagnostics.
std::string fmt(double value);

} // namespace snnc::detail
