//===- DelayExtension.cpp - snn-delay-extension ---------------------------===//
//
// Delays of at least `max-delay` become chains of relay neurons (SNN-I10),
// the way SpiNNaker's delay extension realises long delays with delay
// populations. A relay has full decay (β = 0), threshold 1, subtract reset
// and input weight 2, which passes every spike train, bursts included,
// exactly one step later. Under Lava's arithmetic (SNN-L rules) the relay is
// Lava's CUBA neuron with threshold 0 and input weight 1 instead (SNN-V29),
// which does the same there.
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

/// A CSR projection with one synapse per target row, as relay links are.
struct CsrArrays {
  SmallVector<int64_t> rowPtr{0};
  SmallVector<int32_t> cols, delays;
  SmallVector<double> weights;
  SmallVector<int8_t> signs; ///< per source; empty: none
};

/// What one projection with delays of at least `max-delay` needs: its
/// synapses, and the relay stages of each source.
struct Extension {
  snn::ProjectionOpInterface proj;
  SynapseIndex index;
  SmallVector<int32_t> delays;
  SmallVector<double> weights;
  SmallVector<int8_t> sign; ///< per source; empty: none
  /// Stages each source needs: floor(D / L) for its longest delay.
  SmallVector<int32_t> stages;
  int32_t numStages = 0;
  /// The first synapse that needs a relay, for diagnostics.
  int64_t firstLong = -1;
  /// Scale of a spike input that the rerouted synapses take over (SNN-F1).
  double relayedScale = 1.0;
  /// Relay index of each source at each stage (-1: not relayed that far),
  /// and the sources each stage relays.
  std::vector<SmallVector<int32_t>> relayOf;
  SmallVector<SmallVector<int32_t>> members;
  /// The source population, then the relay population of each stage.
  SmallVector<FlatSymbolRefAttr> stageRefs;
};

struct DelayExtensionPass
    : public snnc::impl::DelayExtensionPassBase<DelayExtensionPass> {
  using DelayExtensionPassBase::DelayExtensionPassBase;

  void runOnOperation() override;
  LogicalResult extend(snn::NetworkOp net, snn::ProjectionOpInterface proj,
                       SymbolTable &symbols);

private:
  LogicalResult readSynapses(Extension &ext);
  LogicalResult checkRelayable(snn::NetworkOp net, Extension &ext);
  void assignRelays(Extension &ext);
  void createRelayChain(snn::NetworkOp net, Extension &ext, OpBuilder &builder,
                        SymbolTable &symbols);
  SmallVector<bool> rerouteLongSynapses(Extension &ext, OpBuilder &builder,
                                        SymbolTable &symbols);
  void keepShortSynapses(Extension &ext, ArrayRef<bool> keep);
  snn::SparseProjectionOp
  createCsr(OpBuilder &builder, Location loc, StringRef name,
            FlatSymbolRefAttr source, FlatSymbolRefAttr target,
            int64_t numTargets, const CsrArrays &csr, Type weightType,
            IntegerAttr weightBits, ElementsAttr weightScale,
            IntegerAttr weightExp, SymbolTable &symbols);

  /// An error that names `ext`'s first synapse needing a relay.
  InFlightDiagnostic longSynapseError(Extension &ext) {
    return ext.proj->emitOpError()
           << "synapse (target " << ext.index.target[ext.firstLong]
           << ", source " << ext.index.source[ext.firstLong] << ") of @"
           << ext.proj.getSymName() << " has delay "
           << ext.delays[ext.firstLong];
  }
};

