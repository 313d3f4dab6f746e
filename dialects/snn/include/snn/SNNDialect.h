//===- SNNDialect.h - The snn dialect ---------------------------*- C++ -*-===//
#pragma once

#include "mlir/IR/Dialect.h"

#include "snn/SNNOpsDialect.h.inc"
