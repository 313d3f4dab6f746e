//===- NirFileTest.cpp - readNir / writeNir on real and broken files ------===//

#include "NirFixtures.h"

#include "snnrt/nir/NirFile.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <unistd.h>

using namespace snnrt;
using namespace nirtest;
namespace fs = std::filesystem;

namespace {

/// The fixtures the reader must accept (conv2d.nir must be refused).
const char *const kReadable[] = {
    "all_types.nir",     "all_types_plain.nir", "nested.nir",
    "old_v0_2.nir",      "snntorch_lif.nir",    "snntorch_cubalif.nir",
    "snntorch_rleaky.nir", "norse_li.nir",        "norse_lif.nir",
    "norse_scalar.nir",
};

class TempDir {
public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("snnc-nir-test-" + std::to_string(getpid()) + "-" +
             std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string &name) const {
    return (path_ / name).string();
  }

private:
  fs::path path_;
  static inline int counter_ = 0;
};

std::string copyFixture(const TempDir &dir, const std::string &name) {
  std::string dst = dir.file(name);
  fs::copy_file(fixture(name), dst, fs::copy_options::overwrite_existing);
  return dst;
}

/// Edits a copy of a fixture in place with the HDF5 C API, to make files the
/// writer would refuse to produce.
class RawEdit {
public:
  explicit RawEdit(const std::string &path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    file_ = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    EXPECT_GE(file_, 0) << path;
  }
  ~RawEdit() { H5Fclose(file_); }

  void remove(const std::string &obj) {
    EXPECT_GE(H5Ldelete(file_, obj.c_str(), H5P_DEFAULT), 0) << obj;
  }
  void floats(const std::string &obj, const std::vector<float> &v,
              const std::vector<hsize_t> &shape) {
    if (H5Lexists(file_, obj.c_str(), H5P_DEFAULT) > 0)
      remove(obj);
    hid_t space = H5Screate_simple(int(shape.size()), shape.data(), nullptr);
    hid_t ds = H5Dcreate2(file_, obj.c_str(), H5T_NATIVE_FLOAT, space,
                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       v.data()),
              0);
    H5Dclose(ds);
    H5Sclose(space);
  }
  void ints(const std::string &obj, const std::vector<int64_t> &v,
            const std::vector<hsize_t> &shape) {
    if (H5Lexists(file_, obj.c_str(), H5P_DEFAULT) > 0)
      remove(obj);
    hid_t space = H5Screate_simple(int(shape.size()), shape.data(), nullptr);
    hid_t ds = H5Dcreate2(file_, obj.c_str(), H5T_STD_I64LE, space,
                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       v.data()),
              0);
    H5Dclose(ds);
    H5Sclose(space);
  }
  void strings(const std::string &obj, const std::vector<std::string> &v,
               const std::vector<hsize_t> &shape) {
    if (H5Lexists(file_, obj.c_str(), H5P_DEFAULT) > 0)
      remove(obj);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = shape.empty()
                      ? H5Screate(H5S_SCALAR)
                      : H5Screate_simple(int(shape.size()), shape.data(),
                                         nullptr);
    hid_t ds = H5Dcreate2(file_, obj.c_str(), type, space, H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT);
    std::vector<const char *> ptrs;
    for (const auto &s : v)
      ptrs.push_back(s.c_str());
    EXPECT_GE(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
              0);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(type);
  }

private:
  hid_t file_ = -1;
};

