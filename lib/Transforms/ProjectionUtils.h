//===- ProjectionUtils.h - Shared helpers of the snn passes -----*- C++ -*-===//
//
// Both projection forms (snn.projection, snn.sparse_projection) are handled
// through snn::ProjectionOpInterface and a per-synapse (target, source)
// index, instead of duplicating every transformation. Private to
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

/// The projections of `net` whose target is `population`, in block order.
llvm::SmallVector<snn::ProjectionOpInterface>
getIncomingProjections(snn::NetworkOp net, llvm::StringRef population);

/// True when `proj` feeds a relay population (snn.lif with `relay`,
/// SNN-V22): its synapses are structure built by snn-delay-extension, not
/// learned parameters, and must keep their SNN-I10 shape.
bool feedsRelay(snn::ProjectionOpInterface proj);

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
mlir::LogicalResult buildSynapseIndex(snn::ProjectionOpInterface proj,
                                      SynapseIndex &index);

/// A tensor attribute of `values`: inline `dense<...>` when small (readable
/// lit output), a `dense_resource` blob named `blobName` otherwise (large
/// networks must not be printed inline, docs/design.md §3).
template <typename T>
mlir::ElementsAttr makeTensor(mlir::ShapedType type, llvm::StringRef blobName,
                              llvm::ArrayRef<T> values);

/// A weight tensor of `type`, whose element type is f32 or a signless i8,
/// i16 or i32 (SNN-V9, SNN-V19): `values` are converted to it.
mlir::ElementsAttr makeWeightTensor(mlir::ShapedType type,
                                    llvm::StringRef blobName,
                                    llvm::ArrayRef<double> values);

/// Blob name for array `field` of symbol op `owner`: "<symbol>_<field>".
std::string blobName(mlir::Operation *owner, llvm::StringRef field);

/// Round half to even (the default floating-point rounding mode), as used by
/// SNN-F4 and every rounding of SNN-I*.
double roundHalfEven(double x);

/// "%g" formatting for diagnostics.
std::string fmt(double value);

} // namespace snnc::detail
