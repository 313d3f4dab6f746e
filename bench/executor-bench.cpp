//===- executor-bench.cpp - Integer executors: events/s and memory --------===//
//
// The measurement: synaptic events per second of the event-driven plan
// executor, per thread and per CPU second of its threads (on a shared
// machine the wall clock counts other jobs' time), against a naive dense
// time-stepped execution of the same integer semantics (the flat
// reference: every synapse, every step), on the paper's network shape
// (40 -> 256 -> 20, delays < 25) and on a random 10^5-neuron, 10^7-synapse
// network (--scale 10 --large-synapses 100000000: 10^6 / 10^8), in one run;
// loading the executor (building its tables) is timed apart. Also the
// table bytes read per event and a STREAM-like copy bandwidth, so that the
// distance to the memory limit is a number. `--plan PLAN.h5 --data FILE`
// adds a compiled plan on its dataset.
//
//   executor-bench [--threads 2] [--large-synapses 10000000] [--scale 1]
//                  [--samples N] [--only-large] [--export-network FILE.h5]
//                  [--plan PLAN.h5 --data DATA.h5 [--only-plan]]
//                  [--delivery gather|per-segment[,...]]
//                  [--in-flight N[,...]] [--repeat N]
//
// `--delivery` and `--in-flight` list executor options (PlanExecutorOptions)
// measured in turn on the same tables, `--repeat` times, for paired
// comparisons: the gathered delivery (the default) or one loop per
// segment; samples advanced together per thread (0: the executor picks,
// 1: one at a time; docs/executor.md "Samples in flight").
//
// `--export-network` writes the random network and its input spikes to an
// HDF5 file (layout in bench/README.md) that bench/brian2_run.py reads to
// simulate the same network in Brian2; the spike counts per population
// printed here are the numbers the two must agree on.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/PlanBuilder.h"
#include "snnrt/exec/PlanExecutor.h"
#include "snnrt/exec/PlanRun.h"

#include <chrono>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <sys/resource.h>
#include <time.h>

using namespace snnrt;
using snnrt::h5::File;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// CPU seconds of the calling thread: on a machine shared with other jobs
/// the time this thread actually ran, unlike the wall clock.
double threadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double peakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

IntPopulation lif(const std::string &name, uint32_t size, int32_t threshold) {
  IntPopulation p;
  p.name = name;
  p.kind = PopulationKind::Lif;
  p.size = size;
  p.threshold.assign(size, threshold);
  p.bias.assign(size, 0);
  p.vDecay.assign(size, 409); // beta ~ 0.9
  p.weightScale.assign(size, 1.0f / threshold);
  return p;
}

/// Random projection with `fanIn` sources per target and delays < maxDelay.
IntProjection randomProjection(std::mt19937 &rng, const std::string &src,
                               uint32_t sources, const std::string &dst,
                               uint32_t targets, uint32_t fanIn,
                               uint32_t maxDelay, int lo, int hi) {
  IntProjection p;
  p.name = src + "_" + dst;
  p.source = src;
  p.target = dst;
  p.maxDelay = maxDelay;
  p.rowPtr.reserve(targets + 1);
  p.rowPtr.push_back(0);
  std::uniform_int_distribution<int> w(lo, hi);
  for (uint32_t b = 0; b < targets; ++b) {
    // Sorted distinct sources: a stride walk from a random start.
    uint32_t start = rng() % sources, stride = 1 + sources / fanIn;
    std::vector<uint32_t> cols;
    for (uint32_t k = 0; k < fanIn && k < sources; ++k)
      cols.push_back((start + k * stride) % sources);
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    for (uint32_t a : cols) {
      p.colIdx.push_back(a);
      p.weight.push_back(w(rng));
      p.delay.push_back(int32_t(rng() % maxDelay));
    }
    p.rowPtr.push_back(p.colIdx.size());
  }
  return p;
}

