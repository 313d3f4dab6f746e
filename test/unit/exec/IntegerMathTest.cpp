//===- IntegerMathTest.cpp - SNN-I1, I4, I5, I6 element by element --------===//

#include "snnrt/exec/IntegerMath.h"

#include <gtest/gtest.h>

using namespace snnrt::intmath;

TEST(IntegerMath, SaturatesAtTheStateWidth) { // SNN-I1
  EXPECT_EQ(sat(200, 8), 127);
  EXPECT_EQ(sat(-200, 8), -128);
  EXPECT_EQ(sat(-128, 8), -128);
  EXPECT_EQ(sat(5, 8), 5);
  EXPECT_EQ(sat(int64_t(1) << 40, 24), (1 << 23) - 1);
}

TEST(IntegerMath, InputRoundsHalfToEvenAndSaturatesTo16Bits) { // SNN-I2
  EXPECT_EQ(inputValue(1.0, 2.5), 2);
  EXPECT_EQ(inputValue(1.0, 3.5), 4);
  EXPECT_EQ(inputValue(1.0, -2.5), -2);
  EXPECT_EQ(inputValue(256.0, 0.75), 192);
  EXPECT_EQ(inputValue(1e6, 1.0), 32767);
  EXPECT_EQ(inputValue(1e6, -1.0), -32768);
}

TEST(IntegerMath, MultiplicativeDecayRoundsTowardZero) { // SNN-I4
  EXPECT_EQ(decayMul12(4096, 0), 4096);
  EXPECT_EQ(decayMul12(1000, 4096), 0);        // d = 4096: beta = 0
  EXPECT_EQ(decayMul12(1000, 2048), 500);
  EXPECT_EQ(decayMul12(3, 2048), 1);           // 1.5 -> 1
  EXPECT_EQ(decayMul12(-3, 2048), -1);         // -1.5 -> -1, not -2
  EXPECT_EQ(decayMul12(-1, 1), 0);             // no sticking at -1
  for (int64_t v = -5000; v <= 5000; v += 7)   // never grows in magnitude
    for (int64_t d : {0, 1, 409, 2048, 4095, 4096})
      EXPECT_LE(std::abs(decayMul12(v, d)), std::abs(v)) << v << " " << d;
}

TEST(IntegerMath, ShiftDecayFloors) { // SNN-I5
  EXPECT_EQ(decayShift(-3, 1), -1); // -3 - (-2): the example of SNN-I5
  EXPECT_EQ(decayShift(3, 1), 2);   // 3 - 1
  EXPECT_EQ(decayShift(100, 0), 0); // k = 0 zeroes the state
  EXPECT_EQ(decayShift(1024, 4), 960);
}

TEST(IntegerMath, HardResetDiscardsTheSpikingStepsInput) { // SNN-I6
  int64_t v = 10;
  bool s = lifStep(v, /*input=*/7, /*bias=*/0, /*threshold=*/10,
                   DecayKind::Mul12, 0, /*subtract=*/false, 16);
  EXPECT_TRUE(s);
  EXPECT_EQ(v, 0);
  v = 10;
  s = lifStep(v, 7, 0, 10, DecayKind::Mul12, 0, /*subtract=*/true, 16);
  EXPECT_TRUE(s);
  EXPECT_EQ(v, 7); // 10 + 7 - 10
  v = 9;
  s = lifStep(v, 7, 1, 10, DecayKind::Mul12, 0, false, 16);
  EXPECT_FALSE(s);
  EXPECT_EQ(v, 17);
}

TEST(IntegerMath, StateSaturatesInsteadOfWrapping) { // SNN-I1, SNN-I6
  int64_t v = 0;
  for (int t = 0; t < 10; ++t)
    lifStep(v, 100, 0, 1000, DecayKind::Shift, 31, false, 8);
  EXPECT_EQ(v, 127);
}