/// Reads the synapses of `ext.proj` and finds the stages each source needs.
LogicalResult DelayExtensionPass::readSynapses(Extension &ext) {
  snn::ProjectionOpInterface proj = ext.proj;
  if (proj.getPosition())
    return proj->emitOpError() << "has DCLS positions: run "
                                  "snn-discretize-delays before "
                                  "snn-delay-extension (SNN-F4)";
  if (failed(buildSynapseIndex(proj, ext.index)) ||
      failed(snn::getElementValues(*proj.getDelay(), ext.delays)) ||
      failed(proj.getWeightValues(ext.weights)))
    return proj->emitOpError() << "has unreadable synapse arrays";
  const int64_t L = maxDelay;
  ext.stages.assign(ext.index.numSources, 0);
  for (size_t i = 0; i < ext.delays.size(); ++i)
    if (ext.index.present[i] && ext.delays[i] >= L) {
      if (ext.firstLong < 0)
        ext.firstLong = i;
      int32_t &stage = ext.stages[ext.index.source[i]];
      stage = std::max<int32_t>(stage, ext.delays[i] / L);
    }
  if (ext.firstLong >= 0)
    ext.numStages = *std::max_element(ext.stages.begin(), ext.stages.end());
  return success();
}

/// Whether the long synapses of `ext` can go through relays: not into a
/// relay, relays enabled, a spike source, and room for weight 2. Reads the
/// signs the rerouted synapses keep.
LogicalResult DelayExtensionPass::checkRelayable(snn::NetworkOp net,
                                                 Extension &ext) {
  snn::ProjectionOpInterface proj = ext.proj;
  const int64_t L = maxDelay;
  if (feedsRelay(proj))
    return proj->emitOpError()
           << "feeds relay population " << proj.getTargetAttr()
           << " with delay " << ext.delays[ext.firstLong] << " >= max-delay "
           << L
           << ": relays were built for a larger max-delay; run "
              "snn-delay-extension once, with the smallest max-delay "
              "(SNN-V22 keeps one input per relay)";
  if (!relays)
    return longSynapseError(ext)
           << ", not below max-delay " << L << ", and relays are disabled";
  bool integer = net.isInteger();
  // A spike input emits x = scale · count (SNN-F1): the relays pass the
  // spike (count 1) and the rerouted synapses take the scale into their
  // weights. Frame values are not spikes and cannot be relayed.
  if (auto in =
          dyn_cast<snn::InputOp>(proj.getSourcePopulation().getOperation())) {
    auto where = [&]() -> InFlightDiagnostic {
      return longSynapseError(ext)
             << " >= max-delay " << L << ", but its source "
             << proj.getSourceAttr();
    };
    if (in.getEncoding() != snn::InputEncoding::spikes)
      return where() << " is a frame input: relays carry spikes, not "
                        "real-valued input frames (SNN-F1, SNN-I10), so this "
                        "delay cannot be extended";
    ext.relayedScale = in.getScale().convertToDouble();
    // SNN-I10 needs each spike to bring at least 1 through weight 2, so that
    // a relay that fired last step fires again; quantised spike inputs have
    // scale 1 (SNN-I2).
    if (!(ext.relayedScale >= 1) || (integer && ext.relayedScale != 1))
      return where() << " is a spike input with scale " << fmt(ext.relayedScale)
                     << ": a relay (weight 2, threshold 1, SNN-I10) passes "
                        "every spike only for scale >= 1 (1 in an integer "
                        "network)";
  }
  std::optional<uint64_t> weightBits = proj.getWeightBits();
  if (integer && weightBits && *weightBits < 3)
    return proj->emitOpError()
           << "needs relays for synapse (target "
           << ext.index.target[ext.firstLong] << ", source "
           << ext.index.source[ext.firstLong] << "), but a relay's "
           << "input weight 2 does not fit weight_bits = "
           << static_cast<int64_t>(*weightBits)
           << " (SNN-I10 needs at least 3)";
  if (std::optional<ElementsAttr> sign = proj.getSign())
    if (failed(snn::getElementValues(*sign, ext.sign)))
      return proj->emitOpError() << "has unreadable signs";
  return success();
}

/// Numbers the relays of each stage: stage j relays every source that
/// needs at least j stages, in source order.
void DelayExtensionPass::assignRelays(Extension &ext) {
  ext.relayOf.assign(ext.numStages + 1, {});
  ext.members.assign(ext.numStages + 1, {});
  for (int32_t j = 1; j <= ext.numStages; ++j) {
    ext.relayOf[j].assign(ext.index.numSources, -1);
    for (int32_t a = 0; a < ext.index.numSources; ++a)
      if (ext.stages[a] >= j) {
        ext.relayOf[j][a] = ext.members[j].size();
        ext.members[j].push_back(a);
      }
  }
}

