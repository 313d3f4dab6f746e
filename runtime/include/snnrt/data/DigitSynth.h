//===- DigitSynth.h - Speech synthesis with espeak-ng -----------*- C++ -*-===//
//
// A thin wrapper over libespeak-ng's synchronous C API. espeak-ng keeps
// global state, is not thread-safe and lets one utterance influence the next;
// each call therefore speaks in a forked child from a pristine state (see
// DigitSynth.cpp). The result depends only on the arguments, and calls may
// run concurrently from several threads.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/data/AudioFile.h"

#include <string>
#include <vector>

namespace snnrt {

struct VoiceSettings {
  std::string voice;   ///< espeak voice, optionally "+variant" ("en-us+f2")
  int rateWpm = 175;   ///< words per minute (80..450)
  int pitch = 50;      ///< base pitch, 0..100
  int pitchRange = 50; ///< intonation range, 0..100
};

/// Starts speech server processes, `perLanguage` (at least one) for each
/// espeak language ("en", "de") unless that many run already. A server
/// serves one call at a time; start them while the process is still small
/// (before allocating large buffers), since each word forks a server.
/// synthesiseSpeech starts one on first use of a language.
Status startSpeechServers(unsigned perLanguage,
                          const std::vector<std::string> &languages);

/// Speaks UTF-8 `text`; the clip is at espeak-ng's native rate (22050 Hz).
Expected<AudioClip> synthesiseSpeech(const std::string &text,
                                     const VoiceSettings &settings);

} // namespace snnrt
