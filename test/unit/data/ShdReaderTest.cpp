// SHD files are written here with the raw HDF5 C API in the published layout
// (vlen arrays, float16 or float64 times, uint16 units, uint8 labels), not
// through snnrt's writer, so the reader meets the real thing.

#include "DataTestUtil.h"

#include "snnrt/data/ShdReader.h"
#include "snnrt/dataset/Dataset.h"

#include <hdf5.h>

#include <cstring>
#include <tuple>

using namespace snnrt;
using datatest::fileExists;
using datatest::tempPath;

namespace {

enum class TimeType { F16, F64 };

/// IEEE half precision as h5py declares it.
hid_t makeFloat16() {
  hid_t t = H5Tcopy(H5T_IEEE_F32LE);
  H5Tset_fields(t, 15, 10, 5, 0, 10);
  H5Tset_size(t, 2);
  H5Tset_ebias(t, 15);
  return t;
}

/// Float16 bits of values that are exact in half precision (or of the
/// nearest half, computed by hand for the values used below).
uint16_t halfBits(double v) {
  if (v == 0)
    return 0;
  int e;
  double m = std::frexp(v, &e); // v = m * 2^e, m in [0.5, 1)
  // half: (1 + f/1024) * 2^(E - 15), so mantissa m*2 in [1, 2), E = e - 1 + 15
  int biased = e - 1 + 15;
  int frac = int(std::lround((m * 2 - 1) * 1024));
  if (frac == 1024) {
    frac = 0;
    ++biased;
  }
  return uint16_t((biased << 10) | frac);
}

template <typename T>
void writeVlen(hid_t file, const char *name, hid_t fileBase, hid_t memBase,
               const std::vector<std::vector<T>> &rows) {
  hid_t ftype = H5Tvlen_create(fileBase);
  hid_t mtype = H5Tvlen_create(memBase);
  hsize_t n = rows.size();
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t ds = H5Dcreate2(file, name, ftype, space, lcpl, H5P_DEFAULT,
                        H5P_DEFAULT);
  std::vector<hvl_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    v[i].len = rows[i].size();
    v[i].p = const_cast<T *>(rows[i].data());
  }
  ASSERT_GE(H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
  H5Dclose(ds);
  H5Pclose(lcpl);
  H5Sclose(space);
  H5Tclose(ftype);
  H5Tclose(mtype);
}

template <typename T>
void writePlain(hid_t file, const char *name, hid_t fileType, hid_t memType,
                const std::vector<T> &data) {
  hsize_t n = data.size();
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t ds =
      H5Dcreate2(file, name, fileType, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
            0);
  H5Dclose(ds);
  H5Pclose(lcpl);
  H5Sclose(space);
}

struct ShdContent {
  std::vector<std::vector<double>> times;
  std::vector<std::vector<uint16_t>> units;
  std::vector<uint8_t> labels;
  std::vector<uint16_t> speakers;
  bool withLabels = true;
};

void writeShd(const std::string &path, const ShdContent &c, TimeType tt) {
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  if (tt == TimeType::F64) {
    writeVlen(f, "spikes/times", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c.times);
  } else {
    std::vector<std::vector<uint16_t>> bits;
    for (auto &row : c.times) {
      bits.emplace_back();
      for (double t : row)
        bits.back().push_back(halfBits(t));
    }
    hid_t half = makeFloat16();
    writeVlen(f, "spikes/times", half, half, bits);
    H5Tclose(half);
  }
  writeVlen(f, "spikes/units", H5T_STD_U16LE, H5T_NATIVE_UINT16, c.units);
  if (c.withLabels)
    writePlain(f, "labels", H5T_STD_U8LE, H5T_NATIVE_UINT8, c.labels);
  if (!c.speakers.empty())
    writePlain(f, "extra/speaker", H5T_STD_U16LE, H5T_NATIVE_UINT16,
               c.speakers);
  H5Fclose(f);
}

using Event = std::tuple<uint32_t, uint32_t, float>; // step, channel, count

std::vector<Event> eventsOf(const Dataset &d, size_t s) {
  std::vector<Event> out;
  for (uint64_t i = d.eventOffsets[s]; i < d.eventOffsets[s + 1]; ++i)
    out.emplace_back(d.eventStep[i], d.eventChannel[i], d.eventCount[i]);
  return out;
}

} // namespace

TEST(ShdReader, HalfPrecisionEncoderMatchesKnownBits) {
  // Anchors for the test's own float16 writer.
  EXPECT_EQ(halfBits(1.0), 0x3C00);
  EXPECT_EQ(halfBits(0.5), 0x3800);
  EXPECT_EQ(halfBits(0.375), 0x3600);
  EXPECT_EQ(halfBits(0.1), 0x2E66); // 0.0999755859375
}

