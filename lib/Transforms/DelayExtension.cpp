//===- DelayExtension.cpp - snn-delay-extension ---------------------------===//
//
// Delays of at least `max-delay` become chains of relay neurons (SNN-I10),
// the way SpiNNaker's delay extension realises long delays with delay
// populations. A relay has full decay (β = 0), threshold 1, subtract reset
// and input weight 2, which passes every spike train, bursts included,
// exactly one step later.
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>
#include <string>
#include <vector>

namespace snnc {
#define GEN_PASS_DEF_DELAYEXTENSIONPASS
#include "snnc/Transforms/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;
using namespace snnc::detail;

namespace {

struct DelayExtensionPass
    : public snnc::impl::DelayExtensionPassBase<DelayExtensionPass> {
  using DelayExtensionPassBase::DelayExtensionPassBase;

  void runOnOperation() override;
  LogicalResult extend(snn::NetworkOp net, Operation *proj,
                       SymbolTable &symbols);
};

/// A CSR projection with one synapse per target row, as relay links are.
struct CsrArrays {
  SmallVector<int64_t> rowPtr{0};
  SmallVector<int32_t> cols, delays;
  SmallVector<double> weights;
  SmallVector<int8_t> signs; ///< per source; empty: none
};

LogicalResult DelayExtensionPass::extend(snn::NetworkOp net, Operation *proj,
                                         SymbolTable &symbols) {
  MLIRContext *ctx = &getContext();
  const int64_t L = maxDelay;
  StringRef projName = symbolName(proj);
  if (proj->getAttr("position"))
    return proj->emitOpError() << "has DCLS positions: run "
                                  "snn-discretize-delays before "
                                  "snn-delay-extension (SNN-F4)";
  SynapseIndex index;
  SmallVector<int32_t> delays;
  SmallVector<double> weights;
  if (failed(buildSynapseIndex(net, proj, index)) ||
      failed(snn::getElementValues(proj->getAttrOfType<ElementsAttr>("delay"),
                                   delays)) ||
      failed(readWeights(proj, weights)))
    return proj->emitOpError() << "has unreadable synapse arrays";

  // Stages each source needs: floor(D / L) for its longest delay.
  SmallVector<int32_t> stages(index.numSources, 0);
  int64_t firstLong = -1;
  for (size_t i = 0; i < delays.size(); ++i)
    if (index.present[i] && delays[i] >= L) {
      if (firstLong < 0)
        firstLong = i;
      stages[index.source[i]] =
          std::max<int32_t>(stages[index.source[i]], delays[i] / L);
    }
  auto maxDelayAttr = Builder(ctx).getI64IntegerAttr(L);
  if (firstLong < 0) {
    // Every delay already fits the chip's slots; record the tighter bound.
    if (proj->getAttrOfType<IntegerAttr>("max_delay").getInt() > L)
      proj->setAttr("max_delay", maxDelayAttr);
    return success();
  }
  if (feedsRelay(net, proj))
    return proj->emitOpError()
           << "feeds relay population "
           << proj->getAttrOfType<FlatSymbolRefAttr>("target") << " with delay "
           << delays[firstLong] << " >= max-delay " << L
           << ": relays were built for a larger max-delay; run "
              "snn-delay-extension once, with the smallest max-delay "
              "(SNN-V22 keeps one input per relay)";
  if (!relays)
    return proj->emitOpError()
           << "synapse (target " << index.target[firstLong] << ", source "
           << index.source[firstLong] << ") of @" << projName << " has delay "
           << delays[firstLong] << ", not below max-delay " << L
           << ", and relays are disabled";
  auto sourceRef = proj->getAttrOfType<FlatSymbolRefAttr>("source");
  Operation *source = snn::lookupPopulation(net, sourceRef);
  bool integer = net.isInteger();
  // A spike input emits x = scale · count (SNN-F1): the relays pass the
  // spike (count 1) and the rerouted synapses take the scale into their
  // weights. Frame values are not spikes and cannot be relayed.
  double relayedScale = 1.0;
  if (auto in = dyn_cast<snn::InputOp>(source)) {
    auto where = [&]() -> InFlightDiagnostic {
      return proj->emitOpError()
             << "synapse (target " << index.target[firstLong] << ", source "
             << index.source[firstLong] << ") of @" << projName << " has delay "
             << delays[firstLong] << " >= max-delay " << L
             << ", but its source " << sourceRef;
    };
    if (in.getEncoding() != snn::InputEncoding::spikes)
      return where() << " is a frame input: relays carry spikes, not "
                        "real-valued input frames (SNN-F1, SNN-I10), so this "
                        "delay cannot be extended";
    relayedScale = in.getScale().convertToDouble();
    // SNN-I10 needs each spike to bring at least 1 through weight 2, so that
    // a relay that fired last step fires again; quantised spike inputs have
    // scale 1 (SNN-I2).
    if (!(relayedScale >= 1) || (integer && relayedScale != 1))
      return where() << " is a spike input with scale " << fmt(relayedScale)
                     << ": a relay (weight 2, threshold 1, SNN-I10) passes "
                        "every spike only for scale >= 1 (1 in an integer "
                        "network)";
  }
  std::optional<int64_t> weightBits;
  if (auto bits = proj->getAttrOfType<IntegerAttr>("weight_bits"))
    weightBits = bits.getInt();
  if (integer && weightBits && *weightBits < 3)
    return proj->emitOpError()
           << "needs relays for synapse (target " << index.target[firstLong]
           << ", source " << index.source[firstLong] << "), but a relay's "
           << "input weight 2 does not fit weight_bits = " << *weightBits
           << " (SNN-I10 needs at least 3)";

  int32_t numStages = *std::max_element(stages.begin(), stages.end());
  // Relay index of each source at each stage (-1: not relayed that far).
  std::vector<SmallVector<int32_t>> relayOf(numStages + 1);
  SmallVector<SmallVector<int32_t>> members(numStages + 1);
  for (int32_t j = 1; j <= numStages; ++j) {
    relayOf[j].assign(index.numSources, -1);
    for (int32_t a = 0; a < index.numSources; ++a)
      if (stages[a] >= j) {
        relayOf[j][a] = members[j].size();
        members[j].push_back(a);
      }
  }
  SmallVector<int8_t> sign;
  if (auto signAttr = proj->getAttrOfType<ElementsAttr>("sign"))
    if (failed(snn::getElementValues(signAttr, sign)))
      return proj->emitOpError() << "has unreadable signs";

  OpBuilder builder(ctx);
  builder.setInsertionPointAfter(proj);
  Location loc = proj->getLoc();
  auto i32 = builder.getIntegerType(32);
  auto i64 = builder.getIntegerType(64);
  auto f32 = builder.getF32Type();
  Type intWeightType =
      integer ? proj->getAttrOfType<ElementsAttr>("weight").getElementType()
              : Type();
  double dt = net.getDt().convertToDouble();

  // Writes a CSR projection; `weights` are float or integer per the network.
  auto createCsr = [&](StringRef name, FlatSymbolRefAttr src,
                       FlatSymbolRefAttr dst, int64_t numTargets,
                       CsrArrays &csr, Attribute bitsAttr,
                       Attribute scaleAttr) -> Operation * {
    NamedAttrList attrs;
    attrs.append("sym_name", builder.getStringAttr(name));
    attrs.append("source", src);
    attrs.append("target", dst);
    attrs.append("max_delay", maxDelayAttr);
    int64_t nnz = csr.cols.size();
    std::string base = name.str() + "_";
    attrs.append("row_ptr", makeTensor<int64_t>(
                                RankedTensorType::get({numTargets + 1}, i64),
                                base + "row_ptr", csr.rowPtr));
    attrs.append("col_idx",
                 makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                     base + "col_idx", csr.cols));
    attrs.append("delay", makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                              base + "delay", csr.delays));
    if (!integer) {
      SmallVector<float> w(csr.weights.begin(), csr.weights.end());
      attrs.append("weight",
                   makeTensor<float>(RankedTensorType::get({nnz}, f32),
                                     base + "weight", w));
    } else {
      auto type = RankedTensorType::get({nnz}, intWeightType);
      if (intWeightType.isInteger(8)) {
        SmallVector<int8_t> w(csr.weights.begin(), csr.weights.end());
        attrs.append("weight", makeTensor<int8_t>(type, base + "weight", w));
      } else if (intWeightType.isInteger(16)) {
        SmallVector<int16_t> w(csr.weights.begin(), csr.weights.end());
        attrs.append("weight", makeTensor<int16_t>(type, base + "weight", w));
      } else {
        SmallVector<int32_t> w(csr.weights.begin(), csr.weights.end());
        attrs.append("weight", makeTensor<int32_t>(type, base + "weight", w));
      }
      attrs.append("weight_bits", bitsAttr);
      attrs.append("weight_scale", scaleAttr);
    }
    if (!csr.signs.empty())
      attrs.append("sign", makeTensor<int8_t>(RankedTensorType::get(
                                                  {int64_t(csr.signs.size())},
                                                  builder.getIntegerType(8)),
                                              base + "sign", csr.signs));
    Operation *op = builder.create<snn::SparseProjectionOp>(
        loc, TypeRange{}, ValueRange{}, attrs.getAttrs());
    symbols.insert(op);
    builder.setInsertionPointAfter(op);
    ++numRelayProjections;
    return op;
  };

