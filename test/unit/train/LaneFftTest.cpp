//===- LaneFftTest.cpp - LaneFft against the DFT's definition -------------===//
//
// Forward bins against X_f = sum_t x[t] e^{-2 pi i f t / N}, the inverse
// against (1/N) sum_f X_f e^{2 pi i f t / N} over the Hermitian extension,
// in double, for lengths using every radix (8, 4, 2, 3, 5), with the strided
// bin layout the spectral strategy uses and lanes of odd width.
//
//===----------------------------------------------------------------------===//

#include "snnrt/train/LaneFft.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

using namespace snnrt;

namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

struct Layout {
  size_t lanes, binStride, imOffset;
};

// Bins f of signal q at spec[f * binStride + q] (re) and + imOffset (im).
std::vector<double> plainForward(const std::vector<double> &x, uint32_t N,
                                 uint32_t T, const Layout &l) {
  const uint32_t F = N / 2 + 1;
  std::vector<double> spec(F * l.binStride, 0.0);
  for (uint32_t f = 0; f < F; ++f)
    for (size_t q = 0; q < l.lanes; ++q) {
      double re = 0, im = 0;
      for (uint32_t t = 0; t < T; ++t) {
        double a = -kTwoPi * double((uint64_t(f) * t) % N) / N;
        re += x[t * l.lanes + q] * std::cos(a);
        im += x[t * l.lanes + q] * std::sin(a);
      }
      spec[f * l.binStride + q] = re;
      spec[f * l.binStride + l.imOffset + q] = im;
    }
  return spec;
}

std::vector<double> randomValues(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> v(n);
  for (auto &x : v)
    x = u(gen);
  return v;
}

} // namespace

TEST(LaneFft, FastLengthsAreEvenAnd235Smooth) {
  EXPECT_EQ(LaneFft<double>::fastLength(124), 128u);
  EXPECT_EQ(LaneFft<double>::fastLength(100), 100u); // 50 = 2 * 5^2
  EXPECT_EQ(LaneFft<double>::fastLength(27), 30u);   // 14 = 2 * 7: next 30
  EXPECT_EQ(LaneFft<double>::fastLength(1), 2u);
  for (uint32_t n = 1; n < 400; ++n) {
    uint32_t N = LaneFft<double>::fastLength(n);
    EXPECT_GE(N, n);
    EXPECT_EQ(N % 2, 0u);
    uint32_t m = N / 2;
    for (uint32_t p : {2u, 3u, 5u})
      while (m % p == 0)
        m /= p;
    EXPECT_EQ(m, 1u) << N;
  }
}

TEST(LaneFft, ForwardMatchesTheDefinition) {
  // N/2 = 64 (8 8), 8 (8), 32 (8 4), 128 (8 8 2), 24 (8 3), 30 (2 3 5),
  // 45 (3 3 5), 1, 25.
  for (uint32_t N : {128u, 16u, 64u, 256u, 48u, 60u, 90u, 2u, 50u}) {
    const uint32_t T = std::max<uint32_t>(1, N - N / 4);
    const Layout l{7, 3 * 7 + 2, 7 + 1}; // bins strided, parts apart
    auto x = randomValues(size_t(T) * l.lanes, N);
    LaneFft<double> fft(N);
    ASSERT_EQ(fft.bins(), N / 2 + 1);
    std::vector<double> spec(fft.bins() * l.binStride, 0.0);
    std::vector<double> work(fft.workSize(l.lanes));
    fft.forward(x.data(), T, l.lanes, spec.data(), l.binStride, l.imOffset,
                work.data());
    auto want = plainForward(x, N, T, l);
    for (uint32_t f = 0; f < fft.bins(); ++f)
      for (size_t q = 0; q < l.lanes; ++q) {
        size_t at = f * l.binStride + q;
        ASSERT_NEAR(spec[at], want[at], 1e-12 * N) << "N " << N << " f " << f;
        ASSERT_NEAR(spec[at + l.imOffset], want[at + l.imOffset], 1e-12 * N)
            << "N " << N << " f " << f;
      }
  }
}

