//===- CudaPlanExecutorStubs.cpp - Plans on a GPU, CPU-only build ---------===//
//
// Compiled instead of CudaPlanExecutor.cu without CUDA: the entry points
// exist and report that the backend is not built.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/Device.h"
#include "snnrt/exec/CudaPlanExecutor.h"

namespace snnrt {

namespace {
const char *const kNotBuilt = cudaNotBuiltMessage();
} // namespace

struct CudaPlanExecutor::Impl {};
CudaPlanExecutor::CudaPlanExecutor(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CudaPlanExecutor::~CudaPlanExecutor() = default;
Expected<std::unique_ptr<CudaPlanExecutor>>
CudaPlanExecutor::create(const Plan &) {
  return Status::error(kNotBuilt);
}
Expected<CudaPlanBatch>
CudaPlanExecutor::run(const Dataset &, const std::vector<size_t> &, bool) {
  return Status::error(kNotBuilt);
}

} // namespace snnrt
