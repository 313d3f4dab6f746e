//===- Pipelines.cpp - The snnc pass pipelines ----------------------------===//

#include "snnc/Pipelines/Pipelines.h"

#include "snnc/Import/EnumTranslation.h"
#include "snnc/Target/Target.h"
#include "snnc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace snnc {

LoweringOptions loweringOptionsFor(const Target &target) {
  LoweringOptions o;
  o.weightBits = target.weightBits;
  o.stateBits = target.stateBits;
  o.decay = toDialect(target.decay);
  o.arithmetic = toDialect(target.arithmetic);
  if (target.delays == DelayRealisation::Relay) {
    o.maxDelay = target.maxDelay;
    o.relays = true;
  }
  return o;
}

void populateFloatPreparationPipeline(OpPassManager &pm,
                                      const LoweringOptions &options) {
  OpPassManager &net = pm.nest<snn::NetworkOp>();
  // BatchNorm first: its scale multiplies the weights that pruning ranks
  // and quantisation rounds (SNN-F5).
  net.addPass(createFoldBatchNormPass());
  DiscretizeDelaysPassOptions discretize;
  discretize.maxSigma = options.maxSigma;
  net.addPass(createDiscretizeDelaysPass(discretize));
}

void populateLoweringPipeline(OpPassManager &pm,
                              const LoweringOptions &options) {
  populateFloatPreparationPipeline(pm, options);
  OpPassManager &net = pm.nest<snn::NetworkOp>();
  if (options.pruneDensity < 1.0 || options.maxFanIn > 0) {
    PrunePassOptions prune;
    prune.density = options.pruneDensity;
    prune.maxFanIn = options.maxFanIn;
    net.addPass(createPrunePass(prune));
  }
  QuantizePassOptions quantize;
  quantize.weightBits = options.weightBits;
  quantize.stateBits = options.stateBits;
  quantize.perNeuronScale =
      options.perNeuronScale && options.arithmetic == snn::Arithmetic::snnc;
  quantize.decay = options.decay;
  quantize.arithmetic = options.arithmetic;
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
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target preset or JSON file (docs/targets.md) whose "
                     "bits, decay and delay slots the other options override"),
      llvm::cl::init("")};
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
  Option<snn::IntDecayMode> decay{
      *this, "decay", llvm::cl::desc("Integer decay"),
      llvm::cl::init(defaults.decay),
      llvm::cl::values(clEnumValN(snn::IntDecayMode::mul12, "mul12",
                                  "v * (4096 - d) >> 12 (SNN-I4, Loihi-like)"),
                       clEnumValN(snn::IntDecayMode::shift, "shift",
                                  "v - (v >> k) (SNN-I5, Xylo-like)"))};
  Option<snn::Arithmetic> arithmetic{
      *this, "arithmetic", llvm::cl::desc("Integer arithmetic"),
      llvm::cl::init(defaults.arithmetic),
      llvm::cl::values(
          clEnumValN(snn::Arithmetic::snnc, "snnc", "snnc's rules (SNN-I*)"),
          clEnumValN(snn::Arithmetic::lava_cuba, "lava-cuba",
                     "Lava's fixed-point CUBA LIF (SNN-L)"),
          clEnumValN(snn::Arithmetic::xylo_iaf, "xylo-iaf",
                     "XyloSim's integer IAF (SNN-X)"))};
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

  /// The options of `target` (if any), then every explicitly given option.
  llvm::Expected<LoweringOptions> get() const {
    LoweringOptions o;
    if (!target.empty()) {
      llvm::Expected<Target> t = loadTarget(target);
      if (!t)
        return t.takeError();
      o = loweringOptionsFor(*t);
    }
    auto set = [](auto &field, const auto &option) {
      if (option.hasValue())
        field = option;
    };
    set(o.maxSigma, maxSigma);
    set(o.pruneDensity, pruneDensity);
    set(o.maxFanIn, maxFanIn);
    set(o.weightBits, weightBits);
    set(o.stateBits, stateBits);
    set(o.perNeuronScale, perNeuronScale);
    set(o.decay, decay);
    set(o.arithmetic, arithmetic);
    set(o.inputFracBits, inputFracBits);
    set(o.maxDelay, maxDelay);
    set(o.relays, relays);
    return o;
  }
};
} // namespace

void registerPipelines() {
  // registerPassPipeline rather than PassPipelineRegistration: an unknown
  // target must fail pipeline construction with a message, which the latter's
  // void builder cannot do.
  registerPassPipeline(
      "snn-lower",
      "Lower a trained snn network to an integer network within a chip's "
      "limits: fold-batchnorm, discretize-delays, prune, quantize, "
      "delay-extension",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        LoweringPipelineOptions options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        llvm::Expected<LoweringOptions> lowering = options.get();
        if (!lowering)
          return errorHandler("snn-lower: " +
                              llvm::toString(lowering.takeError()));
        populateLoweringPipeline(pm, *lowering);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(LoweringPipelineOptions());
      });
}

} // namespace snnc
