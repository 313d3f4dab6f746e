//===- SNNOps.td - The snn dialect ------------------------*- tablegen -*-===//
//
// A trained spiking network as a graph of populations and delayed
// projections. Graph edges are symbol references inside one `snn.network`,
// because a projection is a parameter set (weights, delays) between two
// populations rather than a value flowing through time. Semantics:
// docs/semantics.md (rules SNN-F*; verifier rules SNN-V*).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_OPS_TD
#define SNN_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "snn/SNNInterfaces.td"

def SNN_Dialect : Dialect {
  let name = "snn";
  let cppNamespace = "::snnc::snn";
  let summary = "Spiking neural networks with learned delays and sparse connectivity";
  let description = [{
    The `snn` dialect holds a whole trained network at the level it was
    trained: input populations, leaky integrate-and-fire (LIF) populations,
    leaky-integrator (LI) readouts, BatchNorm statistics and projections that
    carry weights together with per-synapse integer delays or DCLS positions,
    in dense or CSR-sparse form. Large arrays are meant to be stored as
    `dense_resource` blobs so that a network of millions of synapses prints
    and parses quickly.

    The float semantics of every op are the numbered rules `SNN-F*` of
    docs/semantics.md; the verifier enforces the rules `SNN-V*` and names the
    rule in each diagnostic.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class SNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNN_Dialect, mnemonic, traits>;

/// A signless i64 attribute read as a signed value (I64Attr reads it
/// zero-extended), for exponents that may be negative.
def SNN_SignedI64Attr : TypedSignlessIntegerAttrBase<
    I64, "int64_t", "64-bit signless integer attribute read as signed"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def SNN_ResetHard : I32EnumAttrCase<"hard", 0>;
def SNN_ResetSubtract : I32EnumAttrCase<"subtract", 1>;
def SNN_ResetMode : I32EnumAttr<"ResetMode",
    "membrane reset after a spike (SNN-F7)",
    [SNN_ResetHard, SNN_ResetSubtract]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_ResetModeAttr : EnumAttr<SNN_Dialect, SNN_ResetMode, "reset"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNN_ConventionPaper : I32EnumAttrCase<"paper", 0>;
def SNN_ConventionLava : I32EnumAttrCase<"lava", 1>;
def SNN_ConventionResetFirst : I32EnumAttrCase<"reset_first", 2>;
def SNN_NeuronConvention : I32EnumAttr<"NeuronConvention",
    "float LIF neuron convention: threshold comparison and reset order "
    "(SNN-F13)",
    [SNN_ConventionPaper, SNN_ConventionLava, SNN_ConventionResetFirst]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_NeuronConventionAttr : EnumAttr<SNN_Dialect, SNN_NeuronConvention,
    "convention"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNN_EncodingFrames : I32EnumAttrCase<"frames", 0>;
def SNN_EncodingSpikes : I32EnumAttrCase<"spikes", 1>;
def SNN_InputEncoding : I32EnumAttr<"InputEncoding",
    "what an input population receives (SNN-F1)",
    [SNN_EncodingFrames, SNN_EncodingSpikes]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_InputEncodingAttr : EnumAttr<SNN_Dialect, SNN_InputEncoding, "encoding"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNN_DecayLinear : I32EnumAttrCase<"linear", 0>;
def SNN_DecayExp : I32EnumAttrCase<"exp", 1>;
def SNN_DecayMode : I32EnumAttr<"DecayMode",
    "how a time constant becomes a decay factor (SNN-F6)",
    [SNN_DecayLinear, SNN_DecayExp]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_DecayModeAttr : EnumAttr<SNN_Dialect, SNN_DecayMode, "decay"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNN_IntDecayMul12 : I32EnumAttrCase<"mul12", 0>;
def SNN_IntDecayShift : I32EnumAttrCase<"shift", 1>;
def SNN_IntDecayMode : I32EnumAttr<"IntDecayMode",
    "integer decay of an integer network (SNN-I4, SNN-I5)",
    [SNN_IntDecayMul12, SNN_IntDecayShift]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_IntDecayModeAttr : EnumAttr<SNN_Dialect, SNN_IntDecayMode, "int_decay"> {
  let assemblyFormat = "`<` $value `>`";
}

def SNN_ArithmeticSnnc : I32EnumAttrCase<"snnc", 0>;
def SNN_ArithmeticLavaCuba : I32EnumAttrCase<"lava_cuba", 1>;
def SNN_ArithmeticXyloIaf : I32EnumAttrCase<"xylo_iaf", 2>;
def SNN_Arithmetic : I32EnumAttr<"Arithmetic",
    "whose integer rules an integer network follows: snnc's (SNN-I*), "
    "Lava's fixed-point CUBA LIF (SNN-L) or XyloSim's IAF (SNN-X)",
    [SNN_ArithmeticSnnc, SNN_ArithmeticLavaCuba, SNN_ArithmeticXyloIaf]> {
  let cppNamespace = "::snnc::snn";
  let genSpecializedAttr = 0;
}
def SNN_ArithmeticAttr : EnumAttr<SNN_Dialect, SNN_Arithmetic, "arithmetic"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Network
//===----------------------------------------------------------------------===//

def SNN_NetworkOp : SNN_Op<"network", [
    Symbol, SymbolTable, IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "A whole network: populations, projections and outputs";
  let description = [{
    Runs `steps` steps of `dt` seconds each (SNN-F*). Its body holds
    `snn.input`, `snn.lif`, `snn.li`, `snn.batchnorm`, `snn.projection`,
    `snn.sparse_projection` and `snn.output` ops in any order; projections
    name their populations by symbol. The projections must form a DAG from
    the inputs to the outputs (SNN-V2).

    With `int_state_bits` (and `int_decay`) the network is an *integer
    network*, as `snn-quantize` produces it: every state is an integer of
    `int_state_bits` bits with saturation, weights are integers with a
    recorded `weight_scale`, and neurons carry integer thresholds, biases and
    decays (rules SNN-I*, verifier rules SNN-V18 to SNN-V21). An integer
    network holds no BatchNorm and no DCLS positions. The float attributes
    (`tau_mem`, `threshold`) stay as the provenance of the integer ones.

    `int_arithmetic` says whose integer rules the network follows: absent
    (or `#snn.arithmetic<snnc>`), snnc's own (SNN-I*);
    `#snn.arithmetic<lava_cuba>`, Lava's fixed-point CUBA LIF (SNN-L rules,
    verifier rules SNN-V25 to SNN-V29): per-population thresholds and
    decays, 8-bit weight mantissas with a `weight_exp` per projection and
    biases of a 13-bit mantissa and a 3-bit exponent;
    `#snn.arithmetic<xylo_iaf>`, XyloSim's IAF (SNN-X rules, verifier rule
    SNN-V30): 16-bit states and bitshift decays.

    Example:

    ```mlir
    snn.network @tiny attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
      snn.input @in {size = 2 : i64}
      snn.lif @out {size = 1 : i64, tau_mem = 2.0e-02 : f64, threshold = 1.0 : f64}
      snn.projection @w @in -> @out {max_delay = 4 : i64,
          weight = dense<[[0.5, 0.25]]> : tensor<1x2xf32>,
          delay = dense<[[0, 3]]> : tensor<1x2xi32>}
      snn.output @out
    }
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    F64Attr:$dt,
    I64Attr:$steps,
    DefaultValuedAttr<SNN_DecayModeAttr, "::snnc::snn::DecayMode::linear">:$decay,
    OptionalAttr<I64Attr>:$int_state_bits,
    OptionalAttr<SNN_IntDecayModeAttr>:$int_decay,
    OptionalAttr<SNN_ArithmeticAttr>:$int_arithmetic
  );
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "double":$dt, "int64_t":$steps)>
  ];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// An integer network (SNN-I1): `int_state_bits` is set.
    bool isInteger() { return getIntStateBits().has_value(); }
    /// The integer rules the network follows (absent: snnc's).
    ::snnc::snn::Arithmetic getArithmetic() {
      return getIntArithmetic().value_or(::snnc::snn::Arithmetic::snnc);
    }
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

//===----------------------------------------------------------------------===//
// Populations
//===----------------------------------------------------------------------===//

def SNN_InputOp : SNN_Op<"input", [Symbol, HasParent<"NetworkOp">,
    SNN_PopulationOpInterface]> {
  let summary = "Input population of `size` channels (SNN-F1)";
  let description = [{
    Emits `scale · in[t, c]`: frame values or binned spike counts of the
    sample, channel by channel.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    I64Attr:$size,
    DefaultValuedAttr<SNN_InputEncodingAttr, "::snnc::snn::InputEncoding::frames">:$encoding,
    DefaultValuedAttr<F64Attr, "1.0">:$scale
  );
  let assemblyFormat = "$sym_name attr-dict";
  let extraClassDeclaration = [{
    bool emitsSpikes() { return true; }
  }];
  let hasVerifier = 1;
}

def SNN_LIFOp : SNN_Op<"lif", [Symbol, HasParent<"NetworkOp">,
    SNN_PopulationOpInterface,
    SNN_NeuronPopulationOpInterface]> {
  let summary = "Leaky integrate-and-fire population (SNN-F7, SNN-F8)";
  let description = [{
    `size` LIF neurons with membrane time constant `tau_mem` (seconds),
    threshold `threshold`, reset mode `reset` and an optional per-neuron
    `bias` (`tensor<size x f32>`). With `tau_syn` the population has a
    current-based synapse (CuBa, SNN-F8). `dropout` is the training-time rate
    (SNN-F12); it does not affect inference.

    Neurons may differ in their time constants and threshold:
    `tau_mem_per_neuron`, `tau_syn_per_neuron` and `threshold_per_neuron`
    (`tensor<size x f64>`, dense or dense_resource) then hold every neuron's
    value and the scalar attribute holds neuron 0's (SNN-V23).

    `bias_syn` (`tensor<size x f32>`, only with `tau_syn`) is the synaptic
    bias added to the current in front of the CuBa filter (SNN-F8, SNN-V24;
    an NIR Affine bias into a CubaLIF); in an integer network it is
    `tensor<size x i32>` in the current's units (SNN-I5).

    In an integer network (SNN-I6) the neuron runs on `v_threshold`
    (`tensor<size x i32>`), the integer `bias` (`tensor<size x i32>`), the
    membrane decay `v_decay` and, with `tau_syn`, the synaptic decay
    `i_decay` (SNN-I4/SNN-I5 give their meaning per `int_decay` mode);
    `v_decay_per_neuron` and `i_decay_per_neuron` (`tensor<size x i32>`)
    give per-neuron decays, again with neuron 0's in the scalar.

    `convention` is the float neuron convention the population was trained
    with (SNN-F13): `#snn.convention<paper>` (the default, SNN-F7) or
    `#snn.convention<lava>` (Lava's LIF in float: spike on `V > θ`, the
    reset zeroes only the old voltage and keeps the step's input; needs
    `reset = hard`, SNN-V31). In an integer network the arithmetic decides
    the neuron (SNN-I6 or SNN-L*); the attribute stays as the record of how
    the float model was trained, which `snn-quantize` compares with the
    arithmetic.

    `relay` marks a population of relay neurons that `snn-delay-extension`
    built to realise long delays (SNN-I10): each neuron repeats its single
    input spike train exactly one step later. The verifier keeps that shape
    (SNN-V22), so later passes and the mapper can rely on it.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    I64Attr:$size,
    F64Attr:$tau_mem,
    OptionalAttr<F64Attr>:$tau_syn,
    DefaultValuedAttr<F64Attr, "1.0">:$threshold,
    DefaultValuedAttr<SNN_ResetModeAttr, "::snnc::snn::ResetMode::hard">:$reset,
    OptionalAttr<ElementsAttr>:$bias,
    OptionalAttr<F64Attr>:$dropout,
    OptionalAttr<ElementsAttr>:$v_threshold,
    OptionalAttr<I64Attr>:$v_decay,
    OptionalAttr<I64Attr>:$i_decay,
    UnitAttr:$relay,
    OptionalAttr<ElementsAttr>:$tau_mem_per_neuron,
    OptionalAttr<ElementsAttr>:$tau_syn_per_neuron,
    OptionalAttr<ElementsAttr>:$threshold_per_neuron,
    OptionalAttr<ElementsAttr>:$v_decay_per_neuron,
    OptionalAttr<ElementsAttr>:$i_decay_per_neuron,
    OptionalAttr<ElementsAttr>:$bias_syn,
    DefaultValuedAttr<SNN_NeuronConventionAttr,
        "::snnc::snn::NeuronConvention::paper">:$convention
  );
  let assemblyFormat = "$sym_name attr-dict";
  let extraClassDeclaration = [{
    bool emitsSpikes() { return true; }
  }];
  let hasVerifier = 1;
}

def SNN_LIOp : SNN_Op<"li", [Symbol, HasParent<"NetworkOp">,
    SNN_PopulationOpInterface,
    SNN_NeuronPopulationOpInterface]> {
  let summary = "Leaky-integrator readout population (SNN-F9)";
  let description = [{
    `size` non-spiking leaky integrators with time constant `tau_mem`
    (seconds) and an optional per-neuron `bias`. With `tau_syn` the input
    passes a current-based synapse first (SNN-F8; NIR's CubaLI). Readouts
    feed the loss and the prediction (SNN-F10). `tau_mem_per_neuron` and
    `tau_syn_per_neuron` give per-neuron time constants as for `snn.lif`
    (SNN-V23). `bias_syn` is the synaptic bias in front of the filter as for
    `snn.lif` (SNN-F8, SNN-V24).

    In an integer network (SNN-I8) the integrator uses the integer `bias`
    (`tensor<size x i32>`), the decay `v_decay` and, with `tau_syn`,
    `i_decay` (SNN-I7), optionally per neuron (`v_decay_per_neuron`,
    `i_decay_per_neuron`); its real-valued output is `U · weight_scale` of
    its incoming projections.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    I64Attr:$size,
    F64Attr:$tau_mem,
    OptionalAttr<ElementsAttr>:$bias,
    OptionalAttr<I64Attr>:$v_decay,
    OptionalAttr<F64Attr>:$tau_syn,
    OptionalAttr<I64Attr>:$i_decay,
    OptionalAttr<ElementsAttr>:$tau_mem_per_neuron,
    OptionalAttr<ElementsAttr>:$tau_syn_per_neuron,
    OptionalAttr<ElementsAttr>:$v_decay_per_neuron,
    OptionalAttr<ElementsAttr>:$i_decay_per_neuron,
    OptionalAttr<ElementsAttr>:$bias_syn
  );
  let assemblyFormat = "$sym_name attr-dict";
  let extraClassDeclaration = [{
    bool emitsSpikes() { return false; }
  }];
  let hasVerifier = 1;
}

def SNN_BatchNormOp : SNN_Op<"batchnorm", [Symbol, HasParent<"NetworkOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "BatchNorm of a population's input current (SNN-F5)";
  let description = [{
    Normalises the summed input current of `target` with running statistics
    `mean`, `var` and affine parameters `gamma`, `beta`, all
    `tensor<size x f32>`. `snn-fold-batchnorm` folds it into the incoming
    weights and the population's bias.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    FlatSymbolRefAttr:$target,
    ElementsAttr:$gamma,
    ElementsAttr:$beta,
    ElementsAttr:$mean,
    ElementsAttr:$var,
    DefaultValuedAttr<F64Attr, "1.0e-5">:$eps,
    DefaultValuedAttr<F64Attr, "0.1">:$momentum
  );
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def SNN_OutputOp : SNN_Op<"output", [HasParent<"NetworkOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Marks a population as a network output (SNN-F10)";
  let arguments = (ins FlatSymbolRefAttr:$population);
  let assemblyFormat = "$population attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Projections
//===----------------------------------------------------------------------===//

def SNN_ProjectionOp : SNN_Op<"projection", [Symbol, HasParent<"NetworkOp">,
    SNN_ProjectionOpInterface,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Dense delayed projection between two populations (SNN-F2)";
  let description = [{
    `weight` is `tensor<target x source x f32>`. Delays are given either as
    integer `delay` (`tensor<target x source x i32>`, each in
    `[0, max_delay)`) or, for a network trained with DCLS, as continuous
    `position` (same shape, f32, in `[-h, h]` with `h = (max_delay-1)/2`)
    together with the width `sigma` (SNN-F3, SNN-F4). An optional `mask`
    (`tensor<target x source x i1>`) removes synapses; an optional `sign`
    (`tensor<source x i8>`, each ±1) fixes the sign of every source (Dale's
    law).

    In an integer network `weight` holds `weight_bits`-bit signed integers
    (element type i8, i16 or i32) and `weight_scale` (`tensor<1 x f32>` per
    layer or `tensor<target x f32>` per neuron) is the membrane unit of the
    target: an integer weight `w` stands for the float weight
    `w · weight_scale` (SNN-I9, SNN-V19). Under Lava's arithmetic `weight`
    holds 8-bit mantissas and `weight_exp` the projection's exponent
    (Lava Dense's `weight_exp`): the synapses' sum is shifted by it, and a
    mantissa `w` stands for `w · 2^weight_exp · weight_scale` (SNN-V26).

    The source and target populations come before the attributes:

    ```mlir
    snn.projection @w @in -> @out {max_delay = 4 : i64,
        weight = dense<[[0.5, 0.25]]> : tensor<1x2xf32>,
        delay = dense<[[0, 3]]> : tensor<1x2xi32>}
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    FlatSymbolRefAttr:$source,
    FlatSymbolRefAttr:$target,
    I64Attr:$max_delay,
    ElementsAttr:$weight,
    OptionalAttr<ElementsAttr>:$delay,
    OptionalAttr<ElementsAttr>:$position,
    OptionalAttr<F64Attr>:$sigma,
    OptionalAttr<ElementsAttr>:$mask,
    OptionalAttr<ElementsAttr>:$sign,
    OptionalAttr<I64Attr>:$weight_bits,
    OptionalAttr<ElementsAttr>:$weight_scale,
    OptionalAttr<SNN_SignedI64Attr>:$weight_exp
  );
  let assemblyFormat = "$sym_name $source `->` $target attr-dict";
  let extraClassDeclaration = [{
    bool isSparse() { return false; }
  }];
  let hasVerifier = 1;
}

def SNN_SparseProjectionOp : SNN_Op<"sparse_projection",
    [Symbol, HasParent<"NetworkOp">, SNN_ProjectionOpInterface,
     DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "CSR-sparse delayed projection between two populations (SNN-F2)";
  let description = [{
    Synapses in compressed sparse rows over targets: the synapses of target
    `b` are `row_ptr[b] .. row_ptr[b+1]-1`, with sources `col_idx[k]` in
    strictly increasing order. `row_ptr` is `tensor<target+1 x i64>`,
    `col_idx` `tensor<nnz x i32>`, `weight` `tensor<nnz x f32>`, `delay`
    `tensor<nnz x i32>` or `position` `tensor<nnz x f32>` with `sigma`, and
    the optional `sign` `tensor<source x i8>`. In an integer network
    `weight` is integer with `weight_bits` and `weight_scale` (and, under
    Lava's arithmetic, `weight_exp`), as for `snn.projection`, whose syntax
    it shares:

    ```mlir
    snn.sparse_projection @s @in -> @out {max_delay = 4 : i64,
        row_ptr = dense<[0, 2]> : tensor<2xi64>,
        col_idx = dense<[0, 1]> : tensor<2xi32>,
        weight = dense<[0.5, 0.25]> : tensor<2xf32>,
        delay = dense<[0, 3]> : tensor<2xi32>}
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    FlatSymbolRefAttr:$source,
    FlatSymbolRefAttr:$target,
    I64Attr:$max_delay,
    ElementsAttr:$row_ptr,
    ElementsAttr:$col_idx,
    ElementsAttr:$weight,
    OptionalAttr<ElementsAttr>:$delay,
    OptionalAttr<ElementsAttr>:$position,
    OptionalAttr<F64Attr>:$sigma,
    OptionalAttr<ElementsAttr>:$sign,
    OptionalAttr<I64Attr>:$weight_bits,
    OptionalAttr<ElementsAttr>:$weight_scale,
    OptionalAttr<SNN_SignedI64Attr>:$weight_exp
  );
  let assemblyFormat = "$sym_name $source `->` $target attr-dict";
  let extraClassDeclaration = [{
    bool isSparse() { return true; }
  }];
  let hasVerifier = 1;
}

#endif // SNN_OPS_TD
