//===- PlanFile.cpp - plan.h5 reader, writer and validator ----------------===//
//
// Layout (docs/formats/plan.md): per-core arrays are concatenated over the
// cores with offset arrays (`cores/neuron_offset`, `cores/axon_offset`,
// `cores/synapse_offset`), so a plan of 10^8 synapses is a handful of
// datasets rather than one group per core.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/Plan.h"

#include <algorithm>

using namespace snnrt;

std::vector<uint32_t> Plan::inputs() const {
  std::vector<uint32_t> out;
  for (uint32_t p = 0; p < populations.size(); ++p)
    if (populations[p].kind == "input")
      out.push_back(p);
  return out;
}

std::vector<uint32_t> Plan::outputs() const {
  std::vector<uint32_t> out;
  for (uint32_t p = 0; p < populations.size(); ++p)
    if (populations[p].output)
      out.push_back(p);
  return out;
}

namespace {

Status bad(const std::string &dataset, const std::string &what) {
  return Status::error(dataset + ": " + what);
}

bool oneOf(const std::string &v, std::initializer_list<const char *> set) {
  for (const char *s : set)
    if (v == s)
      return true;
  return false;
}

int64_t signedMax(int64_t bits) { return (int64_t(1) << (bits - 1)) - 1; }

/// The file's "decay_mode" attribute: the names of SNN-I4 and SNN-I5.
const char *decayModeName(intmath::DecayKind kind) {
  return kind == intmath::DecayKind::Shift ? "shift" : "mul12";
}

Status parseDecayMode(const std::string &name, intmath::DecayKind &out) {
  if (name == "mul12")
    out = intmath::DecayKind::Mul12;
  else if (name == "shift")
    out = intmath::DecayKind::Shift;
  else
    return bad("decay_mode", "must be \"mul12\" or \"shift\"");
  return Status::ok();
}

/// The file's "arithmetic" attribute (version 4; "xylo-iaf" since 5).
const char *arithmeticName(intmath::Arithmetic a) {
  return a == intmath::Arithmetic::LavaCuba  ? "lava-cuba"
         : a == intmath::Arithmetic::XyloIaf ? "xylo-iaf"
                                             : "snnc";
}

Status parseArithmetic(const std::string &name, intmath::Arithmetic &out) {
  if (name == "snnc")
    out = intmath::Arithmetic::Snnc;
  else if (name == "lava-cuba")
    out = intmath::Arithmetic::LavaCuba;
  else if (name == "xylo-iaf")
    out = intmath::Arithmetic::XyloIaf;
  else
    return bad("arithmetic", "must be \"snnc\", \"lava-cuba\" or \"xylo-iaf\"");
  return Status::ok();
}

/// One neuron's threshold and decays within the ranges of the plan's
/// arithmetic (SNN-I4/I5/I6, or Lava's).
Status checkNeuronRanges(const Plan &plan, const PlanCore &core, size_t i,
                         const std::string &at) {
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  const int64_t thrMin = lava ? 0 : 1,
                thrMax = lava ? intmath::lava::kMaxThreshold
                              : signedMax(plan.stateBits);
  if (core.threshold[i] < thrMin || core.threshold[i] > thrMax)
    return bad("cores/threshold", "neuron " + std::to_string(i) + " outside [" +
                                      std::to_string(thrMin) + ", " +
                                      std::to_string(thrMax) + "]" + at);
  int64_t dmax = plan.arithmetic == intmath::Arithmetic::XyloIaf ? 15
                 : plan.decayMode == intmath::DecayKind::Mul12   ? 4096
                                                                 : 31;
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf && core.iDecay[i] < 0)
    return bad("cores/i_decay",
               "neuron " + std::to_string(i) + " needs Xylo's dash_syn" + at);
  int64_t vMax = lava ? intmath::lava::kMaxVDecay : dmax;
  int64_t iMin = lava ? intmath::lava::kMinIDecay : 0;
  if (core.vDecay[i] < 0 || core.vDecay[i] > vMax ||
      (core.iDecay[i] != -1 &&
       (core.iDecay[i] < iMin || core.iDecay[i] > dmax)))
    return bad("cores/v_decay", "neuron " + std::to_string(i) +
                                    " has a decay outside its range" + at);
  if (lava && !intmath::lavaBiasRepresentable(core.bias[i]))
    return bad("cores/bias", "neuron " + std::to_string(i) +
                                 " has a bias Lava cannot express" + at);
  return Status::ok();
}

} // namespace

