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

// Lava's fixed-point CUBA LIF (SNN-L rules), against values computed by hand
// from lava-nc's PyLifModelBitAcc and PyDenseModelBitAcc.

TEST(IntegerMath, LavaInputShiftsTheSumByTheWeightExponent) {
  EXPECT_EQ(lavaInput(5, 0), 5);
  EXPECT_EQ(lavaInput(5, 3), 40);
  EXPECT_EQ(lavaInput(-5, 3), -40);
  EXPECT_EQ(lavaInput(5, -1), 2);   // 2.5 floors to 2
  EXPECT_EQ(lavaInput(-5, -1), -3); // -2.5 floors to -3 (numpy right_shift)
  EXPECT_EQ(lavaInput(-1, -8), -1);
  EXPECT_EQ(lavaInput(255, -8), 0);
  EXPECT_EQ(lavaActivation(-3), -3); // the port passes the sum unchanged
}

TEST(IntegerMath, LavaWrapsItsInt32Intermediates) {
  // SNN-L6 (E7): 8 full-weight graded inputs of 32767 through 255 give
  // a_in = 66846680, whose << 6 wraps in 32 bits.
  const int64_t aIn = 8 * 32767 * 255;
  EXPECT_EQ(lavaActivation(aIn), aIn); // the port keeps it (no int16)
  EXPECT_EQ(wrapInt32(aIn * 64), int64_t(int32_t(uint32_t(aIn * 64))));
  EXPECT_EQ(wrapInt32(int64_t(1) << 31), -(int64_t(1) << 31));
  EXPECT_EQ(lavaActivation((int64_t(1) << 32) + 5), 5);
  int64_t u = 0, v = 0;
  lavaStep(u, v, aIn, /*bias=*/0, /*vth=*/1, /*iDecay=*/4096, /*vDecay=*/4096);
  EXPECT_EQ(u, lavaWrapCurrent(wrapInt32(aIn * 64)));
}

TEST(IntegerMath, LavaCurrentWrapsInto24Bits) {
  const int64_t m = int64_t(1) << 23;
  EXPECT_EQ(lavaWrapCurrent(m), m); // 2^23 stays: only > 2^23 wraps
  EXPECT_EQ(lavaWrapCurrent(m + 5), -m + 5);
  EXPECT_EQ(lavaWrapCurrent(-m + 1), -m + 1);
  EXPECT_EQ(lavaWrapCurrent(-m), m); // <= -2^23 wraps
  EXPECT_EQ(lavaWrapCurrent(-m - 7), m - 7);
  EXPECT_EQ(lavaWrapCurrent(123), 123);
}

TEST(IntegerMath, LavaVoltageClipsSymmetrically) {
  const int64_t hi = (int64_t(1) << 23) - 1;
  EXPECT_EQ(lavaClipVoltage(hi + 10), hi);
  EXPECT_EQ(lavaClipVoltage(-hi - 10), -hi); // -(2^23 - 1), not -2^23
  EXPECT_EQ(lavaClipVoltage(-hi), -hi);
  EXPECT_EQ(lavaClipVoltage(-17), -17);
}

TEST(IntegerMath, LavaSpikesAboveTheShiftedThreshold) {
  EXPECT_FALSE(lavaSpikes(640, 10)); // v > 10 * 64 is strict
  EXPECT_TRUE(lavaSpikes(641, 10));
  EXPECT_TRUE(lavaSpikes(1, 0));
  EXPECT_FALSE(lavaSpikes(0, 0));
}

TEST(IntegerMath, LavaStepDecaysTowardZeroAndKeepsTheSpikingStepsInput) {
  // iDecay 2048 halves u, vDecay 1024 keeps 3/4 of v, both toward zero.
  int64_t u = -3, v = -5;
  EXPECT_FALSE(lavaStep(u, v, /*activation=*/0, /*bias=*/0, /*vth=*/1,
                        /*iDecay=*/2048, /*vDecay=*/1024));
  EXPECT_EQ(u, -1);      // -1.5 -> -1
  EXPECT_EQ(v, -3 + -1); // dec(-5) = -3.75 -> -3, plus u
  // A spike zeroes v, keeps u, and integrates the same step's input.
  u = 100, v = 700;
  EXPECT_TRUE(lavaStep(u, v, /*activation=*/2, /*bias=*/7, /*vth=*/10,
                       /*iDecay=*/4096, /*vDecay=*/0));
  EXPECT_EQ(u, 128);         // dec(100, 4096) = 0, plus 2 << 6
  EXPECT_EQ(v, 0 + 128 + 7); // v restarted from 0, input kept
  // Without a spike v keeps integrating; u carries over with du = 0.
  EXPECT_FALSE(lavaStep(u, v, 1, 0, 10, /*iDecay=*/1, /*vDecay=*/0));
  EXPECT_EQ(u, ((128 * 4095) >> 12) + 64);
  EXPECT_EQ(v, 135 + u);
}

