//===- SweepCommand.cpp - snnc sweep --------------------------------------===//
//
// Runs every cell of a grid (Sweep.h) as its own `snnc train` process: a
// cell that crashes or is killed cannot take the others (or the sweep's
// bookkeeping) with it, each has the whole training state of its own
// process (threads, BLAS), and an interrupted cell resumes from its
// checkpoint with `snnc train --resume`, which already continues exactly.
// A local pool runs --jobs cells at once; under mpirun each rank takes
// cells r, r + size, ... (MPI's ranks when the build has MPI, with a
// final barrier after which rank 0 writes the complete table; otherwise
// the rank is read from Open MPI's or PMI's environment).
//
// Resuming: a cell is finished when OUT/cells/TAG/model.h5 exists and its
// result.json (what the model measured, with the train arguments) matches
// the spec; finished cells are skipped, a cell with only a checkpoint is
// continued, the rest are trained. Every file is written to a temporary
// name and renamed.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"
#include "Sweep.h"

#include "snnrt/analysis/SpatioTemporal.h"
#include "snnrt/base/Clock.h"
#include "snnrt/base/FileKind.h"
#include "snnrt/device/Device.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Collective.h"
#include "snnrt/train/TrainingHistory.h"

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

extern char **environ;

namespace snnc {

namespace {

using snnrt::ErrorKind;
using snnrt::Status;
using namespace sweep;

bool exists(const std::string &p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

Status makeDir(const std::string &dir) {
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return Status::error(dir + ": cannot create the folder (" +
                             std::strerror(errno) + ")",
                         ErrorKind::Io);
  return Status::ok();
}

/// The rank and size from the launcher's environment (Open MPI, then PMI
/// as MPICH and Slurm set it); 0 and 1 without one. For a build without
/// MPI: splitting the cells needs no messages.
std::pair<int, int> launcherRank() {
  const char *pairs[][2] = {{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                            {"PMI_RANK", "PMI_SIZE"}};
  for (auto &p : pairs) {
    const char *r = std::getenv(p[0]), *s = std::getenv(p[1]);
    if (r && s && std::atoi(s) > 0)
      return {std::atoi(r), std::atoi(s)};
  }
  return {0, 1};
}

/// This process's rank among those of its machine, from the launcher's
/// environment (Open MPI, then MPICH/Hydra), for a build without MPI.
int launcherLocalRank() {
  for (const char *v : {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID"})
    if (const char *r = std::getenv(v))
      return std::atoi(r);
  return 0;
}

/// Whether a cell's `snnc train` arguments ask for a GPU (--device cuda or
/// auto; train's default is the CPU).
bool cellUsesGpu(const std::vector<std::string> &args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string v;
    if (args[i] == "--device" && i + 1 < args.size())
      v = args[i + 1];
    else if (args[i].rfind("--device=", 0) == 0)
      v = args[i].substr(9);
    if (v == "cuda" || v == "auto")
      return true;
  }
  return false;
}

/// Splits "0,1,3" into device ids; false when an entry is not one.
bool parseGpuList(const std::string &text, std::vector<std::string> &out) {
  std::stringstream in(text);
  std::string id;
  while (std::getline(in, id, ',')) {
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
      return false;
    out.push_back(id);
  }
  return !out.empty();
}

/// The GPU a cell started in pool slot `slot` gets: the machine's ranks
/// and their slots take the listed GPUs in turn, so one rank's cells and
/// the next rank's do not pile onto the same device.
const std::string &gpuOfSlot(const std::vector<std::string> &gpus,
                             int localRank, int64_t jobs, size_t slot) {
  size_t k = (size_t(localRank) * size_t(jobs) + slot) % gpus.size();
  return gpus[k];
}

/// Reads a finished model and measures what the table shows.
snnrt::Expected<CellResult> measure(const std::string &modelPath) {
  auto model = snnrt::readModel(modelPath);
  if (!model)
    return model.status();
  auto hist = snnrt::readTrainingHistory(modelPath);
  if (!hist)
    return hist.status();
  CellResult r;
  r.testAccuracy = model->training.testAccuracy;
  r.trainAccuracy = model->training.trainAccuracy;
  if (*hist && !(*hist)->empty()) {
    const snnrt::TrainingHistory &h = **hist;
    r.epochsRun = int64_t(h.size());
    r.keptEpoch = h.keptEpoch > 0 ? h.keptEpoch : h.epoch.back();
    size_t i = size_t(r.keptEpoch - 1) < h.size() ? size_t(r.keptEpoch - 1)
                                                  : h.size() - 1;
    r.valAccuracy = h.valAccuracy[i];
    if (r.testAccuracy < 0)
      r.testAccuracy = h.testAccuracy[i];
    for (double s : h.seconds)
      r.trainSeconds += s;
  }
  snnrt::GroupingOptions g; // snnc analyze's defaults
  for (size_t p = 0; p < model->projections.size(); ++p) {
    auto a = snnrt::analyzeProjection(*model, p, g);
    if (!a)
      return a.status();
    r.synapses += a->synapses;
    if (p == 0) {
      r.zProjection = a->projection;
      r.zScore = a->grouping.zScore;
      r.sameFraction = a->grouping.sameFraction;
      r.baselineMean = a->grouping.shuffledMean;
      r.baselineStd = a->grouping.shuffledStd;
      r.pairs = a->grouping.pairs;
    }
  }
  return r;
}

struct Running {
  size_t cell;
  size_t slot; ///< of the pool, 0 .. --jobs - 1 (picks the GPU)
  snnrt::SteadyTime start;
  bool resumed;
  int lockFd; ///< holds the cell's lock until the cell is measured
};

class Sweep {
public:
  Sweep(const Spec &spec, std::string out, std::string self, int threads)
      : spec_(spec), out_(std::move(out)), self_(std::move(self)),
        threads_(threads), cells_(expandCells(spec)) {
    rows_.resize(cells_.size());
    for (size_t i = 0; i < cells_.size(); ++i)
      rows_[i].cell = &cells_[i];
  }

  const std::vector<Cell> &cells() const { return cells_; }
  std::string dirOf(const Cell &c) const { return out_ + "/cells/" + c.tag; }
  std::string modelOf(const Cell &c) const { return dirOf(c) + "/model.h5"; }

  /// Whether a cell is finished; errors when its files belong to another
  /// spec. Reads results of other ranks' cells too (for the table).
  snnrt::Expected<bool> load(size_t i) {
    const Cell &c = cells_[i];
    std::string res = dirOf(c) + "/result.json";
    if (!exists(res) || !exists(modelOf(c)))
      return false;
    auto r = readResult(res);
    if (!r)
      return false; // rewritten from the model below
    if (r->first != c.args)
      return Status::error(
          dirOf(c) + ": trained with other options (" + join(r->first) +
          ") than the spec now gives (" + join(c.args) +
          "); remove the folder to train it again, or use another --out");
    rows_[i].done = true;
    rows_[i].result = r->second;
    return true;
  }

  /// The arguments a cell was started with, so a checkpoint of another
  /// spec is not resumed.
  Status checkStarted(const Cell &c) {
    std::string path = dirOf(c) + "/args.txt";
    std::ifstream in(path);
    if (!in)
      return Status::ok();
    std::string line;
    std::getline(in, line);
    if (line != join(c.args))
      return Status::error(dirOf(c) + ": started with other options (" + line +
                           ") than the spec now gives (" + join(c.args) +
                           "); remove the folder to train it again, or use "
                           "another --out");
    return Status::ok();
  }

  /// fork + exec of `snnc train`; its output goes to the cell's train.log.
  /// The cell's lock file (cells/TAG/.lock, flock) is held in `lockFd`
  /// while it trains; 0 is returned, and nothing started, when another
  /// sweep on the same folder holds it.
  snnrt::Expected<pid_t> start(const Cell &c, const std::string &gpu,
                               bool &resumed, int &lockFd) {
    SNNRT_TRY(makeDir(dirOf(c)));
    std::string lock = dirOf(c) + "/.lock";
    lockFd = ::open(lock.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (lockFd < 0)
      return Status::error(lock + ": cannot write", ErrorKind::Io);
    if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lockFd);
      lockFd = -1;
      return pid_t(0);
    }
    auto st = startLocked(c, gpu, resumed);
    if (!st || *st == 0) {
      ::close(lockFd);
      lockFd = -1;
    }
    return st;
  }

  snnrt::Expected<pid_t> startLocked(const Cell &c, const std::string &gpu,
                                     bool &resumed) {
    // Another sweep may have finished the cell since this one looked.
    if (exists(modelOf(c)))
      return pid_t(0);
    SNNRT_TRY(checkStarted(c));
    SNNRT_TRY(writeFileAtomic(dirOf(c) + "/args.txt", join(c.args) + "\n"));
    std::string model = modelOf(c), ckpt = model + ".ckpt";
    resumed = exists(ckpt);
    std::vector<std::string> args = {self_, "train", "--train",
                                     spec_.trainPath};
    if (!spec_.testPath.empty()) {
      args.push_back("--test");
      args.push_back(spec_.testPath);
    }
    for (const auto &a : c.args)
      args.push_back(a);
    args.insert(args.end(), {"--threads", std::to_string(threads_), "--out",
                             model, "--checkpoint", ckpt});
    if (resumed)
      args.push_back("--resume");
    std::string log = dirOf(c) + "/train.log";
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd < 0)
      return Status::error(log + ": cannot write", ErrorKind::Io);
    std::vector<char *> argv;
    for (auto &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    // The launcher's rank variables stay with the sweep: a cell is one
    // process, not a rank of the sweep's MPI job.
    std::vector<std::string> envStore;
    for (char **e = environ; *e; ++e) {
      std::string v = *e;
      if (v.rfind("OMPI_", 0) == 0 || v.rfind("PMI_", 0) == 0 ||
          v.rfind("PMIX_", 0) == 0 || v.rfind("MPI_LOCAL", 0) == 0)
        continue;
      // A cell placed on a GPU sees that one alone (its device 0).
      if (!gpu.empty() && v.rfind("CUDA_VISIBLE_DEVICES=", 0) == 0)
        continue;
      envStore.push_back(v);
    }
    if (!gpu.empty())
      envStore.push_back("CUDA_VISIBLE_DEVICES=" + gpu);
    std::vector<char *> envp;
    for (auto &v : envStore)
      envp.push_back(v.data());
    envp.push_back(nullptr);
    pid_t parent = ::getpid();
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fd);
      return Status::error(std::string("cannot start snnc train (") +
                               std::strerror(errno) + ")",
                           ErrorKind::Io);
    }
    if (pid == 0) {
      // A sweep that dies (SIGKILL included) takes its cells with it, so a
      // restarted sweep never trains a cell twice at once.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent)
        ::_exit(127);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fd);
    return pid;
  }

  /// The table, plot and page from every cell's result on disk (other
  /// ranks' included), under a lock so that the last writer has the latest.
  Status report() {
    std::string lock = out_ + "/.report.lock";
    int fd = ::open(lock.c_str(), O_WRONLY | O_CREAT, 0666);
    if (fd >= 0)
      ::flock(fd, LOCK_EX);
    for (size_t i = 0; i < cells_.size(); ++i)
      if (!rows_[i].done)
        (void)load(i);
    Status s = writeReport(spec_, rows_, out_);
    if (fd >= 0)
      ::close(fd);
    return s;
  }

  Status finish(size_t i) {
    const Cell &c = cells_[i];
    auto r = measure(modelOf(c));
    if (!r)
      return r.status();
    SNNRT_TRY(writeFileAtomic(dirOf(c) + "/result.json", resultJson(c, *r)));
    rows_[i].done = true;
    rows_[i].result = *r;
    return Status::ok();
  }

  const Row &row(size_t i) const { return rows_[i]; }
  size_t doneCount() const {
    size_t n = 0;
    for (const Row &r : rows_)
      n += r.done;
    return n;
  }

  static std::string join(const std::vector<std::string> &a) {
    std::string s;
    for (const auto &x : a)
      s += (s.empty() ? "" : " ") + x;
    return s;
  }

private:
  const Spec &spec_;
  std::string out_, self_;
  int threads_;
  std::vector<Cell> cells_;
  std::vector<Row> rows_;
};

std::string lastLines(const std::string &path, int n) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string l;
  while (std::getline(in, l))
    lines.push_back(l);
  std::string s;
  for (size_t i = lines.size() > size_t(n) ? lines.size() - n : 0;
       i < lines.size(); ++i)
    s += "    " + lines[i] + "\n";
  return s;
}

} // namespace

