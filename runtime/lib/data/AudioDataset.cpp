//===- AudioDataset.cpp - Audio files to a frames dataset -----------------===//

#include "snnrt/data/AudioDataset.h"
#include "snnrt/data/AudioFile.h"
#include "snnrt/data/ShdReader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace snnrt {

namespace {
std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// Value of "key-VALUE" in a name made of '_'-separated fields.
bool field(const std::string &stem, const std::string &key, std::string &out) {
  std::stringstream ss(stem);
  std::string part;
  while (std::getline(ss, part, '_'))
    if (part.compare(0, key.size() + 1, key + "-") == 0) {
      out = part.substr(key.size() + 1);
      return true;
    }
  return false;
}

bool parseInt(const std::string &s, int64_t &out) {
  if (s.empty() || s.size() > 9)
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  out = std::stoll(s);
  return true;
}

unsigned workerCount(unsigned requested, size_t jobs) {
  unsigned n = requested ? requested : std::thread::hardware_concurrency();
  n = std::max(1u, n);
  return unsigned(std::min<size_t>(n, std::max<size_t>(jobs, 1)));
}
} // namespace

Expected<HeidelbergName> parseHeidelbergName(const std::string &path) {
  std::string stem = baseName(path);
  size_t dot = stem.find('.');
  if (dot != std::string::npos)
    stem.resize(dot);
  auto fail = [&](const std::string &why) {
    return Status::error(path + ": cannot derive a label from the file name (" +
                         why +
                         "); expected Heidelberg Digits names like "
                         "'lang-english_speaker-03_trial-4_digit-0.flac', or "
                         "pass --labels FILE");
  };
  std::string lang, digit, speaker;
  if (!field(stem, "lang", lang))
    return fail("no 'lang-' field");
  if (!field(stem, "digit", digit))
    return fail("no 'digit-' field");
  int64_t d = 0;
  if (!parseInt(digit, d) || d > 9)
    return fail("digit '" + digit + "' is not 0-9");
  HeidelbergName out;
  if (lang == "english")
    out.label = int32_t(d);
  else if (lang == "german")
    out.label = int32_t(10 + d);
  else
    return fail("unknown language '" + lang + "' (english or german)");
  int64_t spk = 0;
  if (field(stem, "speaker", speaker) && parseInt(speaker, spk))
    out.speaker = int32_t(spk);
  return out;
}

Expected<LabelList> readLabelList(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return Status::error(path + ": cannot read the labels file", ErrorKind::Io);
  std::vector<std::pair<std::string, std::string>> raw;
  std::string line;
  for (int lineNo = 1; std::getline(in, line); ++lineNo) {
    size_t hash = line.find('#');
    if (hash != std::string::npos)
      line.resize(hash);
    std::stringstream ss(line);
    std::string file, label, extra;
    if (!(ss >> file))
      continue;
    if (!(ss >> label) || (ss >> extra))
      return Status::error(path + ":" + std::to_string(lineNo) +
                           ": expected 'PATH LABEL'");
    raw.emplace_back(file, label);
  }
  if (raw.empty())
    return Status::error(path + ": the labels file lists no files");
  LabelList list;
  bool numeric = true;
  for (auto &r : raw) {
    int64_t v;
    numeric = numeric && parseInt(r.second, v);
  }
  if (numeric) {
    int64_t maxLabel = 0;
    for (auto &r : raw) {
      int64_t v = 0;
      parseInt(r.second, v);
      maxLabel = std::max(maxLabel, v);
      list.entries.emplace_back(r.first, int32_t(v));
    }
    list.numClasses = uint32_t(maxLabel + 1);
  } else {
    std::set<std::string> names;
    for (auto &r : raw)
      names.insert(r.second);
    list.classNames.assign(names.begin(), names.end());
    for (auto &r : raw) {
      auto it = std::lower_bound(list.classNames.begin(),
                                 list.classNames.end(), r.second);
      list.entries.emplace_back(r.first,
                                int32_t(it - list.classNames.begin()));
    }
    list.numClasses = uint32_t(list.classNames.size());
  }
  return list;
}

