//===- Model.cpp - Network invariants and small helpers -------------------===//

#include "snnrt/model/Model.h"

#include <cmath>
#include <queue>
#include <set>

namespace snnrt {

const char *toString(PopulationKind kind) {
  switch (kind) {
  case PopulationKind::Input:
    return "input";
  case PopulationKind::Lif:
    return "lif";
  case PopulationKind::Li:
    return "li";
  }
  return "?";
}
const char *toString(ResetMode mode) {
  return mode == ResetMode::Hard ? "hard" : "subtract";
}
const char *toString(NeuronConvention convention) {
  switch (convention) {
  case NeuronConvention::Lava:
    return "lava";
  case NeuronConvention::ResetFirst:
    return "reset_first";
  default:
    return "paper";
  }
}
std::optional<NeuronConvention> parseNeuronConvention(const std::string &text) {
  if (text == "paper")
    return NeuronConvention::Paper;
  if (text == "lava")
    return NeuronConvention::Lava;
  if (text == "reset_first")
    return NeuronConvention::ResetFirst;
  return std::nullopt;
}
LifRule lifRule(NeuronConvention convention) {
  // SNN-F13: Lava's LIF (lava/proc/lif/models.py) fires on v > vth and its
  // reset_voltage zeroes v after this step's u was added, so in snnc's
  // indexing the reset acts on V[t] before the decay and I[t] is kept.
  if (convention == NeuronConvention::Lava)
    return {/*strictThreshold=*/true, /*resetFirst=*/true};
  // Rockpool, Sinabs: spike on V >= θ, subtract (or zero) before the decay.
  if (convention == NeuronConvention::ResetFirst)
    return {/*strictThreshold=*/false, /*resetFirst=*/true};
  return {};
}
const char *toString(DecayMode mode) {
  return mode == DecayMode::Linear ? "linear" : "exp";
}

int Model::findPopulation(const std::string &name) const {
  for (size_t i = 0; i < populations.size(); ++i)
    if (populations[i].name == name)
      return static_cast<int>(i);
  return -1;
}

double decayFactor(DecayMode mode, double dt, double tau) {
  // SNN-F6: linear is the paper's Euler step, exp the exact solution.
  return mode == DecayMode::Linear ? 1.0 - dt / tau : std::exp(-dt / tau);
}

int32_t roundedDelay(float position, uint32_t maxDelay) {
  // SNN-F4: delta = h - p, rounded half to even (std::nearbyint under the
  // default FE_TONEAREST mode, like PyTorch's round), then clamped.
  double h = (static_cast<double>(maxDelay) - 1.0) / 2.0;
  double d = std::nearbyint(h - static_cast<double>(position));
  if (d < 0)
    d = 0;
  if (d > maxDelay - 1.0)
    d = maxDelay - 1.0;
  return static_cast<int32_t>(d);
}

std::vector<int32_t> effectiveDelays(const Projection &p) {
  if (!p.delays.empty())
    return p.delays;
  std::vector<int32_t> out(p.weights.size(), 0);
  if (p.hasPositions())
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = roundedDelay(p.positions[i], p.maxDelay);
  return out;
}

namespace {
Status bad(const std::string &where, const std::string &what) {
  return Status::error(where + ": " + what, ErrorKind::BadInput);
}

template <typename T>
Status checkFinite(const std::string &where, const std::vector<T> &v) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(static_cast<double>(v[i])))
      return bad(where, "non-finite value at index " + std::to_string(i));
  return Status::ok();
}

Status checkSize(const std::string &where, size_t got, size_t want) {
  if (got != want)
    return bad(where, "has " + std::to_string(got) + " elements, expected " +
                          std::to_string(want));
  return Status::ok();
}

