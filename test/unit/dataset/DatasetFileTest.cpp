#include "DatasetFixtures.h"

#include "snnrt/base/Hdf5File.h"
#include "snnrt/dataset/Dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <cstdio>
#include <unistd.h>

using namespace snnrt;
using snnrt::fixtures::smallFrames;
using snnrt::fixtures::smallSpikes;

namespace {
std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/dsf_" + name + "_" +
         std::to_string(getpid()) + ".h5";
}

bool fileExists(const std::string &p) { return access(p.c_str(), F_OK) == 0; }

/// Writes a file by hand so that the reader sees layouts snnc never writes.
void writeRaw(const std::string &path, const std::function<void(h5::File &)> &fn) {
  auto f = h5::File::createAtomic(path);
  ASSERT_TRUE(f) << f.status().message();
  fn(*f);
  ASSERT_TRUE(f->commit());
}

void rootAttrs(h5::File &f, const char *kind, int64_t steps, int64_t channels,
               int64_t classes) {
  f.setAttrString("/", "format", "snnc-dataset");
  f.setAttr<int64_t>("/", "version", 1);
  f.setAttrString("/", "kind", kind);
  f.setAttr<double>("/", "dt", 0.01);
  f.setAttr<int64_t>("/", "steps", steps);
  f.setAttr<int64_t>("/", "channels", channels);
  f.setAttr<int64_t>("/", "num_classes", classes);
}
} // namespace

TEST(DatasetFile, FramesRoundTrip) {
  std::string path = tempPath("frames");
  Dataset d = smallFrames();
  ASSERT_TRUE(writeDataset(path, d));
  auto r = readDataset(path);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->kind, InputKind::Frames);
  EXPECT_EQ(r->steps, 3u);
  EXPECT_EQ(r->channels, 2u);
  EXPECT_EQ(r->numClasses, 4u);
  EXPECT_DOUBLE_EQ(r->dtSeconds, 0.01);
  EXPECT_EQ(r->labels, d.labels);
  EXPECT_EQ(r->speakers, d.speakers);
  // A file without variants and base voices (as before 7 Dec 2026) reads
  // with none.
  EXPECT_TRUE(r->variants.empty());
  EXPECT_TRUE(r->voiceBases.empty());
  EXPECT_EQ(r->classNames, d.classNames);
  EXPECT_EQ(r->frames, d.frames);
  EXPECT_EQ(r->source, "test");
  // The frames are stored gzip-compressed as float32 [N, T, C].
  auto f = h5::File::openRead(path);
  ASSERT_TRUE(f);
  hid_t ds = H5Dopen2(f->id(), "frames", H5P_DEFAULT);
  hid_t plist = H5Dget_create_plist(ds);
  EXPECT_GT(H5Pget_nfilters(plist), 0);
  H5Pclose(plist);
  H5Dclose(ds);
  EXPECT_EQ(*f->shape("frames"), (std::vector<uint64_t>{2, 3, 2}));
  std::remove(path.c_str());
}

TEST(DatasetFile, VariantsAndBaseVoicesRoundTrip) {
  std::string path = tempPath("variants");
  Dataset d = smallFrames();
  d.variants = {7, 3};
  d.voiceBases = {0, 2};
  ASSERT_TRUE(writeDataset(path, d));
  auto r = readDataset(path);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->variants, d.variants);
  EXPECT_EQ(r->voiceBases, d.voiceBases);
  auto f = h5::File::openRead(path);
  ASSERT_TRUE(f);
  EXPECT_EQ(*f->shape("variants"), (std::vector<uint64_t>{2}));
  EXPECT_EQ(*f->shape("voice_bases"), (std::vector<uint64_t>{2}));
  std::remove(path.c_str());
}

TEST(DatasetFile, SpikesRoundTrip) {
  std::string path = tempPath("spikes");
  Dataset d = smallSpikes();
  ASSERT_TRUE(writeDataset(path, d));
  auto r = readDataset(path);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->kind, InputKind::Spikes);
  EXPECT_EQ(r->eventOffsets, d.eventOffsets);
  EXPECT_EQ(r->eventStep, d.eventStep);
  EXPECT_EQ(r->eventChannel, d.eventChannel);
  EXPECT_EQ(r->eventCount, d.eventCount);
  EXPECT_TRUE(r->speakers.empty());
  EXPECT_TRUE(r->classNames.empty());
  std::remove(path.c_str());
}

TEST(DatasetFile, EmptyDatasetRoundTrips) {
  std::string path = tempPath("empty");
  Dataset d = smallSpikes();
  d.labels.clear();
  d.eventOffsets = {0};
  d.eventStep.clear();
  d.eventChannel.clear();
  d.eventCount.clear();
  ASSERT_TRUE(writeDataset(path, d));
  auto r = readDataset(path);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->size(), 0u);
  std::remove(path.c_str());
}

