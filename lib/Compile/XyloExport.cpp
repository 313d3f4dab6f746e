//===- XyloExport.cpp - A xylo-iaf plan as a Rockpool specification -------===//
//
// Layout of the hidden layer (docs/formats/xylo.md): the plan's lif
// populations in plan order, then one chain of relay neurons per source
// neuron with delayed synapses, chains ordered by (source population,
// source neuron) and each chain by delay. XyloSim delivers hidden sources
// in index order, so this is exactly the order in which the executors
// saturate a neuron's deliveries (intmath::xyloOrder, SNN-X13).
//
//===----------------------------------------------------------------------===//

#include "snnc/Compile/XyloExport.h"

#include "snnrt/exec/IntegerMath.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <zip.h>

#include <cstring>
#include <map>
#include <set>
#include <tuple>
#include <unistd.h>

using namespace snnc;
namespace xylo = snnrt::intmath::xylo;

namespace {

constexpr int64_t kInt16Min = -32768, kInt16Max = 32767;

/// One synapse of the plan, by plan population and neuron.
struct Synapse {
  uint32_t srcPop, srcIdx, tgtPop, tgtIdx;
  int32_t delay, weight;
};

/// Whether effective weight `w` is an int8 weight shifted by `s` (SNN-X3;
/// s ≤ 8 never wraps).
bool representable(int64_t w, int64_t s) {
  const int64_t unit = int64_t(1) << s;
  return w % unit == 0 && w / unit >= -128 && w / unit <= 127;
}

/// The smallest shift in [0, 8] under which every weight is representable,
/// or −1.
int64_t smallestShift(const std::vector<int64_t> &weights) {
  for (int64_t s = 0; s <= xylo::kMaxWeightShift; ++s) {
    bool ok = true;
    for (int64_t w : weights)
      if (!representable(w, s)) {
        ok = false;
        break;
      }
    if (ok)
      return s;
  }
  return -1;
}

/// The relay constants of a chain's first neuron fed by an input channel:
/// its threshold θ and self-weight come from the rec shift, its input
/// weight from the in shift; an input event must bring exactly 2θ.
struct InputRelay {
  int64_t threshold = 0, inWeight = 0, selfWeight = 0;
};
bool inputRelayFor(int64_t sIn, int64_t sRec, InputRelay &r) {
  int64_t theta = int64_t(1) << sRec;
  if (sIn >= 1 && (int64_t(1) << (sIn - 1)) > theta)
    theta = int64_t(1) << (sIn - 1);
  r.threshold = theta;
  r.inWeight = (2 * theta) >> sIn;
  r.selfWeight = -(theta >> sRec);
  // 2θ must be an int8 weight · 2^sIn, −θ one · 2^sRec, and a relay's
  // current (its leftover plus 2θ per event, ≤ 15 + 2·15 events) int16.
  return (r.inWeight << sIn) == 2 * theta && r.inWeight <= 127 &&
         r.selfWeight >= -128 && 45 * theta <= kInt16Max;
}

std::string str(int64_t v) { return std::to_string(v); }

/// An .npy (version 1.0) of `data` with numpy dtype `descr`; the '<'
/// (little-endian) dtypes assume a little-endian host (x86-64, AArch64).
std::string npy(const char *descr, const std::vector<uint64_t> &shape,
                const void *data, size_t bytes) {
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i)
    header += std::to_string(shape[i]) + (shape.size() == 1 ? "," : "") +
              (i + 1 < shape.size() ? ", " : "");
  header += "), }";
  // numpy pads the header with spaces and a newline so that the data starts
  // at a multiple of 64 bytes.
  const size_t prefix = 10;
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  out += char(len & 0xff);
  out += char(len >> 8);
  out += header;
  out.append(static_cast<const char *>(data), bytes);
  return out;
}

template <typename T>
std::string npyOf(const char *descr, const std::vector<uint64_t> &shape,
                  const std::vector<T> &v) {
  return npy(descr, shape, v.data(), v.size() * sizeof(T));
}

