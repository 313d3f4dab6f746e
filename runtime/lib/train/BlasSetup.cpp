//===- BlasSetup.cpp - Make OpenBLAS use the CPU's vector kernels ---------===//

#include "snnrt/train/BlasSetup.h"

#include <cblas.h>

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace snnrt {

std::string preferredBlasCore() {
  if (std::getenv("OPENBLAS_CORETYPE"))
    return ""; // the user's choice (or ours, after the re-exec)
  const char *core = openblas_get_corename();
  // OpenBLAS's fallbacks for a CPU model it does not know.
  static const char *const generic[] = {"Prescott", "Core2", "Nehalem",
                                        "Katmai", "Unknown"};
  bool fellBack = !core;
  for (const char *g : generic)
    fellBack = fellBack || !strcasecmp(core, g);
  if (!fellBack)
    return "";
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return "Haswell";
#endif
  return "";
}

void ensureBlasKernels(char **argv) {
  const char *off = std::getenv("SNNRT_BLAS_REEXEC");
  if (off && !std::strcmp(off, "0"))
    return;
  std::string core = preferredBlasCore();
  if (core.empty() || !argv || !argv[0])
    return;
  setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
  execv("/proc/self/exe", argv); // returns only on failure
  unsetenv("OPENBLAS_CORETYPE");
}

} // namespace snnrt
