//===- Compile.cpp - import -> lower -> map -> plan + report --------------===//

#include "snnc/Compile/Compile.h"
#include "snnc/Compile/XyloExport.h"

#include "PlanFromSystem.h"

#include "snn/SNNDialect.h"
#include "snnc/Conversion/MapToCores.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/Import/IntNetworkExport.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Pipelines/Pipelines.h"
#include "snnc/Report/Report.h"
#include "snnc/Target/Target.h"
#include "snnc/Transforms/Passes.h"
#include "snnhw/SNNHWDialect.h"
#include "snnrt/base/Clock.h"
#include "snnrt/base/FileKind.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/NetxFile.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanRun.h"
#include "snnrt/train/Engine.h"
#include "snnrt/train/ModelRun.h"
#include "snnrt/train/TrainingHistory.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include "llvm/Support/FormatVariadic.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <optional>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace snnc;

namespace {

using snnrt::steadyNow;
using snnrt::SteadyTime;

/// Wall time of every pass, so the report shows where compile time goes.
struct PassTimer : public PassInstrumentation {
  std::vector<StageTime> *out;
  std::vector<SteadyTime> started;
  explicit PassTimer(std::vector<StageTime> *out) : out(out) {}
  void runBeforePass(Pass *, Operation *) override {
    started.push_back(steadyNow());
  }
  void runAfterPass(Pass *pass, Operation *) override { record(pass); }
  void runAfterPassFailed(Pass *pass, Operation *) override { record(pass); }
  void record(Pass *pass) {
    double s = snnrt::secondsSince(started.back());
    started.pop_back();
    // Pipeline adaptors (nesting on snn.network) have no argument.
    if (!pass->getArgument().empty())
      out->push_back({pass->getArgument().str(), s});
  }
};

CompileResult fail(CompileOutcome outcome, std::string message) {
  CompileResult r;
  r.outcome = outcome;
  r.message = std::move(message);
  return r;
}

/// Relative RMS error of the integer weights against the float ones
/// (SNN-I9: W ≈ w · u_b / q_a), per projection of the quantised module.
std::vector<LayerQuantError> quantErrors(snn::NetworkOp floatNet,
                                         snn::NetworkOp intNet) {
  std::vector<LayerQuantError> out;
  SymbolTable floatSymbols(floatNet);
  auto inputUnit = [&](StringRef name) -> double {
    auto fIn = dyn_cast_or_null<snn::InputOp>(floatSymbols.lookup(name));
    auto qIn = dyn_cast_or_null<snn::InputOp>(
        SymbolTable::lookupSymbolIn(intNet, name));
    if (!fIn || !qIn)
      return 1.0;
    return fIn.getScale().convertToDouble() / qIn.getScale().convertToDouble();
  };
  for (auto proj : intNet.getOps<snn::ProjectionOpInterface>()) {
    auto floatProj = dyn_cast_or_null<snn::ProjectionOpInterface>(
        floatSymbols.lookup(proj.getSymName()));
    if (!floatProj)
      continue;
    std::optional<ElementsAttr> weightScale = proj.getWeightScale();
    SmallVector<float> fw, scale;
    SmallVector<int64_t> iw;
    if (failed(snn::getElementValues<float>(floatProj.getWeight(), fw)) ||
        failed(snn::getIntegerValues(proj.getWeight(), iw)) || !weightScale ||
        failed(snn::getElementValues<float>(*weightScale, scale)) ||
        fw.size() != iw.size())
      continue;
    // A mantissa w stands for w · 2^weight_exp · weight_scale (SNN-V26).
    double q = std::ldexp(inputUnit(proj.getSource()),
                          -static_cast<int>(proj.getWeightExp().value_or(0)));
    // Target row of every entry: dense rows of `cols`, or CSR rows.
    SmallVector<int64_t> rowOf(iw.size(), 0);
    SmallVector<bool> mask;
    if (auto sparse = dyn_cast<snn::SparseProjectionOp>(*proj)) {
      SmallVector<int64_t> ptr;
      if (failed(snn::getIntegerValues(sparse.getRowPtr(), ptr)))
        continue;
      for (size_t b = 0; b + 1 < ptr.size(); ++b)
        for (int64_t k = ptr[b]; k < ptr[b + 1]; ++k)
          rowOf[k] = int64_t(b);
    } else {
      auto dense = cast<snn::ProjectionOp>(*proj);
      int64_t cols = cast<ShapedType>(dense.getWeight().getType()).getDimSize(1);
      for (size_t k = 0; k < iw.size(); ++k)
        rowOf[k] = int64_t(k) / cols;
      if (auto m = dense.getMask())
        (void)snn::getElementValues<bool>(*m, mask);
    }
    // Xylo: weights into a CuBa neuron carry 1 / (1 − 2^−dash_syn), the
    // gain its current loses to SNN-X6 (SNN-X14); undo it per target row.
    SmallVector<int64_t> gainDash;
    if (intNet.isXyloIaf()) {
      auto floatTarget = dyn_cast_or_null<snn::NeuronPopulationOpInterface>(
          floatSymbols.lookup(proj.getTarget()));
      auto intTarget = dyn_cast_or_null<snn::NeuronPopulationOpInterface>(
          SymbolTable::lookupSymbolIn(intNet, proj.getTarget()));
      if (floatTarget && intTarget && floatTarget.hasSynapticCurrent() &&
          intTarget.getIDecay())
        (void)snn::getPerNeuronIntegers(intTarget.getIDecayPerNeuron(),
                                        int64_t(*intTarget.getIDecay()),
                                        intTarget.getSize(), gainDash);
    }
    LayerQuantError e;
    e.projection = proj.getSymName().str();
    double err2 = 0, ref2 = 0;
    for (size_t k = 0; k < iw.size(); ++k) {
      if (!mask.empty() && !mask[k])
        continue;
      double u = scale.size() == 1 ? scale[0] : scale[rowOf[k]];
      double w = double(iw[k]) * u / q, ref = fw[k];
      if (!gainDash.empty())
        w *= 1.0 - std::ldexp(1.0, -static_cast<int>(gainDash[rowOf[k]]));
      ++e.synapses;
      err2 += (w - ref) * (w - ref);
      ref2 += ref * ref;
      e.maxAbsError = std::max(e.maxAbsError, std::abs(w - ref));
      if (ref != 0 && iw[k] == 0)
        ++e.zeroed;
    }
    e.relRmsError = ref2 > 0 ? std::sqrt(err2 / ref2) : 0;
    out.push_back(e);
  }
  return out;
}

/// Spike rates per neuron of the trained (float) network on `data`: spikes
/// per sample of lif neurons, non-zero steps per sample of input channels
/// (each one is a packet to the cores that listen to the channel).
snnrt::Status profileRates(snn::NetworkOp net, const std::string &data,
                           int64_t maxSamples,
                           std::map<std::string, std::vector<double>> &rates) {
  FailureOr<snnrt::Model> model = exportModel(net);
  if (failed(model))
    return snnrt::Status::error("--data: the network cannot be simulated "
                                "in float (see the diagnostic above)");
  snnrt::Expected<snnrt::Dataset> dataset = snnrt::readDataset(data);
  if (!dataset)
    return dataset.status();
  auto engine = snnrt::Engine<float>::create(*model, snnrt::EngineOptions());
  if (!engine)
    return engine.status();
  (*engine)->setTraining(false);
  size_t n = std::min<size_t>(dataset->size(), size_t(maxSamples));
  if (n == 0)
    return snnrt::Status::error(data + ": the dataset holds no samples");
  std::vector<std::pair<std::string, size_t>> pops;
  for (Operation &op : net.getBodyBlock())
    if (isa<snn::InputOp, snn::LIFOp>(op)) {
      auto population = cast<snn::PopulationOpInterface>(op);
      pops.push_back(
          {population.getSymName().str(), size_t(population.getSize())});
    }
  for (size_t first = 0; first < n; first += 32) {
    std::vector<size_t> samples;
    for (size_t s = first; s < std::min(n, first + 32); ++s)
      samples.push_back(s);
    SNNRT_TRY((*engine)->setInput(*dataset, samples));
    (*engine)->forward(false);
    for (const auto &[p, neurons] : pops) {
      // [neuron][step][sample]: every (step, sample) of one neuron.
      const std::vector<float> &v = (*engine)->values(p);
      size_t perNeuron = v.size() / neurons;
      std::vector<double> &r = rates[p];
      r.resize(neurons, 0.0);
      for (size_t i = 0; i < neurons; ++i)
        for (size_t k = 0; k < perNeuron; ++k)
          r[i] += v[i * perNeuron + k] != 0 ? 1.0 : 0.0;
    }
  }
  for (auto &kv : rates)
    for (double &x : kv.second)
      x /= double(n);
  return snnrt::Status::ok();
}

/// Writes `text` to `path` (inside the staging directory).
snnrt::Status writeText(const std::string &path,
                        llvm::function_ref<void(llvm::raw_ostream &)> fn) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return snnrt::Status::error(path + ": " + ec.message(),
                                snnrt::ErrorKind::Io);
  fn(os);
  os.close();
  if (os.has_error())
    return snnrt::Status::error(path + ": write failed",
                                snnrt::ErrorKind::Io);
  return snnrt::Status::ok();
}

