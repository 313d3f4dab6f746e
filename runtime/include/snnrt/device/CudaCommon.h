//===- CudaCommon.h - Error handling and buffers of the CUDA backend ------===//
//
// For the CUDA sources (.cu) of every area. Every CUDA call is checked and
// turned into a snnrt::Status naming the call, so no error is silently
// dropped.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <cuda_runtime.h>

#include <string>
#include <vector>

namespace snnrt::cuda {

inline Status check(cudaError_t e, const char *what) {
  if (e == cudaSuccess)
    return Status::ok();
  return Status::error(std::string("CUDA: ") + what + ": " +
                           cudaGetErrorString(e),
                       ErrorKind::Internal);
}

#define SNNRT_CUDA(call) SNNRT_TRY(::snnrt::cuda::check((call), #call))
/// After a kernel launch: the launch error, then (synchronously) the
/// execution error, so a failing kernel is named where it ran.
#define SNNRT_CUDA_LAUNCH(name)                                                \
  do {                                                                         \
    SNNRT_TRY(::snnrt::cuda::check(cudaGetLastError(), name));                 \
  } while (0)

/// A device array that frees itself; resize() keeps the allocation when it
/// is large enough.
template <typename T> class DeviceBuffer {
public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  DeviceBuffer(DeviceBuffer &&o) noexcept : p_(o.p_), n_(o.n_), cap_(o.cap_) {
    o.p_ = nullptr;
    o.n_ = o.cap_ = 0;
  }
  ~DeviceBuffer() {
    if (p_)
      cudaFree(p_);
  }
  Status resize(size_t n) {
    if (n > cap_) {
      if (p_)
        cudaFree(p_);
      p_ = nullptr;
      cap_ = 0;
      if (cudaError_t e = cudaMalloc(&p_, std::max<size_t>(n, 1) * sizeof(T));
          e != cudaSuccess)
        return check(e, "cudaMalloc");
      cap_ = n;
    }
    n_ = n;
    return Status::ok();
  }
  Status zero() {
    return n_ ? check(cudaMemset(p_, 0, n_ * sizeof(T)), "cudaMemset")
              : Status::ok();
  }
  Status upload(const T *src, size_t n) {
    SNNRT_TRY(resize(n));
    return n ? check(cudaMemcpy(p_, src, n * sizeof(T), cudaMemcpyHostToDevice),
                     "cudaMemcpy to device")
             : Status::ok();
  }
  Status upload(const std::vector<T> &v) { return upload(v.data(), v.size()); }
  Status download(std::vector<T> &v) const {
    v.resize(n_);
    return n_ ? check(cudaMemcpy(v.data(), p_, n_ * sizeof(T),
                                 cudaMemcpyDeviceToHost),
                      "cudaMemcpy to host")
              : Status::ok();
  }
  T *get() { return p_; }
  const T *get() const { return p_; }
  size_t size() const { return n_; }

private:
  T *p_ = nullptr;
  size_t n_ = 0, cap_ = 0;
};

/// Fails when no device is usable, with the reason.
Status requireDevice();

} // namespace snnrt::cuda
