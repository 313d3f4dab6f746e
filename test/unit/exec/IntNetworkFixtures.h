//===- IntNetworkFixtures.h - Small integer networks for tests -*- C++ -*--===//
#pragma once

#include "snnrt/exec/IntNetwork.h"

#include <cstdint>

namespace snnrt::fixtures {

/// An input population "in" of `size` spike channels.
inline IntPopulation spikeInput(uint32_t size) {
  IntPopulation p;
  p.name = "in";
  p.kind = PopulationKind::Input;
  p.size = size;
  p.inputKind = InputKind::Spikes;
  return p;
}

} // namespace snnrt::fixtures
