//===- SweepSpec.cpp - The JSON spec of snnc sweep ------------------------===//
//
// JSON through llvm::json (the LLVM the compiler links already has a
// well-kept parser with line/column errors; no TOML parser is available, so
// specs are JSON only). Every error names the spec file and the key.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "Sweep.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace snnc::sweep {

namespace json = llvm::json;
using snnrt::ErrorKind;
using snnrt::Expected;
using snnrt::Status;

namespace {

/// Options a sweep sets itself for every cell, so a spec may not.
const std::set<std::string> kReserved = {
    "train", "test",     "out",    "checkpoint", "resume", "quiet",
    "seed",  "sparsity", "epochs", "help",       "h"};

const char *kKnownKeys =
    "train, test, epochs, seeds, sparsities, conditions, options, title";

std::string folderOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

std::string formatNumber(double v) {
  // The shortest of %.15g and %.17g that reads back as the same double.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v)
    std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A lowercase name made of [a-z0-9.-], for folder names.
std::string slugOf(const std::string &text) {
  std::string s;
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
      s += c;
    else if (c >= 'A' && c <= 'Z')
      s += char(c - 'A' + 'a');
    else if (!s.empty() && s.back() != '-')
      s += '-';
  }
  while (!s.empty() && s.back() == '-')
    s.pop_back();
  return s.empty() ? "cell" : s;
}

class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status error(const std::string &key, const std::string &what) const {
    return Status::error(file_ + ": " + key + ": " + what, ErrorKind::BadInput);
  }

  /// One train option: a string, a number, or a boolean (true: the flag,
  /// false: left out). `key` is where it sits in the spec.
  Status option(const std::string &where, const std::string &name,
                const json::Value &v, std::vector<TrainOption> &out) const {
    if (kReserved.count(name))
      return error(where,
                   "set by the sweep for every cell (" +
                       std::string(name == "seed"       ? "use \"seeds\""
                                   : name == "sparsity" ? "use \"sparsities\""
                                   : name == "epochs"   ? "use \"epochs\""
                                   : name == "train" || name == "test"
                                       ? "give it at the top level"
                                       : "not an option here") +
                       ")");
    TrainOption o;
    o.key = name;
    if (auto s = v.getAsString()) {
      o.value = s->str();
    } else if (auto b = v.getAsBoolean()) {
      if (!*b)
        return Status::ok();
      o.isFlag = true;
    } else if (auto i = v.getAsInteger()) {
      o.value = std::to_string(*i);
    } else if (auto d = v.getAsNumber()) {
      o.value = formatNumber(*d);
    } else {
      return error(where, "expected a string, a number or true/false");
    }
    // snnc train's own parser checks the option and its value now, not
    // after the first cell has started.
    std::vector<std::string> args = {"--" + o.key};
    if (!o.isFlag)
      args.push_back(o.value);
    std::string problem = checkTrainArguments(args);
    if (!problem.empty())
      return error(where, "snnc train rejects it: " + problem);
    out.push_back(o);
    return Status::ok();
  }

  Status options(const std::string &where, const json::Object &obj,
                 std::vector<TrainOption> &out) const {
    for (const auto &kv : obj)
      SNNRT_TRY(
          option(where + "." + kv.first.str(), kv.first.str(), kv.second, out));
    return Status::ok();
  }

  Expected<std::string> path(const json::Object &top, const char *key,
                             bool required) const {
    const json::Value *v = top.get(key);
    if (!v) {
      if (required)
        return error(key, "missing (the dataset file, from 'snnc data')");
      return std::string();
    }
    auto s = v->getAsString();
    if (!s || s->empty())
      return error(key, "expected a file name (a string)");
    std::string p = s->str();
    if (p[0] != '/')
      p = folderOf(file_) + p;
    return p;
  }

private:
  std::string file_;
};

std::string textOf(const std::string &path, Status &st) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    st = Status::error(path + ": cannot read the spec", ErrorKind::Io);
    return "";
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

