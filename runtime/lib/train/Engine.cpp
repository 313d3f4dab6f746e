//===- Engine.cpp - Batched float simulator with BPTT ---------------------===//
//
// Forward: populations in topological order; each one first sums its
// incoming delayed projections over all steps (SNN-F2/F3), then applies
// BatchNorm (SNN-F5), the CuBa filter (SNN-F8) and the neuron (SNN-F7/F9)
// step by step. Backward runs the same in reverse (BPTT) with the surrogate
// of SNN-F11.
//
// Every parallel loop splits work by output row (a neuron), and each row is
// computed in a fixed order, so results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "snnrt/train/Engine.h"
#include "snnrt/base/Random.h"
#include "snnrt/base/TargetClones.h"
#include "snnrt/train/Kernels.h"
#include "snnrt/train/LaneFft.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <numeric>
#include <type_traits>

namespace snnrt {

namespace {

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
          float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
              ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
          double alpha, const double *a, int lda, const double *b, int ldb,
          double beta, double *c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
              ldc);
}

/// C = alpha op(A) op(B) + beta C as fixed blocks of columns (or of rows
/// when C is narrow) on the OpenMP team, each block one single-threaded BLAS
/// call. OpenBLAS's own threading splits a product by the thread count and
/// computes the edge tiles of each part with other kernels, which round
/// differently; with blocks fixed by the shape alone, every element comes
/// from the same call whatever the thread count, so results do not depend
/// on it (BLAS runs on one thread: Engine::create).
template <typename Real>
void gemmBlocks(int nt, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n,
                int k, Real alpha, const Real *a, int lda, const Real *b,
                int ldb, Real beta, Real *c, int ldc) {
  constexpr int kCols = 512, kRows = 64;
  if (n >= kCols || n >= m) {
    const int blocks = (n + kCols - 1) / kCols;
#pragma omp parallel for num_threads(blocks > 1 ? nt : 1) schedule(dynamic, 1)
    for (int i = 0; i < blocks; ++i) {
      const int c0 = i * kCols, w = std::min(kCols, n - c0);
      const Real *bb = tb == CblasNoTrans ? b + c0 : b + size_t(c0) * ldb;
      gemm(ta, tb, m, w, k, alpha, a, lda, bb, ldb, beta, c + c0, ldc);
    }
    return;
  }
  const int blocks = (m + kRows - 1) / kRows;
#pragma omp parallel for num_threads(blocks > 1 ? nt : 1) schedule(dynamic, 1)
  for (int i = 0; i < blocks; ++i) {
    const int r0 = i * kRows, h = std::min(kRows, m - r0);
    const Real *aa = ta == CblasNoTrans ? a + size_t(r0) * lda : a + r0;
    gemm(ta, tb, h, n, k, alpha, aa, lda, b, ldb, beta, c + size_t(r0) * ldc,
         ldc);
  }
}

// The inner loops of the synapse-wise kernels: SNNRT_CLONES (TargetClones.h)
// compiles them for AVX-512, AVX2 and baseline x86-64.

SNNRT_CLONES void axpy(float *__restrict y, const float *__restrict x,
                       float a, size_t n) {
  for (size_t i = 0; i < n; ++i)
    y[i] += a * x[i];
}
void axpy(double *__restrict y, const double *__restrict x, double a,
          size_t n) {
  for (size_t i = 0; i < n; ++i)
    y[i] += a * x[i];
}

/// All taps of one synapse in one pass: y[j] += sum_i k[i] * x[j + i*stride]
/// for j in [0, n) (stride is -B forward, +B for dL/dx), so y is read and
/// written once instead of once per tap. Adds in tap order, like the
/// per-tap axpy used at the edges, so every element sums in the same order.
template <typename Real>
inline void tapsImpl(Real *__restrict y, const Real *__restrict x,
                     const Real *__restrict k, uint32_t w, ptrdiff_t stride,
                     size_t n) {
  constexpr size_t C = 64;
  size_t j = 0;
  for (; j + C <= n; j += C) {
    Real acc[C];
    for (size_t l = 0; l < C; ++l)
      acc[l] = y[j + l];
    for (uint32_t i = 0; i < w; ++i) {
      const Real *xi = x + ptrdiff_t(j) + ptrdiff_t(i) * stride;
      Real kv = k[i];
      for (size_t l = 0; l < C; ++l)
        acc[l] += kv * xi[l];
    }
    for (size_t l = 0; l < C; ++l)
      y[j + l] = acc[l];
  }
  for (; j < n; ++j) {
    Real acc = y[j];
    for (uint32_t i = 0; i < w; ++i)
      acc += k[i] * x[ptrdiff_t(j) + ptrdiff_t(i) * stride];
    y[j] = acc;
  }
}
SNNRT_CLONES void taps(float *y, const float *x, const float *k, uint32_t w,
                       ptrdiff_t stride, size_t n) {
  tapsImpl(y, x, k, w, stride, n);
}
void taps(double *y, const double *x, const double *k, uint32_t w,
          ptrdiff_t stride, size_t n) {
  tapsImpl(y, x, k, w, stride, n);
}

/// Dot product with 16 independent partial sums: vectorisable without
/// -ffast-math, and the summation order is fixed (independent of threads).
template <typename Real> Real dotImpl(const Real *a, const Real *b, size_t n) {
  constexpr size_t L = 16;
  Real part[L] = {};
  size_t i = 0;
  for (; i + L <= n; i += L)
    for (size_t l = 0; l < L; ++l)
      part[l] += a[i + l] * b[i + l];
  Real tail = 0;
  for (; i < n; ++i)
    tail += a[i] * b[i];
  for (size_t w = L / 2; w > 0; w /= 2)
    for (size_t l = 0; l < w; ++l)
      part[l] += part[l + w];
  return part[0] + tail;
}

SNNRT_CLONES float dot(const float *a, const float *b, size_t n) {
  constexpr size_t L = 16; // same summation order as dotImpl
  float part[L] = {};
  size_t i = 0;
  for (; i + L <= n; i += L)
    for (size_t l = 0; l < L; ++l)
      part[l] += a[i + l] * b[i + l];
  float tail = 0;
  for (; i < n; ++i)
    tail += a[i] * b[i];
  for (size_t w = L / 2; w > 0; w /= 2)
    for (size_t l = 0; l < w; ++l)
      part[l] += part[l + w];
  return part[0] + tail;
}
double dot(const double *a, const double *b, size_t n) {
  return dotImpl(a, b, n);
}

/// BatchNorm's reductions over the T*B values of one neuron, in double
/// with 8 independent partial sums per quantity: a single running double
/// sum is one serial add chain (not vectorised without -ffast-math) and
/// cost as much as the neuron update. Fixed order, independent of threads.
template <typename Real> double sumImpl(const Real *x, size_t n) {
  constexpr size_t L = 8;
  double part[L] = {};
  size_t j = 0;
  for (; j + L <= n; j += L)
    for (size_t l = 0; l < L; ++l)
      part[l] += double(x[j + l]);
  double tail = 0;
  for (; j < n; ++j)
    tail += double(x[j]);
  for (size_t w = L / 2; w > 0; w /= 2)
    for (size_t l = 0; l < w; ++l)
      part[l] += part[l + w];
  return part[0] + tail;
}
/// sum_j (x[j] - mean)^2, the same lanes as sumImpl.
template <typename Real>
double sqDevImpl(const Real *x, double mean, size_t n) {
  constexpr size_t L = 8;
  double part[L] = {};
  size_t j = 0;
  for (; j + L <= n; j += L)
    for (size_t l = 0; l < L; ++l) {
      double d = double(x[j + l]) - mean;
      part[l] += d * d;
    }
  double tail = 0;
  for (; j < n; ++j)
    tail += (double(x[j]) - mean) * (double(x[j]) - mean);
  for (size_t w = L / 2; w > 0; w /= 2)
    for (size_t l = 0; l < w; ++l)
      part[l] += part[l + w];
  return part[0] + tail;
}
/// BatchNorm backward's sums: sg = sum g[j], sgx = sum g[j] xh[j] with
/// xh = (x - m) inv computed in Real as the forward pass does.
template <typename Real>
void bnGradSumsImpl(const Real *g, const Real *x, Real m, Real inv, size_t n,
                    double &sg, double &sgx) {
  constexpr size_t L = 8;
  double pg[L] = {}, pgx[L] = {};
  size_t j = 0;
  for (; j + L <= n; j += L)
    for (size_t l = 0; l < L; ++l) {
      double xh = double((x[j + l] - m) * inv);
      pg[l] += double(g[j + l]);
      pgx[l] += double(g[j + l]) * xh;
    }
  double tg = 0, tgx = 0;
  for (; j < n; ++j) {
    double xh = double((x[j] - m) * inv);
    tg += double(g[j]);
    tgx += double(g[j]) * xh;
  }
  for (size_t w = L / 2; w > 0; w /= 2)
    for (size_t l = 0; l < w; ++l) {
      pg[l] += pg[l + w];
      pgx[l] += pgx[l + w];
    }
  sg = pg[0] + tg;
  sgx = pgx[0] + tgx;
}
SNNRT_CLONES double sumD(const float *x, size_t n) { return sumImpl(x, n); }
double sumD(const double *x, size_t n) { return sumImpl(x, n); }
SNNRT_CLONES double sqDevD(const float *x, double mean, size_t n) {
  return sqDevImpl(x, mean, n);
}
double sqDevD(const double *x, double mean, size_t n) {
  return sqDevImpl(x, mean, n);
}
SNNRT_CLONES void bnGradSums(const float *g, const float *x, float m, float inv,
                             size_t n, double &sg, double &sgx) {
  bnGradSumsImpl(g, x, m, inv, n, sg, sgx);
}
void bnGradSums(const double *g, const double *x, double m, double inv,
                size_t n, double &sg, double &sgx) {
  bnGradSumsImpl(g, x, m, inv, n, sg, sgx);
}

/// SNN-F7 forward of one LIF neuron, [T][B], with the Heaviside spike: the
/// reset and threshold rules are template parameters so that the loop over
/// samples has no branches and vectorises. The same per-element operations
/// as the generic loop in populationForward (no contraction into FMAs: the
/// train area is compiled with -ffp-contract=off), so the same values at
/// every ISA level of SNNRT_CLONES.
template <typename Real, bool Hard, bool ResetFirst, bool Strict>
__attribute__((always_inline)) inline void
lifForwardImpl(const Real *__restrict x, Real *__restrict V, Real *__restrict S,
               Real *__restrict vt, uint32_t T, uint32_t B, Real beta,
               Real theta, Real bias) {
  for (uint32_t b = 0; b < B; ++b)
    vt[b] = Real(0);
  for (uint32_t t = 0; t < T; ++t) {
    const size_t o = size_t(t) * B;
    for (uint32_t b = 0; b < B; ++b) {
      Real v = vt[b];
      // kernels::heaviside as a conversion, which if-converts (its ?: kept
      // the loop scalar).
      const Real d = v - theta;
      Real sp = Real(Strict ? d > Real(0) : d >= Real(0));
      V[o + b] = v;
      S[o + b] = sp;
      vt[b] = kernels::lifNext(v, beta, x[o + b], bias, sp, theta, Hard,
                               ResetFirst);
    }
  }
}
// The float kernels per x86 level (SNNRT_CLONES); double (gradient checks)
// uses the templates directly.
#define SNNRT_LIF_FORWARD(H, R, S)                                             \
  SNNRT_CLONES void lifForward##H##R##S(const float *x, float *V, float *Sp,   \
                                        float *vt, uint32_t T, uint32_t B,     \
                                        float beta, float theta, float bias) { \
    lifForwardImpl<float, H, R, S>(x, V, Sp, vt, T, B, beta, theta, bias);     \
  }
SNNRT_LIF_FORWARD(false, false, false)
SNNRT_LIF_FORWARD(false, false, true)
SNNRT_LIF_FORWARD(false, true, false)
SNNRT_LIF_FORWARD(false, true, true)
SNNRT_LIF_FORWARD(true, false, false)
SNNRT_LIF_FORWARD(true, false, true)
SNNRT_LIF_FORWARD(true, true, false)
SNNRT_LIF_FORWARD(true, true, true)
#undef SNNRT_LIF_FORWARD

template <typename Real>
void lifForwardRow(bool hard, bool resetFirst, bool strict, const Real *x,
                   Real *V, Real *S, Real *vt, uint32_t T, uint32_t B,
                   Real beta, Real theta, Real bias) {
  using Fn = void (*)(const Real *, Real *, Real *, Real *, uint32_t, uint32_t,
                      Real, Real, Real);
  const int i = (hard ? 4 : 0) + (resetFirst ? 2 : 0) + (strict ? 1 : 0);
  if constexpr (std::is_same_v<Real, float>) {
    static const Fn cloned[8] = {
        lifForwardfalsefalsefalse, lifForwardfalsefalsetrue,
        lifForwardfalsetruefalse,  lifForwardfalsetruetrue,
        lifForwardtruefalsefalse,  lifForwardtruefalsetrue,
        lifForwardtruetruefalse,   lifForwardtruetruetrue};
    cloned[i](x, V, S, vt, T, B, beta, theta, bias);
  } else {
    static const Fn table[8] = {lifForwardImpl<Real, false, false, false>,
                                lifForwardImpl<Real, false, false, true>,
                                lifForwardImpl<Real, false, true, false>,
                                lifForwardImpl<Real, false, true, true>,
                                lifForwardImpl<Real, true, false, false>,
                                lifForwardImpl<Real, true, false, true>,
                                lifForwardImpl<Real, true, true, false>,
                                lifForwardImpl<Real, true, true, true>};
    table[i](x, V, S, vt, T, B, beta, theta, bias);
  }
}

/// SNN-F11 backward of one LIF neuron with the reset detached (training;
/// only gradient checks differentiate through the reset), branch-free over
/// samples like lifForwardImpl: dL/dI into g, dL/dbias per sample into
/// accB. mask (Masked) is the neuron's dropout mask per sample.
template <typename Real, bool Hard, bool ResetFirst, bool Masked>
__attribute__((always_inline)) inline void
lifBackwardImpl(const Real *__restrict go, const Real *__restrict V,
                Real nonStrict, const Real *__restrict mask, Real *__restrict g,
                Real *__restrict gnext, Real *__restrict accB, uint32_t T,
                uint32_t B, Real beta, Real theta, Real alpha) {
  for (uint32_t b = 0; b < B; ++b)
    gnext[b] = accB[b] = Real(0);
  for (int64_t t = int64_t(T) - 1; t >= 0; --t) {
    const size_t o = size_t(t) * B;
    for (uint32_t b = 0; b < B; ++b) {
      // The forward pass's spike, H(V - theta) (H(0) = nonStrict), again
      // from the membrane it kept: no spike array through memory.
      const Real d = V[o + b] - theta;
      const Real sp = Real(d > Real(0)) + nonStrict * Real(d == Real(0));
      Real gs = Masked ? go[o + b] * mask[b] : go[o + b];
      Real gu = kernels::lifBackStep(gnext[b], gs, V[o + b], sp, beta, theta,
                                     alpha, Hard, ResetFirst);
      g[o + b] = gu;
      accB[b] += gu;
    }
  }
}
#define SNNRT_LIF_BACKWARD(H, R, M)                                            \
  SNNRT_CLONES void lifBackward##H##R##M(                                      \
      const float *go, const float *V, float nonStrict, const float *mask,     \
      float *g, float *gnext, float *accB, uint32_t T, uint32_t B, float beta, \
      float theta, float alpha) {                                              \
    lifBackwardImpl<float, H, R, M>(go, V, nonStrict, mask, g, gnext, accB, T, \
                                    B, beta, theta, alpha);                    \
  }
