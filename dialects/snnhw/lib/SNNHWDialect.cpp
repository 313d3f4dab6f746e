//===- SNNHWDialect.cpp - The snnhw dialect -------------------------------===//

#include "snnhw/SNNHWDialect.h"
#include "snnhw/SNNHWOps.h"

using namespace mlir;
using namespace snnc::snnhw;

#include "snnhw/SNNHWOpsDialect.cpp.inc"

void SNNHWDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "snnhw/SNNHWOps.cpp.inc"
      >();
}
