//===- ImportFile.cpp - Networks from and to files ------------------------===//

#include "snnc/Import/ImportFile.h"
#include "snn/SNNOps.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/Import/NirImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Transforms/Passes.h"

#include "snnrt/base/FileKind.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/nir/NirFile.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace mlir;
using namespace snnc;
using snnrt::ErrorKind;
using snnrt::Status;

Status snnc::importNetworkFile(const std::string &path,
                               const NirImportOptions &nirOptions,
                               MLIRContext &context,
                               OwningOpRef<ModuleOp> &module) {
  if (!llvm::sys::fs::exists(path))
    return Status::error(path + ": no such file", ErrorKind::Io);
  switch (snnrt::fileKind(path)) {
  case snnrt::FileKind::Model:
  case snnrt::FileKind::Checkpoint: {
    auto model = snnrt::readModel(path);
    if (!model)
      return model.status();
    module = importModel(*model, &context);
    break;
  }
  case snnrt::FileKind::Nir: {
    auto graph = snnrt::readNir(path);
    if (!graph)
      return graph.status();
    for (const std::string &note : graph->notes)
      llvm::errs() << "note: " << path << ": " << note << "\n";
    auto model = nirToModel(*graph, nirOptions, path);
    if (!model)
      return model.status();
    module = importModel(*model, &context);
    break;
  }
  case snnrt::FileKind::Mlir:
    module = parseNetworkFile(path, context);
    if (!module)
      return Status::error(path + ": not a valid snn network (diagnostics "
                                  "above)");
    return Status::ok();
  default:
    return Status::error(path + ": not a network file (expected a snnc "
                                "model.h5, a NIR graph or snn MLIR)");
  }
  // Diagnostics on an imported network name the file and the object in it
  // (e.g. "model.h5:populations/hidden"), not "<unknown>".
  module->walk([&](Operation *op) {
    std::string where = path;
    if (auto proj = dyn_cast<snn::ProjectionOpInterface>(op))
      where += (":projections/" + proj.getSymName()).str();
    else if (auto pop = dyn_cast<snn::PopulationOpInterface>(op))
      where += (":populations/" + pop.getSymName()).str();
    op->setLoc(FileLineColLoc::get(&context, where, 0, 0));
  });
  if (failed(verify(*module)))
    return Status::error(path + ": the imported network does not verify "
                                "(diagnostics above)",
                         ErrorKind::Internal);
  return Status::ok();
}

Status snnc::exportNetworkFile(ModuleOp module, const std::string &path,
                               bool bytecode,
                               const NirExportOptions &nirOptions) {
  auto networks = getNetworks(module);
  if (networks.size() != 1)
    return Status::error("expected exactly one snn.network to export, found " +
                         std::to_string(networks.size()));
  StringRef ext = llvm::sys::path::extension(path);
  // NIR has no BatchNorm node: fold it into the weights and biases first
  // (SNN-F5), on a copy so the caller's module keeps it.
  OwningOpRef<ModuleOp> folded;
  if (ext == ".nir" &&
      !networks.front().getBody().getOps<snn::BatchNormOp>().empty()) {
    folded = module.clone();
    PassManager pm(module.getContext());
    pm.nest<snn::NetworkOp>().addPass(createFoldBatchNormPass());
    if (failed(pm.run(*folded)))
      return Status::error(path + ": folding BatchNorm for NIR failed "
                                  "(diagnostics above)");
    networks = getNetworks(*folded);
  }
  if (ext == ".h5" || ext == ".nir") {
    FailureOr<snnrt::Model> model = exportModel(networks.front());
    if (failed(model))
      return Status::error(path + ": cannot export (diagnostics above)");
    if (ext == ".h5")
      return snnrt::writeModel(path, *model);
    auto graph = modelToNir(*model, nirOptions);
    if (!graph)
      return Status::error(path + ": " + graph.status().message());
    snnrt::NirWriteOptions w;
    w.version = nirOptions.version;
    SNNRT_TRY(snnrt::writeNir(path, *graph, w));
    // What the export chose for the reader (the delay-expanded form, its
    // size and any condition on it), after the file is in place.
    for (const std::string &note : graph->notes)
      llvm::errs() << "note: " << path << ": " << note << "\n";
    return Status::ok();
  }
  std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temp, ec);
    if (ec)
      return Status::error(path + ": cannot write: " + ec.message(),
                           ErrorKind::Io);
    if (bytecode) {
      if (failed(writeBytecodeToFile(module, os))) {
        llvm::sys::fs::remove(temp);
        return Status::error(path + ": bytecode writing failed",
                             ErrorKind::Internal);
      }
    } else {
      module.print(os);
    }
    os.close();
    if (os.has_error()) {
      llvm::sys::fs::remove(temp);
      return Status::error(path + ": write failed", ErrorKind::Io);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return Status::error(path + ": cannot move into place: " + ec.message(),
                         ErrorKind::Io);
  }
  return Status::ok();
}
