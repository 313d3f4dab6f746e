//===- CudaTrainStubs.cpp - The float engine on a GPU, CPU-only build -----===//
//
// Compiled instead of CudaEngine.cu and CudaRewiring.cu without CUDA: the
// entry points exist and report that the backend is not built.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/Device.h"
#include "snnrt/train/CudaEngine.h"
#include "snnrt/train/CudaRewiring.h"

namespace snnrt {

namespace {
const char *const kNotBuilt = cudaNotBuiltMessage();
} // namespace

struct CudaEngine::Impl {};
CudaEngine::CudaEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CudaEngine::~CudaEngine() = default;
Expected<std::unique_ptr<CudaEngine>>
CudaEngine::create(const Model &, const EngineOptions &) {
  return Status::error(kNotBuilt);
}
void CudaEngine::setTraining(bool) {}
bool CudaEngine::training() const { return false; }
void CudaEngine::setSigma(double) {}
void CudaEngine::setDropoutSeed(uint64_t) {}
uint32_t CudaEngine::batchSize() const { return 0; }
Status CudaEngine::setInput(const Dataset &, const std::vector<size_t> &) {
  return Status::error(kNotBuilt);
}
Status CudaEngine::setInputDense(const std::vector<float> &, uint32_t) {
  return Status::error(kNotBuilt);
}
Status CudaEngine::forward(const std::vector<ParamTensor<float>> &, bool) {
  return Status::error(kNotBuilt);
}
Expected<double> CudaEngine::loss(const std::vector<int32_t> &) {
  return Status::error(kNotBuilt);
}
std::vector<int32_t> CudaEngine::predictions() const { return {}; }
Status CudaEngine::backward(const std::vector<int32_t> &,
                            std::vector<ParamTensor<float>> &) {
  return Status::error(kNotBuilt);
}
Status CudaEngine::slotGradients(int, const std::vector<size_t> &,
                                 std::vector<float> &) const {
  return Status::error(kNotBuilt);
}
Status CudaEngine::values(const std::string &, std::vector<float> &) const {
  return Status::error(kNotBuilt);
}
void CudaEngine::exportRunningStats(Model &) const {}

Status cudaAdamStep(std::vector<ParamTensor<float>> &,
                    std::vector<std::vector<float>> &,
                    std::vector<std::vector<float>> &,
                    const std::vector<AdamGroup> &, double, double, int64_t) {
  return Status::error(kNotBuilt);
}

Status cudaRewireSlots(const SlotRewireSpec &, std::vector<float> &,
                       std::vector<uint8_t> &, const SlotGradientFn &,
                       SlotRewireResult &) {
  return Status::error(kNotBuilt);
}

} // namespace snnrt
