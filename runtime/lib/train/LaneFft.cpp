//===- LaneFft.cpp - Real FFTs of many signals side by side ---------------===//
//
// A real signal of even length N is transformed as the complex signal
// z[m] = x[2m] + i x[2m+1] of length M = N/2 (FFT_M, then one pass that
// separates the even and odd halves); the complex FFT is a Stockham
// decimation in frequency: with n = p m, a pass writes
//   y[(p j + u) s + q] = w_n^{j u} sum_r x[(j + r m) s + q] w_p^{r u}
// for every lane q < s (s = product of the radices done, times lanes), and
// the next pass transforms y as p interleaved signals of length m. Every
// inner loop runs over s contiguous values with one twiddle.
//
//===----------------------------------------------------------------------===//

#include "snnrt/train/LaneFft.h"
#include "snnrt/base/StreamStore.h"
#include "snnrt/base/TargetClones.h"

#include <algorithm>
#include <cmath>

namespace snnrt {

namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

bool smooth235(uint32_t m) {
  for (uint32_t p : {2u, 3u, 5u})
    while (m % p == 0)
      m /= p;
  return m == 1;
}

// How a butterfly stores output value v: y = v (to work arrays, or the
// last pass of an inverse writing its signal), or y += v (adding to it).
// The inverse's 1/M is applied by its first step (merge) instead.
enum class Out { Store, Add };

template <Out O, typename Real>
__attribute__((always_inline)) inline void emit(Real &y, Real v) {
  if constexpr (O == Out::Store)
    y = v;
  else
    y += v;
}

// Output u's value (re, im) times its twiddle (tr, ti), emitted; Tw false:
// the twiddle is 1 (butterfly j = 0 of every pass, the whole last pass),
// no multiplication.
template <Out O, bool Tw, typename Real>
__attribute__((always_inline)) inline void
emitRotated(Real &y, Real &z, Real re, Real im, Real tr, Real ti) {
  if constexpr (Tw) {
    emit<O>(y, re * tr - im * ti);
    emit<O>(z, re * ti + im * tr);
  } else {
    emit<O>(y, re);
    emit<O>(z, im);
  }
}

// Butterflies on `len` contiguous lanes. a[r], b[r]: real and imaginary
// inputs r < P; y[u], z[u]: outputs u < P, multiplied by twiddle u.
template <Out O, bool Tw, typename Real>
__attribute__((always_inline)) inline void
radix2Impl(const Real *const *a, const Real *const *b, Real *const *y,
           Real *const *z, Real tr, Real ti, size_t len) {
  const Real *__restrict a0 = a[0], *__restrict a1 = a[1];
  const Real *__restrict b0 = b[0], *__restrict b1 = b[1];
  Real *__restrict y0 = y[0], *__restrict y1 = y[1];
  Real *__restrict z0 = z[0], *__restrict z1 = z[1];
#pragma omp simd
  for (size_t q = 0; q < len; ++q) {
    Real dr = a0[q] - a1[q], di = b0[q] - b1[q];
    emit<O>(y0[q], a0[q] + a1[q]);
    emit<O>(z0[q], b0[q] + b1[q]);
    emitRotated<O, Tw>(y1[q], z1[q], dr, di, tr, ti);
  }
}

// sign -1: w_4 = -i (forward); +1: w_4 = i.
template <Out O, bool Tw, typename Real>
__attribute__((always_inline)) inline void
radix4Impl(const Real *const *a, const Real *const *b, Real *const *y,
           Real *const *z, const Real *tr, const Real *ti, Real sign,
           size_t len) {
  const Real *__restrict a0 = a[0], *__restrict a1 = a[1],
                         *__restrict a2 = a[2], *__restrict a3 = a[3];
  const Real *__restrict b0 = b[0], *__restrict b1 = b[1],
                         *__restrict b2 = b[2], *__restrict b3 = b[3];
  Real *__restrict y0 = y[0], *__restrict y1 = y[1], *__restrict y2 = y[2],
                   *__restrict y3 = y[3];
  Real *__restrict z0 = z[0], *__restrict z1 = z[1], *__restrict z2 = z[2],
                   *__restrict z3 = z[3];
  const Real t1r = tr[1], t1i = ti[1], t2r = tr[2], t2i = ti[2], t3r = tr[3],
             t3i = ti[3];
#pragma omp simd
  for (size_t q = 0; q < len; ++q) {
    Real sr = a0[q] + a2[q], si = b0[q] + b2[q];
    Real dr = a0[q] - a2[q], di = b0[q] - b2[q];
    Real pr = a1[q] + a3[q], pi = b1[q] + b3[q];
    // w_4 (a1 - a3) with w_4 = sign i.
    Real mr = -sign * (b1[q] - b3[q]), mi = sign * (a1[q] - a3[q]);
    emit<O>(y0[q], sr + pr);
    emit<O>(z0[q], si + pi);
    Real u1r = dr + mr, u1i = di + mi;
    Real u2r = sr - pr, u2i = si - pi;
    Real u3r = dr - mr, u3i = di - mi;
    emitRotated<O, Tw>(y1[q], z1[q], u1r, u1i, t1r, t1i);
    emitRotated<O, Tw>(y2[q], z2[q], u2r, u2i, t2r, t2i);
    emitRotated<O, Tw>(y3[q], z3[q], u3r, u3i, t3r, t3i);
  }
}

// Radix 8 as radix 2 then radix 4: s_r = a_r + a_{r+4} and d_r = (a_r -
// a_{r+4}) w_8^r (r < 4) give outputs 2v = DFT_4(s)[v], 2v + 1 =
// DFT_4(d)[v]; w_8 = e^{sign i pi / 4}.
template <Out O, bool Tw, typename Real>
__attribute__((always_inline)) inline void
radix8Impl(const Real *const *a, const Real *const *b, Real *const *y,
           Real *const *z, const Real *tr, const Real *ti, Real sign,
           size_t len) {
  const Real h = Real(0.70710678118654752440);
  const Real *__restrict a0 = a[0], *__restrict a1 = a[1],
                         *__restrict a2 = a[2], *__restrict a3 = a[3],
                         *__restrict a4 = a[4], *__restrict a5 = a[5],
                         *__restrict a6 = a[6], *__restrict a7 = a[7];
  const Real *__restrict b0 = b[0], *__restrict b1 = b[1],
                         *__restrict b2 = b[2], *__restrict b3 = b[3],
                         *__restrict b4 = b[4], *__restrict b5 = b[5],
                         *__restrict b6 = b[6], *__restrict b7 = b[7];
  Real *__restrict y0 = y[0], *__restrict y1 = y[1], *__restrict y2 = y[2],
                   *__restrict y3 = y[3], *__restrict y4 = y[4],
                   *__restrict y5 = y[5], *__restrict y6 = y[6],
                   *__restrict y7 = y[7];
  Real *__restrict z0 = z[0], *__restrict z1 = z[1], *__restrict z2 = z[2],
                   *__restrict z3 = z[3], *__restrict z4 = z[4],
                   *__restrict z5 = z[5], *__restrict z6 = z[6],
                   *__restrict z7 = z[7];
  Real twr[8], twi[8];
  for (int u = 0; u < 8; ++u) {
    twr[u] = tr[u];
    twi[u] = ti[u];
  }
#pragma omp simd
  for (size_t q = 0; q < len; ++q) {
    // Radix 2 across r and r + 4.
    Real s0r = a0[q] + a4[q], s0i = b0[q] + b4[q];
    Real s1r = a1[q] + a5[q], s1i = b1[q] + b5[q];
    Real s2r = a2[q] + a6[q], s2i = b2[q] + b6[q];
    Real s3r = a3[q] + a7[q], s3i = b3[q] + b7[q];
    Real d0r = a0[q] - a4[q], d0i = b0[q] - b4[q];
    Real e1r = a1[q] - a5[q], e1i = b1[q] - b5[q];
    Real e2r = a2[q] - a6[q], e2i = b2[q] - b6[q];
    Real e3r = a3[q] - a7[q], e3i = b3[q] - b7[q];
    // d1 = e1 w_8 = e1 (h + sign h i), d2 = e2 (sign i),
    // d3 = e3 w_8^3 = e3 (-h + sign h i).
    Real d1r = h * (e1r - sign * e1i), d1i = h * (sign * e1r + e1i);
    Real d2r = -sign * e2i, d2i = sign * e2r;
    Real d3r = -h * (e3r + sign * e3i), d3i = h * (sign * e3r - e3i);
    // DFT_4 of s (even outputs) and d (odd outputs), w_4 = sign i.
    Real t0r = s0r + s2r, t0i = s0i + s2i, t1r = s0r - s2r, t1i = s0i - s2i;
    Real t2r = s1r + s3r, t2i = s1i + s3i;
    Real t3r = -sign * (s1i - s3i), t3i = sign * (s1r - s3r);
    Real u0r = d0r + d2r, u0i = d0i + d2i, u1r = d0r - d2r, u1i = d0i - d2i;
    Real u2r = d1r + d3r, u2i = d1i + d3i;
    Real u3r = -sign * (d1i - d3i), u3i = sign * (d1r - d3r);
    Real o0r = t0r + t2r, o0i = t0i + t2i; // y0
    Real o2r = t1r + t3r, o2i = t1i + t3i; // y2
    Real o4r = t0r - t2r, o4i = t0i - t2i; // y4
    Real o6r = t1r - t3r, o6i = t1i - t3i; // y6
    Real o1r = u0r + u2r, o1i = u0i + u2i; // y1
    Real o3r = u1r + u3r, o3i = u1i + u3i; // y3
    Real o5r = u0r - u2r, o5i = u0i - u2i; // y5
    Real o7r = u1r - u3r, o7i = u1i - u3i; // y7
    emit<O>(y0[q], o0r); // twiddle 0 is 1
    emit<O>(z0[q], o0i);
    emitRotated<O, Tw>(y1[q], z1[q], o1r, o1i, twr[1], twi[1]);
    emitRotated<O, Tw>(y2[q], z2[q], o2r, o2i, twr[2], twi[2]);
    emitRotated<O, Tw>(y3[q], z3[q], o3r, o3i, twr[3], twi[3]);
    emitRotated<O, Tw>(y4[q], z4[q], o4r, o4i, twr[4], twi[4]);
    emitRotated<O, Tw>(y5[q], z5[q], o5r, o5i, twr[5], twi[5]);
    emitRotated<O, Tw>(y6[q], z6[q], o6r, o6i, twr[6], twi[6]);
    emitRotated<O, Tw>(y7[q], z7[q], o7r, o7i, twr[7], twi[7]);
  }
}

// The split and merge of the real transforms (LaneFft::forward and
// inverse): per lane, bins f and M - f of the half-length transform.
template <typename Real>
__attribute__((always_inline)) inline void
splitImpl(const Real *__restrict a, const Real *__restrict b,
          const Real *__restrict c, const Real *__restrict d,
          Real *__restrict outR, Real *__restrict outI, Real wr, Real wi,
          size_t len) {
  const Real h = Real(0.5);
#pragma omp simd
  for (size_t q = 0; q < len; ++q) {
    Real er = h * (a[q] + c[q]), ei = h * (b[q] - d[q]);
    Real orr = h * (b[q] + d[q]), oi = h * (c[q] - a[q]);
    outR[q] = er + wr * orr - wi * oi;
    outI[q] = ei + wr * oi + wi * orr;
  }
}

// xi, yi null: bin f or M - f is real (its imaginary part is not read).
template <typename Real>
__attribute__((always_inline)) inline void
mergeImpl(const Real *__restrict xr, const Real *__restrict xi,
          const Real *__restrict yr, const Real *__restrict yi,
          Real *__restrict outR, Real *__restrict outI, Real c, Real s,
          Real h, size_t len) {
  const bool fReal = xi == nullptr, gReal = yi == nullptr;
#pragma omp simd
  for (size_t q = 0; q < len; ++q) {
    Real ai = fReal ? Real(0) : xi[q];
    Real bi = gReal ? Real(0) : yi[q];
    Real er = h * (xr[q] + yr[q]), ei = h * (ai - bi);
    Real dr = h * (xr[q] - yr[q]), di = h * (ai + bi);
    Real orr = dr * c - di * s, oi = dr * s + di * c;
    outR[q] = er - oi;
    outI[q] = ei + orr;
  }
}

template <typename Real>
__attribute__((always_inline)) inline void
addToImpl(Real *__restrict y, const Real *__restrict x, size_t len) {
#pragma omp simd
  for (size_t q = 0; q < len; ++q)
    y[q] += x[q];
}

// The lane loops compiled per x86 level (TargetClones.h), for both types;
// "Plain" butterflies have twiddles 1.
#define SNNRT_LANE_RADICES(Real, O, Name, Tw)                                  \
  SNNRT_CLONES void radix2##Name(const Real *const *a, const Real *const *b,   \
                                 Real *const *y, Real *const *z, Real tr,      \
                                 Real ti, size_t len) {                        \
    radix2Impl<Out::O, Tw>(a, b, y, z, tr, ti, len);                           \
  }                                                                            \
  SNNRT_CLONES void radix4##Name(const Real *const *a, const Real *const *b,   \
                                 Real *const *y, Real *const *z,               \
                                 const Real *tr, const Real *ti, Real sign,    \
                                 size_t len) {                                 \
    radix4Impl<Out::O, Tw>(a, b, y, z, tr, ti, sign, len);                     \
  }                                                                            \
  SNNRT_CLONES void radix8##Name(const Real *const *a, const Real *const *b,   \
                                 Real *const *y, Real *const *z,               \
                                 const Real *tr, const Real *ti, Real sign,    \
                                 size_t len) {                                 \
    radix8Impl<Out::O, Tw>(a, b, y, z, tr, ti, sign, len);                     \
  }
