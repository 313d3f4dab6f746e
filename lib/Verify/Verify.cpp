//===- Verify.cpp - What `snnc verify` proves -----------------------------===//

#include "snnc/Verify/Verify.h"

#include "snnc/Import/IntNetworkExport.h"
#include "snnc/Import/ModelCompare.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Import/EnumTranslation.h"
#include "snnc/Pipelines/Pipelines.h"

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/NetxFile.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Engine.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <cctype>
#include <optional>

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
  lowering.arithmetic = toDialect(plan.arithmetic);
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

/// Population `p`'s trace in `trace`: readout states (int64) or spikes and
/// inputs (int32).
size_t traceLength(const snnrt::IntTrace &trace, size_t p, bool readout) {
  return readout ? trace.readout[p].size() : trace.output[p].size();
}

/// Value `k` of population `p`'s trace; -1 past its end, so a shorter trace
/// differs from a longer one.
int64_t traceValue(const snnrt::IntTrace &trace, size_t p, size_t k,
                   bool readout) {
  if (k >= traceLength(trace, p, readout))
    return -1;
  return readout ? trace.readout[p][k] : int64_t(trace.output[p][k]);
}

/// Population `pa` of trace `a` against population `pb` of trace `b`, over
/// the longer of the two. Returns the first index where they differ, or
/// nullopt; `length` is the number of values compared when equal.
std::optional<size_t> firstMismatch(const snnrt::IntTrace &a, size_t pa,
                                    const snnrt::IntTrace &b, size_t pb,
                                    bool readout, size_t &length) {
  length = std::max(traceLength(a, pa, readout), traceLength(b, pb, readout));
  for (size_t k = 0; k < length; ++k)
    if (traceValue(a, pa, k, readout) != traceValue(b, pb, k, readout))
      return k;
  return std::nullopt;
}

/// The inputs of every level, read before any level runs.
struct VerifyInputs {
  snnrt::Model model;
  snnrt::Plan plan;
  snnrt::Dataset data;
};

snnrt::Expected<VerifyInputs> readInputs(const VerifyOptions &opts) {
  auto model = snnrt::readModel(opts.model);
  if (!model)
    return model.status();
  auto plan = snnrt::readPlanFile(opts.plan);
  if (!plan)
    return plan.status();
  auto data = snnrt::readDataset(opts.data);
  if (!data)
    return data.status();
  return VerifyInputs{model.take(), plan.take(), data.take()};
}

/// The weight width snnc compile chose: the target's, at most 16 bits.
int64_t planWeightBits(const VerifyOptions &opts, const snnrt::Plan &plan) {
  if (opts.weightBits)
    return opts.weightBits;
  int64_t weightBits = 16;
  for (const auto &[name, value] : plan.limits)
    if (name == "weight_bits")
      weightBits = std::min<int64_t>(value, 16);
  return weightBits;
}

/// Level 2 on one sample: every population of the flat trace `ft` against
/// the plan trace `pt`. Fails `level` at the first difference; adds the
/// neuron-steps compared to `compared`.
void compareFlatSample(const snnrt::IntNetwork &flat, const snnrt::Plan &plan,
                       const snnrt::IntTrace &ft, const snnrt::IntTrace &pt,
                       size_t sample, VerifyLevel &level, uint64_t &compared) {
  for (size_t fp = 0; fp < flat.populations.size(); ++fp) {
    const auto &pop = flat.populations[fp];
    size_t pp = 0;
    while (pp < plan.populations.size() &&
           plan.populations[pp].name != pop.name)
      ++pp;
    if (pp == plan.populations.size()) {
      level.status = LevelStatus::Fail;
      level.detail = "population '" + pop.name + "' is not in the plan";
      return;
    }
    bool readout = pop.kind == snnrt::PopulationKind::Li;
    size_t length = 0;
    if (auto k = firstMismatch(ft, fp, pt, pp, readout, length)) {
      level.status = LevelStatus::Fail;
      level.detail = firstDifference(sample, pop.name, pop.size, *k,
                                     traceValue(ft, fp, *k, readout),
                                     traceValue(pt, pp, *k, readout), readout);
      return;
    }
    compared += length;
  }
}

/// Level 2: the plan against the unmapped quantised network, every neuron,
/// step and sample. Keeps the plan's traces for levels 3 and 4 and sets the
/// flat and plan accuracies.
VerifyLevel checkPlanAgainstFlat(const VerifyInputs &in, size_t samples,
                                 int64_t weightBits, MLIRContext &context,
                                 std::vector<snnrt::IntTrace> &planTraces,
                                 VerifyReport &report) {
  VerifyLevel level{2, "plan vs flat quantised network", LevelStatus::Pass, ""};
  FailureOr<snnrt::IntNetwork> flat =
      flatNetwork(in.model, in.plan, weightBits, context);
  auto exec = snnrt::PlanExecutor::create(in.plan);
  if (failed(flat)) {
    level.status = LevelStatus::Fail;
    level.detail = "the model does not quantise with the plan's settings "
                   "(diagnostics above)";
    return level;
  }
  if (!exec) {
    level.status = LevelStatus::Fail;
    level.detail = exec.status().message();
    return level;
  }
  uint64_t compared = 0;
  size_t flatCorrect = 0, planCorrect = 0;
  // The plan's samples run in groups in flight (docs/executor.md); each
  // trace equals a lone run's.
  std::vector<size_t> ids(samples);
  for (size_t s = 0; s < samples; ++s)
    ids[s] = s;
  auto planRun = (*exec)->runGroup(in.data, ids);
  if (!planRun) {
    level.status = LevelStatus::Fail;
    level.detail = planRun.status().message();
    return level;
  }
  for (size_t s = 0; s < samples && level.status == LevelStatus::Pass; ++s) {
    auto ft = snnrt::runFlat(*flat, in.data, s);
    if (!ft) {
      level.status = LevelStatus::Fail;
      level.detail = ft.status().message();
      break;
    }
    snnrt::IntTrace &pt = (*planRun)[s];
    flatCorrect += snnrt::predictClass(*flat, *ft) == in.data.labels[s];
    planCorrect += (*exec)->predictClass(pt) == in.data.labels[s];
    compareFlatSample(*flat, in.plan, *ft, pt, s, level, compared);
    planTraces.push_back(std::move(pt));
  }
  report.flatAccuracy = samples ? double(flatCorrect) / samples : 0;
  report.planAccuracy = samples ? double(planCorrect) / samples : 0;
  if (level.status == LevelStatus::Pass)
    level.detail = std::to_string(compared) + " neuron-steps equal over " +
                   std::to_string(samples) + " samples (" +
                   std::to_string(in.plan.cores.size()) + " cores)";
  return level;
}