snn::SparseProjectionOp DelayExtensionPass::createCsr(
    OpBuilder &builder, Location loc, StringRef name, FlatSymbolRefAttr source,
    FlatSymbolRefAttr target, int64_t numTargets, const CsrArrays &csr,
    Type weightType, IntegerAttr weightBits, ElementsAttr weightScale,
    IntegerAttr weightExp, SymbolTable &symbols) {
  int64_t nnz = csr.cols.size();
  std::string base = name.str() + "_";
  auto i32 = builder.getIntegerType(32);
  auto vector = [&](int64_t size, Type element) {
    return RankedTensorType::get({size}, element);
  };
  ElementsAttr sign;
  if (!csr.signs.empty())
    sign =
        makeTensor<int8_t>(vector(csr.signs.size(), builder.getIntegerType(8)),
                           base + "sign", ArrayRef<int8_t>(csr.signs));
  auto op = builder.create<snn::SparseProjectionOp>(
      loc, builder.getStringAttr(name), source, target,
      builder.getI64IntegerAttr(maxDelay),
      makeTensor<int64_t>(vector(numTargets + 1, builder.getIntegerType(64)),
                          base + "row_ptr", ArrayRef<int64_t>(csr.rowPtr)),
      makeTensor<int32_t>(vector(nnz, i32), base + "col_idx",
                          ArrayRef<int32_t>(csr.cols)),
      makeWeightTensor(vector(nnz, weightType), base + "weight", csr.weights),
      makeTensor<int32_t>(vector(nnz, i32), base + "delay",
                          ArrayRef<int32_t>(csr.delays)),
      /*position=*/ElementsAttr(), /*sigma=*/FloatAttr(), sign, weightBits,
      weightScale, weightExp);
  symbols.insert(op);
  builder.setInsertionPointAfter(op);
  ++numRelayProjections;
  return op;
}

/// Relay populations and their links (SNN-I10): stage j fires exactly L
/// steps after stage j − 1 (delay L − 1 plus the relay's one step).
void DelayExtensionPass::createRelayChain(snn::NetworkOp net, Extension &ext,
                                          OpBuilder &builder,
                                          SymbolTable &symbols) {
  MLIRContext *ctx = &getContext();
  const int64_t L = maxDelay;
  Location loc = ext.proj->getLoc();
  bool integer = net.isInteger();
  double dt = net.getDt().convertToDouble();
  auto i32 = builder.getIntegerType(32);
  Type weightType = ext.proj.getWeight().getElementType();
  IntegerAttr relayBits;
  if (std::optional<uint64_t> bits = ext.proj.getWeightBits())
    relayBits = builder.getI64IntegerAttr(*bits);
  ElementsAttr relayScale;
  if (integer)
    relayScale =
        makeTensor<float>(RankedTensorType::get({1}, builder.getF32Type()),
                          "relay_weight_scale", ArrayRef<float>{1.0f});
  bool lavaRelay = net.isLavaCuba();
  IntegerAttr relayExp;
  if (lavaRelay)
    relayExp = builder.getI64IntegerAttr(0);
  ext.stageRefs.assign(ext.numStages + 1, {});
  ext.stageRefs[0] = ext.proj.getSourceAttr();
  for (int32_t j = 1; j <= ext.numStages; ++j) {
    int64_t size = ext.members[j].size();
    std::string name =
        (ext.proj.getSymName() + "_relay" + std::to_string(j)).str();
    auto relay = builder.create<snn::LIFOp>(loc, TypeRange{}, ValueRange{},
                                            ArrayRef<NamedAttribute>{});
    relay.setSymName(name);
    relay.setSize(size);
    // β = 0: τ = dt under linear decay; under exp decay β = e^−64, far
    // below what changes any relay decision (SNN-I10).
    bool exp = net.getDecay() == snn::DecayMode::exp;
    relay.setTauMem(APFloat(exp ? dt / 64 : dt));
    relay.setThreshold(APFloat(1.0));
    relay.setReset(snn::ResetMode::subtract);
    relay.setRelay(true);
    if (integer) {
      // SNN-I10's relay fires at v >= 1; Lava's (SNN-V29) at v > 0, and its
      // voltage is 0 after every step, so its v_decay does not matter.
      SmallVector<int32_t> thresholds(size, lavaRelay ? 0 : 1);
      relay.setVThresholdAttr(makeTensor<int32_t>(
          RankedTensorType::get({size}, i32), name + "_v_threshold",
          ArrayRef<int32_t>(thresholds)));
      relay.setVDecay(lavaRelay ? snn::lava::kMaxVDecay
                      : net.getIntDecay() == snn::IntDecayMode::shift ? 0
                                                                      : 4096);
    }
    symbols.insert(relay);
    name = relay.getSymName().str(); // uniqued on a clash
    builder.setInsertionPointAfter(relay);
    ext.stageRefs[j] = FlatSymbolRefAttr::get(ctx, relay.getSymName());
    numRelays += size;

    CsrArrays link;
    for (int32_t a : ext.members[j]) {
      link.cols.push_back(j == 1 ? a : ext.relayOf[j - 1][a]);
      link.delays.push_back(static_cast<int32_t>(L - 1));
      link.weights.push_back(lavaRelay ? 1.0 : 2.0);
      link.rowPtr.push_back(link.cols.size());
    }
    createCsr(builder, loc, name + "_in", ext.stageRefs[j - 1],
              ext.stageRefs[j], size, link, weightType, relayBits, relayScale,
              relayExp, symbols);
  }
}