#define SNNRT_LANE_KERNELS(Real)                                               \
  SNNRT_LANE_RADICES(Real, Store, Store, true)                                 \
  SNNRT_LANE_RADICES(Real, Store, StorePlain, false)                           \
  SNNRT_LANE_RADICES(Real, Add, AddPlain, false)                               \
  SNNRT_CLONES void split(const Real *a, const Real *b, const Real *c,         \
                          const Real *d, Real *outR, Real *outI, Real wr,      \
                          Real wi, size_t len) {                               \
    splitImpl(a, b, c, d, outR, outI, wr, wi, len);                            \
  }                                                                            \
  SNNRT_CLONES void merge(const Real *xr, const Real *xi, const Real *yr,      \
                          const Real *yi, Real *outR, Real *outI, Real c,      \
                          Real s, Real h, size_t len) {                        \
    mergeImpl(xr, xi, yr, yi, outR, outI, c, s, h, len);                       \
  }                                                                            \
  SNNRT_CLONES void addTo(Real *y, const Real *x, size_t len) {                \
    addToImpl(y, x, len);                                                      \
  }
SNNRT_LANE_KERNELS(float)
SNNRT_LANE_KERNELS(double)
#undef SNNRT_LANE_KERNELS
#undef SNNRT_LANE_RADICES

