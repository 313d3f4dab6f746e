//===- ImportFile.h - Networks from and to files ----------------*- C++ -*-===//
//
// What `snnc import`, `snnc export` and `snnc compile` call: read a network
// from model.h5, a NIR graph (.nir) or MLIR, and write one back. The kind of
// a file is told by its content (an HDF5 root attribute `format` =
// "snnc-model" for models, a `/node` group for NIR), not by its name.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"
#include "snnrt/nir/NirDiscretize.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>

namespace snnc {

/// Options for NIR, which stores neither a time step nor a reset mode.
struct NirImportOptions {
  /// Seconds per step; 0 takes the convention's default
  /// (nirConventionDefaultDt), and is an error for Generic.
  double dt = 0;
  std::optional<snnrt::ResetMode> reset;  ///< required for spiking NIR nodes
  /// Generic only: a convention fixes the decay mode.
  snnrt::DecayMode decay = snnrt::DecayMode::Linear;
  uint32_t steps = 100;                   ///< the network's T
  /// Whose arithmetic the file's numbers follow (docs/nir.md).
  snnrt::NirConvention convention = snnrt::NirConvention::Generic;
};

/// How `snnc export` writes NIR.
struct NirExportOptions {
  /// Write only what today's readers (snnTorch, Norse, Rockpool, Sinabs,
  /// Spyx) accept: no node metadata, no v_reset (all zero on export, NIR's
  /// default), a LIF/LI bias as the bias of the Affine node in front
  /// instead of v_leak, and refuse per-synapse delays (none of them runs a
  /// Delay node) rather than write a file they misread.
  bool compat = false;
  /// Stamped into /version (the 1.0 layout; "1.0.4" for Sinabs's pinned nir).
  std::string version = "1.0.8";
  /// Not Generic: write each neuron the way that framework's NIR reader
  /// reads it back (its dt, its meaning of tau/r/w_in, gains it cannot
  /// express folded into the incoming weights), so the loaded network
  /// computes what the model does; refuse populations whose reset, order
  /// or kind the reader cannot build (docs/nir.md, "--nir-reader"). Implies
  /// `compat`.
  snnrt::NirConvention reader = snnrt::NirConvention::Generic;
  /// Per-synapse delays for a reader (none runs a Delay node): `Auto`
  /// writes the delay-expanded form (relay neurons in one recurrent layer,
  /// snnrt::nirAddRelayedProjection) where the reader runs it exactly
  /// whatever the input, and refuses where that needs a condition (0/1
  /// input frames for a projection leaving an input population, Sinabs
  /// stepped one step per call); `Expand` writes it under the condition
  /// too (with a note); `Refuse` refuses delays. Ignored without a reader
  /// (the plain export writes Delay nodes, --nir-compat refuses them).
  enum class Delays { Auto, Expand, Refuse } delays = Delays::Auto;
};

/// Reads any supported network file into a verified module. On failure the
/// status names the file and the problem (MLIR diagnostics are printed).
snnrt::Status importNetworkFile(const std::string &path,
                                const NirImportOptions &nirOptions,
                                mlir::MLIRContext &context,
                                mlir::OwningOpRef<mlir::ModuleOp> &module);

/// Writes the module's single network as model.h5 (`.h5`), NIR (`.nir`) or
/// MLIR (anything else; bytecode when `bytecode`). Atomic: a temp file is
/// renamed into place, so a failure leaves no partial output.
snnrt::Status exportNetworkFile(mlir::ModuleOp module, const std::string &path,
                                bool bytecode = false,
                                const NirExportOptions &nirOptions = {});

} // namespace snnc