SNNRT_LIF_BACKWARD(false, false, false)
SNNRT_LIF_BACKWARD(false, false, true)
SNNRT_LIF_BACKWARD(false, true, false)
SNNRT_LIF_BACKWARD(false, true, true)
SNNRT_LIF_BACKWARD(true, false, false)
SNNRT_LIF_BACKWARD(true, false, true)
SNNRT_LIF_BACKWARD(true, true, false)
SNNRT_LIF_BACKWARD(true, true, true)
#undef SNNRT_LIF_BACKWARD

template <typename Real>
void lifBackwardRow(bool hard, bool resetFirst, bool strict, const Real *go,
                    const Real *V, const Real *mask, Real *g, Real *gnext,
                    Real *accB, uint32_t T, uint32_t B, Real beta, Real theta,
                    Real alpha) {
  using Fn = void (*)(const Real *, const Real *, Real, const Real *, Real *,
                      Real *, Real *, uint32_t, uint32_t, Real, Real, Real);
  const Real nonStrict = strict ? Real(0) : Real(1);
  const int i = (hard ? 4 : 0) + (resetFirst ? 2 : 0) + (mask ? 1 : 0);
  if constexpr (std::is_same_v<Real, float>) {
    static const Fn cloned[8] = {
        lifBackwardfalsefalsefalse, lifBackwardfalsefalsetrue,
        lifBackwardfalsetruefalse,  lifBackwardfalsetruetrue,
        lifBackwardtruefalsefalse,  lifBackwardtruefalsetrue,
        lifBackwardtruetruefalse,   lifBackwardtruetruetrue};
    cloned[i](go, V, nonStrict, mask, g, gnext, accB, T, B, beta, theta,
              alpha);
  } else {
    static const Fn table[8] = {lifBackwardImpl<Real, false, false, false>,
                                lifBackwardImpl<Real, false, false, true>,
                                lifBackwardImpl<Real, false, true, false>,
                                lifBackwardImpl<Real, false, true, true>,
                                lifBackwardImpl<Real, true, false, false>,
                                lifBackwardImpl<Real, true, false, true>,
                                lifBackwardImpl<Real, true, true, false>,
                                lifBackwardImpl<Real, true, true, true>};
    table[i](go, V, nonStrict, mask, g, gnext, accB, T, B, beta, theta, alpha);
  }
}

/// Grows a scratch vector to at least n elements, never shrinks it: the
/// spectral passes size their scratch differently for each projection and
/// each stage, and a resize that shrinks and grows again re-zeroes (and, the
/// first times, re-faults) tens of MB per batch. Callers write every element
/// they read.
template <typename Real> size_t countNonZero(const Real *x, size_t n) {
  size_t c = 0;
  for (size_t j = 0; j < n; ++j)
    c += x[j] != Real(0);
  return c;
}

template <typename Real> Real *scratchAtLeast(std::vector<Real> &v, size_t n) {
  if (v.size() < n)
    v.resize(n);
  return v.data();
}

/// n values of v starting on a 64-byte line (v grown as needed; the same
/// pointer while v is not resized): spectra an FFT writes with streaming
/// stores, which write whole lines.
template <typename Real> Real *lineAligned(std::vector<Real> &v, size_t n) {
  constexpr size_t kLine = 64 / sizeof(Real);
  scratchAtLeast(v, n + kLine);
  const size_t misalign = reinterpret_cast<uintptr_t>(v.data()) % 64;
  return v.data() + (misalign ? (64 - misalign) / sizeof(Real) : 0);
}

/// A synapse's taps over its source's events (sorted steps*B + sample):
/// y[idx[e] + lo + i*B] += k[i] val[e] for every tap i whose target lies
/// before tb. One pass over the events for all taps instead of one per tap.
/// Events run backwards so that each y[j] still receives its taps in
/// ascending order (j fixed: a later event meets an earlier tap), as the
/// per-tap loops added them: the same sums, bit for bit.
template <typename Real>
void eventTapsForward(Real *__restrict y, const uint32_t *idx, const Real *val,
                      size_t n, const Real *k, uint32_t w, size_t lo, size_t B,
                      size_t tb) {
  for (size_t e = n; e-- > 0;) {
    const size_t j0 = size_t(idx[e]) + lo;
    const Real v = val[e];
    for (uint32_t i = 0; i < w; ++i) {
      const size_t j = j0 + size_t(i) * B;
      if (j >= tb)
        break; // later taps land later still
      y[j] += k[i] * v;
    }
  }
}

/// dL/dK of a synapse's taps over its source's events: out[i] = sum_e
/// g[idx[e] + lo + i*B] val[e] (targets before tb), each in ascending event
/// order like the per-tap loop, all taps in one pass over the events.
/// w <= kEventTapsMax.
constexpr uint32_t kEventTapsMax = 32;
template <typename Real>
void eventTapsGrad(const Real *g, const uint32_t *idx, const Real *val,
                   size_t n, uint32_t w, size_t lo, size_t B, size_t tb,
                   Real *out) {
  Real acc[kEventTapsMax] = {};
  for (size_t e = 0; e < n; ++e) {
    const size_t j0 = size_t(idx[e]) + lo;
    if (j0 >= tb)
      break; // events are sorted: the rest arrive after the last step
    const Real v = val[e];
    for (uint32_t i = 0; i < w; ++i) {
      const size_t j = j0 + size_t(i) * B;
      if (j >= tb)
        break;
      acc[i] += g[j] * v;
    }
  }
  for (uint32_t i = 0; i < w; ++i)
    out[i] = acc[i];
}

/// Four dot products sharing `g`: out[q] = sum_j g[j] * x[q][j], each with
/// the 16-lane order of dot(), reading g once instead of four times.
template <typename Real>
inline void dot4Impl(const Real *__restrict g, const Real *const x[4],
                     size_t n, Real out[4]) {
  constexpr size_t L = 16;
  Real part[4][L] = {};
  const Real *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  size_t i = 0;
  for (; i + L <= n; i += L)
    for (size_t l = 0; l < L; ++l) {
      Real gv = g[i + l];
      part[0][l] += gv * x0[i + l];
      part[1][l] += gv * x1[i + l];
      part[2][l] += gv * x2[i + l];
      part[3][l] += gv * x3[i + l];
    }
  for (int q = 0; q < 4; ++q) {
    Real tail = 0;
    for (size_t j = i; j < n; ++j)
      tail += g[j] * x[q][j];
    for (size_t w = L / 2; w > 0; w /= 2)
      for (size_t l = 0; l < w; ++l)
        part[q][l] += part[q][l + w];
    out[q] = part[q][0] + tail;
  }
}
SNNRT_CLONES void dot4(const float *g, const float *const x[4], size_t n,
                       float out[4]) {
  dot4Impl(g, x, n, out);
}
void dot4(const double *g, const double *const x[4], size_t n,
          double out[4]) {
  dot4Impl(g, x, n, out);
}

/// Columns of a row processed together by the synapse-wise kernels, so the
/// target row's slice stays in L1 while every synapse of the row adds to it.
constexpr size_t kBlock = 2048;

} // namespace

/// The spectral strategy's FFT cost per signal, in streamed multiply-adds
/// per N log2 N (LaneFft on the bench network: ~0.2 us per signal of 128).
constexpr double kFftCost = 6.0;

/// Spectra larger than this are written with streaming stores (spectraOf):
/// about half the last-level cache of the 2-core machines we measure on.
constexpr size_t kStreamSpectrumBytes = size_t(16) << 20;

template <typename Real> struct PopState {
  const Population *pop = nullptr;
  uint32_t n = 0;
  /// Per-neuron decay factors and thresholds ([n]; SNN-F6, SNN-F7, SNN-F8),
  /// filled for uniform populations too so every loop reads element i.
  std::vector<Real> beta, betaSyn, theta;
  bool isInput = false, isLif = false, hasBn = false, hasSyn = false;
  bool needsGrad = false;
  std::vector<int> incoming; ///< projection indices
  /// Per neuron (EngineOptions::skipUnobserved; all 1 without it): `fwd`
  /// its update runs (it has outgoing synapses, or is an output), `bwd` its
  /// gradient can be non-zero (a path of synapses to the output), `fed` its
  /// input is not identically 0 (incoming synapses).
  std::vector<uint8_t> fwd, bwd, fed;
  /// Rows of `out` known to be all 0 (a silent neuron's, written once and
  /// kept while it stays silent and the batch size does not change).
  std::vector<uint8_t> outZero;
  bool allBwd = true;
  /// Some incoming projection reads every row of dL/dI (dense taps).
  bool denseIncoming = false;
  // Forward storage, [n][T][B].
  std::vector<Real> cur, syn, v, out;
  std::vector<Real> dropMask; ///< [n][B], empty when no dropout is applied
  std::vector<Real> bnMean, bnInvStd;
  std::vector<double> runMean, runVar;
  /// The last training forward's batch statistics in double (mean, biased
  /// variance), for data-parallel training (Engine::batchNormStats).
  std::vector<double> batchMean, batchVar;
  // Events of `out` per neuron (index t*B+b, value), when sparse: counted
  // for every batch, listed only when a projection reads them (fillEvents).
  bool sparse = false, eventsListed = false;
  std::vector<size_t> evCount;
  std::vector<std::vector<uint32_t>> evIdx;
  std::vector<std::vector<Real>> evVal;
  // Backward. gOutPending: gOut is 0 but not yet written (the first
  // projection that writes all of it assigns instead of adding).
  std::vector<Real> gOut, g;
  bool gOutPending = false;
  /// gOut deferred: the spectrum of dL/dx that this population's one
  /// reader, a spectral projection, left untransformed ([2F][n][B] with
  /// part gOutPart, plan gOutFft); populationBackward transforms each row
  /// just before using it, so gOut itself is never written or read back.
  bool gOutDeferred = false;
  std::vector<Real> gOutSpec;
  std::shared_ptr<const LaneFft<Real>> gOutFft;
  size_t gOutPart = 0;
  int outgoing = 0; ///< projections that read this population
  int biasParam = -1, gammaParam = -1, betaParam = -1;
  int biasSynParam = -1; ///< SNN-F8 synaptic bias, when the model has one
};

template <typename Real> struct ProjState {
  const Projection *proj = nullptr;
  int src = -1, tgt = -1;
  uint32_t rows = 0, cols = 0, dmax = 1;
  std::vector<uint32_t> synRow, synCol; ///< present synapses, row-major
  std::vector<size_t> modelIdx;         ///< index in the model arrays
  std::vector<Real> sign;
  std::vector<uint64_t> rowStart;       ///< [rows+1]
  std::vector<uint64_t> colStart;       ///< [cols+1]
  std::vector<uint32_t> colSyn;         ///< synapses by source, then target
  std::vector<int32_t> fixedDelay;      ///< from `delays`, or zeros
  int weightParam = -1, posParam = -1;
  // Per forward: taps of every synapse.
  bool dcls = false;
  std::vector<uint32_t> tapLo, tapCnt;
  std::vector<uint64_t> tapOff;
  std::vector<Real> ghat, K, gK, delta, width, weff;
  bool dense = false;
  uint32_t kmin = 0, kmax = 0;
  std::vector<Real> Kd, gKd; ///< [kmax-kmin+1][rows][cols]
  std::vector<uint8_t> tapUsed;
  std::string strategy;
  // Spectral strategy (a dense projection computed through a real DFT of
  // length N over time; see spectralForward). Spectra are stored
  // [j][neuron][sample] with j = 2f (real part) or 2f + 1 (imaginary), so
  // that frequency f is one contiguous [2 n][B] block, the stacked
  // [Re; Im] operand of a real product.
  bool spectral = false;
  uint32_t dftT = 0, dftKmin = 0, dftKmax = 0; ///< what fft was made for
  std::shared_ptr<const LaneFft<Real>> fft;       ///< over time
  std::vector<Real> dftTaps;    ///< [2F][nk]: K[k] -> K_f
  std::vector<Real> dftLags; ///< [nk][2F]: spectrum of a correlation -> lag k
  std::vector<Real> Xh; ///< source spectrum [2F][cols][B], kept for backward
  /// The target's dL/dI already transformed (into scratchC, lineAligned)
  /// by populationBackward as it wrote each row: spectralBackward skips it.
  bool gSpectrumReady = false;
  /// The kernel's spectrum [2F][rows][cols] (real, imaginary parts), and
  /// per frequency Re K + Im K and Re K - Im K ([F][rows][cols]): the
  /// operands of Gauss's three-product complex multiplication.
  std::vector<Real> Kf, KfSum, KfDiff;
};

template <typename Real> struct Engine<Real>::Impl {
  Model model;
  EngineOptions opt;
  std::vector<ParamTensor<Real>> params;
  std::vector<PopState<Real>> pops;
  std::vector<ProjState<Real>> projs;
  std::vector<int> order;
  int inputPop = -1, outputPop = -1;
  uint32_t T = 0, B = 0;
  bool training = false;
  double sigma = 0;
  uint64_t dropoutSeed = 1;
  // Loss state.
  std::vector<Real> prob;   ///< softmax(U[t]) [k][T][B]
  std::vector<double> mSum; ///< [B][K]
  bool probFresh = false;   ///< prob/mSum are of the last forward()

  size_t TB() const { return size_t(T) * B; }
  int threads() const { return std::max(1, opt.threads); }
  /// Threads for a loop touching `elements` values: one below a size where
  /// waking and joining a team costs more than it saves (on a loaded
  /// machine a spinning team is far worse than none).
  int threadsFor(size_t elements) const {
    return elements >= (size_t(1) << 17) ? threads() : 1;
  }

  Status init(const Model &m, const EngineOptions &o);
  void buildTaps(ProjState<Real> &pj);
  /// Adds the projection's current to the target's (assign: writes it;
  /// only spectral projections, which write every row, are asked to).
  void projectionForward(ProjState<Real> &pj, bool assign = false);
  void projectionBackward(ProjState<Real> &pj);
  void populationForward(PopState<Real> &ps, int index, bool updateStats);
  void populationBackward(PopState<Real> &ps);
  void buildEvents(PopState<Real> &ps);
  void fillEvents(PopState<Real> &ps);
  void decideEvents(PopState<Real> &ps);
  void buildSynapses(ProjState<Real> &pj);
  void updateActivity();
  /// Sizes `out` for this batch; a new size forgets which rows are 0.
  void prepareOut(PopState<Real> &ps) const {
    const size_t size = size_t(ps.n) * TB();
    if (ps.out.size() != size || ps.outZero.size() != ps.n)
      ps.outZero.assign(ps.n, 0);
    ps.out.resize(size);
  }
  /// A silent neuron's output row: zeros, written only when it held spikes.
  void zeroOutRow(PopState<Real> &ps, size_t i) const {
    if (ps.outZero[i])
      return;
    std::fill_n(ps.out.data() + i * TB(), TB(), Real(0));
    ps.outZero[i] = 1;
  }
  void spectralSetup(ProjState<Real> &pj);
  void spectralForward(ProjState<Real> &pj, bool assign);
  /// Writes the pending zeros of ps.gOut (its rows that can be non-zero).
  void materializeGOut(PopState<Real> &ps) {
    if (!ps.gOutPending)
      return;
    ps.gOutPending = false;
    const size_t tb = TB();
    for (uint32_t i = 0; i < ps.n; ++i)
      if (ps.bwd[i])
        std::fill_n(ps.gOut.data() + size_t(i) * tb, tb, Real(0));
  }
  void spectralBackward(ProjState<Real> &pj);
  const ProjState<Real> *projectionOf(int weightParam) const {
    for (const auto &pj : projs)
      if (pj.weightParam == weightParam)
        return &pj;
    return nullptr;
  }
  Status slotGradientsAt(const ProjState<Real> &pj,
                         const std::vector<size_t> &slots,
                         const std::function<double(size_t)> &timing,
                         std::vector<Real> &grad) const;
  /// Scratch reused by the spectral strategy (one projection at a time).
  std::vector<Real> scratchA, scratchC, scratchD;
  /// LaneFft work space, one slice per thread; the same for the sums and
  /// differences of spectra the spectral products use.
  std::vector<Real> fftWork, gaussWork;
  std::vector<Real> gOutRows; ///< per thread, a deferred gOut's row
  /// One [T][B] row per thread (BatchNorm's output on its way to the neuron).
  std::vector<Real> rowWork;
  /// Transforms every neuron's [T][B] block of `x` (n of them) into
  /// spectra [2F][n][B] (forward) or adds the inverse of such spectra to
  /// them (inverse), the neurons in parallel.
  void spectraOf(const LaneFft<Real> &fft, const Real *x, uint32_t n,
                 Real *spec);
  /// Spectra of n neurons' [T][B] rows are stored per bin f: real parts at
  /// spec + 2 f part (one [n][B] matrix), imaginary ones at + part. The
  /// part is skewed by one cache line past n B: with n B a large power of
  /// two, a neuron's bins would all fall in the same cache set and evict
  /// one another while an FFT reads or writes them.
  size_t specPart(uint32_t n) const {
    return size_t(n) * B + 64 / sizeof(Real);
  }
  /// Whether a spectrum with this part is written with streaming stores: one
  /// far larger than the caches, read back only after every neuron's is
  /// written (LaneFft::forward `stream`).
  static bool streamsSpectrum(const LaneFft<Real> &fft, size_t part) {
    return size_t(fft.bins()) * 2 * part * sizeof(Real) > kStreamSpectrumBytes;
  }
  void addInverseOf(const LaneFft<Real> &fft, const Real *spec, uint32_t n,
                    Real *x, bool accumulate = true);
};

