//===- Trainer.cpp - BPTT training loop with checkpoints ------------------===//

#include "snnrt/train/Trainer.h"
#include "snnrt/base/Hdf5File.h"
#include "snnrt/base/Random.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/CudaCollective.h"
#include "snnrt/train/CudaEngine.h"
#include "snnrt/train/Kernels.h"
#include "snnrt/train/MicroBatchPlan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>

namespace snnrt {

double oneCycleLr(double initial, double maxLr, double pctStart,
                  double finalDiv, int64_t step, int64_t total) {
  // PyTorch OneCycleLR: warm up from initial to max over pctStart of the
  // steps, then anneal to initial/finalDiv, both by half cosines.
  if (total < 2)
    return initial;
  auto anneal = [](double from, double to, double pct) {
    return to + (from - to) / 2.0 * (std::cos(M_PI * pct) + 1.0);
  };
  double end1 = pctStart * double(total) - 1.0;
  double end2 = double(total) - 1.0;
  double s = double(step);
  if (end1 > 0 && s <= end1)
    return anneal(initial, maxLr, s / end1);
  double start = std::max(end1, 0.0);
  double pct = end2 > start ? (s - start) / (end2 - start) : 1.0;
  return anneal(maxLr, initial / finalDiv, std::clamp(pct, 0.0, 1.0));
}

double oneCycleBeta1(double baseMomentum, double maxMomentum, double pctStart,
                     int64_t step, int64_t total) {
  // Mirrors oneCycleLr: max -> base while the rate warms up, then back.
  if (total < 2)
    return maxMomentum;
  auto anneal = [](double from, double to, double pct) {
    return to + (from - to) / 2.0 * (std::cos(M_PI * pct) + 1.0);
  };
  double end1 = pctStart * double(total) - 1.0;
  double end2 = double(total) - 1.0;
  double s = double(step);
  if (end1 > 0 && s <= end1)
    return anneal(maxMomentum, baseMomentum, s / end1);
  double start = std::max(end1, 0.0);
  double pct = end2 > start ? (s - start) / (end2 - start) : 1.0;
  return anneal(baseMomentum, maxMomentum, std::clamp(pct, 0.0, 1.0));
}

void updateAverage(std::vector<float> &average, const std::vector<float> &value,
                   double decay, int64_t steps) {
  if (steps == 0 || average.size() != value.size()) {
    average = value;
    return;
  }
  for (size_t i = 0; i < value.size(); ++i)
    average[i] =
        float(decay * double(average[i]) + (1.0 - decay) * double(value[i]));
}

double cosineLr(double base, int64_t step, int64_t total) {
  if (total <= 0)
    return base;
  return base * (1.0 + std::cos(M_PI * double(step) / double(total))) / 2.0;
}

double annealedSigma(double sigma0, double sigmaEnd, int64_t sigmaEpochs,
                     int64_t epoch) {
  if (sigmaEpochs <= 0 || sigma0 <= 0)
    return sigma0;
  double factor = std::pow(sigmaEnd / sigma0, 1.0 / double(sigmaEpochs));
  return sigma0 * std::pow(factor, double(std::min(epoch, sigmaEpochs)));
}

namespace {

/// The calls the training and evaluation loops make, on the CPU engine or,
/// when `gpu` is set, on the CUDA engine with the CPU engine's tensors as the
/// parameters.
struct Compute {
  Engine<float> &cpu;
  CudaEngine *gpu = nullptr;
  void setTraining(bool t) {
    cpu.setTraining(t);
    if (gpu)
      gpu->setTraining(t);
  }
  void setSigma(double s) {
    cpu.setSigma(s);
    if (gpu)
      gpu->setSigma(s);
  }
  void setDropoutSeed(uint64_t s) {
    cpu.setDropoutSeed(s);
    if (gpu)
      gpu->setDropoutSeed(s);
  }
  Status setInput(const Dataset &d, const std::vector<size_t> &idx) {
    return gpu ? gpu->setInput(d, idx) : cpu.setInput(d, idx);
  }
  Status forward(bool update) {
    if (gpu)
      return gpu->forward(cpu.params(), update);
    cpu.forward(update);
    return Status::ok();
  }
  Expected<double> loss(const std::vector<int32_t> &labels) {
    if (gpu)
      return gpu->loss(labels);
    return cpu.loss(labels);
  }
  std::vector<int32_t> predictions() const {
    return gpu ? gpu->predictions() : cpu.predictions();
  }
  Status backward(const std::vector<int32_t> &labels) {
    if (gpu)
      return gpu->backward(labels, cpu.params());
    cpu.backward(labels);
    return Status::ok();
  }
};

/// The batch's BatchNorm statistics from its micro-batches' (law of total
/// variance), in micro-batch order; with one micro-batch, its own.
/// Micro-batch k's means are at stats + k * stride, its variances nbn after.
void combineBatchNorm(const MicroBatchPlan &plan, size_t nbn,
                      const double *stats, size_t stride,
                      std::vector<double> &mean, std::vector<double> &var) {
  mean.assign(nbn, 0.0);
  var.assign(nbn, 0.0);
  for (size_t k = 0; k < plan.count; ++k) {
    const double w = plan.weight(k);
    const double *bn = stats + k * stride;
    for (size_t i = 0; i < nbn; ++i)
      mean[i] += w * bn[i];
  }
  for (size_t k = 0; k < plan.count; ++k) {
    const double w = plan.weight(k);
    const double *bn = stats + k * stride;
    for (size_t i = 0; i < nbn; ++i) {
      double d = bn[i] - mean[i];
      var[i] += w * (bn[nbn + i] + d * d);
    }
  }
}

/// evaluateWith over several ranks: the same chunks of `batch` samples as
/// one process uses, consecutive runs of them per rank, and their results
/// summed in chunk order, so every rank gets the bits one process gets.
Status evaluateSpread(Compute engine, const Dataset &data, uint32_t batch,
                      uint32_t classes, EvalResult &r, Collective &ranks) {
  engine.setTraining(false);
  r = EvalResult();
  r.samples = data.size();
  r.classes = classes;
  r.confusion.assign(size_t(classes) * classes, 0);
  const size_t chunks = (data.size() + batch - 1) / batch;
  const size_t n = size_t(ranks.size()), me = size_t(ranks.rank());
  const size_t first = chunks * me / n, last = chunks * (me + 1) / n;
  // Per chunk: loss, correct, confusion; each slot is written by one rank.
  const size_t width = 2 + r.confusion.size();
  std::vector<double> mine((last - first) * width, 0.0);
  for (size_t c = first; c < last; ++c) {
    size_t start = c * batch, end = std::min(data.size(), start + batch);
    std::vector<size_t> idx(end - start);
    std::iota(idx.begin(), idx.end(), start);
    SNNRT_TRY(engine.setInput(data, idx));
    SNNRT_TRY(engine.forward(false));
    std::vector<int32_t> labels(data.labels.begin() + start,
                                data.labels.begin() + end);
    auto loss = engine.loss(labels);
    if (!loss)
      return loss.status();
    double *slot = mine.data() + (c - first) * width;
    slot[0] = *loss;
    auto pred = engine.predictions();
    for (size_t i = 0; i < idx.size(); ++i) {
      slot[1] += pred[i] == labels[i];
      if (labels[i] >= 0 && uint32_t(labels[i]) < classes &&
          uint32_t(pred[i]) < classes)
        slot[2 + size_t(labels[i]) * classes + pred[i]] += 1;
    }
  }
  std::vector<double> all(chunks * width, 0.0);
  SNNRT_TRY(ranks.chain(all, [&](std::vector<double> &acc) {
    std::copy(mine.begin(), mine.end(), acc.begin() + first * width);
  }));
  size_t correct = 0;
  double lossSum = 0;
  for (size_t c = 0; c < chunks; ++c) {
    const double *slot = all.data() + c * width;
    size_t size = std::min(data.size(), (c + 1) * batch) - c * batch;
    lossSum += slot[0] * double(size);
    correct += size_t(slot[1]);
    for (size_t j = 0; j < r.confusion.size(); ++j)
      r.confusion[j] += uint64_t(slot[2 + j]);
  }
  r.accuracy = data.size() ? double(correct) / double(data.size()) : 0.0;
  r.loss = data.size() ? lossSum / double(data.size()) : 0.0;
  return Status::ok();
}

Status evaluateWith(Compute engine, const Dataset &data, uint32_t batch,
                    uint32_t classes, EvalResult &r,
                    const ProgressFn &progress = {},
                    Collective *ranks = nullptr) {
  if (ranks && ranks->size() > 1)
    return evaluateSpread(engine, data, batch, classes, r, *ranks);
  engine.setTraining(false);
  r = EvalResult();
  r.samples = data.size();
  r.classes = classes;
  r.confusion.assign(size_t(classes) * classes, 0);
  r.predictions.resize(data.size());
  size_t correct = 0;
  double lossSum = 0;
  for (size_t start = 0; start < data.size(); start += batch) {
    size_t end = std::min(data.size(), start + batch);
    std::vector<size_t> idx(end - start);
    std::iota(idx.begin(), idx.end(), start);
    SNNRT_TRY(engine.setInput(data, idx));
    SNNRT_TRY(engine.forward(false));
    std::vector<int32_t> labels(data.labels.begin() + start,
                                data.labels.begin() + end);
    auto loss = engine.loss(labels);
    if (!loss)
      return loss.status();
    lossSum += *loss * double(idx.size());
    auto pred = engine.predictions();
    for (size_t i = 0; i < idx.size(); ++i) {
      r.predictions[start + i] = int32_t(pred[i]);
      correct += pred[i] == labels[i];
      if (labels[i] >= 0 && uint32_t(labels[i]) < classes &&
          uint32_t(pred[i]) < classes)
        ++r.confusion[size_t(labels[i]) * classes + pred[i]];
    }
    if (progress)
      progress(end, data.size());
  }
  r.accuracy = data.size() ? double(correct) / double(data.size()) : 0.0;
  r.loss = data.size() ? lossSum / double(data.size()) : 0.0;
  return Status::ok();
}

Status checkData(const Model &m, const Dataset &d, const char *what) {
  int out = m.findPopulation(m.outputs.front());
  if (d.numClasses > m.populations[out].size)
    return Status::error(std::string(what) + " dataset has " +
                         std::to_string(d.numClasses) +
                         " classes but the readout has " +
                         std::to_string(m.populations[out].size) + " neurons");
  for (const Population &p : m.populations)
    if (p.kind == PopulationKind::Input && p.size != d.channels)
      return Status::error(std::string(what) + " dataset has " +
                           std::to_string(d.channels) +
                           " channels but input population '" + p.name +
                           "' has " + std::to_string(p.size));
  if (d.steps != m.steps)
    return Status::error(std::string(what) + " dataset has " +
                         std::to_string(d.steps) + " steps per sample, the "
                         "model " + std::to_string(m.steps));
  return Status::ok();
}

} // namespace

Expected<EvalResult> evaluate(const Model &model, const Dataset &data,
                              int threads, uint32_t batch, Device device,
                              const ProgressFn &progress) {
  SNNRT_TRY(checkData(model, data, "evaluation"));
  EngineOptions opt;
  opt.threads = threads;
  auto engine = Engine<float>::create(model, opt);
  if (!engine)
    return engine.status();
  std::unique_ptr<CudaEngine> gpu;
  if (device == Device::Cuda) {
    auto g = CudaEngine::create(model, opt);
    if (!g)
      return g.status();
    gpu = g.take();
  }
  int out = model.findPopulation(model.outputs.front());
  EvalResult r;
  SNNRT_TRY(evaluateWith(Compute{**engine, gpu.get()}, data,
                         std::max<uint32_t>(batch, 1),
                         model.populations[out].size, r, progress));
  return r;
}

struct Trainer::State {
  Model model; ///< structure and non-trained fields; params live in engine
  TrainConfig cfg;
  const Dataset *train = nullptr, *test = nullptr, *val = nullptr;
  std::unique_ptr<Engine<float>> engine;
  std::unique_ptr<CudaEngine> gpu; ///< set when cfg.device is Cuda
  /// Micro-batched runs on cuda: the slots the ranks' GPUs gather.
  std::unique_ptr<DeviceGather> gather;
  std::vector<std::vector<float>> adamM, adamV;
  int64_t adamStep = 0;
  int64_t epoch = 0; ///< epochs completed
  double sigma0 = 0;
  double lastTrainAcc = -1, lastTestAcc = -1;
  std::vector<double> epochSeconds;
  // Model selection on the validation split.
  int64_t bestEpoch = 0; ///< 1-based; 0: none yet
  double bestValAcc = -1, bestValLoss = 0;
  std::optional<Model> best;
  bool stopEarly = false;
  TrainingHistory history;
  /// Micro-batched runs: the slot gradients TrainConfig::slotGradientsNeeded
  /// asked for at this step, summed over the batch's micro-batches.
  struct SlotGradients {
    int param = -1;
    std::vector<size_t> slots; ///< ascending
    std::vector<float> values;
  };
  std::vector<SlotGradients> slotGrads;
  /// Weight averaging (TrainConfig::emaDecay): per params() entry, the
  /// BatchNorm running statistics (Engine::runningStats), and the optimiser
  /// steps averaged so far (0: not started).
  std::vector<std::vector<float>> ema;
  std::vector<float> emaMean, emaVar;
  int64_t emaSteps = 0;
  /// The trained values while the engine holds the average.
  struct Held {
    std::vector<std::vector<float>> params;
    std::vector<double> mean, var;
  };
  /// Puts the average into the engine, keeping the trained values in `held`
  /// for useTrained; does nothing before averaging starts.
  void useAverage(Held &held) const {
    held = Held();
    if (emaSteps == 0)
      return;
    auto &params = engine->params();
    held.params.resize(params.size());
    for (size_t k = 0; k < params.size(); ++k) {
      held.params[k] = params[k].value;
      std::copy(ema[k].begin(), ema[k].end(), params[k].value.begin());
    }
    // Statistics of the trained weights do not fit the averaged ones (seed
    // 1 of the long recipe lost 3.8 points at its first averaged epoch
    // without this), so the running statistics are averaged too.
    engine->runningStats(held.mean, held.var);
    (void)engine->setRunningStats(
        std::vector<double>(emaMean.begin(), emaMean.end()),
        std::vector<double>(emaVar.begin(), emaVar.end()));
  }
  void useTrained(Held &held) const {
    auto &params = engine->params();
    for (size_t k = 0; k < held.params.size(); ++k)
      std::copy(held.params[k].begin(), held.params[k].end(),
                params[k].value.begin());
    if (!held.params.empty())
      (void)engine->setRunningStats(held.mean, held.var);
    held = Held();
  }
  /// One averaging step of the engine's current tensors and statistics.
  void averageStep() {
    const auto &params = engine->params();
    ema.resize(params.size());
    for (size_t k = 0; k < params.size(); ++k)
      updateAverage(ema[k], params[k].value, cfg.emaDecay, emaSteps);
    std::vector<double> mean, var;
    engine->runningStats(mean, var);
    updateAverage(emaMean, std::vector<float>(mean.begin(), mean.end()),
                  cfg.emaDecay, emaSteps);
    updateAverage(emaVar, std::vector<float>(var.begin(), var.end()),
                  cfg.emaDecay, emaSteps);
    ++emaSteps;
  }

