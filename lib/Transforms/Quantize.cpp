//===- Quantize.cpp - snn-quantize ----------------------------------------===//
//
// A float network to an integer network (docs/semantics.md, SNN-I1..SNN-I9):
// integer weights with a recorded per-layer or per-neuron scale, integer
// thresholds, biases and decays. Under Lava's arithmetic (SNN-L rules) the
// same map lands on Lava's units: one unit per population, 8-bit weight
// mantissas, a 17-bit threshold mantissa compared against v / 2^6, biases as
// 13-bit mantissas with a 3-bit exponent. Every value that cannot be
// represented is a diagnostic; nothing is clamped silently.
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include "snnrt/model/Quantization.h"

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

/// Xylo takes at most 15 input events per channel and step (SNN-X4).
constexpr int64_t kXyloMaxInputEvents = 15;

/// An incoming projection of a population being planned, with its
/// effective float weights W·q_source per entry (0 for absent entries).
struct Incoming {
  snn::ProjectionOpInterface proj;
  SynapseIndex index;
  SmallVector<double> w;
};

/// Everything computed for one lif/li population before the IR changes.
struct PopulationPlan {
  snn::NeuronPopulationOpInterface pop;
  SmallVector<double> unit;       ///< membrane unit u per neuron
  SmallVector<int32_t> threshold; ///< LIF only (SNN-I6)
  SmallVector<int32_t> bias;      ///< empty: no bias
  SmallVector<int32_t> biasSyn;   ///< empty: no synaptic bias (SNN-I7)
  SmallVector<int64_t> vDecay;    ///< per neuron (SNN-I4/I5)
  SmallVector<int64_t> iDecay;    ///< per neuron; empty: no CuBa synapse
  /// Xylo: weights wait for the matrices' shifts, which depend on every
  /// population (SNN-X3); the incoming projections and the unit wait here.
  std::vector<Incoming> incoming;
  double layerUnit = 0;
  /// Xylo: a population without `tau_syn` gets dash_syn 1 and the `tau_syn`
  /// that dash stands for (every Xylo neuron has a synaptic current).
  std::optional<double> addedTauSyn;
};

struct ProjectionPlan {
  snn::ProjectionOpInterface proj;
  SmallVector<int64_t> weight; ///< integer weights, entry order
  SmallVector<float> scale;    ///< weight_scale: 1 or target-size entries
  int64_t shift = 0;           ///< Xylo: weight_exp, the matrix's shift
};

/// The float value of one integer unit of each source's output (SNN-I2),
/// and the input scales that go with it.
struct SourceUnits {
  llvm::DenseMap<StringRef, double> unit;
  llvm::DenseMap<StringRef, double> newInputScale;
};

struct QuantizePass : public snnc::impl::QuantizePassBase<QuantizePass> {
  using QuantizePassBase::QuantizePassBase;

  void runOnOperation() override;
  LogicalResult checkOptions(snn::NetworkOp net);
  LogicalResult integerDecay(Operation *pop, StringRef name, double tau,
                             snn::NetworkOp net, int64_t &out);

private:
  int64_t maxWeight() const { return snnrt::quant::maxMantissa(weightBits); }
  int64_t maxState() const { return (int64_t(1) << (stateBits - 1)) - 1; }
  bool lava() const { return arithmetic == snn::Arithmetic::lava_cuba; }
  bool xylo() const { return arithmetic == snn::Arithmetic::xylo_iaf; }
  /// The largest integer threshold: Lava's 17-bit vth, or the state's.
  int64_t maxThreshold() const {
    static_assert(snnrt::quant::kLavaMaxThreshold == snn::lava::kMaxThreshold,
                  "quantisation-aware training's threshold limit is Lava's");
    return lava() ? snn::lava::kMaxThreshold : maxState();
  }
  LogicalResult checkLavaOptions(snn::NetworkOp net);
  LogicalResult checkLavaPopulation(PopulationPlan &plan,
                                    ArrayRef<double> thresholds);
  LogicalResult fitLavaBias(PopulationPlan &plan, double &layerUnit);
  LogicalResult lavaBias(PopulationPlan &plan, StringRef field, int64_t b,
                         double value, int32_t &out);
  LogicalResult checkXyloOptions(snn::NetworkOp net);
  LogicalResult planXyloPopulation(snn::NetworkOp net, PopulationPlan &plan,
                                   ArrayRef<Incoming> incoming,
                                   ArrayRef<double> thresholds,
                                   double &layerUnit);
  void xyloCurrentGain(const PopulationPlan &plan,
                       std::vector<Incoming> &incoming,
                       SmallVectorImpl<double> &neuronMax);
  void xyloDashes(snn::NetworkOp net, PopulationPlan &plan, StringRef name,
                  ArrayRef<double> taus, SmallVectorImpl<int64_t> &dashes);
  LogicalResult quantizeXyloWeights(snn::NetworkOp net,
                                    std::vector<PopulationPlan> &pops,
                                    std::vector<ProjectionPlan> &projs);

  SourceUnits computeSourceUnits(snn::NetworkOp net);
  LogicalResult planPopulation(snn::NetworkOp net,
                               snn::NeuronPopulationOpInterface pop,
                               const SourceUnits &sources, PopulationPlan &plan,
                               std::vector<ProjectionPlan> &projs);
  LogicalResult gatherIncoming(snn::NetworkOp net,
                               snn::NeuronPopulationOpInterface pop,
                               const SourceUnits &sources,
                               std::vector<Incoming> &incoming,
                               SmallVectorImpl<double> &neuronMax);
  LogicalResult chooseUnits(PopulationPlan &plan, ArrayRef<double> neuronMax,
                            double &layerUnit);
  LogicalResult planDecays(snn::NetworkOp net, PopulationPlan &plan,
                           SmallVectorImpl<double> &thresholds);
  void fitThresholds(PopulationPlan &plan, ArrayRef<double> neuronMax,
                     ArrayRef<double> thresholds, double &layerUnit);
  LogicalResult quantizeThresholds(PopulationPlan &plan,
                                   ArrayRef<double> thresholds);
  LogicalResult quantizeBias(PopulationPlan &plan, ElementsAttr bias,
                             bool synaptic, SmallVectorImpl<int32_t> &out);
  LogicalResult quantizeWeights(const Incoming &in, const PopulationPlan &plan,
                                double layerUnit, ProjectionPlan &pp,
                                int64_t shift = 0);
  void rewrite(snn::NetworkOp net, ArrayRef<PopulationPlan> pops,
               ArrayRef<ProjectionPlan> projs, const SourceUnits &sources);
  void warnConventionMismatch(snn::NetworkOp net);
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
  if (lava() && failed(checkLavaOptions(net)))
    return failure();
  if (xylo() && failed(checkXyloOptions(net)))
    return failure();
  for (Operation &op : net.getBodyBlock()) {
    if (isa<snn::BatchNormOp>(op))
      return op.emitOpError() << "must be folded before quantisation (run "
                                 "snn-fold-batchnorm): integer networks have "
                                 "no BatchNorm (SNN-V18)";
    auto proj = dyn_cast<snn::ProjectionOpInterface>(op);
    if (proj && proj.getPosition())
      return op.emitOpError()
             << "has DCLS positions: run snn-discretize-delays before "
                "quantisation (SNN-F4, SNN-V18)";
  }
  return success();
}

