//===- QuantAwareTest.cpp - snapToGrid against snn-quantize ---------------===//
//
// Quantisation-aware training runs a float model moved onto the grid the
// compiler will put it on (snnrt::snapToGrid). Checked here against the
// compiler itself, on a network with BatchNorm, masks, Dale signs, CSR and
// two projections into one population, for Lava's arithmetic (loihi2's
// grid) and snnc's with per-neuron units:
// - snn-quantize makes the same integers (weights, thresholds, biases) of
//   the snapped model as of the original one: snapping is its rounding;
// - the snapped model's folded weights and biases are those integers times
//   the compiler's unit, to float precision: nothing is left for the
//   compiler to round;
// - the snapped float model, on inputs snapped to the input grid, spikes as
//   the integer network does (the flat executor, SNN-I6 / SNN-L rules)
//   except where the integer neuron's own rounding (decay, state) decides,
//   and far closer than the original float model does;
// - snapping twice changes nothing.
//
//===----------------------------------------------------------------------===//

#include "snnc/Import/IntNetworkExport.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/NetworkFile.h"
#include "snnc/Transforms/Passes.h"

#include "snnrt/exec/FlatExecutor.h"
#include "snnrt/model/Quantization.h"
#include "snnrt/train/Engine.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

using namespace snnc;

