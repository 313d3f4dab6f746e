//===- TargetsCommand.cpp - snnc targets ----------------------------------===//
//
// Lists the built-in targets with their limits (or one target, a preset or
// a JSON file, with --target).
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"

#include "snnc/Target/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

int snnc::runTargets(int argc, char **argv) {
  bool json = false;
  std::string only;
  cli::ArgParser parser("targets",
                        "List the hardware targets snnc compiles for and "
                        "their limits.");
  parser.addFlag("--json", &json, "print a JSON array of target descriptions");
  parser.addString("--target", &only, "show one preset or validate FILE.json",
                   "NAME|FILE");
  parser.setEpilog("Any command's --target accepts a preset name or a JSON "
                   "file (schema: docs/targets.md;\nsources of each preset: "
                   "docs/targets/<name>.md).\n\nexample:\n  snnc targets "
                   "--target loihi2 --json");
  if (auto code = parser.parse(argc, argv))
    return *code;
  std::vector<Target> targets;
  std::vector<std::string> names =
      only.empty() ? presetNames() : std::vector<std::string>{only};
  for (const std::string &n : names) {
    if (auto st = cli::checkTargetFile(n); !st)
      return cli::reportError("targets", st);
    llvm::Expected<Target> t = loadTarget(n);
    if (!t)
      return cli::reportError(
          "targets", snnrt::Status::error(llvm::toString(t.takeError())));
    targets.push_back(*t);
  }
  if (json) {
    llvm::json::Array a;
    for (const Target &t : targets)
      a.push_back(t.toJSON());
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(a)))
                 << "\n";
    return cli::kSuccess;
  }
  llvm::outs() << "target       neurons   axons  synapses wbits    delays  "
                  "decay   cores  chips  arithmetic\n";
  for (const Target &t : targets) {
    std::string delays = "<" + std::to_string(t.maxDelay) +
                         (t.delays == DelayRealisation::Relay ? "+relay" : "");
    llvm::outs() << llvm::format(
        "%-11s %8lld %7lld %9lld %5lld %9s %6s %7lld %6lld  %s\n",
        t.name.c_str(), (long long)t.neuronsPerCore, (long long)t.axonsPerCore,
        (long long)t.synapsesPerCore(), (long long)t.weightBits, delays.c_str(),
        stringify(t.decay).str().c_str(), (long long)t.coresPerChip,
        (long long)t.maxChips, stringify(t.arithmetic).str().c_str());
  }
  // Say what defines each arithmetic listed, so that a target on snnc's own
  // model is never mistaken for a vendor-checked one.
  llvm::outs() << "\n";
  for (TargetArithmetic a : {TargetArithmetic::LavaCuba,
                             TargetArithmetic::XyloIaf, TargetArithmetic::Snnc})
    if (llvm::any_of(targets,
                     [&](const Target &t) { return t.arithmetic == a; }))
      llvm::outs() << "arithmetic " << stringify(a) << ": " << describe(a)
                   << "\n";
  llvm::outs() << "\nper core: neurons, input axons, synapses; delays: native "
                  "slots (+relay: longer\ndelays by relay neurons). Details: "
                  "snnc targets --json; docs/targets.md.\n";
  return cli::kSuccess;
}
