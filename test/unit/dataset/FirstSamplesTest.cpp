#include "snnrt/dataset/Dataset.h"

#include <gtest/gtest.h>

using namespace snnrt;

namespace {

Dataset frames() {
  Dataset d;
  d.kind = InputKind::Frames;
  d.steps = 2;
  d.channels = 3;
  d.numClasses = 4;
  d.labels = {0, 3, 1};
  d.speakers = {7, 8, 9};
  d.classNames = {"a", "b", "c", "d"};
  d.source = "test";
  for (int i = 0; i < 18; ++i)
    d.frames.push_back(float(i));
  return d;
}

Dataset spikes() {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.dtSeconds = 0.001;
  d.steps = 10;
  d.channels = 5;
  d.numClasses = 2;
  d.labels = {1, 0, 1};
  d.eventOffsets = {0, 2, 2, 3};
  d.eventStep = {0, 9, 4};
  d.eventChannel = {4, 0, 2};
  d.eventCount = {1.f, 3.f, 2.f};
  return d;
}

} // namespace

TEST(FirstSamples, FramesKeepTheirLeadingSamplesAndDescription) {
  Dataset d = frames();
  Dataset first = firstSamples(d, 2);
  ASSERT_TRUE(first.validate()) << first.validate().message();
  EXPECT_EQ(first.size(), 2u);
  EXPECT_EQ(first.labels, (std::vector<int32_t>{0, 3}));
  EXPECT_EQ(first.speakers, (std::vector<int32_t>{7, 8}));
  EXPECT_EQ(first.frames,
            std::vector<float>(d.frames.begin(), d.frames.begin() + 12));
  EXPECT_EQ(first.steps, d.steps);
  EXPECT_EQ(first.channels, d.channels);
  EXPECT_EQ(first.numClasses, d.numClasses);
  EXPECT_EQ(first.classNames, d.classNames);
  EXPECT_EQ(first.source, d.source);
}

TEST(FirstSamples, SpikesKeepTheEventsOfTheirLeadingSamples) {
  Dataset d = spikes();
  Dataset first = firstSamples(d, 2);
  ASSERT_TRUE(first.validate()) << first.validate().message();
  EXPECT_EQ(first.labels, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(first.eventOffsets, (std::vector<uint64_t>{0, 2, 2}));
  EXPECT_EQ(first.eventStep, (std::vector<uint32_t>{0, 9}));
  EXPECT_EQ(first.eventChannel, (std::vector<uint32_t>{4, 0}));
  EXPECT_EQ(first.eventCount, (std::vector<float>{1.f, 3.f}));
  EXPECT_TRUE(first.speakers.empty());
}

TEST(FirstSamples, MoreThanTheDatasetHoldsIsAllOfIt) {
  for (const Dataset &d : {frames(), spikes()}) {
    Dataset all = firstSamples(d, 100);
    EXPECT_EQ(all.labels, d.labels);
    EXPECT_EQ(all.frames, d.frames);
    EXPECT_EQ(all.eventOffsets, d.eventOffsets);
    EXPECT_EQ(all.eventCount, d.eventCount);
  }
}

TEST(FirstSamples, NoSamples) {
  Dataset none = firstSamples(spikes(), 0);
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.eventOffsets, (std::vector<uint64_t>{0}));
  EXPECT_TRUE(none.eventStep.empty());
}
