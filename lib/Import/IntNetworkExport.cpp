//===- IntNetworkExport.cpp - integer snn network -> snnrt::IntNetwork ----===//

#include "snnc/Import/EnumTranslation.h"
#include "snnc/Import/IntNetworkExport.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace snnc;
using namespace snnc::snn;

namespace {

LogicalResult readInts(Operation *op, StringRef field, ElementsAttr attr,
                       std::vector<int32_t> &out) {
  SmallVector<int64_t> values;
  if (failed(getIntegerValues(attr, values)))
    return op->emitOpError() << "cannot read integer '" << field << "'";
  out.assign(values.begin(), values.end());
  return success();
}

/// A population's integer decay per neuron (SNN-V23): the per-neuron array
/// when present, else the scalar for every neuron.
LogicalResult readDecays(Operation *op, StringRef field, uint64_t scalar,
                         std::optional<ElementsAttr> array, uint32_t size,
                         std::vector<int32_t> &out) {
  SmallVector<int64_t> values;
  if (failed(getPerNeuronIntegers(array, static_cast<int64_t>(scalar), size,
                                  values)))
    return op->emitOpError()
           << "has an unreadable '" << field << "_per_neuron'";
  out.assign(values.begin(), values.end());
  return success();
}

/// Appends one projection in CSR form with signs folded into the weights.
template <typename ProjOp>
LogicalResult exportProjection(ProjOp op, int64_t sourceSize,
                               int64_t targetSize, snnrt::IntProjection &out,
                               SmallVectorImpl<float> &scale) {
  out.name = op.getSymName().str();
  out.source = op.getSource().str();
  out.target = op.getTarget().str();
  out.maxDelay = static_cast<uint32_t>(op.getMaxDelay());
  std::vector<int32_t> weight, delay;
  if (failed(readInts(op, "weight", op.getWeight(), weight)))
    return failure();
  if (!op.getDelay())
    return op.emitOpError() << "has DCLS positions; an integer network needs "
                               "integer delays (run snn-discretize-delays)";
  if (failed(readInts(op, "delay", *op.getDelay(), delay)))
    return failure();
  std::vector<int32_t> sign;
  if (auto s = op.getSign())
    if (failed(readInts(op, "sign", *s, sign)))
      return failure();
  // Lava keeps its exponent per projection (it shifts the summed input);
  // Xylo's is the matrix's weight shift, which the executors fold into the
  // effective weight w·2^s (SNN-X3, SNN-X13).
  int64_t shift = 0;
  if (auto net = op->template getParentOfType<NetworkOp>();
      net && net.isXyloIaf())
    shift = op.getWeightExp().value_or(0);
  else
    out.weightExp = static_cast<int32_t>(op.getWeightExp().value_or(0));
  std::optional<ElementsAttr> scaleAttr = op.getWeightScale();
  if (!scaleAttr || failed(getElementValues(*scaleAttr, scale)))
    return op.emitOpError() << "has no readable 'weight_scale'";
  auto signOf = [&](int64_t a) { return sign.empty() ? 1 : sign[a]; };

  out.rowPtr.assign(1, 0);
  if constexpr (std::is_same_v<ProjOp, SparseProjectionOp>) {
    std::vector<int32_t> rowPtr, colIdx;
    SmallVector<int64_t> rp;
    if (failed(getIntegerValues(op.getRowPtr(), rp)) ||
        failed(readInts(op, "col_idx", op.getColIdx(), colIdx)))
      return op.emitOpError() << "cannot read its CSR structure";
    out.rowPtr.assign(rp.begin(), rp.end());
    for (size_t k = 0; k < colIdx.size(); ++k) {
      out.colIdx.push_back(colIdx[k]);
      out.weight.push_back(weight[k] * signOf(colIdx[k]) * (1 << shift));
      out.delay.push_back(delay[k]);
    }
  } else {
    SmallVector<bool> mask;
    if (auto m = op.getMask())
      if (failed(getElementValues(*m, mask)))
        return op.emitOpError() << "cannot read 'mask'";
    for (int64_t b = 0; b < targetSize; ++b) {
      for (int64_t a = 0; a < sourceSize; ++a) {
        size_t k = size_t(b) * sourceSize + a;
        if (!mask.empty() && !mask[k])
          continue;
        out.colIdx.push_back(static_cast<uint32_t>(a));
        out.weight.push_back(weight[k] * signOf(a) * (1 << shift));
        out.delay.push_back(delay[k]);
      }
      out.rowPtr.push_back(out.colIdx.size());
    }
  }
  return success();
}

} // namespace

