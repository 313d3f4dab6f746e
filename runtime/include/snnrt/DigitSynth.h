//===- DigitSynth.h - Speech synthesis with espeak-ng -----------*- C++ -*-===//
//
// A thin, serialised wrapper over libespeak-ng's synchronous C API. espeak-ng
// keeps global state and is not thread-safe: every call takes one process-wide
// lock, so callers may use it from any thread but synthesis never overlaps.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/AudioFile.h"
#include "snnrt/Status.h"

#include <string>

namespace snnrt {

struct VoiceSettings {
  std::string voice;   ///< espeak voice, optionally "+variant" ("en-us+f2")
  int rateWpm = 175;   ///< words per minute (80..450)
  int pitch = 50;      ///< base pitch, 0..100
  int pitchRange = 50; ///< intonation range, 0..100
};

/// Speaks UTF-8 `text`; the clip is at espeak-ng's native rate (22050 Hz).
Expected<AudioClip> synthesiseSpeech(const std::string &text,
                                     const VoiceSettings &settings);

} // namespace snnrt