// Radix 3 or 5 through the small DFT matrix (cr, ci: [u][r]).
template <Out O, bool Tw, typename Real, int P>
void radixSmall(const Real *const *a, const Real *const *b, Real *const *y,
                Real *const *z, const Real *tr, const Real *ti, const Real *cr,
                const Real *ci, size_t len) {
  for (size_t q = 0; q < len; ++q) {
    Real ar[P], ai[P];
    for (int r = 0; r < P; ++r) {
      ar[r] = a[r][q];
      ai[r] = b[r][q];
    }
    for (int u = 0; u < P; ++u) {
      Real sr = 0, si = 0;
      for (int r = 0; r < P; ++r) {
        Real c = cr[u * P + r], s = ci[u * P + r];
        sr += ar[r] * c - ai[r] * s;
        si += ar[r] * s + ai[r] * c;
      }
      emitRotated<O, Tw>(y[u][q], z[u][q], sr, si, tr[u], ti[u]);
    }
  }
}

// One butterfly of radix p (8, 4, 2, 3 or 5) with output mode O; `plain`:
// its twiddles are 1 (Add is only used so, by the last pass).
template <Out O, typename Real>
void butterfly(uint32_t p, bool plain, const Real *const *a,
               const Real *const *b, Real *const *y, Real *const *z,
               const Real *tr, const Real *ti, Real sign, const Real *cr,
               const Real *ci, size_t len) {
  const bool tw = O == Out::Store && !plain;
  switch (p) {
  case 8:
    if (tw)
      radix8Store(a, b, y, z, tr, ti, sign, len);
    else if (O == Out::Store)
      radix8StorePlain(a, b, y, z, tr, ti, sign, len);
    else
      radix8AddPlain(a, b, y, z, tr, ti, sign, len);
    break;
  case 4:
    if (tw)
      radix4Store(a, b, y, z, tr, ti, sign, len);
    else if (O == Out::Store)
      radix4StorePlain(a, b, y, z, tr, ti, sign, len);
    else
      radix4AddPlain(a, b, y, z, tr, ti, sign, len);
    break;
  case 2:
    if (tw)
      radix2Store(a, b, y, z, tr[1], ti[1], len);
    else if (O == Out::Store)
      radix2StorePlain(a, b, y, z, tr[1], ti[1], len);
    else
      radix2AddPlain(a, b, y, z, tr[1], ti[1], len);
    break;
  case 3:
    if (tw)
      radixSmall<O, true, Real, 3>(a, b, y, z, tr, ti, cr, ci, len);
    else
      radixSmall<O, false, Real, 3>(a, b, y, z, tr, ti, cr, ci, len);
    break;
  default:
    if (tw)
      radixSmall<O, true, Real, 5>(a, b, y, z, tr, ti, cr, ci, len);
    else
      radixSmall<O, false, Real, 5>(a, b, y, z, tr, ti, cr, ci, len);
    break;
  }
}

} // namespace

