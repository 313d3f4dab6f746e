//===- NetworkFile.cpp - Reading snn networks from .mlir files ------------===//

#include "snnc/NetworkFile.h"

#include "mlir/Bytecode/BytecodeReader.h"
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

/// MLIR 19's bytecode reader checks a resource blob's alignment after
/// truncating it to 32 bits (its EncodingReader::alignTo takes `unsigned`),
/// then allocates the blob with the full 64-bit value: an alignment of
/// 2^32 + 1 passes as 1 and reaches `operator new(size, align_val_t)` with
/// an alignment that is no power of two (undefined behaviour; an abort
/// under AddressSanitizer, found by fuzz-mlir-bytecode). A huge power of two
/// makes the allocation as large. This finds such a blob before MLIR reads
/// the file: the first alignment that is not a power of two of at most
/// 65536 (tensor data asks for its element size). A file that does not
/// parse this far is left to MLIR's reader, which reports it.
static std::optional<uint64_t> badBlobAlignment(StringRef buffer) {
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
  while (in.p != in.end) {
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
    if ((id & 0x7f) == 5)
      resources = {data, data + length};
    else if ((id & 0x7f) == 6)
      offsets = {data, data + length};
  }
  if (!resources.p || !offsets.p)
    return std::nullopt;
  // The index: external resource groups (a key each), then one group per
  // dialect (a dialect number each). A group: its number of entries, each a
  // key, a size (the next that many bytes of the resource section) and a
  // kind (0: a blob, whose data starts with its alignment).
  std::optional<uint64_t> bad;
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
      if (kind == 0 && blob.varint(alignment) &&
          (!llvm::isPowerOf2_64(alignment) || alignment > 65536)) {
        bad = alignment;
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
  if (auto alignment = badBlobAlignment(
          sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())->getBuffer())) {
    emitError(FileLineColLoc::get(&context, name, 0, 0))
        << "corrupted MLIR bytecode: a resource blob claims an alignment of "
        << *alignment << " bytes (expected a power of two up to 65536)";
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
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

SmallVector<snn::NetworkOp> snnc::getNetworks(ModuleOp module) {
  SmallVector<snn::NetworkOp> networks;
  for (auto net : module.getOps<snn::NetworkOp>())
    networks.push_back(net);
  return networks;
}
