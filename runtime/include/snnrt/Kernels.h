//===- Kernels.h - Per-element arithmetic of the float rules ----*- C++ -*-===//
//
// The element-wise maths of SNN-F3, F7, F11, written once as inline functions
// so that every backend (the CPU engine here, a CUDA one later marked
// __host__ __device__) computes the same expressions in the same order.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cmath>

#ifndef SNNRT_HD
#define SNNRT_HD
#endif

namespace snnrt::kernels {

inline constexpr double kPi = 3.14159265358979323846;

/// SNN-F7: S = H(x) with H(0) = 1, x = V - threshold.
template <typename Real> SNNRT_HD inline Real heaviside(Real x) {
  return x >= Real(0) ? Real(1) : Real(0);
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
template <typename Real>
SNNRT_HD inline Real lifNext(Real v, Real beta, Real input, Real bias,
                             Real spike, Real theta, bool hardReset) {
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

} // namespace snnrt::kernels
