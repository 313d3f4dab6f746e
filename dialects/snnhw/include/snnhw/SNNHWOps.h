//===- SNNHWOps.h - Ops of the snnhw dialect --------------------*- C++ -*-===//
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#include "snn/SNNOps.h"
#include "snnhw/SNNHWDialect.h"
#include "snnhw/SNNHWEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "snnhw/SNNHWAttrs.h.inc"

#define GET_OP_CLASSES
#include "snnhw/SNNHWOps.h.inc"

#include <functional>

namespace snnc::snnhw {

/// Calls `fn(i, value)` for each element of an integer tensor (i8, i16, i32,
/// i64; dense or dense_resource) without copying it — synapse tables of
/// 10^8 entries are read in place. Fails on any other storage.
mlir::LogicalResult
forEachInteger(mlir::ElementsAttr attr,
               llvm::function_ref<void(int64_t, int64_t)> fn);

/// Copies an integer tensor widened to int64 (small arrays only).
mlir::LogicalResult readIntegers(mlir::ElementsAttr attr,
                                 llvm::SmallVectorImpl<int64_t> &out);

} // namespace snnc::snnhw