/// Level 3: the CUDA plan executor against the CPU one, bit for bit.
VerifyLevel checkCudaAgainstCpu(const VerifyOptions &opts,
                                const VerifyInputs &in, size_t samples,
                                const std::vector<snnrt::IntTrace> &planTraces,
                                llvm::raw_ostream &progress) {
  VerifyLevel level{3, "CPU vs CUDA", LevelStatus::Skipped, ""};
  if (opts.device != snnrt::Device::Cuda) {
    level.detail = "skipped: " +
                   (opts.deviceNote.empty() ? std::string("--device cpu")
                                            : opts.deviceNote) +
                   "; the CPU result is the reference";
    return level;
  }
  if (planTraces.size() != samples) {
    level.detail = "skipped: level 2 did not produce the CPU traces";
    return level;
  }
  progress << "verify: level 3 (CPU vs CUDA)\n";
  progress.flush();
  std::vector<size_t> ids(samples);
  for (size_t s = 0; s < samples; ++s)
    ids[s] = s;
  auto gpu = snnrt::CudaPlanExecutor::create(in.plan);
  auto batch = gpu ? (*gpu)->run(in.data, ids, true)
                   : snnrt::Expected<snnrt::CudaPlanBatch>(gpu.status());
  if (!batch) {
    level.status = LevelStatus::Fail;
    level.detail = batch.status().message();
    return level;
  }
  uint64_t compared = 0;
  for (size_t s = 0; s < samples; ++s)
    for (size_t p = 0; p < in.plan.populations.size(); ++p) {
      const auto &pop = in.plan.populations[p];
      bool readout = pop.kind == "li";
      size_t length = 0;
      const auto &cpu = planTraces[s], &cu = batch->traces[s];
      if (auto k = firstMismatch(cpu, p, cu, p, readout, length)) {
        level.status = LevelStatus::Fail;
        level.detail =
            "CUDA: " + firstDifference(s, pop.name, pop.size, *k,
                                       traceValue(cpu, p, *k, readout),
                                       traceValue(cu, p, *k, readout), readout);
        return level;
      }
      compared += length;
    }
  level.status = LevelStatus::Pass;
  level.detail = std::to_string(compared) +
                 " neuron-steps of the CUDA plan executor equal to the "
                 "CPU's over " +
                 std::to_string(samples) + " samples (" +
                 snnrt::cudaDescription() + ")";
  return level;
}

