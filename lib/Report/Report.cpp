//===- Report.cpp - Mapping report: numbers, text, JSON, HTML + SVG -------===//

#include "snnc/Report/Report.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

using namespace snnc;
using llvm::json::Array;
using llvm::json::Object;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

MappingReport snnc::buildReport(const ReportInputs &in) {
  const snnrt::Plan &plan = *in.plan;
  const Target &t = *in.target;
  MappingReport r;
  r.network = plan.name;
  r.target = plan.target;
  r.partitioner = plan.partitioner;
  r.arithmetic = stringify(t.arithmetic).str();
  r.arithmeticNote = describe(t.arithmetic).str();
  r.input = in.input;
  r.profileSource = in.profileSource;
  r.quantErrors = in.quantErrors;
  r.timings = in.timings;
  r.accuracy = in.accuracy;
  r.training = in.training;
  r.cores = int64_t(plan.cores.size());
  r.meshRows = t.meshRows;
  r.meshCols = t.meshCols;
  r.routes = plan.routes;
  // Global source numbering, to count distinct sources and fan-outs.
  std::vector<uint64_t> offset(plan.populations.size() + 1, 0);
  for (size_t p = 0; p < plan.populations.size(); ++p)
    offset[p + 1] = offset[p] + plan.populations[p].size;
  std::vector<double> rate(offset.back(), 1.0);
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    auto it = in.rates.find(plan.populations[p].name);
    if (it != in.rates.end() && it->second.size() == plan.populations[p].size)
      std::copy(it->second.begin(), it->second.end(), rate.begin() + offset[p]);
    if (plan.populations[p].relay)
      r.relays += plan.populations[p].size;
  }
  if (t.arithmetic == TargetArithmetic::XyloIaf) {
    // HW-V16: the relays Xylo needs for the delays the plan keeps on its
    // synapses.
    r.xyloHidden = 0;
    for (const snnrt::PlanPopulation &p : plan.populations) {
      if (p.kind == "lif")
        r.xyloHidden += int64_t(p.size);
      else if (p.kind == "li")
        r.xyloOutputs += int64_t(p.size);
    }
    std::vector<int32_t> longest(offset.back(), 0);
    for (const snnrt::PlanCore &c : plan.cores)
      for (size_t k = 0; k < c.synAxon.size(); ++k) {
        int32_t a = c.synAxon[k];
        uint64_t src = offset[c.axonPop[a]] + c.axonIndex[a];
        longest[src] = std::max(longest[src], c.synDelay[k]);
      }
    for (int32_t d : longest)
      r.xyloRelays += d;
  }
  std::vector<uint8_t> isSource(offset.back(), 0);
  int64_t synCap = t.synapsesPerCore();
  double sumN = 0, sumA = 0, sumS = 0;
  for (const snnrt::PlanCore &c : plan.cores) {
    int64_t n = c.neuronPop.size(), a = c.axonPop.size(),
            s = c.synAxon.size();
    r.neurons += n;
    r.axons += a;
    r.synapses += s;
    r.chips = std::max(r.chips, c.chip + 1);
    r.coreUse.push_back({n, a, s});
    r.corePos.push_back({c.chip, c.x, c.y});
    sumN += double(n) / t.neuronsPerCore;
    sumA += double(a) / t.axonsPerCore;
    sumS += double(s) / synCap;
    r.neuronUse.max = std::max(r.neuronUse.max, double(n) / t.neuronsPerCore);
    r.axonUse.max = std::max(r.axonUse.max, double(a) / t.axonsPerCore);
    r.synapseUse.max = std::max(r.synapseUse.max, double(s) / synCap);
    std::vector<double> axonRate(a);
    for (int64_t j = 0; j < a; ++j) {
      uint64_t g = offset[c.axonPop[j]] + c.axonIndex[j];
      isSource[g] = 1;
      axonRate[j] = rate[g];
    }
    // Every synapse whose axon spikes is one synaptic operation.
    for (int64_t k = 0; k < s; ++k) {
      r.synOps += axonRate[c.synAxon[k]];
      int32_t d = c.synDelay[k];
      if (d >= int32_t(r.delayHistogram.size()))
        r.delayHistogram.resize(d + 1, 0);
      ++r.delayHistogram[d];
    }
  }
  if (r.cores) {
    r.neuronUse.mean = sumN / r.cores;
    r.axonUse.mean = sumA / r.cores;
    r.synapseUse.mean = sumS / r.cores;
  }
  r.neuronUse.used = r.neurons;
  r.neuronUse.capacity = t.neuronsPerCore * r.cores;
  r.axonUse.used = r.axons;
  r.axonUse.capacity = t.axonsPerCore * r.cores;
  r.synapseUse.used = r.synapses;
  r.synapseUse.capacity = synCap * r.cores;
  r.sources = std::count(isSource.begin(), isSource.end(), 1);
  r.lowerBound = std::max({ceilDiv(r.neurons, t.neuronsPerCore),
                           ceilDiv(r.synapses, synCap),
                           ceilDiv(r.sources, t.axonsPerCore), int64_t(1)});
  for (const snnrt::PlanRoute &route : plan.routes) {
    r.interCoreSpikes += route.traffic;
    r.hopWeighted += route.traffic * route.hops;
  }
  r.neuronUpdates = double(r.neurons) * plan.steps;
  r.energySynPj = r.synOps * t.energySynOpPj;
  r.energyHopPj = r.hopWeighted * t.energySpikeHopPj;
  r.energyNeuronPj = r.neuronUpdates * t.energyNeuronUpdatePj;
  r.energyComplete = t.energySynOpPj > 0 && t.energySpikeHopPj > 0 &&
                     t.energyNeuronUpdatePj > 0;
  return r;
}

