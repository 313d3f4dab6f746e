//===- AudioFile.h - Reading and resampling audio ---------------*- C++ -*-===//
//
// wav/flac/ogg (whatever libsndfile reads) to mono float samples in [-1, 1],
// and sample-rate conversion with libsamplerate's band-limited sinc
// converter. The front-end works at 16 kHz (docs/data.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstddef>
#include <string>
#include <vector>

namespace snnrt {

struct AudioClip {
  std::vector<float> samples; ///< mono, [-1, 1]
  double sampleRate = 0;
  double seconds() const {
    return sampleRate > 0 ? samples.size() / sampleRate : 0;
  }
};

/// Reads a file and mixes its channels down to mono (the channel mean).
/// Fails on unreadable files and on files with no samples.
Expected<AudioClip> readAudioFile(const std::string &path);
/// The same from bytes in memory (libsndfile's virtual I/O: the fuzz
/// targets); `name` stands for the path in messages.
Expected<AudioClip> readAudioMemory(const std::string &name, const void *data,
                                    size_t size);

/// Converts `in` from `fromRate` to `toRate` Hz. Returns `in` unchanged when
/// the rates agree. Output length is round(n * toRate / fromRate).
Expected<std::vector<float>> resampleAudio(const std::vector<float> &in,
                                           double fromRate, double toRate);

/// readAudioFile + resampleAudio to `rate` Hz.
Expected<AudioClip> loadAudioAt(const std::string &path, double rate);

} // namespace snnrt