/// Level 4 on one batch: adds the float engine's spikes against the plan's,
/// per LIF layer, to `layers`, `equal` and `total`.
void countLayerAgreement(const snnrt::Engine<float> &engine,
                         const snnrt::Plan &plan,
                         const std::vector<snnrt::IntTrace> &planTraces,
                         const std::vector<size_t> &batch,
                         std::vector<LayerAgreement> &layers,
                         std::vector<uint64_t> &equal,
                         std::vector<uint64_t> &total) {
  const size_t B = batch.size();
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto &values = engine.values(layers[l].population);
    size_t pp = 0;
    while (plan.populations[pp].name != layers[l].population)
      ++pp;
    const uint32_t size = plan.populations[pp].size;
    const size_t T = plan.steps;
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

/// Level 4: the float model against the plan, spike agreement per LIF layer
/// and accuracy of each (informational: quantisation changes spikes).
VerifyLevel checkFloatAgainstPlan(
    const VerifyOptions &opts, const VerifyInputs &in, size_t samples,
    const std::vector<snnrt::IntTrace> &planTraces, VerifyReport &report) {
  VerifyLevel level{4, "float model vs plan", LevelStatus::Info, ""};
  snnrt::EngineOptions engineOptions;
  engineOptions.threads = opts.threads;
  auto engine = snnrt::Engine<float>::create(in.model, engineOptions);
  if (!engine) {
    level.status = LevelStatus::Fail;
    level.detail = engine.status().message();
    return level;
  }
  if (planTraces.size() != samples) {
    level.status = LevelStatus::Skipped;
    level.detail = "skipped: level 2 did not produce plan traces";
    return level;
  }
  (*engine)->setTraining(false);
  std::vector<LayerAgreement> layers;
  for (const auto &pop : in.model.populations)
    if (pop.kind == snnrt::PopulationKind::Lif)
      layers.push_back({pop.name, 0, 0, 0});
  std::vector<uint64_t> equal(layers.size(), 0), total(layers.size(), 0);
  size_t floatCorrect = 0;
  for (size_t first = 0; first < samples; first += 64) {
    std::vector<size_t> batch;
    for (size_t s = first; s < std::min(samples, first + 64); ++s)
      batch.push_back(s);
    if (auto status = (*engine)->setInput(in.data, batch); !status) {
      level.status = LevelStatus::Fail;
      level.detail = status.message();
      break;
    }
    (*engine)->forward(false);
    std::vector<int32_t> labels;
    for (size_t s : batch)
      labels.push_back(in.data.labels[s]);
    (*engine)->loss(labels); // computes m = sum_t softmax (SNN-F10)
    auto predictions = (*engine)->predictions();
    for (size_t b = 0; b < batch.size(); ++b)
      floatCorrect += predictions[b] == in.data.labels[batch[b]];
    countLayerAgreement(**engine, in.plan, planTraces, batch, layers, equal,
                        total);
  }
  for (size_t l = 0; l < layers.size(); ++l)
    layers[l].agreement = total[l] ? double(equal[l]) / total[l] : 1.0;
  report.layers = layers;
  report.floatAccuracy = samples ? double(floatCorrect) / samples : 0;
  level.detail =
      llvm::formatv("accuracy float {0:P2}, plan {1:P2} ({2:+F2} points)",
                    report.floatAccuracy, report.planAccuracy,
                    100 * (report.planAccuracy - report.floatAccuracy))
          .str();
  return level;
}

/// Lava's recording (tools/snn-vendor/netx_io.py, write_recording): the
/// spikes of one population as [sample][step * size + neuron].
snnrt::Status readLavaSpikes(snnrt::h5::File &f, const std::string &name,
                             size_t samples, uint32_t steps, uint32_t size,
                             std::vector<std::vector<uint8_t>> &out) {
  const std::string g = "populations/" + name;
  std::vector<uint64_t> ptr;
  std::vector<uint32_t> step, neuron;
  SNNRT_TRY(f.read(g + "/sample_ptr", ptr));
  SNNRT_TRY(f.read(g + "/step", step));
  SNNRT_TRY(f.read(g + "/neuron", neuron));
  if (ptr.size() < samples + 1)
    return snnrt::Status::error(f.path() + ": " + g + " has " +
                                std::to_string(ptr.size() - 1) + " samples");
  out.assign(samples, std::vector<uint8_t>(size_t(steps) * size, 0));
  for (size_t n = 0; n < samples; ++n)
    for (uint64_t k = ptr[n]; k < ptr[n + 1] && k < step.size(); ++k)
      if (step[k] < steps && neuron[k] < size)
        out[n][size_t(step[k]) * size + neuron[k]] = 1;
  return snnrt::Status::ok();
}

/// The dataset Lava is fed: snnc's integer inputs x (SNN-I2, with the plan's
/// input scale) written as frames, which lava_run.py reads with scale 1 and
/// sends as graded spikes when any x is not 0 or 1 (SNN-L2). NetX itself has
/// no input scale.
snnrt::Dataset lavaInputs(const snnrt::Dataset &data, double scale,
                          size_t samples, uint32_t steps) {
  snnrt::Dataset d;
  d.kind = snnrt::InputKind::Frames;
  d.dtSeconds = data.dtSeconds;
  d.steps = steps;
  d.channels = data.channels;
  d.numClasses = std::max<uint32_t>(data.numClasses, 1);
  d.source = "snnc verify --vendor lava";
  d.labels.assign(data.labels.begin(), data.labels.begin() + samples);
  d.frames.assign(samples * steps * size_t(data.channels), 0.0f);
  auto put = [&](size_t n, uint32_t t, uint32_t c, double value) {
    if (t < steps && c < data.channels)
      d.frames[(n * steps + t) * size_t(data.channels) + c] =
          float(snnrt::intmath::inputValue(scale, value));
  };
  for (size_t n = 0; n < samples; ++n) {
    if (data.kind == snnrt::InputKind::Frames) {
      for (uint32_t t = 0; t < std::min(steps, data.steps); ++t)
        for (uint32_t c = 0; c < data.channels; ++c)
          put(n, t, c,
              data.frames[(n * data.steps + t) * size_t(data.channels) + c]);
    } else {
      for (uint64_t k = data.eventOffsets[n]; k < data.eventOffsets[n + 1]; ++k)
        put(n, data.eventStep[k], data.eventChannel[k], data.eventCount[k]);
    }
  }
  return d;
}

/// tools/snn-vendor/lava_run.py of this source tree unless given.
std::string lavaBridge(const VerifyOptions &opts) {
  return opts.vendorBridge.empty()
             ? std::string(SNNC_SOURCE_DIR "/tools/snn-vendor/lava_run.py")
             : opts.vendorBridge;
}

/// A level-5 run's temporary folder: the inputs handed to the vendor's
/// bridge, its output and its log (plus any `extra` file), all removed when
/// the level returns, whichever way it does.
struct VendorScratch {
  llvm::SmallString<128> dir;
  std::string inputs, out, log;
  std::vector<std::string> extra;

  bool create(llvm::StringRef prefix, llvm::StringRef vendor) {
    if (llvm::sys::fs::createUniqueDirectory(prefix, dir)) {
      dir.clear();
      return false;
    }
    inputs = (dir + "/inputs.h5").str();
    out = (dir + "/" + vendor + ".h5").str();
    log = (dir + "/" + vendor + ".log").str();
    return true;
  }
  ~VendorScratch() {
    if (dir.empty())
      return;
    for (const std::string &f : {inputs, out, log})
      llvm::sys::fs::remove(f);
    for (const std::string &f : extra)
      llvm::sys::fs::remove(f);
    llvm::sys::fs::remove(dir);
  }
};

/// Runs `args` (args[0] is the python); stderr and stdout go to `log`.
/// Returns why it failed, or "".
std::string runVendorScript(const VerifyOptions &opts,
                            llvm::ArrayRef<llvm::StringRef> args,
                            const std::string &log, const std::string &what) {
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(log), llvm::StringRef(log)};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(opts.vendorPython, args, std::nullopt,
                                     redirects, 0, 0, &error);
  if (rc == 0)
    return "";
  std::string last = error;
  if (auto buffer = llvm::MemoryBuffer::getFile(log)) {
    llvm::StringRef text = (*buffer)->getBuffer().rtrim();
    last = text.rsplit('\n').second.empty() ? text.str()
                                            : text.rsplit('\n').second.str();
  }
  return what + " failed (exit " + std::to_string(rc) + "): " + last;
}

