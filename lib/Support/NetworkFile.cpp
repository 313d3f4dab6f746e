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
  // MLIR 19's lexer steps past the end of the buffer when a file ends inside
  // a string literal (a truncated dense_resource blob): it reports "expected
  // '\"' in string literal" and then reads past its end. A final newline ends
  // every unterminated string at a character the lexer stops on, so a
  // truncated file gets the diagnostic and nothing after it. Bytecode is
  // binary and kept as it is.
  if (!isBytecode(*file) && !file->getBuffer().ends_with("\n"))
    file = llvm::MemoryBuffer::getMemBufferCopy(
        (file->getBuffer() + "\n").str(), file->getBufferIdentifier());
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  // parseSourceFile verifies the module after parsing.
  return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
}

SmallVector<snn::NetworkOp> snnc::getNetworks(ModuleOp module) {
  SmallVector<snn::NetworkOp> networks;
  for (auto net : module.getOps<snn::NetworkOp>())
    networks.push_back(net);
  return networks;
}
