//===- Target.cpp - Parsing and validating target descriptions ------------===//
//
// One validator serves files and presets alike: presets are JSON text
// (Presets.cpp) parsed by the same code, so a preset can never hold a value
// a user's file could not.
//
//===----------------------------------------------------------------------===//

#include "snnc/Target/Target.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace snnc;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

llvm::StringRef snnc::stringify(DelayRealisation d) {
  return d == DelayRealisation::Native ? "native" : "relay";
}

llvm::StringRef snnc::stringify(TargetDecay d) {
  switch (d) {
  case TargetDecay::Mul12:
    return "mul12";
  case TargetDecay::Shift:
    return "shift";
  case TargetDecay::None:
    return "none";
  }
  return "none";
}

llvm::StringRef snnc::stringify(TargetArithmetic a) {
  switch (a) {
  case TargetArithmetic::Snnc:
    return "snnc";
  case TargetArithmetic::LavaCuba:
    return "lava-cuba";
  case TargetArithmetic::XyloIaf:
    return "xylo-iaf";
  }
  return "snnc";
}

llvm::StringRef snnc::describe(TargetArithmetic a) {
  switch (a) {
  case TargetArithmetic::Snnc:
    return "snnc's model, not checked against a vendor reference";
  case TargetArithmetic::LavaCuba:
    return "Lava's fixed-point CUBA LIF (lava-nc PyLifModelBitAcc)";
  case TargetArithmetic::XyloIaf:
    return "Rockpool's XyloSim integer IAF (rockpool.devices.xylo.syns61201."
           "XyloSim); a delay of d steps is d relay neurons within Xylo's "
           "1000 hidden";
  }
  return "";
}

namespace {

/// Walks the JSON document and remembers the first error with the dotted
/// path of the field it concerns.
class Reader {
public:
  explicit Reader(llvm::StringRef origin) : origin(origin.str()) {}

  const Object *object(const Object &parent, llvm::StringRef key,
                       llvm::StringRef path, bool required = true) {
    const Value *v = parent.get(key);
    if (!v) {
      if (required)
        fail(path, "missing (an object is required)");
      return nullptr;
    }
    const Object *o = v->getAsObject();
    if (!o)
      fail(path, "expected an object");
    return o;
  }

  /// An integer in [min, max]; absent fields keep `out` when optional.
  void integer(const Object &o, llvm::StringRef key, llvm::StringRef path,
               int64_t &out, int64_t min, int64_t max, bool required = true) {
    const Value *v = o.get(key);
    if (!v) {
      if (required)
        fail(path, "missing (an integer is required)");
      return;
    }
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i < min || *i > max) {
      fail(path, "expected an integer in [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
      return;
    }
    out = *i;
  }

  void number(const Object &o, llvm::StringRef key, llvm::StringRef path,
              double &out) {
    const Value *v = o.get(key);
    if (!v)
      return;
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d) || *d < 0) {
      fail(path, "expected a finite number >= 0");
      return;
    }
    out = *d;
  }

  void string(const Object &o, llvm::StringRef key, llvm::StringRef path,
              std::string &out, bool required) {
    const Value *v = o.get(key);
    if (!v) {
      if (required)
        fail(path, "missing (a string is required)");
      return;
    }
    std::optional<llvm::StringRef> s = v->getAsString();
    if (!s) {
      fail(path, "expected a string");
      return;
    }
    out = s->str();
  }

  /// Rejects keys the schema does not know, so that a typo ("neuron" for
  /// "neurons") is an error rather than a silently ignored limit.
  void known(const Object &o, llvm::StringRef path,
             std::initializer_list<llvm::StringRef> keys) {
    for (const auto &kv : o) {
      bool ok = false;
      for (llvm::StringRef k : keys)
        ok |= llvm::StringRef(kv.first) == k;
      if (!ok)
        fail((path.empty() ? "" : path.str() + ".") + kv.first.str(),
             "unknown field");
    }
  }

  void fail(llvm::StringRef path, const std::string &what) {
    if (error.empty())
      error = origin + ": '" + path.str() + "': " + what;
  }

  std::string origin, error;
};

} // namespace

