//===- NirReaders.cpp - NIR neurons as each framework's reader reads them -===//
//
// Each branch below follows one reader (versions of docs/nir.md's table):
// snnTorch 0.9.4 snntorch/import_nir.py, Norse 1.1.0
// norse/torch/utils/import_nir.py, Rockpool 3.1.0
// rockpool/nn/modules/torch/nir.py, Sinabs 3.1.3 sinabs/nir.py, Spyx 1.0.0
// spyx/nir.py. The model's neuron is given by its decay β (SNN-F6), β_syn
// (SNN-F8), θ, reset and SNN-F13 order; its input gain is 1.
//
//===----------------------------------------------------------------------===//

#include "NirReaders.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

using namespace snnc;
using snnrt::Expected;
using snnrt::NeuronConvention;
using snnrt::NirArray;
using snnrt::NirConvention;
using snnrt::NirDType;
using snnrt::NirKind;
using snnrt::NirNode;
using snnrt::ResetMode;
using snnrt::Status;

namespace {

NirArray f64(std::vector<double> values) {
  uint64_t n = values.size();
  return NirArray::floats(std::move(values), {n}, NirDType::Float64);
}

const char *orderName(ResetMode reset, NeuronConvention convention) {
  if (reset == ResetMode::Subtract)
    return convention == NeuronConvention::ResetFirst
               ? "subtract before the decay (reset_first)"
               : "subtract after the decay (paper)";
  switch (convention) {
  case NeuronConvention::Lava:
    return "zero keeping the next input (lava)";
  case NeuronConvention::ResetFirst:
    return "zero before the decay (reset_first)";
  default:
    return "zero after the decay (paper)";
  }
}

} // namespace