/// Lava's CUBA neuron fixes the state bits and the decay, has 8-bit weight
/// mantissas and one threshold per population (SNN-V25 to SNN-V27).
LogicalResult QuantizePass::checkLavaOptions(snn::NetworkOp net) {
  if (stateBits != snn::lava::kStateBits || decay != snn::IntDecayMode::mul12)
    return net.emitError() << "snn-quantize: arithmetic=lava-cuba needs "
                              "state-bits=24 and decay=mul12 (Lava's 24-bit "
                              "states and 12-bit decays), got state-bits="
                           << static_cast<int64_t>(stateBits)
                           << " decay=" << snn::stringifyIntDecayMode(decay);
  if (weightBits > snn::lava::kWeightBits)
    return net.emitError() << "snn-quantize: arithmetic=lava-cuba has "
                              "weight mantissas of at most 8 bits, got "
                              "weight-bits="
                           << static_cast<int64_t>(weightBits);
  if (perNeuronScale)
    return net.emitError()
           << "snn-quantize: arithmetic=lava-cuba needs per-neuron-scale="
              "false: Lava's threshold is one per population, so its "
              "neurons share one membrane unit";
  return success();
}

/// What Lava's LIF process cannot hold for `plan`'s population: neurons
/// that differ in decay or threshold, a synaptic bias, subtract reset
/// (Lava zeroes v; relays are rebuilt as Lava's relay instead).
LogicalResult QuantizePass::checkLavaPopulation(PopulationPlan &plan,
                                                ArrayRef<double> thresholds) {
  snn::NeuronPopulationOpInterface pop = plan.pop;
  auto lif = dyn_cast<snn::LIFOp>(pop.getOperation());
  auto refuse = [&](StringRef what) {
    return pop->emitOpError() << "@" << pop.getSymName() << " " << what
                              << ", which Lava's CUBA neuron cannot "
                                 "express (SNN-L rules)";
  };
  if (!llvm::all_equal(plan.vDecay) || !llvm::all_equal(plan.iDecay))
    return refuse("has per-neuron time constants (Lava's decays are per "
                  "population)");
  if (!thresholds.empty() && !llvm::all_equal(thresholds))
    return refuse("has per-neuron thresholds (Lava's threshold is per "
                  "population)");
  if (pop.getBiasSyn())
    return refuse("has a synaptic bias 'bias_syn'");
  if (lif && !lif.getRelay() && lif.getReset() == snn::ResetMode::subtract)
    return refuse("resets by subtraction (Lava sets v to 0 after a spike)");
  if (plan.vDecay.front() > snn::lava::kMaxVDecay)
    return pop->emitOpError()
           << "'tau_mem' of @" << pop.getSymName() << " gives v_decay "
           << plan.vDecay.front() << ", beyond Lava's 12-bit dv (at most "
           << snn::lava::kMaxVDecay << ")";
  if (!plan.iDecay.empty() && plan.iDecay.front() < snn::lava::kMinIDecay)
    return pop->emitOpError()
           << "'tau_syn' of @" << pop.getSymName() << " gives i_decay "
           << plan.iDecay.front() << ", below Lava's smallest ("
           << snn::lava::kMinIDecay << ": du = i_decay - 1 is unsigned)";
  return success();
}

/// 1 − β of the float neuron (SNN-F6) for time constant `tau`.
static double floatLeak(snn::NetworkOp net, double tau) {
  double dt = net.getDt().convertToDouble();
  double beta = net.getDecay() == snn::DecayMode::exp ? std::exp(-dt / tau)
                                                      : 1.0 - dt / tau;
  return 1.0 - beta;
}

/// The time constant whose float leak 1 − β is `leak` (floatLeak's inverse).
static double tauOfLeak(snn::NetworkOp net, double leak) {
  double dt = net.getDt().convertToDouble();
  return net.getDecay() == snn::DecayMode::exp ? -dt / std::log1p(-leak)
                                               : dt / leak;
}

/// SNN-I4 / SNN-I5: the integer decay parameter of a time constant.
LogicalResult QuantizePass::integerDecay(Operation *pop, StringRef name,
                                         double tau, snn::NetworkOp net,
                                         int64_t &out) {
  double leak = floatLeak(net, tau); // in (0, 1] by SNN-V4
  double beta = 1.0 - leak;
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

SourceUnits QuantizePass::computeSourceUnits(snn::NetworkOp net) {
  SourceUnits sources;
  for (Operation &op : net.getBodyBlock()) {
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      double scale = in.getScale().convertToDouble();
      if (in.getEncoding() == snn::InputEncoding::spikes) {
        // Spike counts stay exact integers; the scale moves into weights.
        sources.unit[in.getSymName()] = scale;
        sources.newInputScale[in.getSymName()] = 1.0;
      } else {
        // Xylo takes event counts (SNN-X4): one unit is one event.
        double step =
            xylo() ? 1.0 : std::ldexp(1.0, -static_cast<int>(inputFracBits));
        sources.unit[in.getSymName()] = step;
        sources.newInputScale[in.getSymName()] = scale / step;
      }
    } else if (auto lif = dyn_cast<snn::LIFOp>(op)) {
      sources.unit[lif.getSymName()] = 1.0; // spikes are 0 or 1
    }
  }
  return sources;
}

