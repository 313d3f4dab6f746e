//===- IntNetworkExportTest.cpp - integer snn -> IntNetwork -> flat run ----===//

#include "snnc/Import/IntNetworkExport.h"
#include "snnc/NetworkFile.h"

#include "snnrt/exec/FlatExecutor.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace snnc;

namespace {
// Two inputs -> CuBa LIF (2) -> LI readout; CSR second layer with delays,
// per-neuron scales on the first (SNN-I9) and a Dale sign.
const char *kIntegerNetwork = R"mlir(
snn.network @int attributes {dt = 1.0e-03 : f64, steps = 10 : i64, int_state_bits = 24 : i64, int_decay = #snn.int_decay<mul12>} {
  snn.input @in {size = 2 : i64, encoding = #snn.encoding<spikes>}
  snn.lif @h {size = 2 : i64, tau_mem = 2.0e-02 : f64, tau_syn = 5.0e-03 : f64, reset = #snn.reset<subtract>,
      v_threshold = dense<[100, 200]> : tensor<2xi32>, bias = dense<[3, -4]> : tensor<2xi32>,
      v_decay = 205 : i64, i_decay = 819 : i64}
  snn.li @out {size = 1 : i64, tau_mem = 2.0e-02 : f64, bias = dense<7> : tensor<1xi32>, v_decay = 4096 : i64}
  snn.projection @a @in -> @h {max_delay = 4 : i64,
      weight = dense<[[127, -128], [0, 5]]> : tensor<2x2xi8>, weight_bits = 8 : i64,
      weight_scale = dense<[0.25, 0.125]> : tensor<2xf32>, delay = dense<[[0, 1], [2, 3]]> : tensor<2x2xi32>,
      sign = dense<[1, -1]> : tensor<2xi8>}
  snn.sparse_projection @b @h -> @out {max_delay = 4 : i64,
      row_ptr = dense<[0, 2]> : tensor<2xi64>, col_idx = dense<[0, 1]> : tensor<2xi32>,
      weight = dense<[2047, -2048]> : tensor<2xi16>, weight_bits = 12 : i64,
      weight_scale = dense<0.5> : tensor<1xf32>, delay = dense<[1, 3]> : tensor<2xi32>}
  snn.output @out
}
)mlir";
} // namespace

TEST(IntNetworkExport, CarriesEveryIntegerParameter) {
  mlir::DialectRegistry registry;
  registerSnncDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(kIntegerNetwork, &context);
  ASSERT_TRUE(module);
  auto net = exportIntNetwork(getNetworks(*module).front());
  ASSERT_TRUE(succeeded(net));
  EXPECT_EQ(net->stateBits, 24u);
  EXPECT_EQ(net->decay, snnrt::intmath::DecayKind::Mul12);
  const auto &h = net->populations[1];
  EXPECT_EQ(h.threshold, (std::vector<int32_t>{100, 200}));
  EXPECT_EQ(h.bias, (std::vector<int32_t>{3, -4}));
  EXPECT_EQ(h.vDecay, (std::vector<int32_t>{205, 205}));
  EXPECT_EQ(h.iDecay, (std::vector<int32_t>{819, 819}));
  EXPECT_EQ(h.reset, snnrt::ResetMode::Subtract);
  EXPECT_EQ(h.weightScale, (std::vector<float>{0.25f, 0.125f}));
  EXPECT_EQ(net->populations[2].weightScale, (std::vector<float>{0.5f}));
  const auto &a = net->projections[0];
  EXPECT_EQ(a.rowPtr, (std::vector<uint64_t>{0, 2, 4}));
  EXPECT_EQ(a.weight, (std::vector<int32_t>{127, 128, 0, -5})); // signs folded
  EXPECT_EQ(a.delay, (std::vector<int32_t>{0, 1, 2, 3}));
  const auto &b = net->projections[1];
  EXPECT_EQ(b.weight, (std::vector<int32_t>{2047, -2048}));
  EXPECT_EQ(b.delay, (std::vector<int32_t>{1, 3}));

  // And it runs: a spike on input 0 at step 0 charges h[0] through the CuBa
  // filter; the readout sees h's spikes 1 step after they happen (delay 1).
  snnrt::Dataset data;
  data.kind = snnrt::InputKind::Spikes;
  data.steps = 10;
  data.channels = 2;
  data.numClasses = 1;
  data.labels = {0};
  data.eventOffsets = {0, 3};
  data.eventStep = {0, 1, 2};
  data.eventChannel = {0, 0, 0};
  data.eventCount = {1, 1, 1};
  auto trace = snnrt::runFlat(*net, data, 0);
  ASSERT_TRUE(trace) << trace.status().message();
  EXPECT_EQ(trace->readout[2][0], 7); // only the bias at step 0
}

TEST(IntNetworkExport, RefusesFloatNetworks) {
  mlir::DialectRegistry registry;
  registerSnncDialects(registry);
  mlir::MLIRContext context(registry);
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
snn.network @f attributes {dt = 1.0e-03 : f64, steps = 10 : i64} {
  snn.input @in {size = 1 : i64}
  snn.lif @h {size = 1 : i64, tau_mem = 2.0e-02 : f64}
  snn.projection @a @in -> @h {max_delay = 1 : i64,
      weight = dense<1.0> : tensor<1x1xf32>, delay = dense<0> : tensor<1x1xi32>}
  snn.output @h
})mlir", &context);
  ASSERT_TRUE(module);
  EXPECT_TRUE(failed(exportIntNetwork(getNetworks(*module).front())));
}
