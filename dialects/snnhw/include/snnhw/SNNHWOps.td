//===- SNNHWOps.td - The snnhw dialect ---------------------*- tablegen -*-===//
//
// A network mapped onto neuromorphic hardware: the cores of one or more
// chips, each with its neurons and their integer parameters, the axons
// (distinct presynaptic sources) it receives and its synapse table, and the
// routes that carry spikes between cores. `snn-map-to-cores` produces it
// from an integer `snn` network; the plan file (docs/formats/plan.md) is
// written from it. Semantics: docs/semantics.md, rules SNN-I* (what each
// neuron computes) and HW-V* (what the verifiers check).
//
//===----------------------------------------------------------------------===//

#ifndef SNNHW_OPS_TD
#define SNNHW_OPS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"

def SNNHW_Dialect : Dialect {
  let name = "snnhw";
  let cppNamespace = "::snnc::snnhw";
  let summary = "Spiking networks mapped onto neuromorphic cores";
  let description = [{
    The `snnhw` dialect holds the result of mapping: which core every
    neuron lives on, with its integer threshold, bias and decays; which
    presynaptic sources each core receives on its input axons; each core's
    synapse table (an integer weight and a delay per entry, rows per local
    neuron); relay neurons that realise long delays; and the routes between
    cores with their traffic. The limits of the target the module was built
    for are recorded on `snnhw.system`, and the verifiers check every one
    of them (rules `HW-V*` of docs/semantics.md). Large tables are
    `dense_resource` blobs.
  }];
  // Reset modes, input encodings and integer decays are snn's enums.
  let dependentDialects = ["::snnc::snn::SNNDialect"];
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Enums and attributes
//===----------------------------------------------------------------------===//

/// An attribute of the snn dialect's enums (dialects/snn): snnhw records
/// the same choices as the network it was mapped from.
class SNNHW_SnnEnumAttr<string name, string summary>
    : Attr<CPred<"::llvm::isa<::snnc::snn::" # name # "Attr>($_self)">,
           summary> {
  let storageType = "::snnc::snn::" # name # "Attr";
  let returnType = "::snnc::snn::" # name;
  let convertFromStorage = "$_self.getValue()";
  let constBuilderCall =
      "::snnc::snn::" # name # "Attr::get($_builder.getContext(), $0)";
}
def SNNHW_ResetModeAttr : SNNHW_SnnEnumAttr<"ResetMode", "snn reset mode">;
def SNNHW_InputEncodingAttr
    : SNNHW_SnnEnumAttr<"InputEncoding", "snn input encoding">;
def SNNHW_IntDecayModeAttr
    : SNNHW_SnnEnumAttr<"IntDecayMode", "snn integer decay mode">;
def SNNHW_ArithmeticAttr
    : SNNHW_SnnEnumAttr<"Arithmetic", "snn integer arithmetic">;

def SNNHW_KindInput : I32EnumAttrCase<"input", 0>;
def SNNHW_KindLif : I32EnumAttrCase<"lif", 1>;
def SNNHW_KindLi : I32EnumAttrCase<"li", 2>;
def SNNHW_PopulationKind : I32EnumAttr<"PopulationKind",
    "what a population is (input channels, spiking or readout neurons)",
    [SNNHW_KindInput, SNNHW_KindLif, SNNHW_KindLi]> {
  let cppNamespace = "::snnc::snnhw";
  let genSpecializedAttr = 0;
}
def SNNHW_PopulationKindAttr
    : EnumAttr<SNNHW_Dialect, SNNHW_PopulationKind, "kind"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNNHW_PartitionMetis : I32EnumAttrCase<"metis", 0>;
def SNNHW_PartitionSequential : I32EnumAttrCase<"sequential", 1>;
def SNNHW_Partitioner : I32EnumAttr<"Partitioner",
    "how neurons were partitioned onto cores",
    [SNNHW_PartitionMetis, SNNHW_PartitionSequential]> {
  let cppNamespace = "::snnc::snnhw";
  let genSpecializedAttr = 0;
}
def SNNHW_PartitionerAttr
    : EnumAttr<SNNHW_Dialect, SNNHW_Partitioner, "partitioner"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNNHW_LeakMul12 : I32EnumAttrCase<"mul12", 0>;
def SNNHW_LeakShift : I32EnumAttrCase<"shift", 1>;
def SNNHW_LeakNone : I32EnumAttrCase<"none", 2>;
def SNNHW_TargetDecay : I32EnumAttr<"TargetDecay",
    "the integer decay a target's neurons implement; none: no "
    "multiplicative leak",
    [SNNHW_LeakMul12, SNNHW_LeakShift, SNNHW_LeakNone]> {
  let cppNamespace = "::snnc::snnhw";
  let genSpecializedAttr = 0;
}

def SNNHW_LimitsAttr : AttrDef<SNNHW_Dialect, "Limits"> {
  let mnemonic = "limits";
  let summary = "The limits of a target (HW-V1)";
  let description = [{
    Per core: `neurons_per_core`, `axons_per_core`, `synapses_per_core`,
    `weight_bits`, `weight_values_per_neuron` (0: no limit), `max_delay`
    (native delays lie in `[0, max_delay)`); per neuron: `state_bits`,
    `threshold_bits` and `decay`; per chip and system: `cores_per_chip`,
    `mesh_rows`, `mesh_cols`, `max_chips`, `max_input_channels` and
    `max_output_neurons` (0: no limit).

    ```mlir
    #snnhw.limits<neurons_per_core = 256, axons_per_core = 256, ...,
                  decay = mul12>
    ```
  }];
  let parameters = (ins
    "int64_t":$neurons_per_core,
    "int64_t":$axons_per_core,
    "int64_t":$synapses_per_core,
    "int64_t":$weight_bits,
    "int64_t":$weight_values_per_neuron,
    "int64_t":$max_delay,
    "int64_t":$state_bits,
    "int64_t":$threshold_bits,
    "int64_t":$cores_per_chip,
    "int64_t":$mesh_rows,
    "int64_t":$mesh_cols,
    "int64_t":$max_chips,
    "int64_t":$max_input_channels,
    "int64_t":$max_output_neurons,
    EnumParameter<SNNHW_TargetDecay>:$decay
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Calls `fn(name, value)` for each integer limit, in parameter order
    /// (the plan file records them by name).
    void forEachLimit(
        ::llvm::function_ref<void(::llvm::StringRef, int64_t)> fn) const;
  }];
}

