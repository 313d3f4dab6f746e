//===- CudaEngine.cu - Float forward/backward (SNN-F1..F12) on a GPU ------===//
//
// Mirrors runtime/lib/train/Engine.cpp step for step with the same per-element
// functions (snnrt/train/Kernels.h). Activations are [neuron][step][sample] like
// the CPU engine. A projection's taps are expanded into dense per-delay
// matrices Kd[k][target][source] (SNN-F2/F3, truncation as the CPU), and
//   forward  I[r][j]     += sum_k sum_a Kd[k][r][a] X[a][j - kB]
//   dL/dX    gX[a][j]    += sum_k sum_r Kd[k][r][a] G[r][j + kB]
//   dL/dKd   gKd[k][r][a] = sum_j G[r][j] X[a][j - kB]
// are each one tiled GEMM kernel whose operands are read through shifted
// accessors (no im2col copy). A CSR projection skips the tap matrices: its
// kernels work per stored synapse (forward per target row, dL/dX gathered
// over a CSC index, dL/dw and dL/dpos one block per synapse), so work and
// memory follow the synapse count. Per-neuron reductions (bias gradients,
// BatchNorm) are done in a fixed order, so a run is deterministic.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Random.h"
#include "snnrt/device/CudaCommon.h"

#include "snnrt/train/CudaEngine.h"
#include "snnrt/train/Kernels.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {

using cuda::DeviceBuffer;

constexpr int kBlock = 256;
unsigned blocksFor(size_t n) { return unsigned((n + kBlock - 1) / kBlock); }

// ---------------------------------------------------------------------------
// Tiled GEMM with accessor operands: C[z][m][n] (+)= sum_q A(z,m,q) B(z,q,n).

constexpr int TM = 64, TN = 64, TQ = 16;

template <class AOp, class BOp>
__global__ void gemmKernel(int M, int N, int Q, AOp A, BOp Bop, float *C,
                           long ldc, long strideC, bool accumulate) {
  __shared__ float As[TQ][TM + 1];
  __shared__ float Bs[TQ][TN + 1];
  const int z = blockIdx.z;
  const int m0 = blockIdx.y * TM, n0 = blockIdx.x * TN;
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  float acc[4][4] = {};
  for (int q0 = 0; q0 < Q; q0 += TQ) {
    for (int l = threadIdx.x; l < TQ * TM; l += 256) {
      int qq, mm;
      if (AOp::kQContiguous) {
        qq = l % TQ;
        mm = l / TQ;
      } else {
        qq = l / TM;
        mm = l % TM;
      }
      int m = m0 + mm, q = q0 + qq;
      As[qq][mm] = (m < M && q < Q) ? A(z, m, q) : 0.0f;
    }
    for (int l = threadIdx.x; l < TQ * TN; l += 256) {
      int qq, nn;
      if (BOp::kQContiguous) {
        qq = l % TQ;
        nn = l / TQ;
      } else {
        qq = l / TN;
        nn = l % TN;
      }
      int n = n0 + nn, q = q0 + qq;
      Bs[qq][nn] = (n < N && q < Q) ? Bop(z, q, n) : 0.0f;
    }
    __syncthreads();
#pragma unroll
    for (int qq = 0; qq < TQ; ++qq) {
      float a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        a[i] = As[qq][ty + 16 * i];
        b[i] = Bs[qq][tx + 16 * i];
      }
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int k = 0; k < 4; ++k)
          acc[i][k] += a[i] * b[k];
    }
    __syncthreads();
  }
  float *Cz = C + long(z) * strideC;
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      int m = m0 + ty + 16 * i, n = n0 + tx + 16 * k;
      if (m < M && n < N) {
        float *c = Cz + long(m) * ldc + n;
        *c = accumulate ? *c + acc[i][k] : acc[i][k];
      }
    }
}

template <class AOp, class BOp>
Status gemm(int M, int N, int Q, int batch, AOp A, BOp B, float *C, long ldc,
            long strideC, bool accumulate) {
  if (M <= 0 || N <= 0 || batch <= 0)
    return Status::ok();
  dim3 grid((N + TN - 1) / TN, (M + TM - 1) / TM, batch);
  gemmKernel<<<grid, 256>>>(M, N, Q, A, B, C, ldc, strideC, accumulate);
  SNNRT_CUDA_LAUNCH("gemmKernel");
  return Status::ok();
}

/// Forward A: Kd[k][m][a] with q = k * cols + a.
struct TapsByTarget {
  static constexpr bool kQContiguous = true;
  const float *K;
  int rows, cols;
  __device__ float operator()(int, int m, int q) const {
    int k = q / cols, a = q - k * cols;
    return K[(long(k) * rows + m) * cols + a];
  }
};
/// Forward B: X[a][n - kB] (0 before the start), q = k * cols + a.
struct ShiftedBack {
  static constexpr bool kQContiguous = false;
  const float *X;
  int cols;
  long tb, B;
  __device__ float operator()(int, int q, int n) const {
    int k = q / cols, a = q - k * cols;
    long j = long(n) - long(k) * B;
    return j >= 0 ? X[long(a) * tb + j] : 0.0f;
  }
};
/// dL/dX A: Kd[k][r][m] with q = k * rows + r (m is the source).
struct TapsBySource {
  static constexpr bool kQContiguous = false;
  const float *K;
  int rows, cols;
  __device__ float operator()(int, int m, int q) const {
    int k = q / rows, r = q - k * rows;
    return K[(long(k) * rows + r) * cols + m];
  }
};
/// dL/dX B: G[r][n + kB] (0 past the end), q = k * rows + r.
struct ShiftedForward {
  static constexpr bool kQContiguous = false;
  const float *G;
  int rows;
  long tb, B;
  __device__ float operator()(int, int q, int n) const {
    int k = q / rows, r = q - k * rows;
    long j = long(n) + long(k) * B;
    return j < tb ? G[long(r) * tb + j] : 0.0f;
  }
};
/// dL/dKd A: G[m][q] (z = tap).
struct RowsOfG {
  static constexpr bool kQContiguous = true;
  const float *G;
  long tb;
  __device__ float operator()(int, int m, int q) const {
    return G[long(m) * tb + q];
  }
};
/// dL/dKd B: X[n][q - zB].
struct ShiftedSource {
  static constexpr bool kQContiguous = true;
  const float *X;
  long tb, B;
  __device__ float operator()(int z, int q, int n) const {
    long j = long(q) - long(z) * B;
    return j >= 0 ? X[long(n) * tb + j] : 0.0f;
  }
};

// ---------------------------------------------------------------------------
// Projections: taps (SNN-F2/F3/F4) and the chain rule to parameters.

struct ProjArgs {
  int rows, cols, dmax, taps;
  bool dcls, hasPos;
  float h, width, radius;
  const float *w, *pos, *sign;
  const uint8_t *present;
  const int32_t *delay;
};

__device__ int roundedDelay(const ProjArgs &p, long slot) {
  if (!p.hasPos)
    return p.delay[slot];
  double d = nearbyint(double(p.h) - double(p.pos[slot]));
  d = d < 0 ? 0 : (d > p.dmax - 1 ? p.dmax - 1 : d);
  return int(d);
}

__global__ void buildTapsKernel(ProjArgs p, float *Kd) {
  long slot = long(blockIdx.x) * blockDim.x + threadIdx.x;
  long rc = long(p.rows) * p.cols;
  if (slot >= rc || !p.present[slot])
    return;
  int c = int(slot % p.cols);
  float weff = p.sign[c] * p.w[slot];
  if (!p.dcls) {
    int d = roundedDelay(p, slot);
    if (d < p.taps)
      Kd[long(d) * rc + slot] = weff;
    return;
  }
  float delta = p.h - p.pos[slot];
  int lo, hi;
  kernels::dclsTapRange(double(delta), double(p.width), double(p.radius),
                        p.dmax, lo, hi);
  float sum = 0;
  for (int k = lo; k <= hi; ++k)
    sum += kernels::dclsTap(float(k), delta, p.width);
  float inv = 1.0f / (sum + float(kernels::kDclsEps));
  for (int k = lo; k <= hi && k < p.taps; ++k)
    Kd[long(k) * rc + slot] =
        weff * (kernels::dclsTap(float(k), delta, p.width) * inv);
}

