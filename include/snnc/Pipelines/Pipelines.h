//===- Pipelines.h - The snnc pass pipelines --------------------*- C++ -*-===//
//
// Library functions that build pass pipelines (firtool style), so that
// `snn-opt` (through the registered `snn-lower` pipeline) and `snnc compile`
// run exactly the same passes with the same options.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace snnc {

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
  bool perNeuronScale = true;
  std::string decay = "mul12"; ///< mul12 | shift
  int64_t inputFracBits = 4;
  /// snn-delay-extension: delays must be < maxDelay (0: no limit, pass
  /// skipped); relays = false makes long delays errors.
  int64_t maxDelay = 0;
  bool relays = true;
};

/// The option values of a built-in target preset (REFERENCE.md §4): "loihi",
/// "loihi2", "xylo", "spinnaker". Fails for any other name. These presets
/// cover only what lowering needs (bits, decay, delay slots); the full target
/// descriptions (cores, axons, routing) belong to mapping.
bool getTargetLoweringOptions(llvm::StringRef target, LoweringOptions &out);

/// Appends fold-batchnorm, discretize-delays, prune (when asked),
/// quantize and delay-extension (when maxDelay > 0), nested on every
/// snn.network of the module `pm` runs on.
void populateLoweringPipeline(mlir::OpPassManager &pm,
                              const LoweringOptions &options);

/// Registers `snn-lower{target=... weight-bits=... ...}` for snn-opt: a
/// `target` preset first, then every option given explicitly overrides it.
void registerPipelines();

} // namespace snnc
