//===- SNNOps.cpp - Ops of the snn dialect and their verifiers ------------===//
//
// Every diagnostic names the rule of docs/semantics.md it enforces
// ("SNN-V11: ...") and its test in test/Dialect/SNN/invalid.mlir.
//
//===----------------------------------------------------------------------===//

#include "snn/SNNOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace snnc::snn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace snnc::snn {

template <typename T>
LogicalResult getElementValues(ElementsAttr attr, SmallVectorImpl<T> &out) {
  out.clear();
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.tryGetValues<T>();
    if (failed(values))
      return failure();
    out.reserve(dense.getNumElements());
    for (T v : *values)
      out.push_back(v);
    return success();
  }
  if (auto resource =
          llvm::dyn_cast<mlir::detail::DenseResourceElementsAttrBase<T>>(
              attr)) {
    std::optional<ArrayRef<T>> values = resource.tryGetAsArrayRef();
    // MLIR does not check a blob against its type: a blob of a truncated or
    // edited file may hold fewer elements than tensor<...> says, and every
    // reader indexes by the type's shape.
    if (!values || int64_t(values->size()) != resource.getNumElements())
      return failure();
    out.append(values->begin(), values->end());
    return success();
  }
  return failure();
}

template <typename T>
ElementsAttr makeResourceAttr(ShapedType type, StringRef blobName,
                              ArrayRef<T> values) {
  // The key is printed as a bare identifier (letter or '_' first, then
  // letters, digits, '_', '$', '.'); population names from NIR files ("0",
  // "1.lif") are not, and IR with such keys would not parse back.
  std::string key = blobName.str();
  for (char &c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$' &&
        c != '.')
      c = '_';
  if (key.empty() ||
      !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_'))
    key.insert(0, "_");
  Attribute attr = mlir::detail::DenseResourceElementsAttrBase<T>::get(
      type, key, HeapAsmResourceBlob::allocateAndCopyInferAlign(values));
  return llvm::cast<ElementsAttr>(attr);
}

template LogicalResult getElementValues<float>(ElementsAttr,
                                               SmallVectorImpl<float> &);
template LogicalResult getElementValues<double>(ElementsAttr,
                                                SmallVectorImpl<double> &);
template LogicalResult getElementValues<int8_t>(ElementsAttr,
                                                SmallVectorImpl<int8_t> &);
template LogicalResult getElementValues<int16_t>(ElementsAttr,
                                                 SmallVectorImpl<int16_t> &);
template LogicalResult getElementValues<int32_t>(ElementsAttr,
                                                 SmallVectorImpl<int32_t> &);
template LogicalResult getElementValues<int64_t>(ElementsAttr,
                                                 SmallVectorImpl<int64_t> &);
template LogicalResult getElementValues<bool>(ElementsAttr,
                                              SmallVectorImpl<bool> &);
template ElementsAttr makeResourceAttr<float>(ShapedType, StringRef,
                                              ArrayRef<float>);
template ElementsAttr makeResourceAttr<double>(ShapedType, StringRef,
                                               ArrayRef<double>);
template ElementsAttr makeResourceAttr<int8_t>(ShapedType, StringRef,
                                               ArrayRef<int8_t>);
template ElementsAttr makeResourceAttr<int16_t>(ShapedType, StringRef,
                                                ArrayRef<int16_t>);
template ElementsAttr makeResourceAttr<int32_t>(ShapedType, StringRef,
                                                ArrayRef<int32_t>);
template ElementsAttr makeResourceAttr<int64_t>(ShapedType, StringRef,
                                                ArrayRef<int64_t>);
template ElementsAttr makeResourceAttr<bool>(ShapedType, StringRef,
                                             ArrayRef<bool>);

template <typename T>
static LogicalResult widen(ElementsAttr attr, SmallVectorImpl<int64_t> &out) {
  SmallVector<T> values;
  if (failed(getElementValues<T>(attr, values)))
    return failure();
  out.assign(values.begin(), values.end());
  return success();
}

LogicalResult getIntegerValues(ElementsAttr attr,
                               SmallVectorImpl<int64_t> &out) {
  out.clear();
  auto type = llvm::dyn_cast<IntegerType>(attr.getElementType());
  if (!type)
    return failure();
  switch (type.getWidth()) {
  case 8:
    return widen<int8_t>(attr, out);
  case 16:
    return widen<int16_t>(attr, out);
  case 32:
    return widen<int32_t>(attr, out);
  case 64:
    return getElementValues<int64_t>(attr, out);
  default:
    return failure();
  }
}

LogicalResult getPerNeuronValues(std::optional<ElementsAttr> array,
                                 double scalar, int64_t size,
                                 SmallVectorImpl<double> &out) {
  if (!array) {
    out.assign(size_t(size), scalar);
    return success();
  }
  if (failed(getElementValues<double>(*array, out)) ||
      int64_t(out.size()) != size)
    return failure();
  return success();
}

LogicalResult getPerNeuronIntegers(std::optional<ElementsAttr> array,
                                   int64_t scalar, int64_t size,
                                   SmallVectorImpl<int64_t> &out) {
  if (!array) {
    out.assign(size_t(size), scalar);
    return success();
  }
  if (failed(getIntegerValues(*array, out)) || int64_t(out.size()) != size)
    return failure();
  return success();
}

PopulationOpInterface lookupPopulation(NetworkOp network,
                                       FlatSymbolRefAttr ref) {
  if (!network || !ref)
    return nullptr;
  return dyn_cast_or_null<PopulationOpInterface>(
      SymbolTable::lookupSymbolIn(network, ref.getAttr()));
}

int64_t getPopulationSize(Operation *population) {
  if (auto pop = dyn_cast<PopulationOpInterface>(population))
    return pop.getSize();
  return -1;
}

} // namespace snnc::snn

//===----------------------------------------------------------------------===//
// Interfaces
//===----------------------------------------------------------------------===//

#include "snn/SNNInterfaces.cpp.inc"

LogicalResult
NeuronPopulationOpInterface::getTauMemValues(SmallVectorImpl<double> &out) {
  return getPerNeuronValues(getTauMemPerNeuron(), getTauMem().convertToDouble(),
                            getSize(), out);
}

LogicalResult
NeuronPopulationOpInterface::getTauSynValues(SmallVectorImpl<double> &out) {
  std::optional<APFloat> tauSyn = getTauSyn();
  if (!tauSyn)
    return failure();
  return getPerNeuronValues(getTauSynPerNeuron(), tauSyn->convertToDouble(),
                            getSize(), out);
}

PopulationOpInterface ProjectionOpInterface::getSourcePopulation() {
  return lookupPopulation(getOperation()->getParentOfType<NetworkOp>(),
                          getSourceAttr());
}

PopulationOpInterface ProjectionOpInterface::getTargetPopulation() {
  return lookupPopulation(getOperation()->getParentOfType<NetworkOp>(),
                          getTargetAttr());
}

LogicalResult
ProjectionOpInterface::getWeightValues(SmallVectorImpl<double> &out) {
  out.clear();
  ElementsAttr weight = getWeight();
  if (weight.getElementType().isF32()) {
    SmallVector<float> values;
    if (failed(getElementValues(weight, values)))
      return failure();
    out.assign(values.begin(), values.end());
    return success();
  }
  SmallVector<int64_t> values;
  if (failed(getIntegerValues(weight, values)))
    return failure();
  out.assign(values.begin(), values.end());
  return success();
}

namespace {

/// Numbers in diagnostics read as users wrote them ("0.005", "inf").
std::string num(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", value);
  return buf;
}

std::string shapeString(ArrayRef<int64_t> shape, Type elementType) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tensor<";
  for (int64_t d : shape)
    os << d << "x";
  os << elementType << ">";
  return s;
}

