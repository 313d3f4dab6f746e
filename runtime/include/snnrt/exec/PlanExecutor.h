//===- PlanExecutor.h - Event-driven execution of a mapped plan -*- C++ -*-===//
//
// Runs plan.h5 the way a chip would: core by core, each with its own input
// axons, synapse table and per-neuron delay ring buffers, spikes travelling
// as events along the plan's axon lists, relay neurons like any other. The
// arithmetic is snnrt/exec/IntegerMath.h (SNN-I1..I8), shared with the flat
// reference executor; everything else — data layout, event routing, the
// step schedule — is written independently of it, so that agreement between
// the two is evidence (docs/design.md §5, level 2).
//
// Schedule of one step t: (1) every neuron's spike s[t] = v[t] >= θ is known
// from its state alone (SNN-I6 timing), and inputs give x[t]; (2) each event
// (source, value) of step t is delivered to every core that lists the source
// as an axon, adding weight · value into the ring slot t + delay of each
// synapse on that axon; (3) every neuron takes I[t] from its slot t and
// updates. Cost per step: the events times their synapses, plus one update
// per neuron — proportional to spikes and synapses, not to dense sizes.
// One executor runs one sample at a time on one thread, or a group of
// samples in flight together (runGroup: their states side by side, a
// spike row fetched once for every sample of the group that fired on it):
// steps are short, and splitting a step's cores over threads costs more in
// synchronisation than it saves. Independent samples are the parallelism:
// runPlanOnDataset (PlanRun.h) gives each thread its own executor.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/Plan.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnrt {

struct PlanRunStats {
  uint64_t synapticEvents = 0; ///< weight additions performed
  uint64_t spikes = 0;         ///< lif spikes, relays included
  /// Bytes of synapse tables the run read: rows' entries, and per (event,
  /// delay) the event and its segment's two pointers (direct delivery) or
  /// per (event, core) its axon list's bounds (per-core tables).
  uint64_t tableBytes = 0;
};

/// A sample's outputs without the zeros of a dense IntTrace: what a run
/// over a dataset folds, at a cost proportional to the spikes rather than
/// to steps × neurons (a dense trace of 10^5 neurons and 100 steps is
/// 40 MB per sample).
struct SparseTrace {
  /// Per population, its nonzero outputs (lif: spikes, input: the integer
  /// inputs x), in IntTrace::output's order: by step, then neuron.
  std::vector<std::vector<uint32_t>> step, neuron;
  std::vector<std::vector<int32_t>> value;
  /// As IntTrace::readout (li: dense states; others: empty).
  std::vector<std::vector<int64_t>> readout;
};

/// How the direct delivery walks a step's synapses (docs/executor.md);
/// the numbers never change, only the speed.
struct PlanExecutorOptions {
  /// Spikes' segments are copied into a buffer and added in one loop
  /// (true), or added by one loop per segment (false; benches and tests
  /// compare the two).
  bool gather = true;
  /// Samples runGroup advances together (1..kMaxInFlight); 0 picks: the
  /// environment variable SNNC_SAMPLES_IN_FLIGHT where set, else a width
  /// chosen from the plan (docs/executor.md, "Samples in flight").
  uint32_t inFlight = 0;
  static constexpr uint32_t kMaxInFlight = 16;
};

class PlanExecutor {
public:
  /// Checks the plan (validatePlan) and builds the per-core routing tables.
  static Expected<std::unique_ptr<PlanExecutor>>
  create(const Plan &plan, const PlanExecutorOptions &options = {});
  /// Another executor of the same plan, sharing this one's tables (read
  /// only once built) with its own state: one per thread, built once.
  std::unique_ptr<PlanExecutor> twin() const;
  /// The same with other delivery options.
  std::unique_ptr<PlanExecutor> twin(const PlanExecutorOptions &options) const;
  ~PlanExecutor();

  /// Runs one sample. The trace has one entry per plan population, in the
  /// layout of IntTrace (lif: spikes, input: integer inputs, li: states).
  Expected<IntTrace> run(const Dataset &data, size_t sample,
                         PlanRunStats *stats = nullptr);
  /// The same run, its outputs as a SparseTrace.
  Expected<SparseTrace> runSparse(const Dataset &data, size_t sample,
                                  PlanRunStats *stats = nullptr);

  /// Samples runGroup advances together on this plan (>= 1): options'
  /// inFlight, else SNNC_SAMPLES_IN_FLIGHT, else 16 or 8 where the group's
  /// state stays in L2 (small networks such as the paper's) and 1 beyond
  /// (large networks, whose spike rows two samples rarely share). Plans
  /// under Xylo's rules or on per-core tables run their samples one at a
  /// time (and answer 1 when picking).
  uint32_t samplesInFlight() const;
  /// Runs `samples` in groups of samplesInFlight(): every result equals
  /// run(data, samples[k]) bit for bit. `stats` (optional) gets one entry
  /// per sample; a group's shared table reads are shared out by events.
  Expected<std::vector<IntTrace>>
  runGroup(const Dataset &data, const std::vector<size_t> &samples,
           std::vector<PlanRunStats> *stats = nullptr);
  /// The same, each output as a SparseTrace.
  Expected<std::vector<SparseTrace>>
  runSparseGroup(const Dataset &data, const std::vector<size_t> &samples,
                 std::vector<PlanRunStats> *stats = nullptr);

  /// SNN-F10 on the first output's real readout (u · weightScale).
  int predictClass(const IntTrace &trace) const;
  /// The same from a trace's readouts (IntTrace or SparseTrace::readout).
  int predictClassFromReadout(
      const std::vector<std::vector<int64_t>> &readout) const;

  /// The plan it runs, without the cores' synapse tables (synPtr, synAxon,
  /// synWeight, synDelay are empty) and, under direct delivery, without
  /// their axon lists (axonPop, axonIndex): the executor keeps its own
  /// layout.
  const Plan &plan() const;
  /// Bytes held: the tables (shared with twins) and this executor's state
  /// (approximate: the large arrays).
  struct Memory {
    uint64_t tables = 0, state = 0;
  };
  Memory memory() const;
  /// How the executor lays out its synapses, in words (for benches).
  std::string layout() const;

private:
  PlanExecutor();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace snnrt