/// The incoming projections of `pop` with their effective weights, and the
/// largest |weight| into each neuron.
LogicalResult QuantizePass::gatherIncoming(snn::NetworkOp net,
                                           snn::NeuronPopulationOpInterface pop,
                                           const SourceUnits &sources,
                                           std::vector<Incoming> &incoming,
                                           SmallVectorImpl<double> &neuronMax) {
  neuronMax.assign(pop.getSize(), 0.0);
  for (auto proj : getIncomingProjections(net, pop.getSymName())) {
    Incoming in{proj, {}, {}};
    if (failed(buildSynapseIndex(proj, in.index)) ||
        failed(proj.getWeightValues(in.w)))
      return proj->emitOpError() << "has unreadable synapse arrays";
    double q = sources.unit.lookup(proj.getSource());
    for (size_t i = 0; i < in.w.size(); ++i) {
      in.w[i] = in.index.present[i] ? in.w[i] * q : 0.0;
      double &m = neuronMax[in.index.target[i]];
      m = std::max(m, std::abs(in.w[i]));
    }
    incoming.push_back(std::move(in));
  }
  return success();
}

/// SNN-I9: the largest |w| becomes 2^(b−1) − 1. A neuron without non-zero
/// inputs takes the population's unit (any unit represents 0).
LogicalResult QuantizePass::chooseUnits(PopulationPlan &plan,
                                        ArrayRef<double> neuronMax,
                                        double &layerUnit) {
  snn::NeuronPopulationOpInterface pop = plan.pop;
  double layerMax = 0;
  for (double m : neuronMax)
    layerMax = std::max(layerMax, m);
  if (!(layerMax > 0))
    return pop->emitOpError()
           << "cannot be quantised: every incoming synapse of @"
           << pop.getSymName()
           << " is absent or zero, so no weight scale represents it "
              "(SNN-I9)";
  // The runtime's rule (snnrt/model/Quantization.h), which
  // quantisation-aware training applies too.
  layerUnit = snnrt::quant::weightUnit(layerMax, weightBits);
  auto lif = dyn_cast<snn::LIFOp>(pop.getOperation());
  bool relay = lif && lif.getRelay();
  if (relay) {
    // SNN-I10: a relay stays exact only with threshold 1 and weight 2, so
    // its unit is 1 whatever the other populations get (SNN-V22).
    if (weightBits < 3)
      return pop->emitOpError()
             << "relay population @" << pop.getSymName()
             << " needs input weight 2, which does not fit "
             << static_cast<int64_t>(weightBits) << "-bit weights (SNN-I10)";
    layerUnit = 1.0;
  }
  int64_t n = neuronMax.size();
  plan.unit.assign(n, layerUnit);
  if (perNeuronScale && !relay)
    for (int64_t b = 0; b < n; ++b)
      if (neuronMax[b] > 0)
        plan.unit[b] = neuronMax[b] / double(maxWeight());
  return success();
}

/// Integer decays per neuron (SNN-I4/SNN-I5), and the float thresholds of a
/// lif population. Equal time constants give equal decays, so each distinct
/// one is converted, and diagnosed, once.
LogicalResult QuantizePass::planDecays(snn::NetworkOp net, PopulationPlan &plan,
                                       SmallVectorImpl<double> &thresholds) {
  snn::NeuronPopulationOpInterface pop = plan.pop;
  auto decays = [&](StringRef name, ArrayRef<double> taus,
                    SmallVectorImpl<int64_t> &out) -> LogicalResult {
    out.clear();
    double lastTau = std::nan("");
    int64_t last = 0;
    for (double tau : taus) {
      if (!(tau == lastTau) && failed(integerDecay(pop, name, tau, net, last)))
        return failure();
      lastTau = tau;
      out.push_back(last);
    }
    return success();
  };
  SmallVector<double> tauMem, tauSyn;
  bool readable = succeeded(pop.getTauMemValues(tauMem));
  if (pop.hasSynapticCurrent())
    readable &= succeeded(pop.getTauSynValues(tauSyn));
  if (auto lif = dyn_cast<snn::LIFOp>(pop.getOperation()))
    readable &= succeeded(snn::getPerNeuronValues(
        lif.getThresholdPerNeuron(), lif.getThreshold().convertToDouble(),
        lif.getSize(), thresholds));
  if (!readable)
    return pop->emitOpError() << "has unreadable per-neuron parameters";
  if (failed(decays("tau_mem", tauMem, plan.vDecay)) ||
      (pop.hasSynapticCurrent() &&
       failed(decays("tau_syn", tauSyn, plan.iDecay))))
    return failure();
  if (xylo()) {
    xyloDashes(net, plan, "tau_mem", tauMem, plan.vDecay);
    if (pop.hasSynapticCurrent())
      xyloDashes(net, plan, "tau_syn", tauSyn, plan.iDecay);
  }
  return success();
}

/// SNN-I9: the unit is never below θ / (2^(S−1) − 1), so every threshold
/// fits the state. A neuron whose weights are tiny against its threshold
/// gets a coarser unit than its weights alone would ask for: its weights
/// lose resolution instead of the whole network being refused.
void QuantizePass::fitThresholds(PopulationPlan &plan,
                                 ArrayRef<double> neuronMax,
                                 ArrayRef<double> thresholds,
                                 double &layerUnit) {
  int64_t n = plan.unit.size();
  const int64_t sMax = maxThreshold();
  if (perNeuronScale) {
    for (int64_t b = 0; b < n; ++b)
      plan.unit[b] = std::max(plan.unit[b], thresholds[b] / double(sMax));
  } else {
    double thetaMax = 0;
    for (double theta : thresholds)
      thetaMax = std::max(thetaMax, theta);
    layerUnit = std::max(layerUnit, thetaMax / double(sMax));
    plan.unit.assign(n, layerUnit);
  }
  int64_t silenced = 0, first = -1;
  for (int64_t b = 0; b < n; ++b)
    if (neuronMax[b] > 0 && roundHalfEven(neuronMax[b] / plan.unit[b]) == 0 &&
        silenced++ == 0)
      first = b;
  if (silenced > 0)
    plan.pop->emitWarning()
        << silenced << " neuron(s) of @" << plan.pop.getSymName()
        << " lose every input: neuron " << first << "'s largest weight "
        << fmt(neuronMax[first]) << " rounds to 0 at unit "
        << fmt(plan.unit[first]) << ", the smallest that holds its threshold "
        << fmt(thresholds[first]) << " in "
        << (lava() ? int64_t(17) : static_cast<int64_t>(stateBits))
        << (lava() ? "-bit Lava threshold" : "-bit state")
        << "; such a neuron never fires (SNN-I9)";
}

