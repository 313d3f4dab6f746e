//===- CudaCollective.cu - Micro-batch sums gathered between GPUs --------===//
//
// The only file of snnc that includes nccl.h (SNNRT_HAVE_NCCL, set by CMake's
// SNNC_ENABLE_NCCL). See snnrt/train/CudaCollective.h for the design.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/CudaCommon.h"
#include "snnrt/device/Device.h"
#include "snnrt/train/CudaCollective.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <unistd.h>

#ifdef SNNRT_HAVE_NCCL
#include <nccl.h>
#endif

namespace snnrt {

bool builtWithNccl() {
#ifdef SNNRT_HAVE_NCCL
  return true;
#else
  return false;
#endif
}

namespace {

using cuda::DeviceBuffer;

constexpr int kBlock = 256;

/// out[i] = sum over k = 0..K-1, in that order, of w_k * x_k[i], in double
/// from 0, rounded once to float; x_k are the floats of the slot at byte
/// offset offsets[k]. The explicit _rn intrinsics keep nvcc from fusing the
/// multiply and the add, so this is the CPU chain's arithmetic.
__global__ void sumSlotsKernel(const unsigned char *gathered,
                               const unsigned long long *offsets,
                               const double *weights, int K, long n,
                               float *out) {
  const long i = long(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  double acc = 0.0;
  for (int k = 0; k < K; ++k) {
    const float *x = reinterpret_cast<const float *>(gathered + offsets[k]);
    acc = __dadd_rn(acc, __dmul_rn(weights[k], double(x[i])));
  }
  out[i] = __double2float_rn(acc);
}

#ifdef SNNRT_HAVE_NCCL
Status ncclCheck(ncclResult_t r, const char *what) {
  if (r == ncclSuccess)
    return Status::ok();
  std::string hint;
  if (r == ncclInvalidUsage)
    hint = " (two ranks on one GPU? every rank needs a GPU of its own)";
  return Status::error(std::string("NCCL: ") + what + ": " +
                           ncclGetErrorString(r) + hint,
                       ErrorKind::Io);
}
#define SNNRT_NCCL(call) SNNRT_TRY(ncclCheck((call), #call))
#endif

} // namespace

struct DeviceGather::Impl {
  int rank = 0, size = 1, device = 0;
  GatherLayout layout;
  DeviceBuffer<unsigned char> send, recv;
  DeviceBuffer<float> sums;
  DeviceBuffer<unsigned long long> offsets;
  DeviceBuffer<double> weights;
#ifdef SNNRT_HAVE_NCCL
  ncclComm_t comm = nullptr;
  cudaStream_t stream = nullptr;
#endif
  ~Impl() {
#ifdef SNNRT_HAVE_NCCL
    if (comm)
      ncclCommDestroy(comm);
    if (stream)
      cudaStreamDestroy(stream);
#endif
  }
  Status checkSlot(size_t j) const {
    if (j >= layout.slotsPerRank)
      return Status::error("DeviceGather: slot " + std::to_string(j) + " of " +
                               std::to_string(layout.slotsPerRank),
                           ErrorKind::Internal);
    return Status::ok();
  }
};

DeviceGather::DeviceGather(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
DeviceGather::~DeviceGather() = default;

Expected<std::unique_ptr<DeviceGather>>
DeviceGather::create(Collective &ranks) {
  auto impl = std::make_unique<Impl>();
  impl->rank = ranks.rank();
  impl->size = ranks.size();
#ifndef SNNRT_HAVE_NCCL
  // Before looking for a GPU: the reason is then the same on every machine.
  if (impl->size > 1)
    return Status::error(
        "data-parallel training on cuda over " + std::to_string(impl->size) +
            " ranks needs NCCL, and this snnc was built without it "
            "(SNNC_ENABLE_NCCL needs the CUDA backend, MPI and nccl.h); "
            "train on the CPU (--device cpu) or in one process",
        ErrorKind::BadInput);
#endif
  SNNRT_TRY(cuda::requireDevice());
  if (impl->size == 1) {
    SNNRT_CUDA(cudaGetDevice(&impl->device));
    return std::unique_ptr<DeviceGather>(new DeviceGather(std::move(impl)));
  }
#ifdef SNNRT_HAVE_NCCL
  auto dev =
      rankDevice(ranks.localRank(), ranks.localSize(), cudaDeviceCount());
  if (!dev)
    return dev.status();
  impl->device = *dev;
  SNNRT_CUDA(cudaSetDevice(impl->device));
  // Two ranks on one GPU (a launcher that gave every rank the same single
  // GPU): say which, before NCCL fails with a generic error.
  char bus[64] = {0};
  SNNRT_CUDA(cudaDeviceGetPCIBusId(bus, sizeof bus, impl->device));
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  const std::string where = std::string(host) + "/" + bus;
  uint64_t key = 0xCBF29CE484222325ull; // FNV-1a
  for (unsigned char c : where)
    key = (key ^ c) * 0x100000001B3ull;
  std::vector<uint64_t> keys;
  SNNRT_TRY(ranks.allgather(key, keys));
  if (int other = rankSharingGpu(keys, impl->rank); other >= 0)
    return Status::error(
        "ranks " + std::to_string(std::min(other, impl->rank)) + " and " +
            std::to_string(std::max(other, impl->rank)) + " would share GPU " +
            bus + " on " + host +
            ": data-parallel training on cuda needs a GPU "
            "per rank",
        ErrorKind::BadInput);
  // Rank 0's id reaches the others through MPI; NCCL then connects the GPUs.
  ncclUniqueId id;
  std::vector<uint8_t> bytes(sizeof id, 0);
  if (impl->rank == 0) {
    SNNRT_NCCL(ncclGetUniqueId(&id));
    std::memcpy(bytes.data(), &id, sizeof id);
  }
  SNNRT_TRY(ranks.broadcastBytes(bytes, 0));
  std::memcpy(&id, bytes.data(), sizeof id);
  SNNRT_CUDA(cudaStreamCreateWithFlags(&impl->stream, cudaStreamNonBlocking));
  SNNRT_NCCL(ncclCommInitRank(&impl->comm, impl->size, id, impl->rank));
  return std::unique_ptr<DeviceGather>(new DeviceGather(std::move(impl)));
#else
  return Status::error("DeviceGather: several ranks without NCCL",
                       ErrorKind::Internal);
#endif
}

int DeviceGather::size() const { return impl_->size; }
int DeviceGather::device() const { return impl_->device; }

Status DeviceGather::prepare(const GatherLayout &layout) {
  Impl &m = *impl_;
  if (layout.slotsPerRank == 0)
    return Status::error("DeviceGather: no slots", ErrorKind::Internal);
  m.layout = layout;
  SNNRT_TRY(m.send.resize(layout.rankBytes()));
  SNNRT_TRY(m.send.zero());
  return m.recv.resize(layout.rankBytes() * size_t(m.size));
}

float *DeviceGather::slotFloats(size_t j) {
  Impl &m = *impl_;
  if (j >= m.layout.slotsPerRank)
    return nullptr;
  return reinterpret_cast<float *>(m.send.get() + m.layout.slotInRank(j));
}

Status DeviceGather::setSlotFloats(size_t j, size_t at,
                                   const std::vector<float> &values) {
  Impl &m = *impl_;
  SNNRT_TRY(m.checkSlot(j));
  if (at + values.size() > m.layout.floats)
    return Status::error("DeviceGather: floats past the slot",
                         ErrorKind::Internal);
  if (values.empty())
    return Status::ok();
  SNNRT_CUDA(cudaMemcpy(slotFloats(j) + at, values.data(),
                        values.size() * sizeof(float), cudaMemcpyHostToDevice));
  return Status::ok();
}

Status DeviceGather::setSlotDoubles(size_t j,
                                    const std::vector<double> &values) {
  Impl &m = *impl_;
  SNNRT_TRY(m.checkSlot(j));
  if (values.size() != m.layout.doubles)
    return Status::error("DeviceGather: " + std::to_string(values.size()) +
                             " doubles for a slot of " +
                             std::to_string(m.layout.doubles),
                         ErrorKind::Internal);
  if (values.empty())
    return Status::ok();
  SNNRT_CUDA(cudaMemcpy(
      m.send.get() + m.layout.slotInRank(j) + m.layout.floatBytes(),
      values.data(), values.size() * sizeof(double), cudaMemcpyHostToDevice));
  return Status::ok();
}

Status DeviceGather::setHash(uint64_t hash) {
  SNNRT_CUDA(cudaMemcpy(impl_->send.get(), &hash, sizeof hash,
                        cudaMemcpyHostToDevice));
  return Status::ok();
}

Status DeviceGather::gather() {
  Impl &m = *impl_;
  const size_t bytes = m.layout.rankBytes();
  // The slots were written by kernels and copies on the legacy stream.
  SNNRT_CUDA(cudaDeviceSynchronize());
  if (m.size == 1) {
    SNNRT_CUDA(cudaMemcpy(m.recv.get(), m.send.get(), bytes,
                          cudaMemcpyDeviceToDevice));
    return Status::ok();
  }
#ifdef SNNRT_HAVE_NCCL
  SNNRT_NCCL(ncclAllGather(m.send.get(), m.recv.get(), bytes, ncclUint8, m.comm,
                           m.stream));
  SNNRT_CUDA(cudaStreamSynchronize(m.stream));
  return Status::ok();
#else
  return Status::error("DeviceGather: several ranks without NCCL",
                       ErrorKind::Internal);
#endif
}

Status DeviceGather::sumFloats(const MicroBatchPlan &plan,
                               std::vector<float> &sums) {
  Impl &m = *impl_;
  const GatherLayout &l = m.layout;
  if (plan.ranks != size_t(m.size) || plan.slotsPerRank() != l.slotsPerRank)
    return Status::error("DeviceGather: the plan does not match the layout",
                         ErrorKind::Internal);
  std::vector<unsigned long long> offsets(plan.count);
  std::vector<double> weights(plan.count);
  for (size_t k = 0; k < plan.count; ++k) {
    offsets[k] = l.slotOffset(plan.slotOf(k));
    weights[k] = plan.weight(k);
  }
  SNNRT_TRY(m.offsets.upload(offsets));
  SNNRT_TRY(m.weights.upload(weights));
  SNNRT_TRY(m.sums.resize(l.floats));
  if (l.floats > 0) {
    sumSlotsKernel<<<unsigned((l.floats + kBlock - 1) / kBlock), kBlock>>>(
        m.recv.get(), m.offsets.get(), m.weights.get(), int(plan.count),
        long(l.floats), m.sums.get());
    SNNRT_CUDA_LAUNCH("sumSlotsKernel");
  }
  return m.sums.download(sums);
}

Status DeviceGather::slotDoubles(const MicroBatchPlan &plan,
                                 std::vector<double> &out) {
  Impl &m = *impl_;
  const GatherLayout &l = m.layout;
  out.assign(plan.count * l.doubles, 0.0);
  for (size_t k = 0; k < plan.count && l.doubles > 0; ++k)
    SNNRT_CUDA(
        cudaMemcpy(out.data() + k * l.doubles,
                   m.recv.get() + l.slotOffset(plan.slotOf(k)) + l.floatBytes(),
                   l.doubles * sizeof(double), cudaMemcpyDeviceToHost));
  return Status::ok();
}

Status DeviceGather::hashes(std::vector<uint64_t> &out) {
  Impl &m = *impl_;
  out.assign(size_t(m.size), 0);
  for (int r = 0; r < m.size; ++r)
    SNNRT_CUDA(cudaMemcpy(&out[size_t(r)],
                          m.recv.get() + m.layout.headerOffset(size_t(r)),
                          sizeof(uint64_t), cudaMemcpyDeviceToHost));
  return Status::ok();
}

} // namespace snnrt
