//===- SNNInterfaces.td - Interfaces of the snn dialect ---*- tablegen -*-===//
//
// Populations and projections come in several op kinds (snn.input, snn.lif,
// snn.li; snn.projection, snn.sparse_projection) that share most of their
// parameters. Passes, importers and exporters reach those parameters through
// these interfaces instead of through attribute names, so a parameter the
// ops rename or add is a compile error in every user, not a silent miss.
//
// Methods without a body are the ops' generated accessors under the same
// name; the remaining helpers are defined in SNNOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_INTERFACES_TD
#define SNN_INTERFACES_TD

include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Populations
//===----------------------------------------------------------------------===//

def SNN_PopulationOpInterface : OpInterface<"PopulationOpInterface"> {
  let cppNamespace = "::snnc::snn";
  let description = [{
    A population of `size` neurons that projections name by symbol:
    `snn.input`, `snn.lif` and `snn.li`.

    ```c++
    for (auto pop : net.getBodyBlock().getOps<snn::PopulationOpInterface>())
      total += pop.getSize();
    ```
  }];
  let methods = [
    InterfaceMethod<"The population's symbol name.",
      "::llvm::StringRef", "getSymName">,
    InterfaceMethod<"The number of neurons (SNN-V3: > 0).",
      "uint64_t", "getSize">,
    InterfaceMethod<[{Whether the population emits spikes (snn.input,
      snn.lif) and so may be a projection's source (SNN-V8); an snn.li
      readout does not.}],
      "bool", "emitsSpikes">,
  ];
}

def SNN_NeuronPopulationOpInterface
    : OpInterface<"NeuronPopulationOpInterface", [SNN_PopulationOpInterface]> {
  let cppNamespace = "::snnc::snn";
  let description = [{
    A population of leaky neurons that receives projections: `snn.lif` and
    `snn.li`. Gives the time constants, biases and, in an integer network,
    the integer decays, together with the setters the passes rewrite them
    with. LIF-only parameters (threshold, `v_threshold`, reset, relay) stay
    on `snn::LIFOp`.

    Per-neuron parameters (SNN-V23) are read through `getTauMemValues` and
    `getTauSynValues`, which expand a scalar to every neuron.
  }];
  let methods = [
    InterfaceMethod<"Membrane time constant in seconds (neuron 0's).",
      "::llvm::APFloat", "getTauMem">,
    InterfaceMethod<"Synaptic time constant in seconds; set for a CuBa "
      "population (SNN-F8).",
      "::std::optional<::llvm::APFloat>", "getTauSyn">,
    InterfaceMethod<"Every neuron's `tau_mem` (SNN-V23), when they differ.",
      "::std::optional<::mlir::ElementsAttr>", "getTauMemPerNeuron">,
    InterfaceMethod<"Every neuron's `tau_syn` (SNN-V23), when they differ.",
      "::std::optional<::mlir::ElementsAttr>", "getTauSynPerNeuron">,

    InterfaceMethod<"Per-neuron bias: f32 in a float network, i32 in an "
      "integer network.",
      "::std::optional<::mlir::ElementsAttr>", "getBias">,
    InterfaceMethod<"", "void", "setBiasAttr",
      (ins "::mlir::ElementsAttr":$bias)>,
    InterfaceMethod<"Synaptic bias in front of the CuBa filter (SNN-F8, "
      "SNN-V24).",
      "::std::optional<::mlir::ElementsAttr>", "getBiasSyn">,
    InterfaceMethod<"", "void", "setBiasSynAttr",
      (ins "::mlir::ElementsAttr":$biasSyn)>,

    InterfaceMethod<"Integer membrane decay (SNN-I4/SNN-I5; neuron 0's).",
      "::std::optional<uint64_t>", "getVDecay">,
    InterfaceMethod<"", "void", "setVDecay",
      (ins "::std::optional<uint64_t>":$vDecay)>,
    InterfaceMethod<"Integer synaptic decay (with `tau_syn`; neuron 0's).",
      "::std::optional<uint64_t>", "getIDecay">,
    InterfaceMethod<"", "void", "setIDecay",
      (ins "::std::optional<uint64_t>":$iDecay)>,
    InterfaceMethod<"Every neuron's `v_decay` (i32), when they differ.",
      "::std::optional<::mlir::ElementsAttr>", "getVDecayPerNeuron">,
    InterfaceMethod<"", "void", "setVDecayPerNeuronAttr",
      (ins "::mlir::ElementsAttr":$values)>,
    InterfaceMethod<"Every neuron's `i_decay` (i32), when they differ.",
      "::std::optional<::mlir::ElementsAttr>", "getIDecayPerNeuron">,
    InterfaceMethod<"", "void", "setIDecayPerNeuronAttr",
      (ins "::mlir::ElementsAttr":$values)>,
  ];
  let extraClassDeclaration = [{
    /// A current-based synapse (CuBa, SNN-F8): `tau_syn` is set.
    bool hasSynapticCurrent() { return getTauSyn().has_value(); }
    /// Every neuron's membrane time constant (SNN-V23).
    ::mlir::LogicalResult
    getTauMemValues(::llvm::SmallVectorImpl<double> &out);
    /// Every neuron's synaptic time constant; fails without `tau_syn`.
    ::mlir::LogicalResult
    getTauSynValues(::llvm::SmallVectorImpl<double> &out);
  }];
}

