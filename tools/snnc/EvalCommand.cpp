//===- EvalCommand.cpp - snnc eval ----------------------------------------===//
//
// Accuracy and confusion matrix of a model on a dataset, with evaluation
// semantics (running BatchNorm statistics, no dropout, rounded delays,
// SNN-F4). Options and printing only; the work is snnrt::evaluate.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "DeviceOption.h"
#include "Files.h"

#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Trainer.h"

#include <cstdio>
#include <map>
#include <tuple>
#include <thread>

namespace snnc {

namespace {

/// Accuracy of each group of samples (a speaker, a voice variant, a base
/// voice), counted from the evaluation's per-sample predictions.
struct GroupAccuracy {
  int32_t id = 0;
  size_t samples = 0;
  double accuracy = 0;
};

std::vector<GroupAccuracy> accuracyByGroup(const std::vector<int32_t> &ids,
                                           const std::vector<int32_t> &labels,
                                           const std::vector<int32_t> &pred) {
  std::map<int32_t, std::pair<size_t, size_t>> counts; // id -> (n, correct)
  for (size_t i = 0; i < ids.size(); ++i) {
    auto &[n, correct] = counts[ids[i]];
    ++n;
    correct += pred[i] == labels[i];
  }
  std::vector<GroupAccuracy> out;
  for (const auto &[id, c] : counts)
    out.push_back({id, c.first, double(c.second) / double(c.first)});
  return out;
}

} // namespace

int runEval(int argc, char **argv) {
  const char *cmd = "eval";
  std::string modelPath, dataPath;
  int64_t threads = 0, batch = 256;
  bool json = false, quiet = false;
  std::string device = "cpu", by;
  cli::ArgParser p(cmd, "Accuracy and confusion matrix of a trained model on a "
                        "dataset.");
  p.addPositional("MODEL.h5", &modelPath, "model file (snnc train --out)");
  p.addString("--data", &dataPath, "dataset file (.h5)", "FILE", true);
  p.addInt("--threads", &threads, "worker threads (0: all cores)", 0, 1024);
  p.addInt("--batch", &batch, "samples per batch", 1, 1 << 20);
  p.addFlag("--quiet", &quiet, "no progress output");
  p.addFlag("--json", &json,
            "print one JSON object (accuracy, samples, loss, confusion)");
  p.addChoice("--by", &by, {"speaker", "variant", "base"},
              "also the accuracy of each speaker, voice variant (timbre) or "
              "base voice (accent) the file records, e.g. to see which unseen "
              "voices a network fails on");
  cli::addDeviceOption(p, &device);
  p.setEpilog("example:\n  snnc eval model.h5 --data digits/test.h5\n"
              "  snnc eval model.h5 --data digits/test.h5 --by variant");
  if (auto rc = p.parse(argc, argv))
    return *rc;
  snnrt::Device dev = snnrt::Device::Cpu;
  if (auto rc = cli::resolveDeviceOption(cmd, device, dev))
    return *rc;
  if (auto st = snnrt::expectFile(
          modelPath, {snnrt::FileKind::Model, snnrt::FileKind::Checkpoint},
          "a model", cli::kExpectModel);
      !st)
    return cli::reportError(cmd, st);
  if (auto st = snnrt::expectFile(dataPath, {snnrt::FileKind::Dataset},
                                  "a dataset", cli::kExpectDataset);
      !st)
    return cli::reportError(cmd, st);
  auto model = snnrt::readModel(modelPath);
  if (!model)
    return cli::reportError(cmd, model.status());
  auto data = snnrt::readDataset(dataPath);
  if (!data)
    return cli::reportError(cmd, data.status());
  // --by: the file must record the groups (checked before any work).
  const std::vector<int32_t> *groupIds = nullptr;
  if (!by.empty()) {
    const std::map<std::string, std::pair<const std::vector<int32_t> *,
                                          const char *>>
        groupings = {{"speaker", {&data->speakers, "speakers"}},
                     {"variant", {&data->variants, "voice variants"}},
                     {"base", {&data->voiceBases, "base voices"}}};
    const char *what = nullptr;
    std::tie(groupIds, what) = groupings.at(by);
    if (groupIds->size() != data->size())
      return cli::reportError(
          cmd, snnrt::Status::error(dataPath + " records no " + what +
                                        " (--by " + by +
                                        " needs a file that does, e.g. one "
                                        "'snnc data digits' wrote)",
                                    snnrt::ErrorKind::BadInput));
  }
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  auto r = snnrt::evaluate(*model, *data, int(threads), uint32_t(batch), dev,
                           quiet ? snnrt::ProgressFn() : cli::sampleProgress());
  if (!r)
    return cli::reportError(cmd, r.status());
  std::vector<GroupAccuracy> groups;
  if (groupIds)
    groups = accuracyByGroup(*groupIds, data->labels, r->predictions);
  const uint32_t K = r->classes;
  if (json) {
    std::printf("{\"model\": \"%s\", \"data\": \"%s\", \"samples\": %zu, "
                "\"accuracy\": %.6f, \"loss\": %.6f, \"classes\": %u, "
                "\"confusion\": [",
                modelPath.c_str(), dataPath.c_str(), r->samples, r->accuracy,
                r->loss, K);
    for (uint32_t i = 0; i < K; ++i) {
      std::printf("%s[", i ? ", " : "");
      for (uint32_t j = 0; j < K; ++j)
        std::printf("%s%llu", j ? ", " : "",
                    (unsigned long long)r->confusion[size_t(i) * K + j]);
      std::printf("]");
    }
    std::printf("]");
    if (!by.empty()) {
      std::printf(", \"by\": \"%s\", \"groups\": [", by.c_str());
      for (size_t i = 0; i < groups.size(); ++i)
        std::printf("%s{\"id\": %d, \"samples\": %zu, \"accuracy\": %.6f}",
                    i ? ", " : "", groups[i].id, groups[i].samples,
                    groups[i].accuracy);
      std::printf("]");
    }
    std::printf("}\n");
    return cli::kSuccess;
  }
  std::printf("%s on %s: accuracy %.2f%% (%zu samples), loss %.4f\n",
              modelPath.c_str(), dataPath.c_str(), 100 * r->accuracy,
              r->samples, r->loss);
  std::printf("confusion matrix (rows: true class, columns: predicted):\n     ");
  for (uint32_t j = 0; j < K; ++j)
    std::printf("%5u", j);
  std::printf("\n");
  for (uint32_t i = 0; i < K; ++i) {
    std::printf("%5u", i);
    for (uint32_t j = 0; j < K; ++j)
      std::printf("%5llu", (unsigned long long)r->confusion[size_t(i) * K + j]);
    std::printf("\n");
  }
  if (!by.empty()) {
    std::printf("accuracy by %s:\n%9s  samples  accuracy\n", by.c_str(),
                by.c_str());
    for (const GroupAccuracy &g : groups)
      std::printf("%9d  %7zu  %7.2f%%\n", g.id, g.samples, 100 * g.accuracy);
  }
  return cli::kSuccess;
}

} // namespace snnc
