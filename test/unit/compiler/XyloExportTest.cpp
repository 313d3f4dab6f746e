//===- XyloExportTest.cpp - the Rockpool export of xylo-iaf plans ---------===//
//
// The specification snnc writes for XyloSim must run like the plan: random
// xylo-iaf networks (delays on every kind of synapse, so relay chains from
// input channels and hidden neurons, multi-spike neurons, saturating
// weights) are mapped onto random cores, exported, and the exported arrays
// are run by a direct transcription of XyloSim's step (SNN-X4..X9: dense
// matrices, sources in index order) against the plan executor: every spike
// count of every plan neuron and every readout state; with the vendors'
// python, XyloSim itself runs the written files against the plan executor
// (xylo_export_check.py). Then the file format and each refusal.
//
//===----------------------------------------------------------------------===//

#include "snnc/Compile/XyloExport.h"

#include "snnrt/exec/IntegerMath.h"
#include "snnrt/exec/PlanBuilder.h"
#include "snnrt/exec/PlanExecutor.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <tuple>

using namespace snnrt;
using snnc::XyloSpec;
namespace xm = snnrt::intmath;

namespace {

struct Shifts {
  int in = 0, rec = 0, out = 0;
};

/// A random xylo-iaf network: 1–3 lif layers (each fed by the input or an
/// earlier layer), an li readout fed by lif layers; effective weights
/// int8 · 2^shift with one shift per Xylo matrix; delays up to `maxDelay`.
IntNetwork randomXyloNetwork(std::mt19937 &rng, int maxDelay, Shifts &sh) {
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  sh = {uniform(0, 8), uniform(0, 8), uniform(0, 8)};
  // A delayed input channel's relay needs 2^(rec + 1) = int8 · 2^in.
  sh.in = std::max(sh.in, sh.rec - 5);
  IntNetwork n;
  n.name = "xnet";
  n.arithmetic = xm::Arithmetic::XyloIaf;
  n.stateBits = 16;
  n.decay = xm::DecayKind::Shift;
  n.steps = uniform(10, 40);
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = uniform(1, 16);
  in.inputKind = InputKind::Spikes;
  n.populations.push_back(in);
  const int layers = uniform(1, 3);
  std::vector<std::string> spiking = {"in"};
  for (int l = 0; l <= layers; ++l) {
    const bool readout = l == layers;
    IntPopulation p;
    p.name = readout ? "readout" : "h" + std::to_string(l + 1);
    p.kind = readout ? PopulationKind::Li : PopulationKind::Lif;
    p.size = readout ? uniform(1, 8) : uniform(1, 20);
    p.reset = ResetMode::Subtract;
    const bool multi = uniform(0, 3) == 0;
    for (uint32_t b = 0; b < p.size; ++b) {
      p.vDecay.push_back(uniform(0, 15));
      p.iDecay.push_back(uniform(0, 15));
      p.threshold.push_back(multi ? uniform(1, 8) : uniform(1, 3000));
      p.bias.push_back(uniform(0, 2) ? 0 : uniform(-40, 60));
      p.weightScale.push_back(0.01f);
    }
    if (readout)
      p.threshold.clear();
    const int incoming = uniform(1, 2);
    for (int k = 0; k < incoming; ++k) {
      const std::string &src =
          spiking[uniform(readout ? 1 : 0, int(spiking.size()) - 1)];
      const uint32_t ns = n.populations[n.findPopulation(src)].size;
      IntProjection proj;
      proj.name = src + "_" + p.name + "_" + std::to_string(k);
      proj.source = src;
      proj.target = p.name;
      proj.maxDelay = uint32_t(uniform(0, maxDelay)) + 1;
      proj.rowPtr = {0};
      const int density = uniform(1, 3);
      for (uint32_t b = 0; b < p.size; ++b) {
        for (uint32_t a = 0; a < ns; ++a)
          if (uniform(0, 2) < density) {
            int w = uniform(-128, 127);
            if (w == 0)
              w = 1;
            const int d = uniform(0, int(proj.maxDelay) - 1);
            // A delayed input event reaches its target from a relay neuron,
            // through weights_rec: it takes the recurrent shift.
            const int shift = readout                 ? sh.out
                              : src == "in" && d == 0 ? sh.in
                                                      : sh.rec;
            proj.colIdx.push_back(a);
            proj.weight.push_back(w * (1 << shift));
            proj.delay.push_back(d);
          }
        proj.rowPtr.push_back(proj.colIdx.size());
      }
      n.projections.push_back(proj);
    }
    n.populations.push_back(p);
    if (!readout)
      spiking.push_back(p.name);
  }
  // Two projections between one pair of populations could give one source,
  // delay and target two weights, which Xylo cannot hold: keep the first.
  std::set<std::tuple<std::string, std::string, uint32_t, uint32_t, int32_t>>
      used;
  for (IntProjection &p : n.projections) {
    IntProjection q = p;
    q.colIdx.clear();
    q.weight.clear();
    q.delay.clear();
    q.rowPtr = {0};
    for (size_t b = 0; b + 1 < p.rowPtr.size(); ++b) {
      for (uint64_t k = p.rowPtr[b]; k < p.rowPtr[b + 1]; ++k)
        if (used.insert(
                    {p.source, p.target, uint32_t(b), p.colIdx[k], p.delay[k]})
                .second) {
          q.colIdx.push_back(p.colIdx[k]);
          q.weight.push_back(p.weight[k]);
          q.delay.push_back(p.delay[k]);
        }
      q.rowPtr.push_back(q.colIdx.size());
    }
    p = q;
  }
  n.outputs = {"readout"};
  return n;
}

Plan randomPlan(const IntNetwork &n, std::mt19937 &rng) {
  const uint32_t cores = 1 + rng() % 4;
  std::vector<uint32_t> coreOf;
  for (const auto &p : n.populations)
    for (uint32_t i = 0; i < p.size; ++i)
      coreOf.push_back(uint32_t(rng() % cores));
  Plan plan = planFromIntNetwork(n, coreOf);
  plan.target = "xylo-audio";
  return plan;
}

Dataset randomCounts(std::mt19937 &rng, const IntNetwork &n, size_t samples) {
  Dataset d;
  d.kind = InputKind::Spikes;
  d.steps = n.steps;
  d.channels = n.populations[0].size;
  d.numClasses = 1;
  d.labels.assign(samples, 0);
  d.eventOffsets = {0};
  for (size_t s = 0; s < samples; ++s) {
    for (uint32_t t = 0; t < d.steps; ++t)
      for (uint32_t c = 0; c < d.channels; ++c)
        if (rng() % 3 == 0) {
          d.eventStep.push_back(t);
          d.eventChannel.push_back(c);
          // Counts past 15 are clipped, by XyloSim and the executors.
          d.eventCount.push_back(float(1 + rng() % 18));
        }
    d.eventOffsets.push_back(d.eventStep.size());
  }
  return d;
}

/// What XyloSim computes for one sample of `x` ([T][inputs] event counts):
/// hidden spike counts [T][hidden] and Vmem_out [T][outputs].
struct SpecRun {
  std::vector<std::vector<int64_t>> counts, vmemOut;
};
SpecRun runSpec(const XyloSpec &s, const std::vector<std::vector<int>> &x) {
  const uint32_t H = s.hidden, I = s.inputs, O = s.outputs;
  std::vector<int64_t> v(H, 0), i1(H, 0), vo(O, 0), io(O, 0), prev(H, 0);
  SpecRun r;
  for (const auto &xt : x) {
    // SNN-X4: input events, channel by channel.
    for (uint32_t c = 0; c < I; ++c) {
      const int64_t n = xm::xyloInputEvents(xt[c]);
      for (uint32_t h = 0; n && h < H; ++h)
        if (int64_t w = s.weightsIn[(size_t(c) * H + h) * 2])
          i1[h] =
              xm::xyloDeliver(i1[h], n, xm::xyloShiftedWeight(w, s.shiftIn));
    }
    // SNN-X5: last step's hidden counts, by hidden index.
    for (uint32_t j = 0; j < H; ++j) {
      if (!prev[j])
        continue;
      for (uint32_t h = 0; h < H; ++h)
        if (int64_t w = s.weightsRec[(size_t(j) * H + h) * 2])
          i1[h] = xm::xyloDeliver(i1[h], prev[j],
                                  xm::xyloShiftedWeight(w, s.shiftRec));
      for (uint32_t o = 0; o < O; ++o)
        if (int64_t w = s.weightsOut[size_t(j) * O + o])
          io[o] = xm::xyloDeliver(io[o], prev[j],
                                  xm::xyloShiftedWeight(w, s.shiftOut));
    }
    for (uint32_t h = 0; h < H; ++h)
      prev[h] = xm::xyloNeuronStep(v[h], i1[h], s.bias[h], s.threshold[h],
                                   s.dashMem[h], s.dashSyn[h],
                                   xm::xylo::kMaxHiddenSpikes);
    for (uint32_t o = 0; o < O; ++o)
      xm::xyloNeuronStep(vo[o], io[o], s.biasOut[o], s.thresholdOut[o],
                         s.dashMemOut[o], s.dashSynOut[o],
                         xm::xylo::kMaxOutputSpikes);
    r.counts.push_back(prev);
    r.vmemOut.push_back(vo);
  }
  return r;
}

std::vector<std::vector<int>> sampleCounts(const Dataset &d, size_t s) {
  std::vector<std::vector<int>> x(d.steps, std::vector<int>(d.channels, 0));
  for (uint64_t k = d.eventOffsets[s]; k < d.eventOffsets[s + 1]; ++k)
    x[d.eventStep[k]][d.eventChannel[k]] = int(d.eventCount[k]);
  return x;
}

} // namespace

