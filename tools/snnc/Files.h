//===- Files.h - Checking the files an argument names -----------*- C++ -*-===//
//
// Every subcommand checks its inputs (snnrt::expectFile) and outputs (here)
// before doing any work, so that a dataset given as a model, a missing file
// or an output under a folder that cannot be written are reported the same
// way by every command ("snnc <cmd>: error: <file>: <what>", exit 2 or 3) and
// before a long run starts (docs/user-guide.md#exit-codes).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/FileKind.h"
#include "snnrt/base/Status.h"

#include <string>

namespace snnc::cli {

/// For a --target value: Io error when it names a file that does not exist
/// (contains '/' or ends in .json), BadInput when it names a file that is not
/// JSON; Ok for a preset name or a JSON file (loadTarget checks the rest).
snnrt::Status checkTargetFile(const std::string &nameOrPath);

/// Ok when `path` can be created: it is not a folder and the folder above it
/// exists and is writable. Io error otherwise.
snnrt::Status checkOutputFile(const std::string &path);

/// Ok when `dir` is a writable folder or can be created: its parent exists
/// (or, with `parents`, the nearest existing folder above it) and is
/// writable.
snnrt::Status checkOutputDir(const std::string &dir, bool parents = true);

} // namespace snnc::cli