/// Removes the staging directory on every exit path.
struct Staging {
  std::string dir;
  ~Staging() { remove(); }
  void remove() {
    if (dir.empty())
      return;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      llvm::sys::fs::remove(it->path());
    llvm::sys::fs::remove(dir);
    dir.clear();
  }
};

CompileOutcome outcomeOf(const snnrt::Status &status,
                         CompileOutcome otherwise) {
  return status.kind() == snnrt::ErrorKind::Io ? CompileOutcome::Io : otherwise;
}

/// One run of `snnc compile`, phase by phase. Each phase returns an error
/// result or std::nullopt; the staging directory and a newly created output
/// directory are removed on every failure.
class Compilation {
public:
  Compilation(const CompileOptions &opts, llvm::raw_ostream &progress)
      : opts(opts), progress(progress), start(steadyNow()) {}

  CompileResult run();

private:
  using Step = std::optional<CompileResult>;

  Step resolveTarget();
  Step createStaging();
  Step importInput();
  Step profile();
  Step measureAccuracy();
  void measureQuantisation();
  Step lowerAndMap();
  Step writeOutputs(CompileResult &result);
  void writeNetxFile(CompileResult &result);
  Step writeXyloFiles(CompileResult &result);
  Step writeReport(CompileResult &result);
  Step commit();