Status validatePopulation(const Model &m, const Population &p) {
  std::string at = "populations/" + p.name;
  if (p.name.empty() || p.name.find('/') != std::string::npos)
    return bad(at, "population name must be non-empty and contain no '/'");
  if (p.size == 0)
    return bad(at, "size must be positive");
  if (!std::isfinite(p.scale))
    return bad(at + "/scale", "must be finite");
  if (p.kind == PopulationKind::Input) {
    if (!p.bias.empty() || !p.biasSyn.empty() || p.batchnorm)
      return bad(at, "an input population has no bias or batchnorm");
    return Status::ok();
  }
  auto checkTau = [&](const std::string &where, double tau,
                      bool checkBeta) -> Status {
    if (!(tau > 0) || !std::isfinite(tau))
      return bad(where, "must be a positive finite time constant");
    double beta = decayFactor(m.decay, m.dt, tau);
    // β = 1 is an integrator without leak (NIR's IF, Sinabs's IAF); its τ
    // is the largest finite double, which gives exactly 1 in both modes.
    if (checkBeta && !(beta >= 0 && beta <= 1))
      return bad(where, "gives decay factor " + std::to_string(beta) +
                            " outside [0, 1] for dt " + std::to_string(m.dt) +
                            " (SNN-F6)");
    return Status::ok();
  };
  // Each per-neuron array holds one value per neuron, each as valid as the
  // scalar; the message names the first neuron at fault.
  // The scalar holds neuron 0's value, so that the dialect's scalar
  // attribute (SNN-V23) and the model agree bit for bit.
  auto checkEach = [&](const std::string &where,
                       const std::vector<double> &values, double scalar,
                       auto &&check) -> Status {
    if (values.empty())
      return Status::ok();
    SNNRT_TRY(checkSize(where, values.size(), p.size));
    for (size_t i = 0; i < values.size(); ++i)
      SNNRT_TRY(check(where + "[" + std::to_string(i) + "]", values[i]));
    if (values[0] != scalar)
      return bad(where, "element 0 (" + std::to_string(values[0]) +
                            ") must equal the population's scalar value (" +
                            std::to_string(scalar) + ")");
    return Status::ok();
  };
  auto tauMemOk = [&](const std::string &w, double tau) {
    return checkTau(w, tau, true);
  };
  SNNRT_TRY(tauMemOk(at + "/tau_mem", p.tauMem));
  SNNRT_TRY(checkEach(at + "/tau_mem_per_neuron", p.tauMemPerNeuron, p.tauMem,
                      tauMemOk));
  // tau_syn keeps its historical check (no range on beta_syn).
  auto tauSynOk = [&](const std::string &w, double tau) {
    return checkTau(w, tau, false);
  };
  if (p.tauSyn) {
    SNNRT_TRY(tauSynOk(at + "/tau_syn", *p.tauSyn));
    SNNRT_TRY(checkEach(at + "/tau_syn_per_neuron", p.tauSynPerNeuron,
                        *p.tauSyn, tauSynOk));
  } else if (!p.tauSynPerNeuron.empty()) {
    return bad(at + "/tau_syn_per_neuron", "needs tau_syn");
  }
  auto thresholdOk = [&](const std::string &w, double theta) -> Status {
    if (!(theta > 0) || !std::isfinite(theta))
      return bad(w, "must be positive and finite (SNN-F7)");
    return Status::ok();
  };
  if (p.kind == PopulationKind::Lif) {
    SNNRT_TRY(thresholdOk(at + "/threshold", p.threshold));
    SNNRT_TRY(checkEach(at + "/threshold_per_neuron", p.thresholdPerNeuron,
                        p.threshold, thresholdOk));
  } else if (!p.thresholdPerNeuron.empty()) {
    return bad(at + "/threshold_per_neuron", "only LIF populations spike");
  }
  if (p.convention != NeuronConvention::Paper) {
    if (p.kind != PopulationKind::Lif)
      return bad(at + "/convention", "only LIF populations have a neuron "
                                     "convention (SNN-F13)");
    if (p.convention == NeuronConvention::Lava && p.reset != ResetMode::Hard)
      return bad(at + "/convention",
                 std::string(toString(p.convention)) +
                     " needs reset hard: Lava's LIF zeroes v, it has no "
                     "subtract reset (SNN-F13)");
  }
  if (!(p.dropout >= 0 && p.dropout < 1))
    return bad(at + "/dropout", "must lie in [0, 1)");
  if (!p.bias.empty()) {
    SNNRT_TRY(checkSize(at + "/bias", p.bias.size(), p.size));
    SNNRT_TRY(checkFinite(at + "/bias", p.bias));
  }
  if (!p.biasSyn.empty()) {
    if (!p.tauSyn)
      return bad(at + "/bias_syn", "needs tau_syn (SNN-F8)");
    SNNRT_TRY(checkSize(at + "/bias_syn", p.biasSyn.size(), p.size));
    SNNRT_TRY(checkFinite(at + "/bias_syn", p.biasSyn));
  }
  if (p.batchnorm) {
    const BatchNorm &bn = *p.batchnorm;
    const std::pair<const char *, const std::vector<float> *> parts[] = {
        {"gamma", &bn.gamma}, {"beta", &bn.beta}, {"mean", &bn.mean},
        {"var", &bn.var}};
    for (auto &[n, v] : parts) {
      SNNRT_TRY(checkSize(at + "/batchnorm/" + n, v->size(), p.size));
      SNNRT_TRY(checkFinite(at + "/batchnorm/" + n, *v));
    }
    for (size_t i = 0; i < bn.var.size(); ++i)
      if (bn.var[i] < 0)
        return bad(at + "/batchnorm/var", "negative variance at index " +
                                              std::to_string(i));
    if (!(bn.eps > 0) || !std::isfinite(bn.eps))
      return bad(at + "/batchnorm", "eps must be positive");
    if (!(bn.momentum >= 0 && bn.momentum <= 1))
      return bad(at + "/batchnorm", "momentum must lie in [0, 1]");
  }
  return Status::ok();
}

