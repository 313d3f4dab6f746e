//===- Rewiring.cpp - DEEP R / RigL rewiring with a fixed budget ----------===//
#include "snnrt/train/Rewiring.h"

#include "snnrt/train/CudaRewiring.h"
#include "snnrt/train/RewiringMath.h"

#include <algorithm>
#include <cmath>
#include <numeric>

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
  for (const Projection &p : model.projections) {
    if (p.isCsr() || p.signs.empty())
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
  }
  if (r.managed_.empty())
    return Status::error("no projection to rewire: sparse training needs "
                         "dense-layout projections with per-source signs");
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

void attachRewiring(TrainConfig &train, const Model &model,
                    const RewireConfig &config,
                    std::shared_ptr<Rewirer> *rewirer) {
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
  // micro-batch before it: every slot of every tensor rewired at this step.
  train.slotGradientsNeeded = nullptr;
  if (config.mode == RewireMode::RigL)
    train.slotGradientsNeeded = [model, interval = config.interval](
                                    const Engine<float> &engine, int64_t step) {
      std::vector<int> out;
      if (interval < 1 || step % interval != 0)
        return out;
      for (const Projection &p : model.projections)
        if (!p.isCsr() && !p.signs.empty())
          if (int k = engine.findParam("projections/" + p.name + "/weights");
              k >= 0)
            out.push_back(k);
      return out;
    };
}

} // namespace snnrt
