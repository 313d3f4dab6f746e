//===- Pipelines.h - The snnc pass pipelines --------------------*- C++ -*-===//
//
// Library functions that build pass pipelines (firtool style), so that
// `snn-opt` (through the registered `snn-lower` pipeline) and `snnc compile`
// run exactly the same passes with the same options.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"

#include <cstdint>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace snnc {

struct Target;

/// Options of the lowering pipeline: a trained float network to an integer
/// network within a chip's limits. The defaults lower the paper's network
/// for an 8-bit, 24-bit-state, Loihi-like target.
struct LoweringOptions {
  /// snn-discretize-delays: refuse un-annealed DCLS kernels (< 0: no check).
  double maxSigma = -1.0;
  /// snn-prune: fraction of each projection kept (1: no density pruning).
  double pruneDensity = 1.0;
  /// snn-prune: most synapses per neuron (0: no limit).
  int64_t maxFanIn = 0;
  /// snn-quantize.
  int64_t weightBits = 8;
  int64_t stateBits = 24;
  /// Ignored under Lava's arithmetic, whose thresholds are per population.
  bool perNeuronScale = true;
  snn::IntDecayMode decay = snn::IntDecayMode::mul12;
  snn::Arithmetic arithmetic = snn::Arithmetic::snnc;
  int64_t inputFracBits = 4;
  /// snn-delay-extension: delays must be < maxDelay (0: no limit, pass
  /// skipped); relays = false makes long delays errors.
  int64_t maxDelay = 0;
  bool relays = true;
};

/// The lowering options a target implies: its weight and state bits, its
/// integer decay and arithmetic, and relays for delays of at least its
/// `maxDelay` when it realises delays by relays (a target with native delays
/// only leaves long delays to `snn-map-to-cores`, which names the limit). This
/// is the only place a target property becomes a lowering option.
LoweringOptions loweringOptionsFor(const Target &target);

/// Appends fold-batchnorm and discretize-delays: the float network as
/// trained, with integer delays (the reference quantisation is measured
/// against).
void populateFloatPreparationPipeline(mlir::OpPassManager &pm,
                                      const LoweringOptions &options);

/// Appends the float preparation, prune (when asked), quantize and
/// delay-extension (when maxDelay > 0), nested on every snn.network of the
/// module `pm` runs on.
void populateLoweringPipeline(mlir::OpPassManager &pm,
                              const LoweringOptions &options);

/// Registers `snn-lower{target=... weight-bits=... ...}` for snn-opt:
/// `target` (a preset name or a target JSON file, through loadTarget) first,
/// then every option given explicitly overrides it.
void registerPipelines();

} // namespace snnc
