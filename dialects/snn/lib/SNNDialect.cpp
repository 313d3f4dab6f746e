//===- SNNDialect.cpp - The snn dialect -----------------------------------===//

#include "snn/SNNDialect.h"
#include "snn/SNNOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace snnc::snn;

#include "snn/SNNOpsDialect.cpp.inc"
#include "snn/SNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "snn/SNNAttrs.cpp.inc"

void SNNDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "snn/SNNAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "snn/SNNOps.cpp.inc"
      >();
}
