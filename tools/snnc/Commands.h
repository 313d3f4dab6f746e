//===- Commands.h - The subcommands of the snnc driver ----------*- C++ -*-===//
//
// Each subcommand lives in its own file as `int run<Name>(int argc, char **argv)`
// (argv[0] is the subcommand name) and is listed in the table in snnc.cpp.
// Subcommands only parse options and call into the runtime or the compiler
// library; the work itself lives there.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <vector>

namespace snnc {

struct Command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
};

int runInspect(int argc, char **argv);
int runImport(int argc, char **argv);
int runExport(int argc, char **argv);
int runVerify(int argc, char **argv);
int runData(int argc, char **argv);
int runTrain(int argc, char **argv);
int runEval(int argc, char **argv);
int runRun(int argc, char **argv);
int runAnalyze(int argc, char **argv);
int runCompile(int argc, char **argv);
int runTargets(int argc, char **argv);
int runSweep(int argc, char **argv);

/// What `snnc train` says about these options (without --train and --out),
/// or "" when its parser accepts them. Used by `snnc sweep` to check a spec
/// before any cell starts.
std::string checkTrainArguments(const std::vector<std::string> &args);

} // namespace snnc
