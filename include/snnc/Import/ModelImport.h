//===- ModelImport.h - snnrt::Model <-> snn dialect -------------*- C++ -*-===//
//
// The runtime's in-memory network (what model.h5 stores) and the `snn`
// dialect hold the same fields; these two functions translate between them
// so that model.h5 -> MLIR -> model.h5 reproduces every parameter bit for bit.
// Parameter arrays become dense_resource blobs named "<op>_<field>".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"
#include "snnrt/model/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace snnc {

/// Builds a module holding one `snn.network` for `model`. The model must have
/// passed Model::validate(); the result verifies.
mlir::OwningOpRef<mlir::ModuleOp> importModel(const snnrt::Model &model,
                                              mlir::MLIRContext *context);

/// Translates a verified float network back into a model. Fails (with an
/// error on the op at fault) for what model.h5 cannot hold, e.g. integer
/// (quantised) weights.
mlir::FailureOr<snnrt::Model> exportModel(snn::NetworkOp network);

} // namespace snnc
