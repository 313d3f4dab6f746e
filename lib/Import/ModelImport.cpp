//===- ModelImport.cpp - snnrt::Model <-> snn dialect ---------------------===//

#include "snnc/Import/EnumTranslation.h"
#include "snnc/Import/ModelImport.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include <cstring>

using namespace mlir;
using namespace snnc;
using namespace snnc::snn;

/// The discardable attribute of an snn.network that holds how the network
/// was trained (snnrt::TrainingInfo), so that model.h5 -> snn -> model.h5
/// keeps it.
static constexpr llvm::StringLiteral kTrainingAttrName = "snnc.training";

//===----------------------------------------------------------------------===//
// Model -> snn
//===----------------------------------------------------------------------===//

namespace {

/// Everything that builds one network: the builder and blob naming.
class Importer {
public:
  Importer(MLIRContext *context) : b(context) {}

  OwningOpRef<ModuleOp> run(const snnrt::Model &model);

private:
  template <typename T, typename Src>
  ElementsAttr blob(StringRef op, StringRef field, ArrayRef<int64_t> shape,
                    Type elementType, const std::vector<Src> &values) {
    SmallVector<T> converted(values.begin(), values.end());
    auto type = RankedTensorType::get(shape, elementType);
    return makeResourceAttr<T>(type, (op + "_" + field).str(), converted);
  }
  ElementsAttr floats(StringRef op, StringRef field, ArrayRef<int64_t> shape,
                      const std::vector<float> &values) {
    return blob<float>(op, field, shape, b.getF32Type(), values);
  }
  /// SNN-V23's per-neuron arrays (f64, as the model holds them).
  ElementsAttr doubles(StringRef op, StringRef field, int64_t size,
                       const std::vector<double> &values) {
    return blob<double>(op, field, {size}, b.getF64Type(), values);
  }
  void importPopulation(const snnrt::Population &pop);
  /// What snn.lif and snn.li share (their accessors are alike).
  template <typename NeuronOp>
  void setNeuronParameters(NeuronOp op, const snnrt::Population &pop);
  void importProjection(const snnrt::Model &model,
                        const snnrt::Projection &proj);

  OpBuilder b;
  Location loc = b.getUnknownLoc();
};

OwningOpRef<ModuleOp> Importer::run(const snnrt::Model &model) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto net = b.create<NetworkOp>(loc, model.name, model.dt,
                                 static_cast<int64_t>(model.steps));
  if (model.decay == snnrt::DecayMode::Exp)
    net.setDecay(DecayMode::exp);
  const snnrt::TrainingInfo &t = model.training;
  if (!t.delayMode.empty() || t.epochs || t.seed || !t.dataset.empty() ||
      t.trainAccuracy >= 0 || t.testAccuracy >= 0) {
    uint64_t seed = t.seed;
    int64_t seedBits;
    std::memcpy(&seedBits, &seed, sizeof(seed)); // keep all 64 bits
    net->setDiscardableAttr(
        kTrainingAttrName,
        b.getDictionaryAttr({
            b.getNamedAttr("delay_mode", b.getStringAttr(t.delayMode)),
            b.getNamedAttr("epochs", b.getI64IntegerAttr(t.epochs)),
            b.getNamedAttr("seed", b.getI64IntegerAttr(seedBits)),
            b.getNamedAttr("train_accuracy",
                           b.getF64FloatAttr(t.trainAccuracy)),
            b.getNamedAttr("test_accuracy", b.getF64FloatAttr(t.testAccuracy)),
            b.getNamedAttr("dataset", b.getStringAttr(t.dataset)),
        }));
  }
  b.setInsertionPointToEnd(&net.getBodyBlock());
  for (const auto &pop : model.populations)
    importPopulation(pop);
  for (const auto &proj : model.projections)
    importProjection(model, proj);
  for (const auto &out : model.outputs)
    b.create<OutputOp>(loc, FlatSymbolRefAttr::get(b.getContext(), out));
  return module;
}

