//===- Verify.cpp - What `snnc verify` proves -----------------------------===//

#include "snnc/Verify/Verify.h"

#include "snnc/Import/IntNetworkExport.h"
#include "snnc/Import/ModelCompare.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Import/EnumTranslation.h"
#include "snnc/Pipelines/Pipelines.h"

#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Engine.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;
using namespace snnc;

bool VerifyReport::exactLevelsPassed() const {
  for (const auto &l : levels)
    if (l.status == LevelStatus::Fail)
      return false;
  return error.empty();
}

namespace {

/// Level 1: model -> MLIR text and bytecode -> model.
VerifyLevel checkRoundTrips(const snnrt::Model &model, MLIRContext &context) {
  VerifyLevel level{1, "round trips", LevelStatus::Pass, ""};
  auto module = importModel(model, &context);
  std::string text;
  {
    llvm::raw_string_ostream os(text);
    module->print(os);
  }
  std::string bytecode;
  {
    llvm::raw_string_ostream os(bytecode);
    if (failed(writeBytecodeToFile(*module, os))) {
      level.status = LevelStatus::Fail;
      level.detail = "bytecode writing failed";
      return level;
    }
  }
  for (auto [form, buffer] : {std::pair<const char *, std::string *>{
                                  "MLIR text", &text},
                              {"MLIR bytecode", &bytecode}}) {
    auto parsed = parseSourceString<ModuleOp>(*buffer, &context);
    if (!parsed) {
      level.status = LevelStatus::Fail;
      level.detail = std::string(form) + " does not parse back";
      return level;
    }
    FailureOr<snnrt::Model> back = exportModel(getNetworks(*parsed).front());
    std::string difference;
    if (failed(back) || !modelsIdentical(model, *back, difference)) {
      level.status = LevelStatus::Fail;
      level.detail = std::string("model.h5 -> ") + form +
                     " -> model differs: " + difference;
      return level;
    }
  }
  level.detail = "model.h5 -> MLIR text / bytecode -> model: every parameter "
                 "bit-identical";
  return level;
}

/// The unmapped integer network: the lowering pipeline exactly as snnc
/// compile runs it, minus delay extension (no relays) and mapping.
FailureOr<snnrt::IntNetwork> flatNetwork(const snnrt::Model &model,
                                         const snnrt::Plan &plan,
                                         int64_t weightBits,
                                         MLIRContext &context) {
  auto module = importModel(model, &context);
  LoweringOptions lowering;
  lowering.weightBits = weightBits;
  lowering.stateBits = plan.stateBits;
  lowering.decay = toDialect(plan.decayMode);
  lowering.maxDelay = 0;
  PassManager pm(&context);
  populateLoweringPipeline(pm, lowering);
  if (failed(pm.run(*module)))
    return failure();
  return exportIntNetwork(getNetworks(*module).front());
}

std::string firstDifference(size_t sample, const std::string &population,
                            size_t size, size_t index, int64_t flat,
                            int64_t mapped, bool readout) {
  return "first difference: sample " + std::to_string(sample) +
         ", population '" + population + "', neuron " +
         std::to_string(index % size) + ", step " +
         std::to_string(index / size) + ": flat " +
         (readout ? "state " : "spike ") + std::to_string(flat) + ", plan " +
         std::to_string(mapped);
}

} // namespace

