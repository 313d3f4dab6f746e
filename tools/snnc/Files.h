//===- Files.h - What kind of file an argument names ------------*- C++ -*-===//
//
// Every subcommand checks its inputs and outputs here before doing any work,
// so that a dataset given as a model, a missing file or an output under a
// folder that cannot be written are reported the same way by every command
// ("snnc <cmd>: error: <file>: <what>", exit 2 or 3) and before a long run
// starts (docs/user-guide.md#exit-codes).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <initializer_list>
#include <string>

namespace snnc::cli {

enum class FileKind {
  Missing,
  Directory,
  Unreadable,
  Dataset,    ///< snnc dataset (format snnc-dataset)
  Model,      ///< snnc model.h5 (format snnc-model)
  Checkpoint, ///< snnc training checkpoint (a model with /checkpoint)
  Plan,       ///< snnc plan.h5 (format snnc-plan)
  Spikes,     ///< snnc spike recording (format snnc-spikes)
  Nir,        ///< NIR graph (HDF5 with /node)
  Shd,        ///< Spiking Heidelberg Digits file (HDF5 with /spikes)
  Hdf5,       ///< any other HDF5 file
  Mlir,       ///< MLIR text holding snn/snnhw ops, or MLIR bytecode
  Json,
  Audio, ///< RIFF/WAVE, FLAC, Ogg, AIFF
  Other, ///< anything else (text, unknown binary)
};

/// Looks at the file's first bytes (and, for HDF5, its 'format' attribute).
FileKind fileKind(const std::string &path);

/// "a snnc dataset", "a NIR graph", "a folder", ...
const char *describeKind(FileKind kind);

/// Ok when `path` holds one of `accepted`. Otherwise an error naming the file,
/// what it is and what was expected: "PATH: no such file" (Io),
/// "PATH: is a snnc dataset, not a model (expected a snnc model.h5 ...)"
/// (BadInput), "PATH: not a model (expected ...)" for unknown content.
snnrt::Status expectFile(const std::string &path,
                         std::initializer_list<FileKind> accepted,
                         const std::string &noun, const std::string &expected);

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
