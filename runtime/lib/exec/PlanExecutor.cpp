//===- PlanExecutor.cpp - Event-driven execution of a mapped plan ---------===//

#include "snnrt/exec/PlanExecutor.h"

#include "snnrt/exec/IntegerMath.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {

/// One source's events waiting for a neuron under Xylo's rules.
struct XyloPending {
  uint32_t neuron;
  intmath::XyloOrder order;
  int64_t count;
  int32_t weight;
  bool operator<(const XyloPending &o) const {
    if (neuron != o.neuron)
      return neuron < o.neuron;
    if (order < o.order || o.order < order)
      return order < o.order;
    return weight < o.weight; // as the flat executor's XyloEvent
  }
};

/// One core, laid out for the event loop.
struct CoreState {
  const PlanCore *core = nullptr;
  uint32_t ringSize = 1; ///< max synaptic delay + 1
  /// Synapses by axon (the transpose of the plan's per-neuron table):
  /// axon a owns entries byAxonPtr[a] .. byAxonPtr[a+1]−1.
  std::vector<uint64_t> byAxonPtr;
  std::vector<uint32_t> byAxonNeuron;
  std::vector<int32_t> byAxonWeight, byAxonDelay;
  std::vector<int64_t> ring; ///< [ringSize][neurons] pending input
  std::vector<int64_t> v, j; ///< membrane (or readout) and CuBa current
  std::vector<uint8_t> isLif, isLi, subtract;
  uint64_t events = 0;
  /// This step's deliveries to the core: (axon, value).
  std::vector<std::pair<uint32_t, int64_t>> inbox;
  /// Xylo only: pending deliveries per ring slot, kept apart so that each
  /// neuron saturates them one source at a time in XyloSim's order, and
  /// the spike counts of the previous step (SNN-X5).
  std::vector<std::vector<XyloPending>> xylo;
  std::vector<int64_t> count;
};

/// Where a source neuron's events go: (core, axon) pairs.
struct Fanout {
  std::vector<uint64_t> ptr; ///< per global source index
  std::vector<uint32_t> core, axon;
};

} // namespace

struct PlanExecutor::Impl {
  Plan plan;
  intmath::DecayKind decay = intmath::DecayKind::Mul12;
  std::vector<uint64_t> popOffset; ///< global index of a population's neuron 0
  uint64_t totalNeurons = 0;
  std::vector<CoreState> cores;
  Fanout fanout;
  /// Xylo only: the hidden index of each population's first neuron (lif
  /// populations in plan order, SNN-X13).
  std::vector<uint64_t> hiddenBase;
  /// Where each lif/li neuron lives: (core, local index).
  std::vector<uint32_t> homeCore, homeIndex;

  /// Direct delivery (snnc's and Lava's rules, when the sizes below
  /// allow): per global source neuron and delay one segment of its synapses
  /// in every core it reaches (targets numbered across cores, coreBase[c] +
  /// local index), and a step gathers instead of scattering into a delay
  /// ring: at step t, every event of step t − d walks its delay-d segment
  /// into one int32 accumulator over all neurons. That accumulator
  /// (4 bytes a neuron) stays in cache where a ring of 16 rows does not, an
  /// event streams 6 bytes per synapse, and no event is routed per
  /// (core, axon) (on networks without locality a source has a synapse or
  /// two per core, and per-core lists cost more than their synapses).
  /// int32 only where no neuron's input can leave int32 (sum of |weight| x
  /// largest input value, checked when the plan is loaded); integer sums do
  /// not depend on their order, so each neuron's input is bit for bit the
  /// per-core tables'.
  bool direct = false;
  uint32_t directRing = 1;
  std::vector<uint64_t> coreBase; ///< [cores + 1]
  /// Segment (g, d) is segPtr[g·directRing + d] .. segPtr[g·directRing+d+1].
  std::vector<uint32_t> segPtr;
  std::vector<uint32_t> rowTarget;
  std::vector<int16_t> rowWeight;
  std::vector<int32_t> acc32; ///< [coreBase.back()] this step's input
  /// The events of the last directRing steps, by step modulo directRing.
  std::vector<std::vector<std::pair<uint32_t, int32_t>>> history;
  uint64_t directEvents = 0;

