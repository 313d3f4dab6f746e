//===- MicroBatchPlan.cpp - Which rank computes which micro-batch --------===//

#include "snnrt/train/MicroBatchPlan.h"

#include <algorithm>

namespace snnrt {

MicroBatchPlan::MicroBatchPlan(size_t b, size_t m, size_t n)
    : batch(b), micro(std::max<size_t>(m, 1)), ranks(std::max<size_t>(n, 1)),
      count((b + micro - 1) / micro) {}

size_t MicroBatchPlan::owner(size_t k) const {
  // last(r) grows with r; the owner is the first rank whose run ends after
  // k. Start from the estimate k N / K and step (at most a rank or two).
  size_t r = count ? std::min(ranks - 1, k * ranks / count) : 0;
  while (r > 0 && first(r) > k)
    --r;
  while (r + 1 < ranks && last(r) <= k)
    ++r;
  return r;
}

size_t MicroBatchPlan::samples(size_t k) const {
  return std::min(batch, (k + 1) * micro) - k * micro;
}

double MicroBatchPlan::weight(size_t k) const {
  return double(samples(k)) / double(batch);
}

size_t MicroBatchPlan::slotsPerRank() const {
  return (count + ranks - 1) / ranks;
}

size_t MicroBatchPlan::slotOf(size_t k) const {
  const size_t r = owner(k);
  return r * slotsPerRank() + (k - first(r));
}

} // namespace snnrt
