//===- InspectCommand.cpp - snnc inspect ----------------------------------===//
//
// Parses, verifies and summarises the networks of a .mlir file.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"

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
  parser.addPositional("NET.mlir", &input, "network in the snn dialect");
  parser.addFlag("--json", &json, "print one JSON object instead of text");
  if (auto code = parser.parse(argc, argv))
    return *code;

  if (!llvm::sys::fs::exists(input))
    return cli::reportError(
        "inspect", snnrt::Status::error(input + ": no such file",
                                        snnrt::ErrorKind::Io));
  mlir::DialectRegistry registry;
  registerSnncDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = parseNetworkFile(input, context);
  if (!module)
    return cli::reportError(
        "inspect", snnrt::Status::error(input + ": not a valid snn network "
                                                "(diagnostics above)"));
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
