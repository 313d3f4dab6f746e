// The front-end against expectations computed independently of it: the HTK
// mel formula evaluated here, Parseval's theorem for a tone's power, zero
// crossings for a resampled tone's frequency, hand-written WAV files.

#include "DataTestUtil.h"

#include "snnrt/data/AudioDataset.h"
#include "snnrt/data/AudioFile.h"
#include "snnrt/data/MelFrontEnd.h"
#include "snnrt/data/SpikeEncoding.h"

#include <sndfile.h>

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace snnrt;
using datatest::fileExists;
using datatest::sine;
using datatest::tempPath;

namespace {
/// Centre of band b of 40 HTK mel bands over 0-8 kHz, computed here.
double expectedCentreHz(int b) {
  double melMax = 2595.0 * std::log10(1.0 + 8000.0 / 700.0);
  double mel = melMax * (b + 1) / 41.0;
  return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
}

/// Mean over frames of each band's dB value.
std::vector<double> meanBands(const std::vector<float> &frames, int bands) {
  std::vector<double> m(bands, 0);
  size_t n = frames.size() / bands;
  for (size_t t = 0; t < n; ++t)
    for (int b = 0; b < bands; ++b)
      m[b] += frames[t * bands + b] / double(n);
  return m;
}

int argmax(const std::vector<double> &v) {
  return int(std::max_element(v.begin(), v.end()) - v.begin());
}

MelFrontEnd frontEnd() {
  auto fe = MelFrontEnd::create();
  EXPECT_TRUE(fe) << fe.status().message();
  return fe.take();
}
} // namespace

TEST(MelFrontEnd, MelScaleIsHtk) {
  EXPECT_NEAR(hzToMel(700), 2595 * std::log10(2.0), 1e-9);
  EXPECT_NEAR(melToHz(hzToMel(1234.5)), 1234.5, 1e-9);
  MelFrontEnd fe = frontEnd();
  for (int b : {0, 7, 20, 39})
    EXPECT_NEAR(fe.bandCentreHz(b), expectedCentreHz(b), 1e-6);
}

TEST(MelFrontEnd, PureToneLandsInItsBand) {
  MelFrontEnd fe = frontEnd();
  for (int b : {3, 12, 20, 31, 38}) {
    auto x = sine(expectedCentreHz(b), 0.3, 16000, 16000);
    auto m = meanBands(fe.logMel(x.data(), x.size()), 40);
    EXPECT_EQ(argmax(m), b) << "tone at " << expectedCentreHz(b) << " Hz";
    // Far bands see only the window's sidelobes (Hann: < -31 dB).
    EXPECT_LT(m[(b + 20) % 40], m[b] - 30);
  }
}

TEST(MelFrontEnd, ToneLevelFollowsParseval) {
  MelFrontEnd fe = frontEnd();
  // Summed over all bins, a tone of amplitude A has (one-sided) power
  // N_fft * A^2 * sum(w^2) / (2 sum(w)^2) with the front-end's scaling;
  // for a periodic Hann of 400 samples sum(w) = 200 and sum(w^2) = 150.
  // Adjacent triangles sum to 1 between band centres, so the sum over
  // bands of the linear energies recovers it.
  const double a = 0.1;
  auto x = sine(1500, a, 16000, 16000);
  auto frames = fe.logMel(x.data(), x.size());
  double total = 0;
  for (int b = 0; b < 40; ++b)
    total += std::pow(10.0, frames[50 * 40 + b] / 10) - 1e-10;
  double expected = 512 * a * a * 150 / (2 * 200.0 * 200.0);
  EXPECT_NEAR(10 * std::log10(total), 10 * std::log10(expected), 0.1);
  // Log compression: doubling the amplitude adds 20 log10(2) dB.
  auto y = sine(1500, 2 * a, 16000, 16000);
  auto m1 = meanBands(frames, 40);
  auto m2 = meanBands(fe.logMel(y.data(), y.size()), 40);
  int peak = argmax(m1);
  EXPECT_NEAR(m2[peak] - m1[peak], 20 * std::log10(2.0), 1e-3);
}

