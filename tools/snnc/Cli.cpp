//===- Cli.cpp - Option parsing shared by every snnc subcommand -----------===//

#include "Cli.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace snnc::cli {

const char *const kExitCodesHelp =
    "exit codes: 0 success, 2 bad usage or input, 3 I/O error, 4 verification "
    "failed,\n5 does not fit the target, 6 no usable CUDA device (--device "
    "cuda), 70 internal\nerror (docs/user-guide.md#exit-codes).";

std::string formatDuration(double s, bool tenths) {
  char buf[32];
  long t = long(std::lround(s));
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else if (tenths)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

int reportError(const std::string &command, const snnrt::Status &status) {
  std::fprintf(stderr, "snnc %s: error: %s\n", command.c_str(),
               status.message().c_str());
  switch (status.kind()) {
  case snnrt::ErrorKind::BadInput:
    return kBadInput;
  case snnrt::ErrorKind::Io:
    return kIoError;
  case snnrt::ErrorKind::Mismatch:
    return kVerifyFailed;
  case snnrt::ErrorKind::Internal:
    return kInternal;
  }
  return kInternal;
}

ArgParser::ArgParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void ArgParser::addString(const std::string &flag, std::string *out,
                          const std::string &help, const std::string &metavar,
                          bool required) {
  options_.push_back({flag, help, metavar, Kind::String, out, required});
  if (!out->empty())
    options_.back().defaultText = *out;
}

void ArgParser::addInt(const std::string &flag, int64_t *out,
                       const std::string &help, int64_t min, int64_t max) {
  Option o{flag, help, "N", Kind::Int, out};
  o.min = min;
  o.max = max;
  o.defaultText = std::to_string(*out);
  options_.push_back(o);
}

void ArgParser::addDouble(const std::string &flag, double *out,
                          const std::string &help) {
  Option o{flag, help, "X", Kind::Double, out};
  std::ostringstream s;
  s << *out;
  o.defaultText = s.str();
  options_.push_back(o);
}

void ArgParser::addFlag(const std::string &flag, bool *out,
                        const std::string &help) {
  options_.push_back({flag, help, "", Kind::Flag, out});
}

void ArgParser::addChoice(const std::string &flag, std::string *out,
                          const std::vector<std::string> &choices,
                          const std::string &help) {
  std::string metavar;
  for (const auto &c : choices)
    metavar += (metavar.empty() ? "" : "|") + c;
  Option o{flag, help, metavar, Kind::Choice, out};
  o.choices = choices;
  o.defaultText = *out;
  options_.push_back(o);
}

void ArgParser::addPositional(const std::string &name, std::string *out,
                              const std::string &help, bool required) {
  positionals_.push_back({name, help, out, nullptr, required});
}

void ArgParser::addPositionalList(const std::string &name,
                                  std::vector<std::string> *out,
                                  const std::string &help, bool required) {
  positionals_.push_back({name, help, nullptr, out, required});
}

void ArgParser::printHelp() const {
  std::printf("usage: snnc %s", command_.c_str());
  for (const auto &p : positionals_)
    std::printf(p.required ? " %s%s" : " [%s%s]", p.name.c_str(),
                p.list ? "..." : "");
  if (!options_.empty())
    std::printf(" [options]");
  std::printf("\n\n%s\n", summary_.c_str());
  if (!positionals_.empty()) {
    std::printf("\narguments:\n");
    for (const auto &p : positionals_)
      std::printf("  %-28s %s\n", p.name.c_str(), p.help.c_str());
  }
  std::printf("\noptions:\n");
  for (const auto &o : options_) {
    std::string left = o.flag + (o.metavar.empty() ? "" : " " + o.metavar);
    std::string help = o.help;
    if (o.required)
      help += " (required)";
    else if (!o.defaultText.empty())
      help += " [default: " + o.defaultText + "]";
    if (left.size() > 28)
      std::printf("  %s\n  %-28s %s\n", left.c_str(), "", help.c_str());
    else
      std::printf("  %-28s %s\n", left.c_str(), help.c_str());
  }
  std::printf("  %-28s %s\n", "-h, --help", "show this help and exit");
  if (!epilog_.empty())
    std::printf("\n%s\n", epilog_.c_str());
  std::printf("\n%s\n", kExitCodesHelp);
}

int ArgParser::usageError(const std::string &message) const {
  if (errorSink_) {
    *errorSink_ = message;
    return kBadInput;
  }
  std::fprintf(stderr, "snnc %s: error: %s\n(see 'snnc %s --help')\n",
               command_.c_str(), message.c_str(), command_.c_str());
  return kBadInput;
}

bool ArgParser::assign(Option &opt, const std::string &value,
                       std::string &error) {
  switch (opt.kind) {
  case Kind::String:
    *static_cast<std::string *>(opt.out) = value;
    return true;
  case Kind::Int: {
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end || errno) {
      error = opt.flag + " expects an integer, got '" + value + "'";
      return false;
    }
    if (v < opt.min || v > opt.max) {
      error = opt.flag + " must lie in [" + std::to_string(opt.min) + ", " +
              std::to_string(opt.max) + "], got " + value;
      return false;
    }
    *static_cast<int64_t *>(opt.out) = v;
    return true;
  }
  case Kind::Double: {
    errno = 0;
    char *end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end || errno || !std::isfinite(v)) {
      error = opt.flag + " expects a finite number, got '" + value + "'";
      return false;
    }
    *static_cast<double *>(opt.out) = v;
    return true;
  }
  case Kind::Choice:
    for (const auto &c : opt.choices)
      if (c == value) {
        *static_cast<std::string *>(opt.out) = value;
        return true;
      }
    error = opt.flag + " expects one of " + opt.metavar + ", got '" + value +
            "'";
    return false;
  case Kind::Flag:
    *static_cast<bool *>(opt.out) = true;
    return true;
  }
  return false;
}

