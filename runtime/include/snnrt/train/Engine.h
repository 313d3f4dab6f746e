//===- Engine.h - Batched float simulator with BPTT -------------*- C++ -*-===//
//
// Runs a Model (any DAG) over a batch of samples for all T steps, layer by
// layer in topological order, and differentiates the loss back through time.
// Activations are stored neuron-major, [neuron][step][sample], so that one
// synapse with delay k is a shifted axpy over a contiguous row, one DCLS tap
// of a whole projection is one BLAS product over a shifted block, and a spike
// train is a short event list.
//
// The scalar type is a template parameter: float for training and
// evaluation, double for finite-difference gradient checks.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/Model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnrt {

enum class SpikeFunction {
  Heaviside,    ///< SNN-F7, what the network computes
  SmoothArctan, ///< 1/2 + atan(pi/2 alpha x)/pi: gradient checks only
};

/// How a projection's current is computed; Auto picks the cheaper by an
/// estimate of the work (see docs/semantics.md, "Cost"). Spectral computes
/// the dense taps through a DFT over time (cost independent of the number
/// of live taps); Auto uses it for learned DCLS kernels only.
enum class ProjectionStrategy { Auto, DenseTaps, Sparse, Spectral };

struct EngineOptions {
  int threads = 1;
  SpikeFunction spike = SpikeFunction::Heaviside;
  double surrogateAlpha = 5.0; ///< SNN-F11
  bool detachReset = true;     ///< SNN-F11; false only for gradient checks
  /// DCLS taps with |k - delta| > radius * sigma' are dropped (0 keeps all).
  /// The bound on what this changes is in docs/semantics.md under SNN-F3.
  double truncationRadius = 5.0;
  ProjectionStrategy strategy = ProjectionStrategy::Auto;
  /// Auto: how many times more multiply-adds per second a BLAS product does
  /// than the synapse-wise kernels, used to choose between them (1.7
  /// measured with bench/train-bench's network on AVX-512 OpenBLAS: the
  /// synapse-wise path wins below about 15 of 25 taps, sigma < ~1.5).
  double gemmSpeedup = 1.7;
  /// Auto: cost of one event-driven (scattered) update relative to one
  /// streamed multiply-add (10: bench/train-bench's output projection at
  /// sigma = 0.23 on a 2-core AMD EPYC, 5120 synapses x 5 taps x ~2100
  /// events per neuron and batch, forward and dL/dK).
  double eventCost = 10.0;
  /// Skip the per-step work of neurons that cannot affect the loss: no
  /// neuron update for one without outgoing synapses (its values() stay 0),
  /// no backward for one without a path of synapses to the output, no
  /// BatchNorm pass over an input that no synapse feeds. Loss, gradients
  /// and BatchNorm running statistics are the same bits as without it; it
  /// makes a sparse network's per-step cost follow its synapses, not its
  /// neuron count (docs/sparse-training.md, "CSR"). The trainer sets it.
  bool skipUnobserved = false;
  /// With skipUnobserved: still run every neuron forward (its spikes), for
  /// RigL, whose gradients at absent slots read sources without synapses.
  bool computeAllSpikes = false;
};

/// One trainable array; `value` and `grad` have the shape of the model array
/// they mirror (weights are full dense arrays for dense projections).
template <typename Real> struct ParamTensor {
  enum class Kind { Weight, Position, Bias, Gamma, Beta };
  std::string name; ///< model.h5 path, e.g. "projections/fc1/weights"
  Kind kind;
  std::vector<Real> value, grad;
  /// Weight tensors: 1 where the synapse exists (mask), else 0.
  std::vector<uint8_t> present;
};

/// The synapses of a CSR projection, for Engine::setCsr: rows sorted by
/// column, one entry per synapse in every array but rowPtr.
template <typename Real> struct CsrSynapses {
  std::vector<uint64_t> rowPtr; ///< [targets + 1]
  std::vector<uint32_t> colIdx;
  std::vector<Real> weights;
  std::vector<int32_t> delays; ///< projections without positions
  std::vector<Real> positions; ///< projections with positions
};

