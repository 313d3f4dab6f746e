//===- NirDiscretize.h - NIR's continuous neurons → SNN-F steps -*- C++ -*-===//
//
// NIR describes neurons in continuous time, τ·v̇ = (v_leak − v) + R·I, and
// stores neither a time step nor a reset mode; frameworks disagree on how R
// absorbs dt. The importer therefore takes `dt` and the reset mode as
// explicit options and calls the functions here, which turn one NIR neuron
// node into the per-neuron numbers of docs/semantics.md (SNN-F6..F9).
// docs/nir.md derives every formula and says which frameworks they match.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"
#include "snnrt/nir/NirGraph.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnrt {

struct NirDiscretizeOptions {
  /// Seconds per step; must be > 0. NIR stores none (snnTorch exports assume
  /// 1e-4, Norse 1e-3).
  double dt = 0.0;
  /// SNN-F6: Linear (forward Euler, β = 1 − dt/τ) or Exp (β = exp(−dt/τ)).
  DecayMode decay = DecayMode::Linear;
  /// SNN-F7. Must be set: NIR's own equations reset to v_reset (Hard), but
  /// snnTorch's default is Subtract, and guessing changes spikes.
  std::optional<ResetMode> reset;
};

/// One NIR neuron node (LIF, CubaLIF, LI, CubaLI, IF, I) in snnc's discrete
/// terms. Every vector has one entry per neuron, in the node's row-major
/// order.
struct NirNeuronMapping {
  NirKind kind = NirKind::LIF;
  size_t size = 0;
  bool spiking = false;  ///< LIF, CubaLIF, IF: SNN-F7; else SNN-F9 readout
  bool cuba = false;     ///< CubaLIF, CubaLI: SNN-F8 synapse
  ResetMode reset = ResetMode::Hard; ///< spiking only
  /// Membrane time constant to store in the model (seconds); with the
  /// model's dt and decay mode it gives `beta` again (SNN-F6). Infinite for
  /// IF and I, which do not leak.
  std::vector<double> tauMem;
  std::vector<double> beta;      ///< SNN-F6 membrane decay (1 for IF, I)
  std::vector<double> tauSyn;    ///< cuba only
  std::vector<double> betaSyn;   ///< SNN-F8, cuba only
  /// Multiplies every input reaching neuron b: the importer scales row b of
  /// each incoming projection's weights, and of an Affine's bias, by it.
  std::vector<double> inputGain;
  /// Constant added to the membrane each step (SNN-F7/F9 `bias`), from
  /// v_leak (and v_reset, which the mapping moves to 0).
  std::vector<double> bias;
  /// SNN-F7 θ = v_threshold − v_reset (> 0); spiking only.
  std::vector<double> threshold;
};

/// Maps one neuron node; `name` is used in errors ("node 'lif1': tau[3] ...").
/// `size` is the population size when the node's fields are all rank-0
/// scalars (take it from nirNodeSizes); 0 means "from the fields". Fails for
/// a non-neuron node, dt <= 0, an unset reset mode, τ <= 0, a linear-mode
/// β < 0 (dt > τ: the Euler step would overshoot and oscillate), θ <= 0, and
/// a `size` that contradicts the fields.
Expected<NirNeuronMapping> discretizeNirNeuron(const NirNode &node,
                                               const std::string &name,
                                               const NirDiscretizeOptions &opts,
                                               size_t size = 0);

/// A Delay node's delays (seconds) as integer steps: round(delay / dt), which
/// must be within 1e-4 steps of an integer (float32 seconds rarely divide
/// exactly); otherwise an error naming the node and the offending entry.
Expected<std::vector<int32_t>> nirDelaySteps(const NirNode &delayNode,
                                             const std::string &name,
                                             double dt);

} // namespace snnrt