/// A temporary name next to `path` for a write-then-rename.
std::string tempNext(const std::string &path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

snnrt::Status
writeZip(const std::string &path,
         const std::vector<std::pair<std::string, std::string>> &entries) {
  const std::string tmp = tempNext(path);
  llvm::sys::fs::remove(tmp);
  int err = 0;
  zip_t *z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return snnrt::Status::error(path + ": cannot create (" + why + ")",
                                snnrt::ErrorKind::Io);
  }
  auto failed = [&](const std::string &what) {
    std::string why = what + " (" + zip_strerror(z) + ")";
    zip_discard(z);
    llvm::sys::fs::remove(tmp);
    return snnrt::Status::error(path + ": " + why, snnrt::ErrorKind::Io);
  };
  for (const auto &[name, bytes] : entries) {
    // The buffers outlive zip_close, which reads them.
    zip_source_t *src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    if (!src)
      return failed("cannot add " + name);
    zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(src);
      return failed("cannot add " + name);
    }
    // Stored, not deflated: np.load reads either; the arrays are small.
    if (zip_set_file_compression(z, idx, ZIP_CM_STORE, 0) != 0)
      return failed("cannot store " + name);
  }
  if (zip_close(z) != 0) {
    std::string why = zip_strerror(z);
    zip_discard(z);
    llvm::sys::fs::remove(tmp);
    return snnrt::Status::error(path + ": cannot write (" + why + ")",
                                snnrt::ErrorKind::Io);
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return snnrt::Status::error(path + ": " + ec.message(),
                                snnrt::ErrorKind::Io);
  }
  return snnrt::Status::ok();
}

snnrt::Status writeTextFile(const std::string &path, const std::string &text) {
  const std::string tmp = tempNext(path);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(tmp, ec);
    if (ec)
      return snnrt::Status::error(path + ": " + ec.message(),
                                  snnrt::ErrorKind::Io);
    os << text;
    os.close();
    if (os.has_error()) {
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return snnrt::Status::error(path + ": write failed",
                                  snnrt::ErrorKind::Io);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return snnrt::Status::error(path + ": " + ec.message(),
                                snnrt::ErrorKind::Io);
  }
  return snnrt::Status::ok();
}

} // namespace