TEST(MelFrontEnd, SilenceGivesTheFloor) {
  MelFrontEnd fe = frontEnd();
  std::vector<float> zeros(8000, 0.0f);
  auto db = fe.logMel(zeros.data(), zeros.size());
  ASSERT_EQ(db.size(), 50u * 40);
  for (float v : db)
    EXPECT_FLOAT_EQ(v, -100.0f); // 10 log10(1e-10)
  for (float v : fe.features(zeros.data(), zeros.size()))
    EXPECT_EQ(v, 0.0f);
  // Normalisation: [-80, 0] dB -> [0, 1], clipped, times the gain (1).
  EXPECT_FLOAT_EQ(fe.normalise(-40), 0.5f);
  EXPECT_FLOAT_EQ(fe.normalise(-90), 0.0f);
  EXPECT_FLOAT_EQ(fe.normalise(3), 1.0f);
  MelConfig loud;
  loud.gain = 20;
  auto fe20 = MelFrontEnd::create(loud);
  ASSERT_TRUE(fe20);
  EXPECT_FLOAT_EQ(fe20->normalise(-40), 10.0f);
  EXPECT_FLOAT_EQ(fe20->normalise(3), 20.0f);
}

TEST(MelFrontEnd, FrameCountMatchesDuration) {
  MelFrontEnd fe = frontEnd();
  EXPECT_EQ(fe.frameCount(16000), 100u); // 1 s = 100 steps of 10 ms
  EXPECT_EQ(fe.frameCount(16159), 100u);
  EXPECT_EQ(fe.frameCount(16160), 101u);
  EXPECT_EQ(fe.frameCount(100), 0u);
  std::vector<float> x(12345, 0.01f);
  EXPECT_EQ(fe.logMel(x.data(), x.size()).size(), size_t(77) * 40);
}

TEST(AudioFile, ResamplingPreservesATonesFrequency) {
  const double f0 = 2500, from = 44100, to = 16000;
  auto x = sine(f0, 0.5, from, 44100);
  auto y = resampleAudio(x, from, to);
  ASSERT_TRUE(y) << y.status().message();
  ASSERT_EQ(y->size(), 16000u);
  // Count rising zero crossings away from the edges (filter transients).
  int crossings = 0;
  for (size_t i = 1001; i < 15000; ++i)
    crossings += (*y)[i - 1] < 0 && (*y)[i] >= 0;
  double measured = crossings / (13999.0 / to);
  EXPECT_NEAR(measured, f0, 2.0);
  // Amplitude kept (the tone is far inside the passband).
  float peak = 0;
  for (size_t i = 1000; i < 15000; ++i)
    peak = std::max(peak, std::fabs((*y)[i]));
  EXPECT_NEAR(peak, 0.5, 0.01);
}

TEST(AudioFile, ReadsWavAndFlacAndMixesToMono) {
  std::string wav = tempPath("tone.wav");
  auto x = sine(1000, 0.25, 22050, 22050 * 3 / 4);
  datatest::writeWav16(wav, x, 22050, 2);
  auto clip = readAudioFile(wav);
  ASSERT_TRUE(clip) << clip.status().message();
  EXPECT_EQ(clip->sampleRate, 22050);
  ASSERT_EQ(clip->samples.size(), x.size());
  EXPECT_NEAR(clip->samples[100], x[100], 1e-4);
  auto at16 = loadAudioAt(wav, 16000);
  ASSERT_TRUE(at16);
  EXPECT_EQ(at16->samples.size(), 12000u); // 0.75 s
  EXPECT_EQ(frontEnd().frameCount(at16->samples.size()), 75u);

  // FLAC through libsndfile's own encoder.
  std::string flac = tempPath("tone.flac");
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  SNDFILE *sf = sf_open(flac.c_str(), SFM_WRITE, &info);
  ASSERT_NE(sf, nullptr) << sf_strerror(nullptr);
  auto y = sine(expectedCentreHz(25), 0.3, 16000, 8000);
  sf_writef_float(sf, y.data(), sf_count_t(y.size()));
  sf_close(sf);
  auto fclip = loadAudioAt(flac, 16000);
  ASSERT_TRUE(fclip) << fclip.status().message();
  EXPECT_EQ(fclip->samples.size(), 8000u);
  auto m = meanBands(frontEnd().logMel(fclip->samples.data(), 8000), 40);
  EXPECT_EQ(argmax(m), 25);

  // The same bytes from memory (libsndfile's virtual I/O; the fuzz target).
  for (const std::string &path : {wav, flac}) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    auto fromFile = readAudioFile(path);
    auto fromMemory = readAudioMemory("mem", bytes.data(), bytes.size());
    ASSERT_TRUE(fromFile && fromMemory) << path;
    EXPECT_EQ(fromMemory->sampleRate, fromFile->sampleRate);
    EXPECT_EQ(fromMemory->samples, fromFile->samples);
    // Cut inside the header: an error naming the input, no crash.
    auto cut = readAudioMemory("cut.wav", bytes.data(), 20);
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.status().message().find("cut.wav: "), std::string::npos);
  }
  std::remove(wav.c_str());
  std::remove(flac.c_str());
}

