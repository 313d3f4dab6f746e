//===- NirDiscretize.cpp - NIR's continuous neurons → SNN-F steps ---------===//
//
// Formulas and their derivation: docs/nir.md, "From continuous NIR to SNN-F".
//
//===----------------------------------------------------------------------===//

#include "snnrt/nir/NirDiscretize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace snnrt {

std::optional<NirConvention> nirConventionFromName(const std::string &name) {
  for (NirConvention c :
       {NirConvention::Generic, NirConvention::SnnTorch, NirConvention::Norse,
        NirConvention::Rockpool, NirConvention::Sinabs, NirConvention::Spyx,
        NirConvention::LavaDl})
    if (name == nirConventionName(c))
      return c;
  return std::nullopt;
}

const char *nirConventionName(NirConvention convention) {
  switch (convention) {
  case NirConvention::Generic:
    return "generic";
  case NirConvention::SnnTorch:
    return "snntorch";
  case NirConvention::Norse:
    return "norse";
  case NirConvention::Rockpool:
    return "rockpool";
  case NirConvention::Sinabs:
    return "sinabs";
  case NirConvention::Spyx:
    return "spyx";
  case NirConvention::LavaDl:
    return "lava-dl";
  }
  return "generic";
}

double nirConventionDefaultDt(NirConvention convention) {
  switch (convention) {
  case NirConvention::SnnTorch:
    return 1e-4; // export_to_nir hard-codes it
  case NirConvention::Norse:
  case NirConvention::Rockpool:
    return 1e-3; // their modules' default dt
  case NirConvention::Sinabs:
    return 1e-3; // τ is in steps: any dt gives the same β
  case NirConvention::Spyx:
    return 1.0; // to_nir(dt=1): τ = 1/(1 − β) in steps
  case NirConvention::Generic:
  case NirConvention::LavaDl:
    return 0.0;
  }
  return 0.0;
}

DecayMode nirConventionDecay(NirConvention convention, DecayMode generic) {
  switch (convention) {
  case NirConvention::Rockpool: // alpha = exp(−dt/τ)
  case NirConvention::Sinabs:   // alpha = exp(−1/τ)
    return DecayMode::Exp;
  case NirConvention::Generic:
    return generic;
  default: // snnTorch, Norse, Spyx, lava-dl: β = 1 − dt/τ
    return DecayMode::Linear;
  }
}

NirFrameworkReset nirConventionReset(NirConvention convention, NirKind kind) {
  switch (convention) {
  case NirConvention::Generic:
    return NirFrameworkReset::None;
  case NirConvention::SnnTorch: // reset_mechanism="subtract", the default
    return NirFrameworkReset::Subtract;
  case NirConvention::Spyx: // LIF/IF subtract after the decay, CuBaLIF before
    return kind == NirKind::CubaLIF ? NirFrameworkReset::SubtractBeforeDecay
                                    : NirFrameworkReset::Subtract;
  case NirConvention::Rockpool:
  case NirConvention::Sinabs: // MembraneSubtract, the default
    return NirFrameworkReset::SubtractBeforeDecay;
  case NirConvention::Norse:
  case NirConvention::LavaDl:
    return NirFrameworkReset::ZeroKeepInput;
  }
  return NirFrameworkReset::None;
}

const char *nirFrameworkResetName(NirFrameworkReset reset) {
  switch (reset) {
  case NirFrameworkReset::None:
    return "none";
  case NirFrameworkReset::Subtract:
    return "subtract";
  case NirFrameworkReset::SubtractBeforeDecay:
    return "subtract before the decay";
  case NirFrameworkReset::ZeroKeepInput:
    return "zero keeping the next input";
  }
  return "none";
}

namespace {

/// Per-neuron values of a field, a rank-0 scalar broadcast to `n`.
std::vector<double> expand(const NirNode &node, const char *field, size_t n) {
  const NirArray *a = node.param(field);
  if (!a)
    return std::vector<double>(n, 0.0);
  if (a->values.size() == 1 && n != 1)
    return std::vector<double>(n, a->values[0]);
  return a->values;
}

/// Neurons the fields fix, or 0 when every field is a rank-0 scalar.
size_t neuronCount(const NirNode &node) {
  for (const auto &[field, a] : node.params)
    if (!a.isScalar())
      return a.size();
  return 0;
}

std::string at(const std::string &name, const char *field, size_t i) {
  return "node '" + name + "': " + field + "[" + std::to_string(i) + "]";
}

/// One leaky equation τ·ẋ = −x + u discretised at dt (SNN-F6):
///   x[t+1] = β·x[t] + k·u[t],
/// linear (forward Euler): β = 1 − dt/τ, k = dt/τ;
/// exp (exact for u constant over the step): β = exp(−dt/τ), k = 1 − β.
/// Both modes use 1 − β for k, which is what keeps a constant input's
/// steady state u at every dt.
struct Leak {
  double beta, gain;
};
Expected<Leak> leak(double tau, const NirDiscretizeOptions &opts,
                    const std::string &name, const char *field, size_t i) {
  if (!(tau > 0) || !std::isfinite(tau))
    return Status::error(at(name, field, i) + " = " + std::to_string(tau) +
                         " s; a time constant must be positive and finite");
  double beta = decayFactor(opts.decay, opts.dt, tau);
  if (beta < 0)
    return Status::error(
        at(name, field, i) + " = " + std::to_string(tau) + " s is shorter than dt = " +
        std::to_string(opts.dt) +
        " s: the linear (Euler) decay 1 - dt/tau would be negative (SNN-F6); "
        "use a smaller dt or the exp decay mode");
  // dt/τ and −expm1(−dt/τ) equal 1 − β, computed without cancellation.
  double gain = opts.decay == DecayMode::Linear ? opts.dt / tau
                                                : -std::expm1(-opts.dt / tau);
  return Leak{beta, gain};
}

} // namespace