template <typename Real> uint32_t LaneFft<Real>::fastLength(uint32_t atLeast) {
  uint32_t n = std::max<uint32_t>(2, atLeast + (atLeast & 1));
  while (!smooth235(n / 2))
    n += 2;
  return n;
}

template <typename Real> LaneFft<Real>::LaneFft(uint32_t n) : n_(n), m_(n / 2) {
  uint32_t rest = m_;
  while (rest % 8 == 0) {
    radices.push_back(8);
    rest /= 8;
  }
  while (rest % 4 == 0) {
    radices.push_back(4);
    rest /= 4;
  }
  for (uint32_t p : {2u, 3u, 5u})
    while (rest % p == 0) {
      radices.push_back(p);
      rest /= p;
    }
  // fastLength's lengths leave rest == 1; any other factor would be
  // skipped, so the constructor's caller must use fastLength.
  uint32_t len = m_;
  for (uint32_t p : radices) {
    uint32_t m = len / p;
    std::vector<Real> re(size_t(m) * p), im(size_t(m) * p);
    for (uint32_t j = 0; j < m; ++j)
      for (uint32_t u = 0; u < p; ++u) {
        double a = -kTwoPi * double((uint64_t(j) * u) % len) / double(len);
        re[size_t(j) * p + u] = Real(std::cos(a));
        im[size_t(j) * p + u] = Real(std::sin(a));
      }
    twRe.push_back(std::move(re));
    twIm.push_back(std::move(im));
    std::vector<Real> sre(size_t(p) * p), sim(size_t(p) * p);
    for (uint32_t u = 0; u < p; ++u)
      for (uint32_t r = 0; r < p; ++r) {
        double a = -kTwoPi * double((u * r) % p) / double(p);
        sre[u * p + r] = Real(std::cos(a));
        sim[u * p + r] = Real(std::sin(a));
      }
    smallRe.push_back(std::move(sre));
    smallIm.push_back(std::move(sim));
    len = m;
  }
  zeros.assign(kChunk, Real(0));
  halfRe.resize(m_ + 1);
  halfIm.resize(m_ + 1);
  for (uint32_t f = 0; f <= m_; ++f) {
    double a = -kTwoPi * double(f) / double(n_);
    halfRe[f] = Real(std::cos(a));
    halfIm[f] = Real(std::sin(a));
  }
}