IntNetwork network(std::mt19937 &rng, uint32_t inputs,
                   const std::vector<uint32_t> &hidden, uint32_t outputs,
                   uint32_t fanIn, uint32_t maxDelay, uint32_t steps) {
  IntNetwork n;
  n.steps = steps;
  n.stateBits = 24;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = inputs;
  in.inputKind = InputKind::Spikes;
  n.populations.push_back(in);
  std::string prev = "in";
  uint32_t prevSize = inputs;
  for (size_t l = 0; l < hidden.size(); ++l) {
    std::string name = "h" + std::to_string(l + 1);
    n.populations.push_back(lif(name, hidden[l], 64));
    n.projections.push_back(
        randomProjection(rng, prev, prevSize, name, hidden[l],
                         std::min(fanIn, prevSize), maxDelay, -6, 12));
    prev = name;
    prevSize = hidden[l];
  }
  IntPopulation out = lif("out", outputs, 64);
  out.kind = PopulationKind::Li;
  out.threshold.clear();
  n.populations.push_back(out);
  n.projections.push_back(randomProjection(rng, prev, prevSize, "out", outputs,
                                           std::min(fanIn, prevSize), maxDelay,
                                           -6, 12));
  n.outputs = {"out"};
  return n;
}

Dataset spikes(std::mt19937 &rng, uint32_t channels, uint32_t steps,
               size_t samples, double rate) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = steps;
  d.channels = channels;
  d.numClasses = 1;
  d.labels.assign(samples, 0);
  d.eventOffsets = {0};
  std::bernoulli_distribution fire(rate);
  for (size_t s = 0; s < samples; ++s) {
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < channels; ++c)
        if (fire(rng)) {
          d.eventStep.push_back(t);
          d.eventChannel.push_back(c);
          d.eventCount.push_back(1);
        }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

/// Bytes of tables per synaptic event of the last measurement.
double lastBytesPerEvent = 0;

/// The executor options measured (--delivery): each in turn on the same
/// tables, --repeat times, so that their rates come from runs next to each
/// other.
std::vector<PlanExecutorOptions> optionSets(1);
std::vector<uint32_t> inFlights = {0};
int repeats = 1;

/// What one measurement found.
struct Measured {
  uint64_t events = 0;
  double seconds = 0, loadSeconds = 0;
  double cpuSeconds = 0; ///< summed over the threads
};

/// Loads one executor (timed apart: building the tables), then runs every
/// sample of `data` on `threads` threads, each with its own state over the
/// shared tables, as runPlanOnDataset does; the timed part is the runs.
/// Prints events/s, per CPU core (thread), and the spike counts per
/// population that another simulator of the same network must reproduce.
Measured measureOnce(const char *label, const IntNetwork *net, const Plan &plan,
                     const Dataset &data, int threads, bool runFlatToo,
                     std::vector<std::unique_ptr<PlanExecutor>> &execs,
                     double loadSeconds);

Measured measure(const char *label, const IntNetwork *net, const Plan &plan,
                 const Dataset &data, int threads, bool runFlatToo) {
  const double t0 = now();
  auto exec = PlanExecutor::create(plan, optionSets.front());
  if (!exec) {
    std::fprintf(stderr, "executor-bench: %s\n",
                 exec.status().message().c_str());
    std::exit(1);
  }
  const double loadSeconds = now() - t0;
  Measured m;
  for (int r = 0; r < repeats; ++r)
    for (const PlanExecutorOptions &options : optionSets) {
      std::vector<std::unique_ptr<PlanExecutor>> execs;
      for (int t = 0; t < threads; ++t)
        execs.push_back((*exec)->twin(options));
      m = measureOnce(label, net, plan, data, threads,
                      runFlatToo && r == 0 && &options == &optionSets.front(),
                      execs, loadSeconds);
    }
  return m;
}

