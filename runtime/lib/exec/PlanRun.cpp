//===- PlanRun.cpp - Run a plan over a dataset ----------------------------===//

#include "snnrt/exec/PlanRun.h"

#include "snnrt/base/Clock.h"
#include "snnrt/exec/PlanExecutor.h"

#include <algorithm>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace snnrt {

Expected<RunSummary> runPlanOnDataset(const Plan &plan, const Dataset &data,
                                      const RunOptions &options) {
  // Samples are independent: each thread runs its own executor (the
  // tables built once and shared, the state its own) over groups of
  // samples in flight, and results are folded in sample order, so the
  // summary does not depend on threads or groups.
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<PlanExecutor>> execs;
  {
    PlanExecutorOptions execOptions;
    execOptions.inFlight = options.inFlight;
    auto exec = PlanExecutor::create(plan, execOptions);
    if (!exec)
      return exec.status();
    execs.push_back(std::move(*exec));
  }
  for (int t = 1; t < threads; ++t)
    execs.push_back(execs.front()->twin());
  RunSummary run;
  run.what = "plan";
  for (const auto &p : plan.populations) {
    run.populations.push_back(
        {p.name, p.kind, p.size, 0, std::vector<double>(p.size, 0.0)});
    if (options.record)
      run.recording.push_back({p.name, {0}, {}, {}});
  }
  size_t n = options.maxSamples ? std::min(options.maxSamples, data.size())
                                : data.size();
  auto start = steadyNow();
  // Each task is one group of `width` consecutive samples.
  const size_t width = execs.front()->samplesInFlight();
  const size_t block = size_t(threads) * 8 * width;
  std::vector<Expected<std::vector<SparseTrace>>> groups;
  std::vector<PlanRunStats> stats;
  for (size_t first = 0; first < n; first += block) {
    const size_t count = std::min(block, n - first);
    const size_t tasks = (count + width - 1) / width;
    groups.assign(tasks, Status::error("not run", ErrorKind::Internal));
    stats.assign(count, PlanRunStats());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long g = 0; g < long(tasks); ++g) {
      int worker = 0;
#ifdef _OPENMP
      worker = omp_get_thread_num();
#endif
      const size_t begin = size_t(g) * width,
                   end = std::min(count, begin + width);
      std::vector<size_t> ids;
      for (size_t i = begin; i < end; ++i)
        ids.push_back(first + i);
      std::vector<PlanRunStats> groupStats;
      groups[g] = execs[worker]->runSparseGroup(data, ids, &groupStats);
      if (groups[g])
        std::copy(groupStats.begin(), groupStats.end(), stats.begin() + begin);
    }
    for (size_t i = 0; i < count; ++i) {
      const size_t s = first + i;
      auto &group = groups[i / width];
      if (!group)
        return group.status();
      const SparseTrace &trace = (*group)[i % width];
      run.synapticEvents += stats[i].synapticEvents;
      for (size_t p = 0; p < plan.populations.size(); ++p) {
        // Nonzero outputs only, by step then neuron (SparseTrace's order).
        const auto &step = trace.step[p], &neuron = trace.neuron[p];
        run.populations[p].spikes += step.size();
        for (uint32_t b : neuron)
          run.populations[p].ratePerNeuron[b] += 1;
        if (options.record) {
          auto &rec = run.recording[p];
          rec.step.insert(rec.step.end(), step.begin(), step.end());
          rec.neuron.insert(rec.neuron.end(), neuron.begin(), neuron.end());
          rec.samplePtr.push_back(rec.step.size());
        }
      }
      int predicted = execs[0]->predictClassFromReadout(trace.readout);
      run.predictions.push_back(predicted);
      run.correct += predicted == data.labels[s];
    }
    if (options.progress)
      options.progress(first + count, n);
  }
  run.finish(n, secondsSince(start));
  return run;
}

} // namespace snnrt
