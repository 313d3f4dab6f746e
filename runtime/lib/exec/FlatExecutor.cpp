//===- FlatExecutor.cpp - Reference run of an unmapped integer network ----===//

#include "snnrt/exec/FlatExecutor.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {
/// The integer input of one sample at step t, channel c (SNN-I2).
int32_t inputAt(const Dataset &data, size_t sample, uint32_t t, uint32_t c,
                double scale) {
  if (data.kind == InputKind::Frames) {
    size_t k = (sample * data.steps + t) * size_t(data.channels) + c;
    return static_cast<int32_t>(intmath::inputValue(scale, data.frames[k]));
  }
  // Events are sorted by (step, channel): a binary search finds one.
  auto begin = data.eventStep.begin() + data.eventOffsets[sample];
  auto end = data.eventStep.begin() + data.eventOffsets[sample + 1];
  for (auto it = std::lower_bound(begin, end, t); it != end && *it == t; ++it) {
    size_t k = size_t(it - data.eventStep.begin());
    if (data.eventChannel[k] == c)
      return static_cast<int32_t>(
          intmath::inputValue(scale, data.eventCount[k]));
  }
  return 0;
}

/// One step of a lif/li population under Lava's rules: `activation` holds
/// its neurons' summed lavaInput values; v and u are their states.
void stepLavaPopulation(const IntPopulation &pop,
                        const std::vector<int64_t> &activation, uint32_t t,
                        std::vector<int64_t> &v, std::vector<int64_t> &u,
                        IntTrace &trace, int p) {
  const bool readout = pop.kind == PopulationKind::Li;
  for (uint32_t b = 0; b < pop.size; ++b) {
    int64_t threshold =
        readout ? intmath::lava::kMaxThreshold : pop.threshold[b];
    int64_t iDecay =
        pop.iDecay.empty() ? intmath::lava::kMaxIDecay : pop.iDecay[b];
    bool spike =
        intmath::lavaStep(u[b], v[b], intmath::lavaActivation(activation[b]),
                          pop.bias[b], threshold, iDecay, pop.vDecay[b]);
    if (readout)
      trace.readout[p][size_t(t) * pop.size + b] =
          intmath::lavaObservedVoltage(v[b], threshold);
    else
      trace.output[p][size_t(t) * pop.size + b] = spike ? 1 : 0;
  }
}

/// One source's events reaching one neuron under Xylo's rules, in
/// XyloSim's delivery order (intmath::XyloOrder).
struct XyloEvent {
  intmath::XyloOrder order;
  int64_t count, weight;
  /// Synapses of one source with one delay (two projections) have equal
  /// keys; the weight orders them the same way in every executor.
  bool operator<(const XyloEvent &o) const {
    if (order < o.order || o.order < order)
      return order < o.order;
    return weight < o.weight;
  }
};

