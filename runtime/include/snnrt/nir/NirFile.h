//===- NirFile.h - Read and write NIR graphs (HDF5) -------------*- C++ -*-===//
//
// NIR files as the nir Python package writes them (nir/serialization.py),
// versions 0.2.0 to 1.0.x:
//
//   /version                   scalar vlen UTF-8 string
//   /node/type                 "NIRGraph"
//   /node/edges                (E,2) vlen strings (src, dst); E = 0 may be
//                              stored as an empty float array
//   /node/nodes/<name>/type    the node's class name
//   /node/nodes/<name>/<field> one dataset per field, dtype kept
//   /node/nodes/<name>/metadata/ optional group
//
// Nested graphs repeat the /node layout inside /node/nodes/<name>. Arrays are
// gzip-compressed since nir 1.0.x (2026) and plain before; HDF5 decompresses
// transparently, so the reader does not care.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/nir/NirGraph.h"

#include <string>

namespace snnrt {
namespace h5 {
class File;
} // namespace h5

/// The version writeNir stamps by default: the newest nir release whose
/// layout the writer follows (v_reset always present).
inline constexpr const char *kNirWriteVersion = "1.0.8";

/// Reads a NIR file: checks the version (0.2.x and 1.0.x), reads every node
/// (an unsupported type, e.g. Conv2d, is an error naming the node and listing
/// what snnc supports), applies the defaults of older files (applyNirDefaults)
/// and validates (validateNir). Every error message starts with the path.
Expected<NirGraph> readNir(const std::string &path);
/// The same from an open file (h5::File::openImage: the fuzz targets).
Expected<NirGraph> readNir(const h5::File &file);

struct NirWriteOptions {
  /// Compress every numeric array with gzip, as nir >= 1.0 does by default.
  bool gzip = true;
  int gzipLevel = 4;
  /// Stamped into /version. The writer always uses the 1.0 layout, so only a
  /// 1.0.x version is accepted.
  std::string version = kNirWriteVersion;
};

/// Validates `graph` and writes it atomically (a temporary file renamed over
/// `path`, so readers never see half a file). Each array keeps its dtype and
/// shape, so readNir(writeNir(g)) == g bit for bit (bar `version`, which is
/// the stamped one).
Status writeNir(const std::string &path, const NirGraph &graph,
                const NirWriteOptions &options = {});

} // namespace snnrt