/// SNN-I6: the integer threshold of every lif neuron, in state units.
LogicalResult QuantizePass::quantizeThresholds(PopulationPlan &plan,
                                               ArrayRef<double> thresholds) {
  int64_t n = plan.unit.size();
  plan.threshold.resize(n);
  auto lif = cast<snn::LIFOp>(plan.pop.getOperation());
  if (lava() && lif.getRelay()) {
    // SNN-V29: Lava's relay fires at v > 0.
    plan.threshold.assign(n, 0);
    return success();
  }
  for (int64_t b = 0; b < n; ++b) {
    double theta = thresholds[b];
    // Cannot exceed sMax: the unit is at least θ / sMax (fitThresholds).
    double t = roundHalfEven(theta / plan.unit[b]);
    if (t < 1)
      return plan.pop->emitOpError()
             << "threshold of neuron " << b << " of @" << plan.pop.getSymName()
             << " rounds to 0 state units (threshold " << fmt(theta)
             << ", unit " << fmt(plan.unit[b])
             << "): the neuron would fire on every step (SNN-I9)";
    plan.threshold[b] = static_cast<int32_t>(t);
  }
  return success();
}

/// A float bias in state units: the membrane bias (SNN-I9) or, `synaptic`,
/// the synaptic bias, which adds to the current, whose unit is the membrane
/// unit (the weights' units, SNN-I3, SNN-I7).
LogicalResult QuantizePass::quantizeBias(PopulationPlan &plan,
                                         ElementsAttr bias, bool synaptic,
                                         SmallVectorImpl<int32_t> &out) {
  snn::NeuronPopulationOpInterface pop = plan.pop;
  StringRef field = synaptic ? "bias_syn" : "bias";
  SmallVector<float> values;
  if (failed(snn::getElementValues(bias, values)))
    return pop->emitOpError() << "has an unreadable float " << field;
  const int64_t sMax = maxState();
  int64_t n = plan.unit.size();
  out.resize(n);
  for (int64_t b = 0; b < n; ++b) {
    if (lava()) {
      if (failed(lavaBias(plan, field, b, values[b], out[b])))
        return failure();
      continue;
    }
    double v = roundHalfEven(double(values[b]) / plan.unit[b]);
    if (std::abs(v) > double(sMax))
      return pop->emitOpError()
             << field << " overflow: neuron " << b << " of @"
             << pop.getSymName() << " needs "
             << (synaptic ? "synaptic bias " : "bias ") << fmt(values[b])
             << " / unit " << fmt(plan.unit[b]) << " = " << fmt(v)
             << " state units, beyond the " << static_cast<int64_t>(stateBits)
             << "-bit state limit " << sMax << " (SNN-I1, "
             << (synaptic ? "SNN-I7" : "SNN-I9") << ")";
    out[b] = static_cast<int32_t>(v);
  }
  return success();
}

/// Lava's bias is `bias_mant << 6`: netx writes a NetX `bias` b as
/// bias_mant = b, bias_exp = 6, and the chip's mantissa has 13 bits (SNN-L
/// rules). So the bias in weight units, b = rne(bias / unit), must satisfy
/// |b| <= 4095; like fitThresholds for thresholds, the population's unit is
/// raised where needed (its weights lose resolution instead).
LogicalResult QuantizePass::fitLavaBias(PopulationPlan &plan,
                                        double &layerUnit) {
  std::optional<ElementsAttr> bias = plan.pop.getBias();
  if (!bias)
    return success();
  SmallVector<float> values;
  if (failed(snn::getElementValues(*bias, values)))
    return plan.pop->emitOpError() << "has an unreadable float bias";
  double largest = 0;
  for (float v : values)
    largest = std::max(largest, std::abs(double(v)));
  static_assert(snnrt::quant::kLavaMaxBiasUnits ==
                    (int64_t(1) << (snn::lava::kBiasMantissaBits - 1)) - 1,
                "quantisation-aware training's bias limit is Lava's");
  const double mantMax = double(snnrt::quant::kLavaMaxBiasUnits);
  if (largest / layerUnit > mantMax) {
    layerUnit = largest / mantMax;
    plan.unit.assign(plan.unit.size(), layerUnit);
  }
  return success();
}

/// Lava's bias in state units: b = rne(bias / unit) weight units, i.e.
/// b << 6 state units (bias_mant = b, bias_exp = 6). fitLavaBias chose the
/// unit so that |bias| / unit <= 4095, hence |b| <= 4095: nothing to refuse.
LogicalResult QuantizePass::lavaBias(PopulationPlan &plan, StringRef field,
                                     int64_t b, double value, int32_t &out) {
  (void)field;
  const double units = roundHalfEven(value / plan.unit[b]);
  out = static_cast<int32_t>(units) * (int32_t(1) << snn::lava::kUnitShift);
  return success();
}

/// Xylo Audio 2 fixes the state at int16, the decay at bitshifts and the
/// weights at int8 (SNN-X1..X3); its thresholds are per neuron but its
/// weight shifts per matrix, so the units stay per population. What Xylo
/// cannot hold at all is refused here, before anything is planned.
LogicalResult QuantizePass::checkXyloOptions(snn::NetworkOp net) {
  if (stateBits != snn::xylo::kStateBits || decay != snn::IntDecayMode::shift)
    return net.emitError() << "snn-quantize: arithmetic=xylo-iaf needs "
                              "state-bits=16 and decay=shift (Xylo's int16 "
                              "states and bitshift decays), got state-bits="
                           << static_cast<int64_t>(stateBits)
                           << " decay=" << snn::stringifyIntDecayMode(decay);
  if (weightBits > snn::xylo::kWeightBits)
    return net.emitError() << "snn-quantize: arithmetic=xylo-iaf has int8 "
                              "weights, got weight-bits="
                           << static_cast<int64_t>(weightBits);
  if (perNeuronScale)
    return net.emitError()
           << "snn-quantize: arithmetic=xylo-iaf needs per-neuron-scale="
              "false: Xylo's weight shift is one per weight matrix, so a "
              "population's neurons share one membrane unit";
  for (Operation &op : net.getBodyBlock()) {
    if (auto lif = dyn_cast<snn::LIFOp>(op); lif && lif.getRelay())
      return op.emitOpError()
             << "relay population @" << lif.getSymName()
             << " is snnc's relay (SNN-I10), which fires twice on Xylo; "
                "quantise for xylo-iaf before snn-delay-extension: Xylo's "
                "relays are laid out by the exporter (SNN-X13)";
    auto proj = dyn_cast<snn::ProjectionOpInterface>(op);
    if (!proj)
      continue;
    Operation *src = SymbolTable::lookupSymbolIn(net, proj.getSource());
    Operation *dst = SymbolTable::lookupSymbolIn(net, proj.getTarget());
    if (isa_and_nonnull<snn::InputOp>(src) && isa_and_nonnull<snn::LIOp>(dst))
      return op.emitOpError()
             << "@" << proj.getSymName() << " connects input @"
             << proj.getSource() << " to li @" << proj.getTarget()
             << ", but Xylo has no synapses from input channels to output "
                "neurons (SNN-X10); insert a lif population";
  }
  return success();
}

