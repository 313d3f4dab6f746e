//===- NetxFileTest.cpp - NetX export of lava-cuba networks ---------------===//
//
// What the writer refuses (non-chains, delays relays cannot carry, weights
// netx/Lava would change, biases NetX cannot hold), a round trip of every
// value, and the relay layers' delay split (SNN-L14).
//
//===----------------------------------------------------------------------===//

#include "snnrt/exec/NetxFile.h"
#include "IntNetworkFixtures.h"

#include "snnrt/base/Hdf5File.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

using namespace snnrt;

namespace {

IntPopulation lavaLif(const std::string &name, uint32_t size,
                      PopulationKind kind = PopulationKind::Lif) {
  IntPopulation p;
  p.name = name;
  p.kind = kind;
  p.size = size;
  p.threshold.assign(size, 10);
  p.bias.assign(size, 0);
  p.vDecay.assign(size, 1024);
  p.iDecay.assign(size, 2048);
  p.weightScale.assign(size, 1.0f);
  return p;
}

/// A dense projection with the given [target × source] weights and delays.
IntProjection dense(const std::string &name, const std::string &source,
                    const std::string &target, uint32_t out, uint32_t in,
                    std::vector<int32_t> weight,
                    std::vector<int32_t> delay = {}) {
  IntProjection pr;
  pr.name = name;
  pr.source = source;
  pr.target = target;
  if (delay.empty())
    delay.assign(weight.size(), 0);
  int32_t maxDelay = 0;
  pr.rowPtr.push_back(0);
  for (uint32_t b = 0; b < out; ++b) {
    for (uint32_t a = 0; a < in; ++a) {
      pr.colIdx.push_back(a);
      pr.weight.push_back(weight[b * in + a]);
      pr.delay.push_back(delay[b * in + a]);
      maxDelay = std::max(maxDelay, delay[b * in + a]);
    }
    pr.rowPtr.push_back(pr.colIdx.size());
  }
  pr.maxDelay = uint32_t(maxDelay) + 1;
  return pr;
}

IntNetwork chain() {
  IntNetwork net;
  net.name = "chain";
  net.steps = 10;
  net.arithmetic = intmath::Arithmetic::LavaCuba;
  net.populations = {fixtures::spikeInput(3), lavaLif("h", 2),
                     lavaLif("out", 2, PopulationKind::Li)};
  net.populations[1].bias = {64, -128};
  net.projections = {
      dense("p0", "in", "h", 2, 3, {5, -3, 0, 7, 1, -2}, {0, 1, 2, 3, 4, 5}),
      dense("p1", "h", "out", 2, 2, {10, 20, 30, 40})};
  net.outputs = {"out"};
  return net;
}

std::string tempPath(const char *stem) {
  return std::string(::testing::TempDir()) + stem + "." +
         std::to_string(::getpid()) + ".netx.h5";
}

} // namespace

