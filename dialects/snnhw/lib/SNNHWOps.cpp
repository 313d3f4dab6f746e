//===- SNNHWOps.cpp - Verifiers of the snnhw dialect ----------------------===//
//
// Every diagnostic starts with its rule number (HW-V*, docs/semantics.md)
// and each rule has a lit case in test/Dialect/SNNHW/invalid-hw-v<N>.mlir.
// Tables can hold 10^8 entries, so they are read in place (forEachInteger)
// and each is walked once.
//
//===----------------------------------------------------------------------===//

#include "snnhw/SNNHWOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallSet.h"

#include <cmath>

using namespace mlir;
using namespace snnc::snnhw;
namespace snn = snnc::snn;

#define GET_OP_CLASSES
#include "snnhw/SNNHWOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace snnc::snnhw {

template <typename T>
static LogicalResult forEachTyped(ElementsAttr attr,
                                  function_ref<void(int64_t, int64_t)> fn) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.tryGetValues<T>();
    if (failed(values))
      return failure();
    int64_t i = 0;
    for (T v : *values)
      fn(i++, v);
    return success();
  }
  if (auto res = dyn_cast<mlir::detail::DenseResourceElementsAttrBase<T>>(attr)) {
    std::optional<ArrayRef<T>> values = res.tryGetAsArrayRef();
    // A blob must hold exactly the elements its type says (MLIR does not
    // check; snn's getElementValues has the same rule).
    if (!values || int64_t(values->size()) != res.getNumElements())
      return failure();
    for (size_t i = 0; i < values->size(); ++i)
      fn(int64_t(i), (*values)[i]);
    return success();
  }
  return failure();
}

LogicalResult forEachInteger(ElementsAttr attr,
                             function_ref<void(int64_t, int64_t)> fn) {
  auto type = dyn_cast<IntegerType>(attr.getElementType());
  if (!type)
    return failure();
  switch (type.getWidth()) {
  case 8:
    return forEachTyped<int8_t>(attr, fn);
  case 16:
    return forEachTyped<int16_t>(attr, fn);
  case 32:
    return forEachTyped<int32_t>(attr, fn);
  case 64:
    return forEachTyped<int64_t>(attr, fn);
  default:
    return failure();
  }
}

LogicalResult readIntegers(ElementsAttr attr, SmallVectorImpl<int64_t> &out) {
  out.clear();
  out.reserve(attr.getNumElements());
  return forEachInteger(attr, [&](int64_t, int64_t v) { out.push_back(v); });
}

} // namespace snnc::snnhw

namespace {

/// A 1-D integer tensor of `n` elements (n < 0: any length).
LogicalResult checkVector(Operation *op, StringRef rule, StringRef name,
                          ElementsAttr attr, int64_t n, bool allowNarrow) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  auto elem = type ? dyn_cast<IntegerType>(type.getElementType()) : nullptr;
  bool widthOk = elem && (elem.getWidth() == 32 ||
                          (allowNarrow && (elem.getWidth() == 8 ||
                                           elem.getWidth() == 16)));
  if (!type || type.getRank() != 1 || !widthOk ||
      (n >= 0 && type.getDimSize(0) != n))
    return op->emitOpError()
           << rule << ": '" << name << "' must be a 1-D tensor of "
           << (n >= 0 ? std::to_string(n) + " " : std::string())
           << (allowNarrow ? "i8, i16 or i32" : "i32") << " elements, got "
           << attr.getType();
  return success();
}

LogicalResult unreadable(Operation *op, StringRef rule, StringRef name) {
  return op->emitOpError() << rule << ": '" << name
                           << "' has no readable data (missing blob, or one "
                              "whose size does not match its type?)";
}

int64_t signedMax(int64_t bits) { return (int64_t(1) << (bits - 1)) - 1; }

/// HW-V8: a decay parameter of SNN-I4 (d in [0, 4096]) or SNN-I5 (k in
/// [0, 31]).
bool decayInRange(snn::IntDecayMode mode, int64_t value) {
  return value >= 0 && value <= (mode == snn::IntDecayMode::mul12 ? 4096 : 31);
}
/// Only SNN-I4 with d = 0 keeps the state unchanged; every shift k leaks.
bool decayIsNoLeak(snn::IntDecayMode mode, int64_t value) {
  return mode == snn::IntDecayMode::mul12 && value == 0;
}

} // namespace

//===----------------------------------------------------------------------===//
// #snnhw.limits
//===----------------------------------------------------------------------===//

void LimitsAttr::forEachLimit(function_ref<void(StringRef, int64_t)> fn) const {
  fn("neurons_per_core", getNeuronsPerCore());
  fn("axons_per_core", getAxonsPerCore());
  fn("synapses_per_core", getSynapsesPerCore());
  fn("weight_bits", getWeightBits());
  fn("weight_values_per_neuron", getWeightValuesPerNeuron());
  fn("max_delay", getMaxDelay());
  fn("state_bits", getStateBits());
  fn("threshold_bits", getThresholdBits());
  fn("cores_per_chip", getCoresPerChip());
  fn("mesh_rows", getMeshRows());
  fn("mesh_cols", getMeshCols());
  fn("max_chips", getMaxChips());
  fn("max_input_channels", getMaxInputChannels());
  fn("max_output_neurons", getMaxOutputNeurons());
}

