//===- MelScale.h - The HTK mel scale ---------------------------*- C++ -*-===//
//
// mel(f) = 2595 log10(1 + f/700): the audio front-end's filterbank and the
// training's formant augmentation place channels on it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cmath>

namespace snnrt {

inline double hzToMel(double hz) {
  return 2595.0 * std::log10(1.0 + hz / 700.0);
}
inline double melToHz(double mel) {
  return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
}

} // namespace snnrt
