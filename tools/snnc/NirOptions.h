//===- NirOptions.h - The NIR options every subcommand shares ---*- C++ -*-===//
//
// NIR stores neither a time step nor a reset mode, and each framework writes
// its neurons into NIR's equations its own way. import, export, compile, run
// and verify all read .nir files, so they all take the same options, parsed
// here into snnc::NirImportOptions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Cli.h"

#include "snnc/Import/ImportFile.h"
#include "snnrt/model/Model.h"

#include <string>

namespace snnc::cli {

struct NirFlags {
  double dtMs = 0;
  std::string reset, decay, convention = "generic";
  int64_t steps = 100;

  /// `prefix` starts every option's help ("NIR only: ", "NIR input only: ").
  void add(ArgParser &parser, const std::string &prefix);
  /// The options, or an error naming the flag (a --decay that contradicts
  /// the convention).
  snnrt::Expected<NirImportOptions> options() const;
};

/// Help text: what each --convention reads (printed by the epilogs).
extern const char *const kNirConventionHelp;

/// Reads a .nir file into a float model with `flags`, printing the reader's
/// notes (e.g. a dropped time axis) on stderr.
snnrt::Expected<snnrt::Model> readNirModel(const std::string &path,
                                           const NirFlags &flags);

} // namespace snnc::cli