Expected<Spec> readSpec(const std::string &file) {
  Status io;
  std::string text = textOf(file, io);
  if (!io)
    return io;
  auto parsed = json::parse(text);
  if (!parsed) {
    // llvm::json says "[LINE:COL, byte=N]: what"; shown as FILE:LINE:COL.
    std::string msg = llvm::toString(parsed.takeError()), where;
    size_t comma = msg.find(", byte="), close = msg.find("]: ");
    if (!msg.empty() && msg[0] == '[' && comma != std::string::npos &&
        close != std::string::npos && comma < close) {
      where = ":" + msg.substr(1, comma - 1);
      msg = msg.substr(close + 3);
    }
    return Status::error(file + where + ": not valid JSON: " + msg,
                         ErrorKind::BadInput);
  }
  Reader r(file);
  const json::Object *top = parsed->getAsObject();
  if (!top)
    return Status::error(file + ": expected a JSON object at the top",
                         ErrorKind::BadInput);
  static const std::set<std::string> known = {
      "train",      "test",       "epochs",  "seeds",
      "sparsities", "conditions", "options", "title"};
  for (const auto &kv : *top)
    if (!known.count(kv.first.str()))
      return r.error(kv.first.str(),
                     std::string("unknown key (expected ") + kKnownKeys + ")");
  Spec spec;
  spec.path = file;
  auto train = r.path(*top, "train", true);
  if (!train)
    return train.status();
  spec.trainPath = *train;
  auto test = r.path(*top, "test", false);
  if (!test)
    return test.status();
  spec.testPath = *test;

  const json::Value *epochs = top->get("epochs");
  if (!epochs)
    return r.error("epochs", "missing (epochs of every cell)");
  auto e = epochs->getAsInteger();
  if (!e || *e < 1)
    return r.error("epochs", "expected a positive integer");
  spec.epochs = *e;

  if (const json::Value *t = top->get("title")) {
    auto s = t->getAsString();
    if (!s)
      return r.error("title", "expected a string");
    spec.title = s->str();
  }

  // seeds: a list of seeds, or N for seeds 1..N.
  const json::Value *seeds = top->get("seeds");
  if (!seeds)
    return r.error("seeds", "missing (a list of seeds, or N for 1..N)");
  if (auto n = seeds->getAsInteger()) {
    if (*n < 1 || *n > 100000)
      return r.error("seeds", "expected N in [1, 100000] or a list");
    for (int64_t s = 1; s <= *n; ++s)
      spec.seeds.push_back(s);
  } else if (const json::Array *a = seeds->getAsArray()) {
    std::set<int64_t> seen;
    for (size_t i = 0; i < a->size(); ++i) {
      auto s = (*a)[i].getAsInteger();
      std::string key = "seeds[" + std::to_string(i) + "]";
      if (!s || *s < 0)
        return r.error(key, "expected a non-negative integer");
      if (!seen.insert(*s).second)
        return r.error(key, "seed " + std::to_string(*s) + " given twice");
      spec.seeds.push_back(*s);
    }
    if (spec.seeds.empty())
      return r.error("seeds", "empty list");
  } else {
    return r.error("seeds", "expected a list of seeds, or N for 1..N");
  }

  // sparsities: numbers in [0, 1), or {"k": [...]} for 1 - 2^-k.
  if (const json::Value *sp = top->get("sparsities")) {
    const json::Array *list = sp->getAsArray();
    bool byK = false;
    std::string base = "sparsities";
    if (!list) {
      const json::Object *o = sp->getAsObject();
      if (!o || o->size() != 1 || !o->get("k") || !o->get("k")->getAsArray())
        return r.error("sparsities", "expected a list of sparsities in "
                                     "[0, 1) or {\"k\": [k, ...]} for "
                                     "1 - 2^-k");
      list = o->get("k")->getAsArray();
      byK = true;
      base = "sparsities.k";
    }
    if (list->empty())
      return r.error(base, "empty list");
    for (size_t i = 0; i < list->size(); ++i) {
      std::string key = base + "[" + std::to_string(i) + "]";
      double s;
      if (byK) {
        auto k = (*list)[i].getAsInteger();
        if (!k || *k < 0 || *k > 30)
          return r.error(key, "expected an integer k in [0, 30]");
        s = 1.0 - std::ldexp(1.0, -int(*k));
      } else {
        auto d = (*list)[i].getAsNumber();
        if (!d || !(*d >= 0 && *d < 1))
          return r.error(key, "expected a sparsity in [0, 1)");
        s = *d;
      }
      for (double t : spec.sparsities)
        if (t == s)
          return r.error(key, "sparsity " + formatNumber(s) + " given twice");
      spec.sparsities.push_back(s);
    }
  }

  if (const json::Value *opts = top->get("options")) {
    const json::Object *o = opts->getAsObject();
    if (!o)
      return r.error("options", "expected an object of snnc train options "
                                "(\"hidden\": 128, ...)");
    SNNRT_TRY(r.options("options", *o, spec.options));
  }

  // conditions: a list of {"name": ..., option: value, ...}, or an object
  // of option lists whose product is the grid's conditions.
  if (const json::Value *cv = top->get("conditions")) {
    if (const json::Array *a = cv->getAsArray()) {
      if (a->empty())
        return r.error("conditions", "empty list");
      for (size_t i = 0; i < a->size(); ++i) {
        std::string key = "conditions[" + std::to_string(i) + "]";
        const json::Object *o = (*a)[i].getAsObject();
        if (!o)
          return r.error(key, "expected an object of train options with "
                              "an optional \"name\"");
        Condition c;
        for (const auto &kv : *o) {
          if (kv.first == "name") {
            auto n = kv.second.getAsString();
            if (!n || n->empty())
              return r.error(key + ".name", "expected a non-empty string");
            c.name = n->str();
            continue;
          }
          if (kv.first == "threads")
            return r.error(key + ".threads",
                           "give it in \"options\" (it is how cells run, "
                           "not a condition)");
          SNNRT_TRY(r.option(key + "." + kv.first.str(), kv.first.str(),
                             kv.second, c.options));
        }
        spec.conditions.push_back(c);
      }
    } else if (const json::Object *o = cv->getAsObject()) {
      // llvm::json::Object iterates in hash order: sort the keys so the
      // conditions come out the same every time.
      std::vector<std::string> keys;
      for (const auto &kv : *o)
        keys.push_back(kv.first.str());
      std::sort(keys.begin(), keys.end());
      std::vector<Condition> product = {Condition{}};
      for (const std::string &k : keys) {
        const json::Array *vals = o->get(k)->getAsArray();
        std::string key = "conditions." + k;
        if (k == "threads")
          return r.error(key, "give it in \"options\" (it is how cells "
                              "run, not a condition)");
        if (!vals || vals->empty())
          return r.error(key, "expected a non-empty list of values");
        std::vector<Condition> next;
        for (const Condition &c : product)
          for (size_t i = 0; i < vals->size(); ++i) {
            Condition d = c;
            SNNRT_TRY(r.option(key + "[" + std::to_string(i) + "]", k,
                               (*vals)[i], d.options));
            next.push_back(d);
          }
        product = next;
      }
      spec.conditions = product;
    } else {
      return r.error("conditions", "expected a list of conditions or an "
                                   "object of option lists");
    }
  }
  if (spec.conditions.empty())
    spec.conditions.push_back(Condition{});

  // Names: given, or made of the options ("delays=learn rewire=rigl").
  std::set<std::string> slugs;
  for (size_t i = 0; i < spec.conditions.size(); ++i) {
    Condition &c = spec.conditions[i];
    if (c.name.empty()) {
      for (const TrainOption &o : c.options)
        c.name += (c.name.empty() ? "" : " ") + o.key +
                  (o.isFlag ? "" : "=" + o.value);
      if (c.name.empty())
        c.name = "default";
    }
    c.slug = slugOf(c.name);
    if (!slugs.insert(c.slug).second)
      return r.error("conditions[" + std::to_string(i) + "]",
                     "two conditions have the same name ('" + c.name + "')");
    for (const TrainOption &o : c.options)
      for (const TrainOption &g : spec.options)
        if (o.key == g.key)
          return r.error("conditions[" + std::to_string(i) + "]." + o.key,
                         "also set in \"options\" (give it in one place)");
  }
  return spec;
}

