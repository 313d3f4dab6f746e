//===- MapToCores.cpp - snn-map-to-cores ----------------------------------===//
//
// Integer snn network -> snnhw.system on a target (Passes.td has the
// contract). Everything that cannot fit is diagnosed before partitioning,
// at the op it concerns, with the neuron and the limit (DESIGN.md §4).
// Zero integer weights are dropped from the core tables: they add nothing
// to SNN-I3's sum, and chips store only the synapses they need.
//
//===----------------------------------------------------------------------===//

#include "snnc/Conversion/MapToCores.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/Mapping/Mapping.h"
#include "snnc/Target/Target.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace snnc {
#define GEN_PASS_DEF_MAPTOCORESPASS
#include "snnc/Conversion/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;

namespace {

std::string targetLabel(const Target &t) { return "target '" + t.name + "'"; }

int64_t signedMax(int64_t bits) { return (int64_t(1) << (bits - 1)) - 1; }

/// A population of the network in block order.
struct Pop {
  Operation *op;
  StringRef name, kind;
  int64_t size;
  int64_t sourceOffset = -1; ///< first source id (input, lif)
  int64_t neuronOffset = -1; ///< first placed neuron id (lif, li)
  bool relay = false, output = false;
};

/// Incoming synapses of every placed neuron, over all projections.
struct Synapses {
  std::vector<int64_t> ptr;
  std::vector<int32_t> source;
  std::vector<int32_t> weight; ///< σ_a · w (SNN-I3)
  std::vector<int32_t> delay;
  std::vector<Operation *> projOf; ///< per synapse, for diagnostics
};

/// Reads the entries of one projection as (target, source, weight, delay),
/// skipping masked and zero-weight synapses.
LogicalResult forEachSynapse(
    snn::NetworkOp net, Operation *proj,
    function_ref<LogicalResult(int64_t, int64_t, int64_t, int64_t)> fn) {
  auto weight = proj->getAttrOfType<ElementsAttr>("weight");
  auto delay = proj->getAttrOfType<ElementsAttr>("delay");
  auto signAttr = proj->getAttrOfType<ElementsAttr>("sign");
  if (!weight || !delay)
    return proj->emitOpError("needs integer 'weight' and 'delay' (run "
                             "snn-discretize-delays and snn-quantize)");
  SmallVector<int64_t> w, d, sign;
  if (failed(snn::getIntegerValues(weight, w)) ||
      failed(snn::getIntegerValues(delay, d)))
    return proj->emitOpError("weights or delays are not readable integers "
                             "(is the network quantised?)");
  if (signAttr && failed(snn::getIntegerValues(signAttr, sign)))
    return proj->emitOpError("'sign' is not readable");
  auto signOf = [&](int64_t a) { return sign.empty() ? 1 : sign[a]; };
  if (auto sparse = dyn_cast<snn::SparseProjectionOp>(proj)) {
    SmallVector<int64_t> rowPtr, col;
    if (failed(snn::getIntegerValues(sparse.getRowPtr(), rowPtr)) ||
        failed(snn::getIntegerValues(sparse.getColIdx(), col)))
      return proj->emitOpError("CSR arrays are not readable");
    for (size_t b = 0; b + 1 < rowPtr.size(); ++b)
      for (int64_t k = rowPtr[b]; k < rowPtr[b + 1]; ++k)
        if (w[k] != 0 &&
            failed(fn(int64_t(b), col[k], signOf(col[k]) * w[k], d[k])))
          return failure();
    return success();
  }
  auto dense = cast<snn::ProjectionOp>(proj);
  auto type = cast<ShapedType>(weight.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<bool> mask;
  if (auto m = dense.getMask())
    if (failed(snn::getElementValues<bool>(*m, mask)))
      return proj->emitOpError("'mask' is not readable");
  for (int64_t b = 0; b < rows; ++b)
    for (int64_t a = 0; a < cols; ++a) {
      int64_t k = b * cols + a;
      if ((!mask.empty() && !mask[k]) || w[k] == 0)
        continue;
      if (failed(fn(b, a, signOf(a) * w[k], d[k])))
        return failure();
    }
  return success();
}

template <typename T>
ElementsAttr makeArray(OpBuilder &b, StringRef blob, ArrayRef<T> values,
                       Type elementType) {
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  // Small arrays stay inline so lit tests can read them; tables are blobs.
  if (values.size() <= 16)
    return cast<ElementsAttr>(DenseElementsAttr::get(type, values));
  return snn::makeResourceAttr<T>(type, blob, values);
}

/// An integer array in the narrowest of i8/i16/i32 that holds [lo, hi].
ElementsAttr makeNarrow(OpBuilder &b, StringRef blob,
                        const std::vector<int32_t> &values, int64_t lo,
                        int64_t hi) {
  if (lo >= INT8_MIN && hi <= INT8_MAX) {
    std::vector<int8_t> v(values.begin(), values.end());
    return makeArray<int8_t>(b, blob, v, b.getIntegerType(8));
  }
  if (lo >= INT16_MIN && hi <= INT16_MAX) {
    std::vector<int16_t> v(values.begin(), values.end());
    return makeArray<int16_t>(b, blob, v, b.getIntegerType(16));
  }
  return makeArray<int32_t>(b, blob, values, b.getI32Type());
}

} // namespace

LogicalResult snnc::checkChipLimits(snn::NetworkOp net, const Target &tgt) {
  std::string label = targetLabel(tgt);
  llvm::StringSet<> outputs;
  for (auto out : net.getBodyBlock().getOps<snn::OutputOp>())
    outputs.insert(out.getPopulation());
  int64_t inputs = 0, outs = 0;
  for (Operation &op : net.getBodyBlock()) {
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      inputs += int64_t(in.getSize());
      if (tgt.maxInputChannels && inputs > tgt.maxInputChannels)
        return in.emitOpError()
               << "has " << in.getSize() << " channels, but " << label
               << " accepts " << tgt.maxInputChannels
               << " input channels in all (chip.max_input_channels)";
      continue;
    }
    auto name = op.getAttrOfType<StringAttr>("sym_name");
    if (!name || !outputs.contains(name.getValue()))
      continue;
    int64_t size = snn::getPopulationSize(&op);
    outs += size;
    if (tgt.maxOutputNeurons && outs > tgt.maxOutputNeurons)
      return op.emitOpError()
             << "is an output of " << size << " neurons, but " << label
             << " has " << tgt.maxOutputNeurons
             << " output neurons in all (chip.max_output_neurons)";
  }
  return success();
}

