//===- Passes.td - Lowering passes on the snn dialect -----*- tablegen -*-===//
//
// The passes that take a trained `snn` network to an integer network a chip
// can hold (docs/design.md §1): fold BatchNorm, discretise DCLS delays, prune,
// quantise, extend long delays with relay neurons. Each pass runs on one
// `snn.network`, cites the rules of docs/semantics.md it implements, and
// reports every input it cannot handle as a diagnostic naming the op, the
// neuron or synapse and the limit (docs/design.md §2).
//
//===----------------------------------------------------------------------===//

#ifndef SNNC_TRANSFORMS_PASSES_TD
#define SNNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"snn-fold-batchnorm", "::snnc::snn::NetworkOp"> {
  let summary = "Fold evaluation-mode BatchNorm into weights and bias";
  let description = [{
    In evaluation BatchNorm is the per-neuron affine map
    `Î_b = s_b·(I_b − μ_b) + β_b` with `s_b = γ_b / sqrt(v_b + ε)` and the
    running statistics `μ`, `v` (SNN-F5). Since `I_b` is the sum over *every*
    projection into the population (SNN-F2), the pass scales the weights of
    all incoming projections of neuron `b` by `s_b` and adds the offset
    `β_b − s_b·μ_b` to the population's bias, which SNN-F7/SNN-F9 add right
    after the input current. The result computes the same function in exact
    arithmetic; in float32 it differs only by the rounding of `s_b·W`.
    The `snn.batchnorm` op is removed.

    Why: no neuromorphic chip has a BatchNorm unit, and quantisation needs
    the final weights.

    A current-based (CuBa, SNN-F8) population filters its input, the
    BatchNorm offset included, through its synaptic decay: there the offset
    joins the synaptic bias `bias_syn` (added in front of the filter), not
    the bias, which is again exact.

    Preconditions: a float network (verifier-valid). A scale or offset that
    overflows float32 is a diagnostic.
  }];
  let options = [
    Option<"population", "population", "std::string", /*default=*/"\"\"",
           "Fold only the BatchNorm of this population (default: all)">,
  ];
  let statistics = [
    Statistic<"numFolded", "folded-batchnorms", "BatchNorm ops folded">,
    Statistic<"numScaledWeights", "scaled-synapses",
              "Synapse weights scaled by gamma/sqrt(var+eps)">,
  ];
}