/// Checks that `attr` is a tensor of exactly `shape` and `elementType`.
LogicalResult checkTensor(Operation *op, StringRef rule, StringRef name,
                          ElementsAttr attr, ArrayRef<int64_t> shape,
                          Type elementType) {
  auto type = llvm::dyn_cast<RankedTensorType>(attr.getShapedType());
  if (!type || type.getShape() != shape || type.getElementType() != elementType)
    return op->emitOpError() << rule << ": '" << name << "' must be "
                             << shapeString(shape, elementType) << ", got "
                             << attr.getShapedType();
  return success();
}

template <typename T>
LogicalResult readValues(Operation *op, StringRef rule, StringRef name,
                         ElementsAttr attr, SmallVectorImpl<T> &out) {
  if (succeeded(getElementValues(attr, out)))
    return success();
  return op->emitOpError() << rule << ": '" << name
                           << "' has no readable data (a dense_resource "
                              "without a blob, a blob whose size does not "
                              "match its type, or an unsupported storage)";
}

/// Reads a float tensor and checks every value is finite.
LogicalResult readFinite(Operation *op, StringRef rule, StringRef name,
                         ElementsAttr attr, SmallVectorImpl<float> &out) {
  if (failed(readValues(op, rule, name, attr, out)))
    return failure();
  for (size_t i = 0; i < out.size(); ++i)
    if (!std::isfinite(out[i]))
      return op->emitOpError() << rule << ": '" << name << "' element " << i
                               << " is " << num(out[i]) << " (must be finite)";
  return success();
}

LogicalResult checkFiniteVector(Operation *op, StringRef rule, StringRef name,
                                ElementsAttr attr, int64_t size) {
  auto f32 = Float32Type::get(op->getContext());
  if (failed(checkTensor(op, rule, name, attr, {size}, f32)))
    return failure();
  SmallVector<float> values;
  return readFinite(op, rule, name, attr, values);
}

NetworkOp parentNetwork(Operation *op) {
  return op->getParentOfType<NetworkOp>();
}

/// SNN-V4: time constants are positive and, for linear decay, no shorter
/// than dt so that β = 1 − dt/τ stays in [0, 1).
LogicalResult checkTimeConstant(Operation *op, StringRef name, double tau) {
  if (!std::isfinite(tau) || tau <= 0)
    return op->emitOpError() << "SNN-V4: '" << name
                             << "' must be finite and > 0, got " << num(tau);
  NetworkOp net = parentNetwork(op);
  if (net && net.getDecay() == DecayMode::linear &&
      tau < net.getDt().convertToDouble())
    return op->emitOpError()
           << "SNN-V4: '" << name << "' = " << num(tau)
           << " is shorter than dt = " << num(net.getDt().convertToDouble())
           << ", so the linear decay 1 - dt/tau would be negative";
  return success();
}

LogicalResult checkSize(Operation *op, int64_t size) {
  if (size <= 0)
    return op->emitOpError() << "SNN-V3: 'size' must be > 0, got " << size;
  return success();
}

/// SNN-V8: the endpoints of a projection, with their sizes.
LogicalResult checkEndpoints(ProjectionOpInterface proj,
                             SymbolTableCollection &symbolTable,
                             int64_t &sourceSize, int64_t &targetSize) {
  NetworkOp net = parentNetwork(proj);
  auto lookup = [&](FlatSymbolRefAttr ref) {
    return dyn_cast_or_null<PopulationOpInterface>(
        symbolTable.lookupSymbolIn(net, ref.getAttr()));
  };
  FlatSymbolRefAttr source = proj.getSourceAttr();
  FlatSymbolRefAttr target = proj.getTargetAttr();
  PopulationOpInterface src = lookup(source), dst = lookup(target);
  if (!src)
    return proj->emitOpError() << "SNN-V8: source " << source
                               << " does not name a population of the network";
  if (!dst)
    return proj->emitOpError() << "SNN-V8: target " << target
                               << " does not name a population of the network";
  if (!src.emitsSpikes())
    return proj->emitOpError() << "SNN-V8: source " << source
                               << " is an LI readout, which emits no spikes";
  if (isa<InputOp>(dst))
    return proj->emitOpError()
           << "SNN-V8: target " << target << " is an input population";
  sourceSize = src.getSize();
  targetSize = dst.getSize();
  return success();
}

/// SNN-V10 and SNN-V12's form: `max_delay`, one of integer `delay` and
/// DCLS `position`, and `sigma` exactly with `position`.
LogicalResult checkDelayForm(ProjectionOpInterface proj) {
  int64_t maxDelay = proj.getMaxDelay();
  if (maxDelay < 1)
    return proj->emitOpError()
           << "SNN-V10: 'max_delay' must be >= 1, got " << maxDelay;
  std::optional<ElementsAttr> delay = proj.getDelay();
  if (delay.has_value() == proj.getPosition().has_value())
    return proj->emitOpError()
           << "SNN-V10: exactly one of 'delay' (integer) and 'position' (DCLS) "
              "must be given";
  std::optional<APFloat> sigma = proj.getSigma();
  if (delay) {
    if (sigma)
      return proj->emitOpError()
             << "SNN-V12: 'sigma' belongs to DCLS 'position', not to integer "
                "'delay'";
    return success();
  }
  if (!sigma)
    return proj->emitOpError() << "SNN-V12: DCLS 'position' needs 'sigma'";
  double s = sigma->convertToDouble();
  if (!std::isfinite(s) || s < 0)
    return proj->emitOpError()
           << "SNN-V12: 'sigma' must be finite and >= 0, got " << num(s);
  return success();
}

/// SNN-V11 and SNN-V12's values: the delays or DCLS positions of a
/// projection whose form checkDelayForm accepted. `shape` is the shape of
/// `weight`.
LogicalResult checkDelayValues(ProjectionOpInterface proj,
                               ArrayRef<int64_t> shape) {
  Operation *op = proj;
  MLIRContext *ctx = op->getContext();
  int64_t maxDelay = proj.getMaxDelay();
  if (std::optional<ElementsAttr> delay = proj.getDelay()) {
    if (failed(checkTensor(op, "SNN-V11", "delay", *delay, shape,
                           IntegerType::get(ctx, 32))))
      return failure();
    SmallVector<int32_t> values;
    if (failed(readValues(op, "SNN-V11", "delay", *delay, values)))
      return failure();
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i] < 0 || values[i] >= maxDelay)
        return op->emitOpError()
               << "SNN-V11: delay of synapse " << i << " is " << values[i]
               << ", outside [0, max_delay = " << maxDelay << ")";
    return success();
  }
  ElementsAttr position = *proj.getPosition();
  if (failed(checkTensor(op, "SNN-V12", "position", position, shape,
                         Float32Type::get(ctx))))
    return failure();
  SmallVector<float> values;
  if (failed(readFinite(op, "SNN-V12", "position", position, values)))
    return failure();
  double h = (maxDelay - 1) / 2.0;
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] < -h || values[i] > h)
      return op->emitOpError()
             << "SNN-V12: position of synapse " << i << " is " << num(values[i])
             << ", outside [-" << num(h) << ", " << num(h)
             << "] for max_delay = " << maxDelay;
  return success();
}

/// Whether `op` lies in an integer network (SNN-I1), and its state bits.
std::optional<int64_t> integerStateBits(Operation *op) {
  NetworkOp net = parentNetwork(op);
  if (!net)
    return std::nullopt;
  return net.getIntStateBits();
}

/// Whether `op` lies in a network under Lava's arithmetic.
bool underLava(Operation *op) {
  NetworkOp net = parentNetwork(op);
  return net && net.isLavaCuba();
}

/// Whether `op` lies in a network under Xylo's arithmetic.
bool underXylo(Operation *op) {
  NetworkOp net = parentNetwork(op);
  return net && net.isXyloIaf();
}

