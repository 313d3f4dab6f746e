//===- CudaDeviceStubs.cpp - GPU queries in a CPU-only build --------------===//
//
// Compiled instead of CudaDevice.cu when SNNC_ENABLE_CUDA is OFF (or no nvcc
// was found). Every area's CUDA entry points have such a stub beside them
// (train/CudaTrainStubs.cpp, exec/CudaPlanExecutorStubs.cpp), so callers need
// no #ifdef.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/Device.h"

namespace snnrt {

bool cudaBuilt() { return false; }
int cudaDeviceCount(std::string *why) {
  if (why)
    *why = cudaNotBuiltMessage();
  return 0;
}
std::string cudaDescription() { return cudaNotBuiltMessage(); }

} // namespace snnrt