def DiscretizeDelaysPass
    : Pass<"snn-discretize-delays", "::snnc::snn::NetworkOp"> {
  let summary = "Round DCLS positions to integer delays (SNN-F4)";
  let description = [{
    Replaces every projection's continuous DCLS `position` `p` with the
    integer `delay = clamp(round(h − p), 0, max_delay − 1)`,
    `h = (max_delay − 1)/2`, rounding half to even — exactly what evaluation
    and export compute (SNN-F4; the runtime's `roundedDelay`). `position` and
    `sigma` are removed; projections already holding integer delays are left
    alone.

    Why: every later pass and every chip works with integer delays.

    Preconditions: none beyond a verifier-valid network. With `max-sigma`
    set, a projection whose DCLS width `sigma` is larger is a diagnostic:
    its Gaussian kernel has not annealed, so rounding changes what the
    trained network computes.
  }];
  let options = [
    Option<"maxSigma", "max-sigma", "double", /*default=*/"-1.0",
           "Refuse projections whose sigma exceeds this (negative: no check)">,
  ];
  let statistics = [
    Statistic<"numProjections", "discretized-projections",
              "Projections converted from positions to delays">,
    Statistic<"numSynapses", "discretized-synapses", "Synapse delays rounded">,
  ];
}

def PrunePass : Pass<"snn-prune", "::snnc::snn::NetworkOp"> {
  let summary = "Remove the smallest-magnitude synapses";
  let description = [{
    Two criteria, applied in this order when both are set:

    * `density` (in (0, 1]): each projection keeps the `ceil(density · n)`
      of its `n` present synapses with the largest `|weight|` (layer-wise
      magnitude pruning; never all of them).
    * `max-fan-in` (> 0): each target neuron keeps at most that many
      synapses over *all* its incoming projections, again the largest
      `|weight|` — the per-neuron synapse limit of a core.

    Ties are broken towards the earlier synapse (row-major dense order, CSR
    order; projections in block order), so the result is deterministic.

    Projections into relay populations (`relay`, SNN-V22) are structure,
    not learned weights: they are neither pruned nor counted.

    Storage: a dense `snn.projection` stays dense and records removed
    synapses in its `mask` (added if absent; `M = 0` in SNN-F2), so its
    arrays keep their shape and the change is a one-attribute diff; turning
    storage into CSR is a layout decision left to mapping. A
    `snn.sparse_projection` loses the removed entries from `row_ptr`,
    `col_idx`, `weight` and `delay`/`position`.

    Why: chips bound synapse memory and fan-in per neuron
    (docs/reference.md §4).

    The statistics count what was removed over the whole network; with
    `remarks=true` every projection also reports its own counts (useful
    where MLIR is built without statistics, as Debian's release build is).

    Preconditions: none; float and integer networks are both accepted.
    Options outside their range are diagnostics.
  }];
  let options = [
    Option<"density", "density", "double", /*default=*/"1.0",
           "Fraction of each projection's synapses to keep, in (0, 1]">,
    Option<"maxFanIn", "max-fan-in", "int64_t", /*default=*/"0",
           "Most synapses per target neuron (0: no limit)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Report per projection what was kept and removed, as remarks">,
  ];
  let statistics = [
    Statistic<"numBefore", "synapses-before", "Synapses present before">,
    Statistic<"numRemovedDensity", "removed-by-density",
              "Synapses removed to reach the density">,
    Statistic<"numRemovedFanIn", "removed-by-fan-in",
              "Synapses removed to meet the fan-in limit">,
    Statistic<"numAfter", "synapses-after", "Synapses present after">,
  ];
}

def QuantizePass : Pass<"snn-quantize", "::snnc::snn::NetworkOp"> {
  let summary = "Turn a float network into an integer network (SNN-I*)";
  let description = [{
    Chooses for every lif/li population a membrane unit `u` — one per
    population (`per-neuron-scale=false`) or one per neuron — such that the
    largest incoming `|weight|` becomes `2^(b−1) − 1` for `b = weight-bits`
    (SNN-I9), then writes integer weights `round(W/u)`, thresholds
    `round(θ/u)`, biases `round(bias/u)` and the integer decays of SNN-I4
    (`decay=mul12`, 12-bit multiplicative as Loihi) or SNN-I5
    (`decay=shift`, `v − (v >> k)` as Xylo), all rounding half to even. The
    unit is recorded as every incoming projection's `weight_scale`; input
    populations get `scale · 2^input-frac-bits` so frame inputs keep that
    many fractional bits (SNN-I2); spike inputs keep their scale. The
    network gets `int_state_bits` and `int_decay` (SNN-V18).

    With `arithmetic=lava-cuba` the network follows Lava's fixed-point CUBA
    LIF instead (SNN-L rules, `int_arithmetic`, SNN-V25 to SNN-V29): one
    membrane unit per population, `u = max(max|W·q| / (2^(b−1) − 1),
    θ / (2^17 − 1), max|bias| / 4095)`, integer weights `round(W·q/u)` as
    8-bit mantissas with `weight_exp = 0`, the threshold mantissa
    `round(θ/u)` (Lava compares `v > vth · 2^6`, and a weight unit adds
    `2^6` to the current), the bias `round(bias/u) · 2^6` in state units
    (netx's `bias_exp = 6` with the chip's 13-bit mantissa), and 12-bit decays
    (`v_decay ≤ 4095`, `i_decay ≥ 1`). It needs `state-bits=24`,
    `decay=mul12`, `weight-bits ≤ 8` and `per-neuron-scale=false`, and
    refuses what Lava cannot express: per-neuron decays or thresholds, a
    synaptic bias, subtract reset. Relays become Lava's relay (threshold 0,
    input weight 1, SNN-V29).

    With `arithmetic=xylo-iaf` the network follows XyloSim's IAF (SNN-X
    rules, docs/semantics.md "snn-quantize under xylo-iaf"): `state-bits=16`,
    `decay=shift`, `weight-bits <= 8`, `per-neuron-scale=false`. Weights are
    int8 mantissas with `weight_exp` = the shift of their Xylo matrix
    (`weights_in`, `weights_rec`, `weights_out`: the smallest shift that
    keeps every mantissa in int8, at most 8), weights into a CuBa neuron
    divided by `1 − 2^−dash_syn` (Xylo decays the current before the
    membrane sees it); a lif's unit is refined by up
    to 2^8 while its largest one-step input stays within int16 and its
    largest threshold within 2^12; dashes are
    SNN-I5's `k` clamped to [1, 15] (a warning names a population whose dash
    is off its leak by more than 1.25x); a population without `tau_syn`
    gets dash_syn 1 (a warning); frame inputs become event counts
    (`input-frac-bits` does not apply). Refused: `bias_syn`, relay
    populations (Xylo's relays come from the exporter), input → li synapses.

    With `remarks=true` every projection reports its RMS weight error
    (relative to its largest `|w|`) and how many synapses rounded to 0 — the
    per-layer cost of deployment (docs/design.md §5).

    Why: chips store few-bit weights and integer state.

    Preconditions: a float network without `snn.batchnorm` (run
    `snn-fold-batchnorm`) and without DCLS positions (run
    `snn-discretize-delays`). Unrepresentable values are diagnostics, never
    silent clamps: a threshold or bias that overflows the state bits, a
    threshold that rounds to 0, a projection whose weights all round to 0,
    a population whose incoming weights are all zero.
  }];
  let options = [
    Option<"weightBits", "weight-bits", "int64_t", /*default=*/"8",
           "Signed weight bits, in [2, 16]">,
    Option<"stateBits", "state-bits", "int64_t", /*default=*/"24",
           "Signed bits of membrane, synaptic current and bias, in [3, 32]">,
    Option<"perNeuronScale", "per-neuron-scale", "bool", /*default=*/"true",
           "One membrane unit per neuron (true) or per population (false)">,
    Option<"decay", "decay", "::snnc::snn::IntDecayMode",
           /*default=*/"::snnc::snn::IntDecayMode::mul12",
           "Integer decay of SNN-I4/SNN-I5", [{::llvm::cl::values(
             clEnumValN(::snnc::snn::IntDecayMode::mul12, "mul12",
                        "v * (4096 - d) >> 12 (SNN-I4, Loihi-like)"),
             clEnumValN(::snnc::snn::IntDecayMode::shift, "shift",
                        "v - (v >> k) (SNN-I5, Xylo-like)"))}]>,
    Option<"inputFracBits", "input-frac-bits", "int64_t", /*default=*/"4",
           "Fractional bits kept of frame inputs (SNN-I2), in [0, 16]">,
    Option<"arithmetic", "arithmetic", "::snnc::snn::Arithmetic",
           /*default=*/"::snnc::snn::Arithmetic::snnc",
           "Whose integer rules the network follows", [{::llvm::cl::values(
             clEnumValN(::snnc::snn::Arithmetic::snnc, "snnc",
                        "snnc's rules (SNN-I*)"),
             clEnumValN(::snnc::snn::Arithmetic::lava_cuba, "lava-cuba",
                        "Lava's fixed-point CUBA LIF (SNN-L)"),
             clEnumValN(::snnc::snn::Arithmetic::xylo_iaf, "xylo-iaf",
                        "XyloSim's integer IAF (SNN-X)"))}]>,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Report each projection's quantisation error, as remarks">,
  ];
  let statistics = [
    Statistic<"numWeights", "quantized-weights", "Weights quantised">,
    Statistic<"numZeroWeights", "zero-weights",
              "Non-zero float weights that became 0">,
    Statistic<"numPopulations", "quantized-populations",
              "Populations given integer parameters">,
  ];
}

