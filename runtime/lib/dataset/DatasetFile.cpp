//===- DatasetFile.cpp - Reading, writing and validating datasets --------===//
//
// The on-disk layout is docs/formats/dataset.md; this file is its only reader
// and writer, so the two must change together. Validation runs on both read
// and write: a file we wrote is always one we can read back, and a file from
// elsewhere (h5py, older snnc) fails with a message naming the bad object
// rather than producing garbage during training.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/dataset/Dataset.h"

#include <cmath>
#include <limits>

namespace snnrt {

namespace {
constexpr const char *kFormat = "snnc-dataset";
constexpr int64_t kVersion = 1;

std::string num(uint64_t v) { return std::to_string(v); }

/// Error naming one field of the in-memory dataset (the file-level caller
/// adds the path and maps field names to dataset names).
Status bad(const std::string &field, const std::string &what) {
  return Status::error("'" + field + "': " + what);
}
} // namespace

Status Dataset::validate() const {
  const uint64_t n = labels.size();
  if (!(dtSeconds > 0) || !std::isfinite(dtSeconds))
    return bad("dt", "must be a positive finite number of seconds, got " +
                         std::to_string(dtSeconds));
  if (steps == 0)
    return bad("steps", "must be at least 1");
  if (channels == 0)
    return bad("channels", "must be at least 1");
  if (numClasses == 0)
    return bad("num_classes", "must be at least 1");
  for (uint64_t i = 0; i < n; ++i)
    if (labels[i] < 0 || static_cast<uint64_t>(labels[i]) >= numClasses)
      return bad("labels", "sample " + num(i) + " has label " +
                               std::to_string(labels[i]) + ", outside [0, " +
                               num(numClasses) + ")");
  if (!speakers.empty() && speakers.size() != n)
    return bad("speakers", "has " + num(speakers.size()) +
                               " entries, expected N = " + num(n));
  if (!variants.empty() && variants.size() != n)
    return bad("variants", "has " + num(variants.size()) +
                               " entries, expected N = " + num(n));
  if (!voiceBases.empty() && voiceBases.size() != n)
    return bad("voice_bases", "has " + num(voiceBases.size()) +
                                  " entries, expected N = " + num(n));
  if (!classNames.empty() && classNames.size() != numClasses)
    return bad("class_names", "has " + num(classNames.size()) +
                                  " entries, expected num_classes = " +
                                  num(numClasses));

  if (kind == InputKind::Frames) {
    const uint64_t expect = n * steps * channels;
    if (frames.size() != expect)
      return bad("frames", "has " + num(frames.size()) +
                               " values, expected N*T*C = " + num(n) + "*" +
                               num(steps) + "*" + num(channels));
    for (uint64_t i = 0; i < frames.size(); ++i)
      if (!std::isfinite(frames[i])) {
        uint64_t per = uint64_t(steps) * channels;
        return bad("frames", "non-finite value at sample " + num(i / per) +
                                 ", step " + num((i % per) / channels) +
                                 ", channel " + num(i % channels));
      }
    if (!eventOffsets.empty() || !eventStep.empty())
      return bad("events", "present in a dataset of kind 'frames'");
    return Status::ok();
  }

  // Spikes.
  if (!frames.empty())
    return bad("frames", "present in a dataset of kind 'spikes'");
  if (eventOffsets.size() != n + 1)
    return bad("events/offsets", "has " + num(eventOffsets.size()) +
                                     " entries, expected N+1 = " + num(n + 1));
  const uint64_t e = eventStep.size();
  if (eventChannel.size() != e)
    return bad("events/channel", "has " + num(eventChannel.size()) +
                                     " entries, events/step has " + num(e));
  if (eventCount.size() != e)
    return bad("events/count", "has " + num(eventCount.size()) +
                                   " entries, events/step has " + num(e));
  if (eventOffsets[0] != 0)
    return bad("events/offsets", "must start at 0");
  for (uint64_t i = 0; i < n; ++i)
    if (eventOffsets[i + 1] < eventOffsets[i])
      return bad("events/offsets",
                 "decreases at sample " + num(i) + " (not non-decreasing)");
  if (eventOffsets[n] != e)
    return bad("events/offsets", "ends at " + num(eventOffsets[n]) +
                                     ", expected the event count E = " +
                                     num(e));
  for (uint64_t s = 0; s < n; ++s) {
    for (uint64_t i = eventOffsets[s]; i < eventOffsets[s + 1]; ++i) {
      if (eventStep[i] >= steps)
        return bad("events/step", "event " + num(i) + " (sample " + num(s) +
                                      ") has step " + num(eventStep[i]) +
                                      " >= T = " + num(steps));
      if (eventChannel[i] >= channels)
        return bad("events/channel",
                   "event " + num(i) + " (sample " + num(s) + ") has channel " +
                       num(eventChannel[i]) + " >= C = " + num(channels));
      // NaN fails this comparison too, on purpose.
      if (!(eventCount[i] >= 1.0f) || !std::isfinite(eventCount[i]))
        return bad("events/count", "event " + num(i) + " (sample " + num(s) +
                                       ") has count " +
                                       std::to_string(eventCount[i]) +
                                       " (must be a finite value >= 1)");
      if (i > eventOffsets[s]) {
        auto prev = std::make_pair(eventStep[i - 1], eventChannel[i - 1]);
        auto cur = std::make_pair(eventStep[i], eventChannel[i]);
        if (!(prev < cur))
          return bad("events", "sample " + num(s) + ": event " + num(i) +
                                   (prev == cur ? " duplicates"
                                                : " is out of order after") +
                                   " the previous one; events must be sorted "
                                   "by (step, channel), each pair once");
      }
    }
  }
  return Status::ok();
}

namespace {

/// Reads a non-negative integer attribute that must fit 32 bits.
Status readCount(const h5::File &f, const char *attr, uint32_t &out) {
  int64_t v = 0;
  SNNRT_TRY(f.getAttr<int64_t>("/", attr, v));
  if (v < 0 || v > std::numeric_limits<uint32_t>::max())
    return Status::error(f.path() + ": attribute '" + attr + "' = " +
                         std::to_string(v) + " is out of range");
  out = static_cast<uint32_t>(v);
  return Status::ok();
}

/// Reads a 1-D dataset and checks its length.
template <typename T>
Status readVector(const h5::File &f, const std::string &name,
                  std::vector<T> &out, uint64_t expected,
                  const std::string &expectedText) {
  std::vector<uint64_t> shape;
  SNNRT_TRY(f.read<T>(name, out, &shape));
  if (shape.size() != 1 || shape[0] != expected)
    return Status::error(f.path() + ": '" + name + "': expected shape [" +
                         expectedText + " = " + std::to_string(expected) +
                         "]");
  return Status::ok();
}

Status readInto(const h5::File &f, Dataset &d) {
  std::string format;
  SNNRT_TRY(f.getAttrString("/", "format", format));
  if (format != kFormat)
    return Status::error(f.path() + ": attribute 'format' is '" + format +
                         "', expected '" + kFormat +
                         "' (not an snnc dataset file)");
  int64_t version = 0;
  SNNRT_TRY(f.getAttr<int64_t>("/", "version", version));
  if (version != kVersion)
    return Status::error(f.path() + ": unknown dataset version " +
                         std::to_string(version) + " (this snnc reads " +
                         std::to_string(kVersion) + ")");
  std::string kind;
  SNNRT_TRY(f.getAttrString("/", "kind", kind));
  if (kind == "frames")
    d.kind = InputKind::Frames;
  else if (kind == "spikes")
    d.kind = InputKind::Spikes;
  else
    return Status::error(f.path() + ": attribute 'kind' is '" + kind +
                         "', expected 'frames' or 'spikes'");
  SNNRT_TRY(f.getAttr<double>("/", "dt", d.dtSeconds));
  SNNRT_TRY(readCount(f, "steps", d.steps));
  SNNRT_TRY(readCount(f, "channels", d.channels));
  SNNRT_TRY(readCount(f, "num_classes", d.numClasses));
  if (f.hasAttr("/", "source"))
    SNNRT_TRY(f.getAttrString("/", "source", d.source));

  std::vector<uint64_t> shape;
  SNNRT_TRY(f.read<int32_t>("labels", d.labels, &shape));
  if (shape.size() != 1)
    return Status::error(f.path() + ": 'labels': expected a 1-D dataset [N]");
  const uint64_t n = d.labels.size();
  if (f.exists("speakers"))
    SNNRT_TRY(readVector(f, "speakers", d.speakers, n, "N"));
  // Optional since 7 Dec 2026; older files have neither.
  if (f.exists("variants"))
    SNNRT_TRY(readVector(f, "variants", d.variants, n, "N"));
  if (f.exists("voice_bases"))
    SNNRT_TRY(readVector(f, "voice_bases", d.voiceBases, n, "N"));
  if (f.exists("class_names")) {
    SNNRT_TRY(f.readStrings("class_names", d.classNames, &shape));
    if (shape.size() != 1 || shape[0] != d.numClasses)
      return Status::error(f.path() +
                           ": 'class_names': expected shape [num_classes = " +
                           std::to_string(d.numClasses) + "]");
  }

  if (d.kind == InputKind::Frames) {
    SNNRT_TRY(f.read<float>("frames", d.frames, &shape));
    std::vector<uint64_t> want = {n, d.steps, d.channels};
    if (shape != want)
      return Status::error(
          f.path() + ": 'frames': shape disagrees with [N, T, C] = [" +
          std::to_string(n) + ", " + std::to_string(d.steps) + ", " +
          std::to_string(d.channels) + "]");
  } else {
    SNNRT_TRY(readVector(f, "events/offsets", d.eventOffsets, n + 1, "N+1"));
    std::vector<uint64_t> shapeE;
    SNNRT_TRY(f.read<uint32_t>("events/step", d.eventStep, &shapeE));
    if (shapeE.size() != 1)
      return Status::error(f.path() + ": 'events/step': expected shape [E]");
    const uint64_t e = d.eventStep.size();
    SNNRT_TRY(readVector(f, "events/channel", d.eventChannel, e, "E"));
    SNNRT_TRY(readVector(f, "events/count", d.eventCount, e, "E"));
  }
  return Status::ok();
}

} // namespace

Expected<Dataset> readDataset(const std::string &path) {
  auto file = h5::File::openRead(path);
  if (!file)
    return file.status();
  return readDataset(*file);
}

Expected<Dataset> readDataset(const h5::File &file) {
  const std::string &path = file.path();
  Dataset d;
  Status s = readInto(file, d);
  if (!s)
    return s;
  s = d.validate();
  if (!s)
    return s.message().find(path) != std::string::npos
               ? s
               : Status::error(path + ": " + s.message(), s.kind());
  return d;
}

Status writeDataset(const std::string &path, const Dataset &d) {
  Status valid = d.validate();
  if (!valid)
    return Status::error(path + ": refusing to write an invalid dataset: " +
                             valid.message(),
                         ErrorKind::BadInput);
  auto file = h5::File::createAtomic(path);
  if (!file)
    return file.status();
  h5::File &f = *file;
  SNNRT_TRY(f.setAttrString("/", "format", kFormat));
  SNNRT_TRY(f.setAttr<int64_t>("/", "version", kVersion));
  SNNRT_TRY(f.setAttrString("/", "kind",
                            d.kind == InputKind::Frames ? "frames" : "spikes"));
  SNNRT_TRY(f.setAttr<double>("/", "dt", d.dtSeconds));
  SNNRT_TRY(f.setAttr<int64_t>("/", "steps", d.steps));
  SNNRT_TRY(f.setAttr<int64_t>("/", "channels", d.channels));
  SNNRT_TRY(f.setAttr<int64_t>("/", "num_classes", d.numClasses));
  SNNRT_TRY(f.setAttrString("/", "source", d.source));
  SNNRT_TRY(f.write<int32_t>("labels", d.labels));
  if (!d.speakers.empty())
    SNNRT_TRY(f.write<int32_t>("speakers", d.speakers));
  if (!d.variants.empty())
    SNNRT_TRY(f.write<int32_t>("variants", d.variants));
  if (!d.voiceBases.empty())
    SNNRT_TRY(f.write<int32_t>("voice_bases", d.voiceBases));
  if (!d.classNames.empty())
    SNNRT_TRY(f.writeStrings("class_names", d.classNames,
                             {static_cast<uint64_t>(d.classNames.size())}));
  const uint64_t n = d.labels.size();
  if (d.kind == InputKind::Frames) {
    // Log-mel frames compress well (about 2x) and are read once per run.
    SNNRT_TRY(f.write<float>("frames", d.frames, {n, d.steps, d.channels},
                             /*gzipLevel=*/4));
  } else {
    const uint64_t e = d.eventStep.size();
    SNNRT_TRY(f.write<uint64_t>("events/offsets", d.eventOffsets, {n + 1}));
    SNNRT_TRY(f.write<uint32_t>("events/step", d.eventStep, {e}, 4));
    SNNRT_TRY(f.write<uint32_t>("events/channel", d.eventChannel, {e}, 4));
    SNNRT_TRY(f.write<float>("events/count", d.eventCount, {e}, 4));
  }
  return f.commit();
}

} // namespace snnrt
