//===- Hdf5Structure.cpp - HDF5 metadata checked before HDF5 --------------===//
//
// Layouts: the HDF5 File Format Specification (version 3), sections II
// (superblock), III.A (v1 and v2 B-trees), III.B (symbol table nodes),
// III.C (symbol table entries), III.D (local heaps), III.G (fractal heaps),
// III.H-III.I (fixed and extensible arrays of chunk indices) and IV (object
// headers and the messages used here: dataspace 0x01, link info 0x02,
// link 0x06, external file list 0x07, data layout 0x08, attribute 0x0C,
// shared message table 0x0F, continuation 0x10, symbol table 0x11, B-tree K
// values 0x13, attribute info 0x15; shared message references). Addresses
// are relative to the superblock's position (HDF5 moves the base address
// there). Checksums: Jenkins' lookup3, as the specification names it.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5Structure.h"

#include <algorithm>
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

uint64_t le(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = n; i-- > 0;)
    v = (v << 8) | p[i];
  return v;
}

/// Bob Jenkins' lookup3 hash ("hashlittle", initial value 0): the checksum
/// of HDF5's metadata blocks from format 1.8 on.
uint32_t lookup3(const uint8_t *k, size_t n) {
  auto rot = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  uint32_t a, b, c;
  a = b = c = 0xdeadbeefu + uint32_t(n);
  auto word = [](const uint8_t *p, size_t avail) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4 && i < avail; ++i)
      v |= uint32_t(p[i]) << (8 * i);
    return v;
  };
  while (n > 12) {
    a += word(k, 4);
    b += word(k + 4, 4);
    c += word(k + 8, 4);
    a -= c, a ^= rot(c, 4), c += b;
    b -= a, b ^= rot(a, 6), a += c;
    c -= b, c ^= rot(b, 8), b += a;
    a -= c, a ^= rot(c, 16), c += b;
    b -= a, b ^= rot(a, 19), a += c;
    c -= b, c ^= rot(b, 4), b += a;
    n -= 12;
    k += 12;
  }
  if (n == 0)
    return c;
  // The last 1-12 bytes, zero-padded.
  a += word(k, n);
  b += n > 4 ? word(k + 4, n - 4) : 0;
  c += n > 8 ? word(k + 8, n - 8) : 0;
  c ^= b, c -= rot(b, 14);
  a ^= c, a -= rot(c, 11);
  b ^= a, b -= rot(a, 25);
  c ^= b, c -= rot(b, 16);
  a ^= c, a -= rot(c, 4);
  b ^= a, b -= rot(a, 14);
  c ^= b, c -= rot(b, 24);
  return c;
}

/// Whether the `n` bytes at `p` are followed by their lookup3 checksum.
bool sumOk(const uint8_t *p, size_t n) {
  return lookup3(p, n) == uint32_t(le(p + n, 4));
}

/// floor(log2(v)) for v > 0.
unsigned log2Floor(uint64_t v) { return 63u - unsigned(__builtin_clzll(v)); }
bool powerOfTwo(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }
/// Bytes HDF5 uses to encode values up to `v` (H5VM_limit_enc_size).
unsigned encSize(uint64_t v) { return (v ? log2Floor(v) : 0) / 8 + 1; }

/// A fractal heap (dense links or attributes) whose blocks were checked:
/// its direct blocks by heap offset, where the heap IDs of its B-trees'
/// records point.
struct FractalHeap {
  uint64_t at = 0;
  unsigned idLen = 0, offSize = 0, lenSize = 0;
  uint64_t maxMan = 0, blockPrefix = 0;
  bool hugeDirect = false;
  unsigned hugeIdSize = 0;
  struct Block {
    uint64_t at, size;
    std::vector<uint8_t> data;
  };
  std::map<uint64_t, Block> blocks;                       // by heap offset
  std::map<uint64_t, std::pair<uint64_t, uint64_t>> huge; // id: (at, len)
};

/// What a dataset's layout needs from its other messages: its dataspace's
/// largest extent (the implicit chunk index is sized by it).
struct ObjectInfo {
  bool haveSpace = false;
  std::vector<uint64_t> maxDims;
  bool implicit = false;
  uint64_t implicitAt = 0;
  std::vector<uint64_t> chunkDims; // the last is the element size
};

class Walker {
public:
  Walker(const std::string &name, uint64_t size, const ReadAt &read)
      : name_(name), size_(size), read_(read) {}
  Status run();
  StructureStats stats;

private:
  Status corrupt(const std::string &what) const {
    return Status::error(name_ + ": corrupted " + what + ", file has " +
                         std::to_string(size_) + " bytes");
  }
  Status refuse(const std::string &what) const {
    return Status::error(name_ + ": " + what +
                         " (snnc reads self-contained HDF5 files only)");
  }
  Status unsupported(const std::string &what) const {
    return Status::error(name_ + ": " + what +
                         " (an HDF5 feature snnc does not read)");
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
    stats.bytesRead += n;
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
  Status message(uint64_t objectAt, unsigned type, Cursor c, uint64_t len,
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
  Status fractalHeap(uint64_t rel, const std::string &owner,
                     const FractalHeap **out);
  Status heapObject(const FractalHeap &heap, const uint8_t *id, unsigned idLen,
                    const std::string &where, std::vector<uint8_t> &out,
                    uint64_t &len);
  Status btree2(uint64_t rel, unsigned type, unsigned recordSize,
                const std::string &owner,
                const std::function<Status(const uint8_t *)> &record);
  Status denseStorage(uint64_t objectAt, Cursor c, bool links);
  Status attribute(uint64_t objectAt, Cursor c, uint64_t len);
  Status sharedMessage(uint64_t objectAt, Cursor c);
  Status boundedMessage(uint64_t objectAt, unsigned type, Cursor c,
                        uint64_t len);
  Status dataspace(Cursor c);
  Status chunkEntry(const std::string &what, const uint8_t *e,
                    unsigned elemSize, bool filtered, uint64_t chunkBytes,
                    uint64_t i);
  bool chunkElemSize(unsigned size, bool filtered) const;
  Status fixedArray(uint64_t objectAt, uint64_t rel, uint64_t chunkBytes);
  Status extensibleArray(uint64_t objectAt, uint64_t rel, uint64_t chunkBytes);
  Status chunkBtree2(uint64_t objectAt, uint64_t rel, uint64_t chunkBytes,
                     unsigned dims);
  Status implicitChunks(uint64_t objectAt);

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
  std::map<uint64_t, FractalHeap> fheaps_;
  ObjectInfo info_; // of the object header being walked
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
    uint64_t len = 12 + 4 * so_ + 4; // and a checksum
    if (!load(at, len, sb))
      return corrupt("superblock at offset " + num(at) + " (" + num(len) +
                     " bytes)");
    if (!sumOk(sb.data(), len - 4))
      return corrupt("superblock at offset " + num(at) + ": checksum mismatch");
    Cursor c{sb.data() + 12, sb.data() + sb.size()};
    c.get(so_); // base
    uint64_t ext = c.get(so_);
    c.get(so_); // end of file
    uint64_t root = c.get(so_);
    // The superblock extension is an object header; it is walked first
    // (the list is a stack) since its B-tree K values size the groups' nodes.
    pending_.push_back(root);
    if (!undefined(ext))
      pending_.push_back(ext);
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
  info_ = ObjectInfo();
  ++stats.objects;
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
    // Read with its prefix and checksum: HDF5 checks the checksum first, and
    // its error paths after a failed load are not all sound.
    uint64_t whole = prefix + width + len;
    if (!load(at, whole + 4, chunk))
      return corrupt(what + ": metadata larger than the file");
    if (!sumOk(chunk.data(), whole))
      return corrupt(what + ": checksum mismatch");
    SNNRT_TRY(parseMessages(at, chunk.data() + prefix + width, len, 2,
                            flags & 0x04, chunks));
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
      if (!sumOk(chunk.data(), clen - 4))
        return corrupt(what + ": continuation chunk at offset " + num(cat) +
                       ": checksum mismatch");
      SNNRT_TRY(parseMessages(at, chunk.data() + 4, clen - 8, 2, head[5] & 0x04,
                              chunks));
    } else {
      SNNRT_TRY(parseMessages(at, chunk.data(), clen, 1, false, chunks));
    }
  }
  // The implicit chunk index is sized by the dataspace, which may come
  // after the layout message.
  return info_.implicit ? implicitChunks(at) : Status::ok();
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
    Cursor body{c.p, c.end};
    c.skip(len);
    bool shareable = type == 0x01 || type == 0x03 || type == 0x05 ||
                     type == 0x0b || type == 0x0c;
    if ((flags & 0x02) && shareable)
      SNNRT_TRY(sharedMessage(objectAt, body));
    else
      SNNRT_TRY(message(objectAt, type, body, len, chunks));
  }
  return Status::ok();
}