TEST(DatasetFile, ValidateRejectsEachBrokenInvariant) {
  auto expectBad = [](const Dataset &d, const std::string &needle) {
    Status s = d.validate();
    ASSERT_FALSE(s) << "expected failure mentioning " << needle;
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  {
    Dataset d = smallFrames();
    d.labels[1] = 4;
    expectBad(d, "labels");
  }
  {
    Dataset d = smallFrames();
    d.labels[0] = -1;
    expectBad(d, "labels");
  }
  {
    Dataset d = smallFrames();
    d.frames[5] = std::nanf("");
    expectBad(d, "frames");
  }
  {
    Dataset d = smallFrames();
    d.frames.pop_back();
    expectBad(d, "frames");
  }
  {
    Dataset d = smallFrames();
    d.speakers.pop_back();
    expectBad(d, "speakers");
  }
  {
    Dataset d = smallFrames();
    d.variants = {1};
    expectBad(d, "variants");
  }
  {
    Dataset d = smallFrames();
    d.voiceBases = {1, 2, 3};
    expectBad(d, "voice_bases");
  }
  {
    Dataset d = smallFrames();
    d.classNames.pop_back();
    expectBad(d, "class_names");
  }
  {
    Dataset d = smallFrames();
    d.steps = 0;
    expectBad(d, "steps");
  }
  {
    Dataset d = smallSpikes();
    d.eventStep[1] = 10;
    expectBad(d, "events/step");
  }
  {
    Dataset d = smallSpikes();
    d.eventChannel[2] = 5;
    expectBad(d, "events/channel");
  }
  {
    Dataset d = smallSpikes();
    d.eventCount[0] = 0.5f;
    expectBad(d, "events/count");
  }
  {
    Dataset d = smallSpikes();
    d.eventOffsets = {0, 2, 1, 3};
    expectBad(d, "events/offsets");
  }
  {
    Dataset d = smallSpikes();
    d.eventOffsets = {0, 1, 1, 2};
    expectBad(d, "events/offsets");
  }
  {
    Dataset d = smallSpikes();
    std::swap(d.eventStep[0], d.eventStep[1]); // (9,4) before (0,0)
    expectBad(d, "sorted");
  }
  {
    Dataset d = smallSpikes();
    d.eventStep[1] = 0;
    d.eventChannel[1] = 4; // duplicates (0,4)
    expectBad(d, "duplicates");
  }
}

TEST(DatasetFile, WriteRefusesInvalidAndLeavesNoFile) {
  std::string path = tempPath("invalid");
  std::remove(path.c_str());
  Dataset d = smallFrames();
  d.labels[0] = 99;
  Status s = writeDataset(path, d);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find(path), std::string::npos);
  EXPECT_FALSE(fileExists(path));
  EXPECT_FALSE(fileExists(path + ".tmp." + std::to_string(getpid())));
}

TEST(DatasetFile, ReadErrorsNameFileAndDataset) {
  auto expectReadError = [](const std::string &path,
                            const std::string &needle) {
    auto r = readDataset(path);
    ASSERT_FALSE(r) << "expected failure mentioning " << needle;
    EXPECT_NE(r.status().message().find(path), std::string::npos)
        << r.status().message();
    EXPECT_NE(r.status().message().find(needle), std::string::npos)
        << r.status().message();
  };
  std::string path = tempPath("bad");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 2, 1, 3);
    f.write<float>("frames", {0, 0, 0, 0}, {2, 2, 1});
  });
  expectReadError(path, "labels");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 2, 1, 3);
    f.write<int32_t>("labels", {0, 1});
    f.write<float>("frames", {0, 0, 0}, {1, 3, 1});
  });
  expectReadError(path, "frames");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 2, 1, 3);
    f.setAttrString("/", "format", "something-else");
  });
  expectReadError(path, "format");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 2, 1, 3);
    f.setAttr<int64_t>("/", "version", 2);
  });
  expectReadError(path, "version");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 1, 1, 3);
    f.write<int32_t>("labels", {0, 3});
    f.write<float>("frames", {0, 0}, {2, 1, 1});
  });
  expectReadError(path, "labels");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "spikes", 4, 2, 2);
    f.write<int32_t>("labels", {0});
    f.write<uint64_t>("events/offsets", {0, 1});
    f.write<uint32_t>("events/step", {1});
    f.write<uint32_t>("events/channel", {2});
    f.write<float>("events/count", {1});
  });
  expectReadError(path, "events/channel");

  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "spikes", 4, 2, 2);
    f.write<int32_t>("labels", {0});
    f.write<uint64_t>("events/offsets", {0, 1});
    f.write<uint32_t>("events/step", {1});
    f.write<uint32_t>("events/channel", {1});
  });
  expectReadError(path, "events/count");

  expectReadError(tempPath("does_not_exist"), "does_not_exist");
  std::remove(path.c_str());
}

TEST(DatasetFile, ReaderCastsOtherWidths) {
  // h5py users write int64 labels, float64 frames and int64 steps.
  std::string path = tempPath("widths");
  writeRaw(path, [](h5::File &f) {
    rootAttrs(f, "frames", 2, 1, 3);
    f.write<int64_t>("labels", {2, 1});
    f.write<int16_t>("speakers", {5, 6});
    f.write<double>("frames", {0.25, 1, 2, 3}, {2, 2, 1});
  });
  auto r = readDataset(path);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->labels, (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(r->speakers, (std::vector<int32_t>{5, 6}));
  EXPECT_EQ(r->frames, (std::vector<float>{0.25f, 1, 2, 3}));
  std::remove(path.c_str());
}