std::vector<Cell> expandCells(const Spec &spec) {
  std::vector<Cell> cells;
  std::vector<std::pair<bool, double>> levels;
  if (spec.sparsities.empty())
    levels.push_back({false, 0});
  for (double s : spec.sparsities)
    levels.push_back({true, s});
  auto add = [](std::vector<std::string> &args, const TrainOption &o) {
    args.push_back("--" + o.key);
    if (!o.isFlag)
      args.push_back(o.value);
  };
  for (const auto &level : levels)
    for (size_t c = 0; c < spec.conditions.size(); ++c)
      for (int64_t seed : spec.seeds) {
        Cell cell;
        cell.index = cells.size();
        cell.condition = c;
        cell.hasSparsity = level.first;
        cell.sparsity = level.second;
        cell.seed = seed;
        cell.tag = spec.conditions[c].slug;
        if (level.first)
          cell.tag += "_sparsity-" + formatNumber(level.second);
        cell.tag += "_seed-" + std::to_string(seed);
        cell.args = {"--epochs", std::to_string(spec.epochs), "--seed",
                     std::to_string(seed)};
        if (level.first) {
          cell.args.push_back("--sparsity");
          cell.args.push_back(formatNumber(level.second));
        }
        for (const TrainOption &o : spec.options)
          if (o.key != "threads")
            add(cell.args, o);
        for (const TrainOption &o : spec.conditions[c].options)
          if (o.key != "threads")
            add(cell.args, o);
        cells.push_back(cell);
      }
  return cells;
}

double connectivityLog2(double sparsity) { return -std::log2(1.0 - sparsity); }

} // namespace snnc::sweep