TEST(XyloExport, RunsLikeThePlanOnRandomNetworks) {
  int networks = 0, withRelays = 0, inputChains = 0;
  uint64_t spikes = 0, multi = 0;
  for (unsigned seed = 0; seed < 150; ++seed) {
    std::mt19937 rng(seed);
    Shifts sh;
    IntNetwork net = randomXyloNetwork(rng, seed % 5 == 0 ? 0 : 12, sh);
    ASSERT_TRUE(net.validate()) << net.validate().message();
    Plan plan = randomPlan(net, rng);
    auto spec = snnc::xyloSpecFromPlan(plan);
    ASSERT_TRUE(spec) << "seed " << seed << ": " << spec.status().message();
    withRelays += spec->relays.size > 0;
    for (const auto &c : spec->chains)
      inputChains += c.population == "in";
    auto exec = PlanExecutor::create(plan);
    ASSERT_TRUE(exec) << exec.status().message();
    Dataset data = randomCounts(rng, net, 2);
    for (size_t s = 0; s < data.size(); ++s) {
      auto trace = (*exec)->run(data, s);
      ASSERT_TRUE(trace);
      SpecRun xylo = runSpec(*spec, sampleCounts(data, s));
      for (size_t p = 0; p < plan.populations.size(); ++p) {
        const PlanPopulation &pop = plan.populations[p];
        for (uint32_t t = 0; t < plan.steps; ++t)
          for (uint32_t k = 0; k < pop.size; ++k) {
            if (pop.kind == "lif") {
              uint32_t h = 0;
              for (const auto &r : spec->populations)
                if (r.name == pop.name)
                  h = r.offset + k;
              const int64_t mine = trace->output[p][size_t(t) * pop.size + k];
              ASSERT_EQ(xylo.counts[t][h], mine)
                  << "seed " << seed << " sample " << s << " " << pop.name
                  << " neuron " << k << " step " << t;
              spikes += uint64_t(mine);
              multi += mine > 1;
            } else if (pop.kind == "li") {
              ASSERT_EQ(xylo.vmemOut[t][k],
                        trace->readout[p][size_t(t) * pop.size + k])
                  << "seed " << seed << " sample " << s << " readout neuron "
                  << k << " step " << t;
            }
          }
      }
    }
    ++networks;
  }
  EXPECT_EQ(networks, 150);
  EXPECT_GT(withRelays, 100); // delays, so relay chains, in most networks
  EXPECT_GT(inputChains, 50); // including delayed input channels
  EXPECT_GT(spikes, 10000u);  // not silent
  EXPECT_GT(multi, 100u);     // several spikes per step occur
}

