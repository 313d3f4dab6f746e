//===- MapToCores.cpp - snn-map-to-cores ----------------------------------===//
//
// Integer snn network -> snnhw.system on a target (Passes.td has the
// contract). Everything that cannot fit is diagnosed before partitioning,
// at the op it concerns, with the neuron and the limit (docs/design.md §4).
// Zero integer weights are dropped from the core tables: they add nothing
// to SNN-I3's sum, and chips store only the synapses they need.
//
//===----------------------------------------------------------------------===//

#include "snnc/Conversion/MapToCores.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/Import/EnumTranslation.h"
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
  StringRef name;
  snnhw::PopulationKind kind;
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
  auto projection = cast<snn::ProjectionOpInterface>(proj);
  ElementsAttr weight = projection.getWeight();
  std::optional<ElementsAttr> delay = projection.getDelay();
  std::optional<ElementsAttr> signAttr = projection.getSign();
  if (!weight || !delay)
    return proj->emitOpError("needs integer 'weight' and 'delay' (run "
                             "snn-discretize-delays and snn-quantize)");
  SmallVector<int64_t> w, d, sign;
  if (failed(snn::getIntegerValues(weight, w)) ||
      failed(snn::getIntegerValues(*delay, d)))
    return proj->emitOpError("weights or delays are not readable integers "
                             "(is the network quantised?)");
  if (signAttr && failed(snn::getIntegerValues(*signAttr, sign)))
    return proj->emitOpError("'sign' is not readable");
  // Xylo: a mantissa w stands for w·2^weight_exp (its matrix's shift,
  // SNN-X3); cores hold the effective weight, as the executors add it.
  const int64_t scale =
      net.isXyloIaf() ? int64_t(1) << projection.getWeightExp().value_or(0) : 1;
  auto signOf = [&](int64_t a) { return (sign.empty() ? 1 : sign[a]) * scale; };
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

std::optional<std::string>
snnc::parseRateProfile(StringRef text, StringRef path,
                       llvm::StringMap<std::vector<double>> &rates) {
  auto json = llvm::json::parse(text);
  if (!json)
    return ("snn-map-to-cores: profile '" + path + "' is not JSON: " +
            llvm::toString(json.takeError()))
        .str();
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *r = root ? root->getObject("rates") : nullptr;
  if (!r)
    return ("snn-map-to-cores: profile '" + path +
            "': expected {\"rates\": {...}}")
        .str();
  for (const auto &kv : *r) {
    const llvm::json::Array *a = kv.second.getAsArray();
    if (!a)
      return ("snn-map-to-cores: profile 'rates." + kv.first.str() +
              "': expected an array of numbers");
    std::vector<double> v;
    for (const auto &e : *a) {
      auto d = e.getAsNumber();
      if (!d || !(*d >= 0))
        return ("snn-map-to-cores: profile 'rates." + kv.first.str() +
                "': expected numbers >= 0");
      v.push_back(*d);
    }
    rates[kv.first.str()] = std::move(v);
  }
  return std::nullopt;
}

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
    auto population = dyn_cast<snn::PopulationOpInterface>(op);
    if (!population || !outputs.contains(population.getSymName()))
      continue;
    int64_t size = population.getSize();
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

/// Counts the pass reports as statistics.
struct MappingCounts {
  int64_t cores = 0, chips = 0, neurons = 0, synapses = 0, axons = 0,
          relays = 0, routes = 0;
};

/// The integer neuron parameters of every placed neuron (SNN-I*).
struct NeuronParameters {
  std::vector<int32_t> threshold, bias, vDecay, iDecay, biasSyn;
};

/// One network mapped onto a target, phase by phase (Passes.td's
/// contract): check the arithmetic, collect populations, synapses and
/// neuron parameters (each checked against the target), partition and
/// place, and emit the snnhw.system.
class NetworkMapper {
public:
  NetworkMapper(snn::NetworkOp net, const Target &tgt,
                snnhw::Partitioner strategy,
                const llvm::StringMap<std::vector<double>> &rates)
      : net(net), tgt(tgt), strategy(strategy), rates(rates),
        label(targetLabel(tgt)) {}