Measured measureOnce(const char *label, const IntNetwork *net, const Plan &plan,
                     const Dataset &data, int threads, bool runFlatToo,
                     std::vector<std::unique_ptr<PlanExecutor>> &execs,
                     double loadSeconds) {
  uint64_t synapses = 0;
  for (const auto &c : plan.cores)
    synapses += c.synWeight.size();
  Measured m;
  m.loadSeconds = loadSeconds;
  const size_t P = plan.populations.size();
  std::vector<std::vector<uint64_t>> spikes(data.size(),
                                            std::vector<uint64_t>(P, 0));
  std::vector<uint64_t> events(data.size(), 0), bytes(data.size(), 0);
  // Each task is one group of samples in flight (one sample where the
  // executor runs them one at a time), as runPlanOnDataset runs them.
  const size_t width = execs.front()->samplesInFlight();
  const size_t tasks = (data.size() + width - 1) / width;
  std::vector<double> cpu(tasks, 0.0);
  bool ok = true;
  double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (long g = 0; g < long(tasks); ++g) {
    int worker = 0;
#ifdef _OPENMP
    worker = omp_get_thread_num();
#endif
    std::vector<size_t> ids;
    for (size_t s = size_t(g) * width;
         s < std::min(data.size(), size_t(g + 1) * width); ++s)
      ids.push_back(s);
    std::vector<PlanRunStats> stats;
    const double c0 = threadCpu();
    auto traces = execs[size_t(worker)]->runSparseGroup(data, ids, &stats);
    cpu[size_t(g)] = threadCpu() - c0;
    if (!traces) {
      ok = false;
      continue;
    }
    for (size_t k = 0; k < ids.size(); ++k) {
      const size_t s = ids[k];
      events[s] = stats[k].synapticEvents;
      bytes[s] = stats[k].tableBytes;
      for (size_t p = 0; p < P; ++p)
        spikes[s][p] = (*traces)[k].step[p].size();
    }
  }
  m.seconds = now() - t0;
  if (!ok) {
    std::fprintf(stderr, "executor-bench: a sample failed to run\n");
    std::exit(1);
  }
  uint64_t tableBytes = 0;
  for (size_t s = 0; s < events.size(); ++s) {
    m.events += events[s];
    tableBytes += bytes[s];
  }
  for (double c : cpu)
    m.cpuSeconds += c;
  lastBytesPerEvent = m.events ? double(tableBytes) / double(m.events) : 0;
  double flatTime = 0;
  if (runFlatToo && net) {
    // The naive reference on the same samples, the same number of threads.
    t0 = now();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long s = 0; s < long(data.size()); ++s)
      if (!runFlat(*net, data, size_t(s)))
        ok = false;
    flatTime = now() - t0;
    if (!ok)
      std::exit(1);
  }
  const double rate = m.events / m.seconds;
  std::printf("%-22s %10llu %11llu %6zu %8.3f %8.3f %11.3g %11.3g", label,
              (unsigned long long)synapses, (unsigned long long)m.events,
              plan.cores.size(), m.loadSeconds, m.seconds, rate,
              rate / threads);
  if (runFlatToo && net)
    std::printf(" %8.3f %7.1fx", flatTime, flatTime / m.seconds);
  std::printf("\n");
  std::printf("  spikes:");
  for (size_t p = 0; p < P; ++p)
    if (plan.populations[p].kind == "lif") {
      uint64_t total = 0;
      for (const auto &per : spikes)
        total += per[p];
      std::printf(" %s=%llu", plan.populations[p].name.c_str(),
                  (unsigned long long)total);
    }
  std::printf("  (synaptic events %llu, %.4g s, %.4g events/s, %.4g per "
              "thread; %.4g CPU s, %.4g events per CPU second; the executor "
              "loads in %.3g s, not counted; %s; %zu sample%s in flight per "
              "thread; %.2f table bytes read per event)\n",
              (unsigned long long)m.events, m.seconds, rate, rate / threads,
              m.cpuSeconds, m.events / m.cpuSeconds, m.loadSeconds,
              execs.front()->layout().c_str(), width, width == 1 ? "" : "s",
              lastBytesPerEvent);
  const PlanExecutor::Memory mem = execs.front()->memory();
  std::printf("  executor memory: tables %.0f MiB (shared by the threads), "
              "state %.1f MiB per thread\n",
              mem.tables / 1048576.0, mem.state / 1048576.0);
  return m;
}

/// STREAM's copy kernel (b = a over arrays much larger than the caches) on
/// `threads` threads: the best of five passes, counting read and write
/// bytes as STREAM does. The memory limit of an executor is this bandwidth
/// divided by the bytes it moves per synaptic event.
double copyBandwidth(int threads) {
  const size_t n = size_t(1) << 24; // 2 x 128 MiB
  std::vector<double> a(n, 1.0), b(n, 0.0);
  double best = 1e30;
  for (int pass = 0; pass < 5; ++pass) {
    double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < long(n); ++i)
      b[size_t(i)] = a[size_t(i)];
    best = std::min(best, now() - t0);
    a[size_t(pass)] = b[n - 1 - size_t(pass)]; // keep the copies observable
  }
  return 2.0 * double(n) * sizeof(double) / best;
}

/// Fails the bench with the file and object HDF5 named.
void check(const Status &status) {
  if (!status.ok()) {
    std::fprintf(stderr, "executor-bench: %s\n", status.message().c_str());
    std::exit(1);
  }
}