  CompileResult failWith(CompileOutcome outcome, std::string message) {
    staging.remove();
    if (createdOutDir)
      llvm::sys::fs::remove(opts.outDir); // only removes an empty directory
    return fail(outcome, std::move(message));
  }
  CompileResult doesNotFit() {
    return failWith(CompileOutcome::DoesNotFit,
                    "the network does not fit target '" + target.name +
                        "' (see the diagnostic above)");
  }
  void stage(const char *name, SteadyTime t) {
    double s = snnrt::secondsSince(t);
    timings.push_back({name, s});
    progress << llvm::format("  %-10s %8.3f s\n", name, s);
    progress.flush();
  }

  const CompileOptions &opts;
  llvm::raw_ostream &progress;
  SteadyTime start, lowerStart;
  std::vector<StageTime> timings;

  Target target;
  LoweringOptions lowering;
  bool createdOutDir = false;
  Staging staging;
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<llvm::SourceMgr> sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> diagnostics;
  OwningOpRef<ModuleOp> module;
  std::map<std::string, std::vector<double>> rates;
  std::string profilePath;
  /// The float network as imported (for the accuracy stage) and the
  /// learning curve of a model file.
  std::optional<snnrt::Model> floatModel;
  std::optional<AccuracySummary> accuracy;
  std::optional<TrainingCurve> training;
  std::vector<LayerQuantError> layerErrors;
  std::optional<snnrt::Plan> plan;
  /// The unmapped integer network (no relays), kept for the NetX export.
  std::optional<snnrt::IntNetwork> flatNetwork;
  std::string netxName; ///< the NetX file written into staging, if any
  /// The Rockpool specification and its metadata in staging (xylo-iaf).
  std::string xyloName, xyloMetaName;
};