// The present synapses of a projection, from its CSR structure or dense mask,
// in row-major order, and their per-source view for dL/dx. Masked-out slots
// get no entry, so every later loop costs in proportion to the present count
// (SNN-F2: M = 0 contributes nothing). Rebuilt by setPresent on rewiring.
template <typename Real>
void Engine<Real>::Impl::buildSynapses(ProjState<Real> &pj) {
  const Projection &p = *pj.proj;
  pj.synRow.clear();
  pj.synCol.clear();
  pj.modelIdx.clear();
  pj.rowStart.assign(pj.rows + 1, 0);
  for (uint32_t r = 0; r < pj.rows; ++r) {
    if (p.isCsr()) {
      for (uint64_t k = p.rowPtr[r]; k < p.rowPtr[r + 1]; ++k) {
        pj.synRow.push_back(r);
        pj.synCol.push_back(p.colIdx[k]);
        pj.modelIdx.push_back(k);
      }
    } else {
      for (uint32_t c = 0; c < pj.cols; ++c) {
        size_t k = size_t(r) * pj.cols + c;
        if (!p.mask.empty() && !p.mask[k])
          continue;
        pj.synRow.push_back(r);
        pj.synCol.push_back(c);
        pj.modelIdx.push_back(k);
      }
    }
    pj.rowStart[r + 1] = pj.synRow.size();
  }
  size_t ns = pj.synRow.size();
  pj.sign.assign(ns, Real(1));
  pj.fixedDelay.assign(ns, 0);
  for (size_t s = 0; s < ns; ++s) {
    if (!p.signs.empty())
      pj.sign[s] = Real(p.signs[pj.synCol[s]]);
    if (!p.delays.empty())
      pj.fixedDelay[s] = p.delays[pj.modelIdx[s]];
  }
  pj.colStart.assign(pj.cols + 1, 0);
  for (size_t s = 0; s < ns; ++s)
    ++pj.colStart[pj.synCol[s] + 1];
  for (uint32_t c = 0; c < pj.cols; ++c)
    pj.colStart[c + 1] += pj.colStart[c];
  pj.colSyn.resize(ns);
  std::vector<uint64_t> fill(pj.colStart.begin(), pj.colStart.end() - 1);
  for (size_t s = 0; s < ns; ++s) // row-major scan keeps rows increasing
    pj.colSyn[fill[pj.synCol[s]]++] = static_cast<uint32_t>(s);
}

// Which neurons can matter (EngineOptions::skipUnobserved), from the present
// synapses: rebuilt with them. Output neurons always run; gradients flow
// backwards along synapses from them, in reverse topological order.
template <typename Real> void Engine<Real>::Impl::updateActivity() {
  const bool skip = opt.skipUnobserved;
  for (auto &ps : pops) {
    ps.fwd.assign(ps.n, skip ? 0 : 1);
    ps.bwd.assign(ps.n, skip ? 0 : 1);
    ps.fed.assign(ps.n, skip ? 0 : 1);
  }
  if (skip) {
    for (const std::string &name : model.outputs) {
      int o = model.findPopulation(name);
      if (o >= 0)
        std::fill(pops[o].fwd.begin(), pops[o].fwd.end(), 1);
    }
    std::fill(pops[outputPop].bwd.begin(), pops[outputPop].bwd.end(), 1);
    for (const auto &pj : projs)
      for (size_t s = 0; s < pj.synRow.size(); ++s) {
        pops[pj.src].fwd[pj.synCol[s]] = 1;
        pops[pj.tgt].fed[pj.synRow[s]] = 1;
      }
    if (opt.computeAllSpikes)
      for (auto &ps : pops)
        std::fill(ps.fwd.begin(), ps.fwd.end(), 1);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      for (int j : pops[*it].incoming) {
        const auto &pj = projs[j];
        for (size_t s = 0; s < pj.synRow.size(); ++s)
          if (pops[pj.tgt].bwd[pj.synRow[s]])
            pops[pj.src].bwd[pj.synCol[s]] = 1;
      }
  }
  for (auto &ps : pops)
    ps.allBwd = std::all_of(ps.bwd.begin(), ps.bwd.end(),
                            [](uint8_t b) { return b != 0; });
}

template <typename Real>
Status Engine<Real>::Impl::init(const Model &m, const EngineOptions &o) {
  SNNRT_TRY(m.validate());
  model = m;
  opt = o;
  T = m.steps;
  order = m.topologicalOrder();
  pops.resize(model.populations.size());
  for (size_t i = 0; i < pops.size(); ++i) {
    const Population &p = model.populations[i];
    PopState<Real> &ps = pops[i];
    ps.pop = &model.populations[i];
    ps.n = p.size;
    ps.isInput = p.kind == PopulationKind::Input;
    if (ps.isInput) {
      if (inputPop >= 0)
        return Status::error("model has more than one input population ('" +
                             model.populations[inputPop].name + "', '" +
                             p.name + "'); the engine feeds exactly one");
      inputPop = static_cast<int>(i);
      continue;
    }
    ps.isLif = p.kind == PopulationKind::Lif;
    ps.hasSyn = p.tauSyn.has_value();
    ps.beta.resize(p.size);
    ps.theta.resize(p.size);
    if (ps.hasSyn)
      ps.betaSyn.resize(p.size);
    for (uint32_t i = 0; i < p.size; ++i) {
      ps.beta[i] = Real(decayFactor(m.decay, m.dt, p.tauMemOf(i)));
      ps.theta[i] = Real(p.thresholdOf(i));
      if (ps.hasSyn)
        ps.betaSyn[i] = Real(decayFactor(m.decay, m.dt, p.tauSynOf(i)));
    }
    ps.hasBn = p.batchnorm.has_value();
    std::string base = "populations/" + p.name;
    auto addParam = [&](const std::string &name,
                        typename ParamTensor<Real>::Kind kind,
                        const std::vector<float> &src, size_t size) {
      ParamTensor<Real> t;
      t.name = name;
      t.kind = kind;
      t.value.assign(size, Real(0));
      for (size_t k = 0; k < src.size() && k < size; ++k)
        t.value[k] = Real(src[k]);
      t.grad.assign(size, Real(0));
      params.push_back(std::move(t));
      return static_cast<int>(params.size() - 1);
    };
    ps.biasParam = addParam(base + "/bias", ParamTensor<Real>::Kind::Bias,
                            p.bias, p.size);
    // The synaptic bias (SNN-F8) is a parameter, trained like the bias, when
    // the model has one (an empty biasSyn stays absent, so a model without
    // it keeps its format).
    if (!p.biasSyn.empty())
      ps.biasSynParam = addParam(base + "/bias_syn",
                                 ParamTensor<Real>::Kind::Bias, p.biasSyn,
                                 p.size);
    if (ps.hasBn) {
      ps.gammaParam = addParam(base + "/batchnorm/gamma",
                               ParamTensor<Real>::Kind::Gamma,
                               p.batchnorm->gamma, p.size);
      ps.betaParam = addParam(base + "/batchnorm/beta",
                              ParamTensor<Real>::Kind::Beta,
                              p.batchnorm->beta, p.size);
      ps.runMean.assign(p.batchnorm->mean.begin(), p.batchnorm->mean.end());
      ps.runVar.assign(p.batchnorm->var.begin(), p.batchnorm->var.end());
    }
  }
  if (inputPop < 0)
    return Status::error("model has no input population");
  outputPop = m.findPopulation(m.outputs.front());

  projs.resize(model.projections.size());
  for (size_t i = 0; i < projs.size(); ++i) {
    const Projection &p = model.projections[i];
    ProjState<Real> &pj = projs[i];
    pj.proj = &model.projections[i];
    pj.src = m.findPopulation(p.source);
    pj.tgt = m.findPopulation(p.target);
    pj.rows = model.populations[pj.tgt].size;
    pj.cols = model.populations[pj.src].size;
    pj.dmax = p.maxDelay;
    pops[pj.tgt].incoming.push_back(static_cast<int>(i));
    ++pops[pj.src].outgoing;
    buildSynapses(pj);

    ParamTensor<Real> w;
    w.name = "projections/" + p.name + "/weights";
    w.kind = ParamTensor<Real>::Kind::Weight;
    w.value.assign(p.weights.begin(), p.weights.end());
    w.grad.assign(p.weights.size(), Real(0));
    w.present.assign(p.weights.size(), 0);
    for (size_t s = 0; s < pj.modelIdx.size(); ++s)
      w.present[pj.modelIdx[s]] = 1;
    params.push_back(std::move(w));
    pj.weightParam = static_cast<int>(params.size() - 1);
    if (p.hasPositions()) {
      ParamTensor<Real> q;
      q.name = "projections/" + p.name + "/positions";
      q.kind = ParamTensor<Real>::Kind::Position;
      q.value.assign(p.positions.begin(), p.positions.end());
      q.grad.assign(p.positions.size(), Real(0));
      params.push_back(std::move(q));
      pj.posParam = static_cast<int>(params.size() - 1);
      sigma = p.sigma;
    }
  }
  // A population needs gradients of its output when some path leads from it
  // to a parameter; every non-input population has parameters (its bias).
  for (auto &ps : pops)
    ps.needsGrad = !ps.isInput;
  updateActivity();
  return Status::ok();
}

// SNN-F2/F3/F4: the taps of every present synapse for this forward pass.
template <typename Real>
void Engine<Real>::Impl::buildTaps(ProjState<Real> &pj) {
  const Projection &p = *pj.proj;
  size_t ns = pj.synRow.size();
  const std::vector<Real> &w = params[pj.weightParam].value;
  pj.dcls = training && pj.posParam >= 0;
  pj.tapLo.resize(ns);
  pj.tapCnt.resize(ns);
  pj.tapOff.resize(ns + 1);
  pj.weff.resize(ns);
  pj.delta.assign(pj.dcls ? ns : 0, Real(0));
  Real h = Real((p.maxDelay - 1.0) / 2.0);
  Real width = kernels::dclsWidth(Real(sigma));
  double radius = opt.truncationRadius;
  pj.tapOff[0] = 0;
  for (size_t s = 0; s < ns; ++s) {
    pj.weff[s] = pj.sign[s] * w[pj.modelIdx[s]];
    if (pj.dcls) {
      Real delta = h - params[pj.posParam].value[pj.modelIdx[s]];
      pj.delta[s] = delta;
      // Taps within radius * width (SNN-F3); outside [0, Dmax-1] the
      // nearest tap alone. Shared with the CUDA kernels.
      int lo, hi;
      kernels::dclsTapRange(double(delta), double(width), radius,
                            int(pj.dmax), lo, hi);
      pj.tapLo[s] = uint32_t(lo);
      pj.tapCnt[s] = uint32_t(hi - lo + 1);
    } else {
      int32_t d = pj.fixedDelay[s];
      if (pj.posParam >= 0) { // SNN-F4, recomputed as positions change
        double dd = std::nearbyint(
            double(h) - double(params[pj.posParam].value[pj.modelIdx[s]]));
        d = int32_t(std::clamp(dd, 0.0, double(pj.dmax - 1)));
      }
      pj.tapLo[s] = uint32_t(d);
      pj.tapCnt[s] = 1;
    }
    pj.tapOff[s + 1] = pj.tapOff[s] + pj.tapCnt[s];
  }
  size_t nt = pj.tapOff[ns];
  pj.ghat.resize(nt);
  pj.K.resize(nt);
  for (size_t s = 0; s < ns; ++s) {
    Real *gh = pj.ghat.data() + pj.tapOff[s];
    if (!pj.dcls) {
      gh[0] = Real(1);
    } else {
      Real sum = 0;
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i) {
        gh[i] = kernels::dclsTap(Real(pj.tapLo[s] + i), pj.delta[s], width);
        sum += gh[i];
      }
      Real inv = Real(1) / (sum + Real(kernels::kDclsEps));
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i)
        gh[i] *= inv;
    }
    for (uint32_t i = 0; i < pj.tapCnt[s]; ++i)
      pj.K[pj.tapOff[s] + i] = pj.weff[s] * gh[i];
  }
  // Choose the cheaper way to apply the taps.
  uint32_t kmin = pj.dmax, kmax = 0;
  for (size_t s = 0; s < ns; ++s) {
    kmin = std::min(kmin, pj.tapLo[s]);
    kmax = std::max(kmax, pj.tapLo[s] + pj.tapCnt[s] - 1);
  }
  if (ns == 0)
    kmin = kmax = 0;
  kmax = std::min(kmax, T ? T - 1 : 0);
  kmin = std::min(kmin, kmax);
  pj.kmin = kmin;
  pj.kmax = kmax;
  const PopState<Real> &src = pops[pj.src];
  // Forward and dL/dK each touch every event (a scattered access, costed
  // eventCost streamed multiply-adds) or every column once per tap.
  double sparseWork = 0;
  for (size_t s = 0; s < ns; ++s)
    sparseWork +=
        2.0 * double(pj.tapCnt[s]) *
        (src.sparse ? opt.eventCost * double(src.evCount[pj.synCol[s]])
                    : double(TB()));
  // The backward pass of a sparse source still touches every (t, b) of
  // dL/dx, so compare forward+backward work.
  double sparseTotal = sparseWork + (src.needsGrad ? double(nt) * TB() : 0);
  double denseTotal = double(kmax - kmin + 1) * pj.rows * pj.cols * TB() *
                      (src.needsGrad ? 3.0 : 2.0) / opt.gemmSpeedup;
  // Spectral: a real DFT of length N >= T + kmax turns the sum over taps
  // into one complex product per frequency (F = N/2 + 1 of them, 4 real
  // multiply-adds each) whatever the number of live taps; the source, the
  // current and their gradients are transformed by FFTs (about
  // kFftCost N log2 N streamed multiply-adds per signal, measured).
  const double N = double(LaneFft<Real>::fastLength(T + kmax)),
               F = std::floor(N / 2) + 1;
  const double rc = double(pj.rows) * pj.cols, gradX = src.needsGrad ? 1 : 0;
  const double fftPerSignal = kFftCost * N * std::log2(N);
  double spectralTotal =
      fftPerSignal * B * (pj.cols + 2.0 * pj.rows + gradX * pj.cols) +
      (4 * F * rc * B * (2 + gradX) + 2 * (2 * F) * (kmax - kmin + 1) * rc) /
          opt.gemmSpeedup;
  pj.spectral = false;
  switch (opt.strategy) {
  case ProjectionStrategy::DenseTaps:
    pj.dense = true;
    break;
  case ProjectionStrategy::Spectral:
    pj.dense = pj.spectral = true;
    break;
  case ProjectionStrategy::Sparse:
    pj.dense = false;
    break;
  default:
    // A CSR projection is sparse by construction: its synapse-wise kernels
    // never build the dense [taps][rows][cols] matrices (memory in
    // proportion to the synapses kept, docs/sparse-training.md, "CSR").
    if (p.isCsr()) {
      pj.dense = false;
      break;
    }
    pj.dense = denseTotal < sparseTotal;
    // Only for learned DCLS kernels: integer delays keep their one tap per
    // synapse (docs/semantics.md, "Cost"), and their exact sums.
    if (pj.dcls && spectralTotal < std::min(denseTotal, sparseTotal))
      pj.dense = pj.spectral = true;
  }
  if (!pj.dense)
    fillEvents(pops[pj.src]);
  pj.strategy = pj.spectral ? "spectral"
                : pj.dense  ? "dense-taps"
                            : (src.sparse ? "sparse-events" : "sparse");
  if (pj.dense) {
    size_t nk = kmax - kmin + 1, rc = size_t(pj.rows) * pj.cols;
    pj.Kd.assign(nk * rc, Real(0));
    pj.tapUsed.assign(nk, 0);
    for (size_t s = 0; s < ns; ++s)
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i) {
        uint32_t k = pj.tapLo[s] + i;
        if (k > kmax)
          continue; // a tap beyond the last step never reaches the target
        size_t at = (k - kmin) * rc + size_t(pj.synRow[s]) * pj.cols +
                    pj.synCol[s];
        pj.Kd[at] = pj.K[pj.tapOff[s] + i];
        pj.tapUsed[k - kmin] = 1;
      }
  }
}