Expected<NirReaderNeuron> snnc::nirNeuronForReader(const snnrt::Model &model,
                                                   const snnrt::Population &pop,
                                                   NirConvention reader) {
  const size_t n = pop.size;
  const std::string fw = snnrt::nirConventionName(reader);
  const bool spiking = pop.kind == snnrt::PopulationKind::Lif;
  const bool cuba = pop.tauSyn.has_value();
  auto refuse = [&](const std::string &why) {
    return Status::error("--nir-reader " + fw + ": population '" + pop.name +
                         "': " + why);
  };
  std::vector<double> beta(n), betaSyn, theta;
  bool leaky = false, sameTheta = true;
  for (size_t i = 0; i < n; ++i) {
    beta[i] = snnrt::decayFactor(model.decay, model.dt, pop.tauMemOf(i));
    leaky |= beta[i] != 1.0;
    if (cuba)
      betaSyn.push_back(
          snnrt::decayFactor(model.decay, model.dt, pop.tauSynOf(i)));
    if (spiking) {
      theta.push_back(pop.thresholdOf(i));
      sameTheta &= theta[i] == theta[0];
    }
  }
  for (size_t i = 0; i < n; ++i)
    if (leaky && !(beta[i] > 0 && beta[i] < 1))
      return refuse("neuron " + std::to_string(i) + " decays by " +
                    std::to_string(beta[i]) +
                    "; a leaky NIR neuron needs 0 < beta < 1");
  for (double b : betaSyn)
    if (!(b > 0 && b < 1))
      return refuse("synaptic decay " + std::to_string(b) + " outside (0, 1)");

  // The reset and SNN-F13 order the reader's neurons have; without a leak
  // a subtract before or after the decay is the same.
  auto needReset = [&](ResetMode reset, NeuronConvention order,
                       const char *what) -> Status {
    if (!spiking)
      return Status::ok();
    bool orderFree = !leaky && reset == ResetMode::Subtract &&
                     pop.reset == ResetMode::Subtract;
    if (pop.reset == reset && (pop.convention == order || orderFree))
      return Status::ok();
    return refuse(std::string("resets ") +
                  orderName(pop.reset, pop.convention) + ", but " + fw +
                  "'s reader builds " + what + " (" + orderName(reset, order) +
                  "); the loaded network would spike differently");
  };

  NirReaderNeuron out;
  out.rowScale.assign(n, 1.0);
  NirNode node(spiking ? (cuba ? NirKind::CubaLIF : NirKind::LIF)
                       : (cuba ? NirKind::CubaLI : NirKind::LI));
  std::vector<double> tau(n), tauSyn(betaSyn.size()), r(n, 1.0),
      wIn(betaSyn.size(), 1.0);
  // Linear decay at the reader's step h: β = 1 − h/τ.
  auto linearTau = [](double h, double b) { return h / (1.0 - b); };
  // Exp decay: β = exp(−h/τ); −log1p(b − 1) keeps β near 1 accurate.
  auto expTau = [](double h, double b) { return -h / std::log(b); };

  switch (reader) {
  case NirConvention::SnnTorch: {
    // dt = 1e-4 is hard-coded; β = 1 − dt/τ, α = 1 − dt/τ_syn; the input
    // scale r·dt/τ (w_in·dt/τ_syn) must be 1, CubaLIF asserts r = τ_mem/dt.
    // Every neuron is built with reset_mechanism="zero",
    // reset_delay=False and fires on mem > θ: the lava order.
    const double h = 1e-4;
    if (!spiking)
      return refuse("snnTorch's reader has no LI/CubaLI (a readout); export "
                    "without --nir-reader, or read the spikes of the last "
                    "spiking layer");
    if (!leaky)
      return refuse("it does not leak (IF); snnTorch's reader builds an IF "
                    "as a Leaky with beta = 0.9");
    if (!sameTheta)
      return refuse("its thresholds differ per neuron; snnTorch's reader "
                    "takes one threshold per layer");
    if (auto s = needReset(ResetMode::Hard, NeuronConvention::Lava,
                           "zero-reset Leaky/Synaptic neurons");
        !s)
      return s;
    for (size_t i = 0; i < n; ++i) {
      tau[i] = linearTau(h, beta[i]);
      r[i] = tau[i] / h;
    }
    for (size_t i = 0; i < betaSyn.size(); ++i) {
      tauSyn[i] = linearTau(h, betaSyn[i]);
      wIn[i] = tauSyn[i] / h;
    }
    break;
  }
  case NirConvention::Norse: {
    // from_nir(dt=h) with h = the model's dt: LIFBox v += h/τ·(v_leak − v +
    // i), r ignored, so the input gain h/τ = 1 − β goes into the weights.
    // CubaLIF: x·w_in → LIBox(τ_syn) → ·r → LIFBox(τ_mem): w_in = 1/k_syn,
    // r = 1/k. Reset to v_reset = 0 from the just-updated membrane, strict
    // threshold: the lava order.
    const double h = model.dt;
    if (!spiking)
      return refuse("Norse's reader has no LI/CubaLI (a readout)");
    if (!leaky)
      return refuse("it does not leak (IF); Norse's reader builds IAFCell, "
                    "whose arithmetic was not checked against snnc");
    if (auto s = needReset(ResetMode::Hard, NeuronConvention::Lava,
                           "LIFBoxCell neurons");
        !s)
      return s;
    for (size_t i = 0; i < n; ++i) {
      tau[i] = linearTau(h, beta[i]);
      if (cuba)
        r[i] = 1.0 / (1.0 - beta[i]);
      else
        out.rowScale[i] = 1.0 / (1.0 - beta[i]);
    }
    for (size_t i = 0; i < betaSyn.size(); ++i) {
      tauSyn[i] = linearTau(h, betaSyn[i]);
      wIn[i] = 1.0 / (1.0 - betaSyn[i]);
    }
    break;
  }
  case NirConvention::Rockpool: {
    // CubaLIF → LIFTorch(τ_mem, τ_syn, dt = min(τ_mem/(1 + r))): exp decays,
    // isyn = β_syn·(isyn + x) (gain β_syn, into the weights), the membrane
    // adds isyn unscaled, subtracts θ before the next decay.
    const double h = model.dt;
    if (!spiking || !cuba)
      return refuse(std::string("Rockpool 3.1.0's reader only builds "
                                "CubaLIF exactly (its LIF branch reads a "
                                "missing tau_mem, its LI reads tau as an "
                                "integer); this population is ") +
                    (spiking ? "LIF"
                     : cuba  ? "CubaLI"
                             : "LI"));
    if (auto s = needReset(ResetMode::Subtract, NeuronConvention::ResetFirst,
                           "LIFTorch neurons");
        !s)
      return s;
    for (size_t i = 0; i < n; ++i) {
      tau[i] = expTau(h, beta[i]);
      r[i] = tau[i] / h - 1.0;
      tauSyn[i] = expTau(h, betaSyn[i]);
      out.rowScale[i] = 1.0 / betaSyn[i];
    }
    break;
  }
  case NirConvention::Sinabs: {
    // τ in steps, β = exp(−1/τ); norm_input=False adds the input unscaled;
    // LIF/IAF subtract θ before the next decay; LI needs r = 1.
    if (cuba)
      return refuse("Sinabs's reader has no CubaLIF/CubaLI");
    if (auto s = needReset(ResetMode::Subtract, NeuronConvention::ResetFirst,
                           "LIF/IAF neurons (MembraneSubtract)");
        !s)
      return s;
    if (spiking && !leaky)
      node = NirNode(NirKind::IF);
    else
      for (size_t i = 0; i < n; ++i)
        tau[i] = expTau(1.0, beta[i]);
    break;
  }
  case NirConvention::Spyx: {
    // from_nir(dt=1): β = 1 − 1/τ, α = 1 − 1/τ_syn, inputs added
    // unscaled; spikes from the state before the input, subtract after
    // the decay (CuBaLIF: before it).
    if (!spiking)
      return refuse("Spyx's reader reads an LI only as half of a PSU_LIF "
                    "(LI followed by Threshold)");
    NeuronConvention order =
        cuba ? NeuronConvention::ResetFirst : NeuronConvention::Paper;
    if (auto s = needReset(ResetMode::Subtract, order,
                           cuba ? "CuBaLIF neurons" : "LIF neurons");
        !s)
      return s;
    if (!leaky && !cuba)
      node = NirNode(NirKind::IF);
    for (size_t i = 0; i < n; ++i) {
      tau[i] = linearTau(1.0, beta[i]);
      r[i] = beta[i]; // what Spyx's own to_nir writes; its reader ignores r
    }
    for (size_t i = 0; i < betaSyn.size(); ++i)
      tauSyn[i] = linearTau(1.0, betaSyn[i]);
    break;
  }
  default:
    return refuse("not a framework with a NIR reader (snntorch, norse, "
                  "rockpool, sinabs, spyx)");
  }

  if (node.kind == NirKind::IF) {
    node.params["r"] = f64(std::vector<double>(n, 1.0));
    node.params["v_threshold"] = f64(theta);
    out.node = std::move(node);
    return out;
  }
  if (cuba) {
    node.params["tau_mem"] = f64(tau);
    node.params["tau_syn"] = f64(tauSyn);
    node.params["w_in"] = f64(wIn);
  } else {
    node.params["tau"] = f64(tau);
  }
  node.params["r"] = f64(r);
  node.params["v_leak"] = f64(std::vector<double>(n, 0.0));
  if (spiking)
    node.params["v_threshold"] = f64(theta);
  out.node = std::move(node);
  return out;
}

