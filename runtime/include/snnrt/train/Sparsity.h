//===- Sparsity.h - Exact synapse budgets and Dale signs --------*- C++ -*-===//
//
// Turns a freshly built network into the paper's sparse form
// (docs/reference.md §1): every projection keeps exactly the target count of
// synapses (a dense mask, so rewiring can move them to any slot), weights
// become magnitudes theta >= 0 and each presynaptic neuron gets a fixed sign
// (Dale's law, SNN-F2's sigma_a), never learned.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"

#include <cstdint>
#include <optional>
#include <string>

namespace snnrt {

struct SparsitySpec {
  /// Fraction of absent synapses; the paper's levels are 1 - 2^-k.
  double sparsity = 0.0;
  /// Probability that a presynaptic neuron is excitatory (+1).
  double excitatoryFraction = 0.5;
  /// Rescale the initial magnitudes to the expected fan-in (connectivity x
  /// sources) instead of the dense one, so the input current keeps its
  /// variance as the network gets sparser (docs/sparse-training.md).
  bool rescaleToFanIn = true;
};

/// Synapses kept out of `slots` at `sparsity`: round((1 - s) * slots), at
/// least 1 so that every projection stays connected.
uint64_t targetSynapses(uint64_t slots, double sparsity);

/// Makes every projection of `model` sparse and signed (deterministic in
/// `seed`). Projections must be dense-layout without a mask; their weights
/// become |w| on the kept slots and 0 elsewhere.
Status sparsify(Model &model, const SparsitySpec &spec, uint64_t seed);

/// How a sparse model is stored while it trains (docs/sparse-training.md,
/// "CSR"): a dense layout with a mask (slot arrays of rows x cols), or CSR
/// (arrays of the kept synapses only; forward, backward, Adam and rewiring
/// all cost in proportion to them). Auto picks CSR from kCsrAutoSparsity.
enum class SparseFormat { Auto, Dense, Csr };
const char *toString(SparseFormat format);
std::optional<SparseFormat> parseSparseFormat(const std::string &text);

/// Auto uses CSR at this sparsity and above (connectivity 1/2 and below):
/// bench/results/sparse-bench-csr.txt measured CSR at least as fast as the dense
/// layout there, and it holds a fraction of the memory.
constexpr double kCsrAutoSparsity = 0.5;

/// Dense or Csr for a run at `sparsity` (< 0: a dense, unsigned network,
/// always Dense).
SparseFormat resolveSparseFormat(SparseFormat format, double sparsity);

/// Converts every dense-layout projection with a mask to CSR: the present
/// slots in row-major order with their weights and delays or positions;
/// signs, Dmax and sigma stay. Other projections are left as they are.
Status toCsrLayout(Model &model);

} // namespace snnrt
