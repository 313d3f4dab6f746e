//===- Hdf5Structure.cpp - HDF5 metadata checked before HDF5 --------------===//
//
// Layouts: the HDF5 File Format Specification (version 3), sections II
// (superblock), III.A (v1 B-trees), III.B (symbol table nodes), III.C
// (symbol table entries), III.D (local heaps) and IV (object headers and the
// messages used here: link info 0x02, link 0x06, external file list 0x07,
// data layout 0x08, continuation 0x10, symbol table 0x11). Addresses are
// relative to the superblock's position (HDF5 moves the base address there).
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5Structure.h"

#include <cstring>
#include <map>
#include <set>
#include <vector>

namespace snnrt::h5 {

namespace {

/// Little-endian reader over one metadata block; reading past its end sets
/// `ok` to false and yields zeros (callers check `ok` once per record).
struct Cursor {
  const uint8_t *p;
  const uint8_t *end;
  bool ok = true;

  uint64_t get(unsigned n) {
    if (size_t(end - p) < n) {
      ok = false;
      p = end;
      return 0;
    }
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
      v = (v << 8) | p[i];
    p += n;
    return v;
  }
  void skip(uint64_t n) {
    if (uint64_t(end - p) < n) {
      ok = false;
      p = end;
      return;
    }
    p += n;
  }
  uint64_t left() const { return uint64_t(end - p); }
};

/// The data segment of one local heap, kept to check the link names that
/// point into it.
struct LocalHeap {
  uint64_t at = 0;
  std::vector<uint8_t> data;
};

class Walker {
public:
  Walker(const std::string &name, uint64_t size, const ReadAt &read)
      : name_(name), size_(size), read_(read) {}
  Status run();

private:
  Status corrupt(const std::string &what) const {
    return Status::error(name_ + ": corrupted " + what + ", file has " +
                         std::to_string(size_) + " bytes");
  }
  Status refuse(const std::string &what) const {
    return Status::error(name_ + ": " + what +
                         " (snnc reads self-contained HDF5 files only)");
  }
  static std::string num(uint64_t v) { return std::to_string(v); }

  bool fits(uint64_t at, uint64_t n) const {
    return at <= size_ && n <= size_ - at;
  }
  /// Absolute offset of a file address; UINT64_MAX when it overflows.
  uint64_t abs(uint64_t rel) const {
    return rel > UINT64_MAX - base_ ? UINT64_MAX : base_ + rel;
  }
  bool undefined(uint64_t rel) const {
    return rel == (so_ == 8 ? UINT64_MAX : (uint64_t(1) << (8 * so_)) - 1);
  }
  /// Reads a metadata block that must lie inside the file; counts it against
  /// the budget (a valid file's metadata blocks do not overlap, so their sum
  /// stays below the file size; overlapping corrupted ones cannot make the
  /// walk read the file many times over).
  bool load(uint64_t at, uint64_t n, std::vector<uint8_t> &out) {
    if (!fits(at, n) || n > budget_)
      return false;
    budget_ -= n;
    return peek(at, n, out);
  }
  /// Reads a few bytes (a prefix, a signature) outside the budget: their
  /// number is bounded by the blocks that point to them.
  bool peek(uint64_t at, uint64_t n, std::vector<uint8_t> &out) {
    if (!fits(at, n))
      return false;
    out.resize(n);
    return n == 0 || read_(at, out.data(), n);
  }

  Status visitObject(uint64_t rel);
  Status parseMessages(uint64_t objectAt, const uint8_t *p, uint64_t n,
                       int version, bool crtOrder,
                       std::vector<std::pair<uint64_t, uint64_t>> &chunks);
  Status message(uint64_t objectAt, unsigned type, Cursor c,
                 std::vector<std::pair<uint64_t, uint64_t>> &chunks);
  Status layout(uint64_t objectAt, Cursor c);
  Status linkMessage(uint64_t objectAt, Cursor c);
  Status localHeap(uint64_t rel, const LocalHeap **out);
  Status checkName(const LocalHeap &heap, uint64_t offset,
                   const std::string &where) const;
  Status groupTree(uint64_t rel, const LocalHeap &heap);
  Status symbolNode(uint64_t rel, const LocalHeap &heap);
  Status symbolEntry(Cursor &c, const LocalHeap *heap,
                     const std::string &where);
  Status chunkTree(uint64_t objectAt, uint64_t rel, unsigned dims);

