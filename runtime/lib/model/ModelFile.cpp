//===- ModelFile.cpp - model.h5 reader and writer -------------------------===//
//
// docs/formats/model.md is the contract. Every read names the object it
// reads, so an error reads "model.h5: projections/fc1/delays: ...".
//
//===----------------------------------------------------------------------===//

#include "snnrt/model/ModelFile.h"

#include <algorithm>

namespace snnrt {

namespace {

const char *kFormat = "snnc-model";

Status missing(const std::string &object) {
  return Status::error(object + ": missing (required by docs/formats/model.md)",
                       ErrorKind::BadInput);
}

/// Reads a dataset that must exist and have exactly the given rank-1 or rank-2
/// shape (empty `want` skips the shape check).
template <typename T>
Status readArray(const h5::File &f, const std::string &name,
                 std::vector<T> &out, const std::vector<uint64_t> &want) {
  if (!f.exists(name))
    return missing(name);
  std::vector<uint64_t> shape;
  SNNRT_TRY(f.read(name, out, &shape));
  if (!want.empty() && shape != want) {
    auto str = [](const std::vector<uint64_t> &s) {
      std::string r = "[";
      for (size_t i = 0; i < s.size(); ++i)
        r += (i ? ", " : "") + std::to_string(s[i]);
      return r + "]";
    };
    return Status::error(name + ": wrong shape " + str(shape) + ", expected " +
                             str(want),
                         ErrorKind::BadInput);
  }
  return Status::ok();
}

template <typename T>
Status readAttr(const h5::File &f, const std::string &obj,
                const std::string &attr, T &out) {
  if (!f.hasAttr(obj, attr))
    return missing(obj + (obj == "/" ? "" : "/") + "@" + attr);
  return f.getAttr(obj, attr, out);
}

Status readAttrString(const h5::File &f, const std::string &obj,
                      const std::string &attr, std::string &out) {
  if (!f.hasAttr(obj, attr))
    return missing(obj + (obj == "/" ? "" : "/") + "@" + attr);
  return f.getAttrString(obj, attr, out);
}

Status readPopulation(const h5::File &f, const std::string &name,
                      int64_t version, Population &p) {
  std::string g = "populations/" + name;
  if (!f.isGroup(g))
    return missing(g);
  p.name = name;
  std::string kind;
  SNNRT_TRY(readAttrString(f, g, "kind", kind));
  if (kind == "input")
    p.kind = PopulationKind::Input;
  else if (kind == "lif")
    p.kind = PopulationKind::Lif;
  else if (kind == "li")
    p.kind = PopulationKind::Li;
  else
    return Status::error(g + "@kind: unknown kind '" + kind +
                         "' (expected input, lif or li)");
  int64_t size = 0;
  SNNRT_TRY(readAttr(f, g, "size", size));
  if (size <= 0 || size > (int64_t(1) << 31))
    return Status::error(g + "@size: must be positive, got " +
                         std::to_string(size));
  p.size = static_cast<uint32_t>(size);
  if (p.kind == PopulationKind::Input) {
    std::string ik;
    SNNRT_TRY(readAttrString(f, g, "input_kind", ik));
    if (ik == "frames")
      p.inputKind = InputKind::Frames;
    else if (ik == "spikes")
      p.inputKind = InputKind::Spikes;
    else
      return Status::error(g + "@input_kind: unknown '" + ik +
                           "' (expected frames or spikes)");
    SNNRT_TRY(readAttr(f, g, "scale", p.scale));
    return Status::ok();
  }
  SNNRT_TRY(readAttr(f, g, "tau_mem", p.tauMem));
  if (f.hasAttr(g, "tau_syn")) {
    double ts = 0;
    SNNRT_TRY(f.getAttr(g, "tau_syn", ts));
    p.tauSyn = ts;
  }
  if (p.kind == PopulationKind::Lif || f.hasAttr(g, "threshold"))
    SNNRT_TRY(readAttr(f, g, "threshold", p.threshold));
  if (p.kind == PopulationKind::Lif || f.hasAttr(g, "reset")) {
    std::string reset;
    SNNRT_TRY(readAttrString(f, g, "reset", reset));
    if (reset == "hard")
      p.reset = ResetMode::Hard;
    else if (reset == "subtract")
      p.reset = ResetMode::Subtract;
    else
      return Status::error(g + "@reset: unknown '" + reset +
                           "' (expected hard or subtract)");
  }
  // Version 3: the float neuron convention (SNN-F13); absent = paper.
  if (f.hasAttr(g, "convention")) {
    if (version < 3)
      return Status::error(g +
                               "@convention: a neuron convention needs model "
                               "format version 3, the file says " +
                               std::to_string(version),
                           ErrorKind::BadInput);
    std::string text;
    SNNRT_TRY(f.getAttrString(g, "convention", text));
    auto convention = parseNeuronConvention(text);
    if (!convention)
      return Status::error(g + "@convention: unknown '" + text +
                               "' (expected paper, lava or reset_first)",
                           ErrorKind::BadInput);
    p.convention = *convention;
  }
  if (f.hasAttr(g, "dropout"))
    SNNRT_TRY(f.getAttr(g, "dropout", p.dropout));
  // Version 2: optional per-neuron time constants and thresholds.
  const std::pair<const char *, std::vector<double> *> perNeuron[] = {
      {"tau_mem_per_neuron", &p.tauMemPerNeuron},
      {"tau_syn_per_neuron", &p.tauSynPerNeuron},
      {"threshold_per_neuron", &p.thresholdPerNeuron}};
  for (auto &[dataset, values] : perNeuron)
    if (f.exists(g + "/" + dataset)) {
      if (version < 2)
        return Status::error(g + "/" + dataset +
                                 ": per-neuron parameters need model format "
                                 "version 2, the file says " +
                                 std::to_string(version),
                             ErrorKind::BadInput);
      SNNRT_TRY(readArray(f, g + "/" + dataset, *values, {p.size}));
    }
  if (version < 2 && p.kind == PopulationKind::Li && p.tauSyn)
    return Status::error(g + "@tau_syn: a synaptic current on an li "
                             "population needs model format version 2",
                         ErrorKind::BadInput);
  SNNRT_TRY(readArray(f, g + "/bias", p.bias, {p.size}));
  if (f.exists(g + "/bias_syn")) {
    if (version < 2)
      return Status::error(g + "/bias_syn: a synaptic bias needs model format "
                               "version 2, the file says " +
                               std::to_string(version),
                           ErrorKind::BadInput);
    SNNRT_TRY(readArray(f, g + "/bias_syn", p.biasSyn, {p.size}));
  }
  if (f.exists(g + "/batchnorm")) {
    BatchNorm bn;
    std::string b = g + "/batchnorm";
    SNNRT_TRY(readArray(f, b + "/gamma", bn.gamma, {p.size}));
    SNNRT_TRY(readArray(f, b + "/beta", bn.beta, {p.size}));
    SNNRT_TRY(readArray(f, b + "/mean", bn.mean, {p.size}));
    SNNRT_TRY(readArray(f, b + "/var", bn.var, {p.size}));
    SNNRT_TRY(readAttr(f, b, "eps", bn.eps));
    SNNRT_TRY(readAttr(f, b, "momentum", bn.momentum));
    p.batchnorm = std::move(bn);
  }
  return Status::ok();
}

Status readProjection(const h5::File &f, const Model &m,
                      const std::string &name, Projection &p) {
  std::string g = "projections/" + name;
  if (!f.isGroup(g))
    return missing(g);
  p.name = name;
  SNNRT_TRY(readAttrString(f, g, "source", p.source));
  SNNRT_TRY(readAttrString(f, g, "target", p.target));
  int s = m.findPopulation(p.source), t = m.findPopulation(p.target);
  if (s < 0)
    return Status::error(g + "@source: unknown population '" + p.source + "'");
  if (t < 0)
    return Status::error(g + "@target: unknown population '" + p.target + "'");
  int64_t maxDelay = 0;
  SNNRT_TRY(readAttr(f, g, "max_delay", maxDelay));
  if (maxDelay < 1 || maxDelay > (int64_t(1) << 20))
    return Status::error(g + "@max_delay: must lie in [1, 2^20], got " +
                         std::to_string(maxDelay));
  p.maxDelay = static_cast<uint32_t>(maxDelay);
  std::string layout;
  SNNRT_TRY(readAttrString(f, g, "layout", layout));
  uint64_t rows = m.populations[t].size, cols = m.populations[s].size;
  std::vector<uint64_t> synShape;
  if (layout == "dense") {
    p.layout = ProjectionLayout::Dense;
    synShape = {rows, cols};
  } else if (layout == "csr") {
    p.layout = ProjectionLayout::Csr;
    SNNRT_TRY(readArray(f, g + "/row_ptr", p.rowPtr, {rows + 1}));
    std::vector<uint64_t> shape;
    if (!f.exists(g + "/col_idx"))
      return missing(g + "/col_idx");
    auto sh = f.shape(g + "/col_idx");
    if (!sh)
      return sh.status();
    if (sh->size() != 1)
      return Status::error(g + "/col_idx: must be one-dimensional");
    synShape = *sh;
    SNNRT_TRY(readArray(f, g + "/col_idx", p.colIdx, synShape));
  } else {
    return Status::error(g + "@layout: unknown '" + layout +
                         "' (expected dense or csr)");
  }
  SNNRT_TRY(readArray(f, g + "/weights", p.weights, synShape));
  if (f.exists(g + "/delays")) {
    // Read as int64 so that values beyond int32 are still reported, not
    // wrapped.
    std::vector<int64_t> d;
    SNNRT_TRY(readArray(f, g + "/delays", d, synShape));
    p.delays.resize(d.size());
    for (size_t i = 0; i < d.size(); ++i) {
      if (d[i] < 0)
        return Status::error(g + "/delays: negative delay " +
                             std::to_string(d[i]) + " at index " +
                             std::to_string(i));
      if (d[i] >= maxDelay)
        return Status::error(g + "/delays: delay " + std::to_string(d[i]) +
                             " at index " + std::to_string(i) +
                             " is not below max_delay " +
                             std::to_string(maxDelay));
      p.delays[i] = static_cast<int32_t>(d[i]);
    }
  }
  if (f.exists(g + "/positions")) {
    SNNRT_TRY(readArray(f, g + "/positions", p.positions, synShape));
    SNNRT_TRY(readAttr(f, g + "/positions", "sigma", p.sigma));
  }
  if (f.exists(g + "/mask"))
    SNNRT_TRY(readArray(f, g + "/mask", p.mask, synShape));
  if (f.exists(g + "/signs"))
    SNNRT_TRY(readArray(f, g + "/signs", p.signs, {cols}));
  return Status::ok();
}

Status writePopulation(h5::File &f, const Population &p) {
  std::string g = "populations/" + p.name;
  SNNRT_TRY(f.createGroup(g));
  SNNRT_TRY(f.setAttrString(g, "kind", toString(p.kind)));
  SNNRT_TRY(f.setAttr<int64_t>(g, "size", p.size));
  if (p.kind == PopulationKind::Input) {
    SNNRT_TRY(f.setAttrString(
        g, "input_kind", p.inputKind == InputKind::Frames ? "frames" : "spikes"));
    SNNRT_TRY(f.setAttr(g, "scale", p.scale));
    return Status::ok();
  }
  SNNRT_TRY(f.setAttr(g, "tau_mem", p.tauMem));
  if (p.tauSyn)
    SNNRT_TRY(f.setAttr(g, "tau_syn", *p.tauSyn));
  // Threshold and reset mean something for LIF only; LI stores them too so
  // that a round trip is exact.
  SNNRT_TRY(f.setAttr(g, "threshold", p.threshold));
  SNNRT_TRY(f.setAttrString(g, "reset", toString(p.reset)));
  // Only a non-default convention is written (version 3), so paper models
  // stay readable by older readers.
  if (p.convention != NeuronConvention::Paper)
    SNNRT_TRY(f.setAttrString(g, "convention", toString(p.convention)));
  SNNRT_TRY(f.setAttr(g, "dropout", p.dropout));
  if (!p.tauMemPerNeuron.empty())
    SNNRT_TRY(f.write(g + "/tau_mem_per_neuron", p.tauMemPerNeuron));
  if (!p.tauSynPerNeuron.empty())
    SNNRT_TRY(f.write(g + "/tau_syn_per_neuron", p.tauSynPerNeuron));
  if (!p.thresholdPerNeuron.empty())
    SNNRT_TRY(f.write(g + "/threshold_per_neuron", p.thresholdPerNeuron));
  std::vector<float> bias = p.bias;
  bias.resize(p.size, 0.0f); // an empty bias is zero; the file always has one
  SNNRT_TRY(f.write(g + "/bias", bias));
  if (!p.biasSyn.empty())
    SNNRT_TRY(f.write(g + "/bias_syn", p.biasSyn));
  if (p.batchnorm) {
    const BatchNorm &bn = *p.batchnorm;
    std::string b = g + "/batchnorm";
    SNNRT_TRY(f.write(b + "/gamma", bn.gamma));
    SNNRT_TRY(f.write(b + "/beta", bn.beta));
    SNNRT_TRY(f.write(b + "/mean", bn.mean));
    SNNRT_TRY(f.write(b + "/var", bn.var));
    SNNRT_TRY(f.setAttr(b, "eps", bn.eps));
    SNNRT_TRY(f.setAttr(b, "momentum", bn.momentum));
  }
  return Status::ok();
}

Status writeProjection(h5::File &f, const Model &m, const Projection &p) {
  std::string g = "projections/" + p.name;
  SNNRT_TRY(f.createGroup(g));
  SNNRT_TRY(f.setAttrString(g, "source", p.source));
  SNNRT_TRY(f.setAttrString(g, "target", p.target));
  SNNRT_TRY(f.setAttr<int64_t>(g, "max_delay", p.maxDelay));
  SNNRT_TRY(f.setAttrString(g, "layout", p.isCsr() ? "csr" : "dense"));
  std::vector<uint64_t> shape;
  if (p.isCsr()) {
    SNNRT_TRY(f.write(g + "/row_ptr", p.rowPtr));
    SNNRT_TRY(f.write(g + "/col_idx", p.colIdx));
    shape = {p.colIdx.size()};
  } else {
    shape = {m.populations[m.findPopulation(p.target)].size,
             m.populations[m.findPopulation(p.source)].size};
  }
  SNNRT_TRY(f.write(g + "/weights", p.weights, shape));
  if (!p.delays.empty())
    SNNRT_TRY(f.write(g + "/delays", p.delays, shape));
  if (p.hasPositions()) {
    SNNRT_TRY(f.write(g + "/positions", p.positions, shape));
    SNNRT_TRY(f.setAttr(g + "/positions", "sigma", p.sigma));
  }
  if (!p.mask.empty())
    SNNRT_TRY(f.write(g + "/mask", p.mask, shape));
  if (!p.signs.empty())
    SNNRT_TRY(f.write(g + "/signs", p.signs));
  return Status::ok();
}

} // namespace

int64_t modelFormatVersionFor(const Model &m) {
  for (const Population &p : m.populations)
    if (p.convention != NeuronConvention::Paper)
      return 3;
  for (const Population &p : m.populations)
    if (!p.tauMemPerNeuron.empty() || !p.tauSynPerNeuron.empty() ||
        !p.thresholdPerNeuron.empty() || !p.biasSyn.empty() ||
        (p.kind == PopulationKind::Li && p.tauSyn))
      return 2;
  return 1;
}

Expected<Model> readModel(const h5::File &f) {
  Model m;
  std::string format;
  SNNRT_TRY(readAttrString(f, "/", "format", format));
  if (format != kFormat)
    return Status::error("/@format: '" + format + "' is not " + kFormat);
  int64_t version = 0;
  SNNRT_TRY(readAttr(f, "/", "version", version));
  if (version < 1 || version > kModelFormatVersion)
    return Status::error("/@version: unsupported model format version " +
                         std::to_string(version) + " (this snnc reads 1 to " +
                         std::to_string(kModelFormatVersion) + ")");
  SNNRT_TRY(readAttrString(f, "/", "name", m.name));
  SNNRT_TRY(readAttr(f, "/", "dt", m.dt));
  int64_t steps = 0;
  SNNRT_TRY(readAttr(f, "/", "steps", steps));
  if (steps <= 0 || steps > (int64_t(1) << 31))
    return Status::error("/@steps: must be positive, got " +
                         std::to_string(steps));
  m.steps = static_cast<uint32_t>(steps);
  std::string decay;
  SNNRT_TRY(readAttrString(f, "/", "decay", decay));
  if (decay == "linear")
    m.decay = DecayMode::Linear;
  else if (decay == "exp")
    m.decay = DecayMode::Exp;
  else
    return Status::error("/@decay: unknown '" + decay +
                         "' (expected linear or exp)");

  std::vector<std::string> popNames, projNames;
  if (!f.exists("population_order"))
    return missing("population_order");
  SNNRT_TRY(f.readStrings("population_order", popNames));
  if (f.exists("projection_order"))
    SNNRT_TRY(f.readStrings("projection_order", projNames));
  if (!f.exists("outputs"))
    return missing("outputs");
  SNNRT_TRY(f.readStrings("outputs", m.outputs));
  for (const std::string &n : popNames) {
    Population p;
    SNNRT_TRY(readPopulation(f, n, version, p));
    if (m.findPopulation(n) >= 0)
      return Status::error("population_order: '" + n + "' listed twice");
    m.populations.push_back(std::move(p));
  }
  for (const std::string &n : projNames) {
    Projection p;
    SNNRT_TRY(readProjection(f, m, n, p));
    m.projections.push_back(std::move(p));
  }
  // Objects in the file that the order lists do not name would be silently
  // dropped; refuse them instead.
  for (const char *grp : {"populations", "projections"}) {
    if (!f.isGroup(grp))
      continue;
    auto children = f.list(grp);
    if (!children)
      return children.status();
    const auto &listed =
        std::string(grp) == "populations" ? popNames : projNames;
    for (const std::string &c : *children)
      if (std::find(listed.begin(), listed.end(), c) == listed.end())
        return Status::error(std::string(grp) + "/" + c +
                             ": not listed in " +
                             (std::string(grp) == "populations"
                                  ? "population_order"
                                  : "projection_order"));
  }
  if (f.isGroup("training")) {
    TrainingInfo &t = m.training;
    if (f.hasAttr("training", "delay_mode"))
      SNNRT_TRY(f.getAttrString("training", "delay_mode", t.delayMode));
    if (f.hasAttr("training", "epochs"))
      SNNRT_TRY(f.getAttr("training", "epochs", t.epochs));
    if (f.hasAttr("training", "seed"))
      SNNRT_TRY(f.getAttr("training", "seed", t.seed));
    if (f.hasAttr("training", "train_accuracy"))
      SNNRT_TRY(f.getAttr("training", "train_accuracy", t.trainAccuracy));
    if (f.hasAttr("training", "test_accuracy"))
      SNNRT_TRY(f.getAttr("training", "test_accuracy", t.testAccuracy));
    if (f.hasAttr("training", "dataset"))
      SNNRT_TRY(f.getAttrString("training", "dataset", t.dataset));
  }
  SNNRT_TRY(m.validate());
  return m;
}

Status writeModel(h5::File &f, const Model &m) {
  SNNRT_TRY(m.validate());
  SNNRT_TRY(f.setAttrString("/", "format", kFormat));
  SNNRT_TRY(f.setAttr<int64_t>("/", "version", modelFormatVersionFor(m)));
  SNNRT_TRY(f.setAttrString("/", "name", m.name));
  SNNRT_TRY(f.setAttr("/", "dt", m.dt));
  SNNRT_TRY(f.setAttr<int64_t>("/", "steps", m.steps));
  SNNRT_TRY(f.setAttrString("/", "decay", toString(m.decay)));
  std::vector<std::string> popNames, projNames;
  for (const Population &p : m.populations) {
    popNames.push_back(p.name);
    SNNRT_TRY(writePopulation(f, p));
  }
  for (const Projection &p : m.projections) {
    projNames.push_back(p.name);
    SNNRT_TRY(writeProjection(f, m, p));
  }
  SNNRT_TRY(f.writeStrings("population_order", popNames));
  SNNRT_TRY(f.writeStrings("projection_order", projNames));
  SNNRT_TRY(f.writeStrings("outputs", m.outputs));
  SNNRT_TRY(f.createGroup("training"));
  const TrainingInfo &t = m.training;
  SNNRT_TRY(f.setAttrString("training", "delay_mode", t.delayMode));
  SNNRT_TRY(f.setAttr("training", "epochs", t.epochs));
  SNNRT_TRY(f.setAttr("training", "seed", t.seed));
  SNNRT_TRY(f.setAttr("training", "train_accuracy", t.trainAccuracy));
  SNNRT_TRY(f.setAttr("training", "test_accuracy", t.testAccuracy));
  SNNRT_TRY(f.setAttrString("training", "dataset", t.dataset));
  return Status::ok();
}

Expected<Model> readModel(const std::string &path) {
  auto f = h5::File::openRead(path);
  if (!f)
    return f.status();
  auto m = readModel(*f);
  if (!m) {
    Status s = m.status();
    return s.withContext(path);
  }
  return m;
}

Status writeModel(const std::string &path, const Model &model) {
  auto f = h5::File::createAtomic(path);
  if (!f)
    return f.status();
  Status s = writeModel(*f, model);
  if (!s)
    return s.withContext(path);
  return f->commit();
}

} // namespace snnrt