/// The vendors' python: $SNNC_VENDOR_PYTHON, else the build's venv, when it
/// imports numpy and XyloSim (a venv whose install failed, e.g. without
/// PyPI, has python but neither). Empty otherwise, unless
/// SNNC_REQUIRE_VENDORS=1 asks for a failure instead of a skip.
std::string vendorPython() {
  const char *env = std::getenv("SNNC_VENDOR_PYTHON");
  std::string py =
      env && *env ? env : SNNC_BINARY_DIR "/vendors-venv/bin/python";
  const char *require = std::getenv("SNNC_REQUIRE_VENDORS");
  if (require && std::string(require) == "1")
    return py;
  if (!llvm::sys::fs::can_execute(py))
    return "";
  const std::string probe =
      "import sys; sys.path.insert(0, '" SNNC_SOURCE_DIR
      "/tools/snn-vendor'); import numpy, xylo_bridge; "
      "xylo_bridge.import_xylosim()";
  std::optional<llvm::StringRef> quiet[] = {
      std::nullopt, llvm::StringRef(""), llvm::StringRef("")};
  return llvm::sys::ExecuteAndWait(py, {py, "-c", probe}, std::nullopt,
                                   quiet, 120) == 0
             ? py
             : "";
}

TEST(XyloExport, XyloSimRunsTheFilesLikeThePlan) {
  const std::string python = vendorPython();
  if (python.empty())
    GTEST_SKIP() << "no python with numpy and XyloSim (scripts/snnc-setup "
                    "vendors, or SNNC_VENDOR_PYTHON)";
  llvm::SmallString<128> root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("xylo-export-run", root));
  const size_t samples = 2;
  for (unsigned seed = 1000; seed < 1060; ++seed) {
    std::mt19937 rng(seed);
    Shifts sh;
    IntNetwork net = randomXyloNetwork(rng, seed % 4 == 0 ? 0 : 10, sh);
    Plan plan = randomPlan(net, rng);
    auto spec = snnc::xyloSpecFromPlan(plan);
    ASSERT_TRUE(spec) << spec.status().message();
    const std::string dir = (root + "/" + std::to_string(seed)).str();
    ASSERT_FALSE(llvm::sys::fs::create_directories(dir));
    ASSERT_TRUE(snnc::writeXyloSpec(*spec, dir + "/net.xylo.npz",
                                    dir + "/net.xylo.json"));
    auto exec = PlanExecutor::create(plan);
    ASSERT_TRUE(exec);
    Dataset data = randomCounts(rng, net, samples);
    FILE *x = std::fopen((dir + "/x.txt").c_str(), "w");
    FILE *y = std::fopen((dir + "/y.txt").c_str(), "w");
    ASSERT_TRUE(x && y);
    for (size_t s = 0; s < samples; ++s) {
      auto trace = (*exec)->run(data, s);
      ASSERT_TRUE(trace);
      // The plan's values by Xylo index (relays: what XyloSim must give,
      // from the direct transcription, checked equal to the plan above).
      SpecRun expect = runSpec(*spec, sampleCounts(data, s));
      auto counts = sampleCounts(data, s);
      for (uint32_t t = 0; t < plan.steps; ++t) {
        for (int c : counts[t])
          std::fprintf(x, "%d ", c);
        std::fputc('\n', x);
        std::vector<int64_t> row = expect.counts[t];
        for (size_t p = 0; p < plan.populations.size(); ++p) {
          const PlanPopulation &pop = plan.populations[p];
          for (const auto &r : spec->populations)
            if (r.name == pop.name)
              for (uint32_t k = 0; k < pop.size; ++k)
                row[r.offset + k] = trace->output[p][size_t(t) * pop.size + k];
        }
        for (size_t p = 0; p < plan.populations.size(); ++p)
          if (plan.populations[p].kind == "li")
            for (uint32_t k = 0; k < plan.populations[p].size; ++k)
              row.push_back(
                  trace->readout[p][size_t(t) * plan.populations[p].size + k]);
        for (int64_t v : row)
          std::fprintf(y, "%lld ", static_cast<long long>(v));
        std::fputc('\n', y);
      }
    }
    std::fclose(x);
    std::fclose(y);
  }
  const std::string script =
      SNNC_SOURCE_DIR "/test/unit/compiler/xylo_export_check.py";
  const std::string log = (root + "/check.log").str();
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(log), llvm::StringRef(log)};
  const int rc = llvm::sys::ExecuteAndWait(
      python, {python, script, root.str(), std::to_string(samples)},
      std::nullopt, redirects, 600);
  auto text = llvm::MemoryBuffer::getFile(log);
  const std::string out = text ? (*text)->getBuffer().str() : "";
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("60 networks, 120 samples"), std::string::npos) << out;
  std::printf("%s", out.c_str());
  llvm::sys::fs::remove_directories(root);
}

