//===- Sparsity.cpp - Exact synapse budgets and Dale signs ----------------===//
#include "snnrt/train/Sparsity.h"
#include "snnrt/base/Random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace snnrt {

uint64_t targetSynapses(uint64_t slots, double sparsity) {
  double keep = std::llround((1.0 - sparsity) * double(slots));
  return std::clamp<uint64_t>(uint64_t(std::max(keep, 1.0)), 1, slots);
}

Status sparsify(Model &model, const SparsitySpec &spec, uint64_t seed) {
  if (!(spec.sparsity >= 0.0 && spec.sparsity < 1.0))
    return Status::error("sparsity must lie in [0, 1), got " +
                         std::to_string(spec.sparsity));
  if (!(spec.excitatoryFraction >= 0.0 && spec.excitatoryFraction <= 1.0))
    return Status::error("excitatory fraction must lie in [0, 1]");
  for (size_t i = 0; i < model.projections.size(); ++i) {
    Projection &p = model.projections[i];
    if (p.isCsr() || !p.mask.empty())
      return Status::error("projections/" + p.name +
                           ": already sparse; sparsify expects a dense "
                           "projection without a mask");
    int src = model.findPopulation(p.source);
    if (src < 0)
      return Status::error("projections/" + p.name + ": unknown source");
    const uint32_t cols = model.populations[src].size;
    const uint64_t slots = p.weights.size();
    const uint64_t keep = targetSynapses(slots, spec.sparsity);
    // A stream per projection: adding a layer does not change the others.
    Rng rng = Rng::derive(seed, 0x5ba45e, i);
    // Exactly `keep` slots: a partial Fisher-Yates over all slot indices.
    std::vector<uint64_t> idx(slots);
    std::iota(idx.begin(), idx.end(), 0);
    for (uint64_t k = 0; k < keep; ++k)
      std::swap(idx[k], idx[k + rng.below(slots - k)]);
    p.mask.assign(slots, 0);
    for (uint64_t k = 0; k < keep; ++k)
      p.mask[idx[k]] = 1;
    // Dale's law (SNN-F2): one sign per presynaptic neuron.
    p.signs.resize(cols);
    for (auto &s : p.signs)
      s = rng.uniform() < spec.excitatoryFraction ? 1 : -1;
    // theta = |w|: the builder's weights are symmetric around 0, so their
    // magnitudes have the same distribution as the dense init's |w|.
    double scale =
        spec.rescaleToFanIn ? std::sqrt(double(slots) / double(keep)) : 1.0;
    for (uint64_t k = 0; k < slots; ++k)
      p.weights[k] = p.mask[k] ? float(std::fabs(p.weights[k]) * scale) : 0.0f;
  }
  return model.validate();
}

const char *toString(SparseFormat format) {
  switch (format) {
  case SparseFormat::Auto:
    return "auto";
  case SparseFormat::Dense:
    return "dense";
  case SparseFormat::Csr:
    return "csr";
  }
  return "?";
}

std::optional<SparseFormat> parseSparseFormat(const std::string &text) {
  if (text == "auto")
    return SparseFormat::Auto;
  if (text == "dense")
    return SparseFormat::Dense;
  if (text == "csr")
    return SparseFormat::Csr;
  return std::nullopt;
}

SparseFormat resolveSparseFormat(SparseFormat format, double sparsity) {
  if (sparsity < 0)
    return SparseFormat::Dense;
  if (format == SparseFormat::Auto)
    return sparsity >= kCsrAutoSparsity ? SparseFormat::Csr
                                        : SparseFormat::Dense;
  return format;
}

Status toCsrLayout(Model &model) {
  for (Projection &p : model.projections) {
    if (p.isCsr() || p.mask.empty())
      continue;
    int tgt = model.findPopulation(p.target);
    int src = model.findPopulation(p.source);
    if (tgt < 0 || src < 0)
      return Status::error("projections/" + p.name + ": unknown population");
    const uint32_t rows = model.populations[tgt].size;
    const uint32_t cols = model.populations[src].size;
    if (p.mask.size() != size_t(rows) * cols)
      return Status::error("projections/" + p.name + "/mask: " +
                           std::to_string(p.mask.size()) +
                           " entries, expected " +
                           std::to_string(size_t(rows) * cols));
    std::vector<uint64_t> rowPtr(size_t(rows) + 1, 0);
    std::vector<uint32_t> colIdx;
    std::vector<float> weights, positions;
    std::vector<int32_t> delays;
    for (uint32_t r = 0; r < rows; ++r) {
      for (uint32_t c = 0; c < cols; ++c) {
        size_t k = size_t(r) * cols + c;
        if (!p.mask[k])
          continue;
        colIdx.push_back(c);
        weights.push_back(p.weights[k]);
        if (!p.positions.empty())
          positions.push_back(p.positions[k]);
        if (!p.delays.empty())
          delays.push_back(p.delays[k]);
      }
      rowPtr[r + 1] = colIdx.size();
    }
    p.layout = ProjectionLayout::Csr;
    p.rowPtr = std::move(rowPtr);
    p.colIdx = std::move(colIdx);
    p.weights = std::move(weights);
    p.positions = std::move(positions);
    p.delays = std::move(delays);
    p.mask.clear();
    p.mask.shrink_to_fit();
  }
  return model.validate();
}

} // namespace snnrt