/// SNN-V26: a projection has `weight_exp` exactly under Lava's arithmetic
/// (Dense's exponent) or Xylo's (its matrix's weight shift), within the
/// vendor's range, with mantissas of at most 8 bits.
LogicalResult checkWeightExponent(ProjectionOpInterface proj) {
  Operation *op = proj;
  std::optional<int64_t> exp = proj.getWeightExp();
  bool lavaNet = underLava(op), xyloNet = underXylo(op);
  if (!lavaNet && !xyloNet) {
    if (exp)
      return op->emitOpError() << "SNN-V26: 'weight_exp' belongs to networks "
                                  "under Lava's or Xylo's arithmetic";
    return success();
  }
  StringRef vendor = lavaNet ? "Lava's" : "Xylo's";
  if (!exp)
    return op->emitOpError() << "SNN-V26: under " << vendor
                             << " arithmetic a projection needs 'weight_exp'";
  int64_t lo = lavaNet ? lava::kMinWeightExp : 0;
  int64_t hi = lavaNet ? lava::kMaxWeightExp : xylo::kMaxWeightShift;
  if (*exp < lo || *exp > hi)
    return op->emitOpError()
           << "SNN-V26: 'weight_exp' must lie in [" << lo << ", " << hi << "]"
           << (xyloNet ? " (Xylo's weight shift; a larger one wraps)" : "")
           << ", got " << *exp;
  if (std::optional<uint64_t> bits = proj.getWeightBits())
    if (int64_t(*bits) > lava::kWeightBits)
      return op->emitOpError()
             << "SNN-V26: " << vendor << " weight mantissas have at most "
             << lava::kWeightBits
             << " bits, got 'weight_bits' = " << int64_t(*bits);
  return success();
}

/// SNN-V9 (float network) or SNN-V19 (integer network): a projection's
/// weights, their bit width and their scale.
LogicalResult checkWeights(ProjectionOpInterface proj, ArrayRef<int64_t> shape,
                           int64_t targetSize) {
  Operation *op = proj;
  MLIRContext *ctx = op->getContext();
  ElementsAttr weight = proj.getWeight();
  std::optional<uint64_t> weightBits = proj.getWeightBits();
  std::optional<ElementsAttr> weightScale = proj.getWeightScale();
  if (failed(checkWeightExponent(proj)))
    return failure();
  if (!integerStateBits(op)) {
    if (weightBits || weightScale)
      return op->emitOpError()
             << "SNN-V19: 'weight_bits' and 'weight_scale' belong to integer "
                "networks (the network has no 'int_state_bits')";
    if (failed(checkTensor(op, "SNN-V9", "weight", weight, shape,
                           Float32Type::get(ctx))))
      return failure();
    SmallVector<float> weights;
    return readFinite(op, "SNN-V9", "weight", weight, weights);
  }
  auto type = llvm::dyn_cast<RankedTensorType>(weight.getShapedType());
  auto elementType =
      type ? llvm::dyn_cast<IntegerType>(type.getElementType()) : IntegerType();
  if (!type || type.getShape() != shape || !elementType ||
      !elementType.isSignless() ||
      (elementType.getWidth() != 8 && elementType.getWidth() != 16 &&
       elementType.getWidth() != 32))
    return op->emitOpError()
           << "SNN-V19: in an integer network 'weight' must be "
           << shapeString(shape, IntegerType::get(ctx, 8))
           << " (or i16, i32), got " << weight.getShapedType();
  if (!weightBits || !weightScale)
    return op->emitOpError() << "SNN-V19: integer weights need 'weight_bits' "
                                "and 'weight_scale'";
  int64_t bits = static_cast<int64_t>(*weightBits);
  int64_t maxBits = std::min<int64_t>(16, elementType.getWidth());
  if (bits < 2 || bits > maxBits)
    return op->emitOpError()
           << "SNN-V19: 'weight_bits' must lie in [2, " << maxBits << "] for "
           << elementType << " weights, got " << bits;
  SmallVector<int64_t> values;
  if (failed(getIntegerValues(weight, values)))
    return op->emitOpError() << "SNN-V19: 'weight' has no readable data";
  int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -hi - 1;
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] < lo || values[i] > hi)
      return op->emitOpError() << "SNN-V19: weight of synapse " << i << " is "
                               << values[i] << ", outside the " << bits
                               << "-bit range [" << lo << ", " << hi << "]";
  auto scaleType =
      llvm::dyn_cast<RankedTensorType>(weightScale->getShapedType());
  if (!scaleType || scaleType.getRank() != 1 ||
      !scaleType.getElementType().isF32() ||
      (scaleType.getDimSize(0) != 1 && scaleType.getDimSize(0) != targetSize))
    return op->emitOpError()
           << "SNN-V19: 'weight_scale' must be tensor<1xf32> (per layer) or "
           << shapeString({targetSize}, Float32Type::get(ctx))
           << " (per neuron), got " << weightScale->getShapedType();
  SmallVector<float> scale;
  if (failed(readFinite(op, "SNN-V19", "weight_scale", *weightScale, scale)))
    return failure();
  for (size_t i = 0; i < scale.size(); ++i)
    if (!(scale[i] > 0))
      return op->emitOpError() << "SNN-V19: 'weight_scale' element " << i
                               << " is " << num(scale[i]) << " (must be > 0)";
  return success();
}

/// SNN-V20: the integer parameters of a lif or li population (`v_threshold`
/// only for lif).
LogicalResult checkIntegerNeuron(NeuronPopulationOpInterface pop) {
  Operation *op = pop;
  int64_t size = pop.getSize();
  std::optional<ElementsAttr> bias = pop.getBias();
  auto lif = dyn_cast<LIFOp>(op);
  std::optional<ElementsAttr> vThreshold =
      lif ? lif.getVThreshold() : std::nullopt;
  std::optional<uint64_t> vDecay = pop.getVDecay(), iDecay = pop.getIDecay();
  bool hasSyn = pop.hasSynapticCurrent();
  NetworkOp net = parentNetwork(op);
  std::optional<int64_t> bits = net ? net.getIntStateBits() : std::nullopt;
  if (!bits) {
    if (vThreshold || vDecay || iDecay)
      return op->emitOpError()
             << "SNN-V20: 'v_threshold', 'v_decay' and 'i_decay' belong to "
                "integer networks (the network has no 'int_state_bits')";
    if (bias)
      return checkFiniteVector(op, "SNN-V6", "bias", *bias, size);
    return success();
  }
  // SNN-V18 has checked the bits; stay safe if the region verifier has not
  // run yet.
  int64_t b = std::clamp<int64_t>(*bits, 2, 62);
  int64_t hi = (int64_t(1) << (b - 1)) - 1, lo = -hi - 1;
  MLIRContext *ctx = op->getContext();
  auto i32 = IntegerType::get(ctx, 32);
  SmallVector<int64_t> values;
  if (bias) {
    if (failed(checkTensor(op, "SNN-V20", "bias", *bias, {size}, i32)))
      return failure();
    if (failed(getIntegerValues(*bias, values)))
      return op->emitOpError() << "SNN-V20: 'bias' has no readable data";
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i] < lo || values[i] > hi)
        return op->emitOpError()
               << "SNN-V20: bias of neuron " << i << " is " << values[i]
               << ", outside the " << b << "-bit state range [" << lo << ", "
               << hi << "]";
  }
  if (lif) {
    if (!vThreshold)
      return op->emitOpError()
             << "SNN-V20: a lif population of an integer network needs "
                "'v_threshold'";
    if (failed(checkTensor(op, "SNN-V20", "v_threshold", *vThreshold, {size},
                           i32)))
      return failure();
    if (failed(getIntegerValues(*vThreshold, values)))
      return op->emitOpError() << "SNN-V20: 'v_threshold' has no readable data";
    // Lava's thresholds are mantissas with their own range (SNN-V27).
    for (size_t i = 0; i < values.size() && !net.isLavaCuba(); ++i)
      if (values[i] < 1 || values[i] > hi)
        return op->emitOpError()
               << "SNN-V20: threshold of neuron " << i << " is " << values[i]
               << ", outside [1, " << hi << "] for " << b << "-bit state";
  }
  bool shift = net.getIntDecay() == IntDecayMode::shift;
  int64_t maxDecay = shift ? 31 : 4096;
  auto checkDecay = [&](StringRef name,
                        std::optional<uint64_t> value) -> LogicalResult {
    if (!value)
      return op->emitOpError() << "SNN-V20: a population of an integer "
                                  "network needs '"
                               << name << "'";
    if (*value > uint64_t(maxDecay))
      return op->emitOpError()
             << "SNN-V20: '" << name << "' must lie in [0, " << maxDecay
             << "] for " << (shift ? "shift" : "mul12") << " decay, got "
             << static_cast<int64_t>(*value);
    return success();
  };
  if (failed(checkDecay("v_decay", vDecay)))
    return failure();
  if (hasSyn && failed(checkDecay("i_decay", iDecay)))
    return failure();
  if (!hasSyn && iDecay)
    return op->emitOpError()
           << "SNN-V20: 'i_decay' needs a current-based synapse ('tau_syn')";
  return success();
}

