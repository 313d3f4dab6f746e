//===- SanitizerDefaults.cpp - Options of every sanitized snnc program ----===//
//
// Linked into every executable of an SNNC_SANITIZE build (CMakeLists.txt), so
// that snnc, snn-opt, the tests and the fuzz targets behave the same however
// they are started (lit, ctest, a shell); *SAN_OPTIONS still override these.
//
//===----------------------------------------------------------------------===//

extern "C" {

// LLVM's BumpPtrAllocator poisons its slabs when its header is compiled with
// ASan (our code) and unpoisons what it hands out, but the same inline code
// compiled into Debian's uninstrumented MLIR libraries does not unpoison:
// MLIRContext's constructor then reads "use-after-poison" memory that is
// valid. snnc poisons nothing itself, so manual poisoning is turned off;
// ASan's own checks (heap, stack, globals, leaks) are unaffected.
const char *__asan_default_options() { return "allow_user_poisoning=0"; }

const char *__ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}

// Leaks in third-party code only, one line each with its reason.
const char *__lsan_default_suppressions() { return ""; }
}
