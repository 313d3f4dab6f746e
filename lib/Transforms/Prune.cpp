//===- Prune.cpp - snn-prune ----------------------------------------------===//
//
// Magnitude pruning to a density per projection and to a fan-in limit per
// target neuron. Dense projections record removals in their mask (M = 0,
// SNN-F2); CSR projections drop the entries.
//
//===----------------------------------------------------------------------===//

#include "snnc/Transforms/Passes.h"

#include "ProjectionUtils.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace snnc {
#define GEN_PASS_DEF_PRUNEPASS
#include "snnc/Transforms/Passes.h.inc"
} // namespace snnc

using namespace mlir;
using namespace snnc;
using namespace snnc::detail;

namespace {

struct ProjectionState {
  snn::ProjectionOpInterface op;
  SynapseIndex index;
  SmallVector<double> weight;
  SmallVector<bool> before; ///< presence before pruning
  int64_t byDensity = 0, byFanIn = 0;
};

/// The entries `keep[i]` of the 1-D array `attr` of `proj` (blob name
/// "<proj>_<field>"), or null when they cannot be read.
template <typename T>
ElementsAttr filterArray(Operation *proj, StringRef field, ElementsAttr attr,
                         ArrayRef<bool> keep, int64_t kept) {
  SmallVector<T> values, out;
  if (failed(snn::getElementValues(attr, values)))
    return nullptr;
  out.reserve(kept);
  for (size_t i = 0; i < values.size(); ++i)
    if (keep[i])
      out.push_back(values[i]);
  auto type = RankedTensorType::get({kept}, attr.getElementType());
  return makeTensor<T>(type, blobName(proj, field), ArrayRef<T>(out));
}

struct PrunePass : public snnc::impl::PrunePassBase<PrunePass> {
  using PrunePassBase::PrunePassBase;

  void runOnOperation() override;
  LogicalResult apply(ProjectionState &state);
};

/// Sorts synapse entries by decreasing magnitude, earlier entry first on
/// ties, so the pruning is deterministic.
template <typename Key>
void sortByMagnitude(SmallVectorImpl<int64_t> &order, Key magnitude) {
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return magnitude(a) > magnitude(b);
  });
}

LogicalResult PrunePass::apply(ProjectionState &state) {
  SynapseIndex &index = state.index;
  if (!index.sparse) {
    auto dense = cast<snn::ProjectionOp>(state.op.getOperation());
    auto type = RankedTensorType::get({index.numTargets, index.numSources},
                                      IntegerType::get(&getContext(), 1));
    dense.setMaskAttr(makeTensor<bool>(type, blobName(dense, "mask"),
                                       ArrayRef<bool>(index.present)));
    return success();
  }
  auto proj = cast<snn::SparseProjectionOp>(state.op.getOperation());
  int64_t kept = index.numPresent();
  SmallVector<int64_t> rowPtr(index.numTargets + 1, 0);
  for (size_t i = 0; i < index.present.size(); ++i)
    if (index.present[i])
      ++rowPtr[index.target[i] + 1];
  for (int64_t b = 0; b < index.numTargets; ++b)
    rowPtr[b + 1] += rowPtr[b];
  ArrayRef<bool> keep = index.present;
  ElementsAttr colIdx =
      filterArray<int32_t>(proj, "col_idx", proj.getColIdx(), keep, kept);
  ElementsAttr delay, position;
  if (std::optional<ElementsAttr> d = proj.getDelay())
    delay = filterArray<int32_t>(proj, "delay", *d, keep, kept);
  if (std::optional<ElementsAttr> p = proj.getPosition())
    position = filterArray<float>(proj, "position", *p, keep, kept);
  if (!colIdx || (proj.getDelay() && !delay) ||
      (proj.getPosition() && !position))
    return proj->emitOpError() << "has unreadable synapse arrays";
  SmallVector<double> keptWeights;
  for (size_t i = 0; i < state.weight.size(); ++i)
    if (keep[i])
      keptWeights.push_back(state.weight[i]);
  auto rowType = RankedTensorType::get({index.numTargets + 1},
                                       IntegerType::get(&getContext(), 64));
  proj.setRowPtrAttr(makeTensor<int64_t>(rowType, blobName(proj, "row_ptr"),
                                         ArrayRef<int64_t>(rowPtr)));
  proj.setWeightAttr(makeWeightTensor(
      RankedTensorType::get({kept}, proj.getWeight().getElementType()),
      blobName(proj, "weight"), keptWeights));
  proj.setColIdxAttr(colIdx);
  if (delay)
    proj.setDelayAttr(delay);
  if (position)
    proj.setPositionAttr(position);
  return success();
}

