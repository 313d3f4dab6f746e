//===- FileKind.h - What kind of file a path names --------------*- C++ -*-===//
//
// Every snnc file is HDF5 with a 'format' attribute naming what it holds;
// other inputs are recognised by their first bytes. Knowing what a file is
// before reading it lets a caller say "is a snnc dataset, not a model" rather
// than report a missing dataset deep inside the wrong reader.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <initializer_list>
#include <string>

namespace snnrt {

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
Status expectFile(const std::string &path,
                  std::initializer_list<FileKind> accepted,
                  const std::string &noun, const std::string &expected);

} // namespace snnrt
