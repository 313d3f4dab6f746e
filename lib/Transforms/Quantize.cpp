//===- Quantize.cpp - snn-quantize ----------------------------------------===//
//
// A float network to an integer network (docs/semantics.md, SNN-I1..SNN-I9):
// integer weights with a recorded per-layer or per-neuron scale, integer
// thresholds, biases and decays. Every value that cannot be represented is
// a diagnostic; nothing is clamped silently.
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <vector>

namespace snnc {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "snnc/Transforms/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;
using namespace snnc::detail;

namespace {

/// Everything computed for one lif/li population before the IR changes.
struct PopulationPlan {
  Operation *pop;
  SmallVector<double> unit;       ///< membrane unit u per neuron
  SmallVector<int32_t> threshold; ///< LIF only (SNN-I6)
  SmallVector<int32_t> bias;      ///< empty: no bias
  SmallVector<int32_t> biasSyn;   ///< empty: no synaptic bias (SNN-I7)
  SmallVector<int64_t> vDecay;    ///< per neuron (SNN-I4/I5)
  SmallVector<int64_t> iDecay;    ///< per neuron; empty: no CuBa synapse
};

struct ProjectionPlan {
  Operation *proj;
  SmallVector<int64_t> weight; ///< integer weights, entry order
  SmallVector<float> scale;    ///< weight_scale: 1 or target-size entries
};

struct QuantizePass : public snnc::impl::QuantizePassBase<QuantizePass> {
  using QuantizePassBase::QuantizePassBase;

  void runOnOperation() override;
  LogicalResult checkOptions(snn::NetworkOp net);
  LogicalResult integerDecay(Operation *pop, StringRef name, double tau,
                             snn::NetworkOp net, int64_t &out);
};

LogicalResult QuantizePass::checkOptions(snn::NetworkOp net) {
  if (weightBits < 2 || weightBits > 16)
    return net.emitError() << "snn-quantize: 'weight-bits' must lie in [2, "
                              "16], got "
                           << static_cast<int64_t>(weightBits);
  if (stateBits < 3 || stateBits > 32)
    return net.emitError() << "snn-quantize: 'state-bits' must lie in [3, "
                              "32], got "
                           << static_cast<int64_t>(stateBits);
  if (inputFracBits < 0 || inputFracBits > 16)
    return net.emitError() << "snn-quantize: 'input-frac-bits' must lie in "
                              "[0, 16], got "
                           << static_cast<int64_t>(inputFracBits);
  if (net.isInteger())
    return net.emitError() << "snn-quantize: network @" << net.getSymName()
                           << " is already an integer network";
  for (Operation &op : net.getBodyBlock()) {
    if (isa<snn::BatchNormOp>(op))
      return op.emitOpError() << "must be folded before quantisation (run "
                                 "snn-fold-batchnorm): integer networks have "
                                 "no BatchNorm (SNN-V18)";
    if (isProjection(&op) && op.getAttr("position"))
      return op.emitOpError()
             << "has DCLS positions: run snn-discretize-delays before "
                "quantisation (SNN-F4, SNN-V18)";
  }
  return success();
}

/// SNN-I4 / SNN-I5: the integer decay parameter of a time constant.
LogicalResult QuantizePass::integerDecay(Operation *pop, StringRef name,
                                         double tau, snn::NetworkOp net,
                                         int64_t &out) {
  double dt = net.getDt().convertToDouble();
  double beta = net.getDecay() == snn::DecayMode::exp ? std::exp(-dt / tau)
                                                      : 1.0 - dt / tau;
  double leak = 1.0 - beta; // in (0, 1] by SNN-V4
  if (decay == snn::IntDecayMode::mul12) {
    // SNN-I4: v·(4096 − d) >> 12 with d = round(4096·(1 − β)).
    out = static_cast<int64_t>(roundHalfEven(4096.0 * leak));
    return success();
  }
  // SNN-I5: v − (v >> k) leaks 2^−k; k is the nearest in log2.
  double k = roundHalfEven(-std::log2(leak));
  if (k > 31)
    return pop->emitOpError()
           << "'" << name << "' = " << fmt(tau) << " gives beta = " << fmt(beta)
           << ", which needs shift k = " << fmt(k) << " > 31 (SNN-I5)";
  out = static_cast<int64_t>(k);
  return success();
}

void QuantizePass::runOnOperation() {
  snn::NetworkOp net = getOperation();
  if (failed(checkOptions(net)))
    return signalPassFailure();
  MLIRContext *ctx = &getContext();
  const int64_t wMax = (int64_t(1) << (weightBits - 1)) - 1;
  const int64_t sMax = (int64_t(1) << (stateBits - 1)) - 1;

  // SNN-I2: the float value of one integer unit of each source's output.
  llvm::DenseMap<StringRef, double> sourceUnit;
  llvm::DenseMap<StringRef, double> newInputScale;
  for (Operation &op : net.getBodyBlock()) {
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      double scale = in.getScale().convertToDouble();
      if (in.getEncoding() == snn::InputEncoding::spikes) {
        // Spike counts stay exact integers; the scale moves into weights.
        sourceUnit[in.getSymName()] = scale;
        newInputScale[in.getSymName()] = 1.0;
      } else {
        double step = std::ldexp(1.0, -static_cast<int>(inputFracBits));
        sourceUnit[in.getSymName()] = step;
        newInputScale[in.getSymName()] = scale / step;
      }
    } else if (auto lif = dyn_cast<snn::LIFOp>(op)) {
      sourceUnit[lif.getSymName()] = 1.0; // spikes are 0 or 1
    }
  }

