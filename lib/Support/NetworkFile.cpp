//===- NetworkFile.cpp - Reading snn networks from .mlir files ------------===//

#include "snnc/NetworkFile.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>
#include <optional>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SNNC_HAVE_LSAN 1
#endif
#endif
#if !defined(SNNC_HAVE_LSAN) && defined(__SANITIZE_ADDRESS__)
#define SNNC_HAVE_LSAN 1
#endif
#if SNNC_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using namespace mlir;
using namespace snnc;

void snnc::registerSnncDialects(DialectRegistry &registry) {
  registry.insert<snn::SNNDialect>();
}

std::unique_ptr<llvm::MemoryBuffer>
snnc::terminateTextBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  // A final newline ends every unterminated string at a character the lexer
  // stops on, so a truncated file gets the diagnostic and nothing after it.
  if (isBytecode(*buffer) || buffer->getBuffer().ends_with("\n"))
    return buffer;
  return llvm::MemoryBuffer::getMemBufferCopy(
      (buffer->getBuffer() + "\n").str(), buffer->getBufferIdentifier());
}

namespace {
/// Reads the primitives of MLIR's bytecode (mlir/docs/BytecodeFormat.md):
/// bytes, PrefixVarInts, byte ranges; false when the data ends first.
struct BytecodeScanner {
  const uint8_t *p;
  const uint8_t *end;