LogicalResult LimitsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t neuronsPerCore, int64_t axonsPerCore,
                                 int64_t synapsesPerCore, int64_t weightBits,
                                 int64_t weightValuesPerNeuron,
                                 int64_t maxDelay, int64_t stateBits,
                                 int64_t thresholdBits, int64_t coresPerChip,
                                 int64_t meshRows, int64_t meshCols,
                                 int64_t maxChips, int64_t maxInputChannels,
                                 int64_t maxOutputNeurons, TargetDecay) {
  // HW-V1: every limit is positive; 0 means "no limit" for three of them.
  std::pair<StringRef, int64_t> positive[] = {
      {"neurons_per_core", neuronsPerCore},
      {"axons_per_core", axonsPerCore},
      {"synapses_per_core", synapsesPerCore},
      {"weight_bits", weightBits},
      {"max_delay", maxDelay},
      {"state_bits", stateBits},
      {"threshold_bits", thresholdBits},
      {"cores_per_chip", coresPerChip},
      {"mesh_rows", meshRows},
      {"mesh_cols", meshCols},
      {"max_chips", maxChips}};
  for (auto [name, value] : positive)
    if (value < 1)
      return emitError() << "HW-V1: '" << name << "' must be >= 1, got "
                         << value;
  std::pair<StringRef, int64_t> optional[] = {
      {"weight_values_per_neuron", weightValuesPerNeuron},
      {"max_input_channels", maxInputChannels},
      {"max_output_neurons", maxOutputNeurons}};
  for (auto [name, value] : optional)
    if (value < 0)
      return emitError() << "HW-V1: '" << name
                         << "' must be >= 0 (0: no limit), got " << value;
  if (weightBits > 16 || stateBits > 32 || thresholdBits > stateBits)
    return emitError() << "HW-V1: limits need weight_bits <= 16, "
                          "state_bits <= 32 and threshold_bits <= "
                          "state_bits";
  if (meshRows * meshCols < coresPerChip)
    return emitError() << "HW-V1: a mesh of " << meshRows << " x " << meshCols
                       << " cannot hold cores_per_chip = " << coresPerChip;
  return success();
}

//===----------------------------------------------------------------------===//
// snnhw.system
//===----------------------------------------------------------------------===//

LogicalResult SystemOp::verify() {
  // HW-V1: the integer semantics within the recorded target limits (the
  // limits themselves are checked by #snnhw.limits).
  double dt = getDt().convertToDouble();
  if (!std::isfinite(dt) || dt <= 0 || int64_t(getSteps()) <= 0)
    return emitOpError() << "HW-V1: 'dt' must be finite and > 0 and 'steps' "
                            "> 0";
  int64_t stateBits = int64_t(getStateBits());
  if (stateBits < 3 || stateBits > getLimits().getStateBits())
    return emitOpError() << "HW-V1: 'state_bits' = " << stateBits
                         << " must lie in [3, " << getLimits().getStateBits()
                         << "] (the target's state bits)";
  if (isLavaCuba() && (stateBits != snn::lava::kStateBits ||
                       getDecayMode() != snn::IntDecayMode::mul12))
    return emitOpError() << "HW-V12: Lava's arithmetic needs 'state_bits' = "
                         << snn::lava::kStateBits
                         << " and 'decay_mode' = mul12";
  if (isXyloIaf() &&
      (stateBits != 16 || getDecayMode() != snn::IntDecayMode::shift))
    return emitOpError() << "HW-V14: Xylo's arithmetic needs 'state_bits' = "
                            "16 and 'decay_mode' = shift";
  return success();
}

namespace {

/// The populations of a system in order, with the first neuron of each in
/// one global numbering, so that "every neuron on exactly one core" is one
/// bit vector.
struct PopulationTable {
  SmallVector<PopulationOp> pops;
  SmallVector<int64_t> offset{0};

