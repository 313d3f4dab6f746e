//===- ModelRunTest.cpp - snnc run on a float model -----------------------===//
//
// The recording of a float run: every population, the li readout included,
// has one event range per sample (docs/formats/spikes.md), and the events
// agree with the summary's spike counts.
//
//===----------------------------------------------------------------------===//

#include "TimingTask.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/ModelRun.h"

#include <gtest/gtest.h>

using namespace snnrt;

TEST(ModelRun, RecordingHasOneRangePerSampleForEveryPopulation) {
  NetworkSpec spec;
  spec.inputs = 4;
  spec.hidden = {16};
  spec.outputs = 4;
  spec.steps = 40;
  spec.dt = 0.001;
  spec.maxDelay = 8;
  spec.delays = DelayMode::Frozen;
  spec.inputKind = InputKind::Spikes;
  auto model = buildFeedForward(spec, 5);
  ASSERT_TRUE(model.hasValue()) << model.status().message();
  Dataset data = fixtures::timingTask(70, 3); // more than one batch of 64
  RunOptions options;
  options.record = true;
  auto run = runModelOnDataset(*model, data, options);
  ASSERT_TRUE(run.hasValue()) << run.status().message();
  ASSERT_EQ(run->recording.size(), model->populations.size());
  for (size_t p = 0; p < run->recording.size(); ++p) {
    const SpikeEvents &events = run->recording[p];
    SCOPED_TRACE(model->populations[p].name);
    ASSERT_EQ(events.samplePtr.size(), data.size() + 1);
    EXPECT_EQ(events.samplePtr.front(), 0u);
    EXPECT_EQ(events.samplePtr.back(), events.step.size());
    EXPECT_EQ(events.step.size(), run->populations[p].spikes);
  }
}