snnrt::Status snnc::nirCheckGraphForReader(const snnrt::Model &model,
                                           NirConvention reader) {
  const std::string fw = snnrt::nirConventionName(reader);
  if (reader == NirConvention::Spyx) {
    std::map<std::string, int> in, out;
    for (const auto &p : model.projections) {
      ++out[p.source];
      ++in[p.target];
    }
    for (const auto &pop : model.populations)
      if (in[pop.name] > 1 || out[pop.name] > 1)
        return Status::error(
            "--nir-reader spyx: population '" + pop.name + "' has " +
            std::to_string(in[pop.name]) + " incoming and " +
            std::to_string(out[pop.name]) +
            " outgoing projections; Spyx's reader follows one chain from "
            "the input (the first edge out of each node) and would drop "
            "the others");
    return Status::ok();
  }
  // Spiking layers crossed before each population's output.
  std::map<std::string, int> depth;
  for (int index : model.topologicalOrder()) {
    const auto &pop = model.populations[index];
    std::optional<int> seen;
    std::string first;
    for (const auto &p : model.projections) {
      if (p.target != pop.name)
        continue;
      int d = depth[p.source];
      if (seen && *seen != d)
        return Status::error(
            "--nir-reader " + fw + ": population '" + pop.name +
            "' receives from '" + first + "' after " + std::to_string(*seen) +
            " spiking layers and from '" + p.source + "' after " +
            std::to_string(d) + "; " + fw +
            "'s neurons fire in the step their input arrives, snnc's one "
            "step later per spiking layer, so paths of different depth "
            "cannot line up (docs/nir.md, \"Timing\")");
      if (!seen) {
        seen = d;
        first = p.source;
      }
    }
    depth[pop.name] =
        seen.value_or(0) + (pop.kind == snnrt::PopulationKind::Lif ? 1 : 0);
  }
  // All four build their network with nirtorch's GraphExecutor (its
  // deprecated `load`), which runs nodes in depth-first order from the
  // input and feeds a node whose input has not run yet in this step with
  // that input's value from the previous step: of two projections
  // converging on a population, the one reached later arrives a step late
  // (measured: input → a → out, input → b → c → out gives out a[t] + c[t−1]).
  std::map<std::string, std::string> from;
  for (const auto &p : model.projections) {
    auto [it, fresh] = from.emplace(p.target, p.source);
    if (!fresh)
      return Status::error(
          "--nir-reader " + fw + ": population '" + p.target +
          "' receives from both '" + it->second + "' and '" + p.source + "'; " +
          fw +
          "'s reader runs the graph with nirtorch's GraphExecutor, which "
          "feeds the branch it reaches second with its previous step's "
          "value (docs/nir.md, \"Export for a framework's reader\")");
  }
  return Status::ok();
}

