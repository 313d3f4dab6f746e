//===- BytecodeCheck.h - MLIR bytecode checked before MLIR reads it -*- C++
//-*-//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace snnc {

/// Walks a bytecode file the way MLIR 19's reader will (sections, strings,
/// dialects, the attribute and type entries, resources, the IR) and returns
/// what it refuses, or nothing: a file it accepts reaches no crash in MLIR's
/// reader (fuzz-mlir-bytecode; lib/Support/BytecodeCheck.cpp says which
/// flaws of the reader each check covers). `context` parses the entries MLIR
/// stores as text (with MLIR's robust text parser), and only those; its
/// diagnostics are swallowed.
std::optional<std::string> checkBytecode(llvm::StringRef buffer,
                                         mlir::MLIRContext &context);

} // namespace snnc
