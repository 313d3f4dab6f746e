//===- TransformsTest.cpp - Lowering passes against the runtime ----------===//
//
// The lowering passes checked by running networks before and after them on
// the runtime's float engine (Engine<float>, SNN-F*):
// - snn-fold-batchnorm computes the same network (SNN-F5 folded into W and
//   the bias) up to float32 rounding;
// - snn-delay-extension's relay chains (SNN-I10) deliver every spike train,
//   bursts included, at exactly the original delay, and a hard-reset relay
//   would not;
// and under the integer rules: quantised networks with and without relay
// chains run bit-exactly alike on the runtime's flat integer executor, and
// the relay rule holds for every short spike pattern under the runtime's
// per-element arithmetic (snnrt/exec/IntegerMath.h, SNN-I4..I6).
//
//===----------------------------------------------------------------------===//

#include "snnc/Import/IntNetworkExport.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Transforms/Passes.h"

#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/exec/IntegerMath.h"
#include "snnrt/train/Engine.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

using namespace snnc;

namespace {

class Transforms : public ::testing::Test {
protected:
  Transforms() {
    registerSnncDialects(registry);
    context.appendDialectRegistry(registry);
  }

  /// Runs `pass` on every network of `module`.
  bool runPass(mlir::ModuleOp module, std::unique_ptr<mlir::Pass> pass) {
    mlir::PassManager pm(&context);
    pm.addNestedPass<snn::NetworkOp>(std::move(pass));
    return mlir::succeeded(pm.run(module));
  }