/// Creates an op of type OpTy without attributes; the caller sets them
/// through the op's accessors.
template <typename OpTy> static OpTy createEmpty(OpBuilder &b, Location loc) {
  return b.create<OpTy>(loc, TypeRange(), ValueRange(),
                        ArrayRef<NamedAttribute>());
}

template <typename NeuronOp>
void Importer::setNeuronParameters(NeuronOp op, const snnrt::Population &pop) {
  int64_t size = pop.size;
  op.setSymName(pop.name);
  op.setSize(size);
  op.setTauMem(APFloat(pop.tauMem));
  if (pop.tauSyn)
    op.setTauSyn(APFloat(*pop.tauSyn));
  if (!pop.tauMemPerNeuron.empty())
    op.setTauMemPerNeuronAttr(
        doubles(pop.name, "tau_mem_per_neuron", size, pop.tauMemPerNeuron));
  if (!pop.tauSynPerNeuron.empty())
    op.setTauSynPerNeuronAttr(
        doubles(pop.name, "tau_syn_per_neuron", size, pop.tauSynPerNeuron));
  // The synaptic bias in front of the CuBa filter (SNN-F8, SNN-V24).
  if (!pop.biasSyn.empty())
    op.setBiasSynAttr(floats(pop.name, "bias_syn", {size}, pop.biasSyn));
  if (!pop.bias.empty())
    op.setBiasAttr(floats(pop.name, "bias", {size}, pop.bias));
}

void Importer::importPopulation(const snnrt::Population &pop) {
  switch (pop.kind) {
  case snnrt::PopulationKind::Input: {
    auto in = createEmpty<InputOp>(b, loc);
    in.setSymName(pop.name);
    in.setSize(pop.size);
    in.setEncoding(toDialect(pop.inputKind));
    in.setScale(APFloat(pop.scale));
    return;
  }
  case snnrt::PopulationKind::Lif: {
    auto lif = createEmpty<LIFOp>(b, loc);
    setNeuronParameters(lif, pop);
    lif.setThreshold(APFloat(pop.threshold));
    if (!pop.thresholdPerNeuron.empty())
      lif.setThresholdPerNeuronAttr(doubles(pop.name, "threshold_per_neuron",
                                            pop.size, pop.thresholdPerNeuron));
    lif.setReset(toDialect(pop.reset));
    lif.setConvention(toDialect(pop.convention));
    if (pop.dropout > 0)
      lif.setDropout(APFloat(pop.dropout));
    break;
  }
  case snnrt::PopulationKind::Li:
    setNeuronParameters(createEmpty<LIOp>(b, loc), pop);
    break;
  }
  if (pop.batchnorm) {
    const snnrt::BatchNorm &bn = *pop.batchnorm;
    std::string name = pop.name + "_bn";
    int64_t size = pop.size;
    b.create<BatchNormOp>(loc, b.getStringAttr(name),
                          FlatSymbolRefAttr::get(b.getContext(), pop.name),
                          floats(name, "gamma", {size}, bn.gamma),
                          floats(name, "beta", {size}, bn.beta),
                          floats(name, "mean", {size}, bn.mean),
                          floats(name, "var", {size}, bn.var),
                          b.getF64FloatAttr(bn.eps),
                          b.getF64FloatAttr(bn.momentum));
  }
}

