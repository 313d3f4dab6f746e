//===- MapToCores.h - Checks shared by snn-map-to-cores and compile -*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"
#include "snnc/Target/Target.h"

namespace snnc {

/// The chip-wide limits a network meets whatever its arithmetic: input
/// channels and output neurons. `snnc compile` checks them before lowering
/// so that the first diagnostic is the fundamental one (Xylo's 16 inputs),
/// not a consequence of quantising for a chip the network cannot use.
/// Emits the diagnostic on the op concerned.
mlir::LogicalResult checkChipLimits(snn::NetworkOp net, const Target &target);

} // namespace snnc