  Collective &ranks() const {
    return cfg.collective ? *cfg.collective : singleProcess();
  }
  /// Rank 0 alone writes files (checkpoints, the best network so far).
  bool writes() const { return ranks().rank() == 0; }
  Status microBatchStep(const Dataset &data, const std::vector<size_t> &idx,
                        int64_t epoch,
                        uint64_t batch, double &loss, size_t &correct);
  /// The same on the GPU: slots gathered between the ranks' GPUs (NCCL).
  Status microBatchStepGpu(const Dataset &data, const std::vector<size_t> &idx,
                           int64_t epoch, uint64_t batch, double &loss,
                           size_t &correct);
  /// Every rank must hold the same network after every step (same reduced
  /// gradients, same rewiring from the same random streams): a 64-bit hash
  /// of parameters and synapses, compared across ranks, finds a bug there
  /// rather than in a wrong model. microBatchStep carries each rank's hash
  /// in its reduction (no extra message); checkRanksAgree ends an epoch.
  uint64_t stateHash() const;
  Status compareHashes(const std::vector<uint64_t> &all,
                       const std::string &when) const;
  Status checkRanksAgree(int64_t step) const;

  /// Quantisation-aware epochs (TrainConfig::quantAwareEpochs): whether
  /// epoch `e` (0-based) is one, and the inputs they train and select on.
  bool quantAware(int64_t e) const {
    return cfg.quantAwareEpochs > 0 && e >= cfg.epochs - cfg.quantAwareEpochs;
  }
  std::optional<Dataset> snappedTrain, snappedVal;
  const Dataset &quantInputs(const Dataset &data,
                             std::optional<Dataset> &snapped) const {
    if (!snapped) {
      snapped = data;
      snapInputs(*snapped, model, cfg.quantGrid);
    }
    return *snapped;
  }
  /// Puts the engine's weights, biases and BatchNorm betas on the grid,
  /// keeping their float values in `latent` for restoreLatent.
  Status loadGrid(std::vector<std::vector<float>> &latent);
  void restoreLatent(std::vector<std::vector<float>> &latent);

