//===- ModelImportTest.cpp - model.h5 <-> snn <-> NIR round trips ---------===//
//
// docs/design.md §5 level 1: import/export preserve every parameter exactly. A
// model using every feature (CSR and dense projections, DCLS positions,
// integer delays, masks, Dale signs, BatchNorm, CuBa, biases, training
// metadata) goes model -> MLIR text -> parse -> model and must come back bit
// for bit; the NIR route must keep every weight and per-synapse delay.
//
//===----------------------------------------------------------------------===//

#include "snnc/Import/ImportFile.h"
#include "snnc/Import/ModelCompare.h"
#include "snnc/Import/ModelImport.h"
#include "snnc/Import/NirImport.h"
#include "snnc/NetworkFile.h"

#include "snnrt/model/ModelFile.h"
#include "snnrt/nir/NirFile.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <unistd.h>

using namespace snnc;

namespace {

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool sameBits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <typename T>
void expectSameBits(const std::vector<T> &a, const std::vector<T> &b,
                    const std::string &what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_TRUE(sameBits(a[i], b[i])) << what << "[" << i << "]: " << a[i]
                                      << " vs " << b[i];
}

void expectSameModel(const snnrt::Model &a, const snnrt::Model &b) {
  std::string difference;
  EXPECT_TRUE(modelsIdentical(a, b, difference)) << difference;
}

/// A model with every feature the format has.
snnrt::Model everyFeatureModel(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  auto floats = [&](size_t n) {
    std::vector<float> v(n);
    for (auto &x : v)
      x = u(rng);
    return v;
  };
  snnrt::Model m;
  m.name = "every_feature";
  m.dt = 0.001 * (1 + seed % 3);
  m.steps = 37;
  m.decay = snnrt::DecayMode::Exp;
  m.training.delayMode = "learn";
  m.training.epochs = 12;
  m.training.seed = 0xfedcba9876543210ull; // uses the top bit
  m.training.testAccuracy = 0.8125;
  m.training.dataset = "synthetic";

  snnrt::Population in;
  in.name = "in";
  in.kind = snnrt::PopulationKind::Input;
  in.size = 6;
  in.inputKind = snnrt::InputKind::Spikes;
  in.scale = 1.5;
  snnrt::Population hidden;
  hidden.name = "hidden";
  hidden.kind = snnrt::PopulationKind::Lif;
  hidden.size = 5;
  hidden.tauMem = 0.02;
  hidden.tauSyn = 0.004;
  hidden.threshold = 0.75;
  hidden.reset = snnrt::ResetMode::Subtract;
  hidden.bias = floats(5);
  hidden.dropout = 0.25;
  hidden.batchnorm = snnrt::BatchNorm{floats(5), floats(5), floats(5),
                                      {0.5f, 1, 2, 3, 4}, 1e-3, 0.05};
  snnrt::Population readout;
  readout.name = "readout";
  readout.kind = snnrt::PopulationKind::Li;
  readout.size = 3;
  readout.tauMem = 0.05;
  m.populations = {in, hidden, readout};

  snnrt::Projection dense;
  dense.name = "fc1";
  dense.source = "in";
  dense.target = "hidden";
  dense.maxDelay = 9;
  dense.weights = floats(30);
  for (int i = 0; i < 30; ++i)
    dense.positions.push_back(float(int(rng() % 17) - 8) * 0.5f);
  dense.sigma = 3.25;
  dense.mask.resize(30);
  for (auto &x : dense.mask)
    x = rng() % 3 != 0;
  dense.signs = {1, -1, 1, 1, -1, -1};
  snnrt::Projection csr;
  csr.name = "fc2";
  csr.source = "hidden";
  csr.target = "readout";
  csr.maxDelay = 4;
  csr.layout = snnrt::ProjectionLayout::Csr;
  csr.rowPtr = {0, 2, 2, 5};
  csr.colIdx = {1, 3, 0, 2, 4};
  csr.weights = floats(5);
  csr.delays = {0, 3, 1, 2, 3};
  m.projections = {dense, csr};
  m.outputs = {"readout"};
  return m;
}

std::string tempFile(const char *name) {
  return ::testing::TempDir() + "/" + name + std::to_string(getpid());
}

class ModelImport : public ::testing::Test {
protected:
  ModelImport() {
    registerSnncDialects(registry);
    context.appendDialectRegistry(registry);
  }
  /// model -> MLIR text -> parse -> model.
  snnrt::Model throughText(const snnrt::Model &model) {
    auto module = importModel(model, &context);
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    auto parsed = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
    EXPECT_TRUE(parsed) << text;
    auto back = exportModel(getNetworks(*parsed).front());
    EXPECT_TRUE(succeeded(back));
    return *back;
  }
  mlir::DialectRegistry registry;
  mlir::MLIRContext context;
};

} // namespace

TEST_F(ModelImport, EveryParameterSurvivesMlirTextBitForBit) {
  for (unsigned seed : {1u, 2u, 3u}) {
    snnrt::Model model = everyFeatureModel(seed);
    ASSERT_TRUE(model.validate()) << model.validate().message();
    expectSameModel(model, throughText(model));
  }
}

