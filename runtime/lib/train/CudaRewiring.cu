//===- CudaRewiring.cu - DEEP R / RigL rewiring kernels -------------------===//
//
// cudaRewireSlots: rewireSlots (runtime/lib/train/Rewiring.cpp) on the device.
//  1. one thread per slot: DEEP R's terms and the clamp
//     (rewiring::presentStep), the drop rule (rewiring::dropped);
//  2. stream compaction (cub::DeviceSelect::Flagged, order-preserving) of
//     the removed and the free slots, in ascending slot order;
//  3. the choice: keys per free slot (rewiring::selectionKey, or
//     rewiring::gradientKey of RigL's gradients), a stable radix sort
//     (cub::DeviceRadixSort::SortPairs) of (key -> slot), the first n:
//     exactly the CPU's "n smallest (key, slot)" (ties by slot index);
//  4. one thread per removed / grown slot applies the change.
// Everything the CPU computes is here computed by the same SNNRT_HD
// functions (RewiringMath.h), so the result is the same bits.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/CudaCommon.h"

#include "snnrt/train/CudaRewiring.h"
#include "snnrt/train/RewiringMath.h"

#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_select.cuh>

#include <algorithm>
#include <climits>

namespace snnrt {

using cuda::DeviceBuffer;

namespace {

constexpr int kBlock = 256;
unsigned blocksFor(long n) { return unsigned((n + kBlock - 1) / kBlock); }

__global__ void stepKernel(float *theta, const uint8_t *present, long n,
                           double l1Decrement, double noiseScale, uint64_t key,
                           uint8_t *removed, uint8_t *freeSlot,
                           uint8_t *freeOrRemoved, uint64_t *slotIds) {
  long i = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  const bool p = present[i] != 0;
  const float t = rewiring::presentStep(theta[i], p, l1Decrement, noiseScale,
                                        key, uint64_t(i));
  theta[i] = t;
  const bool d = rewiring::dropped(t, p);
  removed[i] = d;
  freeSlot[i] = !p;
  freeOrRemoved[i] = !p || d;
  slotIds[i] = uint64_t(i);
}

__global__ void selectionKeysKernel(const uint64_t *slots, long n, uint64_t key,
                                    uint64_t *keys) {
  long j = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j < n)
    keys[j] = rewiring::selectionKey(key, slots[j]);
}

__global__ void gradientKeysKernel(const float *g, long n, uint64_t *keys) {
  long j = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j < n)
    keys[j] = rewiring::gradientKey(g[j]);
}

__global__ void applyKernel(float *theta, uint8_t *present,
                            const uint64_t *removed, long nRemoved,
                            const uint64_t *grown, long nGrown,
                            float regrowValue, bool grow) {
  long j = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (!grow && j < nRemoved) {
    present[removed[j]] = 0;
    theta[removed[j]] = 0.0f;
  }
  if (grow && j < nGrown) {
    present[grown[j]] = 1;
    theta[grown[j]] = regrowValue;
  }
}

/// Device scratch of one call.
struct Scratch {
  DeviceBuffer<unsigned char> temp;
  DeviceBuffer<int> count;

  /// cub::DeviceSelect::Flagged of `ids` by `flags`; the selected count.
  Status select(const uint64_t *ids, const uint8_t *flags, uint64_t *out, int n,
                int &selected) {
    size_t bytes = 0;
    SNNRT_CUDA(cub::DeviceSelect::Flagged(nullptr, bytes, ids, flags, out,
                                          count.get(), n));
    SNNRT_TRY(temp.resize(std::max<size_t>(bytes, 1)));
    SNNRT_CUDA(cub::DeviceSelect::Flagged(temp.get(), bytes, ids, flags, out,
                                          count.get(), n));
    SNNRT_CUDA(cudaMemcpy(&selected, count.get(), sizeof(int),
                          cudaMemcpyDeviceToHost));
    return Status::ok();
  }
  /// Stable radix sort of (keys -> values) over the low `bits` key bits.
  Status sort(const uint64_t *keysIn, uint64_t *keysOut,
              const uint64_t *valuesIn, uint64_t *valuesOut, int n, int bits) {
    size_t bytes = 0;
    SNNRT_CUDA(cub::DeviceRadixSort::SortPairs(
        nullptr, bytes, keysIn, keysOut, valuesIn, valuesOut, n, 0, bits));
    SNNRT_TRY(temp.resize(std::max<size_t>(bytes, 1)));
    SNNRT_CUDA(cub::DeviceRadixSort::SortPairs(
        temp.get(), bytes, keysIn, keysOut, valuesIn, valuesOut, n, 0, bits));
    return Status::ok();
  }
};

