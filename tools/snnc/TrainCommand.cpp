//===- TrainCommand.cpp - snnc train --------------------------------------===//
//
// Options and per-epoch output only: snnrt::setupTraining builds the run
// (network, optimiser, sparsity, rewiring, resume) and snnrt::Trainer trains.
// Defaults come from a recipe (--recipe fast, the default, or paper: the
// authors' setting, docs/reference.md §1), adapted to the dataset's channels,
// classes and steps; every option given explicitly overrides its recipe.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "DeviceOption.h"
#include "Files.h"

#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/TrainSetup.h"

#if SNNC_HAVE_COMPILER
#include "snnc/Pipelines/Pipelines.h"
#include "snnc/Target/Target.h"

#include "llvm/Support/Error.h"
#endif

#include <cmath>
#include <cstdio>

namespace snnc {

namespace {
/// The options that are not settings as they are typed: choices as their
/// text, where the model goes, what is printed.
struct TrainCliOptions {
  std::string outPath, delays = "learn", reset = "hard", decay = "linear",
                       rewire = "none", device = "cpu", convention = "paper",
                       recipe = "fast", sparseFormat = "auto",
                       quantTarget = "loihi2", valSplit;
  bool noBatchnorm = false, quiet = false;
};

void addTrainOptions(cli::ArgParser &p, snnrt::TrainSettings &s,
                     TrainCliOptions &o) {
  p.addString("--train", &s.trainPath, "training dataset (.h5)", "FILE", true);
  p.addString("--test", &s.testPath, "test dataset, evaluated every epoch",
              "FILE");
  p.addString("--out", &o.outPath, "trained model (.h5)", "MODEL.h5", true);
  p.addChoice("--recipe", &o.recipe, {"fast", "long", "longer", "paper"},
              "defaults of the schedule, rates, L1, augmentation and "
              "validation: fast (converges in a few epochs, validation split "
              "chooses the network), long (fast over twice the epochs with "
              "shifted, warped and tilted inputs, weight averaging, "
              "validation by voice variant), longer (long over 120 epochs) "
              "or paper (the authors' 150-epoch setting); options given "
              "explicitly override it");
  p.addInt("--epochs", &s.epochs, "epochs (the most, with --patience)", 0,
           1000000);
  p.addInt("--batch", &s.batch, "samples per batch", 1, 1 << 20);
  p.addInt("--hidden", &s.hidden, "hidden LIF neurons (per hidden layer)", 1,
           1 << 24);
  p.addInt("--hidden-layers", &s.hiddenLayers,
           "hidden layers, each of --hidden neurons with learned delays into "
           "it (the paper's SHD network has 2)",
           1, 16);
  p.addInt("--max-delay", &s.maxDelay, "delay taps Dmax (delays in [0, Dmax))",
           1, 1 << 16);
  p.addChoice("--delays", &o.delays, {"learn", "frozen", "none"},
              "learned (DCLS), frozen random, or all zero");
  p.addInt("--seed", &s.seed, "seed of initialisation, shuffling and dropout",
           0, INT64_MAX);
  p.addInt("--threads", &s.threads, "worker threads (0: all cores)", 0, 1024);
  p.addDouble("--lr", &s.lrWeights,
              "OneCycle start rate of weights (the paper's PyTorch OneCycleLR "
              "starts at max/25)");
  p.addDouble("--lr-max", &s.lrWeightsMax,
              "OneCycle peak learning rate of weights");
  p.addDouble("--lr-positions", &s.lrPositions,
              "Adam learning rate of DCLS positions (cosine annealed)");
  p.addDouble("--l1", &s.l1, "L1 penalty on weights (SNN-F10)");
  p.addInt("--l1-start", &s.l1StartEpoch,
           "first epoch (counted from 0) whose loss has the L1 term", 0,
           1000000);
  p.addDouble("--warmup", &s.warmup,
              "fraction of the epochs over which OneCycle raises the weights' "
              "rate to --lr-max (pct_start)");
  p.addDouble("--val-fraction", &s.valFraction,
              "hold out this fraction of the training speakers (of its "
              "samples if the file records none) as a validation split that "
              "chooses the epoch whose network is written; 0: none, the last "
              "epoch's");
  o.valSplit = snnrt::toString(s.valGroups); // the recipe's
  p.addChoice("--val-split", &o.valSplit,
              {"auto", "variant", "speaker", "sample"},
              "what --val-fraction holds out whole: voice variants (timbres "
              "never trained on, as the built-in digits' test voices), "
              "speakers, or samples; auto: variants where the file records "
              "them, else speakers, else samples");
  p.addInt("--patience", &s.patience,
           "with --val-fraction: stop after N epochs without a better "
           "validation accuracy (0: never)",
           0, 1000000);
  p.addInt("--augment-time", &s.augmentTime,
           "shift each training sample by a random number of steps in "
           "[-N, N] every epoch (0: none)",
           0, 1 << 20);
  p.addInt("--augment-channels", &s.augmentChannels,
           "shift each training sample by a random number of input channels "
           "in [-N, N] every epoch (0: none)",
           0, 1 << 20);
  p.addDouble("--augment-warp", &s.augmentWarp,
              "bend each training sample's channel axis every epoch: the end "
              "channels stay, inner ones move by up to 1.3 X channels, by "
              "different amounts (formants of another vocal tract; below "
              "(channels - 1) / 2 pi, 0: none)");
  p.addDouble("--augment-band-gain", &s.augmentBandGain,
              "scale each training sample's channels every epoch by a smooth "
              "random curve within 1 +- X (another voice's spectral tilt; "
              "spike counts are rounded at random; 0: none)");
  p.addDouble("--augment-formant", &s.augmentFormant,
              "multiply each training sample's frequencies every epoch by one "
              "random factor within [1/(1+X), 1+X] (a longer or shorter vocal "
              "tract; channels read as mel bands from 0 Hz to "
              "--augment-mel-top; below 1, 0: none)");
  p.addDouble("--augment-mel-top", &s.augmentMelTopHz,
              "with --augment-formant: the top frequency in Hz of the mel "
              "filterbank the input channels come from (the built-in digits' "
              "and 'snnc data audio': 8000)");
  p.addDouble("--dropout", &s.dropout, "hidden dropout rate (SNN-F12)");
  p.addDouble("--readout-gain", &s.readoutGain,
              "Kaiming gain of the readout's initial weights (-1: sqrt(2), "
              "as every layer)");
  p.addDouble("--tau-mem", &s.tauMemSteps, "membrane time constant in steps");
  p.addDouble("--tau-syn", &s.tauSynSteps,
              "CuBa synaptic time constant in steps (0: none, SNN-F8)");
  p.addDouble("--threshold", &s.threshold, "LIF threshold");
  p.addChoice("--reset", &o.reset, {"hard", "subtract"}, "LIF reset (SNN-F7)");
  p.addChoice("--neuron-convention", &o.convention, {"paper", "lava"},
              "float LIF neuron (SNN-F13): the paper's, or Lava's (V > "
              "theta, reset keeps the step's input) for --target "
              "loihi|loihi2; lava needs --reset hard");
  p.addChoice("--decay", &o.decay, {"linear", "exp"},
              "beta = 1 - dt/tau or exp(-dt/tau) (SNN-F6)");
  p.addDouble("--input-scale", &s.inputScale,
              "input multiplier (SNN-F1); -1: 20 for frames, 1 for spikes");
  p.addDouble("--sigma-start", &s.sigmaStart,
              "initial DCLS width (-1: (Dmax - 1) / 2, the paper's 12)");
  p.addDouble("--sigma-end", &s.sigmaEnd, "DCLS width after annealing");
  p.addInt("--sigma-epochs", &s.sigmaEpochs, "epochs over which sigma anneals",
           0, 1000000);
  p.addDouble("--sparsity", &s.sparsity,
              "fraction of absent synapses, exact budget per projection, "
              "Dale signs (e.g. 0.75 = 1 - 2^-2; -1: dense, unsigned)");
  p.addChoice("--rewire", &o.rewire, {"none", "deepr", "rigl"},
              "with --sparsity: fixed mask, DEEP R (random regrowth) or "
              "RigL (regrowth at the most negative gradients)");
  p.addChoice("--sparse-format", &o.sparseFormat, {"auto", "dense", "csr"},
              "with --sparsity: storage while training: a dense layout with "
              "a mask, or CSR (memory and time in proportion to the kept "
              "synapses); auto: CSR from sparsity 0.5 on the CPU");
  p.addInt("--rewire-interval", &s.rewireInterval,
           "rewire after every N optimiser steps", 1, INT64_MAX);
  p.addDouble("--rewire-temperature", &s.rewireTemperature,
              "DEEP R noise temperature (0: none)");
  p.addDouble("--rewire-l1", &s.rewireL1, "DEEP R L1 step per optimiser step");
  p.addInt("--rigl-candidates", &s.riglCandidates,
           "RigL: gradients for at most N x removed absent slots (0: all)", 0,
           1 << 20);
  p.addDouble("--excitatory", &s.excitatoryFraction,
              "fraction of excitatory presynaptic neurons (Dale signs)");
  p.addFlag("--no-batchnorm", &o.noBatchnorm, "no BatchNorm on hidden layers");
  p.addFlag("--train-bias", &s.trainBias,
            "also train neuron biases (and CuBa synaptic biases, bias_syn)");
  p.addString("--checkpoint", &s.checkpointPath,
              "checkpoint written every epoch [default: MODEL.h5.ckpt]",
              "FILE");
  p.addFlag("--resume", &s.resume, "continue from the checkpoint exactly");
  p.addFlag("--quiet", &o.quiet, "no per-epoch output");
  p.addInt("--micro-batch", &s.microBatch,
           "compute each batch as micro-batches of M samples (BatchNorm "
           "statistics per micro-batch) summed in a fixed order; needed by "
           "'mpirun -np N snnc train', whose model is then the same for any N "
           "(0: whole batches)",
           0, 1 << 20);
  p.addInt("--quant-aware-epochs", &s.quantAwareEpochs,
           "quantisation-aware fine-tuning: the last N epochs train the "
           "network --quant-target's plan computes (weights, biases, "
           "thresholds and inputs on its integer grid, straight-through "
           "gradients, rounded delays, frozen BatchNorm statistics); the "
           "network kept is one of theirs (0: none; -1: a sixth of the "
           "epochs, on the CPU in one process)",
           -1, 1000000);
  p.addDouble("--ema-decay", &s.emaDecay,
              "weight averaging: after every optimiser step from --ema-start "
              "on, an average of the weights moves towards them by 1 - D; "
              "evaluation, validation and the network written use the "
              "average (0: none)");
  p.addInt("--ema-start", &s.emaStartEpoch,
           "with --ema-decay: first epoch (counted from 0) whose steps are "
           "averaged",
           0, 1000000);
  p.addString("--quant-target", &o.quantTarget,
              "with --quant-aware-epochs: the target preset or JSON file "
              "whose grid the network is fine-tuned for (what 'snnc compile "
              "--target' will use)",
              "TARGET");
  cli::addDeviceOption(p, &o.device);
  p.setEpilog(
      "A checkpoint is written after every epoch; if a run stops (Ctrl-C, a "
      "crash, a\nlimit), the same command with --resume continues it and "
      "ends with the model an\nuninterrupted run writes.\n\n"
      "The test dataset is only reported: with --val-fraction the network "
      "written is the\none of the epoch with the best validation accuracy.\n\n"
      "Data-parallel: 'mpirun -np N snnc train --micro-batch M ...' splits "
      "every batch\nacross N processes; rank 0 prints and writes the model "
      "and checkpoints, which\nare the same bits for any N (docs/training.md). "
      "With --device cuda every rank\ntrains on a GPU of its own and the "
      "ranks' GPUs exchange gradients through NCCL.\n\n"
      "example:\n  snnc train --train digits/train.h5 --test digits/test.h5 "
      "--out model.h5\n  snnc train --recipe paper --train digits/train.h5 "
      "--test digits/test.h5 --out paper.h5");
}

/// Inputs and outputs are checked before a possibly long run starts.
snnrt::Status checkTrainFiles(const snnrt::TrainSettings &s,
                              const std::string &outPath) {
  for (const std::string *in : {&s.trainPath, &s.testPath})
    if (!in->empty())
      SNNRT_TRY(snnrt::expectFile(*in, {snnrt::FileKind::Dataset}, "a dataset",
                                  cli::kExpectDataset));
  if (s.resume) {
    if (snnrt::fileKind(s.checkpointPath) == snnrt::FileKind::Missing)
      return snnrt::Status::error(
          s.checkpointPath + ": no such file (--resume continues from the "
                             "checkpoint an earlier run wrote; --checkpoint "
                             "FILE names it)",
          snnrt::ErrorKind::Io);
    SNNRT_TRY(snnrt::expectFile(s.checkpointPath, {snnrt::FileKind::Checkpoint},
                                "a training checkpoint",
                                "the MODEL.h5.ckpt an interrupted 'snnc "
                                "train' wrote"));
  }
  for (const std::string *out : {&outPath, &s.checkpointPath})
    SNNRT_TRY(cli::checkOutputFile(*out));
  return snnrt::Status::ok();
}

void printHeader(const snnrt::TrainSettings &s, const snnrt::TrainingRun &run,
                 const std::string &recipe) {
  std::string val;
  if (run.validation) {
    val = " / " + std::to_string(run.validation->size()) + " validation";
    // Which voices validation holds out, so that runs can be compared.
    if (run.validationByVariant) {
      val += " (voice variants";
      for (size_t i = 0; i < run.validationIds.size(); ++i)
        val += (i ? ", " : " ") + std::to_string(run.validationIds[i]);
      val += ")";
    } else if (run.validationBySpeaker) {
      val += " (" + std::to_string(run.validationSpeakers) + " speakers)";
    }
  }
  std::string layers;
  for (int64_t l = 0; l < s.hiddenLayers; ++l)
    layers += std::to_string(s.hidden) + " -> ";
  std::printf("training %u -> %s%u, T=%u, Dmax=%lld, delays %s, recipe "
              "%s, %zu train%s / %zu test samples, %lld threads%s%s\n",
              run.train.channels, layers.c_str(), run.train.numClasses,
              run.train.steps, (long long)s.maxDelay, snnrt::toString(s.delays),
              recipe.c_str(), run.train.size(), val.c_str(),
              run.test ? run.test->size() : size_t(0), (long long)run.threads,
              s.device == snnrt::Device::Cuda ? ", on cuda" : "",
              s.resume ? (", resuming after epoch " +
                          std::to_string(run.trainer->epochsDone()))
                             .c_str()
                       : "");
}

void printEpoch(const snnrt::EpochReport &r) {
  char test[32] = "-", val[32] = "";
  if (r.testAccuracy >= 0)
    std::snprintf(test, sizeof test, "%5.1f%%", 100 * r.testAccuracy);
  // '*' marks the epoch whose network is kept so far.
  if (r.valAccuracy >= 0)
    std::snprintf(val, sizeof val, "  val %5.1f%%%s", 100 * r.valAccuracy,
                  r.improved ? "*" : " ");
  // "on grid": a quantisation-aware epoch (the plan's network).
  std::printf("epoch %3lld/%lld  loss %.4f  train %5.1f%%%s  test %s  "
              "sigma %.3g  %s  ETA %s%s\n",
              (long long)r.epoch, (long long)r.epochs, r.loss,
              100 * r.trainAccuracy, val, test, r.sigma,
              cli::formatDuration(r.seconds, true).c_str(),
              cli::formatDuration(r.etaSeconds, true).c_str(),
              r.quantAware ? "  on grid" : "");
  std::fflush(stdout);
}

/// The integer grid `snnc compile --target name` quantises to (its weight
/// and state bits, arithmetic, and compile's input fractional bits). A
/// target whose grid is not modelled (Xylo) is an error unless `automatic`,
/// which then leaves `grid` unset and returns ok with `modelled` false.
snnrt::Status resolveQuantGrid(const std::string &name, bool automatic,
                               snnrt::WeightGrid &grid, bool &modelled) {
  modelled = true;
#if SNNC_HAVE_COMPILER
  llvm::Expected<Target> target = loadTarget(name);
  if (!target)
    return snnrt::Status::error("--quant-target: " +
                                    llvm::toString(target.takeError()),
                                snnrt::ErrorKind::BadInput);
  modelled = target->arithmetic != TargetArithmetic::XyloIaf;
  if (!modelled && automatic)
    return snnrt::Status::ok();
  if (!modelled)
    return snnrt::Status::error(
        "--quant-target " + name +
            ": Xylo's per-matrix weight shifts are not modelled by "
            "quantisation-aware training (loihi, loihi2 and snnc-arithmetic "
            "targets are)",
        snnrt::ErrorKind::BadInput);
  LoweringOptions lowering = loweringOptionsFor(*target);
  grid.weightBits = lowering.weightBits;
  grid.stateBits = lowering.stateBits;
  grid.lava = target->arithmetic == TargetArithmetic::LavaCuba;
  // populateLoweringPipeline: per-neuron units only under snnc's arithmetic.
  grid.perNeuronScale =
      lowering.perNeuronScale && lowering.arithmetic == snn::Arithmetic::snnc;
  grid.inputFracBits = lowering.inputFracBits;
  grid.snapDecays = lowering.decay == snn::IntDecayMode::mul12;
  // The float neuron each arithmetic runs (SNN-F13).
  grid.convention = grid.lava ? snnrt::NeuronConvention::Lava
                              : snnrt::NeuronConvention::Paper;
  return snnrt::Status::ok();
#else
  if (name != "loihi2")
    return snnrt::Status::error("--quant-target " + name +
                                    ": this snnc is built without the "
                                    "compiler, which knows only loihi2's grid",
                                snnrt::ErrorKind::BadInput);
  (void)automatic;
  grid = snnrt::loihi2Grid();
  return snnrt::Status::ok();
#endif
}

} // namespace

std::string checkTrainArguments(const std::vector<std::string> &args) {
  snnrt::TrainSettings settings;
  TrainCliOptions opts;
  cli::ArgParser p("train", "");
  addTrainOptions(p, settings, opts);
  std::string error;
  p.setErrorSink(&error);
  std::vector<std::string> all = {"train", "--train", "-", "--out", "-"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &a : all)
    argv.push_back(a.data());
  if (auto rc = p.parse(int(argv.size()), argv.data()); rc && error.empty())
    error = "not an option of snnc train";
  return error;
}

int runTrain(int argc, char **argv) {
  const char *cmd = "train";
  snnrt::TrainSettings settings;
  TrainCliOptions opts;
  cli::ArgParser p(cmd, "Train a delay SNN (BPTT, surrogate gradients, DCLS "
                        "delays) on a dataset file.");
  // The recipe sets the defaults the other options then override, so it is
  // read before them (and --help shows the chosen recipe's defaults).
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--recipe" && i + 1 < argc)
      opts.recipe = argv[i + 1];
    else if (a.rfind("--recipe=", 0) == 0)
      opts.recipe = a.substr(9);
  }
  auto recipe = snnrt::parseRecipe(opts.recipe);
  snnrt::applyRecipe(settings, recipe ? *recipe : snnrt::Recipe::Fast);
  addTrainOptions(p, settings, opts);
  if (auto rc = p.parse(argc, argv))
    return *rc;
  // Several ranks on cuda exchange gradients between GPUs through NCCL; a
  // build without it says so before looking for a GPU, so that the reason
  // is the same on every machine.
  if (opts.device == "cuda" && !snnrt::builtWithNccl()) {
    auto world = snnrt::worldCollective();
    if (world && (*world)->size() > 1) {
      snnrt::Collective &ranks = **world;
      int rc = cli::reportError(
          cmd, snnrt::Status::error(
                   "data-parallel training on cuda over " +
                       std::to_string(ranks.size()) +
                       " ranks needs NCCL, and this snnc was built without it "
                       "(SNNC_ENABLE_NCCL needs the CUDA backend, MPI and "
                       "nccl.h); train on the CPU (--device cpu) or in one "
                       "process",
                   snnrt::ErrorKind::BadInput)
                   .withContext("rank " + std::to_string(ranks.rank()) +
                                " of " + std::to_string(ranks.size())));
      ranks.abort(rc);
    }
  }
  if (auto rc = cli::resolveDeviceOption(cmd, opts.device, settings.device))
    return *rc;
  settings.delays = *snnrt::parseDelayMode(opts.delays);
  settings.reset = opts.reset == "subtract" ? snnrt::ResetMode::Subtract
                                            : snnrt::ResetMode::Hard;
  settings.convention = *snnrt::parseNeuronConvention(opts.convention);
  if (settings.convention != snnrt::NeuronConvention::Paper &&
      settings.reset != snnrt::ResetMode::Hard)
    return cli::reportError(
        cmd, snnrt::Status::error("--neuron-convention " + opts.convention +
                                      " needs --reset hard: Lava's LIF "
                                      "zeroes v, it has no subtract reset "
                                      "(SNN-F13)",
                                  snnrt::ErrorKind::BadInput));
  settings.decay =
      opts.decay == "exp" ? snnrt::DecayMode::Exp : snnrt::DecayMode::Linear;
  settings.rewire = *snnrt::parseRewireMode(opts.rewire);
  settings.sparseFormat = *snnrt::parseSparseFormat(opts.sparseFormat);
  settings.batchnorm = !opts.noBatchnorm;
  snnrt::parseValidationGroups(opts.valSplit, settings.valGroups);
  if (!(settings.valFraction >= 0 && settings.valFraction < 1))
    return cli::reportError(
        cmd, snnrt::Status::error("--val-fraction must lie in [0, 1)",
                                  snnrt::ErrorKind::BadInput));
  if (settings.patience > 0 && settings.valFraction == 0)
    return cli::reportError(
        cmd, snnrt::Status::error("--patience needs a validation split "
                                  "(--val-fraction)",
                                  snnrt::ErrorKind::BadInput));
  if (!(settings.emaDecay >= 0 && settings.emaDecay < 1))
    return cli::reportError(
        cmd, snnrt::Status::error("--ema-decay must lie in [0, 1)",
                                  snnrt::ErrorKind::BadInput));
  if (!(settings.warmup >= 0 && settings.warmup <= 1))
    return cli::reportError(cmd,
                            snnrt::Status::error("--warmup must lie in [0, 1]",
                                                 snnrt::ErrorKind::BadInput));
  if (settings.quantAwareEpochs > settings.epochs)
    return cli::reportError(
        cmd, snnrt::Status::error(
                 "--quant-aware-epochs " +
                     std::to_string(settings.quantAwareEpochs) +
                     " exceeds --epochs " + std::to_string(settings.epochs),
                 snnrt::ErrorKind::BadInput));
  if (snnrt::quantAwareEpochs(settings) > 0) {
    // The recipes' automatic setting applies where the target's plan can be
    // trained; an explicit one must.
    const bool automatic = settings.quantAwareEpochs < 0;
    bool modelled = true;
    if (auto st = resolveQuantGrid(opts.quantTarget, automatic,
                                   settings.quantGrid, modelled);
        !st)
      return cli::reportError(cmd, st);
    const bool lavaReset =
        settings.quantGrid.convention == snnrt::NeuronConvention::Lava &&
        settings.reset != snnrt::ResetMode::Hard;
    if (automatic && (!modelled || lavaReset))
      settings.quantAwareEpochs = 0;
    else if (lavaReset)
      return cli::reportError(
          cmd, snnrt::Status::error("--quant-target " + opts.quantTarget +
                                        " runs Lava's neuron, which zeroes v: "
                                        "train with --reset hard",
                                    snnrt::ErrorKind::BadInput));
  }
  if (settings.checkpointPath.empty())
    settings.checkpointPath = opts.outPath + ".ckpt";
  if (auto st = checkTrainFiles(settings, opts.outPath); !st)
    return cli::reportError(cmd, st);