void expectError(const std::string &path, const std::string &fragment) {
  auto g = readNir(path);
  ASSERT_FALSE(g) << "expected failure containing: " << fragment;
  EXPECT_NE(g.status().message().find(fragment), std::string::npos)
      << "message: " << g.status().message() << "\nexpected: " << fragment;
  EXPECT_EQ(g.status().message().rfind(path, 0), 0u)
      << "message should start with the path: " << g.status().message();
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

//===----------------------------------------------------------------------===//
// Reading the fixtures
//===----------------------------------------------------------------------===//

TEST(NirRead, EveryFixtureMatchesTheRawDump) {
  auto expected = loadExpected();
  for (const char *name : kReadable) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(expected.count(name)) << "expected.txt lacks " << name;
    const ExpectedFile &want = expected[name];
    auto g = readNir(fixture(name));
    ASSERT_TRUE(g) << g.status().message();
    EXPECT_EQ(g->version, want.version);

    std::map<std::string, const NirNode *> nodes;
    std::map<std::string, std::vector<NirEdge>> edges;
    collect(*g, "", nodes, edges);
    EXPECT_EQ(edges, want.edges);
    ASSERT_EQ(nodes.size(), want.nodeTypes.size());
    for (const auto &[path, type] : want.nodeTypes) {
      SCOPED_TRACE(path);
      ASSERT_TRUE(nodes.count(path));
      const NirNode &node = *nodes[path];
      EXPECT_EQ(nirKindName(node.kind), type);
      const auto &wantParams = want.params.count(path)
                                   ? want.params.at(path)
                                   : std::map<std::string, ExpectedParam>{};
      for (const auto &[field, p] : wantParams) {
        SCOPED_TRACE(field);
        const NirArray *a = node.param(field);
        ASSERT_NE(a, nullptr);
        EXPECT_EQ(nirDTypeName(a->dtype), p.dtype);
        EXPECT_EQ(a->shape, p.shape);
        ASSERT_EQ(a->values.size(), p.values.size());
        for (size_t i = 0; i < p.values.size(); ++i)
          EXPECT_TRUE(sameBits(a->values[i], p.values[i]))
              << "index " << i << ": " << a->values[i] << " vs "
              << p.values[i];
      }
      // Fields the file lacks are the documented defaults only.
      for (const auto &[field, a] : node.params) {
        if (wantParams.count(field))
          continue;
        SCOPED_TRACE("defaulted " + field);
        ASSERT_TRUE(field == "v_reset" || field == "w_in");
        double v = field == "v_reset" ? 0.0 : 1.0;
        for (double x : a.values)
          EXPECT_EQ(x, v);
        const NirArray *thr = node.param("v_threshold");
        ASSERT_NE(thr, nullptr);
        EXPECT_EQ(a.shape, thr->shape);
        EXPECT_EQ(a.dtype, thr->dtype);
      }
    }
  }
}

TEST(NirRead, FixturesCoverGzipPlainAndOldLayouts) {
  // The reader does not care about compression (HDF5 filters are
  // transparent); this pins that the committed fixtures exercise both, as
  // the h5py dump recorded them.
  auto expected = loadExpected();
  auto allParams = [&](const std::string &file, bool gzip) {
    int n = 0;
    for (const auto &[path, fields] : expected[file].params)
      for (const auto &[field, p] : fields) {
        if (p.shape.empty())
          continue; // scalars cannot be chunked, so never compressed
        EXPECT_EQ(p.gzip, gzip) << file << " " << path << "/" << field;
        ++n;
      }
    EXPECT_GT(n, 0) << file;
  };
  allParams("all_types.nir", true);
  allParams("all_types_plain.nir", false);
  allParams("old_v0_2.nir", false);
  EXPECT_EQ(expected["old_v0_2.nir"].version, "0.2.0");
  // The 0.2 file lacks v_reset and CubaLIF's w_in; the reader fills them.
  EXPECT_FALSE(expected["old_v0_2.nir"].params["lif"].count("v_reset"));
  EXPECT_FALSE(expected["old_v0_2.nir"].params["cuba"].count("w_in"));
  auto g = readNir(fixture("old_v0_2.nir"));
  ASSERT_TRUE(g) << g.status().message();
  EXPECT_EQ(g->node("lif")->param("v_reset")->values,
            std::vector<double>(3, 0.0));
  EXPECT_EQ(g->node("cuba")->param("w_in")->values,
            std::vector<double>(3, 1.0));
}

TEST(NirRead, EverySupportedTypeIsInTheFixtures) {
  std::set<std::string> seen;
  for (const auto &[file, want] : loadExpected())
    for (const auto &[path, type] : want.nodeTypes)
      seen.insert(type);
  for (const char *t : {"Input", "Output", "Affine", "Linear", "Scale",
                        "Delay", "Threshold", "LIF", "CubaLIF", "LI",
                        "CubaLI", "IF", "I"})
    EXPECT_TRUE(seen.count(t)) << t;
}

