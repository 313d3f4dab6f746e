//===- IntNetwork.cpp - A quantised network, unmapped ---------------------===//

#include "snnrt/exec/IntNetwork.h"

#include <algorithm>

namespace snnrt {

int IntNetwork::findPopulation(const std::string &name) const {
  for (size_t i = 0; i < populations.size(); ++i)
    if (populations[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::vector<int> IntNetwork::topologicalOrder() const {
  std::vector<int> indegree(populations.size(), 0), order;
  for (const auto &p : projections)
    ++indegree[findPopulation(p.target)];
  std::vector<bool> done(populations.size(), false);
  // Declaration order among the ready populations keeps results stable.
  for (size_t round = 0; round < populations.size(); ++round)
    for (size_t i = 0; i < populations.size(); ++i) {
      if (done[i] || indegree[i] != 0)
        continue;
      done[i] = true;
      order.push_back(static_cast<int>(i));
      for (const auto &p : projections)
        if (findPopulation(p.source) == int(i))
          --indegree[findPopulation(p.target)];
      break;
    }
  return order;
}

namespace {
Status bad(const std::string &where, const std::string &what) {
  return Status::error("integer network: " + where + ": " + what);
}

/// Lava's parameter ranges (SNN-L rules) for one lif/li population.
Status validateLavaPopulation(const IntPopulation &p, const std::string &w) {
  for (int32_t d : p.vDecay)
    if (d < 0 || d > intmath::lava::kMaxVDecay)
      return bad(w,
                 "v_decay " + std::to_string(d) + " outside Lava's [0, 4095]");
  for (int32_t d : p.iDecay)
    if (d < intmath::lava::kMinIDecay || d > intmath::lava::kMaxIDecay)
      return bad(w,
                 "i_decay " + std::to_string(d) + " outside Lava's [1, 4096]");
  for (int32_t b : p.bias)
    if (!intmath::lavaBiasRepresentable(b))
      return bad(w, "bias " + std::to_string(b) +
                        " is no 13-bit mantissa << exponent in [0, 7]");
  if (!p.biasSyn.empty())
    return bad(w, "Lava's CUBA neuron has no synaptic bias");
  return Status::ok();
}

/// XyloSim's parameter ranges (SNN-X1, 4-bit dashes) for one lif/li
/// population: every Xylo neuron has a current (port 1) and no synaptic
/// bias.
Status validateXyloPopulation(const IntPopulation &p, const std::string &w) {
  if (p.iDecay.size() != p.size)
    return bad(w, "a Xylo neuron needs its synaptic dash (i_decay) per neuron");
  for (const auto *dashes : {&p.vDecay, &p.iDecay})
    for (int32_t d : *dashes)
      if (d < 0 || d > intmath::xylo::kMaxDash)
        return bad(w,
                   std::string(dashes == &p.vDecay ? "dash_mem" : "dash_syn") +
                       " " + std::to_string(d) + " outside Xylo's [0, 15]");
  if (!p.biasSyn.empty())
    return bad(w, "Xylo's IAF neuron has no synaptic bias");
  return Status::ok();
}
} // namespace

Status IntNetwork::validate() const {
  if (stateBits < 3 || stateBits > 48)
    return bad("state_bits", "must lie in [3, 48], got " +
                                 std::to_string(stateBits));
  if (steps == 0)
    return bad("steps", "must be > 0");
  const int64_t maxState = (int64_t(1) << (stateBits - 1)) - 1;
  const int64_t maxDecay = decay == intmath::DecayKind::Mul12 ? 4096 : 31;
  const bool lava = arithmetic == intmath::Arithmetic::LavaCuba;
  if (lava && (stateBits != intmath::lava::kStateBits ||
               decay != intmath::DecayKind::Mul12))
    return bad("arithmetic", "Lava's needs 24 state bits and mul12 decay");
  const bool xylo = arithmetic == intmath::Arithmetic::XyloIaf;
  if (xylo && (stateBits != intmath::xylo::kStateBits ||
               decay != intmath::DecayKind::Shift))
    return bad("arithmetic", "Xylo's needs 16 state bits and shift decay");
  for (const auto &p : populations) {
    const std::string w = "population '" + p.name + "'";
    if (p.size == 0)
      return bad(w, "size must be > 0");
    if (p.kind == PopulationKind::Input)
      continue;
    if (p.bias.size() != p.size || p.weightScale.size() != p.size)
      return bad(w, "bias and weight_scale need one entry per neuron");
    if (p.vDecay.size() != p.size ||
        (!p.iDecay.empty() && p.iDecay.size() != p.size))
      return bad(w, "v_decay (and i_decay) need one entry per neuron");
    for (const auto *decays : {&p.vDecay, &p.iDecay})
      for (size_t i = 0; i < decays->size(); ++i)
        if ((*decays)[i] < 0 || (*decays)[i] > maxDecay)
          return bad(w,
                     std::string(decays == &p.vDecay ? "v_decay" : "i_decay") +
                         " of neuron " + std::to_string(i) + " is " +
                         std::to_string((*decays)[i]) + ", outside [0, " +
                         std::to_string(maxDecay) + "]");
    for (int32_t b : p.bias)
      if (std::abs(int64_t(b)) > maxState)
        return bad(w, "bias " + std::to_string(b) + " exceeds the " +
                          std::to_string(stateBits) + "-bit state");
    if (!p.biasSyn.empty()) {
      if (p.iDecay.empty() || p.biasSyn.size() != p.size)
        return bad(w, "bias_syn needs i_decay and one entry per neuron");
      for (int32_t b : p.biasSyn)
        if (int64_t(b) < -maxState - 1 || int64_t(b) > maxState)
          return bad(w, "bias_syn " + std::to_string(b) + " exceeds the " +
                            std::to_string(stateBits) + "-bit state");
    }
    if (p.kind == PopulationKind::Lif) {
      if (p.threshold.size() != p.size)
        return bad(w, "threshold needs one entry per neuron");
      const int64_t lo = lava ? 0 : 1,
                    hi = lava ? intmath::lava::kMaxThreshold : maxState;
      for (int32_t t : p.threshold)
        if (t < lo || t > hi)
          return bad(w, "threshold " + std::to_string(t) + " outside [" +
                            std::to_string(lo) + ", " + std::to_string(hi) +
                            "]");
    }
    if (lava)
      SNNRT_TRY(validateLavaPopulation(p, w));
    if (xylo)
      SNNRT_TRY(validateXyloPopulation(p, w));
  }
  for (const auto &p : projections) {
    const std::string w = "projection '" + p.name + "'";
    int s = findPopulation(p.source), t = findPopulation(p.target);
    if (s < 0 || t < 0)
      return bad(w, "unknown source or target");
    if (populations[t].kind == PopulationKind::Input ||
        populations[s].kind == PopulationKind::Li)
      return bad(w, "must run from an input or lif to a lif or li population");
    const uint32_t ns = populations[s].size, nt = populations[t].size;
    if (p.rowPtr.size() != size_t(nt) + 1 || p.rowPtr.front() != 0 ||
        p.rowPtr.back() != p.colIdx.size() ||
        p.weight.size() != p.colIdx.size() || p.delay.size() != p.colIdx.size())
      return bad(w, "CSR arrays are inconsistent");
    for (size_t b = 0; b < nt; ++b)
      if (p.rowPtr[b + 1] < p.rowPtr[b])
        return bad(w, "row_ptr decreases at target " + std::to_string(b));
    for (size_t k = 0; k < p.colIdx.size(); ++k) {
      if (p.colIdx[k] >= ns)
        return bad(w, "synapse " + std::to_string(k) + " has source " +
                          std::to_string(p.colIdx[k]) + " >= " +
                          std::to_string(ns));
      if (p.delay[k] < 0 || uint32_t(p.delay[k]) >= p.maxDelay)
        return bad(w, "synapse " + std::to_string(k) + " has delay " +
                          std::to_string(p.delay[k]) + " outside [0, " +
                          std::to_string(p.maxDelay) + ")");
    }
    if (xylo && populations[s].kind == PopulationKind::Input &&
        populations[t].kind == PopulationKind::Li)
      return bad(w, "Xylo has no synapses from input channels to output "
                    "neurons (insert a lif population)");
    if (xylo)
      for (size_t k = 0; k < p.weight.size(); ++k)
        if (p.weight[k] < intmath::xylo::kMin ||
            p.weight[k] > intmath::xylo::kMax)
          return bad(w, "synapse " + std::to_string(k) + " has weight " +
                            std::to_string(p.weight[k]) +
                            ", outside Xylo's shifted int16 range");
    if (p.weightExp != 0 && !lava)
      return bad(w, "weight_exp belongs to Lava's arithmetic");
    if (p.weightExp < intmath::lava::kMinWeightExp ||
        p.weightExp > intmath::lava::kMaxWeightExp)
      return bad(w, "weight_exp " + std::to_string(p.weightExp) +
                        " outside [-8, 7]");
  }
  for (const auto &o : outputs)
    if (findPopulation(o) < 0)
      return bad("outputs", "unknown population '" + o + "'");
  if (topologicalOrder().size() != populations.size())
    return bad("projections", "form a cycle");
  return Status::ok();
}

} // namespace snnrt
