//===- Pipelines.cpp - The snnc pass pipelines ----------------------------===//

#include "snnc/Pipelines/Pipelines.h"

#include "snnc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace snnc {

void populateLoweringPipeline(OpPassManager &pm,
                              const LoweringOptions &options) {
  OpPassManager &net = pm.nest<snn::NetworkOp>();
  // BatchNorm first: its scale multiplies the weights that pruning ranks
  // and quantisation rounds (SNN-F5).
  net.addPass(createFoldBatchNormPass());
  DiscretizeDelaysPassOptions discretize;
  discretize.maxSigma = options.maxSigma;
  net.addPass(createDiscretizeDelaysPass(discretize));
  if (options.pruneDensity < 1.0 || options.maxFanIn > 0) {
    PrunePassOptions prune;
    prune.density = options.pruneDensity;
    prune.maxFanIn = options.maxFanIn;
    net.addPass(createPrunePass(prune));
  }
  QuantizePassOptions quantize;
  quantize.weightBits = options.weightBits;
  quantize.stateBits = options.stateBits;
  quantize.perNeuronScale = options.perNeuronScale;
  quantize.decay = options.decay;
  quantize.inputFracBits = options.inputFracBits;
  net.addPass(createQuantizePass(quantize));
  // Relays last: they are integer neurons built to be exact under SNN-I10,
  // so they must not pass through quantisation's rescaling.
  if (options.maxDelay > 0) {
    DelayExtensionPassOptions extension;
    extension.maxDelay = options.maxDelay;
    extension.relays = options.relays;
    net.addPass(createDelayExtensionPass(extension));
  }
}

namespace {
struct LoweringPipelineOptions
    : public PassPipelineOptions<LoweringPipelineOptions> {
  LoweringOptions defaults;
  Option<double> maxSigma{*this, "max-sigma",
                          llvm::cl::desc("Refuse DCLS sigma above this (<0: "
                                         "no check)"),
                          llvm::cl::init(defaults.maxSigma)};
  Option<double> pruneDensity{
      *this, "prune-density",
      llvm::cl::desc("Fraction of each projection's synapses kept"),
      llvm::cl::init(defaults.pruneDensity)};
  Option<int64_t> maxFanIn{*this, "max-fan-in",
                           llvm::cl::desc("Most synapses per neuron (0: none)"),
                           llvm::cl::init(defaults.maxFanIn)};
  Option<int64_t> weightBits{*this, "weight-bits",
                             llvm::cl::desc("Signed weight bits"),
                             llvm::cl::init(defaults.weightBits)};
  Option<int64_t> stateBits{*this, "state-bits",
                            llvm::cl::desc("Signed state bits"),
                            llvm::cl::init(defaults.stateBits)};
  Option<bool> perNeuronScale{*this, "per-neuron-scale",
                              llvm::cl::desc("One weight scale per neuron"),
                              llvm::cl::init(defaults.perNeuronScale)};
  Option<std::string> decay{*this, "decay",
                            llvm::cl::desc("Integer decay: mul12 or shift"),
                            llvm::cl::init(defaults.decay)};
  Option<int64_t> inputFracBits{
      *this, "input-frac-bits",
      llvm::cl::desc("Fractional bits kept of frame inputs"),
      llvm::cl::init(defaults.inputFracBits)};
  Option<int64_t> maxDelay{*this, "max-delay",
                           llvm::cl::desc("Delays must be < this (0: no "
                                          "limit)"),
                           llvm::cl::init(defaults.maxDelay)};
  Option<bool> relays{*this, "relays",
                      llvm::cl::desc("Relay neurons for long delays"),
                      llvm::cl::init(defaults.relays)};

  LoweringOptions get() const {
    LoweringOptions o;
    o.maxSigma = maxSigma;
    o.pruneDensity = pruneDensity;
    o.maxFanIn = maxFanIn;
    o.weightBits = weightBits;
    o.stateBits = stateBits;
    o.perNeuronScale = perNeuronScale;
    o.decay = decay;
    o.inputFracBits = inputFracBits;
    o.maxDelay = maxDelay;
    o.relays = relays;
    return o;
  }
};
} // namespace

void registerPipelines() {
  PassPipelineRegistration<LoweringPipelineOptions>(
      "snn-lower",
      "Lower a trained snn network to an integer network within a chip's "
      "limits: fold-batchnorm, discretize-delays, prune, quantize, "
      "delay-extension",
      [](OpPassManager &pm, const LoweringPipelineOptions &options) {
        populateLoweringPipeline(pm, options.get());
      });
}

} // namespace snnc
