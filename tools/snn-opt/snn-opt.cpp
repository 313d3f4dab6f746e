//===- snn-opt.cpp - mlir-opt with every snnc dialect and pass ------------===//
//
// mlir-opt's driver, except that snn-opt opens the input itself: the buffer
// goes through snnc::terminateTextBuffer, as in snnc, so that a .mlir cut
// inside a string literal gets MLIR's diagnostic and no read past the buffer
// (MLIR 19's lexer; test/hostile/truncated-mlir.test).
//
//===----------------------------------------------------------------------===//

#include "snn/SNNDialect.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/NetworkFile.h"
#include "snnc/Pipelines/Pipelines.h"
#include "snnc/Transforms/Passes.h"
#include "snnhw/SNNHWDialect.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  snnc::registerSNNTransformsPasses();
  snnc::registerPipelines();
  snnc::registerSNNConversionPasses();
  mlir::DialectRegistry registry;
  registry.insert<snnc::snn::SNNDialect>();
  registry.insert<snnc::snnhw::SNNHWDialect>();

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "snn-opt: the snnc dialects and passes\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing the dialects reads no input: MLIR's driver does it.
  if (config.shouldShowDialects())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  // What MlirOptMain(argc, argv, in, out, registry) does, with the guard.
  llvm::InitLLVM initLLVM(argc, argv);
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  file = snnc::terminateTextBuffer(std::move(file));
  if (!mlir::isBytecode(*file))
    if (auto at = snnc::findTooDeepNesting(file->getBuffer())) {
      llvm::errs() << file->getBufferIdentifier() << ":" << at->first << ":"
                   << at->second << ": error: "
                   << snnc::tooDeepNestingMessage() << "\n";
      return 1;
    }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(file), registry, config)))
    return 1;
  output->keep();
  return 0;
}