/// Xylo decays a current right after the deliveries of the step (SNN-X6):
/// i[t] = b·(i[t−1] + I[t]) with b = 1 − 2^−dash_syn, where the float CuBa
/// synapse (SNN-F8) has J[t] = β_syn·J[t−1] + I[t]. With the same weights
/// Xylo's membrane would see b·J, a gain of b (1/2 at dash 1); weights are
/// therefore divided by b, so that i = J exactly in the recursion (rounding
/// aside). A population without tau_syn (dash_syn 1) then sees each input
/// whole in its step, as the float neuron does, plus a tail of half of it
/// over the next steps; keeping the weights instead (half now, the same
/// total charge) lost more accuracy on a digits network (plan 32.0% instead
/// of 33.6% on 500 test samples, float 40.4%).
void QuantizePass::xyloCurrentGain(const PopulationPlan &plan,
                                   std::vector<Incoming> &incoming,
                                   SmallVectorImpl<double> &neuronMax) {
  for (double &m : neuronMax)
    m = 0;
  for (Incoming &in : incoming)
    for (size_t i = 0; i < in.w.size(); ++i) {
      int64_t b = in.index.target[i];
      // A population without tau_syn gets dash_syn 1 (planXyloPopulation).
      int64_t dash = plan.iDecay.empty() ? 1 : plan.iDecay[b];
      in.w[i] /= 1.0 - std::ldexp(1.0, -static_cast<int>(dash));
      neuronMax[b] = std::max(neuronMax[b], std::abs(in.w[i]));
    }
}

/// Xylo's dashes (SNN-X2, 4-bit registers): SNN-I5's k = rne(log2(1/leak))
/// clamped to [1, 15] (dash 0 would wipe the state every step, SNN-X6/X7).
/// A dash whose leak 2^-dash is off the float leak by more than a factor
/// 1.25 (or that was clamped) is a warning naming the population: the
/// integer network then forgets at another rate than the trained one.
void QuantizePass::xyloDashes(snn::NetworkOp net, PopulationPlan &plan,
                              StringRef name, ArrayRef<double> taus,
                              SmallVectorImpl<int64_t> &dashes) {
  double dt = net.getDt().convertToDouble();
  int64_t bad = -1, count = 0;
  double badRatio = 1;
  for (size_t i = 0; i < dashes.size(); ++i) {
    int64_t k = std::clamp<int64_t>(dashes[i], 1, snn::xylo::kMaxDash);
    double ratio =
        floatLeak(net, taus[i]) / std::ldexp(1.0, -static_cast<int>(k));
    if (k != dashes[i] || ratio > 1.25 || ratio < 0.8) {
      if (count++ == 0) {
        bad = int64_t(i);
        badRatio = ratio;
      }
    }
    dashes[i] = k;
  }
  if (count == 0)
    return;
  mlir::emitWarning(plan.pop->getLoc())
      << "population @" << plan.pop.getSymName() << ": '" << name
      << "' = " << fmt(taus[bad]) << " s (" << fmt(taus[bad] / dt)
      << " steps) becomes Xylo dash " << dashes[bad] << ", whose leak 2^-"
      << dashes[bad] << " is " << fmt(1.0 / badRatio)
      << " times the float leak (" << count << " neuron(s)); Xylo's dashes "
      << "lie in [1, 15] and represent time constants near 2^dash steps "
         "(SNN-X2)";
}

