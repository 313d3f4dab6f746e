//===- PlanFileTest.cpp - plan.h5 round trip and validation ---------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/exec/Plan.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

using namespace snnrt;

namespace {

std::string tempPath(const char *name) {
  return std::string(::testing::TempDir()) + "/plan-" +
         std::to_string(::getpid()) + "-" + name + ".h5";
}

/// 2 inputs -> lif(2) on core 0 -> li(1) on core 1.
Plan smallPlan() {
  Plan p;
  p.name = "net";
  p.target = "tiny";
  p.dt = 1e-3;
  p.steps = 10;
  p.stateBits = 24;
  p.decayMode = snnrt::intmath::DecayKind::Mul12;
  p.partitioner = "metis";
  p.limits = {{"max_delay", 16}, {"neurons_per_core", 4}};
  p.targetDecay = "mul12";
  p.populations = {
      {"in", "input", 2, 16.0, "frames", "", false, false, {}},
      {"h", "lif", 2, 1.0, "", "hard", false, false, {0.5f, 0.25f}},
      {"out", "li", 1, 1.0, "", "", false, true, {0.125f}},
  };
  PlanCore c0;
  c0.neuronPop = {1, 1};
  c0.neuronIndex = {0, 1};
  c0.threshold = {64, 100};
  c0.bias = {0, -3};
  c0.vDecay = {410, 410};
  c0.iDecay = {-1, -1};
  c0.axonPop = {0, 0};
  c0.axonIndex = {0, 1};
  c0.synPtr = {0, 2, 3};
  c0.synAxon = {0, 1, 1};
  c0.synWeight = {127, -128, 5};
  c0.synDelay = {0, 15, 3};
  PlanCore c1;
  c1.x = 1;
  c1.neuronPop = {2};
  c1.neuronIndex = {0};
  c1.threshold = {8388607};
  c1.bias = {0};
  c1.vDecay = {0};
  c1.iDecay = {-1};
  c1.axonPop = {1, 1};
  c1.axonIndex = {0, 1};
  c1.synPtr = {0, 2};
  c1.synAxon = {0, 1};
  c1.synWeight = {3, 4};
  c1.synDelay = {1, 2};
  p.cores = {c0, c1};
  p.routes = {{0, 1, 2, 2.0, 1}};
  return p;
}

TEST(PlanFile, RoundTripsEveryField) {
  Plan p = smallPlan();
  std::string path = tempPath("rt");
  ASSERT_TRUE(writePlanFile(path, p)) << writePlanFile(path, p).message();
  Expected<Plan> q = readPlanFile(path);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->name, "net");
  EXPECT_EQ(q->stateBits, 24u);
  EXPECT_EQ(q->arithmetic, snnrt::intmath::Arithmetic::Snnc);
  EXPECT_EQ(q->populations.size(), 3u);
  EXPECT_EQ(q->populations[1].weightScale, p.populations[1].weightScale);
  EXPECT_TRUE(q->populations[2].output);
  ASSERT_EQ(q->cores.size(), 2u);
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(q->cores[c].synPtr, p.cores[c].synPtr);
    EXPECT_EQ(q->cores[c].synWeight, p.cores[c].synWeight);
    EXPECT_EQ(q->cores[c].synDelay, p.cores[c].synDelay);
    EXPECT_EQ(q->cores[c].axonIndex, p.cores[c].axonIndex);
    EXPECT_EQ(q->cores[c].bias, p.cores[c].bias);
    EXPECT_EQ(q->cores[c].x, p.cores[c].x);
  }
  ASSERT_EQ(q->routes.size(), 1u);
  EXPECT_EQ(q->routes[0].hops, 1u);
  EXPECT_EQ(q->inputs(), (std::vector<uint32_t>{0}));
  EXPECT_EQ(q->outputs(), (std::vector<uint32_t>{2}));
  std::remove(path.c_str());
}

// SNN-I7's synaptic bias: written only when some neuron has one, read back
// exactly; refused without a synaptic current.
TEST(PlanFile, SynapticBiasRoundTrips) {
  Plan p = smallPlan();
  p.cores[1].iDecay = {1024};
  p.cores[1].biasSyn = {-7};
  std::string path = tempPath("bias-syn");
  ASSERT_TRUE(writePlanFile(path, p)) << writePlanFile(path, p).message();
  Expected<Plan> q = readPlanFile(path);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->cores[0].biasSyn, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(q->cores[1].biasSyn, (std::vector<int32_t>{-7}));
  p.cores[1].iDecay = {-1};
  Status bad = writePlanFile(path, p);
  EXPECT_FALSE(bad);
  EXPECT_NE(bad.message().find("cores/bias_syn"), std::string::npos)
      << bad.message();
  std::remove(path.c_str());
}

