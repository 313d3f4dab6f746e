//===- VerifyCommand.cpp - snnc verify ------------------------------------===//
//
// Proves a deployment: docs/design.md §5's levels for a trained model
// and the plan compiled from it. Exit code 4 when an exact level (1, 2, 3, 5) fails.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "DeviceOption.h"
#include "Files.h"
#include "NirOptions.h"

#include "snnc/Verify/Verify.h"
#include "snnrt/model/ModelFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace snnc;

int snnc::runVerify(int argc, char **argv) {
  VerifyOptions opts;
  bool json = false;
  int64_t threads = 2;
  std::string device = "cpu";
  cli::NirFlags nir;
  cli::ArgParser parser(
      "verify",
      "Prove that a compiled plan computes what was trained:\n"
      "  1. model.h5 <-> MLIR round trips are bit-exact;\n"
      "  2. the plan (cores, relays) is bit-exact to the unmapped quantised "
      "network,\n     every neuron, step and sample;\n"
      "  3. CPU vs CUDA plan executors, bit-exact (--device cuda or auto; "
      "skipped on the CPU);\n"
      "  4. float model vs plan: spike agreement per layer and accuracy;\n"
      "  5. --vendor lava|xylosim: the vendor's simulator vs the plan, every "
      "hidden spike and\n     the readout state, bit-exact: Lava on the "
      "network exported as NetX (loihi,\n     loihi2; "
      "tools/snn-vendor/lava_run.py), Rockpool's XyloSim on the .xylo.npz\n"
      "     next to the plan (xylo-audio; tools/snn-vendor/xylo_run.py).\n"
      "Exits with 4 when level 1, 2, 3 or 5 finds a difference, naming the "
      "first one.");
  parser.addPositional("MODEL.h5|NET.nir", &opts.model,
                       "the trained model (or the NIR graph it was imported "
                       "from, with the same NIR options)");
  nir.add(parser, "NIR input only: ");
  parser.addPositional("PLAN.h5", &opts.plan,
                       "the plan snnc compile made from it");
  parser.addString("--data", &opts.data, "dataset to run (.h5)", "FILE", true);
  parser.addFlag("--json", &json, "print one JSON object on stdout");
  parser.addInt("--weight-bits", &opts.weightBits,
                "weight bits the plan was compiled with (0: as snnc compile "
                "chooses by default)",
                0, 16);
  parser.addInt("--samples", &opts.samples, "only the first N samples (0: all)",
                0, INT64_MAX);
  parser.addInt("--threads", &threads, "worker threads", 1, 256);
  cli::addDeviceOption(parser, &device);
  parser.addString("--vendor", &opts.vendor,
                   "level 5 against a vendor's simulator: lava|xylosim",
                   "NAME");
  parser.addString("--vendor-python", &opts.vendorPython,
                   "python of the vendors venv (default: "
                   "<dir of snnc>/../vendors-venv/bin/python)",
                   "PATH");
  parser.addInt("--vendor-samples", &opts.vendorSamples,
                "level 5 runs only the first N samples (Lava takes about "
                "0.5 s per sample, XyloSim milliseconds)",
                1, INT64_MAX);
  std::string html;
  parser.addString("--html", &html,
                   "also write the report as an HTML page (levels, accuracy "
                   "of float, plan and the vendor's simulator)",
                   "FILE");
  parser.setEpilog("example:\n  snnc verify model.h5 loihi2/plan.h5 --data "
                   "digits/test.h5");
  if (auto code = parser.parse(argc, argv))
    return *code;
  if (auto code = cli::resolveDeviceOption("verify", device, opts.device))
    return *code;
  if (device == "auto" && opts.device == snnrt::Device::Cpu)
    opts.deviceNote = "no usable CUDA device";
  if (auto st =
          snnrt::expectFile(opts.model,
                            {snnrt::FileKind::Model,
                             snnrt::FileKind::Checkpoint, snnrt::FileKind::Nir},
                            "a model", cli::kExpectModel);
      !st)
    return cli::reportError("verify", st);
  // A NIR graph is verified as the float model `snnc import` makes of it,
  // written to a temporary model.h5 that the levels read like any other.
  std::string nirTemp;
  if (snnrt::fileKind(opts.model) == snnrt::FileKind::Nir) {
    auto model = cli::readNirModel(opts.model, nir);
    if (!model)
      return cli::reportError("verify", model.status());
    llvm::SmallString<128> temp;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("snnc-verify-nir", "h5", temp))
      return cli::reportError(
          "verify", snnrt::Status::error("cannot create a temporary model: " +
                                             ec.message(),
                                         snnrt::ErrorKind::Io));
    nirTemp = std::string(temp);
    if (auto st = snnrt::writeModel(nirTemp, *model); !st) {
      llvm::sys::fs::remove(nirTemp);
      return cli::reportError("verify", st);
    }
    opts.model = nirTemp;
  }
  struct RemoveTemp {
    std::string path;
    ~RemoveTemp() {
      if (!path.empty())
        llvm::sys::fs::remove(path);
    }
  } removeTemp{nirTemp};
  if (auto st = snnrt::expectFile(opts.plan, {snnrt::FileKind::Plan}, "a plan",
                                  cli::kExpectPlan);
      !st)
    return cli::reportError("verify", st);
  if (auto st = snnrt::expectFile(opts.data, {snnrt::FileKind::Dataset},
                                  "a dataset", cli::kExpectDataset);
      !st)
    return cli::reportError("verify", st);
  if (!opts.vendor.empty() && opts.vendor != "lava" &&
      opts.vendor != "xylosim")
    return cli::reportError(
        "verify", snnrt::Status::error("--vendor: unknown vendor '" +
                                       opts.vendor + "' (lava|xylosim)"));
  if (opts.vendorPython.empty()) {
    // The vendors venv sits in the build folder, next to bin/.
    static int anchor;
    std::string self = llvm::sys::fs::getMainExecutable(argv[0], &anchor);
    llvm::SmallString<256> python(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(self)));
    llvm::sys::path::append(python, "vendors-venv", "bin", "python");
    opts.vendorPython = std::string(python);
  }
  if (!html.empty())
    if (auto st = cli::checkOutputFile(html); !st)
      return cli::reportError("verify", st);
  opts.threads = int(threads);
  VerifyReport report = verifyDeployment(opts, llvm::errs());
  if (!report.error.empty())
    return cli::reportError(
        "verify", snnrt::Status::error(report.error,
                                       report.errorIsIo
                                           ? snnrt::ErrorKind::Io
                                           : snnrt::ErrorKind::BadInput));
  if (json)
    llvm::outs() << llvm::formatv("{0:2}", verifyReportToJSON(report)) << "\n";
  else
    printVerifyReport(report, llvm::outs());
  if (!html.empty())
    if (llvm::Error e = llvm::writeToOutput(html, [&](llvm::raw_ostream &os) {
          printVerifyReportHTML(report, os);
          return llvm::Error::success();
        }))
      return cli::reportError(
          "verify",
          snnrt::Status::error(html + ": cannot write: " +
                                   llvm::toString(std::move(e)),
                               snnrt::ErrorKind::Io));
  return report.exactLevelsPassed() ? cli::kSuccess : cli::kVerifyFailed;
}
