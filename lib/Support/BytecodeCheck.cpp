//===- BytecodeCheck.cpp - MLIR bytecode checked before MLIR reads it -----===//
//
// MLIR 19's bytecode reader (mlir/lib/Bytecode/Reader, third-party) checks
// that every index it reads is in range and every byte range inside its
// section, but trusts the rest of what a file says. fuzz-mlir-bytecode found
// each of these reach a crash (SIGSEGV, a fatal error, heap overflow or an
// allocation of terabytes) inside the reader:
// - counts it sizes a table or vector from before reading its entries: the
//   string, dialect, operation-name, attribute/type and properties tables, a
//   list inside an attribute or type (SmallVector::reserve), an operation's
//   results, operands, successors and regions, a region's blocks and values,
//   a block's arguments, the words of a wide integer, a dense string
//   attribute's elements (its type's element count);
// - a string of size 0 (its table stores size - 1 characters);
// - a resource blob's alignment (checked truncated to 32 bits, allocated
//   with all 64) and a resource entry's kind byte (no range check);
// - builtin attributes built without the checks the text parser makes (in
//   MLIR 19 those are assertions, off in release builds): a FloatAttr whose
//   value does not read (the reader dereferences the failed value), a dense
//   elements attribute whose data does not fit its type (its storage scans
//   the data by the type's element size), a DenseArrayAttr whose size and
//   data disagree, types with negative sizes or element types no tensor may
//   hold;
// - entries that refer to themselves (the reader resolves references
//   recursively: unbounded recursion) or nest without bound;
// - arguments of the top-level block (the reader defines them before it has
//   a value scope: a write through an empty vector's back());
// - use-list orders whose indices exceed the value's uses (written unchecked
//   into a vector of that size).
// So snnc walks the whole file first, as the reader will, and refuses each
// of these. The walk accepts what MLIR's writer produces for snn networks
// (bytecode versions 5 and 6: MLIR 17 to 19); it refuses the builtin kinds
// snnc networks never hold (memref types, scalable vectors, sparse elements)
// and custom encodings of other dialects (snnc's dialects have none; their
// attributes and types are stored as text, which MLIR's robust text parser
// reads). A file the walk accepts may still be invalid: MLIR's reader and
// the verifiers report the rest.
//
//===----------------------------------------------------------------------===//

#include "BytecodeCheck.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <iterator>
#include <vector>

using namespace mlir;

namespace {
/// Reads the primitives of MLIR's bytecode (mlir/docs/BytecodeFormat.md):
/// bytes, PrefixVarInts, byte ranges; false when the data ends first.
struct Reader {
  const uint8_t *p = nullptr;
  const uint8_t *end = nullptr;

  uint64_t left() const { return uint64_t(end - p); }
  bool empty() const { return p == end; }
  bool byte(uint8_t &b) {
    if (p == end)
      return false;
    b = *p++;
    return true;
  }
  bool bytes(uint64_t n, const uint8_t *&out) {
    if (left() < n)
      return false;
    out = p;
    p += n;
    return true;
  }
  bool varint(uint64_t &v) {
    uint8_t first;
    if (!byte(first))
      return false;
    // The trailing zeros of the first byte count the bytes that follow; all
    // zeros: eight bytes follow.
    unsigned more = first == 0 ? 8 : unsigned(llvm::countr_zero(first));
    const uint8_t *rest;
    if (!bytes(more, rest))
      return false;
    uint64_t raw = first == 0 ? 0 : first;
    for (unsigned i = 0; i < more; ++i)
      raw |= uint64_t(rest[i]) << (8 * (first == 0 ? i : i + 1));
    v = first == 0 ? raw : raw >> (more + 1);
    return true;
  }
  bool varintFlag(uint64_t &v, bool &flag) {
    if (!varint(v))
      return false;
    flag = v & 1;
    v >>= 1;
    return true;
  }
  bool signedVarint(int64_t &v) {
    uint64_t raw;
    if (!varint(raw))
      return false;
    v = int64_t((raw >> 1) ^ (~(raw & 1) + 1)); // zigzag
    return true;
  }
  /// A count of things that take at least `each` bytes of what is left.
  bool count(uint64_t &n, uint64_t each = 1) {
    return varint(n) && n <= left() / each;
  }
};

/// What the checks of the entries that use a type need to know of it.
struct TypeInfo {
  enum Kind : uint8_t {
    Other,
    Integer,
    Index,
    Float,
    Complex,
    RankedTensor,
    Vector,
    UnrankedTensor,
    Foreign, // of another dialect than builtin
  };
  Kind kind = Other;
  /// Integer and Float: bits; Complex: those of its element.
  unsigned width = 0;
  /// Bits of one element of a dense elements attribute of this type
  /// (mlir::detail::getDenseElementBitWidth), 0 when it may not be one.
  uint64_t denseBits = 0;
  /// RankedTensor and Vector: the element count, -1 with a dynamic size.
  int64_t elements = -1;
  /// RankedTensor and Vector: those of the element type.
  uint64_t elementDenseBits = 0;
  bool elementIsI1 = false;
};

struct Entry {
  uint64_t dialect = 0;
  bool custom = false;
  Reader data;
  enum State : uint8_t { Unchecked, Checking, Checked } state = Unchecked;
  TypeInfo info;
};

/// An operation name of the dialect section: whether it was registered
/// when written (its properties are then encoded natively).
struct OpName {
  bool registered = false;
};

/// One value of a region's value numbering: its uses, and the largest
/// index its use-list order names (pair encoding), checked at the end.
struct Value {
  uint64_t uses = 0;
  bool defined = false;
  bool order = false;
  uint64_t orderIndexLimit = 0; // each pair's first index < uses
};

/// MLIR's ValueScope: the values of the regions open inside an operation
/// isolated from above, numbered per region.
struct Scope {
  std::vector<int64_t> slots; // index into Checker::values, -1 if none
  std::vector<uint64_t> next; // per open region: its next value number
};

constexpr unsigned kMaxDepth = 32;
constexpr uint64_t kMaxElements = uint64_t(1) << 48;

std::string str(uint64_t v) { return std::to_string(v); }

class Checker {
public:
  Checker(llvm::StringRef buffer, MLIRContext &context)
      : context(context), all{reinterpret_cast<const uint8_t *>(buffer.data()),
                              reinterpret_cast<const uint8_t *>(buffer.end())} {
  }

