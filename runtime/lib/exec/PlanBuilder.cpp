//===- PlanBuilder.cpp - A plan from an integer network and a core map ----===//

#include "snnrt/exec/PlanBuilder.h"

#include <algorithm>
#include <unordered_map>

namespace snnrt {

std::vector<uint32_t> sequentialCoreMap(const IntNetwork &net,
                                        uint32_t neuronsPerCore) {
  std::vector<uint32_t> coreOf;
  uint32_t placed = 0;
  for (const auto &p : net.populations)
    for (uint32_t i = 0; i < p.size; ++i)
      coreOf.push_back(p.kind == PopulationKind::Input
                           ? 0
                           : placed++ / std::max(1u, neuronsPerCore));
  return coreOf;
}

Plan planFromIntNetwork(const IntNetwork &net,
                        const std::vector<uint32_t> &coreOf) {
  Plan plan;
  plan.name = net.name;
  plan.target = "none";
  plan.dt = net.dt;
  plan.steps = net.steps;
  plan.stateBits = net.stateBits;
  plan.decayMode = net.decay;
  plan.arithmetic = net.arithmetic;
  plan.targetDecay = net.decay == intmath::DecayKind::Mul12 ? "mul12" : "shift";
  plan.partitioner = "given";
  for (const auto &p : net.populations) {
    PlanPopulation pp;
    pp.name = p.name;
    pp.kind = p.kind == PopulationKind::Input ? "input"
              : p.kind == PopulationKind::Lif ? "lif"
                                              : "li";
    pp.size = p.size;
    pp.scale = p.scale;
    pp.encoding = p.inputKind == InputKind::Spikes ? "spikes" : "frames";
    pp.reset = p.reset == ResetMode::Subtract ? "subtract" : "hard";
    pp.output = std::find(net.outputs.begin(), net.outputs.end(), p.name) !=
                net.outputs.end();
    pp.weightScale = p.weightScale;
    plan.populations.push_back(pp);
  }
  uint32_t cores = 0;
  size_t g = 0;
  for (const auto &p : net.populations)
    for (uint32_t i = 0; i < p.size; ++i, ++g)
      if (p.kind != PopulationKind::Input)
        cores = std::max(cores, coreOf[g] + 1);
  plan.cores.resize(cores);
  for (auto &c : plan.cores)
    c.synPtr = {0};
  // Incoming projections per target population, looked up once.
  std::vector<std::vector<const IntProjection *>> incoming(
      net.populations.size());
  for (const auto &proj : net.projections)
    incoming[net.findPopulation(proj.target)].push_back(&proj);
  std::vector<std::unordered_map<uint64_t, int32_t>> axonIds(cores);
  g = 0;
  for (size_t pi = 0; pi < net.populations.size(); ++pi) {
    const IntPopulation &p = net.populations[pi];
    for (uint32_t b = 0; b < p.size; ++b, ++g) {
      if (p.kind == PopulationKind::Input)
        continue;
      uint32_t c = coreOf[g];
      PlanCore &core = plan.cores[c];
      core.neuronPop.push_back(int32_t(pi));
      core.neuronIndex.push_back(int32_t(b));
      // An li neuron never spikes (SNN-I8); under Lava's arithmetic it is a
      // CUBA neuron with the largest threshold.
      core.threshold.push_back(p.kind == PopulationKind::Lif ? p.threshold[b]
                               : net.arithmetic == intmath::Arithmetic::LavaCuba
                                   ? int32_t(intmath::lava::kMaxThreshold)
                               : net.arithmetic == intmath::Arithmetic::XyloIaf
                                   ? int32_t(intmath::xylo::kReadoutThreshold)
                                   : 1);
      core.bias.push_back(p.bias[b]);
      core.vDecay.push_back(p.vDecay[b]);
      core.iDecay.push_back(p.iDecay.empty() ? -1 : p.iDecay[b]);
      core.biasSyn.push_back(p.biasSyn.empty() ? 0 : p.biasSyn[b]);
      for (const IntProjection *proj : incoming[pi]) {
        uint64_t src = uint64_t(net.findPopulation(proj->source));
        for (uint64_t k = proj->rowPtr[b]; k < proj->rowPtr[b + 1]; ++k) {
          uint64_t key = (src << 32) | proj->colIdx[k];
          auto [it, fresh] =
              axonIds[c].insert({key, int32_t(core.axonPop.size())});
          if (fresh) {
            core.axonPop.push_back(int32_t(src));
            core.axonIndex.push_back(int32_t(proj->colIdx[k]));
          }
          core.synAxon.push_back(it->second);
          core.synWeight.push_back(proj->weight[k]);
          core.synDelay.push_back(proj->delay[k]);
        }
      }
      core.synPtr.push_back(int64_t(core.synAxon.size()));
    }
  }
  plan.cores.erase(std::remove_if(plan.cores.begin(), plan.cores.end(),
                                  [](const PlanCore &c) {
                                    return c.neuronPop.empty();
                                  }),
                   plan.cores.end());
  return plan;
}

} // namespace snnrt
