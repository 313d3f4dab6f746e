// The built-in dataset: deterministic for a seed whatever the thread count,
// speaker-disjoint split, sane content.

#include "DataTestUtil.h"

#include "snnrt/data/BuiltinDigits.h"
#include "snnrt/data/DigitSynth.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

using namespace snnrt;

namespace {
DigitsOptions small(uint64_t seed, unsigned threads) {
  DigitsOptions o;
  o.trainSamples = 40;
  o.testSamples = 20;
  o.seed = seed;
  o.threads = threads;
  return o;
}
} // namespace

TEST(DigitSynth, SpeaksEnglishAndGerman) {
  VoiceSettings v;
  v.voice = "de+f2";
  auto clip = synthesiseSpeech(digitWord(15), v); // "fünf"
  ASSERT_TRUE(clip) << clip.status().message();
  EXPECT_EQ(clip->sampleRate, 22050);
  EXPECT_GT(clip->seconds(), 0.2);
  EXPECT_LT(clip->seconds(), 2.0);
  v.voice = "no-such-voice-xyz";
  EXPECT_FALSE(synthesiseSpeech("one", v));
}

namespace {
/// FNV-1a over a clip's samples' bits.
uint64_t clipHash(const AudioClip &clip) {
  uint64_t h = 1469598103934665603ull;
  for (float x : clip.samples) {
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    h = (h ^ bits) * 1099511628211ull;
  }
  return h;
}

/// "sieben" in German with the victor variant, one of the voices whose
/// sound espeak-ng 1.51 draws from libc's rand() (f3 is another).
uint64_t randomisedVoiceHash() {
  VoiceSettings v;
  v.voice = "de+victor";
  auto clip = synthesiseSpeech("sieben", v);
  return clip ? clipHash(*clip) : 0;
}
} // namespace

// A speech server forked by a process that has drawn from rand() (here or in
// any library) speaks such a voice exactly as one forked by a fresh process:
// German f2, f3, f5 and victor once came out differently from one run of
// `snnc data digits` to another.
TEST(DigitSynth, SpeechIgnoresTheCallersRandState) {
  // The threadsafe style runs this test again in a new process up to the
  // statement, which then speaks first there: it forks a new server, with
  // the rand() state drawn below. Only the parent speaks before it.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  char want[40] = "";
  if (!::testing::internal::InDeathTestChild()) {
    const uint64_t hash = randomisedVoiceHash();
    ASSERT_NE(hash, 0u);
    std::snprintf(want, sizeof want, "hash %llx",
                  static_cast<unsigned long long>(hash));
  }
  EXPECT_EXIT(
      {
        std::srand(4242);
        for (int i = 0; i < 1000; ++i)
          (void)std::rand();
        std::fprintf(stderr, "hash %llx\n",
                     static_cast<unsigned long long>(randomisedVoiceHash()));
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), want);
}

TEST(BuiltinDigits, EveryCatalogueVoiceSpeaks) {
  // A variant or base missing from the installed espeak-ng data must fail
  // loudly rather than fall back to a default voice. Every base with one
  // variant and every variant with one base covers the catalogue.
  std::set<std::string> bases, variants, checked;
  for (const auto &v : digitVoices()) {
    bool newBase = bases.insert(v.base).second;
    bool newVariant = variants.insert(v.variant).second;
    if (!newBase && !newVariant)
      continue;
    VoiceSettings s;
    s.voice = v.base + "+" + v.variant;
    auto clip = synthesiseSpeech(v.language == "en" ? "two" : "zwei", s);
    ASSERT_TRUE(clip) << s.voice << ": " << clip.status().message();
    checked.insert(s.voice);
  }
  EXPECT_GE(bases.size(), 9u);
  EXPECT_GE(variants.size(), 40u);
}

TEST(BuiltinDigits, DeterministicForASeed) {
  auto a = generateDigits(small(7, 2), false);
  auto b = generateDigits(small(7, 1), false);
  auto c = generateDigits(small(8, 2), false);
  ASSERT_TRUE(a) << a.status().message();
  ASSERT_TRUE(b && c);
  EXPECT_EQ(a->size(), 40u);
  EXPECT_EQ(a->steps, 100u);
  EXPECT_EQ(a->channels, 40u);
  EXPECT_EQ(a->numClasses, 20u);
  EXPECT_EQ(a->labels, b->labels);
  EXPECT_EQ(a->speakers, b->speakers);
  EXPECT_TRUE(a->frames == b->frames) << "same seed, different frames";
  EXPECT_FALSE(a->frames == c->frames) << "different seeds, same frames";
  // Balanced classes.
  std::vector<int> count(20, 0);
  for (int32_t l : a->labels)
    ++count[size_t(l)];
  for (int k : count)
    EXPECT_EQ(k, 2);
  // Words sit inside the window above the noise floor: every sample has
  // frames well above its quietest frames.
  for (size_t s = 0; s < a->size(); ++s) {
    float lo = 1e9f, hi = -1e9f;
    for (uint32_t t = 0; t < 100; ++t) {
      float sum = 0;
      for (uint32_t ch = 0; ch < 40; ++ch)
        sum += a->frames[(s * 100 + t) * 40 + ch];
      lo = std::min(lo, sum / 40);
      hi = std::max(hi, sum / 40);
    }
    EXPECT_GT(hi - lo, 0.1f) << "sample " << s;
  }
}