namespace {

constexpr int64_t kBig = int64_t(1) << 40;

void parseSources(Reader &r, const Object &root, Target &t) {
  const Value *s = root.get("sources");
  if (!s)
    return;
  const Array *a = s->getAsArray();
  if (!a) {
    r.fail("sources", "expected an array of strings");
    return;
  }
  for (const Value &e : *a) {
    if (auto str = e.getAsString())
      t.sources.push_back(str->str());
    else
      r.fail("sources", "expected an array of strings");
  }
}

/// core.synapse_memory: exactly one of 'entries' and 'bits'.
void parseSynapseMemory(Reader &r, const Object &mem, Target &t) {
  r.known(mem, "core.synapse_memory", {"entries", "bits", "bits_per_synapse"});
  bool entries = mem.get("entries"), bits = mem.get("bits");
  if (entries == bits) {
    r.fail("core.synapse_memory", "give exactly one of 'entries' and 'bits'");
    return;
  }
  if (entries) {
    r.integer(mem, "entries", "core.synapse_memory.entries", t.synapseEntries,
              1, kBig);
    if (mem.get("bits_per_synapse"))
      r.fail("core.synapse_memory.bits_per_synapse",
             "only meaningful with 'bits'");
    return;
  }
  r.integer(mem, "bits", "core.synapse_memory.bits", t.synapseBits, 1, kBig);
  r.integer(mem, "bits_per_synapse", "core.synapse_memory.bits_per_synapse",
            t.bitsPerSynapse, 1, 1024);
  if (r.error.empty() && t.synapseBits < t.bitsPerSynapse)
    r.fail("core.synapse_memory.bits",
           "smaller than one synapse ('bits_per_synapse')");
}

void parseCore(Reader &r, const Object &core, Target &t) {
  r.known(core, "core",
          {"neurons", "axons", "synapse_memory", "weight_bits",
           "weight_values_per_neuron"});
  r.integer(core, "neurons", "core.neurons", t.neuronsPerCore, 1, kBig);
  r.integer(core, "axons", "core.axons", t.axonsPerCore, 1, kBig);
  r.integer(core, "weight_bits", "core.weight_bits", t.weightBits, 1, 16);
  r.integer(core, "weight_values_per_neuron", "core.weight_values_per_neuron",
            t.weightValuesPerNeuron, 0, kBig, /*required=*/false);
  if (const Object *mem =
          r.object(core, "synapse_memory", "core.synapse_memory"))
    parseSynapseMemory(r, *mem, t);
}

void parseDelay(Reader &r, const Object &delay, Target &t) {
  r.known(delay, "delay", {"max", "realisation"});
  r.integer(delay, "max", "delay.max", t.maxDelay, 1, 1 << 20);
  std::string how;
  r.string(delay, "realisation", "delay.realisation", how, true);
  if (how == "native")
    t.delays = DelayRealisation::Native;
  else if (how == "relay")
    t.delays = DelayRealisation::Relay;
  else if (!how.empty())
    r.fail("delay.realisation",
           "expected \"native\" or \"relay\", got \"" + how + "\"");
}

void parseNeuron(Reader &r, const Object &neuron, Target &t) {
  r.known(neuron, "neuron",
          {"decay", "state_bits", "threshold_bits", "arithmetic"});
  std::string decay;
  r.string(neuron, "decay", "neuron.decay", decay, true);
  if (decay == "mul12")
    t.decay = TargetDecay::Mul12;
  else if (decay == "shift")
    t.decay = TargetDecay::Shift;
  else if (decay == "none")
    t.decay = TargetDecay::None;
  else if (!decay.empty())
    r.fail("neuron.decay",
           "expected \"mul12\", \"shift\" or \"none\", got \"" + decay + "\"");
  // The integer rules need at least 3 state bits (SNN-I1) and hold state
  // in 32-bit words.
  r.integer(neuron, "state_bits", "neuron.state_bits", t.stateBits, 3, 32);
  r.integer(neuron, "threshold_bits", "neuron.threshold_bits", t.thresholdBits,
            2, 32);
  if (r.error.empty() && t.thresholdBits > t.stateBits)
    r.fail("neuron.threshold_bits", "larger than 'state_bits'");
  std::string arithmetic;
  r.string(neuron, "arithmetic", "neuron.arithmetic", arithmetic, false);
  if (arithmetic.empty() || arithmetic == "snnc")
    t.arithmetic = TargetArithmetic::Snnc;
  else if (arithmetic == "lava-cuba")
    t.arithmetic = TargetArithmetic::LavaCuba;
  else if (arithmetic == "xylo-iaf")
    t.arithmetic = TargetArithmetic::XyloIaf;
  else
    r.fail("neuron.arithmetic",
           "expected \"snnc\", \"lava-cuba\" or \"xylo-iaf\", got \"" +
               arithmetic + "\"");
  // Lava's CUBA neuron has 24-bit states and 12-bit multiplicative decays
  // (SNN-L rules), whatever else the target says.
  if (r.error.empty() && t.arithmetic == TargetArithmetic::LavaCuba &&
      (t.stateBits != 24 || t.decay != TargetDecay::Mul12))
    r.fail("neuron.arithmetic", "\"lava-cuba\" needs \"state_bits\": 24 "
                                "and \"decay\": \"mul12\"");
  // XyloSim's IAF neuron has int16 states, 4-bit bitshift decays and int8
  // weights (SNN-X1..X3).
  if (r.error.empty() && t.arithmetic == TargetArithmetic::XyloIaf &&
      (t.stateBits != 16 || t.decay != TargetDecay::Shift))
    r.fail("neuron.arithmetic", "\"xylo-iaf\" needs \"state_bits\": 16 "
                                "and \"decay\": \"shift\"");
  if (r.error.empty() && t.arithmetic == TargetArithmetic::XyloIaf &&
      t.weightBits > 8)
    r.fail("neuron.arithmetic", "\"xylo-iaf\" has int8 weights: "
                                "\"core.weight_bits\" must be at most 8");
  // Delays stay on the synapses under xylo-iaf: the exporter lays out
  // Xylo's own relays (SNN-X13); snnc's relays (SNN-I10) fire twice there.
  if (r.error.empty() && t.arithmetic == TargetArithmetic::XyloIaf &&
      t.delays != DelayRealisation::Native)
    r.fail("neuron.arithmetic",
           "\"xylo-iaf\" keeps delays on the synapses (Xylo's relays, "
           "SNN-X13): \"delay.realisation\" must be \"native\"");
}

void parseChip(Reader &r, const Object &chip, Target &t) {
  r.known(chip, "chip",
          {"cores", "mesh", "max_chips", "max_input_channels",
           "max_output_neurons"});
  r.integer(chip, "cores", "chip.cores", t.coresPerChip, 1, 1 << 24);
  r.integer(chip, "max_chips", "chip.max_chips", t.maxChips, 1, 1 << 20);
  r.integer(chip, "max_input_channels", "chip.max_input_channels",
            t.maxInputChannels, 0, kBig, false);
  r.integer(chip, "max_output_neurons", "chip.max_output_neurons",
            t.maxOutputNeurons, 0, kBig, false);
  const Value *mesh = chip.get("mesh");
  const Array *m = mesh ? mesh->getAsArray() : nullptr;
  std::optional<int64_t> rows, cols;
  if (m && m->size() == 2) {
    rows = (*m)[0].getAsInteger();
    cols = (*m)[1].getAsInteger();
  }
  if (!rows || !cols || *rows < 1 || *cols < 1)
    r.fail("chip.mesh", "expected [rows, cols], two integers >= 1");
  else if (r.error.empty() && *rows * *cols < t.coresPerChip)
    r.fail("chip.mesh", "rows x cols = " + std::to_string(*rows * *cols) +
                            " positions cannot hold 'chip.cores' = " +
                            std::to_string(t.coresPerChip));
  else {
    t.meshRows = *rows;
    t.meshCols = *cols;
  }
}

void parseEnergy(Reader &r, const Object &root, Target &t) {
  const Value *e = root.get("energy_pj");
  if (!e)
    return;
  const Object *energy = e->getAsObject();
  if (!energy) {
    r.fail("energy_pj", "expected an object");
    return;
  }
  r.known(*energy, "energy_pj", {"synaptic_op", "spike_hop", "neuron_update"});
  r.number(*energy, "synaptic_op", "energy_pj.synaptic_op", t.energySynOpPj);
  r.number(*energy, "spike_hop", "energy_pj.spike_hop", t.energySpikeHopPj);
  r.number(*energy, "neuron_update", "energy_pj.neuron_update",
           t.energyNeuronUpdatePj);
}

} // namespace

