//===- CudaPlanExecutor.cu - A mapped plan, one sample per thread block ---===//
//
// Layout: every neuron of the plan has a global id (populations in plan
// order, as PlanExecutor numbers them). The lif/li neurons of all cores are
// "units" in core order; unit u pulls its synapses [synPtr[u], synPtr[u+1])
// as (source global id, weight, delay). Per sample a history ring
// hist[R][neurons] (R = max delay + 1) holds each source's value of the
// last R steps; I[t] = sat(sum w · hist[t − d][src]) (SNN-I3) is an exact
// 64-bit sum, so its order does not matter and the CPU executors' results
// are reproduced bit for bit. Statistics count what PlanExecutor counts:
// per event (a nonzero input or a spike), every synapse of every axon that
// lists the source.
//
//===----------------------------------------------------------------------===//

#include "snnrt/device/CudaCommon.h"

#include "snnrt/exec/CudaPlanExecutor.h"
#include "snnrt/exec/IntegerMath.h"

#include <algorithm>

namespace snnrt {

namespace {

struct DevPlan {
  uint32_t T = 0, R = 1, neurons = 0, units = 0, li = 0;
  uint32_t inputBase = 0, inputSize = 0, bits = 32;
  double inputScale = 1;
  intmath::DecayKind decay = intmath::DecayKind::Mul12;
  bool lava = false; ///< Lava's CUBA arithmetic (SNN-L rules)
  /// XyloSim's IAF arithmetic (SNN-X rules): history slots hold input
  /// event counts and the hidden counts of the previous step, and each
  /// neuron's synapses are sorted in XyloSim's delivery order (SNN-X13).
  bool xylo = false;
  const int32_t *gid, *threshold, *bias, *vDecay, *iDecay, *biasSyn, *liIndex;
  const uint8_t *kind; ///< 1 lif, 2 li
  const uint8_t *subtract;
  const int64_t *synPtr;
  const int32_t *synSrc, *synWeight, *synDelay;
  const uint64_t *fanoutSyn; ///< per global id
};

constexpr int kThreads = 256;

__global__ void planKernel(DevPlan p, const float *in, int32_t *hist,
                           int64_t *vState, int64_t *jState, int32_t *trace,
                           int64_t *readout, unsigned long long *counters) {
  const uint32_t s = blockIdx.x;
  const float *x = in + size_t(s) * p.T * p.inputSize;
  int32_t *h = hist + size_t(s) * p.R * p.neurons;
  int64_t *v = vState + size_t(s) * p.units;
  int64_t *j = jState + size_t(s) * p.units;
  int32_t *tr = trace ? trace + size_t(s) * p.T * p.neurons : nullptr;
  int64_t *ro = readout + size_t(s) * p.T * p.li;
  __shared__ unsigned long long spikes, events;
  if (threadIdx.x == 0)
    spikes = events = 0;
  for (uint32_t u = threadIdx.x; u < p.units; u += blockDim.x) {
    v[u] = p.lava ? intmath::lavaInitialVoltage(p.bias[u]) : 0;
    j[u] = 0;
  }
  unsigned long long mySpikes = 0, myEvents = 0;
  __syncthreads();
  for (uint32_t t = 0; t < p.T; ++t) {
    const uint32_t slot = t % p.R;
    int32_t *hs = h + size_t(slot) * p.neurons;
    // (1) This step's source values: inputs (SNN-I2) and spikes (SNN-I6).
    for (uint32_t c = threadIdx.x; c < p.inputSize; c += blockDim.x) {
      int32_t value = int32_t(
          intmath::inputValue(p.inputScale, double(x[size_t(t) * p.inputSize + c])));
      const uint32_t g = p.inputBase + c;
      hs[g] = value;
      if (tr)
        tr[size_t(t) * p.neurons + g] = value;
      if (value != 0)
        myEvents += p.fanoutSyn[g];
    }
    if (p.xylo) {
      // Slot t of a hidden neuron holds its count of step t − 1, written by
      // its update (slot R − 1 steps back is never read, R = max delay + 2).
      for (uint32_t c = threadIdx.x; c < p.inputSize; c += blockDim.x)
        hs[p.inputBase + c] = int32_t(intmath::xyloInputEvents(
            hs[p.inputBase + c]));
      if (t == 0)
        for (uint32_t u = threadIdx.x; u < p.units; u += blockDim.x)
          if (p.kind[u] == 1)
            hs[p.gid[u]] = 0;
    }
    for (uint32_t u = threadIdx.x; u < p.units; u += blockDim.x) {
      if (p.kind[u] != 1 || p.xylo)
        continue;
      const uint32_t g = p.gid[u];
      int32_t spike = (p.lava ? intmath::lavaSpikes(v[u], p.threshold[u])
                              : v[u] >= p.threshold[u])
                          ? 1
                          : 0;
      hs[g] = spike;
      if (tr)
        tr[size_t(t) * p.neurons + g] = spike;
      if (spike) {
        ++mySpikes;
        myEvents += p.fanoutSyn[g];
      }
    }
    __syncthreads();
    // (2) Pull every synapse's delayed value, then update (SNN-I3..I8).
    for (uint32_t u = threadIdx.x; u < p.units && p.xylo;
         u += blockDim.x) {
      // SNN-X4/X5: one saturating delivery per source, in order.
      int64_t ju = j[u], vu = v[u];
      for (int64_t k = p.synPtr[u]; k < p.synPtr[u + 1]; ++k) {
        const uint32_t d = uint32_t(p.synDelay[k]);
        if (d > t)
          continue;
        const uint32_t from = (t - d) % p.R;
        ju = intmath::xyloDeliver(
            ju, int64_t(h[size_t(from) * p.neurons + p.synSrc[k]]),
            p.synWeight[k]);
      }
      const bool readout = p.kind[u] == 2;
      const int64_t n = intmath::xyloNeuronStep(
          vu, ju, p.bias[u],
          readout ? intmath::xylo::kReadoutThreshold : p.threshold[u],
          p.vDecay[u], p.iDecay[u],
          readout ? intmath::xylo::kMaxOutputSpikes
                  : intmath::xylo::kMaxHiddenSpikes);
      j[u] = ju;
      v[u] = vu;
      if (readout) {
        ro[size_t(t) * p.li + p.liIndex[u]] = vu;
        continue;
      }
      const uint32_t g = p.gid[u];
      h[size_t((t + 1) % p.R) * p.neurons + g] = int32_t(n);
      if (tr)
        tr[size_t(t) * p.neurons + g] = int32_t(n);
      if (n > 0) {
        mySpikes += (unsigned long long)n;
        myEvents += p.fanoutSyn[g];
      }
    }
    for (uint32_t u = threadIdx.x; u < p.units && !p.xylo;
         u += blockDim.x) {
      int64_t acc = 0;
      for (int64_t k = p.synPtr[u]; k < p.synPtr[u + 1]; ++k) {
        const uint32_t d = uint32_t(p.synDelay[k]);
        if (d > t)
          continue;
        const uint32_t from = (t - d) % p.R;
        acc += int64_t(p.synWeight[k]) *
               int64_t(h[size_t(from) * p.neurons + p.synSrc[k]]);
      }
      if (p.lava) {
        // Plans hold weight_exp 0 only: the sum is the activation.
        const int64_t iDecay =
            p.iDecay[u] < 0 ? intmath::lava::kMaxIDecay : p.iDecay[u];
        int64_t ju = j[u], vu = v[u];
        intmath::lavaStep(ju, vu, intmath::lavaActivation(acc), p.bias[u],
                          p.threshold[u], iDecay, p.vDecay[u]);
        j[u] = ju;
        v[u] = vu;
        if (p.kind[u] == 2)
          ro[size_t(t) * p.li + p.liIndex[u]] =
              intmath::lavaObservedVoltage(vu, p.threshold[u]);
        continue;
      }
      int64_t input = intmath::sat(acc, p.bits);
      if (p.iDecay[u] >= 0) {
        j[u] = intmath::synapseStep(j[u], input, p.decay, p.iDecay[u], p.bits,
                                    p.biasSyn[u]);
        input = j[u];
      }
      if (p.kind[u] == 2) {
        v[u] = intmath::readoutStep(v[u], input, p.bias[u], p.decay,
                                    p.vDecay[u], p.bits);
        ro[size_t(t) * p.li + p.liIndex[u]] = v[u];
        continue;
      }
      int64_t vu = v[u];
      intmath::lifStep(vu, input, p.bias[u], p.threshold[u], p.decay,
                       p.vDecay[u], p.subtract[u] != 0, p.bits);
      v[u] = vu;
    }
    __syncthreads();
  }
  atomicAdd(&spikes, mySpikes);
  atomicAdd(&events, myEvents);
  __syncthreads();
  if (threadIdx.x == 0) {
    atomicAdd(&counters[0], spikes);
    atomicAdd(&counters[1], events);
  }
}

} // namespace

struct CudaPlanExecutor::Impl {
  Plan plan;
  DevPlan dev;
  std::vector<uint64_t> popOffset;
  uint32_t inputPop = 0;
  std::vector<uint32_t> liPop, liIndexInPop; ///< per compact li index
  cuda::DeviceBuffer<int32_t> gid, threshold, bias, vDecay, iDecay, biasSyn,
      liIndex;
  cuda::DeviceBuffer<uint8_t> kind, subtract;
  cuda::DeviceBuffer<int64_t> synPtr;
  cuda::DeviceBuffer<int32_t> synSrc, synWeight, synDelay;
  cuda::DeviceBuffer<uint64_t> fanoutSyn;
  // Per run.
  cuda::DeviceBuffer<float> in;
  cuda::DeviceBuffer<int32_t> hist, trace;
  cuda::DeviceBuffer<int64_t> v, j, readout;
  cuda::DeviceBuffer<unsigned long long> counters;
};

CudaPlanExecutor::CudaPlanExecutor(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CudaPlanExecutor::~CudaPlanExecutor() = default;

Expected<std::unique_ptr<CudaPlanExecutor>>
CudaPlanExecutor::create(const Plan &plan) {
  SNNRT_TRY(cuda::requireDevice());
  SNNRT_TRY(validatePlan(plan));
  if (plan.inputs().size() != 1)
    return Status::error("the CUDA plan executor needs exactly one input "
                         "population, the plan has " +
                         std::to_string(plan.inputs().size()));
  auto impl = std::make_unique<Impl>();
  Impl &m = *impl;
  m.plan = plan;
  uint64_t total = 0;
  for (const auto &p : plan.populations) {
    m.popOffset.push_back(total);
    total += p.size;
  }
  if (total >= (uint64_t(1) << 31))
    return Status::error("plan too large for the CUDA executor (2^31 neurons)");
  m.inputPop = plan.inputs().front();
  std::vector<int32_t> gid, thr, bias, vd, id, bs, liIdx, src, w, d;
  std::vector<uint8_t> kind, sub;
  std::vector<int64_t> ptr{0};
  std::vector<uint64_t> fanout(total, 0);
  int32_t maxDelay = 0;
  const bool xylo = plan.arithmetic == intmath::Arithmetic::XyloIaf;
  std::vector<uint64_t> hiddenBase;
  uint64_t hidden = 0;
  for (const auto &p : plan.populations) {
    if (xylo && p.relay)
      return Status::error("population '" + p.name +
                           "' is a relay (SNN-I10), which Xylo's arithmetic "
                           "does not use");
    hiddenBase.push_back(hidden);
    hidden += p.kind == "lif" ? p.size : 0;
  }
  for (const PlanCore &core : plan.cores) {
    std::vector<uint64_t> perAxon(core.axonPop.size(), 0);
    for (size_t i = 0; i < core.neuronPop.size(); ++i) {
      const PlanPopulation &pop = plan.populations[core.neuronPop[i]];
      gid.push_back(int32_t(m.popOffset[core.neuronPop[i]] + core.neuronIndex[i]));
      thr.push_back(core.threshold[i]);
      bias.push_back(core.bias[i]);
      vd.push_back(core.vDecay[i]);
      id.push_back(core.iDecay[i]);
      bs.push_back(core.biasSyn.empty() ? 0 : core.biasSyn[i]);
      kind.push_back(pop.kind == "li" ? 2 : 1);
      sub.push_back(pop.reset == "subtract");
      if (pop.kind == "li") {
        liIdx.push_back(int32_t(m.liPop.size()));
        m.liPop.push_back(uint32_t(core.neuronPop[i]));
        m.liIndexInPop.push_back(uint32_t(core.neuronIndex[i]));
      } else {
        liIdx.push_back(-1);
      }
      std::vector<int64_t> order;
      for (int64_t k = core.synPtr[i]; k < core.synPtr[i + 1]; ++k)
        order.push_back(k);
      if (xylo) {
        if (core.vDecay[i] < 0 || core.vDecay[i] > intmath::xylo::kMaxDash ||
            core.iDecay[i] < 0 || core.iDecay[i] > intmath::xylo::kMaxDash)
          return Status::error("a neuron of population '" + pop.name +
                               "' has a dash outside Xylo's [0, 15]");
        // XyloSim's delivery order (SNN-X13), ties by weight as on the CPU.
        auto key = [&](int64_t k) {
          const int32_t a = core.synAxon[k], sp = core.axonPop[a],
                        si = core.axonIndex[a];
          return std::make_pair(
              intmath::xyloOrder(plan.populations[sp].kind == "input", sp, si,
                                 int64_t(hiddenBase[sp] + si),
                                 core.synDelay[k]),
              core.synWeight[k]);
        };
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t x, int64_t y) {
                           auto kx = key(x), ky = key(y);
                           if (kx.first < ky.first || ky.first < kx.first)
                             return kx.first < ky.first;
                           return kx.second < ky.second;
                         });
      }
      for (int64_t k : order) {
        const int32_t a = core.synAxon[k];
        src.push_back(int32_t(m.popOffset[core.axonPop[a]] + core.axonIndex[a]));
        w.push_back(core.synWeight[k]);
        d.push_back(core.synDelay[k]);
        maxDelay = std::max(maxDelay, core.synDelay[k]);
        ++perAxon[a];
      }
      ptr.push_back(int64_t(src.size()));
    }
    for (size_t a = 0; a < core.axonPop.size(); ++a)
      fanout[m.popOffset[core.axonPop[a]] + core.axonIndex[a]] += perAxon[a];
  }
  SNNRT_TRY(m.gid.upload(gid));
  SNNRT_TRY(m.threshold.upload(thr));
  SNNRT_TRY(m.bias.upload(bias));
  SNNRT_TRY(m.vDecay.upload(vd));
  SNNRT_TRY(m.iDecay.upload(id));
  SNNRT_TRY(m.biasSyn.upload(bs));
  SNNRT_TRY(m.liIndex.upload(liIdx));
  SNNRT_TRY(m.kind.upload(kind));
  SNNRT_TRY(m.subtract.upload(sub));
  SNNRT_TRY(m.synPtr.upload(ptr));
  SNNRT_TRY(m.synSrc.upload(src));
  SNNRT_TRY(m.synWeight.upload(w));
  SNNRT_TRY(m.synDelay.upload(d));
  SNNRT_TRY(m.fanoutSyn.upload(fanout));
  DevPlan &p = m.dev;
  p.T = plan.steps;
  p.R = uint32_t(maxDelay) + (xylo ? 2 : 1);
  p.neurons = uint32_t(total);
  p.units = uint32_t(gid.size());
  p.li = uint32_t(m.liPop.size());
  p.inputBase = uint32_t(m.popOffset[m.inputPop]);
  p.inputSize = plan.populations[m.inputPop].size;
  p.inputScale = plan.populations[m.inputPop].scale;
  p.bits = plan.stateBits;
  p.decay = plan.decayMode;
  p.lava = plan.arithmetic == intmath::Arithmetic::LavaCuba;
  p.xylo = xylo;
  p.gid = m.gid.get();
  p.threshold = m.threshold.get();
  p.bias = m.bias.get();
  p.vDecay = m.vDecay.get();
  p.iDecay = m.iDecay.get();
  p.biasSyn = m.biasSyn.get();
  p.liIndex = m.liIndex.get();
  p.kind = m.kind.get();
  p.subtract = m.subtract.get();
  p.synPtr = m.synPtr.get();
  p.synSrc = m.synSrc.get();
  p.synWeight = m.synWeight.get();
  p.synDelay = m.synDelay.get();
  p.fanoutSyn = m.fanoutSyn.get();
  return std::unique_ptr<CudaPlanExecutor>(new CudaPlanExecutor(std::move(impl)));
}