/// The target, and the lowering options derived from it with the
/// `--weight-bits` override.
Compilation::Step Compilation::resolveTarget() {
  llvm::Expected<Target> loaded = loadTarget(opts.target);
  if (!loaded)
    return fail(CompileOutcome::BadInput,
                "--target: " + llvm::toString(loaded.takeError()));
  target = std::move(*loaded);
  if (!snnhw::symbolizePartitioner(opts.strategy))
    return fail(CompileOutcome::BadInput,
                "--strategy must be metis or sequential");
  lowering = loweringOptionsFor(target);
  if (opts.weightBits)
    lowering.weightBits = opts.weightBits;
  if (lowering.weightBits > target.weightBits)
    return fail(CompileOutcome::BadInput,
                "--weight-bits " + std::to_string(lowering.weightBits) +
                    " exceeds the " + std::to_string(target.weightBits) +
                    "-bit weights of target '" + target.name + "'");
  if (lowering.weightBits < 2)
    return fail(CompileOutcome::BadInput, "--weight-bits must be >= 2");
  return std::nullopt;
}

/// A staging directory inside DIR: renames into DIR are then atomic.
Compilation::Step Compilation::createStaging() {
  createdOutDir = !llvm::sys::fs::exists(opts.outDir);
  if (std::error_code ec = llvm::sys::fs::create_directories(opts.outDir))
    return fail(CompileOutcome::Io,
                "--out " + opts.outDir + ": " + ec.message());
  staging.dir = opts.outDir + "/.snnc-compile-" + std::to_string(::getpid());
  if (std::error_code ec = llvm::sys::fs::create_directories(staging.dir))
    return fail(CompileOutcome::Io, staging.dir + ": " + ec.message());
  return std::nullopt;
}

Compilation::Step Compilation::importInput() {
  DialectRegistry registry;
  registerSnncDialects(registry);
  registry.insert<snnhw::SNNHWDialect>();
  context = std::make_unique<MLIRContext>(registry);
  context->loadDialect<snn::SNNDialect, snnhw::SNNHWDialect>();
  // "file:line:col: error: ..." with the source line, like snn-opt.
  sourceMgr = std::make_unique<llvm::SourceMgr>();
  diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(*sourceMgr, context.get());

  progress << "snnc compile: " << opts.input << " -> " << opts.outDir
           << " (target " << target.name << ")\n";
  auto t = steadyNow();
  if (auto status = importNetworkFile(opts.input, opts.nir, *context, module);
      !status)
    return failWith(outcomeOf(status, CompileOutcome::BadInput),
                    status.message());
  if (getNetworks(*module).size() != 1)
    return failWith(CompileOutcome::BadInput,
                    opts.input + ": expected exactly one snn.network");
  stage("import", t);
  if (failed(checkChipLimits(getNetworks(*module)[0], target)))
    return doesNotFit();
  // A model file from `snnc train` records its learning curve; the report
  // draws it.
  if (snnrt::fileKind(opts.input) == snnrt::FileKind::Model) {
    auto history = snnrt::readTrainingHistory(opts.input);
    if (!history)
      return failWith(outcomeOf(history.status(), CompileOutcome::BadInput),
                      history.status().message());
    if (*history) {
      const snnrt::TrainingHistory &h = **history;
      TrainingCurve c;
      c.epoch = h.epoch;
      c.train = h.trainAccuracy;
      c.validation = h.valAccuracy;
      c.test = h.testAccuracy;
      c.seconds = h.seconds;
      c.keptEpoch = h.keptEpoch;
      training = std::move(c);
    }
  }
  return std::nullopt;
}