/// Runs the bridge; its stderr goes to `log`. Returns why it failed, or "".
std::string runBridge(const VerifyOptions &opts, const std::string &netx,
                      const std::string &dataset, const std::string &out,
                      size_t samples, uint32_t steps, const std::string &log) {
  const std::string bridge = lavaBridge(opts);
  std::string samplesArg = std::to_string(samples);
  std::string stepsArg = std::to_string(steps);
  llvm::SmallVector<llvm::StringRef, 12> args = {
      opts.vendorPython, bridge,     netx,      dataset,  out,
      "--samples",       samplesArg, "--steps", stepsArg, "--quiet"};
  return runVendorScript(opts, args, log, "the Lava bridge");
}

/// The plan executor's traces of the first `n` samples, which level 5
/// compares with a vendor's recording.
snnrt::Expected<std::vector<snnrt::IntTrace>>
runPlanSamples(snnrt::PlanExecutor &exec, const snnrt::Dataset &data,
               size_t n) {
  std::vector<size_t> ids(n);
  for (size_t s = 0; s < n; ++s)
    ids[s] = s;
  return exec.runGroup(data, ids);
}

/// Level 5's report of the first value that differs, naming where it is.
std::string firstDifference(llvm::StringRef vendor, size_t sample,
                            const std::string &pop, size_t neuron, size_t step,
                            const std::string &what, int64_t theirs,
                            int64_t ours) {
  return "first difference: sample " + std::to_string(sample) +
         ", population '" + pop + "', neuron " + std::to_string(neuron) +
         ", step " + std::to_string(step) + ": " + vendor.str() + " " + what +
         " " + std::to_string(theirs) + ", plan " + std::to_string(ours);
}