  bool isKind(int64_t pop, PopulationKind kind) const {
    return PopulationOp(pops[pop]).getKind() == kind;
  }
  /// (pop, index) names a neuron of a population not of kind `excluded`.
  bool names(int64_t pop, int64_t index, PopulationKind excluded) const {
    return pop >= 0 && pop < int64_t(pops.size()) && !isKind(pop, excluded) &&
           index >= 0 && index < int64_t(PopulationOp(pops[pop]).getSize());
  }
};

/// HW-V10: only populations, cores and routes; input channels and outputs
/// within the chip's.
LogicalResult collectPopulations(SystemOp system, PopulationTable &table) {
  int64_t inputs = 0, outputs = 0;
  for (Operation &op : system.getBodyBlock()) {
    auto p = dyn_cast<PopulationOp>(op);
    if (!p) {
      if (!isa<CoreOp, RouteOp>(op))
        return op.emitOpError()
               << "HW-V10: only snnhw.population, snnhw.core and snnhw.route "
                  "ops may appear in an snnhw.system";
      continue;
    }
    table.pops.push_back(p);
    table.offset.push_back(table.offset.back() + int64_t(p.getSize()));
    if (p.getKind() == PopulationKind::input)
      inputs += int64_t(p.getSize());
    if (p.getOutput())
      outputs += int64_t(p.getSize());
  }
  LimitsAttr limits = system.getLimits();
  int64_t maxIn = limits.getMaxInputChannels();
  if (maxIn && inputs > maxIn)
    return system.emitOpError()
           << "HW-V10: " << inputs
           << " input channels exceed max_input_channels = " << maxIn;
  int64_t maxOut = limits.getMaxOutputNeurons();
  if (maxOut && outputs > maxOut)
    return system.emitOpError()
           << "HW-V10: " << outputs
           << " output neurons exceed max_output_neurons = " << maxOut;
  return success();
}

/// HW-V10: the core's neurons name lif/li neurons, none placed before.
LogicalResult checkCoreNeurons(CoreOp core, const PopulationTable &table,
                               std::vector<bool> &placed) {
  SmallVector<int64_t> pop, idx;
  if (failed(readIntegers(core.getNeuronPop(), pop)) ||
      failed(readIntegers(core.getNeuronIndex(), idx)))
    return unreadable(core, "HW-V3", "neuron_pop");
  for (size_t i = 0; i < pop.size(); ++i) {
    if (!table.names(pop[i], idx[i], PopulationKind::input))
      return core.emitOpError()
             << "HW-V10: neuron " << i << " names (population " << pop[i]
             << ", index " << idx[i]
             << "), not a neuron of a lif or li population";
    int64_t g = table.offset[pop[i]] + idx[i];
    if (placed[g])
      return core.emitOpError() << "HW-V10: neuron " << idx[i] << " of @"
                                << PopulationOp(table.pops[pop[i]]).getSymName()
                                << " is on more than one core";
    placed[g] = true;
  }
  return success();
}

/// HW-V4: the core's axons name input or lif neurons, once each.
LogicalResult checkCoreAxons(CoreOp core, const PopulationTable &table) {
  SmallVector<int64_t> apop, aidx;
  if (failed(readIntegers(core.getAxonPop(), apop)) ||
      failed(readIntegers(core.getAxonIndex(), aidx)))
    return unreadable(core, "HW-V4", "axon_pop");
  llvm::DenseSet<int64_t> seen;
  for (size_t j = 0; j < apop.size(); ++j) {
    if (!table.names(apop[j], aidx[j], PopulationKind::li))
      return core.emitOpError()
             << "HW-V4: axon " << j << " names (population " << apop[j]
             << ", index " << aidx[j]
             << "), not a neuron of an input or lif population";
    if (!seen.insert(table.offset[apop[j]] + aidx[j]).second)
      return core.emitOpError()
             << "HW-V4: axon " << j << " repeats source " << aidx[j] << " of @"
             << PopulationOp(table.pops[apop[j]]).getSymName()
             << " (axons are distinct presynaptic sources)";
  }
  return success();
}

/// HW-V9: distinct positions and at most cores_per_chip cores per chip.
struct CorePositions {
  llvm::DenseMap<std::pair<int64_t, int64_t>, int64_t> used;
  llvm::DenseMap<int64_t, int64_t> perChip;

  LogicalResult add(CoreOp core, LimitsAttr limits) {
    int64_t chip = int64_t(core.getChip());
    int64_t pos =
        int64_t(core.getY()) * limits.getMeshCols() + int64_t(core.getX());
    if (!used.try_emplace({chip, pos}, 0).second)
      return core.emitOpError()
             << "HW-V9: another core already sits at chip " << chip << ", x "
             << int64_t(core.getX()) << ", y " << int64_t(core.getY());
    if (++perChip[chip] > limits.getCoresPerChip())
      return core.emitOpError()
             << "HW-V9: chip " << chip
             << " holds more than cores_per_chip = " << limits.getCoresPerChip()
             << " cores";
    return success();
  }
};

/// HW-V11: routes join two distinct cores, once per pair, with the hop
/// count of their positions.
LogicalResult checkRoutes(SystemOp system,
                          const llvm::DenseMap<StringRef, CoreOp> &cores) {
  int64_t cols = system.getLimits().getMeshCols();
  llvm::DenseSet<std::pair<StringRef, StringRef>> pairs;
  for (RouteOp route : system.getBodyBlock().getOps<RouteOp>()) {
    CoreOp src = cores.lookup(route.getSource());
    CoreOp dst = cores.lookup(route.getDest());
    if (!src || !dst || src == dst)
      return route.emitOpError() << "HW-V11: 'source' and 'dest' must name "
                                    "two different cores of the system";
    if (!pairs.insert({route.getSource(), route.getDest()}).second)
      return route.emitOpError() << "HW-V11: a second route from @"
                                 << route.getSource() << " to @"
                                 << route.getDest();
    int64_t hops =
        std::abs((int64_t(src.getChip()) - int64_t(dst.getChip())) * cols +
                 int64_t(src.getX()) - int64_t(dst.getX())) +
        std::abs(int64_t(src.getY()) - int64_t(dst.getY()));
    if (int64_t(route.getHops()) != hops)
      return route.emitOpError()
             << "HW-V11: 'hops' = " << int64_t(route.getHops())
             << " but the cores are " << hops << " hops apart";
  }
  return success();
}

} // namespace