Status snnrt::validatePlan(const Plan &plan) {
  if (!(plan.dt > 0) || plan.steps == 0)
    return bad("dt, steps", "must be > 0");
  if (plan.stateBits < 3 || plan.stateBits > 32)
    return bad("state_bits", "must lie in [3, 32]");
  if (plan.arithmetic == intmath::Arithmetic::LavaCuba &&
      (plan.stateBits != intmath::lava::kStateBits ||
       plan.decayMode != intmath::DecayKind::Mul12))
    return bad("arithmetic", "lava-cuba needs state_bits 24 and decay_mode "
                             "mul12");
  if (plan.arithmetic == intmath::Arithmetic::XyloIaf &&
      (plan.stateBits != intmath::xylo::kStateBits ||
       plan.decayMode != intmath::DecayKind::Shift))
    return bad("arithmetic", "xylo-iaf needs state_bits 16 and decay_mode "
                             "shift");
  std::vector<uint64_t> offset(plan.populations.size() + 1, 0);
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const PlanPopulation &pop = plan.populations[p];
    std::string at = "populations[" + std::to_string(p) + "]";
    if (!oneOf(pop.kind, {"input", "lif", "li"}))
      return bad("populations/kind", at + " has kind '" + pop.kind + "'");
    if (pop.size == 0)
      return bad("populations/size", at + " is empty");
    if (pop.kind == "input" && !oneOf(pop.encoding, {"frames", "spikes"}))
      return bad("populations/encoding", at + " must be frames or spikes");
    if (pop.kind == "lif" && !oneOf(pop.reset, {"hard", "subtract"}))
      return bad("populations/reset", at + " must be hard or subtract");
    if (pop.kind != "input" && pop.weightScale.size() != pop.size)
      return bad("populations/weight_scale",
                 at + " needs one scale per neuron");
    offset[p + 1] = offset[p] + pop.size;
  }
  std::vector<uint8_t> placed(offset.back(), 0);
  int64_t maxDelay = 0;
  for (auto &kv : plan.limits)
    if (kv.first == "max_delay")
      maxDelay = kv.second;
  for (size_t c = 0; c < plan.cores.size(); ++c) {
    const PlanCore &core = plan.cores[c];
    std::string at = " (core " + std::to_string(c) + ")";
    size_t n = core.neuronPop.size(), a = core.axonPop.size();
    if (core.neuronIndex.size() != n || core.threshold.size() != n ||
        core.bias.size() != n || core.vDecay.size() != n ||
        core.iDecay.size() != n ||
        (!core.biasSyn.empty() && core.biasSyn.size() != n))
      return bad("cores/neuron_*", "arrays differ in length" + at);
    if (core.axonIndex.size() != a)
      return bad("cores/axon_index", "length differs from axon_pop" + at);
    if (core.synPtr.size() != n + 1 || core.synPtr.front() != 0 ||
        core.synPtr.back() != int64_t(core.synAxon.size()))
      return bad("cores/syn_ptr", "must have neurons+1 entries from 0 to "
                                  "the synapse count" + at);
    for (size_t i = 0; i < n; ++i) {
      if (core.synPtr[i + 1] < core.synPtr[i])
        return bad("cores/syn_ptr", "decreases at neuron " +
                                        std::to_string(i) + at);
      int32_t p = core.neuronPop[i], k = core.neuronIndex[i];
      if (p < 0 || size_t(p) >= plan.populations.size() ||
          plan.populations[p].kind == "input" || k < 0 ||
          uint32_t(k) >= plan.populations[p].size)
        return bad("cores/neuron_pop", "neuron " + std::to_string(i) +
                                           " names no lif/li neuron" + at);
      if (placed[offset[p] + k]++)
        return bad("cores/neuron_index",
                   "neuron " + std::to_string(k) + " of " +
                       plan.populations[p].name + " is on two cores");
      SNNRT_TRY(checkNeuronRanges(plan, core, i, at));
      if (!core.biasSyn.empty() && core.biasSyn[i] != 0 &&
          (core.iDecay[i] < 0 ||
           int64_t(core.biasSyn[i]) > signedMax(plan.stateBits) ||
           int64_t(core.biasSyn[i]) < -signedMax(plan.stateBits) - 1))
        return bad("cores/bias_syn",
                   "neuron " + std::to_string(i) +
                       " has a synaptic bias without a synaptic current or "
                       "outside the state range" + at);
    }
    for (size_t j = 0; j < a; ++j) {
      int32_t p = core.axonPop[j], k = core.axonIndex[j];
      if (p < 0 || size_t(p) >= plan.populations.size() ||
          plan.populations[p].kind == "li" || k < 0 ||
          uint32_t(k) >= plan.populations[p].size)
        return bad("cores/axon_pop", "axon " + std::to_string(j) +
                                         " names no input/lif neuron" + at);
    }
    if (core.synWeight.size() != core.synAxon.size() ||
        core.synDelay.size() != core.synAxon.size())
      return bad("cores/syn_weight", "length differs from syn_axon" + at);
    for (size_t k = 0; k < core.synAxon.size(); ++k) {
      if (core.synAxon[k] < 0 || size_t(core.synAxon[k]) >= a)
        return bad("cores/syn_axon", "synapse " + std::to_string(k) +
                                         " names no axon" + at);
      if (core.synDelay[k] < 0 || (maxDelay && core.synDelay[k] >= maxDelay))
        return bad("cores/syn_delay", "synapse " + std::to_string(k) +
                                          " has delay " +
                                          std::to_string(core.synDelay[k]) +
                                          at);
    }
  }
  for (size_t p = 0; p < plan.populations.size(); ++p)
    if (plan.populations[p].kind != "input")
      for (uint64_t k = offset[p]; k < offset[p + 1]; ++k)
        if (!placed[k])
          return bad("cores/neuron_index",
                     "neuron " + std::to_string(k - offset[p]) + " of " +
                         plan.populations[p].name + " is on no core");
  for (size_t r = 0; r < plan.routes.size(); ++r)
    if (plan.routes[r].src >= plan.cores.size() ||
        plan.routes[r].dst >= plan.cores.size())
      return bad("routes/src", "route " + std::to_string(r) +
                                   " names a core that does not exist");
  return Status::ok();
}