/// SNN-V24: the synaptic bias of a CuBa population (SNN-F8): only with
/// `tau_syn`; `tensor<size x f32>`, finite, in a float network;
/// `tensor<size x i32>` within the state range in an integer network.
LogicalResult checkSynapticBias(NeuronPopulationOpInterface pop) {
  Operation *op = pop;
  int64_t size = pop.getSize();
  std::optional<ElementsAttr> biasSyn = pop.getBiasSyn();
  bool hasSyn = pop.hasSynapticCurrent();
  if (!biasSyn)
    return success();
  if (!hasSyn)
    return op->emitOpError() << "SNN-V24: 'bias_syn' needs a current-based "
                                "synapse ('tau_syn')";
  NetworkOp net = parentNetwork(op);
  std::optional<int64_t> bits = net ? net.getIntStateBits() : std::nullopt;
  if (!bits)
    return checkFiniteVector(op, "SNN-V24", "bias_syn", *biasSyn, size);
  if (net.isLavaCuba())
    return op->emitOpError() << "SNN-V28: Lava's CUBA neuron has no synaptic "
                                "bias ('bias_syn')";
  int64_t b = std::clamp<int64_t>(*bits, 2, 62);
  int64_t hi = (int64_t(1) << (b - 1)) - 1, lo = -hi - 1;
  auto i32 = IntegerType::get(op->getContext(), 32);
  if (failed(checkTensor(op, "SNN-V24", "bias_syn", *biasSyn, {size}, i32)))
    return failure();
  SmallVector<int64_t> values;
  if (failed(getIntegerValues(*biasSyn, values)))
    return op->emitOpError() << "SNN-V24: 'bias_syn' has no readable data";
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] < lo || values[i] > hi)
      return op->emitOpError()
             << "SNN-V24: bias_syn of neuron " << i << " is " << values[i]
             << ", outside the " << b << "-bit state range [" << lo << ", "
             << hi << "]";
  return success();
}

/// SNN-V23: one per-neuron parameter array. It is `tensor<size x elementType>`
/// with readable data, needs its scalar (which holds element 0), and every
/// element passes `check` (which returns a problem description or "").
LogicalResult checkPerNeuron(Operation *op, StringRef name,
                             std::optional<ElementsAttr> array,
                             StringRef scalarName, std::optional<double> scalar,
                             int64_t size, Type elementType,
                             llvm::function_ref<std::string(double)> check) {
  if (!array)
    return success();
  if (!scalar)
    return op->emitOpError()
           << "SNN-V23: '" << name << "' needs '" << scalarName << "'";
  if (failed(checkTensor(op, "SNN-V23", name, *array, {size}, elementType)))
    return failure();
  SmallVector<double> values;
  if (elementType.isF64()) {
    if (failed(readValues(op, "SNN-V23", name, *array, values)))
      return failure();
  } else {
    SmallVector<int64_t> ints;
    if (failed(getIntegerValues(*array, ints)))
      return op->emitOpError()
             << "SNN-V23: '" << name << "' has no readable data";
    values.assign(ints.begin(), ints.end());
  }
  for (size_t i = 0; i < values.size(); ++i) {
    std::string problem = check(values[i]);
    if (!problem.empty())
      return op->emitOpError() << "SNN-V23: '" << name << "' element " << i
                               << " is " << num(values[i]) << ": " << problem;
  }
  if (values[0] != *scalar)
    return op->emitOpError()
           << "SNN-V23: '" << scalarName << "' = " << num(*scalar)
           << " must equal element 0 of '" << name << "' (" << num(values[0])
           << ")";
  return success();
}

/// SNN-V23 for a lif or li population: every per-neuron array.
LogicalResult checkPerNeuronParameters(NeuronPopulationOpInterface pop) {
  Operation *op = pop.getOperation();
  MLIRContext *ctx = op->getContext();
  auto f64 = Float64Type::get(ctx);
  auto i32 = IntegerType::get(ctx, 32);
  NetworkOp net = parentNetwork(op);
  const bool linear = net && net.getDecay() == DecayMode::linear;
  const double dt = net ? net.getDt().convertToDouble() : 0.0;
  // SNN-V4 for each element.
  auto timeConstant = [&](double tau) -> std::string {
    if (!std::isfinite(tau) || tau <= 0)
      return "a time constant must be finite and > 0";
    if (linear && tau < dt)
      return "shorter than dt = " + num(dt) +
             ", so the linear decay 1 - dt/tau would be negative";
    return "";
  };
  auto toDouble = [](std::optional<llvm::APFloat> v) -> std::optional<double> {
    if (!v)
      return std::nullopt;
    return v->convertToDouble();
  };
  auto toDoubleInt = [](std::optional<uint64_t> v) -> std::optional<double> {
    if (!v)
      return std::nullopt;
    return double(static_cast<int64_t>(*v));
  };
  int64_t size = pop.getSize();
  if (failed(checkPerNeuron(op, "tau_mem_per_neuron", pop.getTauMemPerNeuron(),
                            "tau_mem", pop.getTauMem().convertToDouble(), size,
                            f64, timeConstant)) ||
      failed(checkPerNeuron(op, "tau_syn_per_neuron", pop.getTauSynPerNeuron(),
                            "tau_syn", toDouble(pop.getTauSyn()), size, f64,
                            timeConstant)))
    return failure();
  if (auto lif = dyn_cast<LIFOp>(op)) {
    if (failed(checkPerNeuron(
            op, "threshold_per_neuron", lif.getThresholdPerNeuron(),
            "threshold", lif.getThreshold().convertToDouble(), size, f64,
            [](double theta) -> std::string {
              return std::isfinite(theta) && theta > 0
                         ? ""
                         : "a threshold must be finite and > 0";
            })))
      return failure();
  }
  bool integer = net && net.isInteger();
  if (!integer) {
    if (pop.getVDecayPerNeuron() || pop.getIDecayPerNeuron())
      return op->emitOpError() << "SNN-V23: 'v_decay_per_neuron' and "
                                  "'i_decay_per_neuron' belong to integer "
                                  "networks";
    return success();
  }
  bool shift = net.getIntDecay() == IntDecayMode::shift;
  int64_t maxDecay = shift ? 31 : 4096;
  auto decayRange = [&](double d) -> std::string {
    if (d >= 0 && d <= double(maxDecay))
      return "";
    return "outside [0, " + std::to_string(maxDecay) + "] for " +
           (shift ? "shift" : "mul12") + " decay";
  };
  if (failed(checkPerNeuron(op, "v_decay_per_neuron", pop.getVDecayPerNeuron(),
                            "v_decay", toDoubleInt(pop.getVDecay()), size, i32,
                            decayRange)) ||
      failed(checkPerNeuron(op, "i_decay_per_neuron", pop.getIDecayPerNeuron(),
                            "i_decay", toDoubleInt(pop.getIDecay()), size, i32,
                            decayRange)))
    return failure();
  return success();
}

/// SNN-V3 and SNN-V4: the size and time constants of a lif or li population.
LogicalResult checkNeuronTimeConstants(NeuronPopulationOpInterface pop) {
  if (failed(checkSize(pop, pop.getSize())) ||
      failed(
          checkTimeConstant(pop, "tau_mem", pop.getTauMem().convertToDouble())))
    return failure();
  if (std::optional<APFloat> tauSyn = pop.getTauSyn())
    return checkTimeConstant(pop, "tau_syn", tauSyn->convertToDouble());
  return success();
}