namespace {

class MapToCores : public snnc::impl::MapToCoresPassBase<MapToCores> {
public:
  using MapToCoresPassBase::MapToCoresPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::Expected<Target> loaded = loadTarget(target);
    if (!loaded) {
      module.emitError() << "snn-map-to-cores: "
                         << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
    tgt = *loaded;
    if (maxChips > 0)
      tgt.maxChips = std::min<int64_t>(tgt.maxChips, maxChips);
    if (strategy != "metis" && strategy != "sequential") {
      module.emitError() << "snn-map-to-cores: 'strategy' must be metis or "
                            "sequential, got '"
                         << strategy << "'";
      return signalPassFailure();
    }
    if (!profile.empty() && failed(loadProfile(module)))
      return signalPassFailure();
    SmallVector<snn::NetworkOp> nets(module.getOps<snn::NetworkOp>());
    for (snn::NetworkOp net : nets)
      if (failed(mapNetwork(net)))
        return signalPassFailure();
  }

private:
  Target tgt;
  llvm::StringMap<std::vector<double>> rates;

  LogicalResult loadProfile(ModuleOp module) {
    auto buffer = llvm::MemoryBuffer::getFile(profile);
    if (!buffer)
      return module.emitError() << "snn-map-to-cores: cannot read profile '"
                                << profile << "'";
    auto json = llvm::json::parse((*buffer)->getBuffer());
    if (!json)
      return module.emitError()
             << "snn-map-to-cores: profile '" << profile
             << "' is not JSON: " << llvm::toString(json.takeError());
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Object *r = root ? root->getObject("rates") : nullptr;
    if (!r)
      return module.emitError() << "snn-map-to-cores: profile '" << profile
                                << "': expected {\"rates\": {...}}";
    for (const auto &kv : *r) {
      const llvm::json::Array *a = kv.second.getAsArray();
      if (!a)
        return module.emitError()
               << "snn-map-to-cores: profile 'rates." << kv.first.str()
               << "': expected an array of numbers";
      std::vector<double> v;
      for (const auto &e : *a) {
        auto d = e.getAsNumber();
        if (!d || !(*d >= 0))
          return module.emitError()
                 << "snn-map-to-cores: profile 'rates." << kv.first.str()
                 << "': expected numbers >= 0";
        v.push_back(*d);
      }
      rates[kv.first.str()] = std::move(v);
    }
    return success();
  }