  LogicalResult run(MappingCounts &counts);

private:
  LogicalResult checkArithmetic();
  LogicalResult collectPopulations();
  LogicalResult collectSynapses();
  LogicalResult buildGraph();
  LogicalResult checkPerNeuronLimits();
  LogicalResult checkXyloSizes();
  LogicalResult collectNeuronParameters();
  LogicalResult readPopulationParameters(Pop &p);
  LogicalResult partitionAndPlace();
  void emitSystem(MappingCounts &counts);
  snnhw::LimitsAttr buildLimits(OpBuilder &b);
  void emitPopulations(OpBuilder &b);
  void emitCores(OpBuilder &b, MappingCounts &counts);
  void emitRoutes(OpBuilder &b);

  snn::NetworkOp net;
  const Target &tgt;
  snnhw::Partitioner strategy;
  const llvm::StringMap<std::vector<double>> &rates;
  std::string label;

  int64_t stateBits = 0;
  std::vector<Pop> pops;
  llvm::StringMap<size_t> popIndex;
  int64_t numSources = 0, numNeurons = 0;
  SmallVector<Operation *> projs;
  llvm::DenseMap<Operation *, ElementsAttr> scaleOf; ///< population -> scale
  Synapses syn;
  mapping::Graph graph;
  NeuronParameters params;
  mapping::Result mapped;
  mapping::Mesh mesh;
};

/// The network must be integer, in the target's decay and state bits.
LogicalResult NetworkMapper::checkArithmetic() {
  if (!net.isInteger())
    return net.emitOpError()
           << "is a float network; " << label
           << " executes integer networks (run snn-lower, SNN-I*)";
  snn::IntDecayMode decay = *net.getIntDecay(), wanted = toDialect(tgt.decay);
  if (decay != wanted)
    return net.emitOpError()
           << "is quantised with int_decay = "
           << snn::stringifyIntDecayMode(decay) << ", but " << label
           << " decays by " << stringify(tgt.decay)
           << " (quantise with decay=" << snn::stringifyIntDecayMode(wanted)
           << ")";
  stateBits = *net.getIntStateBits();
  if (stateBits > tgt.stateBits)
    return net.emitOpError() << "has int_state_bits = " << stateBits
                             << ", more than the " << tgt.stateBits
                             << " state bits of " << label;
  snn::Arithmetic arithmetic = net.getArithmetic(),
                  wantedArithmetic = toDialect(tgt.arithmetic);
  if (arithmetic != wantedArithmetic)
    return net.emitOpError()
           << "is quantised for " << snn::stringifyArithmetic(arithmetic)
           << " arithmetic, but " << label << " computes with "
           << stringify(tgt.arithmetic)
           << " (quantise with arithmetic=" << stringify(tgt.arithmetic) << ")";
  // A core sums a neuron's synapses into one input; Lava shifts each
  // projection's sum by its own exponent first, which equals that only for
  // exponent 0 (snn-quantize's choice, SNN-L rules).
  if (net.isLavaCuba())
    for (auto proj : net.getBodyBlock().getOps<snn::ProjectionOpInterface>())
      if (proj.getWeightExp().value_or(0) != 0)
        return proj->emitOpError()
               << "has weight_exp = " << *proj.getWeightExp() << "; " << label
               << " maps Lava projections with weight_exp 0 only (a core "
                  "keeps one input sum per neuron, not one per projection)";
  return success();
}

