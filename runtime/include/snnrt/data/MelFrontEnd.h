//===- MelFrontEnd.h - Log-mel frames from 16 kHz audio ---------*- C++ -*-===//
//
// The RawHD front-end of the paper: 25 ms Hann windows every 10 ms, 40 mel
// bands, log compression, then a fixed normalisation to [0, 1] and an
// optional gain (docs/data.md gives every formula). One frame is one network
// step.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/MelScale.h"
#include "snnrt/base/Status.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace snnrt {

struct MelConfig {
  double sampleRate = 16000;
  uint32_t windowSamples = 400;  ///< 25 ms
  uint32_t hopSamples = 160;     ///< 10 ms = one step
  uint32_t fftSize = 512;        ///< zero-padded window
  uint32_t bands = 40;
  double fMinHz = 0;
  double fMaxHz = 8000;
  double powerFloor = 1e-10;     ///< added before the log: -100 dB
  double normLowDb = -80;        ///< maps to 0 (and everything below it)
  double normHighDb = 0;         ///< maps to 1 (and everything above it)
  /// Applied last. 1: features in [0, 1]; the paper's x20 belongs to the
  /// model (`snnc train --input-scale`, SNN-F1), not to the data.
  double gain = 1;
};

class MelFrontEnd {
public:
  /// Validates the configuration and plans the FFT.
  static Expected<MelFrontEnd> create(const MelConfig &config = MelConfig());
  MelFrontEnd(MelFrontEnd &&) noexcept;
  MelFrontEnd &operator=(MelFrontEnd &&) noexcept;
  ~MelFrontEnd();

  const MelConfig &config() const { return config_; }
  /// Frames for n samples: floor(n / hop). Frame t covers samples
  /// [t*hop, t*hop + window), zero beyond the end of the signal.
  uint32_t frameCount(size_t n) const;

  /// Log-mel energies in dB, [frames, bands] row-major. Thread-safe.
  std::vector<float> logMel(const float *samples, size_t n) const;
  /// logMel mapped to [0, 1] by the dB range, times gain.
  std::vector<float> features(const float *samples, size_t n) const;
  /// The normalisation applied by features() to one dB value.
  float normalise(float db) const;

  /// Centre frequency (Hz) of band b: the peak of its triangle.
  double bandCentreHz(uint32_t b) const;

private:
  MelFrontEnd() = default;
  struct Impl;
  MelConfig config_;
  std::unique_ptr<Impl> impl_;
};

} // namespace snnrt
