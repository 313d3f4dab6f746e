//===- FoldBatchNorm.cpp - snn-fold-batchnorm -----------------------------===//
//
// Folds evaluation-mode BatchNorm (SNN-F5) into the weights of every
// projection into the population and into its bias (SNN-F7, SNN-F9), or
// for a CuBa population into its synaptic bias in front of the filter (SNN-F8).
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include "snnrt/model/Quantization.h"

#include <cmath>

namespace snnc {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "snnc/Transforms/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;
using namespace snnc::detail;

namespace {

struct FoldBatchNormPass
    : public snnc::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  using FoldBatchNormPassBase::FoldBatchNormPassBase;

  void runOnOperation() override;
  LogicalResult fold(snn::NetworkOp net, snn::BatchNormOp bn);
};

LogicalResult FoldBatchNormPass::fold(snn::NetworkOp net, snn::BatchNormOp bn) {
  auto pop = dyn_cast_or_null<snn::NeuronPopulationOpInterface>(
      snn::lookupPopulation(net, bn.getTargetAttr()).getOperation());
  if (!pop)
    return bn.emitOpError() << "target " << bn.getTargetAttr()
                            << " is not a population"; // verifier: SNN-V16
  int64_t n = pop.getSize();
  SmallVector<float> gamma, beta, mean, var, bias;
  if (failed(snn::getElementValues(bn.getGamma(), gamma)) ||
      failed(snn::getElementValues(bn.getBeta(), beta)) ||
      failed(snn::getElementValues(bn.getMean(), mean)) ||
      failed(snn::getElementValues(bn.getVar(), var)))
    return bn.emitOpError() << "has unreadable statistics";
  if (std::optional<ElementsAttr> biasAttr = pop.getBias()) {
    if (failed(snn::getElementValues(*biasAttr, bias)))
      return pop->emitOpError() << "has an unreadable float bias";
  } else {
    bias.assign(n, 0.0f);
  }

  // SNN-F5 in evaluation: Î = s·(I − μ) + β = s·I + (β − s·μ).
  double eps = bn.getEps().convertToDouble();
  SmallVector<double> scale(n), offset(n);
  SmallVector<float> newBias(n);
  // A CuBa population (lif or li with tau_syn) filters the normalised
  // current (SNN-F8): the offset is a constant in front of the filter, which
  // is exactly its synaptic bias bias_syn.
  bool cuba = pop.hasSynapticCurrent();
  SmallVector<float> biasSyn(n, 0.0f), newBiasSyn(n, 0.0f);
  std::optional<ElementsAttr> biasSynAttr = pop.getBiasSyn();
  if (cuba && biasSynAttr)
    if (failed(snn::getElementValues(*biasSynAttr, biasSyn)))
      return pop->emitOpError() << "has an unreadable float bias_syn";
  bool anyBiasSyn = cuba && biasSynAttr;
  for (int64_t b = 0; b < n; ++b) {
    // The runtime's rule, which quantisation-aware training folds with too.
    snnrt::quant::BatchNormFold f =
        snnrt::quant::foldBatchNorm(gamma[b], beta[b], mean[b], var[b], eps);
    scale[b] = f.scale;
    offset[b] = f.offset;
    if (!std::isfinite(scale[b]) || std::abs(scale[b]) > 3.0e38)
      return bn.emitOpError()
             << "cannot fold into " << bn.getTargetAttr() << ": neuron " << b
             << " has scale gamma/sqrt(var+eps) = " << fmt(scale[b])
             << ", beyond float32";
    if (cuba) {
      newBias[b] = bias[b];
      newBiasSyn[b] = snnrt::quant::foldedBias(biasSyn[b], offset[b]);
      anyBiasSyn |= newBiasSyn[b] != 0.0f;
      if (!std::isfinite(newBiasSyn[b]))
        return bn.emitOpError()
               << "cannot fold into " << bn.getTargetAttr()
               << ": the synaptic bias of neuron " << b << " overflows float32";
      continue;
    }
    newBias[b] = snnrt::quant::foldedBias(bias[b], offset[b]);
    if (!std::isfinite(newBias[b]))
      return bn.emitOpError()
             << "cannot fold into " << bn.getTargetAttr()
             << ": the bias of neuron " << b << " overflows float32";
  }

  // Compute every new weight array before changing anything, so a
  // diagnostic leaves the IR as it was.
  SmallVector<std::pair<snn::ProjectionOpInterface, SmallVector<float>>>
      updates;
  for (auto proj : getIncomingProjections(net, pop.getSymName())) {
    SynapseIndex index;
    SmallVector<float> w;
    if (failed(buildSynapseIndex(proj, index)) ||
        failed(snn::getElementValues(proj.getWeight(), w)))
      return proj->emitOpError() << "has unreadable float weights";
    for (size_t i = 0; i < w.size(); ++i) {
      int32_t b = index.target[i];
      float folded = snnrt::quant::foldedWeight(scale[b], w[i]);
      if (!std::isfinite(folded))
        return bn.emitOpError()
               << "cannot fold into " << bn.getTargetAttr() << ": weight of "
               << "synapse (target " << b << ", source " << index.source[i]
               << ") of @" << proj.getSymName() << " overflows float32";
      w[i] = folded;
    }
    updates.emplace_back(proj, std::move(w));
  }
  for (auto &[proj, w] : updates) {
    auto type = proj.getWeight().getShapedType();
    proj.setWeightAttr(
        makeTensor<float>(type, blobName(proj, "weight"), ArrayRef<float>(w)));
    numScaledWeights += w.size();
  }
  auto biasType = RankedTensorType::get({n}, Float32Type::get(&getContext()));
  pop.setBiasAttr(makeTensor<float>(biasType, blobName(pop, "bias"),
                                    ArrayRef<float>(newBias)));
  if (anyBiasSyn)
    pop.setBiasSynAttr(makeTensor<float>(biasType, blobName(pop, "bias_syn"),
                                         ArrayRef<float>(newBiasSyn)));
  bn.erase();
  ++numFolded;
  return success();
}

void FoldBatchNormPass::runOnOperation() {
  snn::NetworkOp net = getOperation();
  SmallVector<snn::BatchNormOp> bns;
  for (Operation &op : net.getBodyBlock())
    if (auto bn = dyn_cast<snn::BatchNormOp>(op))
      if (population.empty() || bn.getTarget() == population)
        bns.push_back(bn);
  if (!population.empty() && bns.empty()) {
    net.emitError() << "snn-fold-batchnorm: no snn.batchnorm targets @"
                    << population << " in network @" << net.getSymName();
    return signalPassFailure();
  }
  for (snn::BatchNormOp bn : bns)
    if (failed(fold(net, bn)))
      return signalPassFailure();
}

} // namespace