// Per-neuron tau_mem/tau_syn/threshold (SNN-V23) and a CuBa readout: the
// f64 arrays survive MLIR text and model.h5 (version 2) bit for bit, and a
// changed last bit is named.
TEST_F(ModelImport, PerNeuronParametersSurviveBitForBit) {
  snnrt::Model model = everyFeatureModel(5);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(1.0, 2.0);
  for (snnrt::Population &p : model.populations) {
    if (p.kind == snnrt::PopulationKind::Input)
      continue;
    p.tauMemPerNeuron.clear();
    for (uint32_t i = 0; i < p.size; ++i)
      p.tauMemPerNeuron.push_back(p.tauMem * u(rng));
    p.tauMem = p.tauMemPerNeuron[0];
    if (!p.tauSyn)
      p.tauSyn = 0.003; // the readout becomes CuBa (NIR CubaLI)
    for (uint32_t i = 0; i < p.size; ++i)
      p.tauSynPerNeuron.push_back(*p.tauSyn * u(rng));
    p.tauSyn = p.tauSynPerNeuron[0];
    // SNN-F8's synaptic bias, with values that need every float bit.
    for (uint32_t i = 0; i < p.size; ++i)
      p.biasSyn.push_back(float(u(rng) - 1.5) / 3.0f);
    if (p.kind == snnrt::PopulationKind::Lif) {
      for (uint32_t i = 0; i < p.size; ++i)
        p.thresholdPerNeuron.push_back(u(rng) / 3);
      p.threshold = p.thresholdPerNeuron[0];
    }
  }
  ASSERT_TRUE(model.validate()) << model.validate().message();
  expectSameModel(model, throughText(model));
  std::string h5 = tempFile("per-neuron") + ".h5";
  ASSERT_TRUE(snnrt::writeModel(h5, model));
  mlir::OwningOpRef<mlir::ModuleOp> module;
  ASSERT_TRUE(importNetworkFile(h5, {}, context, module));
  auto back = exportModel(getNetworks(*module).front());
  ASSERT_TRUE(mlir::succeeded(back));
  // model.h5 stores an absent bias as zeros: compare with the file's model.
  auto original = snnrt::readModel(h5);
  ASSERT_TRUE(original) << original.status().message();
  EXPECT_EQ(original->populations.back().tauSynPerNeuron,
            model.populations.back().tauSynPerNeuron);
  expectSameModel(*original, *back);
  snnrt::Model other = model;
  double &last = other.populations.back().tauSynPerNeuron.back();
  last = std::nextafter(last, 1.0);
  std::string difference;
  EXPECT_FALSE(modelsIdentical(model, other, difference));
  EXPECT_NE(difference.find("/tau_syn_per_neuron["), std::string::npos)
      << difference;
  other = model;
  float &bs = other.populations.back().biasSyn.front();
  bs = std::nextafter(bs, 1.0f);
  difference.clear();
  EXPECT_FALSE(modelsIdentical(model, other, difference));
  EXPECT_NE(difference.find("/bias_syn["), std::string::npos) << difference;
}

TEST_F(ModelImport, ModelFileToMlirFileToModelFileIsExact) {
  snnrt::Model model = everyFeatureModel(7);
  std::string h5 = tempFile("model") + ".h5", mlirPath = tempFile("net") + ".mlir",
              back = tempFile("back") + ".h5";
  ASSERT_TRUE(snnrt::writeModel(h5, model));
  mlir::OwningOpRef<mlir::ModuleOp> module;
  ASSERT_TRUE(importNetworkFile(h5, {}, context, module));
  ASSERT_TRUE(exportNetworkFile(*module, mlirPath, /*bytecode=*/true));
  mlir::OwningOpRef<mlir::ModuleOp> reread;
  ASSERT_TRUE(importNetworkFile(mlirPath, {}, context, reread));
  ASSERT_TRUE(exportNetworkFile(*reread, back));
  // Compare the two files as the runtime reads them.
  auto original = snnrt::readModel(h5);
  auto result = snnrt::readModel(back);
  ASSERT_TRUE(original) << original.status().message();
  ASSERT_TRUE(result) << result.status().message();
  expectSameModel(*original, *result);
}

TEST_F(ModelImport, ComparisonNamesTheFirstDifference) {
  snnrt::Model a = everyFeatureModel(9), b = a;
  std::string difference;
  EXPECT_TRUE(modelsIdentical(a, b, difference));
  b.projections[1].weights[3] = std::nextafter(b.projections[1].weights[3], 2.f);
  EXPECT_FALSE(modelsIdentical(a, b, difference));
  EXPECT_EQ(difference.rfind("projections/fc2/weights[3]: ", 0), 0u) << difference;
  b = a;
  b.populations[1].batchnorm->var[4] = -0.0f; // sign bit only
  a.populations[1].batchnorm->var[4] = 0.0f;
  EXPECT_FALSE(modelsIdentical(a, b, difference));
  EXPECT_EQ(difference.rfind("populations/hidden/batchnorm/var[4]", 0), 0u);
}