static Object utilJSON(const Utilisation &u) {
  return Object{{"mean", u.mean}, {"max", u.max}, {"used", u.used},
                {"capacity", u.capacity}};
}

llvm::json::Value snnc::reportToJSON(const MappingReport &r) {
  Array quant, timings, hist, cores, routes;
  for (const LayerQuantError &q : r.quantErrors)
    quant.push_back(Object{{"projection", q.projection},
                           {"synapses", q.synapses},
                           {"rel_rms_error", q.relRmsError},
                           {"max_abs_error", q.maxAbsError},
                           {"zeroed", q.zeroed}});
  for (const StageTime &s : r.timings)
    timings.push_back(Object{{"stage", s.stage}, {"seconds", s.seconds}});
  for (int64_t h : r.delayHistogram)
    hist.push_back(h);
  for (size_t c = 0; c < r.coreUse.size(); ++c)
    cores.push_back(Object{{"neurons", r.coreUse[c][0]},
                           {"axons", r.coreUse[c][1]},
                           {"synapses", r.coreUse[c][2]},
                           {"chip", r.corePos[c][0]},
                           {"x", r.corePos[c][1]},
                           {"y", r.corePos[c][2]}});
  for (const snnrt::PlanRoute &rt : r.routes)
    routes.push_back(Object{{"src", int64_t(rt.src)},
                            {"dst", int64_t(rt.dst)},
                            {"axons", int64_t(rt.axons)},
                            {"traffic", rt.traffic},
                            {"hops", int64_t(rt.hops)}});
  llvm::json::Value accuracy = nullptr, training = nullptr;
  if (r.accuracy)
    accuracy = Object{{"data", r.accuracy->data},
                      {"samples", r.accuracy->samples},
                      {"float", r.accuracy->floatAccuracy},
                      {"plan", r.accuracy->planAccuracy}};
  if (r.training) {
    auto column = [](const std::vector<double> &v) {
      Array a;
      for (double x : v)
        a.push_back(x);
      return a;
    };
    Array epochs;
    for (int64_t e : r.training->epoch)
      epochs.push_back(e);
    training = Object{{"epoch", std::move(epochs)},
                      {"train_accuracy", column(r.training->train)},
                      {"val_accuracy", column(r.training->validation)},
                      {"test_accuracy", column(r.training->test)},
                      {"seconds", column(r.training->seconds)},
                      {"kept_epoch", r.training->keptEpoch}};
  }
  return Object{
      {"format", "snnc-compile-report"},
      {"version", 1},
      {"network", r.network},
      {"input", r.input},
      {"target", r.target},
      {"partitioner", r.partitioner},
      {"arithmetic",
       Object{{"name", r.arithmetic}, {"defined_by", r.arithmeticNote}}},
      {"cores", r.cores},
      {"chips", r.chips},
      {"core_lower_bound", r.lowerBound},
      {"neurons", r.neurons},
      {"relay_neurons", r.relays},
      {"xylo", r.xyloHidden < 0
                   ? llvm::json::Value(nullptr)
                   : llvm::json::Value(Object{{"hidden", r.xyloHidden},
                                              {"relays", r.xyloRelays},
                                              {"outputs", r.xyloOutputs}})},
      {"synapses", r.synapses},
      {"axons", r.axons},
      {"distinct_sources", r.sources},
      {"utilisation", Object{{"neurons", utilJSON(r.neuronUse)},
                             {"axons", utilJSON(r.axonUse)},
                             {"synapses", utilJSON(r.synapseUse)}}},
      {"traffic", Object{{"inter_core_spikes_per_sample", r.interCoreSpikes},
                         {"hop_weighted_per_sample", r.hopWeighted},
                         {"profile", r.profileSource.empty()
                                         ? llvm::json::Value(nullptr)
                                         : llvm::json::Value(r.profileSource)},
                         {"assumption", r.profileSource.empty()
                                            ? "every neuron spikes once per "
                                              "sample"
                                            : "measured spike rates"}}},
      {"energy_per_inference_pj", Object{{"synaptic_ops", r.synOps},
                                         {"synaptic", r.energySynPj},
                                         {"routing", r.energyHopPj},
                                         {"neuron_updates", r.energyNeuronPj},
                                         {"total", r.energyTotalPj()},
                                         {"complete", r.energyComplete}}},
      {"accuracy", std::move(accuracy)},
      {"training", std::move(training)},
      {"quantisation", std::move(quant)},
      {"delay_histogram", std::move(hist)},
      {"timings", std::move(timings)},
      {"per_core", std::move(cores)},
      {"routes", std::move(routes)},
  };
}

