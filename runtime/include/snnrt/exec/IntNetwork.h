//===- IntNetwork.h - A quantised network, unmapped -------------*- C++ -*-===//
//
// The integer network of docs/semantics.md (SNN-I1..SNN-I9) as one graph:
// no cores, no relay neurons, delays as long as they are. It is what
// `snn-quantize` produces, exported from the `snn` dialect, and what the flat
// reference executor runs to check a mapped plan bit for bit
// (docs/design.md §5, level 2).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/exec/IntegerMath.h"
#include "snnrt/model/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt {

struct IntPopulation {
  std::string name;
  PopulationKind kind = PopulationKind::Lif;
  uint32_t size = 0;
  InputKind inputKind = InputKind::Frames; ///< input only
  double scale = 1.0;                      ///< input only (SNN-I2)
  ResetMode reset = ResetMode::Hard;       ///< lif only
  std::vector<int32_t> threshold;          ///< lif: [size], each >= 1
  std::vector<int32_t> bias;               ///< lif/li: [size]
  /// lif/li: membrane decay per neuron ([size], SNN-I4/I5 parameter).
  std::vector<int32_t> vDecay;
  /// CuBa synapse decay per neuron ([size], SNN-I7), lif or li; empty: none.
  std::vector<int32_t> iDecay;
  /// Synaptic bias per neuron ([size], SNN-I7), only with iDecay; empty:
  /// none.
  std::vector<int32_t> biasSyn;
  /// lif/li: float value of one membrane unit per neuron (SNN-I9); the real
  /// readout is u · weightScale (SNN-I8).
  std::vector<float> weightScale;
};

/// Synapses in CSR over targets; Dale signs are folded into `weight`.
struct IntProjection {
  std::string name, source, target;
  uint32_t maxDelay = 1;
  std::vector<uint64_t> rowPtr; ///< [target.size + 1]
  std::vector<uint32_t> colIdx; ///< [nnz]
  std::vector<int32_t> weight;  ///< [nnz]
  std::vector<int32_t> delay;   ///< [nnz], in [0, maxDelay)
  /// Lava's arithmetic only: the exponent the projection's sum is shifted
  /// by (Dense's weight_exp, intmath::lavaInput).
  int32_t weightExp = 0;
};

struct IntNetwork {
  std::string name = "net";
  double dt = 0.01;
  uint32_t steps = 0;
  uint32_t stateBits = 24;                       ///< S of SNN-I1
  intmath::DecayKind decay = intmath::DecayKind::Mul12;
  /// snnc's rules (SNN-I*) or Lava's fixed-point CUBA LIF (SNN-L): then
  /// every lif/li population is a Lava CUBA neuron, `threshold` holds Lava's
  /// vth (an li readout uses the largest, lava::kMaxThreshold), `bias` the
  /// effective bias in state units, an empty `iDecay` means 4096 (no
  /// current filter) and `reset` is ignored (Lava zeroes v, keeps u).
  ///
  /// Or XyloSim's IAF arithmetic (SNN-X): 16 state bits, every lif is a
  /// hidden neuron (spike counts 0..31, subtractive, `reset` ignored), every
  /// li an output neuron that never fires (threshold 32767, at most 1
  /// spike); `vDecay`/`iDecay` are dash_mem/dash_syn in [0, 15], `weight`
  /// holds the effective weight w·2^shift, input values are event counts
  /// (clipped to 15). Input→lif synapses act in the same step, lif→lif and
  /// lif→li one step later; a delay d adds d steps (SNN-X13).
  intmath::Arithmetic arithmetic = intmath::Arithmetic::Snnc;
  std::vector<IntPopulation> populations;
  std::vector<IntProjection> projections;
  std::vector<std::string> outputs;

  int findPopulation(const std::string &name) const;
  /// Shapes, index ranges, parameter ranges of SNN-I1..I7 (or Lava's),
  /// acyclicity.
  Status validate() const;
  /// Populations with every projection's source before its target.
  std::vector<int> topologicalOrder() const;
};

} // namespace snnrt