Expected<NirReaderRelay> snnc::nirRelayForReader(NirConvention reader,
                                                 double dt) {
  NirReaderRelay out;
  // A LIF relay of `n` neurons with a single-step memory (decay 0 in the
  // reader's own arithmetic) and threshold theta.
  auto lif = [](double tau, double r, double theta) {
    return [=](uint64_t n) {
      NirNode node(NirKind::LIF);
      node.params["tau"] = f64(std::vector<double>(n, tau));
      node.params["r"] = f64(std::vector<double>(n, r));
      node.params["v_leak"] = f64(std::vector<double>(n, 0.0));
      node.params["v_threshold"] = f64(std::vector<double>(n, theta));
      return node;
    };
  };
  switch (reader) {
  case NirConvention::Spyx:
    // from_nir(dt=1): LIF beta = 1 − 1/tau = 0 and V[t+1] = x[t] + w_rec·S[t]
    // − S[t] (subtract θ = 1), S[t] = V[t] > 1: weight 3 fires on every
    // arriving spike (3 − 1 > 1 after a spike) and never without one (at
    // most 0 − 1). A LIF with a loop through a Linear is its RLIF layer.
    out.neuron.make = lif(1.0, 1.0, 1.0);
    out.neuron.weight = 3.0;
    out.lag = 1;
    return out;
  case NirConvention::Norse:
    // from_nir(dt): LIFBoxCell v += dt/tau·(−v + i) with tau = dt is v = i;
    // zero reset, v > 0.5; nirtorch's executor feeds the loop's Linear from
    // the previous step.
    out.neuron.make = lif(dt, 1.0, 0.5);
    out.neuron.weight = 1.0;
    return out;
  case NirConvention::Rockpool: {
    // A recurrent CubaLIF in a nested graph becomes LIFTorch(has_rec):
    // isyn = b·(isyn + x + w_rec·S[t−1]), v = a·v + isyn, S = ⌊v/0.75⌋,
    // v −= 0.75·S, dt = tau/(1 + r). With a = b = 2^−10 and weight 2^10 an
    // arriving spike gives v in [1, 1.003) (one spike), none v < 0.002.
    const double decay = std::ldexp(1.0, -10);
    const double tau = -dt / std::log(decay);
    out.neuron.make = [=](uint64_t n) {
      NirNode node(NirKind::CubaLIF);
      node.params["tau_syn"] = f64(std::vector<double>(n, tau));
      node.params["tau_mem"] = f64(std::vector<double>(n, tau));
      node.params["r"] = f64(std::vector<double>(n, tau / dt - 1.0));
      node.params["w_in"] = f64(std::vector<double>(n, 1.0));
      node.params["v_leak"] = f64(std::vector<double>(n, 0.0));
      node.params["v_threshold"] = f64(std::vector<double>(n, 0.75));
      return node;
    };
    out.neuron.weight = 1.0 / decay;
    out.neuron.nested = true;
    return out;
  }
  case NirConvention::Sinabs:
    // IAFSqueeze: v += x + w_rec·S[t−1], S = ⌊v/1⌋, v −= S. Its layers take
    // a whole [batch·time] sequence per call, and nirtorch's executor feeds
    // the loop from the previous call.
    out.neuron.make = [](uint64_t n) {
      NirNode node(NirKind::IF);
      node.params["r"] = f64(std::vector<double>(n, 1.0));
      node.params["v_threshold"] = f64(std::vector<double>(n, 1.0));
      return node;
    };
    out.neuron.weight = 1.0;
    out.neuron.affineOnly = true;
    // ExpLeakSqueeze(norm_input=False): v = exp(−1/τ)·v + x; τ = 10^−3 steps
    // makes the factor exactly 0 (exp(−1000) underflows in float32), so v
    // is the input itself, and the LI's output is v: an exact copy of any
    // value, one loop step per stage.
    out.analog = snnrt::NirRelayNeuron{};
    out.analog->make = [](uint64_t n) {
      NirNode node(NirKind::LI);
      node.params["tau"] = f64(std::vector<double>(n, 1e-3));
      node.params["r"] = f64(std::vector<double>(n, 1.0));
      node.params["v_leak"] = f64(std::vector<double>(n, 0.0));
      return node;
    };
    out.analog->weight = 1.0;
    out.analog->affineOnly = true;
    out.condition =
        "the loaded network is called one time step at a time (an input of "
        "[1, channels] per call, passing the executor's state): Sinabs's "
        "layers take a whole sequence per call otherwise, and the relays' "
        "loop would see the previous call's spikes";
    return out;
  case NirConvention::SnnTorch:
    return Status::error(
        "snnTorch 0.9.4's reader runs no delay form: it refuses Delay "
        "('Unknown node type'), its neurons fire in the step their input "
        "arrives (a chain of relays delays by 0 steps), and its only "
        "recurrent layer, RSynaptic, fails in its first step (reset_delay="
        "False reads an unset spike: 'NoneType' / 'Tensor'; a LIF loop is "
        "'not supported'). Closest forms: --nir-reader norse (it builds the "
        "same zero-reset neurons and runs the relays), or the plain export "
        "(Delay nodes) for simulators that run Delay");
  default:
    return Status::error("not a framework with a NIR reader");
  }
}