/// Level 5: the network run by Lava itself against the plan. The plan's
/// spike s[t] is Lava's spike at dataset step t (SNN-L2: Lava step t + 1);
/// the plan's readout state after integrating I[t] is the v Lava reports
/// one step later, so /readout/v[t + 1] is compared with it, and
/// /readout/v[0] with the initial voltage (SNN-L12, lavaInitialVoltage).
/// Lava runs T + 1 steps (the last input zero, which reaches no readout by
/// then, SNN-L3) so that the plan's last readout state has its Lava twin and
/// Lava's own prediction (the plan's classifier on Lava's states) is whole.
VerifyLevel checkAgainstLava(const VerifyOptions &opts, const VerifyInputs &in,
                             size_t samples, int64_t weightBits,
                             MLIRContext &context, llvm::raw_ostream &progress,
                             VerifyReport &report) {
  VerifyLevel level{5, "Lava (NetX) vs plan", LevelStatus::Skipped, ""};
  const snnrt::Plan &plan = in.plan;
  if (plan.arithmetic != snnrt::intmath::Arithmetic::LavaCuba) {
    level.detail = "skipped: the plan's arithmetic is snnc's; Lava runs "
                   "lava-cuba plans (targets loihi, loihi2)";
    return level;
  }
  if (!llvm::sys::fs::can_execute(opts.vendorPython)) {
    level.detail = "skipped: no vendors python at " + opts.vendorPython +
                   " (scripts/snnc-setup vendors, or --vendor-python)";
    return level;
  }
  if (!llvm::sys::fs::exists(lavaBridge(opts))) {
    level.detail = "skipped: no bridge at " + lavaBridge(opts);
    return level;
  }
  FailureOr<snnrt::IntNetwork> flat =
      flatNetwork(in.model, plan, weightBits, context);
  if (failed(flat)) {
    level.status = LevelStatus::Fail;
    level.detail = "the model does not quantise with the plan's settings";
    return level;
  }
  auto layers = snnrt::netxLayers(*flat);
  if (!layers) {
    level.detail = "skipped: no NetX form: " + layers.status().message();
    return level;
  }
  const size_t n = std::min<size_t>(samples, size_t(opts.vendorSamples));
  const uint32_t T = plan.steps;
  VendorScratch scratch;
  if (!scratch.create("snnc-verify-lava", "lava")) {
    level.status = LevelStatus::Fail;
    level.detail = "cannot create a temporary folder";
    return level;
  }
  // The file `snnc compile` wrote next to the plan is the deployed artefact:
  // check that one (so an edited export fails here), else write our own.
  std::string name = flat->name.empty() ? "net" : flat->name;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      c = '_';
  llvm::SmallString<256> compiled(llvm::sys::path::parent_path(opts.plan));
  llvm::sys::path::append(compiled, name + ".netx.h5");
  const bool ownNetx = !llvm::sys::fs::exists(compiled);
  const std::string netx = ownNetx ? (scratch.dir + "/net.netx.h5").str()
                                   : compiled.str().str();
  if (ownNetx)
    scratch.extra.push_back(netx);
  const std::string &inputs = scratch.inputs, &out = scratch.out,
                    &log = scratch.log;
  auto fail = [&](const std::string &why) {
    level.status = LevelStatus::Fail;
    level.detail = why;
    return level;
  };
  double scale = 1.0;
  int inputPop = -1;
  for (size_t p = 0; p < plan.populations.size(); ++p)
    if (plan.populations[p].kind == "input") {
      scale = plan.populations[p].scale;
      inputPop = int(p);
    }
  if (inputPop < 0)
    return fail("the plan has no input population");
  if (ownNetx)
    if (auto st = snnrt::writeNetx(netx, *flat); !st)
      return fail(st.message());
  const snnrt::Dataset fed = lavaInputs(in.data, scale, n, T + 1);
  if (layers->front().relay) {
    // SNN-L14: a relay fires once, whatever it receives; graded inputs
    // cannot cross it.
    auto graded = std::find_if(fed.frames.begin(), fed.frames.end(),
                               [](float x) { return x != 0.0f && x != 1.0f; });
    if (graded != fed.frames.end()) {
      const size_t at = size_t(graded - fed.frames.begin());
      level.detail =
          "skipped: projection '" + layers->front().projection +
          "' from the input has delays above " +
          std::to_string(snnrt::kNetxMaxDelay) +
          ", written as NetX relays, which pass binary spikes only; input " +
          std::to_string(int64_t(*graded)) + " at sample " +
          std::to_string(at / (size_t(T + 1) * fed.channels)) + ", step " +
          std::to_string(at / fed.channels % (T + 1)) + ", channel " +
          std::to_string(at % fed.channels) + " is graded (SNN-L14)";
      return level;
    }
  }
  if (auto st = snnrt::writeDataset(inputs, fed); !st)
    return fail(st.message());
  progress << "verify: level 5 (Lava, " << n << " samples x " << T
           << " steps)\n";
  progress.flush();
  if (std::string why = runBridge(opts, netx, inputs, out, n, T + 1, log);
      !why.empty())
    return fail(why);
  auto exec = snnrt::PlanExecutor::create(plan);
  if (!exec)
    return fail(exec.status().message());
  auto file = snnrt::h5::File::openRead(out);
  if (!file)
    return fail(file.status().message());
  uint64_t spikesCompared = 0, statesCompared = 0, lavaSpikes = 0;
  bool readoutCompared = false;
  auto planTraces = runPlanSamples(**exec, in.data, n);
  if (!planTraces)
    return fail(planTraces.status().message());
  std::vector<snnrt::IntTrace> &traces = *planTraces;
  auto difference = [&](size_t sample, const std::string &pop, size_t neuron,
                        size_t step, const std::string &what, int64_t lava,
                        int64_t snnc) {
    return firstDifference("Lava", sample, pop, neuron, step, what, lava,
                           snnc);
  };
  for (const snnrt::NetxLayer &layer : *layers) {
    if (layer.relay) // SNN-L14: no snnc population; its target is checked
      continue;
    size_t p = 0;
    while (p < plan.populations.size() &&
           plan.populations[p].name != layer.name)
      ++p;
    if (p == plan.populations.size())
      return fail("population '" + layer.name + "' is not in the plan");
    const bool readout = plan.populations[p].kind == "li";
    const uint32_t size = layer.size;
    if (!readout) {
      std::vector<std::vector<uint8_t>> lava;
      if (auto st = readLavaSpikes(*file, layer.name, n, T, size, lava); !st)
        return fail(st.message());
      for (size_t s = 0; s < n; ++s)
        for (size_t k = 0; k < size_t(T) * size; ++k) {
          const int64_t mine = traces[s].output[p][k] != 0;
          lavaSpikes += lava[s][k];
          if (lava[s][k] != mine)
            return fail(difference(s, layer.name, k % size, k / size, "spike",
                                   lava[s][k], mine));
        }
      spikesCompared += uint64_t(n) * T * size;
      continue;
    }
    std::vector<int32_t> v;
    std::vector<uint64_t> shape;
    if (auto st = file->read("readout/v", v, &shape); !st)
      return fail(st.message());
    if (shape.size() != 3 || shape[0] < n || shape[1] != T + 1 ||
        shape[2] != size)
      return fail(out + ": /readout/v has an unexpected shape");
    size_t lavaCorrect = 0, planCorrect = 0;
    for (size_t s = 0; s < n; ++s) {
      snnrt::IntTrace lavaTrace = traces[s];
      for (uint32_t t = 0; t <= T; ++t)
        for (uint32_t i = 0; i < size; ++i) {
          const int64_t lavaV = v[(s * (T + 1) + t) * size + i];
          int64_t mine;
          if (t == 0) {
            const int64_t b = layer.bias[i] * 64;
            mine = snnrt::intmath::lavaObservedVoltage(
                snnrt::intmath::lavaInitialVoltage(b), layer.vThMant);
          } else {
            mine = traces[s].readout[p][size_t(t - 1) * size + i];
            lavaTrace.readout[p][size_t(t - 1) * size + i] = lavaV;
          }
          if (lavaV != mine)
            return fail(difference(s, layer.name, i, t, "v", lavaV, mine));
        }
      const int label = in.data.labels[s];
      lavaCorrect += (*exec)->predictClass(lavaTrace) == label;
      planCorrect += (*exec)->predictClass(traces[s]) == label;
    }
    report.vendor = "lava";
    report.vendorSamples = n;
    report.vendorAccuracy = n ? double(lavaCorrect) / n : 0;
    report.vendorPlanAccuracy = n ? double(planCorrect) / n : 0;
    statesCompared += uint64_t(n) * (T + 1) * size;
    readoutCompared = true;
  }
  level.status = LevelStatus::Pass;
  level.detail = std::to_string(spikesCompared) + " neuron-steps of spikes (" +
                 std::to_string(lavaSpikes) + " spikes)";
  if (readoutCompared)
    level.detail +=
        " and " + std::to_string(statesCompared) + " readout voltages";
  else
    level.detail += " (last layer spiking: no voltage compared)";
  level.detail += " equal to Lava's over " + std::to_string(n) + " samples";
  if (!ownNetx)
    level.detail += " (" + llvm::sys::path::filename(netx).str() + ")";
  return level;
}


/// A recorded population's spike counts as [sample][step * size + neuron]
/// (snnc-spikes, docs/formats/spikes.md: `count`, or 1 per event without it).
snnrt::Status readRecordedCounts(snnrt::h5::File &f, const std::string &name,
                                 size_t samples, uint32_t steps, uint32_t size,
                                 std::vector<std::vector<int32_t>> &out) {
  const std::string g = "populations/" + name;
  if (!f.exists(g))
    return snnrt::Status::error(f.path() + ": no population '" + name + "'");
  std::vector<uint64_t> ptr;
  std::vector<uint32_t> step, neuron, count;
  SNNRT_TRY(f.read(g + "/sample_ptr", ptr));
  SNNRT_TRY(f.read(g + "/step", step));
  SNNRT_TRY(f.read(g + "/neuron", neuron));
  if (f.exists(g + "/count"))
    SNNRT_TRY(f.read(g + "/count", count));
  if (ptr.size() < samples + 1)
    return snnrt::Status::error(f.path() + ": " + g + " has " +
                                std::to_string(ptr.size() - 1) + " samples");
  out.assign(samples, std::vector<int32_t>(size_t(steps) * size, 0));
  for (size_t n = 0; n < samples; ++n)
    for (uint64_t k = ptr[n]; k < ptr[n + 1] && k < step.size(); ++k) {
      if (step[k] >= steps || neuron[k] >= size)
        return snnrt::Status::error(f.path() + ": " + g + ": event (step " +
                                    std::to_string(step[k]) + ", neuron " +
                                    std::to_string(neuron[k]) +
                                    ") outside the plan's " +
                                    std::to_string(steps) + " x " +
                                    std::to_string(size));
      out[n][size_t(step[k]) * size + neuron[k]] =
          k < count.size() ? int32_t(count[k]) : 1;
    }
  return snnrt::Status::ok();
}

