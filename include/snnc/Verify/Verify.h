//===- Verify.h - What `snnc verify` proves ---------------------*- C++ -*-===//
//
// The levels of docs/design.md §5 for one trained model and the plan
// compiled from it:
//  1. model.h5 -> snn MLIR (text and bytecode) -> model is bit-exact;
//  2. the mapped plan (cores, relays) is bit-exact to the unmapped quantised
//     network run by the flat reference executor: every neuron, step and
//     sample;
//  3. CPU vs CUDA (skipped, with the reason, where there is no CUDA);
//  4. float model vs plan: spike agreement per layer and accuracy of each;
//  5. (--vendor lava) the vendor's own simulator, Lava, on the network
//     exported as NetX, against the plan: every hidden spike and the
//     readout's voltage.
// Levels 1-3 are exact: any difference fails verification and the report
// names the first one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/device/Device.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

struct VerifyOptions {
  std::string model, plan, data;
  int64_t weightBits = 0; ///< 0: as snnc compile chose (target's, at most 16)
  int64_t samples = 0;    ///< 0: every sample of `data`
  int threads = 2;
  /// Level 3 runs the plan with the CUDA executor when this is Cuda (a
  /// resolved device); otherwise it is skipped with the reason.
  snnrt::Device device = snnrt::Device::Cpu;
  std::string deviceNote; ///< why level 3 is skipped (auto's notice)
  /// Level 5: "lava" runs the plan's network, exported as NetX, in Lava
  /// (tools/snn-vendor/lava_run.py) and compares every spike; empty: no
  /// level 5.
  std::string vendor;
  std::string vendorPython;  ///< the vendors venv's python
  std::string vendorBridge;  ///< lava_run.py
  int64_t vendorSamples = 8; ///< level 5 runs the first N of `samples`
};

enum class LevelStatus { Pass, Fail, Skipped, Info };

struct VerifyLevel {
  int level = 0;
  std::string name;
  LevelStatus status = LevelStatus::Pass;
  std::string detail; ///< what was compared, or the first difference
};

struct LayerAgreement {
  std::string population;
  double agreement = 0; ///< fraction of (neuron, step, sample) equal
  uint64_t floatSpikes = 0, planSpikes = 0;
};

struct VerifyReport {
  std::vector<VerifyLevel> levels;
  std::vector<LayerAgreement> layers;
  double floatAccuracy = 0, planAccuracy = 0, flatAccuracy = 0;
  size_t samples = 0;
  /// Level 5: accuracy of Lava's readout (and the plan's) on the first
  /// lavaSamples samples; lavaSamples = 0 when Lava gave no readout.
  double lavaAccuracy = 0, lavaPlanAccuracy = 0;
  size_t lavaSamples = 0;
  bool exactLevelsPassed() const;
  /// Set when the inputs could not be used at all (then levels is empty).
  std::string error;
  bool errorIsIo = false;
};

VerifyReport verifyDeployment(const VerifyOptions &options,
                              llvm::raw_ostream &progress);

void printVerifyReport(const VerifyReport &report, llvm::raw_ostream &os);
llvm::json::Value verifyReportToJSON(const VerifyReport &report);

} // namespace snnc