TEST(LaneFft, InverseMatchesTheDefinitionAndAdds) {
  for (uint32_t N : {128u, 60u, 90u, 16u, 64u, 256u, 48u}) {
    const Layout l{5, 2 * 5, 5};
    const uint32_t F = N / 2 + 1, T = N - 3;
    // Arbitrary bins, with junk in the imaginary parts of bins 0 and N/2
    // (not read: a real signal's are 0).
    auto spec = randomValues(F * l.binStride, 7 + N);
    spec[l.imOffset] = NAN;
    spec[(F - 1) * l.binStride + l.imOffset + 2] = NAN;
    auto y = randomValues(size_t(T) * l.lanes, 11);
    auto before = y;
    LaneFft<double> fft(N);
    std::vector<double> work(fft.workSize(l.lanes));
    fft.inverse(spec.data(), l.binStride, l.imOffset, T, l.lanes, y.data(),
                work.data());
    // accumulate = false writes the same values over whatever y held.
    auto written = randomValues(size_t(T) * l.lanes, 13);
    fft.inverse(spec.data(), l.binStride, l.imOffset, T, l.lanes,
                written.data(), work.data(), /*accumulate=*/false);
    for (uint32_t t = 0; t < T; ++t)
      for (size_t q = 0; q < l.lanes; ++q) {
        double sum = 0;
        for (uint32_t f = 0; f < F; ++f) {
          double re = spec[f * l.binStride + q];
          double im = (f == 0 || 2 * f == N)
                          ? 0.0
                          : spec[f * l.binStride + l.imOffset + q];
          double a = kTwoPi * double((uint64_t(f) * t) % N) / N;
          double c = (f == 0 || 2 * f == N) ? 1.0 : 2.0;
          sum += c * (re * std::cos(a) - im * std::sin(a));
        }
        ASSERT_NEAR(y[t * l.lanes + q], before[t * l.lanes + q] + sum / N,
                    1e-12)
            << "N " << N << " t " << t;
        ASSERT_NEAR(written[t * l.lanes + q], sum / N, 1e-12)
            << "N " << N << " t " << t;
      }
  }
}

TEST(LaneFft, FloatRoundTripIsClose) {
  const uint32_t N = 128, T = 100;
  const size_t lanes = 256;
  auto xd = randomValues(T * lanes, 3);
  std::vector<float> x(xd.begin(), xd.end());
  LaneFft<float> fft(N);
  std::vector<float> spec(fft.bins() * 2 * lanes), work(fft.workSize(lanes));
  fft.forward(x.data(), T, lanes, spec.data(), 2 * lanes, lanes, work.data());
  std::vector<float> y(T * lanes, 0.f);
  fft.inverse(spec.data(), 2 * lanes, lanes, T, lanes, y.data(), work.data());
  for (size_t i = 0; i < y.size(); ++i)
    ASSERT_NEAR(y[i], x[i], 2e-6) << i;
}

TEST(LaneFft, StreamedBinsEqualPlainOnes) {
  // The engine's layout: 64-byte aligned spectrum, parts a whole number of
  // lines apart, lanes in chunks of 64 and a partial chunk (100 = 64 + 36,
  // whose 36 floats are not whole lines: plain stores there).
  const uint32_t N = 128, T = 100;
  for (size_t lanes : {size_t(256), size_t(100)}) {
    auto xd = randomValues(T * lanes, 5);
    std::vector<float> x(xd.begin(), xd.end());
    LaneFft<float> fft(N);
    const size_t part = lanes + 16, bins = fft.bins();
    std::vector<float> plain(bins * 2 * part + 16), streamed(plain.size()),
        work(fft.workSize(lanes));
    const size_t misalign =
        reinterpret_cast<uintptr_t>(streamed.data()) % 64;
    float *at = streamed.data() + (misalign ? (64 - misalign) / 4 : 0);
    fft.forward(x.data(), T, lanes, plain.data(), 2 * part, part, work.data());
    fft.forward(x.data(), T, lanes, at, 2 * part, part, work.data(),
                /*stream=*/true);
    for (size_t f = 0; f < bins; ++f)
      for (size_t q = 0; q < lanes; ++q) {
        ASSERT_EQ(at[f * 2 * part + q], plain[f * 2 * part + q]) << f;
        ASSERT_EQ(at[f * 2 * part + part + q], plain[f * 2 * part + part + q])
            << f;
      }
  }
}