TEST(ShdReader, BinsFloat64TimesAtBoundaries) {
  std::string path = tempPath("shd64.h5");
  ShdContent c;
  // dt = 10 ms, T = 60. 0.29 s is an exact decimal multiple of dt and must
  // land on step 29 although 0.29/0.01 = 28.999999999999996 in binary;
  // 0.2899 stays on step 28; two spikes of unit 2 in bin 5 merge; 0.6 =
  // T*dt and 0.75 are dropped.
  c.times = {{0.0, 0.01, 0.2899, 0.29, 0.05, 0.0551, 0.5999, 0.6, 0.75},
             {}};
  c.units = {{1, 0, 3, 3, 2, 2, 0, 1, 1}, {}};
  c.labels = {4, 13};
  c.speakers = {2, 9};
  writeShd(path, c, TimeType::F64);

  ShdOptions opt;
  opt.dtSeconds = 0.01;
  opt.steps = 60;
  opt.inputUnits = 4;
  ShdStats stats;
  auto d = readShd(path, opt, &stats);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->kind, InputKind::Spikes);
  EXPECT_EQ(d->channels, 4u);
  EXPECT_EQ(d->steps, 60u);
  EXPECT_EQ(d->labels, (std::vector<int32_t>{4, 13}));
  EXPECT_EQ(d->speakers, (std::vector<int32_t>{2, 9}));
  EXPECT_EQ(d->classNames.size(), 20u);
  std::vector<Event> want = {{0, 1, 1.f},  {1, 0, 1.f},  {5, 2, 2.f},
                             {28, 3, 1.f}, {29, 3, 1.f}, {59, 0, 1.f}};
  EXPECT_EQ(eventsOf(*d, 0), want);
  EXPECT_TRUE(eventsOf(*d, 1).empty());
  EXPECT_EQ(stats.spikes, 9u);
  EXPECT_EQ(stats.droppedLate, 2u);
  EXPECT_EQ(stats.samplesTruncated, 1u);
  EXPECT_DOUBLE_EQ(stats.maxTime, 0.75);
  std::remove(path.c_str());
}

TEST(ShdReader, ReadsFloat16TimesAndBinsChannels) {
  std::string path = tempPath("shd16.h5");
  ShdContent c;
  // Exact halves at dt = 125 ms: 0, 0.125, 0.375, 0.5, 0.75 -> steps 0,1,3,4,6
  // and 1.0 = T*dt is dropped. 0.1 is stored as 0.0999755859375 and so falls
  // in step 0 of 125 ms.
  c.times = {{0.0, 0.125, 0.375, 0.5, 0.75, 1.0, 0.1}};
  c.units = {{0, 1, 4, 5, 699, 3, 1}};
  c.labels = {19};
  writeShd(path, c, TimeType::F16);

  ShdOptions opt;
  opt.dtSeconds = 0.125;
  opt.steps = 8;
  opt.channelBin = 5; // 700 -> 140 channels; units 0..4 -> channel 0
  auto d = readShd(path, opt);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->channels, 140u);
  std::vector<Event> want = {{0, 0, 2.f}, {1, 0, 1.f}, {3, 0, 1.f},
                             {4, 1, 1.f}, {6, 139, 1.f}};
  EXPECT_EQ(eventsOf(*d, 0), want);

  // Same file at 10 ms: 0.1 as stored in half precision is step 9, not 10.
  opt.dtSeconds = 0.01;
  opt.steps = 200;
  opt.channelBin = 1;
  auto e = readShd(path, opt);
  ASSERT_TRUE(e) << e.status().message();
  bool found = false;
  for (auto &ev : eventsOf(*e, 0))
    if (std::get<1>(ev) == 1 && std::get<0>(ev) == 9)
      found = true;
  EXPECT_TRUE(found);
  std::remove(path.c_str());
}

TEST(ShdReader, ChannelBinThatDoesNotDivideKeepsAPartialGroup) {
  std::string path = tempPath("shdbin.h5");
  ShdContent c;
  c.times = {{0.001, 0.002, 0.003}};
  c.units = {{0, 2, 4}};
  c.labels = {0};
  writeShd(path, c, TimeType::F64);
  ShdOptions opt;
  opt.inputUnits = 5;
  opt.channelBin = 2; // groups {0,1} {2,3} {4}
  auto d = readShd(path, opt);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->channels, 3u);
  std::vector<Event> want = {{0, 0, 1.f}, {0, 1, 1.f}, {0, 2, 1.f}};
  EXPECT_EQ(eventsOf(*d, 0), want);
  std::remove(path.c_str());
}

