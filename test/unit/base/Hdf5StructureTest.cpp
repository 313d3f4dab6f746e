#include "snnrt/base/Hdf5Structure.h"
#include "snnrt/base/Hdf5File.h"

#include <gtest/gtest.h>

#include <algorithm>
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

/// A file in the 1.10 format (libver latest) whose groups and attributes
/// use dense storage and whose chunked datasets use each 1.10 chunk index:
/// "links" (12 groups and, with `external`, an external link; creation
/// order indexed), "many" (`count` groups; 1000: a v2 B-tree of several
/// levels and a fractal heap with indirect blocks), "attrs" (12 attributes and
/// one of 160 KB: a huge heap object), and the datasets "fixed" (filtered fixed
/// array), "fixed_plain", "extensible", "btree", "implicit" and "single".
std::vector<uint8_t> denseFile(bool external = false, int count = 1000) {
  std::string path = tempPath("dense");
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_link_creation_order(gcpl,
                             H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  hid_t links = H5Gcreate2(f, "links", H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  for (int i = 0; i < 12; ++i) {
    std::string g = "group_" + std::to_string(i);
    H5Gclose(
        H5Gcreate2(links, g.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  }
  if (external)
    H5Lcreate_external("other.h5", "/secret", links, "elsewhere", H5P_DEFAULT,
                       H5P_DEFAULT);
  H5Gclose(links);
  hid_t many = H5Gcreate2(f, "many", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (int i = 0; i < count; ++i) {
    std::string g = "a_group_with_a_rather_long_name_" + std::to_string(i);
    H5Gclose(
        H5Gcreate2(many, g.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  }
  H5Gclose(many);
  hid_t attrs = H5Gcreate2(f, "attrs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (int i = 0; i < 13; ++i) {
    hsize_t n = i == 12 ? 20000 : hsize_t(i + 1);
    hid_t space = H5Screate_simple(1, &n, nullptr);
    std::vector<double> values(n, 0.5 * i);
    std::string name = "attribute_" + std::to_string(i);
    hid_t a = H5Acreate2(attrs, name.c_str(), H5T_IEEE_F64LE, space,
                         H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_DOUBLE, values.data());
    H5Aclose(a);
    H5Sclose(space);
  }
  H5Gclose(attrs);
  std::vector<int32_t> values(64);
  for (int i = 0; i < 64; ++i)
    values[i] = i * 3;
  auto dataset = [&](const char *name, int rank, const hsize_t *dims,
                     const hsize_t *maxDims, const hsize_t *chunk,
                     bool fletcher, bool early) {
    hid_t space = H5Screate_simple(rank, dims, maxDims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, rank, chunk);
    if (fletcher)
      H5Pset_fletcher32(dcpl);
    if (early)
      H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
    hid_t ds = H5Dcreate2(f, name, H5T_STD_I32LE, space, H5P_DEFAULT, dcpl,
                          H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
             values.data());
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
  };
  hsize_t n64 = 64, c8 = 8, unl = H5S_UNLIMITED;
  hsize_t d2[2] = {8, 8}, c2[2] = {4, 4},
          u2[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
  dataset("fixed", 1, &n64, nullptr, &c8, true, false);
  dataset("fixed_plain", 1, &n64, nullptr, &c8, false, false);
  dataset("extensible", 1, &n64, &unl, &c8, false, false);
  dataset("btree", 2, d2, u2, c2, true, false);
  dataset("implicit", 1, &n64, nullptr, &c8, false, true);
  dataset("single", 1, &n64, nullptr, &n64, true, false);
  H5Fclose(f);
  auto bytes = slurp(path);
  std::remove(path.c_str());
  return bytes;
}

Status check(const std::vector<uint8_t> &image,
             h5::StructureStats *stats = nullptr) {
  return h5::checkStructure(
      "test.h5", image.size(),
      [&](uint64_t at, void *out, uint64_t n) {
        if (at > image.size() || n > image.size() - at)
          return false;
        std::memcpy(out, image.data() + at, n);
        return true;
      },
      stats);
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

void put(std::vector<uint8_t> &image, size_t at, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i)
    image[at + i] = uint8_t(v >> (8 * i));
}

/// Where the checksum of the block at `at` is (it follows the block's used
/// bytes: found where it matches), or 0.
size_t checksumAt(const std::vector<uint8_t> &image, size_t at) {
  for (size_t k = 6; k < 4096 && at + k + 4 <= image.size(); ++k)
    if (h5::metadataChecksum(image.data() + at, k) ==
        uint32_t(image[at + k] | image[at + k + 1] << 8 |
                 image[at + k + 2] << 16 | uint32_t(image[at + k + 3]) << 24))
      return k;
  return 0;
}

/// The first block with signature `sig` whose byte 5 (a B-tree's record
/// type) is `type`, or any when `type` < 0.
size_t block(const std::vector<uint8_t> &image, const char *sig,
             int type = -1) {
  for (size_t at : find(image, sig))
    if (type < 0 || image[at + 5] == type)
      return at;
  ADD_FAILURE() << "no " << sig << " block of type " << type;
  return 0;
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

TEST(Hdf5Structure, DenseStorageAndChunkIndicesAreWalked) {
  auto image = denseFile();
  ASSERT_EQ(image[8], 3) << "expected superblock version 3";
  for (const char *sig : {"FRHP", "FHDB", "FHIB", "BTHD", "BTIN", "BTLF",
                          "FAHD", "FADB", "EAHD", "EAIB"})
    EXPECT_FALSE(find(image, sig).empty()) << sig;
  h5::StructureStats stats;
  Status s = check(image, &stats);
  ASSERT_TRUE(s) << s.message();
  // Every object, reached through dense links only: the root, 3 groups,
  // 1012 groups in them, 6 datasets.
  EXPECT_EQ(stats.objects, 1u + 3 + 1012 + 6);
  // Links by name and by creation order (12, twice), 1000 links by name,
  // 13 attributes (one a huge object), the root's 6 dense links... at least
  // these.
  EXPECT_GE(stats.heapObjects, 24u + 1000 + 13);
  EXPECT_GE(stats.heapBlocks, 4u);
  EXPECT_GE(stats.treeNodes, 10u);
  // fixed 8 + fixed_plain 8 + extensible 8 + btree 4 + single 1.
  EXPECT_EQ(stats.chunks, 29u);
  EXPECT_LE(stats.bytesRead, image.size());
  auto opened = h5::File::openImage("dense.h5", image.data(), image.size());
  ASSERT_TRUE(opened) << opened.status().message();
  std::vector<int32_t> values;
  ASSERT_TRUE(opened->read("extensible", values));
  EXPECT_EQ(values[63], 189);
}

TEST(Hdf5Structure, RefusesAnExternalLinkInDenseStorage) {
  Status s = check(denseFile(true));
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("an external link to another file (snnc reads "
                             "self-contained HDF5 files only)"),
            std::string::npos)
      << s.message();
}

/// Each field HDF5 1.10 sizes a table, a buffer or a loop by, set to a value
/// the file cannot hold: refused, naming the structure, its offset and the
/// value (8-byte addresses and lengths).
TEST(Hdf5Structure, RefusesCraftedDenseStorageAndChunkIndices) {
  auto image = denseFile();
  struct Case {
    const char *sig;
    int type;      // byte 5 of the block (B-tree record type), or -1
    size_t offset; // of the field in the block
    unsigned width;
    uint64_t value;
    const char *expected;
  };
  const Case cases[] = {
      // Fractal heap header: table width, block sizes, heap size, rows.
      {"FRHP", -1, 110, 2, 3, "table width 3"},
      {"FRHP", -1, 112, 8, uint64_t(1) << 40, "block sizes 1099511627776"},
      {"FRHP", -1, 128, 2, 4, "claims a heap of 2^4 bytes"},
      {"FRHP", -1, 140, 2, 60000, "its root block claims 60000 rows"},
      {"FRHP", -1, 10, 4, 0, "heap IDs of 7 bytes for objects up to 0"},
      {"FRHP", -1, 132, 8, uint64_t(1) << 40, "lies outside the file"},
      // Blocks of the heap: signature and the heap they belong to.
      {"FHDB", -1, 0, 1, 'X', "not the block of heap offset"},
      {"FHIB", -1, 5, 8, 8, "not the block of heap offset"},
      // v2 B-tree headers: node size, record size, depth, root records.
      {"BTHD", 5, 6, 4, 0x7fffffff, "nodes of 2147483647 bytes"},
      {"BTHD", 5, 10, 2, 1, "records of 1 bytes, expected 11"},
      {"BTHD", 6, 12, 2, 60000, "depth 60000 with nodes of"},
      {"BTHD", 8, 24, 2, 60000, "its root claims 60000 records"},
      {"BTHD", 11, 5, 1, 7, "records of type 7"},
      // v2 B-tree nodes: a record's heap ID (version, offset).
      {"BTIN", 5, 6 + 4, 1, 0x40, "heap ID of version 1, type 0"},
      {"BTLF", 5, 6 + 4 + 1, 4, 0xffffff, "bytes at heap offset 16777215"},
      // Fixed array: element count, element size, page size.
      {"FAHD", -1, 8, 8, uint64_t(1) << 40, "claims 1099511627776 elements"},
      {"FAHD", -1, 6, 1, 3, "elements of 3 bytes"},
      {"FAHD", -1, 7, 1, 200, "pages of 2^200 elements"},
      {"FADB", -1, 6 + 8, 8, uint64_t(1) << 40, "element 0 claims"},
      // Extensible array: geometry, index block.
      {"EAHD", -1, 7, 1, 1, "2^1 at most"},
      {"EAHD", -1, 10, 1, 3, "super blocks from 3 pointers"},
      {"EAHD", -1, 60, 8, uint64_t(1) << 40, "its index block at offset"},
      {"EAIB", -1, 6 + 8, 8, uint64_t(1) << 40, "element 0 claims"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.sig) + " type " + std::to_string(c.type) + " +" +
                 std::to_string(c.offset));
    size_t at = block(image, c.sig, c.type);
    ASSERT_NE(at, 0u);
    size_t sum = checksumAt(image, at);
    auto bad = image;
    put(bad, at + c.offset, c.width, c.value);
    // Corrupted at random, the checksum no longer matches: refused for that.
    Status s = check(bad);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.kind(), ErrorKind::BadInput);
    // Crafted, with the checksum recomputed: refused for the value.
    if (sum != 0)
      put(bad, at + sum, 4, h5::metadataChecksum(bad.data() + at, sum));
    s = check(bad);
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find("test.h5: corrupted "), std::string::npos)
        << s.message();
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("checksum mismatch"), std::string::npos)
        << s.message();
    EXPECT_NE(
        s.message().find("file has " + std::to_string(image.size()) + " bytes"),
        std::string::npos)
        << s.message();
  }
}

TEST(Hdf5Structure, RefusesMetadataWhoseChecksumFails) {
  // HDF5 1.10.8 frees uninitialised pointers when a direct block of a
  // group's dense links fails its checksum while it lists the links (found
  // by fuzz-nir): the walk checks every checksum first.
  auto image = denseFile();
  for (const char *sig :
       {"FHDB", "FHIB", "BTLF", "BTIN", "FADB", "EAIB", "EADB", "OHDR"}) {
    SCOPED_TRACE(sig);
    size_t at = block(image, sig);
    ASSERT_NE(at, 0u);
    auto bad = image;
    bad[at + 30] ^= 0x01;
    Status s = check(bad);
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos)
        << s.message();
  }
}

/// A v2 B-tree whose header counts more records than its nodes hold (HDF5
/// 1.10 sizes a table by the count and fills it from the nodes).
TEST(Hdf5Structure, RefusesAB2TreeWithMoreRecordsThanItsNodes) {
  auto image = denseFile();
  size_t at = block(image, "BTHD", 5);
  put64(image, at + 26, 1000000); // total records
  put(image, at + 34, 4, h5::metadataChecksum(image.data() + at, 34));
  Status s = check(image);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("its header claims 1000000 records, its nodes "
                             "hold 1000"),
            std::string::npos)
      << s.message();
}

TEST(Hdf5Structure, RefusesAttributesLargerThanTheirMessage) {
  // A compact attribute whose datatype claims 1 GiB per element: HDF5 1.10
  // would copy that much from the message.
  auto image = oldStyleFile();
  const char name[] = "attribute_with_a_long_name_0";
  auto it = std::search(image.begin(), image.end(), name,
                        name + sizeof(name)); // with its NUL
  ASSERT_NE(it, image.end());
  size_t type = size_t(it - image.begin()) + 32; // the name padded to 8
  put(image, type + 4, 4, 1u << 30);
  Status s = check(image);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("an attribute claims 1 elements of 1073741824 "
                             "bytes, its message has 8"),
            std::string::npos)
      << s.message();
}

TEST(Hdf5Structure, RefusesImplicitChunksOutsideTheFile) {
  auto image = denseFile();
  // The implicit dataset's layout message: version 4, chunked, flags,
  // 2 dimensions (the element's included) of 1 byte: 8 and 4, index 2,
  // then the first chunk's address.
  const uint8_t layout[] = {4, 2, 0, 2, 1, 8, 4, 2};
  auto it =
      std::search(image.begin(), image.end(), layout, layout + sizeof(layout));
  ASSERT_NE(it, image.end());
  size_t addr = size_t(it - image.begin()) + sizeof(layout);
  // Its object header, resealed: a crafted file.
  size_t header = 0;
  for (size_t at : find(image, "OHDR"))
    if (at < addr)
      header = at;
  size_t sum = checksumAt(image, header);
  ASSERT_GT(header + sum, addr);
  put64(image, addr, image.size() - 100);
  put(image, header + sum, 4, h5::metadataChecksum(image.data() + header, sum));
  Status s = check(image);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("its chunks claim 256 bytes at offset " +
                             std::to_string(image.size() - 100)),
            std::string::npos)
      << s.message();
}