template <typename Real>
void LaneFft<Real>::complexFft(Real *re, Real *im, Real *re2, Real *im2,
                               size_t lanes, int sign, const Rows *rows,
                               Real *&outRe, Real *&outIm) const {
  Real *xr = re, *xi = im, *yr = re2, *yi = im2;
  size_t s = lanes; // contiguous values per element of the current signals
  uint32_t len = m_;
  const size_t passes = radices.size();
  // Element e of the signal in rows: rows 2e (real) and 2e + 1 (imaginary)
  // of a [T][lanes] array, lanes q0 ..; beyond T, zeros in, nowhere out.
  auto rowIn = [&](uint64_t t) -> const Real * {
    return t < rows->T ? rows->in + t * rows->lanes + rows->q0 : zeros.data();
  };
  for (size_t pass = 0; pass < passes; ++pass) {
    const uint32_t p = radices[pass], m = len / p;
    const bool fromRows = pass == 0 && rows && rows->in;
    const bool toRows = pass + 1 == passes && rows && rows->out;
    // The small DFT of radix p (for 3 and 5), conjugated for the inverse.
    const Real *cr = smallRe[pass].data();
    Real ci[64];
    for (uint32_t k = 0; k < p * p; ++k)
      ci[k] = sign > 0 ? -smallIm[pass][k] : smallIm[pass][k];
    for (uint32_t j = 0; j < m; ++j) {
      const Real *a[8], *b[8];
      Real *y[8], *z[8];
      Real tr[8], ti[8];
      for (uint32_t r = 0; r < p; ++r) {
        const size_t e = size_t(j) + size_t(r) * m;
        a[r] = fromRows ? rowIn(2 * e) : xr + e * s;
        b[r] = fromRows ? rowIn(2 * e + 1) : xi + e * s;
        y[r] = yr + (size_t(p) * j + r) * s;
        z[r] = yi + (size_t(p) * j + r) * s;
        // twIm holds the forward (-) angle; the inverse conjugates it.
        tr[r] = twRe[pass][size_t(j) * p + r];
        ti[r] = sign > 0 ? -twIm[pass][size_t(j) * p + r]
                         : twIm[pass][size_t(j) * p + r];
      }
      if (!toRows) {
        butterfly<Out::Store>(p, j == 0, a, b, y, z, tr, ti, Real(sign), cr,
                              ci, s);
        continue;
      }
      // The last pass (m = 1, twiddles 1): output block u holds elements u
      // per + e2, each written to its two rows; those beyond T go to the
      // unused output buffer instead.
      const size_t per = s / lanes;
      for (size_t e2 = 0; e2 < per; ++e2) {
        const Real *a2[8], *b2[8];
        Real *y2[8], *z2[8];
        for (uint32_t u = 0; u < p; ++u) {
          a2[u] = a[u] + e2 * lanes;
          b2[u] = b[u] + e2 * lanes;
          const size_t e = u * per + e2;
          const uint64_t t0 = 2 * e, t1 = 2 * e + 1;
          Real *out = rows->out + rows->q0;
          y2[u] = t0 < rows->T ? out + t0 * rows->lanes : yr + e * lanes;
          z2[u] = t1 < rows->T ? out + t1 * rows->lanes : yi + e * lanes;
        }
        if (rows->accumulate)
          butterfly<Out::Add>(p, true, a2, b2, y2, z2, tr, ti, Real(sign), cr,
                              ci, lanes);
        else
          butterfly<Out::Store>(p, true, a2, b2, y2, z2, tr, ti, Real(sign),
                                cr, ci, lanes);
      }
    }
    std::swap(xr, yr);
    std::swap(xi, yi);
    s *= p;
    len = m;
  }
  outRe = xr;
  outIm = xi;
}

