//===- CompileCommand.cpp - snnc compile ----------------------------------===//
//
// Thin: options -> snnc::compileNetwork (lib/Compile), outcome -> exit code.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"
#include "NirOptions.h"

#include "snnc/Compile/Compile.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

int snnc::runCompile(int argc, char **argv) {
  CompileOptions opts;
  bool json = false, quiet = false;
  cli::NirFlags nir;
  cli::ArgParser parser(
      "compile",
      "Lower a trained network to a target's integer arithmetic, map it onto "
      "the\ntarget's cores and write DIR/net.snnhw.mlir, DIR/plan.h5 and "
      "DIR/report.{json,txt,html}.");
  parser.addPositional("MODEL.h5|NET.nir|NET.mlir", &opts.input,
                       "network to compile");
  parser.addString("--target", &opts.target,
                   "preset (see 'snnc targets') or FILE.json", "NAME|FILE",
                   true);
  parser.addString("--out", &opts.outDir, "output directory", "DIR", true);
  parser.addString("--data", &opts.data,
                   "dataset (.h5) to measure spike rates on; they weight the "
                   "traffic and energy",
                   "TEST.h5");
  parser.addInt("--weight-bits", &opts.weightBits,
                "signed weight bits (default: the target's)", 2, 16);
  parser.addChoice("--strategy", &opts.strategy, {"metis", "sequential"},
                   "partitioning of neurons onto cores");
  parser.addInt("--profile-samples", &opts.profileSamples,
                "samples of --data the profile runs", 1, 1 << 20);
  parser.addString("--emit-lowered", &opts.loweredPath,
                   "also write the lowered snn IR (before mapping) to FILE",
                   "FILE");
  parser.addFlag("--json", &json, "print report.json instead of the text "
                                  "report");
  parser.addFlag("--quiet", &quiet, "no progress lines");
  nir.add(parser, "NIR only: ");
  parser.setEpilog(
      "Exit code 5: the network does not fit the target (the diagnostic "
      "names the\npopulation, the neuron and the limit). A failure leaves no "
      "partial output in DIR.\nFormats: docs/formats/plan.md, "
      "docs/targets.md.\n\n"
      "example:\n  snnc compile model.h5 --target loihi2 --out loihi2 "
      "--data digits/test.h5");
  if (auto code = parser.parse(argc, argv))
    return *code;
  if (auto o = nir.options())
    opts.nir = *o;
  else
    return cli::reportError("compile", o.status());

  if (auto st = snnrt::expectFile(opts.input,
                                  {snnrt::FileKind::Model,
                                   snnrt::FileKind::Checkpoint,
                                   snnrt::FileKind::Nir, snnrt::FileKind::Mlir},
                                  "a network file", cli::kExpectNetwork);
      !st)
    return cli::reportError("compile", st);
  if (!opts.data.empty())
    if (auto st = snnrt::expectFile(opts.data, {snnrt::FileKind::Dataset},
                                    "a dataset", cli::kExpectDataset);
        !st)
      return cli::reportError(
          "compile",
          snnrt::Status::error("--data: " + st.message(), st.kind()));
  if (auto st = cli::checkTargetFile(opts.target); !st)
    return cli::reportError(
        "compile", snnrt::Status::error("--target: " + st.message(), st.kind()));
  if (auto st = cli::checkOutputDir(opts.outDir); !st)
    return cli::reportError("compile", st);

  // Progress goes to stderr so that stdout carries only the report.
  CompileResult result =
      compileNetwork(opts, quiet ? llvm::nulls() : llvm::errs());
  switch (result.outcome) {
  case CompileOutcome::Ok:
    break;
  case CompileOutcome::DoesNotFit:
    std::fprintf(stderr, "snnc compile: error: %s\n", result.message.c_str());
    return cli::kDoesNotFit;
  case CompileOutcome::BadInput:
    return cli::reportError("compile", snnrt::Status::error(result.message));
  case CompileOutcome::Io:
    return cli::reportError("compile",
                            snnrt::Status::error(result.message,
                                                 snnrt::ErrorKind::Io));
  case CompileOutcome::Internal:
    return cli::reportError("compile",
                            snnrt::Status::error(result.message,
                                                 snnrt::ErrorKind::Internal));
  }
  if (!result.netxNote.empty())
    llvm::errs() << "snnc compile: " << result.netxNote << "\n";
  else if (!result.netxFile.empty() && !quiet)
    llvm::errs() << "snnc compile: wrote " << result.netxFile
                 << " (NetX, for Lava)\n";
  if (result.xyloFile.empty() && !result.xyloNote.empty())
    llvm::errs() << "snnc compile: " << result.xyloNote << "\n";
  else if (!result.xyloFile.empty() && !quiet)
    llvm::errs() << "snnc compile: wrote " << result.xyloFile << " + "
                 << llvm::sys::path::filename(result.xyloMetaFile)
                 << " (Rockpool XyloSim specification: " << result.xyloNote
                 << ")\n";
  if (json)
    llvm::outs() << llvm::formatv("{0:2}", result.report) << "\n";
  else
    llvm::outs() << result.reportText;
  return cli::kSuccess;
}
