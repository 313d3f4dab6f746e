//===- Hdf5Structure.h - HDF5 metadata checked before HDF5 ------*- C++ -*-===//
//-*-===//
//
// HDF5 1.10 trusts sizes it reads from a file before it checks them against
// the file: a local heap's data segment size, an object header continuation's
// length, a chunk's size in its B-tree. A corrupted value makes it allocate up
// to 2^64 bytes (and, where the allocation fails, copy into NULL: SIGSEGV in
// H5F__accum_read). checkStructure walks the metadata that the group
// structure reaches from the superblock and refuses such a file before HDF5
// opens it (h5::File::openRead and openImage call it).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstdint>
#include <functional>
#include <string>

namespace snnrt::h5 {

/// Reads `n` bytes at absolute offset `at` into `out`; false when they are
/// not all in the file.
using ReadAt = std::function<bool(uint64_t at, void *out, uint64_t n)>;

/// Walks the file's metadata from the superblock: every object header that
/// hard links and symbol tables reach (each chunk, continuations included,
/// must lie inside the file), every local heap of an old-style group
/// ("HEAP", version 0, data segment and free list inside the file and the
/// heap, every link name inside the heap and terminated), every group and
/// chunk B-tree node (v1) and symbol table node, and the chunks a v1 B-tree
/// indexes. Refuses external links, external raw data files and virtual
/// datasets (snnc reads self-contained files only). Error: "NAME: corrupted
/// local heap at offset X claims N bytes, file has M" and the like
/// (ErrorKind::BadInput). A file without an HDF5 superblock passes: HDF5
/// refuses it itself. Reads at most about the file's size in metadata.
Status checkStructure(const std::string &name, uint64_t fileSize,
                      const ReadAt &read);

} // namespace snnrt::h5
