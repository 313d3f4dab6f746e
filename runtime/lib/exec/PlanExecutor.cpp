//===- PlanExecutor.cpp - Event-driven execution of a mapped plan ---------===//

#include "snnrt/exec/PlanExecutor.h"

#include "snnrt/exec/IntegerMath.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include <map>
#include <tuple>
#include <type_traits>
#include <utility>

namespace snnrt {

namespace {

/// Allocates large tables on transparent huge pages where Linux offers
/// them on request (THP "madvise"): the synapse rows are read at random
/// segments over tens of MB, and with 4 KiB pages nearly every segment
/// also misses the TLB. Small requests, and other systems, use operator
/// new as std::allocator does.
template <typename T> struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHuge = size_t(2) << 20, kMin = size_t(4) << 20;
  HugePageAllocator() = default;
  template <typename U> HugePageAllocator(const HugePageAllocator<U> &) {}
  static size_t rounded(size_t bytes) {
    return (bytes + kHuge - 1) / kHuge * kHuge;
  }
  T *allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kMin) {
      void *p = nullptr;
      if (posix_memalign(&p, kHuge, rounded(bytes)) == 0) {
        madvise(p, rounded(bytes), MADV_HUGEPAGE); // advice only
        return static_cast<T *>(p);
      }
      throw std::bad_alloc();
    }
#endif
    return static_cast<T *>(::operator new(bytes));
  }
  void deallocate(T *p, size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n * sizeof(T) >= kMin) {
      std::free(p);
      return;
    }
#endif
    ::operator delete(p);
  }
  template <typename U> bool operator==(const HugePageAllocator<U> &) const {
    return true;
  }
  template <typename U> bool operator!=(const HugePageAllocator<U> &) const {
    return false;
  }
};
template <typename T> using HugeVector = std::vector<T, HugePageAllocator<T>>;

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

/// One core's tables, laid out for the event loop (read-only once built).
struct CoreTables {
  const PlanCore *core = nullptr;
  uint32_t ringSize = 1; ///< max synaptic delay + 1
  /// Synapses by axon (the transpose of the plan's per-neuron table):
  /// axon a owns entries byAxonPtr[a] .. byAxonPtr[a+1]−1.
  std::vector<uint64_t> byAxonPtr;
  std::vector<uint32_t> byAxonNeuron;
  std::vector<int32_t> byAxonWeight, byAxonDelay;
  std::vector<uint8_t> isLif, isLi, subtract;
};

/// One core's state during a sample.
struct CoreState {
  const CoreTables *tab = nullptr;
  const PlanCore *core = nullptr;
  std::vector<int64_t> ring; ///< [ringSize][neurons] pending input
  std::vector<int64_t> v, j; ///< membrane (or readout) and CuBa current
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

/// One tuple of neuron parameters (direct delivery's neurons share them).
struct NeuronClass {
  int64_t threshold, bias, biasSyn;
  int32_t vDecay, iDecay;
  uint8_t isLif, isLi, subtract;
  auto key() const {
    return std::make_tuple(threshold, bias, biasSyn, vDecay, iDecay, isLif,
                           isLi, subtract);
  }
};

/// Direct delivery (snnc's and Lava's rules, when the sizes below allow):
/// per global source neuron and delay one segment of its synapses in every
/// core it reaches (targets numbered across cores, coreBase[c] + local
/// index), and a step gathers instead of scattering into a delay ring: at
/// step t, every event of step t − d walks its delay-d segment into one
/// int32 accumulator over all neurons. That accumulator (4 bytes a neuron)
/// stays in cache where a ring of 16 rows does not, and no event is routed
/// per (core, axon) (on networks without locality a source has a synapse or
/// two per core, and per-core lists cost more than their synapses). int32
/// only where no neuron's input can leave int32 (sum of |weight| x largest
/// input value, checked when the plan is loaded); integer sums do not
/// depend on their order, so each neuron's input is bit for bit the
/// per-core tables'.
struct DirectTables {
  uint32_t ring = 1;
  uint64_t neurons = 0;
  std::vector<uint64_t> coreBase; ///< [cores + 1]
  /// Segment (g, d) is segPtr[g·ring + d] .. segPtr[g·ring + d + 1].
  HugeVector<uint32_t> segPtr;
  /// One synapse a 32-bit word where the targets and weights fit:
  /// target << weightBits | (weight mod 2^weightBits), so an event streams
  /// 4 bytes and one load. weightBits = 0: word is the target alone and the
  /// weight is in `weight` (6 bytes an event).
  uint32_t weightBits = 0;
  HugeVector<uint32_t> word;
  HugeVector<int16_t> weight;
  /// Per neuron, in accumulator (core) order: what a spike or readout
  /// reads (its global source index, or kNoRow where it has no synapses —
  /// a spike of it posts nothing and its pointers are not read —, its
  /// population and index there) in one record, one cache line a spike
  /// instead of three; and its parameters as an index into `classes`: a
  /// step reads 12 bytes a neuron (class, state, input) instead of some 40
  /// when networks share their parameters (a population's threshold,
  /// decays and bias often are one tuple), and the few classes stay in L1.
  struct Spiker {
    uint32_t source, pop, index;
  };
  static constexpr uint32_t kNoRow = UINT32_MAX;
  HugeVector<Spiker> spiker;
  std::vector<uint32_t> cls;
  std::vector<NeuronClass> classes;
  /// Maximal ranges of consecutive neurons of one class (a population's
  /// neurons on a core, typically): a step updates a range with its
  /// parameters hoisted, and plain LIF ranges branch-free.
  struct Range {
    uint32_t begin, end, cls;
  };
  std::vector<Range> ranges;
  /// Per class, how a group of samples in flight updates its neurons
  /// (runDirectGroup): in int32 lanes where every intermediate fits 32
  /// bits (Lava's CUBA LIF; snnc's hard-reset LIF without a CuBa synapse,
  /// Mul12 decay, states <= 24 bits), else element by element in int64.
  struct LaneClass {
    enum Kind : uint8_t { Generic, Lava32, Lif32 } kind = Generic;
    int32_t threshold = 0; ///< Lava: vth · 2^6 (v > it fires); LIF: θ
    int32_t bias = 0;
    uint32_t keepU = 0, keepV = 0; ///< 4096 − decay
  };
  std::vector<LaneClass> laneClasses;
  /// One sample under Lava's rules where every class is Lava32: each
  /// neuron's lane parameters side by side (structure of arrays), so that
  /// one loop updates all neurons in int32 vectors, though trained biases
  /// make most classes a single neuron. fireAbove is the bound a neuron
  /// fires past (vth · 2^6; INT32_MAX for a readout, which never fires).
  /// Empty otherwise.
  struct LavaNeurons {
    std::vector<int32_t> threshold, bias, fireAbove;
    std::vector<uint32_t> keepU, keepV;
    /// The ranges of readout neurons (their states are reported).
    std::vector<uint32_t> readoutRanges;
  } lavaNeurons;
  /// Where ring <= 32: per source, bit d set where its delay-d segment is
  /// not empty, so that posting an event visits its non-empty segments
  /// only (runDirectGroup; a hidden neuron's few synapses leave most of
  /// its delays empty). Empty otherwise.
  std::vector<uint32_t> delaysUsed;
};

/// Words a gathered segment is copied by, and the words gathered before
/// they are added (deliverGathered).
constexpr uint32_t kGatherWords = 16;
constexpr size_t kGatherFlush = 1024;

/// A segment of synapses (rows begin .. end) that an event of value
/// `value` delivers at a later step.
struct DueSegment {
  uint32_t begin, end;
  int32_t value;
};

/// The segments due at one step: a list that only grows between steps
/// (appending is a compare and a store; growth doubles it) and is emptied
/// when its step has walked it.
struct DueList {
  HugeVector<DueSegment> items;
  size_t size = 0;
  void push(const DueSegment &seg) {
    if (size == items.size())
      items.resize(items.size() * 2 + 1024);
    items[size++] = seg;
  }
};

/// Neurons found firing, in order: room for every neuron from the start,
/// so that appending is a store and an add, and a scan appends without a
/// branch per neuron (appendFiring).
struct IndexList {
  std::vector<uint32_t> items;
  size_t size = 0;
  void push(uint32_t i) { items[size++] = i; }
  uint32_t operator[](size_t k) const { return items[k]; }
};

/// Appends the neurons of [begin, end) whose v >= threshold to `list`:
/// each index is stored and the end moves on only where v fires (a few
/// percent fire each step, and a branch per neuron would be mispredicted
/// on each of them).
inline void appendFiring(IndexList &list, const int32_t *v, uint32_t begin,
                         uint32_t end, int64_t threshold) {
  uint32_t *out = list.items.data() + list.size;
  for (uint32_t i = begin; i < end; ++i) {
    *out = i;
    out += v[i] >= threshold;
  }
  list.size = size_t(out - list.items.data());
}

/// Samples in flight (runDirectGroup): a segment due for the lanes (samples
/// of the group) in `mask`, each adding weight · value; mask 0: for every
/// lane, adding weight · its own value, the W values at `value` · W of the
/// run's lane values (an input channel's values in the group's samples).
struct GroupSegment {
  uint32_t begin, end;
  uint32_t mask;
  int32_t value;
};

struct GroupDueList {
  HugeVector<GroupSegment> items;
  size_t size = 0;
  void push(const GroupSegment &seg) {
    if (size == items.size())
      items.resize(items.size() * 2 + 1024);
    items[size++] = seg;
  }
};

/// A neuron that fired in the lanes of `mask`.
struct GroupFiring {
  uint32_t neuron, mask;
};

/// What every executor of one plan shares: built once, read-only after.
struct Tables {
  Plan plan;
  intmath::DecayKind decay = intmath::DecayKind::Mul12;
  std::vector<uint64_t> popOffset; ///< global index of a population's neuron 0
  uint64_t totalNeurons = 0;
  std::vector<CoreTables> cores;
  Fanout fanout;
  /// Xylo only: the hidden index of each population's first neuron (lif
  /// populations in plan order, SNN-X13).
  std::vector<uint64_t> hiddenBase;
  bool direct = false;
  DirectTables d;
  /// SNNC_SAMPLES_IN_FLIGHT when create() ran (0: unset).
  uint32_t envInFlight = 0;