TEST_F(ModelImport, NoDelaysStaysNoDelays) {
  snnrt::Model model = everyFeatureModel(4);
  model.projections[1].delays.clear(); // "every delay is 0"
  snnrt::Model back = throughText(model);
  EXPECT_TRUE(back.projections[1].delays.empty());
  model.projections[1].delays.assign(5, 0); // explicit zeros stay explicit
  back = throughText(model);
  EXPECT_EQ(back.projections[1].delays, std::vector<int32_t>(5, 0));
}

TEST_F(ModelImport, NirKeepsWeightsAndPerSynapseDelays) {
  snnrt::Model model = everyFeatureModel(5);
  model.populations[1].batchnorm.reset(); // NIR holds no BatchNorm
  model.populations[1].dropout = 0;
  model.decay = snnrt::DecayMode::Linear;
  auto graph = modelToNir(model);
  ASSERT_TRUE(graph) << graph.status().message();
  std::string path = tempFile("net") + ".nir";
  ASSERT_TRUE(snnrt::writeNir(path, *graph));
  auto reread = snnrt::readNir(path);
  ASSERT_TRUE(reread) << reread.status().message();
  NirImportOptions options;
  options.dt = model.dt;
  options.steps = model.steps;
  auto back = nirToModel(*reread, options, path);
  ASSERT_TRUE(back) << back.status().message();

  // Every present synapse keeps its signed weight and its (rounded) delay;
  // weights leaving an input carry the input's scale, which NIR's Input node
  // cannot (the imported input has scale 1).
  for (size_t i = 0; i < model.projections.size(); ++i) {
    const auto &p = model.projections[i];
    const auto &q = back->projections[i];
    SCOPED_TRACE(p.name);
    EXPECT_EQ(q.name, p.name);
    EXPECT_EQ(q.maxDelay, p.maxDelay);
    std::vector<int32_t> delays = snnrt::effectiveDelays(p);
    const auto &src = model.populations[model.findPopulation(p.source)];
    size_t ns = src.size;
    double scale =
        src.kind == snnrt::PopulationKind::Input ? src.scale : 1.0;
    if (src.kind == snnrt::PopulationKind::Input)
      EXPECT_EQ(back->populations[back->findPopulation(p.source)].scale, 1.0);
    auto visit = [&](size_t b, size_t a, size_t k) {
      size_t dense = b * ns + a;
      float w = p.weights[k] * (p.signs.empty() ? 1 : p.signs[a]);
      if (scale != 1.0)
        w = float(double(w) * scale);
      EXPECT_TRUE(q.mask.empty() || q.mask[dense]) << b << "," << a;
      EXPECT_TRUE(sameBits(q.weights[dense], w)) << b << "," << a;
      EXPECT_EQ(q.delays.empty() ? 0 : q.delays[dense],
                delays.empty() ? 0 : delays[k]);
    };
    if (p.isCsr()) {
      for (size_t b = 0; b + 1 < p.rowPtr.size(); ++b)
        for (uint64_t k = p.rowPtr[b]; k < p.rowPtr[b + 1]; ++k)
          visit(b, p.colIdx[k], k);
    } else {
      for (size_t k = 0; k < p.weights.size(); ++k)
        if (p.mask[k])
          visit(k / ns, k % ns, k);
    }
  }
  // Neuron parameters come back exactly; the reset mode via snnc metadata.
  const auto &h = back->populations[1];
  EXPECT_EQ(h.reset, snnrt::ResetMode::Subtract);
  EXPECT_TRUE(sameBits(h.tauMem, model.populations[1].tauMem));
  EXPECT_TRUE(sameBits(*h.tauSyn, *model.populations[1].tauSyn));
  EXPECT_TRUE(sameBits(h.threshold, model.populations[1].threshold));
  expectSameBits(h.bias, model.populations[1].bias, "bias");
}

TEST_F(ModelImport, ExportRefusesWhatNirCannotHold) {
  snnrt::Model model = everyFeatureModel(6);
  auto graph = modelToNir(model);
  ASSERT_FALSE(graph);
  EXPECT_NE(graph.status().message().find("fold it first"), std::string::npos);
}

// snnc's export records the model's step (metadata snnc_dt), which import
// uses without --dt; a graph without it (another writer's) needs --dt.
TEST_F(ModelImport, NirImportUsesTheRecordedDtElseNeedsDt) {
  snnrt::Model model = everyFeatureModel(8);
  model.populations[1].batchnorm.reset();
  model.dt = 0.004;
  auto graph = modelToNir(model);
  ASSERT_TRUE(graph);
  auto back = nirToModel(*graph, NirImportOptions{}, "net.nir");
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->dt, model.dt);
  size_t stripped = 0;
  for (auto &[name, node] : graph->nodes)
    stripped += node.metadata.erase("snnc_dt");
  EXPECT_GT(stripped, 0u);
  auto none = nirToModel(*graph, NirImportOptions{}, "net.nir");
  ASSERT_FALSE(none);
  EXPECT_NE(none.status().message().find("--dt"), std::string::npos);
}