  bool byte(uint8_t &b) {
    if (p == end)
      return false;
    b = *p++;
    return true;
  }
  bool bytes(uint64_t n, const uint8_t *&out) {
    if (uint64_t(end - p) < n)
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
};
} // namespace

/// Three flaws of MLIR 19's bytecode reader, found by fuzz-mlir-bytecode
/// (third-party, mlir/lib/Bytecode/Reader):
/// - the tables of strings, dialects, attributes and types, and properties
///   are sized from counts read from the file, unbounded: a count of 2^40
///   attributes ends in SmallVector's "capacity overflow" fatal error (or an
///   allocation as large); every entry takes at least one byte of its
///   section, so no count may exceed the section's length;
/// - a blob's alignment is checked truncated to 32 bits (its
///   EncodingReader::alignTo takes `unsigned`) and then used with all 64:
///   an alignment of 2^34 + 2 passes as 2 and reaches `operator new(size,
///   align_val_t)` with an alignment that is no power of two (undefined
///   behaviour; an abort under AddressSanitizer); a huge power of two makes
///   the allocation as large;
/// - an entry's kind byte is not range-checked: a kind above 2 reaches
///   toString(AsmResourceEntryKind), whose switch has no case for it, and the
///   StringRef it returns is garbage (a diagnostic copied ~2^62 bytes).
/// This finds such a count or entry before MLIR reads the file: a blob
/// alignment that is no power of two up to 65536 (tensor data asks for its
/// element size), or an unknown kind. A file that does not parse this far is
/// left to MLIR's reader, which reports it.
static std::optional<std::string> badBytecode(StringRef buffer) {
  BytecodeScanner in{reinterpret_cast<const uint8_t *>(buffer.data()),
                     reinterpret_cast<const uint8_t *>(buffer.end())};
  const uint8_t *magic, *nul;
  uint64_t version;
  if (!in.bytes(4, magic) || std::memcmp(magic, "ML\xefR", 4) != 0 ||
      !in.varint(version) ||
      !(nul = static_cast<const uint8_t *>(
            std::memchr(in.p, 0, size_t(in.end - in.p)))))
    return std::nullopt;
  in.p = nul + 1; // the producer string
  // Sections: an id (high bit: aligned), a length, the alignment and its
  // padding (0xCB bytes up to an address that is a multiple of it: MLIR
  // reads this same buffer), the data.
  BytecodeScanner resources{nullptr, nullptr}, offsets{nullptr, nullptr};
  std::optional<std::string> bad;
  while (in.p != in.end && !bad) {
    uint8_t id;
    uint64_t length;
    if (!in.byte(id) || !in.varint(length))
      return std::nullopt;
    if (id & 0x80) {
      uint64_t alignment;
      if (!in.varint(alignment) || !llvm::isPowerOf2_32(uint32_t(alignment)))
        return std::nullopt;
      while (uintptr_t(in.p) & (uint32_t(alignment) - 1))
        if (in.p == in.end || *in.p++ != 0xCB)
          return std::nullopt;
    }
    const uint8_t *data;
    if (!in.bytes(length, data))
      return std::nullopt;
    // Section ids 5 and 6: the resources and their index.
    unsigned section = id & 0x7f;
    if (section == 5)
      resources = {data, data + length};
    else if (section == 6)
      offsets = {data, data + length};
    // Sections that start with entry counts: strings (0), dialects (1),
    // attributes and types (3: two counts), properties (8).
    BytecodeScanner counts{data, data + length};
    uint64_t first = 0, second = 0;
    if ((section == 0 || section == 1 || section == 3 || section == 8) &&
        counts.varint(first) && (section != 3 || counts.varint(second)) &&
        (first > length || second > length - first)) {
      const char *what = section == 0   ? "string"
                         : section == 1 ? "dialect"
                         : section == 3 ? "attribute and type index"
                                        : "properties";
      bad =
          "its " + std::string(what) + " section claims " +
          std::to_string(first) +
          (section == 3 ? " attributes and " + std::to_string(second) + " types"
                        : " entries") +
          " in " + std::to_string(length) + " bytes";
    }
  }
  if (bad || !resources.p || !offsets.p)
    return bad;
  // The index: external resource groups (a key each), then one group per
  // dialect (a dialect number each). A group: its number of entries, each a
  // key, a size (the next that many bytes of the resource section) and a
  // kind (0: a blob, whose data starts with its alignment).
  auto group = [&]() {
    uint64_t entries;
    if (!offsets.varint(entries))
      return false;
    for (uint64_t i = 0; i < entries; ++i) {
      uint64_t key, size, alignment;
      uint8_t kind;
      const uint8_t *data;
      if (!offsets.varint(key) || !offsets.varint(size) ||
          !offsets.byte(kind) || !resources.bytes(size, data))
        return false;
      BytecodeScanner blob{data, data + size};
      if (kind > 2) {
        bad = "a resource entry of unknown kind " + std::to_string(kind) +
              " (0: blob, 1: bool, 2: string)";
        return false;
      }
      if (kind == 0 && blob.varint(alignment) &&
          (!llvm::isPowerOf2_64(alignment) || alignment > 65536)) {
        bad = "a resource blob claims an alignment of " +
              std::to_string(alignment) +
              " bytes (expected a power of two up to 65536)";
        return false;
      }
    }
    return true;
  };
  uint64_t external, key;
  if (!offsets.varint(external))
    return std::nullopt;
  for (uint64_t i = 0; i < external; ++i)
    if (!offsets.varint(key) || !group())
      return bad;
  while (offsets.p != offsets.end)
    if (!offsets.varint(key) || !group())
      return bad;
  return bad;
}

/// MLIR 19's bytecode reader builds dense elements attributes from the
/// file's data without comparing its size with the type (the builtin
/// dialect's reader calls DenseIntOrFPElementsAttr::getFromRawBuffer, whose
/// check is an assertion, off in release builds): an attribute whose data is
/// shorter than its type is read past its end by whoever looks at its values,
/// printing it in a verifier's diagnostic included (SIGSEGV in snnc compile,
/// found by fuzz-mlir-bytecode). Types are built unchecked as well: that
/// attribute's type was tensor<-13xf32>. The text parser checks both itself.
/// Every type and dense attribute of every operation (attributes, results,
/// block arguments) is checked here before verification.
static std::optional<std::string> badDenseAttribute(ModuleOp module) {
  std::optional<std::string> bad;
  auto describe = [](ShapedType type, uint64_t have, llvm::StringRef unit) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "a dense attribute of type " << type << " holds " << have << " "
       << unit << " of data, not its " << type.getNumElements()
       << " elements (or one, a splat)";
    return text;
  };
  // True (and `bad` set) for a shape with a negative, non-dynamic size.
  auto negative = [&](Type type) {
    auto shaped = llvm::dyn_cast<ShapedType>(type);
    if (bad || !shaped || !shaped.hasRank())
      return bool(bad);
    for (int64_t d : shaped.getShape())
      if (d < 0 && !ShapedType::isDynamic(d)) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << "a type with a negative dimension: " << type;
        bad = text;
        return true;
      }
    return false;
  };
  AttrTypeWalker walker;
  walker.addWalk([&](Type type) { (void)negative(type); });
  walker.addWalk([&](Attribute attr) {
    auto elements = llvm::dyn_cast<ElementsAttr>(attr);
    if (bad || (elements && negative(elements.getShapedType())))
      return;
    if (auto dense = llvm::dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
      bool splat = false;
      if (!DenseElementsAttr::isValidRawBuffer(dense.getType(),
                                               dense.getRawData(), splat))
        bad = describe(dense.getType(), dense.getRawData().size(), "bytes");
    } else if (auto strings = llvm::dyn_cast<DenseStringElementsAttr>(attr)) {
      uint64_t n = strings.getRawStringData().size();
      if (n != 1 && int64_t(n) != strings.getType().getNumElements())
        bad = describe(strings.getType(), n, "strings");
    }
  });
  module->walk([&](Operation *op) {
    walker.walk(op->getAttrDictionary());
    for (Type type : op->getResultTypes())
      walker.walk(type);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          walker.walk(arg.getType());
    return bad ? WalkResult::interrupt() : WalkResult::advance();
  });
  return bad;
}