/// SNN-V27 and SNN-V28: a lif or li population under Lava's arithmetic
/// holds one threshold and one pair of decays (Lava's LIF process has them
/// as scalars) within Lava's ranges, and biases Lava can express.
LogicalResult checkLavaNeuron(NeuronPopulationOpInterface pop) {
  Operation *op = pop;
  if (!underLava(op))
    return success();
  if (pop.getVDecayPerNeuron() || pop.getIDecayPerNeuron())
    return op->emitOpError()
           << "SNN-V27: under Lava's arithmetic decays are per population, "
              "not per neuron ('v_decay_per_neuron', 'i_decay_per_neuron')";
  std::optional<uint64_t> vDecay = pop.getVDecay(), iDecay = pop.getIDecay();
  if (vDecay && *vDecay > uint64_t(lava::kMaxVDecay))
    return op->emitOpError()
           << "SNN-V27: 'v_decay' must lie in [0, " << lava::kMaxVDecay
           << "] (Lava's 12-bit dv), got " << int64_t(*vDecay);
  if (iDecay && (*iDecay < uint64_t(lava::kMinIDecay) ||
                 *iDecay > uint64_t(lava::kMaxIDecay)))
    return op->emitOpError()
           << "SNN-V27: 'i_decay' must lie in [" << lava::kMinIDecay << ", "
           << lava::kMaxIDecay << "] (Lava's 12-bit du + 1), got "
           << int64_t(*iDecay);
  SmallVector<int64_t> values;
  auto lif = dyn_cast<LIFOp>(op);
  if (lif && lif.getVThreshold() &&
      succeeded(getIntegerValues(*lif.getVThreshold(), values)) &&
      !values.empty()) {
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i] != values.front())
        return op->emitOpError()
               << "SNN-V27: under Lava's arithmetic one threshold serves the "
                  "whole population, but neuron "
               << i << " has " << values[i] << " and neuron 0 " << values[0];
    if (values.front() < 0 || values.front() > lava::kMaxThreshold)
      return op->emitOpError()
             << "SNN-V27: 'v_threshold' must lie in [0, " << lava::kMaxThreshold
             << "] (Lava's 17-bit vth), got " << values.front();
  }
  if (std::optional<ElementsAttr> bias = pop.getBias())
    if (succeeded(getIntegerValues(*bias, values)))
      for (size_t i = 0; i < values.size(); ++i)
        if (!lava::isBiasRepresentable(values[i]))
          return op->emitOpError()
                 << "SNN-V28: bias of neuron " << i << " is " << values[i]
                 << ", which is no 13-bit mantissa shifted left by an "
                    "exponent in [0, "
                 << lava::kMaxBiasExp << "] (Lava's bias_mant, bias_exp)";
  return success();
}

/// SNN-V32: a lif or li population under Xylo's arithmetic is a Xylo
/// neuron: it has a synaptic current (`tau_syn`, `i_decay` = dash_syn: every
/// Xylo neuron has one, SNN-X6), 4-bit dashes, no synaptic bias and no
/// relay attribute (Xylo's relays are the exporter's, SNN-X13).
LogicalResult checkXyloNeuron(NeuronPopulationOpInterface pop) {
  Operation *op = pop;
  if (!underXylo(op))
    return success();
  if (!pop.hasSynapticCurrent() || !pop.getIDecay())
    return op->emitOpError()
           << "SNN-V32: under Xylo's arithmetic every neuron has a synaptic "
              "current: the population needs 'tau_syn' and 'i_decay' "
              "(dash_syn)";
  if (pop.getBiasSyn())
    return op->emitOpError() << "SNN-V32: Xylo's IAF neuron has no synaptic "
                                "bias ('bias_syn')";
  if (auto lif = dyn_cast<LIFOp>(op); lif && lif.getRelay())
    return op->emitOpError()
           << "SNN-V32: under Xylo's arithmetic relays are implicit (delays "
              "stay on the synapses, SNN-X13); no 'relay' population";
  SmallVector<int64_t> dashes;
  for (auto [name, scalar, array] :
       {std::make_tuple(StringRef("v_decay"), pop.getVDecay(),
                        pop.getVDecayPerNeuron()),
        std::make_tuple(StringRef("i_decay"), pop.getIDecay(),
                        pop.getIDecayPerNeuron())}) {
    if (failed(getPerNeuronIntegers(array, int64_t(scalar.value_or(0)),
                                    pop.getSize(), dashes)))
      continue; // SNN-V23 reports unreadable arrays
    for (size_t i = 0; i < dashes.size(); ++i)
      if (dashes[i] < 0 || dashes[i] > xylo::kMaxDash)
        return op->emitOpError()
               << "SNN-V32: '" << name << "' of neuron " << i << " is "
               << dashes[i] << ", outside Xylo's 4-bit dash range [0, "
               << xylo::kMaxDash << "]";
  }
  return success();
}

/// SNN-V20, SNN-V23, SNN-V24, SNN-V27 and SNN-V28: the integer, per-neuron
/// and synaptic-bias parameters of a lif or li population.
LogicalResult checkNeuronParameters(NeuronPopulationOpInterface pop) {
  if (failed(checkIntegerNeuron(pop)) || failed(checkPerNeuronParameters(pop)))
    return failure();
  if (failed(checkSynapticBias(pop)) || failed(checkXyloNeuron(pop)))
    return failure();
  return checkLavaNeuron(pop);
}

/// SNN-V29, the population's part: a relay under Lava's arithmetic is the
/// CUBA neuron with threshold 0 and no current decay, which fires on every
/// step after one with input (its voltage after a spike is always 0).
LogicalResult checkLavaRelayNeuron(LIFOp lif) {
  if (lif.getVDecay() != std::optional<uint64_t>(lava::kMaxVDecay))
    return lif.emitOpError() << "SNN-V29: a relay's 'v_decay' under Lava's "
                                "arithmetic must be "
                             << lava::kMaxVDecay;
  SmallVector<int64_t> theta;
  if (auto vt = lif.getVThreshold())
    if (succeeded(getIntegerValues(*vt, theta)))
      for (size_t i = 0; i < theta.size(); ++i)
        if (theta[i] != 0)
          return lif.emitOpError()
                 << "SNN-V29: relay " << i << " has integer threshold "
                 << theta[i] << ", not 0 (Lava's relay)";
  return success();
}

/// SNN-V22, the population's own part: the relay neuron of SNN-I10.
LogicalResult checkRelayNeuron(LIFOp lif) {
  if (lif.getReset() != ResetMode::subtract)
    return lif.emitOpError() << "SNN-V22: a relay must reset by subtraction "
                                "(a hard-reset relay drops bursts, SNN-I10)";
  if (lif.getThreshold().convertToDouble() != 1.0)
    return lif.emitOpError() << "SNN-V22: a relay has threshold 1, got "
                             << num(lif.getThreshold().convertToDouble());
  if (lif.getBias() || lif.getTauSyn() || lif.getDropout())
    return lif.emitOpError()
           << "SNN-V22: a relay has no 'bias', 'tau_syn' or 'dropout'";
  if (lif.getTauMemPerNeuron() || lif.getThresholdPerNeuron() ||
      lif.getVDecayPerNeuron())
    return lif.emitOpError()
           << "SNN-V22: a relay has no per-neuron parameters (every relay "
              "is the same neuron)";
  NetworkOp net = parentNetwork(lif);
  if (!net)
    return success();
  double dt = net.getDt().convertToDouble();
  double tau = lif.getTauMem().convertToDouble();
  bool exp = net.getDecay() == DecayMode::exp;
  if (exp ? !(tau <= dt / 64) : tau != dt)
    return lif.emitOpError()
           << "SNN-V22: a relay needs full decay (beta = 0 under linear decay, "
              "beta <= e^-64 under exp): 'tau_mem' must be "
           << (exp ? "<= dt/64 = " : "dt = ") << num(exp ? dt / 64 : dt)
           << ", got " << num(tau);
  if (!net.isInteger())
    return success();
  if (net.isLavaCuba())
    return checkLavaRelayNeuron(lif);
  bool shift = net.getIntDecay() == IntDecayMode::shift;
  if (lif.getVDecay() != std::optional<uint64_t>(shift ? 0 : 4096))
    return lif.emitOpError()
           << "SNN-V22: a relay's 'v_decay' must zero the "
              "state ("
           << (shift ? "0 for shift" : "4096 for mul12") << " decay)";
  SmallVector<int64_t> theta;
  if (auto vt = lif.getVThreshold())
    if (succeeded(getIntegerValues(*vt, theta)))
      for (size_t i = 0; i < theta.size(); ++i)
        if (theta[i] != 1)
          return lif.emitOpError()
                 << "SNN-V22: relay " << i << " has integer threshold "
                 << theta[i] << ", not 1";
  return success();
}

