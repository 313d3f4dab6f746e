//===- Random.h - A small, portable, checkpointable generator ---*- C++ -*-===//
//
// std:: distributions differ between standard libraries; training must be
// reproducible from a seed everywhere, so the runtime draws from its own
// splitmix64 stream with its own float conversion and shuffle. The mixer is
// the one every seeded draw in snnc goes through (the CPU and CUDA engines,
// rewiring's counter-based hashes, the partitioner's tie-breaks), so it is
// SNNRT_HD: the GPU computes the same bits.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/HostDevice.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace snnrt {

/// splitmix64's finaliser: a bijection of 64 bits that mixes every input bit
/// into every output bit.
SNNRT_HD inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// The golden-ratio increment of a splitmix64 stream.
constexpr uint64_t kSplitmix64Gamma = 0x9E3779B97F4A7C15ull;

/// One step of a splitmix64 stream: advances `state` and returns its output.
SNNRT_HD inline uint64_t splitmix64(uint64_t &state) {
  return mix64(state += kSplitmix64Gamma);
}

class Rng {
public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  /// A stream derived from (seed, a, b): independent streams per epoch and
  /// batch, so resuming at an epoch needs no saved generator state.
  static Rng derive(uint64_t seed, uint64_t a, uint64_t b = 0) {
    Rng r(seed ^ 0x6A09E667F3BCC908ull);
    r.state_ ^= r.next() + a * kSplitmix64Gamma;
    r.state_ ^= r.next() + b * 0xBF58476D1CE4E5B9ull;
    return r;
  }
  uint64_t next() { return splitmix64(state_); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n) (n > 0), without modulo bias.
  uint64_t below(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
      x = next();
    while (x >= limit);
    return x % n;
  }
  template <typename T> void shuffle(std::vector<T> &v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[below(i)]);
  }
  uint64_t state() const { return state_; }

private:
  uint64_t state_;
};

} // namespace snnrt