  /// The network as the engine holds it (the float weights).
  Model exported() const {
    Model m = model;
    engine->exportParams(m);
    if (gpu)
      gpu->exportRunningStats(m);
    return m;
  }
  /// The network this run produces: after a quantisation-aware epoch, on
  /// the grid (what those epochs trained), else as the engine holds it.
  Model current() const {
    Held held;
    useAverage(held);
    Model m = exported();
    useTrained(held);
    if (epoch > 0 && quantAware(epoch - 1))
      // Cannot fail here: loadGrid snapped the same network at every batch.
      (void)snapToGrid(m, cfg.quantGrid);
    m.training.epochs = epoch;
    m.training.seed = cfg.seed;
    m.training.trainAccuracy = lastTrainAcc;
    m.training.testAccuracy = lastTestAcc;
    if (m.training.dataset.empty())
      m.training.dataset = train->source;
    return m;
  }

  bool trainable(const ParamTensor<float> &p) const {
    using K = ParamTensor<float>::Kind;
    if (p.kind == K::Bias)
      return cfg.trainBias;
    return true;
  }
  Status writeCheckpoint() const;
};

Trainer::Trainer(std::unique_ptr<State> s) : s_(std::move(s)) {}
Trainer::~Trainer() = default;

Expected<std::unique_ptr<Trainer>> Trainer::create(const Model &model,
                                                   const TrainConfig &cfg,
                                                   const Dataset &train,
                                                   const Dataset *test,
                                                   const Dataset *validation) {
  SNNRT_TRY(model.validate());
  SNNRT_TRY(checkData(model, train, "training"));
  if (test)
    SNNRT_TRY(checkData(model, *test, "test"));
  if (validation) {
    SNNRT_TRY(checkData(model, *validation, "validation"));
    if (validation->size() == 0)
      return Status::error("the validation set is empty");
  }
  if (cfg.batch == 0 || cfg.epochs < 0)
    return Status::error("batch size must be positive and epochs >= 0");
  if (train.size() == 0)
    return Status::error("the training set is empty");
  const int rankCount = cfg.collective ? cfg.collective->size() : 1;
  if (rankCount > 1 && cfg.microBatch == 0)
    return Status::error(
        "data-parallel training over " + std::to_string(rankCount) +
            " ranks needs a micro-batch size (--micro-batch M): the model "
            "depends on M but not on the number of ranks",
        ErrorKind::BadInput);
  if (cfg.quantAwareEpochs < 0)
    return Status::error("quantisation-aware epochs must be >= 0",
                         ErrorKind::BadInput);
  if (cfg.quantAwareEpochs > 0 && (cfg.microBatch > 0 || rankCount > 1))
    return Status::error("quantisation-aware epochs run on whole batches in "
                         "one process: drop --micro-batch (and mpirun)",
                         ErrorKind::BadInput);
  if (!(cfg.emaDecay >= 0 && cfg.emaDecay < 1) || cfg.emaStartEpoch < 0)
    return Status::error("weight averaging needs a decay in [0, 1) and a "
                         "start epoch >= 0",
                         ErrorKind::BadInput);
  if (cfg.emaDecay > 0 && cfg.device == Device::Cuda)
    return Status::error("weight averaging (--ema-decay) runs on the CPU "
                         "engine: train with --device cpu",
                         ErrorKind::BadInput);
  if (cfg.quantAwareEpochs > 0 && cfg.device == Device::Cuda)
    return Status::error("quantisation-aware epochs run on the CPU engine: "
                         "train with --device cpu",
                         ErrorKind::BadInput);
  auto st = std::make_unique<State>();
  st->model = model;
  st->cfg = cfg;
  st->train = &train;
  st->test = test;
  st->val = validation;
  EngineOptions opt;
  opt.threads = cfg.threads;
  opt.surrogateAlpha = cfg.surrogateAlpha;
  opt.truncationRadius = cfg.truncationRadius;
  opt.strategy = cfg.strategy;
  opt.skipUnobserved = cfg.skipUnobserved; // evaluate and snnc run: off
  opt.computeAllSpikes = cfg.computeAllSpikes;
  auto engine = Engine<float>::create(model, opt);
  if (!engine)
    return engine.status();
  st->engine = engine.take();
  if (cfg.device == Device::Cuda && cfg.microBatch > 0) {
    // First: with several ranks it chooses this rank's GPU, on which the
    // engine then allocates.
    auto gather = DeviceGather::create(st->ranks());
    if (!gather)
      return gather.status();
    st->gather = gather.take();
  }
  if (cfg.device == Device::Cuda) {
    auto gpu = CudaEngine::create(model, opt);
    if (!gpu)
      return gpu.status();
    st->gpu = gpu.take();
  }
  for (const Projection &p : model.projections)
    if (p.hasPositions())
      st->sigma0 = p.sigma;
  for (const auto &p : st->engine->params()) {
    st->adamM.emplace_back(p.value.size(), 0.0f);
    st->adamV.emplace_back(p.value.size(), 0.0f);
  }
  return std::unique_ptr<Trainer>(new Trainer(std::move(st)));
}

int64_t Trainer::epochsDone() const { return s_->epoch; }
Engine<float> &Trainer::engine() { return *s_->engine; }

// Positions hold the current sigma via exportParams; training.* records
// provenance (for a chosen network: the epoch it comes from).
Model Trainer::currentModel() const { return s_->current(); }

Model Trainer::trainedModel() const {
  Model m = s_->current();
  Model trained = s_->exported();
  m.populations = trained.populations;
  m.projections = trained.projections;
  return m;
}

int64_t Trainer::averagedSteps() const { return s_->emaSteps; }

Model Trainer::model() const {
  if (s_->cfg.selectBest && s_->best)
    return *s_->best;
  return s_->current();
}

int64_t Trainer::bestEpoch() const { return s_->bestEpoch; }
bool Trainer::stoppedEarly() const { return s_->stopEarly; }

TrainingHistory Trainer::history() const {
  TrainingHistory h = s_->history;
  h.keptEpoch = s_->bestEpoch;
  return h;
}

std::string Trainer::bestModelPath(const std::string &checkpointPath) {
  return checkpointPath + ".best";
}

Expected<EpochReport> Trainer::runEpoch() {
  State &s = *s_;
  const TrainConfig &c = s.cfg;
  auto t0 = std::chrono::steady_clock::now();
  const int64_t e = s.epoch;
  EpochReport rep;
  rep.epoch = e + 1;
  rep.epochs = c.epochs;
  rep.sigma = annealedSigma(s.sigma0, c.sigmaEnd, c.sigmaEpochs, e);
  rep.lrWeights = oneCycleLr(c.lrWeights, c.lrWeightsMax, c.oneCyclePctStart,
                             c.oneCycleFinalDiv, e, c.epochs);
  rep.lrPositions = cosineLr(c.lrPositions, e, c.epochs);
  rep.beta1Weights = c.oneCycleMomentum
                         ? oneCycleBeta1(c.oneCycleBaseMomentum,
                                         c.oneCycleMaxMomentum,
                                         c.oneCyclePctStart, e, c.epochs)
                         : c.adamBeta1;
  Engine<float> &cpuEngine = *s.engine;
  Compute eng{cpuEngine, s.gpu.get()};
  eng.setSigma(rep.sigma);
  // Quantisation-aware epochs run the plan's network: evaluation semantics
  // (frozen BatchNorm statistics, rounded delays, no dropout), the weights on
  // the grid at every batch, inputs on the input grid.
  const bool quantAware = s.quantAware(e);
  rep.quantAware = quantAware;
  eng.setTraining(!quantAware);
  if (quantAware && c.quantGrid.convention)
    cpuEngine.setConvention(*c.quantGrid.convention);
  if (quantAware && e == c.epochs - c.quantAwareEpochs) {
    // Selection restarts: the network kept is one of these epochs', so the
    // plan is compiled from a network trained for it.
    s.bestEpoch = 0;
    s.bestValAcc = -1;
    s.best.reset();
  }

  const Dataset &data =
      quantAware ? s.quantInputs(*s.train, s.snappedTrain) : *s.train;
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), 0);
  Rng::derive(c.seed, uint64_t(e), 0).shuffle(order);
  auto &params = cpuEngine.params();
  const double b2 = c.adamBeta2;
  size_t correct = 0, batches = 0;
  double lossSum = 0;
  for (size_t start = 0; start < order.size(); start += c.batch, ++batches) {
    size_t end = std::min(order.size(), start + c.batch);
    std::vector<size_t> idx(order.begin() + start, order.begin() + end);
    std::vector<int32_t> labels(idx.size());
    for (size_t i = 0; i < idx.size(); ++i)
      labels[i] = data.labels[idx[i]];
    // Augmentation: a shifted copy of the batch, its own stream (b >= 2^32),
    // apart from the dropout seeds' (batches + 1).
    Dataset shifted;
    const Dataset *source = &data;
    std::vector<size_t> rows = idx;
    if (c.augment.enabled()) {
      shifted = selectSamples(data, idx);
      Rng rng = Rng::derive(c.seed, uint64_t(e), (uint64_t(1) << 32) + batches);
      augmentSamples(shifted, c.augment, rng);
      std::iota(rows.begin(), rows.end(), 0);
      source = &shifted;
    }
    double loss = 0;
    std::vector<std::vector<float>> latent;
    if (quantAware)
      SNNRT_TRY(s.loadGrid(latent));
    if (c.microBatch > 0 && s.gpu) {
      SNNRT_TRY(s.microBatchStepGpu(*source, rows, e, batches, loss, correct));
    } else if (c.microBatch > 0) {
      SNNRT_TRY(s.microBatchStep(*source, rows, e, batches, loss, correct));
    } else {
      SNNRT_TRY(eng.setInput(*source, rows));
      eng.setDropoutSeed(Rng::derive(c.seed, uint64_t(e), batches + 1).next());
      SNNRT_TRY(eng.forward(true));
      auto batchLoss = eng.loss(labels);
      if (!batchLoss)
        return batchLoss.status();
      loss = *batchLoss;
      auto pred = eng.predictions();
      for (size_t i = 0; i < idx.size(); ++i)
        correct += pred[i] == labels[i];
      SNNRT_TRY(eng.backward(labels));
    }
    // Straight-through: the gradient at the grid's weights moves the float
    // weights.
    if (quantAware)
      s.restoreLatent(latent);
    // SNN-F10 L1 term on every present weight.
    for (auto &p : params) {
      if (p.kind != ParamTensor<float>::Kind::Weight || c.l1 == 0 ||
          e < c.l1StartEpoch)
        continue;
      double l1 = 0;
      for (size_t i = 0; i < p.value.size(); ++i) {
        if (!p.present[i])
          continue;
        l1 += std::fabs(double(p.value[i]));
        float sg = p.value[i] > 0 ? 1.0f : (p.value[i] < 0 ? -1.0f : 0.0f);
        p.grad[i] += float(c.l1) * sg;
      }
      loss += c.l1 * l1;
    }
    if (!std::isfinite(loss))
      return Status::error("training diverged: loss is " +
                               std::to_string(loss) + " in epoch " +
                               std::to_string(e + 1) + " (lower the learning "
                               "rate)",
                           ErrorKind::BadInput);
    lossSum += loss;
    // Adam (bias-corrected), one step count for all tensors.
    // Like two torch.optim.Adam instances stepped together: positions keep
    // adamBeta1, the rest use OneCycle's cycled beta1; bias correction uses
    // the current beta1, as PyTorch does.
    ++s.adamStep;
    double bc2 = 1.0 - std::pow(b2, double(s.adamStep));
    if (s.gpu) { // the same update (kernels::adamUpdate) on the GPU
      std::vector<AdamGroup> groups(params.size());
      for (size_t k = 0; k < params.size(); ++k) {
        const auto &p = params[k];
        bool isPos = p.kind == ParamTensor<float>::Kind::Position;
        groups[k].skip = !s.trainable(p);
        groups[k].lr = isPos ? rep.lrPositions : rep.lrWeights;
        groups[k].beta1 = isPos ? c.adamBeta1 : rep.beta1Weights;
        groups[k].onlyPresent = p.kind == ParamTensor<float>::Kind::Weight;
      }
      SNNRT_TRY(cudaAdamStep(params, s.adamM, s.adamV, groups, b2, c.adamEps,
                             s.adamStep));
    }
    for (size_t k = 0; k < params.size(); ++k) {
      auto &p = params[k];
      if (!s.trainable(p))
        continue;
      bool isPos = p.kind == ParamTensor<float>::Kind::Position;
      // Quantisation-aware epochs use the rounded delays: positions stay
      // (their gradient is not computed, and Adam's momentum would move
      // them across a rounding boundary unseen).
      if (isPos && quantAware)
        continue;
      double lr = isPos ? rep.lrPositions : rep.lrWeights;
      double b1 = isPos ? c.adamBeta1 : rep.beta1Weights;
      double bc1 = 1.0 - std::pow(b1, double(s.adamStep));
      auto &m = s.adamM[k];
      auto &v = s.adamV[k];
      for (size_t i = 0; i < p.value.size() && !s.gpu; ++i) {
        if (p.kind == ParamTensor<float>::Kind::Weight && !p.present[i])
          continue;
        kernels::adamUpdate(p.value[i], m[i], v[i], double(p.grad[i]), lr,
                            b1, b2, bc1, bc2, c.adamEps);
      }
      if (isPos) {
        // SNN-F3: clamp to [-h, h] after every optimiser step.
        const std::string proj =
            p.name.substr(12, p.name.size() - 12 - 10); // projections/X/positions
        double h = 0;
        for (const Projection &pj : s.model.projections)
          if (pj.name == proj)
            h = (pj.maxDelay - 1.0) / 2.0;
        for (auto &q : p.value)
          q = float(std::clamp(double(q), -h, h));
      }
    }
    if (c.afterStep) {
      StepContext ctx{cpuEngine, e, uint64_t(batches), s.adamStep,
                      rep.lrWeights, s.adamM, s.adamV, nullptr};
      // On the GPU, RigL's gradients come from the device, and setting
      // slotGradients also moves the rewiring kernels there (RewireDevice).
      if (s.gpu)
        ctx.slotGradients = [&s](int param, const std::vector<size_t> &slots,
                                 std::vector<float> &g) {
          return s.gpu->slotGradients(param, slots, g);
        };
      if (c.microBatch > 0) {
        ctx.slotGradientsOnHost = true;
        ctx.slotGradients = [&s](int param, const std::vector<size_t> &slots,
                                 std::vector<float> &g) -> Status {
          const std::string &name = s.engine->params()[size_t(param)].name;
          for (const auto &have : s.slotGrads) {
            if (have.param != param)
              continue;
            g.resize(slots.size());
            for (size_t j = 0; j < slots.size(); ++j) {
              auto it = std::lower_bound(have.slots.begin(), have.slots.end(),
                                         slots[j]);
              if (it == have.slots.end() || *it != slots[j])
                return Status::error(
                    name + ": the gradient at slot " +
                        std::to_string(slots[j]) +
                        " was not computed before this step "
                        "(TrainConfig::slotGradientsNeeded)",
                    ErrorKind::Internal);
              g[j] = have.values[size_t(it - have.slots.begin())];
            }
            return Status::ok();
          }
          return Status::error(
              "slot gradients of " + name +
                  " were not computed before this step "
                  "(TrainConfig::slotGradientsNeeded did not name it)",
              ErrorKind::Internal);
        };
      }
      SNNRT_TRY(c.afterStep(ctx));
    }
    // Weight averaging follows every step, of the tensors as trained (after
    // rewiring and, on the grid, the float weights).
    if (c.emaDecay > 0 && e >= c.emaStartEpoch)
      s.averageStep();
  }
  if (s.ranks().size() > 1)
    SNNRT_TRY(s.checkRanksAgree(s.adamStep));
  rep.loss = batches ? lossSum / double(batches) : 0.0;
  rep.trainAccuracy = double(correct) / double(order.size());
  s.lastTrainAcc = rep.trainAccuracy;
  ++s.epoch;
  // With weight averaging the average is evaluated (and kept).
  State::Held trained;
  s.useAverage(trained);
  // After a quantisation-aware epoch the network evaluated is the one on
  // the grid (what current() exports); the test split as it is (what
  // `snnc verify` gives the float model), validation on the input grid (what
  // the plan sees).
  std::vector<std::vector<float>> latent;
  if (quantAware)
    SNNRT_TRY(s.loadGrid(latent));
  if (s.test) {
    int out = s.model.findPopulation(s.model.outputs.front());
    EvalResult r;
    SNNRT_TRY(evaluateWith(eng, *s.test, std::max<uint32_t>(c.evalBatch, 1),
                           s.model.populations[out].size, r, {}, c.collective));
    rep.testAccuracy = r.accuracy;
    s.lastTestAcc = r.accuracy;
  }
  // The width at the end of this epoch is what the saved model carries.
  eng.setSigma(annealedSigma(s.sigma0, c.sigmaEnd, c.sigmaEpochs, s.epoch));
  if (s.val) {
    int out = s.model.findPopulation(s.model.outputs.front());
    EvalResult r;
    const Dataset &val =
        quantAware ? s.quantInputs(*s.val, s.snappedVal) : *s.val;
    SNNRT_TRY(evaluateWith(eng, val, std::max<uint32_t>(c.evalBatch, 1),
                           s.model.populations[out].size, r, {}, c.collective));
    // current() snaps the float weights itself.
    if (quantAware)
      s.restoreLatent(latent);
    rep.valAccuracy = r.accuracy;
    rep.valLoss = r.loss;
    // Accuracy is what is reported; the loss only breaks ties (on a few
    // hundred validation samples, equal accuracies are common).
    rep.improved = s.bestEpoch == 0 || r.accuracy > s.bestValAcc ||
                   (r.accuracy == s.bestValAcc && r.loss < s.bestValLoss);
    if (rep.improved) {
      s.bestEpoch = s.epoch;
      s.bestValAcc = r.accuracy;
      s.bestValLoss = r.loss;
      s.best = s.current();
      if (!c.checkpointPath.empty() && s.writes())
        SNNRT_TRY(
            writeModel(Trainer::bestModelPath(c.checkpointPath), *s.best));
    }
    rep.bestEpoch = s.bestEpoch;
    s.stopEarly = c.patience > 0 && s.epoch - s.bestEpoch >= c.patience;
    rep.stopEarly = s.stopEarly;
  }
  if (quantAware && !latent.empty())
    s.restoreLatent(latent);
  s.useTrained(trained);
  rep.seconds = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
  s.epochSeconds.push_back(rep.seconds);
  s.history.add(rep);
  // After the history entry, so that a resumed run has this epoch's too.
  if (!c.checkpointPath.empty() && s.writes())
    SNNRT_TRY(s.writeCheckpoint());
  double mean = std::accumulate(s.epochSeconds.begin(), s.epochSeconds.end(),
                                0.0) /
                double(s.epochSeconds.size());
  rep.etaSeconds = mean * double(std::max<int64_t>(0, c.epochs - s.epoch));
  return rep;
}

