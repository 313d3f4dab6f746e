//===- Device.h - Which backend runs a network: CPU or CUDA -----*- C++ -*-===//
//
// `--device cpu|cuda|auto` of snnc train/eval/run/verify resolves here.
// auto: CUDA when this runtime was built with the CUDA backend and a GPU is
// usable, else the CPU with a one-line notice. cuda without a usable GPU is
// an error (ErrorKind::BadInput) whose message says why: built without
// CUDA, no driver, no device (CUDA_VISIBLE_DEVICES hides them too).
// A machine with the toolkit but no GPU therefore runs everything on the CPU.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <optional>
#include <string>

namespace snnrt {

enum class Device { Cpu, Cuda, Auto };

std::optional<Device> parseDevice(const std::string &text);
const char *toString(Device device);

/// True when this runtime was compiled with the CUDA backend.
bool cudaBuilt();
/// What every CUDA entry point of a build without the backend reports.
const char *cudaNotBuiltMessage();
/// Usable CUDA devices (0 when not built, no driver or no GPU; `why` then
/// says which).
int cudaDeviceCount(std::string *why = nullptr);
/// "NVIDIA H200 (sm_90, 139 GiB), driver 12.8, runtime 13.0" for device 0,
/// or why there is none.
std::string cudaDescription();

/// Resolves a request. Auto without a GPU returns Cpu and sets `notice` to a
/// one-line explanation; Cuda without a GPU is an error whose message starts
/// with "no usable CUDA device".
Expected<Device> resolveDevice(Device requested, std::string *notice);

} // namespace snnrt
