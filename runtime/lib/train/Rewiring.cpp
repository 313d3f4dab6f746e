//===- Rewiring.cpp - DEEP R / RigL rewiring with a fixed budget ----------===//
#include "snnrt/train/Rewiring.h"

#include "snnrt/train/CudaRewiring.h"
#include "snnrt/train/RewiringMath.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <utility>

namespace snnrt {

const char *toString(RewireMode mode) {
  switch (mode) {
  case RewireMode::None:
    return "none";
  case RewireMode::DeepR:
    return "deepr";
  case RewireMode::RigL:
    return "rigl";
  }
  return "?";
}

std::optional<RewireMode> parseRewireMode(const std::string &text) {
  if (text == "none")
    return RewireMode::None;
  if (text == "deepr")
    return RewireMode::DeepR;
  if (text == "rigl")
    return RewireMode::RigL;
  return std::nullopt;
}

Expected<Rewirer> Rewirer::create(const Model &model,
                                  const Engine<float> &engine,
                                  const RewireConfig &config) {
  if (config.interval < 1)
    return Status::error("rewiring interval must be at least 1 step");
  if (config.temperature < 0 || config.l1Step < 0 || config.regrowValue <= 0)
    return Status::error("rewiring temperature and L1 step must be >= 0 and "
                         "the regrowth value > 0");
  Rewirer r;
  r.cfg_ = config;
  for (size_t pi = 0; pi < model.projections.size(); ++pi) {
    const Projection &p = model.projections[pi];
    if (p.signs.empty())
      continue;
    int k = engine.findParam("projections/" + p.name + "/weights");
    if (k < 0)
      return Status::error("projections/" + p.name +
                           ": no weight tensor in the engine");
    for (float w : p.weights)
      if (!(w >= 0.0f))
        return Status::error("projections/" + p.name +
                             "/weights: a signed projection stores "
                             "magnitudes theta >= 0 (Dale's law, SNN-F2)");
    r.managed_.push_back(k);
    CsrInfo info;
    info.csr = p.isCsr();
    info.posParam =
        p.hasPositions()
            ? engine.findParam("projections/" + p.name + "/positions")
            : -1;
    info.projection = pi;
    info.maxDelay = p.maxDelay;
    info.rows = model.populations[model.findPopulation(p.target)].size;
    info.cols = model.populations[model.findPopulation(p.source)].size;
    r.info_.push_back(info);
  }
  if (r.managed_.empty())
    return Status::error("no projection to rewire: sparse training needs "
                         "projections with per-source signs (sparsify)");
  return r;
}

namespace {
/// The n smallest (key, slot) pairs of `pool`, best first (RewiringMath.h's
/// selection rule; the GPU's stable radix sort gives the same order).
std::vector<size_t> smallestBy(const std::vector<size_t> &pool,
                               const std::vector<uint64_t> &keys, size_t n) {
  std::vector<size_t> order(pool.size());
  std::iota(order.begin(), order.end(), 0);
  n = std::min(n, order.size());
  std::partial_sort(order.begin(), order.begin() + n, order.end(),
                    [&](size_t a, size_t b) {
                      return rewiring::selectedBefore(keys[a], pool[a],
                                                      keys[b], pool[b]);
                    });
  std::vector<size_t> out(n);
  for (size_t k = 0; k < n; ++k)
    out[k] = pool[order[k]];
  return out;
}
} // namespace

Status rewireSlots(const SlotRewireSpec &spec, std::vector<float> &theta,
                   std::vector<uint8_t> &present, const SlotGradientFn &grads,
                   SlotRewireResult &result) {
  result = SlotRewireResult();
  const size_t slots = theta.size();
  if (present.size() != slots)
    return Status::error("rewiring: values and mask differ in size");
  // Steps 1-2: DEEP R's terms, theta *= mask, theta >= 0 (SNN-F2).
  for (size_t i = 0; i < slots; ++i)
    theta[i] = rewiring::presentStep(theta[i], present[i] != 0,
                                     spec.l1Decrement, spec.noiseScale,
                                     spec.key, i);
  if (!spec.rewire || spec.mode == RewireMode::None)
    return Status::ok();
  std::vector<size_t> removed, absent;
  for (size_t i = 0; i < slots; ++i) {
    if (rewiring::dropped(theta[i], present[i] != 0))
      removed.push_back(i);
    else if (!present[i])
      absent.push_back(i);
  }
  const size_t n = removed.size();
  if (n == 0)
    return Status::ok();
  // Slots dropped now may only come back when nothing else is free (full
  // connectivity): regrowing what was just removed would undo the step.
  std::vector<size_t> pool;
  if (absent.size() < n) {
    for (size_t i = 0; i < slots; ++i)
      if (!present[i] || rewiring::dropped(theta[i], true))
        pool.push_back(i);
  } else {
    pool = std::move(absent);
  }
  auto randomKeys = [&](const std::vector<size_t> &v) {
    std::vector<uint64_t> k(v.size());
    for (size_t j = 0; j < v.size(); ++j)
      k[j] = rewiring::selectionKey(spec.key, v[j]);
    return k;
  };
  std::vector<size_t> grow;
  if (spec.mode == RewireMode::DeepR) {
    grow = smallestBy(pool, randomKeys(pool), n); // uniform n-subset
  } else {
    // RigL: dL/dtheta of absent slots, only here (docs/sparse-training.md).
    std::vector<size_t> cand = pool;
    if (spec.candidates > 0 && cand.size() > size_t(spec.candidates) * n) {
      cand = smallestBy(pool, randomKeys(pool), size_t(spec.candidates) * n);
      std::sort(cand.begin(), cand.end());
    }
    std::vector<float> g;
    SNNRT_TRY(grads(cand, g));
    if (g.size() != cand.size())
      return Status::error("rewiring: slot gradients of the wrong size");
    std::vector<uint64_t> keys(cand.size());
    for (size_t j = 0; j < cand.size(); ++j)
      keys[j] = rewiring::gradientKey(g[j]);
    grow = smallestBy(cand, keys, n); // most negative first, ties by slot
  }
  for (size_t i : removed) {
    present[i] = 0;
    theta[i] = 0.0f;
  }
  for (size_t i : grow) {
    present[i] = 1;
    theta[i] = float(spec.regrowValue);
  }
  result.removed = n;
  result.grown = std::move(grow);
  return Status::ok();
}

namespace {
/// Keeps the n smallest (key, slot) pairs seen, for selections over slots
/// that are enumerated rather than stored.
class BestN {
public:
  explicit BestN(size_t n) : n_(n) {}
  void offer(uint64_t key, size_t slot) {
    if (n_ == 0)
      return;
    if (heap_.size() < n_) {
      heap_.emplace(key, slot);
    } else if (rewiring::selectedBefore(key, slot, heap_.top().first,
                                        heap_.top().second)) {
      heap_.pop();
      heap_.emplace(key, slot);
    }
  }
  /// Slots, best first (the order smallestBy gives).
  std::vector<size_t> take() {
    std::vector<size_t> out(heap_.size());
    for (size_t i = out.size(); i-- > 0; heap_.pop())
      out[i] = heap_.top().second;
    return out;
  }

private:
  size_t n_;
  // (key, slot) compares like selectedBefore: the top is the worst kept.
  std::priority_queue<std::pair<uint64_t, size_t>> heap_;
};
} // namespace

Status rewireCsr(const SlotRewireSpec &spec, uint32_t rows, uint32_t cols,
                 std::vector<uint64_t> &rowPtr, std::vector<uint32_t> &colIdx,
                 std::vector<float> &theta, const SlotGradientFn &grads,
                 CsrRewireResult &result) {
  result = CsrRewireResult();
  const size_t nnz = colIdx.size();
  if (rowPtr.size() != size_t(rows) + 1 || rowPtr.back() != nnz ||
      theta.size() != nnz)
    return Status::error("rewiring: CSR structure and values differ in size");
  const uint64_t slots = uint64_t(rows) * cols;
  // Steps 1-2 on the present synapses, keyed by their slot as in the mask.
  for (uint32_t r = 0; r < rows; ++r)
    for (uint64_t k = rowPtr[r]; k < rowPtr[r + 1]; ++k)
      theta[k] = rewiring::presentStep(theta[k], true, spec.l1Decrement,
                                       spec.noiseScale, spec.key,
                                       uint64_t(r) * cols + colIdx[k]);
  if (!spec.rewire || spec.mode == RewireMode::None)
    return Status::ok();
  size_t n = 0;
  for (size_t k = 0; k < nnz; ++k)
    n += rewiring::dropped(theta[k], true);
  if (n == 0)
    return Status::ok();
  // The pool: absent slots, and the ones dropped now only when there are too
  // few of those (rewireSlots' rule). Visited in slot order, never stored.
  const bool withDropped = slots - nnz < n;
  auto forEachPool = [&](auto &&visit) {
    for (uint32_t r = 0; r < rows; ++r) {
      uint64_t k = rowPtr[r];
      for (uint32_t c = 0; c < cols; ++c) {
        const bool present = k < rowPtr[r + 1] && colIdx[k] == c;
        const bool inPool =
            !present || (withDropped && rewiring::dropped(theta[k], true));
        if (present)
          ++k;
        if (inPool)
          visit(uint64_t(r) * cols + c);
      }
    }
  };
  const uint64_t poolSize =
      withDropped ? slots - nnz + n : slots - nnz;
  std::vector<size_t> grow;
  if (spec.mode == RewireMode::DeepR) {
    BestN best(n);
    forEachPool([&](uint64_t s) {
      best.offer(rewiring::selectionKey(spec.key, s), s);
    });
    grow = best.take();
  } else {
    std::vector<size_t> cand;
    if (spec.candidates > 0 && poolSize > uint64_t(spec.candidates) * n) {
      BestN best(size_t(spec.candidates) * n);
      forEachPool([&](uint64_t s) {
        best.offer(rewiring::selectionKey(spec.key, s), s);
      });
      cand = best.take();
      std::sort(cand.begin(), cand.end());
    } else {
      // Every absent slot: RigL's exact choice, as costly as one dense
      // gradient product, and only at rewiring steps.
      cand.reserve(poolSize);
      forEachPool([&](uint64_t s) { cand.push_back(s); });
    }
    std::vector<float> g;
    SNNRT_TRY(grads(cand, g));
    if (g.size() != cand.size())
      return Status::error("rewiring: slot gradients of the wrong size");
    BestN best(n);
    for (size_t j = 0; j < cand.size(); ++j)
      best.offer(rewiring::gradientKey(g[j]), cand[j]);
    grow = best.take(); // most negative first, ties by slot
  }
  // The new structure: per row, the kept synapses merged with the grown
  // slots of that row, in column order.
  std::vector<size_t> bySlot = grow;
  std::sort(bySlot.begin(), bySlot.end());
  std::vector<uint64_t> newPtr(size_t(rows) + 1, 0);
  std::vector<uint32_t> newCol;
  std::vector<float> newTheta;
  newCol.reserve(nnz);
  newTheta.reserve(nnz);
  result.from.reserve(nnz);
  size_t gi = 0;
  for (uint32_t r = 0; r < rows; ++r) {
    const uint64_t rowEnd = uint64_t(r + 1) * cols;
    uint64_t k = rowPtr[r];
    while (true) {
      // Skip dropped synapses (a dropped slot that is regrown comes back
      // through `grow`, fresh).
      while (k < rowPtr[r + 1] && rewiring::dropped(theta[k], true))
        ++k;
      const bool haveOld = k < rowPtr[r + 1];
      const bool haveNew = gi < bySlot.size() && bySlot[gi] < rowEnd;
      if (!haveOld && !haveNew)
        break;
      const uint32_t newC = haveNew ? uint32_t(bySlot[gi] % cols) : 0;
      if (haveOld && (!haveNew || colIdx[k] < newC)) {
        newCol.push_back(colIdx[k]);
        newTheta.push_back(theta[k]);
        result.from.push_back(int64_t(k));
        ++k;
      } else {
        newCol.push_back(newC);
        newTheta.push_back(float(spec.regrowValue));
        result.from.push_back(-1);
        ++gi;
      }
    }
    newPtr[r + 1] = newCol.size();
  }
  if (newCol.size() != nnz)
    return Status::error("rewiring: the CSR synapse count changed from " +
                             std::to_string(nnz) + " to " +
                             std::to_string(newCol.size()),
                         ErrorKind::Internal);
  rowPtr = std::move(newPtr);
  colIdx = std::move(newCol);
  theta = std::move(newTheta);
  result.removed = n;
  result.grown = std::move(grow);
  return Status::ok();
}

namespace {
uint64_t timingKey(uint64_t seed, uint64_t projection) {
  return rewiring::streamKey(seed ^ 0x7A11D3E1A75ull, 0, 0, projection);
}
} // namespace

int32_t regrownDelay(uint64_t seed, uint64_t projection, uint64_t slot,
                     uint32_t maxDelay) {
  uint64_t h = rewiring::slotHash(timingKey(seed, projection), slot, 3);
  return int32_t((h >> 11) % std::max<uint32_t>(maxDelay, 1));
}

float regrownPosition(uint64_t seed, uint64_t projection, uint64_t slot,
                      uint32_t maxDelay) {
  uint64_t h = rewiring::slotHash(timingKey(seed, projection), slot, 3);
  double u = double(h >> 11) * 0x1.0p-53; // [0, 1)
  double half = (double(maxDelay) - 1.0) / 2.0;
  return float(-half + 2.0 * half * u);
}

Status Rewirer::afterStep(StepContext &ctx) {
  ++stats_.steps;
  // The global step count (restored on resume) keeps the schedule exact.
  const bool rewire =
      cfg_.mode != RewireMode::None && ctx.step % cfg_.interval == 0;
  // Training on the GPU sets slotGradients; the work follows it there.
  const bool onGpu = cfg_.device == RewireDevice::Cuda ||
                     (cfg_.device == RewireDevice::Auto &&
                      bool(ctx.slotGradients) && !ctx.slotGradientsOnHost);
  auto &params = ctx.engine.params();
  for (size_t m = 0; m < managed_.size(); ++m) {
    const int param = managed_[m];
    auto &w = params[param];
    SlotRewireSpec spec;
    spec.mode = cfg_.mode;
    spec.rewire = rewire;
    spec.l1Decrement = ctx.lrWeights * cfg_.l1Step;
    spec.noiseScale = std::sqrt(2.0 * ctx.lrWeights * cfg_.temperature);
    spec.key = rewiring::streamKey(cfg_.seed, uint64_t(ctx.epoch), ctx.batch,
                                   m);
    spec.candidates = cfg_.candidates;
    spec.regrowValue = cfg_.regrowValue;
    if (info_[m].csr) {
      SNNRT_TRY(afterStepCsr(ctx, m, spec, onGpu));
      continue;
    }
    SlotGradientFn grads = [&ctx, param](const std::vector<size_t> &slots,
                                         std::vector<float> &g) {
      return ctx.slotGradients ? ctx.slotGradients(param, slots, g)
                               : ctx.engine.slotGradients(param, slots, g);
    };
    std::vector<uint8_t> present = w.present;
    SlotRewireResult r;
    SNNRT_TRY(onGpu ? cudaRewireSlots(spec, w.value, present, grads, r)
                    : rewireSlots(spec, w.value, present, grads, r));
    if (r.removed == 0)
      continue;
    // A new synapse starts with fresh optimiser moments.
    for (size_t i : r.grown) {
      ctx.adamM[param][i] = 0.0f;
      ctx.adamV[param][i] = 0.0f;
    }
    stats_.removed += r.removed;
    stats_.regrown += r.grown.size();
    SNNRT_TRY(ctx.engine.setPresent(param, present));
  }
  if (rewire)
    ++stats_.rewirings;
  return Status::ok();
}

Status Rewirer::afterStepCsr(StepContext &ctx, size_t m,
                             const SlotRewireSpec &spec, bool onGpu) {
  const CsrInfo &info = info_[m];
  const int param = managed_[m];
  const Projection *p = ctx.engine.projectionFor(param);
  if (!p || !p->isCsr())
    return Status::error("rewiring: weight tensor " + std::to_string(param) +
                             " is no longer a CSR projection",
                         ErrorKind::Internal);
  if (onGpu)
    return Status::error("projections/" + p->name +
                         ": rewiring a CSR projection runs with CPU training "
                         "(--sparse-format dense on the GPU)");
  auto &params = ctx.engine.params();
  auto timingOf = [&](size_t slot) {
    return info.posParam >= 0
               ? double(regrownPosition(cfg_.seed, info.projection, slot,
                                        info.maxDelay))
               : double(regrownDelay(cfg_.seed, info.projection, slot,
                                     info.maxDelay));
  };
  SlotGradientFn grads = [&](const std::vector<size_t> &slots,
                             std::vector<float> &g) {
    // A micro-batched run computed them before the step, with these timings
    // (attachRewiring's slotGradientsNeeded).
    if (ctx.slotGradients && ctx.slotGradientsOnHost)
      return ctx.slotGradients(param, slots, g);
    std::vector<double> timing(slots.size());
    for (size_t j = 0; j < slots.size(); ++j)
      timing[j] = timingOf(slots[j]);
    return ctx.engine.slotGradients(param, slots, timing, g);
  };
  std::vector<uint64_t> rowPtr = p->rowPtr;
  std::vector<uint32_t> colIdx = p->colIdx;
  std::vector<float> theta = params[param].value;
  CsrRewireResult r;
  SNNRT_TRY(rewireCsr(spec, info.rows, info.cols, rowPtr, colIdx, theta,
                      grads, r));
  if (r.removed == 0) {
    params[param].value = std::move(theta); // steps 1-2 only
    return Status::ok();
  }
  // Move each kept synapse's timing and optimiser moments to its new index;
  // a regrown one starts with fresh moments (m = v = 0) and its slot's timing.
  const size_t nnz = colIdx.size();
  auto remap = [&](std::vector<float> &v, float fresh) {
    std::vector<float> out(nnz);
    for (size_t k = 0; k < nnz; ++k)
      out[k] = r.from[k] < 0 ? fresh : v[size_t(r.from[k])];
    v = std::move(out);
  };
  remap(ctx.adamM[param], 0.0f);
  remap(ctx.adamV[param], 0.0f);
  CsrSynapses<float> syn;
  if (info.posParam >= 0) {
    remap(ctx.adamM[info.posParam], 0.0f);
    remap(ctx.adamV[info.posParam], 0.0f);
    syn.positions.resize(nnz);
  }
  if (info.posParam < 0)
    syn.delays.resize(nnz);
  for (uint32_t row = 0; row < info.rows; ++row)
    for (uint64_t k = rowPtr[row]; k < rowPtr[row + 1]; ++k) {
      const int64_t f = r.from[k];
      const size_t slot = size_t(row) * info.cols + colIdx[k];
      if (info.posParam >= 0)
        syn.positions[k] = f < 0 ? float(timingOf(slot))
                                 : params[info.posParam].value[size_t(f)];
      else
        syn.delays[k] = f < 0 ? int32_t(timingOf(slot)) : p->delays[size_t(f)];
    }
  syn.rowPtr = std::move(rowPtr);
  syn.colIdx = std::move(colIdx);
  syn.weights = std::move(theta);
  stats_.removed += r.removed;
  stats_.regrown += r.grown.size();
  return ctx.engine.setCsr(param, std::move(syn));
}

void attachRewiring(TrainConfig &train, const Model &model,
                    const RewireConfig &config,
                    std::shared_ptr<Rewirer> *rewirer) {
  // RigL's gradients at absent slots read the spikes of sources that have
  // no synapse yet; the engine must not skip them.
  train.computeAllSpikes |= config.mode == RewireMode::RigL;
  auto holder = std::make_shared<std::shared_ptr<Rewirer>>();
  if (rewirer)
    *rewirer = nullptr;
  // The engine exists only inside the trainer: build the rewirer on the
  // first step, from the model's structure (signs, layout).
  train.afterStep = [holder, model, config, rewirer](StepContext &ctx) {
    if (!*holder) {
      auto r = Rewirer::create(model, ctx.engine, config);
      if (!r)
        return r.status();
      *holder = std::make_shared<Rewirer>(r.take());
      if (rewirer)
        *rewirer = *holder;
    }
    return (*holder)->afterStep(ctx);
  };
  // A micro-batched run (data-parallel training) has no activations of the
  // whole batch after the step, so RigL's slot gradients are computed per
  // micro-batch before it: every slot of every tensor rewired at this step
  // (a CSR slot with the timing afterStepCsr gives a regrown synapse).
  train.slotGradientsNeeded = nullptr;
  if (config.mode == RewireMode::RigL)
    train.slotGradientsNeeded = [model, seed = config.seed,
                                 interval = config.interval](
                                    const Engine<float> &engine, int64_t step) {
      std::vector<SlotGradientRequest> out;
      if (interval < 1 || step % interval != 0)
        return out;
      for (size_t pi = 0; pi < model.projections.size(); ++pi) {
        const Projection &p = model.projections[pi];
        int k = engine.findParam("projections/" + p.name + "/weights");
        if (p.signs.empty() || k < 0)
          continue;
        SlotGradientRequest r;
        r.param = k;
        size_t rows = model.populations[model.findPopulation(p.target)].size;
        size_t cols = model.populations[model.findPopulation(p.source)].size;
        r.slots.resize(rows * cols);
        std::iota(r.slots.begin(), r.slots.end(), size_t(0));
        if (p.isCsr()) {
          r.timing.resize(r.slots.size());
          for (size_t s = 0; s < r.slots.size(); ++s)
            r.timing[s] =
                p.hasPositions()
                    ? double(regrownPosition(seed, pi, s, p.maxDelay))
                    : double(regrownDelay(seed, pi, s, p.maxDelay));
        }
        out.push_back(std::move(r));
      }
      return out;
    };
}

} // namespace snnrt