/// The model array a parameter tensor mirrors ("projections/X/weights",
/// "populations/P/bias", ".../bias_syn", ".../batchnorm/beta"), or null.
static std::vector<float> *modelArray(Model &m, const std::string &name) {
  for (Projection &pj : m.projections)
    if (name == "projections/" + pj.name + "/weights")
      return &pj.weights;
  for (Population &p : m.populations) {
    const std::string base = "populations/" + p.name;
    if (name == base + "/bias")
      return &p.bias;
    if (name == base + "/bias_syn")
      return &p.biasSyn;
    if (p.batchnorm && name == base + "/batchnorm/beta")
      return &p.batchnorm->beta;
  }
  return nullptr;
}

Status Trainer::State::loadGrid(std::vector<std::vector<float>> &latent) {
  Model m = exported();
  SNNRT_TRY(snapToGrid(m, cfg.quantGrid));
  // The plan's decays (snapToGrid's time constants) from now on.
  engine->setTimeConstants(m);
  auto &params = engine->params();
  latent.assign(params.size(), {});
  for (size_t k = 0; k < params.size(); ++k) {
    auto &p = params[k];
    using K = ParamTensor<float>::Kind;
    if (p.kind != K::Weight && p.kind != K::Bias && p.kind != K::Beta)
      continue;
    const std::vector<float> *grid = modelArray(m, p.name);
    if (!grid || grid->size() != p.value.size())
      continue;
    latent[k] = p.value;
    std::copy(grid->begin(), grid->end(), p.value.begin());
  }
  return Status::ok();
}

