//===- Augment.cpp - Input augmentation of a training batch ---------------===//

#include "snnrt/train/Augment.h"

#include "snnrt/base/MelScale.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {

int64_t drawShift(Rng &rng, uint32_t limit) {
  if (limit == 0)
    return 0;
  return int64_t(rng.below(2 * uint64_t(limit) + 1)) - int64_t(limit);
}

/// One sample's draws (AugmentSpec's order: time, channels, warp, gain).
struct SampleDraw {
  int64_t dt = 0, dc = 0;
  double a1 = 0, a2 = 0, b1 = 0, b2 = 0;
  bool bends = false; ///< warp or gain not the identity

  SampleDraw(const AugmentSpec &spec, Rng &rng) {
    dt = drawShift(rng, spec.timeShift);
    dc = drawShift(rng, spec.channelShift);
    if (spec.warpChannels > 0) {
      a1 = spec.warpChannels * rng.uniform(-1, 1);
      a2 = spec.warpChannels * rng.uniform(-1, 1);
    }
    if (spec.bandGain > 0) {
      b1 = spec.bandGain * rng.uniform(-1, 1);
      b2 = spec.bandGain * rng.uniform(-1, 1);
    }
    if (spec.formantScale > 0)
      logScale = std::log1p(spec.formantScale) * rng.uniform(-1, 1);
    bends = a1 != 0 || a2 != 0 || b1 != 0 || b2 != 0 || logScale != 0;
  }
  double logScale = 0; ///< ln a of the formant scale (0: none)

  /// d(y): how far the content at (fractional) channel y moves up.
  double displacement(double y, int64_t C) const {
    double u = C > 1 ? y / double(C - 1) : 0.0;
    return a1 * std::sin(M_PI * u) + 0.5 * a2 * std::sin(2 * M_PI * u);
  }
  /// 1 + g(c).
  float gain(int64_t c, int64_t C) const {
    double u = C > 1 ? double(c) / double(C - 1) : 0.0;
    return float(1.0 + 0.5 * (b1 * (2 * u - 1) + b2 * std::sin(2 * M_PI * u)));
  }
};

/// Channels as C mel bands from 0 Hz to topHz (the front-end's layout:
/// band c peaks at mel(top) (c + 1) / (C + 1)): the fractional channel at
/// which frequency f lies, and the frequency at fractional channel y.
struct MelAxis {
  double perBand; ///< mels between band peaks
  MelAxis(double topHz, int64_t C) : perBand(hzToMel(topHz) / double(C + 1)) {}
  double channelOf(double hz) const { return hzToMel(hz) / perBand - 1.0; }
  double hzAt(double y) const { return melToHz((y + 1.0) * perBand); }
};

/// One sample's warp and gain per channel, computed once per sample (not
/// per step or event) into buffers reused from sample to sample.
struct ChannelTables {
  /// frames: channel c reads lo[c] and lo[c] + 1 weighted 1 - frac[c] and
  /// frac[c]; lo[c] = -1: silent (the formant scale read above the top).
  std::vector<int64_t> lo;
  std::vector<float> frac;
  /// spikes: channel c's events move to to[c]; -1: dropped (moved above
  /// the top band).
  std::vector<int64_t> to;
  std::vector<float> gain; ///< 1 + g(c)

  void fill(const SampleDraw &d, int64_t C, double melTopHz) {
    const size_t n = static_cast<size_t>(C);
    lo.resize(n);
    frac.resize(n);
    to.resize(n);
    gain.resize(n);
    const MelAxis axis(melTopHz, C);
    const double scale = std::exp(d.logScale), top = double(C - 1);
    for (int64_t c = 0; c < C; ++c) {
      // Pull: output channel c shows frequency f(c) / a of the warped
      // sample, which shows channel y - d(y) of the shifted one.
      double y = double(c);
      if (d.logScale != 0)
        y = std::max(axis.channelOf(axis.hzAt(y) / scale), 0.0);
      if (y > top) {
        lo[size_t(c)] = -1;
        frac[size_t(c)] = 0;
      } else {
        double from = std::clamp(y - d.displacement(y, C), 0.0, top);
        lo[size_t(c)] = std::min<int64_t>(int64_t(std::floor(from)), C - 1);
        frac[size_t(c)] = float(from - double(lo[size_t(c)]));
      }
      // Push (events): warp, then scale the frequency by a.
      double x = double(c) + d.displacement(double(c), C);
      if (d.logScale != 0)
        x = axis.channelOf(axis.hzAt(x) * scale);
      int64_t r = std::llround(std::max(x, 0.0));
      to[size_t(c)] = r > C - 1 ? -1 : r;
      gain[size_t(c)] = d.gain(c, C);
    }
  }
};