  LogicalResult mapNetwork(snn::NetworkOp net);
};

LogicalResult MapToCores::mapNetwork(snn::NetworkOp net) {
  std::string label = targetLabel(tgt);
  if (failed(checkChipLimits(net, tgt)))
    return failure();
  // --- The network must be integer, in the target's arithmetic. ---
  if (!net.isInteger())
    return net.emitOpError()
           << "is a float network; " << label
           << " executes integer networks (run snn-lower, SNN-I*)";
  StringRef decayMode = snn::stringifyIntDecayMode(*net.getIntDecay());
  if ((tgt.decay == TargetDecay::Mul12 && decayMode != "mul12") ||
      (tgt.decay == TargetDecay::Shift && decayMode != "shift") ||
      (tgt.decay == TargetDecay::None && decayMode != "mul12"))
    return net.emitOpError()
           << "is quantised with int_decay = " << decayMode << ", but "
           << label << " decays by " << stringify(tgt.decay)
           << " (quantise with decay="
           << (tgt.decay == TargetDecay::Shift ? "shift" : "mul12") << ")";
  int64_t stateBits = *net.getIntStateBits();
  if (stateBits > tgt.stateBits)
    return net.emitOpError() << "has int_state_bits = " << stateBits
                             << ", more than the " << tgt.stateBits
                             << " state bits of " << label;

  // --- Populations. ---
  llvm::StringSet<> outputs;
  for (auto out : net.getBodyBlock().getOps<snn::OutputOp>())
    outputs.insert(out.getPopulation());
  std::vector<Pop> pops;
  llvm::StringMap<size_t> popIndex;
  int64_t numSources = 0, numNeurons = 0, inputs = 0, outs = 0;
  llvm::Regex relayName("_relay[0-9]+$");
  for (Operation &op : net.getBodyBlock()) {
    Pop p{&op, "", "", 0};
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      p.name = in.getSymName(), p.kind = "input", p.size = in.getSize();
      inputs += p.size;
    } else if (auto lif = dyn_cast<snn::LIFOp>(op)) {
      p.name = lif.getSymName(), p.kind = "lif", p.size = lif.getSize();
      p.relay = relayName.match(p.name) &&
                lif.getReset() == snn::ResetMode::subtract;
    } else if (auto li = dyn_cast<snn::LIOp>(op)) {
      p.name = li.getSymName(), p.kind = "li", p.size = li.getSize();
    } else {
      continue;
    }
    p.output = outputs.contains(p.name);
    if (p.output)
      outs += p.size;
    if (p.kind != "li") {
      p.sourceOffset = numSources;
      numSources += p.size;
    }
    if (p.kind != "input") {
      p.neuronOffset = numNeurons;
      numNeurons += p.size;
    }
    popIndex[p.name] = pops.size();
    pops.push_back(p);
  }
  if (numNeurons + numSources > INT32_MAX)
    return net.emitOpError() << "has more than 2^31 neurons";