void Trainer::State::restoreLatent(std::vector<std::vector<float>> &latent) {
  auto &params = engine->params();
  for (size_t k = 0; k < params.size() && k < latent.size(); ++k)
    if (!latent[k].empty())
      params[k].value.swap(latent[k]);
  latent.clear();
}

// One batch as micro-batches (docs/training.md, "Data-parallel training").
// Micro-batch k holds samples [kM, (k+1)M) of the batch; rank r computes the
// consecutive micro-batches [Kr/N, K(r+1)/N). Each micro-batch's loss is
// the mean over its samples, so the batch's is sum_k (m_k / B) L_k; its
// gradients are summed with the same weights, in double, in order k = 0, 1,
// ... through Collective::chain, which makes the bits independent of N.
// With one micro-batch the weights are 1 and every value passes through
// double unchanged: the same bits as the batch computed whole.
Status Trainer::State::microBatchStep(const Dataset &data,
                                      const std::vector<size_t> &idx,
                                      int64_t e, uint64_t batch, double &loss,
                                      size_t &correct) {
  Engine<float> &eng = *engine;
  const size_t B = idx.size(), M = cfg.microBatch;
  Collective &world = ranks();
  const size_t n = size_t(world.size()), me = size_t(world.rank());
  const MicroBatchPlan plan(B, M, n);
  const size_t K = plan.count;
  const size_t first = plan.first(me), last = plan.last(me);
  auto &params = eng.params();
  std::vector<SlotGradientRequest> need;
  if (cfg.slotGradientsNeeded)
    need = cfg.slotGradientsNeeded(eng, adamStep + 1);
  const size_t nbn = eng.batchNormNeurons();
  // The reduced buffer: loss, correct, every gradient, the slot gradients,
  // then per micro-batch its BatchNorm means and variances (each written by
  // the one rank computing it, so adding into zeros copies them exactly).
  size_t size = 2;
  std::vector<size_t> gradAt, slotAt;
  for (const auto &p : params) {
    gradAt.push_back(size);
    size += p.value.size();
  }
  for (const auto &r : need) {
    slotAt.push_back(size);
    size += r.slots.size();
  }
  const size_t bnAt = size;
  size += K * 2 * nbn;
  // Each rank's hash of the network it holds before this step, as two exact
  // 32-bit halves in its own slots.
  const size_t hashAt = size;
  size += 2 * n;
  const uint64_t hash = n > 1 ? stateHash() : 0;

  struct Part {
    double weight = 0, loss = 0, correct = 0;
    std::vector<float> grads, slots;
    std::vector<double> means, vars;
  };
  std::vector<Part> parts(last - first);
  Rng dropout = Rng::derive(cfg.seed, uint64_t(e), batch + 1);
  for (size_t k = 0; k < last; ++k) {
    // Micro-batch k's dropout seed is the stream's k-th draw (k = 0: the
    // whole batch's seed), whichever rank computes it.
    uint64_t seed = dropout.next();
    if (k < first)
      continue;
    Part &part = parts[k - first];
    size_t start = k * M, end = std::min(B, start + M);
    std::vector<size_t> sub(idx.begin() + start, idx.begin() + end);
    std::vector<int32_t> labels(sub.size());
    for (size_t i = 0; i < sub.size(); ++i)
      labels[i] = data.labels[sub[i]];
    SNNRT_TRY(eng.setInput(data, sub));
    eng.setDropoutSeed(seed);
    eng.forward(false); // running statistics: once, from the whole batch
    part.loss = eng.loss(labels);
    auto pred = eng.predictions();
    for (size_t i = 0; i < sub.size(); ++i)
      part.correct += pred[i] == labels[i];
    eng.backward(labels);
    part.weight = plan.weight(k);
    for (const auto &p : params) {
      if (p.grad.size() != p.value.size())
        return Status::error(p.name + ": " + std::to_string(p.grad.size()) +
                                 " gradients for " +
                                 std::to_string(p.value.size()) + " values",
                             ErrorKind::Internal);
      part.grads.insert(part.grads.end(), p.grad.begin(), p.grad.end());
    }
    for (const auto &r : need) {
      std::vector<float> g;
      SNNRT_TRY(r.timing.empty()
                    ? eng.slotGradients(r.param, r.slots, g)
                    : eng.slotGradients(r.param, r.slots, r.timing, g));
      part.slots.insert(part.slots.end(), g.begin(), g.end());
    }
    eng.batchNormStats(part.means, part.vars);
  }
  std::vector<double> acc(size, 0.0);
  SNNRT_TRY(world.chain(acc, [&](std::vector<double> &a) {
    a[hashAt + 2 * me] = double(hash >> 32);
    a[hashAt + 2 * me + 1] = double(hash & 0xFFFFFFFFull);
    for (size_t k = first; k < last; ++k) {
      const Part &part = parts[k - first];
      const double w = part.weight;
      a[0] += w * part.loss;
      a[1] += part.correct;
      double *g = a.data() + 2;
      for (size_t i = 0; i < part.grads.size(); ++i)
        g[i] += w * double(part.grads[i]);
      double *sg = a.data() + (slotAt.empty() ? size : slotAt[0]);
      for (size_t i = 0; i < part.slots.size(); ++i)
        sg[i] += w * double(part.slots[i]);
      double *bn = a.data() + bnAt + k * 2 * nbn;
      for (size_t i = 0; i < nbn; ++i) {
        bn[i] += part.means[i];
        bn[nbn + i] += part.vars[i];
      }
    }
  }));
  if (n > 1) {
    std::vector<uint64_t> all(n);
    for (size_t r = 0; r < n; ++r)
      all[r] = uint64_t(acc[hashAt + 2 * r]) << 32 |
               uint64_t(acc[hashAt + 2 * r + 1]);
    SNNRT_TRY(compareHashes(all, "before optimiser step " +
                                     std::to_string(adamStep + 1)));
  }
  loss = acc[0];
  correct += size_t(acc[1]);
  for (size_t k = 0; k < params.size(); ++k) {
    auto &grad = params[k].grad;
    grad.resize(params[k].value.size());
    for (size_t i = 0; i < grad.size(); ++i)
      grad[i] = float(acc[gradAt[k] + i]);
  }
  slotGrads.clear();
  for (size_t j = 0; j < need.size(); ++j) {
    const double *src = acc.data() + slotAt[j];
    SlotGradients sg;
    sg.param = need[j].param;
    sg.slots = std::move(need[j].slots);
    sg.values.resize(sg.slots.size());
    for (auto &g : sg.values)
      g = float(*src++);
    slotGrads.push_back(std::move(sg));
  }
  if (nbn > 0) {
    std::vector<double> mean, var;
    combineBatchNorm(plan, nbn, acc.data() + bnAt, 2 * nbn, mean, var);
    SNNRT_TRY(eng.updateRunningStats(mean, var, size_t(model.steps) * B));
  }
  return Status::ok();
}