TEST(XyloExport, LaysOutRelaysAfterThePlanNeurons) {
  // in(2) -> h(3) -> readout(1); h neuron 1 reaches the readout with delay 2,
  // input channel 0 reaches h neuron 2 with delay 1.
  IntNetwork n;
  n.name = "tiny";
  n.arithmetic = xm::Arithmetic::XyloIaf;
  n.stateBits = 16;
  n.decay = xm::DecayKind::Shift;
  n.steps = 5;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = 2;
  IntPopulation h;
  h.name = "h";
  h.kind = PopulationKind::Lif;
  h.size = 3;
  h.threshold = {10, 20, 30};
  h.bias = {0, 1, -1};
  h.vDecay = {1, 2, 3};
  h.iDecay = {4, 5, 6};
  h.weightScale.assign(3, 1.0f);
  IntPopulation out;
  out.name = "readout";
  out.kind = PopulationKind::Li;
  out.size = 1;
  out.bias = {7};
  out.vDecay = {2};
  out.iDecay = {3};
  out.weightScale = {1.0f};
  n.populations = {in, h, out};
  IntProjection ih{"ih",      "in",           "h",      2, {0, 1, 2, 3},
                   {0, 1, 0}, {200, 400, 12}, {0, 0, 1}};
  IntProjection ho{"ho",   "h",    "readout",   3,
                   {0, 2}, {0, 1}, {-256, 256}, {0, 2}};
  n.projections = {ih, ho};
  n.outputs = {"readout"};
  ASSERT_TRUE(n.validate()) << n.validate().message();
  auto spec = snnc::xyloSpecFromPlan(planFromIntNetwork(n, {0, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(spec) << spec.status().message();
  // 3 plan neurons, then input channel 0's chain (1 relay), then h neuron
  // 1's (2 relays): input population first, as the executors order them.
  EXPECT_EQ(spec->hidden, 6u);
  ASSERT_EQ(spec->chains.size(), 2u);
  EXPECT_EQ(spec->chains[0].population, "in");
  EXPECT_EQ(spec->chains[0].offset, 3u);
  EXPECT_EQ(spec->chains[1].population, "h");
  EXPECT_EQ(spec->chains[1].neuron, 1u);
  EXPECT_EQ(spec->chains[1].offset, 4u);
  EXPECT_EQ(spec->chains[1].length, 2u);
  // The smallest shifts: in weights 200, 400 -> 2 (50, 100); out ±256 -> 2
  // (±64); rec: the delayed input synapse's 12 -> 0, so the relays have
  // θ = 2^0 = 1.
  EXPECT_EQ(spec->shiftIn, 2);
  EXPECT_EQ(spec->shiftRec, 0);
  EXPECT_EQ(spec->shiftOut, 2);
  auto in3 = [&](int c, int k) { return spec->weightsIn[(c * 6 + k) * 2]; };
  auto rec3 = [&](int a, int b) { return spec->weightsRec[(a * 6 + b) * 2]; };
  EXPECT_EQ(in3(0, 0), 50);
  EXPECT_EQ(in3(1, 1), 100);
  // Input relay: θ = max(2^0, 2^(2−1)) = 2, an event brings 2θ = 4 = 1 << 2,
  // self-weight −θ = −2 << 0.
  EXPECT_EQ(in3(0, 3), 1);
  EXPECT_EQ(spec->threshold[3], 2);
  EXPECT_EQ(rec3(3, 3), -2);
  EXPECT_EQ(rec3(3, 2), 12); // from the relay into h neuron 2
  // Hidden chain: h1 -> r4 -> r5 -> readout, +2 in, −1 self, θ = 1.
  EXPECT_EQ(rec3(1, 4), 2);
  EXPECT_EQ(rec3(4, 5), 2);
  EXPECT_EQ(rec3(4, 4), -1);
  EXPECT_EQ(rec3(5, 5), -1);
  EXPECT_EQ(spec->threshold[4], 1);
  EXPECT_EQ(spec->dashSyn[5], 1);
  EXPECT_EQ(spec->dashMem[5], 0);
  EXPECT_EQ(spec->weightsOut[0], -64);
  EXPECT_EQ(spec->weightsOut[5], 64);
  EXPECT_EQ(spec->weightsOut[1], 0); // the delayed synapse leaves from r5
  // Neuron parameters.
  EXPECT_EQ(spec->threshold[2], 30);
  EXPECT_EQ(spec->bias[1], 1);
  EXPECT_EQ(spec->dashMem[2], 3);
  EXPECT_EQ(spec->dashSyn[0], 4);
  EXPECT_EQ(spec->dashSyn2[0], 4);
  EXPECT_EQ(spec->thresholdOut[0], xm::xylo::kReadoutThreshold);
  EXPECT_EQ(spec->biasOut[0], 7);
  EXPECT_EQ(spec->dashMemOut[0], 2);
  EXPECT_EQ(spec->dashSynOut[0], 3);
}

namespace {

/// One stored entry of a zip archive.
std::string zipEntry(const std::string &path, const std::string &name) {
  int err = 0;
  zip_t *z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z)
    return "";
  std::string out;
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) == 0) {
    zip_file_t *f = zip_fopen(z, name.c_str(), 0);
    out.resize(st.size);
    if (f && zip_fread(f, out.data(), st.size) != zip_int64_t(st.size))
      out.clear();
    if (f)
      zip_fclose(f);
  }
  zip_close(z);
  return out;
}

/// The .npy header's dict (dtype and shape), as numpy reads it.
std::string npyHeader(const std::string &npy) {
  if (npy.size() < 10 || npy.compare(0, 6, "\x93NUMPY") != 0)
    return "";
  const size_t len = uint8_t(npy[8]) | (size_t(uint8_t(npy[9])) << 8);
  EXPECT_EQ((10 + len) % 64, 0u); // data aligned as numpy aligns it
  return npy.substr(10, len);
}

} // namespace

