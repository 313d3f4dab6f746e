#include "snnrt/base/FileKind.h"
#include "snnrt/base/Hdf5File.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

using namespace snnrt;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/fk_" + std::to_string(getpid()) + "_" + name;
}

std::string writeText(const std::string &name, const std::string &text) {
  std::string path = tempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string writeHdf5(const std::string &name,
                      const std::function<void(h5::File &)> &fill) {
  std::string path = tempPath(name);
  auto f = h5::File::createAtomic(path);
  EXPECT_TRUE(f) << f.status().message();
  fill(*f);
  EXPECT_TRUE(f->commit());
  return path;
}

std::string withFormat(const std::string &name, const std::string &format,
                       const std::string &group = "") {
  return writeHdf5(name, [&](h5::File &f) {
    ASSERT_TRUE(f.setAttrString("/", "format", format));
    if (!group.empty())
      ASSERT_TRUE(f.createGroup(group));
  });
}

} // namespace

TEST(FileKind, SnncFilesByTheirFormatAttribute) {
  EXPECT_EQ(fileKind(withFormat("d.h5", "snnc-dataset")), FileKind::Dataset);
  EXPECT_EQ(fileKind(withFormat("m.h5", "snnc-model")), FileKind::Model);
  EXPECT_EQ(fileKind(withFormat("c.h5", "snnc-model", "checkpoint")),
            FileKind::Checkpoint);
  EXPECT_EQ(fileKind(withFormat("p.h5", "snnc-plan")), FileKind::Plan);
  EXPECT_EQ(fileKind(withFormat("s.h5", "snnc-spikes")), FileKind::Spikes);
}

TEST(FileKind, OtherHdf5FilesByTheirGroups) {
  std::string nir = writeHdf5(
      "nir.h5", [](h5::File &f) { ASSERT_TRUE(f.createGroup("node")); });
  EXPECT_EQ(fileKind(nir), FileKind::Nir);
  std::string shd = writeHdf5("shd.h5", [](h5::File &f) {
    ASSERT_TRUE(f.createGroup("spikes"));
    ASSERT_TRUE(f.write("labels", std::vector<int32_t>{1, 2}));
  });
  EXPECT_EQ(fileKind(shd), FileKind::Shd);
  std::string plain = writeHdf5("plain.h5", [](h5::File &f) {
    ASSERT_TRUE(f.write("x", std::vector<float>{1}));
  });
  EXPECT_EQ(fileKind(plain), FileKind::Hdf5);
}

TEST(FileKind, NonHdf5FilesByTheirFirstBytes) {
  EXPECT_EQ(fileKind(writeText("a.mlir", "// c\nsnn.network @n {\n}\n")),
            FileKind::Mlir);
  EXPECT_EQ(fileKind(writeText("a.mlirbc", std::string("ML\xef"
                                                       "R\x00\x01",
                                                       6))),
            FileKind::Mlir);
  EXPECT_EQ(fileKind(writeText("a.json", "  {\"name\": 1}")), FileKind::Json);
  EXPECT_EQ(fileKind(writeText("a.wav", "RIFF....WAVE")), FileKind::Audio);
  EXPECT_EQ(fileKind(writeText("a.flac", "fLaC")), FileKind::Audio);
  EXPECT_EQ(fileKind(writeText("a.txt", "hello\n")), FileKind::Other);
  // An MLIR network after a comment longer than the first 4 KiB.
  EXPECT_EQ(fileKind(writeText("long.mlir", "// " + std::string(5000, 'x') +
                                                "\nsnn.network @n {\n}\n")),
            FileKind::Mlir);
}

TEST(FileKind, MissingFilesAndFolders) {
  EXPECT_EQ(fileKind(tempPath("absent.h5")), FileKind::Missing);
  EXPECT_EQ(fileKind(tempPath("absent/below.h5")), FileKind::Missing);
  EXPECT_EQ(fileKind(::testing::TempDir()), FileKind::Directory);
}

TEST(FileKind, ExpectFileNamesWhatTheFileIsAndWhatWasExpected) {
  std::string dataset = withFormat("e.h5", "snnc-dataset");
  EXPECT_TRUE(expectFile(dataset, {FileKind::Dataset}, "a dataset", "X"));

  Status wrong = expectFile(dataset, {FileKind::Model}, "a model", "M");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.kind(), ErrorKind::BadInput);
  EXPECT_EQ(wrong.message(),
            dataset + ": is a snnc dataset, not a model (expected M)");

  std::string text = writeText("e.txt", "hello\n");
  Status unknown = expectFile(text, {FileKind::Model}, "a model", "M");
  EXPECT_EQ(unknown.message(), text + ": not a model (expected M)");

  std::string absent = tempPath("e-absent.h5");
  Status missing = expectFile(absent, {FileKind::Model}, "a model", "M");
  EXPECT_EQ(missing.kind(), ErrorKind::Io);
  EXPECT_EQ(missing.message(), absent + ": no such file");
}

TEST(FileKind, EveryKindIsDescribed) {
  for (int k = int(FileKind::Missing); k <= int(FileKind::Other); ++k)
    EXPECT_STRNE(describeKind(FileKind(k)), "");
  EXPECT_STREQ(describeKind(FileKind::Nir), "a NIR graph");
}