TEST(NirRead, NestedGraphIsKeptNested) {
  auto g = readNir(fixture("nested.nir"));
  ASSERT_TRUE(g) << g.status().message();
  const NirNode *block = g->node("block");
  ASSERT_NE(block, nullptr);
  ASSERT_EQ(block->kind, NirKind::Graph);
  const NirNode *inner = block->graph->node("inner");
  ASSERT_NE(inner, nullptr);
  ASSERT_EQ(inner->kind, NirKind::Graph);
  EXPECT_EQ(inner->graph->node("li")->kind, NirKind::LI);
  EXPECT_TRUE(block->graph->version.empty());
}

TEST(NirRead, MetadataIsKept) {
  auto g = readNir(fixture("all_types.nir"));
  ASSERT_TRUE(g) << g.status().message();
  const NirNode *lif = g->node("lif");
  ASSERT_EQ(lif->metadataStrings.count("note"), 1u);
  EXPECT_EQ(lif->metadataStrings.at("note"), "lif layer");
  ASSERT_EQ(lif->metadata.count("gain"), 1u);
  EXPECT_EQ(lif->metadata.at("gain").values, std::vector<double>{2.5});
  EXPECT_EQ(lif->metadata.at("gain").dtype, NirDType::Float64);
}

TEST(NirRead, Conv2dIsRefusedByName) {
  expectError(fixture("conv2d.nir"),
              "node 'conv1' has type Conv2d, which snnc does not support "
              "(supported: Input, Output, Affine, Linear, Scale, Delay, "
              "Threshold, LIF, CubaLIF, LI, CubaLI, IF, I, NIRGraph)");
}

//===----------------------------------------------------------------------===//
// Broken files
//===----------------------------------------------------------------------===//

TEST(NirRead, MissingRequiredField) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).remove("/node/nodes/lif/tau");
  expectError(p, "node 'lif' (LIF) lacks the required field 'tau'");
}

TEST(NirRead, MissingFieldInNestedGraphNamesThePath) {
  TempDir dir;
  std::string p = copyFixture(dir, "nested.nir");
  RawEdit(p).remove("/node/nodes/block/nodes/inner/nodes/li/r");
  expectError(p, "node 'block.inner.li' (LI) lacks the required field 'r'");
}

TEST(NirRead, AffineBiasShape) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).floats("/node/nodes/fc_in/bias", {1, 2, 3, 4, 5}, {5});
  expectError(p, "node 'fc_in' (Affine) field 'bias' has shape [5] but "
                 "weight [4,3] needs [4]");
}

TEST(NirRead, NeuronFieldsMustShareAShape) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types.nir");
  RawEdit(p).floats("/node/nodes/lif/r", {1, 1, 1}, {3});
  expectError(p, "node 'lif' (LIF) fields must share one shape");
}

TEST(NirRead, EdgeSizesMustAgree) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  // Weight [5,3] with bias [5] is a valid Affine, but lif has 4 neurons.
  {
    RawEdit e(p);
    e.floats("/node/nodes/fc_in/weight", std::vector<float>(15, 0.5f), {5, 3});
    e.floats("/node/nodes/fc_in/bias", std::vector<float>(5, 0.f), {5});
  }
  expectError(p, "edge 'fc_in' -> 'lif': 'fc_in' gives 5 values but 'lif' "
                 "takes 4");
}

TEST(NirRead, NaNAndInfAreRefusedWithNodeAndField) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  float nan = std::numeric_limits<float>::quiet_NaN();
  RawEdit(p).floats("/node/nodes/lif/tau", {1e-3f, 1e-3f, nan, 1e-3f}, {4});
  expectError(p, "node 'lif' (LIF) field 'tau' holds NaN at index 2");

  std::string q = copyFixture(dir, "all_types.nir"); // gzip this time
  float inf = std::numeric_limits<float>::infinity();
  RawEdit(q).floats("/node/nodes/fc_out/weight",
                    {0, 0, 0, 0, 0, 0, 0, -inf}, {2, 4});
  expectError(q, "node 'fc_out' (Affine) field 'weight' holds Inf at index 7");
}

TEST(NirRead, DanglingEdge) {
  TempDir dir;
  std::string p = copyFixture(dir, "snntorch_lif.nir");
  RawEdit(p).strings("/node/edges",
                     {"input", "0", "0", "1", "1", "nowhere", "3", "output"},
                     {4, 2});
  expectError(p, "edge '1' -> 'nowhere' names node 'nowhere', which does not "
                 "exist");
}

