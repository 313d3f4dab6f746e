//===- ModelFile.h - model.h5 reader and writer -----------------*- C++ -*-===//
//
// Layout: docs/formats/model.md. The reader validates everything
// (Model::validate) and names the HDF5 object at fault; the writer validates
// first and writes atomically (temp file + rename).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Hdf5File.h"
#include "snnrt/model/Model.h"

#include <string>

namespace snnrt {

/// The version writeModel stamps: 1 unless the model uses a version-2
/// feature (per-neuron tau_mem/tau_syn/threshold, a synaptic current on an
/// li population), so files older readers can read stay version 1.
int64_t modelFormatVersionFor(const Model &model);

Expected<Model> readModel(const std::string &path);
Status writeModel(const std::string &path, const Model &model);

/// The same, on an already open file (the checkpoint adds its own groups to
/// the model's).
Expected<Model> readModel(const h5::File &file);
Status writeModel(h5::File &file, const Model &model);

} // namespace snnrt
