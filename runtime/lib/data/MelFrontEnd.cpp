//===- MelFrontEnd.cpp - Log-mel frames from 16 kHz audio -----------------===//
//
// Window -> real FFT (FFTW, single precision) -> power -> triangular mel
// filters -> dB -> fixed-range normalisation. The formulas are in
// docs/data.md; tests check them against independent expectations (a tone
// lands in its band, silence gives the floor).
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/MelFrontEnd.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace snnrt {

namespace {
/// FFTW's planner is not thread-safe; only fftwf_execute_* is.
std::mutex &plannerMutex() {
  static std::mutex m;
  return m;
}
} // namespace

struct MelFrontEnd::Impl {
  fftwf_plan plan = nullptr;
  std::vector<float> window;
  /// Sparse filter bank: band b covers FFT bins [first[b], first[b] +
  /// weights[b].size()).
  std::vector<uint32_t> first;
  std::vector<std::vector<float>> weights;
  std::vector<double> centreHz;
  double powerScale = 1; ///< 2 / (sum of window)^2
  ~Impl() {
    if (plan) {
      std::lock_guard<std::mutex> lock(plannerMutex());
      fftwf_destroy_plan(plan);
    }
  }
};

MelFrontEnd::MelFrontEnd(MelFrontEnd &&) noexcept = default;
MelFrontEnd &MelFrontEnd::operator=(MelFrontEnd &&) noexcept = default;
MelFrontEnd::~MelFrontEnd() = default;

Expected<MelFrontEnd> MelFrontEnd::create(const MelConfig &c) {
  if (!(c.sampleRate > 0) || c.windowSamples == 0 || c.hopSamples == 0 ||
      c.bands == 0)
    return Status::error("front-end: rate, window, hop and bands must be "
                         "positive");
  if (c.fftSize < c.windowSamples)
    return Status::error("front-end: FFT size must be at least the window");
  if (!(c.fMinHz >= 0) || !(c.fMaxHz > c.fMinHz) ||
      c.fMaxHz > c.sampleRate / 2 + 1e-9)
    return Status::error("front-end: need 0 <= fmin < fmax <= rate/2");
  if (!(c.powerFloor > 0) || !(c.normHighDb > c.normLowDb) || !(c.gain > 0))
    return Status::error("front-end: need a positive floor and gain and a "
                         "non-empty dB range");

  MelFrontEnd fe;
  fe.config_ = c;
  fe.impl_ = std::make_unique<Impl>();
  Impl &im = *fe.impl_;

  // Periodic Hann: w[n] = 0.5 - 0.5 cos(2 pi n / W). Periodic rather than
  // symmetric so that windows at 50 % overlap sum to a constant (the same
  // choice as torch.hann_window's default).
  const uint32_t w = c.windowSamples;
  im.window.resize(w);
  double sum = 0;
  for (uint32_t n = 0; n < w; ++n) {
    im.window[n] = float(0.5 - 0.5 * std::cos(2 * M_PI * n / w));
    sum += im.window[n];
  }
  // A sine of amplitude A centred on a bin has |X| = A * sum(w) / 2, so this
  // scale reports its power as A^2 / 2, its mean square: a full-scale sine
  // reads -3 dB.
  im.powerScale = 2.0 / (sum * sum);

  // Triangular filters with peaks equally spaced on the mel scale; each
  // triangle rises from the previous peak to its own and falls to the next,
  // linearly in Hz, with height 1.
  const uint32_t bins = c.fftSize / 2 + 1;
  const double melLo = hzToMel(c.fMinHz), melHi = hzToMel(c.fMaxHz);
  std::vector<double> edges(c.bands + 2);
  for (uint32_t i = 0; i < c.bands + 2; ++i)
    edges[i] = melToHz(melLo + (melHi - melLo) * i / (c.bands + 1));
  im.first.resize(c.bands);
  im.weights.resize(c.bands);
  im.centreHz.resize(c.bands);
  for (uint32_t b = 0; b < c.bands; ++b) {
    const double lo = edges[b], mid = edges[b + 1], hi = edges[b + 2];
    im.centreHz[b] = mid;
    uint32_t start = bins;
    std::vector<float> wts;
    for (uint32_t k = 0; k < bins; ++k) {
      double f = k * c.sampleRate / c.fftSize;
      double v = 0;
      if (f > lo && f <= mid)
        v = (f - lo) / (mid - lo);
      else if (f > mid && f < hi)
        v = (hi - f) / (hi - mid);
      if (v > 0) {
        if (start == bins)
          start = k;
        wts.resize(k - start + 1, 0.0f);
        wts[k - start] = float(v);
      }
    }
    // Narrow low bands may fall between FFT bins; give them the nearest bin
    // so that no band is identically empty.
    if (wts.empty()) {
      start = std::min<uint32_t>(bins - 1,
                                 uint32_t(std::lround(mid * c.fftSize /
                                                      c.sampleRate)));
      wts = {1.0f};
    }
    im.first[b] = start;
    im.weights[b] = std::move(wts);
  }

  float *in = fftwf_alloc_real(c.fftSize);
  fftwf_complex *out = fftwf_alloc_complex(bins);
  {
    std::lock_guard<std::mutex> lock(plannerMutex());
    // FFTW_ESTIMATE: planning in microseconds and reproducible across runs.
    im.plan = fftwf_plan_dft_r2c_1d(int(c.fftSize), in, out, FFTW_ESTIMATE);
  }
  fftwf_free(in);
  fftwf_free(out);
  if (!im.plan)
    return Status::error("front-end: FFTW could not plan the transform",
                         ErrorKind::Internal);
  return fe;
}

uint32_t MelFrontEnd::frameCount(size_t n) const {
  return uint32_t(n / config_.hopSamples);
}

double MelFrontEnd::bandCentreHz(uint32_t b) const {
  return impl_->centreHz.at(b);
}

std::vector<float> MelFrontEnd::logMel(const float *x, size_t n) const {
  const MelConfig &c = config_;
  const Impl &im = *impl_;
  const uint32_t frames = frameCount(n);
  const uint32_t bins = c.fftSize / 2 + 1;
  std::vector<float> out(size_t(frames) * c.bands);
  // Buffers from fftwf_malloc have the alignment the plan was made with,
  // which fftwf_execute_dft_r2c requires.
  float *in = fftwf_alloc_real(c.fftSize);
  fftwf_complex *spec = fftwf_alloc_complex(bins);
  std::vector<float> power(bins);
  for (uint32_t t = 0; t < frames; ++t) {
    const size_t start = size_t(t) * c.hopSamples;
    for (uint32_t i = 0; i < c.fftSize; ++i) {
      size_t j = start + i;
      in[i] = (i < c.windowSamples && j < n) ? x[j] * im.window[i] : 0.0f;
    }
    fftwf_execute_dft_r2c(im.plan, in, spec);
    for (uint32_t k = 0; k < bins; ++k)
      power[k] = float((double(spec[k][0]) * spec[k][0] +
                        double(spec[k][1]) * spec[k][1]) *
                       im.powerScale);
    for (uint32_t b = 0; b < c.bands; ++b) {
      double e = 0;
      const auto &wts = im.weights[b];
      for (size_t k = 0; k < wts.size(); ++k)
        e += double(wts[k]) * power[im.first[b] + k];
      out[size_t(t) * c.bands + b] = float(10.0 * std::log10(e + c.powerFloor));
    }
  }
  fftwf_free(in);
  fftwf_free(spec);
  return out;
}

float MelFrontEnd::normalise(float db) const {
  const MelConfig &c = config_;
  double v = (db - c.normLowDb) / (c.normHighDb - c.normLowDb);
  return float(c.gain * std::clamp(v, 0.0, 1.0));
}

std::vector<float> MelFrontEnd::features(const float *x, size_t n) const {
  std::vector<float> v = logMel(x, n);
  for (float &f : v)
    f = normalise(f);
  return v;
}

} // namespace snnrt