  std::optional<std::string> run();

private:
  bool fail(std::string why) {
    if (!problem)
      problem = std::move(why);
    return false;
  }
  bool truncated(const std::string &what) {
    return fail(what + " ends before its data (truncated or corrupted)");
  }

  bool sections();
  bool stringSection();
  bool dialectSection();
  bool resourceSections();
  bool attrTypeSections();
  bool irSection();

  bool type(uint64_t index, unsigned depth, const TypeInfo *&info);
  bool attr(uint64_t index, unsigned depth);
  bool readType(Reader &in, unsigned depth, const TypeInfo *&info,
                const std::string &what);
  bool readAttr(Reader &in, unsigned depth, const std::string &what);
  bool checkType(uint64_t index, Entry &entry, unsigned depth);
  bool checkAttr(uint64_t index, Entry &entry, unsigned depth);
  bool shapedType(Reader &in, uint64_t index, unsigned depth, bool vector,
                  TypeInfo &info);
  bool textType(uint64_t index, Entry &entry);
  bool apInt(Reader &in, uint64_t bits, const std::string &what);
  bool denseElements(Reader &in, uint64_t index, unsigned depth,
                     const std::string &what, const TypeInfo *&info);

  bool region(Reader &in, Scope &scope, unsigned depth);
  bool block(Reader &in, Scope &scope, uint64_t blocks, bool topLevel,
             unsigned depth);
  bool operation(Reader &in, Scope &scope, uint64_t blocks, unsigned depth);
  bool useListOrder(Reader &in, const std::vector<int64_t> &defined,
                    const std::string &what);
  bool define(Scope &scope, uint64_t count, std::vector<int64_t> &defined,
              const std::string &what);

  MLIRContext &context;
  Reader all;
  std::optional<std::string> problem;
  uint64_t version = 0;
  std::optional<Reader> section[9];
  std::vector<llvm::StringRef> strings;
  std::vector<llvm::StringRef> dialects;
  std::vector<OpName> opNames;
  std::vector<Entry> attrs, types;
  std::vector<Value> values;
  uint64_t liveValues = 0, valueBudget = 0;
};
} // namespace

std::optional<std::string> Checker::run() {
  if (!sections() || !section[0] || !section[1] || !section[2] || !section[3] ||
      !section[4])
    // Malformed framing or a missing section: MLIR's reader reports it
    // before it reads anything else.
    return problem;
  // Diagnostics of the text entries parsed here are MLIR's reader's to give.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  if (stringSection() && dialectSection() && resourceSections() &&
      attrTypeSections())
    (void)irSection();
  return problem;
}

//===----------------------------------------------------------------------===//
// Framing, strings, dialects, resources
//===----------------------------------------------------------------------===//

bool Checker::sections() {
  Reader &in = all;
  const uint8_t *magic, *nul;
  if (!in.bytes(4, magic) || std::memcmp(magic, "ML\xefR", 4) != 0 ||
      !in.varint(version) ||
      !(nul = static_cast<const uint8_t *>(
            std::memchr(in.p, 0, size_t(in.end - in.p)))))
    return false;
  // Versions 0-4 differ in how operation names, block arguments and
  // properties are encoded; MLIR 17-19 write 5 and 6, and MLIR 19 reads no
  // later one.
  if (version < 5 || version > 6)
    return fail("bytecode version " + str(version) +
                " (snnc reads versions 5 and 6, written by MLIR 17 to 19)");
  in.p = nul + 1; // the producer string
  // Sections: an id (high bit: aligned), a length, the alignment and its
  // padding (0xCB bytes up to an address that is a multiple of it: MLIR
  // reads this same buffer), the data.
  while (!in.empty()) {
    uint8_t id;
    uint64_t length;
    if (!in.byte(id) || !in.varint(length))
      return false;
    if (id & 0x80) {
      uint64_t alignment;
      if (!in.varint(alignment) || !llvm::isPowerOf2_32(uint32_t(alignment)))
        return false;
      while (uintptr_t(in.p) & (uint32_t(alignment) - 1))
        if (in.p == in.end || *in.p++ != 0xCB)
          return false;
    }
    const uint8_t *data;
    unsigned id7 = id & 0x7f;
    if (!in.bytes(length, data) || id7 >= 9)
      return false;
    if (section[id7])
      return false; // MLIR: "duplicate top-level section"
    section[id7] = Reader{data, data + length};
    // Sections that start with entry counts: strings (0), dialects (1),
    // attributes and types (3: two counts), properties (8). Every entry
    // takes at least one byte of its section.
    Reader counts{data, data + length};
    uint64_t first = 0, second = 0;
    if ((id7 == 0 || id7 == 1 || id7 == 3 || id7 == 8) &&
        counts.varint(first) && (id7 != 3 || counts.varint(second)) &&
        (first > length || second > length - first)) {
      const char *what = id7 == 0   ? "string"
                         : id7 == 1 ? "dialect"
                         : id7 == 3 ? "attribute and type index"
                                    : "properties";
      return fail("its " + std::string(what) + " section claims " + str(first) +
                  (id7 == 3 ? " attributes and " + str(second) + " types"
                            : " entries") +
                  " in " + str(length) + " bytes");
    }
  }
  return true;
}