Status validateProjection(const Model &m, const Projection &p) {
  std::string at = "projections/" + p.name;
  if (p.name.empty() || p.name.find('/') != std::string::npos)
    return bad(at, "projection name must be non-empty and contain no '/'");
  int s = m.findPopulation(p.source), t = m.findPopulation(p.target);
  if (s < 0)
    return bad(at + "/source", "unknown population '" + p.source + "'");
  if (t < 0)
    return bad(at + "/target", "unknown population '" + p.target + "'");
  if (m.populations[t].kind == PopulationKind::Input)
    return bad(at + "/target", "population '" + p.target +
                                   "' is an input and cannot receive a projection");
  if (p.maxDelay == 0)
    return bad(at + "/max_delay", "must be at least 1");
  uint64_t rows = m.populations[t].size, cols = m.populations[s].size;
  size_t n = p.weights.size();
  if (p.isCsr()) {
    SNNRT_TRY(checkSize(at + "/row_ptr", p.rowPtr.size(), rows + 1));
    if (p.rowPtr[0] != 0)
      return bad(at + "/row_ptr", "must start at 0");
    for (uint64_t r = 0; r < rows; ++r)
      if (p.rowPtr[r + 1] < p.rowPtr[r])
        return bad(at + "/row_ptr", "decreases at row " + std::to_string(r));
    SNNRT_TRY(checkSize(at + "/col_idx", p.colIdx.size(), p.rowPtr[rows]));
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t i = p.rowPtr[r]; i < p.rowPtr[r + 1]; ++i) {
        if (p.colIdx[i] >= cols)
          return bad(at + "/col_idx", "source index " +
                                          std::to_string(p.colIdx[i]) +
                                          " out of range [0, " +
                                          std::to_string(cols) + ") in row " +
                                          std::to_string(r));
        if (i > p.rowPtr[r] && p.colIdx[i] <= p.colIdx[i - 1])
          return bad(at + "/col_idx", "row " + std::to_string(r) +
                                          " is not strictly increasing "
                                          "(unsorted or duplicate source)");
      }
    SNNRT_TRY(checkSize(at + "/weights", n, p.colIdx.size()));
    if (!p.mask.empty())
      return bad(at + "/mask", "a CSR projection stores no mask (absent "
                               "synapses are simply not stored)");
  } else {
    SNNRT_TRY(checkSize(at + "/weights", n, rows * cols));
    if (!p.rowPtr.empty() || !p.colIdx.empty())
      return bad(at, "a dense projection has no row_ptr/col_idx");
    if (!p.mask.empty()) {
      SNNRT_TRY(checkSize(at + "/mask", p.mask.size(), n));
      for (size_t i = 0; i < n; ++i)
        if (p.mask[i] > 1)
          return bad(at + "/mask", "value " + std::to_string(p.mask[i]) +
                                       " at index " + std::to_string(i) +
                                       " is not 0 or 1");
    }
  }
  SNNRT_TRY(checkFinite(at + "/weights", p.weights));
  if (!p.delays.empty() && !p.positions.empty())
    return bad(at, "has both delays and positions; store one");
  if (!p.delays.empty()) {
    SNNRT_TRY(checkSize(at + "/delays", p.delays.size(), n));
    for (size_t i = 0; i < n; ++i) {
      if (p.delays[i] < 0)
        return bad(at + "/delays", "negative delay " +
                                       std::to_string(p.delays[i]) +
                                       " at index " + std::to_string(i));
      if (static_cast<uint32_t>(p.delays[i]) >= p.maxDelay)
        return bad(at + "/delays",
                   "delay " + std::to_string(p.delays[i]) + " at index " +
                       std::to_string(i) + " is not below max_delay " +
                       std::to_string(p.maxDelay));
    }
  }
  if (!p.positions.empty()) {
    SNNRT_TRY(checkSize(at + "/positions", p.positions.size(), n));
    SNNRT_TRY(checkFinite(at + "/positions", p.positions));
    double h = (p.maxDelay - 1.0) / 2.0;
    for (size_t i = 0; i < n; ++i)
      if (std::fabs(p.positions[i]) > h + 1e-4)
        return bad(at + "/positions",
                   "position " + std::to_string(p.positions[i]) +
                       " at index " + std::to_string(i) + " outside [-" +
                       std::to_string(h) + ", " + std::to_string(h) +
                       "] (SNN-F3)");
    if (!std::isfinite(p.sigma) || p.sigma < 0)
      return bad(at + "/sigma", "must be finite and non-negative");
  }
  if (!p.signs.empty()) {
    SNNRT_TRY(checkSize(at + "/signs", p.signs.size(), cols));
    for (size_t i = 0; i < p.signs.size(); ++i)
      if (p.signs[i] != 1 && p.signs[i] != -1)
        return bad(at + "/signs", "value " + std::to_string(p.signs[i]) +
                                      " at index " + std::to_string(i) +
                                      " is not +1 or -1");
  }
  return Status::ok();
}
} // namespace