/// SNN-V22, the network's part: a relay population receives exactly one
/// projection, one synapse per relay neuron, each of weight 2 (integer: 2
/// with weight_scale 1).
LogicalResult checkRelayInputs(NetworkOp net, LIFOp relay) {
  ProjectionOpInterface input;
  for (Operation &op : net.getBodyBlock()) {
    if (auto bn = dyn_cast<BatchNormOp>(op))
      if (bn.getTarget() == relay.getSymName())
        return relay.emitOpError()
               << "SNN-V22: relay population @" << relay.getSymName()
               << " has a batchnorm (@" << bn.getSymName() << ")";
    auto proj = dyn_cast<ProjectionOpInterface>(op);
    if (!proj || proj.getTarget() != relay.getSymName())
      continue;
    if (input)
      return relay.emitOpError()
             << "SNN-V22: relay population @" << relay.getSymName()
             << " receives more than one projection";
    input = proj;
  }
  if (!input)
    return success(); // SNN-V2 reports it
  int64_t n = relay.getSize();
  SmallVector<int64_t> rowCount(n, 0);
  SmallVector<double> weights;
  if (failed(input.getWeightValues(weights)))
    return success(); // SNN-V9 or SNN-V19 reports it
  // SNN-V29: Lava's relay takes weight 1 (exponent 0), SNN-I10's weight 2.
  bool lavaRelay = net.isLavaCuba();
  double relayWeight = lavaRelay ? 1.0 : 2.0;
  StringRef rule = lavaRelay ? "SNN-V29" : "SNN-V22";
  if (lavaRelay && input.getWeightExp().value_or(0) != 0)
    return relay.emitOpError()
           << "SNN-V29: the input of relay population @" << relay.getSymName()
           << " must have weight_exp 0";
  if (input.hasIntegerWeights()) {
    SmallVector<float> scale;
    if (std::optional<ElementsAttr> s = input.getWeightScale())
      if (succeeded(getElementValues(*s, scale)))
        for (float v : scale)
          if (v != 1.0f)
            return relay.emitOpError()
                   << "SNN-V22: the input of relay population @"
                   << relay.getSymName() << " must have weight_scale 1";
  }
  auto present = [&](size_t i, int64_t b) -> LogicalResult {
    if (weights[i] != relayWeight)
      return relay.emitOpError()
             << rule << ": relay " << b << " of @" << relay.getSymName()
             << " has input weight " << num(weights[i]) << ", not "
             << num(relayWeight);
    ++rowCount[b];
    return success();
  };
  if (auto sparse = dyn_cast<SparseProjectionOp>(input.getOperation())) {
    SmallVector<int64_t> rowPtr;
    if (failed(getElementValues(sparse.getRowPtr(), rowPtr)) ||
        int64_t(rowPtr.size()) != n + 1)
      return success(); // SNN-V15 reports it
    for (int64_t b = 0; b < n; ++b)
      for (int64_t k = rowPtr[b]; k < rowPtr[b + 1]; ++k)
        if (k < int64_t(weights.size()) && failed(present(k, b)))
          return failure();
  } else {
    auto dense = cast<ProjectionOp>(input.getOperation());
    SmallVector<bool> mask;
    if (auto m = dense.getMask())
      (void)getElementValues(*m, mask);
    int64_t sources = n > 0 ? int64_t(weights.size()) / n : 0;
    for (size_t i = 0; i < weights.size(); ++i)
      if ((mask.empty() || mask[i]) && failed(present(i, i / sources)))
        return failure();
  }
  for (int64_t b = 0; b < n; ++b)
    if (rowCount[b] != 1)
      return relay.emitOpError()
             << "SNN-V22: relay " << b << " of @" << relay.getSymName()
             << " has " << rowCount[b] << " input synapses, not 1";
  return success();
}

/// SNN-V14: Dale's law signs, one per source neuron.
LogicalResult checkSigns(Operation *op, std::optional<ElementsAttr> sign,
                         int64_t sourceSize) {
  if (!sign)
    return success();
  if (failed(checkTensor(op, "SNN-V14", "sign", *sign, {sourceSize},
                         IntegerType::get(op->getContext(), 8))))
    return failure();
  SmallVector<int8_t> values;
  if (failed(readValues(op, "SNN-V14", "sign", *sign, values)))
    return failure();
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] != 1 && values[i] != -1)
      return op->emitOpError() << "SNN-V14: sign of source " << i << " is "
                               << int(values[i]) << " (must be +1 or -1)";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// NetworkOp
//===----------------------------------------------------------------------===//

void NetworkOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                      double dt, int64_t steps) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addAttribute(getDtAttrName(state.name), builder.getF64FloatAttr(dt));
  state.addAttribute(getStepsAttrName(state.name),
                     builder.getI64IntegerAttr(steps));
  Region *body = state.addRegion();
  body->push_back(new Block());
}

LogicalResult NetworkOp::verify() {
  double dt = getDt().convertToDouble();
  if (!std::isfinite(dt) || dt <= 0)
    return emitOpError() << "SNN-V1: 'dt' must be finite and > 0, got "
                         << num(dt);
  if (getSteps() <= 0)
    return emitOpError() << "SNN-V1: 'steps' must be > 0, got " << getSteps();
  // SNN-V18: integer semantics are all or nothing.
  if (getIntStateBits().has_value() != getIntDecay().has_value())
    return emitOpError() << "SNN-V18: 'int_state_bits' and 'int_decay' must "
                            "be given together";
  if (auto bits = getIntStateBits())
    if (*bits < 3 || *bits > 32)
      return emitOpError()
             << "SNN-V18: 'int_state_bits' must lie in [3, 32], got " << *bits;
  // SNN-V25: Lava's CUBA neuron has 24-bit states and 12-bit multiplicative
  // decays (SNN-L rules).
  if (getIntArithmetic() && !isInteger())
    return emitOpError() << "SNN-V25: 'int_arithmetic' belongs to integer "
                            "networks (the network has no 'int_state_bits')";
  if (isLavaCuba() && (*getIntStateBits() != lava::kStateBits ||
                       *getIntDecay() != IntDecayMode::mul12))
    return emitOpError() << "SNN-V25: Lava's arithmetic needs "
                            "'int_state_bits' = "
                         << lava::kStateBits << " and 'int_decay' = mul12, got "
                         << *getIntStateBits() << " and "
                         << stringifyIntDecayMode(*getIntDecay());
  // SNN-V30: XyloSim's IAF neuron has int16 states and bitshift decays
  // (SNN-X1, SNN-X2).
  if (isXyloIaf() &&
      (*getIntStateBits() != 16 || *getIntDecay() != IntDecayMode::shift))
    return emitOpError() << "SNN-V30: Xylo's arithmetic needs "
                            "'int_state_bits' = 16 and 'int_decay' = shift, "
                            "got "
                         << *getIntStateBits() << " and "
                         << stringifyIntDecayMode(*getIntDecay());
  return success();
}

