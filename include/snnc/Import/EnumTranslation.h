//===- EnumTranslation.h - snn dialect enums <-> runtime enums --*- C++ -*-===//
//
// The dialect and the runtime name the same choices (SNN-F1, SNN-F6, SNN-F7,
// SNN-I4/SNN-I5) with their own enums, and a target names its integer decay
// with one more value; every importer, exporter and pipeline translates
// through here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snn/SNNOps.h"
#include "snnc/Target/Target.h"
#include "snnhw/SNNHWOps.h"
#include "snnrt/exec/IntegerMath.h"
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
inline snnrt::NeuronConvention toRuntime(snn::NeuronConvention c) {
  switch (c) {
  case snn::NeuronConvention::lava:
    return snnrt::NeuronConvention::Lava;
  case snn::NeuronConvention::reset_first:
    return snnrt::NeuronConvention::ResetFirst;
  default:
    return snnrt::NeuronConvention::Paper;
  }
}
inline snn::NeuronConvention toDialect(snnrt::NeuronConvention c) {
  switch (c) {
  case snnrt::NeuronConvention::Lava:
    return snn::NeuronConvention::lava;
  case snnrt::NeuronConvention::ResetFirst:
    return snn::NeuronConvention::reset_first;
  default:
    return snn::NeuronConvention::paper;
  }
}
inline snnrt::DecayMode toRuntime(snn::DecayMode d) {
  return d == snn::DecayMode::exp ? snnrt::DecayMode::Exp
                                  : snnrt::DecayMode::Linear;
}
inline snnrt::intmath::DecayKind toRuntime(snn::IntDecayMode d) {
  return d == snn::IntDecayMode::shift ? snnrt::intmath::DecayKind::Shift
                                       : snnrt::intmath::DecayKind::Mul12;
}
inline snn::IntDecayMode toDialect(snnrt::intmath::DecayKind k) {
  return k == snnrt::intmath::DecayKind::Shift ? snn::IntDecayMode::shift
                                               : snn::IntDecayMode::mul12;
}
/// The integer decay a network must use on a target: a target without a
/// multiplicative leak runs SNN-I4 with d = 0 (mul12).
inline snn::IntDecayMode toDialect(TargetDecay d) {
  return d == TargetDecay::Shift ? snn::IntDecayMode::shift
                                 : snn::IntDecayMode::mul12;
}
inline snnrt::intmath::Arithmetic toRuntime(snn::Arithmetic a) {
  switch (a) {
  case snn::Arithmetic::lava_cuba:
    return snnrt::intmath::Arithmetic::LavaCuba;
  case snn::Arithmetic::xylo_iaf:
    return snnrt::intmath::Arithmetic::XyloIaf;
  case snn::Arithmetic::snnc:
    break;
  }
  return snnrt::intmath::Arithmetic::Snnc;
}
inline snn::Arithmetic toDialect(snnrt::intmath::Arithmetic a) {
  switch (a) {
  case snnrt::intmath::Arithmetic::LavaCuba:
    return snn::Arithmetic::lava_cuba;
  case snnrt::intmath::Arithmetic::XyloIaf:
    return snn::Arithmetic::xylo_iaf;
  case snnrt::intmath::Arithmetic::Snnc:
    break;
  }
  return snn::Arithmetic::snnc;
}
/// The arithmetic a network must follow on a target.
inline snn::Arithmetic toDialect(TargetArithmetic a) {
  switch (a) {
  case TargetArithmetic::LavaCuba:
    return snn::Arithmetic::lava_cuba;
  case TargetArithmetic::XyloIaf:
    return snn::Arithmetic::xylo_iaf;
  case TargetArithmetic::Snnc:
    break;
  }
  return snn::Arithmetic::snnc;
}
inline snnhw::TargetDecay toHardware(TargetDecay d) {
  switch (d) {
  case TargetDecay::Mul12:
    return snnhw::TargetDecay::mul12;
  case TargetDecay::Shift:
    return snnhw::TargetDecay::shift;
  case TargetDecay::None:
    return snnhw::TargetDecay::none;
  }
  return snnhw::TargetDecay::none;
}

} // namespace snnc
