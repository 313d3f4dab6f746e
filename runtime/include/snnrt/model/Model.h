//===- Model.h - The in-memory spiking network (a DAG) ----------*- C++ -*-===//
//
// A network is a directed acyclic graph of populations joined by delayed
// projections (docs/semantics.md, SNN-F1..F13). This struct is what the
// trainer produces, what model.h5 stores (docs/formats/model.md) and what the
// compiler's `snn` dialect imports and exports field by field, so the field
// names follow the file's dataset names.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

/// Newest version of the model.h5 layout this runtime reads and writes
/// (it reads every version from 1; docs/formats/model.md).
inline constexpr int64_t kModelFormatVersion = 3;

/// How a time constant becomes a per-step decay factor (SNN-F6).
enum class DecayMode { Linear, Exp };

enum class PopulationKind { Input, Lif, Li };
enum class ResetMode { Hard, Subtract };
/// Float LIF neuron convention (SNN-F13): how the spike compares with the
/// threshold and where the reset acts. `Paper` is SNN-F7 as the paper trains
/// it; `Lava` is Lava's fixed-point LIF in float (strict threshold, the reset
/// zeroes only the old voltage and keeps the step's input), so a network
/// trained with it loses less when compiled to the lava-cuba arithmetic.
/// New framework conventions (issue 19) are new cases; the kernels read
/// them through lifRule() below, never by comparing cases.
/// `ResetFirst` is the reset order of Rockpool, Sinabs and Spyx's CuBaLIF
/// (spike on V >= theta, the reset acts on V[t] before the decay): with a
/// subtract reset V[t+1] = beta (V[t] - theta S[t]) + I[t] + bias.
enum class NeuronConvention { Paper, Lava, ResetFirst };

/// The two independent switches a convention sets in the float kernels.
struct LifRule {
  bool strictThreshold = false; ///< spike on V > theta (else V >= theta)
  bool resetFirst = false;      ///< reset V[t] before the decay, keep I[t]
};
LifRule lifRule(NeuronConvention convention);

/// SNN-F5. `mean`/`var` are the running statistics used in evaluation.
struct BatchNorm {
  std::vector<float> gamma, beta, mean, var; ///< each [size]
  double eps = 1e-5;
  double momentum = 0.1;
};

struct Population {
  std::string name;
  PopulationKind kind = PopulationKind::Lif;
  uint32_t size = 0;
  // Input populations (SNN-F1).
  InputKind inputKind = InputKind::Frames;
  double scale = 1.0;
  // LIF / LI populations (SNN-F6..F9). Time constants are in seconds.
  double tauMem = 0.1005;
  std::optional<double> tauSyn; ///< CuBa synapse (SNN-F8); LIF or LI
  double threshold = 1.0;       ///< LIF only
  /// Per-neuron values ([size]) of tauMem, tauSyn and threshold, e.g. from
  /// NIR nodes with per-neuron arrays. Empty means every neuron uses the
  /// scalar above; when set, the array is authoritative and the scalar only
  /// records neuron 0's value. tauSynPerNeuron needs tauSyn.
  std::vector<double> tauMemPerNeuron, tauSynPerNeuron, thresholdPerNeuron;
  ResetMode reset = ResetMode::Hard;
  NeuronConvention convention = NeuronConvention::Paper; ///< LIF only
  std::vector<float> bias;       ///< [size]; empty means zero
  /// Synaptic bias ([size]; empty means none): added to the synaptic
  /// current before the membrane, J = beta_syn*J + I + biasSyn (SNN-F8), as
  /// an Affine bias in front of NIR's CubaLIF/CubaLI. Needs tauSyn.
  std::vector<float> biasSyn;
  std::optional<BatchNorm> batchnorm;
  double dropout = 0.0;          ///< SNN-F12, LIF only, training only