  // --- Synapses: count, then fill, grouped by target neuron. ---
  Synapses syn;
  syn.ptr.assign(numNeurons + 1, 0);
  SmallVector<Operation *> projs;
  for (Operation &op : net.getBodyBlock())
    if (isa<snn::ProjectionOp, snn::SparseProjectionOp>(op))
      projs.push_back(&op);
  int64_t wmax = signedMax(tgt.weightBits), wmin = -wmax - 1;
  llvm::DenseMap<Operation *, ElementsAttr> scaleOf; // population -> scale
  for (Operation *proj : projs) {
    auto src = proj->getAttrOfType<FlatSymbolRefAttr>("source").getValue();
    auto dst = proj->getAttrOfType<FlatSymbolRefAttr>("target").getValue();
    Pop &tp = pops[popIndex[dst]];
    Pop &sp = pops[popIndex[src]];
    StringRef projName = proj->getAttrOfType<StringAttr>("sym_name");
    if (auto ws = proj->getAttrOfType<ElementsAttr>("weight_scale"))
      scaleOf.try_emplace(tp.op, ws);
    if (failed(forEachSynapse(
            net, proj,
            [&](int64_t b, int64_t a, int64_t w, int64_t d) -> LogicalResult {
              if (w < wmin || w > wmax)
                return proj->emitOpError()
                       << "synapse (target " << b << " of @" << tp.name
                       << ", source " << a << " of @" << sp.name
                       << ") has integer weight " << w << ", outside the "
                       << tgt.weightBits << "-bit range [" << wmin << ", "
                       << wmax << "] of " << label
                       << " (quantise with weight-bits=" << tgt.weightBits
                       << ")";
              if (d >= tgt.maxDelay)
                return proj->emitOpError()
                       << "synapse (target " << b << " of @" << tp.name
                       << ", source " << a << " of @" << sp.name
                       << ") has delay " << d << ", but " << label
                       << " holds delays below " << tgt.maxDelay
                       << (tgt.delays == DelayRealisation::Relay
                               ? " (run snn-delay-extension{max-delay=" +
                                     std::to_string(tgt.maxDelay) + "})"
                               : " and realises no longer delays "
                                 "(delay.realisation = native)");
              ++syn.ptr[tp.neuronOffset + b + 1];
              return success();
            })))
      return failure();
  }
  for (int64_t n = 0; n < numNeurons; ++n)
    syn.ptr[n + 1] += syn.ptr[n];
  int64_t total = syn.ptr.back();
  syn.source.resize(total);
  syn.weight.resize(total);
  syn.delay.resize(total);
  syn.projOf.resize(total);
  {
    std::vector<int64_t> fill(syn.ptr.begin(), syn.ptr.end() - 1);
    for (Operation *proj : projs) {
      auto src = proj->getAttrOfType<FlatSymbolRefAttr>("source").getValue();
      auto dst = proj->getAttrOfType<FlatSymbolRefAttr>("target").getValue();
      Pop &tp = pops[popIndex[dst]];
      Pop &sp = pops[popIndex[src]];
      (void)forEachSynapse(net, proj,
                           [&](int64_t b, int64_t a, int64_t w, int64_t d) {
                             int64_t k = fill[tp.neuronOffset + b]++;
                             syn.source[k] = int32_t(sp.sourceOffset + a);
                             syn.weight[k] = int32_t(w);
                             syn.delay[k] = int32_t(d);
                             syn.projOf[k] = proj;
                             return success();
                           });
    }
  }