/// Spike rates of the network as trained, written to profile.json for the
/// mapping.
Compilation::Step Compilation::profile() {
  if (opts.data.empty())
    return std::nullopt;
  auto t = steadyNow();
  if (FailureOr<snnrt::Model> m = exportModel(getNetworks(*module)[0]);
      succeeded(m))
    floatModel = std::move(*m);
  if (auto status = profileRates(getNetworks(*module)[0], opts.data,
                                 opts.profileSamples, rates);
      !status)
    return failWith(outcomeOf(status, CompileOutcome::BadInput),
                    "--data: " + status.message());
  llvm::json::Object r;
  for (auto &kv : rates) {
    llvm::json::Array a;
    for (double x : kv.second)
      a.push_back(x);
    r[kv.first] = std::move(a);
  }
  profilePath = staging.dir + "/profile.json";
  if (auto status = writeText(profilePath,
                              [&](llvm::raw_ostream &os) {
                                os << llvm::json::Value(llvm::json::Object{
                                    {"rates", std::move(r)}});
                              });
      !status)
    return failWith(CompileOutcome::Io, status.message());
  stage("profile", t);
  return std::nullopt;
}

/// The trained network's accuracy next to the plan's, on the samples the
/// profile ran: what a user asks first about a deployment.
Compilation::Step Compilation::measureAccuracy() {
  if (opts.data.empty() || !floatModel)
    return std::nullopt;
  auto t = steadyNow();
  auto data = snnrt::readDataset(opts.data);
  if (!data)
    return failWith(outcomeOf(data.status(), CompileOutcome::BadInput),
                    "--data: " + data.status().message());
  snnrt::RunOptions run;
  run.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  run.maxSamples = size_t(opts.profileSamples);
  auto f = snnrt::runModelOnDataset(*floatModel, *data, run);
  if (!f)
    return failWith(outcomeOf(f.status(), CompileOutcome::BadInput),
                    "--data: " + f.status().message());
  auto q = snnrt::runPlanOnDataset(*plan, *data, run);
  if (!q)
    return failWith(outcomeOf(q.status(), CompileOutcome::BadInput),
                    "--data: " + q.status().message());
  AccuracySummary a;
  a.data = opts.data;
  a.samples = int64_t(q->samples);
  a.floatAccuracy = f->accuracy;
  a.planAccuracy = q->accuracy;
  accuracy = a;
  stage("accuracy", t);
  return std::nullopt;
}

/// Quantisation error against the float reference: the float preparation
/// and the lowering without relays (which reroute synapses), on clones.
void Compilation::measureQuantisation() {
  OwningOpRef<ModuleOp> intRef = module->clone();
  LoweringOptions withoutRelays = lowering;
  withoutRelays.maxDelay = 0;
  PassManager intPm(context.get());
  populateLoweringPipeline(intPm, withoutRelays);
  // Its diagnostics would repeat the pipeline's below; stay quiet here.
  ScopedDiagnosticHandler quiet(context.get(),
                                [](Diagnostic &) { return success(); });
  if (failed(intPm.run(*intRef)))
    return;
  if (lowering.arithmetic == snn::Arithmetic::lava_cuba)
    if (FailureOr<snnrt::IntNetwork> flat =
            exportIntNetwork(getNetworks(*intRef)[0]);
        succeeded(flat))
      flatNetwork = std::move(*flat);
  OwningOpRef<ModuleOp> floatRef = module->clone();
  PassManager floatPm(context.get());
  populateFloatPreparationPipeline(floatPm, lowering);
  if (failed(floatPm.run(*floatRef)))
    return;
  layerErrors = quantErrors(getNetworks(*floatRef)[0], getNetworks(*intRef)[0]);
}