  void buildDirect();

  template <typename F> void forEachCore(F &&f) {
    for (size_t c = 0; c < cores.size(); ++c)
      f(c);
  }
};

void PlanExecutor::Impl::buildDirect() {
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf)
    return;
  coreBase.assign(1, 0);
  uint32_t ringMax = 1;
  for (const CoreState &cs : cores) {
    coreBase.push_back(coreBase.back() + cs.v.size());
    ringMax = std::max(ringMax, cs.ringSize);
  }
  if (ringMax > 256 || coreBase.back() > UINT32_MAX)
    return;
  // Largest |input| per neuron: inputs are sat16 values (SNN-I2), every
  // other source sends 1 per spike.
  std::vector<int64_t> bound(coreBase.back(), 0);
  uint64_t nnz = 0;
  for (size_t c = 0; c < cores.size(); ++c) {
    const CoreState &cs = cores[c];
    const PlanCore &core = *cs.core;
    for (size_t a = 0; a + 1 < cs.byAxonPtr.size(); ++a) {
      const int64_t most =
          plan.populations[core.axonPop[a]].kind == "input" ? 32768 : 1;
      for (uint64_t k = cs.byAxonPtr[a]; k < cs.byAxonPtr[a + 1]; ++k) {
        const int32_t w = cs.byAxonWeight[k];
        if (w < INT16_MIN || w > INT16_MAX)
          return;
        int64_t &b = bound[coreBase[c] + cs.byAxonNeuron[k]];
        b += std::abs(int64_t(w)) * most;
        if (b > INT32_MAX)
          return;
      }
      nnz += cs.byAxonPtr[a + 1] - cs.byAxonPtr[a];
    }
  }
  if (nnz > UINT32_MAX)
    return;
  direct = true;
  directRing = ringMax;
  segPtr.assign(totalNeurons * directRing + 1, 0);
  rowTarget.reserve(nnz);
  rowWeight.reserve(nnz);
  // Per source: count its synapses per delay, then place them; walking
  // the fanout in core order and each axon's list in neuron order leaves
  // every segment sorted by target, with no sort.
  std::vector<uint32_t> fill(directRing);
  for (uint64_t g = 0; g < totalNeurons; ++g) {
    std::fill(fill.begin(), fill.end(), 0);
    for (uint64_t f = fanout.ptr[g]; f < fanout.ptr[g + 1]; ++f) {
      const CoreState &cs = cores[fanout.core[f]];
      const uint32_t a = fanout.axon[f];
      for (uint64_t k = cs.byAxonPtr[a]; k < cs.byAxonPtr[a + 1]; ++k)
        ++fill[cs.byAxonDelay[k]];
    }
    uint32_t at = static_cast<uint32_t>(rowTarget.size());
    for (uint32_t d = 0; d < directRing; ++d) {
      const uint32_t count = fill[d];
      fill[d] = at;
      at += count;
      segPtr[g * directRing + d + 1] = at;
    }
    rowTarget.resize(at);
    rowWeight.resize(at);
    for (uint64_t f = fanout.ptr[g]; f < fanout.ptr[g + 1]; ++f) {
      const CoreState &cs = cores[fanout.core[f]];
      const uint32_t a = fanout.axon[f];
      const uint32_t base = static_cast<uint32_t>(coreBase[fanout.core[f]]);
      for (uint64_t k = cs.byAxonPtr[a]; k < cs.byAxonPtr[a + 1]; ++k) {
        const uint32_t slot = fill[cs.byAxonDelay[k]]++;
        rowTarget[slot] = base + cs.byAxonNeuron[k];
        rowWeight[slot] = static_cast<int16_t>(cs.byAxonWeight[k]);
      }
    }
  }
  acc32.assign(coreBase.back(), 0);
  history.assign(directRing, {});
  // The per-core tables and rings are not read in this mode.
  for (CoreState &cs : cores) {
    std::vector<uint32_t>().swap(cs.byAxonNeuron);
    std::vector<int32_t>().swap(cs.byAxonWeight);
    std::vector<int32_t>().swap(cs.byAxonDelay);
    std::vector<int64_t>().swap(cs.ring);
  }
}

