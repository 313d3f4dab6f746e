//===- Hdf5Structure.h - HDF5 metadata checked before HDF5 ------*- C++ -*-===//
//-*-===//
//
// HDF5 1.10 trusts sizes it reads from a file before it checks them against
// the file: a local heap's data segment size, an object header continuation's
// length, a chunk's size in its B-tree. A corrupted value makes it allocate up
// to 2^64 bytes (and, where the allocation fails, copy into NULL: SIGSEGV in
// H5F__accum_read). The same holds for the 1.8/1.10 structures (fractal
// heaps, v2 B-trees, fixed and extensible arrays), whose checksums a crafted
// file carries intact. checkStructure walks the metadata that the group
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

/// What one walk checked (tests and fuzz/README.md's cost figures).
struct StructureStats {
  uint64_t objects = 0;     // object headers
  uint64_t heapBlocks = 0;  // local heaps, fractal heap direct/indirect blocks
  uint64_t treeNodes = 0;   // v1 and v2 B-tree nodes, symbol table nodes
  uint64_t heapObjects = 0; // links and attributes found through heap IDs
  uint64_t chunks = 0;      // chunk index entries placed in the file
  uint64_t bytesRead = 0;   // metadata bytes read
};

/// HDF5's checksum of metadata blocks (format 1.8 on): Bob Jenkins' lookup3
/// hash of the block's bytes before the checksum.
uint32_t metadataChecksum(const void *data, size_t n);

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
///
/// Dense storage (format 1.8+) is walked as well: every fractal heap's
/// header, direct and indirect blocks and huge objects, every v2 B-tree node
/// (links, attributes, chunks, huge objects) with its record and node sizes,
/// every link and attribute its records name (hard links followed, external
/// ones refused), and the 1.10 chunk indices (single chunk, implicit, fixed
/// array, extensible array, v2 B-tree) down to each chunk's place. Attribute
/// messages' data must fit their message. Every checksummed block it reads
/// must match its checksum (HDF5 1.10 does not recover soundly from every
/// failed one), and every v2 B-tree must hold the records its header counts.
Status checkStructure(const std::string &name, uint64_t fileSize,
                      const ReadAt &read, StructureStats *stats = nullptr);

} // namespace snnrt::h5