std::optional<int> ArgParser::parse(int argc, char **argv) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      printHelp();
      return kSuccess;
    }
    if (arg == "--") {
      for (++i; i < argc; ++i)
        positional.push_back(argv[i]);
      break;
    }
    if (arg.size() > 1 && arg[0] == '-' &&
        !(std::isdigit(static_cast<unsigned char>(arg[1])))) {
      std::string value;
      bool hasValue = false;
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
        hasValue = true;
      }
      Option *match = nullptr;
      for (auto &o : options_)
        if (o.flag == arg)
          match = &o;
      if (!match)
        return usageError("unknown option '" + arg + "'");
      if (match->kind == Kind::Flag) {
        if (hasValue)
          return usageError(arg + " takes no value");
      } else if (!hasValue) {
        if (i + 1 >= argc)
          return usageError(arg + " needs a value (" + match->metavar + ")");
        value = argv[++i];
      }
      std::string error;
      if (!assign(*match, value, error))
        return usageError(error);
      match->seen = true;
      continue;
    }
    positional.push_back(arg);
  }
  size_t next = 0;
  for (auto &p : positionals_) {
    if (p.list) {
      while (next < positional.size())
        p.list->push_back(positional[next++]);
      if (p.required && p.list->empty())
        return usageError("missing " + p.name);
    } else if (next < positional.size()) {
      *p.out = positional[next++];
    } else if (p.required) {
      return usageError("missing " + p.name);
    }
  }
  if (next < positional.size())
    return usageError("unexpected argument '" + positional[next] + "'");
  for (const auto &o : options_)
    if (o.required && !o.seen)
      return usageError("missing required option " + o.flag);
  return std::nullopt;
}

std::function<void(size_t, size_t)> sampleProgress() {
  return [tty = ::isatty(2) == 1, shown = size_t(0)](size_t done,
                                                     size_t total) mutable {
    if (total == 0)
      return;
    if (tty) {
      std::fprintf(stderr, "\r  %zu/%zu samples", done, total);
      if (done == total)
        std::fprintf(stderr, "\n");
    } else if (done == total || done * 10 / total > shown * 10 / total) {
      std::fprintf(stderr, "  %zu/%zu samples\n", done, total);
      shown = done;
    }
  };
}

} // namespace snnc::cli
