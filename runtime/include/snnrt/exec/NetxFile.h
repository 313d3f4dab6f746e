//===- NetxFile.h - A lava-cuba network as a lava-dl NetX file --*- C++ -*-===//
//
// Writes an unmapped `lava-cuba` integer network as the NetX HDF5 file that
// lava-dl's `netx.hdf5.Network` loads into Lava (docs/semantics.md, SNN-L1..
// L14), so that Lava itself can run what snnc compiled (`snnc verify
// --vendor lava`, level 5). Only what Lava computes exactly like snnc is
// written; anything netx or Lava would silently change is refused with the
// population or projection named.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/exec/IntNetwork.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {

/// NetX delays: DelayDense keeps 63 slots (SNN-L3).
constexpr int32_t kNetxMaxDelay = 62;

/// Relay layers one projection may need (SNN-L14): each adds up to 63 steps,
/// so delays up to 63 · 16 + 62 = 1070 are written.
constexpr int32_t kNetxMaxRelays = 16;

/// One dense NetX layer as written (values in the file's units).
struct NetxLayer {
  std::string name;             ///< the snnc population (NetX `name`)
  uint32_t size = 0, fanIn = 0; ///< shape, inputs
  std::vector<int32_t> weight;  ///< [size × fanIn], row-major
  std::vector<int32_t> delay;   ///< [size × fanIn]; empty: all 0 (Dense)
  std::vector<int32_t> bias;    ///< [size], NetX units (state / 64)
  int32_t iDecay = 4096, vDecay = 0, vThMant = 0;
  /// A relay layer the exporter added for delays above kNetxMaxDelay
  /// (SNN-L14): `name` is `<projection>_netx_relay<k>`, no snnc population.
  bool relay = false;
  /// For a relay layer: the projection it serves (for diagnostics).
  std::string projection;
};

/// The chain input → layer 1 → … as NetX layers, or why it is not
/// expressible.
Expected<std::vector<NetxLayer>> netxLayers(const IntNetwork &net);

/// Whether netx + Lava store `w` (a dense [out × in] integer matrix) so that
/// every synaptic sum equals snnc's exact Σ w·s (SNN-L4, SNN-L5); otherwise
/// the reason, naming the first weight Lava changes.
Status netxWeightsExact(const std::vector<int32_t> &w);

/// Writes `net` (arithmetic lava-cuba, a chain) as a NetX file, atomically.
Status writeNetx(const std::string &path, const IntNetwork &net);

} // namespace snnrt