/// HW-V16: Xylo Audio 2's sizes (SNN-X10, Rockpool's mapper): at most 16
/// input channels, 8 output neurons (the li populations) and 1000 hidden
/// neurons, relays included. Xylo has no synaptic delays: a source whose
/// longest outgoing delay is d needs a chain of d relay neurons (SNN-X13),
/// which the executors model as a delay ring and the exporter lays out.
static LogicalResult verifyXyloSizes(SystemOp system,
                                     const PopulationTable &table) {
  int64_t inputs = 0, hidden = 0, outputs = 0;
  for (PopulationOp p : table.pops) {
    int64_t n = int64_t(p.getSize());
    (p.getKind() == PopulationKind::input ? inputs
     : p.getKind() == PopulationKind::lif ? hidden
                                          : outputs) += n;
  }
  if (inputs > snn::xylo::kMaxInputs)
    return system.emitOpError()
           << "HW-V16: " << inputs << " input channels exceed Xylo's "
           << snn::xylo::kMaxInputs;
  if (outputs > snn::xylo::kMaxOutputs)
    return system.emitOpError()
           << "HW-V16: " << outputs
           << " output neurons (li populations) exceed Xylo's "
           << snn::xylo::kMaxOutputs;
  llvm::DenseMap<int64_t, int64_t> longest; // source -> longest delay
  for (CoreOp core : system.getBodyBlock().getOps<CoreOp>()) {
    SmallVector<int64_t> apop, aidx, saxon, delay;
    if (failed(readIntegers(core.getAxonPop(), apop)) ||
        failed(readIntegers(core.getAxonIndex(), aidx)) ||
        failed(readIntegers(core.getSynAxon(), saxon)) ||
        failed(readIntegers(core.getSynDelay(), delay)))
      return unreadable(core, "HW-V16", "syn_delay");
    for (size_t k = 0; k < saxon.size(); ++k) {
      int64_t a = saxon[k];
      if (delay[k] <= 0 || a < 0 || a >= int64_t(apop.size()))
        continue;
      int64_t &d = longest[table.offset[apop[a]] + aidx[a]];
      d = std::max(d, delay[k]);
    }
  }
  int64_t relays = 0;
  for (auto &kv : longest)
    relays += kv.second;
  if (hidden + relays > snn::xylo::kMaxHidden)
    return system.emitOpError()
           << "HW-V16: " << hidden << " hidden neurons and " << relays
           << " relay neurons (" << longest.size()
           << " delayed sources, one relay per step of each source's longest "
              "delay) need "
           << hidden + relays << " hidden neurons; Xylo has "
           << snn::xylo::kMaxHidden;
  return success();
}

LogicalResult SystemOp::verifyRegions() {
  PopulationTable table;
  if (failed(collectPopulations(*this, table)))
    return failure();
  std::vector<bool> placed(table.offset.back(), false);
  llvm::DenseMap<StringRef, CoreOp> cores;
  CorePositions positions;
  for (CoreOp core : getBodyBlock().getOps<CoreOp>()) {
    cores[core.getSymName()] = core;
    if (failed(positions.add(core, getLimits())) ||
        failed(checkCoreNeurons(core, table, placed)) ||
        failed(checkCoreAxons(core, table)))
      return failure();
  }
  for (auto [i, p] : llvm::enumerate(table.pops)) {
    if (p.getKind() == PopulationKind::input)
      continue;
    for (int64_t n = 0; n < int64_t(p.getSize()); ++n)
      if (!placed[table.offset[i] + n])
        return p.emitOpError() << "HW-V10: neuron " << n
                               << " is on no core (every lif/li neuron "
                                  "must be mapped)";
  }
  if (isXyloIaf() && failed(verifyXyloSizes(*this, table)))
    return failure();
  return checkRoutes(*this, cores);
}

//===----------------------------------------------------------------------===//
// snnhw.population
//===----------------------------------------------------------------------===//

/// HW-V2: `weight_scale` is tensor<size x f32> of finite values > 0.
static LogicalResult verifyWeightScale(PopulationOp op) {
  auto ws = op.getWeightScale();
  auto type = ws ? dyn_cast<RankedTensorType>(ws->getType()) : nullptr;
  if (!type || type.getRank() != 1 ||
      type.getDimSize(0) != int64_t(op.getSize()) ||
      !type.getElementType().isF32())
    return op.emitOpError() << "HW-V2: 'weight_scale' must be tensor<"
                            << int64_t(op.getSize()) << "xf32>";
  auto dense = dyn_cast<DenseElementsAttr>(*ws);
  auto res = dyn_cast<mlir::detail::DenseResourceElementsAttrBase<float>>(*ws);
  std::optional<ArrayRef<float>> blob;
  if (res)
    blob = res.tryGetAsArrayRef();
  if (blob && int64_t(blob->size()) != res.getNumElements())
    blob.reset();
  if (!dense && !blob)
    return unreadable(op, "HW-V2", "weight_scale");
  auto check = [&](float v) { return std::isfinite(v) && v > 0; };
  bool ok = dense ? llvm::all_of(dense.getValues<float>(), check)
                  : llvm::all_of(*blob, check);
  if (!ok)
    return op.emitOpError() << "HW-V2: every 'weight_scale' must be finite "
                               "and > 0";
  return success();
}

