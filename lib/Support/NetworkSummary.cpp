//===- NetworkSummary.cpp - What a network holds, in numbers --------------===//

#include "snnc/NetworkSummary.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace snnc;
using namespace snnc::snn;

int64_t NetworkSummary::neurons() const {
  int64_t n = 0;
  for (const auto &p : populations)
    n += p.size;
  return n;
}

int64_t NetworkSummary::synapses() const {
  int64_t n = 0;
  for (const auto &p : projections)
    n += p.synapses;
  return n;
}

int64_t snnc::roundedDelay(float position, int64_t maxDelay) {
  double h = (maxDelay - 1) / 2.0;
  // nearbyint in the default rounding mode rounds half to even (SNN-F4).
  double d = std::nearbyint(h - static_cast<double>(position));
  return static_cast<int64_t>(std::clamp(d, 0.0, double(maxDelay - 1)));
}

namespace {
template <typename ProjOp>
void summarizeDelays(ProjOp op, ArrayRef<bool> keep, ProjectionSummary &s) {
  SmallVector<int64_t> delays;
  if (auto delay = op.getDelay()) {
    SmallVector<int32_t> values;
    (void)getElementValues(*delay, values);
    delays.assign(values.begin(), values.end());
  } else if (auto position = op.getPosition()) {
    s.dcls = true;
    SmallVector<float> values;
    (void)getElementValues(*position, values);
    for (float p : values)
      delays.push_back(roundedDelay(p, s.maxDelay));
  }
  int64_t count = 0;
  double sum = 0;
  s.delayMin = INT64_MAX;
  s.delayMax = 0;
  for (size_t i = 0; i < delays.size(); ++i) {
    if (!keep.empty() && !keep[i])
      continue;
    s.delayMin = std::min(s.delayMin, delays[i]);
    s.delayMax = std::max(s.delayMax, delays[i]);
    sum += delays[i];
    ++count;
  }
  if (count == 0)
    s.delayMin = 0;
  s.delayMean = count ? sum / count : 0;
  s.synapses = count;
}
} // namespace

NetworkSummary snnc::summarize(NetworkOp network) {
  NetworkSummary summary;
  summary.name = network.getSymName().str();
  summary.dt = network.getDt().convertToDouble();
  summary.steps = network.getSteps();
  for (Operation &op : network.getBodyBlock()) {
    if (auto in = dyn_cast<InputOp>(op))
      summary.populations.push_back(
          {in.getSymName().str(), "input", int64_t(in.getSize())});
    else if (auto lif = dyn_cast<LIFOp>(op))
      summary.populations.push_back(
          {lif.getSymName().str(), "lif", int64_t(lif.getSize())});
    else if (auto li = dyn_cast<LIOp>(op))
      summary.populations.push_back(
          {li.getSymName().str(), "li", int64_t(li.getSize())});
    else if (auto out = dyn_cast<OutputOp>(op))
      summary.outputs.push_back(out.getPopulation().str());
    else if (auto proj = dyn_cast<ProjectionOp>(op)) {
      ProjectionSummary s;
      s.name = proj.getSymName().str();
      s.source = proj.getSource().str();
      s.target = proj.getTarget().str();
      s.form = "dense";
      s.maxDelay = proj.getMaxDelay();
      SmallVector<bool> mask;
      if (auto m = proj.getMask())
        (void)getElementValues(*m, mask);
      summarizeDelays(proj, mask, s);
      summary.projections.push_back(s);
    } else if (auto proj = dyn_cast<SparseProjectionOp>(op)) {
      ProjectionSummary s;
      s.name = proj.getSymName().str();
      s.source = proj.getSource().str();
      s.target = proj.getTarget().str();
      s.form = "csr";
      s.maxDelay = proj.getMaxDelay();
      summarizeDelays(proj, {}, s);
      summary.projections.push_back(s);
    }
  }
  return summary;
}

void snnc::printSummary(const NetworkSummary &s, llvm::raw_ostream &os) {
  os << llvm::formatv("network @{0}: dt = {1} ms, {2} steps, {3} neurons, {4} "
                      "synapses\n",
                      s.name, s.dt * 1e3, s.steps, s.neurons(), s.synapses());
  os << "populations:\n";
  for (const auto &p : s.populations)
    os << llvm::formatv("  @{0,-16} {1,-6} {2,8} neurons\n", p.name, p.kind,
                        p.size);
  os << "projections:\n";
  for (const auto &p : s.projections)
    os << llvm::formatv("  @{0,-16} @{1} -> @{2}  {3}, {4} synapses, delays "
                        "{5}..{6} (mean {7:F2}) of max {8}{9}\n",
                        p.name, p.source, p.target, p.form, p.synapses,
                        p.delayMin, p.delayMax, p.delayMean, p.maxDelay,
                        p.dcls ? ", DCLS positions rounded" : "");
  os << "outputs:";
  for (const auto &o : s.outputs)
    os << " @" << o;
  os << "\n";
}

void snnc::printSummaryJson(const NetworkSummary &s, llvm::raw_ostream &os) {
  llvm::json::Array pops, projs, outs;
  for (const auto &p : s.populations)
    pops.push_back(llvm::json::Object{
        {"name", p.name}, {"kind", p.kind}, {"size", p.size}});
  for (const auto &p : s.projections)
    projs.push_back(llvm::json::Object{{"name", p.name},
                                       {"source", p.source},
                                       {"target", p.target},
                                       {"form", p.form},
                                       {"synapses", p.synapses},
                                       {"max_delay", p.maxDelay},
                                       {"dcls", p.dcls},
                                       {"delay_min", p.delayMin},
                                       {"delay_max", p.delayMax},
                                       {"delay_mean", p.delayMean}});
  for (const auto &o : s.outputs)
    outs.push_back(o);
  llvm::json::Object root{{"name", s.name},
                          {"dt", s.dt},
                          {"steps", s.steps},
                          {"neurons", s.neurons()},
                          {"synapses", s.synapses()},
                          {"populations", std::move(pops)},
                          {"projections", std::move(projs)},
                          {"outputs", std::move(outs)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}
