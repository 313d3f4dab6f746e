//===- Rewiring.cpp - DEEP R / RigL rewiring with a fixed budget ----------===//
#include "snnrt/Rewiring.h"

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

Status Rewirer::afterStep(StepContext &ctx) {
  ++stats_.steps;
  // The global step count (restored on resume) keeps the schedule exact.
  const bool rewire =
      cfg_.mode != RewireMode::None && ctx.step % cfg_.interval == 0;
  auto &params = ctx.engine.params();
  for (size_t m = 0; m < managed_.size(); ++m) {
    auto &w = params[managed_[m]];
    Rng rng = Rng::derive(cfg_.seed ^ 0xdee9u, uint64_t(ctx.epoch) * 131 + m,
                          ctx.batch);
    // DEEP R's noise and L1 step on present synapses (Bellec et al.).
    if (cfg_.temperature > 0 || cfg_.l1Step > 0) {
      double noise = std::sqrt(2.0 * ctx.lrWeights * cfg_.temperature);
      for (size_t i = 0; i < w.value.size(); ++i) {
        if (!w.present[i])
          continue;
        double v = w.value[i] - ctx.lrWeights * cfg_.l1Step;
        if (noise > 0) { // Box-Muller from the portable stream
          double u1 = std::max(rng.uniform(), 1e-300), u2 = rng.uniform();
          v += noise * std::sqrt(-2.0 * std::log(u1)) *
               std::cos(2.0 * M_PI * u2);
        }
        w.value[i] = float(v);
      }
    }
    // theta *= mask, and no magnitude below 0: a negative theta would flip
    // the synapse's sign against its source's (SNN-F2).
    for (size_t i = 0; i < w.value.size(); ++i)
      w.value[i] = w.present[i] ? std::max(w.value[i], 0.0f) : 0.0f;
    if (rewire)
      SNNRT_TRY(rewireTensor(ctx, managed_[m], rng));
  }
  if (rewire)
    ++stats_.rewirings;
  return Status::ok();
}

Status Rewirer::rewireTensor(StepContext &ctx, int param, Rng &rng) {
  auto &w = ctx.engine.params()[param];
  const size_t slots = w.value.size();
  std::vector<size_t> removed, absent;
  for (size_t i = 0; i < slots; ++i) {
    if (w.present[i] && w.value[i] <= 0.0f)
      removed.push_back(i);
    else if (!w.present[i])
      absent.push_back(i);
  }
  const size_t n = removed.size();
  if (n == 0)
    return Status::ok();
  // Slots dropped now may only come back when nothing else is free (full
  // connectivity): regrowing what was just removed would undo the step.
  if (absent.size() < n)
    absent.insert(absent.end(), removed.begin(), removed.end());
  std::vector<size_t> grow;
  if (cfg_.mode == RewireMode::DeepR) {
    for (size_t k = 0; k < n; ++k) {
      std::swap(absent[k], absent[k + rng.below(absent.size() - k)]);
      grow.push_back(absent[k]);
    }
  } else {
    // RigL: dL/dtheta of absent slots, only here (docs/sparse-training.md).
    std::vector<size_t> cand = absent;
    if (cfg_.candidates > 0 && cand.size() > size_t(cfg_.candidates) * n) {
      size_t c = size_t(cfg_.candidates) * n;
      for (size_t k = 0; k < c; ++k)
        std::swap(cand[k], cand[k + rng.below(cand.size() - k)]);
      cand.resize(c);
    }
    std::vector<float> g;
    SNNRT_TRY(ctx.slotGradients ? ctx.slotGradients(param, cand, g)
                                : ctx.engine.slotGradients(param, cand, g));
    std::vector<size_t> order(cand.size());
    std::iota(order.begin(), order.end(), 0);
    // Most negative first; ties by slot index so the choice is reproducible.
    std::partial_sort(order.begin(), order.begin() + n, order.end(),
                      [&](size_t a, size_t b) {
                        return g[a] != g[b] ? g[a] < g[b] : cand[a] < cand[b];
                      });
    for (size_t k = 0; k < n; ++k)
      grow.push_back(cand[order[k]]);
  }
  std::vector<uint8_t> present = w.present;
  for (size_t i : removed) {
    present[i] = 0;
    w.value[i] = 0.0f;
  }
  for (size_t i : grow) {
    present[i] = 1;
    w.value[i] = float(cfg_.regrowValue);
    // A new synapse starts with fresh optimiser moments.
    ctx.adamM[param][i] = 0.0f;
    ctx.adamV[param][i] = 0.0f;
  }
  stats_.removed += n;
  stats_.regrown += grow.size();
  return ctx.engine.setPresent(param, present);
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
}

} // namespace snnrt