/// The rerouted synapses, one CSR projection per stage, rows over targets
/// (sources stay increasing within a row: relay indices follow sources).
/// Returns which entries of the original projection stay in it.
SmallVector<bool>
DelayExtensionPass::rerouteLongSynapses(Extension &ext, OpBuilder &builder,
                                        SymbolTable &symbols) {
  const int64_t L = maxDelay;
  snn::ProjectionOpInterface proj = ext.proj;
  std::vector<CsrArrays> stageCsr(ext.numStages + 1);
  for (int32_t j = 1; j <= ext.numStages; ++j)
    for (int32_t a : ext.members[j])
      if (!ext.sign.empty())
        stageCsr[j].signs.push_back(ext.sign[a]);
  // Entries are in target-major order in both storage forms.
  const SynapseIndex &index = ext.index;
  SmallVector<bool> keep(index.present.begin(), index.present.end());
  int64_t row = 0;
  auto closeRows = [&](int64_t upTo) {
    for (; row < upTo; ++row)
      for (int32_t j = 1; j <= ext.numStages; ++j)
        stageCsr[j].rowPtr.push_back(stageCsr[j].cols.size());
  };
  for (size_t i = 0; i < ext.delays.size(); ++i) {
    closeRows(index.target[i]);
    if (!index.present[i] || ext.delays[i] < L)
      continue;
    int32_t j = ext.delays[i] / L;
    int32_t a = index.source[i];
    stageCsr[j].cols.push_back(ext.relayOf[j][a]);
    stageCsr[j].delays.push_back(ext.delays[i] - j * L);
    stageCsr[j].weights.push_back(ext.weights[i] * ext.relayedScale);
    keep[i] = false;
    ++numExtended;
  }
  closeRows(index.numTargets);
  for (int32_t j = 1; j <= ext.numStages; ++j) {
    if (stageCsr[j].cols.empty())
      continue;
    createCsr(builder, proj->getLoc(),
              (proj.getSymName() + "_d" + std::to_string(j)).str(),
              ext.stageRefs[j], proj.getTargetAttr(), index.numTargets,
              stageCsr[j], proj.getWeight().getElementType(),
              proj.getWeightBitsAttr(), proj.getWeightScaleAttr(),
              proj.getWeightExpAttr(), symbols);
  }
  return keep;
}