/// Xylo takes input events, at most this many per channel and step (Rockpool
/// syns61201, SNN-X1).
constexpr int64_t kXyloMaxInputEvents = 15;

/// The dataset XyloSim is fed: the plan's integer inputs x (SNN-I2, with the
/// plan's input scale) as event counts. Xylo has no graded input, so an x
/// outside [0, 15] cannot be sent: the reason names the sample, step and
/// channel.
snnrt::Expected<snnrt::Dataset> xyloInputs(const snnrt::Dataset &data,
                                           double scale, size_t samples,
                                           uint32_t steps) {
  snnrt::Dataset d;
  d.kind = snnrt::InputKind::Spikes;
  d.dtSeconds = data.dtSeconds;
  d.steps = steps;
  d.channels = data.channels;
  d.numClasses = std::max<uint32_t>(data.numClasses, 1);
  d.source = "snnc verify --vendor xylosim";
  d.labels.assign(data.labels.begin(), data.labels.begin() + samples);
  d.eventOffsets.push_back(0);
  std::vector<int64_t> x;
  for (size_t n = 0; n < samples; ++n) {
    x.assign(size_t(steps) * data.channels, 0);
    auto put = [&](uint32_t t, uint32_t c, double value) {
      if (t < steps && c < data.channels)
        x[size_t(t) * data.channels + c] =
            snnrt::intmath::inputValue(scale, value);
    };
    if (data.kind == snnrt::InputKind::Frames) {
      for (uint32_t t = 0; t < std::min(steps, data.steps); ++t)
        for (uint32_t c = 0; c < data.channels; ++c)
          put(t, c,
              data.frames[(n * data.steps + t) * size_t(data.channels) + c]);
    } else {
      for (uint64_t k = data.eventOffsets[n]; k < data.eventOffsets[n + 1]; ++k)
        put(data.eventStep[k], data.eventChannel[k], data.eventCount[k]);
    }
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < data.channels; ++c) {
        const int64_t v = x[size_t(t) * data.channels + c];
        if (v == 0)
          continue;
        if (v < 0 || v > kXyloMaxInputEvents)
          return snnrt::Status::error(
              "sample " + std::to_string(n) + ", step " + std::to_string(t) +
              ", channel " + std::to_string(c) + ": input " +
              std::to_string(v) + " (after the plan's input scale " +
              llvm::formatv("{0}", scale).str() +
              "), but Xylo takes 0 to " +
              std::to_string(kXyloMaxInputEvents) +
              " input events per channel and step");
        d.eventStep.push_back(t);
        d.eventChannel.push_back(c);
        d.eventCount.push_back(float(v));
      }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

/// tools/snn-vendor/xylo_run.py of this source tree unless given.
std::string xyloBridge(const VerifyOptions &opts) {
  return opts.vendorBridge.empty()
             ? std::string(SNNC_SOURCE_DIR "/tools/snn-vendor/xylo_run.py")
             : opts.vendorBridge;
}

/// The Rockpool export `snnc compile --target xylo-audio` writes next to the
/// plan: the one `<name>.xylo.npz` of the plan's folder (preferring the
/// plan's network name) and its `<name>.xylo.json`. Empty when absent.
std::pair<std::string, std::string> xyloExport(const VerifyOptions &opts,
                                               const snnrt::Plan &plan,
                                               std::string &why) {
  llvm::SmallString<256> dir(opts.plan);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  std::vector<std::string> found;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).ends_with(".xylo.npz"))
      found.push_back(it->path());
  std::sort(found.begin(), found.end());
  std::string spec;
  for (const std::string &f : found)
    if (llvm::sys::path::filename(f) == plan.name + ".xylo.npz")
      spec = f;
  if (spec.empty() && found.size() == 1)
    spec = found.front();
  if (spec.empty()) {
    why = found.empty() ? "no .xylo.npz next to " + opts.plan +
                              " (snnc compile --target xylo-audio writes it)"
                        : "several .xylo.npz next to " + opts.plan +
                              " and none named " + plan.name + ".xylo.npz";
    return {};
  }
  std::string meta = spec.substr(0, spec.size() - 4) + ".json";
  if (!llvm::sys::fs::exists(meta)) {
    why = "no " + meta + " next to " + spec +
          " (the map of Xylo's neurons to the plan's)";
    return {};
  }
  return {spec, meta};
}

