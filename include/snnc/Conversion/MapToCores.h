//===- MapToCores.h - Checks shared by snn-map-to-cores and compile -*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"
#include "snnc/Target/Target.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace snnc {

/// The chip-wide limits a network meets whatever its arithmetic: input
/// channels and output neurons. `snnc compile` checks them before lowering
/// so that the first diagnostic is the fundamental one (Xylo's 16 inputs),
/// not a consequence of quantising for a chip the network cannot use.
/// Emits the diagnostic on the op concerned.
mlir::LogicalResult checkChipLimits(snn::NetworkOp net, const Target &target);

/// Reads a rate profile ({"rates": {"<population>": [spikes per sample,
/// ...]}}, what `snnc run --profile` writes) into `rates`. Returns the
/// diagnostic, naming `path`, when the text is not such a profile.
std::optional<std::string>
parseRateProfile(llvm::StringRef text, llvm::StringRef path,
                 llvm::StringMap<std::vector<double>> &rates);

} // namespace snnc