/// HDF5 1.10 copies the names inside a datatype (compound members, enum
/// members, an opaque type's tag) with strdup straight out of the message:
/// a name without its NUL inside the message runs past it
/// (heap-buffer-overflow in H5MM_xstrdup, found by fuzz-shd on 7 Dec).
/// Returns false for such a name; a layout it cannot follow is left to
/// HDF5's own decoding (true).
static bool datatypeNamesTerminated(Cursor &c, int depth) {
  if (depth > 16)
    return true;
  const uint64_t head = c.get(4);
  const uint64_t size = c.get(4);
  if (!c.ok)
    return true;
  const unsigned cls = head & 0x0f, version = (head >> 4) & 0x0f;
  const uint32_t bits = uint32_t(head >> 8);
  // 1: a terminated name skipped; 0: no NUL before the message ends.
  auto name = [&](bool padded) {
    const void *nul = std::memchr(c.p, 0, c.left());
    if (!nul)
      return false;
    uint64_t n = uint64_t(static_cast<const uint8_t *>(nul) - c.p) + 1;
    c.skip(padded ? (n + 7) / 8 * 8 : n);
    return true;
  };
  switch (cls) {
  case 5: { // opaque: a NUL-terminated tag of (bits & 0xff) bytes
    const uint64_t tag = bits & 0xff;
    return tag == 0 || std::memchr(c.p, 0, std::min<uint64_t>(tag, c.left()));
  }
  case 6: { // compound
    for (unsigned i = 0, n = bits & 0xffff; i < n; ++i) {
      if (!name(version < 3))
        return false;
      if (version < 3)
        c.skip(version == 1 ? 4 + 28 : 4);
      else
        c.skip(size < 256 ? 1 : size < 65536 ? 2 : size < (1u << 24) ? 3 : 4);
      if (!c.ok)
        return true;
      if (!datatypeNamesTerminated(c, depth + 1))
        return false;
      if (!c.ok)
        return true;
    }
    return true;
  }
  case 8: { // enum: the base type, then the names
    if (!datatypeNamesTerminated(c, depth + 1))
      return false;
    for (unsigned i = 0, n = bits & 0xffff; i < n && c.ok; ++i)
      if (!name(version < 3))
        return false;
    return true;
  }
  case 9: // variable-length: its base type
    return datatypeNamesTerminated(c, depth + 1);
  case 10: { // array: dimensions (and, before version 3, a permutation)
    const unsigned dims = unsigned(c.get(1));
    if (version < 3)
      c.skip(3 + 4 * uint64_t(dims));
    c.skip(4 * uint64_t(dims));
    return !c.ok || datatypeNamesTerminated(c, depth + 1);
  }
  default: // numbers, strings, references, time: no names
    return true;
  }
}