FailureOr<snnrt::IntNetwork> snnc::exportIntNetwork(NetworkOp network) {
  if (!network.isInteger())
    return network.emitOpError()
           << "is a float network; quantise it first (snn-quantize)";
  snnrt::IntNetwork net;
  net.name = network.getSymName().str();
  net.dt = network.getDt().convertToDouble();
  net.steps = static_cast<uint32_t>(network.getSteps());
  net.stateBits = static_cast<uint32_t>(*network.getIntStateBits());
  net.decay = toRuntime(network.getIntDecay().value_or(IntDecayMode::mul12));
  net.arithmetic = toRuntime(network.getArithmetic());
  llvm::StringMap<size_t> index;
  for (Operation &op : network.getBodyBlock()) {
    snnrt::IntPopulation pop;
    if (auto in = dyn_cast<InputOp>(op)) {
      pop.name = in.getSymName().str();
      pop.kind = snnrt::PopulationKind::Input;
      pop.size = static_cast<uint32_t>(in.getSize());
      pop.inputKind = toRuntime(in.getEncoding());
      pop.scale = in.getScale().convertToDouble();
    } else if (auto lif = dyn_cast<LIFOp>(op)) {
      pop.name = lif.getSymName().str();
      pop.kind = snnrt::PopulationKind::Lif;
      pop.size = static_cast<uint32_t>(lif.getSize());
      pop.reset = toRuntime(lif.getReset());
      if (!lif.getVThreshold() || !lif.getVDecay())
        return lif.emitOpError() << "lacks its integer parameters";
      if (failed(readInts(lif, "v_threshold", *lif.getVThreshold(),
                          pop.threshold)))
        return failure();
      if (failed(readDecays(lif, "v_decay", *lif.getVDecay(),
                            lif.getVDecayPerNeuron(), pop.size, pop.vDecay)))
        return failure();
      if (lif.getTauSyn()) {
        if (!lif.getIDecay())
          return lif.emitOpError() << "has tau_syn but no integer 'i_decay'";
        if (failed(readDecays(lif, "i_decay", *lif.getIDecay(),
                              lif.getIDecayPerNeuron(), pop.size, pop.iDecay)))
          return failure();
      }
      if (auto bias = lif.getBiasAttr()) {
        if (failed(readInts(lif, "bias", bias, pop.bias)))
          return failure();
      }
      if (auto biasSyn = lif.getBiasSynAttr())
        if (failed(readInts(lif, "bias_syn", biasSyn, pop.biasSyn)))
          return failure();
    } else if (auto li = dyn_cast<LIOp>(op)) {
      pop.name = li.getSymName().str();
      pop.kind = snnrt::PopulationKind::Li;
      pop.size = static_cast<uint32_t>(li.getSize());
      if (!li.getVDecay())
        return li.emitOpError() << "lacks its integer 'v_decay'";
      if (failed(readDecays(li, "v_decay", *li.getVDecay(),
                            li.getVDecayPerNeuron(), pop.size, pop.vDecay)))
        return failure();
      if (li.getTauSyn()) {
        if (!li.getIDecay())
          return li.emitOpError() << "has tau_syn but no integer 'i_decay'";
        if (failed(readDecays(li, "i_decay", *li.getIDecay(),
                              li.getIDecayPerNeuron(), pop.size, pop.iDecay)))
          return failure();
      }
      if (auto bias = li.getBiasAttr())
        if (failed(readInts(li, "bias", bias, pop.bias)))
          return failure();
      if (auto biasSyn = li.getBiasSynAttr())
        if (failed(readInts(li, "bias_syn", biasSyn, pop.biasSyn)))
          return failure();
    } else {
      continue;
    }
    if (pop.kind != snnrt::PopulationKind::Input && pop.bias.empty())
      pop.bias.assign(pop.size, 0);
    index[pop.name] = net.populations.size();
    net.populations.push_back(std::move(pop));
  }
  for (Operation &op : network.getBodyBlock()) {
    snnrt::IntProjection proj;
    SmallVector<float> scale;
    LogicalResult result = success();
    if (auto p = dyn_cast<ProjectionOp>(op))
      result = exportProjection(
          p, net.populations[index[p.getSource()]].size,
          net.populations[index[p.getTarget()]].size, proj, scale);
    else if (auto p = dyn_cast<SparseProjectionOp>(op))
      result = exportProjection(
          p, net.populations[index[p.getSource()]].size,
          net.populations[index[p.getTarget()]].size, proj, scale);
    else if (auto out = dyn_cast<OutputOp>(op)) {
      net.outputs.push_back(out.getPopulation().str());
      continue;
    } else {
      continue;
    }
    if (failed(result))
      return failure();
    // SNN-I9: the membrane unit of the target, per layer or per neuron.
    snnrt::IntPopulation &target = net.populations[index[proj.target]];
    target.weightScale.resize(target.size);
    for (uint32_t b = 0; b < target.size; ++b)
      target.weightScale[b] = scale.size() == 1 ? scale[0] : scale[b];
    net.projections.push_back(std::move(proj));
  }
  if (auto status = net.validate(); !status)
    return network.emitOpError() << status.message();
  return net;
}