// NIR adds an Affine bias to I before any Delay behind the matrix, so the
// bias would arrive delayed (missing for the first steps); snnc's neuron bias
// is undelayed, so such a graph is refused rather than imported wrong.
TEST_F(ModelImport, NirRefusesABiasInFrontOfANonZeroDelay) {
  snnrt::Model model = everyFeatureModel(5);
  model.populations[1].batchnorm.reset();
  model.populations[1].dropout = 0;
  model.decay = snnrt::DecayMode::Linear;
  auto graph = modelToNir(model);
  ASSERT_TRUE(graph) << graph.status().message();
  NirImportOptions options;
  options.dt = model.dt;
  options.steps = model.steps;
  ASSERT_TRUE(nirToModel(*graph, options, "net.nir"));

  // Give a delayed weight group (a Linear in front of a Delay) a bias.
  std::string delayed;
  for (auto &[name, node] : graph->nodes)
    if (node.kind == snnrt::NirKind::Linear &&
        graph->nodes.count(name + "_delay")) {
      delayed = name;
      const auto &w = *node.param("weight");
      node.kind = snnrt::NirKind::Affine;
      std::vector<double> bias(w.shape[0], 0.0);
      bias[0] = 0.25;
      node.params["bias"] = snnrt::NirArray::floats(bias, {w.shape[0]});
      break;
    }
  ASSERT_FALSE(delayed.empty()) << "the model exports no delayed group";
  auto back = nirToModel(*graph, options, "net.nir");
  ASSERT_FALSE(back);
  EXPECT_NE(back.status().message().find("node '" + delayed + "'"),
            std::string::npos)
      << back.status().message();
  EXPECT_NE(back.status().message().find("in front of a non-zero Delay"),
            std::string::npos);
}

namespace {

/// input(2) → pop(3) as `reader` wants it: per-neuron τ, one θ, a bias.
snnrt::Model readerModel(snnrt::DecayMode decay, snnrt::ResetMode reset,
                         snnrt::NeuronConvention convention, bool cuba) {
  snnrt::Model m;
  m.name = "reader";
  m.dt = 1e-3;
  m.steps = 10;
  m.decay = decay;
  snnrt::Population in;
  in.name = "in";
  in.kind = snnrt::PopulationKind::Input;
  in.size = 2;
  in.scale = 2.0;
  snnrt::Population pop;
  pop.name = "pop";
  pop.kind = snnrt::PopulationKind::Lif;
  pop.size = 3;
  pop.tauMem = 0.004;
  pop.tauMemPerNeuron = {0.004, 0.01, 0.025};
  if (cuba) {
    pop.tauSyn = 0.002;
    pop.tauSynPerNeuron = {0.002, 0.003, 0.005};
  } else {
    pop.bias = {0.1f, -0.2f, 0.05f};
  }
  pop.threshold = 0.8;
  pop.reset = reset;
  pop.convention = convention;
  m.populations = {in, pop};
  snnrt::Projection p;
  p.name = "fc";
  p.source = "in";
  p.target = "pop";
  p.maxDelay = 1;
  p.weights = {0.5f, -0.25f, 0.75f, 0.125f, -1.5f, 1.0f};
  m.projections = {p};
  m.outputs = {"pop"};
  return m;
}

} // namespace