TEST(IntegerMath, LavaStepWrapsTheCurrentAndClipsTheVoltage) {
  // u near 2^23 loses ~2^11 to du = 0 and gains 100 << 6: past 2^23, so it
  // wraps negative; v, summing a large positive v and that u, clips.
  const int64_t start = (int64_t(1) << 23) - 10;
  int64_t u = start, v = (int64_t(1) << 23) - 1;
  lavaStep(u, v, /*activation=*/100, 0, /*vth=*/131071, /*iDecay=*/1,
           /*vDecay=*/0);
  const int64_t sum = ((start * 4095) >> 12) + (100 << 6);
  ASSERT_GT(sum, int64_t(1) << 23);
  EXPECT_EQ(u, sum - (int64_t(1) << 24));
  EXPECT_LT(u, 0);
  // v was past vth << 6 = 2^23 - 64, so it spiked and restarted from 0.
  EXPECT_EQ(v, u);
  int64_t u2 = 1000, v2 = (int64_t(1) << 23) - 100;
  lavaStep(u2, v2, 0, 200, /*vth=*/131071, 4096, 0);
  EXPECT_EQ(v2, (int64_t(1) << 23) - 1); // clipped, not wrapped
}

TEST(IntegerMath, LavaRelayRepeatsEveryBinaryTrainOneStepLater) {
  // vth 0, weight 1, iDecay 4096: v = 64 x[t-1] after every step, so s[t]
  // = x[t-1], bursts included.
  const int x[] = {1, 1, 0, 1, 1, 1, 0, 0, 1, 0};
  int64_t u = 0, v = lavaInitialVoltage(0);
  int previous = 0;
  for (int t = 0; t < 10; ++t) {
    EXPECT_EQ(lavaStep(u, v, x[t], 0, 0, 4096, 4095), previous == 1) << t;
    previous = x[t];
  }
}

TEST(IntegerMath, LavaBiasIsAThirteenBitMantissaShiftedUpToSeven) {
  EXPECT_TRUE(lavaBiasRepresentable(4095));
  EXPECT_TRUE(lavaBiasRepresentable(-4096));
  EXPECT_FALSE(lavaBiasRepresentable(4097)); // odd and above 4095
  EXPECT_TRUE(lavaBiasRepresentable(4098));  // 2049 << 1
  EXPECT_TRUE(lavaBiasRepresentable(4095 << 7));
  EXPECT_FALSE(lavaBiasRepresentable(4096 << 7));
  EXPECT_EQ(lavaInitialVoltage(-300), -300); // Lava's first step: v = bias
}

// XyloSim's IAF arithmetic (SNN-X rules); the values are the hand-worked
// examples of docs/semantics.md, each of which tools/snn-vendor's
// xylo_experiments.py confirmed against XyloSim.

TEST(IntegerMath, XyloDecayMovesBothSignsToZero) {
  // SNN-X2: 5 -> 3 -> 2 -> 1 -> 0 and -5 -> -2 -> -1 -> 0 with dash 1.
  const int64_t pos[] = {5, 3, 2, 1, 0}, neg[] = {-5, -2, -1, 0};
  for (int k = 0; k + 1 < 5; ++k)
    EXPECT_EQ(xyloDecay(pos[k], 1), pos[k + 1]) << k;
  for (int k = 0; k + 1 < 4; ++k)
    EXPECT_EQ(xyloDecay(neg[k], 1), neg[k + 1]) << k;
  EXPECT_EQ(xyloDecay(3, 4), 2); // snnc's decayShift would keep 3
  EXPECT_EQ(decayShift(3, 4), 3);
  EXPECT_EQ(xyloDecay(-12345, 0), 0);     // dash 0 zeroes
  EXPECT_EQ(xyloDecay(20000, 16), 19999); // dash >= 16: exactly 1
  EXPECT_EQ(xyloDecay(-32768, 15), -32767);
}

TEST(IntegerMath, XyloWeightShiftWrapsBeyondEight) {
  // SNN-X3.
  EXPECT_EQ(xyloShiftedWeight(-3, 2), -12);
  EXPECT_EQ(xyloShiftedWeight(127, 8), 32512);
  EXPECT_EQ(xyloShiftedWeight(-128, 8), -32768);
  EXPECT_EQ(xyloShiftedWeight(127, 9), -512);
  EXPECT_EQ(xyloShiftedWeight(64, 9), -32768);
}

