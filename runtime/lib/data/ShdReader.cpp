//===- ShdReader.cpp - Spiking Heidelberg Digits to a dataset -------------===//
//
// SHD stores each sample's spikes as HDF5 variable-length arrays (times as
// float16 seconds, units as uint16 in the release; other producers use other
// widths). We ask HDF5 to convert the vlen base type to double/int64 on read,
// which covers every width without special cases.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/ShdReader.h"
#include "snnrt/base/Hdf5File.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace snnrt {

const std::vector<std::string> &heidelbergClassNames() {
  static const std::vector<std::string> names = {
      "en-zero", "en-one",  "en-two",  "en-three", "en-four",
      "en-five", "en-six",  "en-seven", "en-eight", "en-nine",
      "de-null", "de-eins", "de-zwei", "de-drei",  "de-vier",
      "de-fuenf", "de-sechs", "de-sieben", "de-acht", "de-neun"};
  return names;
}

int64_t shdStepOf(double t, double dtSeconds) {
  double q = std::floor(t / dtSeconds + 1e-6);
  // Far-future times (or a tiny dt) would overflow the cast; they are
  // dropped as late anyway.
  return q >= 9.0e18 ? INT64_MAX : static_cast<int64_t>(q);
}

namespace {

/// A 1-D vlen dataset read in blocks of rows, each element converted to T,
/// so that memory stays bounded by one block (SHD train holds tens of
/// millions of spikes).
template <typename T> class RaggedReader {
public:
  Status open(const h5::File &f, const std::string &name) {
    path_ = f.path();
    name_ = name;
    if (!f.exists(name))
      return fail("missing dataset (not an SHD file?)");
    ds_ = h5::Handle(H5Dopen2(f.id(), name.c_str(), H5P_DEFAULT));
    if (!ds_.valid())
      return fail("not a dataset");
    h5::Handle type(H5Dget_type(ds_.get()));
    if (H5Tget_class(type.get()) != H5T_VLEN)
      return fail("expected a ragged (variable-length) array as in the "
                  "published SHD files");
    h5::Handle base(H5Tget_super(type.get()));
    H5T_class_t cls = H5Tget_class(base.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
      return fail("elements are not numbers");
    if (auto problem = h5::numericTypeProblem(base.get()); !problem.empty())
      return fail("corrupted element type: " + problem);
    space_ = h5::Handle(H5Dget_space(ds_.get()));
    if (H5Sget_simple_extent_ndims(space_.get()) != 1)
      return fail("expected shape [N]");
    H5Sget_simple_extent_dims(space_.get(), &rows_, nullptr);
    SNNRT_TRY(f.checkClaimedSize(name_, ds_.get(), rows_));
    SNNRT_TRY(h5::checkVlenReferences(path_, name_, f.id(), ds_.get(),
                                      rows_, H5Tget_size(base.get())));
    memType_ = h5::Handle(H5Tvlen_create(h5::nativeType<T>()));
    return Status::ok();
  }
  uint64_t rows() const { return rows_; }

  /// Rows [start, start + count).
  Status read(uint64_t start, uint64_t count,
              std::vector<std::vector<T>> &out) {
    out.assign(count, {});
    if (count == 0)
      return Status::ok();
    hsize_t off = start, cnt = count;
    H5Sselect_hyperslab(space_.get(), H5S_SELECT_SET, &off, nullptr, &cnt,
                        nullptr);
    h5::Handle memSpace(H5Screate_simple(1, &cnt, nullptr));
    std::vector<hvl_t> v(count);
    if (H5Dread(ds_.get(), memType_.get(), memSpace.get(), space_.get(),
                H5P_DEFAULT, v.data()) < 0)
      return fail("read failed (truncated file or unconvertible element "
                  "type)");
    for (uint64_t i = 0; i < count; ++i) {
      const T *p = static_cast<const T *>(v[i].p);
      out[i].assign(p, p + v[i].len);
    }
    H5Dvlen_reclaim(memType_.get(), memSpace.get(), H5P_DEFAULT, v.data());
    return Status::ok();
  }

private:
  Status fail(const std::string &what) const {
    return Status::error(path_ + ": '" + name_ + "': " + what);
  }
  std::string path_, name_;
  h5::Handle ds_, space_, memType_;
  hsize_t rows_ = 0;
};

} // namespace

Expected<Dataset> readShd(const std::string &path, const ShdOptions &opt,
                          ShdStats *statsOut) {
  if (!(opt.dtSeconds > 0) || !std::isfinite(opt.dtSeconds))
    return Status::error("--dt-ms must be positive");
  if (opt.steps == 0)
    return Status::error("--steps must be at least 1");
  if (opt.channelBin == 0 || opt.channelBin > opt.inputUnits)
    return Status::error("--channel-bin must lie in [1, " +
                         std::to_string(opt.inputUnits) + "]");
  auto file = h5::File::openRead(path);
  if (!file)
    return file.status();
  return readShd(*file, opt, statsOut);
}

Expected<Dataset> readShd(const h5::File &f, const ShdOptions &opt,
                          ShdStats *statsOut) {
  const std::string &path = f.path();

  Dataset d;
  d.kind = InputKind::Spikes;
  d.dtSeconds = opt.dtSeconds;
  d.steps = opt.steps;
  // Groups of K units; a last, partial group when K does not divide 700.
  d.channels = (opt.inputUnits + opt.channelBin - 1) / opt.channelBin;
  d.numClasses = opt.numClasses;
  if (d.numClasses == heidelbergClassNames().size())
    d.classNames = heidelbergClassNames();

  std::vector<uint64_t> shape;
  SNNRT_TRY(f.read<int32_t>("labels", d.labels, &shape));
  if (shape.size() != 1)
    return Status::error(path + ": 'labels': expected shape [N]");
  const size_t n = d.labels.size();
  for (size_t i = 0; i < n; ++i)
    if (d.labels[i] < 0 || uint32_t(d.labels[i]) >= opt.numClasses)
      return Status::error(path + ": 'labels': sample " + std::to_string(i) +
                           " has label " + std::to_string(d.labels[i]) +
                           ", outside [0, " + std::to_string(opt.numClasses) +
                           ") (is the class count right?)");
  if (f.exists("extra/speaker")) {
    SNNRT_TRY(f.read<int32_t>("extra/speaker", d.speakers, &shape));
    if (d.speakers.size() != n)
      return Status::error(path + ": 'extra/speaker': has " +
                           std::to_string(d.speakers.size()) +
                           " entries, 'labels' has " + std::to_string(n));
  }

  RaggedReader<double> timesReader;
  RaggedReader<int64_t> unitsReader;
  SNNRT_TRY(timesReader.open(f, "spikes/times"));
  SNNRT_TRY(unitsReader.open(f, "spikes/units"));
  if (timesReader.rows() != n || unitsReader.rows() != n)
    return Status::error(path + ": 'spikes/times' has " +
                         std::to_string(timesReader.rows()) +
                         " samples, 'spikes/units' " +
                         std::to_string(unitsReader.rows()) + ", 'labels' " +
                         std::to_string(n));

  ShdStats stats;
  stats.samples = n;
  d.eventOffsets.reserve(n + 1);
  d.eventOffsets.push_back(0);
  std::vector<uint64_t> keys;
  std::vector<std::vector<double>> times;
  std::vector<std::vector<int64_t>> units;
  const size_t block = 256;
  for (size_t s = 0; s < n; ++s) {
    if (s % block == 0) {
      size_t count = std::min(block, n - s);
      SNNRT_TRY(timesReader.read(s, count, times));
      SNNRT_TRY(unitsReader.read(s, count, units));
    }
    const auto &ts = times[s % block];
    const auto &us = units[s % block];
    if (ts.size() != us.size())
      return Status::error(path + ": sample " + std::to_string(s) + " has " +
                           std::to_string(ts.size()) + " times in "
                           "'spikes/times' but " + std::to_string(us.size()) +
                           " units in 'spikes/units'");
    keys.clear();
    uint64_t dropped = 0;
    for (size_t i = 0; i < ts.size(); ++i) {
      double t = ts[i];
      if (!std::isfinite(t) || t < 0)
        return Status::error(path + ": 'spikes/times': sample " +
                             std::to_string(s) + ", spike " +
                             std::to_string(i) + " has time " +
                             std::to_string(t) +
                             " (times must be finite and >= 0 seconds)");
      if (us[i] < 0 || uint64_t(us[i]) >= opt.inputUnits)
        return Status::error(path + ": 'spikes/units': sample " +
                             std::to_string(s) + ", spike " +
                             std::to_string(i) + " has unit " +
                             std::to_string(us[i]) + ", not below the " +
                             std::to_string(opt.inputUnits) + " input units");
      stats.maxTime = std::max(stats.maxTime, t);
      int64_t step = shdStepOf(t, opt.dtSeconds);
      if (step >= int64_t(opt.steps)) {
        ++dropped;
        continue;
      }
      uint64_t channel = uint64_t(us[i]) / opt.channelBin;
      keys.push_back(uint64_t(step) * d.channels + channel);
    }
    stats.spikes += ts.size();
    stats.droppedLate += dropped;
    stats.samplesTruncated += dropped > 0;
    // Sorting the flat key orders by (step, channel); equal keys are spikes
    // that fall into the same bin and merge into one event with a count.
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size();) {
      size_t j = i;
      while (j < keys.size() && keys[j] == keys[i])
        ++j;
      d.eventStep.push_back(uint32_t(keys[i] / d.channels));
      d.eventChannel.push_back(uint32_t(keys[i] % d.channels));
      d.eventCount.push_back(float(j - i));
      i = j;
    }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  if (statsOut)
    *statsOut = stats;
  Status valid = d.validate();
  if (!valid)
    return Status::error(path + ": " + valid.message(), ErrorKind::Internal);
  return d;
}

} // namespace snnrt
