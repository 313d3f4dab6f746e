//===- SweepReport.cpp - The files snnc sweep writes ----------------------===//
//
// One row per cell in figure3.csv and figure3.json, the Figure 3 plot
// (test accuracy against connectivity, one line per condition: the mean over
// seeds with a min-max bar) and figure3.html (the plot, a table of means and
// ranges, the E/I grouping against its baseline and every row). Cells not
// finished yet are in the JSON with "done": false and left out of the rest.
//
//===----------------------------------------------------------------------===//

#include "Sweep.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace snnc::sweep {

namespace json = llvm::json;
using snnrt::ErrorKind;
using snnrt::Expected;
using snnrt::Status;

namespace {

std::string fmt(const char *f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string htmlEscape(const std::string &s) {
  std::string o;
  for (char c : s) {
    switch (c) {
    case '&':
      o += "&amp;";
      break;
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '\'':
      o += "&#39;";
      break;
    case '"':
      o += "&quot;";
      break;
    default:
      o += c;
    }
  }
  return o;
}

std::string csvField(const std::string &s) {
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string o = "\"";
  for (char c : s)
    o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string joinArgs(const std::vector<std::string> &args) {
  std::string s;
  for (const auto &a : args)
    s += (s.empty() ? "" : " ") + a;
  return s;
}

/// A level of the x axis: the sparsity and its connectivity exponent.
struct Level {
  bool has = false;
  double sparsity = 0, k = 0;
};

std::string connectivityText(const Level &l) {
  if (!l.has)
    return "default";
  double r = std::round(l.k);
  if (std::fabs(l.k - r) < 1e-9)
    return "1/" + fmt("%.0f", std::ldexp(1.0, int(r)));
  return fmt("%.4g", 1 - l.sparsity);
}

/// Mean, min and max over the finished seeds of a (condition, level).
struct Stat {
  int n = 0;
  double mean = 0, lo = 0, hi = 0;
};

Stat statOf(const std::vector<double> &v) {
  Stat s;
  s.n = int(v.size());
  if (v.empty())
    return s;
  s.lo = *std::min_element(v.begin(), v.end());
  s.hi = *std::max_element(v.begin(), v.end());
  for (double x : v)
    s.mean += x;
  s.mean /= double(v.size());
  return s;
}

const char *const kColours[] = {"#d62728", "#1f77b4", "#ff7f0e", "#2ca02c",
                                "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                "#bcbd22", "#17becf"};

struct Grid {
  std::vector<Level> levels;
  /// [condition][level] -> values over seeds
  std::vector<std::vector<std::vector<double>>> acc, z, base, same;
};

Grid gridOf(const Spec &spec, const std::vector<Row> &rows) {
  Grid g;
  if (spec.sparsities.empty())
    g.levels.push_back(Level{});
  for (double s : spec.sparsities)
    g.levels.push_back(Level{true, s, connectivityLog2(s)});
  size_t nc = spec.conditions.size(), nl = g.levels.size();
  auto empty = std::vector<std::vector<std::vector<double>>>(
      nc, std::vector<std::vector<double>>(nl));
  g.acc = g.z = g.base = g.same = empty;
  for (const Row &r : rows) {
    if (!r.done)
      continue;
    size_t l = 0;
    for (; l < nl; ++l)
      if (g.levels[l].has == r.cell->hasSparsity &&
          (!r.cell->hasSparsity || g.levels[l].sparsity == r.cell->sparsity))
        break;
    if (l == nl)
      continue;
    g.acc[r.cell->condition][l].push_back(r.result.testAccuracy);
    g.z[r.cell->condition][l].push_back(r.result.zScore);
    g.base[r.cell->condition][l].push_back(r.result.baselineMean);
    g.same[r.cell->condition][l].push_back(r.result.sameFraction);
  }
  return g;
}

std::string svgPlot(const Spec &spec, const Grid &g, bool inHtml) {
  const double W = 720, H = 420, L = 60, R = 260, T = 40, B = 50;
  double kmin = 1e300, kmax = -1e300, top = 0.1;
  for (const Level &l : g.levels) {
    kmin = std::min(kmin, l.k);
    kmax = std::max(kmax, l.k);
  }
  if (kmax <= kmin)
    kmax = kmin + 1;
  for (const auto &c : g.acc)
    for (const auto &v : c)
      for (double a : v)
        top = std::max(top, a);
  top = std::min(1.0, std::ceil(top * 1.1 * 10) / 10);
  auto X = [&](double k) {
    return L + (W - L - R) * (k - kmin) / (kmax - kmin);
  };
  auto Y = [&](double a) { return H - B - (H - T - B) * a / top; };
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg'"
    << (inHtml ? " id='figure3' class='snnc-figure'" : "") << " width='" << W
    << "' height='" << H << "' viewBox='0 0 " << W << " " << H
    << "' font-family='sans-serif' font-size='11'>\n";
  o << "<rect width='100%' height='100%' fill='white'/>\n";
  o << "<text x='" << L << "' y='20' font-size='13'>"
    << htmlEscape(spec.title.empty() ? "Test accuracy vs connectivity"
                                     : spec.title)
    << "</text>\n";
  o << "<line x1='" << L << "' y1='" << H - B << "' x2='" << W - R << "' y2='"
    << H - B << "' stroke='black'/>\n";
  o << "<line x1='" << L << "' y1='" << T << "' x2='" << L << "' y2='" << H - B
    << "' stroke='black'/>\n";
  for (const Level &l : g.levels)
    o << "<text x='" << fmt("%.1f", X(l.k)) << "' y='" << H - B + 15
      << "' text-anchor='middle'>" << connectivityText(l) << "</text>\n";
  o << "<text x='" << (L + W - R) / 2 << "' y='" << H - 12
    << "' text-anchor='middle'>connectivity (1 - sparsity)</text>\n";
  for (int i = 0; i <= 5; ++i) {
    double a = top * i / 5;
    o << "<text x='" << L - 5 << "' y='" << fmt("%.1f", Y(a) + 4)
      << "' text-anchor='end'>" << fmt("%.0f", 100 * a) << "%</text>\n";
    o << "<line x1='" << L << "' y1='" << fmt("%.1f", Y(a)) << "' x2='" << W - R
      << "' y2='" << fmt("%.1f", Y(a)) << "' stroke='#eee'/>\n";
  }
  for (size_t c = 0; c < spec.conditions.size(); ++c) {
    const char *colour = kColours[c % (sizeof kColours / sizeof *kColours)];
    std::string points;
    std::ostringstream marks;
    for (size_t l = 0; l < g.levels.size(); ++l) {
      Stat s = statOf(g.acc[c][l]);
      if (!s.n)
        continue;
      // Conditions side by side around each level, so that equal means
      // and their bars do not hide each other.
      double x = X(g.levels[l].k) +
                 5.0 * (double(c) - 0.5 * double(spec.conditions.size() - 1));
      points += fmt("%.1f", x) + "," + fmt("%.1f", Y(s.mean)) + " ";
      marks << "<line x1='" << fmt("%.1f", x) << "' y1='"
            << fmt("%.1f", Y(s.lo)) << "' x2='" << fmt("%.1f", x) << "' y2='"
            << fmt("%.1f", Y(s.hi)) << "' stroke='" << colour << "'/>\n";
      marks << "<circle cx='" << fmt("%.1f", x) << "' cy='"
            << fmt("%.1f", Y(s.mean)) << "' r='3' fill='" << colour
            << "'><title>" << htmlEscape(spec.conditions[c].name) << ", "
            << connectivityText(g.levels[l]) << ": mean "
            << fmt("%.1f", 100 * s.mean) << "%, " << fmt("%.1f", 100 * s.lo)
            << "-" << fmt("%.1f", 100 * s.hi) << "% over " << s.n
            << " seeds</title></circle>\n";
    }
    if (!points.empty())
      o << "<polyline fill='none' stroke='" << colour
        << "' stroke-width='2' points='" << points << "'/>\n"
        << marks.str();
    o << "<rect x='" << W - R + 10 << "' y='" << T + 20 * c + 5
      << "' width='12' height='3' fill='" << colour << "'/>\n";
    o << "<text x='" << W - R + 26 << "' y='" << T + 20 * c + 10 << "'>"
      << htmlEscape(spec.conditions[c].name) << "</text>\n";
  }
  o << "<text x='" << W - R + 10 << "' y='"
    << T + 20 * spec.conditions.size() + 20
    << "' fill='#555'>dots: mean over seeds; bars: min-max</text>\n";
  o << "</svg>\n";
  return o.str();
}

std::string csvOf(const Spec &spec, const std::vector<Row> &rows) {
  std::ostringstream o;
  o << "cell,condition,sparsity,connectivity,seed,epochs,test_accuracy,"
       "val_accuracy,train_accuracy,kept_epoch,synapses,z_projection,"
       "z_score,same_fraction,baseline_mean,baseline_std,pairs,"
       "train_seconds,options\n";
  for (const Row &r : rows) {
    if (!r.done)
      continue;
    const Cell &c = *r.cell;
    const CellResult &x = r.result;
    o << c.tag << "," << csvField(spec.conditions[c.condition].name) << ","
      << (c.hasSparsity ? fmt("%.9g", c.sparsity) : "") << ","
      << (c.hasSparsity ? fmt("%.9g", 1 - c.sparsity) : "") << "," << c.seed
      << "," << x.epochsRun << "," << fmt("%.4f", x.testAccuracy) << ","
      << (x.valAccuracy >= 0 ? fmt("%.4f", x.valAccuracy) : "") << ","
      << fmt("%.4f", x.trainAccuracy) << "," << x.keptEpoch << "," << x.synapses
      << "," << x.zProjection << "," << fmt("%.3f", x.zScore) << ","
      << fmt("%.4f", x.sameFraction) << "," << fmt("%.4f", x.baselineMean)
      << "," << fmt("%.4f", x.baselineStd) << "," << x.pairs << ","
      << fmt("%.1f", x.trainSeconds) << "," << csvField(joinArgs(c.args))
      << "\n";
  }
  return o.str();
}

json::Object resultObject(const CellResult &x) {
  return json::Object{
      {"test_accuracy", x.testAccuracy},
      {"val_accuracy",
       x.valAccuracy >= 0 ? json::Value(x.valAccuracy) : json::Value(nullptr)},
      {"train_accuracy", x.trainAccuracy},
      {"kept_epoch", x.keptEpoch},
      {"epochs_run", x.epochsRun},
      {"synapses", int64_t(x.synapses)},
      {"ei_grouping", json::Object{{"projection", x.zProjection},
                                   {"z_score", x.zScore},
                                   {"same_fraction", x.sameFraction},
                                   {"baseline_mean", x.baselineMean},
                                   {"baseline_std", x.baselineStd},
                                   {"pairs", int64_t(x.pairs)}}},
      {"train_seconds", x.trainSeconds}};
}

std::string jsonOf(const Spec &spec, const std::vector<Row> &rows) {
  json::Array cells;
  for (const Row &r : rows) {
    const Cell &c = *r.cell;
    json::Array args;
    for (const auto &a : c.args)
      args.push_back(a);
    json::Object o{{"cell", c.tag},
                   {"condition", spec.conditions[c.condition].name},
                   {"seed", c.seed},
                   {"train_args", std::move(args)},
                   {"done", r.done}};
    if (c.hasSparsity) {
      o["sparsity"] = c.sparsity;
      o["connectivity"] = 1 - c.sparsity;
    }
    if (r.done)
      o["result"] = resultObject(r.result);
    cells.push_back(std::move(o));
  }
  json::Object top{{"spec", spec.path},
                   {"epochs", spec.epochs},
                   {"cells", std::move(cells)}};
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::formatv("{0:2}", json::Value(std::move(top))) << "\n";
  return os.str();
}

std::string htmlOf(const Spec &spec, const std::vector<Row> &rows,
                   const Grid &g) {
  size_t done = 0;
  for (const Row &r : rows)
    done += r.done;
  std::string title = spec.title.empty()
                          ? "snnc sweep: test accuracy vs connectivity"
                          : spec.title;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>"
    << htmlEscape(title) << "</title>\n<style>body{font-family:sans-serif;"
    << "margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
    << "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
    << "th:first-child,td:first-child{text-align:left}</style></head><body>\n";
  o << "<h1>" << htmlEscape(title) << "</h1>\n";
  o << "<p>" << done << " of " << rows.size() << " cells finished ("
    << spec.conditions.size() << " conditions, " << g.levels.size()
    << " sparsities, " << spec.seeds.size() << " seeds, " << spec.epochs
    << " epochs each) from <code>" << htmlEscape(spec.path)
    << "</code>. Files: <a href='figure3.csv'>figure3.csv</a>, "
    << "<a href='figure3.json'>figure3.json</a>, "
    << "<a href='figure3.svg'>figure3.svg</a>.</p>\n";
  o << "<h2>Test accuracy</h2>\n" << svgPlot(spec, g, true);
  auto table = [&](const char *id, const char *what,
                   const std::vector<std::vector<std::vector<double>>> &v,
                   bool percent) {
    o << "<table id='" << id << "'><tr><th>connectivity</th>";
    for (const Condition &c : spec.conditions)
      o << "<th>" << htmlEscape(c.name) << "</th>";
    o << "</tr>\n";
    for (size_t l = 0; l < g.levels.size(); ++l) {
      o << "<tr><td>" << connectivityText(g.levels[l]) << "</td>";
      for (size_t c = 0; c < spec.conditions.size(); ++c) {
        Stat s = statOf(v[c][l]);
        double m = percent ? 100 : 1;
        const char *f = percent ? "%.1f" : "%.2f";
        if (!s.n)
          o << "<td>-</td>";
        else
          o << "<td>" << fmt(f, m * s.mean) << " [" << fmt(f, m * s.lo) << ", "
            << fmt(f, m * s.hi) << "] n=" << s.n << "</td>";
      }
      o << "</tr>\n";
    }
    o << "</table>\n<p>" << what << "</p>\n";
  };
  table("accuracy", "Test accuracy in %: mean over seeds [min, max], seeds.",
        g.acc, true);
  o << "<h2>E/I grouping</h2>\n";
  table("ei-z",
        "z-score of same-sign neighbours in (source, delay) of the "
        "input projection against a random E/I labelling of the "
        "channels (snnc analyze; docs/sparse-training.md): mean "
        "[min, max] over seeds. 0 is chance.",
        g.z, false);
  table("ei-same", "Observed fraction of same-sign neighbouring pairs.", g.same,
        false);
  table("ei-baseline",
        "Its baseline: the same-sign fraction under the random labelling "
        "(mean of the shuffles).",
        g.base, false);
  o << "<h2>Every cell</h2>\n<table id='cells'><tr><th>cell</th>"
    << "<th>test</th><th>validation</th><th>synapses</th><th>z</th>"
    << "<th>baseline</th><th>train time</th></tr>\n";
  for (const Row &r : rows) {
    o << "<tr><td>" << htmlEscape(r.cell->tag) << "</td>";
    if (!r.done) {
      o << "<td colspan='6'>not finished</td></tr>\n";
      continue;
    }
    const CellResult &x = r.result;
    o << "<td>" << fmt("%.1f%%", 100 * x.testAccuracy) << "</td><td>"
      << (x.valAccuracy >= 0 ? fmt("%.1f%%", 100 * x.valAccuracy) : "-")
      << "</td><td>" << x.synapses << "</td><td>" << fmt("%.2f", x.zScore)
      << "</td><td>" << fmt("%.3f", x.baselineMean) << "</td><td>"
      << fmt("%.0f s", x.trainSeconds) << "</td></tr>\n";
  }
  o << "</table>\n</body></html>\n";
  return o.str();
}

} // namespace

Status writeFileAtomic(const std::string &path, const std::string &text) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      ::unlink(tmp.c_str());
      return Status::error(path + ": cannot write", ErrorKind::Io);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::error(path + ": cannot write (" + why + ")", ErrorKind::Io);
  }
  return Status::ok();
}

Status writeReport(const Spec &spec, const std::vector<Row> &rows,
                   const std::string &outDir) {
  Grid g = gridOf(spec, rows);
  SNNRT_TRY(writeFileAtomic(outDir + "/figure3.csv", csvOf(spec, rows)));
  SNNRT_TRY(writeFileAtomic(outDir + "/figure3.json", jsonOf(spec, rows)));
  SNNRT_TRY(writeFileAtomic(outDir + "/figure3.svg", svgPlot(spec, g, false)));
  SNNRT_TRY(writeFileAtomic(outDir + "/figure3.html", htmlOf(spec, rows, g)));
  return Status::ok();
}

std::string resultJson(const Cell &cell, const CellResult &r) {
  json::Array args;
  for (const auto &a : cell.args)
    args.push_back(a);
  json::Object o{{"cell", cell.tag},
                 {"train_args", std::move(args)},
                 {"result", resultObject(r)}};
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::formatv("{0:2}", json::Value(std::move(o))) << "\n";
  return os.str();
}

Expected<std::pair<std::vector<std::string>, CellResult>>
readResult(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::error(path + ": cannot read", ErrorKind::Io);
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = json::parse(ss.str());
  auto bad = [&](const std::string &what) {
    return Status::error(path + ": " + what, ErrorKind::BadInput);
  };
  if (!v) {
    std::string m = llvm::toString(v.takeError());
    return bad("not valid JSON: " + m);
  }
  const json::Object *o = v->getAsObject();
  const json::Array *args = o ? o->getArray("train_args") : nullptr;
  const json::Object *res = o ? o->getObject("result") : nullptr;
  const json::Object *ei = res ? res->getObject("ei_grouping") : nullptr;
  if (!args || !res || !ei)
    return bad("not a cell result (train_args, result.ei_grouping)");
  std::vector<std::string> a;
  for (const auto &x : *args) {
    auto s = x.getAsString();
    if (!s)
      return bad("train_args: expected strings");
    a.push_back(s->str());
  }
  CellResult r;
  auto num = [&](const json::Object *obj, const char *key, double &out,
                 bool nullable = false) {
    const json::Value *x = obj->get(key);
    if (nullable && x && x->getAsNull())
      return true;
    auto d = x ? x->getAsNumber() : std::nullopt;
    if (!d)
      return false;
    out = *d;
    return true;
  };
  double kept = 0, run = 0, syn = 0, pairs = 0;
  if (!num(res, "test_accuracy", r.testAccuracy) ||
      !num(res, "val_accuracy", r.valAccuracy, true) ||
      !num(res, "train_accuracy", r.trainAccuracy) ||
      !num(res, "kept_epoch", kept) || !num(res, "epochs_run", run) ||
      !num(res, "synapses", syn) ||
      !num(res, "train_seconds", r.trainSeconds) ||
      !num(ei, "z_score", r.zScore) ||
      !num(ei, "same_fraction", r.sameFraction) ||
      !num(ei, "baseline_mean", r.baselineMean) ||
      !num(ei, "baseline_std", r.baselineStd) || !num(ei, "pairs", pairs))
    return bad("a field of the result is missing or not a number");
  r.keptEpoch = int64_t(kept);
  r.epochsRun = int64_t(run);
  r.synapses = uint64_t(syn);
  r.pairs = uint64_t(pairs);
  if (auto p = ei->getString("projection"))
    r.zProjection = p->str();
  return std::make_pair(a, r);
}

} // namespace snnc::sweep