Status Walker::message(uint64_t objectAt, unsigned type, Cursor c, uint64_t len,
                       std::vector<std::pair<uint64_t, uint64_t>> &chunks) {
  std::string what = "object header at offset " + num(objectAt);
  switch (type) {
  case 0x01:
    return dataspace(c);
  case 0x03: { // datatype
    Cursor d = c;
    if (d.left() > len)
      d.end = d.p + len;
    if (!datatypeNamesTerminated(d, 0))
      return corrupt(what + ": a datatype whose member name or tag has no "
                            "terminating NUL inside the message");
    return Status::ok();
  }
  case 0x02: // link info: a group's links in dense storage
    return denseStorage(objectAt, c, true);
  case 0x0c:
    return attribute(objectAt, c, len);
  case 0x04: // fill value (old)
  case 0x05: // fill value
  case 0x0b: // filter pipeline
  case 0x0d: // comment
    return boundedMessage(objectAt, type, c, len);
  case 0x15: // attribute info: an object's attributes in dense storage
    return denseStorage(objectAt, c, false);
  case 0x0f: // shared message table (superblock extension)
    // Shared messages live in a heap of their own that HDF5 reads on demand;
    // h5py and snnc never write them.
    return unsupported(what + ": shared object header messages");
  case 0x13: { // B-tree K values (superblock extension)
    unsigned version = unsigned(c.get(1));
    c.get(2); // chunk B-trees: their nodes are read by their used entries
    unsigned groupK = unsigned(c.get(2)), leafK = unsigned(c.get(2));
    if (!c.ok || version != 0 || groupK == 0 || leafK == 0)
      return corrupt(what + ": malformed B-tree K values message");
    groupK_ = groupK;
    leafK_ = leafK;
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
  // Read as HDF5 1.10 decodes it, refusing what it would fail on: a group's
  // dense links are decoded into a table whose error path frees garbage.
  std::string what = "object header at offset " + num(objectAt);
  unsigned version = unsigned(c.get(1));
  unsigned flags = unsigned(c.get(1));
  unsigned linkType = (flags & 0x08) ? unsigned(c.get(1)) : 0;
  if (flags & 0x04)
    c.skip(8);
  unsigned cset = (flags & 0x10) ? unsigned(c.get(1)) : 0;
  uint64_t nameLen = c.get(1u << (flags & 3));
  c.skip(nameLen);
  if (!c.ok || version != 1 || (flags & ~0x1fu) || cset > 1 || nameLen == 0 ||
      (linkType > 1 && linkType < 64))
    return corrupt(what + ": malformed link message");
  if (linkType == 0) {
    uint64_t target = c.get(so_);
    if (!c.ok)
      return corrupt(what + ": malformed hard link");
    if (!undefined(target))
      pending_.push_back(target);
    return Status::ok();
  }
  uint64_t valueLen = c.get(2);
  c.skip(valueLen);
  if (!c.ok || (linkType == 1 && valueLen == 0))
    return corrupt(what + ": malformed " +
                   std::string(linkType == 1 ? "soft" : "external") + " link");
  if (linkType == 64)
    return refuse(what + ": an external link to another file");
  if (linkType > 64)
    return refuse(what + ": a user-defined link");
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
  std::vector<uint64_t> chunkDims;
  for (unsigned i = 0; i < dims; ++i) {
    chunkDims.push_back(c.get(width));
    if (__builtin_mul_overflow(bytes, chunkDims.back(), &bytes))
      bytes = UINT64_MAX;
  }
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
  switch (index) {
  case 1: // single chunk
    ++stats.chunks;
    if (!fits(abs(addr), len))
      return corrupt(what + ": its chunk claims " + num(len) +
                     " bytes at offset " + num(abs(addr)));
    return Status::ok();
  case 2: { // implicit: the chunks one after the other
    info_.implicit = true;
    info_.implicitAt = abs(addr);
    info_.chunkDims = chunkDims;
    return Status::ok();
  }
  case 3:
    return fixedArray(objectAt, addr, bytes);
  case 4:
    return extensibleArray(objectAt, addr, bytes);
  case 5:
    return chunkBtree2(objectAt, addr, bytes, dims);
  default:
    return corrupt(what + ": chunk index of type " + num(index));
  }
}

Status Walker::chunkBtree2(uint64_t objectAt, uint64_t rel, uint64_t chunkBytes,
                           unsigned dims) {
  std::string what =
      "v2 B-tree chunk index of the dataset at offset " + num(objectAt);
  std::vector<uint8_t> head;
  if (!peek(abs(rel), 12, head))
    return corrupt(what + ": outside the file");
  // Records: the chunk's address, (filtered: its size and filter mask),
  // its scaled offset in each dimension but the element's. HDF5 1.10 sizes
  // a filtered chunk's size field by the chunk (1 + (log2(bytes) + 8) / 8
  // bytes), newer writers use 8: take it from the record size.
  bool filtered = head[5] == 11;
  unsigned rec = unsigned(le(head.data() + 10, 2));
  uint64_t fixed = so_ + 8 * uint64_t(dims > 0 ? dims - 1 : 0);
  unsigned elem = so_;
  if (filtered) {
    if (rec < fixed + 5 || rec > fixed + 12)
      return corrupt(what + ": records of " + num(rec) + " bytes for " +
                     num(dims) + " dimensions");
    elem = unsigned(rec - fixed + so_);
  } else {
    rec = unsigned(fixed);
  }
  uint64_t i = 0;
  return btree2(rel, filtered ? 11 : 10, rec,
                "chunks of the dataset at offset " + num(objectAt),
                [&](const uint8_t *r) {
                  return chunkEntry(what, r, elem, filtered, chunkBytes, i++);
                });
}

Status Walker::implicitChunks(uint64_t objectAt) {
  std::string what = "dataset at offset " + num(objectAt);
  if (!info_.haveSpace || info_.maxDims.size() + 1 != info_.chunkDims.size())
    return corrupt(what + ": an implicit chunk index without a matching "
                          "dataspace");
  uint64_t total = info_.chunkDims.back();
  for (size_t i = 0; i < info_.maxDims.size(); ++i) {
    uint64_t c = info_.chunkDims[i];
    uint64_t n = c == 0 ? UINT64_MAX
                        : info_.maxDims[i] / c + (info_.maxDims[i] % c != 0);
    if (__builtin_mul_overflow(total, n, &total) ||
        __builtin_mul_overflow(total, c, &total))
      total = UINT64_MAX;
    if (total == UINT64_MAX)
      break;
  }
  if (!fits(info_.implicitAt, total))
    return corrupt(what + ": its chunks claim " + num(total) +
                   " bytes at offset " + num(info_.implicitAt));
  return Status::ok();
}

/// A dataspace message: its largest extent (for the implicit chunk index).
Status Walker::dataspace(Cursor c) {
  unsigned version = unsigned(c.get(1));
  unsigned rank = unsigned(c.get(1));
  unsigned flags = unsigned(c.get(1));
  c.skip(version == 1 ? 5 : 1);
  std::vector<uint64_t> dims(rank), maxDims(rank);
  for (auto &d : dims)
    d = c.get(sl_);
  maxDims = dims;
  if (flags & 1)
    for (auto &d : maxDims)
      d = c.get(sl_);
  if (!c.ok || rank > 32)
    return Status::ok(); // HDF5 refuses a malformed dataspace itself
  info_.haveSpace = true;
  info_.maxDims = maxDims;
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
  ++stats.heapBlocks;
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
    ++stats.treeNodes;
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
  ++stats.treeNodes;
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
    ++stats.treeNodes;
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
      } else if (++stats.chunks, !fits(abs(child), chunkLen)) {
        return corrupt(what + ": chunk " + num(i) + " claims " + num(chunkLen) +
                       " bytes at offset " + num(abs(child)));
      }
    }
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Dense storage (format 1.8+): fractal heaps and v2 B-trees. HDF5 sizes
// tables and node buffers from their headers' fields (a doubling table of
// "max heap size" rows, a node of "node size" bytes) before it compares them
// with the file; the checksums stop random corruption, not a crafted file.
//===----------------------------------------------------------------------===//

Status Walker::fractalHeap(uint64_t rel, const std::string &owner,
                           const FractalHeap **out) {
  auto cached = fheaps_.find(rel);
  if (cached != fheaps_.end()) {
    *out = &cached->second;
    return Status::ok();
  }
  uint64_t at = abs(rel);
  std::string what = "fractal heap at offset " + num(at) + " (" + owner + ")";
  // 22 bytes of fixed-size fields, 12 lengths, 3 addresses.
  uint64_t len = 22 + 12 * uint64_t(sl_) + 3 * uint64_t(so_);
  std::vector<uint8_t> head;
  if (undefined(rel) || !fits(at, len + 4) || !load(at, len + 4, head))
    return corrupt(what + ": outside the file");
  if (std::memcmp(head.data(), "FRHP", 4) != 0 || head[4] != 0)
    return corrupt(what + ": no FRHP signature of version 0");
  if (!sumOk(head.data(), len))
    return corrupt(what + ": checksum mismatch");
  Cursor c{head.data() + 5, head.data() + head.size()};
  FractalHeap h;
  h.at = at;
  h.idLen = unsigned(c.get(2));
  unsigned filterLen = unsigned(c.get(2));
  unsigned flags = unsigned(c.get(1));
  h.maxMan = c.get(4);
  c.get(sl_); // next huge object ID
  uint64_t hugeTree = c.get(so_);
  c.get(sl_); // free space
  c.get(so_); // free-space manager
  uint64_t manSize = c.get(sl_);
  c.skip(7 * uint64_t(sl_)); // allocated, iterator, counts and sizes
  uint64_t width = c.get(2);
  uint64_t start = c.get(sl_);
  uint64_t maxDirect = c.get(sl_);
  unsigned maxIndex = unsigned(c.get(2));
  unsigned startRows = unsigned(c.get(2));
  uint64_t root = c.get(so_);
  unsigned rootRows = unsigned(c.get(2));
  if (!c.ok)
    return corrupt(what + ": truncated header");
  if (filterLen != 0)
    return unsupported(what + ": compressed dense storage");
  // The doubling table: rows of `width` blocks, the first two rows of
  // `start` bytes, each further row twice the last; direct blocks up to
  // `maxDirect`, indirect blocks (tables of child blocks) beyond.
  if (!powerOfTwo(width) || !powerOfTwo(start) || !powerOfTwo(maxDirect) ||
      start > maxDirect || maxDirect > (uint64_t(1) << 31))
    return corrupt(what + ": table width " + num(width) + ", block sizes " +
                   num(start) + " to " + num(maxDirect) +
                   " (powers of two, at most 2 GiB, expected)");
  unsigned startBits = log2Floor(start),
           firstRowBits = startBits + log2Floor(width);
  unsigned maxDirectBits = log2Floor(maxDirect);
  if (maxIndex < firstRowBits || maxIndex < maxDirectBits ||
      maxIndex > 8 * sl_ || maxIndex > 63)
    return corrupt(what + ": claims a heap of 2^" + num(maxIndex) +
                   " bytes, its table starts with rows of 2^" +
                   num(firstRowBits));
  unsigned maxRows = maxIndex - firstRowBits + 1;
  unsigned maxDirectRows = maxDirectBits - startBits + 2;
  if (startRows > maxRows || rootRows > maxRows)
    return corrupt(what + ": its root block claims " +
                   num(std::max(startRows, rootRows)) + " rows, at most " +
                   num(maxRows));
  h.offSize = (maxIndex + 7) / 8;
  h.lenSize = std::min((maxDirectBits + 7) / 8, encSize(h.maxMan));
  if (h.maxMan == 0 || h.maxMan > maxDirect || h.idLen > 4096 ||
      h.idLen < 1 + h.offSize + h.lenSize)
    return corrupt(what + ": heap IDs of " + num(h.idLen) +
                   " bytes for objects up to " + num(h.maxMan) +
                   " bytes in a heap of 2^" + num(maxIndex));
  h.blockPrefix = 5 + so_ + h.offSize + ((flags & 0x02) ? 4 : 0);
  if (start < h.blockPrefix)
    return corrupt(what + ": blocks of " + num(start) +
                   " bytes cannot hold their own header");
  if (uint64_t(h.idLen) >= 1 + uint64_t(so_) + sl_) {
    h.hugeDirect = true;
  } else {
    h.hugeIdSize = std::min(h.idLen - 1, 8u);
  }
  auto rowSize = [&](unsigned row) {
    return row == 0 ? start : start << (row - 1);
  };
  auto rowOffset = [&](unsigned row) {
    return row == 0 ? 0 : (start * width) << (row - 1);
  };
  // (address, heap offset, rows; 0 rows: a direct block of `size`)
  struct Pending {
    uint64_t rel, offset, size;
    unsigned rows;
  };
  std::vector<Pending> blocks;
  if (!undefined(root)) {
    if (rootRows == 0)
      blocks.push_back({root, 0, start, 0});
    else
      blocks.push_back({root, 0, 0, rootRows});
  }
  std::vector<uint8_t> block;
  while (!blocks.empty()) {
    Pending b = blocks.back();
    blocks.pop_back();
    uint64_t bat = abs(b.rel);
    if (!nodes_.insert(bat).second)
      return corrupt(what + ": block at offset " + num(bat) + " is used twice");
    ++stats.heapBlocks;
    if (b.rows == 0) {
      std::string dwhat = what + ": direct block at offset " + num(bat);
      if (!fits(bat, b.size) || !load(bat, b.size, block))
        return corrupt(dwhat + " (" + num(b.size) +
                       " bytes) lies outside the file");
      if (std::memcmp(block.data(), "FHDB", 4) != 0 || block[4] != 0 ||
          le(block.data() + 5, so_) != rel ||
          le(block.data() + 5 + so_, h.offSize) != b.offset)
        return corrupt(dwhat + ": not the block of heap offset " +
                       num(b.offset));
      if (flags & 0x02) {
        // The checksum sits in the block's header and covers the whole
        // block with itself zeroed. HDF5 1.10 frees garbage after a failed
        // direct block while it builds a table of a group's dense links.
        size_t sumAt = 5 + so_ + h.offSize;
        uint32_t stored = uint32_t(le(block.data() + sumAt, 4));
        std::memset(block.data() + sumAt, 0, 4);
        if (lookup3(block.data(), block.size()) != stored)
          return corrupt(dwhat + ": checksum mismatch");
      }
      h.blocks[b.offset] = {bat, b.size, std::move(block)};
      block.clear();
      continue;
    }
    std::string iwhat = what + ": indirect block at offset " + num(bat);
    unsigned direct = std::min(b.rows, maxDirectRows);
    uint64_t entries = uint64_t(b.rows) * width;
    uint64_t ilen = 5 + so_ + h.offSize + entries * so_ + 4;
    if (!fits(bat, ilen) || !load(bat, ilen, block))
      return corrupt(iwhat + ": " + num(b.rows) + " rows of " + num(width) +
                     " entries lie outside the file");
    if (std::memcmp(block.data(), "FHIB", 4) != 0 || block[4] != 0 ||
        le(block.data() + 5, so_) != rel ||
        le(block.data() + 5 + so_, h.offSize) != b.offset)
      return corrupt(iwhat + ": not the block of heap offset " + num(b.offset));
    if (!sumOk(block.data(), ilen - 4))
      return corrupt(iwhat + ": checksum mismatch");
    const uint8_t *e = block.data() + 5 + so_ + h.offSize;
    for (unsigned row = 0; row < b.rows; ++row) {
      for (uint64_t col = 0; col < width; ++col, e += so_) {
        uint64_t child = le(e, so_);
        if (undefined(child))
          continue;
        uint64_t offset = b.offset + rowOffset(row) + col * rowSize(row);
        if (row < direct) {
          blocks.push_back({child, offset, rowSize(row), 0});
          continue;
        }
        // An indirect block spanning this entry's bytes: as many rows as
        // its span needs (fewer than its parent's).
        unsigned bits = log2Floor(rowSize(row));
        if (bits + 1 <= firstRowBits || bits + 1 - firstRowBits >= b.rows)
          return corrupt(iwhat + ": row " + num(row) + " of a table " +
                         num(width) +
                         " blocks wide cannot hold indirect blocks");
        blocks.push_back({child, offset, 0, bits + 1 - firstRowBits});
      }
    }
  }
  (void)manSize;
  if (!undefined(hugeTree)) {
    // Objects larger than the managed maximum, stored outside the heap.
    unsigned type = h.hugeDirect ? 3 : 1;
    unsigned rec = type == 3 ? so_ + sl_ : so_ + 2 * sl_;
    FractalHeap *hp = &h;
    SNNRT_TRY(btree2(hugeTree, type, rec, what + "'s huge objects",
                     [&](const uint8_t *r) -> Status {
                       uint64_t addr = le(r, so_), n = le(r + so_, sl_);
                       if (!fits(abs(addr), n))
                         return corrupt(what + ": a huge object claims " +
                                        num(n) + " bytes at offset " +
                                        num(abs(addr)));
                       if (type == 1)
                         hp->huge[le(r + so_ + sl_, sl_)] = {abs(addr), n};
                       return Status::ok();
                     }));
  }
  *out = &fheaps_.emplace(rel, std::move(h)).first->second;
  return Status::ok();
}

Status Walker::heapObject(const FractalHeap &h, const uint8_t *id,
                          unsigned idLen, const std::string &where,
                          std::vector<uint8_t> &out, uint64_t &objectLen) {
  std::string what =
      where + ": heap ID in the fractal heap at offset " + num(h.at);
  if (idLen > h.idLen)
    idLen = h.idLen;
  unsigned type = (id[0] >> 4) & 3;
  if ((id[0] & 0xc0) != 0 || type == 3)
    return corrupt(what + ": heap ID of version " + num(id[0] >> 6) +
                   ", type " + num(type));
  if (type == 0) {
    if (idLen < 1 + h.offSize + h.lenSize)
      return corrupt(what + ": heap IDs of " + num(idLen) + " bytes");
    uint64_t off = le(id + 1, h.offSize);
    uint64_t len = le(id + 1 + h.offSize, h.lenSize);
    auto it = h.blocks.upper_bound(off);
    if (it == h.blocks.begin())
      return corrupt(what + " claims " + num(len) + " bytes at heap offset " +
                     num(off) + ", in no block of the heap");
    --it;
    uint64_t inBlock = off - it->first;
    const auto &b = it->second;
    if (len == 0 || inBlock < h.blockPrefix || inBlock >= b.size ||
        len > b.size - inBlock || len > h.maxMan)
      return corrupt(what + " claims " + num(len) + " bytes at heap offset " +
                     num(off) + ", its block holds " + num(b.size) +
                     " bytes from heap offset " + num(it->first));
    ++stats.heapObjects;
    objectLen = len;
    out.assign(b.data.begin() + long(inBlock),
               b.data.begin() + long(inBlock + len));
    return Status::ok();
  }
  if (type == 2) { // tiny: the object is in the ID
    bool extended = h.idLen > 18;
    uint64_t len = (id[0] & 0x0f) + 1;
    unsigned head = 1;
    if (extended) {
      len = ((uint64_t(id[0] & 0x0f) << 8) | id[1]) + 1;
      head = 2;
    }
    if (len > uint64_t(idLen) - head)
      return corrupt(what + ": a tiny object of " + num(len) +
                     " bytes in an ID of " + num(idLen));
    ++stats.heapObjects;
    objectLen = len;
    out.assign(id + head, id + head + len);
    return Status::ok();
  }
  // Huge: address and length in the ID, or an index into the huge tree.
  uint64_t addr, len;
  if (h.hugeDirect) {
    if (idLen < 1 + so_ + sl_)
      return corrupt(what + ": heap IDs of " + num(idLen) + " bytes");
    addr = abs(le(id + 1, so_));
    len = le(id + 1 + so_, sl_);
  } else {
    auto it = h.huge.find(le(id + 1, std::min(h.hugeIdSize, idLen - 1)));
    if (it == h.huge.end())
      return corrupt(what + ": names a huge object the heap does not hold");
    addr = it->second.first;
    len = it->second.second;
  }
  // Only its first 256 KiB: what a link or an attribute's header needs
  // (an attribute's data may be large and is not read here).
  objectLen = len;
  if (!fits(addr, len) ||
      !load(addr, std::min<uint64_t>(len, uint64_t(256) << 10), out))
    return corrupt(what + ": a huge object claims " + num(len) +
                   " bytes at offset " + num(addr));
  ++stats.heapObjects;
  return Status::ok();
}

Status Walker::btree2(uint64_t rel, unsigned type, unsigned recordSize,
                      const std::string &owner,
                      const std::function<Status(const uint8_t *)> &record) {
  uint64_t at = abs(rel);
  std::string what = "v2 B-tree at offset " + num(at) + " (" + owner + ")";
  uint64_t len = 16 + so_ + 2 + sl_ + 4;
  std::vector<uint8_t> head;
  if (undefined(rel) || !fits(at, len) || !load(at, len, head))
    return corrupt(what + ": outside the file");
  if (std::memcmp(head.data(), "BTHD", 4) != 0 || head[4] != 0)
    return corrupt(what + ": no BTHD signature of version 0");
  if (!sumOk(head.data(), len - 4))
    return corrupt(what + ": checksum mismatch");
  Cursor c{head.data() + 5, head.data() + head.size()};
  unsigned kind = unsigned(c.get(1));
  uint64_t nodeSize = c.get(4);
  unsigned recSize = unsigned(c.get(2));
  unsigned depth = unsigned(c.get(2));
  c.skip(2); // split and merge percentages
  uint64_t root = c.get(so_);
  uint64_t rootRecords = c.get(2);
  uint64_t total = c.get(sl_);
  if (kind != type)
    return corrupt(what + ": records of type " + num(kind) + ", expected " +
                   num(type));
  if (recSize != recordSize)
    return corrupt(what + ": records of " + num(recSize) + " bytes, expected " +
                   num(recordSize));
  // HDF5 allocates a node buffer of `nodeSize` and tables of records per
  // level before reading a node.
  const uint64_t prefix = 10; // signature, version, type, checksum
  if (nodeSize < prefix + recSize || nodeSize > size_)
    return corrupt(what + ": nodes of " + num(nodeSize) + " bytes");
  // Records per node and per subtree at each level (H5B2 header init).
  std::vector<uint64_t> maxRec{(nodeSize - prefix) / recSize};
  std::vector<uint64_t> cumRec{maxRec[0]};
  std::vector<unsigned> cumSize{0};
  unsigned nrecSize = encSize(maxRec[0]);
  for (unsigned d = 1; d <= depth; ++d) {
    uint64_t ptr = so_ + nrecSize + cumSize[d - 1];
    uint64_t m = nodeSize < prefix + ptr
                     ? 0
                     : (nodeSize - prefix - ptr) / (recSize + ptr);
    uint64_t cum;
    if (m == 0 || __builtin_mul_overflow(m + 1, cumRec[d - 1], &cum) ||
        __builtin_add_overflow(cum, m, &cum))
      return corrupt(what + ": depth " + num(depth) + " with nodes of " +
                     num(nodeSize) + " bytes");
    maxRec.push_back(m);
    cumRec.push_back(cum);
    cumSize.push_back(encSize(cum));
  }
  if (rootRecords > maxRec[depth])
    return corrupt(what + ": its root claims " + num(rootRecords) +
                   " records, at most " + num(maxRec[depth]));
  if (rootRecords == 0 && total == 0)
    return Status::ok();
  struct Pending {
    uint64_t rel;
    unsigned depth;
    uint64_t records;
  };
  std::vector<Pending> pending{{root, depth, rootRecords}};
  std::vector<uint8_t> node;
  uint64_t found = 0;
  while (!pending.empty()) {
    Pending n = pending.back();
    pending.pop_back();
    uint64_t nat = abs(n.rel);
    std::string nwhat = what + ": node at offset " + num(nat);
    if (undefined(n.rel) || !nodes_.insert(nat).second)
      return corrupt(nwhat + " is used twice or undefined");
    ++stats.treeNodes;
    if (!fits(nat, nodeSize) || !load(nat, nodeSize, node))
      return corrupt(nwhat + " (" + num(nodeSize) +
                     " bytes) lies outside the file");
    if (std::memcmp(node.data(), n.depth ? "BTIN" : "BTLF", 4) != 0 ||
        node[4] != 0 || node[5] != type)
      return corrupt(nwhat + ": not a " +
                     (n.depth ? std::string("BTIN") : std::string("BTLF")) +
                     " node of type " + num(type));
    // The checksum follows the used part of the node (the counts above
    // keep it inside).
    uint64_t ptr = n.depth ? so_ + nrecSize + cumSize[n.depth - 1] : 0;
    uint64_t used =
        6 + n.records * recSize + (n.depth ? (n.records + 1) * ptr : 0);
    if (!sumOk(node.data(), used))
      return corrupt(nwhat + ": checksum mismatch");
    found += n.records;
    const uint8_t *r = node.data() + 6;
    for (uint64_t i = 0; i < n.records; ++i, r += recSize)
      SNNRT_TRY(record(r));
    if (n.depth == 0)
      continue;
    for (uint64_t i = 0; i <= n.records; ++i) {
      uint64_t child = le(r, so_);
      uint64_t records = le(r + so_, nrecSize);
      r += so_ + nrecSize + cumSize[n.depth - 1];
      if (records > maxRec[n.depth - 1])
        return corrupt(nwhat + ": child " + num(i) + " claims " + num(records) +
                       " records, at most " + num(maxRec[n.depth - 1]));
      pending.push_back({child, n.depth - 1, records});
    }
  }
  // HDF5 1.10 sizes a table of a group's links (or an object's attributes)
  // by the header's count and fills it from the nodes without a bound.
  if (found != total)
    return corrupt(what + ": its header claims " + num(total) +
                   " records, its nodes hold " + num(found));
  return Status::ok();
}

/// Link info (0x02) or attribute info (0x15): a heap and one or two
/// B-trees whose records point into it.
Status Walker::denseStorage(uint64_t objectAt, Cursor c, bool links) {
  std::string what = "object header at offset " + num(objectAt);
  unsigned version = unsigned(c.get(1));
  unsigned flags = unsigned(c.get(1));
  if (flags & 1)
    c.skip(links ? 8 : 2); // largest creation index
  uint64_t heapAt = c.get(so_), nameTree = c.get(so_);
  uint64_t orderTree = (flags & 2) ? c.get(so_) : UINT64_MAX;
  if (!c.ok || version != 0 || (flags & ~3u))
    return corrupt(what + ": malformed " +
                   std::string(links ? "link" : "attribute") + " info message");
  if (undefined(heapAt))
    return Status::ok(); // compact storage
  std::string owner = std::string(links ? "links" : "attributes") +
                      " of the object at offset " + num(objectAt);
  const FractalHeap *heap = nullptr;
  SNNRT_TRY(fractalHeap(heapAt, owner, &heap));
  // Link records: a name hash or creation index, then a 7-byte heap ID;
  // attribute records: an 8-byte heap ID first.
  unsigned idLen = links ? 7 : 8;
  std::vector<uint8_t> object;
  auto visit = [&](unsigned idAt) {
    return [&, idAt](const uint8_t *r) -> Status {
      uint64_t len = 0;
      SNNRT_TRY(heapObject(*heap, r + idAt, idLen, owner, object, len));
      Cursor m{object.data(), object.data() + object.size()};
      return links ? linkMessage(objectAt, m) : attribute(objectAt, m, len);
    };
  };
  if (!undefined(nameTree))
    SNNRT_TRY(btree2(nameTree, links ? 5 : 8, links ? 11 : 17, owner,
                     visit(links ? 4 : 0)));
  if (orderTree != UINT64_MAX && !undefined(orderTree))
    SNNRT_TRY(btree2(orderTree, links ? 6 : 9, links ? 15 : 13, owner,
                     visit(links ? 8 : 0)));
  return Status::ok();
}

/// Messages whose sizes HDF5 1.10 trusts while it decodes them: a fill
/// value's size (allocated, then copied from the message), a filter
/// pipeline's filters, their names (strlen, strdup) and client data, a
/// comment (strdup). Each must lie inside the message.
Status Walker::boundedMessage(uint64_t objectAt, unsigned type, Cursor c,
                              uint64_t len) {
  std::string what = "object header at offset " + num(objectAt);
  if (c.left() > len)
    c.end = c.p + len;
  const char *name = "";
  uint64_t claim = 0; // bytes the message claims beyond what it has read
  switch (type) {
  case 0x04:
    name = "fill value";
    claim = c.get(4);
    break;
  case 0x05: {
    name = "fill value";
    unsigned version = unsigned(c.get(1));
    bool defined;
    if (version == 3) {
      defined = c.get(1) & 0x20;
    } else {
      c.skip(2); // allocation and fill times
      defined = c.get(1) != 0 || version == 1;
    }
    if (defined)
      claim = c.get(4);
    break;
  }
  case 0x0b: {
    name = "filter pipeline";
    unsigned version = unsigned(c.get(1));
    unsigned filters = unsigned(c.get(1));
    if (version == 1)
      c.skip(6);
    if (filters > 32) // HDF5's own limit, checked after it allocates
      return corrupt(what + ": a filter pipeline of " + num(filters) +
                     " filters");
    for (unsigned i = 0; i < filters && c.ok; ++i) {
      unsigned id = unsigned(c.get(2));
      uint64_t nameLen = (version == 1 || id >= 256) ? c.get(2) : 0;
      c.skip(2); // flags
      uint64_t values = c.get(2);
      // HDF5 1.10 measures the name with strlen, then copies it with
      // strdup: without a NUL inside its length both run past the message
      // (heap-buffer-overflow in H5MM_xstrdup, found by fuzz-shd on 7 Dec).
      if (nameLen > 0 && c.ok &&
          !std::memchr(c.p, 0, std::min<uint64_t>(nameLen, c.left())))
        return corrupt(what + ": a filter name without its terminating NUL");
      c.skip(version == 1 ? (nameLen + 7) / 8 * 8 : nameLen);
      c.skip(4 * values);
      if (version == 1 && (values & 1))
        c.skip(4);
    }
    break;
  }
  case 0x0d:
    name = "comment";
    if (!std::memchr(c.p, 0, c.left()))
      return corrupt(what + ": a comment message without its terminating NUL");
    return Status::ok();
  }
  if (!c.ok || claim > c.left())
    return corrupt(what + ": a " + std::string(name) + " message of " +
                   num(len) + " bytes claims " +
                   (claim ? num(claim) + " more" : std::string("more")));
  return Status::ok();
}

/// A shared message: a reference to the object header that holds it (a
/// committed datatype), which HDF5 reads whether or not a link names it.
Status Walker::sharedMessage(uint64_t objectAt, Cursor c) {
  unsigned version = unsigned(c.get(1));
  unsigned type = unsigned(c.get(1));
  if (version == 1)
    c.skip(6);
  if (version == 3 && type == 1)
    return unsupported("object header at offset " + num(objectAt) +
                       ": shared object header messages");
  uint64_t target = c.get(so_);
  if (!c.ok || version < 1 || version > 3 || (version == 3 && type != 2))
    return corrupt("object header at offset " + num(objectAt) +
                   ": malformed shared message");
  pending_.push_back(target);
  return Status::ok();
}

/// An attribute message (0x0C): HDF5 1.10 copies its data, sized by its
/// datatype and dataspace, from the message without comparing that with the
/// message's length, and its name with strdup.
Status Walker::attribute(uint64_t objectAt, Cursor c, uint64_t len) {
  // `len`: the message's length; `c` may hold only its first bytes (a huge
  // attribute in dense storage).
  std::string what = "object header at offset " + num(objectAt);
  if (c.left() > len)
    c.end = c.p + len;
  const uint8_t *begin = c.p;
  unsigned version = unsigned(c.get(1));
  unsigned flags = unsigned(c.get(1));
  uint64_t nameLen = c.get(2), typeLen = c.get(2), spaceLen = c.get(2);
  if (version >= 3)
    c.get(1); // name encoding
  auto pad = [&](uint64_t n) { return version == 1 ? (n + 7) / 8 * 8 : n; };
  if (!c.ok || version < 1 || version > 3)
    return corrupt(what + ": malformed attribute message");
  const uint8_t *name = c.p;
  c.skip(pad(nameLen));
  const uint8_t *type = c.p;
  c.skip(pad(typeLen));
  const uint8_t *space = c.p;
  c.skip(pad(spaceLen));
  if (!c.ok || nameLen == 0 || !std::memchr(name, 0, nameLen))
    return corrupt(what + ": an attribute message of " + num(len) +
                   " bytes claims a name of " + num(nameLen) +
                   ", a datatype of " + num(typeLen) + " and a dataspace of " +
                   num(spaceLen) + " bytes");
  if (flags & 1) { // a committed datatype: walk its object header
    Cursor shared{type, type + typeLen};
    SNNRT_TRY(sharedMessage(objectAt, shared));
  }
  if (flags & 3)
    return Status::ok(); // the element size or count is elsewhere
  if (typeLen < 8 || spaceLen < 4)
    return corrupt(what + ": malformed attribute message");
  uint64_t elemSize = le(type + 4, 4);
  unsigned sversion = space[0], rank = space[1];
  unsigned dimsAt = sversion == 1 ? 8 : 4;
  uint64_t count = 1;
  if (sversion == 2 && space[3] == 2)
    count = 0; // a null dataspace
  if (rank > 32 || dimsAt + uint64_t(rank) * sl_ > spaceLen)
    return corrupt(what + ": an attribute's dataspace of rank " + num(rank) +
                   " in " + num(spaceLen) + " bytes");
  for (unsigned i = 0; i < rank; ++i)
    if (__builtin_mul_overflow(count, le(space + dimsAt + i * sl_, sl_),
                               &count))
      count = UINT64_MAX;
  uint64_t bytes;
  if (__builtin_mul_overflow(count, elemSize, &bytes))
    bytes = UINT64_MAX;
  uint64_t left = len - uint64_t(c.p - begin);
  if (bytes > left)
    return corrupt(what + ": an attribute claims " + num(count) +
                   " elements of " + num(elemSize) +
                   " bytes, its message has " + num(left));
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Chunk indices of layout version 4 (format 1.10).
//===----------------------------------------------------------------------===//

/// One chunk index entry: an address, and for filtered chunks their size
/// (the remaining bytes before a 4-byte filter mask).
Status Walker::chunkEntry(const std::string &what, const uint8_t *e,
                          unsigned elemSize, bool filtered, uint64_t chunkBytes,
                          uint64_t i) {
  uint64_t addr = le(e, so_);
  if (undefined(addr))
    return Status::ok();
  ++stats.chunks;
  uint64_t len = filtered ? le(e + so_, elemSize - so_ - 4) : chunkBytes;
  if (!fits(abs(addr), len))
    return corrupt(what + ": element " + num(i) + " claims " + num(len) +
                   " bytes at offset " + num(abs(addr)));
  return Status::ok();
}

/// Elements of a chunk index: `so_` bytes (unfiltered) or address, size of
/// 1-8 bytes and filter mask (filtered).
bool Walker::chunkElemSize(unsigned size, bool filtered) const {
  return filtered ? size >= so_ + 5 && size <= so_ + 12 : size == so_;
}

Status Walker::fixedArray(uint64_t objectAt, uint64_t rel,
                          uint64_t chunkBytes) {
  uint64_t at = abs(rel);
  std::string what = "fixed array chunk index at offset " + num(at) +
                     " of the dataset at offset " + num(objectAt);
  std::vector<uint8_t> head;
  uint64_t len = 8 + sl_ + so_ + 4;
  if (!fits(at, len) || !load(at, len, head))
    return corrupt(what + ": outside the file");
  if (std::memcmp(head.data(), "FAHD", 4) != 0 || head[4] != 0)
    return corrupt(what + ": no FAHD signature of version 0");
  if (!sumOk(head.data(), len - 4))
    return corrupt(what + ": checksum mismatch");
  unsigned client = head[5], elemSize = head[6], pageBits = head[7];
  uint64_t count = le(head.data() + 8, sl_);
  uint64_t block = le(head.data() + 8 + sl_, so_);
  bool filtered = client == 1;
  if (client > 1 || !chunkElemSize(elemSize, filtered) || pageBits == 0 ||
      pageBits > 31)
    return corrupt(what + ": elements of " + num(elemSize) +
                   " bytes, pages of 2^" + num(pageBits) + " elements");
  if (undefined(block))
    return Status::ok();
  uint64_t bat = abs(block);
  // The data block: a prefix, a page bitmap when paged, the elements with a
  // checksum (per page when paged).
  uint64_t page = uint64_t(1) << pageBits;
  bool paged = count > page;
  uint64_t pages = paged ? (count + page - 1) / page : 0;
  uint64_t prefix = 6 + so_ + (paged ? (pages + 7) / 8 : 0) + 4;
  uint64_t bytes;
  if (__builtin_mul_overflow(count, uint64_t(elemSize), &bytes) ||
      bytes > size_ || !fits(bat, prefix + bytes + 4 * pages))
    return corrupt(what + ": claims " + num(count) + " elements of " +
                   num(elemSize) + " bytes at offset " + num(bat));
  std::vector<uint8_t> data;
  if (!load(bat, prefix + bytes + 4 * pages, data))
    return corrupt(what + ": metadata larger than the file");
  if (std::memcmp(data.data(), "FADB", 4) != 0 || data[4] != 0 ||
      le(data.data() + 6, so_) != rel)
    return corrupt(what + ": its data block at offset " + num(bat) +
                   " has no FADB signature naming its header");
  // Unpaged: one checksum after the elements; paged: one after the prefix
  // and one after each page's elements.
  if (!sumOk(data.data(), paged ? prefix - 4 : prefix - 4 + bytes))
    return corrupt(what + ": its data block at offset " + num(bat) +
                   ": checksum mismatch");
  const uint8_t *e = data.data() + (paged ? prefix : prefix - 4);
  uint64_t perPage = paged ? page : count;
  for (uint64_t first = 0; first < count; first += perPage) {
    uint64_t n = std::min(perPage, count - first);
    if (paged && !sumOk(e, n * elemSize))
      return corrupt(what + ": page " + num(first / page) +
                     " of its data block at offset " + num(bat) +
                     ": checksum mismatch");
    for (uint64_t i = first; i < first + n; ++i, e += elemSize)
      SNNRT_TRY(chunkEntry(what, e, elemSize, filtered, chunkBytes, i));
    e += paged ? 4 : 0;
  }
  return Status::ok();
}

Status Walker::extensibleArray(uint64_t objectAt, uint64_t rel,
                               uint64_t chunkBytes) {
  uint64_t at = abs(rel);
  std::string what = "extensible array chunk index at offset " + num(at) +
                     " of the dataset at offset " + num(objectAt);
  std::vector<uint8_t> head;
  uint64_t len = 12 + 6 * uint64_t(sl_) + so_ + 4;
  if (!fits(at, len) || !load(at, len, head))
    return corrupt(what + ": outside the file");
  if (std::memcmp(head.data(), "EAHD", 4) != 0 || head[4] != 0)
    return corrupt(what + ": no EAHD signature of version 0");
  if (!sumOk(head.data(), len - 4))
    return corrupt(what + ": checksum mismatch");
  unsigned client = head[5], elemSize = head[6], maxBits = head[7];
  unsigned indexElems = head[8], blockMin = head[9], superMin = head[10];
  unsigned pageBits = head[11];
  uint64_t index = le(head.data() + 12 + 6 * sl_, so_);
  bool filtered = client == 1;
  // HDF5 sizes its super block table by maxBits - log2(blockMin) and the
  // index block by superMin; an inconsistent pair wraps around.
  if (client > 1 || !chunkElemSize(elemSize, filtered) || maxBits == 0 ||
      maxBits > 64 || !powerOfTwo(blockMin) || !powerOfTwo(superMin) ||
      superMin < 2 || log2Floor(blockMin) > maxBits || pageBits > 31)
    return corrupt(what + ": elements of " + num(elemSize) + " bytes, 2^" +
                   num(maxBits) + " at most, data blocks from " +
                   num(blockMin) + ", super blocks from " + num(superMin) +
                   " pointers, pages of 2^" + num(pageBits));
  unsigned supers = 1 + maxBits - log2Floor(blockMin);
  unsigned inIndex = 2 * log2Floor(superMin);
  if (inIndex > supers)
    return corrupt(what + ": " + num(supers) + " super blocks, " +
                   num(inIndex) + " of them in the index block");
  if (undefined(index))
    return Status::ok();
  unsigned offSize = (maxBits + 7) / 8;
  uint64_t pageElems = uint64_t(1) << pageBits;
  auto blockElems = [&](unsigned s) {
    return uint64_t(blockMin) << ((s + 1) / 2);
  };
  auto blocksIn = [&](unsigned s) { return uint64_t(1) << (s / 2); };
  // A data block of super block s at `rel`.
  std::vector<uint8_t> data;
  auto dataBlock = [&](uint64_t drel, unsigned s) -> Status {
    uint64_t n = blockElems(s);
    uint64_t dat = abs(drel);
    std::string dwhat = what + ": data block at offset " + num(dat);
    if (!nodes_.insert(dat).second)
      return corrupt(dwhat + " is used twice");
    bool paged = n > pageElems;
    uint64_t pages = paged ? n / pageElems : 0;
    uint64_t bytes;
    if (__builtin_mul_overflow(n, uint64_t(elemSize), &bytes) || bytes > size_)
      return corrupt(dwhat + " claims " + num(n) + " elements");
    uint64_t blen = 6 + so_ + offSize + 4 + bytes + 4 * pages;
    if (!fits(dat, blen) || !load(dat, blen, data))
      return corrupt(dwhat + " claims " + num(n) + " elements of " +
                     num(elemSize) + " bytes");
    if (std::memcmp(data.data(), "EADB", 4) != 0 || data[4] != 0 ||
        le(data.data() + 6, so_) != rel)
      return corrupt(dwhat + ": no EADB signature naming its header");
    uint64_t head = 6 + so_ + offSize;
    if (!sumOk(data.data(), paged ? head : head + bytes))
      return corrupt(dwhat + ": checksum mismatch");
    const uint8_t *e = data.data() + head + (paged ? 4 : 0);
    uint64_t perPage = paged ? pageElems : n;
    for (uint64_t first = 0; first < n; first += perPage) {
      if (paged && !sumOk(e, perPage * elemSize))
        return corrupt(dwhat + ": page " + num(first / perPage) +
                       ": checksum mismatch");
      for (uint64_t i = first; i < first + perPage; ++i, e += elemSize)
        SNNRT_TRY(chunkEntry(dwhat, e, elemSize, filtered, chunkBytes, i));
      e += paged ? 4 : 0;
    }
    return Status::ok();
  };
  uint64_t directBlocks = 2 * (uint64_t(superMin) - 1);
  uint64_t superAddrs = supers - inIndex;
  uint64_t ilen = 6 + so_ + uint64_t(indexElems) * elemSize +
                  (directBlocks + superAddrs) * so_ + 4;
  std::vector<uint8_t> iblock;
  uint64_t iat = abs(index);
  if (!fits(iat, ilen) || !load(iat, ilen, iblock))
    return corrupt(what + ": its index block at offset " + num(iat) + " (" +
                   num(ilen) + " bytes) lies outside the file");
  if (std::memcmp(iblock.data(), "EAIB", 4) != 0 || iblock[4] != 0 ||
      le(iblock.data() + 6, so_) != rel)
    return corrupt(what + ": its index block at offset " + num(iat) +
                   " has no EAIB signature naming its header");
  if (!sumOk(iblock.data(), ilen - 4))
    return corrupt(what + ": its index block at offset " + num(iat) +
                   ": checksum mismatch");
  const uint8_t *p = iblock.data() + 6 + so_;
  for (unsigned i = 0; i < indexElems; ++i, p += elemSize)
    SNNRT_TRY(chunkEntry(what, p, elemSize, filtered, chunkBytes, i));
  // Data blocks of the first super blocks are listed in the index block.
  unsigned s = 0;
  uint64_t inSuper = 0;
  for (uint64_t i = 0; i < directBlocks; ++i, p += so_) {
    while (s < inIndex && inSuper == blocksIn(s)) {
      ++s;
      inSuper = 0;
    }
    uint64_t d = le(p, so_);
    if (!undefined(d))
      SNNRT_TRY(dataBlock(d, s));
    ++inSuper;
  }
  std::vector<uint8_t> sblock;
  for (uint64_t i = 0; i < superAddrs; ++i, p += so_) {
    unsigned sup = inIndex + unsigned(i);
    uint64_t sbl = le(p, so_);
    if (undefined(sbl))
      continue;
    uint64_t sat = abs(sbl);
    std::string swhat = what + ": super block at offset " + num(sat);
    if (!nodes_.insert(sat).second)
      return corrupt(swhat + " is used twice");
    uint64_t n = blocksIn(sup), elems = blockElems(sup);
    uint64_t bitmap = elems > pageElems ? n * ((elems / pageElems + 7) / 8) : 0;
    uint64_t slen = 6 + so_ + offSize + bitmap + n * so_ + 4;
    if (n > size_ || !fits(sat, slen) || !load(sat, slen, sblock))
      return corrupt(swhat + " claims " + num(n) + " data blocks");
    if (std::memcmp(sblock.data(), "EASB", 4) != 0 || sblock[4] != 0 ||
        le(sblock.data() + 6, so_) != rel)
      return corrupt(swhat + ": no EASB signature naming its header");
    if (!sumOk(sblock.data(), slen - 4))
      return corrupt(swhat + ": checksum mismatch");
    const uint8_t *q = sblock.data() + 6 + so_ + offSize + bitmap;
    for (uint64_t j = 0; j < n; ++j, q += so_) {
      uint64_t d = le(q, so_);
      if (!undefined(d))
        SNNRT_TRY(dataBlock(d, sup));
    }
  }
  return Status::ok();
}

} // namespace

uint32_t metadataChecksum(const void *data, size_t n) {
  return lookup3(static_cast<const uint8_t *>(data), n);
}

Status checkStructure(const std::string &name, uint64_t fileSize,
                      const ReadAt &read, StructureStats *stats) {
  Walker walker(name, fileSize, read);
  Status s = walker.run();
  if (stats)
    *stats = walker.stats;
  return s;
}

} // namespace snnrt::h5