Status snnrt::writePlanFile(const std::string &path, const Plan &plan) {
  SNNRT_TRY(validatePlan(plan));
  auto file = h5::File::createAtomic(path);
  if (!file)
    return file.status();
  h5::File &f = *file;
  SNNRT_TRY(f.setAttrString("/", "format", "snnc-plan"));
  SNNRT_TRY(f.setAttr<uint32_t>("/", "version", Plan::kVersion));
  SNNRT_TRY(f.setAttrString("/", "name", plan.name));
  SNNRT_TRY(f.setAttrString("/", "target", plan.target));
  SNNRT_TRY(f.setAttr<double>("/", "dt", plan.dt));
  SNNRT_TRY(f.setAttr<uint32_t>("/", "steps", plan.steps));
  SNNRT_TRY(f.setAttr<uint32_t>("/", "state_bits", plan.stateBits));
  SNNRT_TRY(f.setAttrString("/", "decay_mode", decayModeName(plan.decayMode)));
  SNNRT_TRY(
      f.setAttrString("/", "arithmetic", arithmeticName(plan.arithmetic)));
  SNNRT_TRY(f.setAttrString("/", "partitioner", plan.partitioner));

  SNNRT_TRY(f.createGroup("limits"));
  SNNRT_TRY(f.setAttrString("limits", "decay", plan.targetDecay));
  for (auto &kv : plan.limits)
    SNNRT_TRY(f.writeScalar<int64_t>("limits/" + kv.first, kv.second));

  SNNRT_TRY(f.createGroup("populations"));
  std::vector<std::string> names, kinds, encodings, resets;
  std::vector<uint32_t> sizes;
  std::vector<double> scales;
  std::vector<uint8_t> relay, output;
  std::vector<uint64_t> wsOffset{0};
  std::vector<float> ws;
  for (const PlanPopulation &p : plan.populations) {
    names.push_back(p.name);
    kinds.push_back(p.kind);
    encodings.push_back(p.encoding);
    resets.push_back(p.reset);
    sizes.push_back(p.size);
    scales.push_back(p.scale);
    relay.push_back(p.relay);
    output.push_back(p.output);
    ws.insert(ws.end(), p.weightScale.begin(), p.weightScale.end());
    wsOffset.push_back(ws.size());
  }
  SNNRT_TRY(f.writeStrings("populations/name", names));
  SNNRT_TRY(f.writeStrings("populations/kind", kinds));
  SNNRT_TRY(f.writeStrings("populations/encoding", encodings));
  SNNRT_TRY(f.writeStrings("populations/reset", resets));
  SNNRT_TRY(f.write("populations/size", sizes));
  SNNRT_TRY(f.write("populations/scale", scales));
  SNNRT_TRY(f.write("populations/relay", relay));
  SNNRT_TRY(f.write("populations/output", output));
  SNNRT_TRY(f.write("populations/weight_scale_offset", wsOffset));
  SNNRT_TRY(f.write("populations/weight_scale", ws));

  SNNRT_TRY(f.createGroup("cores"));
  std::vector<int64_t> chip, x, y;
  std::vector<uint64_t> nOff{0}, aOff{0}, sOff{0};
  std::vector<int32_t> np, ni, th, bi, vd, id, bs, ap, ai, sa, sw, sd;
  std::vector<int64_t> sp;
  bool anyBiasSyn = false;
  auto append = [](std::vector<int32_t> &dst, const std::vector<int32_t> &src) {
    dst.insert(dst.end(), src.begin(), src.end());
  };
  for (const PlanCore &c : plan.cores) {
    chip.push_back(c.chip);
    x.push_back(c.x);
    y.push_back(c.y);
    append(np, c.neuronPop);
    append(ni, c.neuronIndex);
    append(th, c.threshold);
    append(bi, c.bias);
    append(vd, c.vDecay);
    append(id, c.iDecay);
    for (size_t i = 0; i < c.neuronPop.size(); ++i) {
      bs.push_back(c.biasSyn.empty() ? 0 : c.biasSyn[i]);
      anyBiasSyn |= bs.back() != 0;
    }
    append(ap, c.axonPop);
    append(ai, c.axonIndex);
    append(sa, c.synAxon);
    append(sw, c.synWeight);
    append(sd, c.synDelay);
    sp.insert(sp.end(), c.synPtr.begin(), c.synPtr.end());
    nOff.push_back(np.size());
    aOff.push_back(ap.size());
    sOff.push_back(sa.size());
  }
  // Large tables are compressed: synapse arrays dominate the file.
  int gz = sa.size() > 4096 ? 4 : 0;
  auto big = [&](const std::string &name, const auto &v) {
    return f.write(name, v, {uint64_t(v.size())}, v.size() > 4096 ? gz : 0);
  };
  SNNRT_TRY(f.write("cores/chip", chip));
  SNNRT_TRY(f.write("cores/x", x));
  SNNRT_TRY(f.write("cores/y", y));
  SNNRT_TRY(f.write("cores/neuron_offset", nOff));
  SNNRT_TRY(f.write("cores/axon_offset", aOff));
  SNNRT_TRY(f.write("cores/synapse_offset", sOff));
  SNNRT_TRY(big("cores/neuron_pop", np));
  SNNRT_TRY(big("cores/neuron_index", ni));
  SNNRT_TRY(big("cores/threshold", th));
  SNNRT_TRY(big("cores/bias", bi));
  SNNRT_TRY(big("cores/v_decay", vd));
  SNNRT_TRY(big("cores/i_decay", id));
  if (anyBiasSyn) // version 3; absent = every synaptic bias 0
    SNNRT_TRY(big("cores/bias_syn", bs));
  SNNRT_TRY(big("cores/axon_pop", ap));
  SNNRT_TRY(big("cores/axon_index", ai));
  SNNRT_TRY(big("cores/syn_ptr", sp));
  SNNRT_TRY(big("cores/syn_axon", sa));
  SNNRT_TRY(big("cores/syn_weight", sw));
  SNNRT_TRY(big("cores/syn_delay", sd));

  SNNRT_TRY(f.createGroup("routes"));
  std::vector<uint32_t> rs, rd, rh;
  std::vector<uint64_t> ra;
  std::vector<double> rt;
  for (const PlanRoute &r : plan.routes) {
    rs.push_back(r.src);
    rd.push_back(r.dst);
    ra.push_back(r.axons);
    rt.push_back(r.traffic);
    rh.push_back(r.hops);
  }
  SNNRT_TRY(f.write("routes/src", rs));
  SNNRT_TRY(f.write("routes/dst", rd));
  SNNRT_TRY(f.write("routes/axons", ra));
  SNNRT_TRY(f.write("routes/traffic", rt));
  SNNRT_TRY(f.write("routes/hops", rh));

  SNNRT_TRY(f.createGroup("bindings"));
  std::vector<std::string> in, out;
  for (uint32_t p : plan.inputs())
    in.push_back(plan.populations[p].name);
  for (uint32_t p : plan.outputs())
    out.push_back(plan.populations[p].name);
  SNNRT_TRY(f.writeStrings("bindings/inputs", in));
  SNNRT_TRY(f.writeStrings("bindings/outputs", out));
  return f.commit();
}

