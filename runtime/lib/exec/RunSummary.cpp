//===- RunSummary.cpp - Spike recordings and rate profiles ----------------===//

#include "snnrt/exec/RunSummary.h"

#include "snnrt/base/Hdf5File.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace snnrt {

void RunSummary::finish(size_t samples, double elapsed) {
  seconds = elapsed;
  this->samples = samples;
  accuracy = samples ? double(correct) / double(samples) : 0.0;
  for (auto &p : populations)
    for (double &r : p.ratePerNeuron)
      r /= double(std::max<size_t>(samples, 1));
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
