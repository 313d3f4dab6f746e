//===- Compile.h - The snnc compile pipeline --------------------*- C++ -*-===//
//
// `snnc compile` as a library call: import a network (model.h5, NIR or
// MLIR), lower it with the target's arithmetic (populateLoweringPipeline),
// map it onto the target's cores (snn-map-to-cores), and write
// net.snnhw.mlir, plan.h5 and the report (json, txt, html) into one
// directory — all or nothing: files are staged and renamed into place only
// when every stage succeeded.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnc/Import/ImportFile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace snnc {

struct CompileOptions {
  std::string input;  ///< MODEL.h5 | NET.nir | NET.mlir
  std::string target; ///< preset name or FILE.json
  std::string outDir;
  std::string data;           ///< dataset for the spike-rate profile, or ""
  int64_t weightBits = 0;     ///< 0: the target's weight bits
  std::string strategy = "metis";
  int64_t profileSamples = 128; ///< samples of `data` the profile runs
  NirImportOptions nir;
  /// Also write the lowered snn IR (what `snn-lower{target=...}` prints)
  /// here, before mapping; "" for none.
  std::string loweredPath;
};

enum class CompileOutcome { Ok, BadInput, Io, DoesNotFit, Internal };

struct CompileResult {
  CompileOutcome outcome = CompileOutcome::Ok;
  std::string message;            ///< why it failed (diagnostics on stderr)
  llvm::json::Value report = nullptr; ///< report.json's content on success
  std::string reportText;         ///< report.txt's content on success
  /// lava-cuba targets: the NetX file written for Lava, or why there is none.
  std::string netxFile, netxNote;
  /// xylo-iaf targets: the Rockpool specification (`<name>.xylo.npz`), its
  /// metadata (`<name>.xylo.json`) and a one-line summary of the export, or
  /// (files empty) why there is none.
  std::string xyloFile, xyloMetaFile, xyloNote;
};

/// Runs the whole pipeline; `progress` receives one line per stage with its
/// time. MLIR diagnostics (what does not fit, and why) go to stderr.
CompileResult compileNetwork(const CompileOptions &options,
                             llvm::raw_ostream &progress);

} // namespace snnc
