//===- CudaRewiring.h - DEEP R / RigL rewiring on a CUDA GPU ----*- C++ -*-===//
//
// rewireSlots (Rewiring.h) as CUDA kernels: the per-slot steps and the drop
// rule (RewiringMath.h, shared with the CPU), then the regrowth choice by a
// stable radix sort (CUB) of (key, slot) over the free slots in ascending
// slot order. Bit-identical to rewireSlots (test/unit/device). Without the
// CUDA backend (CudaStubs.cpp) it reports "built without the CUDA backend".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/train/Rewiring.h"

namespace snnrt {

/// As rewireSlots, on the GPU: `theta` and `present` are uploaded, updated
/// and downloaded; RigL's `grads` is called on the host with the candidate
/// slots the device chose and its result uploaded for the selection.
Status cudaRewireSlots(const SlotRewireSpec &spec, std::vector<float> &theta,
                       std::vector<uint8_t> &present,
                       const SlotGradientFn &grads, SlotRewireResult &result);

} // namespace snnrt
