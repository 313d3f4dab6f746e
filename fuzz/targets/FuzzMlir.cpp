//===- FuzzMlir.cpp - libFuzzer target for .mlir input of snnc compile ----===//
//
// The path `snnc compile NET.mlir --target loihi2` takes, in memory: parse
// (text or bytecode; snnc::parseNetworkBuffer, with the truncated-string
// guard) and verify, exactly one snn.network, the chip-wide limits, the
// lowering pipeline and the mapping onto cores. Invalid input must stop at
// a diagnostic; valid IR must never crash a pass. The same source builds
// fuzz-mlir-text and fuzz-mlir-bytecode; they differ in their seed corpus.
// Mapping uses the sequential partitioner (METIS is third-party and costs
// milliseconds per input).
//
//===----------------------------------------------------------------------===//

#include "snn/SNNDialect.h"
#include "snnc/Conversion/MapToCores.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/NetworkFile.h"
#include "snnc/Pipelines/Pipelines.h"
#include "snnc/Target/Target.h"
#include "snnhw/SNNHWDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A crash inside MLIR's bytecode reader is a finding (snnc must refuse
  // such input before the reader sees it), not something to recover from.
  snnc::setBytecodeCrashRecovery(false);
  DialectRegistry registry;
  snnc::registerSnncDialects(registry);
  registry.insert<snnc::snnhw::SNNHWDialect>();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.loadDialect<snnc::snn::SNNDialect, snnc::snnhw::SNNHWDialect>();
  // Diagnostics are expected; they go nowhere.
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  llvm::SourceMgr sourceMgr;
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.mlir");
  OwningOpRef<ModuleOp> module =
      snnc::parseNetworkBuffer(std::move(buffer), sourceMgr, context);
  if (!module)
    return 0;
  auto nets = snnc::getNetworks(*module);
  if (nets.size() != 1)
    return 0;
  static const snnc::Target target = llvm::cantFail(snnc::getPreset("loihi2"));
  if (failed(snnc::checkChipLimits(nets[0], target)))
    return 0;
  PassManager lower(&context);
  snnc::populateLoweringPipeline(lower, snnc::loweringOptionsFor(target));
  if (failed(lower.run(*module)))
    return 0;
  PassManager map(&context);
  snnc::MapToCoresPassOptions options;
  options.target = "loihi2";
  options.strategy = snnc::snnhw::Partitioner::sequential;
  map.addPass(snnc::createMapToCoresPass(options));
  (void)map.run(*module);
  return 0;
}
