//===- InspectCommand.cpp - snnc inspect ----------------------------------===//
//
// Parses, verifies and summarises the networks of a .mlir file.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"

#include "snnc/Import/ImportFile.h"
#include "snnc/NetworkFile.h"
#include "snnc/NetworkSummary.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

int snnc::runInspect(int argc, char **argv) {
  std::string input;
  bool json = false;
  cli::ArgParser parser("inspect",
                        "Parse and verify a network in the snn dialect and "
                        "print what it holds:\npopulations, projections, "
                        "synapse counts and delay ranges.");
  parser.setEpilog("example:\n  snnc inspect model.h5 --json");
  parser.addPositional("NET.mlir|MODEL.h5", &input,
                       "network in the snn dialect, or a snnc model");
  parser.addFlag("--json", &json, "print one JSON object instead of text");
  if (auto code = parser.parse(argc, argv))
    return *code;

  // MLIR is parsed as it is; a model.h5 (or checkpoint) is imported first.
  // Other files are named for what they are, never fed to the MLIR parser.
  snnrt::FileKind kind = snnrt::fileKind(input);
  if (auto st = snnrt::expectFile(
          input,
          {snnrt::FileKind::Mlir, snnrt::FileKind::Other,
           snnrt::FileKind::Model, snnrt::FileKind::Checkpoint},
          "a file snnc inspect reads",
          "snn MLIR or a snnc model.h5; 'snnc import' "
          "turns a NIR graph into MLIR");
      !st)
    return cli::reportError("inspect", st);
  mlir::DialectRegistry registry;
  registerSnncDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  if (kind == snnrt::FileKind::Model || kind == snnrt::FileKind::Checkpoint) {
    if (auto st = importNetworkFile(input, {}, context, module); !st)
      return cli::reportError("inspect", st);
  } else {
    module = parseNetworkFile(input, context);
    if (!module)
      return cli::reportError(
          "inspect", snnrt::Status::error(input + ": not a valid snn network "
                                                  "(diagnostics above)"));
  }
  auto networks = getNetworks(*module);
  if (networks.empty())
    return cli::reportError(
        "inspect", snnrt::Status::error(input + ": holds no snn.network"));
  for (auto net : networks) {
    NetworkSummary summary = summarize(net);
    if (json)
      printSummaryJson(summary, llvm::outs());
    else
      printSummary(summary, llvm::outs());
  }
  return cli::kSuccess;
}