VerifyReport snnc::verifyDeployment(const VerifyOptions &opts,
                                    llvm::raw_ostream &progress) {
  VerifyReport report;
  auto fail = [&](const snnrt::Status &status) {
    report.error = status.message();
    report.errorIsIo = status.kind() == snnrt::ErrorKind::Io;
    return report;
  };
  auto model = snnrt::readModel(opts.model);
  if (!model)
    return fail(model.status());
  auto plan = snnrt::readPlanFile(opts.plan);
  if (!plan)
    return fail(plan.status());
  auto data = snnrt::readDataset(opts.data);
  if (!data)
    return fail(data.status());
  const size_t samples =
      opts.samples > 0 ? std::min<size_t>(opts.samples, data->size())
                       : data->size();
  report.samples = samples;

  DialectRegistry registry;
  registerSnncDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  progress << "verify: level 1 (round trips)\n";
  report.levels.push_back(checkRoundTrips(*model, context));

  // Level 2.
  progress << "verify: level 2 (plan vs flat quantised network, " << samples
           << " samples)\n";
  progress.flush();
  int64_t weightBits = opts.weightBits;
  if (!weightBits) {
    weightBits = 16;
    for (const auto &[name, value] : plan->limits)
      if (name == "weight_bits")
        weightBits = std::min<int64_t>(value, 16);
  }
  VerifyLevel level2{2, "plan vs flat quantised network", LevelStatus::Pass,
                     ""};
  FailureOr<snnrt::IntNetwork> flat =
      flatNetwork(*model, *plan, weightBits, context);
  auto exec = snnrt::PlanExecutor::create(*plan);
  std::vector<snnrt::IntTrace> planTraces;
  if (failed(flat)) {
    level2.status = LevelStatus::Fail;
    level2.detail = "the model does not quantise with the plan's settings "
                    "(diagnostics above)";
  } else if (!exec) {
    level2.status = LevelStatus::Fail;
    level2.detail = exec.status().message();
  } else {
    uint64_t compared = 0;
    size_t flatCorrect = 0, planCorrect = 0;
    for (size_t s = 0; s < samples && level2.status == LevelStatus::Pass;
         ++s) {
      auto ft = snnrt::runFlat(*flat, *data, s);
      auto pt = (*exec)->run(*data, s);
      if (!ft || !pt) {
        level2.status = LevelStatus::Fail;
        level2.detail = (!ft ? ft.status() : pt.status()).message();
        break;
      }
      flatCorrect += snnrt::predictClass(*flat, *ft) == data->labels[s];
      planCorrect += (*exec)->predictClass(*pt) == data->labels[s];
      for (size_t fp = 0; fp < flat->populations.size(); ++fp) {
        const auto &pop = flat->populations[fp];
        size_t pp = 0;
        while (pp < plan->populations.size() &&
               plan->populations[pp].name != pop.name)
          ++pp;
        if (pp == plan->populations.size()) {
          level2.status = LevelStatus::Fail;
          level2.detail = "population '" + pop.name + "' is not in the plan";
          break;
        }
        bool readout = pop.kind == snnrt::PopulationKind::Li;
        // Spikes (and inputs) are int32, readout states int64.
        auto at = [&](const snnrt::IntTrace &t, size_t p, size_t k) {
          const auto &r = t.readout[p];
          const auto &o = t.output[p];
          if (readout)
            return k < r.size() ? r[k] : int64_t(-1);
          return k < o.size() ? int64_t(o[k]) : int64_t(-1);
        };
        size_t length = readout ? std::max(ft->readout[fp].size(),
                                           pt->readout[pp].size())
                                : std::max(ft->output[fp].size(),
                                           pt->output[pp].size());
        for (size_t k = 0; k < length; ++k) {
          int64_t x = at(*ft, fp, k);
          int64_t y = at(*pt, pp, k);
          if (x != y) {
            level2.status = LevelStatus::Fail;
            level2.detail =
                firstDifference(s, pop.name, pop.size, k, x, y, readout);
            break;
          }
        }
        compared += length;
        if (level2.status != LevelStatus::Pass)
          break;
      }
      planTraces.push_back(std::move(*pt));
    }
    report.flatAccuracy = samples ? double(flatCorrect) / samples : 0;
    report.planAccuracy = samples ? double(planCorrect) / samples : 0;
    if (level2.status == LevelStatus::Pass)
      level2.detail = std::to_string(compared) +
                      " neuron-steps equal over " + std::to_string(samples) +
                      " samples (" + std::to_string(plan->cores.size()) +
                      " cores)";
  }
  report.levels.push_back(level2);

  // Level 3: the CUDA plan executor against the CPU one, bit for bit.
  VerifyLevel level3{3, "CPU vs CUDA", LevelStatus::Skipped, ""};
  if (opts.device != snnrt::Device::Cuda) {
    level3.detail = "skipped: " +
                    (opts.deviceNote.empty()
                         ? std::string("--device cpu")
                         : opts.deviceNote) +
                    "; the CPU result is the reference";
  } else if (planTraces.size() != samples) {
    level3.detail = "skipped: level 2 did not produce the CPU traces";
  } else {
    progress << "verify: level 3 (CPU vs CUDA)\n";
    progress.flush();
    std::vector<size_t> ids(samples);
    for (size_t s = 0; s < samples; ++s)
      ids[s] = s;
    auto gpu = snnrt::CudaPlanExecutor::create(*plan);
    auto batch = gpu ? (*gpu)->run(*data, ids, true)
                     : snnrt::Expected<snnrt::CudaPlanBatch>(gpu.status());
    if (!batch) {
      level3.status = LevelStatus::Fail;
      level3.detail = batch.status().message();
    } else {
      level3.status = LevelStatus::Pass;
      uint64_t compared = 0;
      for (size_t s = 0; s < samples && level3.status == LevelStatus::Pass;
           ++s)
        for (size_t p = 0; p < plan->populations.size(); ++p) {
          const auto &cpu = planTraces[s], &cu = batch->traces[s];
          const auto &pop = plan->populations[p];
          bool readout = pop.kind == "li";
          size_t n = readout ? cpu.readout[p].size() : cpu.output[p].size();
          size_t m = readout ? cu.readout[p].size() : cu.output[p].size();
          for (size_t k = 0; k < std::max(n, m); ++k) {
            int64_t x = k >= n ? -1
                        : readout ? cpu.readout[p][k]
                                  : int64_t(cpu.output[p][k]);
            int64_t y = k >= m ? -1
                        : readout ? cu.readout[p][k]
                                  : int64_t(cu.output[p][k]);
            if (x != y) {
              level3.status = LevelStatus::Fail;
              level3.detail = "CUDA: " + firstDifference(s, pop.name, pop.size,
                                                         k, x, y, readout);
              break;
            }
          }
          compared += std::max(n, m);
          if (level3.status != LevelStatus::Pass)
            break;
        }
      if (level3.status == LevelStatus::Pass)
        level3.detail = std::to_string(compared) +
                        " neuron-steps of the CUDA plan executor equal to the "
                        "CPU's over " +
                        std::to_string(samples) + " samples (" +
                        snnrt::cudaDescription() + ")";
    }
  }
  report.levels.push_back(level3);

  // Level 4: float model vs plan, per layer.
  progress << "verify: level 4 (float model vs plan)\n";
  progress.flush();
  VerifyLevel level4{4, "float model vs plan", LevelStatus::Info, ""};
  snnrt::EngineOptions engineOptions;
  engineOptions.threads = opts.threads;
  auto engine = snnrt::Engine<float>::create(*model, engineOptions);
  if (!engine) {
    level4.status = LevelStatus::Fail;
    level4.detail = engine.status().message();
  } else if (planTraces.size() == samples) {
    (*engine)->setTraining(false);
    std::vector<LayerAgreement> layers;
    for (const auto &pop : model->populations)
      if (pop.kind == snnrt::PopulationKind::Lif)
        layers.push_back({pop.name, 0, 0, 0});
    std::vector<uint64_t> equal(layers.size(), 0), total(layers.size(), 0);
    size_t floatCorrect = 0;
    for (size_t first = 0; first < samples; first += 64) {
      std::vector<size_t> batch;
      for (size_t s = first; s < std::min(samples, first + 64); ++s)
        batch.push_back(s);
      if (auto status = (*engine)->setInput(*data, batch); !status) {
        level4.status = LevelStatus::Fail;
        level4.detail = status.message();
        break;
      }
      (*engine)->forward(false);
      std::vector<int32_t> labels;
      for (size_t s : batch)
        labels.push_back(data->labels[s]);
      (*engine)->loss(labels); // computes m = sum_t softmax (SNN-F10)
      auto predictions = (*engine)->predictions();
      const size_t B = batch.size();
      for (size_t b = 0; b < B; ++b)
        floatCorrect += predictions[b] == data->labels[batch[b]];
      for (size_t l = 0; l < layers.size(); ++l) {
        const auto &values = (*engine)->values(layers[l].population);
        size_t pp = 0;
        while (plan->populations[pp].name != layers[l].population)
          ++pp;
        const uint32_t size = plan->populations[pp].size;
        const size_t T = plan->steps;
        for (size_t b = 0; b < B; ++b) {
          const auto &spikes = planTraces[batch[b]].output[pp];
          for (size_t i = 0; i < size; ++i)
            for (size_t t = 0; t < T; ++t) {
              bool f = values[(i * T + t) * B + b] != 0;
              bool q = spikes[t * size + i] != 0;
              equal[l] += f == q;
              ++total[l];
              layers[l].floatSpikes += f;
              layers[l].planSpikes += q;
            }
        }
      }
    }
    for (size_t l = 0; l < layers.size(); ++l)
      layers[l].agreement = total[l] ? double(equal[l]) / total[l] : 1.0;
    report.layers = layers;
    report.floatAccuracy = samples ? double(floatCorrect) / samples : 0;
    level4.detail = llvm::formatv("accuracy float {0:P2}, plan {1:P2} "
                                  "({2:+F2} points)",
                                  report.floatAccuracy, report.planAccuracy,
                                  100 * (report.planAccuracy -
                                         report.floatAccuracy))
                        .str();
  } else {
    level4.status = LevelStatus::Skipped;
    level4.detail = "skipped: level 2 did not produce plan traces";
  }
  report.levels.push_back(level4);
  return report;
}