__global__ void chainKernel(ProjArgs p, const float *gKd, float *gW,
                            float *gPos) {
  long slot = long(blockIdx.x) * blockDim.x + threadIdx.x;
  long rc = long(p.rows) * p.cols;
  if (slot >= rc)
    return;
  if (!p.present[slot]) {
    gW[slot] = 0;
    if (gPos)
      gPos[slot] = 0;
    return;
  }
  int c = int(slot % p.cols);
  if (!p.dcls) {
    int d = roundedDelay(p, slot);
    gW[slot] = p.sign[c] * (d < p.taps ? gKd[long(d) * rc + slot] : 0.0f);
    if (gPos)
      gPos[slot] = 0;
    return;
  }
  float weff = p.sign[c] * p.w[slot];
  float delta = p.h - p.pos[slot];
  int lo, hi;
  kernels::dclsTapRange(double(delta), double(p.width), double(p.radius),
                        p.dmax, lo, hi);
  float sum = 0;
  for (int k = lo; k <= hi; ++k)
    sum += kernels::dclsTap(float(k), delta, p.width);
  float inv = 1.0f / (sum + float(kernels::kDclsEps));
  float gw = 0, mean = 0;
  for (int k = lo; k <= hi; ++k) {
    float gh = kernels::dclsTap(float(k), delta, p.width) * inv;
    float gk = k < p.taps ? gKd[long(k) * rc + slot] : 0.0f;
    gw += gk * gh;
    mean += gh * (float(k) - delta);
  }
  float gd = 0;
  for (int k = lo; k <= hi; ++k) {
    float gh = kernels::dclsTap(float(k), delta, p.width) * inv;
    float gk = k < p.taps ? gKd[long(k) * rc + slot] : 0.0f;
    gd += gk * gh * ((float(k) - delta) - mean);
  }
  gd *= weff * (1.0f / (p.width * p.width));
  gW[slot] = p.sign[c] * gw;
  gPos[slot] = -gd;
}

/// RigL's candidate gradients: dL/dW of slot s as if it were a synapse with
/// its own position (DCLS) or delay, as Engine::slotGradients.
__global__ void slotGradKernel(ProjArgs p, const float *gKd,
                               const uint64_t *slots, long n, float *out) {
  long q = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (q >= n)
    return;
  const long slot = long(slots[q]);
  const long rc = long(p.rows) * p.cols;
  const float sign = p.sign[slot % p.cols];
  float acc = 0;
  if (p.dcls) {
    float delta = p.h - p.pos[slot];
    int lo, hi;
    kernels::dclsTapRange(double(delta), double(p.width), double(p.radius),
                          p.dmax, lo, hi);
    float sum = 0, weighted = 0;
    for (int k = lo; k <= hi; ++k) {
      float g = kernels::dclsTap(float(k), delta, p.width);
      sum += g;
      if (k < p.taps)
        weighted += g * gKd[long(k) * rc + slot];
    }
    acc = weighted / (sum + float(kernels::kDclsEps));
  } else {
    int d = roundedDelay(p, slot);
    acc = d < p.taps ? gKd[long(d) * rc + slot] : 0.0f;
  }
  out[q] = sign * acc;
}

// ---------------------------------------------------------------------------
// CSR projections: work and memory in proportion to the stored synapses.
// One synapse s = (row r, column c, weight w[s], delay d[s] or position
// pos[s]); the DCLS taps of a synapse are the dense path's (buildTapsKernel)
// restricted to it. A value at negative time, or a tap past the end, is 0.

constexpr int kSparseBlock = 128; ///< power of two (blockSum)

struct SparseArgs {
  int rows, cols, dmax, T, B;
  bool dcls, hasPos;
  float h, width, radius;
  const uint64_t *rowPtr;  ///< [rows + 1]
  const uint32_t *colIdx;  ///< [nnz]
  const uint32_t *synRow;  ///< [nnz] the row of each stored synapse
  const uint64_t *colPtr;  ///< [cols + 1] CSC, built once at init
  const uint64_t *cscSyn;  ///< [nnz] CSC order -> CSR synapse index
  const uint32_t *cscRow;  ///< [nnz] CSC order -> row
  const float *w, *pos, *sign;
  const int32_t *delay;    ///< [nnz] (integer delays)
};

__device__ int sparseDelay(const SparseArgs &p, uint64_t s) {
  if (!p.hasPos)
    return p.delay[s];
  double d = nearbyint(double(p.h) - double(p.pos[s]));
  d = d < 0 ? 0 : (d > p.dmax - 1 ? p.dmax - 1 : d);
  return int(d);
}

/// SNN-F3: the kept taps [lo, hi] of a synapse with continuous delay delta
/// and 1 / (sum_k g_k + eps), summed as buildTapsKernel does.
__device__ float sparseDclsNorm(const SparseArgs &p, float delta, int &lo,
                                int &hi) {
  kernels::dclsTapRange(double(delta), double(p.width), double(p.radius),
                        p.dmax, lo, hi);
  float sum = 0;
  for (int k = lo; k <= hi; ++k)
    sum += kernels::dclsTap(float(k), delta, p.width);
  return 1.0f / (sum + float(kernels::kDclsEps));
}

/// I[r][t][b] += sum_{s in row r} sum_k K_s[k] X[c_s][t - k][b], one thread
/// per (r, t, b); the row's synapses in CSR order.
__global__ void csrForwardKernel(SparseArgs p, const float *X, float *cur) {
  const long tb = long(p.T) * p.B;
  const long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(p.rows) * tb)
    return;
  const int r = int(id / tb);
  const long j = id - long(r) * tb;
  const int t = int(j / p.B);
  float acc = 0;
  for (uint64_t s = p.rowPtr[r]; s < p.rowPtr[r + 1]; ++s) {
    const uint32_t c = p.colIdx[s];
    const float weff = p.sign[c] * p.w[s];
    const float *xc = X + long(c) * tb + j;
    if (!p.dcls) {
      const int d = sparseDelay(p, s);
      if (d >= 0 && d <= t)
        acc += weff * xc[-long(d) * p.B];
      continue;
    }
    const float delta = p.h - p.pos[s];
    int lo, hi;
    const float inv = sparseDclsNorm(p, delta, lo, hi);
    for (int k = lo; k <= hi && k <= t; ++k)
      acc += weff * (kernels::dclsTap(float(k), delta, p.width) * inv) *
             xc[-long(k) * p.B];
  }
  cur[id] += acc;
}

/// gX[c][t][b] += sum_{s in column c} sum_k K_s[k] G[r_s][t + k][b], one
/// thread per (c, t, b): a gather over the CSC index (no atomics, so a run
/// is reproducible).
__global__ void csrBackwardInputKernel(SparseArgs p, const float *G,
                                       float *gX) {
  const long tb = long(p.T) * p.B;
  const long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(p.cols) * tb)
    return;
  const int c = int(id / tb);
  const long j = id - long(c) * tb;
  const int t = int(j / p.B);
  const float sg = p.sign[c];
  float acc = 0;
  for (uint64_t q = p.colPtr[c]; q < p.colPtr[c + 1]; ++q) {
    const uint64_t s = p.cscSyn[q];
    const float weff = sg * p.w[s];
    const float *gr = G + long(p.cscRow[q]) * tb + j;
    if (!p.dcls) {
      const int d = sparseDelay(p, s);
      if (d >= 0 && t + d < p.T)
        acc += weff * gr[long(d) * p.B];
      continue;
    }
    const float delta = p.h - p.pos[s];
    int lo, hi;
    const float inv = sparseDclsNorm(p, delta, lo, hi);
    for (int k = lo; k <= hi && t + k < p.T; ++k)
      acc += weff * (kernels::dclsTap(float(k), delta, p.width) * inv) *
             gr[long(k) * p.B];
  }
  gX[id] += acc;
}

/// A fixed-order tree sum over the block (every thread calls it).
__device__ double blockSum(double v, double *red) {
  red[threadIdx.x] = v;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w /= 2) {
    if (threadIdx.x < w)
      red[threadIdx.x] += red[threadIdx.x + w];
    __syncthreads();
  }
  const double s = red[0];
  __syncthreads();
  return s;
}

/// dL/dK_s[k] = sum_t sum_b G[r][t][b] X[c][t - k][b] (0 for k >= T).
__device__ float sparseTapGrad(const SparseArgs &p, const float *G,
                               const float *X, uint32_t r, uint32_t c, int k,
                               double *red) {
  const long tb = long(p.T) * p.B, shift = long(k) * p.B;
  const float *g = G + long(r) * tb;
  const float *x = X + long(c) * tb;
  double acc = 0;
  if (k >= 0)
    for (long j = shift + threadIdx.x; j < tb; j += blockDim.x)
      acc += double(g[j]) * double(x[j - shift]);
  return float(blockSum(acc, red));
}

