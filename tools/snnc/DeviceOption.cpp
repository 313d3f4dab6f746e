//===- DeviceOption.cpp - --device cpu|cuda|auto --------------------------===//

#include "DeviceOption.h"

#include <cstdio>

namespace snnc::cli {

void addDeviceOption(ArgParser &parser, std::string *device) {
  parser.addChoice("--device", device, {"cpu", "cuda", "auto"},
                   "where to run: cpu, cuda (a GPU; exit code 6 without one) "
                   "or auto (cuda when a GPU is usable, else cpu)");
}

std::optional<int> resolveDeviceOption(const std::string &command,
                                       const std::string &value,
                                       snnrt::Device &out) {
  auto requested = snnrt::parseDevice(value);
  if (!requested) {
    std::fprintf(stderr, "snnc %s: error: --device must be cpu, cuda or auto\n",
                 command.c_str());
    return kBadInput;
  }
  std::string notice;
  auto device = snnrt::resolveDevice(*requested, &notice);
  if (!device) {
    std::fprintf(stderr, "snnc %s: error: %s\n", command.c_str(),
                 device.status().message().c_str());
    return kNoDevice;
  }
  if (!notice.empty())
    std::fprintf(stderr, "snnc %s: note: %s\n", command.c_str(),
                 notice.c_str());
  out = *device;
  return std::nullopt;
}

} // namespace snnc::cli