class SNNHW_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNNHW_Dialect, mnemonic, traits>;

def SNNHW_SystemOp : SNNHW_Op<"system", [
    Symbol, SymbolTable, IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "A mapped network on the chips of one target";
  let description = [{
    Holds the `snnhw.population`, `snnhw.core` and `snnhw.route` ops of one
    mapped network. `target` names the target and `limits`
    (`#snnhw.limits<...>`) records its limits (HW-V1), so that the module
    verifies without the target file.

    `partitioner` records which partition the mapping kept (`metis`, or
    `sequential` when the sequential fill used fewer cores or less traffic).

    `dt`, `steps`, `state_bits` and `decay_mode` are those of the integer
    network (SNN-I*): every neuron's state is a `state_bits`-bit integer
    with saturation, and `decay_mode` (`#snn.int_decay<mul12>` or
    `<shift>`) says how `v_decay`/`i_decay` act.

    Example:

    ```mlir
    snnhw.system @net attributes {target = "generic", dt = 1.0e-03 : f64,
        steps = 10 : i64, state_bits = 24 : i64,
        decay_mode = #snn.int_decay<mul12>, limits = #snnhw.limits<...>} {
      snnhw.population @in {kind = #snnhw.kind<input>, size = 2 : i64,
          scale = 1.0 : f64}
      snnhw.population @out {kind = #snnhw.kind<lif>, size = 1 : i64,
          reset = #snn.reset<hard>,
          weight_scale = dense<0.5> : tensor<1xf32>, output}
      snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64, ...}
    }
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    StrAttr:$target,
    SNNHW_LimitsAttr:$limits,
    F64Attr:$dt,
    I64Attr:$steps,
    I64Attr:$state_bits,
    SNNHW_IntDecayModeAttr:$decay_mode,
    OptionalAttr<SNNHW_PartitionerAttr>:$partitioner,
    OptionalAttr<SNNHW_ArithmeticAttr>:$arithmetic
  );
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// Lava's fixed-point CUBA arithmetic (SNN-L).
    bool isLavaCuba() {
      return getArithmetic() == ::snnc::snn::Arithmetic::lava_cuba;
    }
    /// XyloSim's IAF arithmetic (SNN-X).
    bool isXyloIaf() {
      return getArithmetic() == ::snnc::snn::Arithmetic::xylo_iaf;
    }
  }];
}

def SNNHW_PopulationOp : SNNHW_Op<"population",
    [Symbol, HasParent<"SystemOp">]> {
  let summary = "A population of the network, by kind (SNN-I*)";
  let description = [{
    `kind` is `input` (channels fed from outside: `scale`, `encoding`
    `#snn.encoding<frames>` or `<spikes>`, SNN-I2), `lif` (spiking, with
    `reset` `#snn.reset<hard>` or `<subtract>`) or `li` (non-spiking
    readout). Neurons of
    lif and li populations live on cores; input channels do not (they arrive
    on axons). `weight_scale` (`tensor<size x f32>`) is the membrane unit
    of each neuron: an integer state `v` stands for `v · weight_scale`
    (SNN-I9). `relay` marks the relay neurons of a long delay (SNN-I10);
    `output` marks a network output. `source` is the `snn` symbol the
    population came from.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    SNNHW_PopulationKindAttr:$kind,
    I64Attr:$size,
    OptionalAttr<F64Attr>:$scale,
    OptionalAttr<SNNHW_InputEncodingAttr>:$encoding,
    OptionalAttr<SNNHW_ResetModeAttr>:$reset,
    OptionalAttr<ElementsAttr>:$weight_scale,
    UnitAttr:$relay,
    UnitAttr:$output
  );
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def SNNHW_CoreOp : SNNHW_Op<"core", [Symbol, HasParent<"SystemOp">]> {
  let summary = "One core: its neurons, axons and synapse table";
  let description = [{
    The core at mesh position (`x`, `y`) of chip `chip`. Its `N` neurons
    are `(neuron_pop[i], neuron_index[i])`: the population's position among
    the system's `snnhw.population` ops and the neuron's index in it. Each
    has the integer `threshold`, `bias`, `v_decay` and `i_decay` (−1: no
    synaptic current, SNN-I4/SNN-I5), all `tensor<N x i32>`, and optionally
    `bias_syn` (`tensor<N x i32>`), the synaptic bias added to the current
    (SNN-I7; absent: 0 for every neuron).

    Its `A` input axons are the distinct presynaptic sources
    `(axon_pop[j], axon_index[j])` whose spikes the core receives — input
    channels or spiking neurons on any core, this one included.

    The synapse table is in compressed rows over the local neurons: the
    synapses of neuron `i` are `syn_ptr[i] .. syn_ptr[i+1]−1`
    (`tensor<N+1 x i64>`), each with its axon `syn_axon` (`i32`), integer
    `syn_weight` and delay `syn_delay` (i8, i16 or i32). A spike of axon
    `a` at step `t` adds `syn_weight` to neuron `i`'s input at step
    `t + syn_delay` (SNN-F2 with integer weights, SNN-I3).
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    I64Attr:$chip,
    I64Attr:$x,
    I64Attr:$y,
    ElementsAttr:$neuron_pop,
    ElementsAttr:$neuron_index,
    ElementsAttr:$threshold,
    ElementsAttr:$bias,
    ElementsAttr:$v_decay,
    ElementsAttr:$i_decay,
    ElementsAttr:$axon_pop,
    ElementsAttr:$axon_index,
    ElementsAttr:$syn_ptr,
    ElementsAttr:$syn_axon,
    ElementsAttr:$syn_weight,
    ElementsAttr:$syn_delay,
    OptionalAttr<ElementsAttr>:$bias_syn
  );
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getNumNeurons() { return getNeuronPop().getNumElements(); }
    int64_t getNumAxons() { return getAxonPop().getNumElements(); }
    int64_t getNumSynapses() { return getSynAxon().getNumElements(); }

  private:
    // The verifier's phases, one per rule (docs/semantics.md).
    ::mlir::LogicalResult verifyNeuronArrays(LimitsAttr limits);
    ::mlir::LogicalResult verifyPosition(LimitsAttr limits);
    ::mlir::LogicalResult verifyAxonArrays(LimitsAttr limits);
    ::mlir::LogicalResult verifySynapseTable(
        LimitsAttr limits, ::llvm::SmallVectorImpl<int64_t> &ptr);
    ::mlir::LogicalResult verifyWeights(LimitsAttr limits,
                                        ::llvm::ArrayRef<int64_t> ptr);
    ::mlir::LogicalResult verifyDelays(LimitsAttr limits);
    ::mlir::LogicalResult verifyNeuronParameters(SystemOp system);
  public:
  }];
}

def SNNHW_RouteOp : SNNHW_Op<"route", [HasParent<"SystemOp">]> {
  let summary = "Spike traffic from one core to another";
  let description = [{
    Spikes of `axons` neurons of core `source` are delivered to core
    `dest`; `traffic` is the expected number of such spike packets per
    sample (from a profile, or the synapse-count estimate of the mapping)
    and `hops` the Manhattan distance between the two cores on the mesh
    (chips side by side along x).
  }];
  let arguments = (ins
    FlatSymbolRefAttr:$source,
    FlatSymbolRefAttr:$dest,
    I64Attr:$axons,
    F64Attr:$traffic,
    I64Attr:$hops
  );
  let assemblyFormat = "$source `->` $dest attr-dict";
  let hasVerifier = 1;
}

#endif // SNNHW_OPS_TD