void PrunePass::runOnOperation() {
  snn::NetworkOp net = getOperation();
  if (!(density > 0 && density <= 1)) {
    net.emitError() << "snn-prune: 'density' must lie in (0, 1], got "
                    << fmt(density);
    return signalPassFailure();
  }
  if (maxFanIn < 0) {
    net.emitError() << "snn-prune: 'max-fan-in' must be >= 0 (0: no limit), "
                       "got "
                    << static_cast<int64_t>(maxFanIn);
    return signalPassFailure();
  }
  std::vector<ProjectionState> states;
  for (auto proj : net.getBodyBlock().getOps<snn::ProjectionOpInterface>()) {
    // Relay links are structure (SNN-I10, SNN-V22), not weights to prune.
    if (feedsRelay(proj))
      continue;
    ProjectionState state{proj, {}, {}, {}};
    if (failed(buildSynapseIndex(proj, state.index)) ||
        failed(proj.getWeightValues(state.weight))) {
      proj->emitOpError() << "has unreadable synapse arrays";
      return signalPassFailure();
    }
    int64_t present = state.index.numPresent();
    state.before = state.index.present;
    numBefore += present;
    if (density < 1 && present > 0) {
      // ceil: a projection never loses all of its synapses to density.
      int64_t keep = std::min<int64_t>(
          present, static_cast<int64_t>(std::ceil(density * present - 1e-9)));
      keep = std::max<int64_t>(keep, 1);
      SmallVector<int64_t> order;
      order.reserve(present);
      for (size_t i = 0; i < state.index.present.size(); ++i)
        if (state.index.present[i])
          order.push_back(i);
      sortByMagnitude(order,
                      [&](int64_t i) { return std::abs(state.weight[i]); });
      for (int64_t k = keep; k < present; ++k)
        state.index.present[order[k]] = false;
      numRemovedDensity += present - keep;
      state.byDensity = present - keep;
    }
    states.push_back(std::move(state));
  }

  if (maxFanIn > 0) {
    // Fan-in counts every synapse into a neuron, whatever projection it
    // belongs to: group present entries per (target population, neuron).
    llvm::DenseMap<Attribute, SmallVector<size_t>> byTarget;
    for (size_t s = 0; s < states.size(); ++s)
      byTarget[states[s].op.getTargetAttr()].push_back(s);
    for (auto &[target, members] : byTarget) {
      int64_t numNeurons = states[members.front()].index.numTargets;
      // Entries (state, synapse) of each neuron, in projection then
      // synapse order.
      std::vector<SmallVector<std::pair<uint32_t, int64_t>, 0>> perNeuron(
          numNeurons);
      for (size_t s : members) {
        const SynapseIndex &index = states[s].index;
        for (size_t i = 0; i < index.present.size(); ++i)
          if (index.present[i])
            perNeuron[index.target[i]].push_back({uint32_t(s), int64_t(i)});
      }
      for (auto &entries : perNeuron) {
        if (int64_t(entries.size()) <= maxFanIn)
          continue;
        SmallVector<int64_t> order(entries.size());
        std::iota(order.begin(), order.end(), 0);
        sortByMagnitude(order, [&](int64_t k) {
          return std::abs(states[entries[k].first].weight[entries[k].second]);
        });
        for (size_t k = maxFanIn; k < order.size(); ++k) {
          auto [s, i] = entries[order[k]];
          states[s].index.present[i] = false;
          ++states[s].byFanIn;
        }
        numRemovedFanIn += entries.size() - maxFanIn;
      }
    }
  }

  for (ProjectionState &state : states) {
    int64_t after = state.index.numPresent();
    numAfter += after;
    if (remarks)
      state.op->emitRemark()
          << "snn-prune: @" << state.op.getSymName() << " keeps " << after
          << " of " << after + state.byDensity + state.byFanIn << " synapses ("
          << state.byDensity << " removed by density, " << state.byFanIn
          << " by fan-in)";
    // Leave untouched projections byte-identical (no mask of all ones).
    if (state.before == state.index.present)
      continue;
    if (failed(apply(state)))
      return signalPassFailure();
  }
}

} // namespace
