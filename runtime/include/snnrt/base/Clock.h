//===- Clock.h - Wall-clock seconds for progress and reports ---*- C++ -*-===//
//
// Every "took N s" the runtime and snnc print is measured with this one
// steady clock.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>

namespace snnrt {

using SteadyTime = std::chrono::steady_clock::time_point;

inline SteadyTime steadyNow() { return std::chrono::steady_clock::now(); }

/// Seconds elapsed since `start`.
inline double secondsSince(SteadyTime start) {
  return std::chrono::duration<double>(steadyNow() - start).count();
}

} // namespace snnrt
