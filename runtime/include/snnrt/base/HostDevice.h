//===- HostDevice.h - Marks functions callable from host and device -*- C++ -*-===//
//
// SNNRT_HD expands to `__host__ __device__` when a header is compiled by nvcc
// and to nothing otherwise, so the per-element arithmetic of the float rules
// (Kernels.h) and the integer rules (IntegerMath.h) is one set of inline
// functions used by the CPU engine, the CPU executors and the CUDA kernels
// (docs/design.md §2: CPU tests exercise the GPU's maths).
//
//===----------------------------------------------------------------------===//
#pragma once

#ifndef SNNRT_HD
#if defined(__CUDACC__)
#define SNNRT_HD __host__ __device__
#else
#define SNNRT_HD
#endif
#endif