//===----------------------------------------------------------------------===//
// Projections
//===----------------------------------------------------------------------===//

def SNN_ProjectionOpInterface : OpInterface<"ProjectionOpInterface"> {
  let cppNamespace = "::snnc::snn";
  let description = [{
    Delayed synapses from a `source` population to a `target` population,
    stored dense (`snn.projection`, entries row-major over
    `[target][source]`, optional `mask`) or CSR-sparse
    (`snn.sparse_projection`, entries in row order over targets). Both
    forms hold one `weight` entry per stored synapse together with a
    `delay` or a DCLS `position` entry of the same shape, so a pass that
    treats entries alike handles both forms through this interface;
    `isSparse` tells where the layout matters.

    ```c++
    for (auto proj : net.getBodyBlock().getOps<snn::ProjectionOpInterface>())
      if (proj.getPosition())
        ...
    ```
  }];
  let methods = [
    InterfaceMethod<"The projection's symbol name.",
      "::llvm::StringRef", "getSymName">,
    InterfaceMethod<"The source population's symbol (SNN-V8).",
      "::mlir::FlatSymbolRefAttr", "getSourceAttr">,
    InterfaceMethod<"", "::llvm::StringRef", "getSource">,
    InterfaceMethod<"The target population's symbol (SNN-V8).",
      "::mlir::FlatSymbolRefAttr", "getTargetAttr">,
    InterfaceMethod<"", "::llvm::StringRef", "getTarget">,
    InterfaceMethod<"Whether the entries are CSR rows (snn.sparse_projection) "
      "rather than a dense matrix (snn.projection).",
      "bool", "isSparse">,

    InterfaceMethod<"Every delay lies in [0, max_delay) (SNN-V10).",
      "uint64_t", "getMaxDelay">,
    InterfaceMethod<"", "void", "setMaxDelay", (ins "uint64_t":$maxDelay)>,

    InterfaceMethod<"One weight per stored entry: f32, or i8/i16/i32 in an "
      "integer network (SNN-V9, SNN-V19).",
      "::mlir::ElementsAttr", "getWeight">,
    InterfaceMethod<"", "void", "setWeightAttr",
      (ins "::mlir::ElementsAttr":$weight)>,
    InterfaceMethod<"Integer delays (SNN-V11); absent when `position` is "
      "given.",
      "::std::optional<::mlir::ElementsAttr>", "getDelay">,
    InterfaceMethod<"", "void", "setDelayAttr",
      (ins "::mlir::ElementsAttr":$delay)>,
    InterfaceMethod<"DCLS positions (SNN-V12); absent when `delay` is given.",
      "::std::optional<::mlir::ElementsAttr>", "getPosition">,
    InterfaceMethod<"", "::mlir::Attribute", "removePositionAttr">,
    InterfaceMethod<"The DCLS width that goes with `position`.",
      "::std::optional<::llvm::APFloat>", "getSigma">,
    InterfaceMethod<"", "::mlir::Attribute", "removeSigmaAttr">,
    InterfaceMethod<"Dale's law sign per source neuron (SNN-V14).",
      "::std::optional<::mlir::ElementsAttr>", "getSign">,

    InterfaceMethod<"Bit width of integer weights (SNN-V19).",
      "::std::optional<uint64_t>", "getWeightBits">,
    InterfaceMethod<"", "::mlir::IntegerAttr", "getWeightBitsAttr">,
    InterfaceMethod<"", "void", "setWeightBits",
      (ins "::std::optional<uint64_t>":$bits)>,
    InterfaceMethod<"The float value of one integer weight unit, per layer "
      "or per target neuron (SNN-I9, SNN-V19).",
      "::std::optional<::mlir::ElementsAttr>", "getWeightScale">,
    InterfaceMethod<"", "::mlir::ElementsAttr", "getWeightScaleAttr">,
    InterfaceMethod<"", "void", "setWeightScaleAttr",
      (ins "::mlir::ElementsAttr":$scale)>,
    InterfaceMethod<"The exponent the synapses' sum is shifted by under "
      "Lava's arithmetic (Lava Dense's `weight_exp`, SNN-V26).",
      "::std::optional<int64_t>", "getWeightExp">,
    InterfaceMethod<"", "::mlir::IntegerAttr", "getWeightExpAttr">,
    InterfaceMethod<"", "void", "setWeightExp",
      (ins "::std::optional<int64_t>":$exp)>,
  ];
  let extraClassDeclaration = [{
    /// Integer weights (an integer network, SNN-I9).
    bool hasIntegerWeights() {
      return !getWeight().getElementType().isF32();
    }
    /// Stored entries: every cell of a dense matrix (masked ones included),
    /// every CSR entry.
    int64_t getNumEntries() { return getWeight().getNumElements(); }
    /// The source and target populations inside the parent network; null
    /// when the symbol names none (the verifier reports that, SNN-V8).
    PopulationOpInterface getSourcePopulation();
    PopulationOpInterface getTargetPopulation();
    /// Every entry's weight as a double, float or integer alike.
    ::mlir::LogicalResult
    getWeightValues(::llvm::SmallVectorImpl<double> &out);
  }];
}

#endif // SNN_INTERFACES_TD