  std::vector<PopulationPlan> pops;
  std::vector<ProjectionPlan> projs;
  for (Operation &op : net.getBodyBlock()) {
    if (!isa<snn::LIFOp, snn::LIOp>(op))
      continue;
    Operation *pop = &op;
    int64_t n = snn::getPopulationSize(pop);
    StringRef popName = symbolName(pop);
    // Effective float weights W·q_source of every incoming synapse.
    struct Incoming {
      Operation *proj;
      SynapseIndex index;
      SmallVector<double> w;
    };
    std::vector<Incoming> incoming;
    SmallVector<double> neuronMax(n, 0.0);
    for (Operation *proj : getIncomingProjections(net, pop)) {
      Incoming in{proj, {}, {}};
      if (failed(buildSynapseIndex(net, proj, in.index)) ||
          failed(readWeights(proj, in.w))) {
        proj->emitOpError() << "has unreadable synapse arrays";
        return signalPassFailure();
      }
      double q = sourceUnit.lookup(
          proj->getAttrOfType<FlatSymbolRefAttr>("source").getValue());
      for (size_t i = 0; i < in.w.size(); ++i) {
        in.w[i] = in.index.present[i] ? in.w[i] * q : 0.0;
        double &m = neuronMax[in.index.target[i]];
        m = std::max(m, std::abs(in.w[i]));
      }
      incoming.push_back(std::move(in));
    }
    double layerMax = 0;
    for (double m : neuronMax)
      layerMax = std::max(layerMax, m);
    if (!(layerMax > 0)) {
      pop->emitOpError()
          << "cannot be quantised: every incoming synapse of @" << popName
          << " is absent or zero, so no weight scale represents it "
             "(SNN-I9)";
      return signalPassFailure();
    }
    // SNN-I9: the largest |w| becomes 2^(b−1) − 1. A neuron without
    // non-zero inputs takes the population's unit (any unit represents 0).
    PopulationPlan plan;
    plan.pop = pop;
    double layerUnit = layerMax / double(wMax);
    auto lifPop = dyn_cast<snn::LIFOp>(pop);
    bool relay = lifPop && lifPop.getRelay();
    if (relay) {
      // SNN-I10: a relay stays exact only with threshold 1 and weight 2, so
      // its unit is 1 whatever the other populations get (SNN-V22).
      if (weightBits < 3) {
        pop->emitOpError() << "relay population @" << popName
                           << " needs input weight 2, which does not fit "
                           << static_cast<int64_t>(weightBits)
                           << "-bit weights (SNN-I10)";
        return signalPassFailure();
      }
      layerUnit = 1.0;
    }
    plan.unit.assign(n, layerUnit);
    if (perNeuronScale && !relay)
      for (int64_t b = 0; b < n; ++b)
        if (neuronMax[b] > 0)
          plan.unit[b] = neuronMax[b] / double(wMax);

    // Integer decays per neuron (equal time constants give equal decays, so
    // each distinct one is converted, and diagnosed, once).
    auto decays = [&](StringRef name, ArrayRef<double> taus,
                      SmallVectorImpl<int64_t> &out) -> LogicalResult {
      out.clear();
      double lastTau = std::nan("");
      int64_t last = 0;
      for (double tau : taus) {
        if (!(tau == lastTau) &&
            failed(integerDecay(pop, name, tau, net, last)))
          return failure();
        lastTau = tau;
        out.push_back(last);
      }
      return success();
    };
    SmallVector<double> tauMem, tauSyn, thetas;
    std::optional<double> tauSynScalar;
    bool readable = true;
    if (lifPop) {
      readable &= succeeded(snn::getPerNeuronValues(
          lifPop.getTauMemPerNeuron(), lifPop.getTauMem().convertToDouble(), n,
          tauMem));
      if (auto t = lifPop.getTauSyn()) {
        tauSynScalar = t->convertToDouble();
        readable &= succeeded(snn::getPerNeuronValues(
            lifPop.getTauSynPerNeuron(), *tauSynScalar, n, tauSyn));
      }
      readable &= succeeded(snn::getPerNeuronValues(
          lifPop.getThresholdPerNeuron(),
          lifPop.getThreshold().convertToDouble(), n, thetas));
    } else {
      auto li = cast<snn::LIOp>(pop);
      readable &= succeeded(
          snn::getPerNeuronValues(li.getTauMemPerNeuron(),
                                  li.getTauMem().convertToDouble(), n, tauMem));
      if (auto t = li.getTauSyn()) {
        tauSynScalar = t->convertToDouble();
        readable &= succeeded(snn::getPerNeuronValues(
            li.getTauSynPerNeuron(), *tauSynScalar, n, tauSyn));
      }
    }
    if (!readable) {
      pop->emitOpError() << "has unreadable per-neuron parameters";
      return signalPassFailure();
    }
    if (failed(decays("tau_mem", tauMem, plan.vDecay)) ||
        (tauSynScalar && failed(decays("tau_syn", tauSyn, plan.iDecay))))
      return signalPassFailure();

    // SNN-I9: the unit is never below θ / (2^(S−1) − 1), so every threshold
    // fits the state. A neuron whose weights are tiny against its threshold
    // gets a coarser unit than its weights alone would ask for: its weights
    // lose resolution instead of the whole network being refused.
    if (lifPop && !relay) {
      if (perNeuronScale) {
        for (int64_t b = 0; b < n; ++b)
          plan.unit[b] = std::max(plan.unit[b], thetas[b] / double(sMax));
      } else {
        double thetaMax = 0;
        for (double theta : thetas)
          thetaMax = std::max(thetaMax, theta);
        layerUnit = std::max(layerUnit, thetaMax / double(sMax));
        plan.unit.assign(n, layerUnit);
      }
      int64_t silenced = 0, first = -1;
      for (int64_t b = 0; b < n; ++b)
        if (neuronMax[b] > 0 &&
            roundHalfEven(neuronMax[b] / plan.unit[b]) == 0 && silenced++ == 0)
          first = b;
      if (silenced > 0)
        lifPop.emitWarning()
            << silenced << " neuron(s) of @" << popName
            << " lose every input: neuron " << first << "'s largest weight "
            << fmt(neuronMax[first]) << " rounds to 0 at unit "
            << fmt(plan.unit[first]) << ", the smallest that holds its threshold "
            << fmt(thetas[first]) << " in " << static_cast<int64_t>(stateBits)
            << "-bit state; such a neuron never fires (SNN-I9)";
    }

    // Thresholds (LIF) and biases in state units.
    if (auto lif = dyn_cast<snn::LIFOp>(pop)) {
      plan.threshold.resize(n);
      for (int64_t b = 0; b < n; ++b) {
        double theta = thetas[b];
        // Cannot exceed sMax: the unit is at least θ / sMax (above).
        double t = roundHalfEven(theta / plan.unit[b]);
        if (t < 1) {
          lif.emitOpError()
              << "threshold of neuron " << b << " of @" << popName
              << " rounds to 0 state units (threshold " << fmt(theta)
              << ", unit " << fmt(plan.unit[b])
              << "): the neuron would fire on every step (SNN-I9)";
          return signalPassFailure();
        }
        plan.threshold[b] = static_cast<int32_t>(t);
      }
    }
    if (auto biasAttr = pop->getAttrOfType<ElementsAttr>("bias")) {
      SmallVector<float> bias;
      if (failed(snn::getElementValues(biasAttr, bias))) {
        pop->emitOpError() << "has an unreadable float bias";
        return signalPassFailure();
      }
      plan.bias.resize(n);
      for (int64_t b = 0; b < n; ++b) {
        double v = roundHalfEven(double(bias[b]) / plan.unit[b]);
        if (std::abs(v) > double(sMax)) {
          pop->emitOpError()
              << "bias overflow: neuron " << b << " of @" << popName
              << " needs bias " << fmt(bias[b]) << " / unit "
              << fmt(plan.unit[b]) << " = " << fmt(v)
              << " state units, beyond the " << static_cast<int64_t>(stateBits)
              << "-bit state limit " << sMax << " (SNN-I1, SNN-I9)";
          return signalPassFailure();
        }
        plan.bias[b] = static_cast<int32_t>(v);
      }
    }
    // SNN-I7: the synaptic bias adds to the current, whose unit is the
    // membrane unit (the weights' units, SNN-I3).
    if (auto biasAttr = pop->getAttrOfType<ElementsAttr>("bias_syn")) {
      SmallVector<float> biasSyn;
      if (failed(snn::getElementValues(biasAttr, biasSyn))) {
        pop->emitOpError() << "has an unreadable float bias_syn";
        return signalPassFailure();
      }
      plan.biasSyn.resize(n);
      for (int64_t b = 0; b < n; ++b) {
        double v = roundHalfEven(double(biasSyn[b]) / plan.unit[b]);
        if (std::abs(v) > double(sMax)) {
          pop->emitOpError()
              << "bias_syn overflow: neuron " << b << " of @" << popName
              << " needs synaptic bias " << fmt(biasSyn[b]) << " / unit "
              << fmt(plan.unit[b]) << " = " << fmt(v)
              << " state units, beyond the " << static_cast<int64_t>(stateBits)
              << "-bit state limit " << sMax << " (SNN-I1, SNN-I7)";
          return signalPassFailure();
        }
        plan.biasSyn[b] = static_cast<int32_t>(v);
      }
    }

    // SNN-I9: integer weights.
    for (Incoming &in : incoming) {
      ProjectionPlan pp;
      pp.proj = in.proj;
      pp.weight.resize(in.w.size());
      bool anyNonZero = false, anyKept = false;
      double largest = 0, sqError = 0;
      int64_t present = 0, zeroed = 0;
      for (size_t i = 0; i < in.w.size(); ++i) {
        double unit = plan.unit[in.index.target[i]];
        double w = roundHalfEven(in.w[i] / unit);
        pp.weight[i] = static_cast<int64_t>(w);
        if (in.index.present[i]) {
          ++present;
          sqError += (w * unit - in.w[i]) * (w * unit - in.w[i]);
          zeroed += in.w[i] != 0 && w == 0;
        }
        anyNonZero |= in.w[i] != 0;
        anyKept |= pp.weight[i] != 0;
        largest = std::max(largest, std::abs(in.w[i]));
        numZeroWeights += in.w[i] != 0 && pp.weight[i] == 0;
      }
      if (anyNonZero && !anyKept) {
        in.proj->emitOpError()
            << "all-zero layer after quantisation: every weight of @"
            << symbolName(in.proj) << " rounds to 0 at "
            << static_cast<int64_t>(weightBits)
            << " bits (largest |w| = " << fmt(largest) << ", unit of @"
            << popName << " = " << fmt(layerUnit)
            << "); use per-neuron-scale or more weight bits (SNN-I9)";
        return signalPassFailure();
      }
      if (perNeuronScale)
        pp.scale.assign(plan.unit.begin(), plan.unit.end());
      else
        pp.scale.assign(1, float(layerUnit));
      numWeights += in.w.size();
      if (remarks)
        in.proj->emitRemark()
            << "snn-quantize: @" << symbolName(in.proj) << ": "
            << static_cast<int64_t>(weightBits) << "-bit weights, "
            << (perNeuronScale ? "per-neuron" : "per-layer")
            << " scale; RMS weight error "
            << fmt(present ? std::sqrt(sqError / double(present)) / largest
                           : 0.0)
            << " of the largest |w|; " << zeroed << " of " << present
            << " synapses rounded to 0";
      projs.push_back(std::move(pp));
    }
    pops.push_back(std::move(plan));
  }