// --nir-reader writes each reader's arithmetic: read back with the import
// convention that describes that reader (Norse's and snnTorch's readers are
// lava-dl's arithmetic at their dt; Sinabs and Spyx read as they write), the
// model comes back with the same decays and, once the folded gains are
// divided out again, the same weights and biases.
TEST_F(ModelImport, NirReaderExportReadsBackUnderTheReadersArithmetic) {
  using snnrt::NirConvention;
  struct Case {
    NirConvention reader, readAs;
    double readDt;
    snnrt::DecayMode decay;
    snnrt::ResetMode reset;
    snnrt::NeuronConvention order;
    bool cuba;
  };
  const auto lava = snnrt::NeuronConvention::Lava;
  const auto first = snnrt::NeuronConvention::ResetFirst;
  const auto paper = snnrt::NeuronConvention::Paper;
  const auto hard = snnrt::ResetMode::Hard, sub = snnrt::ResetMode::Subtract;
  const auto lin = snnrt::DecayMode::Linear, ex = snnrt::DecayMode::Exp;
  for (const Case &c :
       std::vector<Case>{{NirConvention::Norse, NirConvention::LavaDl, 1e-3,
                          lin, hard, lava, false},
                         {NirConvention::Norse, NirConvention::LavaDl, 1e-3, ex,
                          hard, lava, true},
                         {NirConvention::SnnTorch, NirConvention::LavaDl, 1e-4,
                          lin, hard, lava, false},
                         {NirConvention::SnnTorch, NirConvention::LavaDl, 1e-4,
                          ex, hard, lava, true},
                         {NirConvention::Sinabs, NirConvention::Sinabs, 0, ex,
                          sub, first, false},
                         {NirConvention::Sinabs, NirConvention::Sinabs, 0, lin,
                          sub, first, false},
                         {NirConvention::Spyx, NirConvention::Spyx, 0, lin, sub,
                          paper, false},
                         {NirConvention::Spyx, NirConvention::Spyx, 0, ex, sub,
                          first, true}}) {
    snnrt::Model model = readerModel(c.decay, c.reset, c.order, c.cuba);
    SCOPED_TRACE(std::string(snnrt::nirConventionName(c.reader)) +
                 (c.cuba ? " cuba" : "") +
                 (c.decay == ex ? " exp" : " linear"));
    NirExportOptions options;
    options.reader = c.reader;
    auto graph = modelToNir(model, options);
    ASSERT_TRUE(graph) << graph.status().message();
    EXPECT_FALSE(graph->nodes.at("pop").param("v_reset")); // compat layout
    NirImportOptions in;
    in.convention = c.readAs;
    in.dt = c.readDt;
    in.steps = model.steps;
    auto back = nirToModel(*graph, in, "x.nir");
    ASSERT_TRUE(back) << back.status().message();
    const auto &p0 = model.populations[1];
    const auto &p1 = back->populations[back->findPopulation("pop")];
    EXPECT_EQ(p1.reset, p0.reset);
    EXPECT_EQ(p1.convention, p0.convention);
    for (size_t i = 0; i < 3; ++i) {
      double b0 = snnrt::decayFactor(model.decay, model.dt, p0.tauMemOf(i));
      double b1 = snnrt::decayFactor(back->decay, back->dt, p1.tauMemOf(i));
      EXPECT_NEAR(b1, b0, 1e-12) << "neuron " << i;
      if (c.cuba)
        EXPECT_NEAR(snnrt::decayFactor(back->decay, back->dt, p1.tauSynOf(i)),
                    snnrt::decayFactor(model.decay, model.dt, p0.tauSynOf(i)),
                    1e-12);
      EXPECT_DOUBLE_EQ(p1.thresholdOf(i), 0.8);
      if (!c.cuba)
        EXPECT_NEAR(p1.bias[i], p0.bias[i], 1e-6);
      for (size_t a = 0; a < 2; ++a) // the input's scale 2 is in the weights
        EXPECT_NEAR(back->projections[0].weights[i * 2 + a],
                    2.0 * model.projections[0].weights[i * 2 + a], 1e-5)
            << "synapse " << i << ", " << a;
    }
  }
}

// Norse's reader ignores r and scales a LIF's input by dt/τ = 1 − β: the
// weights into the population carry 1/(1 − β) per row.
TEST_F(ModelImport, NirReaderNorseFoldsItsGainIntoTheWeights) {
  snnrt::Model model =
      readerModel(snnrt::DecayMode::Linear, snnrt::ResetMode::Hard,
                  snnrt::NeuronConvention::Lava, false);
  NirExportOptions options;
  options.reader = snnrt::NirConvention::Norse;
  auto graph = modelToNir(model, options);
  ASSERT_TRUE(graph) << graph.status().message();
  const auto &fc = graph->nodes.at("fc");
  ASSERT_EQ(fc.kind, snnrt::NirKind::Affine);
  const auto &pop = graph->nodes.at("pop");
  for (size_t b = 0; b < 3; ++b) {
    double tau = model.populations[1].tauMemPerNeuron[b];
    double k = 1e-3 / tau; // linear: 1 − β
    EXPECT_NEAR(pop.param("tau")->values[b], tau, 1e-15);
    EXPECT_EQ(pop.param("r")->values[b], 1.0);
    EXPECT_NEAR(fc.param("bias")->values[b], model.populations[1].bias[b] / k,
                1e-5);
    for (size_t a = 0; a < 2; ++a)
      EXPECT_NEAR(fc.param("weight")->values[b * 2 + a],
                  2.0 * model.projections[0].weights[b * 2 + a] / k, 1e-4);
  }
}

// What a reader cannot build is refused with the population's name.
TEST_F(ModelImport, NirReaderRefusesWhatTheReaderCannotBuild) {
  snnrt::Model model =
      readerModel(snnrt::DecayMode::Linear, snnrt::ResetMode::Subtract,
                  snnrt::NeuronConvention::Paper, false);
  NirExportOptions options;
  options.reader = snnrt::NirConvention::SnnTorch;
  auto graph = modelToNir(model, options);
  ASSERT_FALSE(graph);
  EXPECT_NE(graph.status().message().find(
                "--nir-reader snntorch: population 'pop': resets subtract "
                "after the decay (paper)"),
            std::string::npos)
      << graph.status().message();
  options.reader = snnrt::NirConvention::Rockpool;
  graph = modelToNir(model, options);
  ASSERT_FALSE(graph);
  EXPECT_NE(graph.status().message().find("only builds CubaLIF"),
            std::string::npos);
}