TEST(IntegerMath, XyloDeliverySaturatesPerSourceInOrder) {
  // SNN-X4: +32512, +32512, -32512 gives 255; -32512, +32512, +32512
  // gives 32512.
  int64_t a = 0;
  for (int64_t w : {32512, 32512, -32512})
    a = xyloDeliver(a, 1, w);
  EXPECT_EQ(a, 255);
  int64_t b = 0;
  for (int64_t w : {-32512, 32512, 32512})
    b = xyloDeliver(b, 1, w);
  EXPECT_EQ(b, 32512);
  EXPECT_EQ(xyloDeliver(100, 3, 10000), 30100);
  EXPECT_EQ(xyloDeliver(100, 4, 10000), 32767);
  EXPECT_EQ(xyloDeliver(100, 0, 10000), 100);
  EXPECT_EQ(xyloInputEvents(200), 15);
  EXPECT_EQ(xyloInputEvents(7), 7);
}

TEST(IntegerMath, XyloCurrentDecaysBeforeReachingTheMembrane) {
  // SNN-X6: +40 with dash_syn 2 contributes 30; dash_syn 0 contributes 0.
  int64_t v = 0, i = 40;
  EXPECT_EQ(xyloNeuronStep(v, i, 0, 1000, 15, 2, 31), 0);
  EXPECT_EQ(i, 30);
  EXPECT_EQ(v, 30);
  int64_t v0 = 0, i0 = 40;
  xyloNeuronStep(v0, i0, 0, 1000, 15, 0, 31);
  EXPECT_EQ(v0, 0);
}

TEST(IntegerMath, XyloMembraneSaturatesThreeTimesAndWrapsTheLeak) {
  // SNN-X7: leak + i saturates before the bias is added.
  int64_t v = -100, i = 32767;
  // dash_syn 15 takes 1 from the current: 32766; leak = +100 (dash_mem 0).
  xyloNeuronStep(v, i, -1000, 32767, 0, 15, 31);
  EXPECT_EQ(v, -100 + 31767); // one saturation would give 31766
  // dash_mem 0 at -32768: the negated leak wraps to -32768, v stays.
  int64_t w = -32768, j = 0;
  xyloNeuronStep(w, j, 0, 10, 0, 1, 31);
  EXPECT_EQ(w, -32768);
}

TEST(IntegerMath, XyloFiresSubtractivelyUpToTheCap) {
  // SNN-X8/X9: the threshold test follows the update.
  int64_t v = 70, i = 0;
  EXPECT_EQ(xyloNeuronStep(v, i, 30, 30, 15, 1, 31), 3);
  EXPECT_EQ(v, 100 - 3 * 30 - 1); // leak of 70 >> 15 -> 1
  int64_t big = 32767, k = 0;
  EXPECT_EQ(xyloNeuronStep(big, k, 0, 1, 15, 1, 31), 31);
  EXPECT_EQ(big, 32766 - 31); // the cap leaves v above the threshold
  int64_t out = 500, m = 0;
  EXPECT_EQ(xyloNeuronStep(out, m, 0, 100, 15, 1, 1), 1);
  EXPECT_EQ(out, 499 - 100); // 500 leaks 1, one spike
  // theta = -1 from 32767: v - theta wraps to -32768 after one spike.
  int64_t neg = 32767, n = 0;
  EXPECT_EQ(xyloNeuronStep(neg, n, 1, -1, 16, 1, 31), 1);
  EXPECT_EQ(neg, -32768);
}

TEST(IntegerMath, XyloRelayRepeatsCountsOneStepLater) {
  // The delay relay of docs/semantics.md: threshold c = 2^s, input weight
  // +2 and self-weight -1 (both shifted by s), dash_syn 1, dash_mem 0.
  const int64_t s = 8, c = int64_t(1) << s;
  const int64_t in = xyloShiftedWeight(2, s), self = xyloShiftedWeight(-1, s);
  const int64_t counts[] = {3, 31, 0, 1, 31, 31, 0, 0, 7, 0};
  int64_t v = 0, i = 0, previousOut = 0;
  for (int t = 0; t < 10; ++t) {
    i = xyloDeliver(i, counts[t], in);
    i = xyloDeliver(i, previousOut, self);
    previousOut = xyloNeuronStep(v, i, 0, c, 0, 1, 31);
    EXPECT_EQ(previousOut, counts[t]) << t;
    EXPECT_EQ(v, 0) << t;
  }
}
