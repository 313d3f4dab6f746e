//===- Kernels.h - Per-element arithmetic of the float rules ----*- C++ -*-===//
//
// The element-wise maths of SNN-F3, F7, F11 and the optimiser step, written
// once as inline functions marked SNNRT_HD (HostDevice.h), so that the CPU
// engine and trainer and the CUDA kernels (lib/train/*.cu) compute the same
// expressions in the same order.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/HostDevice.h"

#include <cmath>

namespace snnrt::kernels {

inline constexpr double kPi = 3.14159265358979323846;

/// SNN-F7: S = H(x) with H(0) = 1, x = V - threshold; under a strict
/// convention (SNN-F13, Lava's v > vth) H(0) = 0.
template <typename Real>
SNNRT_HD inline Real heaviside(Real x, bool strict = false) {
  return (strict ? x > Real(0) : x >= Real(0)) ? Real(1) : Real(0);
}

/// SNN-F11: arctan surrogate of H'(x): (alpha/2) / (1 + (pi/2 * alpha * x)^2).
template <typename Real> SNNRT_HD inline Real arctanSurrogate(Real x, Real alpha) {
  Real u = Real(kPi / 2) * alpha * x;
  return (alpha / Real(2)) / (Real(1) + u * u);
}

/// The smooth function whose derivative is exactly arctanSurrogate:
/// 1/2 + atan(pi/2 * alpha * x) / pi. Used in place of H only by gradient
/// checks, so that finite differences see the function backward differentiates.
template <typename Real> SNNRT_HD inline Real smoothArctanStep(Real x, Real alpha) {
  return Real(0.5) + std::atan(Real(kPi / 2) * alpha * x) / Real(kPi);
}

/// SNN-F7: membrane potential of the next step from V[t], the input after
/// BatchNorm/CuBa, the bias and the spike S[t]. Hard reset starts the next
/// step from zero, discarding this step's input; subtract removes theta.
/// With `resetFirst` (SNN-F13, Lava's order) the reset acts on V[t] before
/// the decay and this step's input and bias are kept.
template <typename Real>
SNNRT_HD inline Real lifNext(Real v, Real beta, Real input, Real bias,
                             Real spike, Real theta, bool hardReset,
                             bool resetFirst = false) {
  if (resetFirst) {
    Real r = hardReset ? v * (Real(1) - spike) : v - theta * spike;
    return beta * r + input + bias;
  }
  Real u = beta * v + input + bias;
  return hardReset ? u * (Real(1) - spike) : u - theta * spike;
}

/// SNN-F9 / SNN-F8: a leaky integrator, y[t] = beta * y[t-1] + x[t] (+ bias).
template <typename Real>
SNNRT_HD inline Real leakyNext(Real previous, Real beta, Real input,
                               Real bias) {
  return beta * previous + input + bias;
}

/// SNN-F3: effective Gaussian width sigma' = |sigma| + 0.27.
template <typename Real> SNNRT_HD inline Real dclsWidth(Real sigma) {
  return std::fabs(sigma) + Real(0.27);
}

/// SNN-F3: unnormalised tap weight g_k for continuous delay delta.
template <typename Real>
SNNRT_HD inline Real dclsTap(Real k, Real delta, Real width) {
  Real z = (k - delta) / width;
  return std::exp(Real(-0.5) * z * z);
}

/// SNN-F3: the normalisation constant added to sum_m g_m.
inline constexpr double kDclsEps = 1e-7;

/// SNN-F3 truncation: the taps [lo, hi] of a synapse with continuous delay
/// `delta` kept within radius * width of it (radius 0 keeps all of
/// [0, dmax)); when none lies in range, the nearest tap alone.
SNNRT_HD inline void dclsTapRange(double delta, double width, double radius,
                                  int dmax, int &lo, int &hi) {
  lo = 0;
  hi = dmax - 1;
  if (radius > 0) {
    double r = radius * width;
    int a = int(std::ceil(delta - r)), b = int(std::floor(delta + r));
    lo = a > lo ? a : lo;
    hi = b < hi ? b : hi;
    if (lo > hi) {
      long n = std::lround(delta);
      n = n < 0 ? 0 : (n > dmax - 1 ? dmax - 1 : n);
      lo = hi = int(n);
    }
  }
}

/// SNN-F7/F11 backward of one LIF step with the reset detached. `gnext`
/// holds dL/dV[t+1] on entry and dL/dV[t] on return; `gs` is dL/dS[t].
/// Returns dL/dI[t] (the gradient of U = beta V + I + bias). With
/// `resetFirst` (SNN-F13) V[t+1] = beta R(V[t]) + I[t] + bias: the input's
/// gradient passes the reset untouched and the hard reset's (1 - S) factor
/// lands on the path through V[t] instead.
template <typename Real>
SNNRT_HD inline Real lifBackStep(Real &gnext, Real gs, Real v, Real spike,
                                 Real beta, Real theta, Real alpha,
                                 bool hardReset, bool resetFirst = false) {
  if (resetFirst) {
    Real gi = gnext;
    Real keep = hardReset ? Real(1) - spike : Real(1);
    gnext = gs * arctanSurrogate(v - theta, alpha) + beta * keep * gi;
    return gi;
  }
  Real gu = hardReset ? gnext * (Real(1) - spike) : gnext;
  gnext = gs * arctanSurrogate(v - theta, alpha) + beta * gu;
  return gu;
}

/// One Adam step (bias-corrected; bc1 = 1 - beta1^t, bc2 = 1 - beta2^t) of
/// one float parameter, the moments kept in float and the arithmetic in
/// double, as the trainer has always computed it.
SNNRT_HD inline void adamUpdate(float &value, float &m, float &v, double g,
                                double lr, double beta1, double beta2,
                                double bc1, double bc2, double eps) {
  m = float(beta1 * m + (1 - beta1) * g);
  v = float(beta2 * v + (1 - beta2) * g * g);
  double step =
      lr * (double(m) / bc1) / (std::sqrt(double(v) / bc2) + eps);
  value = float(double(value) - step);
}

} // namespace snnrt::kernels
