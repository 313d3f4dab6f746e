//===- snn-opt.cpp - mlir-opt with every snnc dialect and pass ------------===//

#include "snn/SNNDialect.h"
#include "snnc/Conversion/Passes.h"
#include "snnc/Pipelines/Pipelines.h"
#include "snnc/Transforms/Passes.h"
#include "snnhw/SNNHWDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  snnc::registerSNNTransformsPasses();
  snnc::registerPipelines();
  snnc::registerSNNConversionPasses();
  mlir::DialectRegistry registry;
  registry.insert<snnc::snn::SNNDialect>();
  registry.insert<snnc::snnhw::SNNHWDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "snn-opt: the snnc dialects and passes\n", registry));
}