void Importer::importProjection(const snnrt::Model &model,
                                const snnrt::Projection &proj) {
  MLIRContext *ctx = b.getContext();
  int64_t sourceSize = model.populations[model.findPopulation(proj.source)].size;
  int64_t targetSize = model.populations[model.findPopulation(proj.target)].size;
  SmallVector<int64_t> shape =
      proj.isCsr() ? SmallVector<int64_t>{int64_t(proj.weights.size())}
                   : SmallVector<int64_t>{targetSize, sourceSize};
  // The dialect needs delays or positions; a model with neither (every delay
  // 0) gets a splat zero, which exportModel turns back into "none".
  ElementsAttr delay, position, sign;
  FloatAttr sigma;
  if (proj.hasPositions()) {
    position = floats(proj.name, "position", shape, proj.positions);
    sigma = b.getF64FloatAttr(proj.sigma);
  } else if (!proj.delays.empty()) {
    delay =
        blob<int32_t>(proj.name, "delay", shape, b.getI32Type(), proj.delays);
  } else {
    delay =
        DenseElementsAttr::get(RankedTensorType::get(shape, b.getI32Type()),
                               llvm::cast<Attribute>(b.getI32IntegerAttr(0)));
  }
  if (!proj.signs.empty())
    sign = blob<int8_t>(proj.name, "sign", {sourceSize}, b.getI8Type(),
                        proj.signs);
  auto name = b.getStringAttr(proj.name);
  auto source = FlatSymbolRefAttr::get(ctx, proj.source);
  auto target = FlatSymbolRefAttr::get(ctx, proj.target);
  auto maxDelay = b.getI64IntegerAttr(proj.maxDelay);
  ElementsAttr weight = floats(proj.name, "weight", shape, proj.weights);
  if (proj.isCsr()) {
    b.create<SparseProjectionOp>(
        loc, name, source, target, maxDelay,
        blob<int64_t>(proj.name, "row_ptr", {targetSize + 1}, b.getI64Type(),
                      proj.rowPtr),
        blob<int32_t>(proj.name, "col_idx", shape, b.getI32Type(), proj.colIdx),
        weight, delay, position, sigma, sign, /*weight_bits=*/IntegerAttr(),
        /*weight_scale=*/ElementsAttr(), /*weight_exp=*/IntegerAttr());
    return;
  }
  ElementsAttr mask;
  if (!proj.mask.empty())
    mask = blob<bool>(proj.name, "mask", shape, b.getI1Type(), proj.mask);
  b.create<ProjectionOp>(loc, name, source, target, maxDelay, weight, delay,
                         position, sigma, mask, sign,
                         /*weight_bits=*/IntegerAttr(),
                         /*weight_scale=*/ElementsAttr(),
                         /*weight_exp=*/IntegerAttr());
}

} // namespace

OwningOpRef<ModuleOp> snnc::importModel(const snnrt::Model &model,
                                        MLIRContext *context) {
  context->getOrLoadDialect<SNNDialect>();
  return Importer(context).run(model);
}

//===----------------------------------------------------------------------===//
// snn -> Model
//===----------------------------------------------------------------------===//