bool Checker::stringSection() {
  Reader in = *section[0];
  uint64_t n;
  if (!in.count(n))
    return truncated("the string section");
  // Sizes come first, last string first; the strings end the section.
  std::vector<uint64_t> sizes(n);
  uint64_t total = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (!in.varint(sizes[n - 1 - i]))
      return truncated("the string section");
    // MLIR stores each string without its last byte (the NUL): a size of 0
    // would become a string of 2^64 - 1 characters.
    if (sizes[n - 1 - i] == 0)
      return fail("a string of size 0 in the string section (a string "
                  "holds at least its terminating NUL)");
    if (sizes[n - 1 - i] > in.left() - total)
      return truncated("the string section");
    total += sizes[n - 1 - i];
  }
  if (total != in.left())
    return false; // MLIR: "unexpected trailing data"
  strings.reserve(n);
  const char *at = reinterpret_cast<const char *>(in.p);
  for (uint64_t size : sizes) {
    strings.emplace_back(at, size - 1);
    at += size;
  }
  return true;
}

bool Checker::dialectSection() {
  Reader in = *section[1];
  uint64_t n;
  if (!in.count(n))
    return truncated("the dialect section");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t name;
    bool hasVersion;
    if (!in.varintFlag(name, hasVersion))
      return truncated("the dialect section");
    if (name >= strings.size())
      return fail("dialect " + str(i) + " names string " + str(name) + " of " +
                  str(strings.size()));
    dialects.push_back(strings[name]);
    if (hasVersion) {
      // A nested section (id 7) holding the version.
      uint8_t id;
      uint64_t length;
      const uint8_t *data;
      if (!in.byte(id) || !in.varint(length) || (id & 0x80) ||
          !in.bytes(length, data))
        return fail("dialect " + str(i) + "'s version is malformed");
    }
  }
  uint64_t ops;
  if (!in.count(ops))
    return fail("the dialect section claims more operation names than it "
                "has bytes");
  opNames.reserve(ops);
  while (!in.empty()) {
    uint64_t dialect, entries;
    if (!in.varint(dialect) || !in.count(entries))
      return truncated("the operation names of the dialect section");
    if (dialect >= dialects.size())
      return fail("operation names of dialect " + str(dialect) + " of " +
                  str(dialects.size()));
    for (uint64_t i = 0; i < entries; ++i) {
      uint64_t name;
      bool registered;
      if (!in.varintFlag(name, registered))
        return truncated("the operation names of the dialect section");
      if (name >= strings.size())
        return fail("an operation name names string " + str(name) + " of " +
                    str(strings.size()));
      opNames.push_back({registered});
    }
  }
  return true;
}

bool Checker::resourceSections() {
  if (!section[5] || !section[6])
    return true; // MLIR reports a missing half
  Reader resources = *section[5], offsets = *section[6];
  // The index: external resource groups (a key each), then one group per
  // dialect (a dialect number each). A group: its number of entries, each a
  // key, a size (the next that many bytes of the resource section) and a
  // kind (0: a blob, whose data starts with its alignment).
  auto group = [&]() {
    uint64_t entries;
    if (!offsets.varint(entries))
      return truncated("the resource index");
    for (uint64_t i = 0; i < entries; ++i) {
      uint64_t key, size, alignment;
      uint8_t kind;
      const uint8_t *data;
      if (!offsets.varint(key) || !offsets.varint(size) ||
          !offsets.byte(kind) || !resources.bytes(size, data))
        return truncated("the resource index");
      Reader blob{data, data + size};
      if (kind > 2)
        return fail("a resource entry of unknown kind " + str(kind) +
                    " (0: blob, 1: bool, 2: string)");
      if (kind == 0 && blob.varint(alignment) &&
          (!llvm::isPowerOf2_64(alignment) || alignment > 65536))
        return fail("a resource blob claims an alignment of " + str(alignment) +
                    " bytes (expected a power of two up to 65536)");
    }
    return true;
  };
  uint64_t external, key;
  if (!offsets.varint(external))
    return truncated("the resource index");
  for (uint64_t i = 0; i < external; ++i)
    if (!offsets.varint(key) || !group())
      return problem ? false : truncated("the resource index");
  while (!offsets.empty())
    if (!offsets.varint(key) || !group())
      return problem ? false : truncated("the resource index");
  return true;
}

//===----------------------------------------------------------------------===//
// Attributes and types
//===----------------------------------------------------------------------===//

bool Checker::attrTypeSections() {
  Reader offsets = *section[3];
  Reader data = *section[2];
  uint64_t numAttrs, numTypes;
  if (!offsets.varint(numAttrs) || !offsets.varint(numTypes))
    return truncated("the attribute and type index");
  attrs.resize(numAttrs);
  types.resize(numTypes);
  // Per table: groups of a dialect number and a count of entries, each a
  // size (in the attribute/type section, in order) and a flag: custom
  // encoding or text.
  for (std::vector<Entry> *table : {&attrs, &types}) {
    uint64_t filled = 0;
    while (filled < table->size()) {
      uint64_t dialect, entries;
      if (!offsets.varint(dialect) || !offsets.varint(entries))
        return truncated("the attribute and type index");
      if (dialect >= dialects.size())
        return fail("the attribute and type index names dialect " +
                    str(dialect) + " of " + str(dialects.size()));
      if (entries > table->size() - filled)
        return fail("the attribute and type index lists more entries than "
                    "it claims");
      for (uint64_t i = 0; i < entries; ++i) {
        Entry &entry = (*table)[filled++];
        uint64_t size;
        const uint8_t *bytes;
        if (!offsets.varintFlag(size, entry.custom))
          return truncated("the attribute and type index");
        if (!data.bytes(size, bytes))
          return fail("an attribute or type entry lies past the end of its "
                      "section");
        entry.dialect = dialect;
        entry.data = {bytes, bytes + size};
      }
    }
  }
  // Every entry, referenced or not: MLIR reads the referenced ones lazily,
  // while reading the IR.
  for (uint64_t i = 0; i < types.size(); ++i) {
    const TypeInfo *info;
    if (!type(i, 0, info))
      return false;
  }
  for (uint64_t i = 0; i < attrs.size(); ++i)
    if (!attr(i, 0))
      return false;
  return true;
}