// SNN-F2: I_b[t] += sum_a sum_k K_ba[k] x_a[t-k].
template <typename Real>
void Engine<Real>::Impl::projectionForward(ProjState<Real> &pj, bool assign) {
  PopState<Real> &src = pops[pj.src];
  PopState<Real> &tgt = pops[pj.tgt];
  const size_t tb = TB();
  Real *I = tgt.cur.data();
  const Real *X = src.out.data();
  const int nt = threadsFor(pj.tapOff.back() * tb);
  if (pj.spectral) {
    spectralForward(pj, assign);
    return;
  }
  if (pj.dense) {
    for (uint32_t k = pj.kmin; k <= pj.kmax; ++k) {
      if (!pj.tapUsed[k - pj.kmin])
        continue;
      size_t kb = size_t(k) * B;
      gemmBlocks(threads(), CblasNoTrans, CblasNoTrans, int(pj.rows),
                 int(tb - kb), int(pj.cols), Real(1),
                 pj.Kd.data() + size_t(k - pj.kmin) * pj.rows * pj.cols,
                 int(pj.cols), X, int(tb), Real(1), I + kb, int(tb));
    }
    return;
  }
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
  for (int64_t r = 0; r < int64_t(pj.rows); ++r) {
    Real *In = I + size_t(r) * tb;
    if (src.sparse) {
      for (uint64_t s = pj.rowStart[r]; s < pj.rowStart[r + 1]; ++s) {
        const auto &idx = src.evIdx[pj.synCol[s]];
        const auto &val = src.evVal[pj.synCol[s]];
        eventTapsForward(In, idx.data(), val.data(), idx.size(),
                         pj.K.data() + pj.tapOff[s], pj.tapCnt[s],
                         size_t(pj.tapLo[s]) * B, B, tb);
      }
      continue;
    }
    for (size_t j0 = 0; j0 < tb; j0 += kBlock) {
      size_t j1 = std::min(tb, j0 + kBlock);
      for (uint64_t s = pj.rowStart[r]; s < pj.rowStart[r + 1]; ++s) {
        const Real *xa = X + size_t(pj.synCol[s]) * tb;
        const Real *Ks = pj.K.data() + pj.tapOff[s];
        const uint32_t w = pj.tapCnt[s];
        // Columns j >= hi see every tap; [lo, hi) only some of them.
        size_t lo = size_t(pj.tapLo[s]) * B, hi = lo + size_t(w - 1) * B;
        for (uint32_t i = 0; i + 1 < w; ++i) {
          size_t kb = lo + size_t(i) * B;
          size_t a = std::max(j0, kb), b = std::min(j1, hi);
          if (a < b)
            axpy(In + a, xa + (a - kb), Ks[i], b - a);
        }
        size_t a = std::max(j0, hi);
        if (a < j1) {
          if (w == 1)
            axpy(In + a, xa + (a - lo), Ks[0], j1 - a);
          else
            taps(In + a, xa + (a - lo), Ks, w, -ptrdiff_t(B), j1 - a);
        }
      }
    }
  }
}

template <typename Real>
void Engine<Real>::Impl::projectionBackward(ProjState<Real> &pj) {
  PopState<Real> &src = pops[pj.src];
  PopState<Real> &tgt = pops[pj.tgt];
  const size_t tb = TB();
  const Real *G = tgt.g.data(); // dL/dI of the target
  const Real *X = src.out.data();
  const bool needX = src.needsGrad;
  if (needX && !pj.spectral)
    materializeGOut(src); // the kernels below add to it
  Real *GX = needX ? src.gOut.data() : nullptr;
  size_t ns = pj.synRow.size();
  pj.gK.assign(pj.K.size(), Real(0));
  const int nt = threadsFor(pj.tapOff.back() * tb);
  if (pj.dense) {
    size_t rc = size_t(pj.rows) * pj.cols;
    pj.gKd.assign(pj.Kd.size(), Real(0));
    if (pj.spectral)
      spectralBackward(pj);
    // dL/dK_k = G[:, kB:] X[:, :TB-kB]^T, one product per tap (each its
    // own output, so the taps run in parallel).
    const int taps = pj.spectral ? 0 : int(pj.kmax - pj.kmin + 1);
#pragma omp parallel for num_threads(taps > 1 ? threads() : 1)                 \
    schedule(dynamic, 1)
    for (int i = 0; i < taps; ++i) {
      if (!pj.tapUsed[i])
        continue;
      size_t kb = size_t(pj.kmin + i) * B;
      gemm(CblasNoTrans, CblasTrans, int(pj.rows), int(pj.cols), int(tb - kb),
           Real(1), G + kb, int(tb), X, int(tb), Real(0),
           pj.gKd.data() + size_t(i) * rc, int(pj.cols));
    }
    // dL/dX[:, :TB-kB] += K_k^T G[:, kB:]
    for (uint32_t k = pj.kmin; !pj.spectral && needX && k <= pj.kmax; ++k) {
      if (!pj.tapUsed[k - pj.kmin])
        continue;
      size_t kb = size_t(k) * B;
      const Real *Kk = pj.Kd.data() + size_t(k - pj.kmin) * rc;
      gemmBlocks(threads(), CblasTrans, CblasNoTrans, int(pj.cols),
                 int(tb - kb), int(pj.rows), Real(1), Kk, int(pj.cols), G + kb,
                 int(tb), Real(1), GX, int(tb));
    }
    for (size_t s = 0; s < ns; ++s)
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i) {
        uint32_t k = pj.tapLo[s] + i;
        if (k > pj.kmax)
          continue;
        pj.gK[pj.tapOff[s] + i] =
            pj.gKd[(k - pj.kmin) * rc + size_t(pj.synRow[s]) * pj.cols +
                   pj.synCol[s]];
      }
  } else {
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
    for (int64_t r = 0; r < int64_t(pj.rows); ++r) {
      if (!tgt.bwd[r])
        continue; // dL/dI is 0 there: gK stays 0
      const Real *Gn = G + size_t(r) * tb;
      for (uint64_t s = pj.rowStart[r]; s < pj.rowStart[r + 1]; ++s) {
        uint32_t a = pj.synCol[s];
        uint32_t first = 0; // taps done by the fused paths below
        if (src.sparse && pj.tapCnt[s] <= kEventTapsMax) {
          const auto &idx = src.evIdx[a];
          eventTapsGrad(Gn, idx.data(), src.evVal[a].data(), idx.size(),
                        pj.tapCnt[s], size_t(pj.tapLo[s]) * B, B, tb,
                        pj.gK.data() + pj.tapOff[s]);
          first = pj.tapCnt[s];
        } else if (!src.sparse) {
          // Groups of four taps: dL/dK_i = sum_{J >= kb_i} G[J] x[J - kb_i];
          // the common range J >= kb of the group's last tap is fused, the
          // few columns before it are added per tap.
          const Real *xa = X + size_t(a) * tb;
          for (; first + 4 <= pj.tapCnt[s]; first += 4) {
            size_t kb0 = size_t(pj.tapLo[s] + first) * B;
            size_t kbMax = kb0 + 3 * size_t(B);
            if (kbMax >= tb)
              break;
            const Real *xs[4];
            Real out[4];
            for (int q = 0; q < 4; ++q)
              xs[q] = xa + (kbMax - (kb0 + size_t(q) * B));
            dot4(Gn + kbMax, xs, tb - kbMax, out);
            for (int q = 0; q < 4; ++q) {
              size_t kb = kb0 + size_t(q) * B;
              out[q] += dot(Gn + kb, xa, kbMax - kb);
              pj.gK[pj.tapOff[s] + first + q] = out[q];
            }
          }
        }
        for (uint32_t i = first; i < pj.tapCnt[s]; ++i) {
          size_t kb = size_t(pj.tapLo[s] + i) * B;
          Real acc = 0;
          if (src.sparse) {
            const auto &idx = src.evIdx[a];
            const auto &val = src.evVal[a];
            for (size_t e = 0; e < idx.size(); ++e) {
              size_t j = idx[e] + kb;
              if (j >= tb)
                break;
              acc += Gn[j] * val[e];
            }
          } else if (kb < tb) {
            acc = dot(Gn + kb, X + size_t(a) * tb, tb - kb);
          }
          pj.gK[pj.tapOff[s] + i] = acc;
        }
      }
    }
    if (needX) {
#pragma omp parallel for num_threads(nt) schedule(dynamic, 4)
      for (int64_t a = 0; a < int64_t(pj.cols); ++a) {
        Real *gx = GX + size_t(a) * tb;
        for (size_t j0 = 0; j0 < tb; j0 += kBlock) {
          const size_t j1 = std::min(j0 + kBlock, tb);
          for (uint64_t c = pj.colStart[a]; c < pj.colStart[a + 1]; ++c) {
            uint32_t s = pj.colSyn[c];
            if (!tgt.bwd[pj.synRow[s]])
              continue;
            const Real *Gn = G + size_t(pj.synRow[s]) * tb;
            const Real *Ks = pj.K.data() + pj.tapOff[s];
            const uint32_t w = pj.tapCnt[s];
            // gx[j] += sum_i K_i G[j + kb_i] where j + kb_i < tb: columns
            // below fullEnd see every tap, later ones only the shorter.
            size_t lo = size_t(pj.tapLo[s]) * B, hi = lo + size_t(w - 1) * B;
            size_t fullEnd = hi < tb ? tb - hi : 0;
            size_t e = std::min(j1, fullEnd);
            if (j0 < e) {
              if (w == 1)
                axpy(gx + j0, Gn + lo + j0, Ks[0], e - j0);
              else
                taps(gx + j0, Gn + lo + j0, Ks, w, ptrdiff_t(B), e - j0);
            }
            for (uint32_t i = 0; i < w; ++i) {
              size_t kb = lo + size_t(i) * B;
              if (kb >= tb)
                break;
              size_t from = std::max(j0, fullEnd), to = std::min(j1, tb - kb);
              if (from < to)
                axpy(gx + from, Gn + kb + from, Ks[i], to - from);
            }
          }
        }
      }
    }
  }
  // Chain rule from taps to parameters (SNN-F3; docs/reference.md §1 gives
  // the same expressions in the paper's coordinates).
  ParamTensor<Real> &W = params[pj.weightParam];
  Real width = kernels::dclsWidth(Real(sigma));
  Real invW2 = Real(1) / (width * width);
  for (size_t s = 0; s < ns; ++s) {
    const Real *gk = pj.gK.data() + pj.tapOff[s];
    const Real *gh = pj.ghat.data() + pj.tapOff[s];
    Real gw = 0;
    for (uint32_t i = 0; i < pj.tapCnt[s]; ++i)
      gw += gk[i] * gh[i];
    W.grad[pj.modelIdx[s]] += pj.sign[s] * gw;
    if (pj.dcls) {
      Real mean = 0; // sum_m ghat_m (m - delta)
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i)
        mean += gh[i] * (Real(pj.tapLo[s] + i) - pj.delta[s]);
      Real gd = 0;
      for (uint32_t i = 0; i < pj.tapCnt[s]; ++i)
        gd += gk[i] * gh[i] *
              ((Real(pj.tapLo[s] + i) - pj.delta[s]) - mean);
      gd *= pj.weff[s] * invW2;
      // delta = h - p, so dL/dp = -dL/ddelta.
      params[pj.posParam].grad[pj.modelIdx[s]] -= gd;
    }
  }
}

template <typename Real>
void Engine<Real>::Impl::spectraOf(const LaneFft<Real> &fft, const Real *x,
                                   uint32_t n, Real *spec) {
  const size_t part = specPart(n), work = fft.workSize(B);
  const int nt = threadsFor(size_t(n) * TB());
  scratchAtLeast(fftWork, work * size_t(nt));
  // A spectrum far larger than the caches is read back only after every
  // neuron's is written: its lines go straight to memory (LaneFft::forward
  // `stream`), instead of being read first and evicted anyway.
  const bool stream = streamsSpectrum(fft, part);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 8)
  for (int64_t i = 0; i < int64_t(n); ++i)
    fft.forward(x + size_t(i) * TB(), T, B, spec + size_t(i) * B, 2 * part,
                part, fftWork.data() + work * size_t(omp_get_thread_num()),
                stream);
}