  mlir::DialectRegistry registry;
  mlir::MLIRContext context;
};

/// Evaluation-mode forward of `model` on `x` ([channel][step][sample]).
std::unique_ptr<snnrt::Engine<float>> evaluate(const snnrt::Model &model,
                                               const std::vector<float> &x,
                                               uint32_t batch) {
  auto engine = snnrt::Engine<float>::create(model, snnrt::EngineOptions());
  EXPECT_TRUE(engine.hasValue()) << engine.status().message();
  if (!engine)
    return nullptr;
  std::unique_ptr<snnrt::Engine<float>> e = engine.take();
  e->setTraining(false);
  snnrt::Status st = e->setInputDense(x, batch);
  EXPECT_TRUE(st.isOk()) << st.message();
  e->forward(false);
  return e;
}

/// A 12 -> 24 (LIF, BatchNorm, hard reset) -> 5 (LI, BatchNorm) network whose
/// hidden population receives two projections (dense with mask and Dale
/// signs, and CSR), so that folding must scale both.
snnrt::Model batchNormModel(unsigned seed) {
  std::mt19937 rng(seed);
  auto uni = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  const uint32_t nin = 12, nh = 24, nout = 5, dmax = 8;
  snnrt::Model m;
  m.name = "bn";
  m.dt = 0.01;
  m.steps = 60;
  snnrt::Population in;
  in.name = "in";
  in.kind = snnrt::PopulationKind::Input;
  in.size = nin;
  in.scale = 2.0;
  snnrt::BatchNorm bnHidden, bnOut;
  for (uint32_t i = 0; i < nh; ++i) {
    bnHidden.gamma.push_back(
        float(i % 5 == 0 ? -uni(0.5, 1.5) : uni(0.5, 1.5)));
    bnHidden.beta.push_back(float(uni(-0.2, 0.4)));
    bnHidden.mean.push_back(float(uni(-0.3, 0.3)));
    bnHidden.var.push_back(float(uni(0.2, 2.0)));
  }
  for (uint32_t i = 0; i < nout; ++i) {
    bnOut.gamma.push_back(float(uni(0.5, 1.5)));
    bnOut.beta.push_back(float(uni(-0.2, 0.2)));
    bnOut.mean.push_back(float(uni(-0.3, 0.3)));
    bnOut.var.push_back(float(uni(0.2, 2.0)));
  }
  snnrt::Population hidden;
  hidden.name = "hidden";
  hidden.kind = snnrt::PopulationKind::Lif;
  hidden.size = nh;
  hidden.tauMem = 0.1005;
  hidden.threshold = 1.0;
  for (uint32_t i = 0; i < nh; ++i)
    hidden.bias.push_back(float(uni(-0.05, 0.05)));
  hidden.batchnorm = bnHidden;
  snnrt::Population out;
  out.name = "out";
  out.kind = snnrt::PopulationKind::Li;
  out.size = nout;
  out.tauMem = 0.1005;
  out.batchnorm = bnOut;
  m.populations = {in, hidden, out};

  snnrt::Projection dense;
  dense.name = "dense";
  dense.source = "in";
  dense.target = "hidden";
  dense.maxDelay = dmax;
  for (uint32_t i = 0; i < nh * nin; ++i) {
    dense.weights.push_back(float(uni(0, 0.6)));
    dense.delays.push_back(int32_t(rng() % dmax));
    dense.mask.push_back(uni(0, 1) < 0.7);
  }
  for (uint32_t a = 0; a < nin; ++a)
    dense.signs.push_back(a % 3 == 0 ? -1 : 1);
  snnrt::Projection csr;
  csr.name = "csr";
  csr.source = "in";
  csr.target = "hidden";
  csr.maxDelay = dmax;
  csr.layout = snnrt::ProjectionLayout::Csr;
  csr.rowPtr.push_back(0);
  for (uint32_t b = 0; b < nh; ++b) {
    for (uint32_t a = b % 3; a < nin; a += 3) {
      csr.colIdx.push_back(a);
      csr.weights.push_back(float(uni(-0.4, 0.6)));
      csr.delays.push_back(int32_t(rng() % dmax));
    }
    csr.rowPtr.push_back(csr.colIdx.size());
  }
  snnrt::Projection readout;
  readout.name = "readout";
  readout.source = "hidden";
  readout.target = "out";
  readout.maxDelay = dmax;
  for (uint32_t i = 0; i < nout * nh; ++i) {
    readout.weights.push_back(float(uni(-0.5, 0.5)));
    readout.delays.push_back(int32_t(rng() % dmax));
  }
  m.projections = {dense, csr, readout};
  m.outputs = {"out"};
  return m;
}

TEST_F(Transforms, FoldBatchNormComputesTheSameNetwork) {
  const uint32_t batch = 16;
  int64_t spikes = 0, flips = 0;
  double maxDiff = 0, maxU = 0;
  for (unsigned seed : {1u, 2u, 3u}) {
    snnrt::Model model = batchNormModel(seed);
    ASSERT_TRUE(model.validate()) << model.validate().message();
    auto module = importModel(model, &context);
    ASSERT_TRUE(module);
    ASSERT_TRUE(runPass(*module, createFoldBatchNormPass()));
    auto folded = exportModel(getNetworks(*module).front());
    ASSERT_TRUE(mlir::succeeded(folded));
    for (const snnrt::Population &p : folded->populations)
      EXPECT_FALSE(p.batchnorm.has_value()) << p.name;

    std::mt19937 rng(seed + 100);
    std::vector<float> x(size_t(12) * model.steps * batch);
    for (float &v : x)
      v = std::uniform_real_distribution<float>(0, 1)(rng);
    auto before = evaluate(model, x, batch);
    auto after = evaluate(*folded, x, batch);
    ASSERT_TRUE(before && after);
    const auto &s0 = before->values("hidden"), &s1 = after->values("hidden");
    ASSERT_EQ(s0.size(), s1.size());
    for (size_t i = 0; i < s0.size(); ++i) {
      spikes += s0[i] != 0;
      flips += s0[i] != s1[i];
    }
    const auto &u0 = before->values("out"), &u1 = after->values("out");
    ASSERT_EQ(u0.size(), u1.size());
    for (size_t i = 0; i < u0.size(); ++i) {
      maxDiff = std::max(maxDiff, double(std::abs(u0[i] - u1[i])));
      maxU = std::max(maxU, double(std::abs(u0[i])));
    }
    EXPECT_EQ(before->predictions(), after->predictions()) << "seed " << seed;
  }
  // The network must actually spike for the comparison to mean anything.
  EXPECT_GT(spikes, 1000);
  // s·W rounds differently from s·(ΣWx): a spike may flip only where V lands
  // within float32 rounding of the threshold, which these inputs never do.
  EXPECT_EQ(flips, 0) << "of " << spikes << " spikes";
  EXPECT_LT(maxDiff, 1e-5 * std::max(1.0, maxU)) << "max |U| " << maxU;
}

/// @a copies its input one step later (it is itself a relay, SNN-I10), so
/// its spike trains are bursty; @ab carries delays up to 23 to @b.
const char *kRelayNetwork = R"mlir(
snn.network @relay attributes {dt = 1.0e-02 : f64, steps = 90 : i64} {
  snn.input @in {size = 4 : i64}
  snn.lif @a {size = 4 : i64, tau_mem = 1.0e-02 : f64, reset = #snn.reset<subtract>}
  snn.li @b {size = 3 : i64, tau_mem = 0.1 : f64}
  snn.projection @ia @in -> @a {max_delay = 1 : i64,
      weight = dense<2.0> : tensor<4x4xf32>,
      mask = dense<[[true, false, false, false], [false, true, false, false],
                    [false, false, true, false], [false, false, false, true]]> : tensor<4x4xi1>,
      delay = dense<0> : tensor<4x4xi32>}
  snn.projection @ab @a -> @b {max_delay = 24 : i64,
      weight = dense<[[0.5, -0.25, 1.0, 0.125], [2.0, 0.75, -1.5, 0.5], [0.25, 0.25, 0.5, -1.0]]> : tensor<3x4xf32>,
      delay = dense<[[0, 4, 9, 21], [11, 3, 23, 12], [7, 8, 16, 5]]> : tensor<3x4xi32>,
      sign = dense<[1, -1, 1, 1]> : tensor<4xi8>}
  snn.output @b
}
)mlir";

TEST_F(Transforms, RelayChainsPassBurstsExactly) {
  auto module =
      mlir::parseSourceString<mlir::ModuleOp>(kRelayNetwork, &context);
  ASSERT_TRUE(module);
  auto original = exportModel(getNetworks(*module).front());
  ASSERT_TRUE(mlir::succeeded(original));

  DelayExtensionPassOptions options;
  options.maxDelay = 4;
  ASSERT_TRUE(runPass(*module, createDelayExtensionPass(options)));
  auto extended = exportModel(getNetworks(*module).front());
  ASSERT_TRUE(mlir::succeeded(extended));
  int relayPops = 0;
  for (const snnrt::Population &p : extended->populations)
    relayPops += p.name.find("_relay") != std::string::npos;
  EXPECT_EQ(relayPops, 5); // 23 = 5·4 + 3
  for (const snnrt::Projection &p : extended->projections)
    for (int32_t d : snnrt::effectiveDelays(p))
      EXPECT_LT(d, 4) << p.name;

  // Dense bursts: runs of consecutive spikes in every channel.
  const uint32_t batch = 8, steps = 90;
  std::mt19937 rng(7);
  std::vector<float> x(size_t(4) * steps * batch);
  for (float &v : x)
    v = std::bernoulli_distribution(0.7)(rng) ? 1.0f : 0.0f;
  int bursts = 0;
  for (uint32_t c = 0; c < 4; ++c)
    for (uint32_t t = 1; t < steps; ++t)
      for (uint32_t s = 0; s < batch; ++s)
        bursts += x[(size_t(c) * steps + t) * batch + s] != 0 &&
                  x[(size_t(c) * steps + t - 1) * batch + s] != 0;
  EXPECT_GT(bursts, 1000);

  auto before = evaluate(*original, x, batch);
  auto after = evaluate(*extended, x, batch);
  ASSERT_TRUE(before && after);
  // Dyadic weights: the readout's sums are exact in any order, so the
  // relayed network must reproduce it bit for bit.
  EXPECT_EQ(before->values("b"), after->values("b"));
  // Each relay stage is its source shifted by exactly L = 4 steps.
  const auto &a = after->values("a");
  const auto &r1 = after->values("ab_relay1");
  ASSERT_EQ(r1.size(), a.size()); // every source has a delay >= 4
  size_t tb = size_t(steps) * batch;
  for (uint32_t i = 0; i < 4; ++i)
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t s = 0; s < batch; ++s) {
        float expect = t >= 4 ? a[i * tb + size_t(t - 4) * batch + s] : 0.0f;
        ASSERT_EQ(r1[i * tb + size_t(t) * batch + s], expect)
            << "relay " << i << " step " << t;
      }