/// The Xylo part of a population's plan, once its unit fits the threshold:
/// dash_syn 1 for a population without a synaptic current, no synaptic
/// bias, and the unit refined by 2^r (r <= 8): the largest r that keeps
/// every bias and the largest one-step input of any neuron (all its input
/// channels at 15 events, all its lif sources spiking, summed by sign)
/// within int16, and the largest threshold within 2^12 state units (the
/// state holds 8 thresholds). A finer unit gives the threshold, the bias and
/// the bitshift decay more resolution while the weights keep their 8-bit
/// mantissas: the matrices' shifts absorb 2^r (SNN-X3). Without the input
/// bound a current saturates in one step (measured on a digits network:
/// hidden spike agreement with the float model 91% instead of 97%). An li
/// readout (output neurons) keeps r = 0: its range is not bounded by a
/// threshold, so it keeps snnc's headroom of 2^15 / 127 largest weights.
LogicalResult QuantizePass::planXyloPopulation(snn::NetworkOp net,
                                               PopulationPlan &plan,
                                               ArrayRef<Incoming> incoming,
                                               ArrayRef<double> thresholds,
                                               double &layerUnit) {
  snn::NeuronPopulationOpInterface pop = plan.pop;
  if (pop.getBiasSyn())
    return pop->emitOpError()
           << "@" << pop.getSymName()
           << " has a synaptic bias 'bias_syn', which Xylo's IAF neuron "
              "does not have (SNN-X6)";
  if (!pop.hasSynapticCurrent()) {
    // Dash 1 passes an event within a few steps (w/2 + w/4 + ..., doubled by
    // xyloCurrentGain); dash 0 would delete it (SNN-X6).
    plan.iDecay.assign(plan.unit.size(), 1);
    plan.addedTauSyn = tauOfLeak(net, 0.5); // dash 1 leaks 2^-1
    mlir::emitWarning(pop->getLoc())
        << "population @" << pop.getSymName()
        << " has no synaptic current, but every Xylo neuron has one: it gets "
           "dash_syn 1 ('tau_syn' = "
        << fmt(*plan.addedTauSyn)
        << " s) and its weights doubled, so that each input reaches the "
           "membrane whole in its step, with half of it again spread over "
           "the next steps (SNN-X6); train with a synaptic time constant "
           "to avoid this";
  }
  if (!isa<snn::LIFOp>(pop.getOperation()))
    return success();
  double thetaMax = 0, biasMax = 0;
  for (double t : thresholds)
    thetaMax = std::max(thetaMax, t);
  if (std::optional<ElementsAttr> bias = pop.getBias()) {
    SmallVector<float> values;
    if (failed(snn::getElementValues(*bias, values)))
      return pop->emitOpError() << "has an unreadable float bias";
    for (float v : values)
      biasMax = std::max(biasMax, std::abs(double(v)));
  }
  // The largest input one step can bring a neuron, excitatory or
  // inhibitory: every input channel at Xylo's 15 events (SNN-X4), every lif
  // source spiking once (the float neuron's binary spike).
  std::vector<double> pos(plan.unit.size(), 0.0), neg(plan.unit.size(), 0.0);
  for (const Incoming &in : incoming) {
    snn::ProjectionOpInterface proj = in.proj;
    double count = isa_and_nonnull<snn::InputOp>(
                       SymbolTable::lookupSymbolIn(net, proj.getSource()))
                       ? double(kXyloMaxInputEvents)
                       : 1.0;
    for (size_t i = 0; i < in.w.size(); ++i)
      (in.w[i] > 0 ? pos : neg)[in.index.target[i]] +=
          std::abs(in.w[i]) * count;
  }
  double stepMax = 0;
  for (size_t b = 0; b < pos.size(); ++b)
    stepMax = std::max({stepMax, pos[b], neg[b]});
  const double thetaCap = double(int64_t(1) << 12);
  int64_t r = 0;
  while (r < snn::xylo::kMaxWeightShift) {
    double u = layerUnit / double(int64_t(1) << (r + 1));
    if (roundHalfEven(thetaMax / u) > thetaCap ||
        roundHalfEven(biasMax / u) > double(maxState()) ||
        stepMax / u > double(maxState()))
      break;
    ++r;
  }
  layerUnit /= double(int64_t(1) << r);
  plan.unit.assign(plan.unit.size(), layerUnit);
  return success();
}

/// The shift of each Xylo matrix (SNN-X3): the smallest that holds every
/// target's largest weight of that matrix in an int8 mantissa at the
/// target's unit, i.e. the one that keeps the most precision without
/// overflow. It is at most 8 (planXyloPopulation refines a unit by at most
/// 2^8), so no shift wraps. Then every projection's mantissas.
LogicalResult
QuantizePass::quantizeXyloWeights(snn::NetworkOp net,
                                  std::vector<PopulationPlan> &pops,
                                  std::vector<ProjectionPlan> &projs) {
  // The matrices a projection's synapses lie in. A delayed synapse from an
  // input channel reaches its target through relays (SNN-X13): input ->
  // relay in weights_in, the last relay -> target in weights_rec.
  auto matricesOf = [&](const Incoming &in, bool &delayed) {
    snn::ProjectionOpInterface proj = in.proj;
    Operation *src = SymbolTable::lookupSymbolIn(net, proj.getSource());
    Operation *dst = SymbolTable::lookupSymbolIn(net, proj.getTarget());
    delayed = false;
    if (!isa_and_nonnull<snn::InputOp>(src))
      return SmallVector<snn::xylo::Matrix, 2>{isa_and_nonnull<snn::LIOp>(dst)
                                                   ? snn::xylo::Matrix::Out
                                                   : snn::xylo::Matrix::Rec};
    SmallVector<int64_t> delay;
    if (std::optional<ElementsAttr> d = proj.getDelay())
      (void)snn::getIntegerValues(*d, delay);
    bool direct = false;
    for (size_t i = 0; i < in.w.size() && i < delay.size(); ++i)
      if (in.index.present[i] && in.w[i] != 0)
        (delay[i] > 0 ? delayed : direct) = true;
    SmallVector<snn::xylo::Matrix, 2> m;
    if (direct || !delayed)
      m.push_back(snn::xylo::Matrix::In);
    if (delayed)
      m.push_back(snn::xylo::Matrix::Rec);
    return m;
  };
  int64_t shift[3] = {0, 0, 0};
  bool inputChains = false;
  for (const PopulationPlan &plan : pops)
    for (const Incoming &in : plan.incoming) {
      double largest = 0;
      for (double w : in.w)
        largest = std::max(largest, std::abs(w));
      int64_t s = 0;
      while (s < snn::xylo::kMaxWeightShift &&
             roundHalfEven(largest / std::ldexp(plan.layerUnit, int(s))) >
                 double(maxWeight()))
        ++s;
      bool delayed = false;
      for (snn::xylo::Matrix m : matricesOf(in, delayed))
        shift[int(m)] = std::max(shift[int(m)], s);
      inputChains |= delayed;
    }
  // A projection has one weight_exp, so one from an input with delayed
  // synapses needs weights_in's and weights_rec's shifts equal; equal shifts
  // also let the first relay take its input 2·2^s_rec as an int8 weight.
  if (inputChains) {
    int64_t s = std::max(shift[int(snn::xylo::Matrix::In)],
                         shift[int(snn::xylo::Matrix::Rec)]);
    shift[int(snn::xylo::Matrix::In)] = shift[int(snn::xylo::Matrix::Rec)] = s;
  }
  for (const PopulationPlan &plan : pops)
    for (const Incoming &in : plan.incoming) {
      bool delayed = false;
      ProjectionPlan pp;
      if (failed(quantizeWeights(in, plan, plan.layerUnit, pp,
                                 shift[int(matricesOf(in, delayed).back())])))
        return failure();
      projs.push_back(std::move(pp));
    }
  if (remarks)
    net.emitRemark() << "snn-quantize: Xylo weight shifts: weight_shift_in = "
                     << shift[0] << ", weight_shift_rec = " << shift[1]
                     << ", weight_shift_out = " << shift[2];
  return success();
}

