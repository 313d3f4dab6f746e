//===- PlanFromSystem.h - snnhw.system -> snnrt::Plan -----------*- C++ -*-===//
#pragma once

#include "snnhw/SNNHWOps.h"
#include "snnrt/exec/Plan.h"

namespace snnc {

/// Copies a verified snnhw.system into the plan the runtime executes.
mlir::FailureOr<snnrt::Plan> planFromSystem(snnhw::SystemOp system);

} // namespace snnc