LogicalResult PopulationOp::verify() {
  PopulationKind kind = getKind();
  if (int64_t(getSize()) <= 0)
    return emitOpError() << "HW-V2: 'size' must be > 0";
  if (kind == PopulationKind::input) {
    if (!getScale() || !std::isfinite(getScale()->convertToDouble()))
      return emitOpError() << "HW-V2: an input population needs a finite "
                              "'scale'";
    if (getReset() || getWeightScale() || getRelay() || getOutput())
      return emitOpError() << "HW-V2: an input population has no 'reset', "
                              "'weight_scale', 'relay' or 'output'";
    return success();
  }
  if (kind == PopulationKind::lif && !getReset())
    return emitOpError() << "HW-V2: a lif population needs a 'reset'";
  if (kind == PopulationKind::li && (getReset() || getRelay()))
    return emitOpError() << "HW-V2: an li population has no 'reset' and is "
                            "never a relay";
  return verifyWeightScale(*this);
}

//===----------------------------------------------------------------------===//
// snnhw.core
//===----------------------------------------------------------------------===//

/// HW-V3: the neuron arrays, within neurons_per_core.
LogicalResult CoreOp::verifyNeuronArrays(LimitsAttr limits) {
  int64_t n = getNumNeurons();
  if (failed(checkVector(*this, "HW-V3", "neuron_pop", getNeuronPop(), -1,
                         false)))
    return failure();
  for (auto [name, attr] :
       {std::pair<StringRef, ElementsAttr>{"neuron_index", getNeuronIndex()},
        {"threshold", getThreshold()},
        {"bias", getBias()},
        {"v_decay", getVDecay()},
        {"i_decay", getIDecay()}})
    if (failed(checkVector(*this, "HW-V3", name, attr, n, false)))
      return failure();
  if (auto biasSyn = getBiasSyn())
    if (failed(checkVector(*this, "HW-V3", "bias_syn", *biasSyn, n, false)))
      return failure();
  if (n < 1 || n > limits.getNeuronsPerCore())
    return emitOpError() << "HW-V3: " << n
                         << " neurons; a core holds 1 to neurons_per_core = "
                         << limits.getNeuronsPerCore();
  return success();
}

/// HW-V9: the position lies on one of max_chips meshes.
LogicalResult CoreOp::verifyPosition(LimitsAttr limits) {
  int64_t chip = int64_t(getChip()), x = int64_t(getX()), y = int64_t(getY());
  if (chip < 0 || chip >= limits.getMaxChips() || x < 0 ||
      x >= limits.getMeshCols() || y < 0 || y >= limits.getMeshRows())
    return emitOpError() << "HW-V9: position (chip " << chip << ", x " << x
                         << ", y " << y << ") lies outside max_chips = "
                         << limits.getMaxChips() << " chips of "
                         << limits.getMeshRows() << " x "
                         << limits.getMeshCols() << " cores";
  return success();
}

/// HW-V4: the axon arrays, within axons_per_core.
LogicalResult CoreOp::verifyAxonArrays(LimitsAttr limits) {
  int64_t a = getNumAxons();
  if (failed(checkVector(*this, "HW-V4", "axon_pop", getAxonPop(), -1,
                         false)) ||
      failed(checkVector(*this, "HW-V4", "axon_index", getAxonIndex(), a,
                         false)))
    return failure();
  if (a > limits.getAxonsPerCore())
    return emitOpError() << "HW-V4: " << a
                         << " input axons exceed axons_per_core = "
                         << limits.getAxonsPerCore();
  return success();
}

/// HW-V5: the synapse table's shape, rows and axons; `ptr` receives the
/// row pointers.
LogicalResult CoreOp::verifySynapseTable(LimitsAttr limits,
                                         SmallVectorImpl<int64_t> &ptr) {
  int64_t n = getNumNeurons(), a = getNumAxons();
  auto ptrType = dyn_cast<RankedTensorType>(getSynPtr().getType());
  if (!ptrType || ptrType.getRank() != 1 || ptrType.getDimSize(0) != n + 1 ||
      !ptrType.getElementType().isInteger(64))
    return emitOpError() << "HW-V5: 'syn_ptr' must be tensor<" << n + 1
                         << "xi64>";
  int64_t s = getNumSynapses();
  if (failed(checkVector(*this, "HW-V5", "syn_axon", getSynAxon(), -1,
                         false)) ||
      failed(checkVector(*this, "HW-V6", "syn_weight", getSynWeight(), s,
                         true)) ||
      failed(checkVector(*this, "HW-V7", "syn_delay", getSynDelay(), s,
                         true)))
    return failure();
  if (s > limits.getSynapsesPerCore())
    return emitOpError() << "HW-V5: " << s
                         << " synapses exceed synapses_per_core = "
                         << limits.getSynapsesPerCore();
  if (failed(readIntegers(getSynPtr(), ptr)))
    return unreadable(*this, "HW-V5", "syn_ptr");
  if (ptr.front() != 0 || ptr.back() != s)
    return emitOpError() << "HW-V5: 'syn_ptr' must start at 0 and end at "
                         << s << " (the number of synapses)";
  for (int64_t i = 0; i < n; ++i)
    if (ptr[i + 1] < ptr[i])
      return emitOpError() << "HW-V5: 'syn_ptr' decreases at neuron " << i;
  int64_t badAxon = -1;
  if (failed(forEachInteger(getSynAxon(), [&](int64_t k, int64_t v) {
        if ((v < 0 || v >= a) && badAxon < 0)
          badAxon = k;
      })))
    return unreadable(*this, "HW-V5", "syn_axon");
  if (badAxon >= 0)
    return emitOpError() << "HW-V5: synapse " << badAxon
                         << " names an axon outside [0, " << a << ")";
  return success();
}