template <typename Real>
void Engine<Real>::Impl::addInverseOf(const LaneFft<Real> &fft,
                                      const Real *spec, uint32_t n, Real *x,
                                      bool accumulate) {
  const size_t part = specPart(n), work = fft.workSize(B);
  const int nt = threadsFor(size_t(n) * TB());
  scratchAtLeast(fftWork, work * size_t(nt));
#pragma omp parallel for num_threads(nt) schedule(dynamic, 8)
  for (int64_t i = 0; i < int64_t(n); ++i)
    fft.inverse(spec + size_t(i) * B, 2 * part, part, T, B,
                x + size_t(i) * TB(),
                fftWork.data() + work * size_t(omp_get_thread_num()),
                accumulate);
}

// The transforms of the spectral strategy for a length N >= T + kmax: long
// enough that no circular wrap reaches a step t < T of the current (support
// of x * K: [0, T - 1 + kmax]), a lag k <= kmax of the kernel's gradient or
// a step of dL/dx (support [-kmax, T - 1]), so the circular products equal
// the linear ones of SNN-F2 (the smallest such N with a fast FFT). Over
// time: LaneFft; over the taps (nk values, once per batch): small DFT
// matrices. Angles are reduced mod N in integers, in double.
template <typename Real>
void Engine<Real>::Impl::spectralSetup(ProjState<Real> &pj) {
  if (pj.dftT == T && pj.dftKmin == pj.kmin && pj.dftKmax == pj.kmax && pj.fft)
    return;
  const uint32_t N = LaneFft<Real>::fastLength(T + pj.kmax), F = N / 2 + 1,
                 J = 2 * F;
  const uint32_t nk = pj.kmax - pj.kmin + 1;
  pj.dftT = T;
  pj.dftKmin = pj.kmin;
  pj.dftKmax = pj.kmax;
  pj.fft = std::make_shared<const LaneFft<Real>>(N);
  auto angle = [N](uint64_t f, uint64_t t) {
    return 2.0 * kernels::kPi * double((f * t) % N) / double(N);
  };
  // Real signals: X_{N-f} = conj(X_f), so x[t] = (1/N) sum_{f < F} c_f
  // Re(X_f e^{2 pi i f t / N}) with c_0 = c_{N/2} = 1 and c_f = 2 otherwise.
  auto weight = [N](uint32_t f) {
    return (f == 0 || 2 * f == N) ? 1.0 / N : 2.0 / N;
  };
  pj.dftTaps.assign(size_t(J) * nk, Real(0));
  pj.dftLags.assign(size_t(nk) * J, Real(0));
  for (uint32_t f = 0; f < F; ++f)
    for (uint32_t k = pj.kmin; k <= pj.kmax; ++k) {
      double a = angle(f, k);
      size_t i = k - pj.kmin;
      pj.dftTaps[size_t(2 * f) * nk + i] = Real(std::cos(a));
      pj.dftTaps[size_t(2 * f + 1) * nk + i] = Real(-std::sin(a));
      // dL/dK[k] = (1/N) sum_f c_f Re(D_f e^{-2 pi i f k / N}) with
      // D_f = sum_b conj(G_f) X_f (see spectralBackward).
      pj.dftLags[i * J + 2 * f] = Real(weight(f) * std::cos(a));
      pj.dftLags[i * J + 2 * f + 1] = Real(weight(f) * std::sin(a));
    }
}

// Elementwise a + b and b - a of two spectra's parts (Gauss's products).
template <typename Real>
inline void sumAndDiff(const Real *__restrict a, const Real *__restrict b,
                       Real *__restrict sum, Real *__restrict diff, size_t n) {
#pragma omp simd
  for (size_t i = 0; i < n; ++i) {
    sum[i] = a[i] + b[i];
    diff[i] = b[i] - a[i];
  }
}

// SNN-F2 through the DFT: I_f = K_f X_f per frequency, where K_f, X_f are
// the DFTs over taps and steps (convolution theorem). Work: an FFT of each
// neuron's steps (O(N log N) per sample) and per frequency one complex
// product, as Gauss's three real ones: with k1 = (Kr + Ki) Xr,
//   Re I = k1 - Ki (Xr + Xi),  Im I = k1 + Kr (Xi - Xr)
// (3F multiply-adds per synapse and sample, instead of (live taps) x T).
template <typename Real>
void Engine<Real>::Impl::spectralForward(ProjState<Real> &pj, bool assign) {
  spectralSetup(pj);
  const uint32_t rows = pj.rows, cols = pj.cols, F = pj.fft->bins();
  const uint32_t J = 2 * F, nk = pj.kmax - pj.kmin + 1;
  const size_t rc = size_t(rows) * cols;
  const Real *X = pops[pj.src].out.data();
  Real *I = pops[pj.tgt].cur.data();
  // Kernel spectrum [J][rc], its parts' sums and differences.
  pj.Kf.resize(size_t(J) * rc);
  gemmBlocks(threads(), CblasNoTrans, CblasNoTrans, int(J), int(rc), int(nk),
             Real(1), pj.dftTaps.data(), int(nk), pj.Kd.data(), int(rc),
             Real(0), pj.Kf.data(), int(rc));
  // Re K - Im K only for dL/dx (spectralBackward), when the source has one.
  const bool needX = pops[pj.src].needsGrad;
  pj.KfSum.resize(size_t(F) * rc);
  pj.KfDiff.resize(needX ? size_t(F) * rc : 0);
  const int nt = threadsFor(size_t(F) * 2 * rc);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t f = 0; f < int64_t(F); ++f) {
    const Real *re = pj.Kf.data() + size_t(2 * f) * rc, *im = re + rc;
    Real *sum = pj.KfSum.data() + size_t(f) * rc;
    for (size_t i = 0; i < rc; ++i)
      sum[i] = re[i] + im[i];
    if (!needX)
      continue;
    Real *diff = pj.KfDiff.data() + size_t(f) * rc;
    for (size_t i = 0; i < rc; ++i)
      diff[i] = re[i] - im[i];
  }
  // Source spectrum [J][cols][B], kept for the backward pass.
  const size_t cb = size_t(cols) * B, rb = size_t(rows) * B;
  const size_t xPart = specPart(cols), iPart = specPart(rows);
  Real *xh = lineAligned(pj.Xh, size_t(J) * xPart);
  spectraOf(*pj.fft, X, cols, xh);
  // Per frequency, then back to steps t < T, added to the current.
  scratchAtLeast(scratchA, size_t(J) * iPart);
  const size_t work = 2 * cb;
  scratchAtLeast(gaussWork, work * size_t(threads()));
#pragma omp parallel for num_threads(threads()) schedule(dynamic, 1)
  for (int64_t f = 0; f < int64_t(F); ++f) {
    const Real *xr = xh + size_t(2 * f) * xPart, *xi = xr + xPart;
    const Real *kr = pj.Kf.data() + size_t(2 * f) * rc, *ki = kr + rc;
    Real *xs = gaussWork.data() + work * size_t(omp_get_thread_num());
    Real *xd = xs + cb;
    sumAndDiff(xr, xi, xs, xd, cb);
    Real *ir = scratchA.data() + size_t(2 * f) * iPart, *ii = ir + iPart;
    gemm(CblasNoTrans, CblasNoTrans, int(rows), int(B), int(cols), Real(1),
         pj.KfSum.data() + size_t(f) * rc, int(cols), xr, int(B), Real(0), ii,
         int(B));
    std::copy_n(ii, rb, ir);
    gemm(CblasNoTrans, CblasNoTrans, int(rows), int(B), int(cols), Real(-1), ki,
         int(cols), xs, int(B), Real(1), ir, int(B));
    gemm(CblasNoTrans, CblasNoTrans, int(rows), int(B), int(cols), Real(1), kr,
         int(cols), xd, int(B), Real(1), ii, int(B));
  }
  addInverseOf(*pj.fft, scratchA.data(), rows, I, !assign);
}

// Backward of spectralForward. With G_f the DFT of dL/dI, per frequency:
//   dL/dK[k] = sum_t G[t] x[t-k] = (1/N) sum_f c_f Re(D_f e^{-2 pi i f k/N}),
//     D_f = sum_b conj(G_f) X_f: with k1 = (Gr - Gi) Xr',
//     Re D = k1 + Gi (Xr + Xi)',  Im D = k1 + Gr (Xi - Xr)';
//   (dL/dx)_f = conj(K_f)' G_f: with k1 = (Kr - Ki)' Gr,
//     Re = k1 + Ki' (Gr + Gi),  Im = k1 + Kr' (Gi - Gr).
// Fills pj.gKd [nk][rows][cols] and adds dL/dx to the source's gOut.
template <typename Real>
void Engine<Real>::Impl::spectralBackward(ProjState<Real> &pj) {
  const uint32_t rows = pj.rows, cols = pj.cols, F = pj.fft->bins();
  const uint32_t J = 2 * F, nk = pj.kmax - pj.kmin + 1;
  const size_t rc = size_t(rows) * cols, cb = size_t(cols) * B,
               rb = size_t(rows) * B;
  PopState<Real> &src = pops[pj.src];
  const bool needX = src.needsGrad;
  const size_t xPart = specPart(cols), gPart = specPart(rows);
  // The source spectrum where spectralForward put it (pj.Xh not resized
  // since: the same aligned start), the gradient's [J][rows][B].
  const Real *xh = lineAligned(pj.Xh, size_t(J) * xPart);
  Real *gh = lineAligned(scratchC, size_t(J) * gPart);
  if (!pj.gSpectrumReady)
    spectraOf(*pj.fft, pops[pj.tgt].g.data(), rows, gh);
  pj.gSpectrumReady = false;
  // D_f for every frequency [J][rows][cols], and dL/dx's spectrum.
  scratchAtLeast(scratchA, size_t(J) * rc);
  // dL/dx goes back to steps here, or, when this projection alone reads
  // the source and nothing was added to its gOut yet, row by row in the
  // source's populationBackward (gOutDeferred): the spectrum then lives
  // with the source until it is used.
  const bool defer =
      needX && src.gOutPending && src.outgoing == 1 && !src.isInput;
  std::vector<Real> &GXh = defer ? src.gOutSpec : scratchD;
  if (needX)
    scratchAtLeast(GXh, size_t(J) * xPart);
  const size_t work = 2 * cb + 2 * rb;
  scratchAtLeast(gaussWork, work * size_t(threads()));
#pragma omp parallel for num_threads(threads()) schedule(dynamic, 1)
  for (int64_t f = 0; f < int64_t(F); ++f) {
    const Real *xr = xh + size_t(2 * f) * xPart, *xi = xr + xPart;
    const Real *gr = gh + size_t(2 * f) * gPart, *gi = gr + gPart;
    Real *xs = gaussWork.data() + work * size_t(omp_get_thread_num());
    Real *xd = xs + cb, *gs = xd + cb, *gm = gs + rb;
    sumAndDiff(xr, xi, xs, xd, cb);
    sumAndDiff(gi, gr, gs, gm, rb); // gs = Gr + Gi, gm = Gr - Gi
    Real *dre = scratchA.data() + size_t(2 * f) * rc, *dim = dre + rc;
    gemm(CblasNoTrans, CblasTrans, int(rows), int(cols), int(B), Real(1), gm,
         int(B), xr, int(B), Real(0), dim, int(cols));
    std::copy_n(dim, rc, dre);
    gemm(CblasNoTrans, CblasTrans, int(rows), int(cols), int(B), Real(1), gi,
         int(B), xs, int(B), Real(1), dre, int(cols));
    gemm(CblasNoTrans, CblasTrans, int(rows), int(cols), int(B), Real(1), gr,
         int(B), xd, int(B), Real(1), dim, int(cols));
    if (!needX)
      continue;
    const Real *kr = pj.Kf.data() + size_t(2 * f) * rc, *ki = kr + rc;
    Real *xre = GXh.data() + size_t(2 * f) * xPart, *xim = xre + xPart;
    gemm(CblasTrans, CblasNoTrans, int(cols), int(B), int(rows), Real(1),
         pj.KfDiff.data() + size_t(f) * rc, int(cols), gr, int(B), Real(0), xim,
         int(B));
    std::copy_n(xim, cb, xre);
    gemm(CblasTrans, CblasNoTrans, int(cols), int(B), int(rows), Real(1), ki,
         int(cols), gs, int(B), Real(1), xre, int(B));
    // Kr' (Gi - Gr) = -Kr' gm.
    gemm(CblasTrans, CblasNoTrans, int(cols), int(B), int(rows), Real(-1), kr,
         int(cols), gm, int(B), Real(1), xim, int(B));
  }
  gemmBlocks(threads(), CblasNoTrans, CblasNoTrans, int(nk), int(rc), int(J),
             Real(1), pj.dftLags.data(), int(J), scratchA.data(), int(rc),
             Real(0), pj.gKd.data(), int(rc));
  if (defer) {
    src.gOutDeferred = true;
    src.gOutFft = pj.fft;
    src.gOutPart = xPart;
  } else if (needX) {
    addInverseOf(*pj.fft, GXh.data(), cols, src.gOut.data(), !src.gOutPending);
    src.gOutPending = false;
  }
}

template <typename Real>
void Engine<Real>::Impl::buildEvents(PopState<Real> &ps) {
  const size_t tb = TB();
  const int nt = threadsFor(ps.out.size());
  // Per-neuron counts (each summed in order, so the total does not depend
  // on the thread count).
  std::vector<size_t> &count = ps.evCount;
  count.assign(ps.n, 0);
  ps.eventsListed = false;
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t a = 0; a < int64_t(ps.n); ++a) {
    if (!ps.isInput && !ps.fwd[a])
      continue; // silent (populationForward wrote zeros)
    count[a] = countNonZero(ps.out.data() + size_t(a) * tb, tb);
  }
  decideEvents(ps);
}

// From the counts of evCount: whether the population's events are kept as
// lists (fillEvents).
template <typename Real>
void Engine<Real>::Impl::decideEvents(PopState<Real> &ps) {
  const std::vector<size_t> &count = ps.evCount;
  size_t nnz = std::accumulate(count.begin(), count.end(), size_t(0));
  // Event lists pay off when most entries are zero (spikes, spike inputs).
  ps.sparse = opt.spike == SpikeFunction::Heaviside &&
              double(nnz) < 0.25 * double(ps.out.size());
  if (!ps.sparse) {
    ps.evIdx.clear();
    ps.evVal.clear();
  }
}

// The event lists counted by buildEvents, when a projection reads them.
template <typename Real>
void Engine<Real>::Impl::fillEvents(PopState<Real> &ps) {
  if (!ps.sparse || ps.eventsListed)
    return;
  ps.eventsListed = true;
  const size_t tb = TB();
  const int nt = threadsFor(ps.out.size());
  const std::vector<size_t> &count = ps.evCount;
  // Keep the per-neuron lists' capacity from batch to batch.
  ps.evIdx.resize(ps.n);
  ps.evVal.resize(ps.n);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t a = 0; a < int64_t(ps.n); ++a) {
    auto &idx = ps.evIdx[a];
    auto &val = ps.evVal[a];
    idx.resize(count[a]);
    val.resize(count[a]);
    if (count[a] == 0)
      continue;
    const Real *x = ps.out.data() + size_t(a) * tb;
    size_t e = 0;
    for (size_t j = 0; j < tb; ++j)
      if (x[j] != Real(0)) {
        idx[e] = uint32_t(j);
        val[e++] = x[j];
      }
  }
}

