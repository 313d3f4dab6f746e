//===- DeviceOption.h - --device cpu|cuda|auto for snnc commands -*- C++ -*-===//
//
// One option, one resolution rule for train, eval, run and verify
// (snnrt/device/Device.h): auto falls back to the CPU with a one-line notice on
// stderr; cuda without a usable GPU (or in a build without CUDA) is an
// error with exit code kNoDevice (6, Cli.h).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Cli.h"

#include "snnrt/device/Device.h"

#include <optional>
#include <string>

namespace snnc::cli {

void addDeviceOption(ArgParser &parser, std::string *device);

/// Resolves the option's value. Returns an exit code when the command must
/// stop (after printing "snnc <command>: error: ..."), else sets `out`.
std::optional<int> resolveDeviceOption(const std::string &command,
                                       const std::string &value,
                                       snnrt::Device &out);

} // namespace snnc::cli