  void buildDirect();
  /// The group width picked for this plan (PlanExecutor::samplesInFlight).
  uint32_t autoInFlight() const;
};

/// Where a run writes its outputs: a dense IntTrace or a SparseTrace.
struct DenseSink {
  IntTrace &trace;
  const Plan &plan;
  DenseSink(IntTrace &trace, const Plan &plan) : trace(trace), plan(plan) {
    const uint32_t T = plan.steps;
    trace.output.resize(plan.populations.size());
    trace.readout.resize(plan.populations.size());
    for (size_t p = 0; p < plan.populations.size(); ++p) {
      const auto &pop = plan.populations[p];
      if (pop.kind == "li")
        trace.readout[p].assign(size_t(T) * pop.size, 0);
      else
        trace.output[p].assign(size_t(T) * pop.size, 0);
    }
  }
  void output(uint32_t pop, uint32_t t, uint32_t index, int32_t value) {
    trace.output[pop][size_t(t) * plan.populations[pop].size + index] = value;
  }
  void readout(uint32_t pop, uint32_t t, uint32_t index, int64_t value) {
    trace.readout[pop][size_t(t) * plan.populations[pop].size + index] = value;
  }
  void finish() {}
};

struct SparseSink {
  SparseTrace &trace;
  const Plan &plan;
  SparseSink(SparseTrace &trace, const Plan &plan) : trace(trace), plan(plan) {
    const size_t P = plan.populations.size();
    trace.step.assign(P, {});
    trace.neuron.assign(P, {});
    trace.value.assign(P, {});
    trace.readout.assign(P, {});
    for (size_t p = 0; p < P; ++p)
      if (plan.populations[p].kind == "li")
        trace.readout[p].assign(size_t(plan.steps) * plan.populations[p].size,
                                0);
  }
  void output(uint32_t pop, uint32_t t, uint32_t index, int32_t value) {
    trace.step[pop].push_back(t);
    trace.neuron[pop].push_back(index);
    trace.value[pop].push_back(value);
  }
  void readout(uint32_t pop, uint32_t t, uint32_t index, int64_t value) {
    trace.readout[pop][size_t(t) * plan.populations[pop].size + index] = value;
  }
  /// Puts every population's entries in IntTrace's order (step, then
  /// neuron); where an entry was written twice the last write stands, as
  /// in a dense trace, and zeros are dropped. Already sorted (one core per
  /// population range, the common case) costs one pass.
  void finish() {
    for (size_t p = 0; p < trace.step.size(); ++p) {
      auto &step = trace.step[p];
      auto &neuron = trace.neuron[p];
      auto &value = trace.value[p];
      bool ordered = true;
      for (size_t k = 1; k < step.size() && ordered; ++k)
        ordered = step[k - 1] < step[k] ||
                  (step[k - 1] == step[k] && neuron[k - 1] < neuron[k]);
      if (!ordered) {
        std::vector<size_t> order(step.size());
        for (size_t k = 0; k < order.size(); ++k)
          order[k] = k;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
          return step[a] != step[b] ? step[a] < step[b] : neuron[a] < neuron[b];
        });
        std::vector<uint32_t> s, n;
        std::vector<int32_t> v;
        for (size_t k = 0; k < order.size(); ++k) {
          const size_t i = order[k];
          if (!s.empty() && s.back() == step[i] && n.back() == neuron[i]) {
            v.back() = value[i]; // the later write
            continue;
          }
          s.push_back(step[i]);
          n.push_back(neuron[i]);
          v.push_back(value[i]);
        }
        step.swap(s);
        neuron.swap(n);
        value.swap(v);
      }
      size_t kept = 0;
      for (size_t k = 0; k < step.size(); ++k)
        if (value[k] != 0) {
          step[kept] = step[k];
          neuron[kept] = neuron[k];
          value[kept++] = value[k];
        }
      step.resize(kept);
      neuron.resize(kept);
      value.resize(kept);
    }
  }
};

} // namespace

struct PlanExecutor::Impl {
  std::shared_ptr<const Tables> tab;
  std::vector<CoreState> cores;
  // Direct delivery's state.
  std::vector<int32_t> acc; ///< [neurons] this step's input
  /// [neurons] membrane (or readout) and current: int32 holds them (plans
  /// have state_bits <= 32, Lava's states are 24-bit), 4 bytes a step.
  std::vector<int32_t> v, j;
  /// The segments due at each of the next `ring` steps, by step modulo
  /// ring.
  std::vector<DueList> due;
  IndexList firing, nextFiring; ///< neurons (core order)
  PlanExecutorOptions options;
  /// deliverGathered's buffer.
  std::vector<uint32_t> gatherBuf =
      std::vector<uint32_t>(kGatherFlush + kGatherWords);

  void init(std::shared_ptr<const Tables> tables,
            const PlanExecutorOptions &options);
  template <typename Sink>
  Status run(const Dataset &data, size_t sample, PlanRunStats *stats,
             Sink &sink);
  template <typename Sink, bool Packed>
  void runDirect(
      const std::vector<std::vector<std::pair<uint32_t, int64_t>>> &inputEvents,
      Sink &sink, uint64_t &spikes, uint64_t &events, uint64_t &visits,
      uint64_t &posted);

  // Samples in flight (runGroup): every neuron's W lanes side by side,
  // lane s the state of the group's sample s; grown on first use to the
  // widest group run (a narrower one uses the front n · W entries).
  uint32_t groupWidth = 0;
  std::vector<int32_t> gAcc, gV, gJ; ///< [neurons][W]
  std::vector<int32_t> gValues;      ///< input values, W per event
  std::vector<GroupDueList> gDue;
  std::vector<GroupFiring> gFiring, gNext;
  /// The group width runGroup uses (options' or the plan's).
  uint32_t inFlight() const;
  void initGroup(uint32_t width);
  template <typename Sink>
  Status runGroup(const Dataset &data, const size_t *samples, uint32_t count,
                  PlanRunStats *stats, std::vector<Sink> &sinks);
  template <typename Sink, uint32_t W, bool Packed>
  void runDirectGroup(
      const std::vector<std::vector<std::vector<std::pair<uint32_t, int64_t>>>>
          &inputEvents,
      std::vector<Sink> &sinks, uint64_t *spikes, uint64_t *events,
      uint64_t &visits, uint64_t &posted, uint64_t &rowWords);
};

namespace {
/// One sample's integer input values x (SNN-I2) as events, by step, in
/// the dataset's order.
std::vector<std::vector<std::pair<uint32_t, int64_t>>>
inputEventsOf(const Plan &plan, const Dataset &data, size_t sample) {
  const PlanPopulation &in = plan.populations[plan.inputs().front()];
  const uint32_t T = plan.steps;
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
  return inputEvents;
}
} // namespace

void Tables::buildDirect() {
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf)
    return;
  d.coreBase.assign(1, 0);
  uint32_t ringMax = 1;
  for (const CoreTables &ct : cores) {
    d.coreBase.push_back(d.coreBase.back() + ct.isLif.size());
    ringMax = std::max(ringMax, ct.ringSize);
  }
  if (ringMax > 256 || d.coreBase.back() >= UINT32_MAX)
    return;
  // Largest |input| per neuron: inputs are sat16 values (SNN-I2), every
  // other source sends 1 per spike.
  std::vector<int64_t> bound(d.coreBase.back(), 0);
  uint64_t nnz = 0;
  int32_t wMin = 0, wMax = 0;
  for (size_t c = 0; c < cores.size(); ++c) {
    const CoreTables &ct = cores[c];
    const PlanCore &core = *ct.core;
    for (size_t a = 0; a + 1 < ct.byAxonPtr.size(); ++a) {
      const int64_t most =
          plan.populations[core.axonPop[a]].kind == "input" ? 32768 : 1;
      for (uint64_t k = ct.byAxonPtr[a]; k < ct.byAxonPtr[a + 1]; ++k) {
        const int32_t w = ct.byAxonWeight[k];
        if (w < INT16_MIN || w > INT16_MAX)
          return;
        wMin = std::min(wMin, w);
        wMax = std::max(wMax, w);
        int64_t &b = bound[d.coreBase[c] + ct.byAxonNeuron[k]];
        b += std::abs(int64_t(w)) * most;
        if (b > INT32_MAX)
          return;
      }
      nnz += ct.byAxonPtr[a + 1] - ct.byAxonPtr[a];
    }
  }
  if (nnz > UINT32_MAX)
    return;
  direct = true;
  d.ring = ringMax;
  d.neurons = d.coreBase.back();
  // The fewest bits that hold every weight as a two's-complement number;
  // packed when the targets fit the rest of 32 bits.
  uint32_t bits = 1;
  while (wMin < -(int32_t(1) << (bits - 1)) ||
         wMax > (int32_t(1) << (bits - 1)) - 1)
    ++bits;
  d.weightBits = d.neurons <= (uint64_t(1) << (32 - bits)) ? bits : 0;
  const uint32_t R = d.ring, wb = d.weightBits;
  d.segPtr.assign(totalNeurons * R + 1, 0);
  d.word.reserve(nnz + kGatherWords); // and the padding below
  if (!wb)
    d.weight.reserve(nnz);
  // Per source: count its synapses per delay, then place them; walking
  // the fanout in core order and each axon's list in neuron order leaves
  // every segment sorted by target, with no sort.
  std::vector<uint32_t> fill(R);
  for (uint64_t g = 0; g < totalNeurons; ++g) {
    std::fill(fill.begin(), fill.end(), 0);
    for (uint64_t f = fanout.ptr[g]; f < fanout.ptr[g + 1]; ++f) {
      const CoreTables &ct = cores[fanout.core[f]];
      const uint32_t a = fanout.axon[f];
      for (uint64_t k = ct.byAxonPtr[a]; k < ct.byAxonPtr[a + 1]; ++k)
        ++fill[ct.byAxonDelay[k]];
    }
    uint32_t at = static_cast<uint32_t>(d.word.size());
    for (uint32_t dl = 0; dl < R; ++dl) {
      const uint32_t count = fill[dl];
      fill[dl] = at;
      at += count;
      d.segPtr[g * R + dl + 1] = at;
    }
    d.word.resize(at);
    if (!wb)
      d.weight.resize(at);
    for (uint64_t f = fanout.ptr[g]; f < fanout.ptr[g + 1]; ++f) {
      const CoreTables &ct = cores[fanout.core[f]];
      const uint32_t a = fanout.axon[f];
      const uint32_t base = static_cast<uint32_t>(d.coreBase[fanout.core[f]]);
      for (uint64_t k = ct.byAxonPtr[a]; k < ct.byAxonPtr[a + 1]; ++k) {
        const uint32_t slot = fill[ct.byAxonDelay[k]]++;
        const uint32_t target = base + ct.byAxonNeuron[k];
        const int32_t w = ct.byAxonWeight[k];
        if (wb)
          d.word[slot] =
              target << wb | (uint32_t(w) & ((uint32_t(1) << wb) - 1));
        else {
          d.word[slot] = target;
          d.weight[slot] = static_cast<int16_t>(w);
        }
      }
    }
  }
  // Gathering copies a segment's words 16 at a time (deliverGathered):
  // the rows end in 16 words of padding that no segment covers.
  d.word.resize(d.word.size() + kGatherWords, 0);
  // Neuron parameters in accumulator order, one class per distinct tuple.
  std::map<decltype(NeuronClass().key()), uint32_t> classOf;
  d.spiker.reserve(d.neurons);
  for (const CoreTables &ct : cores) {
    const PlanCore &core = *ct.core;
    for (size_t i = 0; i < ct.isLif.size(); ++i) {
      const uint64_t g = popOffset[core.neuronPop[i]] + core.neuronIndex[i];
      d.spiker.push_back(
          {d.segPtr[g * R] == d.segPtr[g * R + R] ? DirectTables::kNoRow
                                                  : uint32_t(g),
           uint32_t(core.neuronPop[i]), uint32_t(core.neuronIndex[i])});
      NeuronClass c{core.threshold[i],
                    core.bias[i],
                    core.biasSyn.empty() ? 0 : core.biasSyn[i],
                    core.vDecay[i],
                    core.iDecay[i],
                    ct.isLif[i],
                    ct.isLi[i],
                    ct.subtract[i]};
      auto [it, added] = classOf.emplace(c.key(), uint32_t(d.classes.size()));
      if (added)
        d.classes.push_back(c);
      d.cls.push_back(it->second);
    }
  }
  if (R <= 32) {
    d.delaysUsed.assign(totalNeurons, 0);
    for (uint64_t g = 0; g < totalNeurons; ++g)
      for (uint32_t dl = 0; dl < R; ++dl)
        if (d.segPtr[g * R + dl + 1] != d.segPtr[g * R + dl])
          d.delaysUsed[g] |= uint32_t(1) << dl;
  }
  // How a group of samples updates each class (runDirectGroup).
  const bool lavaRules = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  for (const NeuronClass &c : d.classes) {
    DirectTables::LaneClass lc;
    if (lavaRules) {
      // u is an int32 (Lava wraps it once into 24 bits, from anywhere in
      // int32), v a clipped 24-bit value: with keep <= 4095 for u and
      // <= 4096 for v, |x| · keep >> 12 splits into products below 2^31
      // (lavaLanes32). The bias is added modulo 2^32, as Lava's int32 sum.
      const int64_t iDecay =
          c.iDecay < 0 ? intmath::lava::kMaxIDecay : c.iDecay;
      const int64_t th =
          c.threshold * (int64_t(1) << intmath::lava::kUnitShift);
      if (iDecay >= 1 && iDecay <= 4096 && c.vDecay >= 0 && c.vDecay <= 4096 &&
          th >= INT32_MIN && th <= INT32_MAX) {
        lc.kind = DirectTables::LaneClass::Lava32;
        lc.threshold = int32_t(th);
        lc.bias = int32_t(uint32_t(uint64_t(c.bias)));
        lc.keepU = uint32_t(4096 - iDecay);
        lc.keepV = uint32_t(4096 - c.vDecay);
      }
    } else if (c.isLif && !c.subtract && c.iDecay < 0 &&
               decay == intmath::DecayKind::Mul12 && plan.stateBits <= 24 &&
               c.vDecay >= 0 && c.vDecay <= 4096 &&
               std::abs(c.bias) <= (int64_t(1) << 24) &&
               c.threshold >= INT32_MIN && c.threshold <= INT32_MAX) {
      // As lifRange32 in runDirect.
      lc.kind = DirectTables::LaneClass::Lif32;
      lc.threshold = int32_t(c.threshold);
      lc.bias = int32_t(c.bias);
      lc.keepV = uint32_t(4096 - c.vDecay);
    }
    d.laneClasses.push_back(lc);
  }
  for (uint32_t i = 0; i < d.cls.size(); ++i)
    if (d.ranges.empty() || d.ranges.back().cls != d.cls[i])
      d.ranges.push_back({i, i + 1, d.cls[i]});
    else
      d.ranges.back().end = i + 1;
  if (lavaRules && std::all_of(d.laneClasses.begin(), d.laneClasses.end(),
                               [](const DirectTables::LaneClass &lc) {
                                 return lc.kind ==
                                        DirectTables::LaneClass::Lava32;
                               })) {
    DirectTables::LavaNeurons &ln = d.lavaNeurons;
    const size_t n = d.cls.size();
    ln.threshold.resize(n);
    ln.bias.resize(n);
    ln.fireAbove.resize(n);
    ln.keepU.resize(n);
    ln.keepV.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const DirectTables::LaneClass &lc = d.laneClasses[d.cls[i]];
      const NeuronClass &c = d.classes[d.cls[i]];
      ln.threshold[i] = lc.threshold;
      ln.bias[i] = lc.bias;
      ln.keepU[i] = lc.keepU;
      ln.keepV[i] = lc.keepV;
      ln.fireAbove[i] = c.isLif && !c.isLi ? lc.threshold : INT32_MAX;
    }
    for (uint32_t k = 0; k < d.ranges.size(); ++k)
      if (d.classes[d.ranges[k].cls].isLi)
        ln.readoutRanges.push_back(k);
  }
  // The per-core synapse lists and the routes are not read in this mode.
  std::vector<uint64_t>().swap(fanout.ptr);
  std::vector<uint32_t>().swap(fanout.core);
  std::vector<uint32_t>().swap(fanout.axon);
  // Nor the plan copy's axon lists: on a network without locality every
  // core lists most sources (8 bytes each, 0.8 GB at 10^6 neurons).
  for (PlanCore &core : plan.cores) {
    std::vector<int32_t>().swap(core.axonPop);
    std::vector<int32_t>().swap(core.axonIndex);
  }
  for (CoreTables &ct : cores) {
    std::vector<uint64_t>().swap(ct.byAxonPtr);
    std::vector<uint32_t>().swap(ct.byAxonNeuron);
    std::vector<int32_t>().swap(ct.byAxonWeight);
    std::vector<int32_t>().swap(ct.byAxonDelay);
  }
}

