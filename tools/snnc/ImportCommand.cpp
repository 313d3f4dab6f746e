//===- ImportCommand.cpp - snnc import / snnc export ----------------------===//
//
// import: model.h5 or NIR -> snn MLIR.  export: snn MLIR -> model.h5, NIR or
// MLIR. Both are thin: the work is in lib/Import.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"
#include "NirOptions.h"

#include "snnc/Import/ImportFile.h"
#include "snnc/NetworkFile.h"

#include "mlir/IR/MLIRContext.h"

using namespace snnc;

namespace {

const char *kNirNote =
    "NIR is continuous-time: docs/nir.md gives how tau, r, v_leak, "
    "v_threshold\n"
    "and v_reset become the discrete parameters of docs/semantics.md at the\n"
    "chosen --dt-ms and --convention (or --decay).";

/// What import and export share once their options are parsed: read any
/// network file, write it in the format `output`'s extension picks.
int convertNetwork(const char *command, const std::string &input,
                   const std::string &output, const cli::NirFlags &nir,
                   bool bytecode, const NirExportOptions &exportOptions = {}) {
  auto nirOptions = nir.options();
  if (!nirOptions)
    return cli::reportError(command, nirOptions.status());
  if (auto st = snnrt::expectFile(input,
                                  {snnrt::FileKind::Model,
                                   snnrt::FileKind::Checkpoint,
                                   snnrt::FileKind::Nir, snnrt::FileKind::Mlir},
                                  "a network file", cli::kExpectNetwork);
      !st)
    return cli::reportError(command, st);
  if (auto st = cli::checkOutputFile(output); !st)
    return cli::reportError(command, st);
  mlir::DialectRegistry registry;
  registerSnncDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  if (auto status = importNetworkFile(input, *nirOptions, context, module);
      !status)
    return cli::reportError(command, status);
  if (auto status = exportNetworkFile(*module, output, bytecode, exportOptions);
      !status)
    return cli::reportError(command, status);
  return cli::kSuccess;
}

} // namespace

int snnc::runImport(int argc, char **argv) {
  std::string input, output, reset;
  bool bytecode = false;
  cli::NirFlags nir;
  cli::ArgParser parser("import",
                        "Translate a trained model (model.h5) or a NIR graph "
                        "(.nir) into the snn dialect.");
  parser.addPositional("MODEL.h5|NET.nir", &input, "network to import");
  parser.addString("-o", &output, "output .mlir file", "NET.mlir", true);
  parser.addFlag("--bytecode", &bytecode, "write MLIR bytecode");
  nir.add(parser, "NIR only: ");
  parser.setEpilog(std::string(kNirNote) + "\n\n" + cli::kNirConventionHelp +
                   "\n\nexample:\n  snnc import model.h5 -o net.mlir");
  if (auto code = parser.parse(argc, argv))
    return *code;
  return convertNetwork("import", input, output, nir, bytecode);
}

int snnc::runExport(int argc, char **argv) {
  std::string input, output;
  bool bytecode = false;
  cli::NirFlags nir;
  NirExportOptions exportOptions;
  bool compat = false;
  std::string nirVersion;
  cli::ArgParser parser(
      "export", "Write a network in the snn dialect (or any file snnc import "
                "reads) as model.h5\n(.h5), a NIR graph (.nir) or MLIR "
                "(anything else).");
  parser.addPositional("NET.mlir", &input, "network to export");
  parser.addString("-o", &output, "output file; its extension picks the format",
                   "OUT.h5|OUT.nir|OUT.mlir", true);
  parser.addFlag("--bytecode", &bytecode, "MLIR output: write bytecode");
  nir.add(parser, "NIR input only: ");
  parser.addFlag("--nir-compat", &compat,
                 "NIR output: write only what today's readers (snnTorch, "
                 "Norse, Rockpool, Sinabs, Spyx) accept: bias as Affine bias, "
                 "no metadata, no v_reset; refuses per-synapse delays "
                 "(--nir-reader writes them delay-expanded where it can)");
  std::string reader;
  parser.addChoice("--nir-reader", &reader,
                   {"snntorch", "norse", "rockpool", "sinabs", "spyx"},
                   "NIR output: write each neuron the way this framework's "
                   "NIR reader reads it (its dt, tau/r/w_in, gains folded "
                   "into the weights), so the loaded network spikes as the "
                   "model does; refuses what the reader cannot build exactly. "
                   "Implies --nir-compat");
  std::string delays;
  parser.addChoice("--delays", &delays, {"expand", "refuse"},
                   "NIR output with --nir-reader: per-synapse delays as the "
                   "delay-expanded form (relay neurons in one recurrent "
                   "layer, which the reader runs exactly; by default written "
                   "where that needs no condition on the input or on how the "
                   "network is run) or refused");
  parser.addChoice("--nir-version", &nirVersion,
                   {"1.0.4", "1.0.5", "1.0.6", "1.0.7", "1.0.8"},
                   "NIR output: version to stamp (1.0.4 for Sinabs 3.1, "
                   "with --nir-compat)");
  parser.setEpilog(
      "NIR output: BatchNorm is folded into the weights and biases (NIR has "
      "none);\nDCLS positions are written as their rounded "
      "delays; each distinct delay of a\nprojection becomes one Linear node "
      "followed by a Delay node (docs/nir.md); with\n--nir-reader, relay "
      "neurons in one recurrent layer instead (--delays).\n\nexample:\n  "
      "snnc export net.mlir -o model.h5");
  if (auto code = parser.parse(argc, argv))
    return *code;
  exportOptions.compat = compat || !reader.empty();
  if (!reader.empty())
    exportOptions.reader = *snnrt::nirConventionFromName(reader);
  if (!nirVersion.empty())
    exportOptions.version = nirVersion;
  if (!delays.empty() && reader.empty())
    return cli::reportError(
        "export", snnrt::Status::error("--delays needs --nir-reader (the "
                                       "plain export writes Delay nodes)",
                                       snnrt::ErrorKind::BadInput));
  if (delays == "expand")
    exportOptions.delays = NirExportOptions::Delays::Expand;
  else if (delays == "refuse")
    exportOptions.delays = NirExportOptions::Delays::Refuse;
  if (nirVersion == "1.0.4" && !exportOptions.compat)
    return cli::reportError(
        "export", snnrt::Status::error("--nir-version 1.0.4 needs "
                                       "--nir-compat (nir 1.0.4 has no "
                                       "v_reset and refuses metadata)",
                                       snnrt::ErrorKind::BadInput));
  return convertNetwork("export", input, output, nir, bytecode, exportOptions);
}