OwningOpRef<ModuleOp> snnc::parseNetworkFile(StringRef path,
                                             MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    llvm::errs() << path << ": " << error << "\n";
    return nullptr;
  }
  return parseNetworkBuffer(std::move(file), sourceMgr, context);
}

OwningOpRef<ModuleOp>
snnc::parseNetworkBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                         llvm::SourceMgr &sourceMgr, MLIRContext &context) {
  bool bytecode = isBytecode(*buffer);
  std::string name = buffer->getBufferIdentifier().str();
  sourceMgr.AddNewSourceBuffer(terminateTextBuffer(std::move(buffer)),
                               llvm::SMLoc());
  if (!bytecode)
    // parseSourceFile verifies the module after parsing.
    return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (auto problem = badBytecode(
          sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())->getBuffer())) {
    emitError(FileLineColLoc::get(&context, name, 0, 0))
        << "corrupted MLIR bytecode: " << *problem;
    return nullptr;
  }
  // MLIR 19's bytecode reader is not hardened: on some corrupted files it
  // reports the error and then dereferences what failed to read (a FloatAttr
  // whose type did not read: SIGSEGV in APFloat's copy; found by
  // fuzz-mlir-bytecode). Reading runs in a crash-recovery context, which
  // turns such a crash into an error; the half-read IR is abandoned, never
  // used or destroyed. Verification runs outside it, so that a crash in
  // snnc's own verifiers stays a crash the sanitizers and fuzzers see.
  OwningOpRef<ModuleOp> module;
  // What a crashed read allocated is abandoned on purpose: LeakSanitizer
  // (sanitized builds) must not count MLIR's reader's memory as snnc's leak.
#if SNNC_HAVE_LSAN
  __lsan_disable();
#endif
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext crc;
  bool ok = crc.RunSafely([&] {
    module = parseSourceFile<ModuleOp>(
        sourceMgr, ParserConfig(&context, /*verifyAfterParse=*/false));
  });
  llvm::CrashRecoveryContext::Disable();
#if SNNC_HAVE_LSAN
  __lsan_enable();
#endif
  if (!ok) {
    (void)module.release();
    emitError(FileLineColLoc::get(&context, name, 0, 0))
        << "corrupted MLIR bytecode: MLIR's bytecode reader failed on it";
    return nullptr;
  }
  if (!module)
    return nullptr;
  if (auto problem = badDenseAttribute(*module)) {
    emitError(FileLineColLoc::get(&context, name, 0, 0))
        << "corrupted MLIR bytecode: " << *problem;
    return nullptr;
  }
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

SmallVector<snn::NetworkOp> snnc::getNetworks(ModuleOp module) {
  SmallVector<snn::NetworkOp> networks;
  for (auto net : module.getOps<snn::NetworkOp>())
    networks.push_back(net);
  return networks;
}
