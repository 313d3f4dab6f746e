//===- BuiltinDigits.cpp - The built-in spoken-digits dataset -------------===//
//
// Every random choice of a sample (class, voice, rate, pitch, level, noise,
// shift) comes from a generator seeded by (seed, split, index) alone, so the
// output is identical for a seed whatever the thread count or scheduling.
// Each synthesis runs in its own forked process (DigitSynth.cpp), so worker
// threads take whole samples: synthesis, resampling, mixing, front-end.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/BuiltinDigits.h"
#include "snnrt/base/Random.h"
#include "snnrt/data/AudioFile.h"
#include "snnrt/data/DigitSynth.h"
#include "snnrt/data/ShdReader.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <mutex>
#include <sys/stat.h>
#include <thread>

namespace snnrt {

namespace {

/// The runtime's splitmix64 stream (fully specified, so the dataset does not
/// depend on how a standard library implements its distributions) with the
/// draws the synthesiser needs.
struct DigitRng : Rng {
  using Rng::Rng;
  size_t index(size_t n) { return size_t(uniform() * n); }
  /// Standard normal by Box-Muller (one value per call; simple over fast).
  double normal() {
    double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }
};

uint64_t mixSeed(uint64_t seed, uint64_t split, uint64_t index) {
  DigitRng r(seed * 0x100000001B3ull ^ (split << 56) ^ index);
  r.next();
  return r.next();
}

// English accents and German; the mbrola voices are left out because they
// need the separate mbrola program.
const char *const kEnglishBases[] = {
    "en",          "en-us",          "en-gb-scotland", "en-gb-x-gbclan",
    "en-gb-x-rp",  "en-gb-x-gbcwmd", "en-029",         "en-us-nyc"};
const char *const kGermanBases[] = {"de"};

// Variants (timbre, formants, breathiness). The test variants are chosen to
// cover male, female and the klatt synthesiser.
const char *const kTrainVariants[] = {
    "m1",     "m2",      "m4",     "m5",      "m6",    "m8",   "f1",
    "f3",     "f4",      "klatt",  "klatt2",  "klatt4", "Alex", "Andy",
    "adam",   "anika",   "aunty",  "belinda", "benjamin", "boris", "caleb",
    "ed",     "edward",  "iven",   "john",    "max",   "michel", "norbert",
    "paul",   "pedro",   "quincy", "rob",     "robert", "steph", "victor",
    "zac"};
const char *const kTestVariants[] = {"m3",    "m7",    "f2",   "f5",    "klatt3",
                                     "Annie", "david", "linda", "travis"};

struct SampleSpec {
  int32_t label = 0;
  int32_t voice = 0; ///< index into digitVoices()
  VoiceSettings settings;
  double levelDb = 0;  ///< peak level of the utterance, dBFS
  double snrDb = 0;    ///< speech RMS over white-noise RMS
  double shift = 0;    ///< fraction of the free room before the utterance
  uint64_t noiseSeed = 0;
};

SampleSpec planSample(const DigitsOptions &opt, bool test, uint32_t i,
                      const std::vector<int32_t> &englishVoices,
                      const std::vector<int32_t> &germanVoices) {
  DigitRng rng(mixSeed(opt.seed, test ? 2 : 1, i));
  SampleSpec s;
  // Balanced classes: the labels cycle; the order is the trainer's business.
  s.label = int32_t(i % opt.classes);
  const auto &pool = s.label < 10 ? englishVoices : germanVoices;
  // German has one base voice and English eight; drawing the base first
  // would give each German variant eight times the weight of an English
  // speaker, so draw the speaker uniformly.
  s.voice = pool[rng.index(pool.size())];
  const DigitVoice &v = digitVoices()[size_t(s.voice)];
  s.settings.voice = v.base + "+" + v.variant;
  s.settings.rateWpm = int(std::lround(rng.uniform(120, 220)));
  s.settings.pitch = int(std::lround(rng.uniform(20, 80)));
  s.settings.pitchRange = int(std::lround(rng.uniform(20, 90)));
  s.levelDb = rng.uniform(-24, -1);
  s.snrDb = rng.uniform(10, 30);
  s.shift = rng.uniform();
  s.noiseSeed = rng.next();
  return s;
}

/// Trims leading and trailing near-silence (below 1 % of the peak), which
/// espeak-ng adds around words, so that the time shift alone decides where
/// the word sits.
void trimSilence(std::vector<float> &x) {
  float peak = 0;
  for (float v : x)
    peak = std::max(peak, std::fabs(v));
  if (peak == 0)
    return;
  float thr = 0.01f * peak;
  size_t a = 0, b = x.size();
  while (a < b && std::fabs(x[a]) < thr)
    ++a;
  while (b > a && std::fabs(x[b - 1]) < thr)
    --b;
  x = std::vector<float>(x.begin() + long(a), x.begin() + long(b));
}

/// Level, noise and placement of one utterance in a T-step window at the
/// front-end rate; returns the window's samples.
std::vector<float> mixSample(std::vector<float> speech, const SampleSpec &s,
                             size_t windowSamples) {
  float peak = 0;
  for (float v : speech)
    peak = std::max(peak, std::fabs(v));
  double gain = peak > 0 ? std::pow(10.0, s.levelDb / 20) / peak : 0;
  double energy = 0;
  for (float &v : speech) {
    v = float(v * gain);
    energy += double(v) * v;
  }
  // Words longer than the window (very slow speech) lose their end.
  if (speech.size() > windowSamples)
    speech.resize(windowSamples);
  double rms = speech.empty() ? 0 : std::sqrt(energy / speech.size());
  double noiseRms = rms * std::pow(10.0, -s.snrDb / 20);
  size_t room = windowSamples - speech.size();
  size_t offset = size_t(s.shift * (room + 1));
  offset = std::min(offset, room);
  std::vector<float> out(windowSamples);
  DigitRng noise(s.noiseSeed);
  for (size_t i = 0; i < windowSamples; ++i)
    out[i] = float(noiseRms * noise.normal());
  for (size_t i = 0; i < speech.size(); ++i)
    out[offset + i] += speech[i];
  return out;
}

std::vector<int32_t> voicesFor(const std::string &lang, bool test) {
  std::vector<int32_t> ids;
  const auto &all = digitVoices();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].language == lang && all[i].test == test)
      ids.push_back(int32_t(i));
  return ids;
}

} // namespace

