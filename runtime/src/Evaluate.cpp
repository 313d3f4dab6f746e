//===- Evaluate.cpp - Run a model or a plan over a dataset ----------------===//

#include "snnrt/Evaluate.h"

#include "snnrt/Engine.h"
#include "snnrt/Hdf5File.h"
#include "snnrt/PlanExecutor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace snnrt {

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}
} // namespace

Expected<RunSummary> runPlanOnDataset(const Plan &plan, const Dataset &data,
                                      const RunOptions &options) {
  // Samples are independent: each thread runs its own executor, and results
  // are folded in sample order, so the summary does not depend on threads.
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<PlanExecutor>> execs;
  for (int t = 0; t < threads; ++t) {
    auto exec = PlanExecutor::create(plan);
    if (!exec)
      return exec.status();
    execs.push_back(std::move(*exec));
  }
  RunSummary run;
  run.what = "plan";
  for (const auto &p : plan.populations) {
    run.populations.push_back({p.name, p.kind, p.size, 0,
                               std::vector<double>(p.size, 0.0)});
    if (options.record)
      run.recording.push_back({p.name, {0}, {}, {}});
  }
  size_t n = options.maxSamples ? std::min(options.maxSamples, data.size())
                                : data.size();
  auto start = std::chrono::steady_clock::now();
  const size_t block = size_t(threads) * 8;
  std::vector<Expected<IntTrace>> traces;
  std::vector<PlanRunStats> stats;
  for (size_t first = 0; first < n; first += block) {
    const size_t count = std::min(block, n - first);
    traces.assign(count, Status::error("not run", ErrorKind::Internal));
    stats.assign(count, PlanRunStats());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long i = 0; i < long(count); ++i) {
      int worker = 0;
#ifdef _OPENMP
      worker = omp_get_thread_num();
#endif
      traces[i] = execs[worker]->run(data, first + i, &stats[i]);
    }
    for (size_t i = 0; i < count; ++i) {
      const size_t s = first + i;
      if (!traces[i])
        return traces[i].status();
      const IntTrace &trace = *traces[i];
      run.synapticEvents += stats[i].synapticEvents;
      for (size_t p = 0; p < plan.populations.size(); ++p) {
        const auto &out = trace.output[p];
        const uint32_t size = plan.populations[p].size;
        for (size_t k = 0; k < out.size(); ++k)
          if (out[k] != 0) {
            ++run.populations[p].spikes;
            run.populations[p].ratePerNeuron[k % size] += 1;
            if (options.record) {
              run.recording[p].step.push_back(uint32_t(k / size));
              run.recording[p].neuron.push_back(uint32_t(k % size));
            }
          }
        if (options.record)
          run.recording[p].samplePtr.push_back(run.recording[p].step.size());
      }
      int predicted = execs[0]->predictClass(trace);
      run.predictions.push_back(predicted);
      run.correct += predicted == data.labels[s];
    }
    if (options.progress)
      options.progress(first + count, n);
  }
  run.seconds = secondsSince(start);
  run.samples = n;
  run.accuracy = n ? double(run.correct) / double(n) : 0.0;
  for (auto &p : run.populations)
    for (double &r : p.ratePerNeuron)
      r /= double(std::max<size_t>(n, 1));
  return run;
}