template <typename Real> class Engine {
public:
  /// Validates the model and prepares per-projection structures. The model
  /// must have exactly one input population (fed by setInput).
  static Expected<std::unique_ptr<Engine>> create(const Model &model,
                                                  const EngineOptions &options);
  ~Engine();

  std::vector<ParamTensor<Real>> &params();
  const std::vector<ParamTensor<Real>> &params() const;
  int findParam(const std::string &name) const;

  /// Training mode: batch statistics for BatchNorm (SNN-F5), dropout
  /// (SNN-F12) and DCLS kernels (SNN-F3). Evaluation mode: running statistics,
  /// no dropout, rounded integer delays (SNN-F4).
  void setTraining(bool training);
  bool training() const;
  /// The shared DCLS width of every projection with positions.
  void setSigma(double sigma);
  /// The neuron convention (SNN-F13) of every LIF population from the next
  /// forward on (quantisation-aware training switches to the target's).
  void setConvention(NeuronConvention convention);
  /// The time constants (tauMem, tauSyn and their per-neuron arrays) of
  /// every population of `model`, which has the engine's structure, from the
  /// next forward on (quantisation-aware training: the plan's decays).
  void setTimeConstants(const Model &model);
  /// Dropout masks of the next forward are drawn from this seed.
  void setDropoutSeed(uint64_t seed);

  /// Loads samples of a dataset as the input (SNN-F1 with the input
  /// population's scale). Spike datasets stay as event lists.
  Status setInput(const Dataset &data, const std::vector<size_t> &samples);
  /// Dense input [channel][step][sample] for `batch` samples.
  Status setInputDense(const std::vector<Real> &x, uint32_t batch);

  /// Runs all populations over all steps. In training mode also updates the
  /// BatchNorm running statistics (SNN-F5) unless `updateRunningStats` is
  /// false (gradient checks call forward many times).
  void forward(bool updateRunningStats = true);
  /// SNN-F10: mean cross-entropy of m = sum_t softmax(U[t]) over the batch
  /// (L1 is the trainer's). Needs forward().
  double loss(const std::vector<int32_t> &labels);
  /// Predicted class (argmax m) of each sample of the last forward(); m is
  /// computed by loss(), so call loss() first.
  std::vector<int32_t> predictions() const;
  /// Gradients of loss(labels) w.r.t. every ParamTensor (overwritten).
  void backward(const std::vector<int32_t> &labels);

  /// BatchNorm statistics of the last training-mode forward(): mean and
  /// biased variance over (step, sample) of every neuron of every BatchNorm
  /// population, concatenated in population order (batchNormNeurons() each).
  /// Data-parallel training combines those of its micro-batches.
  void batchNormStats(std::vector<double> &means,
                      std::vector<double> &vars) const;
  size_t batchNormNeurons() const;
  /// The running-statistics step of forward(true) (SNN-F5), with statistics
  /// computed elsewhere over `count` values per neuron (laid out as
  /// batchNormStats gives them).
  Status updateRunningStats(const std::vector<double> &means,
                            const std::vector<double> &vars, size_t count);

  /// The running statistics themselves (SNN-F5), laid out as
  /// batchNormStats gives them; weight averaging (TrainConfig::emaDecay)
  /// averages them with the parameters. Values are float-rounded.
  void runningStats(std::vector<double> &means,
                    std::vector<double> &vars) const;
  Status setRunningStats(const std::vector<double> &means,
                         const std::vector<double> &vars);

  uint32_t batchSize() const;
  /// Values of a population after forward(), [neuron][step][sample]: the
  /// input (after scale), spikes (after dropout) or LI potential.
  const std::vector<Real> &values(const std::string &population) const;
  /// Membrane V[t] of a LIF population after forward() (SNN-F7, the state
  /// its spike S[t] is tested on), [neuron][step][sample]; empty otherwise.
  const std::vector<Real> &membranes(const std::string &population) const;

  /// Copies parameters and BatchNorm running statistics back into `model`
  /// (same structure as the model the engine was created from).
  void exportParams(Model &model) const;

  /// Replaces the set of present synapses of a dense-layout projection
  /// (`weightParam` is its weight tensor; `present` is [target][source], 1 =
  /// synapse exists). Forward and backward then cost in proportion to the new
  /// count; the mask is exported with the parameters. For rewiring
  /// (docs/sparse-training.md); CSR projections are rejected.
  Status setPresent(int weightParam, const std::vector<uint8_t> &present);
  /// After forward() and backward(): dL/dW at the given slots (row-major
  /// indices) of a dense-layout weight tensor, present or not, each with its
  /// source's sign and its own delay (DCLS taps in training mode). What the
  /// gradient would be if the slot were a synapse; costs |slots| x taps x
  /// T x B multiply-adds, so callers bound `slots` (RigL regrowth).
  Status slotGradients(int weightParam, const std::vector<size_t> &slots,
                       std::vector<Real> &grad) const;
  /// The same for any layout, each slot with the timing it would have as a
  /// synapse: its DCLS position (projections with positions) or its integer
  /// delay. A CSR projection stores nothing for an absent slot, so its
  /// caller (the CSR rewirer) says what a regrown synapse would get.
  Status slotGradients(int weightParam, const std::vector<size_t> &slots,
                       const std::vector<double> &timing,
                       std::vector<Real> &grad) const;
  /// Replaces every synapse of a CSR projection (`weightParam` is its weight
  /// tensor): structure, magnitudes, and delays or positions (whichever the
  /// projection has). The weight and position tensors take the new synapse
  /// count; forward and backward cost in proportion to it. For rewiring in
  /// CSR (docs/sparse-training.md, "CSR"); a dense layout uses setPresent.
  Status setCsr(int weightParam, CsrSynapses<Real> synapses);

  /// The engine's current form of the projection whose weight tensor is
  /// `weightParam` (structure after setPresent/setCsr), or nullptr.
  const Projection *projectionFor(int weightParam) const;

  /// Bytes the engine holds for synapses: every projection's structure,
  /// per-synapse and per-tap arrays, dense tap matrices and spectra when a
  /// strategy built them, its model arrays, and the value, gradient and mask
  /// of its weight and position tensors (capacities, not sizes). With the
  /// optimiser's two moments per parameter it is what grows with synapses
  /// (bench/sparse-bench; docs/sparse-training.md, "CSR").
  size_t synapseBytes() const;

  /// Which strategy each projection used in the last forward (for tests and
  /// benchmarks): "dense-taps", "sparse" or "sparse-events".
  std::vector<std::string> lastStrategies() const;

  struct Impl;

private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

extern template class Engine<float>;
extern template class Engine<double>;

} // namespace snnrt