  // The hint of SNN-I10: a hard-reset relay drops the second spike of a
  // burst, so the same chains with hard reset change the readout.
  snnrt::Model hard = *extended;
  for (snnrt::Population &p : hard.populations)
    if (p.name.find("_relay") != std::string::npos)
      p.reset = snnrt::ResetMode::Hard;
  auto broken = evaluate(hard, x, batch);
  ASSERT_TRUE(broken);
  EXPECT_NE(before->values("b"), broken->values("b"));
}

/// One relay (SNN-I10's parameters) over `x` with the runtime's SNN-I6
/// step; returns its spikes.
std::vector<int> relayInteger(const std::vector<int> &x, bool shift, bool hard,
                              int64_t weight, uint32_t stateBits) {
  using namespace snnrt::intmath;
  const DecayKind kind = shift ? DecayKind::Shift : DecayKind::Mul12;
  const int64_t zeroing = shift ? 0 : 4096;
  int64_t v = 0;
  std::vector<int> out(x.size());
  for (size_t t = 0; t < x.size(); ++t)
    out[t] = lifStep(v, weight * x[t], /*bias=*/0, /*threshold=*/1, kind,
                     zeroing, /*subtractReset=*/!hard, stateBits);
  return out;
}

TEST(RelayInteger, EveryPatternPassesUnderBothDecays) {
  const int n = 14;
  for (bool shift : {false, true})
    for (uint32_t pattern = 0; pattern < (1u << n); ++pattern) {
      std::vector<int> x(n);
      for (int t = 0; t < n; ++t)
        x[t] = (pattern >> t) & 1;
      // 3-bit state is the least SNN-I10 needs (v in [-1, 2]).
      std::vector<int> s = relayInteger(x, shift, false, 2, 3);
      ASSERT_EQ(s[0], 0);
      for (int t = 0; t + 1 < n; ++t)
        ASSERT_EQ(s[t + 1], x[t]) << "pattern " << pattern << " step " << t
                                  << (shift ? " shift" : " mul12");
    }
}

