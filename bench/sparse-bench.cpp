//===- sparse-bench.cpp - Epoch time against connectivity, dense vs CSR ---===//
//
// Times one training epoch (forward + BPTT + Adam + rewiring over every
// batch) of the paper's 40 -> H -> 20 network (T = 100, Dmax = 25) with an
// exact synapse budget at each connectivity asked (default 1, 1/4, 1/16,
// 1/64, 1/512), for frozen and learned delays, in three ways:
//   dense   the dense computation: a dense layout with a mask, every delay
//           tap a dense BLAS product, every neuron updated every step (what
//           a dense framework does; the paper's code)
//   masked  last round's engine: the dense layout with a mask, synapse-wise
//           kernels over the present slots, every neuron every step
//   csr     CSR training: arrays of the kept synapses only, synapse-wise
//           kernels, and no per-step work for neurons that cannot reach the
//           loss (EngineOptions::skipUnobserved)
// Each run is a child process, so its peak resident memory is its own. It
// prints seconds per epoch (wall and CPU, the second of two epochs), the
// bytes the engine and Adam hold for synapses (Engine::synapseBytes + two
// moments per weight and position), per synapse, the peak RSS, and the
// ratios dense/csr and masked/csr. docs/sparse-training.md, "CSR".
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/model/ModelBuilder.h"
#include "snnrt/train/Rewiring.h"
#include "snnrt/train/Sparsity.h"
#include "snnrt/train/Trainer.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace snnrt;

namespace {

Dataset synthetic(size_t n, uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.kind = InputKind::Frames;
  d.dtSeconds = 0.01;
  d.steps = 100;
  d.channels = 40;
  d.numClasses = 20;
  d.source = "sparse-bench synthetic frames";
  d.frames.resize(n * 100 * 40);
  for (size_t i = 0; i < n; ++i) {
    d.labels.push_back(int(i % 20));
    for (size_t k = 0; k < 100 * 40; ++k)
      d.frames[i * 4000 + k] = float(0.1 * rng.uniform());
  }
  return d;
}

double cpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

std::vector<std::string> split(const std::string &s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

struct Row {
  double wall = 0, cpu = 0;
  unsigned long long synapses = 0, bytes = 0;
  double rssMb = 0;
  std::string strategies;
  bool ok = false;
};

struct Settings {
  int threads = 2, hidden = 256;
  uint32_t batch = 256;
  double sigma = 0.23; ///< DCLS width (learned delays)
  RewireMode rewire = RewireMode::None;
};

/// One configuration, in this (child) process; writes the row to `fd`.
int runOne(const Settings &st, const Dataset &data, const std::string &delays,
           int conn, const std::string &format, int fd) {
  NetworkSpec spec;
  spec.hidden = {uint32_t(st.hidden)};
  const bool learn = delays == "learn";
  spec.delays = learn ? DelayMode::Learn : DelayMode::Frozen;
  spec.sigma0 = st.sigma; // 0.23: the annealed width, few live taps
  auto m = buildFeedForward(spec, 1);
  if (!m)
    return 1;
  Model model = m.take();
  SparsitySpec ss;
  ss.sparsity = 1.0 - 1.0 / double(conn);
  if (!sparsify(model, ss, 1))
    return 1;
  if (format == "csr" && !toCsrLayout(model))
    return 1;
  Row row;
  for (const auto &p : model.projections) {
    if (p.isCsr())
      row.synapses += p.colIdx.size();
    else
      for (uint8_t b : p.mask)
        row.synapses += b;
  }
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch = st.batch;
  cfg.threads = st.threads;
  cfg.sigmaEpochs = 0;
  cfg.strategy = format == "dense" ? ProjectionStrategy::DenseTaps
                                   : ProjectionStrategy::Auto;
  cfg.skipUnobserved = format == "csr";
  RewireConfig rc;
  rc.mode = st.rewire;
  rc.candidates = 8;
  attachRewiring(cfg, model, rc);
  auto t = Trainer::create(model, cfg, data, nullptr);
  if (!t) {
    std::fprintf(stderr, "sparse-bench: %s\n", t.status().message().c_str());
    return 1;
  }
  // The first epoch warms caches and event lists; time the second.
  if (!(*t)->run(nullptr, 1))
    return 1;
  auto w0 = std::chrono::steady_clock::now();
  double c0 = cpuSeconds();
  if (!(*t)->runEpoch())
    return 1;
  row.cpu = cpuSeconds() - c0;
  row.wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - w0)
          .count();
  const auto &eng = (*t)->engine();
  row.bytes = eng.synapseBytes();
  for (const auto &p : eng.params())
    if (p.kind == ParamTensor<float>::Kind::Weight ||
        p.kind == ParamTensor<float>::Kind::Position)
      row.bytes += 2 * sizeof(float) * p.value.size(); // Adam m and v
  for (const auto &s : eng.lastStrategies())
    row.strategies += (row.strategies.empty() ? "" : ",") + s;
  char buf[512];
  int n =
      std::snprintf(buf, sizeof buf, "%.6f %.6f %llu %llu %s\n", row.wall,
                    row.cpu, row.synapses, row.bytes, row.strategies.c_str());
  return write(fd, buf, size_t(n)) == n ? 0 : 1;
}

Row runChild(const Settings &st, const Dataset &data, const std::string &delays,
             int conn, const std::string &format) {
  Row row;
  int fds[2];
  if (pipe(fds) != 0)
    return row;
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    _exit(runOne(st, data, delays, conn, format, fds[1]));
  }
  close(fds[1]);
  std::string text;
  char buf[512];
  ssize_t got;
  while ((got = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, size_t(got));
  close(fds[0]);
  int status = 0;
  rusage ru{};
  if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return row;
  char strat[256] = {0};
  if (std::sscanf(text.c_str(), "%lf %lf %llu %llu %255s", &row.wall, &row.cpu,
                  &row.synapses, &row.bytes, strat) != 5)
    return row;
  row.strategies = strat;
  row.rssMb = double(ru.ru_maxrss) / 1024.0; // kilobytes on Linux
  row.ok = true;
  return row;
}

} // namespace