bool Checker::type(uint64_t index, unsigned depth, const TypeInfo *&info) {
  if (index >= types.size())
    return fail("a reference to type " + str(index) + " of " +
                str(types.size()));
  Entry &entry = types[index];
  info = &entry.info;
  if (entry.state == Entry::Checked)
    return true;
  if (entry.state == Entry::Checking)
    return fail("type " + str(index) + " contains itself");
  if (depth > kMaxDepth)
    return fail("type " + str(index) + " is nested more than " +
                str(kMaxDepth) + " levels deep");
  entry.state = Entry::Checking;
  if (!checkType(index, entry, depth))
    return false;
  entry.state = Entry::Checked;
  return true;
}

bool Checker::attr(uint64_t index, unsigned depth) {
  if (index >= attrs.size())
    return fail("a reference to attribute " + str(index) + " of " +
                str(attrs.size()));
  Entry &entry = attrs[index];
  if (entry.state == Entry::Checked)
    return true;
  if (entry.state == Entry::Checking)
    return fail("attribute " + str(index) + " contains itself");
  if (depth > kMaxDepth)
    return fail("attribute " + str(index) + " is nested more than " +
                str(kMaxDepth) + " levels deep");
  entry.state = Entry::Checking;
  if (!checkAttr(index, entry, depth))
    return false;
  entry.state = Entry::Checked;
  return true;
}

bool Checker::readType(Reader &in, unsigned depth, const TypeInfo *&info,
                       const std::string &what) {
  uint64_t index;
  if (!in.varint(index))
    return truncated(what);
  return type(index, depth + 1, info);
}

bool Checker::readAttr(Reader &in, unsigned depth, const std::string &what) {
  uint64_t index;
  if (!in.varint(index))
    return truncated(what);
  return attr(index, depth + 1);
}

/// The bits a dense elements attribute stores per element of `info`'s type
/// (mlir::detail::getDenseElementBitWidth), 0 if it cannot hold it.
static uint64_t denseBitsOf(const TypeInfo &info) {
  switch (info.kind) {
  case TypeInfo::Integer:
  case TypeInfo::Float:
    return info.width;
  case TypeInfo::Index:
    return IndexType::kInternalStorageBitWidth;
  case TypeInfo::Complex:
    return llvm::alignTo<8>(info.width) * 2;
  default:
    return 0;
  }
}

/// The element count of a static shape; false if it overflows.
static bool countElements(llvm::ArrayRef<int64_t> shape, int64_t &elements) {
  elements = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d)) {
      elements = -1;
      return true;
    }
  }
  for (int64_t d : shape)
    if (__builtin_mul_overflow(elements, d, &elements) ||
        uint64_t(elements) > kMaxElements)
      return false;
  return true;
}

/// What the entries that use a type parsed from text need of it.
static TypeInfo infoOf(Type type) {
  TypeInfo info;
  if (auto integer = llvm::dyn_cast<IntegerType>(type)) {
    info.kind = TypeInfo::Integer;
    info.width = integer.getWidth();
  } else if (llvm::isa<IndexType>(type)) {
    info.kind = TypeInfo::Index;
  } else if (auto real = llvm::dyn_cast<FloatType>(type)) {
    info.kind = TypeInfo::Float;
    info.width = real.getWidth();
  } else if (auto complex = llvm::dyn_cast<ComplexType>(type)) {
    TypeInfo element = infoOf(complex.getElementType());
    info.kind = TypeInfo::Complex;
    info.width = element.width;
  } else if (llvm::isa<RankedTensorType, VectorType>(type)) {
    auto shaped = llvm::cast<ShapedType>(type);
    info.kind =
        llvm::isa<VectorType>(type) ? TypeInfo::Vector : TypeInfo::RankedTensor;
    if (!countElements(shaped.getShape(), info.elements))
      info.kind = TypeInfo::Other; // refused where it is used
    TypeInfo element = infoOf(shaped.getElementType());
    info.elementDenseBits = denseBitsOf(element);
    info.elementIsI1 = element.kind == TypeInfo::Integer && element.width == 1;
  } else if (llvm::isa<UnrankedTensorType>(type)) {
    info.kind = TypeInfo::UnrankedTensor;
  } else if (!llvm::isa<BuiltinDialect>(type.getDialect())) {
    info.kind = TypeInfo::Foreign;
  }
  info.denseBits = denseBitsOf(info);
  return info;
}

bool Checker::textType(uint64_t index, Entry &entry) {
  // MLIR parses the text up to its NUL with the text parser, which checks
  // what the bytecode reader does not; the same parse here tells what the
  // type is.
  const uint8_t *nul = static_cast<const uint8_t *>(
      std::memchr(entry.data.p, 0, size_t(entry.data.left())));
  if (!nul)
    return fail("type " + str(index) + "'s text has no terminating NUL");
  llvm::StringRef text(reinterpret_cast<const char *>(entry.data.p),
                       size_t(nul - entry.data.p));
  size_t read = 0;
  Type parsed = parseType(text, &context, &read,
                          /*isKnownNullTerminated=*/true);
  if (!parsed || read != text.size() || nul + 1 != entry.data.end)
    return fail("type " + str(index) + "'s text does not parse as a type: '" +
                text.take_front(80).str() + "'");
  entry.info = infoOf(parsed);
  if (entry.info.kind == TypeInfo::Other &&
      llvm::isa<RankedTensorType, VectorType>(parsed))
    return fail("type " + str(index) + " has more than 2^48 elements");
  return true;
}