int runSweep(int argc, char **argv) {
  const char *cmd = "sweep";
  std::string specPath, outDir;
  int64_t jobs = 0, threads = -1;
  bool list = false;
  cli::ArgParser p(cmd, "Train a grid of networks (conditions x sparsities x "
                        "seeds) and draw Figure 3:\naccuracy against "
                        "connectivity, with the E/I grouping of every model.");
  p.addPositional("SPEC.json", &specPath,
                  "the grid (docs/sweep.md describes the keys)");
  p.addString("--out", &outDir,
              "folder of the cells (cells/TAG/model.h5, train.log) and of "
              "figure3.csv/.json/.svg/.html",
              "DIR", true);
  p.addInt("--jobs", &jobs,
           "cells trained at once (0: cores / threads per cell)", 0, 1024);
  p.addInt("--threads", &threads,
           "threads of each cell (-1: the spec's \"threads\" option, else "
           "cores / --jobs)",
           -1, 1024);
  std::string gpusText;
  p.addString("--gpus", &gpusText,
              "CUDA devices shared by the cells that train on cuda (or "
              "auto), e.g. 0,1: each cell sees one (CUDA_VISIBLE_DEVICES), "
              "taken in turn by the pool's slots and the machine's ranks "
              "(default: every visible GPU)",
              "LIST");
  p.addFlag("--list", &list, "print the cells and their state, train nothing");
  p.setEpilog(
      "A cell is one 'snnc train' process (output in cells/TAG/train.log). "
      "Finished\ncells are skipped: the same command after an interruption "
      "trains the rest and\ncontinues an interrupted cell from its "
      "checkpoint. Under mpirun, rank r of N\ntrains cells r, r+N, ...; "
      "rank 0 writes the whole table when every rank is done.\nCells "
      "that train on cuda get a GPU each in turn (--gpus), so one rank per "
      "machine\nwith --jobs = GPUs, or one rank per GPU, keeps every GPU "
      "busy.\n\n"
      "example:\n  snnc sweep bench/figure3-digits.json --out fig3 --jobs 2");
  if (auto rc = p.parse(argc, argv))
    return *rc;

  // The ranks: MPI's when built with it (a launcher's environment starts
  // MPI), else the launcher's variables. Every rank reads the same spec,
  // so an error before the cells start is printed by rank 0 alone; one
  // after stops every rank (the others would wait at the final barrier).
  snnrt::Collective *world = nullptr;
  int rank = 0, size = 1, localRank = 0;
  if (snnrt::builtWithMpi()) {
    auto w = snnrt::worldCollective();
    if (!w)
      return cli::reportError(cmd, w.status());
    world = *w;
    rank = world->rank();
    size = world->size();
    localRank = world->localRank();
  } else {
    std::tie(rank, size) = launcherRank();
    localRank = launcherLocalRank();
  }
  auto reportError = [&](const Status &st) {
    if (rank == 0)
      return cli::reportError(cmd, st);
    return st.kind() == ErrorKind::Io ? int(cli::kIoError)
                                      : int(cli::kBadInput);
  };
  auto stopAll = [&](const Status &st) {
    int rc = cli::reportError(
        cmd, size > 1 ? Status(st).withContext("rank " + std::to_string(rank) +
                                               " of " + std::to_string(size))
                      : st);
    if (world && size > 1)
      world->abort(rc);
    return rc;
  };

  auto spec = readSpec(specPath);
  if (!spec)
    return reportError(spec.status());
  for (const std::string *in : {&spec->trainPath, &spec->testPath})
    if (!in->empty())
      if (auto st = snnrt::expectFile(*in, {snnrt::FileKind::Dataset},
                                      "a dataset", cli::kExpectDataset);
          !st)
        return reportError(st.withContext(
            specPath + ": " + (in == &spec->trainPath ? "train" : "test")));
  if (auto st = cli::checkOutputDir(outDir); !st)
    return reportError(st);
  std::vector<std::string> gpus;
  if (!gpusText.empty() && !parseGpuList(gpusText, gpus))
    return reportError(Status::error(
        "--gpus " + gpusText +
            ": expected CUDA device ids separated by commas, e.g. 0,1",
        ErrorKind::BadInput));

  int cores = int(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  if (threads < 0)
    for (const TrainOption &o : spec->options)
      if (o.key == "threads")
        threads = std::atoll(o.value.c_str());
  if (threads < 0)
    threads = jobs > 0 ? std::max<int64_t>(1, cores / jobs)
                       : (size > 1 ? std::max(1, cores / size) : cores);
  if (jobs == 0)
    jobs = size > 1 ? 1
                    : std::max<int64_t>(
                          1, cores / std::max<int64_t>(
                                         1, threads == 0 ? cores : threads));

  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    return reportError(Status::error("cannot find the snnc "
                                     "executable (/proc/self/exe)",
                                     ErrorKind::Internal));
  self[n] = 0;

  Sweep sweep(*spec, outDir, self, int(threads));
  const auto &cells = sweep.cells();
  bool anyGpuCell = false;
  for (const Cell &c : cells)
    anyGpuCell |= cellUsesGpu(c.args);
  if (anyGpuCell && gpus.empty()) {
    // Every GPU this process sees, by the ids the cells' environment
    // understands (CUDA_VISIBLE_DEVICES' entries when it is set).
    int count = snnrt::cudaDeviceCount();
    std::vector<std::string> visible;
    if (const char *v = std::getenv("CUDA_VISIBLE_DEVICES"); v && *v) {
      std::stringstream in(v);
      std::string id;
      while (std::getline(in, id, ','))
        visible.push_back(id);
    }
    for (int g = 0; g < count; ++g)
      gpus.push_back(size_t(g) < visible.size() ? visible[g]
                                                : std::to_string(g));
  }
  if (!anyGpuCell)
    gpus.clear(); // nothing trains on cuda: no cell is placed
  std::vector<size_t> todo;
  size_t mine = 0, done = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    auto d = sweep.load(i);
    if (!d)
      return reportError(d.status());
    if (int(i % size_t(size)) != rank)
      continue;
    ++mine;
    if (*d) {
      ++done;
      continue;
    }
    // A model without a valid result (the sweep stopped between the two):
    // measured again below, not trained again.
    todo.push_back(i);
  }
  if (list) {
    if (rank != 0)
      return cli::kSuccess;
    for (size_t i = 0; i < cells.size(); ++i) {
      const Cell &c = cells[i];
      std::string state = sweep.row(i).done          ? "done"
                          : exists(sweep.modelOf(c)) ? "trained, not measured"
                          : exists(sweep.modelOf(c) + ".ckpt")
                              ? "interrupted (resumes)"
                              : "to train";
      std::printf("%3zu  %-60s %s\n", i + 1, c.tag.c_str(), state.c_str());
      std::printf("     snnc train %s\n", Sweep::join(c.args).c_str());
    }
    return cli::kSuccess;
  }
  if (auto st = makeDir(outDir); !st)
    return reportError(st);
  if (auto st = makeDir(outDir + "/cells"); !st)
    return reportError(st);
  std::printf("sweep %s: %zu cells (%zu conditions x %zu sparsities x %zu "
              "seeds, %lld epochs)%s; %zu done, %zu to train, %lld at once, "
              "%lld threads each\n",
              specPath.c_str(), cells.size(), spec->conditions.size(),
              std::max<size_t>(1, spec->sparsities.size()), spec->seeds.size(),
              (long long)spec->epochs,
              size > 1 ? (", rank " + std::to_string(rank) + " of " +
                          std::to_string(size) + ": " + std::to_string(mine) +
                          " of them")
                             .c_str()
                       : "",
              done, todo.size(), (long long)jobs, (long long)threads);
  std::fflush(stdout);
  if (auto st = sweep.report(); !st)
    return stopAll(st);

  if (!gpus.empty() && !todo.empty() && rank == 0) {
    int64_t perMachine =
        jobs * (world ? world->localSize() : std::max(1, size));
    std::printf("sweep: cells on cuda share %zu GPU%s (%s)%s\n", gpus.size(),
                gpus.size() == 1 ? "" : "s", Sweep::join(gpus).c_str(),
                perMachine > int64_t(gpus.size())
                    ? (": up to " + std::to_string(perMachine) +
                       " cells at once per machine, so some share one")
                          .c_str()
                    : "");
    std::fflush(stdout);
  }
  std::map<pid_t, Running> running;
  std::vector<bool> slotBusy(size_t(jobs), false);
  size_t next = 0, finished = 0, failed = 0, busy = 0;
  double cellSeconds = 0;
  auto t0 = snnrt::steadyNow();
  std::vector<std::string> failures;
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && running.size() < size_t(jobs)) {
      size_t i = todo[next++];
      const Cell &c = cells[i];
      if (exists(sweep.modelOf(c))) {
        // Trained earlier; only its measurement is missing.
        if (auto st = sweep.finish(i); !st)
          return stopAll(st);
        ++finished;
        continue;
      }
      bool resumed = false;
      int lockFd = -1;
      size_t slot = 0;
      while (slotBusy[slot])
        ++slot;
      std::string gpu = !gpus.empty() && cellUsesGpu(c.args)
                            ? gpuOfSlot(gpus, localRank, jobs, slot)
                            : std::string();
      auto pid = sweep.start(c, gpu, resumed, lockFd);
      if (!pid)
        return stopAll(pid.status());
      if (*pid == 0) {
        ++busy;
        std::printf("[%zu/%zu] skip  %s: another sweep on %s trains it\n",
                    i + 1, cells.size(), c.tag.c_str(), outDir.c_str());
        std::fflush(stdout);
        continue;
      }
      running[*pid] = Running{i, slot, snnrt::steadyNow(), resumed, lockFd};
      slotBusy[slot] = true;
      std::printf("[%zu/%zu] start %s%s%s\n", i + 1, cells.size(),
                  c.tag.c_str(), gpu.empty() ? "" : (" on GPU " + gpu).c_str(),
                  resumed ? " (resuming from its checkpoint)" : "");
      std::fflush(stdout);
    }
    if (running.empty())
      continue;
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      return stopAll(Status::error("waitpid failed", ErrorKind::Internal));
    }
    auto it = running.find(pid);
    if (it == running.end())
      continue;
    Running r = it->second;
    running.erase(it);
    slotBusy[r.slot] = false;
    // Closed when this iteration ends, after the cell is measured.
    struct CloseLock {
      int fd;
      ~CloseLock() { ::close(fd); }
    } unlock{r.lockFd};
    const Cell &c = cells[r.cell];
    double secs = snnrt::secondsSince(r.start);
    std::string log = sweep.dirOf(c) + "/train.log";
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      ++failed;
      std::string why = WIFEXITED(status)
                            ? "exit " + std::to_string(WEXITSTATUS(status))
                            : "signal " + std::to_string(WTERMSIG(status));
      std::printf("[%zu/%zu] FAILED %s (%s); the end of %s:\n%s", r.cell + 1,
                  cells.size(), c.tag.c_str(), why.c_str(), log.c_str(),
                  lastLines(log, 3).c_str());
      std::fflush(stdout);
      failures.push_back(c.tag);
      continue;
    }
    if (auto st = sweep.finish(r.cell); !st)
      return stopAll(st);
    ++finished;
    cellSeconds += secs;
    if (auto st = sweep.report(); !st)
      return stopAll(st);
    const CellResult &x = sweep.row(r.cell).result;
    size_t left = todo.size() - next + running.size();
    double eta = cellSeconds / double(finished) * double(left) / double(jobs);
    char val[32] = "-";
    if (x.valAccuracy >= 0)
      std::snprintf(val, sizeof val, "%.1f%%", 100 * x.valAccuracy);
    std::printf("[%zu/%zu] done  %s: test %.1f%%  val %s  %llu synapses  "
                "E/I z %.2f (baseline %.3f)  %s; %zu left, ETA %s\n",
                r.cell + 1, cells.size(), c.tag.c_str(), 100 * x.testAccuracy,
                val, (unsigned long long)x.synapses, x.zScore, x.baselineMean,
                cli::formatDuration(secs).c_str(), left,
                left ? cli::formatDuration(eta).c_str() : "0s");
    std::fflush(stdout);
  }
  if (auto st = sweep.report(); !st)
    return stopAll(st);
  std::printf("sweep: %zu trained, %zu failed%s in %s; wrote %s/figure3.csv, "
              ".json, .svg and .html\n",
              finished, failed,
              busy ? (", " + std::to_string(busy) +
                      " left to another sweep (run again when it ends)")
                         .c_str()
                   : "",
              cli::formatDuration(snnrt::secondsSince(t0)).c_str(), outDir.c_str());
  std::fflush(stdout);
  if (world && size > 1) {
    // Rank 0 writes the table once more after every rank is done, so the
    // last table is complete whichever rank ended last.
    if (auto st = world->barrier(); !st)
      return stopAll(st);
    if (rank == 0) {
      if (auto st = sweep.report(); !st)
        return stopAll(st);
      std::printf("sweep: all %d ranks finished; %zu of %zu cells in "
                  "%s/figure3.csv\n",
                  size, sweep.doneCount(), cells.size(), outDir.c_str());
    }
  }
  if (failed) {
    std::string names;
    for (const auto &f : failures)
      names += (names.empty() ? "" : ", ") + f;
    return cli::reportError(
        cmd, Status::error(std::to_string(failed) + " cells failed (" + names +
                           "); their train.log says why; the same "
                           "command retries them"));
  }
  return cli::kSuccess;
}

} // namespace snnc