TEST(NetxFile, RoundTrip) {
  IntNetwork net = chain();
  std::string path = tempPath("roundtrip");
  ASSERT_TRUE(writeNetx(path, net)) << writeNetx(path, net).message();
  auto file = h5::File::openRead(path);
  ASSERT_TRUE(bool(file));
  std::string s;
  ASSERT_TRUE(file->readString("layer/0/type", s));
  EXPECT_EQ(s, "input");
  EXPECT_FALSE(file->exists("layer/0/neuron"));
  std::vector<int64_t> shape;
  ASSERT_TRUE(file->read("layer/0/shape", shape));
  EXPECT_EQ(shape, std::vector<int64_t>{3});
  std::vector<int32_t> v;
  std::vector<uint64_t> dims;
  ASSERT_TRUE(file->read("layer/1/weight", v, &dims));
  EXPECT_EQ(dims, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(v, (std::vector<int32_t>{5, -3, 0, 7, 1, -2}));
  ASSERT_TRUE(file->read("layer/1/delay", v));
  EXPECT_EQ(v, (std::vector<int32_t>{0, 1, 2, 3, 4, 5}));
  ASSERT_TRUE(file->read("layer/1/bias", v));
  EXPECT_EQ(v, (std::vector<int32_t>{1, -2})); // state units / 64
  EXPECT_FALSE(file->exists("layer/2/delay")); // no delay: a plain Dense
  ASSERT_TRUE(file->readString("layer/2/name", s));
  EXPECT_EQ(s, "out");
  ASSERT_TRUE(file->readString("layer/2/neuron/type", s));
  EXPECT_EQ(s, "CUBA");
  int64_t x = 0;
  ASSERT_TRUE(file->readScalar("layer/1/neuron/vThMant", x));
  EXPECT_EQ(x, 10);
  ASSERT_TRUE(file->readScalar("layer/1/neuron/iDecay", x));
  EXPECT_EQ(x, 2048);
  ASSERT_TRUE(file->readScalar("layer/1/neuron/vDecay", x));
  EXPECT_EQ(x, 1024);
  ASSERT_TRUE(file->readScalar("layer/2/neuron/vThMant", x));
  EXPECT_EQ(x, intmath::lava::kMaxThreshold); // the readout never fires
  std::remove(path.c_str());
}

TEST(NetxFile, RefusesWhatNetxCannotHold) {
  auto refused = [](const IntNetwork &net, const std::string &needle) {
    auto layers = netxLayers(net);
    if (layers)
      return ::testing::AssertionFailure() << "accepted";
    if (layers.status().message().find(needle) == std::string::npos)
      return ::testing::AssertionFailure() << layers.status().message();
    return ::testing::AssertionSuccess();
  };
  IntNetwork net = chain();
  net.arithmetic = intmath::Arithmetic::Snnc;
  EXPECT_TRUE(refused(net, "not lava-cuba"));

  net = chain(); // SNN-L14: delay 63 needs one relay layer, delay 0 < 1
  net.projections[0].delay[5] = 63;
  net.projections[0].maxDelay = 64;
  EXPECT_TRUE(refused(net, "projection 'p0': synapse (target 0, source 0) "
                           "has delay 0, shorter than the 1 relay layers"));
  net.projections[0].weight[0] = 0;
  net.projections[0].weight[5] = 0; // a zero weight needs no relay
  {
    auto layers = netxLayers(net);
    ASSERT_TRUE(bool(layers)) << layers.status().message();
    EXPECT_EQ(layers->size(), 2u); // no relay layer
    for (int32_t d : (*layers)[0].delay)
      EXPECT_LE(d, kNetxMaxDelay); // nor a delay netx would clamp
  }

  net = chain(); // more than 16 relay layers
  net.projections[0].delay = {1071, 1071, 1071, 1071, 1071, 1071};
  net.projections[0].maxDelay = 1072;
  EXPECT_TRUE(refused(net, "projection 'p0': delay 1071 needs 17 relay "
                           "layers, above the limit of 16"));
  net.projections[0].delay.assign(6, 1070);
  EXPECT_TRUE(bool(netxLayers(net)));

  net = chain();
  net.populations[1].bias[0] = 65;
  EXPECT_TRUE(refused(net, "population 'h': bias 65"));
  // snnc's largest bias, 4095 << 7, is 8190 NetX units: inside int16.
  net.populations[1].bias[0] = 4095 * 128;
  EXPECT_TRUE(bool(netxLayers(net)));

  net = chain();
  net.populations[1].threshold[1] = 11;
  EXPECT_TRUE(refused(net, "threshold differs"));

  net = chain(); // a second projection into 'out' (skip connection)
  net.projections.push_back(
      dense("skip", "in", "out", 2, 3, {1, 1, 1, 1, 1, 1}));
  EXPECT_TRUE(refused(net, "projection 'skip'"));

  net = chain(); // SNN-L4: an inhibitory matrix whose minimum is -2^7
  net.projections[1].weight = {-128, -3, -5, -7};
  EXPECT_TRUE(refused(net, "projection 'p1': weight -128"));
}

TEST(NetxFile, RelayLayersKeepEveryDelay) {
  // SNN-L14: every synapse's spike reaches its target exactly d steps after
  // it would with d = 0: through K relay hops of 1 + r steps each, then the
  // target layer's NetX delay. Delays 3..200 from each of 4 sources, several
  // bins (lanes) per source.
  IntNetwork net = chain();
  std::vector<int32_t> delay(6), weight(6);
  for (int k = 0; k < 6; ++k) {
    delay[k] = 3 + (k * 97) % 198;
    weight[k] = k % 2 ? 3 : -5;
  }
  net.projections[0] = dense("p0", "in", "h", 2, 3, weight, delay);
  auto layers = netxLayers(net);
  ASSERT_TRUE(bool(layers)) << layers.status().message();
  const int K = (200 - 62 + 62) / 63; // ceil((D - 62) / 63) for D = 200 → 3
  ASSERT_EQ(layers->size(), size_t(K + 2));
  for (int k = 0; k < K; ++k) {
    const NetxLayer &r = (*layers)[k];
    EXPECT_TRUE(r.relay);
    EXPECT_EQ(r.name, "p0_netx_relay" + std::to_string(k + 1));
    EXPECT_EQ(r.vThMant, 0);
    EXPECT_EQ(r.iDecay, 4096);
  }
  const NetxLayer &h = (*layers)[K];
  EXPECT_FALSE(h.relay);
  EXPECT_EQ(h.name, "h");
  // Follow each synapse (b, a) back through its lane.
  for (uint32_t b = 0; b < 2; ++b)
    for (uint32_t a = 0; a < 3; ++a) {
      int found = 0;
      for (uint32_t lane = 0; lane < h.fanIn; ++lane) {
        const int32_t w = h.weight[b * h.fanIn + lane];
        if (w == 0)
          continue;
        // The lane's source: the relay of layer 0 fed by a.
        const NetxLayer &r0 = (*layers)[0];
        if (r0.weight[lane * r0.fanIn + a] != 1)
          continue;
        int64_t latency = 0;
        for (int k = 0; k < K; ++k) {
          const NetxLayer &r = (*layers)[k];
          const size_t at = lane * r.fanIn + (k == 0 ? a : lane);
          EXPECT_EQ(r.weight[at], 1);
          const int32_t d = r.delay.empty() ? 0 : r.delay[at];
          EXPECT_GE(d, 0);
          EXPECT_LE(d, kNetxMaxDelay);
          latency += 1 + d;
        }
        const int32_t last = h.delay.empty() ? 0 : h.delay[b * h.fanIn + lane];
        EXPECT_LE(last, kNetxMaxDelay);
        latency += last;
        EXPECT_EQ(w, weight[b * 3 + a]);
        EXPECT_EQ(latency, delay[b * 3 + a]) << "synapse " << b << "," << a;
        ++found;
      }
      EXPECT_EQ(found, 1) << "synapse " << b << "," << a;
    }
}

TEST(NetxFile, WeightsLavaKeeps) {
  // SNN-L4's consequences: same-sign-mode integers in range survive.
  EXPECT_TRUE(netxWeightsExact({1, 2, 3}));
  EXPECT_TRUE(netxWeightsExact({255, 0, 17}));
  EXPECT_TRUE(netxWeightsExact({-256, 0, 100}));
  EXPECT_TRUE(netxWeightsExact({-3, -5, -7}));
  EXPECT_TRUE(netxWeightsExact({-127, 127, 1}));
  // and what netx or Lava alter (E4)
  EXPECT_FALSE(netxWeightsExact({-128, -3, -5, -7}));
  EXPECT_FALSE(netxWeightsExact({-64, -32, -64, -64}));
  EXPECT_FALSE(netxWeightsExact({-128, -128, -128, -128}));
  EXPECT_FALSE(netxWeightsExact({0, -255, -3, -8}));
  EXPECT_FALSE(netxWeightsExact({256, 1}));
  EXPECT_FALSE(netxWeightsExact({255, -1}));
  EXPECT_FALSE(netxWeightsExact({0, 0}));
}
