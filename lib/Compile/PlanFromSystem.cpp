//===- PlanFromSystem.cpp - snnhw.system -> snnrt::Plan -------------------===//

#include "PlanFromSystem.h"

#include "snn/SNNOps.h"
#include "snnc/Import/EnumTranslation.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace snnc;

static LogicalResult read32(ElementsAttr attr, std::vector<int32_t> &out) {
  out.clear();
  out.reserve(attr.getNumElements());
  return snnhw::forEachInteger(
      attr, [&](int64_t, int64_t v) { out.push_back(int32_t(v)); });
}

FailureOr<snnrt::Plan> snnc::planFromSystem(snnhw::SystemOp system) {
  snnrt::Plan plan;
  plan.name = system.getSymName().str();
  plan.target = system.getTarget().str();
  plan.dt = system.getDt().convertToDouble();
  plan.steps = uint32_t(system.getSteps());
  plan.stateBits = uint32_t(system.getStateBits());
  plan.decayMode = toRuntime(system.getDecayMode());
  plan.arithmetic =
      toRuntime(system.getArithmetic().value_or(snn::Arithmetic::snnc));
  if (auto partitioner = system.getPartitioner())
    plan.partitioner = snnhw::stringifyPartitioner(*partitioner).str();
  snnhw::LimitsAttr limits = system.getLimits();
  limits.forEachLimit([&](StringRef name, int64_t value) {
    plan.limits.push_back({name.str(), value});
  });
  plan.targetDecay = snnhw::stringifyTargetDecay(limits.getDecay()).str();
  llvm::DenseMap<StringRef, uint32_t> coreIndex;
  for (Operation &op : system.getBodyBlock()) {
    if (auto pop = dyn_cast<snnhw::PopulationOp>(op)) {
      snnrt::PlanPopulation p;
      p.name = pop.getSymName().str();
      p.kind = snnhw::stringifyPopulationKind(pop.getKind()).str();
      p.size = uint32_t(pop.getSize());
      p.scale = pop.getScale() ? pop.getScale()->convertToDouble() : 1.0;
      if (auto encoding = pop.getEncoding())
        p.encoding = snn::stringifyInputEncoding(*encoding).str();
      if (auto reset = pop.getReset())
        p.reset = snn::stringifyResetMode(*reset).str();
      p.relay = pop.getRelay();
      p.output = pop.getOutput();
      if (auto ws = pop.getWeightScale()) {
        SmallVector<float> v;
        if (failed(snn::getElementValues<float>(*ws, v)))
          return pop.emitOpError("'weight_scale' is not readable");
        p.weightScale.assign(v.begin(), v.end());
      }
      plan.populations.push_back(std::move(p));
    } else if (auto core = dyn_cast<snnhw::CoreOp>(op)) {
      snnrt::PlanCore c;
      c.chip = int64_t(core.getChip());
      c.x = int64_t(core.getX());
      c.y = int64_t(core.getY());
      SmallVector<int64_t> ptr;
      if (failed(read32(core.getNeuronPop(), c.neuronPop)) ||
          failed(read32(core.getNeuronIndex(), c.neuronIndex)) ||
          failed(read32(core.getThreshold(), c.threshold)) ||
          failed(read32(core.getBias(), c.bias)) ||
          failed(read32(core.getVDecay(), c.vDecay)) ||
          failed(read32(core.getIDecay(), c.iDecay)) ||
          failed(read32(core.getAxonPop(), c.axonPop)) ||
          failed(read32(core.getAxonIndex(), c.axonIndex)) ||
          failed(read32(core.getSynAxon(), c.synAxon)) ||
          failed(read32(core.getSynWeight(), c.synWeight)) ||
          failed(read32(core.getSynDelay(), c.synDelay)) ||
          failed(snnhw::readIntegers(core.getSynPtr(), ptr)))
        return core.emitOpError("a table is not readable");
      if (auto biasSyn = core.getBiasSyn())
        if (failed(read32(*biasSyn, c.biasSyn)))
          return core.emitOpError("'bias_syn' is not readable");
      c.synPtr.assign(ptr.begin(), ptr.end());
      coreIndex[core.getSymName()] = uint32_t(plan.cores.size());
      plan.cores.push_back(std::move(c));
    }
  }
  for (auto route : system.getBodyBlock().getOps<snnhw::RouteOp>())
    plan.routes.push_back({coreIndex.lookup(route.getSource()),
                           coreIndex.lookup(route.getDest()),
                           uint64_t(route.getAxons()),
                           route.getTraffic().convertToDouble(),
                           uint32_t(route.getHops())});
  return plan;
}