/// Per stored synapse (one block each): dL/dw and, with DCLS, dL/dpos by
/// chainKernel's formula, written in CSR order.
__global__ void csrParamGradKernel(SparseArgs p, const float *G,
                                   const float *X, float *gW, float *gPos) {
  __shared__ double red[kSparseBlock];
  const uint64_t s = blockIdx.x;
  const uint32_t r = p.synRow[s], c = p.colIdx[s];
  if (!p.dcls) {
    const float gk = sparseTapGrad(p, G, X, r, c, sparseDelay(p, s), red);
    if (threadIdx.x == 0) {
      gW[s] = p.sign[c] * gk;
      if (gPos)
        gPos[s] = 0;
    }
    return;
  }
  const float weff = p.sign[c] * p.w[s];
  const float delta = p.h - p.pos[s];
  int lo, hi;
  const float inv = sparseDclsNorm(p, delta, lo, hi);
  float mean = 0;
  for (int k = lo; k <= hi; ++k)
    mean += kernels::dclsTap(float(k), delta, p.width) * inv * (float(k) - delta);
  float gw = 0, gd = 0;
  for (int k = lo; k <= hi; ++k) {
    const float gh = kernels::dclsTap(float(k), delta, p.width) * inv;
    const float gk = sparseTapGrad(p, G, X, r, c, k, red);
    gw += gk * gh;
    gd += gk * gh * ((float(k) - delta) - mean);
  }
  gd *= weff * (1.0f / (p.width * p.width));
  if (threadIdx.x == 0) {
    gW[s] = p.sign[c] * gw;
    gPos[s] = -gd;
  }
}

// ---------------------------------------------------------------------------
// Populations (SNN-F5, F7, F8, F9, F12) and their backward passes.

/// SNN-F5's running-statistics step of one neuron, as the CPU engine's
/// runningStatsStep: from a forward's own statistics or (micro-batched
/// training) the batch's, combined from its micro-batches'.
__device__ void runningStep(double *runMean, double *runVar, int i, double mean,
                            double var, long count, double momentum) {
  double unbiased = count > 1 ? var * double(count) / double(count - 1) : var;
  runMean[i] = double(float((1 - momentum) * runMean[i] + momentum * mean));
  runVar[i] = double(float((1 - momentum) * runVar[i] + momentum * unbiased));
}

__global__ void runningStatsKernel(double *runMean, double *runVar,
                                   const double *mean, const double *var, int n,
                                   long count, double momentum) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    runningStep(runMean, runVar, i, mean[i], var[i], count, momentum);
}

/// Training mode also leaves each neuron's mean and biased variance in
/// double in batchMean/batchVar (micro-batched training combines them).
__global__ void bnForwardKernel(const float *x, float *y, float *meanOut,
                                float *invOut, double *runMean, double *runVar,
                                double *batchMean, double *batchVar,
                                const float *gamma, const float *beta, long tb,
                                bool training, bool update, double momentum,
                                double eps) {
  const int i = blockIdx.x;
  const float *xi = x + long(i) * tb;
  __shared__ double red[kBlock];
  __shared__ double meanS, varS;
  double mean, var;
  if (training) {
    double s = 0;
    for (long j = threadIdx.x; j < tb; j += blockDim.x)
      s += double(xi[j]);
    red[threadIdx.x] = s;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w /= 2) {
      if (threadIdx.x < w)
        red[threadIdx.x] += red[threadIdx.x + w];
      __syncthreads();
    }
    if (threadIdx.x == 0)
      meanS = red[0] / double(tb);
    __syncthreads();
    mean = meanS;
    double q = 0;
    for (long j = threadIdx.x; j < tb; j += blockDim.x)
      q += (double(xi[j]) - mean) * (double(xi[j]) - mean);
    __syncthreads();
    red[threadIdx.x] = q;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w /= 2) {
      if (threadIdx.x < w)
        red[threadIdx.x] += red[threadIdx.x + w];
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      varS = red[0] / double(tb);
      batchMean[i] = mean;
      batchVar[i] = varS;
      if (update)
        runningStep(runMean, runVar, i, mean, varS, tb, momentum);
    }
    __syncthreads();
    var = varS;
  } else {
    mean = runMean[i];
    var = runVar[i];
  }
  float m = float(mean), inv = float(1.0 / sqrt(var + eps));
  if (threadIdx.x == 0) {
    meanOut[i] = m;
    invOut[i] = inv;
  }
  float *yi = y + long(i) * tb;
  for (long j = threadIdx.x; j < tb; j += blockDim.x)
    yi[j] = gamma[i] * ((xi[j] - m) * inv) + beta[i];
}

__global__ void bnBackwardKernel(float *g, const float *x, const float *meanIn,
                                 const float *invIn, const float *gamma,
                                 float *gGamma, float *gBeta, long tb,
                                 bool training) {
  const int i = blockIdx.x;
  float *gi = g + long(i) * tb;
  const float *xi = x + long(i) * tb;
  const float m = meanIn[i], inv = invIn[i];
  __shared__ double r1[kBlock], r2[kBlock];
  double sg = 0, sgx = 0;
  for (long j = threadIdx.x; j < tb; j += blockDim.x) {
    double xh = double((xi[j] - m) * inv);
    sg += double(gi[j]);
    sgx += double(gi[j]) * xh;
  }
  r1[threadIdx.x] = sg;
  r2[threadIdx.x] = sgx;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w /= 2) {
    if (threadIdx.x < w) {
      r1[threadIdx.x] += r1[threadIdx.x + w];
      r2[threadIdx.x] += r2[threadIdx.x + w];
    }
    __syncthreads();
  }
  sg = r1[0];
  sgx = r2[0];
  if (threadIdx.x == 0) {
    gGamma[i] = float(sgx);
    gBeta[i] = float(sg);
  }
  const float scale = gamma[i] * inv;
  const float mg = float(sg / double(tb)), mgx = float(sgx / double(tb));
  for (long j = threadIdx.x; j < tb; j += blockDim.x) {
    if (training) {
      float xh = (xi[j] - m) * inv;
      gi[j] = scale * (gi[j] - mg - xh * mgx);
    } else {
      gi[j] *= scale;
    }
  }
}

/// y[t] = beta y[t-1] + x[t] + bias (SNN-F8 with bias_syn, SNN-F9).
__global__ void leakyForwardKernel(const float *x, float *y, const float *beta,
                                   const float *bias, int n, int T, int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  float prev = 0, be = beta[i], bi = bias ? bias[i] : 0.0f;
  for (int t = 0; t < T; ++t) {
    prev = kernels::leakyNext(prev, be, x[base + long(t) * B], bi);
    y[base + long(t) * B] = prev;
  }
}

__global__ void lifForwardKernel(const float *x, float *V, float *S, float *out,
                                 const float *mask, const float *beta,
                                 const float *theta, const float *bias,
                                 bool hard, bool strict, bool resetFirst, int n,
                                 int T, int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  float v = 0, be = beta[i], th = theta[i], bi = bias[i];
  float mk = mask ? mask[long(i) * B + b] : 1.0f;
  for (int t = 0; t < T; ++t) {
    long o = base + long(t) * B;
    float sp = kernels::heaviside(v - th, strict);
    V[o] = v;
    S[o] = sp;
    out[o] = mask ? sp * mk : sp;
    v = kernels::lifNext(v, be, x[o], bi, sp, th, hard, resetFirst);
  }
}

__global__ void liBackwardKernel(const float *gOut, float *g, float *partial,
                                 const float *beta, int n, int T, int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  float next = 0, acc = 0, be = beta[i];
  for (int t = T - 1; t >= 0; --t) {
    long o = base + long(t) * B;
    float gt = t == T - 1 ? gOut[o] : gOut[o] + be * next;
    g[o] = gt;
    next = gt;
    acc += gt;
  }
  partial[id] = acc;
}

__global__ void lifBackwardKernel(const float *gOut, float *g, float *partial,
                                  const float *V, const float *S,
                                  const float *mask, const float *beta,
                                  const float *theta, float alpha, bool hard,
                                  bool resetFirst, int n, int T, int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  float gnext = 0, acc = 0, be = beta[i], th = theta[i];
  float mk = mask ? mask[long(i) * B + b] : 1.0f;
  for (int t = T - 1; t >= 0; --t) {
    long o = base + long(t) * B;
    float gu = kernels::lifBackStep(gnext, gOut[o] * mk, V[o], S[o], be, th,
                                    alpha, hard, resetFirst);
    g[o] = gu;
    acc += gu;
  }
  partial[id] = acc;
}

__global__ void cubaBackwardKernel(float *g, const float *betaSyn, int n, int T,
                                   int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  for (int t = T - 2; t >= 0; --t)
    g[base + long(t) * B] += betaSyn[i] * g[base + long(t + 1) * B];
}

/// partial[i][b] = sum_t g[i][t][b], in order (SNN-F8: dL/dbias_syn).
__global__ void timeSumKernel(const float *g, float *partial, int n, int T,
                              int B) {
  long id = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (id >= long(n) * B)
    return;
  int i = int(id / B), b = int(id % B);
  long base = long(i) * T * B + b;
  float acc = 0;
  for (int t = T - 1; t >= 0; --t)
    acc += g[base + long(t) * B];
  partial[id] = acc;
}

/// out[i] = sum_b partial[i][b], in order.
__global__ void rowSumKernel(const float *partial, float *out, int n, int B) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float acc = 0;
  for (int b = 0; b < B; ++b)
    acc += partial[long(i) * B + b];
  out[i] = acc;
}