  // Relay populations and their links (SNN-I10): stage j fires exactly L
  // steps after stage j − 1 (delay L − 1 plus the relay's one step).
  Attribute relayBits =
      weightBits ? builder.getI64IntegerAttr(*weightBits) : Attribute();
  Attribute relayScale =
      makeTensor<float>(RankedTensorType::get({1}, f32), "relay_weight_scale",
                        ArrayRef<float>{1.0f});
  SmallVector<FlatSymbolRefAttr> relayRefs(numStages + 1);
  relayRefs[0] = sourceRef;
  for (int32_t j = 1; j <= numStages; ++j) {
    int64_t size = members[j].size();
    NamedAttrList attrs;
    std::string name = (projName + "_relay" + std::to_string(j)).str();
    attrs.append("sym_name", builder.getStringAttr(name));
    attrs.append("size", builder.getI64IntegerAttr(size));
    // β = 0: τ = dt under linear decay; under exp decay β = e^−64, far
    // below what changes any relay decision (SNN-I10).
    bool exp = net.getDecay() == snn::DecayMode::exp;
    attrs.append("tau_mem", builder.getF64FloatAttr(exp ? dt / 64 : dt));
    attrs.append("threshold", builder.getF64FloatAttr(1.0));
    attrs.append("reset",
                 snn::ResetModeAttr::get(ctx, snn::ResetMode::subtract));
    attrs.append("relay", builder.getUnitAttr());
    if (integer) {
      SmallVector<int32_t> ones(size, 1);
      attrs.append("v_threshold",
                   makeTensor<int32_t>(RankedTensorType::get({size}, i32),
                                       name + "_v_threshold", ones));
      attrs.append(
          "v_decay",
          builder.getI64IntegerAttr(
              net.getIntDecay() == snn::IntDecayMode::shift ? 0 : 4096));
    }
    Operation *relay = builder.create<snn::LIFOp>(
        loc, TypeRange{}, ValueRange{}, attrs.getAttrs());
    symbols.insert(relay);
    name = symbolName(relay).str(); // uniqued on a clash
    builder.setInsertionPointAfter(relay);
    relayRefs[j] = FlatSymbolRefAttr::get(ctx, symbolName(relay));
    numRelays += size;

    CsrArrays link;
    for (int32_t a : members[j]) {
      link.cols.push_back(j == 1 ? a : relayOf[j - 1][a]);
      link.delays.push_back(static_cast<int32_t>(L - 1));
      link.weights.push_back(2.0);
      link.rowPtr.push_back(link.cols.size());
    }
    createCsr((name + "_in"), relayRefs[j - 1], relayRefs[j], size, link,
              relayBits, relayScale);
  }