llvm::Expected<Target> snnc::parseTarget(const Value &value,
                                         llvm::StringRef origin) {
  Reader r(origin);
  Target t;
  const Object *root = value.getAsObject();
  if (!root)
    return llvm::createStringError(origin.str() +
                                   ": a target must be a JSON object");
  r.known(*root, "",
          {"name", "description", "sources", "core", "delay", "neuron", "chip",
           "energy_pj"});
  r.string(*root, "name", "name", t.name, /*required=*/true);
  r.string(*root, "description", "description", t.description, false);
  parseSources(r, *root, t);
  if (const Object *core = r.object(*root, "core", "core"))
    parseCore(r, *core, t);
  if (const Object *delay = r.object(*root, "delay", "delay"))
    parseDelay(r, *delay, t);
  if (const Object *neuron = r.object(*root, "neuron", "neuron"))
    parseNeuron(r, *neuron, t);
  if (const Object *chip = r.object(*root, "chip", "chip"))
    parseChip(r, *chip, t);
  parseEnergy(r, *root, t);
  if (!r.error.empty())
    return llvm::createStringError(r.error);
  return t;
}

Value Target::toJSON() const {
  Object mem;
  if (synapseEntries)
    mem["entries"] = synapseEntries;
  else {
    mem["bits"] = synapseBits;
    mem["bits_per_synapse"] = bitsPerSynapse;
  }
  Object core{{"neurons", neuronsPerCore},
              {"axons", axonsPerCore},
              {"synapse_memory", std::move(mem)},
              {"weight_bits", weightBits}};
  if (weightValuesPerNeuron)
    core["weight_values_per_neuron"] = weightValuesPerNeuron;
  Object chip{{"cores", coresPerChip},
              {"mesh", Array{meshRows, meshCols}},
              {"max_chips", maxChips}};
  if (maxInputChannels)
    chip["max_input_channels"] = maxInputChannels;
  if (maxOutputNeurons)
    chip["max_output_neurons"] = maxOutputNeurons;
  Array src;
  for (const std::string &s : sources)
    src.push_back(s);
  return Object{
      {"name", name},
      {"description", description},
      {"sources", std::move(src)},
      {"core", std::move(core)},
      {"delay", Object{{"max", maxDelay}, {"realisation", stringify(delays)}}},
      {"neuron", Object{{"decay", stringify(decay)},
                        {"state_bits", stateBits},
                        {"threshold_bits", thresholdBits},
                        {"arithmetic", stringify(arithmetic)}}},
      {"chip", std::move(chip)},
      {"energy_pj", Object{{"synaptic_op", energySynOpPj},
                           {"spike_hop", energySpikeHopPj},
                           {"neuron_update", energyNeuronUpdatePj}}},
  };
}

llvm::Expected<Target> snnc::loadTarget(llvm::StringRef nameOrPath) {
  bool isFile = nameOrPath.ends_with(".json") ||
                (llvm::sys::fs::exists(nameOrPath) &&
                 !llvm::sys::fs::is_directory(nameOrPath));
  if (!isFile)
    return getPreset(nameOrPath);
  auto buffer = llvm::MemoryBuffer::getFile(nameOrPath);
  if (!buffer)
    return llvm::createStringError(nameOrPath.str() + ": cannot read: " +
                                   buffer.getError().message());
  llvm::Expected<Value> json = llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return llvm::createStringError(nameOrPath.str() + ": invalid JSON: " +
                                   llvm::toString(json.takeError()));
  return parseTarget(*json, nameOrPath);
}
