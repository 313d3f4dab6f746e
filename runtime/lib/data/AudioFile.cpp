//===- AudioFile.cpp - Reading and resampling audio -----------------------===//
//
// libsndfile decodes (wav, flac, ogg, ...) and scales integer PCM to [-1, 1];
// libsamplerate converts rates with a band-limited sinc kernel. We use its
// "medium" converter: 97 dB SNR and 90 % bandwidth (7.2 kHz of the 8 kHz
// Nyquist band at 16 kHz, above the 40th mel band's lower edge), several
// times faster than "best", which matters for the built-in dataset.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/AudioFile.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace snnrt {

namespace {
struct Closer {
  SNDFILE *sf;
  ~Closer() { sf_close(sf); }
};

/// Decodes an open file. The frame count in a header is a claim (a FLAC
/// header may announce 2^36 frames in a few bytes), so samples are read in
/// blocks until the decoder stops, and never allocated up front.
Expected<AudioClip> decode(SNDFILE *sf, const SF_INFO &info,
                           const std::string &path) {
  Closer closer{sf};
  if (info.frames <= 0 || info.channels <= 0)
    return Status::error(path + ": audio file contains no samples");
  if (info.samplerate <= 0)
    return Status::error(path + ": audio file has no sample rate");
  const int c = info.channels;
  const sf_count_t block = 1 << 14;
  std::vector<float> interleaved(size_t(block) * c);
  AudioClip clip;
  clip.sampleRate = info.samplerate;
  for (;;) {
    sf_count_t got = sf_readf_float(sf, interleaved.data(), block);
    if (got <= 0)
      break;
    for (sf_count_t i = 0; i < got; ++i) {
      float sum = 0;
      for (int k = 0; k < c; ++k)
        sum += interleaved[size_t(i) * c + k];
      clip.samples.push_back(sum / c);
    }
    if (got < block)
      break;
  }
  if (clip.samples.empty())
    return Status::error(path + ": could not decode any samples (" +
                         std::string(sf_strerror(sf)) + ")");
  for (float v : clip.samples)
    if (!std::isfinite(v))
      return Status::error(path + ": audio contains non-finite samples");
  return clip;
}

/// libsndfile's virtual I/O over a byte range.
struct MemoryFile {
  const unsigned char *data;
  sf_count_t size, pos = 0;
};
sf_count_t memLength(void *user) {
  return static_cast<MemoryFile *>(user)->size;
}
sf_count_t memSeek(sf_count_t offset, int whence, void *user) {
  auto *m = static_cast<MemoryFile *>(user);
  sf_count_t base = whence == SEEK_CUR ? m->pos
                    : whence == SEEK_END ? m->size
                                         : 0;
  sf_count_t to;
  if (__builtin_add_overflow(base, offset, &to) || to < 0)
    return -1;
  m->pos = to;
  return m->pos;
}
sf_count_t memRead(void *out, sf_count_t count, void *user) {
  auto *m = static_cast<MemoryFile *>(user);
  if (count <= 0 || m->pos >= m->size)
    return 0;
  sf_count_t n = std::min(count, m->size - m->pos);
  std::memcpy(out, m->data + m->pos, size_t(n));
  m->pos += n;
  return n;
}
sf_count_t memWrite(const void *, sf_count_t, void *) { return 0; }
sf_count_t memTell(void *user) { return static_cast<MemoryFile *>(user)->pos; }
} // namespace

Expected<AudioClip> readAudioFile(const std::string &path) {
  if (access(path.c_str(), R_OK) != 0)
    return Status::error(path + ": no such file or not readable",
                         ErrorKind::Io);
  SF_INFO info{};
  SNDFILE *sf = sf_open(path.c_str(), SFM_READ, &info);
  if (!sf)
    return Status::error(path + ": not a readable audio file (" +
                         std::string(sf_strerror(nullptr)) + ")");
  return decode(sf, info, path);
}

Expected<AudioClip> readAudioMemory(const std::string &name, const void *data,
                                    size_t size) {
  MemoryFile m{static_cast<const unsigned char *>(data), sf_count_t(size)};
  SF_VIRTUAL_IO io{memLength, memSeek, memRead, memWrite, memTell};
  SF_INFO info{};
  SNDFILE *sf = sf_open_virtual(&io, SFM_READ, &info, &m);
  if (!sf)
    return Status::error(name + ": not a readable audio file (" +
                         std::string(sf_strerror(nullptr)) + ")");
  return decode(sf, info, name);
}

Expected<std::vector<float>> resampleAudio(const std::vector<float> &in,
                                           double fromRate, double toRate) {
  if (!(fromRate > 0) || !(toRate > 0))
    return Status::error("resampling: sample rates must be positive");
  if (fromRate == toRate || in.empty())
    return in;
  const double ratio = toRate / fromRate;
  if (ratio > 256 || ratio < 1.0 / 256)
    return Status::error("resampling: ratio " + std::to_string(ratio) +
                         " is outside libsamplerate's range [1/256, 256]");
  const long outLen = std::lround(double(in.size()) * ratio);
  // One extra block of room: the converter may emit a sample or two more
  // than round(n * ratio) while flushing.
  std::vector<float> out(size_t(outLen) + 64);
  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = long(in.size());
  data.data_out = out.data();
  data.output_frames = long(out.size());
  data.src_ratio = ratio;
  data.end_of_input = 1;
  int err = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1);
  if (err)
    return Status::error(std::string("resampling failed: ") +
                             src_strerror(err),
                         ErrorKind::Internal);
  out.resize(size_t(data.output_frames_gen));
  // Pin the length so that durations map to frame counts predictably.
  out.resize(size_t(outLen), 0.0f);
  return out;
}

Expected<AudioClip> loadAudioAt(const std::string &path, double rate) {
  auto clip = readAudioFile(path);
  if (!clip)
    return clip.status();
  auto res = resampleAudio(clip->samples, clip->sampleRate, rate);
  if (!res)
    return Status(res.status()).withContext(path);
  AudioClip out;
  out.samples = res.take();
  out.sampleRate = rate;
  return out;
}

} // namespace snnrt