/// One step of every lif/li population under Xylo's rules (SNN-X4..X9):
/// deliver this step's input counts and the previous step's hidden counts
/// in XyloSim's order, then update each neuron. `hiddenBase[p]` is the
/// hidden index of population p's first neuron.
void stepXylo(const IntNetwork &net, const std::vector<uint64_t> &hiddenBase,
              uint32_t t, std::vector<std::vector<int64_t>> &v,
              std::vector<std::vector<int64_t>> &j, IntTrace &trace) {
  std::vector<XyloEvent> events;
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const IntPopulation &pop = net.populations[p];
    if (pop.kind == PopulationKind::Input)
      continue;
    for (uint32_t b = 0; b < pop.size; ++b) {
      events.clear();
      for (const IntProjection &proj : net.projections) {
        if (proj.target != pop.name)
          continue;
        int s = net.findPopulation(proj.source);
        const IntPopulation &src = net.populations[s];
        const bool fromInput = src.kind == PopulationKind::Input;
        for (uint64_t k = proj.rowPtr[b]; k < proj.rowPtr[b + 1]; ++k) {
          // SNN-X5: input→hidden acts in the step, hidden→any one later.
          const int64_t from = int64_t(t) - proj.delay[k] - (fromInput ? 0 : 1);
          if (from < 0)
            continue;
          int64_t count =
              trace.output[s][size_t(from) * src.size + proj.colIdx[k]];
          if (fromInput)
            count = intmath::xyloInputEvents(count);
          if (count == 0 || proj.weight[k] == 0)
            continue;
          events.push_back(
              {intmath::xyloOrder(fromInput, s, proj.colIdx[k],
                                  int64_t(hiddenBase[s] + proj.colIdx[k]),
                                  proj.delay[k]),
               count, proj.weight[k]});
        }
      }
      std::sort(events.begin(), events.end());
      for (const XyloEvent &e : events)
        j[p][b] = intmath::xyloDeliver(j[p][b], e.count, e.weight);
    }
  }
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const IntPopulation &pop = net.populations[p];
    if (pop.kind == PopulationKind::Input)
      continue;
    const bool readout = pop.kind == PopulationKind::Li;
    for (uint32_t b = 0; b < pop.size; ++b) {
      const int64_t n = intmath::xyloNeuronStep(
          v[p][b], j[p][b], pop.bias[b],
          readout ? intmath::xylo::kReadoutThreshold : pop.threshold[b],
          pop.vDecay[b], pop.iDecay[b],
          readout ? intmath::xylo::kMaxOutputSpikes
                  : intmath::xylo::kMaxHiddenSpikes);
      if (readout)
        trace.readout[p][size_t(t) * pop.size + b] = v[p][b];
      else
        trace.output[p][size_t(t) * pop.size + b] = int32_t(n);
    }
  }
}
} // namespace