// SNN-F10: per sample, softmax(U[t]) and m = sum_t of it, the cross-entropy.
__global__ void lossKernel(const float *U, float *prob, double *mSum,
                           double *lossOut, const int32_t *labels, int K, int T,
                           int B) {
  int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= B)
    return;
  long tb = long(T) * B;
  double *mb = mSum + long(b) * K;
  for (int k = 0; k < K; ++k)
    mb[k] = 0;
  for (int t = 0; t < T; ++t) {
    long o = long(t) * B + b;
    double mx = -INFINITY;
    for (int k = 0; k < K; ++k)
      mx = fmax(mx, double(U[k * tb + o]));
    double z = 0;
    for (int k = 0; k < K; ++k)
      z += exp(double(U[k * tb + o]) - mx);
    for (int k = 0; k < K; ++k) {
      double pk = exp(double(U[k * tb + o]) - mx) / z;
      prob[k * tb + o] = float(pk);
      mb[k] += pk;
    }
  }
  double mx = mb[0];
  for (int k = 1; k < K; ++k)
    mx = fmax(mx, mb[k]);
  double z = 0;
  for (int k = 0; k < K; ++k)
    z += exp(mb[k] - mx);
  // A label that names no output neuron has no loss term (Engine.cpp).
  lossOut[b] = labels && labels[b] >= 0 && labels[b] < K
                   ? -mb[labels[b]] + mx + log(z)
                   : 0.0;
}

__global__ void lossBackwardKernel(const float *prob, const double *mSum,
                                   const int32_t *labels, float *gOut, int K,
                                   int T, int B) {
  int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= B)
    return;
  long tb = long(T) * B;
  const double *mb = mSum + long(b) * K;
  double mx = mb[0];
  for (int k = 1; k < K; ++k)
    mx = fmax(mx, mb[k]);
  double z = 0;
  for (int k = 0; k < K; ++k)
    z += exp(mb[k] - mx);
  const int y = labels[b];
  for (int t = 0; t < T; ++t) {
    long o = long(t) * B + b;
    double dot = 0;
    for (int k = 0; k < K; ++k)
      dot += double(prob[k * tb + o]) *
             ((exp(mb[k] - mx) / z - (k == y ? 1 : 0)) / double(B));
    for (int k = 0; k < K; ++k) {
      double gm = (exp(mb[k] - mx) / z - (k == y ? 1 : 0)) / double(B);
      gOut[k * tb + o] += float(double(prob[k * tb + o]) * (gm - dot));
    }
  }
}

__global__ void adamKernel(float *value, float *m, float *v, const float *grad,
                           const uint8_t *present, long n, double lr,
                           double beta1, double beta2, double bc1, double bc2,
                           double eps, bool clamp, double h) {
  long i = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n || (present && !present[i]))
    return;
  kernels::adamUpdate(value[i], m[i], v[i], double(grad[i]), lr, beta1, beta2,
                      bc1, bc2, eps);
  if (clamp) {
    double q = double(value[i]);
    value[i] = float(q < -h ? -h : (q > h ? h : q));
  }
}

} // namespace

// ---------------------------------------------------------------------------

struct DPop {
  const Population *pop = nullptr;
  int index = 0;
  uint32_t n = 0;
  bool isInput = false, isLif = false, hasBn = false, hasSyn = false;
  bool hard = true;
  LifRule rule; ///< SNN-F13 neuron convention
  int biasParam = -1, gammaParam = -1, betaParam = -1;
  int biasSynParam = -1; ///< SNN-F8 synaptic bias, when the model has one
  std::vector<int> incoming;
  DeviceBuffer<float> beta, betaSyn, theta;
  DeviceBuffer<float> cur, bnOut, syn, v, s, out, g, gOut, mask;
  DeviceBuffer<float> bnMean, bnInv, bias, biasSyn, gamma, bnBeta;
  DeviceBuffer<float> gBias, gBiasSyn, gGamma, gBnBeta, partial;
  DeviceBuffer<double> runMean, runVar, batchMean, batchVar;
  bool masked = false;
};

struct DProj {
  const Projection *proj = nullptr;
  int src = -1, tgt = -1;
  uint32_t rows = 0, cols = 0, dmax = 1, taps = 1;
  int weightParam = -1, posParam = -1;
  /// CSR: w, pos, delay, gW and gPos hold one value per stored synapse
  /// (CSR order); the index arrays below replace the dense tap matrices.
  bool csr = false;
  uint64_t nnz = 0;
  DeviceBuffer<float> w, pos, sign, Kd, gKd, gW, gPos;
  DeviceBuffer<uint8_t> present;
  DeviceBuffer<int32_t> delay;
  DeviceBuffer<uint64_t> rowPtr, colPtr, cscSyn;
  DeviceBuffer<uint32_t> colIdx, synRow, cscRow;
};

struct CudaEngine::Impl {
  Model model;
  EngineOptions opt;
  std::vector<DPop> pops;
  std::vector<DProj> projs;
  std::vector<int> order;
  int inputPop = -1, outputPop = -1;
  uint32_t T = 0, B = 0;
  bool training = false;
  double sigma = 0;
  uint64_t dropoutSeed = 1;
  DeviceBuffer<float> prob;
  DeviceBuffer<double> mSum, lossPer;
  DeviceBuffer<int32_t> labels;
  std::vector<double> hostM;
  bool paramsBound = false;

  size_t TB() const { return size_t(T) * B; }
  Status init(const Model &m, const EngineOptions &o);
  Status bind(const std::vector<ParamTensor<float>> &params);
  Status upload(const std::vector<ParamTensor<float>> &params);
  Status allocate();
  ProjArgs args(DProj &pj);
  SparseArgs sparseArgs(DProj &pj);
  Status initCsr(DProj &pj);
  Status projectionForward(DProj &pj);
  Status populationForward(DPop &ps, bool update);
  Status populationBackward(DPop &ps);
  Status projectionBackward(DProj &pj);
  Status runLoss(const std::vector<int32_t> &labels, double *loss);
};

Status CudaEngine::Impl::init(const Model &m, const EngineOptions &o) {
  SNNRT_TRY(m.validate());
  if (o.spike != SpikeFunction::Heaviside || !o.detachReset)
    return Status::error("the CUDA engine runs SNN-F7 with the detached reset "
                         "of SNN-F11 only (the smooth spike and attached "
                         "reset are CPU gradient-check settings)");
  model = m;
  opt = o;
  T = m.steps;
  order = m.topologicalOrder();
  pops.resize(model.populations.size());
  for (size_t i = 0; i < pops.size(); ++i) {
    const Population &p = model.populations[i];
    DPop &ps = pops[i];
    ps.pop = &model.populations[i];
    ps.index = int(i);
    ps.n = p.size;
    ps.isInput = p.kind == PopulationKind::Input;
    if (ps.isInput) {
      if (inputPop >= 0)
        return Status::error("the CUDA engine feeds exactly one input "
                             "population; the model has more");
      inputPop = int(i);
      continue;
    }
    ps.isLif = p.kind == PopulationKind::Lif;
    ps.hasSyn = p.tauSyn.has_value(); // CuBa on a lif or li (SNN-F8)
    ps.hasBn = p.batchnorm.has_value();
    ps.hard = p.reset == ResetMode::Hard;
    ps.rule = lifRule(p.convention);
    // Per-neuron parameter arrays (the kernels read one value per neuron).
    std::vector<float> beta(p.size), betaSyn(p.size), theta(p.size);
    for (uint32_t k = 0; k < p.size; ++k) {
      beta[k] = float(decayFactor(m.decay, m.dt, p.tauMemOf(k)));
      betaSyn[k] =
          ps.hasSyn ? float(decayFactor(m.decay, m.dt, p.tauSynOf(k))) : 0.f;
      theta[k] = float(p.thresholdOf(k));
    }
    SNNRT_TRY(ps.beta.upload(beta));
    SNNRT_TRY(ps.betaSyn.upload(betaSyn));
    SNNRT_TRY(ps.theta.upload(theta));
    if (ps.hasBn) {
      std::vector<double> mean(p.batchnorm->mean.begin(), p.batchnorm->mean.end());
      std::vector<double> var(p.batchnorm->var.begin(), p.batchnorm->var.end());
      SNNRT_TRY(ps.runMean.upload(mean));
      SNNRT_TRY(ps.runVar.upload(var));
    }
  }
  if (inputPop < 0)
    return Status::error("model has no input population");
  outputPop = m.findPopulation(m.outputs.front());
  projs.resize(model.projections.size());
  for (size_t i = 0; i < projs.size(); ++i) {
    const Projection &p = model.projections[i];
    DProj &pj = projs[i];
    pj.proj = &model.projections[i];
    pj.src = m.findPopulation(p.source);
    pj.tgt = m.findPopulation(p.target);
    pj.rows = model.populations[pj.tgt].size;
    pj.cols = model.populations[pj.src].size;
    pj.dmax = p.maxDelay;
    pj.taps = std::min<uint32_t>(p.maxDelay, std::max<uint32_t>(T, 1));
    pops[pj.tgt].incoming.push_back(int(i));
    std::vector<float> sign(pj.cols, 1.0f);
    for (size_t c = 0; c < p.signs.size() && c < pj.cols; ++c)
      sign[c] = float(p.signs[c]);
    SNNRT_TRY(pj.sign.upload(sign));
    if (p.hasPositions())
      sigma = p.sigma;
    if (p.isCsr()) {
      SNNRT_TRY(initCsr(pj));
      continue;
    }
    const size_t rc = size_t(pj.rows) * pj.cols;
    if (rc * pj.taps > (size_t(1) << 31))
      return Status::error("projections/" + p.name +
                           ": too large for the CUDA engine's dense tap "
                           "matrices (rows x sources x taps >= 2^31)");
    std::vector<int32_t> delay(rc, 0);
    for (size_t k = 0; k < p.delays.size() && k < rc; ++k)
      delay[k] = p.delays[k];
    SNNRT_TRY(pj.delay.upload(delay));
  }
  return Status::ok();
}

