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

/// Whose arithmetic a NIR file's numbers follow. NIR's equations are
/// continuous, and each framework writes its own discrete neuron into them
/// differently (docs/nir.md, "Framework conventions"): what `τ` is measured
/// in, how `r` and `w_in` relate to the gain the framework applies, which
/// decay it uses, and how it resets. `Generic` reads the file by NIR's
/// equations with the caller's decay mode and reset.
enum class NirConvention {
  Generic,
  SnnTorch,
  Norse,
  Rockpool,
  Sinabs,
  Spyx,
  LavaDl
};

/// "snntorch", "norse", "rockpool", "sinabs", "spyx", "lava-dl", "generic";
/// empty for an unknown name.
std::optional<NirConvention> nirConventionFromName(const std::string &name);
const char *nirConventionName(NirConvention convention);
/// The framework's step (seconds) when the user gives none: the dt its
/// exporter assumes (snnTorch 1e-4, Norse and Rockpool 1e-3, Spyx 1 — its
/// to_nir default, so τ is in steps), or 1e-3 for Sinabs (τ in steps, any
/// dt). 0 for Generic and lava-dl (which has no exporter): dt is required.
double nirConventionDefaultDt(NirConvention convention);
/// The decay mode the framework's neurons use (SNN-F6); Generic: `generic`.
DecayMode nirConventionDecay(NirConvention convention, DecayMode generic);

/// How a framework resets a spiking neuron, in SNN-F7's timing (V[t] is the
/// state the spike S[t] is taken from). Only `Subtract` (and `Hard`) are
/// SNN-F7 modes; the others are what the frameworks do.
enum class NirFrameworkReset {
  None,     ///< Generic: the caller must choose
  Subtract, ///< V[t+1] = β·V[t] + I[t] − θ·S[t] (snnTorch, Spyx LIF/IF)
  /// V[t+1] = β·(V[t] − θ·S[t]) + I[t]: Rockpool, Sinabs, Spyx CuBaLIF
  SubtractBeforeDecay,
  /// V[t+1] = β·V[t]·(1 − S[t]) + I[t]: the membrane restarts from 0 but
  /// the next step's input is kept (Norse LIFBox, lava-dl CUBA)
  ZeroKeepInput,
};
NirFrameworkReset nirConventionReset(NirConvention convention, NirKind kind);
const char *nirFrameworkResetName(NirFrameworkReset reset);

struct NirDiscretizeOptions {
  /// Seconds per step; must be > 0. NIR stores none (snnTorch exports assume
  /// 1e-4, Norse 1e-3).
  double dt = 0.0;
  /// SNN-F6: Linear (forward Euler, β = 1 − dt/τ) or Exp (β = exp(−dt/τ)).
  DecayMode decay = DecayMode::Linear;
  /// SNN-F7. Must be set for Generic: NIR's own equations reset to v_reset
  /// (Hard), but snnTorch's default is Subtract, and guessing changes
  /// spikes. With a convention, unset means "the framework's reset", which
  /// fails when SNN-F7 has no equal for it (nirConventionReset).
  std::optional<ResetMode> reset;
  /// How to read τ, r, w_in (and which decay applies, which overrides
  /// `decay` unless Generic).
  NirConvention convention = NirConvention::Generic;
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
  /// SNN-F13 order of spike, reset and decay that reproduces the framework
  /// (spiking only).
  NeuronConvention convention = NeuronConvention::Paper;
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
