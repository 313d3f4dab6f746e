//===- ModelCompare.cpp - Bit-exact comparison of two models --------------===//

#include "snnc/Import/ModelCompare.h"

#include <cstring>
#include <sstream>

using namespace snnc;

namespace {

template <typename T> bool sameBits(const T &a, const T &b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

struct Comparer {
  std::string &difference;

  template <typename T>
  bool value(const std::string &where, const T &a, const T &b) {
    if (sameBits(a, b))
      return true;
    std::ostringstream os;
    os << where << ": " << +a << " vs " << +b;
    difference = os.str();
    return false;
  }
  bool text(const std::string &where, const std::string &a,
            const std::string &b) {
    if (a == b)
      return true;
    difference = where + ": '" + a + "' vs '" + b + "'";
    return false;
  }
  template <typename T>
  bool array(const std::string &where, const std::vector<T> &a,
             const std::vector<T> &b) {
    if (a.size() != b.size()) {
      difference = where + ": " + std::to_string(a.size()) + " vs " +
                   std::to_string(b.size()) + " entries";
      return false;
    }
    for (size_t i = 0; i < a.size(); ++i)
      if (!value(where + "[" + std::to_string(i) + "]", a[i], b[i]))
        return false;
    return true;
  }
};

} // namespace

bool snnc::modelsIdentical(const snnrt::Model &a, const snnrt::Model &b,
                           std::string &difference) {
  Comparer c{difference};
  if (!c.text("name", a.name, b.name) || !c.value("dt", a.dt, b.dt) ||
      !c.value("steps", a.steps, b.steps) ||
      !c.value("decay", int(a.decay), int(b.decay)) ||
      !c.text("training/delay_mode", a.training.delayMode,
              b.training.delayMode) ||
      !c.value("training/epochs", a.training.epochs, b.training.epochs) ||
      !c.value("training/seed", a.training.seed, b.training.seed) ||
      !c.value("training/test_accuracy", a.training.testAccuracy,
               b.training.testAccuracy) ||
      !c.value("training/train_accuracy", a.training.trainAccuracy,
               b.training.trainAccuracy) ||
      !c.text("training/dataset", a.training.dataset, b.training.dataset))
    return false;
  if (a.outputs != b.outputs) {
    difference = "outputs differ";
    return false;
  }
  if (!c.value("populations", a.populations.size(), b.populations.size()) ||
      !c.value("projections", a.projections.size(), b.projections.size()))
    return false;
  for (size_t i = 0; i < a.populations.size(); ++i) {
    const auto &p = a.populations[i], &q = b.populations[i];
    std::string w = "populations/" + p.name;
    if (!c.text(w + "/name", p.name, q.name) ||
        !c.value(w + "/kind", int(p.kind), int(q.kind)) ||
        !c.value(w + "/size", p.size, q.size) ||
        !c.value(w + "/input_kind", int(p.inputKind), int(q.inputKind)) ||
        !c.value(w + "/scale", p.scale, q.scale) ||
        !c.value(w + "/tau_mem", p.tauMem, q.tauMem) ||
        !c.value(w + "/tau_syn", p.tauSyn.value_or(-1),
                 q.tauSyn.value_or(-1)) ||
        !c.value(w + "/threshold", p.threshold, q.threshold) ||
        !c.array(w + "/tau_mem_per_neuron", p.tauMemPerNeuron,
                 q.tauMemPerNeuron) ||
        !c.array(w + "/tau_syn_per_neuron", p.tauSynPerNeuron,
                 q.tauSynPerNeuron) ||
        !c.array(w + "/threshold_per_neuron", p.thresholdPerNeuron,
                 q.thresholdPerNeuron) ||
        // An li population never fires, so its reset means nothing and MLIR
        // has no place for it (snn.li): compare it for lif populations only.
        (p.kind == snnrt::PopulationKind::Lif &&
         !c.value(w + "/reset", int(p.reset), int(q.reset))) ||
        !c.value(w + "/convention", int(p.convention), int(q.convention)) ||
        !c.value(w + "/dropout", p.dropout, q.dropout) ||
        !c.array(w + "/bias", p.bias, q.bias) ||
        !c.array(w + "/bias_syn", p.biasSyn, q.biasSyn) ||
        !c.value(w + "/batchnorm", p.batchnorm.has_value(),
                 q.batchnorm.has_value()))
      return false;
    if (p.batchnorm &&
        (!c.array(w + "/batchnorm/gamma", p.batchnorm->gamma,
                  q.batchnorm->gamma) ||
         !c.array(w + "/batchnorm/beta", p.batchnorm->beta,
                  q.batchnorm->beta) ||
         !c.array(w + "/batchnorm/mean", p.batchnorm->mean,
                  q.batchnorm->mean) ||
         !c.array(w + "/batchnorm/var", p.batchnorm->var, q.batchnorm->var) ||
         !c.value(w + "/batchnorm/eps", p.batchnorm->eps, q.batchnorm->eps) ||
         !c.value(w + "/batchnorm/momentum", p.batchnorm->momentum,
                  q.batchnorm->momentum)))
      return false;
  }
  for (size_t i = 0; i < a.projections.size(); ++i) {
    const auto &p = a.projections[i], &q = b.projections[i];
    std::string w = "projections/" + p.name;
    if (!c.text(w + "/name", p.name, q.name) ||
        !c.text(w + "/source", p.source, q.source) ||
        !c.text(w + "/target", p.target, q.target) ||
        !c.value(w + "/max_delay", p.maxDelay, q.maxDelay) ||
        !c.value(w + "/layout", int(p.layout), int(q.layout)) ||
        !c.array(w + "/row_ptr", p.rowPtr, q.rowPtr) ||
        !c.array(w + "/col_idx", p.colIdx, q.colIdx) ||
        !c.array(w + "/weights", p.weights, q.weights) ||
        !c.array(w + "/delays", p.delays, q.delays) ||
        !c.array(w + "/positions", p.positions, q.positions) ||
        !c.value(w + "/sigma", p.sigma, q.sigma) ||
        !c.array(w + "/mask", p.mask, q.mask) ||
        !c.array(w + "/signs", p.signs, q.signs))
      return false;
  }
  return true;
}