bool Checker::shapedType(Reader &in, uint64_t index, unsigned depth,
                         bool vector, TypeInfo &info) {
  std::string what = "type " + str(index);
  uint64_t rank;
  if (!in.count(rank))
    return fail(what + " claims more dimensions than it has bytes");
  std::vector<int64_t> shape(rank);
  for (int64_t &d : shape) {
    if (!in.signedVarint(d))
      return truncated(what);
    // Vector sizes are positive; tensor sizes are not negative, or dynamic
    // (MLIR's verifiers, which the bytecode reader does not call).
    if (vector ? d <= 0 : (d < 0 && !ShapedType::isDynamic(d)))
      return fail(what + " (a " + (vector ? "vector" : "tensor") +
                  " type) has a dimension of size " + std::to_string(d));
  }
  info.kind = vector ? TypeInfo::Vector : TypeInfo::RankedTensor;
  if (!countElements(shape, info.elements))
    return fail(what + " has more than 2^48 elements");
  const TypeInfo *element;
  if (!readType(in, depth, element, what))
    return false;
  // TensorType::isValidElementType and VectorType::isValidElementType.
  bool valid = vector ? (element->kind == TypeInfo::Integer ||
                         element->kind == TypeInfo::Index ||
                         element->kind == TypeInfo::Float)
                      : (element->kind != TypeInfo::Other &&
                         element->kind != TypeInfo::RankedTensor &&
                         element->kind != TypeInfo::UnrankedTensor);
  if (!valid)
    return fail(what + " has an element type no " +
                (vector ? "vector" : "tensor") + " may hold");
  info.elementDenseBits = element->denseBits;
  info.elementIsI1 = element->kind == TypeInfo::Integer && element->width == 1;
  return true;
}

bool Checker::checkType(uint64_t index, Entry &entry, unsigned depth) {
  std::string what = "type " + str(index);
  if (!entry.custom)
    return textType(index, entry);
  if (dialects[entry.dialect] != "builtin")
    return fail(what + " of dialect '" + dialects[entry.dialect].str() +
                "' has a custom encoding (snnc reads builtin types, and "
                "those of other dialects as text)");
  Reader in = entry.data;
  uint64_t code;
  if (!in.varint(code))
    return truncated(what);
  static const char *const names[] = {
      "IntegerType",        "IndexType",          "FunctionType",
      "BFloat16Type",       "Float16Type",        "Float32Type",
      "Float64Type",        "Float80Type",        "Float128Type",
      "ComplexType",        "MemRefType",         "MemRefType",
      "NoneType",           "RankedTensorType",   "RankedTensorType",
      "TupleType",          "UnrankedMemRefType", "UnrankedMemRefType",
      "UnrankedTensorType", "VectorType",         "scalable VectorType"};
  if (code < std::size(names))
    what += std::string(" (") + names[code] + ")";
  TypeInfo &info = entry.info;
  // The builtin dialect's type codes (mlir/IR/BuiltinDialectBytecode.td).
  switch (code) {
  case 0: { // IntegerType: width << 2 | signedness
    uint64_t bits;
    if (!in.varint(bits))
      return truncated(what);
    if ((bits >> 2) > IntegerType::kMaxWidth || (bits & 3) == 3)
      return fail(what + " has " + str(bits >> 2) + " bits, signedness " +
                  str(bits & 3) + " (at most " + str(IntegerType::kMaxWidth) +
                  " bits, signedness 0-2)");
    info.kind = TypeInfo::Integer;
    info.width = unsigned(bits >> 2);
    break;
  }
  case 1:
    info.kind = TypeInfo::Index;
    break;
  case 2:    // FunctionType: inputs, results
  case 15: { // TupleType: elements
    for (int list = 0; list < (code == 2 ? 2 : 1); ++list) {
      uint64_t n;
      if (!in.count(n))
        return fail(what + " claims more types than it has bytes");
      for (uint64_t i = 0; i < n; ++i) {
        const TypeInfo *element;
        if (!readType(in, depth, element, what))
          return false;
      }
    }
    break;
  }
  case 3: // bf16, f16, f32, f64, f80, f128
  case 4:
  case 5:
  case 6:
  case 7:
  case 8: {
    static const unsigned widths[] = {16, 16, 32, 64, 80, 128};
    info.kind = TypeInfo::Float;
    info.width = widths[code - 3];
    break;
  }
  case 9: { // ComplexType: element
    const TypeInfo *element;
    if (!readType(in, depth, element, what))
      return false;
    if (element->kind != TypeInfo::Integer && element->kind != TypeInfo::Float)
      return fail(what + " is of neither integers nor floats");
    info.kind = TypeInfo::Complex;
    info.width = element->width;
    break;
  }
  case 12: // NoneType
    break;
  case 14: // RankedTensorType with an encoding: the encoding first
    if (!readAttr(in, depth, what))
      return false;
    [[fallthrough]];
  case 13:
    if (!shapedType(in, index, depth, /*vector=*/false, info))
      return false;
    break;
  case 18: { // UnrankedTensorType: element
    const TypeInfo *element;
    if (!readType(in, depth, element, what))
      return false;
    if (element->kind == TypeInfo::Other ||
        element->kind == TypeInfo::RankedTensor ||
        element->kind == TypeInfo::UnrankedTensor)
      return fail(what + " has an element type no tensor may hold");
    info.kind = TypeInfo::UnrankedTensor;
    break;
  }
  case 19:
    if (!shapedType(in, index, depth, /*vector=*/true, info))
      return false;
    break;
  case 10: // MemRefType and the rest: not in snn networks
  case 11:
  case 16:
  case 17:
  case 20:
    return fail(what + " is a builtin type snn networks never hold");
  default:
    return fail(what + " is a builtin type of unknown kind " + str(code));
  }
  if (!in.empty())
    return fail(what + " has trailing bytes");
  info.denseBits = denseBitsOf(info);
  return true;
}