TEST(NirRead, UnknownType) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).strings("/node/nodes/scale/type", {"Gain"}, {});
  expectError(p, "node 'scale' has unknown type 'Gain'");
}

TEST(NirRead, Versions) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).strings("/version", {"1.1.0"}, {});
  expectError(p, "NIR version '1.1.0' is not supported (snnc reads 0.2.x to "
                 "1.0.x)");
  RawEdit(p).strings("/version", {"0.1.0"}, {});
  expectError(p, "NIR version '0.1.0' is not supported");
  RawEdit(p).strings("/version", {"1.0.0"}, {});
  EXPECT_TRUE(readNir(p)) << "1.0.0 is in range";
  RawEdit(p).remove("/version");
  expectError(p, "no '/version' dataset");
}

TEST(NirRead, StructuralDamage) {
  TempDir dir;
  std::string p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).remove("/node/edges");
  expectError(p, "the top-level graph has no 'edges' dataset");

  p = copyFixture(dir, "nested.nir");
  RawEdit(p).remove("/node/nodes/block/nodes/lif/type");
  expectError(p, "node 'block.lif' has no 'type'");

  p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).strings("/node/type", {"LIF"}, {});
  expectError(p, "the top-level node has type 'LIF'");

  p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).strings("/node/edges", {"input", "fc_in", "lif"}, {3});
  expectError(p, "has 'edges' of shape (3); expected (E, 2)");

  // Integers are held as double: beyond 2^53 they would silently change.
  p = copyFixture(dir, "all_types_plain.nir");
  RawEdit(p).ints("/node/nodes/input/shape", {(int64_t(1) << 53) + 1}, {1});
  expectError(p, "node 'input' field 'shape' holds an integer beyond 2^53");
}

TEST(NirRead, TruncatedFilesFailCleanly) {
  TempDir dir;
  std::ifstream in(fixture("snntorch_lif.nir"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  for (double frac : {0.001, 0.1, 0.5, 0.9, 0.999}) {
    SCOPED_TRACE(frac);
    std::string p = dir.file("cut.nir");
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size() * frac));
    out.close();
    auto g = readNir(p);
    ASSERT_FALSE(g);
    EXPECT_EQ(g.status().message().rfind(p, 0), 0u) << g.status().message();
  }
}