/// The lowering pipeline (exactly `snn-lower{target=...}`), then mapping.
Compilation::Step Compilation::lowerAndMap() {
  PassManager lowerPm(context.get());
  lowerPm.addInstrumentation(std::make_unique<PassTimer>(&timings));
  populateLoweringPipeline(lowerPm, lowering);
  if (failed(lowerPm.run(*module)))
    return doesNotFit();
  if (!opts.loweredPath.empty())
    if (auto status = writeText(opts.loweredPath,
                                [&](llvm::raw_ostream &os) {
                                  module->print(os);
                                  os << "\n"; // as snn-opt prints it
                                });
        !status)
      return failWith(CompileOutcome::Io, status.message());
  PassManager mapPm(context.get());
  mapPm.addInstrumentation(std::make_unique<PassTimer>(&timings));
  MapToCoresPassOptions map;
  map.target = opts.target;
  map.strategy = *snnhw::symbolizePartitioner(opts.strategy);
  map.profile = profilePath;
  mapPm.addPass(createMapToCoresPass(map));
  if (failed(mapPm.run(*module)))
    return doesNotFit();
  stage("lower+map", lowerStart);
  return std::nullopt;
}

/// net.snnhw.mlir and plan.h5, staged.
/// <name>.netx.h5 for Lava (lava-cuba targets), staged; a network NetX
/// cannot express gets a note instead, and the compile still succeeds.
void Compilation::writeNetxFile(CompileResult &result) {
  if (!flatNetwork) {
    result.netxNote = "no NetX file: the unmapped network could not be "
                      "exported";
    return;
  }
  std::string name = flatNetwork->name.empty() ? "net" : flatNetwork->name;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      c = '_';
  name += ".netx.h5";
  if (auto status = snnrt::writeNetx(staging.dir + "/" + name, *flatNetwork);
      !status) {
    result.netxNote = "no NetX file: " + status.message();
    return;
  }
  netxName = name;
  result.netxFile = opts.outDir + "/" + name;
}

/// <name>.xylo.npz + <name>.xylo.json for Rockpool's XyloSim (xylo-iaf
/// targets), staged. As for NetX, a plan the specification cannot express
/// (a lif output instead of an li readout, weights no shift carries; the
/// mapper already refused Xylo's sizes, HW-V16) gets a note instead, and
/// the compile still succeeds: plan.h5 runs in snnc's executors.
Compilation::Step Compilation::writeXyloFiles(CompileResult &result) {
  auto spec = xyloSpecFromPlan(*plan);
  if (!spec) {
    result.xyloNote = "no Rockpool specification: " + spec.status().message();
    return std::nullopt;
  }
  std::string name = plan->name.empty() ? "net" : plan->name;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      c = '_';
  if (auto status = writeXyloSpec(*spec, staging.dir + "/" + name + ".xylo.npz",
                                  staging.dir + "/" + name + ".xylo.json");
      !status)
    return failWith(CompileOutcome::Io, status.message());
  xyloName = name + ".xylo.npz";
  xyloMetaName = name + ".xylo.json";
  result.xyloFile = opts.outDir + "/" + xyloName;
  result.xyloMetaFile = opts.outDir + "/" + xyloMetaName;
  result.xyloNote = std::to_string(spec->hidden) + " hidden neurons (" +
                    std::to_string(spec->relays.size) + " relays), shifts " +
                    std::to_string(spec->shiftIn) + "/" +
                    std::to_string(spec->shiftRec) + "/" +
                    std::to_string(spec->shiftOut);
  return std::nullopt;
}

