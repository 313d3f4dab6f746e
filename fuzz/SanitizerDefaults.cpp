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
//
// A corrupted HDF5 header can make HDF5 itself (H5C_protect) ask malloc for
// petabytes. Outside ASan malloc returns NULL and HDF5 reports an error,
// which snnc turns into a clean refusal; allocator_may_return_null=1 gives
// the sanitized build the same behaviour instead of aborting inside HDF5.
const char *__asan_default_options() {
  return "allow_user_poisoning=0:allocator_may_return_null=1";
}

const char *__ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}

// Leaks in third-party code only, one line each with its reason.
const char *__lsan_default_suppressions() {
  return
      // HDF5 1.10.8 (Debian 12) leaks the pieces of a metadata block whose
      // decoding fails (H5C_protect -> H5C__load_entry error path, e.g. a
      // corrupted object header read by H5Aexists_by_name or H5Dopen; found
      // by the fuzz targets). HDF5 is built without frame pointers, so the
      // stack ASan records ends in the library: only the module can be
      // named. snnc's own HDF5 identifiers are closed by h5::Handle (RAII).
      "leak:libhdf5_serial.so\n";
}
}