Status Model::validate() const {
  if (!(dt > 0) || !std::isfinite(dt))
    return bad("/dt", "must be positive and finite");
  if (steps == 0)
    return bad("/steps", "must be positive");
  std::set<std::string> names;
  for (const Population &p : populations) {
    if (!names.insert(p.name).second)
      return bad("populations/" + p.name, "duplicate population name");
    SNNRT_TRY(validatePopulation(*this, p));
  }
  std::set<std::string> projNames;
  for (const Projection &p : projections) {
    if (!projNames.insert(p.name).second)
      return bad("projections/" + p.name, "duplicate projection name");
    SNNRT_TRY(validateProjection(*this, p));
  }
  if (topologicalOrder().size() != populations.size())
    return bad("projections", "the projections form a cycle; a network must "
                              "be a DAG");
  if (outputs.empty())
    return bad("/outputs", "no output population");
  for (const std::string &o : outputs) {
    int i = findPopulation(o);
    if (i < 0)
      return bad("/outputs", "unknown population '" + o + "'");
    if (populations[i].kind == PopulationKind::Input)
      return bad("/outputs", "output '" + o + "' is an input population");
  }
  return Status::ok();
}

std::vector<int> Model::topologicalOrder() const {
  size_t n = populations.size();
  std::vector<int> indegree(n, 0);
  std::vector<std::vector<int>> next(n);
  for (const Projection &p : projections) {
    int s = findPopulation(p.source), t = findPopulation(p.target);
    if (s < 0 || t < 0)
      continue;
    next[s].push_back(t);
    ++indegree[t];
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < n; ++i)
    if (indegree[i] == 0)
      ready.push(static_cast<int>(i));
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int j : next[i])
      if (--indegree[j] == 0)
        ready.push(j);
  }
  return order; // shorter than n when there is a cycle
}

} // namespace snnrt