def DelayExtensionPass
    : Pass<"snn-delay-extension", "::snnc::snn::NetworkOp"> {
  let summary = "Realise delays beyond a maximum with relay neurons";
  let description = [{
    A synapse `a → b` with delay `D ≥ max-delay` (`L`) is rerouted through
    `k = floor(D / L)` relay neurons: relay stage `j` of source `a` receives
    stage `j − 1` (or `a`) with delay `L − 1` and fires exactly `L` steps
    after it, and the synapse leaves the last stage with the remaining delay
    `D − k·L < L`. Relays are per projection and per source neuron (a source
    gets as many stages as its longest delay needs) and form the populations
    `@<projection>_relay<j>`, marked `relay` (SNN-V22); the synapses of stage `j` form the CSR
    projection `@<projection>_d<j>`, which keeps weight, sign and integer
    scale of the original. Every projection touched ends with
    `max_delay = L`.

    A relay is a LIF neuron with full decay (`β = 0`), threshold `θ = 1`,
    subtract reset and input weight `2θ = 2` (rule SNN-I10). Then
    `V[t+1] = 2·x[t] − S[t]`, so `S[t+1] = x[t]` for every spike train,
    bursts on consecutive steps included; a hard-reset relay would drop the
    second spike of a burst (SNN-F7 discards the spiking step's input). In
    an integer network the relay has `v_threshold = 1`, weight 2 and the
    decay that zeroes the state (`v_decay = 4096` for mul12, `0` for shift).

    Why: chips realise only short delays natively (docs/reference.md §4); the
    SpiNNaker delay extension does the same with delay populations.

    Run it after `snn-quantize`: its integer relays are exact by
    construction, whereas quantising float relays would rescale their
    weight and threshold.

    Preconditions: integer delays (run `snn-discretize-delays`). With
    `relays=false` any delay `≥ max-delay` is a diagnostic naming the
    projection, the synapse and the limit. Relays carry binary spikes, so a
    long delay on a projection from an input population (graded values,
    SNN-F1) is a diagnostic too, and so is a relay link of an earlier run
    that a smaller `max-delay` would have to split. In an integer network
    the relay weight 2 needs `weight_bits ≥ 3`.
  }];
  let options = [
    Option<"maxDelay", "max-delay", "int64_t", /*default=*/"16",
           "Delays must be < this (the chip's delay slots), >= 1">,
    Option<"relays", "relays", "bool", /*default=*/"true",
           "Insert relay neurons (false: long delays are errors)">,
  ];
  let statistics = [
    Statistic<"numExtended", "extended-synapses",
              "Synapses rerouted through relays">,
    Statistic<"numRelays", "relay-neurons", "Relay neurons added">,
    Statistic<"numRelayProjections", "relay-projections",
              "Projections added (relay links and delayed stages)">,
  ];
}

#endif // SNNC_TRANSFORMS_PASSES_TD
