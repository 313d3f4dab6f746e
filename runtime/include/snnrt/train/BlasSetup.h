//===- BlasSetup.h - Make OpenBLAS use the CPU's vector kernels -*- C++ -*-===//
//
// OpenBLAS picks its kernels from the CPU model when the library loads. A
// release that predates the CPU (0.3.21 on Intel model 207, Emerald Rapids)
// falls back to its SSE3 "Prescott" kernels, 4-5x slower than the AVX-512
// ones on the same machine (measured: sgemm 1024^3, one thread, 33 vs 154
// GFLOP/s). The choice can only be overridden by OPENBLAS_CORETYPE before the
// library loads, so a tool calls ensureBlasKernels first thing in main: when
// the library fell back to a generic core although the CPU has AVX2/AVX-512,
// it sets OPENBLAS_CORETYPE and re-executes itself once.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>

namespace snnrt {

/// The OpenBLAS core to ask for on this CPU when the library fell back to a
/// generic one ("SkylakeX", "Haswell"), or "" when its choice stands (an
/// OPENBLAS_CORETYPE already set, a known core, or a CPU without AVX2).
std::string preferredBlasCore();

/// If preferredBlasCore() names a core, sets OPENBLAS_CORETYPE to it and
/// re-executes the running program with `argv` (first thing in main: nothing
/// printed or written yet). Returns when there is nothing to do or exec
/// fails (the run then goes on with the generic kernels).
/// SNNRT_BLAS_REEXEC=0 turns it off.
void ensureBlasKernels(char **argv);

} // namespace snnrt
