//===- FuzzAudio.cpp - libFuzzer target for audio files ------------------===//
//
// What `snnc data audio` does with each file: libsndfile decodes it (from
// memory here: sf_open_virtual, snnrt::readAudioMemory), then libsamplerate
// converts it to the front-end's 16 kHz.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/AudioFile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto clip = snnrt::readAudioMemory("fuzz.wav", data, size);
  if (!clip)
    return 0;
  // Long clips only repeat what short ones test, at a cost per input.
  if (clip->samples.size() <= (1u << 16))
    (void)snnrt::resampleAudio(clip->samples, clip->sampleRate, 16000);
  return 0;
}