/// The original projection keeps the entries `keep`: a mask on a dense
/// projection, fewer entries in a CSR one.
void DelayExtensionPass::keepShortSynapses(Extension &ext,
                                           ArrayRef<bool> keep) {
  Builder builder(&getContext());
  auto i32 = builder.getIntegerType(32);
  const SynapseIndex &index = ext.index;
  SmallVector<int32_t> &delays = ext.delays;
  for (size_t i = 0; i < delays.size(); ++i)
    if (!keep[i])
      delays[i] = 0; // absent now; any delay < L is valid
  if (auto dense = dyn_cast<snn::ProjectionOp>(ext.proj.getOperation())) {
    auto shape = dense.getWeight().getShapedType().getShape();
    dense.setMaskAttr(
        makeTensor<bool>(RankedTensorType::get(shape, builder.getI1Type()),
                         blobName(dense, "mask"), keep));
    dense.setDelayAttr(makeTensor<int32_t>(RankedTensorType::get(shape, i32),
                                           blobName(dense, "delay"),
                                           ArrayRef<int32_t>(delays)));
    return;
  }
  auto sparse = cast<snn::SparseProjectionOp>(ext.proj.getOperation());
  SmallVector<int64_t> rowPtr(index.numTargets + 1, 0);
  SmallVector<int32_t> cols, keptDelays;
  SmallVector<double> keptWeights;
  for (size_t i = 0; i < delays.size(); ++i)
    if (keep[i]) {
      ++rowPtr[index.target[i] + 1];
      cols.push_back(index.source[i]);
      keptDelays.push_back(delays[i]);
      keptWeights.push_back(ext.weights[i]);
    }
  for (int64_t b = 0; b < index.numTargets; ++b)
    rowPtr[b + 1] += rowPtr[b];
  int64_t nnz = cols.size();
  sparse.setRowPtrAttr(makeTensor<int64_t>(
      RankedTensorType::get({index.numTargets + 1}, builder.getI64Type()),
      blobName(sparse, "row_ptr"), ArrayRef<int64_t>(rowPtr)));
  sparse.setColIdxAttr(makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                           blobName(sparse, "col_idx"),
                                           ArrayRef<int32_t>(cols)));
  sparse.setDelayAttr(makeTensor<int32_t>(RankedTensorType::get({nnz}, i32),
                                          blobName(sparse, "delay"),
                                          ArrayRef<int32_t>(keptDelays)));
  sparse.setWeightAttr(makeWeightTensor(
      RankedTensorType::get({nnz}, sparse.getWeight().getElementType()),
      blobName(sparse, "weight"), keptWeights));
}

LogicalResult DelayExtensionPass::extend(snn::NetworkOp net,
                                         snn::ProjectionOpInterface proj,
                                         SymbolTable &symbols) {
  Extension ext;
  ext.proj = proj;
  if (failed(readSynapses(ext)))
    return failure();
  const uint64_t L = maxDelay;
  if (ext.firstLong < 0) {
    // Every delay already fits the chip's slots; record the tighter bound.
    if (proj.getMaxDelay() > L)
      proj.setMaxDelay(L);
    return success();
  }
  // SNN-I10's relay fires twice under Xylo's multi-spike neuron (SNN-X8);
  // Xylo's own relays are laid out by the exporter (SNN-X13).
  if (net.isXyloIaf())
    return proj->emitOpError()
           << "has delays of " << L
           << " steps or more, but under Xylo's arithmetic delays stay on "
              "the synapses: Xylo's relay neurons are laid out from the "
              "plan (SNN-X13), snnc's relays (SNN-I10) would fire twice";
  if (failed(checkRelayable(net, ext)))
    return failure();
  assignRelays(ext);
  OpBuilder builder(&getContext());
  builder.setInsertionPointAfter(proj);
  createRelayChain(net, ext, builder, symbols);
  SmallVector<bool> keep = rerouteLongSynapses(ext, builder, symbols);
  keepShortSynapses(ext, keep);
  proj.setMaxDelay(L);
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
  auto projections =
      llvm::to_vector(net.getBodyBlock().getOps<snn::ProjectionOpInterface>());
  for (snn::ProjectionOpInterface proj : projections)
    if (failed(extend(net, proj, symbols)))
      return signalPassFailure();
}

} // namespace