TEST(RelayInteger, WeakOrHardResetRelaysDropBursts) {
  std::vector<int> burst = {1, 1, 0, 0};
  // Hard reset discards the input of the spiking step.
  EXPECT_EQ(relayInteger(burst, false, true, 2, 8),
            (std::vector<int>{0, 1, 0, 0}));
  // Weight θ with subtract reset: v = θ − θ = 0 after the first spike.
  EXPECT_EQ(relayInteger(burst, true, false, 1, 8),
            (std::vector<int>{0, 1, 0, 0}));
  // The rule's weight 2θ keeps it.
  EXPECT_EQ(relayInteger(burst, true, false, 2, 8),
            (std::vector<int>{0, 1, 1, 0}));
}

TEST(RelayInteger, Mul12RoundsTowardZero) {
  using namespace snnrt::intmath;
  // SNN-I4's rounding: a lone negative state leaks away instead of sticking
  // at -1 as a flooring shift would.
  EXPECT_EQ(decayMul12(-1, 205), 0);
  EXPECT_EQ(decayMul12(1, 205), 0);
  EXPECT_EQ(decayMul12(-1000, 205), -949); // 1000·3891/4096 = 949.95
  EXPECT_EQ(decayMul12(1000, 205), 949);
  EXPECT_EQ(decayShift(-3, 1), -1);
  EXPECT_EQ(decayShift(3, 1), 2);
}