/// Level 5 for Xylo: the exported specification run by Rockpool's XyloSim
/// against the plan: the spike count of every hidden neuron (relays are
/// snnc's delay rings and are not in the plan: they are checked through the
/// neurons they feed), the output neurons' spikes and Vmem_out, every step
/// of every sample, and the accuracy XyloSim's readout gives.
VerifyLevel checkAgainstXylo(const VerifyOptions &opts, const VerifyInputs &in,
                             size_t samples, llvm::raw_ostream &progress,
                             VerifyReport &report) {
  VerifyLevel level{5, "XyloSim (Rockpool) vs plan", LevelStatus::Skipped, ""};
  const snnrt::Plan &plan = in.plan;
  if (!llvm::sys::fs::can_execute(opts.vendorPython)) {
    level.detail = "skipped: no vendors python at " + opts.vendorPython +
                   " (scripts/snnc-setup vendors, or --vendor-python)";
    return level;
  }
  // XyloSim's integer arithmetic is its own (SNN-X*); a plan under snnc's or
  // Lava's rules cannot equal it.
  if (plan.arithmetic != snnrt::intmath::Arithmetic::XyloIaf) {
    level.detail = std::string("skipped: the plan's arithmetic is ") +
                   (plan.arithmetic == snnrt::intmath::Arithmetic::Snnc
                        ? "snnc's"
                        : "Lava's") +
                   "; XyloSim runs xylo-iaf plans (target xylo-audio)";
    return level;
  }
  if (!llvm::sys::fs::exists(xyloBridge(opts))) {
    level.detail = "skipped: no bridge at " + xyloBridge(opts);
    return level;
  }
  std::string why;
  auto [spec, meta] = xyloExport(opts, plan, why);
  if (spec.empty()) {
    level.status = LevelStatus::Fail;
    level.detail = why;
    return level;
  }
  const size_t n = std::min<size_t>(samples, size_t(opts.vendorSamples));
  const uint32_t T = plan.steps;
  VendorScratch scratch;
  if (!scratch.create("snnc-verify-xylo", "xylosim")) {
    level.status = LevelStatus::Fail;
    level.detail = "cannot create a temporary folder";
    return level;
  }
  const std::string &inputs = scratch.inputs, &out = scratch.out,
                    &log = scratch.log;
  auto fail = [&](const std::string &why) {
    level.status = LevelStatus::Fail;
    level.detail = why;
    return level;
  };
  double scale = 1.0;
  bool hasInput = false;
  for (const snnrt::PlanPopulation &pop : plan.populations)
    if (pop.kind == "input") {
      scale = pop.scale;
      hasInput = true;
    }
  if (!hasInput)
    return fail("the plan has no input population");
  auto data = xyloInputs(in.data, scale, n, T);
  if (!data)
    return fail(data.status().message());
  if (auto st = snnrt::writeDataset(inputs, *data); !st)
    return fail(st.message());
  progress << "verify: level 5 (XyloSim, " << n << " samples x " << T
           << " steps)\n";
  progress.flush();
  const std::string bridge = xyloBridge(opts);
  const std::string samplesArg = std::to_string(n), stepsArg = std::to_string(T);
  llvm::SmallVector<llvm::StringRef, 12> args = {
      opts.vendorPython, bridge,   spec,    inputs,   out, "--meta",
      meta,              "--samples", samplesArg, "--steps", stepsArg,
      "--quiet"};
  if (std::string why = runVendorScript(opts, args, log, "the XyloSim bridge");
      !why.empty())
    return fail(why);
  auto exec = snnrt::PlanExecutor::create(plan);
  if (!exec)
    return fail(exec.status().message());
  auto file = snnrt::h5::File::openRead(out);
  if (!file)
    return fail(file.status().message());
  auto planTraces = runPlanSamples(**exec, in.data, n);
  if (!planTraces)
    return fail(planTraces.status().message());
  std::vector<snnrt::IntTrace> &traces = *planTraces;
  auto difference = [&](size_t sample, const std::string &pop, size_t neuron,
                        size_t step, const std::string &what, int64_t xylo,
                        int64_t snnc) {
    return firstDifference("XyloSim", sample, pop, neuron, step, what, xylo,
                           snnc);
  };
  uint64_t countsCompared = 0, xyloSpikes = 0, statesCompared = 0;
  size_t xyloCorrect = 0, planCorrect = 0;
  bool readoutCompared = false;
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const snnrt::PlanPopulation &pop = plan.populations[p];
    if (pop.kind == "input")
      continue;
    const uint32_t size = pop.size;
    if (pop.kind == "lif") {
      std::vector<std::vector<int32_t>> xylo;
      if (auto st = readRecordedCounts(*file, pop.name, n, T, size, xylo); !st)
        return fail(st.message());
      for (size_t s = 0; s < n; ++s)
        for (size_t k = 0; k < size_t(T) * size; ++k) {
          const int64_t mine = traces[s].output[p][k];
          xyloSpikes += uint64_t(xylo[s][k]);
          if (xylo[s][k] != mine)
            return fail(difference(s, pop.name, k % size, k / size,
                                   "spike count", xylo[s][k], mine));
        }
      countsCompared += uint64_t(n) * T * size;
      continue;
    }
    if (pop.kind != "li")
      return fail("population '" + pop.name + "' is of kind '" + pop.kind +
                  "', which level 5 for Xylo does not know");
    // The li readout: Xylo's output neurons never fire (threshold 32767);
    // their Vmem_out after each step is the plan's readout state.
    std::vector<int32_t> v;
    std::vector<uint64_t> shape;
    if (auto st = file->read("readout/vmem", v, &shape); !st)
      return fail(st.message());
    if (shape.size() != 3 || shape[0] < n || shape[1] != T || shape[2] != size)
      return fail(out + ": /readout/vmem has an unexpected shape");
    for (size_t s = 0; s < n; ++s) {
      std::vector<int64_t> states(size_t(T) * size);
      for (size_t k = 0; k < states.size(); ++k) {
        states[k] = v[s * size_t(T) * size + k];
        const int64_t mine = traces[s].readout[p][k];
        if (states[k] != mine)
          return fail(difference(s, pop.name, k % size, k / size, "Vmem_out",
                                 states[k], mine));
      }
      const int label = in.data.labels[s];
      xyloCorrect += snnrt::classifyReadout(states, pop.weightScale, T,
                                            plan.arithmetic) == label;
      planCorrect += (*exec)->predictClass(traces[s]) == label;
    }
    statesCompared += uint64_t(n) * T * size;
    readoutCompared = true;
  }
  level.status = LevelStatus::Pass;
  level.detail = std::to_string(countsCompared) +
                 " neuron-steps of spike counts (" +
                 std::to_string(xyloSpikes) + " spikes)";
  if (readoutCompared) {
    level.detail += " and " + std::to_string(statesCompared) +
                    " readout states (Vmem_out)";
    report.vendor = "xylosim";
    report.vendorSamples = n;
    report.vendorAccuracy = n ? double(xyloCorrect) / n : 0;
    report.vendorPlanAccuracy = n ? double(planCorrect) / n : 0;
  }
  level.detail += " equal to XyloSim's over " + std::to_string(n) + " samples";
  return level;
}

} // namespace

