//===- DiscretizeDelays.cpp - snn-discretize-delays -----------------------===//
//
// DCLS positions to the integer delays evaluation uses (SNN-F4).
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include <algorithm>

namespace snnc {
#define GEN_PASS_DEF_DISCRETIZEDELAYSPASS
#include "snnc/Transforms/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;
using namespace snnc::detail;

namespace {

struct DiscretizeDelaysPass
    : public snnc::impl::DiscretizeDelaysPassBase<DiscretizeDelaysPass> {
  using DiscretizeDelaysPassBase::DiscretizeDelaysPassBase;

  void runOnOperation() override {
    snn::NetworkOp net = getOperation();
    for (auto proj : net.getBodyBlock().getOps<snn::ProjectionOpInterface>())
      if (proj.getPosition() && failed(discretize(proj)))
        return signalPassFailure();
  }

  LogicalResult discretize(snn::ProjectionOpInterface proj) {
    ElementsAttr position = *proj.getPosition();
    double sigma = 0;
    if (std::optional<APFloat> s = proj.getSigma())
      sigma = s->convertToDouble();
    if (maxSigma >= 0 && sigma > maxSigma)
      return proj->emitOpError()
             << "DCLS width sigma = " << fmt(sigma)
             << " exceeds max-sigma = " << fmt(maxSigma)
             << ": the kernel has not annealed, so rounding the positions "
                "(SNN-F4) changes what the network computes";
    SmallVector<float> p;
    if (failed(snn::getElementValues(position, p)))
      return proj->emitOpError() << "has unreadable DCLS positions";
    int64_t maxDelay = proj.getMaxDelay();
    // The same arithmetic as the runtime's roundedDelay: double h − p,
    // rounded half to even, then clamped (SNN-F4). SNN-V12 keeps p in
    // [−h, h], so the clamp only guards the conversion.
    double h = (double(maxDelay) - 1.0) / 2.0;
    SmallVector<int32_t> delays(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
      double d = roundHalfEven(h - double(p[i]));
      d = std::min(std::max(d, 0.0), double(maxDelay - 1));
      delays[i] = static_cast<int32_t>(d);
    }
    auto type = RankedTensorType::get(position.getShapedType().getShape(),
                                      IntegerType::get(&getContext(), 32));
    proj.setDelayAttr(makeTensor<int32_t>(type, blobName(proj, "delay"),
                                          ArrayRef<int32_t>(delays)));
    proj.removePositionAttr();
    proj.removeSigmaAttr();
    ++numProjections;
    numSynapses += delays.size();
    return success();
  }
};

} // namespace
