//===- RunSummary.h - What running a network over a dataset gives -*- C++ -*-===//
//
// What `snnc run` reports: accuracy, spikes per population, per-neuron rates
// (the profile that traffic-aware mapping uses) and synaptic events per
// second, for the integer plan (exec/PlanRun.h) or the float model
// (train/ModelRun.h). Optionally records every spike (docs/formats/spikes.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/dataset/Dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace snnrt {

struct PopulationActivity {
  std::string name;
  std::string kind; ///< input, lif, li
  uint32_t size = 0;
  uint64_t spikes = 0;              ///< over all samples (inputs: events)
  std::vector<double> ratePerNeuron; ///< spikes per sample, per neuron
};

/// Spike events of one population: sample s owns [samplePtr[s], samplePtr[s+1]).
struct SpikeEvents {
  std::string population;
  std::vector<uint64_t> samplePtr{0};
  std::vector<uint32_t> step, neuron;
};

struct RunSummary {
  std::string what; ///< "model" or "plan"
  size_t samples = 0, correct = 0;
  double accuracy = 0;
  double seconds = 0;
  uint64_t synapticEvents = 0; ///< plan: weight additions; model: estimate
  std::vector<PopulationActivity> populations;
  std::vector<int32_t> predictions;
  std::vector<SpikeEvents> recording; ///< filled when asked for

  /// After `samples` samples taking `elapsed` seconds: the accuracy, and
  /// rates as spikes per sample.
  void finish(size_t samples, double elapsed);
};

struct RunOptions {
  int threads = 2;
  size_t maxSamples = 0; ///< 0: every sample
  bool record = false;
  /// Plans: samples each thread advances together (PlanExecutorOptions::
  /// inFlight; 0: the executor picks). Results do not depend on it.
  uint32_t inFlight = 0;
  /// Called after each batch with (samples done, total).
  std::function<void(size_t, size_t)> progress;
};

/// Writes the recorded spikes as HDF5 (docs/formats/spikes.md), atomically.
Status writeSpikeRecording(const std::string &path, const RunSummary &run,
                           double dt, uint32_t steps);
/// Writes per-neuron rates as the JSON profile snn-map-to-cores reads:
/// {"rates": {"<population>": [spikes per sample, ...]}}, atomically.
Status writeRateProfile(const std::string &path, const RunSummary &run);

} // namespace snnrt
