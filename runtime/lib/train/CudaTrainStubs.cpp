//===- CudaTrainStubs.cpp - The float engine on a GPU, CPU-only build -----===//
//
// Compiled instead of CudaEngine.cu and CudaRewiring.cu without CUDA: the
// entry points exist and report that the backend is not built.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/Device.h"
#include "snnrt/train/CudaCollective.h"
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

Status CudaEngine::backwardOnDevice(const std::vector<int32_t> &) {
  return Status::error(kNotBuilt);
}
Status CudaEngine::copyGradients(const std::vector<ParamTensor<float>> &,
                                 float *) const {
  return Status::error(kNotBuilt);
}
size_t CudaEngine::batchNormNeurons() const { return 0; }
Status CudaEngine::batchNormStats(std::vector<double> &,
                                  std::vector<double> &) const {
  return Status::error(kNotBuilt);
}
Status CudaEngine::updateRunningStats(const std::vector<double> &,
                                      const std::vector<double> &, size_t) {
  return Status::error(kNotBuilt);
}

bool builtWithNccl() { return false; }

struct DeviceGather::Impl {};
DeviceGather::DeviceGather(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
DeviceGather::~DeviceGather() = default;
Expected<std::unique_ptr<DeviceGather>> DeviceGather::create(Collective &) {
  return Status::error(kNotBuilt);
}
int DeviceGather::size() const { return 1; }
int DeviceGather::device() const { return -1; }
Status DeviceGather::prepare(const GatherLayout &) {
  return Status::error(kNotBuilt);
}
float *DeviceGather::slotFloats(size_t) { return nullptr; }
Status DeviceGather::setSlotFloats(size_t, size_t, const std::vector<float> &) {
  return Status::error(kNotBuilt);
}
Status DeviceGather::setSlotDoubles(size_t, const std::vector<double> &) {
  return Status::error(kNotBuilt);
}
Status DeviceGather::setHash(uint64_t) { return Status::error(kNotBuilt); }
Status DeviceGather::gather() { return Status::error(kNotBuilt); }
Status DeviceGather::sumFloats(const MicroBatchPlan &, std::vector<float> &) {
  return Status::error(kNotBuilt);
}
Status DeviceGather::slotDoubles(const MicroBatchPlan &,
                                 std::vector<double> &) {
  return Status::error(kNotBuilt);
}
Status DeviceGather::hashes(std::vector<uint64_t> &) {
  return Status::error(kNotBuilt);
}

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