  double tauMemOf(size_t i) const {
    return tauMemPerNeuron.empty() ? tauMem : tauMemPerNeuron[i];
  }
  double tauSynOf(size_t i) const {
    return tauSynPerNeuron.empty() ? tauSyn.value_or(0.0) : tauSynPerNeuron[i];
  }
  double thresholdOf(size_t i) const {
    return thresholdPerNeuron.empty() ? threshold : thresholdPerNeuron[i];
  }
};

enum class ProjectionLayout { Dense, Csr };

/// A delayed projection source -> target (SNN-F2, SNN-F3). Per-synapse arrays
/// (`weights`, `delays`, `positions`, `mask`) are dense row-major
/// [target.size, source.size] or, for CSR, one entry per stored synapse in
/// row order.
struct Projection {
  std::string name;
  std::string source, target;
  uint32_t maxDelay = 1; ///< Dmax: delays lie in [0, maxDelay)
  ProjectionLayout layout = ProjectionLayout::Dense;
  std::vector<uint64_t> rowPtr;  ///< CSR: [target.size + 1]
  std::vector<uint32_t> colIdx;  ///< CSR: [nnz], increasing within a row
  std::vector<float> weights;
  /// Integer delays (SNN-F2). Exactly one of `delays` and `positions` is
  /// set; both empty means every delay is 0.
  std::vector<int32_t> delays;
  /// DCLS positions p in [-h, h], h = (maxDelay-1)/2 (SNN-F3), with the
  /// shared Gaussian width `sigma`. Evaluation rounds them (SNN-F4).
  std::vector<float> positions;
  double sigma = 0.0;
  std::vector<uint8_t> mask;     ///< dense only, optional: 1 = synapse present
  std::vector<int8_t> signs;     ///< [source.size], optional, each +1 or -1

  size_t numSynapses() const { return weights.size(); }
  bool isCsr() const { return layout == ProjectionLayout::Csr; }
  bool hasPositions() const { return !positions.empty(); }
};

/// What produced the model; informational, carried through the compiler.
struct TrainingInfo {
  std::string delayMode;    ///< learn | frozen | none | "" (not trained here)
  int64_t epochs = 0;       ///< epochs completed
  uint64_t seed = 0;
  double trainAccuracy = -1, testAccuracy = -1; ///< -1 when unknown
  std::string dataset;      ///< provenance of the training data
};

struct Model {
  std::string name = "net";
  double dt = 0.01;  ///< seconds per step
  uint32_t steps = 0; ///< T
  DecayMode decay = DecayMode::Linear;
  std::vector<Population> populations;
  std::vector<Projection> projections;
  std::vector<std::string> outputs; ///< readout population names; first one is classified
  TrainingInfo training;

  /// Index of a population by name, or -1.
  int findPopulation(const std::string &name) const;
  /// Checks every invariant (shapes, ranges, finiteness, names, acyclicity);
  /// the message names the object at fault in model.h5 terms
  /// ("projections/fc1/delays: ...").
  Status validate() const;
  /// Populations in an order where every projection's source comes before
  /// its target (Kahn's algorithm, ties by declaration order). Assumes
  /// validate() passed.
  std::vector<int> topologicalOrder() const;
};

/// SNN-F6: per-step decay factor for a time constant.
double decayFactor(DecayMode mode, double dt, double tau);
/// SNN-F4: integer delay of a DCLS position, round-half-to-even of h - p,
/// clamped to [0, maxDelay).
int32_t roundedDelay(float position, uint32_t maxDelay);
/// The integer delays a projection uses in evaluation: `delays`, or the
/// rounded positions (SNN-F4), or zeros.
std::vector<int32_t> effectiveDelays(const Projection &projection);

const char *toString(PopulationKind kind);
const char *toString(ResetMode mode);
const char *toString(NeuronConvention convention);
/// "paper" or "lava"; nullopt for anything else.
std::optional<NeuronConvention> parseNeuronConvention(const std::string &text);
const char *toString(DecayMode mode);

} // namespace snnrt