/// SNN-I9: the integer weights of one incoming projection and its scale.
LogicalResult QuantizePass::quantizeWeights(const Incoming &in,
                                            const PopulationPlan &plan,
                                            double layerUnit,
                                            ProjectionPlan &pp, int64_t shift) {
  snn::ProjectionOpInterface proj = in.proj;
  snn::NeuronPopulationOpInterface pop = plan.pop;
  pp.proj = proj;
  pp.weight.resize(in.w.size());
  bool anyNonZero = false, anyKept = false;
  double largest = 0, sqError = 0;
  int64_t present = 0, zeroed = 0;
  // SNN-V29: Lava's relay takes weight 1 where SNN-I10's takes 2.
  auto lif = dyn_cast<snn::LIFOp>(pop.getOperation());
  const bool lavaRelay = lava() && lif && lif.getRelay();
  // Xylo: a mantissa w stands for w·2^shift units (SNN-X3).
  pp.shift = shift;
  const double step = std::ldexp(1.0, static_cast<int>(shift));
  for (size_t i = 0; i < in.w.size(); ++i) {
    double unit = plan.unit[in.index.target[i]] * step;
    double w = roundHalfEven(in.w[i] / unit);
    if (lavaRelay)
      w = w != 0 ? 1 : 0;
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
  if (anyNonZero && !anyKept)
    return proj->emitOpError()
           << "all-zero layer after quantisation: every weight of @"
           << proj.getSymName() << " rounds to 0 at "
           << static_cast<int64_t>(weightBits)
           << " bits (largest |w| = " << fmt(largest) << ", unit of @"
           << pop.getSymName() << " = " << fmt(layerUnit)
           << "); use per-neuron-scale or more weight bits (SNN-I9)";
  if (perNeuronScale)
    pp.scale.assign(plan.unit.begin(), plan.unit.end());
  else
    pp.scale.assign(1, float(layerUnit));
  numWeights += in.w.size();
  if (remarks)
    proj->emitRemark() << "snn-quantize: @" << proj.getSymName() << ": "
                       << static_cast<int64_t>(weightBits) << "-bit weights, "
                       << (perNeuronScale ? "per-neuron" : "per-layer")
                       << " scale; RMS weight error "
                       << fmt(present ? std::sqrt(sqError / double(present)) /
                                            largest
                                      : 0.0)
                       << " of the largest |w|; " << zeroed << " of " << present
                       << " synapses rounded to 0";
  return success();
}

/// Plans one lif/li population and its incoming projections without
/// changing the IR.
LogicalResult QuantizePass::planPopulation(snn::NetworkOp net,
                                           snn::NeuronPopulationOpInterface pop,
                                           const SourceUnits &sources,
                                           PopulationPlan &plan,
                                           std::vector<ProjectionPlan> &projs) {
  plan.pop = pop;
  std::vector<Incoming> incoming;
  SmallVector<double> neuronMax, thresholds;
  double layerUnit = 0;
  if (xylo()) {
    // Xylo's current gain (SNN-X14) scales the weights the units come from,
    // so the decays come first.
    if (failed(gatherIncoming(net, pop, sources, incoming, neuronMax)) ||
        failed(planDecays(net, plan, thresholds)))
      return failure();
    xyloCurrentGain(plan, incoming, neuronMax);
    if (failed(chooseUnits(plan, neuronMax, layerUnit)))
      return failure();
  } else if (failed(gatherIncoming(net, pop, sources, incoming, neuronMax)) ||
             failed(chooseUnits(plan, neuronMax, layerUnit)) ||
             failed(planDecays(net, plan, thresholds))) {
    return failure();
  }
  auto lif = dyn_cast<snn::LIFOp>(pop.getOperation());
  // Lava's relay (SNN-V29) keeps v at 0 after every step, so any v_decay
  // serves; it takes Lava's largest where SNN-I10's takes 4096.
  if (lava() && lif && lif.getRelay())
    plan.vDecay.assign(plan.vDecay.size(), snn::lava::kMaxVDecay);
  if (lava() && failed(checkLavaPopulation(plan, thresholds)))
    return failure();
  if (lif && !lif.getRelay())
    fitThresholds(plan, neuronMax, thresholds, layerUnit);
  if (xylo() &&
      failed(planXyloPopulation(net, plan, incoming, thresholds, layerUnit)))
    return failure();
  if (lava() && !(lif && lif.getRelay()) &&
      failed(fitLavaBias(plan, layerUnit)))
    return failure();
  if (lif && failed(quantizeThresholds(plan, thresholds)))
    return failure();
  if (std::optional<ElementsAttr> bias = pop.getBias())
    if (failed(quantizeBias(plan, *bias, /*synaptic=*/false, plan.bias)))
      return failure();
  if (std::optional<ElementsAttr> biasSyn = pop.getBiasSyn())
    if (failed(quantizeBias(plan, *biasSyn, /*synaptic=*/true, plan.biasSyn)))
      return failure();
  if (xylo()) {
    // The weights wait for every matrix's shift (quantizeXyloWeights).
    plan.incoming = std::move(incoming);
    plan.layerUnit = layerUnit;
    return success();
  }
  for (const Incoming &in : incoming) {
    ProjectionPlan pp;
    if (failed(quantizeWeights(in, plan, layerUnit, pp)))
      return failure();
    projs.push_back(std::move(pp));
  }
  return success();
}

/// Everything is representable: rewrites the IR.
void QuantizePass::rewrite(snn::NetworkOp net, ArrayRef<PopulationPlan> pops,
                           ArrayRef<ProjectionPlan> projs,
                           const SourceUnits &sources) {
  MLIRContext *ctx = &getContext();
  Builder builder(ctx);
  auto i32 = builder.getIntegerType(32);
  Type wType = builder.getIntegerType(weightBits <= 8 ? 8 : 16);
  for (const ProjectionPlan &pp : projs) {
    snn::ProjectionOpInterface proj = pp.proj;
    auto shape = proj.getWeight().getShapedType().getShape();
    SmallVector<double> weights(pp.weight.begin(), pp.weight.end());
    proj.setWeightAttr(makeWeightTensor(RankedTensorType::get(shape, wType),
                                        blobName(proj, "weight"), weights));
    proj.setWeightBits(static_cast<uint64_t>(weightBits));
    auto scaleType =
        RankedTensorType::get({int64_t(pp.scale.size())}, builder.getF32Type());
    proj.setWeightScaleAttr(makeTensor<float>(
        scaleType, blobName(proj, "weight_scale"), ArrayRef<float>(pp.scale)));
    // Every weight unit is one mantissa step: the sums need no shift.
    if (lava())
      proj.setWeightExp(int64_t(0));
    // Xylo: the matrix's weight shift (SNN-X3, SNN-V26).
    if (xylo())
      proj.setWeightExp(pp.shift);
  }
  for (const PopulationPlan &plan : pops) {
    snn::NeuronPopulationOpInterface pop = plan.pop;
    int64_t n = plan.unit.size();
    auto vecType = RankedTensorType::get({n}, i32);
    auto vector = [&](StringRef field, ArrayRef<int32_t> values) {
      return makeTensor<int32_t>(vecType, blobName(pop, field), values);
    };
    if (!plan.threshold.empty())
      cast<snn::LIFOp>(pop.getOperation())
          .setVThresholdAttr(vector("v_threshold", plan.threshold));
    if (!plan.bias.empty())
      pop.setBiasAttr(vector("bias", plan.bias));
    if (!plan.biasSyn.empty())
      pop.setBiasSynAttr(vector("bias_syn", plan.biasSyn));
    // SNN-V23: the scalar holds neuron 0's decay; the array only when the
    // neurons differ.
    auto perNeuron = [&](StringRef field,
                         ArrayRef<int64_t> values) -> ElementsAttr {
      if (llvm::all_equal(values))
        return nullptr;
      SmallVector<int32_t> narrow(values.begin(), values.end());
      return vector(field, narrow);
    };
    pop.setVDecay(plan.vDecay.front());
    if (ElementsAttr array = perNeuron("v_decay_per_neuron", plan.vDecay))
      pop.setVDecayPerNeuronAttr(array);
    if (plan.addedTauSyn)
      pop->setAttr("tau_syn", builder.getF64FloatAttr(*plan.addedTauSyn));
    if (!plan.iDecay.empty()) {
      pop.setIDecay(plan.iDecay.front());
      if (ElementsAttr array = perNeuron("i_decay_per_neuron", plan.iDecay))
        pop.setIDecayPerNeuronAttr(array);
    }
    ++numPopulations;
  }
  for (Operation &op : net.getBodyBlock())
    if (auto in = dyn_cast<snn::InputOp>(op))
      in.setScaleAttr(builder.getF64FloatAttr(
          sources.newInputScale.lookup(in.getSymName())));
  net.setIntStateBitsAttr(builder.getI64IntegerAttr(stateBits));
  net.setIntDecayAttr(snn::IntDecayModeAttr::get(ctx, decay));
  if (lava() || xylo())
    net.setIntArithmeticAttr(snn::ArithmeticAttr::get(ctx, arithmetic));
}

void QuantizePass::runOnOperation() {
  snn::NetworkOp net = getOperation();
  if (failed(checkOptions(net)))
    return signalPassFailure();
  SourceUnits sources = computeSourceUnits(net);
  std::vector<PopulationPlan> pops;
  std::vector<ProjectionPlan> projs;
  for (auto pop :
       net.getBodyBlock().getOps<snn::NeuronPopulationOpInterface>()) {
    PopulationPlan plan;
    if (failed(planPopulation(net, pop, sources, plan, projs)))
      return signalPassFailure();
    pops.push_back(std::move(plan));
  }
  if (xylo() && failed(quantizeXyloWeights(net, pops, projs)))
    return signalPassFailure();
  warnConventionMismatch(net);
  rewrite(net, pops, projs, sources);
}

/// SNN-F13: a float LIF trained with one neuron convention and run by an
/// arithmetic with the other loses accuracy the integer rounding alone would
/// not explain. Not an error (the plan is still what the arithmetic says);
/// the warning names the population and the option that avoids it. Only
/// arithmetics with a known convention are checked: snnc's SNN-I6 is the
/// paper's, lava-cuba's SNN-L11/L12 are Lava's. Emitted at the op's location
/// rather than on the op, so the diagnostic does not print the whole op
/// (with every bias value) after it.
void QuantizePass::warnConventionMismatch(snn::NetworkOp net) {
  if (xylo()) {
    // SNN-X8: Xylo subtracts the threshold, whatever the float reset.
    for (auto lif : net.getBodyBlock().getOps<snn::LIFOp>())
      if (lif.getReset() == snn::ResetMode::hard)
        mlir::emitWarning(lif.getLoc())
            << "population @" << lif.getSymName()
            << " resets to 0 (hard reset), but Xylo's neuron subtracts the "
               "threshold and may fire several times per step (SNN-X8), so "
               "the plan may lose accuracy against the float model; train "
               "with '--reset subtract'";
    return;
  }
  std::optional<snn::NeuronConvention> expected;
  if (arithmetic == snn::Arithmetic::lava_cuba)
    expected = snn::NeuronConvention::lava;
  else if (arithmetic == snn::Arithmetic::snnc)
    expected = snn::NeuronConvention::paper;
  if (!expected)
    return;
  for (auto lif : net.getBodyBlock().getOps<snn::LIFOp>()) {
    if (lif.getRelay() || lif.getConvention() == *expected)
      continue;
    if (*expected == snn::NeuronConvention::lava)
      mlir::emitWarning(lif.getLoc())
          << "population @" << lif.getSymName()
          << " was trained with the paper's neuron convention (spike on "
             "V >= threshold, the reset also drops the spiking step's input, "
             "SNN-F7) but arithmetic lava-cuba fires on v > threshold and "
             "keeps that input (SNN-L11, SNN-L12), so the plan may lose "
             "accuracy against the float model; train with 'snnc train "
             "--neuron-convention lava' (SNN-F13)";
    else
      mlir::emitWarning(lif.getLoc())
          << "population @" << lif.getSymName() << " was trained with the "
          << snn::stringifyNeuronConvention(lif.getConvention())
          << " neuron convention (SNN-F13) but arithmetic "
          << snn::stringifyArithmetic(arithmetic)
          << " runs the paper's neuron (SNN-I6), so the plan may lose "
             "accuracy against the float model; compile for a target with "
             "that convention's arithmetic (e.g. loihi2) or train with "
             "'--neuron-convention paper'";
  }
}

} // namespace