// The same step with the micro-batches on the GPU (docs/training.md,
// "Data-parallel training on GPUs"). The values and their order of addition
// are the CPU path's; only the transport differs: each rank writes its
// micro-batches into slots of its block on its GPU (the gradients by a
// device copy, never through the host), the ranks' GPUs gather every block
// (NCCL), and each rank adds the K slots in micro-batch order on its GPU.
Status Trainer::State::microBatchStepGpu(const Dataset &data,
                                         const std::vector<size_t> &idx,
                                         int64_t e, uint64_t batch,
                                         double &loss, size_t &correct) {
  CudaEngine &dev = *gpu;
  Collective &world = ranks();
  const size_t n = size_t(world.size()), me = size_t(world.rank());
  const MicroBatchPlan plan(idx.size(), cfg.microBatch, n);
  const size_t first = plan.first(me), last = plan.last(me);
  auto &params = engine->params();
  std::vector<SlotGradientRequest> need;
  if (cfg.slotGradientsNeeded)
    need = cfg.slotGradientsNeeded(*engine, adamStep + 1);
  for (const auto &r : need)
    if (!r.timing.empty())
      return Status::error(
          params[size_t(r.param)].name +
              ": RigL on a CSR projection needs slot gradients the CUDA "
              "engine computes in the dense layout only; use "
              "--sparse-format dense or --device cpu",
          ErrorKind::BadInput);
  const size_t nbn = dev.batchNormNeurons();
  GatherLayout layout;
  std::vector<size_t> gradAt, slotAt;
  for (const auto &p : params) {
    gradAt.push_back(layout.floats);
    layout.floats += p.value.size();
  }
  for (const auto &r : need) {
    slotAt.push_back(layout.floats);
    layout.floats += r.slots.size();
  }
  layout.doubles = 2 + 2 * nbn; // loss, correct, BatchNorm means, variances
  layout.slotsPerRank = plan.slotsPerRank();
  SNNRT_TRY(gather->prepare(layout));
  if (n > 1)
    SNNRT_TRY(gather->setHash(stateHash()));

  Rng dropout = Rng::derive(cfg.seed, uint64_t(e), batch + 1);
  std::vector<double> doubles(layout.doubles), means, vars;
  for (size_t k = 0; k < last; ++k) {
    uint64_t seed = dropout.next(); // as microBatchStep: the k-th draw
    if (k < first)
      continue;
    const size_t j = k - first;
    const size_t start = k * plan.micro, end = start + plan.samples(k);
    std::vector<size_t> sub(idx.begin() + start, idx.begin() + end);
    std::vector<int32_t> labels(sub.size());
    for (size_t i = 0; i < sub.size(); ++i)
      labels[i] = data.labels[sub[i]];
    SNNRT_TRY(dev.setInput(data, sub));
    dev.setDropoutSeed(seed);
    SNNRT_TRY(dev.forward(params, false)); // running statistics: per batch
    auto mbLoss = dev.loss(labels);
    if (!mbLoss)
      return mbLoss.status();
    auto pred = dev.predictions();
    double right = 0;
    for (size_t i = 0; i < sub.size(); ++i)
      right += pred[i] == labels[i];
    SNNRT_TRY(dev.backwardOnDevice(labels));
    SNNRT_TRY(dev.copyGradients(params, gather->slotFloats(j)));
    for (size_t q = 0; q < need.size(); ++q) {
      std::vector<float> g;
      SNNRT_TRY(dev.slotGradients(need[q].param, need[q].slots, g));
      SNNRT_TRY(gather->setSlotFloats(j, slotAt[q], g));
    }
    SNNRT_TRY(dev.batchNormStats(means, vars));
    doubles[0] = *mbLoss;
    doubles[1] = right;
    std::copy(means.begin(), means.end(), doubles.begin() + 2);
    std::copy(vars.begin(), vars.end(), doubles.begin() + 2 + nbn);
    SNNRT_TRY(gather->setSlotDoubles(j, doubles));
  }
  SNNRT_TRY(gather->gather());
  if (n > 1) {
    std::vector<uint64_t> all;
    SNNRT_TRY(gather->hashes(all));
    SNNRT_TRY(compareHashes(all, "before optimiser step " +
                                     std::to_string(adamStep + 1)));
  }
  std::vector<float> sums;
  SNNRT_TRY(gather->sumFloats(plan, sums));
  std::vector<double> per;
  SNNRT_TRY(gather->slotDoubles(plan, per));
  // Loss and correct predictions in micro-batch order, as the chain adds.
  double lossAcc = 0, correctAcc = 0;
  for (size_t k = 0; k < plan.count; ++k) {
    lossAcc += plan.weight(k) * per[k * layout.doubles];
    correctAcc += per[k * layout.doubles + 1];
  }
  loss = lossAcc;
  correct += size_t(correctAcc);
  for (size_t k = 0; k < params.size(); ++k) {
    auto &grad = params[k].grad;
    grad.assign(sums.begin() + long(gradAt[k]),
                sums.begin() + long(gradAt[k] + params[k].value.size()));
  }
  slotGrads.clear();
  for (size_t q = 0; q < need.size(); ++q) {
    SlotGradients sg;
    sg.param = need[q].param;
    sg.values.assign(sums.begin() + long(slotAt[q]),
                     sums.begin() + long(slotAt[q] + need[q].slots.size()));
    sg.slots = std::move(need[q].slots);
    slotGrads.push_back(std::move(sg));
  }
  if (nbn > 0) {
    std::vector<double> mean, var;
    combineBatchNorm(plan, nbn, per.data() + 2, layout.doubles, mean, var);
    SNNRT_TRY(
        dev.updateRunningStats(mean, var, size_t(model.steps) * plan.batch));
  }
  return Status::ok();
}

