//===- Presets.cpp - Built-in targets from published chip limits ----------===//
//
// Each preset is JSON text in the schema of docs/targets.md, parsed by the
// same validator as a user's file. The numbers and their sources are
// explained in docs/targets/<name>.md; where a figure is not published the
// page says what was assumed.
//
//===----------------------------------------------------------------------===//

#include "snnc/Target/Target.h"

using namespace snnc;

namespace {

struct Preset {
  const char *name;
  const char *json;
};

// Loihi 1 (Davies et al., IEEE Micro 2018): 1024 compartments, 4096 input
// axons, 128 KiB synapse memory per core; 128 cores per chip; 12-bit decays.
// A synapse entry is counted as 16 bits (8-bit weight, 6-bit delay and its
// share of the axon/index header); docs/targets/loihi.md explains. Both
// Loihi presets compute with Lava's bit-accurate CUBA model (lava-cuba),
// the reference a deployment through Lava is checked against.
const char *kLoihi = R"json({
  "name": "loihi",
  "description": "Intel Loihi 1: 128 cores x 1024 neurons, 4096 axons, 128 KiB synapses",
  "sources": ["Davies et al., Loihi, IEEE Micro 38(1), 2018", "docs/reference.md §4"],
  "core": {"neurons": 1024, "axons": 4096,
           "synapse_memory": {"bits": 1048576, "bits_per_synapse": 16},
           "weight_bits": 8},
  "delay": {"max": 63, "realisation": "relay"},
  "neuron": {"decay": "mul12", "state_bits": 24, "threshold_bits": 24,
             "arithmetic": "lava-cuba"},
  "chip": {"cores": 128, "mesh": [8, 16], "max_chips": 32},
  "energy_pj": {"synaptic_op": 23.6, "spike_hop": 1.7, "neuron_update": 52}
})json";

const char *kLoihi2 = R"json({
  "name": "loihi2",
  "description": "Intel Loihi 2: 128 cores x 8192 neurons, 128 KB synapses, delays <= 62",
  "sources": ["Intel, Loihi 2 brief, 2021", "lava-dl delay limit (62 steps)", "docs/reference.md §4"],
  "core": {"neurons": 8192, "axons": 8192,
           "synapse_memory": {"bits": 1048576, "bits_per_synapse": 16},
           "weight_bits": 8},
  "delay": {"max": 63, "realisation": "relay"},
  "neuron": {"decay": "mul12", "state_bits": 24, "threshold_bits": 24,
             "arithmetic": "lava-cuba"},
  "chip": {"cores": 128, "mesh": [8, 16], "max_chips": 8},
  "energy_pj": {"synaptic_op": 23.6, "spike_hop": 1.7, "neuron_update": 52}
})json";

// TrueNorth (Merolla et al., Science 2014; Akopyan et al., IEEE TCAD 2015):
// 256 neurons x 256 axons binary crossbar per core, four axon types give each
// neuron four signed 9-bit weights, delays 1-15 ticks, 4096 cores (64 x 64).
// Its leak is a constant, not multiplicative: decay "none".
const char *kTrueNorth = R"json({
  "name": "truenorth",
  "description": "IBM TrueNorth: 4096 cores x 256 neurons, 256 axons, 4 weights per neuron",
  "sources": ["Merolla et al., Science 345(6197), 2014", "Akopyan et al., IEEE TCAD 34(10), 2015", "docs/reference.md §4"],
  "core": {"neurons": 256, "axons": 256,
           "synapse_memory": {"entries": 65536},
           "weight_bits": 9, "weight_values_per_neuron": 4},
  "delay": {"max": 16, "realisation": "native"},
  "neuron": {"decay": "none", "state_bits": 20, "threshold_bits": 18},
  "chip": {"cores": 4096, "mesh": [64, 64], "max_chips": 16},
  "energy_pj": {"synaptic_op": 26}
})json";