TEST(BuiltinDigits, SpeakerSplitIsDisjoint) {
  // In the catalogue: no speaker id and no variant on both sides.
  std::set<int32_t> trainIds, testIds;
  std::set<std::string> trainVariants, testVariants;
  for (const auto &v : digitVoices()) {
    (v.test ? testIds : trainIds).insert(v.speaker);
    (v.test ? testVariants : trainVariants).insert(v.variant);
  }
  for (int32_t id : testIds)
    EXPECT_EQ(trainIds.count(id), 0u);
  for (const auto &v : testVariants)
    EXPECT_EQ(trainVariants.count(v), 0u) << v;
  EXPECT_GE(testVariants.size(), 5u);
  // In generated data.
  auto train = generateDigits(small(3, 0), false);
  auto test = generateDigits(small(3, 0), true);
  ASSERT_TRUE(train && test);
  std::set<int32_t> a(train->speakers.begin(), train->speakers.end());
  for (int32_t s : test->speakers) {
    EXPECT_EQ(a.count(s), 0u) << "speaker " << s << " on both sides";
    EXPECT_TRUE(digitVoices().at(size_t(s)).test);
  }
}

TEST(BuiltinDigits, RecordsEachSamplesVariantAndBaseVoice) {
  // Ids: one per variant name and per base voice, the same on every base
  // and in both splits (a validation split holds out whole variants).
  std::map<std::string, int32_t> variantIds, baseIds;
  for (const auto &v : digitVoices()) {
    auto [it, fresh] = variantIds.emplace(v.variant, v.variantId);
    EXPECT_EQ(it->second, v.variantId) << v.variant;
    auto [jt, newBase] = baseIds.emplace(v.base, v.baseId);
    EXPECT_EQ(jt->second, v.baseId) << v.base;
  }
  std::set<int32_t> distinct;
  for (const auto &[name, id] : variantIds)
    EXPECT_TRUE(distinct.insert(id).second) << name;
  EXPECT_EQ(variantIds.size(), 45u);
  EXPECT_EQ(baseIds.size(), 9u);
  for (bool testSplit : {false, true}) {
    auto d = generateDigits(small(3, 0), testSplit);
    ASSERT_TRUE(d);
    ASSERT_EQ(d->variants.size(), d->size());
    ASSERT_EQ(d->voiceBases.size(), d->size());
    for (size_t i = 0; i < d->size(); ++i) {
      const DigitVoice &v = digitVoices().at(size_t(d->speakers[i]));
      EXPECT_EQ(d->variants[i], v.variantId);
      EXPECT_EQ(d->voiceBases[i], v.baseId);
      EXPECT_EQ(v.test, testSplit);
    }
  }
}

TEST(BuiltinDigits, WritesBothSplits) {
  std::string dir = datatest::tempPath("digits");
  std::string err;
  int rc = datatest::runSnnc("data digits --quiet --train 20 --test 20 --seed 5 "
                             "--out " + dir, &err);
  ASSERT_EQ(rc, 0) << err;
  auto tr = readDataset(dir + "/train.h5");
  auto te = readDataset(dir + "/test.h5");
  ASSERT_TRUE(tr) << tr.status().message();
  ASSERT_TRUE(te) << te.status().message();
  EXPECT_EQ(tr->size(), 20u);
  EXPECT_EQ(te->size(), 20u);
  EXPECT_DOUBLE_EQ(tr->dtSeconds, 0.01);
  EXPECT_EQ(tr->classNames.size(), 20u);
  std::remove((dir + "/train.h5").c_str());
  std::remove((dir + "/test.h5").c_str());
  rmdir(dir.c_str());
}

// Xylo's shape (16 inputs, 8 outputs): fewer bands and the first K classes,
// still balanced; the spike encoding doubles the channels (up/down).
TEST(BuiltinDigits, ChannelsAndClasses) {
  DigitsOptions o = small(3, 2);
  o.trainSamples = 16;
  o.mel.bands = 16;
  o.classes = 8;
  auto a = generateDigits(o, false);
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->channels, 16u);
  EXPECT_EQ(a->numClasses, 8u);
  ASSERT_EQ(a->classNames.size(), 8u);
  EXPECT_EQ(a->frames.size(), size_t(16) * 100 * 16);
  std::vector<int> count(8, 0);
  for (int32_t l : a->labels) {
    ASSERT_GE(l, 0);
    ASSERT_LT(l, 8);
    ++count[size_t(l)];
  }
  for (int k : count)
    EXPECT_EQ(k, 2);

  o.spikes = true;
  o.mel.bands = 8;
  auto s = generateDigits(o, false);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->kind, InputKind::Spikes);
  EXPECT_EQ(s->channels, 16u);
  EXPECT_EQ(s->numClasses, 8u);
  EXPECT_FALSE(s->eventStep.empty());
  for (auto ch : s->eventChannel)
    ASSERT_LT(ch, 16u);

  o.classes = 21;
  auto bad = generateDigits(o, false);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("--classes"), std::string::npos);
}