namespace {

/// SNN-V18: an integer network is past BatchNorm folding and delay
/// discretisation; SNN-V21: one membrane unit per target population.
LogicalResult checkIntegerNetworkBody(NetworkOp net) {
  llvm::DenseMap<Attribute, std::pair<Operation *, ElementsAttr>> scales;
  for (Operation &op : net.getBodyBlock()) {
    if (isa<BatchNormOp>(op))
      return op.emitOpError() << "SNN-V18: an integer network holds no "
                                 "batchnorm (fold it before quantising)";
    auto proj = dyn_cast<ProjectionOpInterface>(op);
    if (!proj)
      continue;
    if (proj.getPosition())
      return op.emitOpError() << "SNN-V18: an integer network holds no DCLS "
                                 "'position' (discretise delays first)";
    std::optional<ElementsAttr> scale = proj.getWeightScale();
    FlatSymbolRefAttr target = proj.getTargetAttr();
    if (!scale)
      continue; // SNN-V19 reports it
    auto [it, inserted] = scales.try_emplace(target.getAttr(), &op, *scale);
    if (inserted)
      continue;
    SmallVector<float> a, b;
    bool same = succeeded(getElementValues(it->second.second, a)) &&
                succeeded(getElementValues(*scale, b)) && a == b;
    if (!same)
      return op.emitOpError()
             << "SNN-V21: 'weight_scale' differs from that of @"
             << mlir::SymbolTable::getSymbolName(it->second.first).getValue()
             << ", which also targets " << target
             << " (projections into one population share its membrane unit)";
  }
  return success();
}

/// SNN-V33: under Xylo's arithmetic the projections form Xylo's three
/// matrices (SNN-X10): from an input population `weights_in`, into an li
/// population `weights_out` (never from an input), any other
/// `weights_rec`; a synapse from an input with a delay reaches its target
/// from the last relay of its chain, through `weights_rec` (SNN-X13). All
/// projections of one matrix share its weight shift `weight_exp` (SNN-X3).
LogicalResult checkXyloMatrices(NetworkOp net) {
  std::optional<std::pair<Operation *, int64_t>> first[3];
  for (auto proj : net.getBodyBlock().getOps<ProjectionOpInterface>()) {
    Operation *src = proj.getSourcePopulation();
    Operation *dst = proj.getTargetPopulation();
    if (!src || !dst)
      continue;
    bool fromInput = isa<InputOp>(src), toOutput = isa<LIOp>(dst);
    if (fromInput && toOutput)
      return proj->emitOpError()
             << "SNN-V33: under Xylo's arithmetic no projection joins an "
                "input to an li population (Xylo has no synapses from input "
                "channels to output neurons)";
    std::optional<int64_t> exp = proj.getWeightExp();
    if (!exp)
      continue; // SNN-V26 reports it
    SmallVector<xylo::Matrix, 2> matrices;
    if (!fromInput) {
      matrices.push_back(toOutput ? xylo::Matrix::Out : xylo::Matrix::Rec);
    } else {
      SmallVector<int64_t> delay, weight;
      bool direct = false, delayed = false;
      if (std::optional<ElementsAttr> d = proj.getDelay();
          d && succeeded(getIntegerValues(*d, delay)) &&
          succeeded(getIntegerValues(proj.getWeight(), weight)))
        for (size_t i = 0; i < delay.size() && i < weight.size(); ++i)
          if (weight[i] != 0)
            (delay[i] > 0 ? delayed : direct) = true;
      if (direct || !delayed)
        matrices.push_back(xylo::Matrix::In);
      if (delayed)
        matrices.push_back(xylo::Matrix::Rec);
    }
    for (xylo::Matrix m : matrices) {
      auto &f = first[int(m)];
      if (!f) {
        f = std::make_pair(proj.getOperation(), *exp);
        continue;
      }
      if (f->second != *exp)
        return proj->emitOpError()
               << "SNN-V33: 'weight_exp' = " << *exp << " differs from the "
               << f->second << " of @"
               << mlir::SymbolTable::getSymbolName(f->first).getValue()
               << ", which lies in the same Xylo matrix " << xylo::matrixName(m)
               << " (one weight shift per matrix"
               << (m == xylo::Matrix::Rec && fromInput
                       ? "; a delayed input synapse reaches its target "
                         "through weights_rec"
                       : "")
               << ")";
    }
  }
  return success();
}

/// SNN-V2: every population but the inputs receives a projection, and the
/// projections form no cycle (Kahn's algorithm: what is left lies on one).
LogicalResult checkProjectionGraph(
    ArrayRef<Operation *> populations,
    llvm::DenseMap<Operation *, SmallVector<Operation *>> &successors,
    llvm::DenseMap<Operation *, unsigned> &inDegree) {
  for (Operation *pop : populations)
    if (!isa<InputOp>(pop) && inDegree[pop] == 0)
      return pop->emitOpError()
             << "SNN-V2: population @"
             << mlir::SymbolTable::getSymbolName(pop).getValue()
             << " receives no projection";
  SmallVector<Operation *> ready;
  for (Operation *pop : populations)
    if (inDegree[pop] == 0)
      ready.push_back(pop);
  size_t visited = 0;
  while (!ready.empty()) {
    Operation *pop = ready.pop_back_val();
    ++visited;
    for (Operation *next : successors[pop])
      if (--inDegree[next] == 0)
        ready.push_back(next);
  }
  if (visited == populations.size())
    return success();
  for (Operation *pop : populations)
    if (inDegree[pop] != 0)
      return pop->emitOpError()
             << "SNN-V2: population @"
             << mlir::SymbolTable::getSymbolName(pop).getValue()
             << " lies on a cycle of projections (networks must be DAGs)";
  return success();
}

} // namespace

LogicalResult NetworkOp::verifyRegions() {
  // SNN-V2: the projection graph is a DAG from the inputs to the outputs.
  llvm::DenseMap<Operation *, SmallVector<Operation *>> successors;
  llvm::DenseMap<Operation *, unsigned> inDegree;
  SmallVector<Operation *> populations;
  bool hasInput = false, hasOutput = false;
  for (Operation &op : getBodyBlock()) {
    if (!llvm::isa_and_nonnull<SNNDialect>(op.getDialect()))
      return op.emitOpError() << "SNN-V2: only snn ops may appear in a network";
    if (isa<PopulationOpInterface>(op)) {
      populations.push_back(&op);
      inDegree[&op] = 0;
      hasInput |= isa<InputOp>(op);
    }
    hasOutput |= isa<OutputOp>(op);
  }
  if (!hasInput)
    return emitOpError() << "SNN-V2: a network needs at least one snn.input";
  if (!hasOutput)
    return emitOpError() << "SNN-V2: a network needs at least one snn.output";
  for (auto proj : getBodyBlock().getOps<ProjectionOpInterface>()) {
    Operation *src = proj.getSourcePopulation();
    Operation *dst = proj.getTargetPopulation();
    if (!src || !dst)
      continue;
    successors[src].push_back(dst);
    ++inDegree[dst];
  }
  if (isInteger() && failed(checkIntegerNetworkBody(*this)))
    return failure();
  if (isXyloIaf() && failed(checkXyloMatrices(*this)))
    return failure();
  for (Operation *pop : populations)
    if (auto lif = dyn_cast<LIFOp>(pop); lif && lif.getRelay())
      if (failed(checkRelayInputs(*this, lif)))
        return failure();
  return checkProjectionGraph(populations, successors, inDegree);
}

//===----------------------------------------------------------------------===//
// Populations
//===----------------------------------------------------------------------===//

LogicalResult InputOp::verify() {
  if (failed(checkSize(*this, getSize())))
    return failure();
  double scale = getScale().convertToDouble();
  if (!std::isfinite(scale))
    return emitOpError() << "SNN-V7: 'scale' must be finite, got "
                         << num(scale);
  return success();
}