namespace {

/// in(3) → h(4) → o(2), neurons as `reader` builds them; h → o ("fd") has
/// per-synapse delays 0..3, in → h ("fc", optionally delayed too) none.
snnrt::Model delayedReaderModel(snnrt::NirConvention reader,
                                bool delayFromInput = false) {
  using snnrt::NirConvention;
  snnrt::Model m;
  m.name = "delayed";
  m.dt = reader == NirConvention::Spyx ? 1.0 : 1e-3;
  m.steps = 10;
  const bool lava =
      reader == NirConvention::Norse || reader == NirConvention::SnnTorch;
  m.decay = reader == NirConvention::Rockpool || reader == NirConvention::Sinabs
                ? snnrt::DecayMode::Exp
                : snnrt::DecayMode::Linear;
  snnrt::Population in;
  in.name = "in";
  in.kind = snnrt::PopulationKind::Input;
  in.size = 3;
  m.populations = {in};
  for (auto [name, size] : {std::pair<const char *, uint32_t>{"h", 4},
                            std::pair<const char *, uint32_t>{"o", 2}}) {
    snnrt::Population pop;
    pop.name = name;
    pop.kind = snnrt::PopulationKind::Lif;
    pop.size = size;
    pop.tauMem = 8 * m.dt;
    if (reader == NirConvention::Rockpool)
      pop.tauSyn = 4 * m.dt;
    pop.threshold = 1.0;
    pop.reset = lava ? snnrt::ResetMode::Hard : snnrt::ResetMode::Subtract;
    pop.convention = lava ? snnrt::NeuronConvention::Lava
                     : reader == NirConvention::Spyx
                         ? snnrt::NeuronConvention::Paper
                         : snnrt::NeuronConvention::ResetFirst;
    m.populations.push_back(pop);
  }
  auto projection = [&](const char *name, const char *src, const char *dst,
                        uint32_t ns, uint32_t nt, bool delayed) {
    snnrt::Projection p;
    p.name = name;
    p.source = src;
    p.target = dst;
    p.maxDelay = delayed ? 4 : 1;
    for (uint32_t b = 0; b < nt; ++b)
      for (uint32_t a = 0; a < ns; ++a) {
        p.weights.push_back(0.25f * float(1 + (b + 2 * a) % 5));
        if (delayed)
          p.delays.push_back(int32_t((3 * b + 2 * a + 1) % 4));
      }
    return p;
  };
  m.projections = {projection("fc", "in", "h", 3, 4, delayFromInput),
                   projection("fd", "h", "o", 4, 2, true)};
  m.outputs = {"o"};
  return m;
}

/// The relay layer `base`_relay of `graph` run for `reader` on 0/1 spike
/// trains x[t][a], with that framework's own arithmetic (read off its
/// sources, docs/nir.md "Delays for consumers"); returns, per source a and
/// relay stage k (found by following the shift edges), the spikes per step.
std::map<std::pair<uint64_t, uint64_t>, std::vector<double>>
runRelays(snnrt::NirConvention reader, const snnrt::NirGraph &graph,
          const std::string &base, double dt,
          const std::vector<std::vector<double>> &x) {
  using snnrt::NirConvention;
  const snnrt::NirNode &relayNode = graph.nodes.at(base + "_relay");
  const bool nested = relayNode.kind == snnrt::NirKind::Graph;
  const snnrt::NirNode &neuron =
      nested ? relayNode.graph->nodes.at("lif") : relayNode;
  const snnrt::NirArray &in =
      *graph.nodes.at(base + "_relay_in").param("weight");
  const snnrt::NirArray &rec = *(nested ? relayNode.graph->nodes.at("w_rec")
                                        : graph.nodes.at(base + "_relay_rec"))
                                    .param("weight");
  const uint64_t nr = in.shape[0], ns = in.shape[1];
  auto field = [&](const char *name) { return neuron.param(name)->values; };
  std::vector<double> theta = neuron.param("v_threshold")
                                  ? field("v_threshold")
                                  : std::vector<double>(nr, 0.0),
                      v(nr, 0.0), isyn(nr, 0.0), s(nr, 0.0);
  std::map<std::pair<uint64_t, uint64_t>, std::vector<double>> out;
  std::map<uint64_t, std::pair<uint64_t, uint64_t>> stage; // relay -> (a, k)
  for (uint64_t r = 0; r < nr; ++r)
    for (uint64_t a = 0; a < ns; ++a)
      if (in.values[r * ns + a] != 0.0)
        stage[r] = {a, 0};
  for (bool grew = true; grew;) {
    grew = false;
    for (uint64_t r = 0; r < nr; ++r)
      for (uint64_t q = 0; q < nr; ++q)
        if (rec.values[r * nr + q] != 0.0 && stage.count(q) &&
            !stage.count(r)) {
          stage[r] = {stage[q].first, stage[q].second + 1};
          grew = true;
        }
  }
  EXPECT_EQ(stage.size(), nr) << "every relay is reached from a source";
  auto drive = [&](uint64_t r, const std::vector<double> &x_t) {
    double sum = 0;
    for (uint64_t a = 0; a < ns; ++a)
      sum += in.values[r * ns + a] * x_t[a];
    for (uint64_t q = 0; q < nr; ++q)
      sum += rec.values[r * nr + q] * s[q];
    return sum;
  };
  for (const auto &x_t : x) {
    if (reader == NirConvention::Spyx) {
      // RLIF: S = V > θ from the state before the input, then
      // V = β·V + x + w_rec·S − θ·S, β = clip(1 − dt/τ, 0, 1) with dt 1.
      for (uint64_t r = 0; r < nr; ++r)
        s[r] = v[r] > theta[r] ? 1.0 : 0.0;
      std::vector<double> next(nr);
      for (uint64_t r = 0; r < nr; ++r)
        next[r] = std::clamp(1.0 - 1.0 / field("tau")[r], 0.0, 1.0) * v[r] +
                  drive(r, x_t) - theta[r] * s[r];
      v = next;
    } else {
      // The others fire in the step the input arrives; the loop carries
      // the spikes of the step before.
      std::vector<double> i(nr);
      for (uint64_t r = 0; r < nr; ++r)
        i[r] = drive(r, x_t);
      for (uint64_t r = 0; r < nr; ++r) {
        switch (reader) {
        case NirConvention::Norse: {
          // LIFBoxCell: v' = v + dt/τ·(−v + i), S = v' > θ, zero reset.
          double vn = v[r] + dt / field("tau")[r] * (0.0 - v[r] + i[r]);
          s[r] = vn > theta[r] ? 1.0 : 0.0;
          v[r] = s[r] != 0.0 ? 0.0 : vn;
          break;
        }
        case NirConvention::Sinabs:
          if (neuron.kind == snnrt::NirKind::LI) {
            // ExpLeakSqueeze, norm_input=False: v = exp(−1/τ)·v + i, τ in
            // steps; its output is v (the analog relay).
            v[r] = std::exp(-1.0 / field("tau")[r]) * v[r] + i[r];
            s[r] = v[r];
            break;
          }
          // IAFSqueeze, MultiSpike: v += i, S = ⌊v/θ⌋, v −= θ·S, v ≥ −θ.
          v[r] += i[r];
          s[r] = std::max(0.0, std::floor(v[r] / theta[r]));
          v[r] = std::max(v[r] - theta[r] * s[r], -theta[r]);
          break;
        case NirConvention::Rockpool: {
          // LIFTorch: dt = min τ_mem/(1 + r), isyn = β_syn·(isyn + i),
          // v = α·v + isyn, S = ⌊v/θ⌋, v −= θ·S.
          double h = 1e300;
          for (uint64_t q = 0; q < nr; ++q)
            h = std::min(h, field("tau_mem")[q] / (1 + field("r")[q]));
          isyn[r] = std::exp(-h / field("tau_syn")[r]) * (isyn[r] + i[r]);
          v[r] = std::exp(-h / field("tau_mem")[r]) * v[r] + isyn[r];
          s[r] = std::max(0.0, std::floor(v[r] / theta[r]));
          v[r] -= theta[r] * s[r];
          break;
        }
        default:
          ADD_FAILURE() << "no relay arithmetic for this reader";
        }
      }
    }
    for (const auto &[r, ak] : stage)
      out[ak].push_back(s[r]);
  }
  return out;
}

} // namespace