snnrt::Expected<XyloSpec> snnc::xyloSpecFromPlan(const snnrt::Plan &plan) {
  using snnrt::Status;
  const std::string where = "Xylo export of '" + plan.name + "'";
  auto refuse = [&](const std::string &why) {
    return Status::error(where + ": " + why);
  };
  if (plan.arithmetic != snnrt::intmath::Arithmetic::XyloIaf)
    return refuse("the plan's arithmetic is not xylo-iaf (target xylo-audio)");

  XyloSpec spec;
  spec.network = plan.name;
  spec.target = plan.target;
  spec.steps = plan.steps;
  spec.dt = plan.dt > 0 ? plan.dt : 1e-3;

  // Populations: one input, lif hidden layers, one li readout (the output).
  int inputPop = -1, readoutPop = -1;
  std::vector<int64_t> hiddenBase(plan.populations.size(), -1);
  uint32_t planHidden = 0;
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const snnrt::PlanPopulation &pop = plan.populations[p];
    if (pop.kind == "input") {
      if (inputPop >= 0)
        return refuse("populations '" + plan.populations[inputPop].name +
                      "' and '" + pop.name +
                      "' are both inputs; Xylo has one input layer");
      inputPop = int(p);
    } else if (pop.kind == "lif") {
      if (pop.relay)
        return refuse("population '" + pop.name +
                      "' is a relay of snnc's rules (SNN-I10), which Xylo's "
                      "arithmetic does not use");
      if (pop.output)
        return refuse("population '" + pop.name +
                      "' is a lif output; Xylo's outputs are its output "
                      "neurons, the li readout");
      hiddenBase[p] = planHidden;
      spec.populations.push_back({pop.name, planHidden, pop.size});
      planHidden += pop.size;
    } else if (pop.kind == "li") {
      if (readoutPop >= 0)
        return refuse("populations '" + plan.populations[readoutPop].name +
                      "' and '" + pop.name +
                      "' are both li readouts; Xylo has one output layer");
      if (!pop.output)
        return refuse("li population '" + pop.name +
                      "' is not the network's output; Xylo's only "
                      "non-spiking neurons are its output neurons");
      readoutPop = int(p);
    } else {
      return refuse("population '" + pop.name + "' is of kind '" + pop.kind +
                    "', which Xylo has no neurons for");
    }
  }
  if (inputPop < 0)
    return refuse("the plan has no input population");
  if (readoutPop < 0)
    return refuse("the plan has no li readout (Xylo's output neurons)");
  const snnrt::PlanPopulation &in = plan.populations[inputPop];
  const snnrt::PlanPopulation &out = plan.populations[readoutPop];
  if (in.size > xylo::kMaxInputs)
    return refuse("input '" + in.name + "' has " + str(in.size) +
                  " channels, Xylo has " + str(xylo::kMaxInputs) +
                  " input channels");
  if (out.size > xylo::kMaxOutputs || out.size == 0)
    return refuse("readout '" + out.name + "' has " + str(out.size) +
                  " neurons, Xylo has 1 to " + str(xylo::kMaxOutputs) +
                  " output neurons");
  spec.inputs = in.size;
  spec.outputs = out.size;
  spec.inputPopulation = in.name;
  spec.inputEncoding = in.encoding.empty() ? "spikes" : in.encoding;
  spec.inputScale = in.scale;
  spec.readout = {out.name, 0, out.size};

  // Every synapse, and the longest delay of each source (its relay chain).
  std::vector<Synapse> synapses;
  std::map<std::pair<uint32_t, uint32_t>, int32_t> chainLength;
  for (size_t c = 0; c < plan.cores.size(); ++c) {
    const snnrt::PlanCore &core = plan.cores[c];
    if (!core.biasSyn.empty())
      for (size_t i = 0; i < core.biasSyn.size(); ++i)
        if (core.biasSyn[i] != 0)
          return refuse(
              "neuron " + str(core.neuronIndex[i]) + " of '" +
              plan.populations[core.neuronPop[i]].name +
              "' has a synaptic bias (SNN-I7), which Xylo does not have");
    for (size_t i = 0; i < core.neuronPop.size(); ++i)
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k) {
        const int32_t axon = core.synAxon[k];
        Synapse s{uint32_t(core.axonPop[axon]),
                  uint32_t(core.axonIndex[axon]),
                  uint32_t(core.neuronPop[i]),
                  uint32_t(core.neuronIndex[i]),
                  core.synDelay[k],
                  core.synWeight[k]};
        if (s.weight == 0)
          continue; // Xylo stores no synapse for a zero weight
        const std::string &srcKind = plan.populations[s.srcPop].kind;
        if (srcKind == "input" && int(s.tgtPop) == readoutPop)
          return refuse("synapse from input channel " + str(s.srcIdx) +
                        " to readout neuron " + str(s.tgtIdx) + " of '" +
                        out.name + "': Xylo has no input → output weights");
        if (srcKind != "input" && srcKind != "lif")
          return refuse("synapse from population '" +
                        plan.populations[s.srcPop].name + "' of kind '" +
                        srcKind +
                        "': Xylo's sources are inputs and hidden "
                        "neurons");
        if (s.delay < 0)
          return refuse("negative delay on a synapse to neuron " +
                        str(s.tgtIdx) + " of '" +
                        plan.populations[s.tgtPop].name + "'");
        if (s.delay > 0) {
          int32_t &len = chainLength[{s.srcPop, s.srcIdx}];
          len = std::max(len, s.delay);
        }
        synapses.push_back(s);
      }
  }

  // Relay chains after every plan neuron, by (population, neuron).
  uint32_t relays = 0;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> chainOffset;
  std::vector<uint32_t> chainPop; ///< per chain, its source population
  for (auto &[source, len] : chainLength) {
    chainOffset[source] = planHidden + relays;
    chainPop.push_back(source.first);
    spec.chains.push_back({plan.populations[source.first].name, source.second,
                           planHidden + relays, uint32_t(len)});
    relays += uint32_t(len);
  }
  spec.hidden = planHidden + relays;
  spec.relays = {"", planHidden, relays};
  if (spec.hidden > xylo::kMaxHidden)
    return refuse("needs " + str(spec.hidden) + " hidden neurons (" +
                  str(planHidden) + " of the network + " + str(relays) +
                  " relay neurons for its delays, one per source neuron and "
                  "step of delay), Xylo has " +
                  str(xylo::kMaxHidden));
  if (spec.hidden == 0)
    return refuse("the network has no hidden (lif) neuron; Xylo's outputs "
                  "listen only to hidden neurons");

  // Weight shifts: the smallest per matrix that holds the plan's weights.
  // Matrix 0: input -> hidden (delay 0); 1: hidden -> hidden, relays
  // included; 2: hidden -> output.
  auto isInput = [&](uint32_t pop) { return int(pop) == inputPop; };
  auto matrixOf = [&](const Synapse &s) {
    if (isInput(s.srcPop) && s.delay == 0)
      return 0;
    return int(s.tgtPop) == readoutPop ? 2 : 1;
  };
  static const char *const kMatrix[3] = {"input", "recurrent", "output"};
  std::vector<int64_t> weights[3];
  for (const Synapse &s : synapses) {
    const int m = matrixOf(s);
    bool any = false;
    for (int64_t t = 0; t <= xylo::kMaxWeightShift; ++t)
      any |= representable(s.weight, t);
    if (!any)
      return refuse(std::string(kMatrix[m]) + " weight " + str(s.weight) +
                    " (neuron " + str(s.srcIdx) + " of '" +
                    plan.populations[s.srcPop].name + "' -> neuron " +
                    str(s.tgtIdx) + " of '" + plan.populations[s.tgtPop].name +
                    "') is no int8 weight shifted by 0..8 (SNN-X3)");
    weights[m].push_back(s.weight);
  }
  int64_t *shifts[3] = {&spec.shiftIn, &spec.shiftRec, &spec.shiftOut};
  for (int m = 0; m < 3; ++m) {
    *shifts[m] = smallestShift(weights[m]);
    if (*shifts[m] < 0)
      return refuse(std::string("the ") + kMatrix[m] +
                    " weights need different shifts (SNN-X3: one shift per "
                    "matrix, int8 weights)");
  }
  const std::vector<int64_t> &wIn = weights[0];
  bool inputChains = false;
  for (auto &[source, len] : chainLength)
    inputChains |= isInput(source.first);
  InputRelay inRelay;
  if (inputChains) {
    // The input shift is free above the smallest: take the first that
    // also carries a delayed input event into a relay.
    int64_t s = spec.shiftIn;
    for (; s <= xylo::kMaxWeightShift; ++s) {
      bool ok = inputRelayFor(s, spec.shiftRec, inRelay);
      for (int64_t w : wIn)
        ok &= representable(w, s);
      if (ok)
        break;
    }
    if (s > xylo::kMaxWeightShift)
      return refuse(
          "a delayed input channel needs a relay fed with 2θ, θ = 2^" +
          str(spec.shiftRec) +
          " (the recurrent shift), through an int8 input weight; no input "
          "shift from " +
          str(spec.shiftIn) +
          " (the input weights' smallest) to 8 does that and holds the input "
          "weights (SNN-X13: the input shift may be at most 5 below the "
          "recurrent one)");
    spec.shiftIn = s;
  }

  // The arrays.
  const uint32_t H = spec.hidden, I = spec.inputs, O = spec.outputs;
  spec.weightsIn.assign(size_t(I) * H * 2, 0);
  spec.weightsRec.assign(size_t(H) * H * 2, 0);
  spec.weightsOut.assign(size_t(H) * O, 0);
  spec.dashMem.assign(H, 0);
  spec.dashSyn.assign(H, 0);
  spec.dashSyn2.assign(H, 0);
  spec.threshold.assign(H, 0);
  spec.bias.assign(H, 0);
  spec.dashMemOut.assign(O, 0);
  spec.dashSynOut.assign(O, 0);
  spec.thresholdOut.assign(O, 0);
  spec.biasOut.assign(O, 0);
  std::vector<bool> seen(H + O, false);
  for (size_t c = 0; c < plan.cores.size(); ++c) {
    const snnrt::PlanCore &core = plan.cores[c];
    for (size_t i = 0; i < core.neuronPop.size(); ++i) {
      const uint32_t p = uint32_t(core.neuronPop[i]);
      const uint32_t idx = uint32_t(core.neuronIndex[i]);
      const std::string &name = plan.populations[p].name;
      const std::string what = "neuron " + str(idx) + " of '" + name + "'";
      const int64_t dm = core.vDecay[i], ds = core.iDecay[i];
      if (dm < 0 || dm > xylo::kMaxDash || ds < 0 || ds > xylo::kMaxDash)
        return refuse(what + ": dash_mem " + str(dm) + ", dash_syn " + str(ds) +
                      " outside Xylo's 4-bit [0, 15]");
      const int64_t th = core.threshold[i], b = core.bias[i];
      if (th < kInt16Min || th > kInt16Max || b < kInt16Min || b > kInt16Max)
        return refuse(what + ": threshold " + str(th) + ", bias " + str(b) +
                      " outside int16");
      if (int(p) == readoutPop) {
        spec.dashMemOut[idx] = uint8_t(dm);
        spec.dashSynOut[idx] = uint8_t(ds);
        spec.thresholdOut[idx] = int16_t(th);
        spec.biasOut[idx] = int16_t(b);
        seen[H + idx] = true;
      } else {
        const uint32_t h = uint32_t(hiddenBase[p] + idx);
        spec.dashMem[h] = uint8_t(dm);
        spec.dashSyn[h] = uint8_t(ds);
        // Port 2 carries nothing (no weight has index 1 on the last
        // axis); its dash is written, equal to port 1's, rather than left
        // to from_specification's 0.
        spec.dashSyn2[h] = uint8_t(ds);
        spec.threshold[h] = int16_t(th);
        spec.bias[h] = int16_t(b);
        seen[h] = true;
      }
    }
  }
  for (uint32_t h = 0; h < planHidden; ++h)
    if (!seen[h])
      return refuse("hidden neuron " + str(h) + " is on no core of the plan");
  for (uint32_t o = 0; o < O; ++o)
    if (!seen[H + o])
      return refuse("readout neuron " + str(o) + " is on no core of the plan");

  // Relay neurons (docs/semantics.md, "Delay relay"): dash_syn 1, dash_mem
  // 0, threshold θ; 2θ in per event from the previous link, −θ from itself
  // per own spike to clear the half of the current the decay left.
  auto in3 = [&](uint32_t c, uint32_t h) -> int8_t & {
    return spec.weightsIn[(size_t(c) * H + h) * 2];
  };
  auto rec3 = [&](uint32_t a, uint32_t b) -> int8_t & {
    return spec.weightsRec[(size_t(a) * H + b) * 2];
  };
  const int64_t relayTheta = int64_t(1) << spec.shiftRec;
  for (size_t c = 0; c < spec.chains.size(); ++c) {
    const XyloRelayChain &ch = spec.chains[c];
    const bool fromInput = isInput(chainPop[c]);
    for (uint32_t k = 0; k < ch.length; ++k) {
      const uint32_t r = ch.offset + k;
      spec.dashMem[r] = 0;
      spec.dashSyn[r] = 1;
      spec.dashSyn2[r] = 1;
      spec.bias[r] = 0;
      if (k == 0 && fromInput) {
        spec.threshold[r] = int16_t(inRelay.threshold);
        in3(ch.neuron, r) = int8_t(inRelay.inWeight);
        rec3(r, r) = int8_t(inRelay.selfWeight);
        continue;
      }
      spec.threshold[r] = int16_t(relayTheta);
      rec3(r, r) = -1;
      if (k == 0) {
        rec3(uint32_t(hiddenBase[chainPop[c]] + ch.neuron), r) = 2;
      } else {
        rec3(r - 1, r) = 2;
      }
    }
  }

  // The plan's synapses; a relay's last link stands for the source.
  std::set<std::tuple<int, uint32_t, uint32_t>> placed;
  for (const Synapse &s : synapses) {
    const std::string &tgtName = plan.populations[s.tgtPop].name;
    const bool toReadout = int(s.tgtPop) == readoutPop;
    const uint32_t tgt =
        toReadout ? s.tgtIdx : uint32_t(hiddenBase[s.tgtPop] + s.tgtIdx);
    const int matrix = matrixOf(s);
    const uint32_t src =
        s.delay > 0 ? chainOffset[{s.srcPop, s.srcIdx}] + uint32_t(s.delay) - 1
        : matrix == 0 ? s.srcIdx
                      : uint32_t(hiddenBase[s.srcPop] + s.srcIdx);
    const int64_t shift = *shifts[matrix];
    if (!placed.insert({matrix, src, tgt}).second)
      return refuse("two synapses from neuron " + str(s.srcIdx) + " of '" +
                    plan.populations[s.srcPop].name + "' with delay " +
                    str(s.delay) + " reach neuron " + str(s.tgtIdx) + " of '" +
                    tgtName + "'; Xylo holds one weight per pair");
    const int8_t w = int8_t(s.weight / (int64_t(1) << shift));
    if (matrix == 0)
      in3(src, tgt) = w;
    else if (matrix == 1)
      rec3(src, tgt) = w;
    else
      spec.weightsOut[size_t(src) * O + tgt] = w;
  }
  return spec;
}