// SpiNNaker 1 (Furber et al., Proc. IEEE 2014; sPyNNaker): 255 neurons per
// core by default, 16 application cores per chip sharing 128 MiB SDRAM
// (8 MiB of 32-bit synaptic words each), 16-bit weights, 16 native delay
// slots and delay-extension populations beyond (up to 144 steps).
const char *kSpiNNaker = R"json({
  "name": "spinnaker",
  "description": "SpiNNaker 1 (SpiNN-5 board): 48 chips x 16 cores x 255 neurons, delay extension",
  "sources": ["Furber et al., Proc. IEEE 102(5), 2014", "Rhodes et al., sPyNNaker, Front. Neurosci. 2018", "Stromatias et al., IJCNN 2013", "docs/reference.md §4"],
  "core": {"neurons": 255, "axons": 65536,
           "synapse_memory": {"bits": 67108864, "bits_per_synapse": 32},
           "weight_bits": 16},
  "delay": {"max": 16, "realisation": "relay"},
  "neuron": {"decay": "mul12", "state_bits": 32, "threshold_bits": 32},
  "chip": {"cores": 16, "mesh": [4, 4], "max_chips": 48},
  "energy_pj": {"synaptic_op": 8000}
})json";

// Xylo Audio 2 (SynSense; Rockpool's Xylo mapper and XyloSim): 16 input
// channels, 1000 hidden neurons, 8 output neurons, int8 weights with one
// shift per weight matrix, int16 state, 4-bit bitshift decays, computed as
// XyloSim computes them (xylo-iaf, SNN-X rules). Xylo has no synaptic
// delays: a delay of d steps is a chain of d relay neurons per source
// (SNN-X13), counted in the 1000 hidden neurons (HW-V16); the executors
// model the chains as delay rings, so delays stay on the synapses here and
// "max" only bounds one chain by the hidden neurons.
const char *kXyloAudio = R"json({
  "name": "xylo-audio",
  "description": "SynSense Xylo Audio 2: 16 inputs, 1000 hidden (relays included) + 8 output neurons",
  "sources": ["SynSense Xylo Audio documentation", "Rockpool Xylo mapper and XyloSim (rockpool.devices.xylo.syns61201)", "docs/reference.md §4"],
  "core": {"neurons": 1008, "axons": 1016,
           "synapse_memory": {"entries": 88000},
           "weight_bits": 8},
  "delay": {"max": 1000, "realisation": "native"},
  "neuron": {"decay": "shift", "state_bits": 16, "threshold_bits": 16,
             "arithmetic": "xylo-iaf"},
  "chip": {"cores": 1, "mesh": [1, 1], "max_chips": 1,
           "max_input_channels": 16, "max_output_neurons": 8}
})json";

// A nominal crossbar chip for experiments: round numbers, documented as such.
const char *kGeneric = R"json({
  "name": "generic",
  "description": "Generic crossbar: 256 cores x 256 neurons, 256 axons, 16 delay slots + relays",
  "sources": ["nominal values, not a real chip (docs/targets/generic.md)"],
  "core": {"neurons": 256, "axons": 256,
           "synapse_memory": {"entries": 65536},
           "weight_bits": 8},
  "delay": {"max": 16, "realisation": "relay"},
  "neuron": {"decay": "mul12", "state_bits": 24, "threshold_bits": 24},
  "chip": {"cores": 256, "mesh": [16, 16], "max_chips": 4},
  "energy_pj": {"synaptic_op": 25, "spike_hop": 2, "neuron_update": 50}
})json";

const Preset kPresets[] = {
    {"loihi", kLoihi},         {"loihi2", kLoihi2},
    {"truenorth", kTrueNorth}, {"spinnaker", kSpiNNaker},
    {"xylo-audio", kXyloAudio}, {"generic", kGeneric},
};

} // namespace

std::vector<std::string> snnc::presetNames() {
  std::vector<std::string> names;
  for (const Preset &p : kPresets)
    names.push_back(p.name);
  return names;
}

llvm::Expected<Target> snnc::getPreset(llvm::StringRef name) {
  for (const Preset &p : kPresets) {
    if (name != p.name)
      continue;
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(p.json);
    if (!json)
      return json.takeError();
    return parseTarget(*json, ("preset " + name).str());
  }
  std::string known;
  for (const Preset &p : kPresets)
    known += (known.empty() ? "" : ", ") + std::string(p.name);
  return llvm::createStringError("unknown target '" + name.str() +
                                 "' (presets: " + known +
                                 "; or a FILE.json, see docs/targets.md)");
}