TEST(SpikeEncoding, SendOnDeltaCountsCrossings) {
  // One band: 0 -> 0.32 -> 0.32 -> 0.05 with threshold 0.1.
  std::vector<float> v = {0.0f, 0.32f, 0.32f, 0.05f};
  Dataset d;
  deltaEncode(v.data(), 4, 1, DeltaEncoding{0.1}, d);
  // Step 1: three up crossings (ref 0.3); step 3: 0.3 -> 0.05 is two down
  // crossings (ref 0.1, 0.05 left over is under a threshold).
  EXPECT_EQ(d.eventStep, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(d.eventChannel, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(d.eventCount, (std::vector<float>{3, 2}));
}

// --- snnc data audio ---

TEST(AudioDataset, HeidelbergNames) {
  auto a = parseHeidelbergName("/x/lang-english_speaker-03_trial-4_digit-7.flac");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->label, 7);
  EXPECT_EQ(a->speaker, 3);
  auto b = parseHeidelbergName("lang-german_speaker-11_trial-0_digit-0.wav");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->label, 10);
  EXPECT_EQ(b->speaker, 11);
  EXPECT_FALSE(parseHeidelbergName("lang-french_speaker-1_trial-0_digit-2.wav"));
  EXPECT_FALSE(parseHeidelbergName("lang-english_speaker-1_digit-12.wav"));
  EXPECT_FALSE(parseHeidelbergName("recording.wav"));
}