/// SNN-F5's running statistics, one step towards a batch's mean and biased
/// variance over `count` values. Rounded to float: the running statistics
/// are model state and model.h5 stores float32, so a resumed run continues
/// from exactly the values an uninterrupted one holds.
template <typename Real>
static void runningStatsStep(PopState<Real> &ps, size_t i, double mean,
                             double var, size_t count) {
  double mom = ps.pop->batchnorm->momentum;
  double unbiased = count > 1 ? var * double(count) / double(count - 1) : var;
  ps.runMean[i] = double(float((1 - mom) * ps.runMean[i] + mom * mean));
  ps.runVar[i] = double(float((1 - mom) * ps.runVar[i] + mom * unbiased));
}

template <typename Real>
void Engine<Real>::Impl::populationForward(PopState<Real> &ps, int index,
                                           bool updateStats) {
  const size_t tb = TB();
  const Population &p = *ps.pop;
  const uint32_t n = ps.n;
  // Rows nobody reads (not fed, not run) keep whatever they held. A
  // spectral projection writes every row: the first one assigns.
  ps.cur.resize(size_t(n) * tb);
  ps.denseIncoming = false;
  bool written = false;
  for (int j : ps.incoming) {
    buildTaps(projs[j]);
    const bool assign = !written && projs[j].spectral;
    if (!written && !assign)
      for (uint32_t i = 0; i < n; ++i)
        if (ps.fed[i] || ps.fwd[i])
          std::fill_n(ps.cur.data() + size_t(i) * tb, tb, Real(0));
    written = true;
    projectionForward(projs[j], assign);
    ps.denseIncoming |= projs[j].dense;
  }
  if (!written)
    for (uint32_t i = 0; i < n; ++i)
      if (ps.fed[i] || ps.fwd[i])
        std::fill_n(ps.cur.data() + size_t(i) * tb, tb, Real(0));
  // Threads for the rows that run: a team woken for a few neurons costs
  // more than it saves.
  const size_t active = size_t(std::count(ps.fwd.begin(), ps.fwd.end(), 1)) +
                        size_t(std::count(ps.fed.begin(), ps.fed.end(), 1));
  const int nt = threadsFor(active / 2 * tb);
  // Every stage below works on one neuron's [T][B] row at a time, all
  // stages of a row in turn while it is in the cache: BatchNorm (its
  // statistics are per neuron), the CuBa filter, the neuron, dropout and
  // the count of its events.
  const Real *cur = ps.cur.data();
  const BatchNorm *bn = ps.hasBn ? &*p.batchnorm : nullptr;
  if (ps.hasBn) {
    ps.bnMean.resize(n);
    ps.bnInvStd.resize(n);
    ps.batchMean.resize(n);
    ps.batchVar.resize(n);
  }
  const Real *gamma = ps.hasBn ? params[ps.gammaParam].value.data() : nullptr;
  const Real *bnBeta = ps.hasBn ? params[ps.betaParam].value.data() : nullptr;
  if (ps.hasSyn)
    ps.syn.resize(n * tb);
  const Real *biasSyn =
      ps.biasSynParam < 0 ? nullptr : params[ps.biasSynParam].value.data();
  const auto &bias = params[ps.biasParam].value;
  const Real alpha = Real(opt.surrogateAlpha);
  const bool hard = p.reset == ResetMode::Hard;
  const LifRule rule = lifRule(p.convention); // SNN-F13
  const bool smooth = opt.spike == SpikeFunction::SmoothArctan;
  // SNN-F12 dropout: one mask per (neuron, sample) for all steps.
  const double rate = p.dropout;
  const bool dropout = ps.isLif && training && rate > 0;
  if (dropout) {
    ps.dropMask.resize(size_t(n) * B);
    uint64_t st = dropoutSeed * 0x2545F4914F6CDD1Dull + uint64_t(index);
    Real keep = Real(1.0 / (1.0 - rate));
    for (auto &m : ps.dropMask) {
      double u = double(splitmix64(st) >> 11) * 0x1.0p-53;
      m = u < rate ? Real(0) : keep;
    }
  } else {
    ps.dropMask.clear();
  }
  // BatchNorm's output lives only while its row is processed: one row of
  // scratch per thread (the backward pass recomputes what it needs).
  if (ps.hasBn)
    scratchAtLeast(rowWork, tb * size_t(nt));
  if (ps.isLif) {
    ps.v.resize(n * tb);
    prepareOut(ps);
    ps.evCount.assign(n, 0);
    ps.eventsListed = false;
  } else {
    ps.out.resize(n * tb);
  }
#pragma omp parallel for num_threads(nt) schedule(dynamic, 8)
  for (int64_t i = 0; i < int64_t(n); ++i) {
    const Real *in = cur + size_t(i) * tb;
    // SNN-F5 BatchNorm.
    if (ps.hasBn) {
      const Real *x = in;
      double mean, var;
      if (training && !ps.fed[i]) {
        mean = var = 0; // the statistics of an input that is 0 throughout
        ps.batchMean[i] = 0;
        ps.batchVar[i] = 0;
        if (updateStats)
          runningStatsStep(ps, size_t(i), 0.0, 0.0, tb);
      } else if (training) {
        mean = sumD(x, tb) / double(tb);
        // Biased, as normalisation uses it.
        var = sqDevD(x, mean, tb) / double(tb);
        ps.batchMean[i] = mean;
        ps.batchVar[i] = var;
        if (updateStats)
          runningStatsStep(ps, size_t(i), mean, var, tb);
      } else {
        mean = ps.runMean[i];
        var = ps.runVar[i];
      }
      Real m = Real(mean), inv = Real(1.0 / std::sqrt(var + bn->eps));
      ps.bnMean[i] = m;
      ps.bnInvStd[i] = inv;
      Real *y = rowWork.data() + tb * size_t(omp_get_thread_num());
      if (ps.fwd[i])
        for (size_t j = 0; j < tb; ++j)
          y[j] = gamma[i] * ((x[j] - m) * inv) + bnBeta[i];
      in = y;
    }
    // SNN-F8 CuBa filter.
    if (ps.hasSyn) {
      Real *J = ps.syn.data() + size_t(i) * tb;
      if (ps.fwd[i]) {
        const Real betaSyn = ps.betaSyn[i];
        const Real bs = biasSyn ? biasSyn[i] : Real(0);
        for (uint32_t b = 0; b < B; ++b)
          J[b] = kernels::leakyNext(Real(0), betaSyn, in[b], bs);
        for (uint32_t t = 1; t < T; ++t)
          for (uint32_t b = 0; b < B; ++b)
            J[size_t(t) * B + b] = kernels::leakyNext(
                J[size_t(t - 1) * B + b], betaSyn, in[size_t(t) * B + b], bs);
      }
      in = J;
    }
    if (!ps.isLif) {
      // SNN-F9 LI: U[t] = beta U[t-1] + I[t] + bias.
      Real *U = ps.out.data() + size_t(i) * tb;
      const Real beta = ps.beta[i];
      for (uint32_t b = 0; b < B; ++b)
        U[b] = kernels::leakyNext(Real(0), beta, in[b], bias[i]);
      for (uint32_t t = 1; t < T; ++t)
        for (uint32_t b = 0; b < B; ++b)
          U[size_t(t) * B + b] = kernels::leakyNext(
              U[size_t(t - 1) * B + b], beta, in[size_t(t) * B + b], bias[i]);
      continue;
    }
    // SNN-F7 LIF.
    if (!ps.fwd[i]) { // no synapse reads it: silent, so values() shows none
      zeroOutRow(ps, size_t(i));
      continue;
    }
    // The spikes go straight to the output row (the backward pass gets them
    // again from V), dropout's mask applied there.
    Real *V = ps.v.data() + size_t(i) * tb;
    Real *S = ps.out.data() + size_t(i) * tb;
    const Real beta = ps.beta[i], theta = ps.theta[i];
    std::vector<Real> vt(B, Real(0));
    if (!smooth) {
      lifForwardRow(hard, rule.resetFirst, rule.strictThreshold, in, V, S,
                    vt.data(), T, B, beta, theta, bias[i]);
    } else {
      for (uint32_t t = 0; t < T; ++t) {
        size_t o = size_t(t) * B;
        for (uint32_t b = 0; b < B; ++b) {
          Real v = vt[b];
          Real sp = kernels::smoothArctanStep(v - theta, alpha);
          V[o + b] = v;
          S[o + b] = sp;
          vt[b] = kernels::lifNext(v, beta, in[o + b], bias[i], sp, theta, hard,
                                   rule.resetFirst);
        }
      }
    }
    ps.outZero[i] = 0;
    if (dropout) {
      const Real *mask = ps.dropMask.data() + size_t(i) * B;
      for (uint32_t t = 0; t < T; ++t) {
        size_t o = size_t(t) * B;
        for (uint32_t b = 0; b < B; ++b)
          S[o + b] = S[o + b] * mask[b];
      }
    }
    ps.evCount[i] = countNonZero(S, tb);
  }
  if (ps.isLif)
    decideEvents(ps);
  else
    ps.sparse = false;
}

template <typename Real>
void Engine<Real>::Impl::populationBackward(PopState<Real> &ps) {
  const size_t tb = TB();
  const Population &p = *ps.pop;
  const uint32_t n = ps.n;
  const int nt =
      threadsFor(size_t(std::count(ps.bwd.begin(), ps.bwd.end(), 1)) * tb);
  const bool deferred = ps.gOutDeferred;
  if (!deferred)
    materializeGOut(ps); // no projection wrote it
  ps.g.resize(n * tb);
  // Each row's memory round trips saved while it is in the cache: a
  // deferred gOut transformed into a per-thread row just before use, and
  // dL/dI transformed for a lone spectral incoming projection just after
  // (its spectralBackward then skips spectraOf).
  ProjState<Real> *fused = ps.incoming.size() == 1 &&
                                   projs[ps.incoming[0]].spectral &&
                                   projs[ps.incoming[0]].fft
                               ? &projs[ps.incoming[0]]
                               : nullptr;
  size_t fftWorkPerThread = 0, gPart = 0;
  Real *gSpec = nullptr;
  bool gStream = false;
  if (deferred) {
    scratchAtLeast(gOutRows, tb * size_t(nt));
    fftWorkPerThread = ps.gOutFft->workSize(B);
  }
  if (fused) {
    const LaneFft<Real> &fft = *fused->fft;
    gPart = specPart(n);
    gSpec = lineAligned(scratchC, size_t(2) * fft.bins() * gPart);
    gStream = streamsSpectrum(fft, gPart);
    fftWorkPerThread = std::max(fftWorkPerThread, fft.workSize(B));
    fused->gSpectrumReady = true;
  }
  scratchAtLeast(fftWork, fftWorkPerThread * size_t(nt));
  // Rows of neurons without a path to the output are 0: written only when
  // a dense-taps projection reads every row (the synapse-wise kernels and
  // slotGradients skip them).
  const bool zeroIdle = ps.denseIncoming;
  auto &gbias = params[ps.biasParam].grad;
  const auto &bias = params[ps.biasParam].value;
  const Real alpha = Real(opt.surrogateAlpha);
  const bool hard = p.reset == ResetMode::Hard;
  const LifRule rule = lifRule(p.convention); // SNN-F13
  const bool resetFirst = rule.resetFirst;
  const bool detach = opt.detachReset;
  const bool smooth = opt.spike == SpikeFunction::SmoothArctan;
  Real *gGamma = ps.hasBn ? params[ps.gammaParam].grad.data() : nullptr;
  Real *gBeta = ps.hasBn ? params[ps.betaParam].grad.data() : nullptr;
  const Real *gamma = ps.hasBn ? params[ps.gammaParam].value.data() : nullptr;
  // One neuron's row at a time through all stages, as in populationForward.
#pragma omp parallel for num_threads(nt) schedule(dynamic, 8)
  for (int64_t i = 0; i < int64_t(n); ++i) {
    Real *work =
        fftWork.data() + fftWorkPerThread * size_t(omp_get_thread_num());
    Real *g = ps.g.data() + size_t(i) * tb;
    if (!ps.bwd[i]) {
      if (zeroIdle || fused)
        std::fill_n(g, tb, Real(0));
      if (fused)
        fused->fft->forward(g, T, B, gSpec + size_t(i) * B, 2 * gPart, gPart,
                            work, gStream);
      continue;
    }
    const Real *go = ps.gOut.data() + size_t(i) * tb;
    if (deferred) {
      Real *row = gOutRows.data() + tb * size_t(omp_get_thread_num());
      ps.gOutFft->inverse(ps.gOutSpec.data() + size_t(i) * B,
                          2 * ps.gOutPart, ps.gOutPart, T, B, row, work,
                          /*accumulate=*/false);
      go = row;
    }
    if (!ps.isLif) {
      // SNN-F9 backward: gU[t] = gOut[t] + beta gU[t+1]; dL/dI[t] = gU[t].
      const Real beta = ps.beta[i];
      size_t last = size_t(T - 1) * B;
      for (uint32_t b = 0; b < B; ++b)
        g[last + b] = go[last + b];
      for (int64_t t = int64_t(T) - 2; t >= 0; --t)
        for (uint32_t b = 0; b < B; ++b)
          g[size_t(t) * B + b] =
              go[size_t(t) * B + b] + beta * g[size_t(t + 1) * B + b];
      Real acc = 0;
      for (size_t j = 0; j < tb; ++j)
        acc += g[j];
      gbias[i] += acc;
    } else {
      const Real *V = ps.v.data() + size_t(i) * tb;
      const Real *mask =
          ps.dropMask.empty() ? nullptr : ps.dropMask.data() + size_t(i) * B;
      const Real beta = ps.beta[i], theta = ps.theta[i];
      std::vector<Real> gnext(B, Real(0)); // dL/dV[t+1]
      // dL/dbias summed per sample, then over samples: one running sum
      // would be a serial chain that keeps the loop over b scalar.
      std::vector<Real> accB(B, Real(0));
      if (detach && !smooth) {
        lifBackwardRow(hard, resetFirst, rule.strictThreshold, go, V, mask, g,
                       gnext.data(), accB.data(), T, B, beta, theta, alpha);
      } else {
        // The neuron's input as the forward pass computed it (SNN-F8 filter,
        // SNN-F5 BatchNorm or the current), for the reset's gradient.
        auto input = [&](size_t j) -> Real {
          if (ps.hasSyn)
            return ps.syn[size_t(i) * tb + j];
          Real c = ps.cur[size_t(i) * tb + j];
          if (!ps.hasBn)
            return c;
          return gamma[i] * ((c - ps.bnMean[i]) * ps.bnInvStd[i]) +
                 params[ps.betaParam].value[i];
        };
        for (int64_t t = int64_t(T) - 1; t >= 0; --t) {
          size_t o = size_t(t) * B;
          for (uint32_t b = 0; b < B; ++b) {
            // The forward pass's spike, again from the membrane it kept.
            Real v = V[o + b];
            Real sp = smooth ? kernels::smoothArctanStep(v - theta, alpha)
                             : kernels::heaviside(v - theta,
                                                  rule.strictThreshold);
            Real gs = go[o + b] * (mask ? mask[b] : Real(1));
            // Gradient checks only: the reset's own gradient. V[t+1] =
            // U (1 - S) or U - theta S, U = beta V + I + bias; with
            // resetFirst (SNN-F13) beta V (1 - S) or beta (V - theta S) + I
            // + bias.
            if (!detach && resetFirst) {
              gs += hard ? -gnext[b] * beta * v : -beta * theta * gnext[b];
            } else if (!detach) {
              Real u = beta * v + input(o + b) + bias[i];
              gs += hard ? -gnext[b] * u : -theta * gnext[b];
            }
            // SNN-F11 (shared with the CUDA kernels): dL/dI[t], and dL/dV[t]
            // with dS/dV replaced by the arctan surrogate.
            Real gu = kernels::lifBackStep(gnext[b], gs, v, sp, beta, theta,
                                           alpha, hard, resetFirst);
            g[o + b] = gu;
            accB[b] += gu;
          }
        }
      }
      Real acc = 0;
      for (uint32_t b = 0; b < B; ++b)
        acc += accB[b];
      gbias[i] += acc;
    }
    // SNN-F8 backward: dL/dA[t] = dL/dJ[t] + beta_syn dL/dA[t+1] (in place).
    if (ps.hasSyn) {
      const Real betaSyn = ps.betaSyn[i];
      for (int64_t t = int64_t(T) - 2; t >= 0; --t)
        for (uint32_t b = 0; b < B; ++b)
          g[size_t(t) * B + b] += betaSyn * g[size_t(t + 1) * B + b];
      // J[t] = beta_syn J[t-1] + A[t] + bias_syn: dL/dbias_syn = sum dL/dA.
      if (ps.biasSynParam >= 0) {
        Real acc = 0;
        for (size_t j = 0; j < tb; ++j)
          acc += g[j];
        params[ps.biasSynParam].grad[i] += acc;
      }
    }
    // SNN-F5 backward.
    if (ps.hasBn) {
      const Real *x = ps.cur.data() + size_t(i) * tb;
      Real m = ps.bnMean[i], inv = ps.bnInvStd[i];
      double sg, sgx;
      bnGradSums(g, x, m, inv, tb, sg, sgx);
      gGamma[i] += Real(sgx);
      gBeta[i] += Real(sg);
      Real scale = gamma[i] * inv;
      if (training) {
        Real mg = Real(sg / double(tb)), mgx = Real(sgx / double(tb));
        for (size_t j = 0; j < tb; ++j) {
          Real xh = (x[j] - m) * inv;
          g[j] = scale * (g[j] - mg - xh * mgx);
        }
      } else {
        for (size_t j = 0; j < tb; ++j)
          g[j] *= scale;
      }
    }
    if (fused)
      fused->fft->forward(g, T, B, gSpec + size_t(i) * B, 2 * gPart, gPart,
                          work, gStream);
  }
  for (int j : ps.incoming)
    projectionBackward(projs[j]);
}

