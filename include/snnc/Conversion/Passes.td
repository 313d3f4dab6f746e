//===- Passes.td - Conversion snn -> snnhw -----------------*- tablegen -*-===//
//
// Mapping an integer `snn` network onto the cores of a hardware target
// (docs/design.md §4). docs/mapping.md explains the objective and the graph the
// partitioner works on.
//
//===----------------------------------------------------------------------===//

#ifndef SNNC_CONVERSION_PASSES_TD
#define SNNC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def MapToCoresPass : Pass<"snn-map-to-cores", "::mlir::ModuleOp"> {
  let summary = "Map an integer snn network onto the cores of a target";
  let description = [{
    Replaces every `snn.network` by an `snnhw.system` of the same name for
    the target `target` (a preset name or a JSON file, docs/targets.md):

    1. *Check* everything a core must hold, before any partitioning, so
       that a network that cannot fit is a diagnostic naming the population
       or projection, the neuron and the limit — never a crash or a wrong
       mapping: the network must be integer (SNN-I*, run `snn-lower`) with
       the target's decay mode, state bits no wider than the target's,
       weights within its weight bits, delays below its maximum (longer
       ones need `snn-delay-extension` relays, allowed only when the
       target realises delays by relays), every neuron's distinct sources
       within a core's axons and its synapses within a core's synapse
       memory, thresholds within its threshold bits, input channels and
       output neurons within the chip's.
    2. *Partition* the lif/li neurons onto cores so each core's neurons,
       axons (distinct presynaptic sources) and synapses fit:
       `strategy=metis` partitions the synapse graph with METIS k-way with
       two balance constraints (neurons, synapses), raising k from the lower
       bound until every part fits, which minimises cores first and then
       the spikes crossing cores (edges weighted by the source's spike rate
       from `profile`, else 1 per synapse). A graph cut counts synapses,
       not the multicast packets a chip sends, so the sequential fill is
       computed too and kept when it uses fewer cores, or as many with less
       traffic (`partitioner` on the system says which won).
       `strategy=sequential` fills cores in neuron order (the baseline).
    3. *Place* cores on the chip meshes (chips side by side): greedily by
       traffic for `metis`, row-major for `sequential`.
    4. *Emit* `snnhw.population`, `snnhw.core` (neurons with integer
       parameters, axons, synapse table as `dense_resource` blobs) and
       `snnhw.route` ops; the system records the target's limits, which its
       verifier checks (HW-V*).

    `profile` is a JSON file `{"rates": {"<population>": [spikes per sample
    of each neuron], ...}}`; populations it leaves out count 1 per neuron.
    `max-chips` (> 0) lowers the target's chip limit.

    Preconditions: an integer network (`int_state_bits`), verifier-valid.
  }];
  let dependentDialects = ["::snnc::snnhw::SNNHWDialect"];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"generic\"",
           "Target preset name or JSON file">,
    Option<"strategy", "strategy", "::snnc::snnhw::Partitioner",
           /*default=*/"::snnc::snnhw::Partitioner::metis",
           "Partitioning of neurons onto cores", [{::llvm::cl::values(
             clEnumValN(::snnc::snnhw::Partitioner::metis, "metis",
                        "METIS k-way, or the sequential fill when better"),
             clEnumValN(::snnc::snnhw::Partitioner::sequential, "sequential",
                        "fill cores in neuron order"))}]>,
    Option<"profile", "profile", "std::string", /*default=*/"\"\"",
           "JSON file of spike rates per neuron (weights the traffic)">,
    Option<"maxChips", "max-chips", "int64_t", /*default=*/"0",
           "Most chips to use (0: the target's max_chips)">,
  ];
  let statistics = [
    Statistic<"numCores", "cores", "Cores used">,
    Statistic<"numChips", "chips", "Chips used">,
    Statistic<"numNeurons", "neurons", "Neurons placed">,
    Statistic<"numSynapses", "synapses", "Synapses in the core tables">,
    Statistic<"numAxons", "axons", "Input axons over all cores">,
    Statistic<"numRelays", "relay-neurons", "Relay neurons placed">,
    Statistic<"numRoutes", "routes", "Core-to-core routes">,
  ];
}

#endif // SNNC_CONVERSION_PASSES_TD