/// Writes `net` and `data` for bench/brian2_run.py: per population its kind,
/// size and parameters, per projection the CSR synapses flattened to
/// (source, target, weight, delay) lists, and the input events. Only what
/// the random network uses (snnc rules, Mul12 decay, hard reset, no CuBa
/// synapse) is supported; anything else is refused so that Brian2 never
/// silently simulates something different.
void exportNetwork(const std::string &path, const IntNetwork &net,
                   const Dataset &data) {
  if (net.arithmetic != intmath::Arithmetic::Snnc ||
      net.decay != intmath::DecayKind::Mul12) {
    std::fprintf(stderr, "executor-bench: --export-network supports snnc's "
                         "rules with multiplicative decay only\n");
    std::exit(1);
  }
  auto file = File::createAtomic(path);
  if (!file) {
    check(file.status());
  }
  File &f = *file;
  check(f.writeScalar<uint32_t>("steps", net.steps));
  check(f.writeScalar<uint32_t>("state_bits", net.stateBits));
  std::vector<std::string> names;
  for (const auto &p : net.populations) {
    if (p.kind != PopulationKind::Input &&
        (!p.iDecay.empty() || p.reset != ResetMode::Hard)) {
      std::fprintf(stderr,
                   "executor-bench: population '%s' has a CuBa synapse or a "
                   "subtractive reset, which the export does not carry\n",
                   p.name.c_str());
      std::exit(1);
    }
    names.push_back(p.name);
    const std::string g = "populations/" + p.name;
    check(f.createGroup(g));
    check(f.writeString(g + "/kind", p.kind == PopulationKind::Input ? "input"
                                     : p.kind == PopulationKind::Lif ? "lif"
                                                                     : "li"));
    check(f.writeScalar<uint32_t>(g + "/size", p.size));
    if (p.kind == PopulationKind::Input)
      continue;
    if (p.kind == PopulationKind::Lif)
      check(f.write(g + "/threshold", p.threshold));
    check(f.write(g + "/bias", p.bias));
    check(f.write(g + "/v_decay", p.vDecay));
  }
  check(f.writeStrings("population_names", names));
  std::vector<std::string> projNames;
  for (const auto &p : net.projections) {
    projNames.push_back(p.name);
    const std::string g = "projections/" + p.name;
    check(f.createGroup(g));
    check(f.writeString(g + "/source", p.source));
    check(f.writeString(g + "/target", p.target));
    std::vector<uint32_t> target(p.colIdx.size());
    for (size_t b = 0; b + 1 < p.rowPtr.size(); ++b)
      for (uint64_t k = p.rowPtr[b]; k < p.rowPtr[b + 1]; ++k)
        target[k] = uint32_t(b);
    check(f.write(g + "/source_index", p.colIdx));
    check(f.write(g + "/target_index", target));
    check(f.write(g + "/weight", p.weight));
    check(f.write(g + "/delay", p.delay));
  }
  check(f.writeStrings("projection_names", projNames));
  // Inputs: one value per event; the random network's are all 1 (scale 1).
  check(f.writeScalar<uint64_t>("samples", uint64_t(data.size())));
  check(f.createGroup("input"));
  check(f.write("input/offsets", data.eventOffsets));
  check(f.write("input/step", data.eventStep));
  check(f.write("input/channel", data.eventChannel));
  check(f.write("input/count", data.eventCount));
  check(f.commit());
}

