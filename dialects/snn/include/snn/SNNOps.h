//===- SNNOps.h - Ops and attributes of the snn dialect ---------*- C++ -*-===//
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#include "snn/SNNDialect.h"
#include "snn/SNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "snn/SNNAttrs.h.inc"

#include "snn/SNNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "snn/SNNOps.h.inc"

namespace snnc::snn {

/// Copies the elements of a dense or dense_resource attribute into `out`.
/// Fails when the attribute's storage or element type does not match T (the
/// verifier checks element types first, so this only fails on bad IR).
template <typename T>
mlir::LogicalResult getElementValues(mlir::ElementsAttr attr,
                                     llvm::SmallVectorImpl<T> &out);

/// Builds a tensor attribute backed by a dense_resource blob, the storage
/// large parameter arrays use so that IR stays small to print and parse.
template <typename T>
mlir::ElementsAttr makeResourceAttr(mlir::ShapedType type,
                                    llvm::StringRef blobName,
                                    llvm::ArrayRef<T> values);

/// Reads an integer tensor of element type i8, i16, i32 or i64 (dense or
/// dense_resource) widened to int64. Fails on any other element type or
/// unreadable storage.
mlir::LogicalResult getIntegerValues(mlir::ElementsAttr attr,
                                     llvm::SmallVectorImpl<int64_t> &out);

/// Every neuron's value of a parameter that may be per neuron (SNN-V23):
/// the `array` (f64) when present, else `scalar` repeated `size` times.
mlir::LogicalResult getPerNeuronValues(std::optional<mlir::ElementsAttr> array,
                                       double scalar, int64_t size,
                                       llvm::SmallVectorImpl<double> &out);
/// The same for the integer decays (`v_decay_per_neuron`, i32).
mlir::LogicalResult
getPerNeuronIntegers(std::optional<mlir::ElementsAttr> array, int64_t scalar,
                     int64_t size, llvm::SmallVectorImpl<int64_t> &out);

/// The population (input, lif or li) a symbol names inside `network`, or
/// null.
PopulationOpInterface lookupPopulation(NetworkOp network,
                                       mlir::FlatSymbolRefAttr ref);
/// Number of neurons of a population op, -1 for any other op. Equivalent to
/// `cast<PopulationOpInterface>(op).getSize()` where `op` is known to be one.
int64_t getPopulationSize(mlir::Operation *population);

} // namespace snnc::snn