TEST(AudioDataset, BuildsFramesAndSpikesFromFiles) {
  std::string a = tempPath("lang-english_speaker-03_trial-4_digit-2.wav");
  std::string b = tempPath("lang-german_speaker-05_trial-1_digit-9.wav");
  datatest::writeWav16(a, sine(expectedCentreHz(10), 0.3, 16000, 8000), 16000);
  datatest::writeWav16(b, sine(expectedCentreHz(30), 0.3, 48000, 48000 * 2),
                       48000);
  AudioDatasetOptions opt;
  opt.steps = 100;
  AudioDatasetStats stats;
  auto d = buildAudioDataset({a, b}, opt, &stats);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->labels, (std::vector<int32_t>{2, 19}));
  EXPECT_EQ(d->speakers, (std::vector<int32_t>{3, 5}));
  EXPECT_EQ(d->channels, 40u);
  EXPECT_EQ(stats.truncated, 1u); // the 2 s file
  EXPECT_NEAR(stats.audioSeconds, 2.5, 1e-6);
  // Sample 0: 50 frames of tone, then padding at the floor (0).
  const float *s0 = &d->frames[0];
  std::vector<double> m(40);
  for (int b2 = 0; b2 < 40; ++b2)
    m[b2] = s0[20 * 40 + b2];
  EXPECT_EQ(argmax(m), 10);
  for (int t = 50; t < 100; ++t)
    for (int c = 0; c < 40; ++c)
      ASSERT_EQ(s0[t * 40 + c], 0.0f);
  const float *s1 = &d->frames[100 * 40];
  for (int b2 = 0; b2 < 40; ++b2)
    m[b2] = s1[60 * 40 + b2];
  EXPECT_EQ(argmax(m), 30);

  opt.spikes = true;
  auto sp = buildAudioDataset({a, b}, opt);
  ASSERT_TRUE(sp) << sp.status().message();
  EXPECT_EQ(sp->kind, InputKind::Spikes);
  EXPECT_EQ(sp->channels, 80u);
  EXPECT_TRUE(sp->validate());
  EXPECT_GT(sp->eventStep.size(), 0u);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(AudioDataset, LabelsFileWithClassNames) {
  std::string a = tempPath("yes1.wav"), b = tempPath("no1.wav");
  datatest::writeWav16(a, sine(500, 0.3, 16000, 4000), 16000);
  datatest::writeWav16(b, sine(900, 0.3, 16000, 4000), 16000);
  std::string list = tempPath("labels.txt");
  {
    std::ofstream f(list);
    // One entry by full path, one by file name only.
    f << "# file label\n" << a << " yes\n"
      << b.substr(b.find_last_of('/') + 1) << " no  # comment\n";
  }
  AudioDatasetOptions opt;
  opt.labelsFile = list;
  auto d = buildAudioDataset({a, b}, opt);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->classNames, (std::vector<std::string>{"no", "yes"}));
  EXPECT_EQ(d->labels, (std::vector<int32_t>{1, 0}));
  EXPECT_TRUE(d->speakers.empty());
  std::remove(a.c_str());
  std::remove(b.c_str());
  std::remove(list.c_str());
}

namespace {
void expectAudioFailure(const std::vector<std::string> &inputs,
                        const std::string &needle, int exitCode,
                        const std::string &extraArgs = "") {
  std::string out = tempPath("audio_out.h5");
  std::remove(out.c_str());
  std::string args = "data audio --quiet --out " + out + " " + extraArgs;
  for (auto &i : inputs)
    args += " " + i;
  std::string err;
  EXPECT_EQ(datatest::runSnnc(args, &err), exitCode) << err;
  EXPECT_NE(err.find(needle), std::string::npos) << err;
  EXPECT_FALSE(fileExists(out));
}
} // namespace

TEST(AudioDatasetBadInput, UnreadableEmptyMissingAndUnlabelled) {
  std::string good = tempPath("lang-english_speaker-01_trial-0_digit-1.wav");
  datatest::writeWav16(good, sine(700, 0.3, 16000, 4000), 16000);

  std::string garbage = tempPath("lang-english_speaker-01_trial-1_digit-1.wav");
  {
    std::ofstream f(garbage);
    f << "this is not audio";
  }
  expectAudioFailure({good, garbage}, "not a readable audio file", 2);

  std::string empty = tempPath("lang-english_speaker-01_trial-2_digit-1.wav");
  datatest::writeWav16(empty, {}, 16000);
  expectAudioFailure({good, empty}, "no samples", 2);

  expectAudioFailure({good, tempPath("lang-english_speaker-01_trial-9_digit-1.wav")},
                     "no such file", 3);

  std::string odd = tempPath("lang-klingon_speaker-01_trial-0_digit-1.wav");
  datatest::writeWav16(odd, sine(700, 0.3, 16000, 4000), 16000);
  expectAudioFailure({good, odd}, "unknown language 'klingon'", 2);

  std::string list = tempPath("partial_labels.txt");
  {
    std::ofstream f(list);
    f << good << " 3\n";
  }
  expectAudioFailure({good, odd}, "not listed in the labels file", 2,
                     "--labels " + list);

  // And the library leaves nothing half-done either: the same errors come
  // back as Status values.
  auto r = buildAudioDataset({good, empty}, AudioDatasetOptions());
  EXPECT_FALSE(r);
  for (auto *p : {&good, &garbage, &empty, &odd, &list})
    std::remove(p->c_str());
}