TEST(XyloExport, WritesEveryKeywordAsAnNpyInAZip) {
  std::mt19937 rng(3);
  Shifts sh;
  IntNetwork net = randomXyloNetwork(rng, 4, sh);
  auto spec = snnc::xyloSpecFromPlan(randomPlan(net, rng));
  ASSERT_TRUE(spec) << spec.status().message();
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("xylo-export", dir));
  const std::string npz = (dir + "/xnet.xylo.npz").str(),
                    json = (dir + "/xnet.xylo.json").str();
  ASSERT_TRUE(snnc::writeXyloSpec(*spec, npz, json));

  int err = 0;
  zip_t *z = zip_open(npz.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  std::vector<std::string> names;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i)
    names.push_back(zip_get_name(z, i, 0));
  zip_close(z);
  const std::vector<std::string> keys = {"weights_in",
                                         "weights_out",
                                         "weights_rec",
                                         "dash_mem",
                                         "dash_mem_out",
                                         "dash_syn",
                                         "dash_syn_2",
                                         "dash_syn_out",
                                         "threshold",
                                         "threshold_out",
                                         "bias",
                                         "bias_out",
                                         "weight_shift_in",
                                         "weight_shift_rec",
                                         "weight_shift_out",
                                         "dt"};
  ASSERT_EQ(names.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    EXPECT_EQ(names[i], keys[i] + ".npy");

  const std::string H = std::to_string(spec->hidden),
                    I = std::to_string(spec->inputs),
                    O = std::to_string(spec->outputs);
  auto header = [&](const char *key) {
    return npyHeader(zipEntry(npz, std::string(key) + ".npy"));
  };
  EXPECT_NE(header("weights_in")
                .find("'descr': '|i1', 'fortran_order': "
                      "False, 'shape': (" +
                      I + ", " + H + ", 2), }"),
            std::string::npos)
      << header("weights_in");
  EXPECT_NE(header("weights_rec").find("'shape': (" + H + ", " + H + ", 2)"),
            std::string::npos);
  EXPECT_NE(header("weights_out").find("'shape': (" + H + ", " + O + ")"),
            std::string::npos);
  EXPECT_NE(header("dash_syn_2").find("'descr': '|u1'"), std::string::npos);
  EXPECT_NE(header("dash_syn_2").find("'shape': (" + H + ",)"),
            std::string::npos);
  EXPECT_NE(header("threshold_out").find("'descr': '<i2'"), std::string::npos);
  EXPECT_NE(header("weight_shift_rec").find("'descr': '<i8'"),
            std::string::npos);
  EXPECT_NE(header("weight_shift_rec").find("'shape': ()"), std::string::npos);
  EXPECT_NE(header("dt").find("'descr': '<f8'"), std::string::npos);
  // The data: the last bytes of threshold.npy are the last threshold.
  const std::string th = zipEntry(npz, "threshold.npy");
  int16_t last;
  std::memcpy(&last, th.data() + th.size() - 2, 2);
  EXPECT_EQ(last, spec->threshold.back());

  auto meta = llvm::MemoryBuffer::getFile(json);
  ASSERT_TRUE(bool(meta));
  auto doc = llvm::json::parse((*meta)->getBuffer());
  ASSERT_TRUE(bool(doc));
  const llvm::json::Object &o = *doc->getAsObject();
  EXPECT_EQ(o.getString("format"), "snnc-xylo");
  EXPECT_EQ(o.getInteger("version"), 1);
  EXPECT_EQ(o.getString("spec"), "xnet.xylo.npz");
  EXPECT_EQ(o.getObject("shape")->getInteger("hidden"), int64_t(spec->hidden));
  EXPECT_EQ(o.getObject("relays")->getInteger("offset"),
            int64_t(spec->relays.offset));
  EXPECT_EQ((*o.getArray("outputs"))[0].getAsObject()->getString("name"),
            "readout");
  EXPECT_EQ(o.getObject("input")->getString("encoding"), "spikes");
  for (const std::string &f : {npz, json})
    llvm::sys::fs::remove(f);
  llvm::sys::fs::remove(dir);
}