const std::vector<DigitVoice> &digitVoices() {
  static const std::vector<DigitVoice> voices = [] {
    std::vector<DigitVoice> v;
    int32_t baseId = 0;
    auto add = [&](const char *lang, const char *base) {
      int32_t variantId = 0;
      for (const char *var : kTrainVariants)
        v.push_back(
            {lang, base, var, int32_t(v.size()), false, variantId++, baseId});
      for (const char *var : kTestVariants)
        v.push_back(
            {lang, base, var, int32_t(v.size()), true, variantId++, baseId});
      ++baseId;
    };
    for (const char *b : kEnglishBases)
      add("en", b);
    for (const char *b : kGermanBases)
      add("de", b);
    return v;
  }();
  return voices;
}

const std::string &digitWord(int32_t label) {
  static const std::vector<std::string> words = {
      "zero", "one",  "two",  "three", "four",  "five",   "six",
      "seven", "eight", "nine", "null", "eins", "zwei",   "drei",
      "vier", "f\xC3\xBCnf", "sechs", "sieben", "acht", "neun"};
  return words.at(size_t(label));
}

Expected<Dataset> generateDigits(const DigitsOptions &opt, bool test,
                                 DigitsStats *statsOut,
                                 const ProgressFn &progress) {
  if (opt.steps == 0)
    return Status::error("--steps must be at least 1");
  if (opt.classes < 1 || opt.classes > 20)
    return Status::error("--classes must be 1 to 20 (0-9 English, 10-19 "
                         "German), got " + std::to_string(opt.classes));
  auto fe = MelFrontEnd::create(opt.mel);
  if (!fe)
    return fe.status();
  const uint32_t n = test ? opt.testSamples : opt.trainSamples;
  const uint32_t bands = opt.mel.bands;
  const size_t windowSamples = size_t(opt.steps) * opt.mel.hopSamples;
  const auto englishVoices = voicesFor("en", test);
  const auto germanVoices = voicesFor("de", test);
  auto start = std::chrono::steady_clock::now();
  unsigned threads = opt.threads ? opt.threads
                                 : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<uint32_t>(n, 1));
  // Before the frames are allocated: the servers fork per word, and a small
  // server forks fast.
  SNNRT_TRY(startSpeechServers(threads, {"en", "de"}));

  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = opt.mel.hopSamples / opt.mel.sampleRate;
  d.steps = opt.steps;
  d.channels = bands;
  d.numClasses = opt.classes;
  d.classNames = heidelbergClassNames();
  d.classNames.resize(opt.classes);
  d.labels.resize(n);
  d.speakers.resize(n);
  d.variants.resize(n);
  d.voiceBases.resize(n);
  d.frames.assign(size_t(n) * opt.steps * bands, 0.0f);
  d.source = "snnc data digits --seed " + std::to_string(opt.seed) +
             " (" + (test ? "test" : "train") + " split, espeak-ng)";

  std::mutex m;
  Status failure;
  std::atomic<uint32_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<int64_t> synthNanos{0};
  auto worker = [&] {
    for (uint32_t i; (i = next.fetch_add(1)) < n;) {
      SampleSpec spec = planSample(opt, test, i, englishVoices, germanVoices);
      d.labels[i] = spec.label;
      const DigitVoice &voice = digitVoices()[size_t(spec.voice)];
      d.speakers[i] = voice.speaker;
      d.variants[i] = voice.variantId;
      d.voiceBases[i] = voice.baseId;
      auto t0 = std::chrono::steady_clock::now();
      auto clip = synthesiseSpeech(digitWord(spec.label), spec.settings);
      synthNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
      Expected<std::vector<float>> speech =
          clip ? (trimSilence(clip->samples),
                  resampleAudio(clip->samples, clip->sampleRate,
                                opt.mel.sampleRate))
               : Expected<std::vector<float>>(clip.status());
      if (!speech) {
        std::lock_guard<std::mutex> lock(m);
        if (failure)
          failure = speech.status();
        next.store(n); // stop handing out work
        continue;
      }
      std::vector<float> window =
          mixSample(speech.take(), spec, windowSamples);
      std::vector<float> f = fe->features(window.data(), window.size());
      std::copy(f.begin(), f.end(),
                d.frames.begin() + size_t(i) * opt.steps * bands);
      size_t nowDone = ++done;
      if (progress) {
        std::lock_guard<std::mutex> lock(m);
        progress(nowDone, n);
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto &t : pool)
    t.join();
  if (!failure)
    return failure;
  const double synthSeconds = synthNanos.load() * 1e-9;

  if (statsOut) {
    statsOut->synthSeconds += synthSeconds;
    statsOut->audioSeconds += double(n) * windowSamples / opt.mel.sampleRate;
    statsOut->wallSeconds += std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
  }
  SNNRT_TRY(d.validate());
  if (!opt.spikes)
    return d;
  // The frames are gain * [0, 1]; the delta encoder works on [0, 1].
  auto spikes = encodeFramesAsSpikes(d, opt.mel.gain, opt.encoding);
  if (spikes)
    spikes->source = d.source + ", send-on-delta spikes";
  return spikes;
}

Status writeDigits(const std::string &dir, const DigitsOptions &opt,
                   DigitsStats *stats,
                   const std::function<void(const std::string &, size_t,
                                            size_t)> &progress) {
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return Status::error(dir + ": cannot create the output folder",
                         ErrorKind::Io);
  struct stat st{};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status::error(dir + ": exists and is not a folder", ErrorKind::Io);
  auto forSplit = [&](const std::string &name) -> ProgressFn {
    if (!progress)
      return {};
    return [&progress, name](size_t done, size_t total) {
      progress(name, done, total);
    };
  };
  auto train = generateDigits(opt, false, stats, forSplit("train"));
  if (!train)
    return train.status();
  auto test = generateDigits(opt, true, stats, forSplit("test"));
  if (!test)
    return test.status();
  SNNRT_TRY(writeDataset(dir + "/train.h5", *train));
  Status s = writeDataset(dir + "/test.h5", *test);
  if (!s) // never leave a train split without its test split
    std::remove((dir + "/train.h5").c_str());
  return s;
}

} // namespace snnrt
