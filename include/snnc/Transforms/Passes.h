//===- Passes.h - Lowering passes on the snn dialect ------------*- C++ -*-===//
//
// Declarations and registration of the snnc passes (Passes.td). Each pass
// runs on one snn.network; `createFooPass()` and `createFooPass(options)`
// come from the generated declarations.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"

#include "mlir/Pass/Pass.h"

#include <memory>

namespace snnc {

#define GEN_PASS_DECL
#include "snnc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "snnc/Transforms/Passes.h.inc"

} // namespace snnc