snnrt::Status snnc::nirCheckRelayLag(const snnrt::Model &model,
                                     NirConvention reader) {
  auto relay = nirRelayForReader(reader, model.dt);
  if (!relay || relay->lag == 0)
    return Status::ok();
  auto delayed = [](const snnrt::Projection &p) {
    std::vector<int32_t> d = snnrt::effectiveDelays(p);
    for (size_t k = 0; k < d.size(); ++k)
      if (d[k] != 0 && p.weights[k] != 0.0f)
        return true;
    return false;
  };
  auto nonZero = [](const std::vector<float> &v) {
    return std::any_of(v.begin(), v.end(), [](float x) { return x != 0.0f; });
  };
  std::map<std::string, std::string> behind; // population -> relayed projection
  for (int index : model.topologicalOrder()) {
    const auto &pop = model.populations[index];
    std::string via;
    for (const auto &p : model.projections) {
      if (p.target != pop.name)
        continue;
      if (delayed(p))
        via = p.name;
      else if (behind.count(p.source) && via.empty())
        via = behind[p.source];
    }
    if (via.empty())
      continue;
    behind[pop.name] = via;
    if (nonZero(pop.bias) || nonZero(pop.biasSyn))
      return Status::error(
          "--nir-reader " + std::string(snnrt::nirConventionName(reader)) +
          ": population '" + pop.name +
          "' has a bias and runs behind the "
          "relays of projection '" +
          via + "', which delay every spike by " + std::to_string(relay->lag) +
          " more step in " + snnrt::nirConventionName(reader) +
          " (its neurons spike from the "
          "state before the input) while a bias acts from the first step: "
          "the loaded network would not be snnc's shifted in time; export "
          "with --delays refuse, or train without that bias");
  }
  return Status::ok();
}