/// Writes a compiled plan and the integer inputs of the first `samples`
/// samples of `data` in exportNetwork's layout, for brian2_run.py: the
/// per-neuron parameters gathered from the cores into population order,
/// the synapses grouped by (source, target) population, i_decay per neuron
/// and the arithmetic ("snnc" or "lava-cuba"); input events carry their
/// integer value x (SNN-I2) in `count`. Refuses what brian2_run.py does
/// not model (Xylo's rules, relays, CuBa synapses and subtractive resets
/// under snnc's rules, shift decay) rather than export something else.
void exportPlan(const std::string &path, const Plan &plan, const Dataset &data,
                size_t samples) {
  auto refuse = [](const std::string &why) {
    std::fprintf(stderr, "executor-bench: --export-network: %s\n", why.c_str());
    std::exit(1);
  };
  const bool lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  if (!lava && plan.arithmetic != intmath::Arithmetic::Snnc)
    refuse("the plan follows Xylo's rules, which brian2_run.py does not "
           "model");
  if (plan.decayMode != intmath::DecayKind::Mul12)
    refuse("the plan's decay is a shift; brian2_run.py models mul12 only");
  const size_t P = plan.populations.size();
  std::vector<std::vector<int32_t>> threshold(P), bias(P), vDecay(P), iDecay(P);
  for (size_t p = 0; p < P; ++p) {
    const PlanPopulation &pop = plan.populations[p];
    if (pop.relay)
      refuse("population '" + pop.name + "' is a relay");
    if (!lava && pop.kind == "lif" && pop.reset != "hard")
      refuse("population '" + pop.name + "' resets by subtraction");
    threshold[p].assign(pop.size, 0);
    bias[p].assign(pop.size, 0);
    vDecay[p].assign(pop.size, 0);
    iDecay[p].assign(pop.size, -1);
  }
  // (source pop, target pop) -> synapses.
  std::map<std::pair<int32_t, int32_t>, std::vector<uint32_t>> src, dst;
  std::map<std::pair<int32_t, int32_t>, std::vector<int32_t>> weight, delay;
  for (const PlanCore &core : plan.cores)
    for (size_t i = 0; i < core.neuronPop.size(); ++i) {
      const int32_t p = core.neuronPop[i], b = core.neuronIndex[i];
      threshold[p][b] = core.threshold[i];
      bias[p][b] = core.bias[i];
      vDecay[p][b] = core.vDecay[i];
      iDecay[p][b] = core.iDecay[i];
      if (!lava && core.iDecay[i] >= 0)
        refuse("population '" + plan.populations[p].name +
               "' has a CuBa synapse under snnc's rules");
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k) {
        const int32_t a = core.synAxon[k];
        const auto key = std::make_pair(core.axonPop[a], p);
        src[key].push_back(uint32_t(core.axonIndex[a]));
        dst[key].push_back(uint32_t(b));
        weight[key].push_back(core.synWeight[k]);
        delay[key].push_back(core.synDelay[k]);
      }
    }
  auto file = File::createAtomic(path);
  if (!file)
    check(file.status());
  File &f = *file;
  check(f.writeScalar<uint32_t>("steps", plan.steps));
  check(f.writeScalar<uint32_t>("state_bits", plan.stateBits));
  check(f.writeString("arithmetic", lava ? "lava-cuba" : "snnc"));
  std::vector<std::string> names;
  for (size_t p = 0; p < P; ++p) {
    const PlanPopulation &pop = plan.populations[p];
    names.push_back(pop.name);
    const std::string g = "populations/" + pop.name;
    check(f.createGroup(g));
    check(f.writeString(g + "/kind", pop.kind));
    check(f.writeScalar<uint32_t>(g + "/size", pop.size));
    if (pop.kind == "input")
      continue;
    check(f.write(g + "/threshold", threshold[p]));
    check(f.write(g + "/bias", bias[p]));
    check(f.write(g + "/v_decay", vDecay[p]));
    check(f.write(g + "/i_decay", iDecay[p]));
  }
  check(f.writeStrings("population_names", names));
  std::vector<std::string> projNames;
  for (const auto &[key, sources] : src) {
    const std::string name = plan.populations[key.first].name + "_" +
                             plan.populations[key.second].name;
    projNames.push_back(name);
    const std::string g = "projections/" + name;
    check(f.createGroup(g));
    check(f.writeString(g + "/source", plan.populations[key.first].name));
    check(f.writeString(g + "/target", plan.populations[key.second].name));
    check(f.write(g + "/source_index", sources));
    check(f.write(g + "/target_index", dst[key]));
    check(f.write(g + "/weight", weight[key]));
    check(f.write(g + "/delay", delay[key]));
  }
  check(f.writeStrings("projection_names", projNames));
  // The integer inputs x of each sample, as the executor computes them.
  const PlanPopulation &in = plan.populations[plan.inputs().front()];
  samples = std::min(samples, data.size());
  std::vector<uint64_t> offsets = {0};
  std::vector<uint32_t> step, channel;
  std::vector<float> value;
  for (size_t s = 0; s < samples; ++s) {
    auto add = [&](uint32_t t, uint32_t c, double raw) {
      const int64_t x = intmath::inputValue(in.scale, raw);
      if (x == 0 || t >= plan.steps)
        return;
      step.push_back(t);
      channel.push_back(c);
      value.push_back(float(x)); // |x| <= 2^15: exact in float
    };
    if (data.kind == InputKind::Frames) {
      for (uint32_t t = 0; t < data.steps; ++t)
        for (uint32_t c = 0; c < data.channels; ++c)
          add(t, c,
              data.frames[(s * data.steps + t) * size_t(data.channels) + c]);
    } else {
      for (uint64_t k = data.eventOffsets[s]; k < data.eventOffsets[s + 1]; ++k)
        add(data.eventStep[k], data.eventChannel[k], data.eventCount[k]);
    }
    offsets.push_back(step.size());
  }
  check(f.writeScalar<uint64_t>("samples", uint64_t(samples)));
  check(f.createGroup("input"));
  check(f.write("input/offsets", offsets));
  check(f.write("input/step", step));
  check(f.write("input/channel", channel));
  check(f.write("input/count", value));
  check(f.commit());
}

} // namespace

