//===- NirImport.h - NIR graphs <-> snnrt::Model ----------------*- C++ -*-===//
//
// NIR is a graph of continuous-time nodes; snnc's model is a DAG of
// discrete-time populations joined by delayed projections. docs/nir.md gives
// the neuron mapping (snnrt/nir/NirDiscretize.h) and how paths of Affine,
// Linear, Scale and Delay nodes between two neuron nodes become one
// projection — and, on export, how per-synapse delays become one Linear +
// Delay pair per distinct delay value.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnc/Import/ImportFile.h"

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"
#include "snnrt/nir/NirGraph.h"

#include <string>

namespace snnc {

/// Builds a model from a (possibly nested) NIR graph. `where` (the file)
/// prefixes errors, which name the node and field at fault.
snnrt::Expected<snnrt::Model> nirToModel(const snnrt::NirGraph &graph,
                                         const NirImportOptions &options,
                                         const std::string &where);

/// Writes a float model as NIR 1.0. BatchNorm must be folded first; DCLS
/// positions are exported as their rounded delays (SNN-F4); Dale signs and
/// masks are folded into the weights (snnrt::nirAddDelayedProjection writes
/// the per-delay Linear + Delay nodes). Neuron parameters are float64 so that
/// importing the result gives back the model's gains, biases and thresholds.
snnrt::Expected<snnrt::NirGraph>
modelToNir(const snnrt::Model &model, const NirExportOptions &options = {});

} // namespace snnc