TEST(NirRead, NotHdf5AndMissing) {
  TempDir dir;
  std::string p = dir.file("text.nir");
  std::ofstream(p) << "not a NIR file\n";
  expectError(p, "not an HDF5 file");
  auto g = readNir(dir.file("absent.nir"));
  ASSERT_FALSE(g);
  EXPECT_EQ(g.status().kind(), ErrorKind::Io);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

TEST(NirWrite, FixturesRoundTripBitExact) {
  TempDir dir;
  for (const char *name : kReadable) {
    SCOPED_TRACE(name);
    auto g = readNir(fixture(name));
    ASSERT_TRUE(g) << g.status().message();
    for (bool gzip : {true, false}) {
      std::string p = dir.file(std::string(gzip ? "gz_" : "plain_") + name);
      NirWriteOptions opts;
      opts.gzip = gzip;
      ASSERT_TRUE(writeNir(p, *g, opts)) << writeNir(p, *g, opts).message();
      auto back = readNir(p);
      ASSERT_TRUE(back) << back.status().message();
      EXPECT_EQ(back->version, kNirWriteVersion);
      NirGraph want = *g;
      want.version = kNirWriteVersion;
      EXPECT_TRUE(*back == want);
      // Writing what was read back gives the same graph again.
      ASSERT_TRUE(writeNir(p, *back, opts));
      auto again = readNir(p);
      ASSERT_TRUE(again);
      EXPECT_TRUE(*again == *back);
    }
  }
}

namespace {
NirGraph handMadeGraph() {
  NirGraph g;
  g.version = kNirWriteVersion;
  NirNode in(NirKind::Input);
  in.params["shape"] = NirArray::ints({2}, {1});
  NirNode lin(NirKind::Linear);
  // float64 with values float32 cannot hold, a negative zero and a
  // subnormal: all must come back bit for bit.
  lin.params["weight"] = NirArray::floats(
      {0.1, -0.0, 4.9406564584124654e-324, 1e300, -2.0, 1.0 / 3.0}, {3, 2},
      NirDType::Float64);
  NirNode lif(NirKind::LIF);
  lif.params["tau"] = NirArray::floats({0.01f}, {}, NirDType::Float32);
  lif.params["r"] = NirArray::filled(3, 1.0);
  lif.params["v_leak"] = NirArray::filled(3, 0.0);
  lif.params["v_threshold"] = NirArray::floats({1.0, 0.5f, 2.0}, {3});
  lif.params["v_reset"] = NirArray::filled(3, 0.0);
  lif.metadata["layer"] = NirArray::ints({7}, {}, NirDType::Int32);
  lif.metadataStrings["origin"] = "unit test";
  NirNode delay(NirKind::Delay);
  delay.params["delay"] = NirArray::ints({0, 3, 1}, {3}, NirDType::UInt16);
  NirNode out(NirKind::Output);
  out.params["shape"] = NirArray::ints({3}, {1}, NirDType::Int32);

  NirNode sub(NirKind::Graph);
  sub.graph = std::make_unique<NirGraph>();
  sub.graph->nodes["input"] = NirNode(NirKind::Input);
  sub.graph->nodes["input"].params["shape"] = NirArray::ints({3}, {1});
  sub.graph->nodes["scale"] = NirNode(NirKind::Scale);
  sub.graph->nodes["scale"].params["scale"] =
      NirArray::floats({2.0, -1.0, 0.25}, {3});
  sub.graph->nodes["output"] = NirNode(NirKind::Output);
  sub.graph->nodes["output"].params["shape"] = NirArray::ints({3}, {1});
  sub.graph->edges = {{"input", "scale"}, {"scale", "output"}};

  g.nodes["in"] = in;
  g.nodes["w"] = lin;
  g.nodes["lif"] = lif;
  g.nodes["d"] = delay;
  g.nodes["sub"] = sub;
  g.nodes["out"] = out;
  g.edges = {{"in", "w"}, {"w", "lif"}, {"lif", "d"}, {"d", "sub"},
             {"sub", "out"}};
  return g;
}
} // namespace

TEST(NirWrite, HandMadeGraphRoundTripsEveryDtypeAndBit) {
  TempDir dir;
  NirGraph g = handMadeGraph();
  ASSERT_TRUE(validateNir(g, "hand"));
  std::string p = dir.file("hand.nir");
  Status st = writeNir(p, g);
  ASSERT_TRUE(st) << st.message();
  auto back = readNir(p);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_TRUE(*back == g);
  EXPECT_EQ(back->node("d")->param("delay")->dtype, NirDType::UInt16);
  EXPECT_EQ(back->node("lif")->param("tau")->shape, std::vector<uint64_t>{});
  EXPECT_TRUE(std::signbit(back->node("w")->param("weight")->values[1]));
  // No temporary file is left beside the result.
  int files = 0;
  for (auto &e : fs::directory_iterator(fs::path(p).parent_path()))
    files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(NirWrite, EmptyGraphRoundTrips) {
  TempDir dir;
  NirGraph g;
  g.version = kNirWriteVersion;
  std::string p = dir.file("empty.nir");
  ASSERT_TRUE(writeNir(p, g));
  auto back = readNir(p);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_TRUE(*back == g);
}

TEST(NirWrite, RefusesInvalidGraphsAndKeepsTheOldFile) {
  TempDir dir;
  std::string p = dir.file("keep.nir");
  NirGraph good = handMadeGraph();
  ASSERT_TRUE(writeNir(p, good));
  NirGraph bad = good;
  bad.nodes["lif"].params.erase("v_threshold");
  Status st = writeNir(p, bad);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("lacks the required field 'v_threshold'"),
            std::string::npos)
      << st.message();
  auto back = readNir(p);
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == good);

  NirGraph slash = good;
  slash.nodes["a/b"] = slash.nodes["d"];
  slash.edges.push_back({"lif", "a/b"});
  st = writeNir(p, slash);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("node name 'a/b'"), std::string::npos)
      << st.message();

  NirWriteOptions old;
  old.version = "0.2.0";
  st = writeNir(p, good, old);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("1.0 layout"), std::string::npos);
}
