#include "snnrt/base/Hdf5Structure.h"
#include "snnrt/base/Hdf5File.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace snnrt;

namespace {

std::string tempPath(const char *name) {
  return ::testing::TempDir() + "/" + name + std::to_string(getpid()) + ".h5";
}

std::vector<uint8_t> slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

/// An old-style file as h5py and HDF5's defaults write it (superblock 0,
/// groups with symbol tables and local heaps, v1 object headers): 20 groups
/// (several symbol table nodes), a contiguous and a chunked dataset (a v1
/// chunk B-tree), and a dataset with enough attributes to need an object
/// header continuation.
std::vector<uint8_t> oldStyleFile() {
  std::string path = tempPath("oldstyle");
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  for (int i = 0; i < 20; ++i) {
    std::string g = "group" + std::to_string(i);
    H5Gclose(H5Gcreate2(f, g.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  }
  hsize_t n = 64;
  hid_t space = H5Screate_simple(1, &n, nullptr);
  std::vector<int32_t> values(n);
  for (hsize_t i = 0; i < n; ++i)
    values[i] = int32_t(i * 7);
  hid_t ds = H5Dcreate2(f, "group3/plain", H5T_NATIVE_INT32, space, H5P_DEFAULT,
                        H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  hid_t scalar = H5Screate(H5S_SCALAR);
  for (int i = 0; i < 40; ++i) {
    std::string name = "attribute_with_a_long_name_" + std::to_string(i);
    hid_t a = H5Acreate2(ds, name.c_str(), H5T_NATIVE_INT32, scalar,
                         H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_INT32, &i);
    H5Aclose(a);
  }
  H5Sclose(scalar);
  H5Dclose(ds);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hsize_t chunk = 8;
  H5Pset_chunk(dcpl, 1, &chunk);
  ds = H5Dcreate2(f, "chunked", H5T_NATIVE_INT32, space, H5P_DEFAULT, dcpl,
                  H5P_DEFAULT);
  H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(f);
  auto bytes = slurp(path);
  std::remove(path.c_str());
  return bytes;
}

Status check(const std::vector<uint8_t> &image) {
  return h5::checkStructure("test.h5", image.size(),
                            [&](uint64_t at, void *out, uint64_t n) {
                              if (at > image.size() || n > image.size() - at)
                                return false;
                              std::memcpy(out, image.data() + at, n);
                              return true;
                            });
}

std::vector<size_t> find(const std::vector<uint8_t> &image, const char *sig) {
  std::vector<size_t> at;
  for (size_t i = 0; i + 4 <= image.size(); ++i)
    if (std::memcmp(image.data() + i, sig, 4) == 0)
      at.push_back(i);
  return at;
}

void put64(std::vector<uint8_t> &image, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    image[at + i] = uint8_t(v >> (8 * i));
}

} // namespace

TEST(Hdf5Structure, ValidFilesPass) {
  auto image = oldStyleFile();
  ASSERT_EQ(image[8], 0) << "expected superblock version 0";
  EXPECT_GE(find(image, "HEAP").size(), 20u);
  EXPECT_GE(find(image, "SNOD").size(), 2u);
  Status s = check(image);
  EXPECT_TRUE(s) << s.message();
  auto opened = h5::File::openImage("old.h5", image.data(), image.size());
  ASSERT_TRUE(opened) << opened.status().message();
  std::vector<int32_t> values;
  ASSERT_TRUE(opened->read("chunked", values));
  EXPECT_EQ(values[9], 63);

  // snnc's own files: superblock 3, v2 object headers, compact links.
  std::string path = tempPath("snnc");
  {
    auto f = h5::File::createAtomic(path);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->write<float>("a/b/values", {1.5f, -2.f, 3.f, 4.f}, {2, 2}));
    ASSERT_TRUE(f->writeStrings("names", {"x", "yy"}));
    ASSERT_TRUE(f->commit());
  }
  auto snnc = slurp(path);
  s = check(snnc);
  EXPECT_TRUE(s) << s.message();
  EXPECT_TRUE(h5::File::openRead(path));
  std::remove(path.c_str());
}

TEST(Hdf5Structure, RefusesALocalHeapLargerThanTheFile) {
  auto image = oldStyleFile();
  for (size_t heap : find(image, "HEAP")) {
    auto bad = image;
    put64(bad, heap + 8, uint64_t(1) << 54); // data segment size
    Status s = check(bad);
    ASSERT_FALSE(s) << "heap at " << heap;
    EXPECT_NE(s.message().find("test.h5: corrupted local heap at offset " +
                               std::to_string(heap) + " claims " +
                               std::to_string(uint64_t(1) << 54) + " bytes"),
              std::string::npos)
        << s.message();
    EXPECT_NE(
        s.message().find("file has " + std::to_string(image.size()) + " bytes"),
        std::string::npos);
    EXPECT_EQ(s.kind(), ErrorKind::BadInput);
    // The data segment's address outside the file, and a free list beyond
    // the segment, are refused too.
    bad = image;
    put64(bad, heap + 24, image.size() - 4);
    EXPECT_FALSE(check(bad)) << "heap at " << heap;
    bad = image;
    put64(bad, heap + 16, 4096);
    EXPECT_FALSE(check(bad)) << "heap at " << heap;
  }
}

TEST(Hdf5Structure, RefusesNamesOutsideTheHeapAndHugeChunks) {
  auto image = oldStyleFile();
  // A symbol table node entry whose name offset lies beyond its heap.
  auto nodes = find(image, "SNOD");
  ASSERT_FALSE(nodes.empty());
  auto bad = image;
  put64(bad, nodes[0] + 8, 1u << 20);
  Status s = check(bad);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("is not a string inside the local heap"),
            std::string::npos)
      << s.message();
  // A chunk that claims 4 GiB in its B-tree key.
  bool found = false;
  for (size_t tree : find(image, "TREE")) {
    if (image[tree + 4] != 1)
      continue; // a group node
    found = true;
    auto chunk = image;
    size_t key = tree + 8 + 16; // after signature, type, level, count, siblings
    chunk[key] = chunk[key + 1] = chunk[key + 2] = chunk[key + 3] = 0xff;
    s = check(chunk);
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find("chunk 0 claims 4294967295 bytes"),
              std::string::npos)
        << s.message();
  }
  EXPECT_TRUE(found);
}

TEST(Hdf5Structure, SurvivesEveryCorruptedByte) {
  // Each byte of the file set to 0xff, then to 0x00 (where it differs): the
  // walk ends with a verdict, within the file's bytes (AddressSanitizer
  // checks the reads in the sanitized build).
  auto image = oldStyleFile();
  size_t refused = 0;
  for (size_t i = 0; i < image.size(); ++i) {
    for (uint8_t v : {uint8_t(0xff), uint8_t(0)}) {
      if (image[i] == v)
        continue;
      auto bad = image;
      bad[i] = v;
      refused += check(bad) ? 0 : 1;
    }
  }
  EXPECT_GT(refused, 0u);
  // Truncated copies: a walk that needs bytes past the end refuses.
  for (size_t n = 0; n < image.size(); n += 61) {
    std::vector<uint8_t> cut(image.begin(), image.begin() + long(n));
    (void)check(cut);
  }
}