// Version 4: the arithmetic. Under Lava's, thresholds are vth (0 allowed,
// at most 2^17 - 1), v_decay at most 4095, and states 24 bits.
TEST(PlanFile, LavaArithmeticRoundTripsWithItsRanges) {
  Plan p = smallPlan();
  p.arithmetic = snnrt::intmath::Arithmetic::LavaCuba;
  p.cores[0].threshold = {0, 0};
  p.cores[1].threshold = {int32_t(snnrt::intmath::lava::kMaxThreshold)};
  std::string path = tempPath("lava");
  ASSERT_TRUE(writePlanFile(path, p)) << writePlanFile(path, p).message();
  Expected<Plan> q = readPlanFile(path);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->arithmetic, snnrt::intmath::Arithmetic::LavaCuba);
  EXPECT_EQ(q->cores[0].threshold, p.cores[0].threshold);
  p.cores[1].threshold = {int32_t(snnrt::intmath::lava::kMaxThreshold) + 1};
  Status bad = validatePlan(p);
  EXPECT_NE(bad.message().find("cores/threshold"), std::string::npos)
      << bad.message();
  p.cores[1].threshold = {1};
  p.cores[1].vDecay = {4096};
  bad = validatePlan(p);
  EXPECT_NE(bad.message().find("cores/v_decay"), std::string::npos)
      << bad.message();
  p.cores[1].vDecay = {0};
  p.stateBits = 16;
  bad = validatePlan(p);
  EXPECT_NE(bad.message().find("lava-cuba needs state_bits 24"),
            std::string::npos)
      << bad.message();
  std::remove(path.c_str());
}

// Version 5: Xylo's arithmetic needs 16-bit states, shift decay, dashes in
// [0, 15] and a dash_syn on every neuron.
TEST(PlanFile, XyloArithmeticRoundTripsWithItsRanges) {
  Plan p = smallPlan();
  p.arithmetic = snnrt::intmath::Arithmetic::XyloIaf;
  p.stateBits = 16;
  p.decayMode = snnrt::intmath::DecayKind::Shift;
  p.cores[0].vDecay = {0, 15};
  p.cores[0].iDecay = {1, 2};
  p.cores[1].threshold = {int32_t(snnrt::intmath::xylo::kReadoutThreshold)};
  p.cores[1].iDecay = {3};
  std::string path = tempPath("xylo");
  ASSERT_TRUE(writePlanFile(path, p)) << writePlanFile(path, p).message();
  Expected<Plan> q = readPlanFile(path);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->arithmetic, snnrt::intmath::Arithmetic::XyloIaf);
  EXPECT_EQ(q->cores[0].iDecay, p.cores[0].iDecay);
  p.cores[0].vDecay = {0, 16};
  Status bad = validatePlan(p);
  EXPECT_NE(bad.message().find("cores/v_decay"), std::string::npos)
      << bad.message();
  p.cores[0].vDecay = {0, 15};
  p.cores[1].iDecay = {-1};
  bad = validatePlan(p);
  EXPECT_NE(bad.message().find("needs Xylo's dash_syn"), std::string::npos)
      << bad.message();
  p.cores[1].iDecay = {3};
  p.stateBits = 24;
  bad = validatePlan(p);
  EXPECT_NE(bad.message().find("xylo-iaf needs state_bits 16"),
            std::string::npos)
      << bad.message();
  std::remove(path.c_str());
}

TEST(PlanFile, ValidationNamesTheDataset) {
  Plan p = smallPlan();
  p.cores[0].synAxon[1] = 7;
  Status s = validatePlan(p);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("cores/syn_axon"), std::string::npos)
      << s.message();
  p = smallPlan();
  p.cores[1].neuronIndex[0] = 0;
  p.cores[1].neuronPop[0] = 1; // neuron 0 of h twice, out on no core
  s = validatePlan(p);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("on two cores"), std::string::npos);
  p = smallPlan();
  p.cores[0].synDelay[0] = 16; // max_delay = 16
  EXPECT_FALSE(validatePlan(p));
  // An invalid plan is never written.
  std::string path = tempPath("bad");
  EXPECT_FALSE(writePlanFile(path, p));
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

TEST(PlanFile, ReadRefusesOtherFilesAndVersions) {
  std::string path = tempPath("v2");
  {
    auto f = h5::File::createAtomic(path);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->setAttrString("/", "format", "snnc-plan"));
    ASSERT_TRUE(f->setAttr<uint32_t>("/", "version", Plan::kVersion + 1));
    ASSERT_TRUE(f->commit());
  }
  Expected<Plan> q = readPlanFile(path);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find(
                "version " + std::to_string(Plan::kVersion + 1) +
                " is not supported"),
            std::string::npos)
      << q.status().message();
  {
    auto f = h5::File::createAtomic(path);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->setAttrString("/", "format", "snnc-model"));
    ASSERT_TRUE(f->commit());
  }
  q = readPlanFile(path);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find("'format' must be \"snnc-plan\""),
            std::string::npos);
  std::remove(path.c_str());
}

TEST(PlanFile, MissingFieldsNameTheFile) {
  Plan p = smallPlan();
  std::string path = tempPath("trunc");
  ASSERT_TRUE(writePlanFile(path, p));
  // A file with the root attributes of a plan but nothing else.
  Expected<Plan> q = readPlanFile(path);
  ASSERT_TRUE(q);
  {
    auto f = h5::File::createAtomic(path);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->setAttrString("/", "format", "snnc-plan"));
    ASSERT_TRUE(f->setAttr<uint32_t>("/", "version", Plan::kVersion));
    for (const char *a : {"name", "target", "decay_mode", "partitioner"})
      ASSERT_TRUE(f->setAttrString("/", a, "x"));
    ASSERT_TRUE(f->commit());
  }
  q = readPlanFile(path);
  ASSERT_FALSE(q);
  EXPECT_NE(q.status().message().find(path), std::string::npos);
  std::remove(path.c_str());
}

} // namespace