Expected<IntTrace> runFlat(const IntNetwork &net, const Dataset &data,
                           size_t sample) {
  SNNRT_TRY(net.validate());
  if (sample >= data.size())
    return Status::error("sample " + std::to_string(sample) +
                         " is beyond the dataset's " +
                         std::to_string(data.size()));
  const uint32_t T = net.steps;
  const size_t P = net.populations.size();
  IntTrace trace;
  trace.output.resize(P);
  trace.readout.resize(P);
  std::vector<int> order = net.topologicalOrder();
  int inputs = 0;
  for (size_t p = 0; p < P; ++p) {
    const IntPopulation &pop = net.populations[p];
    if (pop.kind == PopulationKind::Input) {
      ++inputs;
      if (pop.size != data.channels)
        return Status::error("input population '" + pop.name + "' has " +
                             std::to_string(pop.size) +
                             " channels but the dataset has " +
                             std::to_string(data.channels));
      trace.output[p].resize(size_t(T) * pop.size);
      uint32_t stepsInData = std::min(T, data.steps);
      for (uint32_t t = 0; t < stepsInData; ++t)
        for (uint32_t c = 0; c < pop.size; ++c)
          trace.output[p][size_t(t) * pop.size + c] =
              inputAt(data, sample, t, c, pop.scale);
    } else if (pop.kind == PopulationKind::Lif) {
      trace.output[p].assign(size_t(T) * pop.size, 0);
    } else {
      trace.readout[p].assign(size_t(T) * pop.size, 0);
    }
  }
  if (inputs != 1)
    return Status::error("the flat executor needs exactly one input "
                         "population, the network has " +
                         std::to_string(inputs));

  // States per population: v (or u) and j (Lava: v and u).
  const bool lava = net.arithmetic == intmath::Arithmetic::LavaCuba;
  std::vector<std::vector<int64_t>> v(P), j(P);
  for (size_t p = 0; p < P; ++p) {
    const IntPopulation &pop = net.populations[p];
    v[p].assign(pop.size, 0);
    j[p].assign(pop.size, 0);
    if (lava && pop.kind != PopulationKind::Input)
      for (uint32_t b = 0; b < pop.size; ++b)
        v[p][b] = intmath::lavaInitialVoltage(pop.bias[b]);
  }
  std::vector<int64_t> current, projectionSum;
  if (net.arithmetic == intmath::Arithmetic::XyloIaf) {
    std::vector<uint64_t> hiddenBase(P, 0);
    uint64_t hidden = 0;
    for (size_t p = 0; p < P; ++p)
      if (net.populations[p].kind == PopulationKind::Lif) {
        hiddenBase[p] = hidden;
        hidden += net.populations[p].size;
      }
    for (uint32_t t = 0; t < T; ++t)
      stepXylo(net, hiddenBase, t, v, j, trace);
    return trace;
  }
  for (uint32_t t = 0; t < T; ++t) {
    for (int p : order) {
      const IntPopulation &pop = net.populations[p];
      if (pop.kind == PopulationKind::Input)
        continue;
      // SNN-I3: the exact sum of every incoming synapse, then saturated.
      // Lava shifts each projection's sum by its exponent first.
      current.assign(pop.size, 0);
      for (const IntProjection &proj : net.projections) {
        if (proj.target != pop.name)
          continue;
        int s = net.findPopulation(proj.source);
        const IntPopulation &src = net.populations[s];
        const std::vector<int32_t> &x = trace.output[s];
        projectionSum.assign(pop.size, 0);
        for (uint32_t b = 0; b < pop.size; ++b)
          for (uint64_t k = proj.rowPtr[b]; k < proj.rowPtr[b + 1]; ++k) {
            int64_t from = int64_t(t) - proj.delay[k];
            if (from < 0)
              continue;
            projectionSum[b] += int64_t(proj.weight[k]) *
                                x[size_t(from) * src.size + proj.colIdx[k]];
          }
        for (uint32_t b = 0; b < pop.size; ++b)
          current[b] +=
              lava ? intmath::lavaInput(projectionSum[b], proj.weightExp)
                   : projectionSum[b];
      }
      if (lava) {
        stepLavaPopulation(pop, current, t, v[p], j[p], trace, p);
        continue;
      }
      for (uint32_t b = 0; b < pop.size; ++b) {
        int64_t input = intmath::sat(current[b], net.stateBits);
        // SNN-I7: a CuBa synapse filters the input of a lif or li neuron.
        if (!pop.iDecay.empty()) {
          j[p][b] = intmath::synapseStep(
              j[p][b], input, net.decay, pop.iDecay[b], net.stateBits,
              pop.biasSyn.empty() ? 0 : pop.biasSyn[b]);
          input = j[p][b];
        }
        if (pop.kind == PopulationKind::Li) {
          v[p][b] = intmath::readoutStep(v[p][b], input, pop.bias[b], net.decay,
                                         pop.vDecay[b], net.stateBits);
          trace.readout[p][size_t(t) * pop.size + b] = v[p][b];
          continue;
        }
        bool spike = intmath::lifStep(
            v[p][b], input, pop.bias[b], pop.threshold[b], net.decay,
            pop.vDecay[b], pop.reset == ResetMode::Subtract, net.stateBits);
        trace.output[p][size_t(t) * pop.size + b] = spike ? 1 : 0;
      }
    }
  }
  return trace;
}

int classifyReadout(const std::vector<int64_t> &u,
                    const std::vector<float> &weightScale, uint32_t steps,
                    intmath::Arithmetic arithmetic) {
  const size_t size = weightScale.size();
  if (size == 0 || u.size() != size_t(steps) * size)
    return -1;
  std::vector<double> m(size, 0.0), row(size);
  const double perUnit = intmath::stateUnitsPerWeightUnit(arithmetic);
  for (uint32_t t = 0; t < steps; ++t) {
    double peak = -INFINITY;
    for (size_t b = 0; b < size; ++b) {
      row[b] = double(u[size_t(t) * size + b]) * weightScale[b] / perUnit;
      peak = std::max(peak, row[b]);
    }
    double sum = 0;
    for (size_t b = 0; b < size; ++b)
      sum += (row[b] = std::exp(row[b] - peak));
    for (size_t b = 0; b < size; ++b)
      m[b] += row[b] / sum;
  }
  return int(std::max_element(m.begin(), m.end()) - m.begin());
}

int predictClass(const IntNetwork &net, const IntTrace &trace) {
  if (net.outputs.empty())
    return -1;
  int p = net.findPopulation(net.outputs.front());
  return classifyReadout(trace.readout[p], net.populations[p].weightScale,
                         net.steps, net.arithmetic);
}

} // namespace snnrt