// --nir-reader writes per-synapse delays as relay neurons in one recurrent
// layer. Run with each reader's own neuron arithmetic on random 0/1 spike
// trains, relay stage k of source a fires exactly k steps after a (plus
// Spyx's one step: its neurons spike from the state before the input), one
// spike at a time; the sum node holds exactly the projection's synapses.
// (test/data/nir/check_consumers.sh runs the frameworks themselves.)
TEST_F(ModelImport, NirReaderDelaysExpandIntoRelaysEachReaderRuns) {
  using snnrt::NirConvention;
  for (NirConvention reader :
       {NirConvention::Spyx, NirConvention::Norse, NirConvention::Rockpool,
        NirConvention::Sinabs}) {
    SCOPED_TRACE(snnrt::nirConventionName(reader));
    snnrt::Model model = delayedReaderModel(reader);
    NirExportOptions options;
    options.reader = reader;
    if (reader == NirConvention::Sinabs) {
      auto refused = modelToNir(model, options);
      ASSERT_FALSE(refused);
      EXPECT_NE(refused.status().message().find(
                    "exact only if the loaded network is called one time "
                    "step at a time"),
                std::string::npos)
          << refused.status().message();
      options.delays = NirExportOptions::Delays::Expand;
    }
    auto graph = modelToNir(model, options);
    ASSERT_TRUE(graph) << graph.status().message();
    EXPECT_FALSE(graph->node("fd_d1")) << "no Delay form";
    EXPECT_TRUE(graph->node("fc")) << "the undelayed projection stays";
    // h → o has weights on every synapse: relays for delays 0..max per
    // source, max 1, 3, 1, 3 (delays (3b + 2a + 1) mod 4 over b = 0, 1).
    EXPECT_EQ(graph->nodes.at("fd").param("weight")->shape,
              (std::vector<uint64_t>{2, 12}));
    std::mt19937 rng(7);
    std::bernoulli_distribution fire(0.45);
    const int T = 48;
    std::vector<std::vector<double>> x(T, std::vector<double>(4));
    for (auto &row : x)
      for (double &v : row)
        v = fire(rng);
    const int lag = reader == NirConvention::Spyx ? 1 : 0;
    auto spikes = runRelays(reader, *graph, "fd", model.dt, x);
    ASSERT_EQ(spikes.size(), 12u);
    for (const auto &[ak, s] : spikes)
      for (int t = 0; t < T; ++t) {
        int from = t - int(ak.second) - lag;
        EXPECT_EQ(s[t], from >= 0 ? x[from][ak.first] : 0.0)
            << "source " << ak.first << " stage " << ak.second << " step " << t;
      }
  }
}