  // --- Per-neuron limits. ---
  mapping::Graph g;
  g.numNeurons = numNeurons;
  g.sourceNeuron.assign(numSources, -1);
  g.sourceRate.assign(numSources, 1.0);
  for (Pop &p : pops) {
    if (p.kind == "lif")
      for (int64_t i = 0; i < p.size; ++i)
        g.sourceNeuron[p.sourceOffset + i] = int32_t(p.neuronOffset + i);
    if (p.sourceOffset < 0)
      continue;
    auto it = rates.find(p.name);
    if (it == rates.end())
      continue;
    if (int64_t(it->second.size()) != p.size)
      return p.op->emitOpError()
             << "has " << p.size << " neurons but the profile gives "
             << it->second.size() << " rates";
    for (int64_t i = 0; i < p.size; ++i)
      g.sourceRate[p.sourceOffset + i] = it->second[i];
  }
  g.inPtr = syn.ptr;
  g.inSource = syn.source;
  std::vector<int64_t> fanIn = mapping::distinctFanIn(g);
  int64_t synCap = tgt.synapsesPerCore();
  for (Pop &p : pops) {
    if (p.neuronOffset < 0)
      continue;
    for (int64_t i = 0; i < p.size; ++i) {
      int64_t n = p.neuronOffset + i;
      if (fanIn[n] > tgt.axonsPerCore)
        return p.op->emitOpError()
               << "neuron " << i << " has " << fanIn[n]
               << " distinct presynaptic sources, but a core of " << label
               << " has " << tgt.axonsPerCore
               << " input axons (core.axons); prune its fan-in (snn-prune "
                  "max-fan-in="
               << tgt.axonsPerCore << ")";
      int64_t count = syn.ptr[n + 1] - syn.ptr[n];
      if (count > synCap)
        return p.op->emitOpError()
               << "neuron " << i << " has " << count
               << " synapses, but a core of " << label << " holds " << synCap
               << " (core.synapse_memory)";
      if (tgt.weightValuesPerNeuron) {
        std::set<int32_t> values(syn.weight.begin() + syn.ptr[n],
                                 syn.weight.begin() + syn.ptr[n + 1]);
        if (int64_t(values.size()) > tgt.weightValuesPerNeuron)
          return p.op->emitOpError()
                 << "neuron " << i << " uses " << values.size()
                 << " distinct weights, but " << label << " allows "
                 << tgt.weightValuesPerNeuron
                 << " per neuron (core.weight_values_per_neuron)";
      }
    }
  }

  // --- Integer neuron parameters, checked against the target. ---
  std::vector<int32_t> thr(numNeurons), bias(numNeurons, 0),
      vDecay(numNeurons), iDecay(numNeurons, -1), biasSyn(numNeurons, 0);
  int64_t thrMax = signedMax(std::min(tgt.thresholdBits, stateBits));
  for (Pop &p : pops) {
    if (p.neuronOffset < 0)
      continue;
    std::optional<ElementsAttr> biasAttr, thrAttr, vdArray, idArray,
        biasSynAttr;
    std::optional<int64_t> vd, id;
    if (auto lif = dyn_cast<snn::LIFOp>(p.op)) {
      biasAttr = lif.getBias();
      biasSynAttr = lif.getBiasSyn();
      thrAttr = lif.getVThreshold();
      vd = lif.getVDecay();
      id = lif.getIDecay();
      vdArray = lif.getVDecayPerNeuron();
      idArray = lif.getIDecayPerNeuron();
    } else {
      auto li = cast<snn::LIOp>(p.op);
      biasAttr = li.getBias();
      biasSynAttr = li.getBiasSyn();
      vd = li.getVDecay();
      id = li.getIDecay();
      vdArray = li.getVDecayPerNeuron();
      idArray = li.getIDecayPerNeuron();
    }
    if (!vd || (p.kind == "lif" && !thrAttr))
      return p.op->emitOpError() << "has no integer parameters (v_decay, "
                                    "v_threshold); run snn-quantize";
    // Per-neuron decays (SNN-V23); `id` absent: no synaptic current.
    SmallVector<int64_t> vds, ids;
    if (failed(snn::getPerNeuronIntegers(vdArray, *vd, p.size, vds)) ||
        (id && failed(snn::getPerNeuronIntegers(idArray, *id, p.size, ids))))
      return p.op->emitOpError("per-neuron decays are not readable");
    for (int64_t i = 0; i < p.size && tgt.decay == TargetDecay::None; ++i)
      if (vds[i] != 0 || (!ids.empty() && ids[i] != 0))
        return p.op->emitOpError()
               << "leaks (neuron " << i << ": v_decay = " << vds[i]
               << (ids.empty() ? "" : ", i_decay = ")
               << (ids.empty() ? "" : std::to_string(ids[i])) << "), but "
               << label << " has no multiplicative leak (neuron.decay = none)";
    SmallVector<int64_t> t, bi;
    if (thrAttr && failed(snn::getIntegerValues(*thrAttr, t)))
      return p.op->emitOpError("'v_threshold' is not readable");
    if (biasAttr && failed(snn::getIntegerValues(*biasAttr, bi)))
      return p.op->emitOpError("integer 'bias' is not readable");
    SmallVector<int64_t> bs;
    if (biasSynAttr && failed(snn::getIntegerValues(*biasSynAttr, bs)))
      return p.op->emitOpError("integer 'bias_syn' is not readable");
    for (int64_t i = 0; i < p.size; ++i) {
      int64_t n = p.neuronOffset + i;
      // li neurons never spike (SNN-I8): the largest threshold records that.
      int64_t th = t.empty() ? thrMax : t[i];
      if (th > thrMax)
        return p.op->emitOpError()
               << "neuron " << i << " has threshold " << th << ", above the "
               << thrMax << " that " << label << " represents ("
               << tgt.thresholdBits << " threshold bits)";
      thr[n] = int32_t(th);
      bias[n] = bi.empty() ? 0 : int32_t(bi[i]);
      vDecay[n] = int32_t(vds[i]);
      iDecay[n] = ids.empty() ? -1 : int32_t(ids[i]);
      biasSyn[n] = bs.empty() ? 0 : int32_t(bs[i]);
    }
  }