template <typename Real>
void LaneFft<Real>::forward(const Real *x, uint32_t T, size_t lanes, Real *spec,
                            size_t binStride, size_t imOffset, Real *work,
                            bool stream) const {
  // Lanes in chunks whose four work arrays stay in the cache.
  for (size_t q0 = 0; q0 < lanes; q0 += kChunk) {
    const size_t L = std::min(kChunk, lanes - q0), ML = arraySize(L);
    Real *zr = work, *zi = work + ML, *z2r = work + 2 * ML,
         *z2i = work + 3 * ML;
    // The first pass reads the steps from x (no copy), when there is one.
    const Rows rows{x, nullptr, lanes, q0, T, false};
    if (radices.empty())
      for (uint32_t m = 0; m < m_; ++m) {
        const uint32_t t0 = 2 * m, t1 = 2 * m + 1;
        if (t0 < T)
          std::copy_n(x + size_t(t0) * lanes + q0, L, zr + size_t(m) * L);
        else
          std::fill_n(zr + size_t(m) * L, L, Real(0));
        if (t1 < T)
          std::copy_n(x + size_t(t1) * lanes + q0, L, zi + size_t(m) * L);
        else
          std::fill_n(zi + size_t(m) * L, L, Real(0));
      }
    Real *Zr, *Zi;
    complexFft(zr, zi, z2r, z2i, L, -1, &rows, Zr, Zi);
    // X_f = E_f + W^f O_f with E = (Z_f + conj Z_{M-f}) / 2 (the even
    // steps' DFT) and O = (Z_f - conj Z_{M-f}) / 2i (the odd steps').
    // Streamed: each bin's parts computed into two arrays of the work
    // space, then copied out a whole line at a time (where they are lines:
    // a partial chunk or an unaligned layout is written directly).
    Real *tmpR = work + 4 * ML, *tmpI = tmpR + kChunk;
    for (uint32_t f = 0; f <= m_; ++f) {
      Real *outR = spec + size_t(f) * binStride + q0;
      const bool lines = stream && streamable(outR, L * sizeof(Real)) &&
                         streamable(outR + imOffset, L * sizeof(Real));
      Real *r = lines ? tmpR : outR, *i = lines ? tmpI : outR + imOffset;
      split(Zr + size_t(f % m_) * L, Zi + size_t(f % m_) * L,
            Zr + size_t((m_ - f) % m_) * L, Zi + size_t((m_ - f) % m_) * L, r,
            i, halfRe[f], halfIm[f], L);
      if (lines) {
        streamCopy(outR, tmpR, L);
        streamCopy(outR + imOffset, tmpI, L);
      }
    }
  }
  if (stream)
    streamFence();
}

