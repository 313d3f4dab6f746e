#include "DatasetFixtures.h"

#include "snnrt/dataset/Dataset.h"

#include <gtest/gtest.h>

#include <set>

using namespace snnrt;
using snnrt::fixtures::smallSpikes;

namespace {

/// 40 frame samples of 1 step x 1 channel whose only value is the sample's
/// index; speaker i / 4 (10 speakers, 4 samples each).
Dataset indexed(bool speakers) {
  Dataset d;
  d.kind = InputKind::Frames;
  d.steps = 1;
  d.channels = 1;
  d.numClasses = 2;
  for (int i = 0; i < 40; ++i) {
    d.labels.push_back(i % 2);
    if (speakers)
      d.speakers.push_back(100 + i / 4);
    d.frames.push_back(float(i));
  }
  return d;
}

/// indexed(true) with voices as the built-in digits record them: speaker
/// 100 + i / 4 is variant (i / 4) % 5 on base (i / 4) / 5, so each of the 5
/// variants is spoken on 2 bases.
Dataset withVariants() {
  Dataset d = indexed(true);
  for (int i = 0; i < 40; ++i) {
    d.variants.push_back((i / 4) % 5);
    d.voiceBases.push_back((i / 4) / 5);
  }
  return d;
}

} // namespace

TEST(SelectSamples, TakesTheListedSamplesInOrder) {
  Dataset s = selectSamples(smallSpikes(), {2, 0});
  ASSERT_TRUE(s.validate()) << s.validate().message();
  EXPECT_EQ(s.labels, (std::vector<int32_t>{1, 1}));
  EXPECT_EQ(s.eventOffsets, (std::vector<uint64_t>{0, 1, 3}));
  EXPECT_EQ(s.eventStep, (std::vector<uint32_t>{4, 0, 9}));
  EXPECT_EQ(s.eventChannel, (std::vector<uint32_t>{2, 4, 0}));
  EXPECT_EQ(s.eventCount, (std::vector<float>{2.f, 1.f, 3.f}));
}

TEST(ValidationSplit, HoldsOutWholeSpeakers) {
  Dataset d = indexed(true);
  auto split = splitValidation(d, 0.2, 1);
  ASSERT_TRUE(split) << split.status().message();
  EXPECT_TRUE(split->bySpeaker);
  EXPECT_EQ(split->speakers, 10u);
  EXPECT_EQ(split->heldOutSpeakers, 2u);
  EXPECT_EQ(split->validation.size(), 8u);
  EXPECT_EQ(split->train.size(), 32u);
  std::set<int32_t> val(split->validation.speakers.begin(),
                        split->validation.speakers.end());
  EXPECT_EQ(val.size(), 2u);
  for (int32_t s : split->train.speakers)
    EXPECT_EQ(val.count(s), 0u) << "speaker " << s << " on both sides";
  // Every sample lands on exactly one side, each side in the input's order,
  // with its own frames and label.
  std::set<float> seen;
  for (const Dataset *part : {&split->train, &split->validation}) {
    ASSERT_TRUE(part->validate()) << part->validate().message();
    for (size_t i = 0; i < part->size(); ++i) {
      float v = part->frames[i];
      EXPECT_TRUE(seen.insert(v).second);
      EXPECT_EQ(part->labels[i], int(v) % 2);
      EXPECT_EQ(part->speakers[i], 100 + int(v) / 4);
      if (i > 0) {
        EXPECT_LT(part->frames[i - 1], v);
      }
    }
  }
  EXPECT_EQ(seen.size(), 40u);
}

TEST(ValidationSplit, DeterministicInTheSeed) {
  Dataset d = indexed(true);
  auto a = splitValidation(d, 0.3, 7), b = splitValidation(d, 0.3, 7);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->validation.frames, b->validation.frames);
  bool differs = false;
  for (uint64_t seed = 8; seed < 16 && !differs; ++seed)
    differs = splitValidation(d, 0.3, seed)->validation.frames !=
              a->validation.frames;
  EXPECT_TRUE(differs) << "every seed held out the same speakers";
}

TEST(ValidationSplit, BySampleWithoutSpeakers) {
  auto split = splitValidation(indexed(false), 0.25, 3);
  ASSERT_TRUE(split) << split.status().message();
  EXPECT_FALSE(split->bySpeaker);
  EXPECT_EQ(split->validation.size(), 10u);
  EXPECT_EQ(split->train.size(), 30u);
  EXPECT_TRUE(split->validation.speakers.empty());
}

TEST(ValidationSplit, KeepsOneSpeakerOnEachSide) {
  auto tiny = splitValidation(indexed(true), 0.01, 1);
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->heldOutSpeakers, 1u);
  auto huge = splitValidation(indexed(true), 0.99, 1);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->heldOutSpeakers, 9u);
}