/// HW-V6: weights within weight_bits, distinct values per neuron within
/// weight_values_per_neuron.
LogicalResult CoreOp::verifyWeights(LimitsAttr limits, ArrayRef<int64_t> ptr) {
  int64_t bits = limits.getWeightBits();
  int64_t wmax = signedMax(bits), wmin = -wmax - 1, badW = -1, badWv = 0;
  SmallVector<int64_t> weights;
  weights.reserve(getNumSynapses());
  if (failed(forEachInteger(getSynWeight(), [&](int64_t k, int64_t v) {
        weights.push_back(v);
        if ((v < wmin || v > wmax) && badW < 0) {
          badW = k;
          badWv = v;
        }
      })))
    return unreadable(*this, "HW-V6", "syn_weight");
  if (badW >= 0)
    return emitOpError() << "HW-V6: synapse " << badW << " has weight "
                         << badWv << ", outside the " << bits
                         << "-bit range [" << wmin << ", " << wmax << "]";
  int64_t maxValues = limits.getWeightValuesPerNeuron();
  if (maxValues == 0)
    return success();
  for (int64_t i = 0; i < getNumNeurons(); ++i) {
    llvm::SmallSet<int64_t, 8> values;
    for (int64_t k = ptr[i]; k < ptr[i + 1]; ++k)
      values.insert(weights[k]);
    if (int64_t(values.size()) > maxValues)
      return emitOpError() << "HW-V6: neuron " << i << " uses " << values.size()
                           << " distinct weights; weight_values_per_neuron = "
                           << maxValues;
  }
  return success();
}

/// HW-V7: native delays in [0, max_delay).
LogicalResult CoreOp::verifyDelays(LimitsAttr limits) {
  int64_t maxDelay = limits.getMaxDelay(), badD = -1, badDv = 0;
  if (failed(forEachInteger(getSynDelay(), [&](int64_t k, int64_t v) {
        if ((v < 0 || v >= maxDelay) && badD < 0) {
          badD = k;
          badDv = v;
        }
      })))
    return unreadable(*this, "HW-V7", "syn_delay");
  if (badD >= 0)
    return emitOpError() << "HW-V7: synapse " << badD << " has delay "
                         << badDv << ", outside [0, max_delay = " << maxDelay
                         << ")";
  return success();
}

/// HW-V13: the neuron parameters under Lava's arithmetic, which replace
/// HW-V8's ranges: thresholds and decays within Lava's, one of each per
/// population on the core, biases Lava can express, no synaptic bias.
static LogicalResult
verifyLavaNeurons(CoreOp core, ArrayRef<int64_t> pop, ArrayRef<int64_t> thr,
                  ArrayRef<int64_t> bias, ArrayRef<int64_t> vd,
                  ArrayRef<int64_t> id, ArrayRef<int64_t> biasSyn) {
  llvm::DenseMap<int64_t, int64_t> first; // population -> its first neuron
  for (int64_t i = 0; i < int64_t(thr.size()); ++i) {
    if (thr[i] < 0 || thr[i] > snn::lava::kMaxThreshold)
      return core.emitOpError()
             << "HW-V13: neuron " << i << " has threshold " << thr[i]
             << ", outside Lava's [0, " << snn::lava::kMaxThreshold << "]";
    if (vd[i] < 0 || vd[i] > snn::lava::kMaxVDecay ||
        (id[i] != -1 &&
         (id[i] < snn::lava::kMinIDecay || id[i] > snn::lava::kMaxIDecay)))
      return core.emitOpError()
             << "HW-V13: neuron " << i << " has decays (" << vd[i] << ", "
             << id[i] << ") outside Lava's v_decay [0, "
             << snn::lava::kMaxVDecay << "] and i_decay ["
             << snn::lava::kMinIDecay << ", " << snn::lava::kMaxIDecay
             << "] (or -1)";
    if (!snn::lava::isBiasRepresentable(bias[i]))
      return core.emitOpError()
             << "HW-V13: neuron " << i << " has bias " << bias[i]
             << ", not a 13-bit mantissa shifted left by "
                "an exponent in [0, 7]";
    if (!biasSyn.empty() && biasSyn[i] != 0)
      return core.emitOpError() << "HW-V13: neuron " << i
                                << " has a synaptic bias, which Lava's CUBA "
                                   "neuron does not have";
    auto [it, fresh] = first.try_emplace(pop[i], i);
    int64_t j = it->second;
    if (!fresh && (thr[i] != thr[j] || vd[i] != vd[j] || id[i] != id[j]))
      return core.emitOpError()
             << "HW-V13: neurons " << j << " and " << i
             << " of one population differ in threshold or decays (Lava's "
                "are per population)";
  }
  return success();
}

/// The kind of every population of `system`, in order (population index of
/// `neuron_pop` / `axon_pop`).
static SmallVector<PopulationOp> systemPopulations(SystemOp system) {
  return llvm::to_vector(system.getBodyBlock().getOps<PopulationOp>());
}