PlanExecutor::PlanExecutor() : impl_(std::make_unique<Impl>()) {}
PlanExecutor::~PlanExecutor() = default;
const Plan &PlanExecutor::plan() const { return impl_->plan; }

Expected<std::unique_ptr<PlanExecutor>>
PlanExecutor::create(const Plan &plan) {
  SNNRT_TRY(validatePlan(plan));
  if (plan.inputs().size() != 1)
    return Status::error("the plan executor needs exactly one input "
                         "population, the plan has " +
                         std::to_string(plan.inputs().size()));
  std::unique_ptr<PlanExecutor> exec(new PlanExecutor());
  Impl &m = *exec->impl_;
  m.plan = plan;
  m.decay = plan.decayMode;
  for (const auto &p : plan.populations) {
    m.popOffset.push_back(m.totalNeurons);
    m.totalNeurons += p.size;
  }
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf) {
    uint64_t hidden = 0;
    for (const auto &p : plan.populations) {
      // SNN-I10's relay repeats binary spikes with snnc's timing; Xylo's
      // delays are implicit in the rings (SNN-X13).
      if (p.relay)
        return Status::error("population '" + p.name +
                             "' is a relay (SNN-I10), which Xylo's "
                             "arithmetic does not use");
      m.hiddenBase.push_back(hidden);
      hidden += p.kind == "lif" ? p.size : 0;
    }
    for (size_t c = 0; c < plan.cores.size(); ++c)
      for (size_t i = 0; i < plan.cores[c].neuronPop.size(); ++i) {
        const int32_t dm = plan.cores[c].vDecay[i],
                      ds = plan.cores[c].iDecay[i];
        if (dm < 0 || dm > intmath::xylo::kMaxDash || ds < 0 ||
            ds > intmath::xylo::kMaxDash)
          return Status::error(
              "core " + std::to_string(c) + " neuron " + std::to_string(i) +
              ": Xylo's dashes must lie in [0, 15], found dash_mem " +
              std::to_string(dm) + ", dash_syn " + std::to_string(ds));
      }
  }
  m.homeCore.assign(m.totalNeurons, UINT32_MAX);
  m.homeIndex.assign(m.totalNeurons, 0);

  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> listeners(
      m.totalNeurons);
  m.cores.resize(plan.cores.size());
  for (size_t c = 0; c < plan.cores.size(); ++c) {
    const PlanCore &core = plan.cores[c];
    CoreState &cs = m.cores[c];
    cs.core = &core;
    const size_t n = core.neuronPop.size();
    const size_t axons = core.axonPop.size();
    for (size_t i = 0; i < n; ++i) {
      uint64_t g = m.popOffset[core.neuronPop[i]] + core.neuronIndex[i];
      m.homeCore[g] = static_cast<uint32_t>(c);
      m.homeIndex[g] = static_cast<uint32_t>(i);
      const PlanPopulation &pop = plan.populations[core.neuronPop[i]];
      cs.isLif.push_back(pop.kind == "lif");
      cs.isLi.push_back(pop.kind == "li");
      cs.subtract.push_back(pop.reset == "subtract");
    }
    for (size_t a = 0; a < axons; ++a)
      listeners[m.popOffset[core.axonPop[a]] + core.axonIndex[a]].push_back(
          {uint32_t(c), uint32_t(a)});
    // Transpose the per-neuron synapse table into per-axon lists.
    std::vector<uint64_t> count(axons + 1, 0);
    int32_t maxDelay = 0;
    for (size_t k = 0; k < core.synAxon.size(); ++k) {
      ++count[core.synAxon[k] + 1];
      maxDelay = std::max(maxDelay, core.synDelay[k]);
    }
    for (size_t a = 0; a < axons; ++a)
      count[a + 1] += count[a];
    cs.byAxonPtr = count;
    size_t nnz = core.synAxon.size();
    cs.byAxonNeuron.resize(nnz);
    cs.byAxonWeight.resize(nnz);
    cs.byAxonDelay.resize(nnz);
    std::vector<uint64_t> fill(count.begin(), count.end() - 1);
    for (size_t i = 0; i < n; ++i)
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k) {
        uint64_t slot = fill[core.synAxon[k]]++;
        cs.byAxonNeuron[slot] = static_cast<uint32_t>(i);
        cs.byAxonWeight[slot] = core.synWeight[k];
        cs.byAxonDelay[slot] = core.synDelay[k];
      }
    cs.ringSize = static_cast<uint32_t>(maxDelay) + 1;
    cs.ring.assign(size_t(cs.ringSize) * n, 0);
    cs.v.assign(n, 0);
    cs.j.assign(n, 0);
    cs.count.assign(n, 0);
    if (plan.arithmetic == intmath::Arithmetic::XyloIaf)
      cs.xylo.resize(cs.ringSize);
  }
  m.fanout.ptr.assign(m.totalNeurons + 1, 0);
  for (uint64_t g = 0; g < m.totalNeurons; ++g) {
    m.fanout.ptr[g + 1] = m.fanout.ptr[g] + listeners[g].size();
    for (auto [core, axon] : listeners[g]) {
      m.fanout.core.push_back(core);
      m.fanout.axon.push_back(axon);
    }
  }
  m.buildDirect();
  return exec;
}

