//===- EnumTranslation.h - snn dialect enums <-> runtime enums --*- C++ -*-===//
//
// The dialect and the runtime name the same choices (SNN-F1, SNN-F6, SNN-F7)
// with their own enums; every importer and exporter translates through here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"
#include "snnrt/model/Model.h"

namespace snnc {

inline snnrt::InputKind toRuntime(snn::InputEncoding e) {
  return e == snn::InputEncoding::spikes ? snnrt::InputKind::Spikes
                                         : snnrt::InputKind::Frames;
}
inline snn::InputEncoding toDialect(snnrt::InputKind k) {
  return k == snnrt::InputKind::Spikes ? snn::InputEncoding::spikes
                                       : snn::InputEncoding::frames;
}
inline snnrt::ResetMode toRuntime(snn::ResetMode r) {
  return r == snn::ResetMode::subtract ? snnrt::ResetMode::Subtract
                                       : snnrt::ResetMode::Hard;
}
inline snn::ResetMode toDialect(snnrt::ResetMode r) {
  return r == snnrt::ResetMode::Subtract ? snn::ResetMode::subtract
                                         : snn::ResetMode::hard;
}
inline snnrt::DecayMode toRuntime(snn::DecayMode d) {
  return d == snn::DecayMode::exp ? snnrt::DecayMode::Exp
                                  : snnrt::DecayMode::Linear;
}

} // namespace snnc