// ---------------------------------------------------------------------------

template <typename Real>
Engine<Real>::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
template <typename Real> Engine<Real>::~Engine() = default;

template <typename Real>
Expected<std::unique_ptr<Engine<Real>>>
Engine<Real>::create(const Model &model, const EngineOptions &options) {
  auto impl = std::make_unique<Impl>();
  Status s = impl->init(model, options);
  if (!s)
    return s;
  // Products are split into fixed blocks on the OpenMP team (gemmBlocks),
  // so the BLAS itself runs on one thread: no second pool of spinning
  // threads on the same cores, and results independent of the thread count.
  openblas_set_num_threads(1);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

template <typename Real>
std::vector<ParamTensor<Real>> &Engine<Real>::params() {
  return impl_->params;
}
template <typename Real>
const std::vector<ParamTensor<Real>> &Engine<Real>::params() const {
  return impl_->params;
}
template <typename Real>
int Engine<Real>::findParam(const std::string &name) const {
  for (size_t i = 0; i < impl_->params.size(); ++i)
    if (impl_->params[i].name == name)
      return int(i);
  return -1;
}
template <typename Real> void Engine<Real>::setTraining(bool t) {
  impl_->training = t;
}
template <typename Real> bool Engine<Real>::training() const {
  return impl_->training;
}
template <typename Real> void Engine<Real>::setSigma(double s) {
  impl_->sigma = s;
}
template <typename Real>
void Engine<Real>::setConvention(NeuronConvention convention) {
  for (Population &p : impl_->model.populations)
    if (p.kind == PopulationKind::Lif)
      p.convention = convention;
}
template <typename Real>
void Engine<Real>::setTimeConstants(const Model &from) {
  Impl &m = *impl_;
  for (size_t i = 0; i < m.pops.size() && i < from.populations.size(); ++i) {
    PopState<Real> &ps = m.pops[i];
    if (ps.isInput)
      continue;
    Population &p = m.model.populations[i];
    const Population &q = from.populations[i];
    p.tauMem = q.tauMem;
    p.tauSyn = q.tauSyn;
    p.tauMemPerNeuron = q.tauMemPerNeuron;
    p.tauSynPerNeuron = q.tauSynPerNeuron;
    for (uint32_t j = 0; j < p.size && j < ps.beta.size(); ++j) {
      ps.beta[j] = Real(decayFactor(m.model.decay, m.model.dt, p.tauMemOf(j)));
      if (ps.hasSyn && j < ps.betaSyn.size())
        ps.betaSyn[j] =
            Real(decayFactor(m.model.decay, m.model.dt, p.tauSynOf(j)));
    }
  }
}
template <typename Real> void Engine<Real>::setDropoutSeed(uint64_t s) {
  impl_->dropoutSeed = s;
}
template <typename Real>
void Engine<Real>::batchNormStats(std::vector<double> &means,
                                  std::vector<double> &vars) const {
  means.clear();
  vars.clear();
  for (const auto &ps : impl_->pops)
    if (ps.hasBn) {
      means.insert(means.end(), ps.batchMean.begin(), ps.batchMean.end());
      vars.insert(vars.end(), ps.batchVar.begin(), ps.batchVar.end());
    }
}

template <typename Real> size_t Engine<Real>::batchNormNeurons() const {
  size_t n = 0;
  for (const auto &ps : impl_->pops)
    if (ps.hasBn)
      n += ps.n;
  return n;
}

/// One mean and one variance per BatchNorm neuron, or an internal error
/// naming the caller.
static Status checkStatsSizes(const char *what,
                              const std::vector<double> &means,
                              const std::vector<double> &vars, size_t n) {
  if (means.size() == n && vars.size() == n)
    return Status::ok();
  return Status::error(std::string(what) + ": " + std::to_string(means.size()) +
                           " means and " + std::to_string(vars.size()) +
                           " variances for " + std::to_string(n) +
                           " BatchNorm neurons",
                       ErrorKind::Internal);
}

template <typename Real>
Status Engine<Real>::updateRunningStats(const std::vector<double> &means,
                                        const std::vector<double> &vars,
                                        size_t count) {
  SNNRT_TRY(
      checkStatsSizes("updateRunningStats", means, vars, batchNormNeurons()));
  size_t o = 0;
  for (auto &ps : impl_->pops)
    if (ps.hasBn)
      for (uint32_t i = 0; i < ps.n; ++i, ++o)
        runningStatsStep(ps, i, means[o], vars[o], count);
  return Status::ok();
}

template <typename Real>
void Engine<Real>::runningStats(std::vector<double> &means,
                                std::vector<double> &vars) const {
  means.clear();
  vars.clear();
  for (const auto &ps : impl_->pops)
    if (ps.hasBn) {
      means.insert(means.end(), ps.runMean.begin(), ps.runMean.end());
      vars.insert(vars.end(), ps.runVar.begin(), ps.runVar.end());
    }
}

template <typename Real>
Status Engine<Real>::setRunningStats(const std::vector<double> &means,
                                     const std::vector<double> &vars) {
  SNNRT_TRY(
      checkStatsSizes("setRunningStats", means, vars, batchNormNeurons()));
  size_t o = 0;
  for (auto &ps : impl_->pops)
    if (ps.hasBn)
      for (uint32_t i = 0; i < ps.n; ++i, ++o) {
        ps.runMean[i] = double(float(means[o]));
        ps.runVar[i] = double(float(vars[o]));
      }
  return Status::ok();
}

template <typename Real> uint32_t Engine<Real>::batchSize() const {
  return impl_->B;
}

template <typename Real>
Status Engine<Real>::setInput(const Dataset &data,
                              const std::vector<size_t> &samples) {
  Impl &m = *impl_;
  const Population &in = m.model.populations[m.inputPop];
  if (data.steps != m.T)
    return Status::error("dataset has " + std::to_string(data.steps) +
                         " steps per sample, the model " + std::to_string(m.T));
  if (data.channels != in.size)
    return Status::error("dataset has " + std::to_string(data.channels) +
                         " channels, input population '" + in.name + "' has " +
                         std::to_string(in.size));
  uint32_t B = uint32_t(samples.size());
  size_t tb = size_t(m.T) * B, C = in.size;
  // Reuse the input buffer's memory from batch to batch.
  std::vector<Real> &x = m.pops[m.inputPop].out;
  Real scale = Real(in.scale); // SNN-F1
  for (size_t n : samples)
    if (n >= data.size())
      return Status::error("sample index " + std::to_string(n) +
                               " out of range",
                           ErrorKind::Internal);
  if (data.kind == InputKind::Frames) {
    x.resize(C * tb); // every value written below
    // Samples in blocks of 16: each sample's frames are read in order, and
    // the T x C output lines the block shares (one float of each per
    // sample) stay in cache while its samples fill them. Step-major order
    // read every sample's frame of step t from a different place, 2.2x
    // slower; sample by sample, a cache miss per value.
    const int nt = m.threadsFor(C * tb);
    const int64_t blocks = (int64_t(B) + 15) / 16;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t k = 0; k < blocks; ++k)
      for (uint32_t b = uint32_t(k) * 16;
           b < std::min(B, uint32_t(k) * 16 + 16); ++b) {
        const float *f = data.frames.data() + samples[b] * m.T * C;
        for (uint32_t t = 0; t < m.T; ++t) {
          Real *xt = x.data() + size_t(t) * B + b;
          for (size_t c = 0; c < C; ++c)
            xt[c * tb] = scale * Real(f[size_t(t) * C + c]);
        }
      }
  } else {
    x.assign(C * tb, Real(0));
    for (uint32_t b = 0; b < B; ++b) {
      size_t n = samples[b];
      for (uint64_t e = data.eventOffsets[n]; e < data.eventOffsets[n + 1]; ++e)
        x[size_t(data.eventChannel[e]) * tb + size_t(data.eventStep[e]) * B +
          b] = scale * Real(data.eventCount[e]);
    }
  }
  m.B = B;
  m.probFresh = false;
  m.buildEvents(m.pops[m.inputPop]); // spike inputs become event lists
  return Status::ok();
}

template <typename Real>
Status Engine<Real>::setInputDense(const std::vector<Real> &x, uint32_t batch) {
  Impl &m = *impl_;
  PopState<Real> &ps = m.pops[m.inputPop];
  if (x.size() != size_t(ps.n) * m.T * batch)
    return Status::error("input has " + std::to_string(x.size()) +
                         " values, expected channels*steps*batch = " +
                         std::to_string(size_t(ps.n) * m.T * batch));
  m.B = batch;
  m.probFresh = false;
  ps.out = x;
  m.buildEvents(ps); // spike inputs become event lists (sparse handling)
  return Status::ok();
}

template <typename Real> void Engine<Real>::forward(bool updateRunningStats) {
  Impl &m = *impl_;
  m.probFresh = false;
  for (int i : m.order)
    if (!m.pops[i].isInput)
      m.populationForward(m.pops[i], i, updateRunningStats);
}

template <typename Real>
double Engine<Real>::loss(const std::vector<int32_t> &labels) {
  Impl &m = *impl_;
  PopState<Real> &ps = m.pops[m.outputPop];
  const uint32_t K = ps.n, B = m.B, T = m.T;
  const size_t tb = m.TB();
  m.prob.resize(size_t(K) * tb);
  m.mSum.assign(size_t(B) * K, 0.0);
  // Samples are independent: each writes its own columns of prob and its
  // row of mSum; the per-sample losses are summed in order afterwards.
  // Blocks of kLanes samples, the samples innermost (contiguous in out and
  // prob); per sample the sums run in the same order as one at a time.
  constexpr uint32_t kLanes = 16;
  std::vector<double> perSample(B, 0.0);
  const int nt = m.threadsFor(size_t(K) * tb * 8);
  const int64_t blocks = (int64_t(B) + kLanes - 1) / kLanes;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
  for (int64_t blk = 0; blk < blocks; ++blk) {
    const uint32_t b0 = uint32_t(blk) * kLanes;
    const uint32_t L = std::min(kLanes, B - b0);
    std::vector<double> ex(size_t(K) * kLanes);
    double mx[kLanes], z[kLanes];
    for (uint32_t t = 0; t < T; ++t) {
      const size_t o = size_t(t) * B + b0;
      std::fill_n(mx, L, -INFINITY);
      std::fill_n(z, L, 0.0);
      for (uint32_t k = 0; k < K; ++k) {
        const Real *v = ps.out.data() + k * tb + o;
        for (uint32_t q = 0; q < L; ++q)
          mx[q] = std::max(mx[q], double(v[q]));
      }
      for (uint32_t k = 0; k < K; ++k) {
        const Real *v = ps.out.data() + k * tb + o;
        double *e = ex.data() + size_t(k) * kLanes;
        for (uint32_t q = 0; q < L; ++q)
          z[q] += e[q] = std::exp(double(v[q]) - mx[q]);
      }
      for (uint32_t k = 0; k < K; ++k) {
        const double *e = ex.data() + size_t(k) * kLanes;
        Real *p = m.prob.data() + k * tb + o;
        for (uint32_t q = 0; q < L; ++q) {
          double pk = e[q] / z[q];
          p[q] = Real(pk);
          m.mSum[size_t(b0 + q) * K + k] += pk;
        }
      }
    }
  }
  for (uint32_t b = 0; b < B; ++b) {
    // SNN-F10: cross-entropy of m taken as logits.
    const double *mb = m.mSum.data() + size_t(b) * K;
    double mx = *std::max_element(mb, mb + K), z = 0;
    for (uint32_t k = 0; k < K; ++k)
      z += std::exp(mb[k] - mx);
    // A label that names no output neuron (a dataset with more classes
    // than the network has outputs, in `snnc run` or `verify`) has no loss
    // term; reading mb[label] would run past this sample's K sums.
    if (size_t(b) < labels.size() && labels[b] >= 0 &&
        uint32_t(labels[b]) < K)
      perSample[b] = -mb[labels[b]] + mx + std::log(z);
  }
  double total = 0;
  for (double l : perSample)
    total += l;
  m.probFresh = true;
  return B ? total / B : 0.0;
}

template <typename Real>
std::vector<int32_t> Engine<Real>::predictions() const {
  const Impl &m = *impl_;
  const uint32_t K = m.pops[m.outputPop].n;
  std::vector<int32_t> out(m.B, 0);
  for (uint32_t b = 0; b < m.B && !m.mSum.empty(); ++b) {
    const double *mb = m.mSum.data() + size_t(b) * K;
    out[b] = int32_t(std::max_element(mb, mb + K) - mb);
  }
  return out;
}

