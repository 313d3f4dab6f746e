//===- AnalysisReport.cpp - analysis.json and self-contained figures ------===//
#include "snnrt/analysis/AnalysisReport.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <sys/stat.h>

namespace snnrt {

namespace {

std::string esc(const std::string &s) { // JSON and HTML-safe enough for names
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\')
      o += '\\', o += c;
    else if (c == '<')
      o += "\\u003c";
    else if (c == '&')
      o += "\\u0026";
    else if (static_cast<unsigned char>(c) < 0x20)
      o += ' ';
    else
      o += c;
  }
  return o;
}

std::string num(double v) {
  if (!std::isfinite(v))
    return "null";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

Status writeFile(const std::string &path, const std::string &text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f)
      return Status::error(path + ": cannot write: " + std::strerror(errno),
                           ErrorKind::Io);
    f << text;
    if (!f)
      return Status::error(path + ": write failed", ErrorKind::Io);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::error(path + ": cannot rename: " + std::strerror(errno),
                         ErrorKind::Io);
  return Status::ok();
}

/// Red for excitatory, blue for inhibitory, white at zero.
std::string colour(double v, double scale) {
  double a = scale > 0 ? std::min(1.0, std::fabs(v) / scale) : 0.0;
  int hi = 255, lo = int(std::lround(255 * (1 - a)));
  char b[16];
  if (v >= 0)
    std::snprintf(b, sizeof b, "#%02x%02x%02x", hi, lo, lo);
  else
    std::snprintf(b, sizeof b, "#%02x%02x%02x", lo, lo, hi);
  return b;
}

/// A (source x delay) heat map: sources down, delays across.
void heatmap(std::ostringstream &s, double x0, double y0, double cell,
             uint32_t sources, uint32_t delays,
             const std::vector<std::pair<size_t, double>> &cells, double scale,
             const std::string &title) {
  s << "<g><rect x='" << x0 << "' y='" << y0 << "' width='" << cell * delays
    << "' height='" << cell * sources
    << "' fill='#fff' stroke='#888' stroke-width='0.5'/>\n";
  for (auto [k, v] : cells) {
    size_t c = k / delays, d = k % delays;
    s << "<rect x='" << x0 + d * cell << "' y='" << y0 + c * cell << "' width='"
      << cell << "' height='" << cell << "' fill='" << colour(v, scale)
      << "'/>";
  }
  s << "\n<text x='" << x0 << "' y='" << y0 - 3
    << "' font-size='9' font-family='sans-serif'>" << title << "</text></g>\n";
}

std::string populationSvg(const ProjectionAnalysis &a) {
  const double cell =
      std::max(2.0, std::min(12.0, 480.0 / std::max(a.cols, 1u)));
  double scale = 0;
  std::vector<std::pair<size_t, double>> cells;
  for (size_t k = 0; k < a.populationWeight.size(); ++k)
    if (a.populationWeight[k] != 0) {
      cells.push_back({k, a.populationWeight[k]});
      scale = std::max(scale, double(std::fabs(a.populationWeight[k])));
    }
  double w = 60 + cell * a.maxDelay + 20, h = 40 + cell * a.cols + 30;
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' id='population-"
    << esc(a.projection) << "' class='snnc-figure snnc-population' width='" << w
    << "' height='" << h << "' viewBox='0 0 " << w << " " << h << "'>\n";
  heatmap(s, 50, 30, cell, a.cols, a.maxDelay, cells, scale,
          "sum over " + a.target + " of signed weights (red E, blue I)");
  s << "<text x='50' y='" << 30 + cell * a.cols + 14
    << "' font-size='9' font-family='sans-serif'>delay (steps) 0.."
    << a.maxDelay - 1 << " &#8594;</text>";
  s << "<text x='4' y='40' font-size='9' font-family='sans-serif'>"
    << esc(a.source) << "</text>";
  s << "</svg>\n";
  return s.str();
}

std::string delaySvg(const ProjectionAnalysis &a) {
  const double bw = 14, hgt = 120;
  uint32_t mx = 1;
  for (uint32_t d = 0; d < a.maxDelay; ++d)
    mx = std::max({mx, a.delayExc[d], a.delayInh[d]});
  double w = 50 + bw * a.maxDelay + 20, h = hgt + 60;
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' id='delays-"
    << esc(a.projection) << "' class='snnc-figure snnc-delays' width='" << w
    << "' height='" << h << "' viewBox='0 0 " << w << " " << h << "'>\n";
  s << "<text x='50' y='12' font-size='9' font-family='sans-serif'>synapses "
       "per delay: E (red) and I (blue), max "
    << mx << "</text>\n";
  for (uint32_t d = 0; d < a.maxDelay; ++d) {
    double he = hgt * a.delayExc[d] / mx, hi = hgt * a.delayInh[d] / mx;
    double x = 50 + d * bw;
    s << "<rect x='" << x << "' y='" << 20 + hgt - he << "' width='"
      << bw / 2 - 1 << "' height='" << he << "' fill='#d33'/>";
    s << "<rect x='" << x + bw / 2 << "' y='" << 20 + hgt - hi << "' width='"
      << bw / 2 - 1 << "' height='" << hi << "' fill='#33d'/>\n";
  }
  s << "<line x1='50' y1='" << 20 + hgt << "' x2='" << 50 + bw * a.maxDelay
    << "' y2='" << 20 + hgt << "' stroke='#000'/>";
  s << "<text x='50' y='" << 20 + hgt + 14
    << "' font-size='9' font-family='sans-serif'>delay (steps) 0.."
    << a.maxDelay - 1 << "</text></svg>\n";
  return s.str();
}

std::string neuronsSvg(const ProjectionAnalysis &a, uint32_t shown,
                       std::vector<uint32_t> &which) {
  // The neurons with the most synapses: their fields have visible structure.
  std::vector<uint32_t> order(a.rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return a.fields[x].size() > a.fields[y].size();
  });
  order.resize(std::min<size_t>(shown, order.size()));
  which = order;
  const double cell =
      std::max(1.5, std::min(6.0, 240.0 / std::max(a.cols, 1u)));
  const double pw = cell * a.maxDelay + 16, ph = cell * a.cols + 20;
  const uint32_t perRow = 4;
  uint32_t nrows = (uint32_t(order.size()) + perRow - 1) / perRow;
  double w = perRow * pw + 20, h = nrows * ph + 30;
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' id='neurons-"
    << esc(a.projection) << "' class='snnc-figure snnc-neurons' width='" << w
    << "' height='" << h << "' viewBox='0 0 " << w << " " << h << "'>\n";
  for (size_t i = 0; i < order.size(); ++i) {
    const auto &f = a.fields[order[i]];
    double scale = 0;
    std::vector<std::pair<size_t, double>> cells;
    for (const FieldEntry &e : f) {
      cells.push_back({size_t(e.source) * a.maxDelay + e.delay, e.weight});
      scale = std::max(scale, double(std::fabs(e.weight)));
    }
    double x = 10 + (i % perRow) * pw, y = 24 + (i / perRow) * ph;
    heatmap(s, x, y, cell, a.cols, a.maxDelay, cells, scale,
            esc(a.target) + "[" + std::to_string(order[i]) + "] " +
                std::to_string(f.size()) + " syn");
  }
  s << "</svg>\n";
  return s.str();
}

} // namespace