namespace {

template <typename Dst, typename Src>
std::vector<Dst> toVector(const SmallVector<Src> &values) {
  return std::vector<Dst>(values.begin(), values.end());
}

/// Reads a parameter the verifier has accepted; fails only on storage the
/// verifier also rejects.
template <typename T>
LogicalResult read(Operation *op, StringRef field, ElementsAttr attr,
                   SmallVector<T> &out) {
  if (succeeded(getElementValues(attr, out)))
    return success();
  return op->emitOpError() << "cannot export '" << field
                           << "': its element type or storage is not what "
                              "model.h5 holds";
}

/// An optional array (a per-neuron parameter of SNN-V23, a bias, Dale
/// signs, a mask) of element type `Read` into `out`, left empty when absent.
template <typename T, typename Read = T>
LogicalResult readOptional(Operation *op, StringRef field,
                           std::optional<ElementsAttr> attr,
                           std::vector<T> &out) {
  out.clear();
  if (!attr)
    return success();
  SmallVector<Read> values;
  if (failed(read(op, field, *attr, values)))
    return failure();
  out = toVector<T>(values);
  return success();
}

LogicalResult checkFloatWeights(Operation *op, ElementsAttr weight) {
  if (!weight.getElementType().isF32())
    return op->emitOpError()
           << "has " << weight.getElementType()
           << " weights: a quantised network is not a float model; deploy it "
              "as a plan (snnc compile) instead of model.h5";
  return success();
}

LogicalResult exportDelays(ProjectionOpInterface op, snnrt::Projection &proj) {
  if (auto position = op.getPosition()) {
    SmallVector<float> values;
    if (failed(read(op, "position", *position, values)))
      return failure();
    proj.positions = toVector<float>(values);
    proj.sigma = op.getSigma()->convertToDouble();
    return success();
  }
  ElementsAttr delay = *op.getDelay();
  // A splat zero is how importModel spells "no delays".
  if (auto dense = llvm::dyn_cast<DenseElementsAttr>(delay))
    if (dense.isSplat() && dense.getSplatValue<int32_t>() == 0)
      return success();
  SmallVector<int32_t> values;
  if (failed(read(op, "delay", delay, values)))
    return failure();
  proj.delays = toVector<int32_t>(values);
  return success();
}

/// One projection in either storage form.
LogicalResult exportProjection(ProjectionOpInterface op,
                               snnrt::Projection &proj) {
  proj.name = op.getSymName().str();
  proj.source = op.getSource().str();
  proj.target = op.getTarget().str();
  proj.maxDelay = static_cast<uint32_t>(op.getMaxDelay());
  if (failed(checkFloatWeights(op, op.getWeight())))
    return failure();
  SmallVector<float> weights;
  if (failed(read(op, "weight", op.getWeight(), weights)))
    return failure();
  proj.weights = toVector<float>(weights);
  if (failed(readOptional(op, "sign", op.getSign(), proj.signs)) ||
      failed(exportDelays(op, proj)))
    return failure();
  if (auto sparse = dyn_cast<SparseProjectionOp>(op.getOperation())) {
    proj.layout = snnrt::ProjectionLayout::Csr;
    SmallVector<int64_t> rowPtr;
    SmallVector<int32_t> colIdx;
    if (failed(read(sparse, "row_ptr", sparse.getRowPtr(), rowPtr)) ||
        failed(read(sparse, "col_idx", sparse.getColIdx(), colIdx)))
      return failure();
    proj.rowPtr = toVector<uint64_t>(rowPtr);
    proj.colIdx = toVector<uint32_t>(colIdx);
    return success();
  }
  proj.layout = snnrt::ProjectionLayout::Dense;
  return readOptional<uint8_t, bool>(
      op, "mask", cast<ProjectionOp>(op.getOperation()).getMask(), proj.mask);
}

/// What lif and li populations share: time constants and biases.
LogicalResult exportNeuronParameters(NeuronPopulationOpInterface op,
                                     snnrt::Population &pop) {
  pop.tauMem = op.getTauMem().convertToDouble();
  if (auto tauSyn = op.getTauSyn())
    pop.tauSyn = tauSyn->convertToDouble();
  if (failed(readOptional(op, "tau_mem_per_neuron", op.getTauMemPerNeuron(),
                          pop.tauMemPerNeuron)) ||
      failed(readOptional(op, "tau_syn_per_neuron", op.getTauSynPerNeuron(),
                          pop.tauSynPerNeuron)) ||
      failed(readOptional(op, "bias", op.getBias(), pop.bias)) ||
      failed(readOptional(op, "bias_syn", op.getBiasSyn(), pop.biasSyn)))
    return failure();
  return success();
}

/// One population op of the network.
LogicalResult exportPopulation(PopulationOpInterface op,
                               snnrt::Population &pop) {
  pop.name = op.getSymName().str();
  pop.size = static_cast<uint32_t>(op.getSize());
  if (auto in = dyn_cast<InputOp>(op.getOperation())) {
    pop.kind = snnrt::PopulationKind::Input;
    pop.inputKind = toRuntime(in.getEncoding());
    pop.scale = in.getScale().convertToDouble();
    return success();
  }
  if (failed(exportNeuronParameters(
          cast<NeuronPopulationOpInterface>(op.getOperation()), pop)))
    return failure();
  auto lif = dyn_cast<LIFOp>(op.getOperation());
  if (!lif) {
    pop.kind = snnrt::PopulationKind::Li;
    return success();
  }
  pop.kind = snnrt::PopulationKind::Lif;
  pop.threshold = lif.getThreshold().convertToDouble();
  if (failed(readOptional(lif, "threshold_per_neuron",
                          lif.getThresholdPerNeuron(), pop.thresholdPerNeuron)))
    return failure();
  pop.reset = toRuntime(lif.getReset());
  pop.convention = toRuntime(lif.getConvention());
  if (auto dropout = lif.getDropout())
    pop.dropout = dropout->convertToDouble();
  return success();
}

LogicalResult exportBatchNorm(BatchNormOp bn, snnrt::BatchNorm &stats) {
  SmallVector<float> gamma, beta, mean, var;
  if (failed(read(bn, "gamma", bn.getGamma(), gamma)) ||
      failed(read(bn, "beta", bn.getBeta(), beta)) ||
      failed(read(bn, "mean", bn.getMean(), mean)) ||
      failed(read(bn, "var", bn.getVar(), var)))
    return failure();
  stats.gamma = toVector<float>(gamma);
  stats.beta = toVector<float>(beta);
  stats.mean = toVector<float>(mean);
  stats.var = toVector<float>(var);
  stats.eps = bn.getEps().convertToDouble();
  stats.momentum = bn.getMomentum().convertToDouble();
  return success();
}

/// The training record importModel attaches to the network, if any.
void exportTrainingInfo(NetworkOp network, snnrt::TrainingInfo &t) {
  auto training = dyn_cast_or_null<DictionaryAttr>(
      network->getDiscardableAttr(kTrainingAttrName));
  if (!training)
    return;
  if (auto s = training.getAs<StringAttr>("delay_mode"))
    t.delayMode = s.str();
  if (auto i = training.getAs<IntegerAttr>("epochs"))
    t.epochs = i.getInt();
  if (auto i = training.getAs<IntegerAttr>("seed")) {
    int64_t bits = i.getInt();
    std::memcpy(&t.seed, &bits, sizeof(bits));
  }
  if (auto f = training.getAs<FloatAttr>("train_accuracy"))
    t.trainAccuracy = f.getValueAsDouble();
  if (auto f = training.getAs<FloatAttr>("test_accuracy"))
    t.testAccuracy = f.getValueAsDouble();
  if (auto s = training.getAs<StringAttr>("dataset"))
    t.dataset = s.str();
}

} // namespace

