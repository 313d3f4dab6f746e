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

include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

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
}

class SNNHW_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNNHW_Dialect, mnemonic, traits>;

def SNNHW_SystemOp : SNNHW_Op<"system", [
    Symbol, SymbolTable, IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "A mapped network on the chips of one target";
  let description = [{
    Holds the `snnhw.population`, `snnhw.core` and `snnhw.route` ops of one
    mapped network. `target` names the target and `limits` records its
    limits (HW-V1), so that the module verifies without the target file:

    `neurons_per_core`, `axons_per_core`, `synapses_per_core`,
    `weight_bits`, `weight_values_per_neuron` (0: no limit), `max_delay`
    (native delays lie in `[0, max_delay)`), `state_bits`,
    `threshold_bits`, `cores_per_chip`, `mesh_rows`, `mesh_cols`,
    `max_chips`, `max_input_channels` and `max_output_neurons` (0: no
    limit), all `i64`, and `decay` (`"mul12"`, `"shift"` or `"none"`).

    `partitioner` records which partition the mapping kept (`metis`, or
    `sequential` when the sequential fill used fewer cores or less traffic).

    `dt`, `steps`, `state_bits` and `decay_mode` are those of the integer
    network (SNN-I*): every neuron's state is a `state_bits`-bit integer
    with saturation, and `decay_mode` (`mul12` or `shift`) says how
    `v_decay`/`i_decay` act.

    Example:

    ```mlir
    snnhw.system @net attributes {target = "generic", dt = 1.0e-03 : f64,
        steps = 10 : i64, state_bits = 24 : i64, decay_mode = "mul12",
        limits = {...}} {
      snnhw.population @in {kind = "input", size = 2 : i64, scale = 1.0 : f64}
      snnhw.population @out {kind = "lif", size = 1 : i64, reset = "hard",
          weight_scale = dense<0.5> : tensor<1xf32>, output}
      snnhw.core @core0 {chip = 0 : i64, x = 0 : i64, y = 0 : i64, ...}
    }
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    StrAttr:$target,
    DictionaryAttr:$limits,
    F64Attr:$dt,
    I64Attr:$steps,
    I64Attr:$state_bits,
    StrAttr:$decay_mode,
    OptionalAttr<StrAttr>:$partitioner
  );
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// A limit recorded in `limits` (HW-V1 guarantees it is there).
    int64_t getLimit(::llvm::StringRef name);
  }];
}

def SNNHW_PopulationOp : SNNHW_Op<"population",
    [Symbol, HasParent<"SystemOp">]> {
  let summary = "A population of the network, by kind (SNN-I*)";
  let description = [{
    `kind` is `"input"` (channels fed from outside: `scale`, `encoding`
    `"frames"` or `"spikes"`, SNN-I2), `"lif"` (spiking, with `reset`
    `"hard"` or `"subtract"`) or `"li"` (non-spiking readout). Neurons of
    lif and li populations live on cores; input channels do not (they arrive
    on axons). `weight_scale` (`tensor<size x f32>`) is the membrane unit
    of each neuron: an integer state `v` stands for `v · weight_scale`
    (SNN-I9). `relay` marks the relay neurons of a long delay (SNN-I10);
    `output` marks a network output. `source` is the `snn` symbol the
    population came from.
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    StrAttr:$kind,
    I64Attr:$size,
    OptionalAttr<F64Attr>:$scale,
    OptionalAttr<StrAttr>:$encoding,
    OptionalAttr<StrAttr>:$reset,
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