namespace {
/// Xylo's steps (SNN-X4..X9, SNN-X13) over the plan's cores: at step t the
/// inputs of t and the hidden counts of t − 1 go into the rings (a synapse
/// of delay d fires d steps later), then every neuron saturates its due
/// deliveries in XyloSim's order and updates.
template <typename Impl>
void runXylo(
    Impl &m, uint32_t inputPop,
    const std::vector<std::vector<std::pair<uint32_t, int64_t>>> &inputEvents,
    IntTrace &trace, uint64_t &spikes) {
  const Plan &plan = m.plan;
  const uint32_t T = plan.steps;
  const PlanPopulation &in = plan.populations[inputPop];
  std::vector<std::pair<uint64_t, int64_t>> events;
  for (uint32_t t = 0; t < T; ++t) {
    events.clear();
    for (auto [c, x] : inputEvents[t]) {
      trace.output[inputPop][size_t(t) * in.size + c] = static_cast<int32_t>(x);
      const int64_t n = intmath::xyloInputEvents(x);
      if (n > 0)
        events.push_back({m.popOffset[inputPop] + c, n});
    }
    for (auto &cs : m.cores)
      for (size_t i = 0; i < cs.v.size(); ++i)
        if (cs.isLif[i] && cs.count[i] > 0)
          events.push_back(
              {m.popOffset[cs.core->neuronPop[i]] + cs.core->neuronIndex[i],
               cs.count[i]});
    for (auto &cs : m.cores)
      cs.inbox.clear();
    for (auto [source, value] : events)
      for (uint64_t f = m.fanout.ptr[source]; f < m.fanout.ptr[source + 1]; ++f)
        m.cores[m.fanout.core[f]].inbox.push_back({m.fanout.axon[f], value});
    for (auto &cs : m.cores) {
      const PlanCore &core = *cs.core;
      const uint32_t ring = cs.ringSize, now = t % ring;
      for (auto [axon, value] : cs.inbox) {
        const int32_t pop = core.axonPop[axon], idx = core.axonIndex[axon];
        const bool fromInput = plan.populations[pop].kind == "input";
        for (uint64_t k = cs.byAxonPtr[axon]; k < cs.byAxonPtr[axon + 1]; ++k) {
          uint32_t slot = now + uint32_t(cs.byAxonDelay[k]);
          slot -= slot >= ring ? ring : 0;
          cs.xylo[slot].push_back(
              {cs.byAxonNeuron[k],
               intmath::xyloOrder(fromInput, pop, idx,
                                  int64_t(m.hiddenBase[pop] + idx),
                                  cs.byAxonDelay[k]),
               value, cs.byAxonWeight[k]});
        }
        cs.events += cs.byAxonPtr[axon + 1] - cs.byAxonPtr[axon];
      }
    }
    for (auto &cs : m.cores) {
      const PlanCore &core = *cs.core;
      auto &due = cs.xylo[t % cs.ringSize];
      std::sort(due.begin(), due.end());
      for (const XyloPending &d : due)
        cs.j[d.neuron] =
            intmath::xyloDeliver(cs.j[d.neuron], d.count, d.weight);
      due.clear();
      for (size_t i = 0; i < cs.v.size(); ++i) {
        const bool readout = cs.isLi[i] != 0;
        const int64_t n = intmath::xyloNeuronStep(
            cs.v[i], cs.j[i], core.bias[i],
            readout ? intmath::xylo::kReadoutThreshold : core.threshold[i],
            core.vDecay[i], core.iDecay[i],
            readout ? intmath::xylo::kMaxOutputSpikes
                    : intmath::xylo::kMaxHiddenSpikes);
        const uint32_t pop = core.neuronPop[i];
        const size_t at =
            size_t(t) * plan.populations[pop].size + core.neuronIndex[i];
        if (readout) {
          trace.readout[pop][at] = cs.v[i];
          continue;
        }
        cs.count[i] = n;
        trace.output[pop][at] = static_cast<int32_t>(n);
        spikes += uint64_t(n);
      }
    }
  }
}
} // namespace

