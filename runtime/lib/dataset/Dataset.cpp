//===- Dataset.cpp - Operations on a dataset in memory --------------------===//

#include "snnrt/dataset/Dataset.h"

#include "snnrt/base/Random.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace snnrt {

Dataset firstSamples(const Dataset &data, size_t n) {
  n = std::min(n, data.size());
  Dataset out;
  out.kind = data.kind;
  out.dtSeconds = data.dtSeconds;
  out.steps = data.steps;
  out.channels = data.channels;
  out.numClasses = data.numClasses;
  out.classNames = data.classNames;
  out.source = data.source;
  auto firstOf = [](const auto &v, size_t count) {
    return std::decay_t<decltype(v)>(v.begin(), v.begin() + count);
  };
  out.labels = firstOf(data.labels, n);
  if (!data.speakers.empty())
    out.speakers = firstOf(data.speakers, n);
  if (!data.variants.empty())
    out.variants = firstOf(data.variants, n);
  if (!data.voiceBases.empty())
    out.voiceBases = firstOf(data.voiceBases, n);
  if (data.kind == InputKind::Frames) {
    out.frames = firstOf(data.frames, n * size_t(data.steps) * data.channels);
  } else if (!data.eventOffsets.empty()) {
    out.eventOffsets = firstOf(data.eventOffsets, n + 1);
    const size_t events = out.eventOffsets[n];
    out.eventStep = firstOf(data.eventStep, events);
    out.eventChannel = firstOf(data.eventChannel, events);
    out.eventCount = firstOf(data.eventCount, events);
  }
  return out;
}

Dataset selectSamples(const Dataset &data, const std::vector<size_t> &indices) {
  Dataset out = firstSamples(data, 0); // description; offsets = {0}
  const size_t frame = size_t(data.steps) * data.channels;
  out.labels.reserve(indices.size());
  for (size_t i : indices) {
    out.labels.push_back(data.labels[i]);
    if (!data.speakers.empty())
      out.speakers.push_back(data.speakers[i]);
    if (!data.variants.empty())
      out.variants.push_back(data.variants[i]);
    if (!data.voiceBases.empty())
      out.voiceBases.push_back(data.voiceBases[i]);
    if (data.kind == InputKind::Frames) {
      out.frames.insert(out.frames.end(), data.frames.begin() + long(i * frame),
                        data.frames.begin() + long((i + 1) * frame));
    } else {
      const uint64_t a = data.eventOffsets[i], b = data.eventOffsets[i + 1];
      out.eventStep.insert(out.eventStep.end(),
                           data.eventStep.begin() + long(a),
                           data.eventStep.begin() + long(b));
      out.eventChannel.insert(out.eventChannel.end(),
                              data.eventChannel.begin() + long(a),
                              data.eventChannel.begin() + long(b));
      out.eventCount.insert(out.eventCount.end(),
                            data.eventCount.begin() + long(a),
                            data.eventCount.begin() + long(b));
      out.eventOffsets.push_back(out.eventOffsets.back() + (b - a));
    }
  }
  return out;
}

const char *toString(ValidationGroups groups) {
  switch (groups) {
  case ValidationGroups::Auto:
    return "auto";
  case ValidationGroups::Variant:
    return "variant";
  case ValidationGroups::Speaker:
    return "speaker";
  case ValidationGroups::Sample:
    return "sample";
  }
  return "auto";
}

bool parseValidationGroups(const std::string &text, ValidationGroups &out) {
  for (ValidationGroups g :
       {ValidationGroups::Auto, ValidationGroups::Variant,
        ValidationGroups::Speaker, ValidationGroups::Sample})
    if (text == toString(g)) {
      out = g;
      return true;
    }
  return false;
}

Expected<ValidationSplit> splitValidation(const Dataset &data, double fraction,
                                          uint64_t seed,
                                          ValidationGroups groups) {
  if (!(fraction > 0 && fraction < 1))
    return Status::error("the validation fraction must lie in (0, 1), not " +
                             std::to_string(fraction),
                         ErrorKind::BadInput);
  if (groups == ValidationGroups::Variant && data.variants.empty())
    return Status::error("a validation split by voice variant needs a dataset "
                         "that records variants (snnc data digits writes "
                         "them); this one does not",
                         ErrorKind::BadInput);
  ValidationSplit split;
  split.byVariant =
      !data.variants.empty() &&
      (groups == ValidationGroups::Variant || groups == ValidationGroups::Auto);
  split.bySpeaker = split.byVariant || (!data.speakers.empty() &&
                                        groups != ValidationGroups::Sample);
  // Its own stream, so that the split does not move when the trainer's use
  // of the seed changes.
  Rng rng = Rng::derive(seed, 0x76616C, 0); // "val"
  std::vector<char> held(data.size(), 0);
  if (split.bySpeaker) {
    // Whole voices are held out: a validation sample whose speaker is also
    // in training would measure memorised voices, not the unseen voices of
    // the test split. Whole variants go further: the built-in digits' test
    // voices have timbres never heard in training, which a held-out speaker
    // of a trained variant does not.
    const std::vector<int32_t> &ids =
        split.byVariant ? data.variants : data.speakers;
    const char *what = split.byVariant ? "voice variants" : "speakers";
    std::set<int32_t> unique(ids.begin(), ids.end());
    std::vector<int32_t> speakers(unique.begin(), unique.end());
    split.speakers = speakers.size();
    if (speakers.size() < 2)
      return Status::error(std::string("a validation split by ") + what +
                               " needs at least 2 " + what +
                               "; the training set has " +
                               std::to_string(speakers.size()),
                           ErrorKind::BadInput);
    rng.shuffle(speakers);
    size_t k = size_t(std::lround(fraction * double(speakers.size())));
    k = std::clamp<size_t>(k, 1, speakers.size() - 1);
    split.heldOutSpeakers = k;
    std::set<int32_t> out(speakers.begin(), speakers.begin() + long(k));
    split.heldOutIds.assign(out.begin(), out.end());
    for (size_t i = 0; i < data.size(); ++i)
      held[i] = out.count(ids[i]) != 0;
  } else {
    if (data.size() < 2)
      return Status::error("a validation split needs at least 2 samples; the "
                           "training set has " +
                               std::to_string(data.size()),
                           ErrorKind::BadInput);
    std::vector<size_t> order(data.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    rng.shuffle(order);
    size_t k = size_t(std::lround(fraction * double(data.size())));
    k = std::clamp<size_t>(k, 1, data.size() - 1);
    for (size_t j = 0; j < k; ++j)
      held[order[j]] = 1;
  }
  std::vector<size_t> trainIdx, valIdx;
  for (size_t i = 0; i < data.size(); ++i)
    (held[i] ? valIdx : trainIdx).push_back(i);
  split.train = selectSamples(data, trainIdx);
  split.validation = selectSamples(data, valIdx);
  split.validation.source = data.source + " (validation split)";
  return split;
}

} // namespace snnrt