Status download(std::vector<size_t> &out, const uint64_t *src, size_t n) {
  std::vector<uint64_t> v(n);
  if (n)
    SNNRT_CUDA(cudaMemcpy(v.data(), src, n * sizeof(uint64_t),
                          cudaMemcpyDeviceToHost));
  out.assign(v.begin(), v.end());
  return Status::ok();
}

} // namespace

Status cudaRewireSlots(const SlotRewireSpec &spec, std::vector<float> &theta,
                       std::vector<uint8_t> &present,
                       const SlotGradientFn &grads, SlotRewireResult &result) {
  result = SlotRewireResult();
  const size_t slots = theta.size();
  if (present.size() != slots)
    return Status::error("rewiring: values and mask differ in size");
  if (slots > size_t(INT_MAX))
    return Status::error("rewiring on the GPU: more than 2^31 slots in one "
                         "tensor");
  SNNRT_TRY(cuda::requireDevice());
  if (slots == 0)
    return Status::ok();
  const long n = long(slots);
  DeviceBuffer<float> dTheta;
  DeviceBuffer<uint8_t> dPresent, dRemovedF, dFreeF, dPoolF;
  DeviceBuffer<uint64_t> dIds;
  SNNRT_TRY(dTheta.upload(theta));
  SNNRT_TRY(dPresent.upload(present));
  SNNRT_TRY(dRemovedF.resize(slots));
  SNNRT_TRY(dFreeF.resize(slots));
  SNNRT_TRY(dPoolF.resize(slots));
  SNNRT_TRY(dIds.resize(slots));
  stepKernel<<<blocksFor(n), kBlock>>>(
      dTheta.get(), dPresent.get(), n, spec.l1Decrement, spec.noiseScale,
      spec.key, dRemovedF.get(), dFreeF.get(), dPoolF.get(), dIds.get());
  SNNRT_CUDA_LAUNCH("rewiring stepKernel");

  auto finish = [&]() -> Status {
    SNNRT_TRY(dTheta.download(theta));
    return dPresent.download(present);
  };
  if (!spec.rewire || spec.mode == RewireMode::None)
    return finish();

  Scratch s;
  SNNRT_TRY(s.count.resize(1));
  DeviceBuffer<uint64_t> dRemoved, dPool;
  SNNRT_TRY(dRemoved.resize(slots));
  SNNRT_TRY(dPool.resize(slots));
  int nRemoved = 0, nPool = 0;
  SNNRT_TRY(
      s.select(dIds.get(), dRemovedF.get(), dRemoved.get(), int(n), nRemoved));
  if (nRemoved == 0)
    return finish();
  SNNRT_TRY(s.select(dIds.get(), dFreeF.get(), dPool.get(), int(n), nPool));
  // Full connectivity: the slots removed now are free again (rewireSlots).
  if (nPool < nRemoved)
    SNNRT_TRY(s.select(dIds.get(), dPoolF.get(), dPool.get(), int(n), nPool));

  DeviceBuffer<uint64_t> dKeys, dKeysSorted, dOrder;
  SNNRT_TRY(dKeys.resize(size_t(nPool)));
  SNNRT_TRY(dKeysSorted.resize(size_t(nPool)));
  SNNRT_TRY(dOrder.resize(size_t(nPool)));
  const uint64_t *grown = nullptr;
  int nGrown = 0;
  DeviceBuffer<uint64_t> dCand, dCandSorted;
  DeviceBuffer<float> dGrad;
  if (spec.mode == RewireMode::DeepR) {
    selectionKeysKernel<<<blocksFor(nPool), kBlock>>>(dPool.get(), nPool,
                                                      spec.key, dKeys.get());
    SNNRT_CUDA_LAUNCH("rewiring selectionKeysKernel");
    SNNRT_TRY(s.sort(dKeys.get(), dKeysSorted.get(), dPool.get(), dOrder.get(),
                     nPool, 64));
    grown = dOrder.get();
    nGrown = std::min(nRemoved, nPool);
  } else {
    // RigL's candidates: every free slot, or the C x n with the smallest
    // selection keys, in ascending slot order.
    const uint64_t *cand = dPool.get();
    int nCand = nPool;
    const size_t c = size_t(spec.candidates) * size_t(nRemoved);
    if (spec.candidates > 0 && size_t(nPool) > c) {
      selectionKeysKernel<<<blocksFor(nPool), kBlock>>>(dPool.get(), nPool,
                                                        spec.key, dKeys.get());
      SNNRT_CUDA_LAUNCH("rewiring selectionKeysKernel");
      SNNRT_TRY(s.sort(dKeys.get(), dKeysSorted.get(), dPool.get(),
                       dOrder.get(), nPool, 64));
      nCand = int(c);
      // Slots as keys: an ascending sort of the first c.
      SNNRT_TRY(dCand.resize(c));
      SNNRT_TRY(s.sort(dOrder.get(), dCand.get(), dOrder.get(),
                       dKeysSorted.get(), nCand, 64));
      cand = dCand.get();
    }
    // The gradients come from the host-side callback (CudaEngine keeps them
    // on the device but hands them out as a host vector).
    std::vector<size_t> hostCand;
    SNNRT_TRY(download(hostCand, cand, size_t(nCand)));
    std::vector<float> g;
    SNNRT_TRY(grads(hostCand, g));
    if (g.size() != hostCand.size())
      return Status::error("rewiring: slot gradients of the wrong size");
    SNNRT_TRY(dGrad.upload(g));
    SNNRT_TRY(dCandSorted.resize(size_t(nCand)));
    gradientKeysKernel<<<blocksFor(nCand), kBlock>>>(dGrad.get(), nCand,
                                                     dKeys.get());
    SNNRT_CUDA_LAUNCH("rewiring gradientKeysKernel");
    // gradientKey is 32 bits: the low half of the 64-bit keys.
    SNNRT_TRY(s.sort(dKeys.get(), dKeysSorted.get(), cand, dCandSorted.get(),
                     nCand, 32));
    grown = dCandSorted.get();
    nGrown = std::min(nRemoved, nCand);
  }
  // Removals first, then growth (a removed slot may regrow at full
  // connectivity), as the CPU does.
  const long most = std::max(nRemoved, nGrown);
  applyKernel<<<blocksFor(most), kBlock>>>(
      dTheta.get(), dPresent.get(), dRemoved.get(), nRemoved, grown, nGrown,
      float(spec.regrowValue), false);
  SNNRT_CUDA_LAUNCH("rewiring applyKernel");
  applyKernel<<<blocksFor(most), kBlock>>>(
      dTheta.get(), dPresent.get(), dRemoved.get(), nRemoved, grown, nGrown,
      float(spec.regrowValue), true);
  SNNRT_CUDA_LAUNCH("rewiring applyKernel");
  result.removed = uint64_t(nRemoved);
  SNNRT_TRY(download(result.grown, grown, size_t(nGrown)));
  return finish();
}

} // namespace snnrt