/// CSR projection: the row, column and delay of each stored synapse, and the
/// transposed (CSC) index the input gradient gathers over, rows ascending
/// within a column. Memory in proportion to the stored synapses.
Status CudaEngine::Impl::initCsr(DProj &pj) {
  const Projection &p = *pj.proj;
  pj.csr = true;
  if (p.rowPtr.size() != size_t(pj.rows) + 1)
    return Status::error("projections/" + p.name + ": CSR rowPtr has " +
                         std::to_string(p.rowPtr.size()) + " entries, expected " +
                         std::to_string(pj.rows + 1));
  pj.nnz = p.rowPtr.back();
  if (pj.nnz != p.colIdx.size() || pj.nnz != p.weights.size())
    return Status::error("projections/" + p.name +
                         ": CSR rowPtr, colIdx and weights disagree");
  if (pj.nnz >= (uint64_t(1) << 31))
    return Status::error("projections/" + p.name +
                         ": too many stored synapses for the CUDA engine "
                         "(>= 2^31)");
  std::vector<uint32_t> synRow(pj.nnz);
  std::vector<uint64_t> colPtr(size_t(pj.cols) + 1, 0);
  for (uint32_t r = 0; r < pj.rows; ++r) {
    if (p.rowPtr[r] > p.rowPtr[r + 1] || p.rowPtr[r + 1] > pj.nnz)
      return Status::error("projections/" + p.name +
                           ": CSR rowPtr is not non-decreasing");
    for (uint64_t s = p.rowPtr[r]; s < p.rowPtr[r + 1]; ++s) {
      if (p.colIdx[s] >= pj.cols)
        return Status::error("projections/" + p.name + ": CSR column " +
                             std::to_string(p.colIdx[s]) + " out of range");
      synRow[s] = r;
      ++colPtr[size_t(p.colIdx[s]) + 1];
    }
  }
  for (uint32_t c = 0; c < pj.cols; ++c)
    colPtr[c + 1] += colPtr[c];
  std::vector<uint64_t> fill(colPtr.begin(), colPtr.end() - 1);
  std::vector<uint64_t> cscSyn(pj.nnz);
  std::vector<uint32_t> cscRow(pj.nnz);
  for (uint64_t s = 0; s < pj.nnz; ++s) { // CSR order: rows ascending
    const uint64_t q = fill[p.colIdx[s]]++;
    cscSyn[q] = s;
    cscRow[q] = synRow[s];
  }
  std::vector<int32_t> delay(pj.nnz, 0);
  for (size_t k = 0; k < p.delays.size() && k < pj.nnz; ++k)
    delay[k] = p.delays[k];
  SNNRT_TRY(pj.rowPtr.upload(p.rowPtr));
  SNNRT_TRY(pj.colIdx.upload(p.colIdx));
  SNNRT_TRY(pj.synRow.upload(synRow));
  SNNRT_TRY(pj.colPtr.upload(colPtr));
  SNNRT_TRY(pj.cscSyn.upload(cscSyn));
  SNNRT_TRY(pj.cscRow.upload(cscRow));
  SNNRT_TRY(pj.delay.upload(delay));
  return Status::ok();
}

Status CudaEngine::Impl::bind(const std::vector<ParamTensor<float>> &params) {
  auto find = [&](const std::string &name) {
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].name == name)
        return int(i);
    return -1;
  };
  for (DPop &ps : pops) {
    if (ps.isInput)
      continue;
    std::string base = "populations/" + ps.pop->name;
    ps.biasParam = find(base + "/bias");
    if (ps.biasParam < 0)
      return Status::error("CUDA engine: no parameter " + base + "/bias",
                           ErrorKind::Internal);
    ps.biasSynParam = ps.pop->biasSyn.empty() ? -1 : find(base + "/bias_syn");
    if (!ps.pop->biasSyn.empty() && ps.biasSynParam < 0)
      return Status::error("CUDA engine: no parameter " + base + "/bias_syn",
                           ErrorKind::Internal);
    if (ps.hasBn) {
      ps.gammaParam = find(base + "/batchnorm/gamma");
      ps.betaParam = find(base + "/batchnorm/beta");
      if (ps.gammaParam < 0 || ps.betaParam < 0)
        return Status::error("CUDA engine: no BatchNorm parameters for " + base,
                             ErrorKind::Internal);
    }
  }
  for (DProj &pj : projs) {
    std::string base = "projections/" + pj.proj->name;
    pj.weightParam = find(base + "/weights");
    if (pj.weightParam < 0)
      return Status::error("CUDA engine: no parameter " + base + "/weights",
                           ErrorKind::Internal);
    pj.posParam = pj.proj->hasPositions() ? find(base + "/positions") : -1;
  }
  paramsBound = true;
  return Status::ok();
}

Status CudaEngine::Impl::upload(const std::vector<ParamTensor<float>> &params) {
  if (!paramsBound)
    SNNRT_TRY(bind(params));
  for (DPop &ps : pops) {
    if (ps.isInput)
      continue;
    SNNRT_TRY(ps.bias.upload(params[ps.biasParam].value));
    if (ps.biasSynParam >= 0)
      SNNRT_TRY(ps.biasSyn.upload(params[ps.biasSynParam].value));
    if (ps.hasBn) {
      SNNRT_TRY(ps.gamma.upload(params[ps.gammaParam].value));
      SNNRT_TRY(ps.bnBeta.upload(params[ps.betaParam].value));
    }
  }
  for (DProj &pj : projs) {
    const ParamTensor<float> &w = params[pj.weightParam];
    // CSR: one value per stored synapse, uploaded as is (every stored
    // synapse is present).
    const size_t expect = pj.csr ? size_t(pj.nnz) : size_t(pj.rows) * pj.cols;
    if (pj.csr &&
        (w.value.size() != expect ||
         (pj.posParam >= 0 && params[pj.posParam].value.size() != expect)))
      return Status::error("CUDA engine: projections/" + pj.proj->name +
                               " parameters have the wrong size",
                           ErrorKind::Internal);
    SNNRT_TRY(pj.w.upload(w.value));
    if (!pj.csr)
      SNNRT_TRY(pj.present.upload(w.present));
    if (pj.posParam >= 0)
      SNNRT_TRY(pj.pos.upload(params[pj.posParam].value));
  }
  return Status::ok();
}

Status CudaEngine::Impl::allocate() {
  const size_t tb = TB();
  for (DPop &ps : pops) {
    if (ps.isInput)
      continue;
    const size_t n = size_t(ps.n) * tb;
    SNNRT_TRY(ps.cur.resize(n));
    SNNRT_TRY(ps.out.resize(n));
    SNNRT_TRY(ps.g.resize(n));
    SNNRT_TRY(ps.gOut.resize(n));
    SNNRT_TRY(ps.partial.resize(size_t(ps.n) * B));
    SNNRT_TRY(ps.gBias.resize(ps.n));
    if (!ps.pop->biasSyn.empty())
      SNNRT_TRY(ps.gBiasSyn.resize(ps.n));
    if (ps.hasBn) {
      SNNRT_TRY(ps.bnOut.resize(n));
      SNNRT_TRY(ps.bnMean.resize(ps.n));
      SNNRT_TRY(ps.bnInv.resize(ps.n));
      SNNRT_TRY(ps.batchMean.resize(ps.n));
      SNNRT_TRY(ps.batchVar.resize(ps.n));
      SNNRT_TRY(ps.gGamma.resize(ps.n));
      SNNRT_TRY(ps.gBnBeta.resize(ps.n));
    }
    if (ps.hasSyn)
      SNNRT_TRY(ps.syn.resize(n));
    if (ps.isLif) {
      SNNRT_TRY(ps.v.resize(n));
      SNNRT_TRY(ps.s.resize(n));
    }
  }
  return Status::ok();
}