static std::string pct(double f) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", 100 * f);
  return buf;
}

static std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

void snnc::printReportText(const MappingReport &r, llvm::raw_ostream &os) {
  os << "network " << r.network << " on target " << r.target << " ("
     << r.partitioner << " partition)\n";
  if (r.accuracy)
    os << "  accuracy     float " << pct(r.accuracy->floatAccuracy)
       << ", deployed (plan) " << pct(r.accuracy->planAccuracy) << " on "
       << r.accuracy->samples << " samples of " << r.accuracy->data << "\n";
  os << "  arithmetic   " << r.arithmetic << ": " << r.arithmeticNote << "\n";
  os << "  cores        " << r.cores << " on " << r.chips
     << " chip(s); lower bound " << r.lowerBound << " (ratio "
     << num(double(r.cores) / r.lowerBound) << ")\n";
  os << "  neurons      " << r.neurons << " (" << r.relays
     << " relay neurons added)\n";
  if (r.xyloHidden >= 0)
    os << "  xylo         " << r.xyloHidden << " hidden + " << r.xyloRelays
       << " relay neurons for the delays = " << r.xyloHidden + r.xyloRelays
       << " of 1000 hidden; " << r.xyloOutputs << " of 8 output neurons\n";
  os << "  synapses     " << r.synapses << "; axons " << r.axons << " for "
     << r.sources << " distinct sources\n";
  os << "  utilisation  mean / max per core:\n";
  auto util = [&](const char *name, const Utilisation &u) {
    os << "    " << llvm::left_justify(name, 10) << pct(u.mean) << " / "
       << pct(u.max) << "\n";
  };
  util("neurons", r.neuronUse);
  util("axons", r.axonUse);
  util("synapses", r.synapseUse);
  os << "  traffic      " << num(r.interCoreSpikes)
     << " inter-core spikes per sample, " << num(r.hopWeighted)
     << " hop-weighted ("
     << (r.profileSource.empty() ? "assuming one spike per neuron"
                                 : "rates from " + r.profileSource)
     << ")\n";
  os << "  energy       " << num(r.energyTotalPj() / 1e6)
     << " uJ per inference (synaptic " << num(r.energySynPj / 1e6)
     << ", routing " << num(r.energyHopPj / 1e6) << ", neurons "
     << num(r.energyNeuronPj / 1e6) << ")"
     << (r.energyComplete ? "" : "; some target figures are not published")
     << "\n";
  if (!r.quantErrors.empty()) {
    os << "  quantisation relative RMS weight error per layer:\n";
    for (const LayerQuantError &q : r.quantErrors)
      os << "    " << llvm::left_justify(q.projection, 12)
         << pct(q.relRmsError) << " (" << q.synapses << " synapses, "
         << q.zeroed << " became 0)\n";
  }
  os << "  delays       ";
  for (size_t d = 0; d < r.delayHistogram.size(); ++d)
    if (r.delayHistogram[d])
      os << d << ":" << r.delayHistogram[d] << " ";
  os << "\n";
  if (!r.timings.empty()) {
    os << "  timing      ";
    for (const StageTime &s : r.timings)
      os << " " << s.stage << " " << llvm::format("%.3f", s.seconds) << " s;";
    os << "\n";
  }
}