std::string snnc::xyloMetadataJson(const XyloSpec &spec,
                                   const std::string &specFileName) {
  llvm::json::Array pops, chains;
  for (const XyloRange &r : spec.populations)
    pops.push_back(llvm::json::Object{
        {"name", r.name}, {"offset", r.offset}, {"size", r.size}});
  for (const XyloRelayChain &c : spec.chains)
    chains.push_back(llvm::json::Object{{"population", c.population},
                                        {"neuron", c.neuron},
                                        {"offset", c.offset},
                                        {"length", c.length}});
  llvm::json::Object doc{
      {"format", "snnc-xylo"},
      {"version", 1},
      {"spec", specFileName},
      {"network", spec.network},
      {"target", spec.target},
      {"dt", spec.dt},
      {"steps", spec.steps},
      {"shape", llvm::json::Object{{"inputs", spec.inputs},
                                   {"hidden", spec.hidden},
                                   {"outputs", spec.outputs}}},
      {"input", llvm::json::Object{{"population", spec.inputPopulation},
                                   {"encoding", spec.inputEncoding},
                                   {"scale", spec.inputScale},
                                   {"max_events", xylo::kMaxInputEvents}}},
      {"weight_shift", llvm::json::Object{{"in", spec.shiftIn},
                                          {"rec", spec.shiftRec},
                                          {"out", spec.shiftOut}}},
      {"populations", std::move(pops)},
      {"relays", llvm::json::Object{{"offset", spec.relays.offset},
                                    {"size", spec.relays.size},
                                    {"chains", std::move(chains)}}},
      {"outputs",
       llvm::json::Array{llvm::json::Object{{"name", spec.readout.name},
                                            {"offset", spec.readout.offset},
                                            {"size", spec.readout.size}}}},
  };
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(doc))) << "\n";
  return os.str();
}