bool Checker::apInt(Reader &in, uint64_t bits, const std::string &what) {
  // DialectReader::readAPIntWithKnownWidth: a byte up to 8 bits, a signed
  // varint up to 64, else a count of 64-bit words and the words.
  uint8_t b;
  uint64_t v;
  if (bits <= 8)
    return in.byte(b) || truncated(what);
  if (bits <= 64)
    return in.varint(v) || truncated(what);
  uint64_t words;
  if (!in.count(words))
    return fail(what + " claims more 64-bit words than it has bytes");
  for (uint64_t i = 0; i < words; ++i)
    if (!in.varint(v))
      return truncated(what);
  return true;
}

bool Checker::denseElements(Reader &in, uint64_t index, unsigned depth,
                            const std::string &what, const TypeInfo *&info) {
  if (!readType(in, depth, info, what))
    return false;
  if (info->kind != TypeInfo::RankedTensor && info->kind != TypeInfo::Vector)
    return fail(what + " has a type that is no ranked tensor or "
                       "vector type");
  if (info->elements < 0)
    return fail(what + " has a type of dynamic shape");
  return true;
}

bool Checker::checkAttr(uint64_t index, Entry &entry, unsigned depth) {
  std::string what = "attribute " + str(index);
  if (!entry.custom)
    return true; // text: MLIR's text parser reads it, checks included
  if (dialects[entry.dialect] != "builtin")
    return fail(what + " of dialect '" + dialects[entry.dialect].str() +
                "' has a custom encoding (snnc reads builtin attributes, "
                "and those of other dialects as text)");
  Reader in = entry.data;
  uint64_t code;
  if (!in.varint(code))
    return truncated(what);
  auto attrList = [&](uint64_t per) {
    uint64_t n;
    if (!in.count(n, per))
      return fail(what + " claims more elements than it has bytes");
    for (uint64_t i = 0; i < n * per; ++i)
      if (!readAttr(in, depth, what))
        return false;
    return true;
  };
  static const char *const names[] = {"ArrayAttr",
                                      "DictionaryAttr",
                                      "StringAttr",
                                      "StringAttr",
                                      "FlatSymbolRefAttr",
                                      "SymbolRefAttr",
                                      "TypeAttr",
                                      "UnitAttr",
                                      "IntegerAttr",
                                      "FloatAttr",
                                      "CallSiteLoc",
                                      "FileLineColLoc",
                                      "FusedLoc",
                                      "FusedLoc",
                                      "NameLoc",
                                      "UnknownLoc",
                                      "DenseResourceElementsAttr",
                                      "DenseArrayAttr",
                                      "DenseIntOrFPElementsAttr",
                                      "DenseStringElementsAttr",
                                      "SparseElementsAttr",
                                      "DistinctAttr"};
  if (code < std::size(names))
    what += std::string(" (") + names[code] + ")";
  const TypeInfo *info;
  uint64_t v;
  // The builtin dialect's attribute codes (mlir/IR/BuiltinDialectBytecode.td).
  switch (code) {
  case 0:  // ArrayAttr
  case 12: // FusedLoc
    if (!attrList(1))
      return false;
    break;
  case 1: // DictionaryAttr: (name, value) pairs
    if (!attrList(2))
      return false;
    break;
  case 2: // StringAttr
  case 3: // StringAttr with a type
    if (!in.varint(v))
      return truncated(what);
    if (v >= strings.size())
      return fail(what + " names string " + str(v) + " of " +
                  str(strings.size()));
    if (code == 3 && !readType(in, depth, info, what))
      return false;
    break;
  case 4:  // FlatSymbolRefAttr
  case 21: // DistinctAttr
    if (!readAttr(in, depth, what))
      return false;
    break;
  case 5: // SymbolRefAttr: root, nested references
    if (!readAttr(in, depth, what) || !attrList(1))
      return false;
    break;
  case 6: // TypeAttr
    if (!readType(in, depth, info, what))
      return false;
    break;
  case 7:  // UnitAttr
  case 15: // UnknownLoc
    break;
  case 8: // IntegerAttr: type, value of its width
    if (!readType(in, depth, info, what))
      return false;
    if (info->kind != TypeInfo::Integer && info->kind != TypeInfo::Index)
      return fail(what + " has a type that is no integer "
                         "or index type");
    if (!apInt(in, info->kind == TypeInfo::Index ? 64 : info->width, what))
      return false;
    break;
  case 9: // FloatAttr: type, value of its width
    // MLIR 19 reads the value without checking that it read (and
    // dereferences a failed value: SIGSEGV in APFloat's copy).
    if (!readType(in, depth, info, what))
      return false;
    if (info->kind != TypeInfo::Float)
      return fail(what + " has a type that is no float type");
    if (!apInt(in, info->width, what))
      return false;
    break;
  case 10: // CallSiteLoc: callee, caller
  case 13: // FusedLoc with metadata: locations, metadata
  case 14: // NameLoc: name, child
    if (code == 13 ? !attrList(1) || !readAttr(in, depth, what)
                   : !readAttr(in, depth, what) || !readAttr(in, depth, what))
      return false;
    break;
  case 11: // FileLineColLoc: file, line, column
    if (!readAttr(in, depth, what) || !in.varint(v) || !in.varint(v))
      return problem ? false : truncated(what);
    break;
  case 16: // DenseResourceElementsAttr: type, resource handle
    if (!denseElements(in, index, depth, what, info))
      return false;
    if (!info->elementDenseBits)
      return fail(what + " has an element type that is no "
                         "integer, index, float or complex type");
    if (!in.varint(v))
      return truncated(what);
    break;
  case 17: { // DenseArrayAttr: element type, size, data
    if (!readType(in, depth, info, what))
      return false;
    bool ok = (info->kind == TypeInfo::Integer &&
               (info->width == 1 || info->width == 8 || info->width == 16 ||
                info->width == 32 || info->width == 64)) ||
              (info->kind == TypeInfo::Float &&
               (info->width == 32 || info->width == 64));
    if (!ok)
      return fail(what + " has an element type other than "
                         "i1, i8, i16, i32, i64, f32, f64");
    uint64_t size, bytes;
    const uint8_t *data;
    if (!in.varint(size) || !in.varint(bytes) || !in.bytes(bytes, data))
      return truncated(what);
    uint64_t each = info->width == 1 ? 1 : info->width / 8;
    if (size > bytes || size * each != bytes)
      return fail(what + " claims " + str(size) + " elements of " + str(each) +
                  " bytes in " + str(bytes) + " bytes");
    break;
  }
  case 18: { // DenseIntOrFPElementsAttr: type, data
    if (!denseElements(in, index, depth, what, info))
      return false;
    if (!info->elementDenseBits)
      return fail(what + " has an element type that is no "
                         "integer, index, float or complex type");
    uint64_t bytes;
    const uint8_t *data;
    if (!in.varint(bytes) || !in.bytes(bytes, data))
      return truncated(what);
    // DenseElementsAttr::isValidRawBuffer: a splat (one element; for i1
    // one byte of all zeros or all ones), or every element: i1 packed as
    // bits, the rest in whole bytes each.
    uint64_t n = uint64_t(info->elements);
    bool valid;
    if (info->elementIsI1)
      valid = (bytes == 1 && (data[0] == 0 || data[0] == 0xff)) ||
              bytes == llvm::divideCeil(n, 8);
    else {
      uint64_t each = llvm::alignTo<8>(info->elementDenseBits) / 8;
      valid = bytes == each || (n <= kMaxElements && bytes == each * n);
    }
    if (!valid)
      return fail(what + " holds " + str(bytes) +
                  " bytes of data, which is neither one element nor its " +
                  str(n) + " elements");
    break;
  }
  case 19: { // DenseStringElementsAttr: type, splat flag, strings
    if (!denseElements(in, index, depth, what, info))
      return false;
    uint64_t splat;
    if (!in.varint(splat))
      return truncated(what);
    uint64_t n = splat ? 1 : uint64_t(info->elements);
    if (n > in.left())
      return fail(what + " claims " + str(n) + " strings in " + str(in.left()) +
                  " bytes");
    for (uint64_t i = 0; i < n; ++i) {
      if (!in.varint(v))
        return truncated(what);
      if (v >= strings.size())
        return fail(what + " names string " + str(v) + " of " +
                    str(strings.size()));
    }
    break;
  }
  case 20:
    return fail(what + ", which snn networks "
                       "never hold");
  default:
    return fail(what + " is a builtin attribute of unknown kind " + str(code));
  }
  if (!in.empty())
    return fail(what + " has trailing bytes");
  return true;
}