//===----------------------------------------------------------------------===//
// HTML with inline SVG
//===----------------------------------------------------------------------===//

namespace {

std::string escape(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

/// White -> dark blue for v in [0, 1].
std::string heat(double v) {
  v = std::clamp(v, 0.0, 1.0);
  int rC = int(255 - 225 * v), gC = int(255 - 180 * v), bC = int(255 - 80 * v);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "#%02x%02x%02x", rC, gC, bC);
  return buf;
}

void utilisationSVG(const MappingReport &r, llvm::raw_ostream &os) {
  const char *names[] = {"neurons", "axons", "synapses"};
  const Utilisation *u[] = {&r.neuronUse, &r.axonUse, &r.synapseUse};
  os << "<svg xmlns='http://www.w3.org/2000/svg' id='utilisation' "
        "class='snnc-figure' width='460' height='110'>";
  for (int i = 0; i < 3; ++i) {
    int y = 10 + 32 * i;
    os << "<text x='0' y='" << y + 14 << "' font-size='12'>" << names[i]
       << "</text>";
    os << "<rect x='80' y='" << y << "' width='300' height='20' fill='#eee'/>";
    os << "<rect x='80' y='" << y << "' width='" << int(300 * u[i]->max)
       << "' height='20' fill='#9ecae1'/>";
    os << "<rect x='80' y='" << y << "' width='" << int(300 * u[i]->mean)
       << "' height='20' fill='#3182bd'/>";
    os << "<text x='390' y='" << y + 14 << "' font-size='12'>"
       << pct(u[i]->mean) << " / " << pct(u[i]->max) << "</text>";
  }
  os << "</svg>";
}

/// Core-to-core traffic; more than 64 cores are binned into 64 groups.
void matrixSVG(const MappingReport &r, llvm::raw_ostream &os) {
  int64_t n = std::max<int64_t>(r.cores, 1);
  int64_t bins = std::min<int64_t>(n, 64);
  std::vector<double> m(bins * bins, 0);
  double mx = 0;
  for (const snnrt::PlanRoute &rt : r.routes) {
    double &cell = m[(rt.src * bins / n) * bins + rt.dst * bins / n];
    cell += rt.traffic;
    mx = std::max(mx, cell);
  }
  int cell = std::max<int>(4, int(384 / bins));
  int size = cell * int(bins);
  os << "<svg xmlns='http://www.w3.org/2000/svg' id='traffic' "
        "class='snnc-figure' width='"
     << size + 40 << "' height='" << size + 40 << "'>";
  os << "<text x='0' y='12' font-size='11'>source core (rows) to destination "
        "core (columns)"
     << (bins < n ? ", binned" : "") << "</text>";
  os << "<rect x='20' y='20' width='" << size << "' height='" << size
     << "' fill='white' stroke='#999'/>";
  for (int64_t i = 0; i < bins; ++i)
    for (int64_t j = 0; j < bins; ++j)
      if (m[i * bins + j] > 0)
        os << "<rect x='" << 20 + j * cell << "' y='" << 20 + i * cell
           << "' width='" << cell << "' height='" << cell << "' fill='"
           << heat(m[i * bins + j] / mx) << "'><title>" << i << " -> " << j
           << ": " << num(m[i * bins + j]) << "</title></rect>";
  os << "</svg>";
}

/// Chips side by side; each core coloured by neuron utilisation, the
/// heaviest routes drawn as lines.
void meshSVG(const MappingReport &r, llvm::raw_ostream &os, int64_t capacity) {
  int64_t width = std::max<int64_t>(r.chips, 1) * r.meshCols;
  int cell = int(std::clamp<int64_t>(720 / std::max<int64_t>(width, 1), 3, 28));
  int w = int(width) * cell + 20, h = int(r.meshRows) * cell + 20;
  os << "<svg xmlns='http://www.w3.org/2000/svg' id='mesh' class='snnc-figure' "
        "width='"
     << w << "' height='" << h << "'>";
  for (int64_t c = 0; c < r.chips; ++c)
    os << "<rect x='" << 10 + c * r.meshCols * cell << "' y='10' width='"
       << r.meshCols * cell << "' height='" << r.meshRows * cell
       << "' fill='#fafafa' stroke='#333'/>";
  auto cx = [&](size_t c) {
    return 10 + (r.corePos[c][0] * r.meshCols + r.corePos[c][1]) * cell +
           cell / 2;
  };
  auto cy = [&](size_t c) { return 10 + r.corePos[c][2] * cell + cell / 2; };
  for (size_t c = 0; c < r.coreUse.size(); ++c)
    os << "<rect x='" << cx(c) - cell / 2 + 1 << "' y='" << cy(c) - cell / 2 + 1
       << "' width='" << cell - 2 << "' height='" << cell - 2 << "' fill='"
       << heat(double(r.coreUse[c][0]) / capacity) << "' stroke='#3182bd'>"
       << "<title>core " << c << ": " << r.coreUse[c][0] << " neurons, "
       << r.coreUse[c][1] << " axons, " << r.coreUse[c][2]
       << " synapses</title></rect>";
  std::vector<snnrt::PlanRoute> top = r.routes;
  std::sort(top.begin(), top.end(), [](auto &a, auto &b) {
    return a.traffic * a.hops > b.traffic * b.hops;
  });
  if (top.size() > 200)
    top.resize(200);
  double mx = top.empty() ? 1 : std::max(top.front().traffic, 1e-9);
  for (const snnrt::PlanRoute &rt : top)
    os << "<line x1='" << cx(rt.src) << "' y1='" << cy(rt.src) << "' x2='"
       << cx(rt.dst) << "' y2='" << cy(rt.dst)
       << "' stroke='#e6550d' stroke-opacity='0.5' stroke-width='"
       << num(0.5 + 3 * rt.traffic / mx) << "'/>";
  os << "</svg>";
}

void histogramSVG(const MappingReport &r, llvm::raw_ostream &os) {
  size_t n = std::max<size_t>(r.delayHistogram.size(), 1);
  int64_t mx = 1;
  for (int64_t h : r.delayHistogram)
    mx = std::max(mx, h);
  int bar = int(std::clamp<size_t>(600 / n, 2, 30));
  os << "<svg xmlns='http://www.w3.org/2000/svg' id='delay-histogram' "
        "class='snnc-figure' width='"
     << bar * n + 40 << "' height='170'>";
  for (size_t d = 0; d < r.delayHistogram.size(); ++d) {
    int hgt = int(140.0 * r.delayHistogram[d] / mx);
    os << "<rect x='" << 20 + d * bar << "' y='" << 150 - hgt << "' width='"
       << bar - 1 << "' height='" << hgt << "' fill='#31a354'><title>delay "
       << d << ": " << r.delayHistogram[d] << " synapses</title></rect>";
  }
  os << "<text x='20' y='165' font-size='11'>delay 0</text><text x='"
     << 20 + bar * (n - 1) << "' y='165' font-size='11'>" << n - 1
     << "</text></svg>";
}

/// Accuracy per epoch (train, validation, test) with the compiled epoch
/// marked: how the deployed network was chosen.
void learningCurveSVG(const TrainingCurve &c, llvm::raw_ostream &os) {
  const int w = 560, h = 220, left = 40, top = 10, pw = 400, ph = 180;
  size_t n = c.epoch.size();
  auto x = [&](size_t i) {
    return left + (n > 1 ? double(i) * pw / double(n - 1) : pw / 2.0);
  };
  auto y = [&](double acc) { return top + ph * (1.0 - acc); };
  os << "<svg xmlns='http://www.w3.org/2000/svg' id='learning-curve' "
        "class='snnc-figure' width='"
     << w << "' height='" << h + 20 << "'>";
  os << "<rect x='" << left << "' y='" << top << "' width='" << pw
     << "' height='" << ph << "' fill='white' stroke='#999'/>";
  for (int g = 0; g <= 4; ++g) {
    double acc = g / 4.0;
    os << "<line x1='" << left << "' x2='" << left + pw << "' y1='"
       << num(y(acc)) << "' y2='" << num(y(acc)) << "' stroke='#eee'/><text x='"
       << left - 4 << "' y='" << num(y(acc) + 4)
       << "' font-size='10' text-anchor='end'>" << int(100 * acc) << "%</text>";
  }
  os << "<text x='" << left << "' y='" << top + ph + 14
     << "' font-size='10'>epoch " << (n ? c.epoch.front() : 0)
     << "</text><text x='" << left + pw << "' y='" << top + ph + 14
     << "' font-size='10' text-anchor='end'>" << (n ? c.epoch.back() : 0)
     << "</text>";
  struct Series {
    const std::vector<double> *v;
    const char *name, *colour;
  } series[] = {{&c.train, "train", "#9ecae1"},
                {&c.validation, "validation", "#31a354"},
                {&c.test, "test (unseen voices)", "#e6550d"}};
  int legend = 0;
  for (const Series &sr : series) {
    std::string points;
    for (size_t i = 0; i < n && i < sr.v->size(); ++i)
      if ((*sr.v)[i] >= 0)
        points += num(x(i)) + "," + num(y((*sr.v)[i])) + " ";
    if (points.empty())
      continue;
    os << "<polyline fill='none' stroke='" << sr.colour
       << "' stroke-width='2' points='" << points << "'/>";
    for (size_t i = 0; i < n && i < sr.v->size(); ++i)
      if ((*sr.v)[i] >= 0)
        os << "<circle cx='" << num(x(i)) << "' cy='" << num(y((*sr.v)[i]))
           << "' r='2.5' fill='" << sr.colour << "'><title>" << sr.name
           << ", epoch " << c.epoch[i] << ": " << pct((*sr.v)[i])
           << "</title></circle>";
    int ly = top + 14 + 16 * legend++;
    os << "<rect x='" << left + pw + 10 << "' y='" << ly - 8
       << "' width='12' height='3' fill='" << sr.colour << "'/><text x='"
       << left + pw + 26 << "' y='" << ly - 3 << "' font-size='11'>" << sr.name
       << "</text>";
  }
  int64_t kept = c.keptEpoch ? c.keptEpoch : (n ? c.epoch.back() : 0);
  for (size_t i = 0; i < n; ++i)
    if (c.epoch[i] == kept)
      os << "<line x1='" << num(x(i)) << "' x2='" << num(x(i)) << "' y1='"
         << top << "' y2='" << top + ph
         << "' stroke='#333' stroke-dasharray='4 3'/><text x='" << num(x(i) + 3)
         << "' y='" << top + ph - 4 << "' font-size='10'>compiled: epoch "
         << kept << "</text>";
  os << "</svg>";
}

} // namespace

