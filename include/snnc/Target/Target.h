//===- Target.h - Hardware target descriptions ------------------*- C++ -*-===//
//
// A target is what `snn-map-to-cores` and `snnc compile` map onto: the limits
// of one neuromorphic core, how many cores a chip has and how they sit on the
// network-on-chip mesh, and the energy figures of the report. Targets are
// JSON files (schema: docs/targets.md) or built-in presets drawn from the
// published limits of real chips (docs/targets/<name>.md cites them).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

/// How a target realises delays of at least `maxDelay` steps.
enum class DelayRealisation {
  Native, ///< only native delay slots: longer delays cannot be mapped
  Relay,  ///< chains of relay neurons (snn-delay-extension, SNN-I10)
};

/// The integer membrane decay a target's neurons implement (SNN-I4/SNN-I5).
enum class TargetDecay {
  Mul12, ///< 12-bit multiplicative decay, v·(4096 − d) >> 12 (Loihi-like)
  Shift, ///< v − (v >> k) (Xylo-like)
  None,  ///< no multiplicative leak: only non-leaky neurons map
};

/// The integer arithmetic a target's neurons follow: snnc's own rules
/// (SNN-I*) or a vendor's, as its simulator implements them.
enum class TargetArithmetic {
  Snnc,     ///< snnc's model (SNN-I*), not checked against a vendor reference
  LavaCuba, ///< Lava's fixed-point CUBA LIF (Loihi; docs/semantics.md SNN-L)
  XyloIaf,  ///< Rockpool's XyloSim integer IAF (Xylo; SNN-X)
};

struct Target {
  std::string name;        ///< preset name or the file's "name"
  std::string description; ///< one line for `snnc targets`
  std::vector<std::string> sources; ///< where the limits come from

  // Per core.
  int64_t neuronsPerCore = 0;
  int64_t axonsPerCore = 0; ///< distinct presynaptic sources
  /// Synapse memory: `synapseEntries` entries, or `synapseBits` bits of
  /// which each synapse takes `bitsPerSynapse`.
  int64_t synapseEntries = 0;
  int64_t synapseBits = 0;
  int64_t bitsPerSynapse = 0;
  int64_t weightBits = 0;
  /// Most distinct weight values one neuron may use (TrueNorth's four axon
  /// types); 0: no limit.
  int64_t weightValuesPerNeuron = 0;

  // Delays: native slots hold delays in [0, maxDelay).
  int64_t maxDelay = 1;
  DelayRealisation delays = DelayRealisation::Native;

  // Neurons.
  TargetDecay decay = TargetDecay::Mul12;
  int64_t stateBits = 0;
  int64_t thresholdBits = 0;
  TargetArithmetic arithmetic = TargetArithmetic::Snnc;

  // Chip and system.
  int64_t coresPerChip = 0;
  int64_t meshRows = 0, meshCols = 0; ///< core positions on one chip
  int64_t maxChips = 1;
  int64_t maxInputChannels = 0; ///< 0: no limit
  int64_t maxOutputNeurons = 0; ///< 0: no limit

  // Energy in picojoules; 0 means "not published" and the report says so.
  double energySynOpPj = 0;     ///< per synaptic operation
  double energySpikeHopPj = 0;  ///< per spike packet per mesh hop
  double energyNeuronUpdatePj = 0; ///< per neuron per time step

  /// Synapses one core holds.
  int64_t synapsesPerCore() const {
    return synapseEntries ? synapseEntries : synapseBits / bitsPerSynapse;
  }
  int64_t maxCores() const { return coresPerChip * maxChips; }

  llvm::json::Value toJSON() const;
};

llvm::StringRef stringify(DelayRealisation d);
llvm::StringRef stringify(TargetDecay d);
llvm::StringRef stringify(TargetArithmetic a);
/// What `snnc targets` and the compile report say about an arithmetic:
/// whether a vendor's simulator defines it.
llvm::StringRef describe(TargetArithmetic a);

/// Parses and validates a target description; errors name the field
/// ("target.json: 'core.neurons': expected an integer > 0").
llvm::Expected<Target> parseTarget(const llvm::json::Value &value,
                                   llvm::StringRef origin);

/// Names of the built-in presets, in display order.
std::vector<std::string> presetNames();

/// A preset by name, or an error listing the presets.
llvm::Expected<Target> getPreset(llvm::StringRef name);

/// `--target NAME|FILE.json`: a preset name, or a JSON file (anything that
/// ends in .json or names an existing file).
llvm::Expected<Target> loadTarget(llvm::StringRef nameOrPath);

} // namespace snnc
