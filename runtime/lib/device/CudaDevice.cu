//===- CudaDevice.cu - Is there a usable GPU? -----------------------------===//

#include "snnrt/device/CudaCommon.h"

#include "snnrt/device/Device.h"

#include <cstdio>

namespace snnrt {

bool cudaBuilt() { return true; }

int cudaDeviceCount(std::string *why) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError(); // clear the sticky error of a failed query
    if (why)
      *why = std::string("no GPU or driver: ") + cudaGetErrorString(e);
    return 0;
  }
  if (count == 0 && why)
    *why = "no CUDA device visible";
  return count;
}

std::string cudaDescription() {
  std::string why;
  if (cudaDeviceCount(&why) == 0)
    return why;
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess)
    return "device 0: properties unavailable";
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%s (sm_%d%d, %.0f GiB), driver %d.%d, runtime %d.%d",
                prop.name, prop.major, prop.minor,
                double(prop.totalGlobalMem) / double(1ull << 30),
                driver / 1000, (driver % 1000) / 10, runtime / 1000,
                (runtime % 1000) / 10);
  return buf;
}

namespace cuda {
Status requireDevice() {
  std::string why;
  if (cudaDeviceCount(&why) == 0)
    return Status::error("no usable CUDA device: " + why);
  return Status::ok();
}
} // namespace cuda

} // namespace snnrt
