//===- NetworkFile.cpp - Reading snn networks from .mlir files ------------===//

#include "snnc/NetworkFile.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/SourceMgr.h"

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
  sourceMgr.AddNewSourceBuffer(terminateTextBuffer(std::move(buffer)),
                               llvm::SMLoc());
  // parseSourceFile verifies the module after parsing.
  return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
}

SmallVector<snn::NetworkOp> snnc::getNetworks(ModuleOp module) {
  SmallVector<snn::NetworkOp> networks;
  for (auto net : module.getOps<snn::NetworkOp>())
    networks.push_back(net);
  return networks;
}