TEST(XyloExport, AnUnwritableFolderLeavesNoFile) {
  std::mt19937 rng(4);
  Shifts sh;
  IntNetwork net = randomXyloNetwork(rng, 2, sh);
  auto spec = snnc::xyloSpecFromPlan(randomPlan(net, rng));
  ASSERT_TRUE(spec);
  auto st = snnc::writeXyloSpec(*spec, "/nonexistent-dir/x.xylo.npz",
                                "/nonexistent-dir/x.xylo.json");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.kind(), ErrorKind::Io);
  EXPECT_NE(st.message().find("/nonexistent-dir/x.xylo.npz"),
            std::string::npos);
}

namespace {

/// in(nIn) -> h(nHidden, every input with `delay`) -> readout(nOut).
IntNetwork chainNetwork(uint32_t nIn, uint32_t nHidden, uint32_t nOut,
                        int32_t delay, int32_t weight = 4) {
  IntNetwork n;
  n.name = "big";
  n.arithmetic = xm::Arithmetic::XyloIaf;
  n.stateBits = 16;
  n.decay = xm::DecayKind::Shift;
  n.steps = 4;
  IntPopulation in;
  in.name = "in";
  in.kind = PopulationKind::Input;
  in.size = nIn;
  IntPopulation h;
  h.name = "h";
  h.kind = PopulationKind::Lif;
  h.size = nHidden;
  h.threshold.assign(nHidden, 10);
  h.bias.assign(nHidden, 0);
  h.vDecay.assign(nHidden, 1);
  h.iDecay.assign(nHidden, 1);
  h.weightScale.assign(nHidden, 1.0f);
  IntPopulation out;
  out.name = "readout";
  out.kind = PopulationKind::Li;
  out.size = nOut;
  out.bias.assign(nOut, 0);
  out.vDecay.assign(nOut, 1);
  out.iDecay.assign(nOut, 1);
  out.weightScale.assign(nOut, 1.0f);
  n.populations = {in, h, out};
  IntProjection ih{"ih", "in", "h", uint32_t(delay) + 1, {0}, {}, {}, {}};
  for (uint32_t b = 0; b < nHidden; ++b) {
    for (uint32_t a = 0; a < nIn; ++a) {
      ih.colIdx.push_back(a);
      ih.weight.push_back(weight);
      ih.delay.push_back(delay);
    }
    ih.rowPtr.push_back(ih.colIdx.size());
  }
  IntProjection ho{"ho", "h", "readout", 1, {0}, {}, {}, {}};
  for (uint32_t b = 0; b < nOut; ++b) {
    for (uint32_t a = 0; a < nHidden; ++a) {
      ho.colIdx.push_back(a);
      ho.weight.push_back(1);
      ho.delay.push_back(0);
    }
    ho.rowPtr.push_back(ho.colIdx.size());
  }
  n.projections = {ih, ho};
  n.outputs = {"readout"};
  return n;
}

std::string refusal(const IntNetwork &n) {
  std::vector<uint32_t> coreOf;
  for (const auto &p : n.populations)
    coreOf.resize(coreOf.size() + p.size, 0);
  auto spec = snnc::xyloSpecFromPlan(planFromIntNetwork(n, coreOf));
  return spec ? "" : spec.status().message();
}

} // namespace