// Every rank must hold the same network after every step (same reduced
// gradients, same rewiring decisions from the same random streams); a
// difference would be a bug, found here rather than in a wrong model.
uint64_t Trainer::State::stateHash() const {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  auto mix = [&h](uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  };
  const auto &params = engine->params();
  for (size_t k = 0; k < params.size(); ++k) {
    for (float v : params[k].value) {
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      mix(bits);
    }
    for (uint8_t b : params[k].present)
      mix(b);
    if (const Projection *p = engine->projectionFor(int(k)); p && p->isCsr()) {
      for (uint32_t c : p->colIdx)
        mix(c);
      for (uint64_t r : p->rowPtr)
        mix(r);
    }
  }
  return h;
}

Status Trainer::State::compareHashes(const std::vector<uint64_t> &all,
                                     const std::string &when) const {
  for (size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      return Status::error("data-parallel training: rank " + std::to_string(r) +
                               " holds a different network (parameters or "
                               "synapses) than rank 0 " +
                               when,
                           ErrorKind::Internal);
  return Status::ok();
}

Status Trainer::State::checkRanksAgree(int64_t step) const {
  std::vector<uint64_t> all;
  SNNRT_TRY(ranks().allgather(stateHash(), all));
  return compareHashes(all, "after optimiser step " + std::to_string(step));
}

Status Trainer::run(const std::function<void(const EpochReport &)> &report,
                    int64_t stopAfter) {
  int64_t done = 0;
  while (s_->epoch < s_->cfg.epochs && !s_->stopEarly &&
         (stopAfter < 0 || done < stopAfter)) {
    auto rep = runEpoch();
    if (!rep)
      return rep.status();
    if (report)
      report(*rep);
    ++done;
  }
  return Status::ok();
}

// Checkpoint = model.h5 layout + /checkpoint (docs/formats/model.md).
Status Trainer::State::writeCheckpoint() const {
  auto f = h5::File::createAtomic(cfg.checkpointPath);
  if (!f)
    return f.status();
  // The float weights: a resumed quantisation-aware epoch snaps them again.
  Model m = current();
  Model latent = exported();
  m.populations = latent.populations;
  m.projections = latent.projections;
  m.training.dataset = model.training.dataset;
  SNNRT_TRY(writeModel(*f, m));
  SNNRT_TRY(writeTrainingHistory(*f, history));
  SNNRT_TRY(f->createGroup("checkpoint"));
  SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "epoch", epoch));
  SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "adam_step", adamStep));
  SNNRT_TRY(f->setAttr<uint64_t>("checkpoint", "seed", cfg.seed));
  SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "epochs", cfg.epochs));
  SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "batch", cfg.batch));
  SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "micro_batch", cfg.microBatch));
  SNNRT_TRY(f->setAttr("checkpoint", "sigma0", sigma0));
  std::vector<std::string> names;
  const auto &params = engine->params();
  for (size_t k = 0; k < params.size(); ++k) {
    names.push_back(params[k].name);
    SNNRT_TRY(f->write("checkpoint/adam_m/" + std::to_string(k), adamM[k]));
    SNNRT_TRY(f->write("checkpoint/adam_v/" + std::to_string(k), adamV[k]));
  }
  SNNRT_TRY(f->writeStrings("checkpoint/param_names", names));
  std::vector<double> secs(epochSeconds);
  SNNRT_TRY(f->write("checkpoint/epoch_seconds", secs));
  // Weight averaging: its setting and state (the model above is the network
  // as trained, which the run continues from).
  if (cfg.emaDecay > 0) {
    SNNRT_TRY(f->setAttr("checkpoint", "ema_decay", cfg.emaDecay));
    SNNRT_TRY(
        f->setAttr<int64_t>("checkpoint", "ema_start", cfg.emaStartEpoch));
    SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "ema_steps", emaSteps));
    for (size_t k = 0; k < ema.size() && emaSteps > 0; ++k)
      SNNRT_TRY(f->write("checkpoint/ema/" + std::to_string(k), ema[k]));
    if (emaSteps > 0 && !emaMean.empty()) {
      SNNRT_TRY(f->write("checkpoint/ema/running_mean", emaMean));
      SNNRT_TRY(f->write("checkpoint/ema/running_var", emaVar));
    }
  }
  if (val) {
    SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "best_epoch", bestEpoch));
    SNNRT_TRY(f->setAttr("checkpoint", "best_val_accuracy", bestValAcc));
    SNNRT_TRY(f->setAttr("checkpoint", "best_val_loss", bestValLoss));
    SNNRT_TRY(f->setAttr<int64_t>("checkpoint", "stop_early", stopEarly));
    SNNRT_TRY(
        f->setAttr<int64_t>("checkpoint", "val_samples", int64_t(val->size())));
  }
  return f->commit();
}