  const std::string &name_;
  uint64_t size_;
  const ReadAt &read_;
  uint64_t budget_ = 0;
  uint64_t base_ = 0;
  unsigned so_ = 8, sl_ = 8;         // sizes of offsets and lengths
  unsigned leafK_ = 4, groupK_ = 16; // symbol table node and group B-tree K
  std::set<uint64_t> objects_, chunks_, nodes_;
  std::vector<uint64_t> pending_;                    // object headers
  std::vector<std::pair<uint64_t, uint64_t>> trees_; // (B-tree, heap)
  std::map<uint64_t, LocalHeap> heaps_;
};

Status Walker::run() {
  // A valid file's metadata is part of the file; 1 MiB covers small files
  // whose blocks HDF5 sizes generously.
  budget_ = size_ + (1u << 20);
  // HDF5 looks for its signature at 0, 512, 1024, 2048, ...
  static const uint8_t kSig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  uint64_t at = UINT64_MAX;
  for (uint64_t s = 0; fits(s, 8); s = s ? s * 2 : 512) {
    uint8_t sig[8];
    if (read_(s, sig, 8) && std::memcmp(sig, kSig, 8) == 0) {
      at = s;
      break;
    }
  }
  std::vector<uint8_t> sb;
  if (at == UINT64_MAX || !fits(at, 12) || !load(at, 12, sb))
    return Status::ok(); // not HDF5, or too short: HDF5 refuses it
  base_ = at;
  unsigned version = sb[8];
  if (version <= 1) {
    if (!load(at, 24, sb))
      return Status::ok();
    so_ = sb[13];
    sl_ = sb[14];
    leafK_ = unsigned(sb[16]) | unsigned(sb[17]) << 8;
    groupK_ = unsigned(sb[18]) | unsigned(sb[19]) << 8;
  } else if (version <= 3) {
    so_ = sb[9];
    sl_ = sb[10];
  } else {
    return Status::ok(); // a version HDF5 1.10 does not read
  }
  if ((so_ != 2 && so_ != 4 && so_ != 8) || (sl_ != 2 && sl_ != 4 && sl_ != 8))
    return refuse("HDF5 offsets of " + num(so_) + " and lengths of " +
                  num(sl_) + " bytes are not supported");
  if (version <= 1) {
    if (leafK_ == 0 || groupK_ == 0)
      return Status::ok(); // HDF5 refuses these itself
    uint64_t fixed = version == 0 ? 24 : 28;
    // base, free space, end of file, driver block; the root's entry.
    uint64_t len = fixed + 4 * so_ + 2 * so_ + 24;
    if (!load(at, len, sb))
      return corrupt("superblock at offset " + num(at) + " (" + num(len) +
                     " bytes)");
    Cursor c{sb.data() + fixed + 4 * so_, sb.data() + sb.size()};
    SNNRT_TRY(symbolEntry(c, nullptr, "the root group's entry"));
  } else {
    uint64_t len = 12 + 4 * so_;
    if (!load(at, len, sb))
      return corrupt("superblock at offset " + num(at) + " (" + num(len) +
                     " bytes)");
    Cursor c{sb.data() + 12, sb.data() + sb.size()};
    c.get(so_); // base
    uint64_t ext = c.get(so_);
    c.get(so_); // end of file
    uint64_t root = c.get(so_);
    if (!undefined(ext))
      pending_.push_back(ext); // the superblock extension is an object header
    pending_.push_back(root);
  }
  // Objects and group trees wait in lists rather than being walked where
  // they are found: nested groups must not nest calls (a deep file would
  // overflow the stack).
  while (!pending_.empty() || !trees_.empty()) {
    if (!trees_.empty()) {
      auto [tree, heap] = trees_.back();
      trees_.pop_back();
      SNNRT_TRY(groupTree(tree, heaps_.at(heap)));
      continue;
    }
    uint64_t rel = pending_.back();
    pending_.pop_back();
    SNNRT_TRY(visitObject(rel));
  }
  return Status::ok();
}

Status Walker::symbolEntry(Cursor &c, const LocalHeap *heap,
                           const std::string &where) {
  uint64_t nameOffset = c.get(so_);
  uint64_t object = c.get(so_);
  uint32_t cacheType = uint32_t(c.get(4));
  c.get(4);
  // The 16-byte scratch pad: a cached symbol table message (B-tree and heap
  // addresses) or a soft link's value offset (4 bytes).
  Cursor scratch{c.p, c.p + std::min<uint64_t>(16, c.left())};
  c.skip(16);
  if (!c.ok)
    return corrupt(where + " (truncated)");
  uint64_t cachedTree = scratch.get(so_);
  uint64_t cachedHeap = scratch.get(so_);
  Cursor soft{c.p - 16, c.p};
  uint64_t softOffset = soft.get(4);
  if (heap)
    SNNRT_TRY(checkName(*heap, nameOffset, where));
  if (cacheType == 1) {
    // A cached copy of the group's symbol table message: HDF5 may use it
    // instead of the object header's, so its heap must be sound as well.
    const LocalHeap *cached = nullptr;
    SNNRT_TRY(localHeap(cachedHeap, &cached));
    trees_.emplace_back(cachedTree, cachedHeap);
  } else if (cacheType == 2 && heap) {
    SNNRT_TRY(checkName(*heap, softOffset, where + "'s soft link"));
  }
  if (cacheType != 2 && !undefined(object))
    pending_.push_back(object);
  return Status::ok();
}

Status Walker::visitObject(uint64_t rel) {
  if (!objects_.insert(rel).second)
    return Status::ok();
  uint64_t at = abs(rel);
  std::string what = "object header at offset " + num(at);
  std::vector<uint8_t> head;
  if (!peek(at, 16, head))
    return corrupt(what + ": outside the file");
  std::vector<std::pair<uint64_t, uint64_t>> chunks;
  std::vector<uint8_t> chunk;
  if (std::memcmp(head.data(), "OHDR", 4) == 0) {
    if (head[4] != 2)
      return corrupt(what + ": OHDR of version " + num(head[4]));
    unsigned flags = head[5];
    uint64_t prefix = 6 + ((flags & 0x20) ? 16 : 0) + ((flags & 0x10) ? 4 : 0);
    unsigned width = 1u << (flags & 3);
    std::vector<uint8_t> pre;
    if (!peek(at, prefix + width, pre))
      return corrupt(what + ": truncated prefix");
    Cursor c{pre.data() + prefix, pre.data() + pre.size()};
    uint64_t len = c.get(width);
    uint64_t start = at + prefix + width;
    // The messages, then a 4-byte checksum.
    if (!fits(start, len) || size_ - start - len < 4)
      return corrupt(what + ": its first chunk claims " + num(len) +
                     " bytes at offset " + num(start));
    if (!load(start, len, chunk))
      return corrupt(what + ": metadata larger than the file");
    SNNRT_TRY(parseMessages(at, chunk.data(), len, 2, flags & 0x04, chunks));
  } else if (head[0] == 1) {
    uint64_t len = uint64_t(head[8]) | uint64_t(head[9]) << 8 |
                   uint64_t(head[10]) << 16 | uint64_t(head[11]) << 24;
    if (!fits(at + 16, len))
      return corrupt(what + ": its first chunk claims " + num(len) +
                     " bytes at offset " + num(at + 16));
    if (!load(at + 16, len, chunk))
      return corrupt(what + ": metadata larger than the file");
    SNNRT_TRY(parseMessages(at, chunk.data(), len, 1, false, chunks));
  } else {
    return corrupt(what + ": neither version 1 nor 2");
  }
  // Continuation chunks, each once (a cycle would never end).
  while (!chunks.empty()) {
    auto [cat, clen] = chunks.back();
    chunks.pop_back();
    if (!chunks_.insert(cat).second)
      return corrupt(what + ": continuation chunk at offset " + num(cat) +
                     " is used twice");
    if (!load(cat, clen, chunk))
      return corrupt(what + ": metadata larger than the file");
    bool v2 = std::memcmp(head.data(), "OHDR", 4) == 0;
    if (v2) {
      if (clen < 8 || std::memcmp(chunk.data(), "OCHK", 4) != 0)
        return corrupt(what + ": continuation chunk at offset " + num(cat) +
                       " has no OCHK signature");
      SNNRT_TRY(parseMessages(at, chunk.data() + 4, clen - 8, 2, head[5] & 0x04,
                              chunks));
    } else {
      SNNRT_TRY(parseMessages(at, chunk.data(), clen, 1, false, chunks));
    }
  }
  return Status::ok();
}

Status
Walker::parseMessages(uint64_t objectAt, const uint8_t *p, uint64_t n,
                      int version, bool crtOrder,
                      std::vector<std::pair<uint64_t, uint64_t>> &chunks) {
  Cursor c{p, p + n};
  unsigned headSize = version == 1 ? 8 : (crtOrder ? 6 : 4);
  while (c.left() >= headSize) {
    unsigned type, flags;
    uint64_t len;
    if (version == 1) {
      type = unsigned(c.get(2));
      len = c.get(2);
      flags = unsigned(c.get(1));
      c.skip(3);
    } else {
      type = unsigned(c.get(1));
      len = c.get(2);
      flags = unsigned(c.get(1));
      if (crtOrder)
        c.skip(2);
    }
    if (len > c.left())
      return corrupt("object header at offset " + num(objectAt) +
                     ": a message claims " + num(len) +
                     " bytes, its chunk has " + num(c.left()));
    // HDF5 1.10 decodes these messages from their first byte without
    // checking their declared size (a continuation of size 0 is read from
    // the bytes after it), nor the "shared" flag of a kind that cannot be
    // shared: read them the same way, up to the end of the chunk.
    (void)flags;
    Cursor body{c.p, c.end};
    c.skip(len);
    SNNRT_TRY(message(objectAt, type, body, chunks));
  }
  return Status::ok();
}

Status Walker::message(uint64_t objectAt, unsigned type, Cursor c,
                       std::vector<std::pair<uint64_t, uint64_t>> &chunks) {
  std::string what = "object header at offset " + num(objectAt);
  switch (type) {
  case 0x02: { // link info: a group's links in dense storage
    unsigned version = unsigned(c.get(1));
    unsigned flags = unsigned(c.get(1));
    if (flags & 1)
      c.skip(8);
    uint64_t heap = c.get(so_), tree = c.get(so_);
    if (!c.ok || version != 0)
      return corrupt(what + ": malformed link info message");
    // The fractal heap and v2 B-tree carry checksums; they are not walked
    // here, only placed (fuzz/README.md).
    for (uint64_t a : {heap, tree})
      if (!undefined(a) && !fits(abs(a), 16))
        return corrupt(what + ": dense link storage at offset " + num(abs(a)) +
                       " lies outside the file");
    return Status::ok();
  }
  case 0x06:
    return linkMessage(objectAt, c);
  case 0x07:
    return refuse(what + ": a dataset stored in external files");
  case 0x08:
    return layout(objectAt, c);
  case 0x10: { // continuation
    uint64_t rel = c.get(so_), len = c.get(sl_);
    if (!c.ok)
      return corrupt(what + ": malformed continuation message");
    uint64_t at = abs(rel);
    if (undefined(rel) || !fits(at, len))
      return corrupt(what + ": continuation claims " + num(len) +
                     " bytes at offset " + num(at));
    chunks.emplace_back(at, len);
    return Status::ok();
  }
  case 0x11: { // symbol table: an old-style group
    uint64_t tree = c.get(so_), heapAt = c.get(so_);
    if (!c.ok)
      return corrupt(what + ": malformed symbol table message");
    const LocalHeap *heap = nullptr;
    SNNRT_TRY(localHeap(heapAt, &heap));
    trees_.emplace_back(tree, heapAt);
    return Status::ok();
  }
  default:
    return Status::ok();
  }
}

Status Walker::linkMessage(uint64_t objectAt, Cursor c) {
  std::string what = "object header at offset " + num(objectAt);
  unsigned version = unsigned(c.get(1));
  unsigned flags = unsigned(c.get(1));
  unsigned linkType = (flags & 0x08) ? unsigned(c.get(1)) : 0;
  if (flags & 0x04)
    c.skip(8);
  if (flags & 0x10)
    c.skip(1);
  uint64_t nameLen = c.get(1u << (flags & 3));
  c.skip(nameLen);
  if (!c.ok || version != 1)
    return corrupt(what + ": malformed link message");
  if (linkType == 0) {
    uint64_t target = c.get(so_);
    if (!c.ok)
      return corrupt(what + ": malformed hard link");
    if (!undefined(target))
      pending_.push_back(target);
  } else if (linkType == 64) {
    return refuse(what + ": an external link to another file");
  }
  return Status::ok();
}

Status Walker::layout(uint64_t objectAt, Cursor c) {
  std::string what = "dataset at offset " + num(objectAt);
  unsigned version = unsigned(c.get(1));
  if (version < 3) {
    // Versions 1 and 2 (HDF5 1.4 and older): address, no size; the reader
    // checks a contiguous extent against the file (checkClaimedSize).
    unsigned dims = unsigned(c.get(1));
    unsigned cls = unsigned(c.get(1));
    c.skip(5);
    uint64_t addr = cls != 0 ? c.get(so_) : 0;
    if (!c.ok)
      return corrupt(what + ": malformed layout message");
    if (cls == 2 && !undefined(addr))
      return chunkTree(objectAt, addr, dims);
    return Status::ok();
  }
  unsigned cls = unsigned(c.get(1));
  if (cls == 3)
    return refuse(what + ": a virtual dataset (its data lives in other files)");
  if (cls == 1) { // contiguous
    uint64_t addr = c.get(so_), len = c.get(sl_);
    if (!c.ok)
      return corrupt(what + ": malformed layout message");
    if (!undefined(addr) && !fits(abs(addr), len))
      return corrupt(what + ": contiguous data claims " + num(len) +
                     " bytes at offset " + num(abs(addr)));
    return Status::ok();
  }
  if (cls != 2)
    return Status::ok(); // compact: the data is in the message itself
  if (version == 3) {
    unsigned dims = unsigned(c.get(1));
    uint64_t addr = c.get(so_);
    if (!c.ok)
      return corrupt(what + ": malformed layout message");
    return undefined(addr) ? Status::ok() : chunkTree(objectAt, addr, dims);
  }
  // Version 4: the index is one of five kinds; single-chunk datasets keep
  // the chunk's place here. The others (fixed and extensible arrays, v2
  // B-trees) carry checksums and are only placed.
  unsigned flags = unsigned(c.get(1));
  unsigned dims = unsigned(c.get(1));
  unsigned width = unsigned(c.get(1));
  if (!c.ok || width == 0 || width > 8)
    return corrupt(what + ": malformed layout message");
  uint64_t bytes = 1;
  for (unsigned i = 0; i < dims; ++i)
    if (__builtin_mul_overflow(bytes, c.get(width), &bytes))
      bytes = UINT64_MAX;
  unsigned index = unsigned(c.get(1));
  uint64_t len = bytes;
  if (index == 1 && (flags & 0x02)) {
    len = c.get(sl_);
    c.skip(4);
  } else if (index == 3) {
    c.skip(1);
  } else if (index == 4) {
    c.skip(5);
  } else if (index == 5) {
    c.skip(6);
  }
  uint64_t addr = c.get(so_);
  if (!c.ok)
    return corrupt(what + ": malformed layout message");
  if (undefined(addr))
    return Status::ok();
  if (index == 1 && !fits(abs(addr), len))
    return corrupt(what + ": its chunk claims " + num(len) +
                   " bytes at offset " + num(abs(addr)));
  if (index != 1 && index != 2 && !fits(abs(addr), 16))
    return corrupt(what + ": its chunk index at offset " + num(abs(addr)) +
                   " lies outside the file");
  return Status::ok();
}

Status Walker::localHeap(uint64_t rel, const LocalHeap **out) {
  auto it = heaps_.find(rel);
  if (it != heaps_.end()) {
    *out = &it->second;
    return Status::ok();
  }
  uint64_t at = abs(rel);
  std::string what = "local heap at offset " + num(at);
  std::vector<uint8_t> head;
  uint64_t headLen = 8 + 2 * sl_ + so_;
  if (undefined(rel) || !peek(at, headLen, head))
    return corrupt(what + ": outside the file");
  if (std::memcmp(head.data(), "HEAP", 4) != 0 || head[4] != 0)
    return corrupt(what + ": no HEAP signature of version 0");
  Cursor c{head.data() + 8, head.data() + head.size()};
  uint64_t len = c.get(sl_), freeList = c.get(sl_), dataRel = c.get(so_);
  uint64_t dataAt = abs(dataRel);
  if (undefined(dataRel) || !fits(dataAt, len))
    return corrupt(what + " claims " + num(len) + " bytes at offset " +
                   num(dataAt));
  LocalHeap heap;
  heap.at = at;
  if (!load(dataAt, len, heap.data))
    return corrupt(what + ": metadata larger than the file");
  // The free list: blocks of (next offset, size) inside the segment; 1 ends
  // it. HDF5 follows it without a bound on its length.
  const uint64_t kNone = 1;
  uint64_t steps = 0;
  for (uint64_t block = freeList; block != kNone; ++steps) {
    if (block >= len || len - block < 2 * sl_ || steps > len / 8)
      return corrupt(what + ": its free list points to offset " + num(block) +
                     " of its " + num(len) + " bytes");
    Cursor f{heap.data.data() + block, heap.data.data() + len};
    uint64_t next = f.get(sl_), blockLen = f.get(sl_);
    if (next == 0 || blockLen > len - block)
      return corrupt(what + ": a free block at offset " + num(block) +
                     " claims " + num(blockLen) + " bytes of its " + num(len));
    block = next;
  }
  *out = &heaps_.emplace(rel, std::move(heap)).first->second;
  return Status::ok();
}

Status Walker::checkName(const LocalHeap &heap, uint64_t offset,
                         const std::string &where) const {
  // HDF5 1.10 reads names with strcmp/strlen from this offset (only a
  // debug-build assertion checks it).
  if (offset >= heap.data.size() ||
      !std::memchr(heap.data.data() + offset, 0, heap.data.size() - offset))
    return corrupt(where + ": its name at offset " + num(offset) +
                   " is not a string inside the local heap at offset " +
                   num(heap.at) + " (" + num(heap.data.size()) + " bytes)");
  return Status::ok();
}

Status Walker::groupTree(uint64_t rootRel, const LocalHeap &heap) {
  std::vector<uint64_t> pending{rootRel};
  while (!pending.empty()) {
    uint64_t rel = pending.back();
    pending.pop_back();
    if (!nodes_.insert(rel).second)
      continue;
    uint64_t at = abs(rel);
    std::string what = "group B-tree node at offset " + num(at);
    // HDF5 reads whole nodes: 2K children and 2K+1 keys (heap offsets).
    uint64_t len = 8 + 2 * so_ + 2 * uint64_t(groupK_) * (so_ + sl_) + sl_;
    std::vector<uint8_t> node;
    if (undefined(rel) || !fits(at, len) || !load(at, len, node))
      return corrupt(what + " (" + num(len) + " bytes) lies outside the file");
    if (std::memcmp(node.data(), "TREE", 4) != 0 || node[4] != 0)
      return corrupt(what + ": not a group node");
    unsigned level = node[5];
    unsigned used = unsigned(node[6]) | unsigned(node[7]) << 8;
    if (used > 2 * groupK_)
      return corrupt(what + ": " + num(used) + " children, at most " +
                     num(2 * groupK_));
    Cursor c{node.data() + 8 + 2 * so_, node.data() + node.size()};
    for (unsigned i = 0; i <= used; ++i) {
      SNNRT_TRY(checkName(heap, c.get(sl_), what + ", key " + num(i)));
      if (i == used)
        break;
      uint64_t child = c.get(so_);
      if (level > 0)
        pending.push_back(child);
      else
        SNNRT_TRY(symbolNode(child, heap));
    }
  }
  return Status::ok();
}

Status Walker::symbolNode(uint64_t rel, const LocalHeap &heap) {
  if (!nodes_.insert(rel).second)
    return Status::ok();
  uint64_t at = abs(rel);
  std::string what = "symbol table node at offset " + num(at);
  uint64_t entry = 2 * so_ + 24;
  uint64_t len = 8 + 2 * uint64_t(leafK_) * entry;
  std::vector<uint8_t> node;
  if (undefined(rel) || !fits(at, len) || !load(at, len, node))
    return corrupt(what + " (" + num(len) + " bytes) lies outside the file");
  if (std::memcmp(node.data(), "SNOD", 4) != 0 || node[4] != 1)
    return corrupt(what + ": no SNOD signature of version 1");
  unsigned used = unsigned(node[6]) | unsigned(node[7]) << 8;
  if (used > 2 * leafK_)
    return corrupt(what + ": " + num(used) + " entries, at most " +
                   num(2 * leafK_));
  Cursor c{node.data() + 8, node.data() + node.size()};
  for (unsigned i = 0; i < used; ++i)
    SNNRT_TRY(symbolEntry(c, &heap, what + ", entry " + num(i)));
  return Status::ok();
}

Status Walker::chunkTree(uint64_t objectAt, uint64_t rootRel, unsigned dims) {
  // Keys: chunk size (4), filter mask (4), one 8-byte offset per dimension
  // (the layout's dimensionality counts the element size as one).
  uint64_t keyLen = 8 + 8 * uint64_t(dims);
  std::vector<uint64_t> pending{rootRel};
  while (!pending.empty()) {
    uint64_t rel = pending.back();
    pending.pop_back();
    if (!nodes_.insert(rel).second)
      continue;
    uint64_t at = abs(rel);
    std::string what = "chunk B-tree node at offset " + num(at) +
                       " of the dataset at offset " + num(objectAt);
    std::vector<uint8_t> node;
    uint64_t headLen = 8 + 2 * so_;
    if (undefined(rel) || !peek(at, headLen, node))
      return corrupt(what + ": outside the file");
    if (std::memcmp(node.data(), "TREE", 4) != 0 || node[4] != 1)
      return corrupt(what + ": not a chunk node");
    unsigned level = node[5];
    uint64_t used = unsigned(node[6]) | unsigned(node[7]) << 8;
    // Only the used entries: the node's full size depends on a K that
    // newer superblocks keep in their extension.
    uint64_t len = used * (keyLen + so_) + keyLen;
    if (!fits(at + headLen, len) || !load(at + headLen, len, node))
      return corrupt(what + ": " + num(used) + " entries of " +
                     num(keyLen + so_) + " bytes lie outside the file");
    Cursor c{node.data(), node.data() + node.size()};
    for (uint64_t i = 0; i < used; ++i) {
      uint64_t chunkLen = c.get(4);
      c.skip(keyLen - 4);
      uint64_t child = c.get(so_);
      if (level > 0) {
        pending.push_back(child);
      } else if (!fits(abs(child), chunkLen)) {
        return corrupt(what + ": chunk " + num(i) + " claims " + num(chunkLen) +
                       " bytes at offset " + num(abs(child)));
      }
    }
  }
  return Status::ok();
}

} // namespace

Status checkStructure(const std::string &name, uint64_t fileSize,
                      const ReadAt &read) {
  return Walker(name, fileSize, read).run();
}

} // namespace snnrt::h5