/// Warps and scales one (T x C) frame sample in place.
void bendFrames(float *x, int64_t T, int64_t C, const ChannelTables &k,
                std::vector<float> &row) {
  row.resize(static_cast<size_t>(C));
  for (int64_t t = 0; t < T; ++t) {
    float *r = x + t * C;
    std::copy(r, r + C, row.begin());
    for (int64_t c = 0; c < C; ++c) {
      int64_t a = k.lo[size_t(c)], b = std::min(a + 1, C - 1);
      if (a < 0) {
        r[c] = 0;
        continue;
      }
      float f = k.frac[size_t(c)];
      r[c] = k.gain[size_t(c)] *
             ((1 - f) * row[size_t(a)] + f * row[size_t(b)]);
    }
  }
}

} // namespace

double maxWarp(int64_t channels) {
  return channels > 1 ? double(channels - 1) / (2 * M_PI) : 0.0;
}

void augmentSamples(Dataset &batch, const AugmentSpec &spec, Rng &rng) {
  if (!spec.enabled())
    return;
  const int64_t T = batch.steps, C = batch.channels;
  const size_t n = batch.size();
  if (batch.kind == InputKind::Frames) {
    std::vector<float> shifted(size_t(T * C)), row;
    ChannelTables k;
    for (size_t s = 0; s < n; ++s) {
      SampleDraw d(spec, rng);
      float *x = batch.frames.data() + s * size_t(T * C);
      if (d.dt != 0 || d.dc != 0) {
        std::fill(shifted.begin(), shifted.end(), 0.0f);
        for (int64_t t = 0; t < T; ++t) {
          int64_t from = t - d.dt;
          if (from < 0 || from >= T)
            continue;
          for (int64_t c = 0; c < C; ++c) {
            int64_t fc = c - d.dc;
            if (fc >= 0 && fc < C)
              shifted[size_t(t * C + c)] = x[from * C + fc];
          }
        }
        std::copy(shifted.begin(), shifted.end(), x);
      }
      if (d.bends) {
        k.fill(d, C, spec.melTopHz);
        bendFrames(x, T, C, k, row);
      }
    }
    return;
  }
  // Spikes: a common shift and a monotone warp keep each sample's (step,
  // channel) order, so dropping the events that leave the window and merging
  // those the warp lands on one channel is all the compaction needed. Counts
  // are whole events, so a band gain rounds count x (1 + g) up or down at
  // random (one draw per event, after the sample's; unbiased), dropping the
  // events it rounds to 0.
  std::vector<uint64_t> offsets(n + 1, 0);
  ChannelTables k;
  size_t out = 0;
  for (size_t s = 0; s < n; ++s) {
    SampleDraw d(spec, rng);
    if (d.bends)
      k.fill(d, C, spec.melTopHz);
    for (uint64_t e = batch.eventOffsets[s]; e < batch.eventOffsets[s + 1];
         ++e) {
      int64_t t = int64_t(batch.eventStep[e]) + d.dt;
      int64_t c = int64_t(batch.eventChannel[e]) + d.dc;
      if (t < 0 || t >= T || c < 0 || c >= C)
        continue;
      if (d.bends) {
        c = k.to[size_t(c)];
        if (c < 0)
          continue;
      }
      float count = batch.eventCount[e];
      if (spec.bandGain > 0) {
        double scaled =
            double(count) * (d.bends ? double(k.gain[size_t(c)]) : 1.0);
        double whole = std::floor(scaled);
        count = float(whole + (rng.uniform() < scaled - whole ? 1.0 : 0.0));
        if (count < 1.0f)
          continue;
      }
      if (out > offsets[s] && batch.eventStep[out - 1] == uint32_t(t) &&
          batch.eventChannel[out - 1] == uint32_t(c)) {
        batch.eventCount[out - 1] += count;
        continue;
      }
      batch.eventStep[out] = uint32_t(t);
      batch.eventChannel[out] = uint32_t(c);
      batch.eventCount[out] = count;
      ++out;
    }
    offsets[s + 1] = out;
  }
  batch.eventOffsets = std::move(offsets);
  batch.eventStep.resize(out);
  batch.eventChannel.resize(out);
  batch.eventCount.resize(out);
}

} // namespace snnrt
