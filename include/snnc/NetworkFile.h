//===- NetworkFile.h - Reading snn networks from .mlir files ----*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace llvm {
class SourceMgr;
} // namespace llvm

#include <optional>
#include <string>
#include <utility>

namespace snnc {

/// Registers every snnc dialect in `registry`.
void registerSnncDialects(mlir::DialectRegistry &registry);

/// MLIR 19's lexer reads past the end of a text buffer that ends inside a
/// string literal (a truncated file), after its diagnostic. Returns `buffer`
/// ending with a newline, where every unterminated string stops; bytecode is
/// binary and returned as it is. Every reader of user .mlir (snnc, snn-opt,
/// the fuzz targets) passes its buffer through this.
std::unique_ptr<llvm::MemoryBuffer>
terminateTextBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer);

/// MLIR 19's text parser recurses once per level of nesting (attributes,
/// types, regions) without a limit: 7 579 nested '[' overflowed the stack of
/// the sanitized fuzz target, 300 000 that of snnc compile (SIGSEGV; found by
/// fuzz-mlir-text). No snn network nests anywhere near this deep, so text
/// that does is refused before MLIR reads it.
constexpr unsigned kMaxTextNesting = 256;

/// The 1-based line and column of the first bracket, brace, parenthesis or
/// angle bracket of `text` that opens a level deeper than kMaxTextNesting
/// (string literals and comments skipped), if there is one.
std::optional<std::pair<unsigned, unsigned>>
findTooDeepNesting(llvm::StringRef text);

/// The diagnostic for it.
std::string tooDeepNestingMessage();

/// Parses and verifies a .mlir (text or bytecode) file; diagnostics go to
/// stderr with file:line:col. Returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> parseNetworkFile(llvm::StringRef path,
                                                   mlir::MLIRContext &context);

/// The same from a buffer (the fuzz targets): it joins `sourceMgr`, which the
/// caller's diagnostic handler reads locations from.
mlir::OwningOpRef<mlir::ModuleOp>
parseNetworkBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                   llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context);

/// Whether parseNetworkBuffer reads bytecode inside a crash-recovery context
/// (default: yes, so that a one-shot command reports a crash of MLIR's reader
/// as corrupted input). The bytecode fuzz target turns it off: a recovered
/// crash leaves the reader's heap undefined for the inputs that follow, and
/// every input that reaches a crash in the reader is a finding to fix in the
/// pre-read validation, which must then be reported with its own input.
void setBytecodeCrashRecovery(bool enabled);

/// The networks of a module, in order.
llvm::SmallVector<snn::NetworkOp> getNetworks(mlir::ModuleOp module);

} // namespace snnc
