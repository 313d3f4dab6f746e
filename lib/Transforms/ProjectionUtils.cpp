//===- ProjectionUtils.cpp - Shared helpers of the snn passes -------------===//

#include "ProjectionUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>
#include <cstdio>

using namespace mlir;

namespace snnc::detail {

bool isProjection(Operation *op) {
  return isa<snn::ProjectionOp, snn::SparseProjectionOp>(op);
}

SmallVector<Operation *> getProjections(snn::NetworkOp net) {
  SmallVector<Operation *> out;
  for (Operation &op : net.getBodyBlock())
    if (isProjection(&op))
      out.push_back(&op);
  return out;
}

SmallVector<Operation *> getIncomingProjections(snn::NetworkOp net,
                                                Operation *population) {
  SmallVector<Operation *> out;
  StringRef name = symbolName(population);
  for (Operation *proj : getProjections(net))
    if (proj->getAttrOfType<FlatSymbolRefAttr>("target").getValue() == name)
      out.push_back(proj);
  return out;
}

bool feedsRelay(snn::NetworkOp net, Operation *proj) {
  auto lif = dyn_cast_or_null<snn::LIFOp>(snn::lookupPopulation(
      net, proj->getAttrOfType<FlatSymbolRefAttr>("target")));
  return lif && lif.getRelay();
}

StringRef symbolName(Operation *op) {
  return SymbolTable::getSymbolName(op).getValue();
}

int64_t SynapseIndex::numPresent() const {
  int64_t n = 0;
  for (bool p : present)
    n += p;
  return n;
}

LogicalResult buildSynapseIndex(snn::NetworkOp net, Operation *proj,
                                SynapseIndex &index) {
  Operation *src = snn::lookupPopulation(
      net, proj->getAttrOfType<FlatSymbolRefAttr>("source"));
  Operation *dst = snn::lookupPopulation(
      net, proj->getAttrOfType<FlatSymbolRefAttr>("target"));
  if (!src || !dst)
    return failure();
  index.numSources = snn::getPopulationSize(src);
  index.numTargets = snn::getPopulationSize(dst);
  index.target.clear();
  index.source.clear();
  index.present.clear();
  if (auto sparse = dyn_cast<snn::SparseProjectionOp>(proj)) {
    index.sparse = true;
    SmallVector<int64_t> rowPtr;
    SmallVector<int32_t> cols;
    if (failed(snn::getElementValues(sparse.getRowPtr(), rowPtr)) ||
        failed(snn::getElementValues(sparse.getColIdx(), cols)))
      return failure();
    index.target.resize(cols.size());
    for (int64_t b = 0; b < index.numTargets; ++b)
      for (int64_t k = rowPtr[b]; k < rowPtr[b + 1]; ++k)
        index.target[k] = static_cast<int32_t>(b);
    index.source.assign(cols.begin(), cols.end());
    index.present.assign(cols.size(), true);
    return success();
  }
  auto dense = cast<snn::ProjectionOp>(proj);
  index.sparse = false;
  int64_t n = index.numTargets * index.numSources;
  index.target.resize(n);
  index.source.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    index.target[i] = static_cast<int32_t>(i / index.numSources);
    index.source[i] = static_cast<int32_t>(i % index.numSources);
  }
  if (auto mask = dense.getMask()) {
    if (failed(snn::getElementValues(*mask, index.present)))
      return failure();
  } else {
    index.present.assign(n, true);
  }
  return success();
}

LogicalResult readWeights(Operation *proj, SmallVectorImpl<double> &out) {
  auto weight = proj->getAttrOfType<ElementsAttr>("weight");
  out.clear();
  if (!weight)
    return failure();
  if (weight.getElementType().isF32()) {
    SmallVector<float> values;
    if (failed(snn::getElementValues(weight, values)))
      return failure();
    out.assign(values.begin(), values.end());
    return success();
  }
  SmallVector<int64_t> values;
  if (failed(snn::getIntegerValues(weight, values)))
    return failure();
  out.reserve(values.size());
  for (int64_t v : values)
    out.push_back(static_cast<double>(v));
  return success();
}

template <typename T>
ElementsAttr makeTensor(ShapedType type, StringRef name, ArrayRef<T> values) {
  if (values.size() <= 16)
    return llvm::cast<ElementsAttr>(DenseElementsAttr::get(type, values));
  return snn::makeResourceAttr<T>(type, name, values);
}

template ElementsAttr makeTensor<float>(ShapedType, StringRef, ArrayRef<float>);
template ElementsAttr makeTensor<int8_t>(ShapedType, StringRef,
                                         ArrayRef<int8_t>);
template ElementsAttr makeTensor<int16_t>(ShapedType, StringRef,
                                          ArrayRef<int16_t>);
template ElementsAttr makeTensor<int32_t>(ShapedType, StringRef,
                                          ArrayRef<int32_t>);
template ElementsAttr makeTensor<int64_t>(ShapedType, StringRef,
                                          ArrayRef<int64_t>);
template ElementsAttr makeTensor<bool>(ShapedType, StringRef, ArrayRef<bool>);

std::string blobName(Operation *owner, StringRef field) {
  return (symbolName(owner) + "_" + field).str();
}

double roundHalfEven(double x) {
  // std::nearbyint rounds half to even under the default FE_TONEAREST mode,
  // the same call the runtime's roundedDelay (SNN-F4) uses.
  return std::nearbyint(x);
}

std::string fmt(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", value);
  return buf;
}

} // namespace snnc::detail