Expected<std::unique_ptr<Trainer>> Trainer::resume(const std::string &path,
                                                   const TrainConfig &cfg,
                                                   const Dataset &train,
                                                   const Dataset *test,
                                                   const Dataset *validation) {
  auto f = h5::File::openRead(path);
  if (!f)
    return f.status();
  auto model = readModel(*f);
  if (!model) {
    Status st = model.status();
    return st.withContext(path);
  }
  if (!f->isGroup("checkpoint"))
    return Status::error(path + ": checkpoint: missing; this is a model, not "
                                "a training checkpoint");
  int64_t epoch = 0, step = 0, epochs = 0, batch = 0;
  uint64_t seed = 0;
  double sigma0 = 0;
  SNNRT_TRY(f->getAttr("checkpoint", "epoch", epoch));
  SNNRT_TRY(f->getAttr("checkpoint", "adam_step", step));
  SNNRT_TRY(f->getAttr("checkpoint", "seed", seed));
  SNNRT_TRY(f->getAttr("checkpoint", "epochs", epochs));
  SNNRT_TRY(f->getAttr("checkpoint", "batch", batch));
  SNNRT_TRY(f->getAttr("checkpoint", "sigma0", sigma0));
  auto mismatch = [&](const char *what, std::string was, std::string now) {
    return Status::error(path + ": checkpoint was written with " + what + " " +
                         was + ", this run asks for " + now +
                         "; resuming exactly needs the same value");
  };
  if (seed != cfg.seed)
    return mismatch("--seed", std::to_string(seed), std::to_string(cfg.seed));
  if (epochs != cfg.epochs)
    return mismatch("--epochs", std::to_string(epochs),
                    std::to_string(cfg.epochs));
  if (batch != int64_t(cfg.batch))
    return mismatch("--batch", std::to_string(batch),
                    std::to_string(cfg.batch));
  // The number of ranks may change; the micro-batch size may not (older
  // checkpoints have none: whole batches).
  int64_t micro = 0;
  if (f->hasAttr("checkpoint", "micro_batch"))
    SNNRT_TRY(f->getAttr("checkpoint", "micro_batch", micro));
  if (micro != int64_t(cfg.microBatch))
    return mismatch("--micro-batch", std::to_string(micro),
                    std::to_string(cfg.microBatch));
  auto tr = create(*model, cfg, train, test, validation);
  if (!tr)
    return tr.status();
  State &s = *(*tr)->s_;
  s.epoch = epoch;
  s.adamStep = step;
  s.sigma0 = sigma0;
  s.lastTrainAcc = model->training.trainAccuracy;
  s.lastTestAcc = model->training.testAccuracy;
  std::vector<std::string> names;
  SNNRT_TRY(f->readStrings("checkpoint/param_names", names));
  const auto &params = s.engine->params();
  if (names.size() != params.size())
    return Status::error(path + ": checkpoint/param_names: " +
                         std::to_string(names.size()) +
                         " optimiser tensors, the model has " +
                         std::to_string(params.size()));
  for (size_t k = 0; k < params.size(); ++k) {
    if (names[k] != params[k].name)
      return Status::error(path + ": checkpoint/param_names: entry " +
                           std::to_string(k) + " is '" + names[k] +
                           "', expected '" + params[k].name + "'");
    std::vector<uint64_t> want = {params[k].value.size()};
    std::vector<uint64_t> shape;
    std::string mk = "checkpoint/adam_m/" + std::to_string(k);
    std::string vk = "checkpoint/adam_v/" + std::to_string(k);
    SNNRT_TRY(f->read(mk, s.adamM[k], &shape));
    if (shape != want)
      return Status::error(path + ": " + mk + ": wrong size");
    SNNRT_TRY(f->read(vk, s.adamV[k], &shape));
    if (shape != want)
      return Status::error(path + ": " + vk + ": wrong size");
  }
  if (f->exists("checkpoint/epoch_seconds"))
    SNNRT_TRY(f->read("checkpoint/epoch_seconds", s.epochSeconds));
  // Checkpoints without weight averaging (and those from before it) have
  // no ema_* attributes.
  double emaDecay = 0;
  int64_t emaStart = 0;
  if (f->hasAttr("checkpoint", "ema_decay")) {
    SNNRT_TRY(f->getAttr("checkpoint", "ema_decay", emaDecay));
    SNNRT_TRY(f->getAttr("checkpoint", "ema_start", emaStart));
    SNNRT_TRY(f->getAttr("checkpoint", "ema_steps", s.emaSteps));
  }
  if (emaDecay != cfg.emaDecay)
    return mismatch("--ema-decay", std::to_string(emaDecay),
                    std::to_string(cfg.emaDecay));
  if (cfg.emaDecay > 0 && emaStart != cfg.emaStartEpoch)
    return mismatch("--ema-start", std::to_string(emaStart),
                    std::to_string(cfg.emaStartEpoch));
  if (s.emaSteps > 0) {
    s.ema.resize(params.size());
    for (size_t k = 0; k < params.size(); ++k) {
      std::vector<uint64_t> shape;
      std::string ek = "checkpoint/ema/" + std::to_string(k);
      SNNRT_TRY(f->read(ek, s.ema[k], &shape));
      if (shape != std::vector<uint64_t>{params[k].value.size()})
        return Status::error(path + ": " + ek + ": wrong size");
    }
    const size_t nbn = s.engine->batchNormNeurons();
    if (nbn > 0) {
      std::vector<uint64_t> shape, want = {nbn};
      SNNRT_TRY(f->read("checkpoint/ema/running_mean", s.emaMean, &shape));
      if (shape != want)
        return Status::error(path +
                             ": checkpoint/ema/running_mean: wrong size");
      SNNRT_TRY(f->read("checkpoint/ema/running_var", s.emaVar, &shape));
      if (shape != want)
        return Status::error(path + ": checkpoint/ema/running_var: wrong size");
    }
  }
  auto history = readTrainingHistory(*f);
  if (!history)
    return history.status();
  if (*history)
    s.history = std::move(**history);
  if (validation != nullptr) {
    if (!f->hasAttr("checkpoint", "best_epoch"))
      return Status::error(path + ": checkpoint was written without a "
                                  "validation split, this run asks for one; "
                                  "resuming exactly needs the same split");
    int64_t stop = 0, valSamples = 0;
    SNNRT_TRY(f->getAttr("checkpoint", "val_samples", valSamples));
    if (valSamples != int64_t(validation->size()))
      return mismatch("a validation split of",
                      std::to_string(valSamples) + " samples",
                      std::to_string(validation->size()));
    SNNRT_TRY(f->getAttr("checkpoint", "best_epoch", s.bestEpoch));
    SNNRT_TRY(f->getAttr("checkpoint", "best_val_accuracy", s.bestValAcc));
    SNNRT_TRY(f->getAttr("checkpoint", "best_val_loss", s.bestValLoss));
    SNNRT_TRY(f->getAttr("checkpoint", "stop_early", stop));
    s.stopEarly = stop != 0;
    if (s.bestEpoch > 0) {
      std::string bestPath = bestModelPath(path);
      auto best = readModel(bestPath);
      if (!best) {
        Status st = best.status();
        return st.withContext(bestPath +
                              " (the best network so far of the "
                              "run in " +
                              path + ")");
      }
      s.best = best.take();
    }
  } else if (f->hasAttr("checkpoint", "best_epoch")) {
    return Status::error(path + ": checkpoint was written with a validation "
                                "split, this run asks for none; resuming "
                                "exactly needs the same split");
  }
  s.engine->setSigma(annealedSigma(s.sigma0, cfg.sigmaEnd, cfg.sigmaEpochs,
                                   s.epoch));
  return tr;
}

} // namespace snnrt