static const char *statusName(LevelStatus s) {
  switch (s) {
  case LevelStatus::Pass:
    return "PASS";
  case LevelStatus::Fail:
    return "FAIL";
  case LevelStatus::Skipped:
    return "SKIP";
  case LevelStatus::Info:
    return "INFO";
  }
  return "?";
}

void snnc::printVerifyReport(const VerifyReport &r, llvm::raw_ostream &os) {
  os << llvm::formatv("{0,-5} {1,-34} {2,-6} {3}\n", "level", "check",
                      "result", "detail");
  for (const auto &l : r.levels)
    os << llvm::format("%-5d %-34s %-6s %s\n", l.level, l.name.c_str(),
                       statusName(l.status), l.detail.c_str());
  if (!r.layers.empty()) {
    os << "\nspike agreement, float model vs plan (" << r.samples
       << " samples):\n";
    os << "  population        agreement   float spikes    plan spikes\n";
    for (const auto &l : r.layers)
      os << llvm::format("  %-16s %9.2f%% %14llu %14llu\n",
                         l.population.c_str(), 100 * l.agreement,
                         (unsigned long long)l.floatSpikes,
                         (unsigned long long)l.planSpikes);
  }
  os << llvm::format("\naccuracy: float model %.2f%%, flat quantised %.2f%%, "
                     "plan %.2f%%\n",
                     100 * r.floatAccuracy, 100 * r.flatAccuracy,
                     100 * r.planAccuracy);
  os << (r.exactLevelsPassed() ? "verified: every exact level passed\n"
                               : "NOT verified: an exact level failed\n");
}

llvm::json::Value snnc::verifyReportToJSON(const VerifyReport &r) {
  llvm::json::Array levels, layers;
  for (const auto &l : r.levels)
    levels.push_back(llvm::json::Object{{"level", l.level},
                                        {"check", l.name},
                                        {"result", statusName(l.status)},
                                        {"detail", l.detail}});
  for (const auto &l : r.layers)
    layers.push_back(llvm::json::Object{
        {"population", l.population},
        {"agreement", l.agreement},
        {"float_spikes", int64_t(l.floatSpikes)},
        {"plan_spikes", int64_t(l.planSpikes)}});
  return llvm::json::Object{{"verified", r.exactLevelsPassed()},
                            {"samples", int64_t(r.samples)},
                            {"levels", std::move(levels)},
                            {"layers", std::move(layers)},
                            {"float_accuracy", r.floatAccuracy},
                            {"flat_accuracy", r.flatAccuracy},
                            {"plan_accuracy", r.planAccuracy}};
}