  // The rerouted synapses, one CSR projection per stage, rows over targets
  // (sources stay increasing within a row: relay indices follow sources).
  auto targetRef = proj->getAttrOfType<FlatSymbolRefAttr>("target");
  Attribute bits = proj->getAttr("weight_bits");
  Attribute scale = proj->getAttr("weight_scale");
  std::vector<CsrArrays> stageCsr(numStages + 1);
  for (int32_t j = 1; j <= numStages; ++j)
    for (int32_t a : members[j])
      if (!sign.empty())
        stageCsr[j].signs.push_back(sign[a]);
  // Entries are in target-major order in both storage forms.
  SmallVector<bool> keep(index.present.begin(), index.present.end());
  int64_t row = 0;
  auto closeRows = [&](int64_t upTo) {
    for (; row < upTo; ++row)
      for (int32_t j = 1; j <= numStages; ++j)
        stageCsr[j].rowPtr.push_back(stageCsr[j].cols.size());
  };
  for (size_t i = 0; i < delays.size(); ++i) {
    closeRows(index.target[i]);
    if (!index.present[i] || delays[i] < L)
      continue;
    int32_t j = delays[i] / L;
    int32_t a = index.source[i];
    stageCsr[j].cols.push_back(relayOf[j][a]);
    stageCsr[j].delays.push_back(delays[i] - j * L);
    stageCsr[j].weights.push_back(weights[i] * relayedScale);
    keep[i] = false;
    ++numExtended;
  }
  closeRows(index.numTargets);
  for (int32_t j = 1; j <= numStages; ++j) {
    if (stageCsr[j].cols.empty())
      continue;
    createCsr((projName + "_d" + std::to_string(j)).str(), relayRefs[j],
              targetRef, index.numTargets, stageCsr[j], bits, scale);
  }

