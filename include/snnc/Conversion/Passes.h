//===- Passes.h - Conversion snn -> snnhw -----------------------*- C++ -*-===//
#pragma once

#include "snn/SNNOps.h"
#include "snnhw/SNNHWOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace snnc {

#define GEN_PASS_DECL
#include "snnc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "snnc/Conversion/Passes.h.inc"

} // namespace snnc
