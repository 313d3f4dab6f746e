//===- DatasetFixtures.h - Small datasets for the dataset tests -*- C++ -*-===//
#pragma once

#include "snnrt/dataset/Dataset.h"

namespace snnrt::fixtures {

/// Two samples of 3 steps x 2 channels, with speakers and class names.
inline Dataset smallFrames() {
  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = 0.01;
  d.steps = 3;
  d.channels = 2;
  d.numClasses = 4;
  d.labels = {0, 3};
  d.speakers = {7, 8};
  d.classNames = {"a", "b", "c", "d"};
  d.source = "test";
  for (int i = 0; i < 12; ++i)
    d.frames.push_back(0.5f * i - 1.f);
  return d;
}

/// Three samples of spike events; the second has none.
inline Dataset smallSpikes() {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.dtSeconds = 0.001;
  d.steps = 10;
  d.channels = 5;
  d.numClasses = 2;
  d.labels = {1, 0, 1};
  // sample 0: two events, sample 1: none, sample 2: one.
  d.eventOffsets = {0, 2, 2, 3};
  d.eventStep = {0, 9, 4};
  d.eventChannel = {4, 0, 2};
  d.eventCount = {1.f, 3.f, 2.f};
  return d;
}

} // namespace snnrt::fixtures
