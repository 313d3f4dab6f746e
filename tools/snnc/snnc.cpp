//===- snnc.cpp - The snnc driver -----------------------------------------===//
//
// `snnc <command> [options]`: dispatches to one subcommand per stage of the
// pipeline (data, train, compile, run, verify, ...).
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"

#include "snnrt/train/BlasSetup.h"

#include <cstdio>
#include <cstring>

namespace {
const snnc::Command kCommands[] = {
    {"data", "make a dataset: SHD spikes, audio files, built-in digits",
     snnc::runData},
    {"train", "train a delay SNN (BPTT, DCLS delays) on a dataset",
     snnc::runTrain},
    {"eval", "accuracy and confusion matrix of a model on a dataset",
     snnc::runEval},
    {"run", "run a model or a compiled plan over a dataset (spikes, events/s)",
     snnc::runRun},
    {"analyze", "E/I structure of a model over (source, delay): json + html",
     snnc::runAnalyze},
#ifdef SNNC_HAVE_COMPILER
    {"import", "model.h5 or NIR graph -> snn dialect (.mlir)", snnc::runImport},
    {"export", "snn dialect -> model.h5, NIR graph or MLIR", snnc::runExport},
    {"verify", "prove a plan computes what the model was trained to",
     snnc::runVerify},
    {"inspect", "parse, verify and summarise a network (.mlir)",
     snnc::runInspect},
    {"compile", "lower and map a network onto a chip: plan.h5 + report",
     snnc::runCompile},
    {"targets", "list the hardware targets and their limits",
     snnc::runTargets},
    {"sweep", "train a grid (conditions x sparsities x seeds): Figure 3",
     snnc::runSweep},
#endif
};

void printUsage() {
  std::printf("usage: snnc <command> [options]\n\n"
              "snnc trains spiking neural networks with learned synaptic "
              "delays and sparse\nconnectivity, compiles them onto "
              "neuromorphic hardware and proves the result\nagrees with what "
              "was trained.\n\ncommands:\n");
  for (const auto &c : kCommands)
    std::printf("  %-10s %s\n", c.name, c.summary);
  std::printf("\n'snnc <command> --help' describes a command's options; "
              "docs/user-guide.md walks\nthrough data -> train -> compile -> "
              "verify -> analyze.\n\n%s\n",
              snnc::cli::kExitCodesHelp);
}
} // namespace

int main(int argc, char **argv) {
  // OpenBLAS's AVX-512/AVX2 kernels where its CPU detection fell back to
  // generic ones (re-executes once; see BlasSetup.h).
  snnrt::ensureBlasKernels(argv);
  if (argc < 2) {
    printUsage();
    return snnc::cli::kBadInput;
  }
  const char *name = argv[1];
  if (!std::strcmp(name, "-h") || !std::strcmp(name, "--help") ||
      !std::strcmp(name, "help")) {
    printUsage();
    return snnc::cli::kSuccess;
  }
  if (!std::strcmp(name, "--version")) {
    std::printf("snnc 0.1.0\n");
    return snnc::cli::kSuccess;
  }
  for (const auto &c : kCommands)
    if (!std::strcmp(name, c.name))
      return c.run(argc - 1, argv + 1);
  std::fprintf(stderr, "snnc: error: unknown command '%s' (see 'snnc --help')\n",
               name);
  return snnc::cli::kBadInput;
}
