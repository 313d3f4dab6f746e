//===- FuzzCli.cpp - libFuzzer target for snnc's option parsing -----------===//
//
// The input is an argument vector (arguments separated by NUL bytes) given to
// snnc::cli::ArgParser, the parser every subcommand uses, set up with one
// option of each kind the subcommands declare: string (required), bounded
// integer, double, flag, choice, a positional and a positional list.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // argv[0] is the subcommand; the rest split at NULs.
  std::vector<std::string> args{"fuzz"};
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(char(data[i]));
    }
  }
  if (!cur.empty())
    args.push_back(cur);
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  std::string out, strategy = "metis", input;
  int64_t epochs = 10, bits = 0;
  double lr = 1e-3;
  bool json = false;
  std::vector<std::string> rest;
  snnc::cli::ArgParser parser("fuzz", "option parsing under libFuzzer");
  parser.addString("--out", &out, "output", "FILE", /*required=*/true);
  parser.addInt("--epochs", &epochs, "epochs", 1, 1 << 20);
  parser.addInt("--weight-bits", &bits, "bits", 2, 16);
  parser.addDouble("--lr", &lr, "learning rate");
  parser.addFlag("--json", &json, "json");
  parser.addChoice("--strategy", &strategy, {"metis", "sequential"},
                   "partitioner");
  parser.addPositional("input", &input, "input file");
  parser.addPositionalList("more", &rest, "more files", /*required=*/false);
  // --help and usage errors print (run with -close_fd_mask=3 to hide it).
  (void)parser.parse(int(argv.size() - 1), argv.data());
  return 0;
}