Expected<NirNeuronMapping>
discretizeNirNeuron(const NirNode &node, const std::string &name,
                    const NirDiscretizeOptions &opts, size_t size) {
  if (!nirIsNeuron(node.kind))
    return Status::error("node '" + name + "' has type " +
                         nirKindName(node.kind) + ", which is not a neuron");
  if (!(opts.dt > 0) || !std::isfinite(opts.dt))
    return Status::error("a time step dt > 0 (seconds) must be given to map "
                         "NIR's continuous-time neurons; NIR stores none");
  const bool spiking = node.kind == NirKind::LIF ||
                       node.kind == NirKind::CubaLIF ||
                       node.kind == NirKind::IF;
  const NirConvention conv = opts.convention;
  const NirFrameworkReset wanted = nirConventionReset(conv, node.kind);
  if (spiking && !opts.reset && wanted == NirFrameworkReset::None)
    return Status::error("node '" + name + "' (" + nirKindName(node.kind) +
                         ") spikes, and NIR stores no reset mode: choose "
                         "hard or subtract explicitly");
  // The leak's arithmetic follows the framework's (its decay mode and τ's
  // unit); Generic uses the caller's decay mode.
  NirDiscretizeOptions lopts = opts;
  lopts.decay = nirConventionDecay(conv, opts.decay);

  NirNeuronMapping m;
  m.kind = node.kind;
  m.spiking = spiking;
  m.cuba = node.kind == NirKind::CubaLIF || node.kind == NirKind::CubaLI;
  m.reset = opts.reset.value_or(ResetMode::Hard);
  const size_t fixed = neuronCount(node);
  if (fixed && size && fixed != size)
    return Status::error("node '" + name + "' has " + std::to_string(fixed) +
                         " neurons, not " + std::to_string(size));
  const size_t n = fixed ? fixed : size ? size : 1;
  m.size = n;

  const bool leaky = node.kind != NirKind::IF && node.kind != NirKind::I;
  const char *tauField = m.cuba ? "tau_mem" : "tau";
  std::vector<double> tau = expand(node, tauField, n);
  std::vector<double> tauSyn = expand(node, "tau_syn", n);
  std::vector<double> r = expand(node, "r", n);
  std::vector<double> vLeak = expand(node, "v_leak", n);
  std::vector<double> vThr = expand(node, "v_threshold", n);
  std::vector<double> vReset = expand(node, "v_reset", n);
  std::vector<double> wIn = node.param("w_in") ? expand(node, "w_in", n)
                                               : std::vector<double>(n, 1.0);

  // The time constant in seconds of the model's clock (dt): Norse writes
  // τ = dt·τ_true (to_nir divides dt by τ_mem_inv), Sinabs writes τ in
  // steps (alpha = exp(−1/τ)); the others write seconds.
  auto modelTau = [&](double t) {
    if (conv == NirConvention::Norse)
      return t / opts.dt;
    if (conv == NirConvention::Sinabs)
      return t * opts.dt;
    return t;
  };
  bool allNoLeak = true;
  for (size_t i = 0; i < n; ++i) {
    // IF, I: v̇ = R·I integrates, no leak. By NIR's equation the Euler gain
    // is dt·R; Sinabs, Spyx and Rockpool add the input unscaled (r = 1).
    double beta = 1.0;
    double k = conv == NirConvention::Sinabs || conv == NirConvention::Spyx ||
                       conv == NirConvention::Rockpool
                   ? 1.0
                   : opts.dt;
    double tauModel = std::numeric_limits<double>::infinity();
    double memGain = k; // multiplies r
    if (leaky) {
      tauModel = modelTau(tau[i]);
      auto l = leak(tauModel, lopts, name, tauField, i);
      if (!l)
        return l.status();
      beta = l->beta;
      k = l->gain;
      memGain = k;
      switch (conv) {
      case NirConvention::Rockpool:
        // Rockpool writes r = τ·e^(−dt/τ)/dt. Its LIFs add the current
        // unscaled (gain 1 = r·dt/(τ·β)); its ExpSyn (LI) decays the input
        // with the state, isyn = β·(isyn + x) (gain β = r·dt/τ).
        memGain = spiking ? opts.dt / (tauModel * beta) : opts.dt / tauModel;
        break;
      case NirConvention::Sinabs:
        // Sinabs's reader builds its neurons with norm_input=False: the
        // input is added unscaled (r = 1 on export).
        memGain = 1.0;
        break;
      case NirConvention::Spyx:
        // Spyx writes r = β and adds the input unscaled: gain r/β.
        memGain = beta > 0 ? 1.0 / beta : 1.0;
        break;
      default:
        break;
      }
    }
    allNoLeak &= beta == 1.0;
    m.tauMem.push_back(tauModel);
    m.beta.push_back(beta);
    // Shifting the membrane by v_reset (u = v − v_reset) makes the reset
    // target 0, as SNN-F7 resets, and moves v_reset into bias and θ.
    double shift = spiking ? vReset[i] : 0.0;
    double gain = memGain * r[i];
    m.bias.push_back(leaky ? k * (vLeak[i] - shift) : 0.0);
    if (m.cuba) {
      double tauSynModel = modelTau(tauSyn[i]);
      auto ls = leak(tauSynModel, lopts, name, "tau_syn", i);
      if (!ls)
        return ls.status();
      m.tauSyn.push_back(tauSynModel);
      m.betaSyn.push_back(ls->beta);
      // τ_syn·İ = −I + w_in·S gives J[t] = β_syn·J[t−1] + k_syn·w_in·S[t];
      // the membrane then sees k·R·J. Both gains are per-neuron constants on
      // a linear filter, so they fold into one gain in front of it.
      // Rockpool and Sinabs decay the input with the current
      // (isyn = β_syn·(isyn + x)): gain β_syn; Spyx and Norse's LIFCell
      // (i = β_syn·i + x, its to_nir writes no w_in) add it unscaled.
      double synGain = ls->gain;
      if (conv == NirConvention::Rockpool || conv == NirConvention::Sinabs)
        synGain = ls->beta;
      else if (conv == NirConvention::Spyx || conv == NirConvention::Norse)
        synGain = 1.0;
      gain *= synGain * wIn[i];
    }
    m.inputGain.push_back(gain);
    if (spiking) {
      double theta = vThr[i] - shift;
      if (!(theta > 0))
        return Status::error(at(name, "v_threshold", i) + " - v_reset = " +
                             std::to_string(theta) +
                             ": SNN-F7 needs a threshold above the reset "
                             "potential");
      m.threshold.push_back(theta);
    }
  }
  if (spiking) {
    // The framework's reset as SNN-F7's kind plus SNN-F13's order. Without
    // a leak, resetting before or after the (absent) decay is the same.
    // --reset overrides the kind; the order stays the framework's where
    // SNN-F13 allows the pair (lava needs hard).
    switch (wanted) {
    case NirFrameworkReset::None:
    case NirFrameworkReset::Subtract:
      m.reset = opts.reset.value_or(ResetMode::Subtract);
      break;
    case NirFrameworkReset::SubtractBeforeDecay:
      m.reset = opts.reset.value_or(ResetMode::Subtract);
      if (!allNoLeak)
        m.convention = NeuronConvention::ResetFirst;
      break;
    case NirFrameworkReset::ZeroKeepInput:
      m.reset = opts.reset.value_or(ResetMode::Hard);
      // Lava's order: strict threshold, zero V[t] before the decay, keep
      // I[t]; with a subtract reset it would be ResetFirst's.
      m.convention = m.reset == ResetMode::Hard ? NeuronConvention::Lava
                                                : NeuronConvention::ResetFirst;
      break;
    }
    if (opts.reset && wanted == NirFrameworkReset::None)
      m.reset = *opts.reset;
  }
  return m;
}

Expected<std::vector<int32_t>> nirDelaySteps(const NirNode &delayNode,
                                             const std::string &name,
                                             double dt) {
  if (delayNode.kind != NirKind::Delay || !delayNode.param("delay"))
    return Status::error("node '" + name + "' is not a Delay node");
  if (!(dt > 0) || !std::isfinite(dt))
    return Status::error("a time step dt > 0 must be given to turn NIR delays "
                         "(seconds) into steps");
  std::vector<int32_t> steps;
  const auto &values = delayNode.param("delay")->values;
  for (size_t i = 0; i < values.size(); ++i) {
    double s = values[i] / dt;
    double r = std::nearbyint(s);
    // 1e-4 steps: a float32 delay of d·dt is off by ~1e-7·d steps.
    if (!(std::fabs(s - r) <= 1e-4 * std::max(1.0, std::fabs(r))) ||
        r < 0 || r > 2147483647.0)
      return Status::error(at(name, "delay", i) + " = " +
                           std::to_string(values[i]) + " s is " +
                           std::to_string(s) + " steps of dt = " +
                           std::to_string(dt) +
                           " s, not a whole number of steps");
    steps.push_back(static_cast<int32_t>(r));
  }
  return steps;
}

} // namespace snnrt