TEST(ValidationSplit, Refusals) {
  Dataset d = indexed(true);
  for (double f : {0.0, 1.0, -0.5, 2.0}) {
    auto r = splitValidation(d, f, 1);
    ASSERT_FALSE(r);
    EXPECT_NE(r.status().message().find("(0, 1)"), std::string::npos);
  }
  Dataset one = d;
  one.speakers.assign(one.size(), 5);
  auto r = splitValidation(one, 0.5, 1);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("at least 2 speakers"),
            std::string::npos)
      << r.status().message();
}

TEST(ValidationSplit, HoldsOutWholeVariantsWhenRecorded) {
  Dataset d = withVariants();
  for (ValidationGroups g :
       {ValidationGroups::Auto, ValidationGroups::Variant}) {
    auto split = splitValidation(d, 0.4, 3, g);
    ASSERT_TRUE(split) << split.status().message();
    EXPECT_TRUE(split->byVariant);
    EXPECT_TRUE(split->bySpeaker);
    EXPECT_EQ(split->speakers, 5u); // variants
    EXPECT_EQ(split->heldOutSpeakers, 2u);
    ASSERT_EQ(split->heldOutIds.size(), 2u);
    EXPECT_LT(split->heldOutIds[0], split->heldOutIds[1]);
    // Each held-out variant takes its samples on every base: 2 x 2 x 4.
    EXPECT_EQ(split->validation.size(), 16u);
    EXPECT_EQ(split->train.size(), 24u);
    std::set<int32_t> held(split->heldOutIds.begin(), split->heldOutIds.end());
    for (int32_t v : split->validation.variants)
      EXPECT_EQ(held.count(v), 1u);
    for (int32_t v : split->train.variants)
      EXPECT_EQ(held.count(v), 0u) << "variant " << v << " on both sides";
    std::set<int32_t> bases(split->validation.voiceBases.begin(),
                            split->validation.voiceBases.end());
    EXPECT_EQ(bases.size(), 2u);
    // Variants, bases and speakers travel with their samples.
    for (const Dataset *part : {&split->train, &split->validation}) {
      ASSERT_TRUE(part->validate()) << part->validate().message();
      for (size_t i = 0; i < part->size(); ++i) {
        int v = int(part->frames[i]);
        EXPECT_EQ(part->variants[i], (v / 4) % 5);
        EXPECT_EQ(part->voiceBases[i], (v / 4) / 5);
        EXPECT_EQ(part->speakers[i], 100 + v / 4);
      }
    }
  }
}

TEST(ValidationSplit, SpeakerSplitIgnoresVariants) {
  // The fast recipe keeps its split by speaker on files with variants: the
  // same samples as on a file without them.
  Dataset d = withVariants();
  auto split = splitValidation(d, 0.2, 1, ValidationGroups::Speaker);
  auto old = splitValidation(indexed(true), 0.2, 1);
  ASSERT_TRUE(split && old);
  EXPECT_FALSE(split->byVariant);
  EXPECT_TRUE(split->bySpeaker);
  EXPECT_EQ(split->heldOutSpeakers, 2u);
  EXPECT_EQ(split->validation.frames, old->validation.frames);
  // Held-out speakers share their variants with trained ones here.
  auto bySample = splitValidation(d, 0.2, 1, ValidationGroups::Sample);
  ASSERT_TRUE(bySample);
  EXPECT_FALSE(bySample->bySpeaker);
  EXPECT_EQ(bySample->validation.size(), 8u);
}

TEST(ValidationSplit, VariantSplitNeedsRecordedVariants) {
  auto split =
      splitValidation(indexed(true), 0.2, 1, ValidationGroups::Variant);
  ASSERT_FALSE(split);
  EXPECT_NE(split.status().message().find("variant"), std::string::npos);
  // Auto falls back to speakers.
  auto fallback =
      splitValidation(indexed(true), 0.2, 1, ValidationGroups::Auto);
  ASSERT_TRUE(fallback);
  EXPECT_FALSE(fallback->byVariant);
  EXPECT_TRUE(fallback->bySpeaker);
}

TEST(ValidationSplit, GroupNamesRoundTrip) {
  for (ValidationGroups g :
       {ValidationGroups::Auto, ValidationGroups::Variant,
        ValidationGroups::Speaker, ValidationGroups::Sample}) {
    ValidationGroups back = ValidationGroups::Sample;
    EXPECT_TRUE(parseValidationGroups(toString(g), back));
    EXPECT_EQ(back, g);
  }
  ValidationGroups unused;
  EXPECT_FALSE(parseValidationGroups("voice", unused));
}
