//===- LaneFft.h - Real FFTs of many signals side by side ------*- C++ -*-===//
//
// The spectral strategy (Engine.cpp, docs/semantics.md "Cost") transforms
// every neuron's [T][B] block over time: B signals of T steps, the samples
// of one step contiguous ("lanes"). LaneFft is a mixed-radix (8, 4, 2, 3, 5)
// Stockham FFT whose every butterfly is a loop over those contiguous lanes,
// so it vectorises across the batch with twiddles constant in the loop.
//
// Why not FFTW: its guru interface accepts this layout, but FFTW 3.3.10's
// real transforms do not vectorise across the lanes; on the bench network
// (256 neurons x 256 lanes, N = 128, one core) it took 73 ms per transform
// against 24 ms for the DFT as one BLAS product and 12-14 ms for this one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace snnrt {

/// A real DFT of length N (even, N/2 a product of 2, 3 and 5) applied to
/// signals of T <= N steps zero-padded to N: X_f = sum_t x[t] e^{-2 pi i f t
/// / N} for f = 0 .. N/2, and its inverse x[t] = (1/N) sum_{f < N} X_f
/// e^{2 pi i f t / N} (X_{N-f} = conj X_f) for t < T.
template <typename Real> class LaneFft {
public:
  /// The smallest valid length >= `atLeast`.
  static uint32_t fastLength(uint32_t atLeast);
  explicit LaneFft(uint32_t n);

  uint32_t length() const { return n_; }
  uint32_t bins() const { return n_ / 2 + 1; }
  /// Work space, in Real values, one call with `lanes` lanes needs.
  size_t workSize(size_t lanes) const {
    // Four arrays for the passes, two bins' parts for streamed stores.
    return size_t(4) * arraySize(lanes < kChunk ? lanes : kChunk) +
           2 * kChunk;
  }

  /// x: [T][lanes]. Bin f's real parts go to spec[f * binStride + lane],
  /// its imaginary parts to spec[f * binStride + imOffset + lane].
  /// `stream`: written with streaming stores (StreamStore.h; same values)
  /// where spec, binStride and imOffset keep every run of bins on 64-byte
  /// lines: for a spectrum far larger than the caches, read back later.
  void forward(const Real *x, uint32_t T, size_t lanes, Real *spec,
               size_t binStride, size_t imOffset, Real *work,
               bool stream = false) const;
  /// The inverse of bins laid out as forward writes them, steps t < T
  /// added to y: [T][lanes] (accumulate false: written to y). Only the
  /// real parts of bins 0 and N/2 are read (those of a real signal).
  void inverse(const Real *spec, size_t binStride, size_t imOffset, uint32_t T,
               size_t lanes, Real *y, Real *work, bool accumulate = true) const;

  /// Lanes transformed together (their work arrays stay in the L2 cache).
  static constexpr size_t kChunk = 64;

private:
  /// One of the four work arrays of `lanes` lanes, padded so that their
  /// starts differ modulo 4 KiB (m_ lanes is often a multiple of it): a
  /// load and a store 4 KiB apart look dependent to the core and stall.
  size_t arraySize(size_t lanes) const { return size_t(m_) * lanes + 32; }

  uint32_t n_, m_;               ///< real length, complex length N/2
  std::vector<uint32_t> radices; ///< of m_, in pass order
  /// Per pass, the twiddles w^(j u) of its butterflies ([j][u], re and im).
  std::vector<std::vector<Real>> twRe, twIm;
  /// Per pass, the DFT matrix of its radix ([u][r], forward angle).
  std::vector<std::vector<Real>> smallRe, smallIm;
  std::vector<Real> halfRe, halfIm; ///< e^{-2 pi i f / N}, f <= m_
  std::vector<Real> zeros;          ///< kChunk zeros: steps beyond T
  /// A [T][lanes] signal (lanes q0 ..) read by the first pass (`in`:
  /// element e is steps 2e, 2e + 1) or written by the last (`out`: added
  /// when `accumulate`).
  struct Rows {
    const Real *in;
    Real *out;
    size_t lanes, q0;
    uint32_t T;
    bool accumulate;
  };
  /// The complex FFT of length m_ on split arrays [m_][lanes]; `sign` -1
  /// forward, +1 inverse (unscaled). Sets (outRe, outIm) to the arrays
  /// holding the result, (re, im) or (re2, im2); with rows->in the input
  /// is read from those rows instead of (re, im), with rows->out the
  /// result goes there instead (when there is at least one pass).
  void complexFft(Real *re, Real *im, Real *re2, Real *im2, size_t lanes,
                  int sign, const Rows *rows, Real *&outRe, Real *&outIm) const;
};

extern template class LaneFft<float>;
extern template class LaneFft<double>;

} // namespace snnrt