  // Under an MPI launcher every rank runs this; rank 0 alone prints and
  // writes, and a rank that fails stops them all (the others would wait).
  auto world = snnrt::worldCollective();
  if (!world)
    return cli::reportError(cmd, world.status());
  snnrt::Collective &ranks = **world;
  settings.collective = &ranks;
  const bool lead = ranks.rank() == 0;
  auto fail = [&](const snnrt::Status &st) {
    int rc = cli::reportError(
        cmd, ranks.size() > 1 ? snnrt::Status(st).withContext(
                                    "rank " + std::to_string(ranks.rank()) +
                                    " of " + std::to_string(ranks.size()))
                              : st);
    if (ranks.size() > 1)
      ranks.abort(rc);
    return rc;
  };
  const bool quiet = opts.quiet || !lead;

  auto run = snnrt::setupTraining(settings);
  if (!run)
    return fail(run.status());
  snnrt::TrainingRun &r = **run;
  if (!quiet) {
    printHeader(settings, r, opts.recipe);
    if (ranks.size() > 1)
      std::printf("data-parallel: %d ranks, micro-batches of %lld samples%s\n",
                  ranks.size(), (long long)settings.microBatch,
                  settings.device == snnrt::Device::Cuda ? ", a GPU each (NCCL)"
                                                         : "");
    if (settings.emaDecay > 0)
      std::printf("weight averaging: decay %g per step from epoch %lld on; "
                  "evaluation, validation and the network kept use the "
                  "average\n",
                  settings.emaDecay, (long long)(settings.emaStartEpoch + 1));
    if (const int64_t k = snnrt::quantAwareEpochs(settings); k > 0) {
      const snnrt::WeightGrid &g = settings.quantGrid;
      std::printf(
          "quantisation-aware: epochs %lld-%lld run %s's plan (%lld-bit "
          "weights, %s units, %s neuron, rounded delays, frozen BatchNorm "
          "statistics); the network kept is one of them\n",
          (long long)(settings.epochs - k + 1), (long long)settings.epochs,
          opts.quantTarget.c_str(), (long long)g.weightBits,
          g.perNeuronScale ? "per-neuron" : "per-layer",
          g.convention ? snnrt::toString(*g.convention) : "the model's");
    }
  }
  snnrt::Status s = r.trainer->run([&](const snnrt::EpochReport &report) {
    if (!quiet)
      printEpoch(report);
  });
  if (!s)
    return fail(s);
  if (!lead)
    return cli::kSuccess;
  if (r.rewirer && !opts.quiet)
    std::printf("sparsity %.4g, rewire %s: %llu rewirings, %llu synapses "
                "removed and regrown\n",
                settings.sparsity, opts.rewire.c_str(),
                (unsigned long long)r.rewirer->stats().rewirings,
                (unsigned long long)r.rewirer->stats().removed);
  snnrt::Model kept = r.trainer->model();
  if (auto w =
          snnrt::writeTrainedModel(opts.outPath, kept, r.trainer->history());
      !w)
    return cli::reportError(cmd, w);
  if (!opts.quiet) {
    if (r.validation) {
      std::string test;
      if (kept.training.testAccuracy >= 0) {
        char buf[64];
        std::snprintf(buf, sizeof buf, ", test %.2f %% (reported only)",
                      100 * kept.training.testAccuracy);
        test = buf;
      }
      std::printf(
          "%skept epoch %lld of %lld, the best on the validation "
          "split (%zu samples%s)%s\n",
          r.trainer->stoppedEarly() ? "stopped early: " : "",
          (long long)r.trainer->bestEpoch(), (long long)r.trainer->epochsDone(),
          r.validation->size(),
          r.validationBySpeaker
              ? (", " + std::to_string(r.validationSpeakers) +
                 (r.validationByVariant ? " voice variants" : " speakers") +
                 " not trained on")
                    .c_str()
              : "",
          test.c_str());
    }
    std::printf("wrote %s\n", opts.outPath.c_str());
  }
  return cli::kSuccess;
}

} // namespace snnc