ProjArgs CudaEngine::Impl::args(DProj &pj) {
  ProjArgs a;
  a.rows = int(pj.rows);
  a.cols = int(pj.cols);
  a.dmax = int(pj.dmax);
  a.taps = int(pj.taps);
  a.hasPos = pj.posParam >= 0;
  a.dcls = training && a.hasPos;
  a.h = float((pj.dmax - 1.0) / 2.0);
  a.width = kernels::dclsWidth(float(sigma));
  a.radius = float(opt.truncationRadius);
  a.w = pj.w.get();
  a.pos = a.hasPos ? pj.pos.get() : nullptr;
  a.sign = pj.sign.get();
  a.present = pj.present.get();
  a.delay = pj.delay.get();
  return a;
}

SparseArgs CudaEngine::Impl::sparseArgs(DProj &pj) {
  SparseArgs a;
  a.rows = int(pj.rows);
  a.cols = int(pj.cols);
  a.dmax = int(pj.dmax);
  a.T = int(T);
  a.B = int(B);
  a.hasPos = pj.posParam >= 0;
  a.dcls = training && a.hasPos;
  a.h = float((pj.dmax - 1.0) / 2.0);
  a.width = kernels::dclsWidth(float(sigma));
  a.radius = float(opt.truncationRadius);
  a.rowPtr = pj.rowPtr.get();
  a.colIdx = pj.colIdx.get();
  a.synRow = pj.synRow.get();
  a.colPtr = pj.colPtr.get();
  a.cscSyn = pj.cscSyn.get();
  a.cscRow = pj.cscRow.get();
  a.w = pj.w.get();
  a.pos = a.hasPos ? pj.pos.get() : nullptr;
  a.sign = pj.sign.get();
  a.delay = pj.delay.get();
  return a;
}

Status CudaEngine::Impl::projectionForward(DProj &pj) {
  if (pj.csr) {
    const size_t n = size_t(pj.rows) * TB();
    if (n == 0)
      return Status::ok();
    csrForwardKernel<<<blocksFor(n), kBlock>>>(
        sparseArgs(pj), pops[pj.src].out.get(), pops[pj.tgt].cur.get());
    SNNRT_CUDA_LAUNCH("csrForwardKernel");
    return Status::ok();
  }
  const size_t rc = size_t(pj.rows) * pj.cols;
  SNNRT_TRY(pj.Kd.resize(rc * pj.taps));
  SNNRT_TRY(pj.Kd.zero());
  ProjArgs a = args(pj);
  buildTapsKernel<<<blocksFor(rc), kBlock>>>(a, pj.Kd.get());
  SNNRT_CUDA_LAUNCH("buildTapsKernel");
  DPop &src = pops[pj.src];
  DPop &tgt = pops[pj.tgt];
  const long tb = long(TB());
  TapsByTarget A{pj.Kd.get(), int(pj.rows), int(pj.cols)};
  ShiftedBack X{src.out.get(), int(pj.cols), tb, long(B)};
  return gemm(int(pj.rows), int(tb), int(pj.taps * pj.cols), 1, A, X,
              tgt.cur.get(), tb, 0, true);
}

Status CudaEngine::Impl::populationForward(DPop &ps, bool update) {
  const size_t tb = TB();
  SNNRT_TRY(ps.cur.zero());
  for (int j : ps.incoming)
    SNNRT_TRY(projectionForward(projs[j]));
  const Population &p = *ps.pop;
  const float *in = ps.cur.get();
  if (ps.hasBn) {
    bnForwardKernel<<<ps.n, kBlock>>>(
        ps.cur.get(), ps.bnOut.get(), ps.bnMean.get(), ps.bnInv.get(),
        ps.runMean.get(), ps.runVar.get(), ps.batchMean.get(),
        ps.batchVar.get(), ps.gamma.get(), ps.bnBeta.get(), long(tb), training,
        update, p.batchnorm->momentum, p.batchnorm->eps);
    SNNRT_CUDA_LAUNCH("bnForwardKernel");
    in = ps.bnOut.get();
  }
  const size_t nb = size_t(ps.n) * B;
  if (ps.hasSyn) {
    leakyForwardKernel<<<blocksFor(nb), kBlock>>>(in, ps.syn.get(),
                                                  ps.betaSyn.get(),
                                                  ps.biasSynParam >= 0
                                                      ? ps.biasSyn.get()
                                                      : nullptr,
                                                  int(ps.n), int(T), int(B));
    SNNRT_CUDA_LAUNCH("leakyForwardKernel (CuBa)");
    in = ps.syn.get();
  }
  if (!ps.isLif) {
    leakyForwardKernel<<<blocksFor(nb), kBlock>>>(in, ps.out.get(),
                                                  ps.beta.get(), ps.bias.get(),
                                                  int(ps.n), int(T), int(B));
    SNNRT_CUDA_LAUNCH("leakyForwardKernel (LI)");
    return Status::ok();
  }
  // SNN-F12: the same mask as the CPU engine (drawn on the host).
  ps.masked = training && p.dropout > 0;
  if (ps.masked) {
    std::vector<float> mask(nb);
    uint64_t st = dropoutSeed * 0x2545F4914F6CDD1Dull + uint64_t(ps.index);
    float keep = float(1.0 / (1.0 - p.dropout));
    for (auto &mk : mask) {
      double u = double(splitmix64(st) >> 11) * 0x1.0p-53;
      mk = u < p.dropout ? 0.0f : keep;
    }
    SNNRT_TRY(ps.mask.upload(mask));
  }
  lifForwardKernel<<<blocksFor(nb), kBlock>>>(
      in, ps.v.get(), ps.s.get(), ps.out.get(),
      ps.masked ? ps.mask.get() : nullptr, ps.beta.get(), ps.theta.get(),
      ps.bias.get(), ps.hard, ps.rule.strictThreshold, ps.rule.resetFirst,
      int(ps.n), int(T), int(B));
  SNNRT_CUDA_LAUNCH("lifForwardKernel");
  return Status::ok();
}

Status CudaEngine::Impl::populationBackward(DPop &ps) {
  const size_t nb = size_t(ps.n) * B;
  if (!ps.isLif) {
    liBackwardKernel<<<blocksFor(nb), kBlock>>>(ps.gOut.get(), ps.g.get(),
                                                ps.partial.get(), ps.beta.get(),
                                                int(ps.n), int(T), int(B));
    SNNRT_CUDA_LAUNCH("liBackwardKernel");
  } else {
    lifBackwardKernel<<<blocksFor(nb), kBlock>>>(
        ps.gOut.get(), ps.g.get(), ps.partial.get(), ps.v.get(), ps.s.get(),
        ps.masked ? ps.mask.get() : nullptr, ps.beta.get(), ps.theta.get(),
        float(opt.surrogateAlpha), ps.hard, ps.rule.resetFirst, int(ps.n),
        int(T), int(B));
    SNNRT_CUDA_LAUNCH("lifBackwardKernel");
  }
  rowSumKernel<<<blocksFor(ps.n), kBlock>>>(ps.partial.get(), ps.gBias.get(),
                                            int(ps.n), int(B));
  SNNRT_CUDA_LAUNCH("rowSumKernel");
  if (ps.hasSyn) {
    cubaBackwardKernel<<<blocksFor(nb), kBlock>>>(ps.g.get(), ps.betaSyn.get(),
                                                  int(ps.n), int(T), int(B));
    SNNRT_CUDA_LAUNCH("cubaBackwardKernel");
    if (ps.biasSynParam >= 0) {
      timeSumKernel<<<blocksFor(nb), kBlock>>>(ps.g.get(), ps.partial.get(),
                                               int(ps.n), int(T), int(B));
      SNNRT_CUDA_LAUNCH("timeSumKernel");
      rowSumKernel<<<blocksFor(ps.n), kBlock>>>(
          ps.partial.get(), ps.gBiasSyn.get(), int(ps.n), int(B));
      SNNRT_CUDA_LAUNCH("rowSumKernel (bias_syn)");
    }
  }
  if (ps.hasBn) {
    bnBackwardKernel<<<ps.n, kBlock>>>(ps.g.get(), ps.cur.get(), ps.bnMean.get(),
                                       ps.bnInv.get(), ps.gamma.get(),
                                       ps.gGamma.get(), ps.gBnBeta.get(),
                                       long(TB()), training);
    SNNRT_CUDA_LAUNCH("bnBackwardKernel");
  }
  for (int j : ps.incoming)
    SNNRT_TRY(projectionBackward(projs[j]));
  return Status::ok();
}