/// HW-V15: under Xylo's arithmetic every synapse lies in one of Xylo's three
/// matrices (SNN-X10: from an input population with delay 0 `weights_in`,
/// into an li population `weights_out`, else `weights_rec`, which includes
/// the last relay of a delayed input synapse, SNN-X13; never input to li),
/// and
/// each matrix's weights are int8 mantissas shifted by one shift in
/// [0, 8] (SNN-X3): the smallest shift that holds the matrix's largest
/// weight, of which every weight must be a multiple. Replaces HW-V6.
static LogicalResult verifyXyloWeights(CoreOp core, SystemOp system,
                                       ArrayRef<int64_t> ptr) {
  SmallVector<PopulationOp> pops = systemPopulations(system);
  SmallVector<int64_t> npop, apop, saxon, w, delay;
  if (failed(readIntegers(core.getNeuronPop(), npop)) ||
      failed(readIntegers(core.getAxonPop(), apop)) ||
      failed(readIntegers(core.getSynAxon(), saxon)) ||
      failed(readIntegers(core.getSynWeight(), w)) ||
      failed(readIntegers(core.getSynDelay(), delay)))
    return unreadable(core, "HW-V15", "syn_weight");
  auto kindOf = [&](int64_t p) {
    return p >= 0 && p < int64_t(pops.size()) ? pops[p].getKind()
                                              : PopulationKind::input;
  };
  const int64_t maxShift = snn::xylo::kMaxWeightShift;
  std::vector<int> matrix(w.size());
  int64_t shift[3] = {0, 0, 0}, widest[3] = {-1, -1, -1};
  for (int64_t i = 0; i + 1 < int64_t(ptr.size()); ++i) {
    bool toOutput = kindOf(npop[i]) == PopulationKind::li;
    for (int64_t k = ptr[i]; k < ptr[i + 1]; ++k) {
      int64_t a = saxon[k];
      bool fromInput = a >= 0 && a < int64_t(apop.size()) &&
                       kindOf(apop[a]) == PopulationKind::input;
      if (fromInput && toOutput)
        return core.emitOpError()
               << "HW-V15: synapse " << k << " joins input @"
               << pops[apop[a]].getSymName() << " to output neuron " << i
               << ", but Xylo has no synapses from input channels to "
                  "output neurons";
      int m = int(fromInput && delay[k] == 0 ? snn::xylo::Matrix::In
                  : toOutput                 ? snn::xylo::Matrix::Out
                                             : snn::xylo::Matrix::Rec);
      matrix[k] = m;
      int64_t s = 0;
      while (s <= maxShift &&
             (w[k] < -(int64_t(128) << s) || w[k] > (int64_t(127) << s)))
        ++s;
      if (s > maxShift)
        return core.emitOpError()
               << "HW-V15: synapse " << k << " has weight " << w[k] << " ("
               << snn::xylo::matrixName(snn::xylo::Matrix(m))
               << "), beyond an int8 weight shifted by Xylo's largest "
                  "shift "
               << maxShift << " (larger shifts wrap)";
      if (widest[m] < 0 || s > shift[m]) {
        shift[m] = s;
        widest[m] = k;
      }
    }
  }
  for (size_t k = 0; k < w.size(); ++k) {
    int m = matrix[k];
    if (w[k] % (int64_t(1) << shift[m]) != 0)
      return core.emitOpError()
             << "HW-V15: synapse " << k << " has weight " << w[k]
             << ", not an int8 weight shifted by the shift " << shift[m]
             << " of " << snn::xylo::matrixName(snn::xylo::Matrix(m))
             << " (which synapse " << widest[m] << "'s weight " << w[widest[m]]
             << " needs)";
  }
  return success();
}

/// HW-V15: the neuron parameters under Xylo's arithmetic, which replace
/// HW-V8's ranges: int16 thresholds in [1, 32767] (an li readout's is
/// 32767), int16 biases, 4-bit dashes `v_decay` (dash_mem) and `i_decay`
/// (dash_syn; every Xylo neuron has a synaptic current), no synaptic bias.
static LogicalResult
verifyXyloNeurons(CoreOp core, SystemOp system, ArrayRef<int64_t> thr,
                  ArrayRef<int64_t> bias, ArrayRef<int64_t> vd,
                  ArrayRef<int64_t> id, ArrayRef<int64_t> biasSyn) {
  SmallVector<PopulationOp> pops = systemPopulations(system);
  SmallVector<int64_t> npop;
  if (failed(readIntegers(core.getNeuronPop(), npop)))
    return unreadable(core, "HW-V15", "neuron_pop");
  const int64_t hi = 32767, lo = -32768, dash = snn::xylo::kMaxDash;
  for (int64_t i = 0; i < int64_t(thr.size()); ++i) {
    bool li = npop[i] >= 0 && npop[i] < int64_t(pops.size()) &&
              pops[npop[i]].getKind() == PopulationKind::li;
    if (li ? thr[i] != snn::xylo::kReadoutThreshold
           : (thr[i] < 1 || thr[i] > hi))
      return core.emitOpError()
             << "HW-V15: neuron " << i << " has threshold " << thr[i]
             << (li ? ", but an li readout (Xylo output neuron) has "
                      "threshold 32767"
                    : ", outside Xylo's int16 [1, 32767]");
    if (bias[i] < lo || bias[i] > hi)
      return core.emitOpError() << "HW-V15: neuron " << i << " has bias "
                                << bias[i] << ", outside Xylo's int16 range";
    if (vd[i] < 0 || vd[i] > dash || id[i] < 0 || id[i] > dash)
      return core.emitOpError()
             << "HW-V15: neuron " << i << " has dashes (v_decay " << vd[i]
             << ", i_decay " << id[i] << ") outside Xylo's 4-bit [0, " << dash
             << "] (every Xylo neuron has a synaptic current: i_decay -1 is "
                "not allowed)";
    if (!biasSyn.empty() && biasSyn[i] != 0)
      return core.emitOpError() << "HW-V15: neuron " << i
                                << " has a synaptic bias, which Xylo's IAF "
                                   "neuron does not have";
  }
  return success();
}

