//===- NirRefSim.h - Test-only reference stepper for NIR graphs -*- C++ -*-===//
//
// Used by the simulation checks (NirDiscretizeTest.cpp) and the delay export
// checks (NirDelaysTest.cpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/nir/NirDiscretize.h"
#include "snnrt/nir/NirGraph.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace nirtest {

using namespace snnrt;

/// A minimal discrete-time simulator of a flattened NIR graph under the
/// SNN-F rules, using discretizeNirNeuron for every neuron. Test-only: the
/// real simulator lives in runtime/ and takes a Model, not a NIR graph.
///
/// Per step t:
///  1. every spiking neuron emits S[t] = H(V[t] − θ) (SNN-F7, H(0) = 1);
///  2. the other nodes are evaluated in dependency order, each on the sum of
///     its incoming edges (NIR sums converging edges): Input = x[t],
///     Affine = W·in + b, Linear = W·in, Scale, Delay (whole steps), LI/CubaLI
///     readouts U[t] = β·U[t−1] + J[t] + bias (SNN-F9, with SNN-F8's J);
///  3. every spiking neuron integrates its input I[t] (the sum of incoming
///     edges, times the mapping's input gain, i.e. weights and Affine bias
///     scaled by it): CuBa J[t] = β_syn·J[t−1] + gain·I[t] (SNN-F8), then
///     V[t+1] = β·V[t] + J[t] + bias − θ·S[t] (subtract) or
///     (β·V[t] + J[t] + bias)·(1 − S[t]) (hard).
class RefSim {
public:
  RefSim(const NirGraph &flat, const NirDiscretizeOptions &o) : g_(flat) {
    std::map<std::string, uint64_t> sizes = nirNodeSizes(g_);
    for (const auto &[name, node] : g_.nodes) {
      EXPECT_TRUE(sizes.count(name)) << "no size for " << name;
      if (nirIsNeuron(node.kind)) {
        auto m = discretizeNirNeuron(node, name, o, sizes[name]);
        EXPECT_TRUE(m) << m.status().message();
        map_[name] = *m;
        state_[name].assign(m->size, 0.0);
        syn_[name].assign(m->size, 0.0);
      }
      if (node.kind == NirKind::Delay) {
        auto s = nirDelaySteps(node, name, o.dt);
        EXPECT_TRUE(s);
        delaySteps_[name] = *s;
      }
      out_[name].assign(sizes[name], 0.0);
    }
    order();
  }

  void step(const std::vector<double> &x) {
    for (auto &[name, m] : map_)
      if (m.spiking)
        for (size_t i = 0; i < m.size; ++i)
          out_[name][i] = state_[name][i] >= m.threshold[i] ? 1.0 : 0.0;
    for (const std::string &name : order_) {
      const NirNode &node = g_.nodes.at(name);
      std::vector<double> in = input(
          name, node.kind == NirKind::Affine || node.kind == NirKind::Linear
                    ? *nirInputSize(node)
                    : out_[name].size());
      std::vector<double> &y = out_[name];
      switch (node.kind) {
      case NirKind::Input:
        y = x;
        break;
      case NirKind::Output:
        y = in;
        break;
      case NirKind::Affine:
      case NirKind::Linear: {
        const NirArray &w = *node.param("weight");
        size_t rows = w.shape[0], cols = w.shape[1];
        for (size_t r = 0; r < rows; ++r) {
          double acc = node.kind == NirKind::Affine
                           ? node.param("bias")->values[r]
                           : 0.0;
          for (size_t c = 0; c < cols; ++c)
            acc += w.values[r * cols + c] * in[c];
          y[r] = acc;
        }
        break;
      }
      case NirKind::Scale:
        for (size_t i = 0; i < y.size(); ++i)
          y[i] = node.param("scale")->values[node.param("scale")->isScalar()
                                                  ? 0
                                                  : i] *
                 in[i];
        break;
      case NirKind::Delay: {
        auto &hist = history_[name];
        hist.push_front(in);
        for (size_t i = 0; i < y.size(); ++i) {
          const auto &ds = delaySteps_[name];
          size_t d = size_t(ds[ds.size() == 1 ? 0 : i]);
          y[i] = d < hist.size() ? hist[d][i] : 0.0;
        }
        if (hist.size() > 1024)
          hist.pop_back();
        break;
      }
      default: { // LI, CubaLI, I: readouts
        const NirNeuronMapping &m = map_.at(name);
        for (size_t i = 0; i < m.size; ++i) {
          double j = m.inputGain[i] * in[i];
          if (m.cuba)
            j = syn_[name][i] = m.betaSyn[i] * syn_[name][i] + j;
          y[i] = state_[name][i] = m.beta[i] * state_[name][i] + j + m.bias[i];
        }
      }
      }
    }
    for (auto &[name, m] : map_) {
      if (!m.spiking)
        continue;
      std::vector<double> in = input(name, m.size);
      for (size_t i = 0; i < m.size; ++i) {
        double j = m.inputGain[i] * in[i];
        if (m.cuba)
          j = syn_[name][i] = m.betaSyn[i] * syn_[name][i] + j;
        double s = out_[name][i];
        double v = m.beta[i] * state_[name][i] + j + m.bias[i];
        state_[name][i] = m.reset == ResetMode::Subtract
                              ? v - m.threshold[i] * s
                              : v * (1.0 - s);
      }
    }
  }

  const std::vector<double> &spikes(const std::string &n) { return out_[n]; }
  /// What any node emitted at the last step (an Output: the sum it received).
  const std::vector<double> &value(const std::string &n) { return out_[n]; }
  /// V[t+1] after step t (SNN-F7's state, pre-spike-test of the next step).
  const std::vector<double> &membrane(const std::string &n) {
    return state_[n];
  }

private:
  std::vector<double> input(const std::string &name, size_t n) {
    std::vector<double> in(n, 0.0);
    for (const NirEdge &e : g_.edges)
      if (e.dst == name)
        for (size_t i = 0; i < n; ++i)
          in[i] += out_[e.src][i];
    return in;
  }

  /// Kahn's order over the edges that carry a same-step value: edges out of
  /// spiking neurons do not (their output comes from the state), so
  /// recurrent loops through a spiking neuron are fine.
  void order() {
    std::map<std::string, int> indeg;
    for (const auto &[name, node] : g_.nodes)
      if (!isSpiking(name))
        indeg[name] = 0;
    for (const NirEdge &e : g_.edges)
      if (!isSpiking(e.src) && !isSpiking(e.dst))
        ++indeg[e.dst];
    std::deque<std::string> ready;
    for (auto &[n, d] : indeg)
      if (d == 0)
        ready.push_back(n);
    while (!ready.empty()) {
      std::string n = ready.front();
      ready.pop_front();
      order_.push_back(n);
      for (const NirEdge &e : g_.edges)
        if (e.src == n && !isSpiking(e.dst) && --indeg[e.dst] == 0)
          ready.push_back(e.dst);
    }
    EXPECT_EQ(order_.size(), indeg.size()) << "a loop without a spiking node";
  }
  bool isSpiking(const std::string &n) const {
    auto it = map_.find(n);
    return it != map_.end() && it->second.spiking;
  }

  const NirGraph &g_;
  std::map<std::string, NirNeuronMapping> map_;
  std::map<std::string, std::vector<double>> state_, syn_, out_;
  std::map<std::string, std::vector<int32_t>> delaySteps_;
  std::map<std::string, std::deque<std::vector<double>>> history_;
  std::vector<std::string> order_;
};

} // namespace nirtest