namespace {

/// 12 inputs (frames, scale 2) -> 24 LIF (BatchNorm, hard reset; a dense
/// projection with mask and Dale signs and a CSR one) -> 5 LI (BatchNorm).
/// `hiddenBias` false: the hidden BatchNorm's beta and mean are 0, so the
/// folded hidden bias is 0.
snnrt::Model testModel(unsigned seed, snnrt::NeuronConvention convention,
                       bool hiddenBias = true) {
  std::mt19937 rng(seed);
  auto uni = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  const uint32_t nin = 12, nh = 24, nout = 5, dmax = 8;
  snnrt::Model m;
  m.name = "qat";
  m.dt = 0.01;
  m.steps = 60;
  snnrt::Population in;
  in.name = "in";
  in.kind = snnrt::PopulationKind::Input;
  in.size = nin;
  in.scale = 2.0;
  snnrt::BatchNorm bnHidden, bnOut;
  for (uint32_t i = 0; i < nh; ++i) {
    bnHidden.gamma.push_back(float(uni(0.5, 1.5)));
    bnHidden.beta.push_back(hiddenBias ? float(uni(-0.2, 0.4)) : 0.0f);
    bnHidden.mean.push_back(hiddenBias ? float(uni(-0.3, 0.3)) : 0.0f);
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
  hidden.convention = convention;
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

/// Random frames in [0, 1), [N, T, C].
snnrt::Dataset testData(const snnrt::Model &m, uint32_t samples,
                        unsigned seed) {
  snnrt::Dataset d;
  d.kind = snnrt::InputKind::Frames;
  d.dtSeconds = m.dt;
  d.steps = m.steps;
  d.channels = m.populations[0].size;
  d.numClasses = m.populations[2].size;
  d.labels.assign(samples, 0);
  std::mt19937 rng(seed);
  d.frames.resize(size_t(samples) * d.steps * d.channels);
  for (float &x : d.frames)
    x = std::uniform_real_distribution<float>(0, 1)(rng);
  return d;
}

struct Arith {
  const char *name;
  snnrt::WeightGrid grid;
  snn::Arithmetic arithmetic;
  snnrt::NeuronConvention convention; ///< the one the arithmetic runs
  /// Lava's first step starts v at the bias (SNN-L rules), which no float
  /// convention models: its spike comparison runs without hidden bias.
  bool hiddenBias;
};

class QuantAware : public ::testing::TestWithParam<Arith> {
protected:
  QuantAware() {
    registerSnncDialects(registry);
    context.appendDialectRegistry(registry);
  }

  /// fold-batchnorm (and, with `quantize`, snn-quantize on the grid's
  /// options) of `model`; the module's network.
  mlir::OwningOpRef<mlir::ModuleOp> lower(const snnrt::Model &model,
                                          bool quantize) {
    auto module = importModel(model, &context);
    EXPECT_TRUE(module);
    if (!module)
      return module;
    mlir::PassManager pm(&context);
    pm.addNestedPass<snn::NetworkOp>(createFoldBatchNormPass());
    if (quantize) {
      const snnrt::WeightGrid &g = GetParam().grid;
      QuantizePassOptions o;
      o.weightBits = g.weightBits;
      o.stateBits = g.stateBits;
      o.perNeuronScale = g.perNeuronScale;
      o.decay = snn::IntDecayMode::mul12;
      o.arithmetic = GetParam().arithmetic;
      o.inputFracBits = g.inputFracBits;
      pm.addNestedPass<snn::NetworkOp>(createQuantizePass(o));
    }
    EXPECT_TRUE(mlir::succeeded(pm.run(*module)));
    return module;
  }

  snnrt::IntNetwork integer(const snnrt::Model &model) {
    auto module = lower(model, true);
    auto net = exportIntNetwork(getNetworks(*module).front());
    EXPECT_TRUE(mlir::succeeded(net));
    return mlir::succeeded(net) ? *net : snnrt::IntNetwork();
  }

  mlir::DialectRegistry registry;
  mlir::MLIRContext context;
};

TEST_P(QuantAware, SnappedModelIsOnTheCompilersGrid) {
  const snnrt::WeightGrid &grid = GetParam().grid;
  for (unsigned seed : {1u, 2u, 3u}) {
    snnrt::Model model = testModel(seed, GetParam().convention);
    ASSERT_TRUE(model.validate().isOk());
    snnrt::Model snapped = model;
    ASSERT_TRUE(snnrt::snapToGrid(snapped, grid).isOk());
    ASSERT_TRUE(snapped.validate().isOk()) << snapped.validate().message();
    // Snapping moved the weights (else the checks below prove nothing).
    size_t moved = 0;
    for (size_t j = 0; j < model.projections.size(); ++j)
      for (size_t i = 0; i < model.projections[j].weights.size(); ++i)
        moved += model.projections[j].weights[i] !=
                 snapped.projections[j].weights[i];
    EXPECT_GT(moved, 300u) << "seed " << seed;

    // The same integers from both.
    snnrt::IntNetwork a = integer(model), b = integer(snapped);
    ASSERT_EQ(a.projections.size(), b.projections.size());
    for (size_t j = 0; j < a.projections.size(); ++j) {
      EXPECT_EQ(a.projections[j].weight, b.projections[j].weight)
          << a.projections[j].name << " seed " << seed;
      EXPECT_EQ(a.projections[j].colIdx, b.projections[j].colIdx);
    }
    ASSERT_EQ(a.populations.size(), b.populations.size());
    for (size_t p = 0; p < a.populations.size(); ++p) {
      EXPECT_EQ(a.populations[p].threshold, b.populations[p].threshold)
          << a.populations[p].name;
      EXPECT_EQ(a.populations[p].bias, b.populations[p].bias)
          << a.populations[p].name;
      EXPECT_EQ(a.populations[p].vDecay, b.populations[p].vDecay);
    }

    // The snapped, folded float weights are integer x unit: compare each
    // synapse's folded weight (x the input's unit 2^-4 for the frames' layer)
    // with the integer network's weight x weight_scale.
    auto folded = exportModel(getNetworks(*lower(snapped, false)).front());
    ASSERT_TRUE(mlir::succeeded(folded));
    for (const snnrt::IntProjection &ip : b.projections) {
      const snnrt::Projection *fp = nullptr;
      for (const snnrt::Projection &p : folded->projections)
        fp = p.name == ip.name ? &p : fp;
      ASSERT_NE(fp, nullptr) << ip.name;
      int tgt = b.findPopulation(ip.target);
      const std::vector<float> &scale = b.populations[size_t(tgt)].weightScale;
      const double q = ip.source == "in" ? 1.0 / 16 : 1.0;
      const int src = folded->findPopulation(fp->source);
      const uint32_t nsrc = folded->populations[size_t(src)].size;
      for (size_t row = 0; row + 1 < ip.rowPtr.size(); ++row)
        for (uint64_t k = ip.rowPtr[row]; k < ip.rowPtr[row + 1]; ++k) {
          double w;
          if (fp->isCsr()) {
            w = fp->weights[k];
          } else {
            size_t i = row * nsrc + ip.colIdx[k];
            w = fp->weights[i] *
                (fp->signs.empty() ? 1 : fp->signs[ip.colIdx[k]]);
          }
          double u = scale.size() == 1 ? scale[0] : scale[row];
          ASSERT_NEAR(w * q, double(ip.weight[k]) * u, 2e-6 * 127 * u)
              << ip.name << " row " << row << " entry " << k;
        }
    }

    // Idempotent.
    snnrt::Model twice = snapped;
    ASSERT_TRUE(snnrt::snapToGrid(twice, grid).isOk());
    for (size_t j = 0; j < twice.projections.size(); ++j)
      for (size_t i = 0; i < twice.projections[j].weights.size(); ++i)
        ASSERT_NEAR(twice.projections[j].weights[i],
                    snapped.projections[j].weights[i],
                    1e-6 * std::abs(snapped.projections[j].weights[i]) + 1e-9);
  }
}

TEST_P(QuantAware, SnappedFloatModelSpikesAsThePlan) {
  const snnrt::WeightGrid &grid = GetParam().grid;
  const uint32_t samples = 24;
  size_t spikes = 0, before = 0, after = 0;
  for (unsigned seed : {1u, 2u, 3u}) {
    snnrt::Model model =
        testModel(seed, GetParam().convention, GetParam().hiddenBias);
    snnrt::Model snapped = model;
    ASSERT_TRUE(snnrt::snapToGrid(snapped, grid).isOk());
    snnrt::IntNetwork net = integer(snapped);
    snnrt::Dataset data = testData(model, samples, seed + 10);
    snnrt::Dataset onGrid = data;
    snnrt::snapInputs(onGrid, model, grid);
    EXPECT_NE(onGrid.frames, data.frames);

    std::vector<size_t> idx(samples);
    std::iota(idx.begin(), idx.end(), 0);
    auto run = [&](const snnrt::Model &m, const snnrt::Dataset &d) {
      auto e = snnrt::Engine<float>::create(m, snnrt::EngineOptions());
      EXPECT_TRUE(e.hasValue());
      std::unique_ptr<snnrt::Engine<float>> engine = e.take();
      engine->setTraining(false);
      EXPECT_TRUE(engine->setInput(d, idx).isOk());
      engine->forward(false);
      return engine->values("hidden");
    };
    const std::vector<float> original = run(model, data);
    const std::vector<float> moved = run(snapped, onGrid);
    const uint32_t nh = 24, T = model.steps;
    int hid = net.findPopulation("hidden");
    for (uint32_t s = 0; s < samples; ++s) {
      auto trace = snnrt::runFlat(net, data, s);
      ASSERT_TRUE(trace) << trace.status().message();
      const auto &out = trace->output[size_t(hid)];
      for (uint32_t b = 0; b < nh; ++b)
        for (uint32_t t = 0; t < T; ++t) {
          int plan = out[size_t(t) * nh + b];
          size_t f = (size_t(b) * T + t) * samples + s;
          spikes += plan;
          before += (original[f] != 0) != (plan != 0);
          after += (moved[f] != 0) != (plan != 0);
        }
    }
  }
  std::printf("%s: spikes %zu, mismatches before %zu, after %zu\n",
              GetParam().name, spikes, before, after);
  // The network spikes enough for the comparison to mean something.
  EXPECT_GT(spikes, 2000u);
  // Left: the integer neuron's own rounding (flooring decays), which decides
  // a spike only where the float V lands within a few units of the
  // threshold (measured: 5 and 2 of about 35000-60000 spikes).
  EXPECT_LT(double(after), 0.001 * double(spikes))
      << "before " << before << ", after " << after << ", spikes " << spikes;
  EXPECT_LT(4 * after, before)
      << "before " << before << ", after " << after << ", spikes " << spikes;
}

snnrt::WeightGrid snncGrid() {
  snnrt::WeightGrid g;
  g.lava = false;
  g.perNeuronScale = true;
  return g;
}

INSTANTIATE_TEST_SUITE_P(
    Grids, QuantAware,
    ::testing::Values(Arith{"lava", snnrt::loihi2Grid(),
                            snn::Arithmetic::lava_cuba,
                            snnrt::NeuronConvention::Lava, false},
                      Arith{"snnc", snncGrid(), snn::Arithmetic::snnc,
                            snnrt::NeuronConvention::Paper, true}),
    [](const ::testing::TestParamInfo<Arith> &info) {
      return std::string(info.param.name);
    });

} // namespace
