//===- Device.cpp - Backend selection (the CUDA queries live in cuda/) ----===//

#include "snnrt/device/Device.h"

namespace snnrt {

std::optional<Device> parseDevice(const std::string &text) {
  if (text == "cpu")
    return Device::Cpu;
  if (text == "cuda")
    return Device::Cuda;
  if (text == "auto")
    return Device::Auto;
  return std::nullopt;
}

const char *toString(Device device) {
  switch (device) {
  case Device::Cpu:
    return "cpu";
  case Device::Cuda:
    return "cuda";
  default:
    return "auto";
  }
}

Expected<Device> resolveDevice(Device requested, std::string *notice) {
  if (requested == Device::Cpu)
    return Device::Cpu;
  std::string why;
  int count = cudaDeviceCount(&why);
  if (count > 0)
    return Device::Cuda;
  if (requested == Device::Cuda)
    return Status::error("no usable CUDA device for --device cuda: " + why +
                         " (use --device cpu or auto)");
  if (notice)
    *notice = "no usable CUDA device (" + why + "); running on the CPU";
  return Device::Cpu;
}

const char *cudaNotBuiltMessage() {
  return "this snnc was built without the CUDA backend "
         "(SNNC_ENABLE_CUDA=OFF or no nvcc at configure time)";
}

} // namespace snnrt
