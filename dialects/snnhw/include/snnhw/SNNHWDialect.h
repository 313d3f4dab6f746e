//===- SNNHWDialect.h - The snnhw dialect -----------------------*- C++ -*-===//
#pragma once

#include "mlir/IR/Dialect.h"

#include "snnhw/SNNHWOpsDialect.h.inc"