Compilation::Step Compilation::writeOutputs(CompileResult &result) {
  auto t = steadyNow();
  auto systems = llvm::to_vector(module->getOps<snnhw::SystemOp>());
  if (systems.size() != 1)
    return failWith(CompileOutcome::Internal,
                    "mapping produced no snnhw.system");
  FailureOr<snnrt::Plan> read = planFromSystem(systems[0]);
  if (failed(read))
    return failWith(CompileOutcome::Internal,
                    "the mapped system could not be read back");
  plan = std::move(*read);
  if (auto status =
          writeText(staging.dir + "/net.snnhw.mlir",
                    [&](llvm::raw_ostream &os) { module->print(os); });
      !status)
    return failWith(CompileOutcome::Io, status.message());
  if (auto status = snnrt::writePlanFile(staging.dir + "/plan.h5", *plan);
      !status)
    return failWith(outcomeOf(status, CompileOutcome::Internal),
                    "plan.h5: " + status.message());
  if (lowering.arithmetic == snn::Arithmetic::lava_cuba)
    writeNetxFile(result);
  if (lowering.arithmetic == snn::Arithmetic::xylo_iaf)
    if (Step failed = writeXyloFiles(result))
      return failed;
  stage("write", t);
  return std::nullopt;
}

/// report.{json,txt,html}, staged; `result` receives the json and text.
Compilation::Step Compilation::writeReport(CompileResult &result) {
  ReportInputs in;
  in.plan = &*plan;
  in.target = &target;
  in.quantErrors = std::move(layerErrors);
  in.timings = timings;
  in.rates = rates;
  in.profileSource = opts.data;
  in.input = opts.input;
  in.accuracy = accuracy;
  in.training = training;
  MappingReport report = buildReport(in);
  result.report = reportToJSON(report);
  llvm::raw_string_ostream text(result.reportText);
  printReportText(report, text);
  text.flush();
  std::pair<const char *, std::function<void(llvm::raw_ostream &)>> files[] = {
      {"report.json",
       [&](llvm::raw_ostream &os) {
         os << llvm::formatv("{0:2}", result.report) << "\n";
       }},
      {"report.txt", [&](llvm::raw_ostream &os) { os << result.reportText; }},
      {"report.html",
       [&](llvm::raw_ostream &os) { printReportHTML(report, os); }},
  };
  for (auto &[name, print] : files)
    if (auto status = writeText(staging.dir + "/" + name, print); !status)
      return failWith(CompileOutcome::Io, status.message());
  return std::nullopt;
}

/// Every file exists; rename them into place.
Compilation::Step Compilation::commit() {
  for (const char *name : {"net.snnhw.mlir", "plan.h5", "report.json",
                           "report.txt", "report.html"}) {
    std::string to = opts.outDir + "/" + name;
    if (std::error_code ec =
            llvm::sys::fs::rename(staging.dir + "/" + name, to))
      return failWith(CompileOutcome::Io, to + ": " + ec.message());
  }
  for (const std::string &name : {netxName, xyloName, xyloMetaName})
    if (!name.empty())
      if (std::error_code ec = llvm::sys::fs::rename(staging.dir + "/" + name,
                                                     opts.outDir + "/" + name))
        return failWith(CompileOutcome::Io,
                        opts.outDir + "/" + name + ": " + ec.message());
  return std::nullopt;
}

CompileResult Compilation::run() {
  CompileResult result;
  for (auto phase : {&Compilation::resolveTarget, &Compilation::createStaging,
                     &Compilation::importInput, &Compilation::profile})
    if (Step failed = (this->*phase)())
      return *failed;
  lowerStart = steadyNow();
  measureQuantisation();
  if (Step failed = lowerAndMap())
    return *failed;
  if (Step failed = writeOutputs(result))
    return *failed;
  if (Step failed = measureAccuracy())
    return *failed;
  timings.push_back({"total", snnrt::secondsSince(start)});
  if (Step failed = writeReport(result))
    return *failed;
  if (Step failed = commit())
    return *failed;
  return result;
}

} // namespace

CompileResult snnc::compileNetwork(const CompileOptions &opts,
                                   llvm::raw_ostream &progress) {
  return Compilation(opts, progress).run();
}
