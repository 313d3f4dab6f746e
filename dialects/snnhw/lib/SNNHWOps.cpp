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

#define GET_OP_CLASSES
#include "snnhw/SNNHWOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace snnc::snnhw {

ArrayRef<StringRef> limitNames() {
  static const StringRef names[] = {
      "neurons_per_core", "axons_per_core",   "synapses_per_core",
      "weight_bits",      "weight_values_per_neuron",
      "max_delay",        "state_bits",       "threshold_bits",
      "cores_per_chip",   "mesh_rows",        "mesh_cols",
      "max_chips",        "max_input_channels", "max_output_neurons"};
  return names;
}

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
    if (!values)
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

/// Limits of the enclosing system; absent keys read as "no limit" so that
/// a child never crashes on a parent that failed HW-V1.
struct Limits {
  DictionaryAttr dict;
  int64_t get(StringRef name, int64_t unset = INT64_MAX) const {
    if (!dict)
      return unset;
    auto attr = dict.getAs<IntegerAttr>(name);
    return attr ? attr.getInt() : unset;
  }
  StringRef decay() const {
    auto attr = dict ? dict.getAs<StringAttr>("decay") : StringAttr();
    return attr ? attr.getValue() : StringRef();
  }
};

Limits limitsOf(Operation *op) {
  auto system = op->getParentOfType<SystemOp>();
  if (!system)
    return {};
  return {system->getAttrOfType<DictionaryAttr>("limits")};
}

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
                           << "' has no readable data (missing blob?)";
}

int64_t signedMax(int64_t bits) { return (int64_t(1) << (bits - 1)) - 1; }

/// HW-V8: a decay parameter of SNN-I4 (d in [0, 4096]) or SNN-I5 (k in
/// [0, 31]).
bool decayInRange(StringRef mode, int64_t value) {
  return value >= 0 && value <= (mode == "mul12" ? 4096 : 31);
}
/// Only SNN-I4 with d = 0 keeps the state unchanged; every shift k leaks.
bool decayIsNoLeak(StringRef mode, int64_t value) {
  return mode == "mul12" && value == 0;
}

} // namespace

//===----------------------------------------------------------------------===//
// snnhw.system
//===----------------------------------------------------------------------===//

int64_t SystemOp::getLimit(StringRef name) {
  return getLimits().getAs<IntegerAttr>(name).getInt();
}

LogicalResult SystemOp::verify() {
  // HW-V1: the recorded target limits and the integer semantics.
  for (StringRef name : limitNames()) {
    auto attr = getLimits().getAs<IntegerAttr>(name);
    bool zeroOk = name == "weight_values_per_neuron" ||
                  name == "max_input_channels" ||
                  name == "max_output_neurons";
    if (!attr || attr.getInt() < (zeroOk ? 0 : 1))
      return emitOpError() << "HW-V1: 'limits' must hold '" << name
                           << "' as an integer >= " << (zeroOk ? 0 : 1);
  }
  auto decay = getLimits().getAs<StringAttr>("decay");
  if (!decay || !llvm::is_contained(ArrayRef<StringRef>{"mul12", "shift",
                                                        "none"},
                                    decay.getValue()))
    return emitOpError()
           << "HW-V1: 'limits' must hold 'decay' = \"mul12\", \"shift\" or "
              "\"none\"";
  if (getLimit("weight_bits") > 16 || getLimit("state_bits") > 32 ||
      getLimit("threshold_bits") > getLimit("state_bits"))
    return emitOpError() << "HW-V1: limits need weight_bits <= 16, "
                            "state_bits <= 32 and threshold_bits <= "
                            "state_bits";
  if (getLimit("mesh_rows") * getLimit("mesh_cols") < getLimit("cores_per_chip"))
    return emitOpError() << "HW-V1: a mesh of " << getLimit("mesh_rows")
                         << " x " << getLimit("mesh_cols")
                         << " cannot hold cores_per_chip = "
                         << getLimit("cores_per_chip");
  double dt = getDt().convertToDouble();
  if (!std::isfinite(dt) || dt <= 0 || int64_t(getSteps()) <= 0)
    return emitOpError() << "HW-V1: 'dt' must be finite and > 0 and 'steps' "
                            "> 0";
  if (getDecayMode() != "mul12" && getDecayMode() != "shift")
    return emitOpError() << "HW-V1: 'decay_mode' must be \"mul12\" or "
                            "\"shift\", got \""
                         << getDecayMode() << "\"";
  if (int64_t(getStateBits()) < 3 || int64_t(getStateBits()) > getLimit("state_bits"))
    return emitOpError() << "HW-V1: 'state_bits' = " << int64_t(getStateBits())
                         << " must lie in [3, " << getLimit("state_bits")
                         << "] (the target's state bits)";
  return success();
}