/// Populations in block order, numbered as sources (input, lif) and as
/// placed neurons (lif, li).
LogicalResult NetworkMapper::collectPopulations() {
  llvm::StringSet<> outputs;
  for (auto out : net.getBodyBlock().getOps<snn::OutputOp>())
    outputs.insert(out.getPopulation());
  llvm::Regex relayName("_relay[0-9]+$");
  for (Operation &op : net.getBodyBlock()) {
    Pop p{&op, "", snnhw::PopulationKind::input, 0};
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      p.name = in.getSymName(), p.size = in.getSize();
    } else if (auto lif = dyn_cast<snn::LIFOp>(op)) {
      p.name = lif.getSymName(), p.kind = snnhw::PopulationKind::lif;
      p.size = lif.getSize();
      p.relay = relayName.match(p.name) &&
                lif.getReset() == snn::ResetMode::subtract;
    } else if (auto li = dyn_cast<snn::LIOp>(op)) {
      p.name = li.getSymName(), p.kind = snnhw::PopulationKind::li;
      p.size = li.getSize();
    } else {
      continue;
    }
    p.output = outputs.contains(p.name);
    if (p.kind != snnhw::PopulationKind::li) {
      p.sourceOffset = numSources;
      numSources += p.size;
    }
    if (p.kind != snnhw::PopulationKind::input) {
      p.neuronOffset = numNeurons;
      numNeurons += p.size;
    }
    popIndex[p.name] = pops.size();
    pops.push_back(p);
  }
  if (numNeurons + numSources > INT32_MAX)
    return net.emitOpError() << "has more than 2^31 neurons";
  return success();
}