  // --- Partition and place. ---
  mapping::Capacity cap{tgt.neuronsPerCore, tgt.axonsPerCore, synCap};
  int64_t lower = mapping::coreLowerBound(g, cap);
  int64_t coreLimit = tgt.maxCores();
  if (lower > coreLimit)
    return net.emitOpError()
           << "needs at least " << lower << " cores (" << numNeurons
           << " neurons, " << total << " synapses), but " << label
           << " offers " << coreLimit << " (" << tgt.maxChips << " chips x "
           << tgt.coresPerChip << " cores)";
  mapping::Mesh mesh{tgt.meshRows, tgt.meshCols, tgt.coresPerChip};
  mapping::Result mapped;
  std::string error;
  if (!mapping::mapGraph(g, cap, mesh, coreLimit, strategy == "metis", mapped,
                         error))
    return net.emitOpError() << "cannot be partitioned for " << label << ": "
                             << error;
  mapping::Partition &part = mapped.partition;
  std::string partitioner = mapped.partitioner;
  if (part.numCores > coreLimit)
    return net.emitOpError()
           << "needs " << part.numCores << " cores (lower bound " << lower
           << "), but " << label << " offers " << coreLimit << " ("
           << tgt.maxChips << " chips x " << tgt.coresPerChip << " cores)";
  mapping::Traffic &traffic = mapped.traffic;
  std::vector<mapping::Position> &pos = mapped.positions;

