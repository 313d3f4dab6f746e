//===- IntNetworkExport.h - integer snn network -> snnrt::IntNetwork -*- C++ -*-===//
//
// After `snn-quantize` a network is integer (SNN-I*, verifier rules
// SNN-V18..V21). This turns it into the runtime's unmapped integer network,
// which the flat reference executor runs (docs/design.md §5, level 2).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"
#include "snnrt/exec/IntNetwork.h"

#include "mlir/Support/LogicalResult.h"

namespace snnc {

/// Fails, with an error on the op, for a float network or an input the
/// runtime cannot hold.
mlir::FailureOr<snnrt::IntNetwork> exportIntNetwork(snn::NetworkOp network);

} // namespace snnc