/// Spike input in, two hidden LIF layers with delays up to 23, LI out.
const char *kIntegerNetwork = R"mlir(
snn.network @deep attributes {dt = 1.0e-03 : f64, steps = 80 : i64} {
  snn.input @in {size = 3 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @a {size = 4 : i64, tau_mem = 2.0e-02 : f64}
  snn.lif @b {size = 3 : i64, tau_mem = 2.0e-02 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 2 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @ia @in -> @a {max_delay = 2 : i64,
      weight = dense<[[1.2, 0.3, 0.0], [0.0, 1.1, 0.4], [0.6, 0.0, 1.3], [0.9, 0.9, -0.2]]> : tensor<4x3xf32>,
      delay = dense<[[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 1, 0]]> : tensor<4x3xi32>}
  snn.projection @ab @a -> @b {max_delay = 24 : i64,
      weight = dense<[[0.7, -0.4, 0.9, 0.5], [0.8, 0.6, -0.3, 0.4], [-0.2, 0.9, 0.7, 0.6]]> : tensor<3x4xf32>,
      delay = dense<[[0, 5, 9, 23], [13, 2, 17, 4], [8, 21, 1, 12]]> : tensor<3x4xi32>,
      sign = dense<[1, 1, -1, 1]> : tensor<4xi8>}
  snn.projection @bo @b -> @o {max_delay = 16 : i64,
      weight = dense<[[0.5, -0.7, 0.3], [-0.4, 0.6, 0.8]]> : tensor<2x3xf32>,
      delay = dense<[[0, 15, 6], [11, 3, 9]]> : tensor<2x3xi32>}
  snn.output @o
}
)mlir";

TEST_F(Transforms, IntegerRelaysAreBitExactOnTheFlatExecutor) {
  // Bursty spike input: each channel fires with probability 0.6 per step.
  snnrt::Dataset data;
  data.kind = snnrt::InputKind::Spikes;
  data.dtSeconds = 1e-3;
  data.steps = 80;
  data.channels = 3;
  data.numClasses = 1;
  std::mt19937 rng(11);
  const size_t samples = 6;
  data.eventOffsets.push_back(0);
  for (size_t n = 0; n < samples; ++n) {
    for (uint32_t t = 0; t < data.steps; ++t)
      for (uint32_t c = 0; c < data.channels; ++c)
        if (std::bernoulli_distribution(0.6)(rng)) {
          data.eventStep.push_back(t);
          data.eventChannel.push_back(c);
          data.eventCount.push_back(1.0f);
        }
    data.eventOffsets.push_back(data.eventStep.size());
    data.labels.push_back(0);
  }
  ASSERT_TRUE(data.validate()) << data.validate().message();

  for (const char *decay : {"mul12", "shift"}) {
    auto module =
        mlir::parseSourceString<mlir::ModuleOp>(kIntegerNetwork, &context);
    ASSERT_TRUE(module);
    QuantizePassOptions quantize;
    quantize.decay = *snn::symbolizeIntDecayMode(decay);
    ASSERT_TRUE(runPass(*module, createQuantizePass(quantize)));
    auto direct = exportIntNetwork(getNetworks(*module).front());
    ASSERT_TRUE(mlir::succeeded(direct)) << decay;

    DelayExtensionPassOptions extension;
    extension.maxDelay = 4;
    ASSERT_TRUE(runPass(*module, createDelayExtensionPass(extension)));
    auto relayed = exportIntNetwork(getNetworks(*module).front());
    ASSERT_TRUE(mlir::succeeded(relayed)) << decay;
    ASSERT_GT(relayed->populations.size(), direct->populations.size() + 4);

    int64_t hiddenSpikes = 0, relaySpikes = 0;
    for (size_t n = 0; n < samples; ++n) {
      auto a = snnrt::runFlat(*direct, data, n);
      auto b = snnrt::runFlat(*relayed, data, n);
      ASSERT_TRUE(a.hasValue()) << a.status().message();
      ASSERT_TRUE(b.hasValue()) << b.status().message();
      // Populations the two networks share keep their index and must match
      // exactly: spikes of @a and @b, readout states of @o.
      for (const snnrt::IntPopulation &p : direct->populations) {
        int i = direct->findPopulation(p.name),
            j = relayed->findPopulation(p.name);
        ASSERT_GE(j, 0) << p.name;
        EXPECT_EQ(a->output[i], b->output[j]) << decay << " " << p.name;
        EXPECT_EQ(a->readout[i], b->readout[j]) << decay << " " << p.name;
        if (p.name == "b")
          for (int32_t s : a->output[i])
            hiddenSpikes += s;
      }
      for (const snnrt::IntPopulation &p : relayed->populations)
        if (p.name.find("_relay") != std::string::npos)
          for (int32_t s : b->output[relayed->findPopulation(p.name)])
            relaySpikes += s;
    }
    // The comparison means something only if spikes flow through relays.
    EXPECT_GT(hiddenSpikes, 50) << decay;
    EXPECT_GT(relaySpikes, 200) << decay;
  }
}

/// Long delays straight from a spike input (scale 2): the relay chain lives
/// after the input population (SNN-I10 for spike inputs).
const char *kInputRelayNetwork = R"mlir(
snn.network @inrelay attributes {dt = 1.0e-03 : f64, steps = 60 : i64} {
  snn.input @in {size = 3 : i64, encoding = #snn.encoding<spikes>, scale = 2.0 : f64}
  snn.lif @h {size = 2 : i64, tau_mem = 4.0e-03 : f64, threshold = 1.5 : f64, reset = #snn.reset<subtract>}
  snn.li @o {size = 2 : i64, tau_mem = 8.0e-03 : f64}
  snn.projection @ih @in -> @h {max_delay = 16 : i64,
      weight = dense<[[0.5, -0.25, 0.75], [0.25, 1.0, -0.5]]> : tensor<2x3xf32>,
      delay = dense<[[0, 9, 14], [5, 2, 11]]> : tensor<2x3xi32>}
  snn.projection @io @in -> @o {max_delay = 16 : i64,
      weight = dense<[[0.125, 0.5, -0.25], [-0.5, 0.25, 0.375]]> : tensor<2x3xf32>,
      delay = dense<[[13, 0, 6], [3, 15, 8]]> : tensor<2x3xi32>}
  snn.projection @ho @h -> @o {max_delay = 1 : i64,
      weight = dense<[[1.0, -0.5], [0.5, 0.75]]> : tensor<2x2xf32>,
      delay = dense<0> : tensor<2x2xi32>}
  snn.output @o
}
)mlir";

/// Binary spike trains (at most one event per channel and step), bursty.
snnrt::Dataset binarySpikes(uint32_t channels, uint32_t steps, size_t samples,
                            unsigned seed) {
  snnrt::Dataset data;
  data.kind = snnrt::InputKind::Spikes;
  data.dtSeconds = 1e-3;
  data.steps = steps;
  data.channels = channels;
  data.numClasses = 1;
  std::mt19937 rng(seed);
  data.eventOffsets.push_back(0);
  for (size_t n = 0; n < samples; ++n) {
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t c = 0; c < channels; ++c)
        if (std::bernoulli_distribution(0.5)(rng)) {
          data.eventStep.push_back(t);
          data.eventChannel.push_back(c);
          data.eventCount.push_back(1.0f);
        }
    data.eventOffsets.push_back(data.eventStep.size());
    data.labels.push_back(0);
  }
  return data;
}

TEST_F(Transforms, RelaysAfterASpikeInputAreExact) {
  snnrt::Dataset data = binarySpikes(3, 60, 4, 17);
  ASSERT_TRUE(data.validate()) << data.validate().message();
  std::vector<size_t> all = {0, 1, 2, 3};

  // Float: the rerouted synapses carry W·scale; with dyadic weights and
  // scale 2 every sum is exact, so the readout matches bit for bit.
  auto module =
      mlir::parseSourceString<mlir::ModuleOp>(kInputRelayNetwork, &context);
  ASSERT_TRUE(module);
  auto original = exportModel(getNetworks(*module).front());
  ASSERT_TRUE(mlir::succeeded(original));
  DelayExtensionPassOptions extension;
  extension.maxDelay = 4;
  ASSERT_TRUE(runPass(*module, createDelayExtensionPass(extension)));
  auto extended = exportModel(getNetworks(*module).front());
  ASSERT_TRUE(mlir::succeeded(extended));
  int fromInput = 0;
  for (const snnrt::Projection &p : extended->projections) {
    for (int32_t d : snnrt::effectiveDelays(p))
      EXPECT_LT(d, 4) << p.name;
    fromInput +=
        p.source == "in" && p.name.find("_relay1_in") != std::string::npos;
  }
  EXPECT_EQ(fromInput, 2); // one chain per projection leaving @in
  std::vector<const snnrt::Model *> models = {&*original, &*extended};
  std::vector<std::vector<float>> readouts, hidden;
  for (const snnrt::Model *m : models) {
    auto engine = snnrt::Engine<float>::create(*m, snnrt::EngineOptions());
    ASSERT_TRUE(engine.hasValue()) << engine.status().message();
    ASSERT_TRUE((*engine)->setInput(data, all));
    (*engine)->forward(false);
    readouts.push_back((*engine)->values("o"));
    hidden.push_back((*engine)->values("h"));
  }
  EXPECT_EQ(readouts[0], readouts[1]);
  EXPECT_EQ(hidden[0], hidden[1]);
  float spikes = 0;
  for (float s : hidden[0])
    spikes += s;
  EXPECT_GT(spikes, 20);

  // Integer: quantised first (spike scale 1, SNN-I2), then relayed; the
  // flat executor must give the same states bit for bit.
  auto imodule =
      mlir::parseSourceString<mlir::ModuleOp>(kInputRelayNetwork, &context);
  ASSERT_TRUE(imodule);
  ASSERT_TRUE(runPass(*imodule, createQuantizePass(QuantizePassOptions())));
  auto direct = exportIntNetwork(getNetworks(*imodule).front());
  ASSERT_TRUE(mlir::succeeded(direct));
  ASSERT_TRUE(runPass(*imodule, createDelayExtensionPass(extension)));
  auto relayed = exportIntNetwork(getNetworks(*imodule).front());
  ASSERT_TRUE(mlir::succeeded(relayed));
  for (size_t n = 0; n < all.size(); ++n) {
    auto a = snnrt::runFlat(*direct, data, n);
    auto b = snnrt::runFlat(*relayed, data, n);
    ASSERT_TRUE(a.hasValue() && b.hasValue());
    for (const char *name : {"h", "o"}) {
      int i = direct->findPopulation(name), j = relayed->findPopulation(name);
      EXPECT_EQ(a->output[i], b->output[j]) << name;
      EXPECT_EQ(a->readout[i], b->readout[j]) << name;
    }
  }
}

} // namespace