Expected<IntTrace> PlanExecutor::run(const Dataset &data, size_t sample,
                                     PlanRunStats *stats) {
  Impl &m = *impl_;
  const Plan &plan = m.plan;
  const uint32_t inputPop = plan.inputs().front();
  const PlanPopulation &in = plan.populations[inputPop];
  if (in.size != data.channels)
    return Status::error("the plan's input '" + in.name + "' has " +
                         std::to_string(in.size) +
                         " channels but the dataset has " +
                         std::to_string(data.channels));
  if (sample >= data.size())
    return Status::error("sample " + std::to_string(sample) +
                         " is beyond the dataset's " +
                         std::to_string(data.size()));
  const uint32_t T = plan.steps;
  IntTrace trace;
  trace.output.resize(plan.populations.size());
  trace.readout.resize(plan.populations.size());
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const auto &pop = plan.populations[p];
    if (pop.kind == "li")
      trace.readout[p].assign(size_t(T) * pop.size, 0);
    else
      trace.output[p].assign(size_t(T) * pop.size, 0);
  }
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  uint32_t T0 = 0;
  std::fill(m.acc32.begin(), m.acc32.end(), 0);
  for (auto &h : m.history)
    h.clear();
  m.directEvents = 0;
  for (auto &cs : m.cores) {
    std::fill(cs.ring.begin(), cs.ring.end(), 0);
    std::fill(cs.count.begin(), cs.count.end(), 0);
    for (auto &slot : cs.xylo)
      slot.clear();
    std::fill(cs.v.begin(), cs.v.end(), 0);
    std::fill(cs.j.begin(), cs.j.end(), 0);
    if (lava)
      for (size_t i = 0; i < cs.v.size(); ++i)
        cs.v[i] = intmath::lavaInitialVoltage(cs.core->bias[i]);
    cs.events = 0;
  }
  // Input values of the whole sample as events (step-sorted).
  std::vector<std::vector<std::pair<uint32_t, int64_t>>> inputEvents(T);
  if (data.kind == InputKind::Frames) {
    for (uint32_t t = 0; t < std::min(T, data.steps); ++t)
      for (uint32_t c = 0; c < data.channels; ++c) {
        float value =
            data.frames[(sample * data.steps + t) * size_t(data.channels) + c];
        int64_t x = intmath::inputValue(in.scale, value);
        if (x != 0)
          inputEvents[t].push_back({c, x});
      }
  } else {
    for (uint64_t k = data.eventOffsets[sample];
         k < data.eventOffsets[sample + 1]; ++k)
      if (data.eventStep[k] < T) {
        int64_t x = intmath::inputValue(in.scale, data.eventCount[k]);
        if (x != 0)
          inputEvents[data.eventStep[k]].push_back({data.eventChannel[k], x});
      }
  }

  std::vector<std::pair<uint64_t, int64_t>> events; // (global source, value)
  uint64_t spikes = 0;
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf) {
    runXylo(m, inputPop, inputEvents, trace, spikes);
    T0 = T; // the loop below is snnc's and Lava's
  }
  for (uint32_t t = T0; t < T; ++t) {
    // (1) This step's events: inputs and the spikes the states imply.
    events.clear();
    for (auto [c, x] : inputEvents[t]) {
      events.push_back({m.popOffset[inputPop] + c, x});
      trace.output[inputPop][size_t(t) * in.size + c] = static_cast<int32_t>(x);
    }
    for (size_t c = 0; c < m.cores.size(); ++c) {
      CoreState &cs = m.cores[c];
      for (size_t i = 0; i < cs.v.size(); ++i)
        if (cs.isLif[i] &&
            (lava ? intmath::lavaSpikes(cs.v[i], cs.core->threshold[i])
                  : cs.v[i] >= cs.core->threshold[i])) {
          uint32_t pop = cs.core->neuronPop[i];
          uint32_t idx = cs.core->neuronIndex[i];
          events.push_back({m.popOffset[pop] + idx, 1});
          trace.output[pop][size_t(t) * plan.populations[pop].size + idx] = 1;
          ++spikes;
        }
    }
    // (2) Route each event to the cores that list its source as an axon
    // (the routes of the plan), then let every core add it into its delay
    // rings.
    if (m.direct) {
      const uint32_t ring = m.directRing;
      auto &now = m.history[t % ring];
      now.clear();
      for (auto [source, value] : events) {
        // Within int32 by the bound checked in buildDirect.
        now.push_back({uint32_t(source), int32_t(value)});
        m.directEvents +=
            m.segPtr[(source + 1) * ring] - m.segPtr[source * ring];
      }
      int32_t *acc = m.acc32.data();
      const uint32_t *target = m.rowTarget.data();
      const int16_t *weight = m.rowWeight.data();
      for (uint32_t d = 0; d < ring && d <= t; ++d)
        for (auto [source, value] : m.history[(t - d) % ring]) {
          const uint64_t seg = uint64_t(source) * ring + d;
          const uint32_t begin = m.segPtr[seg], end = m.segPtr[seg + 1];
          for (uint32_t k = begin; k < end; ++k)
            acc[target[k]] += int32_t(weight[k]) * value;
        }
    }
    for (auto &cs : m.cores)
      cs.inbox.clear();
    for (auto [source, value] : events) {
      if (m.direct)
        break;
      for (uint64_t f = m.fanout.ptr[source]; f < m.fanout.ptr[source + 1]; ++f)
        m.cores[m.fanout.core[f]].inbox.push_back({m.fanout.axon[f], value});
    }
    m.forEachCore([&](size_t c) {
      CoreState &cs = m.cores[c];
      const size_t n = cs.v.size();
      const uint32_t ring = cs.ringSize, now = t % ring;
      int64_t *buffer = cs.ring.data();
      const uint32_t *neuron = cs.byAxonNeuron.data();
      const int32_t *weight = cs.byAxonWeight.data();
      const int32_t *delay = cs.byAxonDelay.data();
      uint64_t events = 0;
      for (auto [axon, value] : cs.inbox) {
        const uint64_t begin = cs.byAxonPtr[axon], end = cs.byAxonPtr[axon + 1];
        for (uint64_t k = begin; k < end; ++k) {
          // Delays are < ring, so one conditional subtraction wraps the slot.
          uint32_t slot = now + uint32_t(delay[k]);
          slot -= slot >= ring ? ring : 0;
          buffer[size_t(slot) * n + neuron[k]] += int64_t(weight[k]) * value;
        }
        events += end - begin;
      }
      cs.events += events;
    });
    // (3) Every neuron takes this step's input and updates (SNN-I3..I8).
    m.forEachCore([&](size_t c) {
      CoreState &cs = m.cores[c];
      const PlanCore &core = *cs.core;
      const size_t n = cs.v.size();
      int64_t *slot =
          m.direct ? nullptr : &cs.ring[size_t(t % cs.ringSize) * n];
      int32_t *slot32 = m.direct ? &m.acc32[m.coreBase[c]] : nullptr;
      // This step's summed input of neuron i; its slot is then cleared.
      auto take = [&](size_t i) -> int64_t {
        int64_t sum;
        if (slot32) {
          sum = slot32[i];
          slot32[i] = 0;
        } else {
          sum = slot[i];
          slot[i] = 0;
        }
        return sum;
      };
      for (size_t i = 0; i < n; ++i) {
        if (lava) {
          // Lava: every neuron is a CUBA LIF; a readout's spikes go nowhere.
          // Plans hold weight_exp 0 only, so the summed slot is the
          // activation (lavaInput(sum, 0) = sum).
          int64_t iDecay =
              core.iDecay[i] < 0 ? intmath::lava::kMaxIDecay : core.iDecay[i];
          intmath::lavaStep(cs.j[i], cs.v[i], intmath::lavaActivation(take(i)),
                            core.bias[i], core.threshold[i], iDecay,
                            core.vDecay[i]);
          if (cs.isLi[i]) {
            uint32_t pop = core.neuronPop[i];
            trace.readout[pop][size_t(t) * plan.populations[pop].size +
                               core.neuronIndex[i]] =
                intmath::lavaObservedVoltage(cs.v[i], core.threshold[i]);
          }
          continue;
        }
        int64_t input = intmath::sat(take(i), plan.stateBits);
        // SNN-I7: a CuBa synapse filters the input of a lif or li neuron.
        if (core.iDecay[i] >= 0) {
          cs.j[i] = intmath::synapseStep(
              cs.j[i], input, m.decay, core.iDecay[i], plan.stateBits,
              core.biasSyn.empty() ? 0 : core.biasSyn[i]);
          input = cs.j[i];
        }
        if (cs.isLi[i]) {
          cs.v[i] = intmath::readoutStep(cs.v[i], input, core.bias[i], m.decay,
                                         core.vDecay[i], plan.stateBits);
          uint32_t pop = core.neuronPop[i];
          trace.readout[pop][size_t(t) * plan.populations[pop].size +
                             core.neuronIndex[i]] = cs.v[i];
          continue;
        }
        intmath::lifStep(cs.v[i], input, core.bias[i], core.threshold[i],
                         m.decay, core.vDecay[i], cs.subtract[i] != 0,
                         plan.stateBits);
      }
    });
  }
  if (stats) {
    stats->spikes = spikes;
    stats->synapticEvents = m.directEvents;
    for (const auto &cs : m.cores)
      stats->synapticEvents += cs.events;
  }
  return trace;
}

int PlanExecutor::predictClass(const IntTrace &trace) const {
  const Plan &plan = impl_->plan;
  std::vector<uint32_t> outs = plan.outputs();
  if (outs.empty())
    return -1;
  return classifyReadout(trace.readout[outs.front()],
                         plan.populations[outs.front()].weightScale, plan.steps,
                         plan.arithmetic);
}

} // namespace snnrt