int main(int argc, char **argv) {
  std::string dataPath, delaysList = "frozen,learn", connList = "1,4,16,64,512",
                        formatList = "dense,masked,csr", rewire = "none";
  size_t samples = 1024;
  Settings st;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? argv[++i] : (char *)"0"; };
    if (a == "--data")
      dataPath = next();
    else if (a == "--samples")
      samples = size_t(std::atol(next()));
    else if (a == "--threads")
      st.threads = std::atoi(next());
    else if (a == "--hidden")
      st.hidden = std::atoi(next());
    else if (a == "--batch")
      st.batch = uint32_t(std::atoi(next()));
    else if (a == "--delays")
      delaysList = next();
    else if (a == "--conns")
      connList = next();
    else if (a == "--formats")
      formatList = next();
    else if (a == "--rewire")
      rewire = next();
    else if (a == "--sigma")
      st.sigma = std::atof(next());
    else {
      std::printf(
          "usage: sparse-bench [--data train.h5] [--samples N] [--threads N] "
          "[--hidden N] [--batch N] [--delays frozen,learn] [--conns "
          "1,4,16,64,512] [--formats dense,masked,csr] [--rewire "
          "none|deepr|rigl] [--sigma 0.23]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  auto rw = parseRewireMode(rewire);
  if (!rw || st.batch == 0) {
    std::fprintf(stderr, "sparse-bench: bad --rewire or --batch\n");
    return 2;
  }
  st.rewire = *rw;
  Dataset data;
  if (!dataPath.empty()) {
    auto d = readDataset(dataPath);
    if (!d) {
      std::fprintf(stderr, "sparse-bench: %s\n", d.status().message().c_str());
      return 1;
    }
    data = firstSamples(*d, samples);
  } else {
    data = synthetic(samples, 7);
  }
  std::printf("# %zu samples (%s), batch %u, 40 -> %d -> 20, T=100, Dmax=25, "
              "%d threads, rewire %s, DCLS sigma %g; seconds per epoch (the "
              "second of two)\n",
              data.size(), dataPath.empty() ? "synthetic" : dataPath.c_str(),
              st.batch, st.hidden, st.threads, rewire.c_str(), st.sigma);
  std::printf("%-6s %5s %9s %-6s %8s %8s %11s %7s %8s %s\n", "delays", "conn",
              "synapses", "format", "wall_s", "cpu_s", "syn_bytes", "B/syn",
              "rss_MB", "strategies");
  std::map<std::string, Row> rows;
  bool failed = false;
  const auto delays = split(delaysList), formats = split(formatList);
  std::vector<int> conns;
  for (const auto &c : split(connList))
    conns.push_back(std::atoi(c.c_str()));
  for (const auto &d : delays)
    for (int c : conns)
      for (const auto &f : formats) {
        Row r = runChild(st, data, d, c, f);
        if (!r.ok) {
          std::printf("%-6s 1/%-3d %9s %-6s failed\n", d.c_str(), c, "-",
                      f.c_str());
          failed = true;
          continue;
        }
        rows[d + "/" + std::to_string(c) + "/" + f] = r;
        std::printf("%-6s 1/%-3d %9llu %-6s %8.3f %8.3f %11llu %7.1f %8.1f "
                    "%s\n",
                    d.c_str(), c, r.synapses, f.c_str(), r.wall, r.cpu, r.bytes,
                    double(r.bytes) / double(r.synapses), r.rssMb,
                    r.strategies.c_str());
        std::fflush(stdout);
      }
  std::printf(
      "\n# ratios (epoch time of the baseline / CSR's; wall and CPU)\n");
  std::printf("%-6s %5s %13s %13s %13s %13s\n", "delays", "conn", "dense/csr_w",
              "dense/csr_c", "masked/csr_w", "masked/csr_c");
  for (const auto &d : delays)
    for (int c : conns) {
      auto get = [&](const std::string &f) -> const Row * {
        auto it = rows.find(d + "/" + std::to_string(c) + "/" + f);
        return it == rows.end() ? nullptr : &it->second;
      };
      const Row *csr = get("csr"), *dense = get("dense"),
                *masked = get("masked");
      if (!csr)
        continue;
      auto ratio = [](const Row *a, double Row::*f, const Row *b) {
        return a ? a->*f / b->*f : NAN;
      };
      std::printf("%-6s 1/%-3d %13.1f %13.1f %13.1f %13.1f\n", d.c_str(), c,
                  ratio(dense, &Row::wall, csr), ratio(dense, &Row::cpu, csr),
                  ratio(masked, &Row::wall, csr),
                  ratio(masked, &Row::cpu, csr));
    }
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3)
    std::printf("# load average %.2f %.2f %.2f (a shared machine: compare "
                "rows of this run only)\n",
                load[0], load[1], load[2]);
  return failed ? 1 : 0;
}