TEST(Hdf5Structure, SurvivesEveryCorruptedByteOfDenseStorage) {
  // As SurvivesEveryCorruptedByte, over a smaller dense file (every 7th
  // byte, so that the test stays short under the sanitizers).
  auto image = denseFile(false, 20);
  size_t refused = 0;
  for (size_t i = 0; i < image.size(); i += 7) {
    auto bad = image;
    bad[i] ^= 0xff;
    refused += check(bad) ? 0 : 1;
  }
  EXPECT_GT(refused, 0u);
}

TEST(Hdf5Structure, SuperblockExtensionMessages) {
  // B-tree K values (non-default chunk K: a version 3 superblock with an
  // extension) are read; shared object header messages are refused.
  for (bool shared : {false, true}) {
    std::string path = tempPath(shared ? "sohm" : "kvalues");
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_istore_k(fcpl, 64);
    if (shared) {
      H5Pset_shared_mesg_nindexes(fcpl, 1);
      H5Pset_shared_mesg_index(fcpl, 0, H5O_SHMESG_ALL_FLAG, 40);
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    hsize_t n = 4;
    hid_t space = H5Screate_simple(1, &n, nullptr);
    for (int i = 0; i < 3; ++i) {
      std::string name = "d" + std::to_string(i);
      H5Dclose(H5Dcreate2(f, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT));
    }
    H5Sclose(space);
    H5Fclose(f);
    auto image = slurp(path);
    std::remove(path.c_str());
    ASSERT_EQ(image[8], 3);
    Status s = check(image);
    if (!shared) {
      EXPECT_TRUE(s) << s.message();
      continue;
    }
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find("shared object header messages (an HDF5 "
                               "feature snnc does not read)"),
              std::string::npos)
        << s.message();
  }
}