void PlanExecutor::Impl::init(std::shared_ptr<const Tables> tables,
                              const PlanExecutorOptions &opts) {
  tab = std::move(tables);
  options = opts;
  const Tables &t = *tab;
  cores.assign(t.cores.size(), CoreState());
  for (size_t c = 0; c < t.cores.size(); ++c) {
    CoreState &cs = cores[c];
    cs.tab = &t.cores[c];
    cs.core = t.cores[c].core;
    const size_t n = cs.tab->isLif.size();
    if (!t.direct)
      cs.ring.assign(size_t(cs.tab->ringSize) * n, 0);
    cs.v.assign(n, 0);
    cs.j.assign(n, 0);
    cs.count.assign(n, 0);
    if (t.plan.arithmetic == intmath::Arithmetic::XyloIaf)
      cs.xylo.resize(cs.tab->ringSize);
  }
  if (t.direct) {
    acc.assign(t.d.neurons, 0);
    firing.items.assign(t.d.neurons, 0);
    nextFiring.items.assign(t.d.neurons, 0);
    v.assign(t.d.neurons, 0);
    j.assign(t.d.neurons, 0);
    due.assign(t.d.ring, {});
  }
}

PlanExecutor::PlanExecutor() : impl_(std::make_unique<Impl>()) {}
PlanExecutor::~PlanExecutor() = default;
const Plan &PlanExecutor::plan() const { return impl_->tab->plan; }

std::unique_ptr<PlanExecutor> PlanExecutor::twin() const {
  return twin(impl_->options);
}

std::unique_ptr<PlanExecutor>
PlanExecutor::twin(const PlanExecutorOptions &options) const {
  std::unique_ptr<PlanExecutor> exec(new PlanExecutor());
  exec->impl_->init(impl_->tab, options);
  return exec;
}

Expected<std::unique_ptr<PlanExecutor>>
PlanExecutor::create(const Plan &plan, const PlanExecutorOptions &options) {
  SNNRT_TRY(validatePlan(plan));
  if (plan.inputs().size() != 1)
    return Status::error("the plan executor needs exactly one input "
                         "population, the plan has " +
                         std::to_string(plan.inputs().size()));
  if (options.inFlight > PlanExecutorOptions::kMaxInFlight)
    return Status::error(
        "samples in flight: " + std::to_string(options.inFlight) +
        " is above the executor's " +
        std::to_string(PlanExecutorOptions::kMaxInFlight));
  auto tables = std::make_shared<Tables>();
  Tables &m = *tables;
  if (const char *env = std::getenv("SNNC_SAMPLES_IN_FLIGHT"); env && *env) {
    char *end = nullptr;
    const unsigned long value = std::strtoul(env, &end, 10);
    if (*env < '0' || *env > '9' || *end || value < 1 ||
        value > PlanExecutorOptions::kMaxInFlight)
      return Status::error(std::string("SNNC_SAMPLES_IN_FLIGHT='") + env +
                           "': expected a number of samples from 1 to " +
                           std::to_string(PlanExecutorOptions::kMaxInFlight));
    m.envInFlight = uint32_t(value);
  }
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

  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> listeners(
      m.totalNeurons);
  m.cores.resize(m.plan.cores.size());
  for (size_t c = 0; c < m.plan.cores.size(); ++c) {
    const PlanCore &core = m.plan.cores[c];
    CoreTables &ct = m.cores[c];
    ct.core = &core;
    const size_t n = core.neuronPop.size();
    const size_t axons = core.axonPop.size();
    for (size_t i = 0; i < n; ++i) {
      const PlanPopulation &pop = plan.populations[core.neuronPop[i]];
      ct.isLif.push_back(pop.kind == "lif");
      ct.isLi.push_back(pop.kind == "li");
      ct.subtract.push_back(pop.reset == "subtract");
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
    ct.byAxonPtr = count;
    size_t nnz = core.synAxon.size();
    ct.byAxonNeuron.resize(nnz);
    ct.byAxonWeight.resize(nnz);
    ct.byAxonDelay.resize(nnz);
    std::vector<uint64_t> fill(count.begin(), count.end() - 1);
    for (size_t i = 0; i < n; ++i)
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k) {
        uint64_t slot = fill[core.synAxon[k]]++;
        ct.byAxonNeuron[slot] = static_cast<uint32_t>(i);
        ct.byAxonWeight[slot] = core.synWeight[k];
        ct.byAxonDelay[slot] = core.synDelay[k];
      }
    ct.ringSize = static_cast<uint32_t>(maxDelay) + 1;
    // The executor reads its own layout of the synapses from here on; the
    // copy's tables (12 bytes a synapse) would triple its memory.
    PlanCore &copy = m.plan.cores[c];
    std::vector<int64_t>().swap(copy.synPtr);
    std::vector<int32_t>().swap(copy.synAxon);
    std::vector<int32_t>().swap(copy.synWeight);
    std::vector<int32_t>().swap(copy.synDelay);
  }
  m.fanout.ptr.assign(m.totalNeurons + 1, 0);
  for (uint64_t g = 0; g < m.totalNeurons; ++g) {
    m.fanout.ptr[g + 1] = m.fanout.ptr[g] + listeners[g].size();
    for (auto [core, axon] : listeners[g]) {
      m.fanout.core.push_back(core);
      m.fanout.axon.push_back(axon);
    }
  }
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>>().swap(listeners);
  m.buildDirect();
  std::unique_ptr<PlanExecutor> exec(new PlanExecutor());
  exec->impl_->init(std::move(tables), options);
  return exec;
}