  // --- Emit the snnhw.system. ---
  OpBuilder b(net);
  MLIRContext *ctx = net.getContext();
  SmallVector<NamedAttribute> limits;
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  limits.push_back(b.getNamedAttr("neurons_per_core", i64(tgt.neuronsPerCore)));
  limits.push_back(b.getNamedAttr("axons_per_core", i64(tgt.axonsPerCore)));
  limits.push_back(b.getNamedAttr("synapses_per_core", i64(synCap)));
  limits.push_back(b.getNamedAttr("weight_bits", i64(tgt.weightBits)));
  limits.push_back(b.getNamedAttr("weight_values_per_neuron",
                                  i64(tgt.weightValuesPerNeuron)));
  limits.push_back(b.getNamedAttr("max_delay", i64(tgt.maxDelay)));
  limits.push_back(b.getNamedAttr("state_bits", i64(tgt.stateBits)));
  limits.push_back(b.getNamedAttr("threshold_bits", i64(tgt.thresholdBits)));
  limits.push_back(b.getNamedAttr("cores_per_chip", i64(tgt.coresPerChip)));
  limits.push_back(b.getNamedAttr("mesh_rows", i64(tgt.meshRows)));
  limits.push_back(b.getNamedAttr("mesh_cols", i64(tgt.meshCols)));
  limits.push_back(b.getNamedAttr("max_chips", i64(tgt.maxChips)));
  limits.push_back(
      b.getNamedAttr("max_input_channels", i64(tgt.maxInputChannels)));
  limits.push_back(
      b.getNamedAttr("max_output_neurons", i64(tgt.maxOutputNeurons)));
  limits.push_back(
      b.getNamedAttr("decay", b.getStringAttr(stringify(tgt.decay))));
  auto system = b.create<snnhw::SystemOp>(
      net.getLoc(), net.getSymNameAttr(), b.getStringAttr(tgt.name),
      b.getDictionaryAttr(limits), net.getDtAttr(), net.getStepsAttr(),
      i64(stateBits), b.getStringAttr(decayMode),
      b.getStringAttr(partitioner));
  Block *body = new Block();
  system.getBody().push_back(body);
  b.setInsertionPointToEnd(body);
  std::string sysName = net.getSymName().str();
  for (Pop &p : pops) {
    NamedAttrList attrs;
    attrs.append("sym_name", b.getStringAttr(p.name));
    attrs.append("kind", b.getStringAttr(p.kind));
    attrs.append("size", i64(p.size));
    if (auto in = dyn_cast<snn::InputOp>(p.op)) {
      attrs.append("scale", in.getScaleAttr());
      attrs.append("encoding", b.getStringAttr(snn::stringifyInputEncoding(
                                   in.getEncoding())));
    } else {
      if (auto lif = dyn_cast<snn::LIFOp>(p.op))
        attrs.append("reset",
                     b.getStringAttr(snn::stringifyResetMode(lif.getReset())));
      std::vector<float> scale(p.size, 1.0f);
      if (ElementsAttr ws = scaleOf.lookup(p.op)) {
        SmallVector<float> v;
        if (succeeded(snn::getElementValues<float>(ws, v)))
          for (int64_t i = 0; i < p.size; ++i)
            scale[i] = v.size() == 1 ? v[0] : v[i];
      }
      attrs.append("weight_scale",
                   makeArray<float>(b, sysName + "_" + p.name.str() +
                                           "_weight_scale",
                                    scale, b.getF32Type()));
      if (p.relay)
        attrs.append("relay", b.getUnitAttr());
      if (p.output)
        attrs.append("output", b.getUnitAttr());
    }
    b.create<snnhw::PopulationOp>(p.op->getLoc(), TypeRange{}, ValueRange{},
                                  attrs.getAttrs());
  }
  // Placed neurons and sources back to (population, index).
  std::vector<int32_t> neuronPop(numNeurons), neuronIdx(numNeurons);
  std::vector<int32_t> sourcePop(numSources), sourceIdx(numSources);
  for (auto [pi, p] : llvm::enumerate(pops)) {
    for (int64_t i = 0; i < p.size; ++i) {
      if (p.neuronOffset >= 0) {
        neuronPop[p.neuronOffset + i] = int32_t(pi);
        neuronIdx[p.neuronOffset + i] = int32_t(i);
      }
      if (p.sourceOffset >= 0) {
        sourcePop[p.sourceOffset + i] = int32_t(pi);
        sourceIdx[p.sourceOffset + i] = int32_t(i);
      }
    }
  }
  std::vector<std::vector<int32_t>> members(part.numCores);
  for (int64_t n = 0; n < numNeurons; ++n)
    members[part.coreOf[n]].push_back(int32_t(n));
  std::vector<int32_t> axonOf(numSources, -1), stamp(numSources, -1);
  SmallVector<std::string> coreNames;
  int64_t axonsTotal = 0, relays = 0;
  for (int64_t c = 0; c < part.numCores; ++c) {
    std::string name = "core" + std::to_string(c);
    coreNames.push_back(name);
    std::string blob = sysName + "_" + name;
    std::vector<int32_t> np, ni, th, bi, vd, id, bs, ap, ai, sa, sw, sd;
    bool anyBiasSyn = false;
    std::vector<int32_t> sources;
    for (int32_t n : members[c])
      for (int64_t k = syn.ptr[n]; k < syn.ptr[n + 1]; ++k)
        if (stamp[syn.source[k]] != c) {
          stamp[syn.source[k]] = int32_t(c);
          sources.push_back(syn.source[k]);
        }
    // Axons in source order: deterministic and easy to read.
    std::sort(sources.begin(), sources.end());
    for (auto [j, s] : llvm::enumerate(sources)) {
      axonOf[s] = int32_t(j);
      ap.push_back(sourcePop[s]);
      ai.push_back(sourceIdx[s]);
    }
    std::vector<int64_t> ptr{0};
    int64_t wlo = 0, whi = 0, dhi = 0;
    for (int32_t n : members[c]) {
      np.push_back(neuronPop[n]);
      ni.push_back(neuronIdx[n]);
      th.push_back(thr[n]);
      bi.push_back(bias[n]);
      vd.push_back(vDecay[n]);
      id.push_back(iDecay[n]);
      bs.push_back(biasSyn[n]);
      anyBiasSyn |= biasSyn[n] != 0;
      if (pops[neuronPop[n]].relay)
        ++relays;
      for (int64_t k = syn.ptr[n]; k < syn.ptr[n + 1]; ++k) {
        sa.push_back(axonOf[syn.source[k]]);
        sw.push_back(syn.weight[k]);
        sd.push_back(syn.delay[k]);
        wlo = std::min<int64_t>(wlo, syn.weight[k]);
        whi = std::max<int64_t>(whi, syn.weight[k]);
        dhi = std::max<int64_t>(dhi, syn.delay[k]);
      }
      ptr.push_back(int64_t(sa.size()));
    }
    axonsTotal += int64_t(sources.size());
    Type i32 = b.getI32Type();
    NamedAttrList attrs;
    attrs.append("sym_name", b.getStringAttr(name));
    attrs.append("chip", i64(pos[c].chip));
    attrs.append("x", i64(pos[c].x));
    attrs.append("y", i64(pos[c].y));
    attrs.append("neuron_pop", makeArray<int32_t>(b, blob + "_neuron_pop", np, i32));
    attrs.append("neuron_index",
                 makeArray<int32_t>(b, blob + "_neuron_index", ni, i32));
    attrs.append("threshold", makeArray<int32_t>(b, blob + "_threshold", th, i32));
    attrs.append("bias", makeArray<int32_t>(b, blob + "_bias", bi, i32));
    attrs.append("v_decay", makeArray<int32_t>(b, blob + "_v_decay", vd, i32));
    attrs.append("i_decay", makeArray<int32_t>(b, blob + "_i_decay", id, i32));
    // SNN-I7's synaptic bias, only on cores that have one.
    if (anyBiasSyn)
      attrs.append("bias_syn",
                   makeArray<int32_t>(b, blob + "_bias_syn", bs, i32));
    attrs.append("axon_pop", makeArray<int32_t>(b, blob + "_axon_pop", ap, i32));
    attrs.append("axon_index",
                 makeArray<int32_t>(b, blob + "_axon_index", ai, i32));
    attrs.append("syn_ptr", makeArray<int64_t>(b, blob + "_syn_ptr", ptr,
                                               b.getI64Type()));
    attrs.append("syn_axon", makeArray<int32_t>(b, blob + "_syn_axon", sa, i32));
    attrs.append("syn_weight",
                 makeNarrow(b, blob + "_syn_weight", sw, wlo, whi));
    attrs.append("syn_delay", makeNarrow(b, blob + "_syn_delay", sd, 0, dhi));
    b.create<snnhw::CoreOp>(net.getLoc(), TypeRange{}, ValueRange{},
                            attrs.getAttrs());
  }
  for (const mapping::Traffic::Edge &e : traffic.edges)
    b.create<snnhw::RouteOp>(
        net.getLoc(), FlatSymbolRefAttr::get(ctx, coreNames[e.src]),
        FlatSymbolRefAttr::get(ctx, coreNames[e.dst]), i64(e.axons),
        b.getF64FloatAttr(e.traffic),
        i64(mapping::hops(pos[e.src], pos[e.dst], mesh)));
  int64_t chips = 0;
  for (auto &p : pos)
    chips = std::max(chips, p.chip + 1);
  numCores += part.numCores;
  numChips += chips;
  this->numNeurons += numNeurons;
  numSynapses += total;
  numAxons += axonsTotal;
  numRelays += relays;
  numRoutes += traffic.edges.size();
  net.erase();
  return success();
}

} // namespace