Status CudaEngine::Impl::projectionBackward(DProj &pj) {
  DPop &src = pops[pj.src];
  DPop &tgt = pops[pj.tgt];
  const long tb = long(TB());
  if (pj.csr) {
    const SparseArgs a = sparseArgs(pj);
    const size_t n = size_t(pj.cols) * TB();
    if (!src.isInput && n > 0) {
      csrBackwardInputKernel<<<blocksFor(n), kBlock>>>(a, tgt.g.get(),
                                                       src.gOut.get());
      SNNRT_CUDA_LAUNCH("csrBackwardInputKernel");
    }
    SNNRT_TRY(pj.gW.resize(pj.nnz));
    if (pj.posParam >= 0)
      SNNRT_TRY(pj.gPos.resize(pj.nnz));
    if (pj.nnz > 0) {
      csrParamGradKernel<<<unsigned(pj.nnz), kSparseBlock>>>(
          a, tgt.g.get(), src.out.get(), pj.gW.get(),
          pj.posParam >= 0 ? pj.gPos.get() : nullptr);
      SNNRT_CUDA_LAUNCH("csrParamGradKernel");
    }
    return Status::ok();
  }
  const size_t rc = size_t(pj.rows) * pj.cols;
  SNNRT_TRY(pj.gKd.resize(rc * pj.taps));
  RowsOfG A{tgt.g.get(), tb};
  ShiftedSource X{src.out.get(), tb, long(B)};
  SNNRT_TRY(gemm(int(pj.rows), int(pj.cols), int(tb), int(pj.taps), A, X,
                 pj.gKd.get(), long(pj.cols), long(rc), false));
  if (!src.isInput) {
    TapsBySource K{pj.Kd.get(), int(pj.rows), int(pj.cols)};
    ShiftedForward G{tgt.g.get(), int(pj.rows), tb, long(B)};
    SNNRT_TRY(gemm(int(pj.cols), int(tb), int(pj.taps * pj.rows), 1, K, G,
                   src.gOut.get(), tb, 0, true));
  }
  SNNRT_TRY(pj.gW.resize(rc));
  if (pj.posParam >= 0)
    SNNRT_TRY(pj.gPos.resize(rc));
  ProjArgs a = args(pj);
  chainKernel<<<blocksFor(rc), kBlock>>>(a, pj.gKd.get(), pj.gW.get(),
                                         pj.posParam >= 0 ? pj.gPos.get()
                                                          : nullptr);
  SNNRT_CUDA_LAUNCH("chainKernel");
  return Status::ok();
}

