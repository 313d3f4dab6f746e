//===- NetworkFile.cpp - Reading snn networks from .mlir files ------------===//

#include "snnc/NetworkFile.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/SourceMgr.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SNNC_HAVE_LSAN 1
#endif
#endif
#if !defined(SNNC_HAVE_LSAN) && defined(__SANITIZE_ADDRESS__)
#define SNNC_HAVE_LSAN 1
#endif
#if SNNC_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using namespace mlir;
using namespace snnc;

void snnc::registerSnncDialects(DialectRegistry &registry) {
  registry.insert<snn::SNNDialect>();
}

std::unique_ptr<llvm::MemoryBuffer>
snnc::terminateTextBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  // A final newline ends every unterminated string at a character the lexer
  // stops on, so a truncated file gets the diagnostic and nothing after it.
  if (isBytecode(*buffer) || buffer->getBuffer().ends_with("\n"))
    return buffer;
  return llvm::MemoryBuffer::getMemBufferCopy(
      (buffer->getBuffer() + "\n").str(), buffer->getBufferIdentifier());
}

OwningOpRef<ModuleOp> snnc::parseNetworkFile(StringRef path,
                                             MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    llvm::errs() << path << ": " << error << "\n";
    return nullptr;
  }
  return parseNetworkBuffer(std::move(file), sourceMgr, context);
}

OwningOpRef<ModuleOp>
snnc::parseNetworkBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                         llvm::SourceMgr &sourceMgr, MLIRContext &context) {
  bool bytecode = isBytecode(*buffer);
  std::string name = buffer->getBufferIdentifier().str();
  sourceMgr.AddNewSourceBuffer(terminateTextBuffer(std::move(buffer)),
                               llvm::SMLoc());
  if (!bytecode)
    // parseSourceFile verifies the module after parsing.
    return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  // MLIR 19's bytecode reader is not hardened: on some corrupted files it
  // reports the error and then dereferences what failed to read (a FloatAttr
  // whose type did not read: SIGSEGV in APFloat's copy; found by
  // fuzz-mlir-bytecode). Reading runs in a crash-recovery context, which
  // turns such a crash into an error; the half-read IR is abandoned, never
  // used or destroyed. Verification runs outside it, so that a crash in
  // snnc's own verifiers stays a crash the sanitizers and fuzzers see.
  OwningOpRef<ModuleOp> module;
  // What a crashed read allocated is abandoned on purpose: LeakSanitizer
  // (sanitized builds) must not count MLIR's reader's memory as snnc's leak.
#if SNNC_HAVE_LSAN
  __lsan_disable();
#endif
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext crc;
  bool ok = crc.RunSafely([&] {
    module = parseSourceFile<ModuleOp>(
        sourceMgr, ParserConfig(&context, /*verifyAfterParse=*/false));
  });
  llvm::CrashRecoveryContext::Disable();
#if SNNC_HAVE_LSAN
  __lsan_enable();
#endif
  if (!ok) {
    (void)module.release();
    emitError(FileLineColLoc::get(&context, name, 0, 0))
        << "corrupted MLIR bytecode: MLIR's bytecode reader failed on it";
    return nullptr;
  }
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

SmallVector<snn::NetworkOp> snnc::getNetworks(ModuleOp module) {
  SmallVector<snn::NetworkOp> networks;
  for (auto net : module.getOps<snn::NetworkOp>())
    networks.push_back(net);
  return networks;
}
