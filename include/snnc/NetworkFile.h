//===- NetworkFile.h - Reading snn networks from .mlir files ----*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace snnc {

/// Registers every snnc dialect in `registry`.
void registerSnncDialects(mlir::DialectRegistry &registry);

/// Parses and verifies a .mlir (text or bytecode) file; diagnostics go to
/// stderr with file:line:col. Returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> parseNetworkFile(llvm::StringRef path,
                                                   mlir::MLIRContext &context);

/// The networks of a module, in order.
llvm::SmallVector<snn::NetworkOp> getNetworks(mlir::ModuleOp module);

} // namespace snnc
