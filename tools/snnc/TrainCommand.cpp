//===- TrainCommand.cpp - snnc train --------------------------------------===//
//
// Options and per-epoch output only; the network is built by
// snnrt::buildFeedForward and trained by snnrt::Trainer. Defaults are the
// paper's setting (REFERENCE.md §1), adapted to the dataset's channels,
// classes and steps.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "DeviceOption.h"
#include "Files.h"

#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <cmath>
#include <cstdio>
#include <thread>

namespace snnc {

namespace {
std::string duration(double s) {
  char buf[32];
  long t = long(std::lround(s));
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}
} // namespace

int runTrain(int argc, char **argv) {
  const char *cmd = "train";
  std::string trainPath, testPath, outPath, checkpoint, delays = "learn",
                                                        reset = "hard",
                                                        decay = "linear";
  int64_t epochs = 150, batch = 256, hidden = 256, maxDelay = 25, seed = 1,
          threads = 0, sigmaEpochs = 37;
  double lr = 2e-4, lrMax = 5e-3, lrPos = 0.1, l1 = 0.01, dropout = 0.4,
         tauMem = 10.05, tauSyn = 0, inputScale = -1, sigmaEnd = 0.23,
         threshold = 1.0;
  bool noBatchnorm = false, resume = false, trainBias = false, quiet = false;
  // Sparse training (docs/sparse-training.md); sparsity < 0 keeps it dense.
  double sparsity = -1, excitatory = 0.5, rewireTemp = 0, rewireL1 = 0;
  std::string rewire = "none", device = "cpu";
  int64_t rewireInterval = 1, riglCandidates = 0;
  cli::ArgParser p(cmd, "Train a delay SNN (BPTT, surrogate gradients, DCLS "
                        "delays) on a dataset file.");
  p.addString("--train", &trainPath, "training dataset (.h5)", "FILE", true);
  p.addString("--test", &testPath, "test dataset, evaluated every epoch",
              "FILE");
  p.addString("--out", &outPath, "trained model (.h5)", "MODEL.h5", true);
  p.addInt("--epochs", &epochs, "epochs", 0, 1000000);
  p.addInt("--batch", &batch, "samples per batch", 1, 1 << 20);
  p.addInt("--hidden", &hidden, "hidden LIF neurons", 1, 1 << 24);
  p.addInt("--max-delay", &maxDelay, "delay taps Dmax (delays in [0, Dmax))",
           1, 1 << 16);
  p.addChoice("--delays", &delays, {"learn", "frozen", "none"},
              "learned (DCLS), frozen random, or all zero");
  p.addInt("--seed", &seed, "seed of initialisation, shuffling and dropout",
           0, INT64_MAX);
  p.addInt("--threads", &threads, "worker threads (0: all cores)", 0, 1024);
  p.addDouble("--lr", &lr,
              "OneCycle start rate of weights (the paper's PyTorch OneCycleLR "
              "starts at max/25)");
  p.addDouble("--lr-max", &lrMax, "OneCycle peak learning rate of weights");
  p.addDouble("--lr-positions", &lrPos,
              "Adam learning rate of DCLS positions (cosine annealed)");
  p.addDouble("--l1", &l1, "L1 penalty on weights (SNN-F10)");
  p.addDouble("--dropout", &dropout, "hidden dropout rate (SNN-F12)");
  p.addDouble("--tau-mem", &tauMem, "membrane time constant in steps");
  p.addDouble("--tau-syn", &tauSyn,
              "CuBa synaptic time constant in steps (0: none, SNN-F8)");
  p.addDouble("--threshold", &threshold, "LIF threshold");
  p.addChoice("--reset", &reset, {"hard", "subtract"}, "LIF reset (SNN-F7)");
  p.addChoice("--decay", &decay, {"linear", "exp"},
              "beta = 1 - dt/tau or exp(-dt/tau) (SNN-F6)");
  p.addDouble("--input-scale", &inputScale,
              "input multiplier (SNN-F1); -1: 20 for frames, 1 for spikes");
  p.addDouble("--sigma-end", &sigmaEnd, "DCLS width after annealing");
  p.addInt("--sigma-epochs", &sigmaEpochs, "epochs over which sigma anneals",
           0, 1000000);
  p.addDouble("--sparsity", &sparsity,
              "fraction of absent synapses, exact budget per projection, "
              "Dale signs (e.g. 0.75 = 1 - 2^-2; -1: dense, unsigned)");
  p.addChoice("--rewire", &rewire, {"none", "deepr", "rigl"},
              "with --sparsity: fixed mask, DEEP R (random regrowth) or "
              "RigL (regrowth at the most negative gradients)");
  p.addInt("--rewire-interval", &rewireInterval,
           "rewire after every N optimiser steps", 1, INT64_MAX);
  p.addDouble("--rewire-temperature", &rewireTemp,
              "DEEP R noise temperature (0: none)");
  p.addDouble("--rewire-l1", &rewireL1, "DEEP R L1 step per optimiser step");
  p.addInt("--rigl-candidates", &riglCandidates,
           "RigL: gradients for at most N x removed absent slots (0: all)", 0,
           1 << 20);
  p.addDouble("--excitatory", &excitatory,
              "fraction of excitatory presynaptic neurons (Dale signs)");
  p.addFlag("--no-batchnorm", &noBatchnorm, "no BatchNorm on hidden layers");
  p.addFlag("--train-bias", &trainBias, "also train neuron biases (and CuBa synaptic biases, bias_syn)");
  p.addString("--checkpoint", &checkpoint,
              "checkpoint written every epoch [default: MODEL.h5.ckpt]",
              "FILE");
  p.addFlag("--resume", &resume, "continue from the checkpoint exactly");
  p.addFlag("--quiet", &quiet, "no per-epoch output");
  cli::addDeviceOption(p, &device);
  p.setEpilog(
      "A checkpoint is written after every epoch; if a run stops (Ctrl-C, a "
      "crash, a\nlimit), the same command with --resume continues it and "
      "ends with the model an\nuninterrupted run writes.\n\n"
      "example:\n  snnc train --train digits/train.h5 --test digits/test.h5 "
      "--out model.h5 --epochs 50");
  if (auto rc = p.parse(argc, argv))
    return *rc;
  snnrt::Device dev = snnrt::Device::Cpu;
  if (auto rc = cli::resolveDeviceOption(cmd, device, dev))
    return *rc;

  // Inputs and outputs are checked before a possibly long run starts.
  if (checkpoint.empty())
    checkpoint = outPath + ".ckpt";
  for (const std::string *in : {&trainPath, &testPath})
    if (!in->empty())
      if (auto st = cli::expectFile(*in, {cli::FileKind::Dataset}, "a dataset",
                                    cli::kExpectDataset);
          !st)
        return cli::reportError(cmd, st);
  if (resume) {
    cli::FileKind k = cli::fileKind(checkpoint);
    if (k == cli::FileKind::Missing)
      return cli::reportError(
          cmd, snnrt::Status::error(
                   checkpoint + ": no such file (--resume continues from the "
                                "checkpoint an earlier run wrote; --checkpoint "
                                "FILE names it)",
                   snnrt::ErrorKind::Io));
    if (auto st = cli::expectFile(checkpoint, {cli::FileKind::Checkpoint},
                                  "a training checkpoint",
                                  "the MODEL.h5.ckpt an interrupted 'snnc "
                                  "train' wrote");
        !st)
      return cli::reportError(cmd, st);
  }
  for (const std::string *out : {&outPath, &checkpoint})
    if (auto st = cli::checkOutputFile(*out); !st)
      return cli::reportError(cmd, st);

  auto train = snnrt::readDataset(trainPath);
  if (!train)
    return cli::reportError(cmd, train.status());
  std::optional<snnrt::Dataset> test;
  if (!testPath.empty()) {
    auto t = snnrt::readDataset(testPath);
    if (!t)
      return cli::reportError(cmd, t.status());
    test = t.take();
  }
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());