VerifyReport snnc::verifyDeployment(const VerifyOptions &opts,
                                    llvm::raw_ostream &progress) {
  VerifyReport report;
  auto inputs = readInputs(opts);
  if (!inputs) {
    report.error = inputs.status().message();
    report.errorIsIo = inputs.status().kind() == snnrt::ErrorKind::Io;
    return report;
  }
  const VerifyInputs &in = *inputs;
  const size_t samples = opts.samples > 0
                             ? std::min<size_t>(opts.samples, in.data.size())
                             : in.data.size();
  report.samples = samples;

  DialectRegistry registry;
  registerSnncDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  progress << "verify: level 1 (round trips)\n";
  report.levels.push_back(checkRoundTrips(in.model, context));

  progress << "verify: level 2 (plan vs flat quantised network, " << samples
           << " samples)\n";
  progress.flush();
  std::vector<snnrt::IntTrace> planTraces;
  report.levels.push_back(checkPlanAgainstFlat(
      in, samples, planWeightBits(opts, in.plan), context, planTraces, report));

  report.levels.push_back(
      checkCudaAgainstCpu(opts, in, samples, planTraces, progress));

  progress << "verify: level 4 (float model vs plan)\n";
  progress.flush();
  report.levels.push_back(
      checkFloatAgainstPlan(opts, in, samples, planTraces, report));

  if (opts.vendor == "lava")
    report.levels.push_back(checkAgainstLava(
        opts, in, samples, planWeightBits(opts, in.plan), context, progress,
        report));
  else if (opts.vendor == "xylosim")
    report.levels.push_back(
        checkAgainstXylo(opts, in, samples, progress, report));
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
  if (!r.vendor.empty() && r.vendorAccuracy >= 0)
    os << llvm::format("level 5 on its %zu samples: %s %.2f%%, plan %.2f%%\n",
                       r.vendorSamples, r.vendor.c_str(),
                       100 * r.vendorAccuracy, 100 * r.vendorPlanAccuracy);
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
  llvm::json::Object out{{"verified", r.exactLevelsPassed()},
                         {"samples", int64_t(r.samples)},
                         {"levels", std::move(levels)},
                         {"layers", std::move(layers)},
                         {"float_accuracy", r.floatAccuracy},
                         {"flat_accuracy", r.flatAccuracy},
                         {"plan_accuracy", r.planAccuracy}};
  if (!r.vendor.empty())
    out["vendor"] = llvm::json::Object{
        {"name", r.vendor},
        {"samples", int64_t(r.vendorSamples)},
        {"accuracy", r.vendorAccuracy >= 0 ? llvm::json::Value(r.vendorAccuracy)
                                           : llvm::json::Value(nullptr)},
        {"plan_accuracy", r.vendorPlanAccuracy}};
  return out;
}

/// Text for HTML: the details quote file names and model text.
static std::string htmlEscape(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

void snnc::printVerifyReportHTML(const VerifyReport &r, llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>snnc "
        "verify</title>\n<style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:4px 8px;text-align:left}.PASS{color:#070}.FAIL{color:#b00;"
        "font-weight:bold}.SKIP,.INFO{color:#777}</style></head><body>\n";
  os << "<h1>snnc verify</h1>\n<p>"
     << (r.exactLevelsPassed() ? "verified: every exact level passed"
                               : "<b>NOT verified</b>: an exact level failed")
     << " (" << r.samples << " samples)</p>\n";
  os << "<table><tr><th>level</th><th>check</th><th>result</th>"
        "<th>detail</th></tr>\n";
  for (const auto &l : r.levels)
    os << "<tr><td>" << l.level << "</td><td>" << htmlEscape(l.name)
       << "</td><td class='" << statusName(l.status) << "'>"
       << statusName(l.status) << "</td><td>" << htmlEscape(l.detail)
       << "</td></tr>\n";
  os << "</table>\n";
  os << "<h2>Accuracy</h2>\n<table><tr><th>model</th><th>samples</th>"
        "<th>accuracy</th></tr>\n";
  auto row = [&](const std::string &what, size_t n, double accuracy) {
    os << "<tr><td>" << htmlEscape(what) << "</td><td>" << n << "</td><td>"
       << llvm::format("%.2f %%", 100 * accuracy) << "</td></tr>\n";
  };
  row("float model", r.samples, r.floatAccuracy);
  row("flat quantised network", r.samples, r.flatAccuracy);
  row("plan", r.samples, r.planAccuracy);
  if (!r.vendor.empty() && r.vendorAccuracy >= 0) {
    row("plan (level 5's samples)", r.vendorSamples, r.vendorPlanAccuracy);
    row(r.vendor + " (level 5)", r.vendorSamples, r.vendorAccuracy);
  }
  os << "</table>\n";
  if (!r.layers.empty()) {
    os << "<h2>Spike agreement, float model vs plan</h2>\n<table><tr>"
          "<th>population</th><th>agreement</th><th>float spikes</th>"
          "<th>plan spikes</th></tr>\n";
    for (const auto &l : r.layers)
      os << "<tr><td>" << htmlEscape(l.population) << "</td><td>"
         << llvm::format("%.2f %%", 100 * l.agreement) << "</td><td>"
         << l.floatSpikes << "</td><td>" << l.planSpikes << "</td></tr>\n";
    os << "</table>\n";
  }
  os << "</body></html>\n";
}
