//===- CudaPlanExecutor.h - A mapped plan on a CUDA GPU ---------*- C++ -*-===//
//
// Runs plan.h5 one sample per thread block, every neuron of every core a
// thread-strided loop: per step each lif neuron's spike comes from its state
// (SNN-I6 timing), inputs give x[t] (SNN-I2), then every neuron pulls its
// synapses' delayed values from a per-sample history ring, sums them exactly
// in 64 bits (SNN-I3) and updates with snnrt/exec/IntegerMath.h — the functions
// PlanExecutor calls — so the result is bit-identical to the CPU executor
// (integer sums do not depend on their order). Checked by test/unit/device.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/exec/PlanExecutor.h"

#include <memory>
#include <vector>

namespace snnrt {

struct CudaPlanBatch {
  std::vector<IntTrace> traces;    ///< per sample, when asked for
  std::vector<int32_t> predictions; ///< per sample (SNN-F10 on the readout)
  PlanRunStats stats;               ///< summed over the batch
};

class CudaPlanExecutor {
public:
  static Expected<std::unique_ptr<CudaPlanExecutor>> create(const Plan &plan);
  ~CudaPlanExecutor();
  /// Runs `samples` of `data` (all at once, in chunks that fit the device).
  /// With `traces`, returns one IntTrace per sample in PlanExecutor::run's
  /// layout.
  Expected<CudaPlanBatch> run(const Dataset &data,
                              const std::vector<size_t> &samples,
                              bool traces);

  struct Impl;

private:
  explicit CudaPlanExecutor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace snnrt
