//===- ModelCompare.h - Bit-exact comparison of two models ------*- C++ -*-===//
#pragma once

#include "snnrt/model/Model.h"

#include <string>

namespace snnc {

/// True when every field of the two models is identical, floats compared
/// bit for bit. Otherwise `difference` names the first field that differs
/// ("projections/fc1/weights[17]: 0.25 vs 0.2500001").
bool modelsIdentical(const snnrt::Model &a, const snnrt::Model &b,
                     std::string &difference);

} // namespace snnc