TEST(ShdReader, RoundTripsThroughTheDatasetFile) {
  std::string in = tempPath("shdrt.h5"), out = tempPath("shdrt_out.h5");
  ShdContent c;
  c.times = {{0.5, 0.2, 0.2}, {0.01}};
  c.units = {{7, 3, 3}, {699}};
  c.labels = {1, 2};
  writeShd(in, c, TimeType::F64);
  auto d = readShd(in, ShdOptions());
  ASSERT_TRUE(d) << d.status().message();
  ASSERT_TRUE(writeDataset(out, *d));
  auto r = readDataset(out);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->eventStep, d->eventStep);
  EXPECT_EQ(r->eventChannel, d->eventChannel);
  EXPECT_EQ(r->eventCount, d->eventCount);
  EXPECT_EQ(eventsOf(*r, 0), (std::vector<Event>{{20, 3, 2.f}, {50, 7, 1.f}}));
  std::remove(in.c_str());
  std::remove(out.c_str());
}

TEST(ShdReader, ReadsManySamplesAcrossBlocks) {
  // The reader works through the ragged arrays in blocks of samples; 600
  // samples cross two block boundaries. Sample i has i % 7 spikes, all of
  // unit i % 700 at time (i % 50) * 10 ms.
  std::string path = tempPath("shdmany.h5");
  ShdContent c;
  for (int i = 0; i < 600; ++i) {
    c.times.emplace_back(size_t(i % 7), (i % 50) * 0.01);
    c.units.emplace_back(size_t(i % 7), uint16_t(i % 700));
    c.labels.push_back(uint8_t(i % 20));
    c.speakers.push_back(uint16_t(i));
  }
  writeShd(path, c, TimeType::F64);
  auto d = readShd(path, ShdOptions());
  ASSERT_TRUE(d) << d.status().message();
  ASSERT_EQ(d->size(), 600u);
  for (int i = 0; i < 600; ++i) {
    std::vector<Event> want;
    if (i % 7)
      want.emplace_back(uint32_t(i % 50), uint32_t(i % 700), float(i % 7));
    ASSERT_EQ(eventsOf(*d, size_t(i)), want) << "sample " << i;
    ASSERT_EQ(d->speakers[size_t(i)], i);
  }
  std::remove(path.c_str());
}

// --- bad input: clear error from the reader, and no file from the tool ---

namespace {
void expectShdFailure(const ShdContent &c, const std::string &needle,
                      const std::string &name) {
  std::string in = tempPath(name + ".h5"), out = tempPath(name + "_out.h5");
  writeShd(in, c, TimeType::F64);
  auto d = readShd(in, ShdOptions());
  ASSERT_FALSE(d) << "expected an error mentioning " << needle;
  EXPECT_NE(d.status().message().find(needle), std::string::npos)
      << d.status().message();
  EXPECT_NE(d.status().message().find(in), std::string::npos)
      << d.status().message();
  std::remove(out.c_str());
  std::string err;
  int rc = datatest::runSnnc("data shd " + in + " --out " + out, &err);
  EXPECT_EQ(rc, 2) << err;
  EXPECT_NE(err.find(needle), std::string::npos) << err;
  EXPECT_FALSE(fileExists(out));
  std::remove(in.c_str());
}
} // namespace

TEST(ShdReaderBadInput, MissingLabels) {
  ShdContent c;
  c.times = {{0.1}};
  c.units = {{3}};
  c.withLabels = false;
  expectShdFailure(c, "'labels'", "nolabels");
}

TEST(ShdReaderBadInput, UnitNotBelowChannelCount) {
  ShdContent c;
  c.times = {{0.1, 0.2}};
  c.units = {{3, 700}};
  c.labels = {0};
  expectShdFailure(c, "unit 700", "bigunit");
}

TEST(ShdReaderBadInput, NegativeTime) {
  ShdContent c;
  c.times = {{0.1, -0.002}};
  c.units = {{3, 4}};
  c.labels = {0};
  expectShdFailure(c, "time -0.002", "negtime");
}

TEST(ShdReaderBadInput, LabelOutsideClasses) {
  ShdContent c;
  c.times = {{0.1}};
  c.units = {{3}};
  c.labels = {20};
  expectShdFailure(c, "label 20", "biglabel");
}

TEST(ShdReaderBadInput, RaggedLengthsDisagree) {
  ShdContent c;
  c.times = {{0.1, 0.2}};
  c.units = {{3}};
  c.labels = {0};
  expectShdFailure(c, "2 times", "ragged");
}

TEST(ShdReaderBadInput, NotAnHdf5FileAndMissingFile) {
  std::string in = tempPath("notshd.h5"), out = tempPath("notshd_out.h5");
  FILE *f = std::fopen(in.c_str(), "w");
  std::fputs("hello", f);
  std::fclose(f);
  std::string err;
  EXPECT_EQ(datatest::runSnnc("data shd " + in + " --out " + out, &err), 2);
  EXPECT_NE(err.find("not an HDF5 file"), std::string::npos) << err;
  EXPECT_FALSE(fileExists(out));
  std::remove(in.c_str());
  EXPECT_EQ(datatest::runSnnc("data shd " + in + " --out " + out, &err), 3);
  EXPECT_FALSE(fileExists(out));
}