TEST(Hdf5Structure, FollowsCommittedDatatypes) {
  // A dataset and an attribute of a committed datatype whose link is gone:
  // HDF5 still reads the datatype's object header through the shared
  // messages, so the walk visits it too.
  for (bool latest : {false, true}) {
    SCOPED_TRACE(latest ? "format 1.10" : "earliest format");
    std::string path = tempPath("committed");
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (latest)
      H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    hid_t type = H5Tcopy(H5T_STD_I32LE);
    H5Tcommit2(f, "type", type, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t n = 4;
    hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t ds = H5Dcreate2(f, "values", type, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    hid_t a = H5Acreate2(ds, "scale", type, space, H5P_DEFAULT, H5P_DEFAULT);
    int32_t v[4] = {1, 2, 3, 4};
    H5Awrite(a, H5T_NATIVE_INT32, v);
    H5Aclose(a);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(type);
    H5Ldelete(f, "type", H5P_DEFAULT);
    H5Fclose(f);
    auto image = slurp(path);
    std::remove(path.c_str());
    h5::StructureStats stats;
    Status s = check(image, &stats);
    ASSERT_TRUE(s) << s.message();
    EXPECT_EQ(stats.objects, 3u); // the root, the dataset, the datatype
  }
}

TEST(Hdf5Structure, LargeChunkIndicesAreWalkedToEveryChunk) {
  // Enough chunks for a paged fixed array, an extensible array with super
  // blocks and paged data blocks, and a v2 B-tree of several levels.
  std::string path = tempPath("large");
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  std::vector<int32_t> values(40000);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = int32_t(i);
  auto dataset = [&](const char *name, int rank, const hsize_t *dims,
                     const hsize_t *maxDims, const hsize_t *chunk) {
    hid_t space = H5Screate_simple(rank, dims, maxDims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, rank, chunk);
    H5Pset_fletcher32(dcpl);
    hid_t ds = H5Dcreate2(f, name, H5T_STD_I32LE, space, H5P_DEFAULT, dcpl,
                          H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
             values.data());
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
  };
  hsize_t n = 40000, c = 8, unl = H5S_UNLIMITED;
  hsize_t d2[2] = {200, 200}, c2[2] = {4, 4};
  hsize_t u2[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
  dataset("fixed", 1, &n, nullptr, &c);   // 5000 chunks, paged
  dataset("extensible", 1, &n, &unl, &c); // 5000 chunks
  dataset("btree", 2, d2, u2, c2);        // 2500 chunks
  H5Fclose(f);
  auto image = slurp(path);
  std::remove(path.c_str());
  for (const char *sig : {"EASB", "EADB", "BTIN", "FADB"})
    EXPECT_FALSE(find(image, sig).empty()) << sig;
  h5::StructureStats stats;
  Status s = check(image, &stats);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(stats.chunks, 5000u + 5000 + 2500);
  // A bit flipped in the last page of the fixed array: its page checksum.
  auto bad = image;
  size_t block = find(image, "FADB").back();
  // Prefix 19 bytes (a 1-byte page bitmap and a checksum), 5000 elements of
  // 14 bytes (address, 2-byte size, filter mask) in 5 pages, each with a
  // checksum: 10 bytes before the end is inside the last page.
  bad[block + 19 + 5000 * 14 + 5 * 4 - 10] ^= 1;
  s = check(bad);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos)
      << s.message();
}

TEST(Hdf5Structure, RefusesFillValuesFiltersAndCommentsBeyondTheirMessage) {
  // An old-style file (no checksums): a dataset with a fill value, a
  // deflate filter and a comment.
  std::string path = tempPath("messages");
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t n = 16, c = 4;
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  int32_t fill = 0x12345678;
  H5Pset_fill_value(dcpl, H5T_NATIVE_INT32, &fill);
  H5Pset_chunk(dcpl, 1, &c);
  H5Pset_deflate(dcpl, 6);
  hid_t ds = H5Dcreate2(f, "values", H5T_STD_I32LE, space, H5P_DEFAULT, dcpl,
                        H5P_DEFAULT);
  H5Oset_comment(ds, "a comment on the values");
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(f);
  auto image = slurp(path);
  std::remove(path.c_str());
  ASSERT_TRUE(check(image));
  auto at = [&](const void *bytes, size_t len) {
    auto it = std::search(image.begin(), image.end(),
                          static_cast<const uint8_t *>(bytes),
                          static_cast<const uint8_t *>(bytes) + len);
    EXPECT_NE(it, image.end());
    return size_t(it - image.begin());
  };
  struct Case {
    size_t offset;
    unsigned width;
    uint64_t value;
    const char *expected;
  };
  size_t fillAt = at(&fill, 4), nameAt = at("deflate", 7);
  size_t commentAt = at("a comment on the values", 23);
  const Case cases[] = {
      // The fill value's size field, just before the value.
      {fillAt - 4, 4, 0x7fffffff, "a fill value message of"},
      // The filter's number of client data values, just before its name.
      {nameAt - 2, 2, 0xffff, "a filter pipeline message of"},
      // The comment's NUL and padding, overwritten.
      {commentAt + 23, 1, 'x', "a comment message without its terminating"},
  };
  for (const Case &k : cases) {
    SCOPED_TRACE(k.expected);
    auto bad = image;
    put(bad, k.offset, k.width, k.value);
    if (k.value == 'x') // and the padding after the NUL
      for (size_t i = k.offset + 1; i < k.offset + 8 && bad[i] == 0; ++i)
        bad[i] = 'x';
    Status s = check(bad);
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find(k.expected), std::string::npos) << s.message();
  }
}