//===----------------------------------------------------------------------===//
// The IR
//===----------------------------------------------------------------------===//

bool Checker::irSection() {
  Reader in = *section[4];
  // Each value of the file is defined by at least one byte (a type index);
  // the regions' value counts, which MLIR allocates, are bounded by that.
  valueBudget = in.left();
  Scope scope;
  scope.next.push_back(0);
  if (!block(in, scope, /*blocks=*/1, /*topLevel=*/true, 0))
    return false;
  // The use-list orders, now that every use is known
  // (BytecodeReader::Impl::sortUseListOrder).
  for (const Value &value : values)
    if (value.order && value.uses > 1 && value.orderIndexLimit > value.uses)
      return fail("a use-list order names use " +
                  str(value.orderIndexLimit - 1) + " of a value with " +
                  str(value.uses) + " uses");
  return true;
}

bool Checker::define(Scope &scope, uint64_t count,
                     std::vector<int64_t> &defined, const std::string &what) {
  uint64_t &next = scope.next.back();
  if (count > scope.slots.size() || next > scope.slots.size() - count)
    // MLIR reports it ("value index range was outside ...").
    return fail(what + " defines more values than its region claims");
  for (uint64_t i = 0; i < count; ++i, ++next) {
    int64_t &slot = scope.slots[next];
    if (slot >= 0 && values[slot].defined)
      // MLIR 19 asserts (off in release builds) that only a forward
      // reference can be replaced, then moves the defining operation.
      return fail(what + " defines value " + str(next) + " twice");
    if (slot < 0) {
      slot = int64_t(values.size());
      values.emplace_back();
    }
    values[slot].defined = true;
    defined.push_back(slot);
  }
  return true;
}

bool Checker::useListOrder(Reader &in, const std::vector<int64_t> &defined,
                           const std::string &what) {
  // BytecodeReader::Impl::parseUseListOrderForRange.
  uint64_t n = defined.size();
  uint64_t entries = 1;
  if (n > 1 && !in.varint(entries))
    return truncated(what);
  for (uint64_t e = 0; e < entries; ++e) {
    uint64_t which = 0, count;
    bool pairs;
    if ((n > 1 && !in.varint(which)) || !in.varintFlag(count, pairs))
      return truncated(what);
    if (count > in.left())
      return fail(what + " claims a use-list order longer than its data");
    uint64_t limit = 0;
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t index;
      if (!in.varint(index))
        return truncated(what);
      // Stored as unsigned; with pairs, the first of each is an index into
      // a vector of the value's uses.
      if (pairs && i % 2 == 0)
        limit = std::max<uint64_t>(limit, uint64_t(uint32_t(index)) + 1);
    }
    if (which < n && !values[defined[which]].order) {
      Value &value = values[defined[which]];
      value.order = true;
      value.orderIndexLimit = pairs ? limit : 0;
    }
  }
  return true;
}

