//===- CudaEngine.h - The float simulator and BPTT on a CUDA GPU -*- C++ -*-===//
//
// The CUDA backend of Engine<float> for what training needs: any DAG of
// input, LIF (hard or subtract reset, CuBa) and LI populations with
// BatchNorm and dropout, dense or CSR projections (CSR runs as a masked
// dense block) with integer delays or DCLS positions, the SNN-F10 loss and
// its gradients. The per-element arithmetic is snnrt/train/Kernels.h, shared with
// the CPU engine; the delayed projections are tiled GEMMs over shifted
// blocks of the [neuron][step][sample] activations (one kernel for all taps).
//
// Parameters stay where the trainer keeps them: in the ParamTensor list of a
// CPU Engine<float> built from the same model (names "projections/X/weights"
// etc.). forward() uploads their values (and the `present` masks a rewirer
// edits), backward() writes their gradients. BatchNorm running statistics
// live on the device (exportRunningStats copies them into a model).
//
// Not supported (create() says so): double precision, the smooth spike
// function and an attached reset (gradient-check settings), more than one
// input population. Results agree with the CPU engine within a tolerance
// (summation order differs), checked by test/unit/device.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/Model.h"
#include "snnrt/train/Engine.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnrt {

class CudaEngine {
public:
  /// Validates the model and allocates device storage for its parameters
  /// (activations are allocated per batch size). Fails with a clear message
  /// when the backend is not built, no GPU is usable or the model or options
  /// use something unsupported.
  static Expected<std::unique_ptr<CudaEngine>> create(const Model &model,
                                                      const EngineOptions &options);
  ~CudaEngine();

  void setTraining(bool training);
  bool training() const;
  void setSigma(double sigma);
  void setDropoutSeed(uint64_t seed);
  uint32_t batchSize() const;

  Status setInput(const Dataset &data, const std::vector<size_t> &samples);
  /// [channel][step][sample] for `batch` samples, like Engine::setInputDense.
  Status setInputDense(const std::vector<float> &x, uint32_t batch);

  /// Uploads `params` (an Engine<float>'s list for the same model) and runs
  /// every population over all steps.
  Status forward(const std::vector<ParamTensor<float>> &params,
                 bool updateRunningStats = true);
  /// SNN-F10 mean cross-entropy over the batch; computes the predictions.
  Expected<double> loss(const std::vector<int32_t> &labels);
  std::vector<int32_t> predictions() const;
  /// Gradients of loss(labels) into params[*].grad (overwritten).
  Status backward(const std::vector<int32_t> &labels,
                  std::vector<ParamTensor<float>> &params);

  /// backward() without copying the gradients to the host: they stay on
  /// the device for copyGradients (micro-batched training).
  Status backwardOnDevice(const std::vector<int32_t> &labels);
  /// After backwardOnDevice(): every tensor's gradient, in the order of
  /// `params` (the list forward() took), concatenated at `deviceDst`
  /// (sum of params[*].value.size() floats of device memory).
  Status copyGradients(const std::vector<ParamTensor<float>> &params,
                       float *deviceDst) const;
  /// Engine::batchNormNeurons, batchNormStats and updateRunningStats: the
  /// last training-mode forward()'s per-neuron mean and biased variance (in
  /// double) and the running-statistics step with statistics combined from
  /// several micro-batches, as on the CPU.
  size_t batchNormNeurons() const;
  Status batchNormStats(std::vector<double> &means,
                        std::vector<double> &vars) const;
  Status updateRunningStats(const std::vector<double> &means,
                            const std::vector<double> &vars, size_t count);

  /// After forward() and backward(): dL/dW at the given slots of a dense
  /// weight tensor (`weightParam` indexes the params list), present or not,
  /// as Engine::slotGradients computes them (RigL regrowth), from the
  /// per-tap gradients backward() already holds on the device.
  Status slotGradients(int weightParam, const std::vector<size_t> &slots,
                       std::vector<float> &grad) const;
  /// A population's values after forward(), [neuron][step][sample].
  Status values(const std::string &population, std::vector<float> &out) const;
  /// BatchNorm running statistics into `model`'s populations.
  void exportRunningStats(Model &model) const;

  struct Impl;

private:
  explicit CudaEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// How the optimiser treats one ParamTensor (Trainer's Adam, on the GPU).
struct AdamGroup {
  bool skip = false;       ///< not trained (e.g. biases by default)
  double lr = 0, beta1 = 0.9;
  bool onlyPresent = false; ///< weights: absent synapses (present = 0) keep still
  bool clamp = false;       ///< positions: clamp to [-h, h] after the step
  double clampH = 0;
};

/// One Adam step (kernels::adamUpdate per element, step count `step`) of
/// every tensor on the GPU; values and moments are copied in and out.
Status cudaAdamStep(std::vector<ParamTensor<float>> &params,
                    std::vector<std::vector<float>> &adamM,
                    std::vector<std::vector<float>> &adamV,
                    const std::vector<AdamGroup> &groups, double beta2,
                    double eps, int64_t step);

} // namespace snnrt
