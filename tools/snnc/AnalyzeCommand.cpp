//===- AnalyzeCommand.cpp - snnc analyze ----------------------------------===//
//
// Options only: the analysis is snnrt::analyzeProjection (SpatioTemporal.h)
// and the files are snnrt::writeAnalysisReport (AnalysisReport.h).
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"

#include "snnrt/AnalysisReport.h"
#include "snnrt/ModelFile.h"
#include "snnrt/SpatioTemporal.h"

#include <cstdio>

namespace snnc {

int runAnalyze(int argc, char **argv) {
  const char *cmd = "analyze";
  std::string modelPath, outDir;
  int64_t sourceRadius = 1, delayRadius = 1, shuffles = 200, seed = 1,
          neurons = 16;
  bool quiet = false;
  cli::ArgParser p(cmd, "where excitatory and inhibitory synapses sit in "
                        "(source, delay): receptive fields, population "
                        "views, sign grouping against a shuffled baseline");
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
  auto model = snnrt::readModel(modelPath);
  if (!model)
    return cli::reportError(cmd, model.status());
  snnrt::GroupingOptions g;
  g.sourceRadius = uint32_t(sourceRadius);
  g.delayRadius = uint32_t(delayRadius);
  g.shuffles = uint32_t(shuffles);
  g.seed = uint64_t(seed);
  std::vector<snnrt::ProjectionAnalysis> all;
  for (size_t i = 0; i < model->projections.size(); ++i) {
    auto a = snnrt::analyzeProjection(*model, i, g);
    if (!a)
      return cli::reportError(cmd, a.status());
    all.push_back(a.take());
  }
  snnrt::AnalysisReportOptions ro;
  ro.modelPath = modelPath;
  ro.neuronsShown = uint32_t(neurons);
  ro.grouping = g;
  if (auto s = snnrt::writeAnalysisReport(*model, all, outDir, ro); !s)
    return cli::reportError(cmd, s);
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