LogicalResult SystemOp::verifyRegions() {
  Block &body = getBodyBlock();
  SmallVector<PopulationOp> pops;
  for (Operation &op : body) {
    if (auto p = dyn_cast<PopulationOp>(op))
      pops.push_back(p);
    else if (!isa<CoreOp, RouteOp>(op))
      return op.emitOpError()
             << "HW-V10: only snnhw.population, snnhw.core and snnhw.route "
                "ops may appear in an snnhw.system";
  }
  int64_t inputs = 0, outputs = 0;
  // First neuron of each population in one global numbering, so that the
  // "every neuron on exactly one core" check is one bit vector.
  SmallVector<int64_t> offset(pops.size() + 1, 0);
  for (auto [i, p] : llvm::enumerate(pops)) {
    offset[i + 1] = offset[i] + int64_t(p.getSize());
    if (p.getKind() == "input")
      inputs += int64_t(p.getSize());
    if (p.getOutput())
      outputs += int64_t(p.getSize());
  }
  int64_t maxIn = getLimit("max_input_channels");
  if (maxIn && inputs > maxIn)
    return emitOpError() << "HW-V10: " << inputs
                         << " input channels exceed max_input_channels = "
                         << maxIn;
  int64_t maxOut = getLimit("max_output_neurons");
  if (maxOut && outputs > maxOut)
    return emitOpError() << "HW-V10: " << outputs
                         << " output neurons exceed max_output_neurons = "
                         << maxOut;

  std::vector<bool> placed(offset.back(), false);
  llvm::DenseMap<StringRef, CoreOp> cores;
  llvm::DenseMap<std::pair<int64_t, int64_t>, int64_t> perChipPos;
  llvm::DenseMap<int64_t, int64_t> perChip;
  int64_t cols = getLimit("mesh_cols");
  for (Operation &op : body) {
    auto core = dyn_cast<CoreOp>(op);
    if (!core)
      continue;
    cores[core.getSymName()] = core;
    // HW-V9: distinct positions, cores per chip.
    int64_t pos = int64_t(core.getY()) * cols + int64_t(core.getX());
    if (!perChipPos.try_emplace({int64_t(core.getChip()), pos}, 0).second)
      return core.emitOpError()
             << "HW-V9: another core already sits at chip " << int64_t(core.getChip())
             << ", x " << int64_t(core.getX()) << ", y " << int64_t(core.getY());
    if (++perChip[int64_t(core.getChip())] > getLimit("cores_per_chip"))
      return core.emitOpError() << "HW-V9: chip " << int64_t(core.getChip())
                                << " holds more than cores_per_chip = "
                                << getLimit("cores_per_chip") << " cores";
    // HW-V10: neurons name lif/li populations, each neuron on one core.
    SmallVector<int64_t> pop, idx;
    if (failed(readIntegers(core.getNeuronPop(), pop)) ||
        failed(readIntegers(core.getNeuronIndex(), idx)))
      return unreadable(core, "HW-V3", "neuron_pop");
    for (size_t i = 0; i < pop.size(); ++i) {
      if (pop[i] < 0 || pop[i] >= int64_t(pops.size()) ||
          pops[pop[i]].getKind() == "input" || idx[i] < 0 ||
          idx[i] >= pops[pop[i]].getSize())
        return core.emitOpError()
               << "HW-V10: neuron " << i << " names (population " << pop[i]
               << ", index " << idx[i]
               << "), not a neuron of a lif or li population";
      int64_t g = offset[pop[i]] + idx[i];
      if (placed[g])
        return core.emitOpError()
               << "HW-V10: neuron " << idx[i] << " of @"
               << pops[pop[i]].getSymName() << " is on more than one core";
      placed[g] = true;
    }
    // HW-V4: axons name input or lif neurons, once each.
    SmallVector<int64_t> apop, aidx;
    if (failed(readIntegers(core.getAxonPop(), apop)) ||
        failed(readIntegers(core.getAxonIndex(), aidx)))
      return unreadable(core, "HW-V4", "axon_pop");
    llvm::DenseSet<int64_t> seen;
    for (size_t j = 0; j < apop.size(); ++j) {
      if (apop[j] < 0 || apop[j] >= int64_t(pops.size()) ||
          pops[apop[j]].getKind() == "li" || aidx[j] < 0 ||
          aidx[j] >= pops[apop[j]].getSize())
        return core.emitOpError()
               << "HW-V4: axon " << j << " names (population " << apop[j]
               << ", index " << aidx[j]
               << "), not a neuron of an input or lif population";
      if (!seen.insert(offset[apop[j]] + aidx[j]).second)
        return core.emitOpError()
               << "HW-V4: axon " << j << " repeats source " << aidx[j]
               << " of @" << pops[apop[j]].getSymName()
               << " (axons are distinct presynaptic sources)";
    }
  }
  for (auto [i, p] : llvm::enumerate(pops)) {
    if (p.getKind() == "input")
      continue;
    for (int64_t n = 0; n < int64_t(p.getSize()); ++n)
      if (!placed[offset[i] + n])
        return p.emitOpError() << "HW-V10: neuron " << n
                               << " is on no core (every lif/li neuron "
                                  "must be mapped)";
  }
  // HW-V11: routes join two distinct cores, once per pair, with the hop
  // count of their positions.
  llvm::DenseSet<std::pair<StringRef, StringRef>> pairs;
  for (Operation &op : body) {
    auto route = dyn_cast<RouteOp>(op);
    if (!route)
      continue;
    CoreOp src = cores.lookup(route.getSource());
    CoreOp dst = cores.lookup(route.getDest());
    if (!src || !dst || src == dst)
      return route.emitOpError() << "HW-V11: 'source' and 'dest' must name "
                                    "two different cores of the system";
    if (!pairs.insert({route.getSource(), route.getDest()}).second)
      return route.emitOpError() << "HW-V11: a second route from @"
                                 << route.getSource() << " to @"
                                 << route.getDest();
    int64_t hops = std::abs((int64_t(src.getChip()) - int64_t(dst.getChip())) * cols +
                            int64_t(src.getX()) - int64_t(dst.getX())) +
                   std::abs(int64_t(src.getY()) - int64_t(dst.getY()));
    if (int64_t(route.getHops()) != hops)
      return route.emitOpError() << "HW-V11: 'hops' = " << int64_t(route.getHops())
                                 << " but the cores are " << hops
                                 << " hops apart";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// snnhw.population
//===----------------------------------------------------------------------===//

LogicalResult PopulationOp::verify() {
  StringRef kind = getKind();
  if (kind != "input" && kind != "lif" && kind != "li")
    return emitOpError() << "HW-V2: 'kind' must be \"input\", \"lif\" or "
                            "\"li\", got \""
                         << kind << "\"";
  if (int64_t(getSize()) <= 0)
    return emitOpError() << "HW-V2: 'size' must be > 0";
  if (kind == "input") {
    if (!getScale() || !std::isfinite(getScale()->convertToDouble()))
      return emitOpError() << "HW-V2: an input population needs a finite "
                              "'scale'";
    if (getEncoding() && *getEncoding() != "frames" &&
        *getEncoding() != "spikes")
      return emitOpError() << "HW-V2: 'encoding' must be \"frames\" or "
                              "\"spikes\"";
    if (getReset() || getWeightScale() || getRelay() || getOutput())
      return emitOpError() << "HW-V2: an input population has no 'reset', "
                              "'weight_scale', 'relay' or 'output'";
    return success();
  }
  if (kind == "lif" &&
      (!getReset() || (*getReset() != "hard" && *getReset() != "subtract")))
    return emitOpError() << "HW-V2: a lif population needs 'reset' = "
                            "\"hard\" or \"subtract\"";
  if (kind == "li" && (getReset() || getRelay()))
    return emitOpError() << "HW-V2: an li population has no 'reset' and is "
                            "never a relay";
  auto ws = getWeightScale();
  auto type = ws ? dyn_cast<RankedTensorType>(ws->getType()) : nullptr;
  if (!type || type.getRank() != 1 || type.getDimSize(0) != int64_t(getSize()) ||
      !type.getElementType().isF32())
    return emitOpError() << "HW-V2: 'weight_scale' must be tensor<"
                         << int64_t(getSize()) << "xf32>";
  auto dense = dyn_cast<DenseElementsAttr>(*ws);
  auto res = dyn_cast<mlir::detail::DenseResourceElementsAttrBase<float>>(*ws);
  std::optional<ArrayRef<float>> blob;
  if (res)
    blob = res.tryGetAsArrayRef();
  if (!dense && !blob)
    return unreadable(*this, "HW-V2", "weight_scale");
  auto check = [&](float v) { return std::isfinite(v) && v > 0; };
  bool ok = dense ? llvm::all_of(dense.getValues<float>(), check)
                  : llvm::all_of(*blob, check);
  if (!ok)
    return emitOpError() << "HW-V2: every 'weight_scale' must be finite and "
                            "> 0";
  return success();
}

//===----------------------------------------------------------------------===//
// snnhw.core
//===----------------------------------------------------------------------===//

LogicalResult CoreOp::verify() {
  Limits limits = limitsOf(*this);
  auto system = (*this)->getParentOfType<SystemOp>();
  // HW-V3: neuron arrays.
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
  if (n < 1 || n > limits.get("neurons_per_core"))
    return emitOpError() << "HW-V3: " << n
                         << " neurons; a core holds 1 to neurons_per_core = "
                         << limits.get("neurons_per_core");
  // HW-V9: position.
  if (int64_t(getChip()) < 0 || int64_t(getChip()) >= limits.get("max_chips") || int64_t(getX()) < 0 ||
      int64_t(getX()) >= limits.get("mesh_cols") || int64_t(getY()) < 0 ||
      int64_t(getY()) >= limits.get("mesh_rows"))
    return emitOpError() << "HW-V9: position (chip " << int64_t(getChip()) << ", x "
                         << int64_t(getX()) << ", y " << int64_t(getY())
                         << ") lies outside max_chips = "
                         << limits.get("max_chips") << " chips of "
                         << limits.get("mesh_rows") << " x "
                         << limits.get("mesh_cols") << " cores";
  // HW-V4: axon arrays.
  int64_t a = getNumAxons();
  if (failed(checkVector(*this, "HW-V4", "axon_pop", getAxonPop(), -1,
                         false)) ||
      failed(checkVector(*this, "HW-V4", "axon_index", getAxonIndex(), a,
                         false)))
    return failure();
  if (a > limits.get("axons_per_core"))
    return emitOpError() << "HW-V4: " << a
                         << " input axons exceed axons_per_core = "
                         << limits.get("axons_per_core");
  // HW-V5: synapse table.
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
  if (s > limits.get("synapses_per_core"))
    return emitOpError() << "HW-V5: " << s
                         << " synapses exceed synapses_per_core = "
                         << limits.get("synapses_per_core");
  SmallVector<int64_t> ptr;
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
  // HW-V6: weights in weight_bits; distinct values per neuron.
  int64_t bits = limits.get("weight_bits", 32);
  int64_t wmax = signedMax(bits), wmin = -wmax - 1, badW = -1, badWv = 0;
  SmallVector<int64_t> weights;
  weights.reserve(s);
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
  int64_t maxValues = limits.get("weight_values_per_neuron", 0);
  if (maxValues > 0) {
    for (int64_t i = 0; i < n; ++i) {
      llvm::SmallSet<int64_t, 8> values;
      for (int64_t k = ptr[i]; k < ptr[i + 1]; ++k)
        values.insert(weights[k]);
      if (int64_t(values.size()) > maxValues)
        return emitOpError()
               << "HW-V6: neuron " << i << " uses " << values.size()
               << " distinct weights; weight_values_per_neuron = "
               << maxValues;
    }
  }
  // HW-V7: native delays.
  int64_t maxDelay = limits.get("max_delay"), badD = -1, badDv = 0;
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
  // HW-V8: integer neuron parameters.
  int64_t stateBits = system ? int64_t(system.getStateBits()) : 32;
  int64_t thrBits = limits.get("threshold_bits", 32);
  StringRef mode = system ? system.getDecayMode() : StringRef("mul12");
  SmallVector<int64_t> thr, bias, vd, id;
  if (failed(readIntegers(getThreshold(), thr)) ||
      failed(readIntegers(getBias(), bias)) ||
      failed(readIntegers(getVDecay(), vd)) ||
      failed(readIntegers(getIDecay(), id)))
    return unreadable(*this, "HW-V8", "threshold");
  SmallVector<int64_t> biasSyn;
  if (auto attr = getBiasSyn())
    if (failed(readIntegers(*attr, biasSyn)))
      return unreadable(*this, "HW-V8", "bias_syn");
  for (int64_t i = 0; i < n; ++i) {
    if (!biasSyn.empty() && biasSyn[i] != 0 &&
        (id[i] == -1 || biasSyn[i] < -signedMax(stateBits) - 1 ||
         biasSyn[i] > signedMax(stateBits)))
      return emitOpError() << "HW-V8: neuron " << i << " has bias_syn "
                           << biasSyn[i]
                           << ", without a synaptic current (i_decay = -1) "
                              "or outside the "
                           << stateBits << "-bit state range";
    if (thr[i] < 1 || thr[i] > signedMax(std::min(thrBits, stateBits)))
      return emitOpError() << "HW-V8: neuron " << i << " has threshold "
                           << thr[i] << ", outside [1, "
                           << signedMax(std::min(thrBits, stateBits))
                           << "] (threshold_bits = " << thrBits << ")";
    if (bias[i] < -signedMax(stateBits) - 1 || bias[i] > signedMax(stateBits))
      return emitOpError() << "HW-V8: neuron " << i << " has bias " << bias[i]
                           << ", outside the " << stateBits
                           << "-bit state range";
    if (!decayInRange(mode, vd[i]) ||
        (id[i] != -1 && !decayInRange(mode, id[i])))
      return emitOpError() << "HW-V8: neuron " << i << " has decays ("
                           << vd[i] << ", " << id[i] << ") outside the "
                           << mode << " range";
    if (limits.decay() == "none" &&
        (!decayIsNoLeak(mode, vd[i]) ||
         (id[i] != -1 && !decayIsNoLeak(mode, id[i]))))
      return emitOpError() << "HW-V8: neuron " << i
                           << " leaks, but the target's decay is \"none\"";
  }
  return success();
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