/// Every synapse grouped by target neuron: counted (and checked against the
/// weight bits and delay slots) in a first pass, filled in a second.
LogicalResult NetworkMapper::collectSynapses() {
  syn.ptr.assign(numNeurons + 1, 0);
  for (Operation &op : net.getBodyBlock())
    if (isa<snn::ProjectionOpInterface>(op))
      projs.push_back(&op);
  for (Operation *proj : projs) {
    auto projection = cast<snn::ProjectionOpInterface>(proj);
    Pop &tp = pops[popIndex[projection.getTarget()]];
    Pop &sp = pops[popIndex[projection.getSource()]];
    // Xylo's mantissas are shifted by the matrix's shift (SNN-X3): the
    // range applies to the mantissa.
    const int64_t shift =
        net.isXyloIaf() ? projection.getWeightExp().value_or(0) : 0;
    int64_t wmax = signedMax(tgt.weightBits) * (int64_t(1) << shift),
            wmin = (-signedMax(tgt.weightBits) - 1) * (int64_t(1) << shift);
    if (std::optional<ElementsAttr> ws = projection.getWeightScale())
      scaleOf.try_emplace(tp.op, *ws);
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
  std::vector<int64_t> fill(syn.ptr.begin(), syn.ptr.end() - 1);
  for (Operation *proj : projs) {
    auto projection = cast<snn::ProjectionOpInterface>(proj);
    Pop &tp = pops[popIndex[projection.getTarget()]];
    Pop &sp = pops[popIndex[projection.getSource()]];
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
  return success();
}

/// The partitioner's graph: incoming synapses per neuron, the neuron behind
/// each spiking source, and each source's spike rate from the profile.
LogicalResult NetworkMapper::buildGraph() {
  graph.numNeurons = numNeurons;
  graph.sourceNeuron.assign(numSources, -1);
  graph.sourceRate.assign(numSources, 1.0);
  for (Pop &p : pops) {
    if (p.kind == snnhw::PopulationKind::lif)
      for (int64_t i = 0; i < p.size; ++i)
        graph.sourceNeuron[p.sourceOffset + i] = int32_t(p.neuronOffset + i);
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
      graph.sourceRate[p.sourceOffset + i] = it->second[i];
  }
  graph.inPtr = syn.ptr;
  graph.inSource = syn.source;
  return success();
}

/// What one neuron needs of a single core: axons, synapse memory and
/// distinct weight values.
LogicalResult NetworkMapper::checkPerNeuronLimits() {
  std::vector<int64_t> fanIn = mapping::distinctFanIn(graph);
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
      if (!tgt.weightValuesPerNeuron)
        continue;
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
  return success();
}

/// Xylo Audio 2's sizes (HW-V16), checked before partitioning so that a
/// network too big for Xylo is refused with Xylo's limit rather than a core
/// count: at most 16 input channels, 8 output neurons (li) and 1000 hidden
/// neurons, including one relay per step of each source's longest delay
/// (SNN-X13: Xylo has no synaptic delays).
LogicalResult NetworkMapper::checkXyloSizes() {
  if (!net.isXyloIaf())
    return success();
  int64_t inputs = 0, hidden = 0, outputs = 0;
  for (Pop &p : pops)
    (p.kind == snnhw::PopulationKind::input ? inputs
     : p.kind == snnhw::PopulationKind::lif ? hidden
                                            : outputs) += p.size;
  if (inputs > snn::xylo::kMaxInputs)
    return net.emitOpError()
           << "has " << inputs << " input channels, but " << label
           << " (Xylo) has " << snn::xylo::kMaxInputs;
  if (outputs > snn::xylo::kMaxOutputs)
    return net.emitOpError()
           << "has " << outputs << " li (output) neurons, but " << label
           << " (Xylo) has " << snn::xylo::kMaxOutputs << " output neurons";
  std::vector<int32_t> longest(numSources, 0);
  for (size_t k = 0; k < syn.delay.size(); ++k)
    longest[syn.source[k]] = std::max(longest[syn.source[k]], syn.delay[k]);
  int64_t relays = 0, delayed = 0;
  for (int32_t d : longest) {
    relays += d;
    delayed += d > 0;
  }
  if (hidden + relays > snn::xylo::kMaxHidden)
    return net.emitOpError()
           << "needs " << hidden + relays << " hidden neurons (" << hidden
           << " lif neurons and " << relays << " relay neurons for the delays "
           << "of " << delayed << " sources, one per step of each source's "
           << "longest delay), but " << label << " (Xylo) has "
           << snn::xylo::kMaxHidden << " hidden neurons";
  return success();
}

LogicalResult NetworkMapper::collectNeuronParameters() {
  params.threshold.assign(numNeurons, 0);
  params.bias.assign(numNeurons, 0);
  params.vDecay.assign(numNeurons, 0);
  params.iDecay.assign(numNeurons, -1);
  params.biasSyn.assign(numNeurons, 0);
  for (Pop &p : pops)
    if (p.neuronOffset >= 0 && failed(readPopulationParameters(p)))
      return failure();
  return success();
}

/// The integer parameters of one lif/li population, checked against the
/// target's leak and threshold bits.
LogicalResult NetworkMapper::readPopulationParameters(Pop &p) {
  // Lava's threshold is a 17-bit mantissa (SNN-V27); an li readout is a
  // CUBA neuron with the largest one (SNN-L rules).
  int64_t thrMax = net.isLavaCuba()
                       ? snn::lava::kMaxThreshold
                       : signedMax(std::min(tgt.thresholdBits, stateBits));
  std::optional<ElementsAttr> biasAttr, thrAttr, vdArray, idArray, biasSynAttr;
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
  if (!vd || (p.kind == snnhw::PopulationKind::lif && !thrAttr))
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
  SmallVector<int64_t> t, bi, bs;
  if (thrAttr && failed(snn::getIntegerValues(*thrAttr, t)))
    return p.op->emitOpError("'v_threshold' is not readable");
  if (biasAttr && failed(snn::getIntegerValues(*biasAttr, bi)))
    return p.op->emitOpError("integer 'bias' is not readable");
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
    params.threshold[n] = int32_t(th);
    params.bias[n] = bi.empty() ? 0 : int32_t(bi[i]);
    params.vDecay[n] = int32_t(vds[i]);
    params.iDecay[n] = ids.empty() ? -1 : int32_t(ids[i]);
    params.biasSyn[n] = bs.empty() ? 0 : int32_t(bs[i]);
  }
  return success();
}

LogicalResult NetworkMapper::partitionAndPlace() {
  mapping::Capacity cap{tgt.neuronsPerCore, tgt.axonsPerCore,
                        tgt.synapsesPerCore()};
  int64_t lower = mapping::coreLowerBound(graph, cap);
  int64_t coreLimit = tgt.maxCores();
  if (lower > coreLimit)
    return net.emitOpError()
           << "needs at least " << lower << " cores (" << numNeurons
           << " neurons, " << syn.ptr.back() << " synapses), but " << label
           << " offers " << coreLimit << " (" << tgt.maxChips << " chips x "
           << tgt.coresPerChip << " cores)";
  mesh = mapping::Mesh{tgt.meshRows, tgt.meshCols, tgt.coresPerChip};
  std::string error;
  if (!mapping::mapGraph(graph, cap, mesh, coreLimit,
                         strategy == snnhw::Partitioner::metis, mapped, error))
    return net.emitOpError() << "cannot be partitioned for " << label << ": "
                             << error;
  if (mapped.partition.numCores > coreLimit)
    return net.emitOpError()
           << "needs " << mapped.partition.numCores << " cores (lower bound "
           << lower << "), but " << label << " offers " << coreLimit << " ("
           << tgt.maxChips << " chips x " << tgt.coresPerChip << " cores)";
  return success();
}

snnhw::LimitsAttr NetworkMapper::buildLimits(OpBuilder &b) {
  return snnhw::LimitsAttr::get(
      b.getContext(), tgt.neuronsPerCore, tgt.axonsPerCore,
      tgt.synapsesPerCore(), tgt.weightBits, tgt.weightValuesPerNeuron,
      tgt.maxDelay, tgt.stateBits, tgt.thresholdBits, tgt.coresPerChip,
      tgt.meshRows, tgt.meshCols, tgt.maxChips, tgt.maxInputChannels,
      tgt.maxOutputNeurons, toHardware(tgt.decay));
}

void NetworkMapper::emitPopulations(OpBuilder &b) {
  std::string sysName = net.getSymName().str();
  for (Pop &p : pops) {
    auto pop = b.create<snnhw::PopulationOp>(
        p.op->getLoc(), b.getStringAttr(p.name),
        snnhw::PopulationKindAttr::get(b.getContext(), p.kind),
        b.getI64IntegerAttr(p.size), FloatAttr(), snn::InputEncodingAttr(),
        snn::ResetModeAttr(), ElementsAttr(), UnitAttr(), UnitAttr());
    if (auto in = dyn_cast<snn::InputOp>(p.op)) {
      pop.setScaleAttr(in.getScaleAttr());
      pop.setEncoding(in.getEncoding());
      continue;
    }
    if (auto lif = dyn_cast<snn::LIFOp>(p.op))
      pop.setReset(lif.getReset());
    std::vector<float> scale(p.size, 1.0f);
    if (ElementsAttr ws = scaleOf.lookup(p.op)) {
      SmallVector<float> v;
      if (succeeded(snn::getElementValues<float>(ws, v)))
        for (int64_t i = 0; i < p.size; ++i)
          scale[i] = v.size() == 1 ? v[0] : v[i];
    }
    pop.setWeightScaleAttr(
        makeArray<float>(b, sysName + "_" + p.name.str() + "_weight_scale",
                         scale, b.getF32Type()));
    pop.setRelay(p.relay);
    pop.setOutput(p.output);
  }
}

void NetworkMapper::emitCores(OpBuilder &b, MappingCounts &counts) {
  mapping::Partition &part = mapped.partition;
  std::vector<mapping::Position> &pos = mapped.positions;
  std::string sysName = net.getSymName().str();
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
  for (int64_t c = 0; c < part.numCores; ++c) {
    std::string name = "core" + std::to_string(c);
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
      th.push_back(params.threshold[n]);
      bi.push_back(params.bias[n]);
      vd.push_back(params.vDecay[n]);
      id.push_back(params.iDecay[n]);
      bs.push_back(params.biasSyn[n]);
      anyBiasSyn |= params.biasSyn[n] != 0;
      if (pops[neuronPop[n]].relay)
        ++counts.relays;
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
    counts.axons += int64_t(sources.size());
    Type i32 = b.getI32Type();
    auto array = [&](StringRef field, ArrayRef<int32_t> values) {
      return makeArray<int32_t>(b, blob + "_" + field.str(), values, i32);
    };
    // SNN-I7's synaptic bias, only on cores that have one.
    b.create<snnhw::CoreOp>(
        net.getLoc(), b.getStringAttr(name), b.getI64IntegerAttr(pos[c].chip),
        b.getI64IntegerAttr(pos[c].x), b.getI64IntegerAttr(pos[c].y),
        array("neuron_pop", np), array("neuron_index", ni),
        array("threshold", th), array("bias", bi), array("v_decay", vd),
        array("i_decay", id), array("axon_pop", ap), array("axon_index", ai),
        makeArray<int64_t>(b, blob + "_syn_ptr", ptr, b.getI64Type()),
        array("syn_axon", sa),
        makeNarrow(b, blob + "_syn_weight", sw, wlo, whi),
        makeNarrow(b, blob + "_syn_delay", sd, 0, dhi),
        anyBiasSyn ? array("bias_syn", bs) : ElementsAttr());
  }
}

void NetworkMapper::emitRoutes(OpBuilder &b) {
  MLIRContext *ctx = net.getContext();
  std::vector<mapping::Position> &pos = mapped.positions;
  auto coreRef = [&](int64_t c) {
    return FlatSymbolRefAttr::get(ctx, "core" + std::to_string(c));
  };
  for (const mapping::Traffic::Edge &e : mapped.traffic.edges)
    b.create<snnhw::RouteOp>(
        net.getLoc(), coreRef(e.src), coreRef(e.dst),
        b.getI64IntegerAttr(e.axons), b.getF64FloatAttr(e.traffic),
        b.getI64IntegerAttr(mapping::hops(pos[e.src], pos[e.dst], mesh)));
}

/// Replaces the network by its snnhw.system.
void NetworkMapper::emitSystem(MappingCounts &counts) {
  OpBuilder b(net);
  auto system = b.create<snnhw::SystemOp>(
      net.getLoc(), net.getSymNameAttr(), b.getStringAttr(tgt.name),
      buildLimits(b), net.getDtAttr(), net.getStepsAttr(),
      b.getI64IntegerAttr(stateBits),
      snn::IntDecayModeAttr::get(b.getContext(), *net.getIntDecay()),
      snnhw::PartitionerAttr::get(
          b.getContext(), *snnhw::symbolizePartitioner(mapped.partitioner)),
      net.getIntArithmeticAttr());
  b.setInsertionPointToEnd(&system.getBody().emplaceBlock());
  emitPopulations(b);
  emitCores(b, counts);
  emitRoutes(b);
  for (auto &p : mapped.positions)
    counts.chips = std::max(counts.chips, p.chip + 1);
  counts.cores = mapped.partition.numCores;
  counts.neurons = numNeurons;
  counts.synapses = syn.ptr.back();
  counts.routes = int64_t(mapped.traffic.edges.size());
  net.erase();
}

LogicalResult NetworkMapper::run(MappingCounts &counts) {
  if (failed(checkChipLimits(net, tgt)) || failed(checkArithmetic()) ||
      failed(collectPopulations()) || failed(collectSynapses()) ||
      failed(buildGraph()) || failed(checkPerNeuronLimits()) ||
      failed(checkXyloSizes()) || failed(collectNeuronParameters()) ||
      failed(partitionAndPlace()))
    return failure();
  emitSystem(counts);
  return success();
}

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
    Target tgt = *loaded;
    if (maxChips > 0)
      tgt.maxChips = std::min<int64_t>(tgt.maxChips, maxChips);
    if (!profile.empty() && failed(loadProfile(module)))
      return signalPassFailure();
    SmallVector<snn::NetworkOp> nets(module.getOps<snn::NetworkOp>());
    for (snn::NetworkOp net : nets) {
      MappingCounts counts;
      if (failed(NetworkMapper(net, tgt, strategy, rates).run(counts)))
        return signalPassFailure();
      numCores += counts.cores;
      numChips += counts.chips;
      numNeurons += counts.neurons;
      numSynapses += counts.synapses;
      numAxons += counts.axons;
      numRelays += counts.relays;
      numRoutes += counts.routes;
    }
  }

private:
  llvm::StringMap<std::vector<double>> rates;

  LogicalResult loadProfile(ModuleOp module) {
    auto buffer = llvm::MemoryBuffer::getFile(profile);
    if (!buffer)
      return module.emitError()
             << "snn-map-to-cores: cannot read profile '" << profile << "'";
    if (std::optional<std::string> error =
            parseRateProfile((*buffer)->getBuffer(), profile, rates))
      return module.emitError() << *error;
    return success();
  }
};

} // namespace