  // Everything is representable: rewrite the IR.
  Builder builder(ctx);
  auto i32 = builder.getIntegerType(32);
  Type wType = builder.getIntegerType(weightBits <= 8 ? 8 : 16);
  for (ProjectionPlan &pp : projs) {
    auto shape = pp.proj->getAttrOfType<ElementsAttr>("weight")
                     .getShapedType()
                     .getShape();
    auto type = RankedTensorType::get(shape, wType);
    std::string name = blobName(pp.proj, "weight");
    if (weightBits <= 8) {
      SmallVector<int8_t> w(pp.weight.begin(), pp.weight.end());
      pp.proj->setAttr("weight", makeTensor<int8_t>(type, name, w));
    } else {
      SmallVector<int16_t> w(pp.weight.begin(), pp.weight.end());
      pp.proj->setAttr("weight", makeTensor<int16_t>(type, name, w));
    }
    pp.proj->setAttr("weight_bits", builder.getI64IntegerAttr(weightBits));
    auto scaleType =
        RankedTensorType::get({int64_t(pp.scale.size())}, builder.getF32Type());
    pp.proj->setAttr("weight_scale",
                     makeTensor<float>(scaleType,
                                       blobName(pp.proj, "weight_scale"),
                                       ArrayRef<float>(pp.scale)));
  }
  for (PopulationPlan &plan : pops) {
    int64_t n = plan.unit.size();
    auto vecType = RankedTensorType::get({n}, i32);
    if (!plan.threshold.empty())
      plan.pop->setAttr("v_threshold",
                        makeTensor<int32_t>(vecType,
                                            blobName(plan.pop, "v_threshold"),
                                            ArrayRef<int32_t>(plan.threshold)));
    if (!plan.bias.empty())
      plan.pop->setAttr("bias",
                        makeTensor<int32_t>(vecType, blobName(plan.pop, "bias"),
                                            ArrayRef<int32_t>(plan.bias)));
    if (!plan.biasSyn.empty())
      plan.pop->setAttr("bias_syn",
                        makeTensor<int32_t>(vecType,
                                            blobName(plan.pop, "bias_syn"),
                                            ArrayRef<int32_t>(plan.biasSyn)));
    // SNN-V23: the scalar holds neuron 0's decay; the array only when the
    // neurons differ.
    auto setDecay = [&](StringRef name, ArrayRef<int64_t> values) {
      if (values.empty())
        return;
      plan.pop->setAttr(name, builder.getI64IntegerAttr(values.front()));
      if (llvm::all_equal(values))
        return;
      SmallVector<int32_t> narrow(values.begin(), values.end());
      std::string array = (name + "_per_neuron").str();
      plan.pop->setAttr(array,
                        makeTensor<int32_t>(vecType, blobName(plan.pop, array),
                                            ArrayRef<int32_t>(narrow)));
    };
    setDecay("v_decay", plan.vDecay);
    setDecay("i_decay", plan.iDecay);
    ++numPopulations;
  }
  for (Operation &op : net.getBodyBlock())
    if (auto in = dyn_cast<snn::InputOp>(op))
      in.setScaleAttr(
          builder.getF64FloatAttr(newInputScale.lookup(in.getSymName())));
  net.setIntStateBitsAttr(builder.getI64IntegerAttr(stateBits));
  net.setIntDecayAttr(snn::IntDecayModeAttr::get(ctx, decay));
}

} // namespace