Status CudaEngine::Impl::runLoss(const std::vector<int32_t> &lab, double *loss) {
  DPop &ps = pops[outputPop];
  const uint32_t K = ps.n;
  SNNRT_TRY(prob.resize(size_t(K) * TB()));
  SNNRT_TRY(mSum.resize(size_t(B) * K));
  SNNRT_TRY(lossPer.resize(B));
  std::vector<int32_t> l(B, 0);
  for (size_t b = 0; b < B && b < lab.size(); ++b)
    l[b] = lab[b] >= 0 && uint32_t(lab[b]) < K ? lab[b] : 0;
  SNNRT_TRY(labels.upload(l));
  lossKernel<<<blocksFor(B), kBlock>>>(ps.out.get(), prob.get(), mSum.get(),
                                       lossPer.get(), labels.get(), int(K),
                                       int(T), int(B));
  SNNRT_CUDA_LAUNCH("lossKernel");
  SNNRT_TRY(mSum.download(hostM));
  if (loss) {
    std::vector<double> per;
    SNNRT_TRY(lossPer.download(per));
    double total = 0;
    for (size_t b = 0; b < B && b < lab.size(); ++b)
      total += per[b];
    *loss = B ? total / B : 0.0;
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------

CudaEngine::CudaEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CudaEngine::~CudaEngine() = default;

Expected<std::unique_ptr<CudaEngine>>
CudaEngine::create(const Model &model, const EngineOptions &options) {
  SNNRT_TRY(cuda::requireDevice());
  auto impl = std::make_unique<Impl>();
  SNNRT_TRY(impl->init(model, options));
  return std::unique_ptr<CudaEngine>(new CudaEngine(std::move(impl)));
}

void CudaEngine::setTraining(bool t) { impl_->training = t; }
bool CudaEngine::training() const { return impl_->training; }
void CudaEngine::setSigma(double s) { impl_->sigma = s; }
void CudaEngine::setDropoutSeed(uint64_t s) { impl_->dropoutSeed = s; }
uint32_t CudaEngine::batchSize() const { return impl_->B; }

Status CudaEngine::setInput(const Dataset &data,
                            const std::vector<size_t> &samples) {
  Impl &m = *impl_;
  const Population &in = m.model.populations[m.inputPop];
  if (data.steps != m.T)
    return Status::error("dataset has " + std::to_string(data.steps) +
                         " steps per sample, the model " + std::to_string(m.T));
  if (data.channels != in.size)
    return Status::error("dataset has " + std::to_string(data.channels) +
                         " channels, input population '" + in.name +
                         "' has " + std::to_string(in.size));
  const uint32_t B = uint32_t(samples.size());
  const size_t tb = size_t(m.T) * B, C = in.size;
  std::vector<float> x(C * tb, 0.0f);
  const float scale = float(in.scale); // SNN-F1
  for (uint32_t b = 0; b < B; ++b) {
    size_t n = samples[b];
    if (n >= data.size())
      return Status::error("sample index " + std::to_string(n) + " out of range",
                           ErrorKind::Internal);
    if (data.kind == InputKind::Frames) {
      const float *f = data.frames.data() + n * m.T * C;
      for (uint32_t t = 0; t < m.T; ++t)
        for (size_t c = 0; c < C; ++c)
          x[c * tb + size_t(t) * B + b] = scale * f[size_t(t) * C + c];
    } else {
      for (uint64_t e = data.eventOffsets[n]; e < data.eventOffsets[n + 1]; ++e)
        x[size_t(data.eventChannel[e]) * tb + size_t(data.eventStep[e]) * B + b] =
            scale * float(data.eventCount[e]);
    }
  }
  return setInputDense(x, B);
}

Status CudaEngine::setInputDense(const std::vector<float> &x, uint32_t batch) {
  Impl &m = *impl_;
  DPop &ps = m.pops[m.inputPop];
  if (x.size() != size_t(ps.n) * m.T * batch)
    return Status::error("input has " + std::to_string(x.size()) +
                         " values, expected channels*steps*batch = " +
                         std::to_string(size_t(ps.n) * m.T * batch));
  m.B = batch;
  SNNRT_TRY(ps.out.upload(x));
  return m.allocate();
}

Status CudaEngine::forward(const std::vector<ParamTensor<float>> &params,
                           bool updateRunningStats) {
  Impl &m = *impl_;
  if (m.B == 0)
    return Status::error("CUDA engine: forward() before setInput()");
  SNNRT_TRY(m.upload(params));
  for (int i : m.order)
    if (!m.pops[i].isInput)
      SNNRT_TRY(m.populationForward(m.pops[i], updateRunningStats));
  SNNRT_CUDA(cudaDeviceSynchronize());
  return Status::ok();
}

Expected<double> CudaEngine::loss(const std::vector<int32_t> &labels) {
  double l = 0;
  SNNRT_TRY(impl_->runLoss(labels, &l));
  return l;
}

std::vector<int32_t> CudaEngine::predictions() const {
  const Impl &m = *impl_;
  const uint32_t K = m.pops[m.outputPop].n;
  std::vector<int32_t> out(m.B, 0);
  for (uint32_t b = 0; b < m.B && m.hostM.size() >= size_t(m.B) * K; ++b) {
    const double *mb = m.hostM.data() + size_t(b) * K;
    out[b] = int32_t(std::max_element(mb, mb + K) - mb);
  }
  return out;
}

Status CudaEngine::backward(const std::vector<int32_t> &labels,
                            std::vector<ParamTensor<float>> &params) {
  Impl &m = *impl_;
  SNNRT_TRY(backwardOnDevice(labels));
  // Gradients back into the trainer's tensors.
  for (auto &p : params)
    std::fill(p.grad.begin(), p.grad.end(), 0.0f);
  for (DPop &ps : m.pops) {
    if (ps.isInput)
      continue;
    SNNRT_TRY(ps.gBias.download(params[ps.biasParam].grad));
    if (ps.biasSynParam >= 0)
      SNNRT_TRY(ps.gBiasSyn.download(params[ps.biasSynParam].grad));
    if (ps.hasBn) {
      SNNRT_TRY(ps.gGamma.download(params[ps.gammaParam].grad));
      SNNRT_TRY(ps.gBnBeta.download(params[ps.betaParam].grad));
    }
  }
  // Dense: one value per slot; CSR: one per stored synapse, in CSR order.
  for (DProj &pj : m.projs) {
    SNNRT_TRY(pj.gW.download(params[pj.weightParam].grad));
    if (pj.posParam >= 0)
      SNNRT_TRY(pj.gPos.download(params[pj.posParam].grad));
  }
  return Status::ok();
}

Status CudaEngine::backwardOnDevice(const std::vector<int32_t> &labels) {
  Impl &m = *impl_;
  if (labels.size() < m.B)
    return Status::error("CUDA engine: fewer labels than samples");
  for (DPop &ps : m.pops)
    if (!ps.isInput)
      SNNRT_TRY(ps.gOut.zero());
  SNNRT_TRY(m.runLoss(labels, nullptr));
  DPop &out = m.pops[m.outputPop];
  lossBackwardKernel<<<blocksFor(m.B), kBlock>>>(
      m.prob.get(), m.mSum.get(), m.labels.get(), out.gOut.get(), int(out.n),
      int(m.T), int(m.B));
  SNNRT_CUDA_LAUNCH("lossBackwardKernel");
  for (auto it = m.order.rbegin(); it != m.order.rend(); ++it)
    if (!m.pops[*it].isInput)
      SNNRT_TRY(m.populationBackward(m.pops[*it]));
  SNNRT_CUDA(cudaDeviceSynchronize());
  return Status::ok();
}

Status CudaEngine::copyGradients(const std::vector<ParamTensor<float>> &params,
                                 float *dst) const {
  Impl &m = *impl_;
  // Which device buffer holds each tensor's gradient (none: zeros, as
  // backward() leaves a tensor the device has no gradient for).
  std::vector<const DeviceBuffer<float> *> src(params.size(), nullptr);
  auto bindGrad = [&](int param, const DeviceBuffer<float> &b) {
    if (param >= 0 && size_t(param) < src.size())
      src[size_t(param)] = &b;
  };
  for (const DPop &ps : m.pops) {
    if (ps.isInput)
      continue;
    bindGrad(ps.biasParam, ps.gBias);
    bindGrad(ps.biasSynParam, ps.gBiasSyn);
    if (ps.hasBn) {
      bindGrad(ps.gammaParam, ps.gGamma);
      bindGrad(ps.betaParam, ps.gBnBeta);
    }
  }
  for (const DProj &pj : m.projs) {
    bindGrad(pj.weightParam, pj.gW);
    bindGrad(pj.posParam, pj.gPos);
  }
  size_t at = 0;
  for (size_t k = 0; k < params.size(); ++k) {
    const size_t n = params[k].value.size();
    if (src[k] && src[k]->size() != n)
      return Status::error("CUDA engine: " + params[k].name + ": " +
                               std::to_string(src[k]->size()) +
                               " gradients for " + std::to_string(n) +
                               " values",
                           ErrorKind::Internal);
    if (n > 0) {
      if (src[k])
        SNNRT_CUDA(cudaMemcpy(dst + at, src[k]->get(), n * sizeof(float),
                              cudaMemcpyDeviceToDevice));
      else
        SNNRT_CUDA(cudaMemset(dst + at, 0, n * sizeof(float)));
    }
    at += n;
  }
  return Status::ok();
}

size_t CudaEngine::batchNormNeurons() const {
  size_t n = 0;
  for (const DPop &ps : impl_->pops)
    if (ps.hasBn)
      n += ps.n;
  return n;
}

Status CudaEngine::batchNormStats(std::vector<double> &means,
                                  std::vector<double> &vars) const {
  means.clear();
  vars.clear();
  for (const DPop &ps : impl_->pops) {
    if (!ps.hasBn)
      continue;
    if (ps.batchMean.size() != ps.n)
      return Status::error("CUDA engine: batchNormStats before a forward()",
                           ErrorKind::Internal);
    std::vector<double> m, v;
    SNNRT_TRY(ps.batchMean.download(m));
    SNNRT_TRY(ps.batchVar.download(v));
    means.insert(means.end(), m.begin(), m.end());
    vars.insert(vars.end(), v.begin(), v.end());
  }
  return Status::ok();
}

Status CudaEngine::updateRunningStats(const std::vector<double> &means,
                                      const std::vector<double> &vars,
                                      size_t count) {
  const size_t n = batchNormNeurons();
  if (means.size() != n || vars.size() != n)
    return Status::error("updateRunningStats: " + std::to_string(means.size()) +
                             " means and " + std::to_string(vars.size()) +
                             " variances for " + std::to_string(n) +
                             " BatchNorm neurons",
                         ErrorKind::Internal);
  DeviceBuffer<double> dm, dv;
  size_t o = 0;
  for (DPop &ps : impl_->pops) {
    if (!ps.hasBn)
      continue;
    SNNRT_TRY(dm.upload(means.data() + o, ps.n));
    SNNRT_TRY(dv.upload(vars.data() + o, ps.n));
    runningStatsKernel<<<blocksFor(ps.n), kBlock>>>(
        ps.runMean.get(), ps.runVar.get(), dm.get(), dv.get(), int(ps.n),
        long(count), ps.pop->batchnorm->momentum);
    SNNRT_CUDA_LAUNCH("runningStatsKernel");
    o += ps.n;
  }
  SNNRT_CUDA(cudaDeviceSynchronize());
  return Status::ok();
}

Status CudaEngine::slotGradients(int weightParam,
                                 const std::vector<size_t> &slots,
                                 std::vector<float> &grad) const {
  Impl &m = *impl_;
  for (DProj &pj : m.projs) {
    if (pj.weightParam != weightParam)
      continue;
    if (pj.proj->isCsr())
      return Status::error("projections/" + pj.proj->name +
                           ": slot gradients need the dense layout");
    const size_t rc = size_t(pj.rows) * pj.cols;
    if (pj.gKd.size() != rc * pj.taps)
      return Status::error("slotGradients needs forward() and backward() "
                           "first");
    std::vector<uint64_t> s(slots.begin(), slots.end());
    for (uint64_t x : s)
      if (x >= rc)
        return Status::error("projections/" + pj.proj->name + ": slot " +
                             std::to_string(x) + " out of range");
    DeviceBuffer<uint64_t> ds;
    DeviceBuffer<float> out;
    SNNRT_TRY(ds.upload(s));
    SNNRT_TRY(out.resize(s.size()));
    if (!s.empty()) {
      slotGradKernel<<<blocksFor(s.size()), kBlock>>>(
          m.args(pj), pj.gKd.get(), ds.get(), long(s.size()), out.get());
      SNNRT_CUDA_LAUNCH("slotGradKernel");
    }
    return out.download(grad);
  }
  return Status::error("parameter " + std::to_string(weightParam) +
                       " is not the weight tensor of a projection");
}

Status CudaEngine::values(const std::string &population,
                          std::vector<float> &out) const {
  int i = impl_->model.findPopulation(population);
  if (i < 0)
    return Status::error("no population '" + population + "'");
  return impl_->pops[i].out.download(out);
}

void CudaEngine::exportRunningStats(Model &model) const {
  const Impl &m = *impl_;
  for (size_t i = 0; i < m.pops.size() && i < model.populations.size(); ++i) {
    const DPop &ps = m.pops[i];
    Population &p = model.populations[i];
    if (!ps.hasBn || !p.batchnorm)
      continue;
    std::vector<double> mean, var;
    if (!ps.runMean.download(mean) || !ps.runVar.download(var))
      continue;
    p.batchnorm->mean.assign(mean.begin(), mean.end());
    p.batchnorm->var.assign(var.begin(), var.end());
  }
}

Status cudaAdamStep(std::vector<ParamTensor<float>> &params,
                    std::vector<std::vector<float>> &adamM,
                    std::vector<std::vector<float>> &adamV,
                    const std::vector<AdamGroup> &groups, double beta2,
                    double eps, int64_t step) {
  SNNRT_TRY(cuda::requireDevice());
  if (groups.size() != params.size() || adamM.size() != params.size() ||
      adamV.size() != params.size())
    return Status::error("cudaAdamStep: one group and moment pair per tensor",
                         ErrorKind::Internal);
  const double bc2 = 1.0 - std::pow(beta2, double(step));
  DeviceBuffer<float> value, m, v, grad;
  DeviceBuffer<uint8_t> present;
  for (size_t k = 0; k < params.size(); ++k) {
    const AdamGroup &g = groups[k];
    auto &p = params[k];
    if (g.skip || p.value.empty())
      continue;
    const double bc1 = 1.0 - std::pow(g.beta1, double(step));
    SNNRT_TRY(value.upload(p.value));
    SNNRT_TRY(m.upload(adamM[k]));
    SNNRT_TRY(v.upload(adamV[k]));
    SNNRT_TRY(grad.upload(p.grad));
    const bool usePresent = g.onlyPresent && p.present.size() == p.value.size();
    if (usePresent)
      SNNRT_TRY(present.upload(p.present));
    adamKernel<<<blocksFor(p.value.size()), kBlock>>>(
        value.get(), m.get(), v.get(), grad.get(),
        usePresent ? present.get() : nullptr, long(p.value.size()), g.lr,
        g.beta1, beta2, bc1, bc2, eps, g.clamp, g.clampH);
    SNNRT_CUDA_LAUNCH("adamKernel");
    SNNRT_TRY(value.download(p.value));
    SNNRT_TRY(m.download(adamM[k]));
    SNNRT_TRY(v.download(adamV[k]));
  }
  return Status::ok();
}

} // namespace snnrt