TEST(XyloExport, RefusesWhatXyloCannotHoldNamingTheLimit) {
  EXPECT_EQ(refusal(chainNetwork(4, 10, 2, 0)), "");
  // 16 channels x 62 steps of delay = 992 relays + 10 neurons.
  EXPECT_EQ(refusal(chainNetwork(16, 10, 2, 62)),
            "Xylo export of 'big': needs 1002 hidden neurons (10 of the "
            "network + 992 relay neurons for its delays, one per source "
            "neuron and step of delay), Xylo has 1000");
  EXPECT_EQ(refusal(chainNetwork(16, 8, 2, 62)), "");
  EXPECT_EQ(refusal(chainNetwork(17, 10, 2, 0)),
            "Xylo export of 'big': input 'in' has 17 channels, Xylo has 16 "
            "input channels");
  EXPECT_EQ(refusal(chainNetwork(4, 10, 9, 0)),
            "Xylo export of 'big': readout 'readout' has 9 neurons, Xylo has "
            "1 to 8 output neurons");
  EXPECT_EQ(refusal(chainNetwork(4, 1001, 2, 0)),
            "Xylo export of 'big': needs 1001 hidden neurons (1001 of the "
            "network + 0 relay neurons for its delays, one per source neuron "
            "and step of delay), Xylo has 1000");
  // 129 · 2^s is no int8 weight for any shift.
  EXPECT_EQ(refusal(chainNetwork(2, 3, 1, 0, 129)),
            "Xylo export of 'big': input weight 129 (neuron 0 of 'in' -> "
            "neuron 0 of 'h') is no int8 weight shifted by 0..8 (SNN-X3)");
  IntNetwork mixed = chainNetwork(2, 3, 1, 0, 4);
  mixed.projections[0].weight[1] = 3; // 4 needs no shift, 3 none: fine
  EXPECT_EQ(refusal(mixed), "");
  mixed.projections[0].weight[1] = 127 * 4; // 508 needs 2, 3 needs 0
  mixed.projections[0].weight[0] = 3;
  EXPECT_EQ(refusal(mixed),
            "Xylo export of 'big': the input weights need different shifts "
            "(SNN-X3: one shift per matrix, int8 weights)");
  // A second projection in -> h: the same source, delay and target twice.
  IntNetwork twice = chainNetwork(2, 3, 1, 1);
  twice.projections.push_back(twice.projections[0]);
  twice.projections.back().name = "ih2";
  EXPECT_EQ(refusal(twice),
            "Xylo export of 'big': two synapses from neuron 0 of 'in' with "
            "delay 1 reach neuron 0 of 'h'; Xylo holds one weight per pair");
  // Xylo's outputs listen to hidden neurons only.
  IntNetwork direct = chainNetwork(2, 3, 1, 0);
  direct.projections.push_back(
      {"io", "in", "readout", 1, {0, 1}, {1}, {5}, {0}});
  EXPECT_EQ(refusal(direct),
            "Xylo export of 'big': synapse from input channel 1 to readout "
            "neuron 0 of 'readout': Xylo has no input → output weights");
  IntNetwork snncRules = chainNetwork(2, 3, 1, 0);
  snncRules.arithmetic = xm::Arithmetic::Snnc;
  snncRules.stateBits = 24;
  EXPECT_EQ(refusal(snncRules), "Xylo export of 'big': the plan's arithmetic "
                                "is not xylo-iaf (target xylo-audio)");
}