void snnc::printReportHTML(const MappingReport &r, llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>snnc "
        "compile: "
     << escape(r.network) << " on " << escape(r.target)
     << "</title><style>body{font-family:sans-serif;max-width:900px;margin:"
        "2em auto}td,th{padding:2px 10px;text-align:right}td:first-child,"
        "th:first-child{text-align:left}</style></head><body>\n";
  os << "<h1>" << escape(r.network) << " on " << escape(r.target) << "</h1>\n";
  // What a user asks first: how accurate the deployed network is next to
  // the trained one, how many cores it takes, what an inference costs.
  os << "<table id='summary'>";
  if (r.accuracy) {
    char delta[32];
    std::snprintf(delta, sizeof delta, "%+.2f",
                  100 * (r.accuracy->planAccuracy - r.accuracy->floatAccuracy));
    os << "<tr><td>accuracy, trained (float)</td><td>"
       << pct(r.accuracy->floatAccuracy) << "</td></tr>"
       << "<tr><td>accuracy, deployed (plan)</td><td>"
       << pct(r.accuracy->planAccuracy) << " (" << delta
       << " points)</td></tr><tr><td>measured on</td><td>"
       << r.accuracy->samples << " samples of " << escape(r.accuracy->data)
       << "</td></tr>";
  } else {
    os << "<tr><td>accuracy</td><td>not measured (compile with --data)"
          "</td></tr>";
  }
  os << "<tr><td>cores</td><td>" << r.cores << " on " << r.chips
     << " chip(s), lower bound " << r.lowerBound << "</td></tr>"
     << "<tr><td>energy per inference</td><td>" << num(r.energyTotalPj() / 1e6)
     << " uJ"
     << (r.energyComplete ? "" : " (some target figures are not published)")
     << "</td></tr></table>\n";
  if (r.training && !r.training->epoch.empty()) {
    os << "<h2>Learning curve (accuracy per epoch)</h2>\n";
    learningCurveSVG(*r.training, os);
    os << "\n";
  }
  os << "<h2>Details</h2>\n<pre>";
  std::string text;
  llvm::raw_string_ostream ts(text);
  printReportText(r, ts);
  os << escape(ts.str()) << "</pre>\n";
  os << "<h2>Utilisation per core (dark: mean, light: max)</h2>\n";
  utilisationSVG(r, os);
  os << "\n<h2>Quantisation error per layer</h2>\n<table><tr><th>projection"
        "</th><th>synapses</th><th>relative RMS</th><th>max |error|</th><th>"
        "became 0</th></tr>";
  for (const LayerQuantError &q : r.quantErrors)
    os << "<tr><td>" << escape(q.projection) << "</td><td>" << q.synapses
       << "</td><td>" << pct(q.relRmsError) << "</td><td>"
       << num(q.maxAbsError) << "</td><td>" << q.zeroed << "</td></tr>";
  os << "</table>\n";
  if (r.cores <= 1) {
    // An empty matrix and a mesh with one square say nothing.
    os << "<h2>Traffic and placement</h2>\n<p id='one-core'>The whole "
          "network fits on one core: no spike travels between cores, so "
          "there is no traffic matrix or mesh placement to show.</p>\n";
  } else {
    os << "<h2>Core-to-core traffic (spikes per sample)</h2>\n";
    matrixSVG(r, os);
    os << "\n<h2>Mesh placement (colour: neuron use; lines: heaviest "
          "routes)</h2>\n";
    int64_t cap = 1;
    if (r.cores && r.neuronUse.capacity)
      cap = r.neuronUse.capacity / r.cores;
    meshSVG(r, os, cap);
  }
  os << "\n<h2>Delay histogram (synapses per delay)</h2>\n";
  histogramSVG(r, os);
  os << "\n</body></html>\n";
}