int main(int argc, char **argv) {
  int threads = 2;
  uint64_t largeSynapses = 10'000'000;
  uint32_t scale = 1;
  size_t samples = 4;
  bool onlyLarge = false, skipLarge = false;
  std::string exportPath, planPath, dataPath;
  size_t planSamples = 0; // 0: all of the dataset
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--large-synapses") && i + 1 < argc)
      largeSynapses = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
      scale = uint32_t(std::strtoul(argv[++i], nullptr, 10));
    else if (!std::strcmp(argv[i], "--samples") && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--only-large"))
      onlyLarge = true;
    else if (!std::strcmp(argv[i], "--export-network") && i + 1 < argc)
      exportPath = argv[++i];
    else if (!std::strcmp(argv[i], "--plan") && i + 1 < argc)
      planPath = argv[++i];
    else if (!std::strcmp(argv[i], "--data") && i + 1 < argc)
      dataPath = argv[++i];
    else if (!std::strcmp(argv[i], "--plan-samples") && i + 1 < argc)
      planSamples = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--only-plan"))
      skipLarge = onlyLarge = true;
    else if (!std::strcmp(argv[i], "--delivery") && i + 1 < argc) {
      // A comma-separated list of gather, per-segment.
      optionSets.clear();
      std::string list = argv[++i];
      for (size_t at = 0; at <= list.size();) {
        size_t comma = list.find(',', at);
        if (comma == std::string::npos)
          comma = list.size();
        const std::string item = list.substr(at, comma - at);
        PlanExecutorOptions o;
        if (item == "per-segment")
          o.gather = false;
        else if (item != "gather") {
          std::fprintf(stderr,
                       "executor-bench: --delivery takes gather and "
                       "per-segment, not '%s'\n",
                       item.c_str());
          return 2;
        }
        optionSets.push_back(o);
        at = comma + 1;
      }
    } else if (!std::strcmp(argv[i], "--in-flight") && i + 1 < argc) {
      // A comma-separated list of counts, each crossed with --delivery's.
      inFlights.clear();
      std::string list = argv[++i];
      for (size_t at = 0; at <= list.size();) {
        size_t comma = list.find(',', at);
        if (comma == std::string::npos)
          comma = list.size();
        const std::string item = list.substr(at, comma - at);
        char *end = nullptr;
        const unsigned long n = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || *end || n > PlanExecutorOptions::kMaxInFlight) {
          std::fprintf(stderr,
                       "executor-bench: --in-flight takes counts from 0 "
                       "(the executor picks) to %u, not '%s'\n",
                       PlanExecutorOptions::kMaxInFlight, item.c_str());
          return 2;
        }
        inFlights.push_back(uint32_t(n));
        at = comma + 1;
      }
    } else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeats = std::max(1, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr,
                   "usage: executor-bench [--threads N] [--large-synapses N] "
                   "[--scale K] [--samples N] [--only-large] [--export-network "
                   "FILE.h5] [--plan PLAN.h5 --data DATA.h5 [--plan-samples N] "
                   "[--only-plan]] [--delivery gather|per-segment[,...]] "
                   "[--in-flight N[,...]] [--repeat N]\n");
      return 2;
    }
  }
  {
    // Every --delivery option with every --in-flight count, in that order.
    std::vector<PlanExecutorOptions> crossed;
    for (const PlanExecutorOptions &o : optionSets)
      for (uint32_t n : inFlights) {
        crossed.push_back(o);
        crossed.back().inFlight = n;
      }
    optionSets = crossed;
  }
  if (threads < 1 || scale < 1 || planPath.empty() != dataPath.empty() ||
      (skipLarge && planPath.empty())) {
    std::fprintf(stderr, "executor-bench: --threads and --scale must be >= 1; "
                         "--plan and --data go together (--only-plan needs "
                         "them)\n");
    return 2;
  }
  std::mt19937 rng(1);
  std::printf("integer executors, %d threads, %zu samples each; 'naive' is "
              "the flat time-stepped reference\n",
              threads, samples);
  std::printf("%-22s %10s %11s %6s %8s %8s %11s %11s %8s %8s\n", "network",
              "synapses", "syn-events", "cores", "load s", "run s", "events/s",
              "per thread", "naive s", "ratio");

  // The paper's shape: 40 -> 256 -> 20, delays < 25, T = 100.
  if (!onlyLarge) {
    IntNetwork paper = network(rng, 40, {256}, 20, 40, 25, 100);
    paper.projections[1] =
        randomProjection(rng, "h1", 256, "out", 20, 256, 25, -6, 12);
    Dataset paperData = spikes(rng, 40, 100, samples * 16, 0.1);
    Plan paperPlan = planFromIntNetwork(paper, sequentialCoreMap(paper, 128));
    measure("paper-shape 40-256-20", &paper, paperPlan, paperData, threads,
            true);
  }
  // A compiled plan (the demo's) on its dataset.
  if (!planPath.empty()) {
    auto plan = readPlanFile(planPath);
    auto data = readDataset(dataPath);
    if (!plan || !data) {
      std::fprintf(stderr, "executor-bench: %s\n",
                   (!plan ? plan.status() : data.status()).message().c_str());
      return 1;
    }
    if (planSamples && planSamples < data->size()) {
      std::vector<size_t> first(planSamples);
      for (size_t k = 0; k < planSamples; ++k)
        first[k] = k;
      *data = selectSamples(*data, first);
    }
    // With --only-plan, --export-network writes the plan for Brian2.
    if (skipLarge && !exportPath.empty())
      exportPlan(exportPath, *plan, *data, data->size());
    measure("compiled plan", nullptr, *plan, *data, threads, false);
  }
  Measured large;
  if (!skipLarge) {
    // 10^5 neurons, ~10^7 synapses: 1000 inputs -> 49,500 -> 49,480 -> 20
    // (--scale K: K times the neurons; --large-synapses the synapses).
    const uint32_t inputs = 1000 * scale, h1 = 49'500 * scale,
                   h2 = 49'480 * scale;
    uint32_t fanIn = uint32_t(largeSynapses / (99'000ull * scale));
    std::mt19937 largeRng(1);
    if (scale == 1)
      largeRng = rng; // the stream the published numbers used
    IntNetwork net =
        network(largeRng, inputs, {h1, h2}, 20, std::max(1u, fanIn), 16, 100);
    Dataset largeData = spikes(largeRng, inputs, 100, samples, 0.02);
    if (!exportPath.empty())
      exportNetwork(exportPath, net, largeData);
    Plan largePlan = planFromIntNetwork(net, sequentialCoreMap(net, 1024));
    char label[64];
    std::snprintf(label, sizeof label, "random %.0e neurons",
                  double(inputs + h1 + h2 + 20));
    if (onlyLarge) // the generator's copy is not needed any more
      net = IntNetwork();
    large = measure(label, onlyLarge ? nullptr : &net, largePlan, largeData,
                    threads, !onlyLarge);
  }
  std::printf("peak memory: %.0f MiB (the whole process: generator, plan "
              "and executor)\n",
              peakMiB());
  // Bytes per event: the rows' entries (4 bytes packed, 6 otherwise) plus
  // the segment pointers read per (event, delay), as counted by the run.
  const double bandwidth = copyBandwidth(threads);
  std::printf("copy bandwidth: %.3g GB/s (%d threads, STREAM copy, read + "
              "write bytes)\n",
              bandwidth / 1e9, threads);
  if (large.events) {
    const double rate = large.events / large.seconds;
    std::printf("random network: %.3g events/s = %.3g per thread (%.3g per "
                "CPU second); at %.2f B/event the copy bandwidth allows %.3g "
                "events/s: %.0f %% of the memory limit\n",
                rate, rate / threads, large.events / large.cpuSeconds,
                lastBytesPerEvent, bandwidth / lastBytesPerEvent,
                100.0 * rate / (bandwidth / lastBytesPerEvent));
  }
  return 0;
}