bool Checker::block(Reader &in, Scope &scope, uint64_t blocks, bool topLevel,
                    unsigned depth) {
  uint64_t ops;
  bool hasArgs;
  if (!in.varintFlag(ops, hasArgs))
    return truncated("a block");
  if (ops > in.left() / 3) // a name, a mask and a location each
    return fail("a block claims " + str(ops) + " operations in " +
                str(in.left()) + " bytes");
  if (hasArgs) {
    if (topLevel)
      // MLIR 19 defines them before it has a scope for them.
      return fail("the top-level block has arguments");
    uint64_t n;
    if (!in.count(n))
      return fail("a block claims more arguments than it has bytes");
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t typeIndex;
      bool hasLoc;
      const TypeInfo *info;
      if (!in.varintFlag(typeIndex, hasLoc) || !type(typeIndex, 0, info) ||
          (hasLoc && !readAttr(in, 0, "a block argument")))
        return problem ? false : truncated("a block argument");
    }
    std::vector<int64_t> defined;
    if (!define(scope, n, defined, "a block"))
      return false;
    uint8_t orders;
    if (!in.byte(orders))
      return truncated("a block");
    if (orders && !useListOrder(in, defined, "a block's use-list order"))
      return false;
  }
  for (uint64_t i = 0; i < ops; ++i)
    if (!operation(in, scope, blocks, depth))
      return false;
  return true;
}

bool Checker::region(Reader &in, Scope &scope, unsigned depth) {
  uint64_t blocks, numValues;
  if (!in.varint(blocks))
    return truncated("a region");
  if (blocks == 0)
    return true;
  if (blocks > in.left() || !in.varint(numValues))
    return fail("a region claims more blocks than it has bytes");
  if (numValues > valueBudget - liveValues)
    return fail("a region claims " + str(numValues) +
                " values, more than the IR has bytes");
  liveValues += numValues;
  // MLIR's ValueScope::push and pop.
  scope.next.push_back(scope.slots.size());
  scope.slots.resize(scope.slots.size() + numValues, -1);
  for (uint64_t b = 0; b < blocks; ++b)
    if (!block(in, scope, blocks, /*topLevel=*/false, depth))
      return false;
  scope.slots.resize(scope.slots.size() - numValues);
  scope.next.pop_back();
  liveValues -= numValues;
  return true;
}

bool Checker::operation(Reader &in, Scope &scope, uint64_t blocks,
                        unsigned depth) {
  std::string what = "an operation";
  uint64_t name, v;
  uint8_t mask;
  if (!in.varint(name) || !in.byte(mask) || !in.varint(v))
    return truncated(what);
  if (name >= opNames.size())
    return fail("an operation names operation " + str(name) + " of " +
                str(opNames.size()));
  if (!attr(v, 0))
    return false;
  if ((mask & 0x01) && !readAttr(in, 0, what)) // attributes
    return false;
  if (mask & 0x40) { // properties: an index, or an attribute
    if (!in.varint(v))
      return truncated(what);
    if (!opNames[name].registered && !attr(v, 0))
      return false;
  }
  uint64_t results = 0;
  if (mask & 0x02) {
    if (!in.count(results))
      return fail(what + " claims more results than it has bytes");
    for (uint64_t i = 0; i < results; ++i) {
      const TypeInfo *info;
      if (!readType(in, 0, info, what))
        return false;
    }
  }
  if (mask & 0x04) { // operands: value numbers of the scope
    uint64_t operands;
    if (!in.count(operands))
      return fail(what + " claims more operands than it has bytes");
    for (uint64_t i = 0; i < operands; ++i) {
      if (!in.varint(v))
        return truncated(what);
      if (v >= scope.slots.size())
        return fail(what + " uses value " + str(v) + " of " +
                    str(scope.slots.size()));
      int64_t &slot = scope.slots[v];
      if (slot < 0) { // a forward reference
        slot = int64_t(values.size());
        values.emplace_back();
      }
      ++values[slot].uses;
    }
  }
  if (mask & 0x08) { // successors: block numbers of the region
    uint64_t successors;
    if (!in.count(successors))
      return fail(what + " claims more successors than it has bytes");
    for (uint64_t i = 0; i < successors; ++i) {
      if (!in.varint(v))
        return truncated(what);
      if (v >= blocks)
        return fail(what + " names successor block " + str(v) + " of " +
                    str(blocks));
    }
  }
  // The results are defined once the operation exists, after its use-list
  // orders are read; they name results, so define first here.
  std::vector<int64_t> defined;
  if (!define(scope, results, defined, what))
    return false;
  if ((mask & 0x20) && !useListOrder(in, defined, what + "'s use-list order"))
    return false;
  if (mask & 0x10) { // regions
    uint64_t regions;
    bool isolated;
    if (!in.varintFlag(regions, isolated))
      return truncated(what);
    if (regions > in.left())
      return fail(what + " claims " + str(regions) + " regions in " +
                  str(in.left()) + " bytes");
    if (depth >= kMaxDepth)
      return fail("operations are nested more than " + str(kMaxDepth) +
                  " levels deep");
    if (isolated && regions) {
      // Since version 2 an isolated operation's regions are a nested IR
      // section with their own value numbering.
      uint8_t id;
      uint64_t length;
      const uint8_t *data;
      if (!in.byte(id) || !in.varint(length))
        return truncated(what);
      if (id & 0x80) {
        uint64_t alignment;
        if (!in.varint(alignment) || !llvm::isPowerOf2_32(uint32_t(alignment)))
          return fail(what + "'s regions have a malformed section header");
        while (uintptr_t(in.p) & (uint32_t(alignment) - 1))
          if (in.empty() || *in.p++ != 0xCB)
            return fail(what + "'s regions have a malformed section header");
      }
      if ((id & 0x7f) != 4 || !in.bytes(length, data))
        return fail(what + "'s regions are no IR section");
      Reader nested{data, data + length};
      Scope inner;
      for (uint64_t r = 0; r < regions; ++r)
        if (!region(nested, inner, depth + 1))
          return false;
    } else {
      for (uint64_t r = 0; r < regions; ++r)
        if (!region(in, scope, depth + 1))
          return false;
    }
  }
  return true;
}

std::optional<std::string> snnc::checkBytecode(llvm::StringRef buffer,
                                               MLIRContext &context) {
  return Checker(buffer, context).run();
}
