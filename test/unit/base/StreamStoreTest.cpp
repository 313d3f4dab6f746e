//===- StreamStoreTest.cpp - streamCopy copies, aligned or not ------------===//

#include "snnrt/base/StreamStore.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using namespace snnrt;

namespace {

template <typename Real> void checkCopies() {
  constexpr size_t kLine = 64 / sizeof(Real);
  std::vector<Real> src(300), buf(400);
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = Real(i) * Real(0.5) - Real(7);
  const size_t misalign = reinterpret_cast<uintptr_t>(buf.data()) % 64;
  Real *aligned = buf.data() + (misalign ? (64 - misalign) / sizeof(Real) : 0);
  // Whole lines at a line (the streamed path), a partial line, an
  // unaligned start (plain copies): each leaves exactly its n values.
  for (auto [offset, n] : {std::pair<size_t, size_t>{0, 4 * kLine},
                           {0, 4 * kLine + 3},
                           {1, 4 * kLine},
                           {kLine, 2 * kLine},
                           {0, 0}}) {
    std::fill(buf.begin(), buf.end(), Real(-1));
    streamCopy(aligned + offset, src.data(), n);
    streamFence();
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(aligned[offset + i], src[i]) << offset << " " << n << " " << i;
    }
    EXPECT_EQ(aligned[offset + n], Real(-1)) << "wrote past n";
    if (offset > 0) {
      EXPECT_EQ(aligned[offset - 1], Real(-1)) << "wrote before dst";
    }
  }
}

} // namespace

TEST(StreamStore, CopiesFloatsAlignedOrNot) { checkCopies<float>(); }
TEST(StreamStore, CopiesDoublesAlignedOrNot) { checkCopies<double>(); }