  // The original keeps its short synapses.
  for (size_t i = 0; i < delays.size(); ++i)
    if (!keep[i])
      delays[i] = 0; // absent now; any delay < L is valid
  if (!index.sparse) {
    auto shape =
        proj->getAttrOfType<ElementsAttr>("weight").getShapedType().getShape();
    proj->setAttr("mask", makeTensor<bool>(
                              RankedTensorType::get(shape, builder.getI1Type()),
                              blobName(proj, "mask"), ArrayRef<bool>(keep)));
    proj->setAttr("delay",
                  makeTensor<int32_t>(RankedTensorType::get(shape, i32),
                                      blobName(proj, "delay"),
                                      ArrayRef<int32_t>(delays)));
  } else {
    SmallVector<int64_t> rowPtr(index.numTargets + 1, 0);
    SmallVector<int32_t> cols, keptDelays;
    SmallVector<int64_t> keptIdx;
    for (size_t i = 0; i < delays.size(); ++i)
      if (keep[i]) {
        ++rowPtr[index.target[i] + 1];
        cols.push_back(index.source[i]);
        keptDelays.push_back(delays[i]);
        keptIdx.push_back(i);
      }
    for (int64_t b = 0; b < index.numTargets; ++b)
      rowPtr[b + 1] += rowPtr[b];
    int64_t nnz = cols.size();
    proj->setAttr("row_ptr",
                  makeTensor<int64_t>(
                      RankedTensorType::get({index.numTargets + 1}, i64),
                      blobName(proj, "row_ptr"), ArrayRef<int64_t>(rowPtr)));
    proj->setAttr("col_idx",
                  makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                      blobName(proj, "col_idx"),
                                      ArrayRef<int32_t>(cols)));
    proj->setAttr("delay",
                  makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                      blobName(proj, "delay"),
                                      ArrayRef<int32_t>(keptDelays)));
    auto wAttr = proj->getAttrOfType<ElementsAttr>("weight");
    auto wType = RankedTensorType::get({nnz}, wAttr.getElementType());
    std::string wName = blobName(proj, "weight");
    if (!integer) {
      SmallVector<float> w;
      for (int64_t i : keptIdx)
        w.push_back(float(weights[i]));
      proj->setAttr("weight", makeTensor<float>(wType, wName, w));
    } else if (wAttr.getElementType().isInteger(8)) {
      SmallVector<int8_t> w;
      for (int64_t i : keptIdx)
        w.push_back(int8_t(weights[i]));
      proj->setAttr("weight", makeTensor<int8_t>(wType, wName, w));
    } else if (wAttr.getElementType().isInteger(16)) {
      SmallVector<int16_t> w;
      for (int64_t i : keptIdx)
        w.push_back(int16_t(weights[i]));
      proj->setAttr("weight", makeTensor<int16_t>(wType, wName, w));
    } else {
      SmallVector<int32_t> w;
      for (int64_t i : keptIdx)
        w.push_back(int32_t(weights[i]));
      proj->setAttr("weight", makeTensor<int32_t>(wType, wName, w));
    }
  }
  proj->setAttr("max_delay", maxDelayAttr);
  return success();
}

void DelayExtensionPass::runOnOperation() {
  snn::NetworkOp net = getOperation();
  if (maxDelay < 1) {
    net.emitError() << "snn-delay-extension: 'max-delay' must be >= 1, got "
                    << static_cast<int64_t>(maxDelay);
    return signalPassFailure();
  }
  SymbolTable symbols(net);
  for (Operation *proj : getProjections(net))
    if (failed(extend(net, proj, symbols)))
      return signalPassFailure();
}

} // namespace
