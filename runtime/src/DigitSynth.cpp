//===- DigitSynth.cpp - Speech synthesis with espeak-ng -------------------===//
//
// libespeak-ng in AUDIO_OUTPUT_SYNCHRONOUS mode: espeak_Synth returns once
// the text is spoken, having handed the samples to a callback. The library
// keeps all of this in globals (voice, parameters, callback), so one mutex
// serialises initialisation and every synthesis. Measured here, synthesis
// runs at several hundred times real time on one core, so serialising it
// costs little next to resampling and the front-end, which run in parallel.
//
//===----------------------------------------------------------------------===//

#include "snnrt/DigitSynth.h"

#include <espeak-ng/speak_lib.h>

#include <cstring>
#include <mutex>

namespace snnrt {

namespace {
std::mutex &espeakMutex() {
  static std::mutex m;
  return m;
}

/// Samples of the utterance being spoken; only touched under espeakMutex.
std::vector<short> *gSink = nullptr;

int collect(short *wav, int n, espeak_EVENT *) {
  if (wav && n > 0 && gSink)
    gSink->insert(gSink->end(), wav, wav + n);
  return 0; // 0: continue synthesis
}

/// Initialises once; returns the sample rate or a negative value.
int initialise() {
  static int rate = [] {
    // espeakINITIALIZE_DONT_EXIT: report a missing data folder instead of
    // letting the library call exit().
    int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                              espeakINITIALIZE_DONT_EXIT);
    if (r > 0)
      espeak_SetSynthCallback(collect);
    return r;
  }();
  return rate;
}
} // namespace

Expected<AudioClip> synthesiseSpeech(const std::string &text,
                                     const VoiceSettings &s) {
  std::lock_guard<std::mutex> lock(espeakMutex());
  int rate = initialise();
  if (rate <= 0)
    return Status::error("espeak-ng could not be initialised (is the "
                         "espeak-ng-data package installed?)",
                         ErrorKind::Io);
  if (espeak_SetVoiceByName(s.voice.c_str()) != EE_OK)
    return Status::error("espeak-ng has no voice '" + s.voice + "'");
  espeak_SetParameter(espeakRATE, s.rateWpm, 0);
  espeak_SetParameter(espeakPITCH, s.pitch, 0);
  espeak_SetParameter(espeakRANGE, s.pitchRange, 0);
  espeak_SetParameter(espeakVOLUME, 100, 0);
  std::vector<short> samples;
  gSink = &samples;
  espeak_ERROR err =
      espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                   espeakCHARS_UTF8, nullptr, nullptr);
  gSink = nullptr;
  if (err != EE_OK)
    return Status::error("espeak-ng failed to speak '" + text + "' with '" +
                             s.voice + "'",
                         ErrorKind::Internal);
  if (samples.empty())
    return Status::error("espeak-ng produced no audio for '" + text +
                             "' with '" + s.voice + "'",
                         ErrorKind::Internal);
  AudioClip clip;
  clip.sampleRate = rate;
  clip.samples.resize(samples.size());
  for (size_t i = 0; i < samples.size(); ++i)
    clip.samples[i] = samples[i] / 32768.0f;
  return clip;
}

} // namespace snnrt
