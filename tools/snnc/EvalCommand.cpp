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
#include <thread>

namespace snnc {

int runEval(int argc, char **argv) {
  const char *cmd = "eval";
  std::string modelPath, dataPath;
  int64_t threads = 0, batch = 256;
  bool json = false, quiet = false;
  std::string device = "cpu";
  cli::ArgParser p(cmd, "Accuracy and confusion matrix of a trained model on a "
                        "dataset.");
  p.addPositional("MODEL.h5", &modelPath, "model file (snnc train --out)");
  p.addString("--data", &dataPath, "dataset file (.h5)", "FILE", true);
  p.addInt("--threads", &threads, "worker threads (0: all cores)", 0, 1024);
  p.addInt("--batch", &batch, "samples per batch", 1, 1 << 20);
  p.addFlag("--quiet", &quiet, "no progress output");
  p.addFlag("--json", &json,
            "print one JSON object (accuracy, samples, loss, confusion)");
  cli::addDeviceOption(p, &device);
  p.setEpilog("example:\n  snnc eval model.h5 --data digits/test.h5");
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
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  auto r = snnrt::evaluate(*model, *data, int(threads), uint32_t(batch), dev,
                           quiet ? snnrt::ProgressFn() : cli::sampleProgress());
  if (!r)
    return cli::reportError(cmd, r.status());
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
    std::printf("]}\n");
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
  return cli::kSuccess;
}

} // namespace snnc
