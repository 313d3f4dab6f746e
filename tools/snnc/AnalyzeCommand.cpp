//===- AnalyzeCommand.cpp - snnc analyze ----------------------------------===//
//
// Options only: the analysis is snnrt::analyzeProjection (SpatioTemporal.h)
// and the files are snnrt::writeAnalysisReport (AnalysisReport.h).
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"

#include "snnrt/analysis/AnalysisReport.h"
#include "snnrt/analysis/SpatioTemporal.h"
#include "snnrt/base/Clock.h"
#include "snnrt/model/ModelFile.h"

#include <cstdio>
#include <dirent.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace snnc {

namespace {
/// Files of a folder (no "." and "..").
std::vector<std::string> listFolder(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..")
        names.push_back(n);
    }
    ::closedir(d);
  }
  return names;
}

void removeFolder(const std::string &dir) {
  for (const std::string &n : listFolder(dir))
    ::unlink((dir + "/" + n).c_str());
  ::rmdir(dir.c_str());
}

/// mkdir -p; the folders it made, outermost first.
bool makeFolders(const std::string &dir, std::vector<std::string> &made) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0)
    return S_ISDIR(st.st_mode);
  size_t slash = dir.find_last_of('/', dir.size() > 1 ? dir.size() - 2 : 0);
  if (slash != std::string::npos && slash > 0 &&
      !makeFolders(dir.substr(0, slash), made))
    return false;
  if (::mkdir(dir.c_str(), 0777) != 0)
    return false;
  made.push_back(dir);
  return true;
}
} // namespace

int runAnalyze(int argc, char **argv) {
  const char *cmd = "analyze";
  std::string modelPath, outDir;
  int64_t sourceRadius = 1, delayRadius = 1, shuffles = 200, seed = 1,
          neurons = 16;
  bool quiet = false;
  cli::ArgParser p(cmd, "Where excitatory and inhibitory synapses sit in "
                        "(source, delay): receptive\nfields, population "
                        "views, sign grouping against a shuffled baseline.");
  p.addPositional("MODEL.h5", &modelPath, "trained model");
  p.addString("--out", &outDir,
              "folder for analysis.json, analysis.html "
              "and the .svg figures",
              "DIR", true);
  p.addInt("--source-radius", &sourceRadius,
           "neighbouring sources are at most this far apart", 0, 1 << 20);
  p.addInt("--delay-radius", &delayRadius,
           "neighbouring delays are at most this far apart (steps)", 0,
           1 << 20);
  p.addInt("--shuffles", &shuffles, "baseline draws", 0, 1 << 20);
  p.addInt("--seed", &seed, "seed of the shuffles", 0, INT64_MAX);
  p.addInt("--neurons", &neurons, "receptive fields drawn per projection", 0,
           1 << 16);
  p.addFlag("--quiet", &quiet, "no summary on stdout");
  p.setEpilog("example:\n  snnc analyze model.h5 --out analysis/\n"
              "A z-score well above 0 means same-sign synapses sit next to "
              "each other\nin source and delay more often than chance.");
  if (auto rc = p.parse(argc, argv))
    return *rc;
  if (auto st = snnrt::expectFile(
          modelPath, {snnrt::FileKind::Model, snnrt::FileKind::Checkpoint},
          "a model", cli::kExpectModel);
      !st)
    return cli::reportError(cmd, st);
  if (auto st = cli::checkOutputDir(outDir); !st)
    return cli::reportError(cmd, st);
  auto model = snnrt::readModel(modelPath);
  if (!model)
    return cli::reportError(cmd, model.status());
  snnrt::GroupingOptions g;
  g.sourceRadius = uint32_t(sourceRadius);
  g.delayRadius = uint32_t(delayRadius);
  g.shuffles = uint32_t(shuffles);
  g.seed = uint64_t(seed);
  std::vector<snnrt::ProjectionAnalysis> all;
  auto t0 = snnrt::steadyNow();
  for (size_t i = 0; i < model->projections.size(); ++i) {
    if (!quiet)
      std::fprintf(stderr, "  analyze %s (%zu/%zu): %u shuffles\n",
                   model->projections[i].name.c_str(), i + 1,
                   model->projections.size(), g.shuffles);
    auto a = snnrt::analyzeProjection(*model, i, g);
    if (!a)
      return cli::reportError(cmd, a.status());
    all.push_back(a.take());
  }
  if (!quiet)
    std::fprintf(stderr, "  analysed in %.1f s\n", snnrt::secondsSince(t0));
  snnrt::AnalysisReportOptions ro;
  ro.modelPath = modelPath;
  ro.neuronsShown = uint32_t(neurons);
  ro.grouping = g;
  // Written into a staging folder inside DIR and renamed into place only
  // when every file exists: a failure leaves DIR as it was.
  std::vector<std::string> made;
  if (!makeFolders(outDir, made))
    return cli::reportError(
        cmd, snnrt::Status::error(outDir + ": cannot create the folder",
                                  snnrt::ErrorKind::Io));
  std::string staging = outDir + "/.snnc-analyze-" + std::to_string(::getpid());
  auto fail = [&](const snnrt::Status &st) {
    removeFolder(staging);
    for (auto it = made.rbegin(); it != made.rend(); ++it)
      ::rmdir(it->c_str());
    return cli::reportError(cmd, st);
  };
  if (auto s = snnrt::writeAnalysisReport(*model, all, staging, ro); !s)
    return fail(s);
  for (const std::string &n : listFolder(staging))
    if (::rename((staging + "/" + n).c_str(), (outDir + "/" + n).c_str()) != 0)
      return fail(snnrt::Status::error(outDir + "/" + n + ": cannot write",
                                       snnrt::ErrorKind::Io));
  ::rmdir(staging.c_str());
  if (!quiet) {
    for (const auto &a : all)
      std::printf(
          "%-8s %s -> %s: %llu synapses (%llu E, %llu I), same-sign "
          "neighbours %.3f vs shuffled %.3f +- %.3f, z = %.2f\n",
          a.projection.c_str(), a.source.c_str(), a.target.c_str(),
          (unsigned long long)a.synapses, (unsigned long long)a.excitatory,
          (unsigned long long)a.inhibitory, a.grouping.sameFraction,
          a.grouping.shuffledMean, a.grouping.shuffledStd, a.grouping.zScore);
    std::printf("wrote %s/analysis.json and %s/analysis.html\n", outDir.c_str(),
                outDir.c_str());
  }
  return cli::kSuccess;
}

} // namespace snnc
