#include "DatasetFixtures.h"

#include "snnrt/dataset/Dataset.h"

#include <gtest/gtest.h>

using namespace snnrt;
using snnrt::fixtures::smallFrames;
using snnrt::fixtures::smallSpikes;

TEST(FirstSamples, FramesKeepTheirLeadingSamplesAndDescription) {
  Dataset d = smallFrames();
  Dataset first = firstSamples(d, 1);
  ASSERT_TRUE(first.validate()) << first.validate().message();
  EXPECT_EQ(first.size(), 1u);
  EXPECT_EQ(first.labels, std::vector<int32_t>{0});
  EXPECT_EQ(first.speakers, std::vector<int32_t>{7});
  EXPECT_EQ(first.frames,
            std::vector<float>(d.frames.begin(), d.frames.begin() + 6));
  EXPECT_EQ(first.steps, d.steps);
  EXPECT_EQ(first.channels, d.channels);
  EXPECT_EQ(first.numClasses, d.numClasses);
  EXPECT_EQ(first.classNames, d.classNames);
  EXPECT_EQ(first.source, d.source);
}

TEST(FirstSamples, SpikesKeepTheEventsOfTheirLeadingSamples) {
  Dataset first = firstSamples(smallSpikes(), 2);
  ASSERT_TRUE(first.validate()) << first.validate().message();
  EXPECT_EQ(first.labels, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(first.eventOffsets, (std::vector<uint64_t>{0, 2, 2}));
  EXPECT_EQ(first.eventStep, (std::vector<uint32_t>{0, 9}));
  EXPECT_EQ(first.eventChannel, (std::vector<uint32_t>{4, 0}));
  EXPECT_EQ(first.eventCount, (std::vector<float>{1.f, 3.f}));
  EXPECT_TRUE(first.speakers.empty());
}

TEST(FirstSamples, MoreThanTheDatasetHoldsIsAllOfIt) {
  for (const Dataset &d : {smallFrames(), smallSpikes()}) {
    Dataset all = firstSamples(d, 100);
    EXPECT_EQ(all.labels, d.labels);
    EXPECT_EQ(all.speakers, d.speakers);
    EXPECT_EQ(all.frames, d.frames);
    EXPECT_EQ(all.eventOffsets, d.eventOffsets);
    EXPECT_EQ(all.eventCount, d.eventCount);
  }
}

TEST(FirstSamples, NoSamples) {
  Dataset none = firstSamples(smallSpikes(), 0);
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.eventOffsets, std::vector<uint64_t>{0});
  EXPECT_TRUE(none.eventStep.empty());
}