namespace {

/// Reads a 1-D dataset and checks its length.
template <typename T>
Status readExact(const h5::File &f, const std::string &name,
                 std::vector<T> &out, uint64_t n) {
  SNNRT_TRY(f.read(name, out));
  if (out.size() != n)
    return bad(name, "has " + std::to_string(out.size()) +
                         " elements, expected " + std::to_string(n));
  return Status::ok();
}

template <typename T>
std::vector<T> slice(const std::vector<T> &v, uint64_t a, uint64_t b) {
  return std::vector<T>(v.begin() + a, v.begin() + b);
}

Status checkOffsets(const std::string &name, const std::vector<uint64_t> &off,
                    size_t cores, uint64_t total) {
  if (off.size() != cores + 1 || off.front() != 0 || off.back() != total)
    return bad(name, "must hold cores+1 offsets from 0 to " +
                         std::to_string(total));
  for (size_t c = 0; c < cores; ++c)
    if (off[c + 1] < off[c])
      return bad(name, "decreases at core " + std::to_string(c));
  return Status::ok();
}

Expected<Plan> readPlan(const h5::File &f) {
  Plan plan;
  std::string format;
  if (!f.getAttrString("/", "format", format) || format != "snnc-plan")
    return bad("/", "attribute 'format' must be \"snnc-plan\"");
  uint32_t version = 0;
  SNNRT_TRY(f.getAttr<uint32_t>("/", "version", version));
  if (version < 1 || version > Plan::kVersion)
    return bad("/", "version " + std::to_string(version) +
                        " is not supported (this reader knows versions 1 to " +
                        std::to_string(Plan::kVersion) + ")");
  SNNRT_TRY(f.getAttrString("/", "name", plan.name));
  SNNRT_TRY(f.getAttrString("/", "target", plan.target));
  SNNRT_TRY(f.getAttr<double>("/", "dt", plan.dt));
  SNNRT_TRY(f.getAttr<uint32_t>("/", "steps", plan.steps));
  SNNRT_TRY(f.getAttr<uint32_t>("/", "state_bits", plan.stateBits));
  std::string decayMode;
  SNNRT_TRY(f.getAttrString("/", "decay_mode", decayMode));
  SNNRT_TRY(parseDecayMode(decayMode, plan.decayMode));
  if (version >= 4) {
    std::string arithmetic;
    SNNRT_TRY(f.getAttrString("/", "arithmetic", arithmetic));
    SNNRT_TRY(parseArithmetic(arithmetic, plan.arithmetic));
  }
  SNNRT_TRY(f.getAttrString("/", "partitioner", plan.partitioner));
  SNNRT_TRY(f.getAttrString("limits", "decay", plan.targetDecay));
  auto limitNames = f.list("limits");
  if (!limitNames)
    return limitNames.status();
  for (const std::string &n : *limitNames) {
    int64_t v = 0;
    SNNRT_TRY(f.readScalar<int64_t>("limits/" + n, v));
    plan.limits.push_back({n, v});
  }

  std::vector<std::string> names, kinds, encodings, resets;
  SNNRT_TRY(f.readStrings("populations/name", names));
  uint64_t np = names.size();
  std::vector<uint32_t> sizes;
  std::vector<double> scales;
  std::vector<uint8_t> relay, output;
  std::vector<uint64_t> wsOffset;
  std::vector<float> ws;
  SNNRT_TRY(f.readStrings("populations/kind", kinds));
  SNNRT_TRY(f.readStrings("populations/encoding", encodings));
  SNNRT_TRY(f.readStrings("populations/reset", resets));
  if (kinds.size() != np || encodings.size() != np || resets.size() != np)
    return bad("populations/kind", "length differs from populations/name");
  SNNRT_TRY(readExact(f, "populations/size", sizes, np));
  SNNRT_TRY(readExact(f, "populations/scale", scales, np));
  SNNRT_TRY(readExact(f, "populations/relay", relay, np));
  SNNRT_TRY(readExact(f, "populations/output", output, np));
  SNNRT_TRY(readExact(f, "populations/weight_scale_offset", wsOffset, np + 1));
  SNNRT_TRY(f.read("populations/weight_scale", ws));
  SNNRT_TRY(checkOffsets("populations/weight_scale_offset", wsOffset, np,
                         ws.size()));
  for (uint64_t p = 0; p < np; ++p) {
    PlanPopulation pop;
    pop.name = names[p];
    pop.kind = kinds[p];
    pop.encoding = encodings[p];
    pop.reset = resets[p];
    pop.size = sizes[p];
    pop.scale = scales[p];
    pop.relay = relay[p];
    pop.output = output[p];
    pop.weightScale = slice(ws, wsOffset[p], wsOffset[p + 1]);
    plan.populations.push_back(std::move(pop));
  }

  std::vector<int64_t> chip, x, y, sp;
  std::vector<uint64_t> nOff, aOff, sOff;
  SNNRT_TRY(f.read("cores/chip", chip));
  uint64_t nc = chip.size();
  SNNRT_TRY(readExact(f, "cores/x", x, nc));
  SNNRT_TRY(readExact(f, "cores/y", y, nc));
  SNNRT_TRY(readExact(f, "cores/neuron_offset", nOff, nc + 1));
  SNNRT_TRY(readExact(f, "cores/axon_offset", aOff, nc + 1));
  SNNRT_TRY(readExact(f, "cores/synapse_offset", sOff, nc + 1));
  uint64_t nn = nOff.back(), na = aOff.back(), ns = sOff.back();
  SNNRT_TRY(checkOffsets("cores/neuron_offset", nOff, nc, nn));
  SNNRT_TRY(checkOffsets("cores/axon_offset", aOff, nc, na));
  SNNRT_TRY(checkOffsets("cores/synapse_offset", sOff, nc, ns));
  std::vector<int32_t> npop, nidx, th, bi, vd, id, ap, ai, sa, sw, sd;
  SNNRT_TRY(readExact(f, "cores/neuron_pop", npop, nn));
  SNNRT_TRY(readExact(f, "cores/neuron_index", nidx, nn));
  SNNRT_TRY(readExact(f, "cores/threshold", th, nn));
  SNNRT_TRY(readExact(f, "cores/bias", bi, nn));
  SNNRT_TRY(readExact(f, "cores/v_decay", vd, nn));
  SNNRT_TRY(readExact(f, "cores/i_decay", id, nn));
  std::vector<int32_t> bs;
  if (f.exists("cores/bias_syn")) {
    if (version < 3)
      return bad("cores/bias_syn", "a synaptic bias needs plan version 3, "
                                   "the file says " +
                                       std::to_string(version));
    SNNRT_TRY(readExact(f, "cores/bias_syn", bs, nn));
  }
  SNNRT_TRY(readExact(f, "cores/axon_pop", ap, na));
  SNNRT_TRY(readExact(f, "cores/axon_index", ai, na));
  SNNRT_TRY(readExact(f, "cores/syn_ptr", sp, nn + nc));
  SNNRT_TRY(readExact(f, "cores/syn_axon", sa, ns));
  SNNRT_TRY(readExact(f, "cores/syn_weight", sw, ns));
  SNNRT_TRY(readExact(f, "cores/syn_delay", sd, ns));
  for (uint64_t c = 0; c < nc; ++c) {
    PlanCore core;
    core.chip = chip[c];
    core.x = x[c];
    core.y = y[c];
    core.neuronPop = slice(npop, nOff[c], nOff[c + 1]);
    core.neuronIndex = slice(nidx, nOff[c], nOff[c + 1]);
    core.threshold = slice(th, nOff[c], nOff[c + 1]);
    core.bias = slice(bi, nOff[c], nOff[c + 1]);
    core.vDecay = slice(vd, nOff[c], nOff[c + 1]);
    core.iDecay = slice(id, nOff[c], nOff[c + 1]);
    if (!bs.empty())
      core.biasSyn = slice(bs, nOff[c], nOff[c + 1]);
    core.axonPop = slice(ap, aOff[c], aOff[c + 1]);
    core.axonIndex = slice(ai, aOff[c], aOff[c + 1]);
    // syn_ptr holds neurons+1 entries per core, one after the other.
    core.synPtr = slice(sp, nOff[c] + c, nOff[c + 1] + c + 1);
    core.synAxon = slice(sa, sOff[c], sOff[c + 1]);
    core.synWeight = slice(sw, sOff[c], sOff[c + 1]);
    core.synDelay = slice(sd, sOff[c], sOff[c + 1]);
    plan.cores.push_back(std::move(core));
  }

  std::vector<uint32_t> rs, rd, rh;
  std::vector<uint64_t> ra;
  std::vector<double> rt;
  SNNRT_TRY(f.read("routes/src", rs));
  SNNRT_TRY(readExact(f, "routes/dst", rd, rs.size()));
  SNNRT_TRY(readExact(f, "routes/axons", ra, rs.size()));
  SNNRT_TRY(readExact(f, "routes/traffic", rt, rs.size()));
  SNNRT_TRY(readExact(f, "routes/hops", rh, rs.size()));
  for (size_t r = 0; r < rs.size(); ++r)
    plan.routes.push_back({rs[r], rd[r], ra[r], rt[r], rh[r]});
  SNNRT_TRY(validatePlan(plan));
  return plan;
}

} // namespace

Expected<Plan> snnrt::readPlanFile(const std::string &path) {
  auto file = h5::File::openRead(path);
  if (!file)
    return file.status();
  return readPlanFile(*file);
}

Expected<Plan> snnrt::readPlanFile(const h5::File &file) {
  Expected<Plan> plan = readPlan(file);
  if (!plan) {
    Status s = plan.status();
    s.withContext(file.path());
    return s;
  }
  return plan;
}
