//===- Cli.h - Option parsing shared by every snnc subcommand ---*- C++ -*-===//
//
// One small parser so that every subcommand has the same --help layout, the
// same error wording and the same exit codes (docs/user-guide.md#exit-codes).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace snnc::cli {

/// Documented exit codes of `snnc`.
enum ExitCode : int {
  kSuccess = 0,
  kBadInput = 2,      ///< bad usage, or an input file that is malformed
  kIoError = 3,       ///< a file could not be read or written
  kVerifyFailed = 4,  ///< `snnc verify` found a mismatch
  kDoesNotFit = 5,    ///< the network cannot be mapped onto the target
  kNoDevice = 6,      ///< `--device cuda` but no usable CUDA device
  kInternal = 70,     ///< a bug in snnc
};

/// Prints "snnc <command>: error: <message>" and returns the exit code for it.
int reportError(const std::string &command, const snnrt::Status &status);

/// A duration for progress lines: "1h02m", "3m05s", and under a minute
/// "42s" or, with `tenths`, "4.2s".
std::string formatDuration(double seconds, bool tenths = false);

/// What the common input kinds are called in messages (Files.h).
inline constexpr const char *kExpectDataset = "a snnc dataset from 'snnc data'";
inline constexpr const char *kExpectModel = "a snnc model.h5 from 'snnc train'";
inline constexpr const char *kExpectPlan = "a plan.h5 from 'snnc compile'";
inline constexpr const char *kExpectNetwork =
    "a snnc model.h5, a NIR graph or snn MLIR";

/// Text of the exit-code list every help shows.
extern const char *const kExitCodesHelp;

class ArgParser {
public:
  ArgParser(std::string command, std::string summary);

  void addString(const std::string &flag, std::string *out,
                 const std::string &help, const std::string &metavar = "VALUE",
                 bool required = false);
  void addInt(const std::string &flag, int64_t *out, const std::string &help,
              int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  void addDouble(const std::string &flag, double *out, const std::string &help);
  void addFlag(const std::string &flag, bool *out, const std::string &help);
  void addChoice(const std::string &flag, std::string *out,
                 const std::vector<std::string> &choices,
                 const std::string &help);
  void addPositional(const std::string &name, std::string *out,
                     const std::string &help, bool required = true);
  /// Collects every remaining positional argument.
  void addPositionalList(const std::string &name,
                         std::vector<std::string> *out,
                         const std::string &help, bool required = true);
  /// Usage errors go into *sink instead of stderr (snnc sweep checks a
  /// spec's train options with train's own parser).
  void setErrorSink(std::string *sink) { errorSink_ = sink; }
  /// Free text printed after the options in --help (examples, notes).
  void setEpilog(const std::string &text) { epilog_ = text; }

  /// Parses argv (argv[0] is the subcommand name). Returns an exit code when
  /// the caller must stop (after --help: 0; on a usage error: kBadInput).
  std::optional<int> parse(int argc, char **argv);
  void printHelp() const;

private:
  enum class Kind { String, Int, Double, Flag, Choice };
  struct Option {
    std::string flag, help, metavar;
    Kind kind;
    void *out;
    bool required = false;
    bool seen = false;
    int64_t min = INT64_MIN, max = INT64_MAX;
    std::vector<std::string> choices;
    std::string defaultText;
  };
  struct Positional {
    std::string name, help;
    std::string *out = nullptr;
    std::vector<std::string> *list = nullptr;
    bool required = true;
  };
  int usageError(const std::string &message) const;
  bool assign(Option &opt, const std::string &value, std::string &error);

  std::string command_, summary_, epilog_;
  std::string *errorSink_ = nullptr;
  std::vector<Option> options_;
  std::vector<Positional> positionals_;
};

/// Progress of a per-sample job on stderr: on a terminal one line that
/// counts up; in a log, a line per 10 %.
std::function<void(size_t done, size_t total)> sampleProgress();

} // namespace snnc::cli
