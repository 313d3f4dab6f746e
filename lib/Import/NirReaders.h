//===- NirReaders.h - NIR neurons as each framework's reader reads them ---===//
//
// `snnc export --nir-reader FW` writes every neuron so that FW's own NIR
// reader rebuilds the model's discrete neuron: each reader assumes its own
// step, reads τ, r and w_in its own way, and builds one reset. This is the
// writer's side of docs/nir.md, "--nir-reader"; the importer's conventions
// (NirDiscretize.h) describe the frameworks' exporters, which do not always
// invert their readers (Norse's writes dt·τ but reads τ).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"
#include "snnrt/model/Model.h"
#include "snnrt/nir/NirDelays.h"
#include "snnrt/nir/NirDiscretize.h"
#include "snnrt/nir/NirGraph.h"

#include <optional>
#include <string>
#include <vector>

namespace snnc {

struct NirReaderNeuron {
  snnrt::NirNode node;
  /// Multiplies row b of every weight matrix into the population, and its
  /// Affine bias: the reader applies a gain it has no field for (Norse's
  /// LIF scales its input by dt/τ and ignores r; Rockpool's synapse by
  /// β_syn), so the weights carry its inverse.
  std::vector<double> rowScale;
};

/// One population (LIF or LI, with or without a CuBa synapse) written for
/// `reader` (not Generic). Fails, naming the population and the reader, when
/// the reader cannot build it exactly: its reset or order, a kind it does
/// not read, per-neuron values it refuses.
snnrt::Expected<NirReaderNeuron>
nirNeuronForReader(const snnrt::Model &model, const snnrt::Population &pop,
                   snnrt::NirConvention reader);

/// The graph-level limits of `reader`: Spyx's reader follows a single chain
/// from the input (the first edge out of each node), so every population
/// must have at most one incoming and one outgoing projection. The others
/// test the membrane after this step's input, one step ahead of snnc per
/// spiking layer (docs/nir.md, "Timing"), so a population whose inputs
/// arrive after different numbers of spiking layers (a skip connection)
/// cannot line up with snnc's run, and they all run the graph with
/// nirtorch's GraphExecutor, which delivers the second of two converging
/// branches a step late: a population with more than one incoming
/// projection is refused for them.
snnrt::Status nirCheckGraphForReader(const snnrt::Model &model,
                                     snnrt::NirConvention reader);

/// How `reader` runs the delay-expanded form of a projection
/// (snnrt::nirAddRelayedProjection): the relay neuron it builds from NIR and
/// how many steps the relay layer adds to every path through it.
struct NirReaderRelay {
  snnrt::NirRelayNeuron neuron;
  /// Steps from a spike entering the relays to its delay-0 copy leaving
  /// them: 0 where the reader's neurons fire in the step their input
  /// arrives (the nirtorch readers), 1 for Spyx, whose neurons spike from
  /// the state before the input. Every population behind the relays lags
  /// snnc's by this many more steps per relay layer on its path.
  int lag = 0;
  /// Non-empty: the form is exact only under this condition on how the
  /// loaded network is run, so it is written only on an explicit
  /// `--delays expand` (the default refuses, quoting it).
  std::string condition;
  /// A relay that copies any value, for projections leaving an input
  /// population (whose frames need not be 0/1 spikes), where the reader
  /// has one: Sinabs's leak-free LI. Unset: those need 0/1 input frames.
  std::optional<snnrt::NirRelayNeuron> analog;
};

/// The relay that `reader` (model step `dt`) runs exactly, with the numbers
/// checked by running each framework (docs/nir.md, "Delays for
/// consumers"); an error saying why, and what that reader can run instead,
/// where none exists.
snnrt::Expected<NirReaderRelay> nirRelayForReader(snnrt::NirConvention reader,
                                                  double dt);

/// Where `reader`'s relays add a step (Spyx), every population at or behind
/// the target of a delayed projection runs one step later than snnc's; a
/// bias there arrives from the first step all the same, so the loaded
/// network would not be snnc's shifted in time: refused, naming both.
snnrt::Status nirCheckRelayLag(const snnrt::Model &model,
                               snnrt::NirConvention reader);

} // namespace snnc