// Where no exact form exists, or only under a condition, the export says
// why; --delays refuse refuses; a bias behind Spyx's relays (which add a
// step) is refused.
TEST_F(ModelImport, NirReaderDelaysRefusals) {
  using snnrt::NirConvention;
  auto message = [](const snnrt::Model &m, NirExportOptions o) {
    auto g = modelToNir(m, o);
    EXPECT_FALSE(g);
    return g ? std::string() : g.status().message();
  };
  NirExportOptions options;
  options.reader = NirConvention::SnnTorch;
  snnrt::Model model = delayedReaderModel(NirConvention::SnnTorch);
  EXPECT_NE(message(model, options)
                .find("projection 'fd' has per-synapse delays (synapse 0, 0: "
                      "1 steps); snnTorch 0.9.4's reader runs no delay form"),
            std::string::npos);
  EXPECT_NE(message(model, options).find("Closest forms: --nir-reader norse"),
            std::string::npos);

  options.reader = NirConvention::Norse;
  options.delays = NirExportOptions::Delays::Refuse;
  EXPECT_NE(message(delayedReaderModel(NirConvention::Norse), options)
                .find("--delays refuse was given"),
            std::string::npos);

  // Delays leaving the input: exact only for 0/1 input frames.
  options.delays = NirExportOptions::Delays::Auto;
  snnrt::Model fromInput = delayedReaderModel(NirConvention::Norse, true);
  EXPECT_NE(message(fromInput, options)
                .find("exact only if the input frames of 'in' are 0/1 spikes"),
            std::string::npos);
  options.delays = NirExportOptions::Delays::Expand;
  auto g = modelToNir(fromInput, options);
  ASSERT_TRUE(g) << g.status().message();
  EXPECT_TRUE(g->node("fc_relay") && g->node("fd_relay"));
  ASSERT_FALSE(g->notes.empty());
  EXPECT_NE(g->notes[0].find("projection 'fc': delay-expanded, exact only if "
                             "the input frames of 'in' are 0/1 spikes"),
            std::string::npos)
      << g->notes[0];

  options.reader = NirConvention::Spyx;
  options.delays = NirExportOptions::Delays::Auto;
  snnrt::Model biased = delayedReaderModel(NirConvention::Spyx);
  biased.populations[2].bias = {0.0f, 0.25f};
  EXPECT_NE(message(biased, options)
                .find("--nir-reader spyx: population 'o' has a bias and runs "
                      "behind the relays of projection 'fd'"),
            std::string::npos);
  options.delays = NirExportOptions::Delays::Refuse;
  EXPECT_NE(message(biased, options).find("--delays refuse was given"),
            std::string::npos);
}

// Sinabs relays a projection leaving an input population with a leak-free
// LI (its ExpLeak's factor exp(−1/τ) is exactly 0), so analog frames are
// copied exactly, one loop step per stage, without the 0/1 condition.
TEST_F(ModelImport, NirReaderSinabsRelaysAnalogInputsWithAnLI) {
  using snnrt::NirConvention;
  snnrt::Model model = delayedReaderModel(NirConvention::Sinabs, true);
  NirExportOptions options;
  options.reader = NirConvention::Sinabs;
  options.delays = NirExportOptions::Delays::Expand; // for being stepped
  auto graph = modelToNir(model, options);
  ASSERT_TRUE(graph) << graph.status().message();
  EXPECT_EQ(graph->nodes.at("fc_relay").kind, snnrt::NirKind::LI);
  EXPECT_EQ(graph->nodes.at("fd_relay").kind, snnrt::NirKind::IF);
  for (const std::string &note : graph->notes)
    EXPECT_EQ(note.find("0/1 spikes"), std::string::npos) << note;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.5);
  std::vector<std::vector<double>> x(30, std::vector<double>(3));
  for (auto &row : x)
    for (double &v : row)
      v = double(float(u(rng)));
  auto values = runRelays(NirConvention::Sinabs, *graph, "fc", model.dt, x);
  ASSERT_FALSE(values.empty());
  for (const auto &[ak, s] : values)
    for (int t = 0; t < 30; ++t) {
      int from = t - int(ak.second);
      EXPECT_EQ(s[t], from >= 0 ? x[from][ak.first] : 0.0)
          << "source " << ak.first << " stage " << ak.second << " step " << t;
    }
}