  snnrt::NetworkSpec spec;
  spec.inputs = train->channels;
  spec.hidden = {uint32_t(hidden)};
  spec.outputs = train->numClasses;
  spec.steps = train->steps;
  spec.dt = train->dtSeconds;
  spec.tauMemSteps = tauMem;
  if (tauSyn > 0)
    spec.tauSynSteps = tauSyn;
  spec.decay = decay == "exp" ? snnrt::DecayMode::Exp
                              : snnrt::DecayMode::Linear;
  spec.threshold = threshold;
  spec.reset = reset == "subtract" ? snnrt::ResetMode::Subtract
                                   : snnrt::ResetMode::Hard;
  spec.inputKind = train->kind;
  spec.inputScale = inputScale >= 0
                        ? inputScale
                        : (train->kind == snnrt::InputKind::Frames ? 20.0 : 1.0);
  spec.maxDelay = uint32_t(maxDelay);
  spec.delays = *snnrt::parseDelayMode(delays);
  spec.batchnorm = !noBatchnorm;
  spec.dropout = dropout;

  snnrt::TrainConfig cfg;
  cfg.epochs = epochs;
  cfg.batch = uint32_t(batch);
  cfg.seed = uint64_t(seed);
  cfg.threads = int(threads);
  cfg.lrWeights = lr;
  cfg.lrWeightsMax = lrMax;
  cfg.lrPositions = lrPos;
  cfg.l1 = l1;
  cfg.sigmaEnd = sigmaEnd;
  cfg.sigmaEpochs = sigmaEpochs;
  cfg.trainBias = trainBias;
  cfg.checkpointPath = checkpoint;
  cfg.device = dev;