Expected<Dataset> buildAudioDataset(const std::vector<std::string> &inputs,
                                    const AudioDatasetOptions &opt,
                                    AudioDatasetStats *statsOut,
                                    const ProgressFn &progress) {
  if (inputs.empty())
    return Status::error("no input audio files");
  if (opt.steps == 0)
    return Status::error("--steps must be at least 1");
  auto fe = MelFrontEnd::create(opt.mel);
  if (!fe)
    return fe.status();
  const uint32_t bands = opt.mel.bands;

  // Labels first: a naming problem should fail before any audio is decoded.
  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = opt.mel.hopSamples / opt.mel.sampleRate;
  d.steps = opt.steps;
  d.channels = bands;
  d.labels.resize(inputs.size());
  if (opt.labelsFile.empty()) {
    d.speakers.resize(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto hn = parseHeidelbergName(inputs[i]);
      if (!hn)
        return hn.status();
      d.labels[i] = hn->label;
      d.speakers[i] = hn->speaker;
    }
    d.numClasses = 20;
    d.classNames = heidelbergClassNames();
  } else {
    auto list = readLabelList(opt.labelsFile);
    if (!list)
      return list.status();
    std::map<std::string, int32_t> byPath, byName;
    std::set<std::string> ambiguous;
    for (auto &e : list->entries) {
      byPath[e.first] = e.second;
      auto [it, inserted] = byName.emplace(baseName(e.first), e.second);
      if (!inserted && it->second != e.second)
        ambiguous.insert(it->first);
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto p = byPath.find(inputs[i]);
      if (p != byPath.end()) {
        d.labels[i] = p->second;
        continue;
      }
      std::string name = baseName(inputs[i]);
      auto n = byName.find(name);
      if (n == byName.end())
        return Status::error(inputs[i] + ": not listed in the labels file " +
                             opt.labelsFile);
      if (ambiguous.count(name))
        return Status::error(inputs[i] + ": the labels file " +
                             opt.labelsFile +
                             " gives different labels to files named '" +
                             name + "'; list full paths");
      d.labels[i] = n->second;
    }
    d.numClasses = list->numClasses;
    d.classNames = list->classNames;
  }

  const size_t perSample = size_t(opt.steps) * bands;
  d.frames.assign(inputs.size() * perSample, 0.0f);
  std::vector<Status> errors(inputs.size());
  std::vector<uint8_t> truncated(inputs.size(), 0);
  std::vector<double> seconds(inputs.size(), 0);
  std::atomic<size_t> next{0}, done{0};
  std::mutex progressMutex;
  auto start = std::chrono::steady_clock::now();
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      auto clip = loadAudioAt(inputs[i], opt.mel.sampleRate);
      if (!clip) {
        errors[i] = clip.status();
        // Stop handing out work: the run fails anyway.
        next.store(inputs.size());
        continue;
      }
      seconds[i] = clip->seconds();
      std::vector<float> f = fe->features(clip->samples.data(),
                                          clip->samples.size());
      size_t frames = f.size() / bands;
      if (frames > opt.steps) {
        truncated[i] = 1;
        frames = opt.steps;
      }
      // Steps past the end of the audio keep the normalised floor, 0.
      std::copy(f.begin(), f.begin() + frames * bands,
                d.frames.begin() + i * perSample);
      size_t nowDone = ++done;
      if (progress) {
        std::lock_guard<std::mutex> lock(progressMutex);
        progress(nowDone, inputs.size());
      }
    }
  };
  unsigned nthreads = workerCount(opt.threads, inputs.size());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < nthreads; ++t)
    pool.emplace_back(work);
  work();
  for (auto &t : pool)
    t.join();
  for (auto &e : errors)
    if (!e)
      return e;

  AudioDatasetStats stats;
  for (size_t i = 0; i < inputs.size(); ++i) {
    stats.truncated += truncated[i];
    stats.audioSeconds += seconds[i];
  }
  stats.frontEndSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count();
  if (statsOut)
    *statsOut = stats;

  if (opt.spikes) {
    auto sp = encodeFramesAsSpikes(d, opt.mel.gain, opt.encoding);
    if (!sp)
      return sp.status();
    d = sp.take();
  }
  SNNRT_TRY(d.validate());
  return d;
}

} // namespace snnrt