Expected<CudaPlanBatch> CudaPlanExecutor::run(const Dataset &data,
                                              const std::vector<size_t> &samples,
                                              bool traces) {
  Impl &m = *impl_;
  const DevPlan &p = m.dev;
  const Plan &plan = m.plan;
  if (data.channels != p.inputSize)
    return Status::error("the plan's input '" +
                         plan.populations[m.inputPop].name + "' has " +
                         std::to_string(p.inputSize) +
                         " channels but the dataset has " +
                         std::to_string(data.channels));
  for (size_t s : samples)
    if (s >= data.size())
      return Status::error("sample " + std::to_string(s) +
                           " is beyond the dataset's " +
                           std::to_string(data.size()));
  CudaPlanBatch out;
  out.predictions.reserve(samples.size());
  const size_t T = p.T, C = p.inputSize;
  // Samples per launch: bounded by about 2 GiB of scratch.
  const size_t perSample = T * C * 4 + size_t(p.R) * p.neurons * 4 +
                           size_t(p.units) * 16 + T * p.li * 8 +
                           (traces ? T * p.neurons * 4 : 0);
  const size_t chunk = std::max<size_t>(
      1, std::min<size_t>(4096, (size_t(2) << 30) / std::max<size_t>(perSample, 1)));
  std::vector<uint32_t> outs = plan.outputs();
  SNNRT_TRY(m.counters.resize(2));
  SNNRT_TRY(m.counters.zero());
  for (size_t first = 0; first < samples.size(); first += chunk) {
    const size_t n = std::min(chunk, samples.size() - first);
    std::vector<float> in(n * T * C, 0.0f);
    for (size_t q = 0; q < n; ++q) {
      const size_t s = samples[first + q];
      float *dst = in.data() + q * T * C;
      if (data.kind == InputKind::Frames) {
        for (size_t t = 0; t < std::min<size_t>(T, data.steps); ++t)
          for (size_t c = 0; c < C; ++c)
            dst[t * C + c] = data.frames[(s * data.steps + t) * C + c];
      } else {
        for (uint64_t k = data.eventOffsets[s]; k < data.eventOffsets[s + 1]; ++k)
          if (data.eventStep[k] < T)
            dst[size_t(data.eventStep[k]) * C + data.eventChannel[k]] =
                float(data.eventCount[k]);
      }
    }
    SNNRT_TRY(m.in.upload(in));
    SNNRT_TRY(m.hist.resize(n * p.R * p.neurons));
    SNNRT_TRY(m.v.resize(n * p.units));
    SNNRT_TRY(m.j.resize(n * p.units));
    SNNRT_TRY(m.readout.resize(std::max<size_t>(1, n * T * p.li)));
    if (traces)
      SNNRT_TRY(m.trace.resize(n * T * p.neurons));
    planKernel<<<unsigned(n), kThreads>>>(p, m.in.get(), m.hist.get(), m.v.get(),
                                          m.j.get(),
                                          traces ? m.trace.get() : nullptr,
                                          m.readout.get(), m.counters.get());
    SNNRT_CUDA_LAUNCH("planKernel");
    SNNRT_CUDA(cudaDeviceSynchronize());
    std::vector<int64_t> ro;
    SNNRT_TRY(m.readout.download(ro));
    std::vector<int32_t> tr;
    if (traces)
      SNNRT_TRY(m.trace.download(tr));
    for (size_t q = 0; q < n; ++q) {
      IntTrace trace;
      trace.output.resize(plan.populations.size());
      trace.readout.resize(plan.populations.size());
      for (size_t pi = 0; pi < plan.populations.size(); ++pi) {
        const auto &pop = plan.populations[pi];
        if (pop.kind == "li")
          trace.readout[pi].assign(T * pop.size, 0);
        else if (traces)
          trace.output[pi].assign(T * pop.size, 0);
      }
      for (size_t l = 0; l < p.li; ++l) {
        const uint32_t pop = m.liPop[l], idx = m.liIndexInPop[l];
        const size_t size = plan.populations[pop].size;
        for (size_t t = 0; t < T; ++t)
          trace.readout[pop][t * size + idx] = ro[(q * T + t) * p.li + l];
      }
      if (traces)
        for (size_t pi = 0; pi < plan.populations.size(); ++pi) {
          const auto &pop = plan.populations[pi];
          if (pop.kind == "li")
            continue;
          for (size_t t = 0; t < T; ++t)
            for (size_t i = 0; i < pop.size; ++i)
              trace.output[pi][t * pop.size + i] =
                  tr[(q * T + t) * p.neurons + m.popOffset[pi] + i];
        }
      out.predictions.push_back(
          outs.empty()
              ? -1
              : classifyReadout(trace.readout[outs.front()],
                                plan.populations[outs.front()].weightScale,
                                plan.steps, plan.arithmetic));
      if (traces)
        out.traces.push_back(std::move(trace));
    }
  }
  std::vector<unsigned long long> counters;
  SNNRT_TRY(m.counters.download(counters));
  out.stats.spikes = counters[0];
  out.stats.synapticEvents = counters[1];
  return out;
}

} // namespace snnrt