  const snnrt::Dataset *testPtr = test ? &*test : nullptr;
  std::unique_ptr<snnrt::Trainer> trainer;
  std::optional<snnrt::Model> initial;
  if (!resume) {
    auto model = snnrt::buildFeedForward(spec, cfg.seed);
    if (!model)
      return cli::reportError(cmd, model.status());
    initial = model.take();
    if (sparsity >= 0) {
      snnrt::SparsitySpec ss;
      ss.sparsity = sparsity;
      ss.excitatoryFraction = excitatory;
      if (auto st = snnrt::sparsify(*initial, ss, cfg.seed); !st)
        return cli::reportError(cmd, st);
    }
  } else {
    // The structure (mask, signs) comes from the checkpoint.
    auto model = snnrt::readModel(checkpoint);
    if (!model)
      return cli::reportError(cmd, model.status());
    initial = model.take();
    bool sparseRun = false;
    for (const auto &pj : initial->projections)
      sparseRun |= !pj.signs.empty() && !pj.mask.empty();
    // Without the rewirer, theta could go below 0 and flip a synapse
    // against its source's sign (SNN-F2).
    if (sparseRun && sparsity < 0)
      return cli::reportError(
          cmd, snnrt::Status::error(checkpoint +
                                        ": a sparse run (mask and Dale "
                                        "signs); resume it with the same "
                                        "--sparsity and --rewire",
                                    snnrt::ErrorKind::BadInput));
  }
  std::shared_ptr<snnrt::Rewirer> rewirer;
  if (sparsity >= 0) {
    snnrt::RewireConfig rc;
    rc.mode = *snnrt::parseRewireMode(rewire);
    rc.interval = rewireInterval;
    rc.temperature = rewireTemp;
    rc.l1Step = rewireL1;
    rc.candidates = uint32_t(riglCandidates);
    rc.seed = cfg.seed;
    snnrt::attachRewiring(cfg, *initial, rc, &rewirer);
  } else if (rewire != "none") {
    return cli::reportError(
        cmd, snnrt::Status::error("--rewire needs --sparsity (the budget)",
                                  snnrt::ErrorKind::BadInput));
  }
  if (resume) {
    auto t = snnrt::Trainer::resume(checkpoint, cfg, *train, testPtr);
    if (!t)
      return cli::reportError(cmd, t.status());
    trainer = t.take();
  } else {
    auto t = snnrt::Trainer::create(*initial, cfg, *train, testPtr);
    if (!t)
      return cli::reportError(cmd, t.status());
    trainer = t.take();
  }
  if (!quiet)
    std::printf("training %u -> %lld -> %u, T=%u, Dmax=%lld, delays %s, %zu "
                "train / %zu test samples, %lld threads%s%s\n",
                train->channels, (long long)hidden, train->numClasses,
                train->steps, (long long)maxDelay, delays.c_str(),
                train->size(), test ? test->size() : size_t(0),
                (long long)threads,
                dev == snnrt::Device::Cuda ? ", on cuda" : "",
                resume ? (", resuming after epoch " +
                          std::to_string(trainer->epochsDone()))
                             .c_str()
                       : "");
  snnrt::Status s = trainer->run([&](const snnrt::EpochReport &r) {
    if (quiet)
      return;
    char test[32] = "-";
    if (r.testAccuracy >= 0)
      std::snprintf(test, sizeof test, "%5.1f%%", 100 * r.testAccuracy);
    std::printf("epoch %3lld/%lld  loss %.4f  train %5.1f%%  test %s  "
                "sigma %.3g  %s  ETA %s\n",
                (long long)r.epoch, (long long)r.epochs, r.loss,
                100 * r.trainAccuracy, test, r.sigma,
                duration(r.seconds).c_str(), duration(r.etaSeconds).c_str());
    std::fflush(stdout);
  });
  if (!s)
    return cli::reportError(cmd, s);
  if (rewirer && !quiet)
    std::printf("sparsity %.4g, rewire %s: %llu rewirings, %llu synapses "
                "removed and regrown\n",
                sparsity, rewire.c_str(),
                (unsigned long long)rewirer->stats().rewirings,
                (unsigned long long)rewirer->stats().removed);
  snnrt::Model model = trainer->model();
  if (auto w = snnrt::writeModel(outPath, model); !w)
    return cli::reportError(cmd, w);
  if (!quiet)
    std::printf("wrote %s\n", outPath.c_str());
  return cli::kSuccess;
}

} // namespace snnc