template <typename Real>
void LaneFft<Real>::inverse(const Real *spec, size_t binStride, size_t imOffset,
                            uint32_t T, size_t lanes, Real *y, Real *work,
                            bool accumulate) const {
  for (size_t q0 = 0; q0 < lanes; q0 += kChunk) {
    const size_t L = std::min(kChunk, lanes - q0), ML = arraySize(L);
    Real *zr = work, *zi = work + ML, *z2r = work + 2 * ML,
         *z2i = work + 3 * ML;
    // Z_f = E_f + i O_f with E = (X_f + conj X_{M-f}) / 2 and O = (X_f -
    // conj X_{M-f}) W^{-f} / 2: the DFTs of the even and odd steps, here
    // times the inverse's 1/M (exact for the powers of two the bench uses).
    const Real half = Real(0.5) / Real(m_);
    for (uint32_t f = 0; f < m_; ++f) {
      const uint32_t g = m_ - f;
      const Real *xr = spec + size_t(f) * binStride + q0;
      const Real *yr = spec + size_t(g) * binStride + q0;
      // Bins 0 and M are real: their imaginary parts are not read.
      merge(xr, f == 0 ? nullptr : xr + imOffset, yr,
            g == m_ ? nullptr : yr + imOffset, zr + size_t(f) * L,
            zi + size_t(f) * L, halfRe[f], -halfIm[f], half, L);
    }
    // The last pass writes (adds) the steps to y, when there is one.
    const Rows rows{nullptr, y, lanes, q0, T, accumulate};
    Real *Zr, *Zi;
    complexFft(zr, zi, z2r, z2i, L, +1, &rows, Zr, Zi);
    if (!radices.empty())
      continue;
    for (uint32_t m = 0; m < m_; ++m) {
      for (uint32_t k = 0; k < 2; ++k) {
        const uint32_t t = 2 * m + k;
        if (t >= T)
          break;
        Real *o = y + size_t(t) * lanes + q0;
        const Real *z = (k == 0 ? Zr : Zi) + size_t(m) * L;
        if (accumulate)
          addTo(o, z, L);
        else
          std::copy_n(z, L, o);
      }
    }
  }
}

template class LaneFft<float>;
template class LaneFft<double>;

} // namespace snnrt