snnrt::Status snnc::writeXyloSpec(const XyloSpec &spec,
                                  const std::string &npzPath,
                                  const std::string &jsonPath) {
  const uint64_t I = spec.inputs, H = spec.hidden, O = spec.outputs;
  // The keywords of from_specification, every one explicit; dtypes as
  // Rockpool's bindings take them (tools/snn-vendor/xylo_spec.py).
  const int64_t shifts[3] = {spec.shiftIn, spec.shiftRec, spec.shiftOut};
  std::vector<std::pair<std::string, std::string>> entries = {
      {"weights_in.npy", npyOf("|i1", {I, H, 2}, spec.weightsIn)},
      {"weights_out.npy", npyOf("|i1", {H, O}, spec.weightsOut)},
      {"weights_rec.npy", npyOf("|i1", {H, H, 2}, spec.weightsRec)},
      {"dash_mem.npy", npyOf("|u1", {H}, spec.dashMem)},
      {"dash_mem_out.npy", npyOf("|u1", {O}, spec.dashMemOut)},
      {"dash_syn.npy", npyOf("|u1", {H}, spec.dashSyn)},
      {"dash_syn_2.npy", npyOf("|u1", {H}, spec.dashSyn2)},
      {"dash_syn_out.npy", npyOf("|u1", {O}, spec.dashSynOut)},
      {"threshold.npy", npyOf("<i2", {H}, spec.threshold)},
      {"threshold_out.npy", npyOf("<i2", {O}, spec.thresholdOut)},
      {"bias.npy", npyOf("<i2", {H}, spec.bias)},
      {"bias_out.npy", npyOf("<i2", {O}, spec.biasOut)},
      {"weight_shift_in.npy", npy("<i8", {}, &shifts[0], 8)},
      {"weight_shift_rec.npy", npy("<i8", {}, &shifts[1], 8)},
      {"weight_shift_out.npy", npy("<i8", {}, &shifts[2], 8)},
      {"dt.npy", npy("<f8", {}, &spec.dt, 8)},
  };
  SNNRT_TRY(writeZip(npzPath, entries));
  const std::string name = llvm::sys::path::filename(npzPath).str();
  if (auto st = writeTextFile(jsonPath, xyloMetadataJson(spec, name)); !st) {
    llvm::sys::fs::remove(npzPath);
    return st;
  }
  return snnrt::Status::ok();
}
