//===- ProjectionUtils.cpp - Shared helpers of the snn passes -------------===//

#include "ProjectionUtils.h"

#include "snnrt/model/Quantization.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>
#include <cstdio>

using namespace mlir;

namespace snnc::detail {

SmallVector<snn::ProjectionOpInterface>
getIncomingProjections(snn::NetworkOp net, StringRef population) {
  SmallVector<snn::ProjectionOpInterface> out;
  for (auto proj : net.getBodyBlock().getOps<snn::ProjectionOpInterface>())
    if (proj.getTarget() == population)
      out.push_back(proj);
  return out;
}

bool feedsRelay(snn::ProjectionOpInterface proj) {
  auto lif =
      dyn_cast_or_null<snn::LIFOp>(proj.getTargetPopulation().getOperation());
  return lif && lif.getRelay();
}

int64_t SynapseIndex::numPresent() const {
  int64_t n = 0;
  for (bool p : present)
    n += p;
  return n;
}

LogicalResult buildSynapseIndex(snn::ProjectionOpInterface proj,
                                SynapseIndex &index) {
  snn::PopulationOpInterface src = proj.getSourcePopulation();
  snn::PopulationOpInterface dst = proj.getTargetPopulation();
  if (!src || !dst)
    return failure();
  index.numSources = src.getSize();
  index.numTargets = dst.getSize();
  index.target.clear();
  index.source.clear();
  index.present.clear();
  if (auto sparse = dyn_cast<snn::SparseProjectionOp>(proj.getOperation())) {
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
  auto dense = cast<snn::ProjectionOp>(proj.getOperation());
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

template <typename T>
static ElementsAttr convertedTensor(ShapedType type, StringRef name,
                                    ArrayRef<double> values) {
  SmallVector<T> converted;
  converted.reserve(values.size());
  for (double v : values)
    converted.push_back(static_cast<T>(v));
  return makeTensor<T>(type, name, ArrayRef<T>(converted));
}

ElementsAttr makeWeightTensor(ShapedType type, StringRef name,
                              ArrayRef<double> values) {
  Type element = type.getElementType();
  if (element.isF32())
    return convertedTensor<float>(type, name, values);
  if (element.isInteger(8))
    return convertedTensor<int8_t>(type, name, values);
  if (element.isInteger(16))
    return convertedTensor<int16_t>(type, name, values);
  return convertedTensor<int32_t>(type, name, values);
}

std::string blobName(Operation *owner, StringRef field) {
  return (SymbolTable::getSymbolName(owner).getValue() + "_" + field).str();
}

double roundHalfEven(double x) {
  // The runtime's rule (std::nearbyint under FE_TONEAREST), which
  // quantisation-aware training and roundedDelay (SNN-F4) use too.
  return snnrt::quant::roundHalfEven(x);
}

std::string fmt(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", value);
  return buf;
}

} // namespace snnc::detail