LogicalResult LIFOp::verify() {
  if (failed(checkNeuronTimeConstants(*this)))
    return failure();
  double threshold = getThreshold().convertToDouble();
  if (!std::isfinite(threshold) || threshold <= 0)
    return emitOpError() << "SNN-V5: 'threshold' must be finite and > 0, got "
                         << num(threshold);
  if (failed(checkNeuronParameters(*this)))
    return failure();
  if (auto dropout = getDropout()) {
    double r = dropout->convertToDouble();
    if (!(r >= 0 && r < 1))
      return emitOpError() << "SNN-V7: 'dropout' must lie in [0, 1), got "
                           << num(r);
  }
  if (getConvention() == NeuronConvention::lava &&
      getReset() != ResetMode::hard)
    return emitOpError() << "SNN-V31: 'convention' lava needs 'reset' hard "
                            "(Lava's LIF zeroes v; it has no subtract reset)";
  if (getRelay())
    return checkRelayNeuron(*this);
  return success();
}

LogicalResult LIOp::verify() {
  if (failed(checkNeuronTimeConstants(*this)))
    return failure();
  return checkNeuronParameters(*this);
}

LogicalResult BatchNormOp::verify() {
  double eps = getEps().convertToDouble();
  if (!std::isfinite(eps) || eps <= 0)
    return emitOpError() << "SNN-V16: 'eps' must be finite and > 0, got "
                         << num(eps);
  double momentum = getMomentum().convertToDouble();
  if (!(momentum >= 0 && momentum <= 1))
    return emitOpError() << "SNN-V16: 'momentum' must lie in [0, 1], got "
                         << num(momentum);
  NetworkOp net = parentNetwork(*this);
  for (Operation &other : net.getBodyBlock())
    if (auto bn = dyn_cast<BatchNormOp>(other))
      if (bn != *this && bn.getTargetAttr() == getTargetAttr() &&
          other.isBeforeInBlock(*this))
        return emitOpError()
               << "SNN-V16: population " << getTargetAttr()
               << " already has a batchnorm (@" << bn.getSymName() << ")";
  return success();
}

LogicalResult
BatchNormOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto target = dyn_cast_or_null<NeuronPopulationOpInterface>(
      symbolTable.lookupSymbolIn(parentNetwork(*this), getTargetAttr()));
  if (!target)
    return emitOpError() << "SNN-V16: target " << getTargetAttr()
                         << " must name a lif or li population";
  int64_t size = target.getSize();
  for (auto [name, attr] :
       {std::pair<StringRef, ElementsAttr>{"gamma", getGamma()},
        {"beta", getBeta()},
        {"mean", getMean()},
        {"var", getVar()}})
    if (failed(checkFiniteVector(*this, "SNN-V16", name, attr, size)))
      return failure();
  SmallVector<float> var;
  (void)getElementValues(getVar(), var);
  for (size_t i = 0; i < var.size(); ++i)
    if (var[i] < 0)
      return emitOpError() << "SNN-V16: 'var' element " << i << " is "
                           << num(var[i]) << " (a variance must be >= 0)";
  return success();
}

LogicalResult OutputOp::verify() {
  for (Operation &other : parentNetwork(*this).getBodyBlock())
    if (auto out = dyn_cast<OutputOp>(other))
      if (out != *this && out.getPopulationAttr() == getPopulationAttr() &&
          other.isBeforeInBlock(*this))
        return emitOpError()
               << "SNN-V17: " << getPopulationAttr() << " is already an output";
  return success();
}

LogicalResult OutputOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  if (!isa_and_nonnull<NeuronPopulationOpInterface>(symbolTable.lookupSymbolIn(
          parentNetwork(*this), getPopulationAttr())))
    return emitOpError() << "SNN-V17: " << getPopulationAttr()
                         << " must name a lif or li population";
  return success();
}

//===----------------------------------------------------------------------===//
// Projections
//===----------------------------------------------------------------------===//
//
// verify() checks what the op holds by itself; verifySymbolUses() resolves
// the endpoints (SNN-V8) and checks every array whose shape follows from
// their sizes.

LogicalResult ProjectionOp::verify() { return checkDelayForm(*this); }

LogicalResult
ProjectionOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  int64_t sourceSize, targetSize;
  if (failed(checkEndpoints(*this, symbolTable, sourceSize, targetSize)))
    return failure();
  SmallVector<int64_t> shape = {targetSize, sourceSize};
  if (failed(checkWeights(*this, shape, targetSize)) ||
      failed(checkDelayValues(*this, shape)))
    return failure();
  if (auto mask = getMask()) {
    if (failed(checkTensor(*this, "SNN-V13", "mask", *mask, shape,
                           IntegerType::get(getContext(), 1))))
      return failure();
    SmallVector<bool> values;
    if (failed(readValues(*this, "SNN-V13", "mask", *mask, values)))
      return failure();
  }
  return checkSigns(*this, getSign(), sourceSize);
}

LogicalResult SparseProjectionOp::verify() { return checkDelayForm(*this); }

/// SNN-V15: the CSR structure over `targetSize` rows of sources below
/// `sourceSize`; sets `nnz` to the number of synapses.
static LogicalResult checkCsr(SparseProjectionOp op, int64_t sourceSize,
                              int64_t targetSize, int64_t &nnz) {
  MLIRContext *ctx = op.getContext();
  if (failed(checkTensor(op, "SNN-V15", "row_ptr", op.getRowPtr(),
                         {targetSize + 1}, IntegerType::get(ctx, 64))))
    return failure();
  SmallVector<int64_t> rowPtr;
  if (failed(readValues(op, "SNN-V15", "row_ptr", op.getRowPtr(), rowPtr)))
    return failure();
  auto colType =
      llvm::dyn_cast<RankedTensorType>(op.getColIdx().getShapedType());
  if (!colType || colType.getRank() != 1 ||
      colType.getElementType() != IntegerType::get(ctx, 32))
    return op.emitOpError() << "SNN-V15: 'col_idx' must be tensor<?xi32> (one "
                               "source per synapse), got "
                            << op.getColIdx().getShapedType();
  nnz = colType.getDimSize(0);
  if (rowPtr.front() != 0)
    return op.emitOpError()
           << "SNN-V15: 'row_ptr' must start at 0, got " << rowPtr.front();
  for (int64_t b = 0; b < targetSize; ++b)
    if (rowPtr[b + 1] < rowPtr[b])
      return op.emitOpError()
             << "SNN-V15: 'row_ptr' decreases at target " << b << " ("
             << rowPtr[b] << " -> " << rowPtr[b + 1] << ")";
  if (rowPtr.back() != nnz)
    return op.emitOpError() << "SNN-V15: 'row_ptr' ends at " << rowPtr.back()
                            << " but 'col_idx' holds " << nnz << " synapses";
  SmallVector<int32_t> cols;
  if (failed(readValues(op, "SNN-V15", "col_idx", op.getColIdx(), cols)))
    return failure();
  for (int64_t b = 0; b < targetSize; ++b)
    for (int64_t k = rowPtr[b]; k < rowPtr[b + 1]; ++k) {
      if (cols[k] < 0 || cols[k] >= sourceSize)
        return op.emitOpError() << "SNN-V15: synapse " << k << " of target "
                                << b << " has source " << cols[k]
                                << ", outside [0, " << sourceSize << ")";
      if (k > rowPtr[b] && cols[k] <= cols[k - 1])
        return op.emitOpError() << "SNN-V15: sources of target " << b
                                << " are not strictly increasing at synapse "
                                << k << " (" << cols[k - 1] << " then "
                                << cols[k] << "; unsorted or duplicate)";
    }
  return success();
}

LogicalResult
SparseProjectionOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  int64_t sourceSize, targetSize, nnz;
  if (failed(checkEndpoints(*this, symbolTable, sourceSize, targetSize)) ||
      failed(checkCsr(*this, sourceSize, targetSize, nnz)))
    return failure();
  SmallVector<int64_t> shape = {nnz};
  if (failed(checkWeights(*this, shape, targetSize)) ||
      failed(checkDelayValues(*this, shape)))
    return failure();
  return checkSigns(*this, getSign(), sourceSize);
}

#define GET_OP_CLASSES
#include "snn/SNNOps.cpp.inc"
