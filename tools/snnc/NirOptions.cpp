//===- NirOptions.cpp - The NIR options every subcommand shares -----------===//

#include "NirOptions.h"

#include "snnc/Import/NirImport.h"
#include "snnrt/nir/NirFile.h"

#include <cstdio>

namespace snnc::cli {

const char *const kNirConventionHelp =
    "--convention names the framework that wrote the .nir file; it fixes how "
    "tau, r and\nw_in are read, the decay mode, the default --dt-ms and the "
    "reset (docs/nir.md):\n"
    "  snntorch  linear, dt 0.1 ms, gain dt/tau*r, subtract reset\n"
    "  norse     linear, dt 1 ms, tau is written as dt*tau, zero reset "
    "keeping the input\n"
    "  rockpool  exp, dt 1 ms, r = tau*exp(-dt/tau)/dt, subtract before the "
    "decay\n"
    "  sinabs    exp with tau in steps, r = 1, IF/IAF without leak, subtract "
    "before the decay\n"
    "  spyx      linear, dt 1 s (tau in steps), r = beta, subtract (CuBaLIF: "
    "before the decay)\n"
    "  lava-dl   linear, gain dt/tau*r, zero reset keeping the input "
    "(--dt-ms required)\n"
    "  generic   NIR's equations as written; --dt-ms and --reset required\n"
    "A reset snnc's float neurons cannot express is refused unless --reset "
    "picks the\nnearest mode.";

void NirFlags::add(ArgParser &parser, const std::string &prefix) {
  parser.addChoice(
      "--convention", &convention,
      {"generic", "snntorch", "norse", "rockpool", "sinabs", "spyx", "lava-dl"},
      prefix + "the framework that wrote the file (how tau, r "
               "and the reset are read)");
  parser.addDouble("--dt-ms", &dtMs,
                   prefix + "milliseconds per step (default: the step "
                            "snnc's export recorded, else the convention's; "
                            "required for generic)");
  parser.addChoice("--reset", &reset, {"hard", "subtract"},
                   prefix + "reset mode of spiking nodes (NIR stores none; "
                            "default: the convention's; snnc-written files "
                            "remember theirs)");
  parser.addChoice("--decay", &decay, {"linear", "exp"},
                   prefix + "generic only: beta = 1 - dt/tau (linear, the "
                            "default) or exp(-dt/tau)");
  parser.addInt("--steps", &steps, prefix + "steps per sample (T)", 1, 1 << 30);
}

snnrt::Expected<NirImportOptions> NirFlags::options() const {
  NirImportOptions o;
  auto conv = snnrt::nirConventionFromName(convention);
  if (!conv)
    return snnrt::Status::error("--convention: unknown convention '" +
                                    convention + "'",
                                snnrt::ErrorKind::BadInput);
  o.convention = *conv;
  o.dt = dtMs * 1e-3;
  if (reset == "hard")
    o.reset = snnrt::ResetMode::Hard;
  else if (reset == "subtract")
    o.reset = snnrt::ResetMode::Subtract;
  snnrt::DecayMode asked =
      decay == "exp" ? snnrt::DecayMode::Exp : snnrt::DecayMode::Linear;
  if (!decay.empty() && o.convention != snnrt::NirConvention::Generic &&
      snnrt::nirConventionDecay(o.convention, asked) != asked)
    return snnrt::Status::error(
        "--decay " + decay + " contradicts --convention " + convention +
            ", which decays " +
            (asked == snnrt::DecayMode::Exp ? "linearly" : "exponentially"),
        snnrt::ErrorKind::BadInput);
  o.decay = asked;
  o.steps = static_cast<uint32_t>(steps);
  return o;
}

snnrt::Expected<snnrt::Model> readNirModel(const std::string &path,
                                           const NirFlags &flags) {
  auto options = flags.options();
  if (!options)
    return options.status();
  auto graph = snnrt::readNir(path);
  if (!graph)
    return graph.status();
  for (const std::string &note : graph->notes)
    std::fprintf(stderr, "note: %s: %s\n", path.c_str(), note.c_str());
  return nirToModel(*graph, *options, path);
}

} // namespace snnc::cli