namespace {
/// Xylo's steps (SNN-X4..X9, SNN-X13) over the plan's cores: at step t the
/// inputs of t and the hidden counts of t − 1 go into the rings (a synapse
/// of delay d fires d steps later), then every neuron saturates its due
/// deliveries in XyloSim's order and updates.
template <typename Sink>
void runXylo(
    const Tables &m, std::vector<CoreState> &cores, uint32_t inputPop,
    const std::vector<std::vector<std::pair<uint32_t, int64_t>>> &inputEvents,
    Sink &sink, uint64_t &spikes) {
  const Plan &plan = m.plan;
  const uint32_t T = plan.steps;
  std::vector<std::pair<uint64_t, int64_t>> events;
  for (uint32_t t = 0; t < T; ++t) {
    events.clear();
    for (auto [c, x] : inputEvents[t]) {
      sink.output(inputPop, t, c, static_cast<int32_t>(x));
      const int64_t n = intmath::xyloInputEvents(x);
      if (n > 0)
        events.push_back({m.popOffset[inputPop] + c, n});
    }
    for (auto &cs : cores)
      for (size_t i = 0; i < cs.v.size(); ++i)
        if (cs.tab->isLif[i] && cs.count[i] > 0)
          events.push_back(
              {m.popOffset[cs.core->neuronPop[i]] + cs.core->neuronIndex[i],
               cs.count[i]});
    for (auto &cs : cores)
      cs.inbox.clear();
    for (auto [source, value] : events)
      for (uint64_t f = m.fanout.ptr[source]; f < m.fanout.ptr[source + 1]; ++f)
        cores[m.fanout.core[f]].inbox.push_back({m.fanout.axon[f], value});
    for (auto &cs : cores) {
      const PlanCore &core = *cs.core;
      const CoreTables &ct = *cs.tab;
      const uint32_t ring = ct.ringSize, now = t % ring;
      for (auto [axon, value] : cs.inbox) {
        const int32_t pop = core.axonPop[axon], idx = core.axonIndex[axon];
        const bool fromInput = plan.populations[pop].kind == "input";
        for (uint64_t k = ct.byAxonPtr[axon]; k < ct.byAxonPtr[axon + 1]; ++k) {
          uint32_t slot = now + uint32_t(ct.byAxonDelay[k]);
          slot -= slot >= ring ? ring : 0;
          cs.xylo[slot].push_back(
              {ct.byAxonNeuron[k],
               intmath::xyloOrder(fromInput, pop, idx,
                                  int64_t(m.hiddenBase[pop] + idx),
                                  ct.byAxonDelay[k]),
               value, ct.byAxonWeight[k]});
        }
        cs.events += ct.byAxonPtr[axon + 1] - ct.byAxonPtr[axon];
      }
    }
    for (auto &cs : cores) {
      const PlanCore &core = *cs.core;
      auto &due = cs.xylo[t % cs.tab->ringSize];
      std::sort(due.begin(), due.end());
      for (const XyloPending &d : due)
        cs.j[d.neuron] =
            intmath::xyloDeliver(cs.j[d.neuron], d.count, d.weight);
      due.clear();
      for (size_t i = 0; i < cs.v.size(); ++i) {
        const bool readout = cs.tab->isLi[i] != 0;
        const int64_t n = intmath::xyloNeuronStep(
            cs.v[i], cs.j[i], core.bias[i],
            readout ? intmath::xylo::kReadoutThreshold : core.threshold[i],
            core.vDecay[i], core.iDecay[i],
            readout ? intmath::xylo::kMaxOutputSpikes
                    : intmath::xylo::kMaxHiddenSpikes);
        const uint32_t pop = core.neuronPop[i];
        if (readout) {
          sink.readout(pop, t, core.neuronIndex[i], cs.v[i]);
          continue;
        }
        cs.count[i] = n;
        sink.output(pop, t, core.neuronIndex[i], static_cast<int32_t>(n));
        spikes += uint64_t(n);
      }
    }
  }
}

/// Adds the segments due this step into `acc`. Spikes (value 1) skip the
/// multiplication.
template <bool Packed>
inline void deliver(const DirectTables &d, const DueList &due, int32_t *acc) {
  const uint32_t *word = d.word.data();
  const int16_t *weight = d.weight.data();
  const uint32_t wb = d.weightBits, up = 32 - wb;
  // Consecutive segments lie anywhere in the rows and hold a few synapses
  // each (a source's row split over its delays): fetching the row kAhead
  // segments early overlaps the cache misses instead of taking them one
  // after the other.
  constexpr size_t kAhead = 16;
  const DueSegment *seg = due.items.data();
  const size_t count = due.size;
  for (size_t e = 0; e < count; ++e) {
    if (e + kAhead < count) {
      __builtin_prefetch(&word[seg[e + kAhead].begin]);
      __builtin_prefetch(&word[seg[e + kAhead].end - 1]);
      if (!Packed)
        __builtin_prefetch(&weight[seg[e + kAhead].begin]);
    }
    const uint32_t begin = seg[e].begin, end = seg[e].end;
    const int32_t value = seg[e].value;
    if (Packed) {
      // The weight: the low wb bits, sign-extended by an arithmetic shift.
      if (value == 1)
        for (uint32_t k = begin; k < end; ++k) {
          const uint32_t x = word[k];
          acc[x >> wb] += int32_t(x << up) >> up;
        }
      else
        for (uint32_t k = begin; k < end; ++k) {
          const uint32_t x = word[k];
          acc[x >> wb] += (int32_t(x << up) >> up) * value;
        }
    } else {
      for (uint32_t k = begin; k < end; ++k)
        acc[word[k]] += int32_t(weight[k]) * value;
    }
  }
}

/// Adds packed words [0, n) of `buf` into `acc`, prefetching the
/// accumulator's lines 16 words ahead (for writing).
inline void addGathered(const uint32_t *buf, size_t n, int32_t *acc,
                        uint32_t wb) {
  const uint32_t up = 32 - wb;
  constexpr size_t kAhead = 16;
  size_t k = 0;
  for (; k + kAhead < n; ++k) {
    __builtin_prefetch(&acc[buf[k + kAhead] >> wb], 1);
    const uint32_t x = buf[k];
    acc[x >> wb] += int32_t(x << up) >> up;
  }
  for (; k < n; ++k) {
    const uint32_t x = buf[k];
    acc[x >> wb] += int32_t(x << up) >> up;
  }
}

/// deliver<true> for spikes in two passes: the due segments' words are
/// first copied into `buf` (kGatherWords at a time, whatever a segment's
/// length: no branch on it), and each kGatherFlush words are then added in
/// one loop. A segment holds a few synapses, and a loop per segment ends
/// at an unpredictable count (a mispredicted branch every few synapses,
/// each stopping the accumulator's cache misses from overlapping); the
/// flat loop's branches are predicted, and its accumulator lines are
/// prefetched. Longer segments and events of other values than 1 are
/// added directly.
inline void deliverGathered(const DirectTables &d, const DueList &due,
                            int32_t *acc, uint32_t *buf) {
  const uint32_t *word = d.word.data();
  const uint32_t wb = d.weightBits, up = 32 - wb;
  // Further ahead than deliver's 16: a gathered segment costs fewer cycles
  // than a walked one, so 16 segments are too short a time to fetch a row
  // (32: +3-5 % over 16 and 48 in runs at 10^6 neurons).
  constexpr size_t kAhead = 32;
  const DueSegment *seg = due.items.data();
  const size_t count = due.size;
  size_t n = 0;
  for (size_t e = 0; e < count; ++e) {
    if (e + kAhead < count) {
      // The lines the copy reads (it reads past a short segment's end).
      const DueSegment &s = seg[e + kAhead];
      __builtin_prefetch(&word[s.begin]);
      __builtin_prefetch(&word[s.begin + kGatherWords / 2 - 1]);
      __builtin_prefetch(&word[s.end - 1]);
    }
    const uint32_t begin = seg[e].begin, end = seg[e].end;
    const int32_t value = seg[e].value;
    if (value != 1) {
      for (uint32_t k = begin; k < end; ++k) {
        const uint32_t x = word[k];
        acc[x >> wb] += (int32_t(x << up) >> up) * value;
      }
      continue;
    }
    if (end - begin <= kGatherWords / 2) {
      std::memcpy(buf + n, word + begin, kGatherWords / 2 * sizeof(uint32_t));
      n += end - begin;
    } else if (end - begin <= kGatherWords) {
      std::memcpy(buf + n, word + begin, kGatherWords * sizeof(uint32_t));
      n += end - begin;
    } else {
      // A long segment (an input's, say) in pieces that fill the buffer.
      for (uint32_t k = begin; k < end;) {
        const size_t m = std::min<size_t>(end - k, kGatherFlush - n);
        std::memcpy(buf + n, word + k, m * sizeof(uint32_t));
        n += m;
        k += uint32_t(m);
        if (n >= kGatherFlush) {
          addGathered(buf, n, acc, wb);
          n = 0;
        }
      }
    }
    if (n >= kGatherFlush) {
      addGathered(buf, n, acc, wb);
      n = 0;
    }
  }
  addGathered(buf, n, acc, wb);
}

/// The branch-free hard-reset LIF range of runDirect (SNN-I4/I6, Mul12
/// decay, no CuBa synapse) in int32 lanes, for states of <= 24 bits and
/// |bias| <= 2^24: then every intermediate fits int32, and the decay
/// product |v| · keep (up to 2^35) is split as (|v| >> 12) · keep +
/// ((|v| mod 2^12) · keep >> 12), which is floor(|v| · keep / 2^12)
/// exactly because the first term's 2^12 divides out. int32 lanes
/// vectorise (8 a vector with AVX2, picked at load time where the CPU has
/// it); the int64 loop does not.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&         \
    defined(__linux__)
__attribute__((target_clones("avx2", "default")))
#endif
void lifRange32(int32_t *v, int32_t *a, uint32_t count, int32_t threshold,
                int32_t bias, uint32_t keep, int32_t lo, int32_t hi) {
  for (uint32_t i = 0; i < count; ++i) {
    const int32_t vi = v[i];
    int32_t input = a[i];
    a[i] = 0;
    input = input < lo ? lo : (input > hi ? hi : input);
    const uint32_t mag = vi < 0 ? 0u - uint32_t(vi) : uint32_t(vi);
    const uint32_t kept = (mag >> 12) * keep + (((mag & 4095u) * keep) >> 12);
    int32_t next = (vi < 0 ? -int32_t(kept) : int32_t(kept)) + input + bias;
    next = next < lo ? lo : (next > hi ? hi : next);
    v[i] = vi >= threshold ? 0 : next;
  }
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&         \
    defined(__linux__)
#define SNNRT_LANE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SNNRT_LANE_CLONES
#endif

/// Lava's CUBA LIF step (intmath::lavaStep, SNN-L) over `count` int32
/// lanes of one parameter class: a group's samples side by side, so that
/// even a class of one neuron is a vector of its samples. u is any int32
/// (Lava's wrap moves it once by 2^24, so it need not be 24-bit), v a
/// clipped 24-bit value; dec(x) = sign(x) · (|x| · keep >> 12) is split as
/// (|x| >> 12) · keep + ((|x| mod 2^12) · keep >> 12), which is exact (the
/// first term's 2^12 divides out) and below 2^31 for keepU <= 4095 (|u| <=
/// 2^31) and keepV <= 4096 (|v| < 2^23). The sums wrap modulo 2^32 as
/// Lava's int32 arithmetic does. `threshold` is vth · 2^6.
inline void lavaLane32(int32_t &v, int32_t &u, int32_t &a, int32_t threshold,
                       int32_t bias, uint32_t keepU, uint32_t keepV) {
  constexpr int32_t kLimit = int32_t(1) << 23;
  const int32_t vi = v > threshold ? 0 : v;
  const uint32_t act = uint32_t(a) << intmath::lava::kUnitShift;
  a = 0;
  const int32_t ui = u;
  const uint32_t mu = ui < 0 ? 0u - uint32_t(ui) : uint32_t(ui);
  const uint32_t ku = (mu >> 12) * keepU + (((mu & 4095u) * keepU) >> 12);
  int32_t nu = int32_t((ui < 0 ? 0u - ku : ku) + act);
  nu = nu > kLimit ? nu - 2 * kLimit : (nu <= -kLimit ? nu + 2 * kLimit : nu);
  u = nu;
  const uint32_t mv = vi < 0 ? 0u - uint32_t(vi) : uint32_t(vi);
  const uint32_t kv = (mv >> 12) * keepV + (((mv & 4095u) * keepV) >> 12);
  int32_t nv = int32_t((vi < 0 ? 0u - kv : kv) + uint32_t(nu) + uint32_t(bias));
  nv = nv > kLimit - 1 ? kLimit - 1 : (nv < 1 - kLimit ? 1 - kLimit : nv);
  v = nv;
}

/// intmath::lavaStep on one neuron's int32 state in int64, for a class
/// outside lavaLane32's bounds.
inline void lavaElement(int32_t &v, int32_t &u, int32_t &a,
                        const NeuronClass &c) {
  const int64_t iDecay = c.iDecay < 0 ? intmath::lava::kMaxIDecay : c.iDecay;
  int64_t u64 = u, v64 = v;
  intmath::lavaStep(u64, v64, intmath::lavaActivation(a), c.bias, c.threshold,
                    iDecay, c.vDecay);
  u = int32_t(u64);
  v = int32_t(v64);
  a = 0;
}

/// lavaLane32 over `count` lanes of one parameter class.
SNNRT_LANE_CLONES
void lavaLanes32(int32_t *v, int32_t *u, int32_t *a, uint32_t count,
                 int32_t threshold, int32_t bias, uint32_t keepU,
                 uint32_t keepV) {
  for (uint32_t i = 0; i < count; ++i)
    lavaLane32(v[i], u[i], a[i], threshold, bias, keepU, keepV);
}

/// lavaLane32 over a sample's neurons, each with its own parameters
/// (DirectTables::LavaNeurons).
SNNRT_LANE_CLONES
void lavaNeurons32(int32_t *__restrict v, int32_t *__restrict u,
                   int32_t *__restrict a, uint32_t count,
                   const int32_t *__restrict threshold,
                   const int32_t *__restrict bias,
                   const uint32_t *__restrict keepU,
                   const uint32_t *__restrict keepV) {
  for (uint32_t i = 0; i < count; ++i)
    lavaLane32(v[i], u[i], a[i], threshold[i], bias[i], keepU[i], keepV[i]);
}

/// Adds a group's due segments into its accumulator ([neuron][W] int32):
/// each synapse is read once and added to the W lanes of its target, as
/// weight & lane mask (spikes) or weight · lane value (0 in the lanes the
/// segment is not for), so that a row shared by the group's samples is
/// fetched once and its additions are one vector operation.
template <uint32_t W, bool Packed>
__attribute__((always_inline)) inline void
deliverLanesT(const DirectTables &d, const GroupDueList &due,
              const int32_t *laneValues, int32_t *acc) {
  // A neuron's W lanes as one GCC vector (one AVX2 register at W = 8; the
  // loops over the lanes of a local array were not vectorised).
  typedef int32_t Lanes __attribute__((vector_size(W * sizeof(int32_t))));
  const uint32_t *word = d.word.data();
  const int16_t *weight = d.weight.data();
  const uint32_t wb = d.weightBits, up = 32 - wb;
  constexpr size_t kAhead = 16;
  const GroupSegment *seg = due.items.data();
  const size_t count = due.size;
  // The synapse k of the rows: its target's lanes and its weight.
  auto synapse = [&](uint32_t k, int32_t *&row, int32_t &w) {
    uint32_t target;
    if (Packed) {
      const uint32_t x = word[k];
      target = x >> wb;
      w = int32_t(x << up) >> up;
    } else {
      target = word[k];
      w = weight[k];
    }
    row = acc + size_t(target) * W;
  };
  for (size_t e = 0; e < count; ++e) {
    if (e + kAhead < count) {
      __builtin_prefetch(&word[seg[e + kAhead].begin]);
      __builtin_prefetch(&word[seg[e + kAhead].end - 1]);
      if (!Packed)
        __builtin_prefetch(&weight[seg[e + kAhead].begin]);
    }
    const uint32_t begin = seg[e].begin, end = seg[e].end, mask = seg[e].mask;
    const int32_t value = seg[e].value;
    int32_t *row;
    int32_t w;
    if (mask && !(mask & (mask - 1))) {
      // One lane: a scalar addition per synapse, not W.
      const uint32_t s = uint32_t(__builtin_ctz(mask));
      for (uint32_t k = begin; k < end; ++k) {
        synapse(k, row, w);
        row[s] += value == 1 ? w : w * value;
      }
      continue;
    }
    Lanes lane;
    if (!mask) {
      std::memcpy(&lane, laneValues + size_t(value) * W, sizeof lane);
    } else {
      int32_t bits[W];
      for (uint32_t s = 0; s < W; ++s)
        bits[s] = value == 1 ? -int32_t((mask >> s) & 1u)
                             : ((mask >> s) & 1u ? value : 0);
      std::memcpy(&lane, bits, sizeof lane);
      if (value == 1) {
        // Spikes: the weight in the lanes that fired, by a mask.
        for (uint32_t k = begin; k < end; ++k) {
          synapse(k, row, w);
          Lanes r;
          std::memcpy(&r, row, sizeof r);
          r += w & lane;
          std::memcpy(row, &r, sizeof r);
        }
        continue;
      }
    }
    for (uint32_t k = begin; k < end; ++k) {
      synapse(k, row, w);
      Lanes r;
      std::memcpy(&r, row, sizeof r);
      r += w * lane;
      std::memcpy(row, &r, sizeof r);
    }
  }
}

// One clone pair per lane width and word layout (GCC's target_clones does
// not take templates).
#define SNNRT_DELIVER_LANES(NAME, W, PACKED)                                   \
  SNNRT_LANE_CLONES void NAME(const DirectTables &d, const GroupDueList &due,  \
                              const int32_t *values, int32_t *acc) {           \
    deliverLanesT<W, PACKED>(d, due, values, acc);                             \
  }
SNNRT_DELIVER_LANES(deliverLanes4P, 4, true)
SNNRT_DELIVER_LANES(deliverLanes8P, 8, true)
SNNRT_DELIVER_LANES(deliverLanes16P, 16, true)
SNNRT_DELIVER_LANES(deliverLanes4, 4, false)
SNNRT_DELIVER_LANES(deliverLanes8, 8, false)
SNNRT_DELIVER_LANES(deliverLanes16, 16, false)
#undef SNNRT_DELIVER_LANES

template <uint32_t W, bool Packed>
inline void deliverLanes(const DirectTables &d, const GroupDueList &due,
                         const int32_t *values, int32_t *acc) {
  if (W == 4)
    Packed ? deliverLanes4P(d, due, values, acc)
           : deliverLanes4(d, due, values, acc);
  else if (W == 8)
    Packed ? deliverLanes8P(d, due, values, acc)
           : deliverLanes8(d, due, values, acc);
  else
    Packed ? deliverLanes16P(d, due, values, acc)
           : deliverLanes16(d, due, values, acc);
}

/// The lanes of one neuron whose v fires: v > threshold (Lava, threshold
/// = vth · 2^6) or v >= threshold (snnc), one bit per lane.
template <uint32_t W>
inline uint32_t firingLanes(const int32_t *v, int64_t threshold, bool strict) {
  uint32_t mask = 0;
  if (strict) {
    for (uint32_t s = 0; s < W; ++s)
      mask |= uint32_t(v[s] > threshold) << s;
  } else {
    for (uint32_t s = 0; s < W; ++s)
      mask |= uint32_t(v[s] >= threshold) << s;
  }
  return mask;
}
} // namespace

/// snnc's and Lava's steps with direct delivery. Step t: (1) the events are
/// this step's inputs and the neurons found firing when their state v[t]
/// was computed (SNN-I6 timing: s[t] = v[t] >= θ); (2) every event of step
/// t − d adds its delay-d segment into the accumulator; (3) every neuron
/// takes its input, updates, and is listed for t + 1 if v[t+1] fires.
template <typename Sink, bool Packed>
void PlanExecutor::Impl::runDirect(
    const std::vector<std::vector<std::pair<uint32_t, int64_t>>> &inputEvents,
    Sink &sink, uint64_t &spikes, uint64_t &events, uint64_t &visits,
    uint64_t &posted) {
  const Tables &m = *tab;
  const DirectTables &d = m.d;
  const Plan &plan = m.plan;
  const uint32_t T = plan.steps, R = d.ring, bits = plan.stateBits;
  const uint32_t inputPop = plan.inputs().front();
  const uint64_t inputBase = m.popOffset[inputPop];
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  const intmath::DecayKind decay = m.decay;
  const size_t n = d.neurons;
  std::fill(acc.begin(), acc.end(), 0);
  std::fill(j.begin(), j.end(), 0);
  for (auto &slot : due)
    slot.size = 0;
  firing.size = 0;
  const NeuronClass *classes = d.classes.data();
  const uint32_t *cls = d.cls.data();
  for (size_t i = 0; i < n; ++i) {
    const NeuronClass &c = classes[cls[i]];
    v[i] = int32_t(lava ? intmath::lavaInitialVoltage(c.bias) : 0);
    if (c.isLif &&
        (lava ? intmath::lavaSpikes(v[i], c.threshold) : v[i] >= c.threshold))
      firing.push(uint32_t(i));
  }
  int32_t *a = acc.data();
  int32_t *vp = v.data(), *jp = j.data();
  for (uint32_t t = 0; t < T; ++t) {
    // An event of step t is split into its segments here, once: each goes
    // into the list of the step it is due at (t + delay), so that a step
    // walks one list of non-empty segments, and a source's pointers (one
    // cache line) are read once per event, not once per delay.
    const uint32_t *segPtr = d.segPtr.data();
    const uint32_t slot0 = t % R;
    DueList *dueLists = due.data();
    auto post = [&](uint64_t source, int32_t value) {
      const uint32_t *ptr = segPtr + source * R;
      events += ptr[R] - ptr[0];
      ++posted;
      // Delays are < R: the list of step t + dl is one subtraction away.
      for (uint32_t dl = 0, slot = slot0; dl < R; ++dl) {
        if (ptr[dl + 1] != ptr[dl])
          dueLists[slot].push({ptr[dl], ptr[dl + 1], value});
        slot = slot + 1 == R ? 0 : slot + 1;
      }
    };
    // Within int32 by the bound checked in buildDirect.
    for (auto [c, x] : inputEvents[t]) {
      post(inputBase + c, int32_t(x));
      sink.output(inputPop, t, c, static_cast<int32_t>(x));
    }
    const DirectTables::Spiker *spiker = d.spiker.data();
    const size_t F = firing.size;
    for (size_t k = 0; k < F; ++k) {
      // A spike reads its record and its source's R + 1 pointers (two
      // cache lines at R = 16), each a miss where spikes are sparse:
      // fetched 16 and 8 spikes ahead, the second from the first.
      if (k + 16 < F)
        __builtin_prefetch(&spiker[firing[k + 16]]);
      if (k + 8 < F) {
        const uint32_t ahead = spiker[firing[k + 8]].source;
        if (ahead != DirectTables::kNoRow) {
          const uint32_t *next = segPtr + uint64_t(ahead) * R;
          __builtin_prefetch(next);
          __builtin_prefetch(next + R);
        }
      }
      const DirectTables::Spiker &sp = spiker[firing[k]];
      if (sp.source != DirectTables::kNoRow)
        post(sp.source, 1);
      sink.output(sp.pop, t, sp.index, 1);
    }
    spikes += F;
    auto &now = due[t % R];
    visits += now.size;
    if (Packed && options.gather)
      deliverGathered(d, now, a, gatherBuf.data());
    else
      deliver<Packed>(d, now, a);
    now.size = 0;
    nextFiring.size = 0;
    const bool more = t + 1 < T;
    if (lava) {
      // Lava: every neuron is a CUBA LIF; a readout's spikes go nowhere.
      // Plans hold weight_exp 0 only, so the summed input is the activation
      // (lavaInput(sum, 0) = sum). Where every class fits int32 lanes (plans
      // within Lava's limits do), one loop updates all neurons with their
      // own parameters (lavaNeurons32), as int32 vectors.
      const DirectTables::LavaNeurons &ln = d.lavaNeurons;
      if (!ln.threshold.empty()) {
        lavaNeurons32(vp, jp, a, uint32_t(n), ln.threshold.data(),
                      ln.bias.data(), ln.keepU.data(), ln.keepV.data());
        for (uint32_t k : ln.readoutRanges) {
          const DirectTables::Range &r = d.ranges[k];
          const NeuronClass &c = classes[r.cls];
          for (uint32_t i = r.begin; i < r.end; ++i)
            sink.readout(d.spiker[i].pop, t, d.spiker[i].index,
                         intmath::lavaObservedVoltage(vp[i], c.threshold));
        }
        if (more) {
          // appendFiring with each neuron's own bound.
          const int32_t *above = ln.fireAbove.data();
          uint32_t *out = nextFiring.items.data();
          for (uint32_t i = 0; i < n; ++i) {
            *out = i;
            out += vp[i] > above[i];
          }
          nextFiring.size = size_t(out - nextFiring.items.data());
        }
      } else {
        // Element by element (a class outside lavaLanes32's bounds, which
        // plans within Lava's limits do not have).
        for (size_t i = 0; i < n; ++i) {
          const NeuronClass &c = classes[cls[i]];
          lavaElement(vp[i], jp[i], a[i], c);
          if (c.isLi)
            sink.readout(d.spiker[i].pop, t, d.spiker[i].index,
                         intmath::lavaObservedVoltage(vp[i], c.threshold));
          else if (more && c.isLif && intmath::lavaSpikes(vp[i], c.threshold))
            nextFiring.push(uint32_t(i));
        }
      }
    } else {
      const int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -hi - 1;
      for (const DirectTables::Range &r : d.ranges) {
        const NeuronClass &c = classes[r.cls];
        if (c.isLif && !c.subtract && c.iDecay < 0 &&
            decay == intmath::DecayKind::Mul12) {
          // SNN-I4/I6 for a hard-reset LIF without a CuBa synapse, written
          // out without branches (intmath::lifStep's numbers): s = v >= θ,
          // v' = s ? 0 : sat(dec(v) + sat(I) + bias).
          const int64_t threshold = c.threshold, bias = c.bias,
                        keep = 4096 - c.vDecay;
          if (bits <= 24 && keep >= 0 && keep <= 4096 &&
              std::abs(bias) <= (int64_t(1) << 24) && threshold >= INT32_MIN &&
              threshold <= INT32_MAX) {
            lifRange32(vp + r.begin, a + r.begin, r.end - r.begin,
                       int32_t(threshold), int32_t(bias), uint32_t(keep),
                       int32_t(lo), int32_t(hi));
            if (more)
              appendFiring(nextFiring, vp, r.begin, r.end, threshold);
            continue;
          }
          for (uint32_t i = r.begin; i < r.end; ++i) {
            const int64_t vi = vp[i];
            int64_t input = a[i];
            a[i] = 0;
            input = input < lo ? lo : (input > hi ? hi : input);
            const int64_t kept = ((vi < 0 ? -vi : vi) * keep) >> 12;
            int64_t next = (vi < 0 ? -kept : kept) + input + bias;
            next = next < lo ? lo : (next > hi ? hi : next);
            vp[i] = int32_t(vi >= threshold ? 0 : next);
          }
          if (more)
            appendFiring(nextFiring, vp, r.begin, r.end, threshold);
          continue;
        }
        for (uint32_t i = r.begin; i < r.end; ++i) {
          int64_t input = intmath::sat(a[i], bits);
          a[i] = 0;
          // SNN-I7: a CuBa synapse filters the input of a lif or li neuron.
          if (c.iDecay >= 0) {
            const int64_t ji = intmath::synapseStep(jp[i], input, decay,
                                                    c.iDecay, bits, c.biasSyn);
            jp[i] = int32_t(ji);
            input = ji;
          }
          if (c.isLi) {
            const int64_t u = intmath::readoutStep(vp[i], input, c.bias, decay,
                                                   c.vDecay, bits);
            vp[i] = int32_t(u);
            sink.readout(d.spiker[i].pop, t, d.spiker[i].index, u);
            continue;
          }
          int64_t vi = vp[i];
          intmath::lifStep(vi, input, c.bias, c.threshold, decay, c.vDecay,
                           c.subtract != 0, bits);
          vp[i] = int32_t(vi);
          if (more && c.isLif && vi >= c.threshold)
            nextFiring.push(i);
        }
      }
    }
    std::swap(firing, nextFiring);
  }
}

uint32_t Tables::autoInFlight() const {
  // A group pays off where its samples' events share rows: an input
  // channel's frames (every sample has a value), a hidden neuron that fires
  // in several samples. Its state is W times a sample's (accumulator,
  // membrane, current: 12 bytes a neuron and lane); on the random 10^5-
  // neuron network (3.2 MB at 8 lanes, beyond L2) rows are rarely shared
  // and a group is 20-50 % slower, on the paper network (300 neurons) 16
  // lanes are 3x faster than one sample at a time and faster than 8 in 5
  // of 6 paired rounds (docs/executor.md). So: the widest group whose state stays in L2 with
  // room to spare, else one sample at a time.
  if (!direct || plan.arithmetic == intmath::Arithmetic::XyloIaf)
    return 1;
  constexpr uint64_t kGroupStateBytes = uint64_t(256) << 10;
  for (uint32_t width : {16u, 8u})
    if (d.neurons * width * 3 * sizeof(int32_t) <= kGroupStateBytes)
      return width;
  return 1;
}

uint32_t PlanExecutor::Impl::inFlight() const {
  if (options.inFlight)
    return std::min(options.inFlight, PlanExecutorOptions::kMaxInFlight);
  if (tab->envInFlight)
    return tab->envInFlight;
  return tab->autoInFlight();
}

void PlanExecutor::Impl::initGroup(uint32_t width) {
  // Sized for the widest group so far: a ragged last group (narrower)
  // uses the front of the arrays and does not reallocate them.
  if (groupWidth >= width)
    return;
  const size_t n = tab->d.neurons;
  groupWidth = width;
  gAcc.assign(n * width, 0);
  gV.assign(n * width, 0);
  gJ.assign(n * width, 0);
  gDue.resize(tab->d.ring);
  gFiring.reserve(n);
  gNext.reserve(n);
}

/// runDirect for a group of samples in flight: lane s of every neuron is
/// sample s of the group (sinks.size() of the W lanes are in use; the
/// others receive nothing and their spikes are masked off). An event is a
/// source and the lanes it fired in: its segments are posted once and
/// delivered to all of them (deliverLanes); neurons update W lanes at a
/// time with their class's parameters.
template <typename Sink, uint32_t W, bool Packed>
void PlanExecutor::Impl::runDirectGroup(
    const std::vector<std::vector<std::vector<std::pair<uint32_t, int64_t>>>>
        &inputEvents,
    std::vector<Sink> &sinks, uint64_t *spikes, uint64_t *events,
    uint64_t &visits, uint64_t &posted, uint64_t &rowWords) {
  const Tables &m = *tab;
  const DirectTables &d = m.d;
  const Plan &plan = m.plan;
  const uint32_t T = plan.steps, R = d.ring, bits = plan.stateBits;
  const uint32_t S = uint32_t(sinks.size());
  const uint32_t active = S >= 32 ? ~0u : (1u << S) - 1;
  const uint32_t inputPop = plan.inputs().front();
  const uint64_t inputBase = m.popOffset[inputPop];
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  const intmath::DecayKind decay = m.decay;
  const size_t n = d.neurons;
  const NeuronClass *classes = d.classes.data();
  const DirectTables::LaneClass *laneClasses = d.laneClasses.data();
  const uint32_t *cls = d.cls.data();
  const DirectTables::Spiker *spiker = d.spiker.data();
  int32_t *acc = gAcc.data(), *vp = gV.data(), *jp = gJ.data();
  std::fill(gAcc.begin(), gAcc.begin() + n * W, 0);
  std::fill(gJ.begin(), gJ.begin() + n * W, 0);
  for (auto &slot : gDue)
    slot.size = 0;
  gFiring.clear();
  for (size_t i = 0; i < n; ++i) {
    const NeuronClass &c = classes[cls[i]];
    const int32_t v0 = int32_t(lava ? intmath::lavaInitialVoltage(c.bias) : 0);
    std::fill(vp + i * W, vp + (i + 1) * W, v0);
    if (c.isLif &&
        (lava ? intmath::lavaSpikes(v0, c.threshold) : v0 >= c.threshold))
      gFiring.push_back({uint32_t(i), active});
  }
  // The group's input events per step: one event per channel, its rows
  // read once for every sample of the group, with each lane's own value
  // (W values in `values`); a lane's repeated channel in one step makes a
  // second event. Where the lanes that have the channel share one value
  // (spike inputs: 1), the event is that value and their mask.
  struct GroupInput {
    uint32_t channel, lanes; ///< lanes with a value
    uint32_t mask;           ///< GroupSegment's: 0, or the one lane
    int32_t value;           ///< its value, or the index of the W values
  };
  std::vector<std::vector<GroupInput>> merged(T);
  std::vector<int32_t> &values = gValues;
  values.clear();
  {
    struct Item {
      uint32_t channel, lane;
      int32_t value;
    };
    std::vector<Item> unsorted, items;
    std::vector<uint32_t> layers; // per lane, its entries of this channel
    // Channels are < the input's size (checkSample, the dataset's checks):
    // a counting sort by channel, stable (lanes in order, and a lane's
    // entries of one channel in the dataset's order).
    std::vector<uint32_t> place(plan.populations[inputPop].size + 1);
    for (uint32_t t = 0; t < T; ++t) {
      unsorted.clear();
      for (uint32_t s = 0; s < S; ++s)
        for (auto [c, x] : inputEvents[s][t])
          unsorted.push_back({c, s, int32_t(x)});
      std::fill(place.begin(), place.end(), 0);
      for (const Item &it : unsorted)
        ++place[it.channel + 1];
      for (size_t c = 1; c < place.size(); ++c)
        place[c] += place[c - 1];
      items.resize(unsorted.size());
      for (const Item &it : unsorted)
        items[place[it.channel]++] = it;
      auto &list = merged[t];
      for (size_t k = 0; k < items.size();) {
        size_t end = k;
        while (end < items.size() && items[end].channel == items[k].channel)
          ++end;
        layers.assign(W, 0);
        const size_t base = list.size();
        for (size_t q = k; q < end; ++q) {
          const Item &it = items[q];
          const uint32_t layer = layers[it.lane]++;
          if (base + layer == list.size()) {
            list.push_back({it.channel, 0, 0, int32_t(values.size() / W)});
            values.resize(values.size() + W, 0);
          }
          GroupInput &g = list[base + layer];
          g.lanes |= 1u << it.lane;
          values[size_t(g.value) * W + it.lane] = it.value;
        }
        for (size_t q = base; q < list.size(); ++q) {
          // One value in every lane that has one (one lane; spikes, value
          // 1): the value in the segment itself, added by mask.
          GroupInput &g = list[q];
          const int32_t *lane = &values[size_t(g.value) * W];
          const int32_t first = lane[__builtin_ctz(g.lanes)];
          bool uniform = true;
          for (uint32_t rest = g.lanes; rest; rest &= rest - 1)
            uniform = uniform && lane[__builtin_ctz(rest)] == first;
          if (uniform) {
            g.mask = g.lanes;
            g.value = first;
          }
        }
        k = end;
      }
    }
  }
  const uint32_t *segPtr = d.segPtr.data();
  const uint32_t *delaysUsed =
      d.delaysUsed.empty() ? nullptr : d.delaysUsed.data();
  GroupDueList *dueLists = gDue.data();
  for (uint32_t t = 0; t < T; ++t) {
    const uint32_t slot0 = t % R;
    auto post = [&](uint64_t source, uint32_t lanes, uint32_t mask,
                    int32_t value) {
      const uint32_t *ptr = segPtr + source * R;
      const uint32_t length = ptr[R] - ptr[0];
      for (uint32_t rest = lanes; rest; rest &= rest - 1)
        events[__builtin_ctz(rest)] += length;
      rowWords += length;
      ++posted;
      if (delaysUsed) {
        for (uint32_t used = delaysUsed[source]; used; used &= used - 1) {
          const uint32_t dl = uint32_t(__builtin_ctz(used));
          const uint32_t slot = slot0 + dl >= R ? slot0 + dl - R : slot0 + dl;
          dueLists[slot].push({ptr[dl], ptr[dl + 1], mask, value});
        }
        return;
      }
      for (uint32_t dl = 0, slot = slot0; dl < R; ++dl) {
        if (ptr[dl + 1] != ptr[dl])
          dueLists[slot].push({ptr[dl], ptr[dl + 1], mask, value});
        slot = slot + 1 == R ? 0 : slot + 1;
      }
    };
    // Within int32 by the bound checked in buildDirect.
    for (const GroupInput &in : merged[t])
      post(inputBase + in.channel, in.lanes, in.mask, in.value);
    for (uint32_t s = 0; s < S; ++s)
      for (auto [c, x] : inputEvents[s][t])
        sinks[s].output(inputPop, t, c, static_cast<int32_t>(x));
    const size_t F = gFiring.size();
    for (size_t k = 0; k < F; ++k) {
      if (k + 16 < F)
        __builtin_prefetch(&spiker[gFiring[k + 16].neuron]);
      if (k + 8 < F) {
        const uint32_t ahead = spiker[gFiring[k + 8].neuron].source;
        if (ahead != DirectTables::kNoRow) {
          const uint32_t *next = segPtr + uint64_t(ahead) * R;
          __builtin_prefetch(next);
          __builtin_prefetch(next + R);
        }
      }
      const GroupFiring f = gFiring[k];
      const DirectTables::Spiker &sp = spiker[f.neuron];
      if (sp.source != DirectTables::kNoRow)
        post(sp.source, f.mask, f.mask, 1);
      for (uint32_t rest = f.mask; rest; rest &= rest - 1) {
        const uint32_t s = uint32_t(__builtin_ctz(rest));
        sinks[s].output(sp.pop, t, sp.index, 1);
        ++spikes[s];
      }
    }
    GroupDueList &now = gDue[slot0];
    visits += now.size;
    deliverLanes<W, Packed>(d, now, values.data(), acc);
    now.size = 0;
    gNext.clear();
    const bool more = t + 1 < T;
    const int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -hi - 1;
    for (const DirectTables::Range &r : d.ranges) {
      const NeuronClass &c = classes[r.cls];
      const DirectTables::LaneClass &lc = laneClasses[r.cls];
      const size_t first = size_t(r.begin) * W, last = size_t(r.end) * W;
      if (lava) {
        if (lc.kind == DirectTables::LaneClass::Lava32) {
          lavaLanes32(vp + first, jp + first, acc + first,
                      uint32_t(last - first), lc.threshold, lc.bias, lc.keepU,
                      lc.keepV);
        } else {
          for (size_t e = first; e < last; ++e)
            lavaElement(vp[e], jp[e], acc[e], c);
        }
        if (c.isLi) {
          for (uint32_t i = r.begin; i < r.end; ++i)
            for (uint32_t s = 0; s < S; ++s)
              sinks[s].readout(spiker[i].pop, t, spiker[i].index,
                               intmath::lavaObservedVoltage(
                                   vp[size_t(i) * W + s], c.threshold));
        } else if (more && c.isLif) {
          const int64_t threshold =
              c.threshold * (int64_t(1) << intmath::lava::kUnitShift);
          for (uint32_t i = r.begin; i < r.end; ++i)
            if (uint32_t mask =
                    firingLanes<W>(vp + size_t(i) * W, threshold, true) &
                    active)
              gNext.push_back({i, mask});
        }
        continue;
      }
      if (lc.kind == DirectTables::LaneClass::Lif32) {
        lifRange32(vp + first, acc + first, uint32_t(last - first),
                   lc.threshold, lc.bias, lc.keepV, int32_t(lo), int32_t(hi));
      } else {
        for (size_t e = first; e < last; ++e) {
          int64_t input = intmath::sat(acc[e], bits);
          acc[e] = 0;
          // SNN-I7: a CuBa synapse filters the input of a lif or li neuron.
          if (c.iDecay >= 0) {
            const int64_t ji = intmath::synapseStep(jp[e], input, decay,
                                                    c.iDecay, bits, c.biasSyn);
            jp[e] = int32_t(ji);
            input = ji;
          }
          int64_t vi = vp[e];
          if (c.isLi)
            vi = intmath::readoutStep(vi, input, c.bias, decay, c.vDecay, bits);
          else
            intmath::lifStep(vi, input, c.bias, c.threshold, decay, c.vDecay,
                             c.subtract != 0, bits);
          vp[e] = int32_t(vi);
        }
      }
      if (c.isLi) {
        for (uint32_t i = r.begin; i < r.end; ++i)
          for (uint32_t s = 0; s < S; ++s)
            sinks[s].readout(spiker[i].pop, t, spiker[i].index,
                             vp[size_t(i) * W + s]);
      } else if (more && c.isLif) {
        for (uint32_t i = r.begin; i < r.end; ++i)
          if (uint32_t mask =
                  firingLanes<W>(vp + size_t(i) * W, c.threshold, false) &
                  active)
            gNext.push_back({i, mask});
      }
    }
    std::swap(gFiring, gNext);
  }
}

template <typename Sink>
Status PlanExecutor::Impl::runGroup(const Dataset &data, const size_t *samples,
                                    uint32_t count, PlanRunStats *stats,
                                    std::vector<Sink> &sinks) {
  const Tables &m = *tab;
  if (count == 1 || !m.direct ||
      m.plan.arithmetic == intmath::Arithmetic::XyloIaf) {
    // One at a time: a lone sample runs faster without lanes, and the
    // per-core tables (Xylo's ordered deliveries, wide weights) have no
    // group form.
    for (uint32_t k = 0; k < count; ++k)
      SNNRT_TRY(run(data, samples[k], stats ? &stats[k] : nullptr, sinks[k]));
    return Status::ok();
  }
  std::vector<std::vector<std::vector<std::pair<uint32_t, int64_t>>>> inputs;
  inputs.reserve(count);
  for (uint32_t k = 0; k < count; ++k)
    inputs.push_back(inputEventsOf(m.plan, data, samples[k]));
  uint64_t spikes[PlanExecutorOptions::kMaxInFlight] = {},
           events[PlanExecutorOptions::kMaxInFlight] = {};
  uint64_t visits = 0, posted = 0, rowWords = 0;
  const bool packed = m.d.weightBits != 0;
  const uint32_t width = count <= 4 ? 4 : count <= 8 ? 8 : 16;
  initGroup(width);
  auto go = [&](auto lanes) {
    constexpr uint32_t W = decltype(lanes)::value;
    if (packed)
      this->template runDirectGroup<Sink, W, true>(
          inputs, sinks, spikes, events, visits, posted, rowWords);
    else
      this->template runDirectGroup<Sink, W, false>(
          inputs, sinks, spikes, events, visits, posted, rowWords);
  };
  if (width == 4)
    go(std::integral_constant<uint32_t, 4>());
  else if (width == 8)
    go(std::integral_constant<uint32_t, 8>());
  else
    go(std::integral_constant<uint32_t, 16>());
  for (Sink &sink : sinks)
    sink.finish();
  if (stats) {
    // The rows, pointers and due lists were read once for the group; each
    // sample is charged its share by events.
    uint64_t total = 0;
    for (uint32_t k = 0; k < count; ++k)
      total += events[k];
    const double shared = double(rowWords) * (packed ? 4 : 6) +
                          double(posted) * 4 * (m.d.ring + 1) +
                          double(visits) * 2 * sizeof(GroupSegment);
    for (uint32_t k = 0; k < count; ++k) {
      PlanRunStats &st = stats[k];
      st.spikes = spikes[k];
      st.synapticEvents = events[k];
      st.tableBytes =
          total ? uint64_t(shared * double(events[k]) / double(total)) : 0;
    }
  }
  return Status::ok();
}

template <typename Sink>
Status PlanExecutor::Impl::run(const Dataset &data, size_t sample,
                               PlanRunStats *stats, Sink &sink) {
  const Tables &m = *tab;
  const Plan &plan = m.plan;
  const uint32_t inputPop = plan.inputs().front();
  const uint32_t T = plan.steps;
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  // Input values of the whole sample as events (step-sorted).
  const std::vector<std::vector<std::pair<uint32_t, int64_t>>> inputEvents =
      inputEventsOf(plan, data, sample);
  uint64_t spikes = 0, directEvents = 0, visits = 0, posted = 0, axonVisits = 0;
  for (auto &cs : cores) {
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
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf) {
    runXylo(m, cores, inputPop, inputEvents, sink, spikes);
  } else if (m.direct) {
    if (m.d.weightBits)
      runDirect<Sink, true>(inputEvents, sink, spikes, directEvents, visits,
                            posted);
    else
      runDirect<Sink, false>(inputEvents, sink, spikes, directEvents, visits,
                             posted);
  } else {
    // Per-core tables and int64 rings: (1) this step's events, (2) each
    // routed to the cores that list its source as an axon (the routes of
    // the plan) and added into their delay rings, (3) every neuron takes
    // this step's input and updates (SNN-I3..I8).
    std::vector<std::pair<uint64_t, int64_t>> events;
    for (uint32_t t = 0; t < T; ++t) {
      events.clear();
      for (auto [c, x] : inputEvents[t]) {
        events.push_back({m.popOffset[inputPop] + c, x});
        sink.output(inputPop, t, c, static_cast<int32_t>(x));
      }
      for (CoreState &cs : cores)
        for (size_t i = 0; i < cs.v.size(); ++i)
          if (cs.tab->isLif[i] &&
              (lava ? intmath::lavaSpikes(cs.v[i], cs.core->threshold[i])
                    : cs.v[i] >= cs.core->threshold[i])) {
            uint32_t pop = cs.core->neuronPop[i];
            uint32_t idx = cs.core->neuronIndex[i];
            events.push_back({m.popOffset[pop] + idx, 1});
            sink.output(pop, t, idx, 1);
            ++spikes;
          }
      for (auto &cs : cores)
        cs.inbox.clear();
      for (auto [source, value] : events)
        for (uint64_t f = m.fanout.ptr[source]; f < m.fanout.ptr[source + 1];
             ++f)
          cores[m.fanout.core[f]].inbox.push_back({m.fanout.axon[f], value});
      for (CoreState &cs : cores) {
        const CoreTables &ct = *cs.tab;
        const size_t n = cs.v.size();
        const uint32_t ring = ct.ringSize, now = t % ring;
        int64_t *buffer = cs.ring.data();
        const uint32_t *neuron = ct.byAxonNeuron.data();
        const int32_t *weight = ct.byAxonWeight.data();
        const int32_t *delay = ct.byAxonDelay.data();
        uint64_t count = 0;
        axonVisits += cs.inbox.size();
        for (auto [axon, value] : cs.inbox) {
          const uint64_t begin = ct.byAxonPtr[axon],
                         end = ct.byAxonPtr[axon + 1];
          for (uint64_t k = begin; k < end; ++k) {
            // Delays are < ring, so one conditional subtraction wraps the
            // slot.
            uint32_t slot = now + uint32_t(delay[k]);
            slot -= slot >= ring ? ring : 0;
            buffer[size_t(slot) * n + neuron[k]] += int64_t(weight[k]) * value;
          }
          count += end - begin;
        }
        cs.events += count;
      }
      for (CoreState &cs : cores) {
        const PlanCore &core = *cs.core;
        const size_t n = cs.v.size();
        int64_t *slot = &cs.ring[size_t(t % cs.tab->ringSize) * n];
        for (size_t i = 0; i < n; ++i) {
          const int64_t sum = slot[i];
          slot[i] = 0;
          if (lava) {
            int64_t iDecay =
                core.iDecay[i] < 0 ? intmath::lava::kMaxIDecay : core.iDecay[i];
            intmath::lavaStep(cs.j[i], cs.v[i], intmath::lavaActivation(sum),
                              core.bias[i], core.threshold[i], iDecay,
                              core.vDecay[i]);
            if (cs.tab->isLi[i])
              sink.readout(
                  core.neuronPop[i], t, core.neuronIndex[i],
                  intmath::lavaObservedVoltage(cs.v[i], core.threshold[i]));
            continue;
          }
          int64_t input = intmath::sat(sum, plan.stateBits);
          if (core.iDecay[i] >= 0) {
            cs.j[i] = intmath::synapseStep(
                cs.j[i], input, m.decay, core.iDecay[i], plan.stateBits,
                core.biasSyn.empty() ? 0 : core.biasSyn[i]);
            input = cs.j[i];
          }
          if (cs.tab->isLi[i]) {
            cs.v[i] =
                intmath::readoutStep(cs.v[i], input, core.bias[i], m.decay,
                                     core.vDecay[i], plan.stateBits);
            sink.readout(core.neuronPop[i], t, core.neuronIndex[i], cs.v[i]);
            continue;
          }
          intmath::lifStep(cs.v[i], input, core.bias[i], core.threshold[i],
                           m.decay, core.vDecay[i], cs.tab->subtract[i] != 0,
                           plan.stateBits);
        }
      }
    }
  }
  sink.finish();
  if (stats) {
    stats->spikes = spikes;
    stats->synapticEvents = directEvents;
    for (const auto &cs : cores)
      stats->synapticEvents += cs.events;
    const uint64_t perCore = stats->synapticEvents - directEvents;
    stats->tableBytes = m.direct ? directEvents * (m.d.weightBits ? 4 : 6) +
                                       posted * 4 * (m.d.ring + 1) +
                                       visits * 2 * sizeof(DueSegment)
                                 : perCore * 12 + axonVisits * 16;
  }
  return Status::ok();
}

/// The checks both run() and runSparse() make before running.
static Status checkSample(const Plan &plan, const Dataset &data,
                          size_t sample) {
  const PlanPopulation &in = plan.populations[plan.inputs().front()];
  if (in.size != data.channels)
    return Status::error(
        "the plan's input '" + in.name + "' has " + std::to_string(in.size) +
        " channels but the dataset has " + std::to_string(data.channels));
  if (sample >= data.size())
    return Status::error("sample " + std::to_string(sample) +
                         " is beyond the dataset's " +
                         std::to_string(data.size()));
  return Status::ok();
}

Expected<IntTrace> PlanExecutor::run(const Dataset &data, size_t sample,
                                     PlanRunStats *stats) {
  SNNRT_TRY(checkSample(plan(), data, sample));
  IntTrace trace;
  DenseSink sink(trace, plan());
  SNNRT_TRY(impl_->run(data, sample, stats, sink));
  return trace;
}

Expected<SparseTrace> PlanExecutor::runSparse(const Dataset &data,
                                              size_t sample,
                                              PlanRunStats *stats) {
  SNNRT_TRY(checkSample(plan(), data, sample));
  SparseTrace trace;
  SparseSink sink(trace, plan());
  SNNRT_TRY(impl_->run(data, sample, stats, sink));
  return trace;
}

uint32_t PlanExecutor::samplesInFlight() const { return impl_->inFlight(); }

namespace {
/// Runs `samples` in groups of `width` through `impl`, one sink per sample.
template <typename Trace, typename Sink, typename Impl>
Expected<std::vector<Trace>>
runInGroups(Impl &impl, const Plan &plan, const Dataset &data,
            const std::vector<size_t> &samples,
            std::vector<PlanRunStats> *stats, uint32_t width) {
  for (size_t s : samples)
    SNNRT_TRY(checkSample(plan, data, s));
  std::vector<Trace> traces(samples.size());
  if (stats)
    stats->assign(samples.size(), PlanRunStats());
  for (size_t first = 0; first < samples.size(); first += width) {
    const uint32_t count =
        uint32_t(std::min<size_t>(width, samples.size() - first));
    std::vector<Sink> sinks;
    sinks.reserve(count);
    for (uint32_t k = 0; k < count; ++k)
      sinks.emplace_back(traces[first + k], plan);
    SNNRT_TRY(impl.runGroup(data, samples.data() + first, count,
                            stats ? stats->data() + first : nullptr, sinks));
  }
  return traces;
}
} // namespace

Expected<std::vector<IntTrace>>
PlanExecutor::runGroup(const Dataset &data, const std::vector<size_t> &samples,
                       std::vector<PlanRunStats> *stats) {
  return runInGroups<IntTrace, DenseSink>(*impl_, plan(), data, samples, stats,
                                          impl_->inFlight());
}

Expected<std::vector<SparseTrace>>
PlanExecutor::runSparseGroup(const Dataset &data,
                             const std::vector<size_t> &samples,
                             std::vector<PlanRunStats> *stats) {
  return runInGroups<SparseTrace, SparseSink>(*impl_, plan(), data, samples,
                                              stats, impl_->inFlight());
}

PlanExecutor::Memory PlanExecutor::memory() const {
  auto bytes = [](const auto &v) -> uint64_t {
    return v.capacity() * sizeof(v[0]);
  };
  const Tables &m = *impl_->tab;
  Memory out;
  for (const CoreTables &ct : m.cores)
    out.tables += bytes(ct.byAxonPtr) + bytes(ct.byAxonNeuron) +
                  bytes(ct.byAxonWeight) + bytes(ct.byAxonDelay);
  for (const PlanCore &c : m.plan.cores)
    out.tables += 8 * 4 * c.neuronPop.size() + 8 * c.axonPop.size();
  out.tables += bytes(m.fanout.ptr) + bytes(m.fanout.core) +
                bytes(m.fanout.axon) + bytes(m.d.segPtr) + bytes(m.d.word) +
                bytes(m.d.weight) + bytes(m.d.spiker) + bytes(m.d.cls) +
                bytes(m.d.classes) + bytes(m.d.ranges) + bytes(m.d.delaysUsed);
  const Impl &e = *impl_;
  out.state = bytes(e.acc) + bytes(e.v) + bytes(e.j) + bytes(e.gAcc) +
              bytes(e.gV) + bytes(e.gJ);
  for (const CoreState &cs : e.cores)
    out.state += bytes(cs.ring) + bytes(cs.v) + bytes(cs.j) + bytes(cs.count);
  return out;
}

std::string PlanExecutor::layout() const {
  const Tables &m = *impl_->tab;
  if (m.plan.arithmetic == intmath::Arithmetic::XyloIaf)
    return "per-core tables, Xylo's ordered deliveries";
  if (!m.direct)
    return "per-core tables and int64 delay rings, 12 B/synapse";
  if (m.d.weightBits)
    return "direct delivery, 4 B/synapse (target << " +
           std::to_string(m.d.weightBits) + " | weight), int32 accumulator";
  return "direct delivery, 6 B/synapse (u32 target, i16 weight), int32 "
         "accumulator";
}

int PlanExecutor::predictClass(const IntTrace &trace) const {
  return predictClassFromReadout(trace.readout);
}

int PlanExecutor::predictClassFromReadout(
    const std::vector<std::vector<int64_t>> &readout) const {
  const Plan &plan = impl_->tab->plan;
  std::vector<uint32_t> outs = plan.outputs();
  if (outs.empty())
    return -1;
  return classifyReadout(readout[outs.front()],
                         plan.populations[outs.front()].weightScale, plan.steps,
                         plan.arithmetic);
}

} // namespace snnrt
