//===- ModelRun.cpp - Run a float model over a dataset --------------------===//

#include "snnrt/train/ModelRun.h"

#include "snnrt/base/Clock.h"
#include "snnrt/train/Engine.h"

#include <algorithm>

namespace snnrt {

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
  auto start = steadyNow();
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
      if (pop.kind == PopulationKind::Li) {
        // A readout never spikes; its recording still has one (empty)
        // range per sample (docs/formats/spikes.md).
        if (options.record)
          run.recording[p].samplePtr.insert(run.recording[p].samplePtr.end(), B,
                                            run.recording[p].step.size());
        continue;
      }
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
  run.finish(n, secondsSince(start));
  return run;
}

} // namespace snnrt