Expected<RunSummary> runModelOnDataset(const Model &model, const Dataset &data,
                                       const RunOptions &options) {
  EngineOptions engineOptions;
  engineOptions.threads = options.threads;
  auto engine = Engine<float>::create(model, engineOptions);
  if (!engine)
    return engine.status();
  (*engine)->setTraining(false);
  RunSummary run;
  run.what = "model";
  for (const auto &p : model.populations) {
    run.populations.push_back({p.name, toString(p.kind), p.size, 0,
                               std::vector<double>(p.size, 0.0)});
    if (options.record)
      run.recording.push_back({p.name, {0}, {}, {}});
  }
  // Synaptic events of the float model: one per spike per outgoing synapse.
  std::vector<uint64_t> fanOut(model.populations.size(), 0);
  for (const auto &proj : model.projections) {
    int s = model.findPopulation(proj.source);
    uint64_t synapses = proj.numSynapses();
    if (!proj.mask.empty()) {
      synapses = 0;
      for (uint8_t m : proj.mask)
        synapses += m;
    }
    fanOut[s] += synapses; // spread evenly: an estimate, said in the docs
  }
  size_t n = options.maxSamples ? std::min(options.maxSamples, data.size())
                                : data.size();
  auto start = std::chrono::steady_clock::now();
  const size_t batch = 64;
  for (size_t first = 0; first < n; first += batch) {
    std::vector<size_t> samples;
    for (size_t s = first; s < std::min(n, first + batch); ++s)
      samples.push_back(s);
    SNNRT_TRY((*engine)->setInput(data, samples));
    (*engine)->forward(false);
    const size_t B = samples.size();
    for (size_t p = 0; p < model.populations.size(); ++p) {
      const Population &pop = model.populations[p];
      if (pop.kind == PopulationKind::Li)
        continue;
      // [neuron][step][sample]
      const std::vector<float> &v = (*engine)->values(pop.name);
      const size_t T = v.size() / (size_t(pop.size) * B);
      for (size_t i = 0; i < pop.size; ++i)
        for (size_t t = 0; t < T; ++t)
          for (size_t b = 0; b < B; ++b)
            if (v[(i * T + t) * B + b] != 0) {
              ++run.populations[p].spikes;
              run.populations[p].ratePerNeuron[i] += 1;
              run.synapticEvents += fanOut[p] / std::max<uint32_t>(pop.size, 1);
            }
      if (options.record) {
        // Sample-major for the recording.
        auto &rec = run.recording[p];
        for (size_t b = 0; b < B; ++b) {
          for (size_t t = 0; t < T; ++t)
            for (size_t i = 0; i < pop.size; ++i)
              if (v[(i * T + t) * B + b] != 0) {
                rec.step.push_back(uint32_t(t));
                rec.neuron.push_back(uint32_t(i));
              }
          rec.samplePtr.push_back(rec.step.size());
        }
      }
    }
    std::vector<int32_t> labels;
    for (size_t s : samples)
      labels.push_back(data.labels[s]);
    (*engine)->loss(labels); // computes m = sum_t softmax (SNN-F10)
    std::vector<int32_t> predicted = (*engine)->predictions();
    for (size_t b = 0; b < B; ++b) {
      run.predictions.push_back(predicted[b]);
      run.correct += predicted[b] == data.labels[samples[b]];
    }
    if (options.progress)
      options.progress(std::min(n, first + batch), n);
  }
  run.seconds = secondsSince(start);
  run.samples = n;
  run.accuracy = n ? double(run.correct) / double(n) : 0.0;
  for (auto &p : run.populations)
    for (double &r : p.ratePerNeuron)
      r /= double(std::max<size_t>(n, 1));
  return run;
}

Status writeSpikeRecording(const std::string &path, const RunSummary &run,
                           double dt, uint32_t steps) {
  auto file = h5::File::createAtomic(path);
  if (!file)
    return file.status();
  SNNRT_TRY(file->setAttrString("/", "format", "snnc-spikes"));
  SNNRT_TRY(file->setAttr<int64_t>("/", "version", 1));
  SNNRT_TRY(file->setAttrString("/", "source", run.what));
  SNNRT_TRY(file->setAttr<double>("/", "dt", dt));
  SNNRT_TRY(file->setAttr<int64_t>("/", "steps", steps));
  SNNRT_TRY(file->setAttr<int64_t>("/", "samples", int64_t(run.samples)));
  for (size_t p = 0; p < run.recording.size(); ++p) {
    const SpikeEvents &e = run.recording[p];
    std::string g = "populations/" + e.population;
    SNNRT_TRY(file->write(g + "/sample_ptr", e.samplePtr));
    SNNRT_TRY(file->write(g + "/step", e.step, {e.step.size()}, 4));
    SNNRT_TRY(file->write(g + "/neuron", e.neuron, {e.neuron.size()}, 4));
    SNNRT_TRY(file->setAttr<int64_t>(g, "size", run.populations[p].size));
    SNNRT_TRY(file->setAttrString(g, "kind", run.populations[p].kind));
  }
  return file->commit();
}

Status writeRateProfile(const std::string &path, const RunSummary &run) {
  std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream os(temp);
    if (!os)
      return Status::error(path + ": cannot create file", ErrorKind::Io);
    os << "{\"rates\": {";
    bool first = true;
    for (const auto &p : run.populations) {
      if (p.kind == "li")
        continue; // readouts send no spikes
      os << (first ? "" : ", ") << "\"" << p.name << "\": [";
      first = false;
      char buf[32];
      for (size_t i = 0; i < p.ratePerNeuron.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.9g", p.ratePerNeuron[i]);
        os << (i ? ", " : "") << buf;
      }
      os << "]";
    }
    os << "}}\n";
    if (!os) {
      std::remove(temp.c_str());
      return Status::error(path + ": write failed", ErrorKind::Io);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Status::error(path + ": cannot move into place", ErrorKind::Io);
  }
  return Status::ok();
}

} // namespace snnrt