Status writeAnalysisReport(const Model &model,
                           const std::vector<ProjectionAnalysis> &analyses,
                           const std::string &dir,
                           const AnalysisReportOptions &opt) {
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return Status::error(dir + ": cannot create: " + std::strerror(errno),
                         ErrorKind::Io);
  std::ostringstream js, html;
  const GroupingOptions &g = opt.grouping;
  js << "{\n  \"model\": \"" << esc(opt.modelPath) << "\",\n  \"name\": \""
     << esc(model.name)
     << "\",\n  \"grouping_definition\": {\"source_radius\": " << g.sourceRadius
     << ", \"delay_radius\": " << g.delayRadius
     << ", \"shuffles\": " << g.shuffles << ", \"seed\": " << g.seed
     << ", \"baseline\": \"signed projections: source signs permuted among "
        "sources (one permutation per draw, shared by all targets); "
        "unsigned: signs permuted among each target's synapses\"},\n"
        "  \"projections\": [\n";
  html << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>snnc "
          "analyze: "
       << esc(opt.modelPath)
       << "</title><style>body{font-family:sans-serif;margin:1.5em}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
          "padding:2px 6px;text-align:right}</style></head><body>\n<h1>"
          "Spatio-temporal structure of "
       << esc(opt.modelPath)
       << "</h1>\n<p>Sign grouping: fraction of "
          "neighbouring synapse pairs of one target neuron (source distance "
          "&le; "
       << g.sourceRadius << ", delay distance &le; " << g.delayRadius
       << " steps) that share a sign, against " << g.shuffles
       << " random assignments of the same E/I signs to the sources (Dale's "
          "law: a sign belongs to a source; unsigned projections: signs "
          "shuffled among each neuron's synapses).</p>\n"
          "<table><tr><th>projection</th><th>synapses</th><th>E</th><th>I</th>"
          "<th>mean delay E</th><th>mean delay I</th><th>pairs</th>"
          "<th>same sign</th><th>shuffled</th><th>z</th></tr>\n";
  for (size_t i = 0; i < analyses.size(); ++i) {
    const ProjectionAnalysis &a = analyses[i];
    const SignGrouping &sg = a.grouping;
    html << "<tr><td>" << esc(a.projection) << " (" << esc(a.source)
         << "&#8594;" << esc(a.target) << ")</td><td>" << a.synapses
         << "</td><td>" << a.excitatory << "</td><td>" << a.inhibitory
         << "</td><td>" << num(a.meanDelayExc) << "</td><td>"
         << num(a.meanDelayInh) << "</td><td>" << sg.pairs << "</td><td>"
         << num(sg.sameFraction) << "</td><td>" << num(sg.shuffledMean)
         << " &#177; " << num(sg.shuffledStd) << "</td><td>" << num(sg.zScore)
         << "</td></tr>\n";
  }
  html << "</table>\n";
  for (size_t i = 0; i < analyses.size(); ++i) {
    const ProjectionAnalysis &a = analyses[i];
    const SignGrouping &sg = a.grouping;
    std::vector<uint32_t> shown;
    std::string pop = populationSvg(a), del = delaySvg(a),
                neu = neuronsSvg(a, opt.neuronsShown, shown);
    SNNRT_TRY(writeFile(dir + "/population_" + a.projection + ".svg", pop));
    SNNRT_TRY(writeFile(dir + "/delays_" + a.projection + ".svg", del));
    SNNRT_TRY(writeFile(dir + "/neurons_" + a.projection + ".svg", neu));
    html << "<h2>" << esc(a.projection) << ": " << esc(a.source) << " &#8594; "
         << esc(a.target) << "</h2>\n<h3>Population view</h3>\n"
         << pop << del << "<h3>Receptive fields (source &#215; delay) of the "
         << shown.size() << " " << esc(a.target)
         << " neurons with most synapses</h3>\n"
         << neu;
    js << "    {\"projection\": \"" << esc(a.projection) << "\", \"source\": \""
       << esc(a.source) << "\", \"target\": \"" << esc(a.target)
       << "\", \"rows\": " << a.rows << ", \"cols\": " << a.cols
       << ", \"max_delay\": " << a.maxDelay
       << ", \"signed\": " << (a.hasSigns ? "true" : "false")
       << ",\n     \"synapses\": " << a.synapses
       << ", \"excitatory\": " << a.excitatory
       << ", \"inhibitory\": " << a.inhibitory
       << ", \"mean_delay_exc\": " << num(a.meanDelayExc)
       << ", \"mean_delay_inh\": " << num(a.meanDelayInh)
       << ",\n     \"grouping\": {\"pairs\": " << sg.pairs
       << ", \"same_pairs\": " << sg.samePairs
       << ", \"same_fraction\": " << num(sg.sameFraction)
       << ", \"shuffled_mean\": " << num(sg.shuffledMean)
       << ", \"shuffled_std\": " << num(sg.shuffledStd)
       << ", \"z_score\": " << num(sg.zScore) << "},\n     \"delay_exc\": [";
    for (uint32_t d = 0; d < a.maxDelay; ++d)
      js << (d ? ", " : "") << a.delayExc[d];
    js << "], \"delay_inh\": [";
    for (uint32_t d = 0; d < a.maxDelay; ++d)
      js << (d ? ", " : "") << a.delayInh[d];
    js << "],\n     \"population_weight\": [";
    for (size_t k = 0; k < a.populationWeight.size(); ++k)
      js << (k ? ", " : "") << num(a.populationWeight[k]);
    js << "],\n     \"fields\": [";
    for (uint32_t r = 0; r < a.rows; ++r) {
      js << (r ? ",\n       [" : "\n       [");
      for (size_t e = 0; e < a.fields[r].size(); ++e) {
        const FieldEntry &f = a.fields[r][e];
        js << (e ? ", " : "") << "[" << f.source << ", " << f.delay << ", "
           << num(f.weight) << "]";
      }
      js << "]";
    }
    js << "]}" << (i + 1 < analyses.size() ? ",\n" : "\n");
  }
  js << "  ]\n}\n";
  html << "<p>Fields in analysis.json: per target neuron, [source, delay, "
          "signed weight] of every synapse (delays rounded, SNN-F4).</p>"
          "</body></html>\n";
  SNNRT_TRY(writeFile(dir + "/analysis.json", js.str()));
  SNNRT_TRY(writeFile(dir + "/analysis.html", html.str()));
  return Status::ok();
}

} // namespace snnrt
