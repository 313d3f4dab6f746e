//===- SNNHWDialect.cpp - The snnhw dialect -------------------------------===//

#include "snnhw/SNNHWDialect.h"
#include "snnhw/SNNHWOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace snnc::snnhw;

#include "snnhw/SNNHWEnums.cpp.inc"
#include "snnhw/SNNHWOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "snnhw/SNNHWAttrs.cpp.inc"

void SNNHWDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "snnhw/SNNHWAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "snnhw/SNNHWOps.cpp.inc"
      >();
}