FailureOr<snnrt::Model> snnc::exportModel(NetworkOp network) {
  snnrt::Model model;
  model.name = network.getSymName().str();
  model.dt = network.getDt().convertToDouble();
  model.steps = static_cast<uint32_t>(network.getSteps());
  model.decay = toRuntime(network.getDecay());
  exportTrainingInfo(network, model.training);

  // Populations first, so batchnorms can find theirs whatever the op order.
  llvm::StringMap<size_t> populationIndex;
  for (auto op : network.getBodyBlock().getOps<PopulationOpInterface>()) {
    snnrt::Population pop;
    if (failed(exportPopulation(op, pop)))
      return failure();
    populationIndex[pop.name] = model.populations.size();
    model.populations.push_back(std::move(pop));
  }
  for (Operation &op : network.getBodyBlock()) {
    if (auto bn = dyn_cast<BatchNormOp>(op)) {
      snnrt::BatchNorm stats;
      if (failed(exportBatchNorm(bn, stats)))
        return failure();
      model.populations[populationIndex[bn.getTarget()]].batchnorm = stats;
    } else if (auto proj = dyn_cast<ProjectionOpInterface>(op)) {
      snnrt::Projection p;
      if (failed(exportProjection(proj, p)))
        return failure();
      model.projections.push_back(std::move(p));
    } else if (auto out = dyn_cast<OutputOp>(op)) {
      model.outputs.push_back(out.getPopulation().str());
    }
  }
  snnrt::Status status = model.validate();
  if (!status)
    return network->emitOpError()
           << "does not form a valid model: " << status.message();
  return model;
}