template <typename Real>
void Engine<Real>::backward(const std::vector<int32_t> &labels) {
  Impl &m = *impl_;
  for (auto &p : m.params)
    std::fill(p.grad.begin(), p.grad.end(), Real(0));
  const size_t tb = m.TB();
  for (auto &ps : m.pops)
    if (ps.needsGrad) {
      // Rows without a path to the output are never read.
      ps.gOut.resize(size_t(ps.n) * tb);
      ps.gOutPending = true; // zeros, written by the first to use them
      ps.gOutDeferred = false;
    }
  // The softmax probabilities and m depend on the forward pass only, not
  // on the labels: recomputed only if forward() ran since the last loss().
  if (!m.probFresh)
    loss(labels);
  PopState<Real> &out = m.pops[m.outputPop];
  m.materializeGOut(out);
  const uint32_t K = out.n, B = m.B;
  // dL/dm per sample ([K][B]), then per step with the samples innermost
  // (contiguous, vectorised); each (t, b) sums over k in the same order.
  std::vector<double> gm(size_t(K) * B);
  for (uint32_t b = 0; b < B; ++b) {
    const double *mb = m.mSum.data() + size_t(b) * K;
    double mx = *std::max_element(mb, mb + K), z = 0;
    for (uint32_t k = 0; k < K; ++k)
      z += std::exp(mb[k] - mx);
    for (uint32_t k = 0; k < K; ++k)
      gm[size_t(k) * B + b] =
          (std::exp(mb[k] - mx) / z - (int32_t(k) == labels[b] ? 1 : 0)) /
          double(B);
  }
  const int nt = m.threadsFor(size_t(K) * tb * 4);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t t = 0; t < int64_t(m.T); ++t) {
    std::vector<double> dot(B, 0.0);
    const size_t o = size_t(t) * B;
    for (uint32_t k = 0; k < K; ++k) {
      const Real *p = m.prob.data() + k * tb + o;
      const double *g = gm.data() + size_t(k) * B;
      for (uint32_t b = 0; b < B; ++b)
        dot[b] += double(p[b]) * g[b];
    }
    for (uint32_t k = 0; k < K; ++k) {
      const Real *p = m.prob.data() + k * tb + o;
      const double *g = gm.data() + size_t(k) * B;
      Real *go = out.gOut.data() + k * tb + o;
      for (uint32_t b = 0; b < B; ++b)
        go[b] += Real(double(p[b]) * (g[b] - dot[b]));
    }
  }
  for (auto it = m.order.rbegin(); it != m.order.rend(); ++it)
    if (!m.pops[*it].isInput)
      m.populationBackward(m.pops[*it]);
}

template <typename Real>
const std::vector<Real> &Engine<Real>::values(const std::string &name) const {
  static const std::vector<Real> empty;
  int i = impl_->model.findPopulation(name);
  return i < 0 ? empty : impl_->pops[i].out;
}

template <typename Real>
const std::vector<Real> &
Engine<Real>::membranes(const std::string &name) const {
  static const std::vector<Real> empty;
  int i = impl_->model.findPopulation(name);
  return i < 0 ? empty : impl_->pops[i].v;
}

template <typename Real> void Engine<Real>::exportParams(Model &model) const {
  const Impl &m = *impl_;
  for (size_t i = 0; i < m.pops.size() && i < model.populations.size(); ++i) {
    const PopState<Real> &ps = m.pops[i];
    Population &p = model.populations[i];
    if (ps.isInput)
      continue;
    const auto &bias = m.params[ps.biasParam].value;
    p.bias.assign(bias.begin(), bias.end());
    if (ps.biasSynParam >= 0) {
      const auto &bs = m.params[ps.biasSynParam].value;
      p.biasSyn.assign(bs.begin(), bs.end());
    }
    if (ps.hasBn && p.batchnorm) {
      const auto &g = m.params[ps.gammaParam].value;
      const auto &b = m.params[ps.betaParam].value;
      p.batchnorm->gamma.assign(g.begin(), g.end());
      p.batchnorm->beta.assign(b.begin(), b.end());
      p.batchnorm->mean.assign(ps.runMean.begin(), ps.runMean.end());
      p.batchnorm->var.assign(ps.runVar.begin(), ps.runVar.end());
    }
  }
  for (size_t i = 0; i < m.projs.size() && i < model.projections.size(); ++i) {
    const ProjState<Real> &pj = m.projs[i];
    Projection &p = model.projections[i];
    const auto &w = m.params[pj.weightParam].value;
    p.weights.assign(w.begin(), w.end());
    // Rewiring (setPresent, setCsr) changes which synapses exist; the mask
    // or the CSR structure and its delays travel.
    if (!p.isCsr()) {
      p.mask = pj.proj->mask;
    } else {
      p.rowPtr = pj.proj->rowPtr;
      p.colIdx = pj.proj->colIdx;
      if (pj.posParam < 0)
        p.delays = pj.proj->delays;
    }
    if (pj.posParam >= 0) {
      const auto &q = m.params[pj.posParam].value;
      p.positions.assign(q.begin(), q.end());
      p.sigma = m.sigma;
    }
  }
}

template <typename Real>
Status Engine<Real>::setPresent(int weightParam,
                                const std::vector<uint8_t> &present) {
  Impl &m = *impl_;
  for (size_t i = 0; i < m.projs.size(); ++i) {
    ProjState<Real> &pj = m.projs[i];
    if (pj.weightParam != weightParam)
      continue;
    Projection &p = m.model.projections[i];
    if (p.isCsr())
      return Status::error("projections/" + p.name +
                           ": a CSR projection has a fixed structure; "
                           "rewiring needs the dense layout with a mask");
    if (present.size() != p.weights.size())
      return Status::error("projections/" + p.name + "/mask: " +
                           std::to_string(present.size()) +
                           " entries, expected " +
                           std::to_string(p.weights.size()));
    p.mask.assign(present.begin(), present.end());
    for (auto &b : p.mask)
      b = b ? 1 : 0;
    m.params[weightParam].present = p.mask;
    m.buildSynapses(pj);
    m.updateActivity();
    return Status::ok();
  }
  return Status::error("parameter " + std::to_string(weightParam) +
                       " is not the weight tensor of a projection");
}

// dL/dW at any slot, present or not: the same chain rule as
// projectionBackward (SNN-F2 with the slot's sign, SNN-F3 taps in training,
// the fixed or rounded delay otherwise), with dL/dK_k = sum_j G[j+kB] x[j]
// taken from the stored dL/dI of the target and the source's output.
// `timing` gives a slot's position (projections with positions) or integer
// delay: the dense layout reads it from the slot's own entry, a CSR
// projection from the caller (an absent slot has no entry there).
template <typename Real>
Status Engine<Real>::Impl::slotGradientsAt(
    const ProjState<Real> &pj, const std::vector<size_t> &slots,
    const std::function<double(size_t)> &timing,
    std::vector<Real> &grad) const {
  const Projection &p = *pj.proj;
  const PopState<Real> &src = pops[pj.src];
  const PopState<Real> &tgt = pops[pj.tgt];
  const size_t tb = TB();
  if (tgt.g.size() != size_t(pj.rows) * tb ||
      src.out.size() != size_t(pj.cols) * tb)
    return Status::error("slotGradients needs forward() and backward() first");
  const size_t nslots = slots.size();
  const size_t nslot = size_t(pj.rows) * pj.cols;
  for (size_t s : slots)
    if (s >= nslot)
      return Status::error("projections/" + p.name + ": slot " +
                           std::to_string(s) + " out of range");
  grad.assign(nslots, Real(0));
  const bool dcls = training && pj.posParam >= 0;
  const Real h = Real((p.maxDelay - 1.0) / 2.0);
  const Real width = kernels::dclsWidth(Real(sigma));
  const double radius = opt.truncationRadius;
  const int nt = threadsFor(nslots * tb);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 16)
  for (int64_t q = 0; q < int64_t(nslots); ++q) {
    size_t slot = slots[q];
    uint32_t r = uint32_t(slot / pj.cols), c = uint32_t(slot % pj.cols);
    const Real *Gn = tgt.g.data() + size_t(r) * tb;
    const Real *xa = src.out.data() + size_t(c) * tb;
    Real sign = p.signs.empty() ? Real(1) : Real(p.signs[c]);
    Real acc = 0;
    if (!tgt.bwd[r]) {
      // No path to the output from this target: dL/dI is 0 (not stored).
    } else if (dcls) {
      Real delta = h - Real(timing(size_t(q)));
      int lo, hi;
      kernels::dclsTapRange(double(delta), double(width), radius,
                            int(pj.dmax), lo, hi);
      Real sum = 0, weighted = 0;
      for (int k = lo; k <= hi; ++k) {
        Real g = kernels::dclsTap(Real(k), delta, width);
        sum += g;
        size_t kb = size_t(k) * B;
        if (kb < tb)
          weighted += g * dot(Gn + kb, xa, tb - kb);
      }
      acc = weighted / (sum + Real(kernels::kDclsEps));
    } else {
      int32_t d = int32_t(timing(size_t(q)));
      if (pj.posParam >= 0) // SNN-F4
        d = int32_t(std::clamp(
            std::nearbyint(double(h) - double(Real(timing(size_t(q))))), 0.0,
            double(pj.dmax - 1)));
      size_t kb = size_t(d) * B;
      if (kb < tb)
        acc = dot(Gn + kb, xa, tb - kb);
    }
    grad[q] = sign * acc;
  }
  return Status::ok();
}

template <typename Real>
Status Engine<Real>::slotGradients(int weightParam,
                                   const std::vector<size_t> &slots,
                                   std::vector<Real> &grad) const {
  const Impl &m = *impl_;
  const ProjState<Real> *pj = m.projectionOf(weightParam);
  if (!pj)
    return Status::error("parameter " + std::to_string(weightParam) +
                         " is not the weight tensor of a projection");
  const Projection &p = *pj->proj;
  if (p.isCsr())
    return Status::error("projections/" + p.name +
                         ": slot gradients of a CSR projection need each "
                         "slot's delay or position (the overload with "
                         "`timing`)");
  const std::vector<Real> *pos =
      pj->posParam >= 0 ? &m.params[pj->posParam].value : nullptr;
  return m.slotGradientsAt(
      *pj, slots,
      [&](size_t q) {
        size_t slot = slots[q];
        if (pos)
          return double((*pos)[slot]);
        return p.delays.empty() ? 0.0 : double(p.delays[slot]);
      },
      grad);
}

template <typename Real>
Status Engine<Real>::slotGradients(int weightParam,
                                   const std::vector<size_t> &slots,
                                   const std::vector<double> &timing,
                                   std::vector<Real> &grad) const {
  const Impl &m = *impl_;
  const ProjState<Real> *pj = m.projectionOf(weightParam);
  if (!pj)
    return Status::error("parameter " + std::to_string(weightParam) +
                         " is not the weight tensor of a projection");
  if (timing.size() != slots.size())
    return Status::error("projections/" + pj->proj->name + ": " +
                         std::to_string(timing.size()) + " timings for " +
                         std::to_string(slots.size()) + " slots");
  return m.slotGradientsAt(
      *pj, slots, [&](size_t q) { return timing[q]; }, grad);
}

template <typename Real>
Status Engine<Real>::setCsr(int weightParam, CsrSynapses<Real> syn) {
  Impl &m = *impl_;
  for (size_t i = 0; i < m.projs.size(); ++i) {
    ProjState<Real> &pj = m.projs[i];
    if (pj.weightParam != weightParam)
      continue;
    Projection &p = m.model.projections[i];
    const std::string at = "projections/" + p.name;
    if (!p.isCsr())
      return Status::error(at + ": setCsr needs a CSR projection; a dense "
                                "layout changes its synapses with setPresent");
    const size_t nnz = syn.colIdx.size();
    if (syn.rowPtr.size() != size_t(pj.rows) + 1 || syn.rowPtr.front() != 0 ||
        syn.rowPtr.back() != nnz)
      return Status::error(at + "/row_ptr: expected " +
                           std::to_string(pj.rows + 1) +
                           " entries from 0 to the synapse count " +
                           std::to_string(nnz));
    for (uint32_t r = 0; r < pj.rows; ++r) {
      if (syn.rowPtr[r + 1] < syn.rowPtr[r] || syn.rowPtr[r + 1] > nnz)
        return Status::error(at + "/row_ptr: decreases at row " +
                             std::to_string(r));
      for (uint64_t k = syn.rowPtr[r]; k < syn.rowPtr[r + 1]; ++k)
        if (syn.colIdx[k] >= pj.cols ||
            (k > syn.rowPtr[r] && syn.colIdx[k] <= syn.colIdx[k - 1]))
          return Status::error(at + "/col_idx: row " + std::to_string(r) +
                               " is not strictly increasing below " +
                               std::to_string(pj.cols));
    }
    const bool hasPos = pj.posParam >= 0;
    if (syn.weights.size() != nnz ||
        (hasPos ? syn.positions.size() : syn.delays.size()) != nnz)
      return Status::error(at + ": weights and " +
                           (hasPos ? "positions" : "delays") + " need " +
                           std::to_string(nnz) + " entries");
    p.rowPtr = std::move(syn.rowPtr);
    p.colIdx = std::move(syn.colIdx);
    p.weights.assign(syn.weights.begin(), syn.weights.end());
    ParamTensor<Real> &W = m.params[weightParam];
    W.value = std::move(syn.weights);
    W.grad.assign(nnz, Real(0));
    W.present.assign(nnz, 1);
    if (hasPos) {
      p.positions.assign(syn.positions.begin(), syn.positions.end());
      ParamTensor<Real> &P = m.params[pj.posParam];
      P.value = std::move(syn.positions);
      P.grad.assign(nnz, Real(0));
    } else {
      p.delays = std::move(syn.delays);
    }
    m.buildSynapses(pj);
    m.updateActivity();
    return Status::ok();
  }
  return Status::error("parameter " + std::to_string(weightParam) +
                       " is not the weight tensor of a projection");
}

template <typename Real> size_t Engine<Real>::synapseBytes() const {
  const Impl &m = *impl_;
  size_t bytes = 0;
  auto add = [&bytes](const auto &v) {
    bytes +=
        v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
  };
  auto addParam = [&](int k) {
    if (k < 0)
      return;
    add(m.params[k].value);
    add(m.params[k].grad);
    add(m.params[k].present);
  };
  for (const auto &pj : m.projs) {
    for (const auto *v :
         {&pj.synRow, &pj.synCol, &pj.colSyn, &pj.tapLo, &pj.tapCnt})
      add(*v);
    for (const auto *v : {&pj.modelIdx})
      add(*v);
    for (const auto *v : {&pj.rowStart, &pj.colStart, &pj.tapOff})
      add(*v);
    add(pj.fixedDelay);
    add(pj.tapUsed);
    for (const auto *v : {&pj.sign, &pj.ghat, &pj.K, &pj.gK, &pj.delta,
                          &pj.width, &pj.weff, &pj.Kd, &pj.gKd, &pj.dftTaps,
                          &pj.dftLags, &pj.Xh, &pj.Kf, &pj.KfSum, &pj.KfDiff})
      add(*v);
    const Projection &p = *pj.proj;
    add(p.rowPtr);
    add(p.colIdx);
    add(p.weights);
    add(p.delays);
    add(p.positions);
    add(p.mask);
    add(p.signs);
    addParam(pj.weightParam);
    addParam(pj.posParam);
  }
  return bytes;
}

template <typename Real>
const Projection *Engine<Real>::projectionFor(int weightParam) const {
  const ProjState<Real> *pj = impl_->projectionOf(weightParam);
  return pj ? pj->proj : nullptr;
}

template <typename Real>
std::vector<std::string> Engine<Real>::lastStrategies() const {
  std::vector<std::string> out;
  for (const auto &pj : impl_->projs)
    out.push_back(pj.strategy);
  return out;
}

template class Engine<float>;
template class Engine<double>;

} // namespace snnrt