/// HW-V8: thresholds, biases and decays of every neuron.
LogicalResult CoreOp::verifyNeuronParameters(SystemOp system) {
  LimitsAttr limits = system.getLimits();
  int64_t stateBits = int64_t(system.getStateBits());
  int64_t thrBits = limits.getThresholdBits();
  int64_t thrMax = signedMax(std::min(thrBits, stateBits));
  int64_t stateMax = signedMax(stateBits), stateMin = -stateMax - 1;
  snn::IntDecayMode mode = system.getDecayMode();
  bool noLeak = limits.getDecay() == TargetDecay::none;
  SmallVector<int64_t> thr, bias, vd, id, biasSyn;
  if (failed(readIntegers(getThreshold(), thr)) ||
      failed(readIntegers(getBias(), bias)) ||
      failed(readIntegers(getVDecay(), vd)) ||
      failed(readIntegers(getIDecay(), id)))
    return unreadable(*this, "HW-V8", "threshold");
  if (auto attr = getBiasSyn())
    if (failed(readIntegers(*attr, biasSyn)))
      return unreadable(*this, "HW-V8", "bias_syn");
  if (system.isLavaCuba()) {
    SmallVector<int64_t> pop;
    if (failed(readIntegers(getNeuronPop(), pop)))
      return unreadable(*this, "HW-V13", "neuron_pop");
    return verifyLavaNeurons(*this, pop, thr, bias, vd, id, biasSyn);
  }
  if (system.isXyloIaf())
    return verifyXyloNeurons(*this, system, thr, bias, vd, id, biasSyn);
  for (int64_t i = 0; i < getNumNeurons(); ++i) {
    if (!biasSyn.empty() && biasSyn[i] != 0 &&
        (id[i] == -1 || biasSyn[i] < stateMin || biasSyn[i] > stateMax))
      return emitOpError() << "HW-V8: neuron " << i << " has bias_syn "
                           << biasSyn[i]
                           << ", without a synaptic current (i_decay = -1) "
                              "or outside the "
                           << stateBits << "-bit state range";
    if (thr[i] < 1 || thr[i] > thrMax)
      return emitOpError() << "HW-V8: neuron " << i << " has threshold "
                           << thr[i] << ", outside [1, " << thrMax
                           << "] (threshold_bits = " << thrBits << ")";
    if (bias[i] < stateMin || bias[i] > stateMax)
      return emitOpError() << "HW-V8: neuron " << i << " has bias " << bias[i]
                           << ", outside the " << stateBits
                           << "-bit state range";
    if (!decayInRange(mode, vd[i]) ||
        (id[i] != -1 && !decayInRange(mode, id[i])))
      return emitOpError() << "HW-V8: neuron " << i << " has decays (" << vd[i]
                           << ", " << id[i] << ") outside the "
                           << snn::stringifyIntDecayMode(mode) << " range";
    if (noLeak && (!decayIsNoLeak(mode, vd[i]) ||
                   (id[i] != -1 && !decayIsNoLeak(mode, id[i]))))
      return emitOpError() << "HW-V8: neuron " << i
                           << " leaks, but the target's decay is \"none\"";
  }
  return success();
}

LogicalResult CoreOp::verify() {
  auto system = (*this)->getParentOfType<SystemOp>();
  LimitsAttr limits = system.getLimits();
  SmallVector<int64_t> ptr;
  if (failed(verifyNeuronArrays(limits)) || failed(verifyPosition(limits)) ||
      failed(verifyAxonArrays(limits)) ||
      failed(verifySynapseTable(limits, ptr)) ||
      failed(system.isXyloIaf() ? verifyXyloWeights(*this, system, ptr)
                                : verifyWeights(limits, ptr)) ||
      failed(verifyDelays(limits)))
    return failure();
  return verifyNeuronParameters(system);
}

//===----------------------------------------------------------------------===//
// snnhw.route
//===----------------------------------------------------------------------===//

LogicalResult RouteOp::verify() {
  double traffic = getTraffic().convertToDouble();
  if (int64_t(getAxons()) < 1 || !std::isfinite(traffic) || traffic < 0 ||
      int64_t(getHops()) < 0)
    return emitOpError() << "HW-V11: 'axons' must be >= 1, 'traffic' finite "
                            "and >= 0, 'hops' >= 0";
  return success();
}
