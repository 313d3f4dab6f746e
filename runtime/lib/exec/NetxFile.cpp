//===- NetxFile.cpp - A lava-cuba network as a lava-dl NetX file ----------===//

#include "snnrt/exec/NetxFile.h"

#include "snnrt/base/Hdf5File.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace snnrt {
namespace {

/// NetX's bias is `bias_mant` with bias_exp = 6, stored as int16 (SNN-L10).
constexpr int64_t kBiasUnit = int64_t(1) << intmath::lava::kUnitShift;

Status refuse(const std::string &where, const std::string &what) {
  return Status::error(where + ": " + what + " (no NetX file for Lava)",
                       ErrorKind::BadInput);
}

/// numpy's int32 shifts: a count outside [0, 31] gives 0 (−1 for >> of a
/// negative value); >> floors.
int64_t npShl(int64_t x, int64_t k) {
  if (k < 0 || k > 31)
    return 0;
  return int64_t(int32_t(uint32_t(x) << k));
}
int64_t npShr(int64_t x, int64_t k) {
  if (k < 0 || k > 31)
    return x < 0 ? -1 : 0;
  return x >> k;
}

/// A parameter NetX holds once per layer: every neuron must agree.
Status uniform(const std::vector<int32_t> &values, const std::string &where,
               const std::string &what, int32_t &out) {
  if (values.empty())
    return Status::ok();
  out = values[0];
  for (int32_t v : values)
    if (v != out)
      return refuse(where, what + " differs between neurons (" +
                               std::to_string(out) + ", " + std::to_string(v) +
                               "); NetX holds one value per layer");
  return Status::ok();
}

/// SNN-L14: the relay layers that carry projection `pr`'s delays above
/// kNetxMaxDelay. NetX layers form a chain, so every synapse of `pr` passes
/// through all K relay layers, each adding one step plus its own NetX delay
/// (up to 62). A relay lane copies one source neuron; a source whose delays
/// span more than 63 steps gets one lane per 63-step bin. On return `l`
/// (the target layer, weight [size × fanIn over the source]) is rewritten
/// over the lanes and `delay` holds each synapse's remaining NetX delay.
Expected<std::vector<NetxLayer>> relayLayers(const IntProjection &pr,
                                             uint32_t sources, NetxLayer &l,
                                             std::vector<int32_t> &delay) {
  const std::string pwhere = "projection '" + pr.name + "'";
  int64_t D = 0;
  for (size_t k = 0; k < delay.size(); ++k)
    if (l.weight[k] != 0)
      D = std::max<int64_t>(D, delay[k]);
  const int64_t span = kNetxMaxDelay + 1;
  const int64_t K = (D - kNetxMaxDelay + span - 1) / span;
  if (K > kNetxMaxRelays)
    return refuse(pwhere,
                  "delay " + std::to_string(D) + " needs " + std::to_string(K) +
                      " relay layers, above the "
                      "limit of " +
                      std::to_string(kNetxMaxRelays) + " (delays up to " +
                      std::to_string(kNetxMaxRelays * span + kNetxMaxDelay) +
                      " are written, SNN-L14)");
  struct Lane {
    uint32_t source;
    int64_t lo, hi, relayed; ///< the bin's delays; steps spent in relays
  };
  std::vector<Lane> lanes;
  std::vector<int32_t> laneOf(l.weight.size(), -1);
  for (uint32_t a = 0; a < sources; ++a) {
    std::vector<std::pair<int64_t, uint32_t>> mine; // (delay, target)
    for (uint32_t b = 0; b < l.size; ++b) {
      const size_t at = size_t(b) * l.fanIn + a;
      if (l.weight[at] == 0)
        continue;
      if (delay[at] < K)
        return refuse(pwhere,
                      "synapse (target " + std::to_string(b) + ", source " +
                          std::to_string(a) + ") has delay " +
                          std::to_string(delay[at]) + ", shorter than the " +
                          std::to_string(K) + " relay layers its delay " +
                          std::to_string(D) +
                          " needs; every synapse of a projection passes all "
                          "of them, one step each (NetX layers are a chain, "
                          "SNN-L14)");
      mine.push_back({delay[at], b});
    }
    std::sort(mine.begin(), mine.end());
    for (const auto &[d, b] : mine) {
      if (lanes.empty() || lanes.back().source != a ||
          d > lanes.back().lo + kNetxMaxDelay) {
        const int64_t relayed =
            std::min<int64_t>(d - K, int64_t(kNetxMaxDelay) * K);
        lanes.push_back({a, d, d, relayed});
      }
      lanes.back().hi = d;
      laneOf[size_t(b) * l.fanIn + a] = int32_t(lanes.size() - 1);
    }
  }
  if (lanes.empty())
    return refuse(pwhere, "no synapse with a non-zero weight");
  const uint32_t numLanes = uint32_t(lanes.size());
  std::vector<NetxLayer> relays;
  for (int64_t k = 0; k < K; ++k) {
    NetxLayer r;
    r.name = pr.name + "_netx_relay" + std::to_string(k + 1);
    r.projection = pr.name;
    r.relay = true;
    r.size = numLanes;
    r.fanIn = k == 0 ? sources : numLanes;
    r.weight.assign(size_t(r.size) * r.fanIn, 0);
    r.delay.assign(r.weight.size(), 0);
    for (uint32_t j = 0; j < numLanes; ++j) {
      const size_t at = size_t(j) * r.fanIn + (k == 0 ? lanes[j].source : j);
      r.weight[at] = 1;
      // Spend the lane's relayed steps beyond the K relay hops early.
      const int64_t before =
          std::min<int64_t>(lanes[j].relayed, int64_t(kNetxMaxDelay) * k);
      r.delay[at] =
          int32_t(std::min<int64_t>(kNetxMaxDelay, lanes[j].relayed - before));
    }
    if (std::all_of(r.delay.begin(), r.delay.end(),
                    [](int32_t d) { return d == 0; }))
      r.delay.clear();
    // The relay of SNN-V29 (lava_cuba): u and v forgotten every step,
    // threshold 0, weight 1: one binary spike in gives one spike out.
    r.iDecay = int32_t(intmath::lava::kMaxIDecay);
    r.vDecay = 4095;
    r.vThMant = 0;
    r.bias.assign(numLanes, 0);
    relays.push_back(std::move(r));
  }
  std::vector<int32_t> weight(size_t(l.size) * numLanes, 0);
  std::vector<int32_t> rest(weight.size(), 0);
  for (uint32_t b = 0; b < l.size; ++b)
    for (uint32_t a = 0; a < l.fanIn; ++a) {
      const size_t at = size_t(b) * l.fanIn + a;
      if (laneOf[at] < 0)
        continue;
      const Lane &lane = lanes[laneOf[at]];
      const size_t to = size_t(b) * numLanes + laneOf[at];
      weight[to] = l.weight[at];
      rest[to] = int32_t(delay[at] - K - lane.relayed);
      if (rest[to] < 0 || rest[to] > kNetxMaxDelay)
        return refuse(pwhere, "internal: relay split left delay " +
                                  std::to_string(rest[to]));
    }
  l.weight = std::move(weight);
  l.fanIn = numLanes;
  delay = std::move(rest);
  return relays;
}

} // namespace

Status netxWeightsExact(const std::vector<int32_t> &w) {
  // SNN-L4 step by step, then the condition of SNN-L5 under which Lava's
  // shifted sum is snnc's exact one: W = w · 2^b for every synapse.
  if (w.empty() ||
      std::all_of(w.begin(), w.end(), [](int32_t x) { return x == 0; }))
    return Status::error("all weights are 0 (netx cannot load it: log2 of 0)");
  const int64_t M = *std::max_element(w.begin(), w.end());
  const int64_t m = *std::min_element(w.begin(), w.end());
  if ((M > 254 && m < 0) || (m < -256 && M > 0))
    return Status::error("weights span [" + std::to_string(m) + ", " +
                         std::to_string(M) +
                         "]: netx clips a mixed-sign matrix to [-256, 254] "
                         "(optimize_weight_bits)");
  double scale;
  int sigma = 0;
  if (M < 0) {
    scale = -256.0 / double(m);
  } else if (m >= 0) {
    scale = 255.0 / double(M);
  } else {
    scale = std::min(M > 0 ? 127.0 / double(M)
                           : std::numeric_limits<double>::infinity(),
                     -128.0 / double(m));
    sigma = 1;
  }
  const int64_t b = int64_t(std::floor(std::log2(scale))) + sigma;
  int64_t n = 0;
  while (n < 8 && std::all_of(w.begin(), w.end(), [&](int32_t x) {
           return x % (int64_t(1) << (n + 1)) == 0;
         }))
    ++n;
  n -= sigma;
  const int64_t numWeightBits = 8 - b - n;
  std::vector<int64_t> w2(w.size());
  for (size_t k = 0; k < w.size(); ++k)
    w2[k] = npShl(w[k], b);
  const int64_t m2 = *std::min_element(w2.begin(), w2.end());
  const int64_t M2 = *std::max_element(w2.begin(), w2.end());
  enum { Exc, Inh, Mixed } mode = m2 >= 0 ? Exc : (M2 <= 0 ? Inh : Mixed);
  const int64_t shift = 8 - numWeightBits + (mode == Mixed ? 1 : 0);
  for (size_t k = 0; k < w.size(); ++k) {
    int64_t stored;
    if (mode == Inh) {
      int64_t w3 = -std::min<int64_t>(std::max<int64_t>(-w2[k], 0), 255);
      stored = -npShl(npShr(-w3, shift), shift);
    } else {
      int64_t lo = mode == Exc ? 0 : -256;
      int64_t w3 = std::min<int64_t>(std::max<int64_t>(w2[k], lo), 255);
      stored = npShl(npShr(w3, shift), shift);
    }
    if (b < 0 || stored != int64_t(w[k]) * (int64_t(1) << b))
      return Status::error(
          "weight " + std::to_string(w[k]) + " (synapse " + std::to_string(k) +
          " of the dense matrix) would act as " +
          (b < 0 ? std::string("0") : std::to_string(npShr(stored, b))) +
          " in Lava (netx/Lava 8-bit weight form, SNN-L4: exponent " +
          std::to_string(-b) + ", " + std::to_string(numWeightBits) +
          " weight bits)");
  }
  return Status::ok();
}

Expected<std::vector<NetxLayer>> netxLayers(const IntNetwork &net) {
  if (net.arithmetic != intmath::Arithmetic::LavaCuba)
    return refuse("network '" + net.name + "'",
                  "arithmetic is snnc's, not lava-cuba");
  SNNRT_TRY(net.validate());
  // The chain: one input, then each population fed by exactly one
  // projection from the one before it.
  int input = -1;
  for (size_t p = 0; p < net.populations.size(); ++p)
    if (net.populations[p].kind == PopulationKind::Input) {
      if (input >= 0)
        return refuse("population '" + net.populations[p].name + "'",
                      "a second input population; NetX has one input layer");
      input = int(p);
    }
  if (input < 0)
    return refuse("network '" + net.name + "'", "no input population");
  std::vector<int> incoming(net.populations.size(), -1);
  std::vector<int> outgoing(net.populations.size(), -1);
  for (size_t j = 0; j < net.projections.size(); ++j) {
    const auto &pr = net.projections[j];
    int s = net.findPopulation(pr.source), t = net.findPopulation(pr.target);
    const std::string where = "projection '" + pr.name + "'";
    if (incoming[t] >= 0)
      return refuse(where, "population '" + pr.target +
                               "' has a second incoming projection; NetX "
                               "layers are a chain");
    if (outgoing[s] >= 0)
      return refuse(where, "population '" + pr.source +
                               "' feeds a second projection; NetX layers are "
                               "a chain");
    if (s == t)
      return refuse(where, "recurrent; NetX dense layers are feed-forward");
    incoming[t] = int(j);
    outgoing[s] = int(j);
  }
  std::vector<NetxLayer> layers;
  int at = input;
  size_t visited = 1;
  while (outgoing[at] >= 0) {
    const IntProjection &pr = net.projections[outgoing[at]];
    const IntPopulation &src = net.populations[at];
    at = net.findPopulation(pr.target);
    ++visited;
    const IntPopulation &pop = net.populations[at];
    const std::string where = "population '" + pop.name + "'";
    const std::string pwhere = "projection '" + pr.name + "'";
    const bool readout = pop.kind == PopulationKind::Li;
    if (readout && outgoing[at] >= 0)
      return refuse(where, "a readout that feeds another population");
    if (pr.weightExp != 0)
      return refuse(pwhere, "weight exponent " + std::to_string(pr.weightExp) +
                                " (only 0 is written)");
    NetxLayer l;
    l.name = pop.name;
    l.size = pop.size;
    l.fanIn = src.size;
    l.weight.assign(size_t(l.size) * l.fanIn, 0);
    std::vector<int32_t> delay(l.weight.size(), 0);
    std::vector<uint8_t> seen(l.weight.size(), 0);
    bool anyDelay = false;
    int32_t longest = 0;
    for (uint32_t b = 0; b < pop.size; ++b)
      for (uint64_t k = pr.rowPtr[b]; k < pr.rowPtr[b + 1]; ++k) {
        size_t at2 = size_t(b) * l.fanIn + pr.colIdx[k];
        if (seen[at2])
          return refuse(pwhere, "two synapses from neuron " +
                                    std::to_string(pr.colIdx[k]) +
                                    " to neuron " + std::to_string(b) +
                                    " cannot share one dense weight");
        seen[at2] = 1;
        l.weight[at2] = pr.weight[k];
        // A zero weight carries nothing: its delay needs no relay, and one
        // above 62 is written as 0 (the tools refuse what netx would clamp).
        const bool idle = pr.weight[k] == 0 && pr.delay[k] > kNetxMaxDelay;
        delay[at2] = idle ? 0 : pr.delay[k];
        anyDelay |= delay[at2] != 0;
        if (pr.weight[k] != 0)
          longest = std::max(longest, pr.delay[k]);
      }
    if (Status st = netxWeightsExact(l.weight); !st)
      return refuse(pwhere, st.message());
    if (longest > kNetxMaxDelay) {
      auto relays = relayLayers(pr, src.size, l, delay);
      if (!relays)
        return relays.status();
      for (NetxLayer &r : *relays)
        layers.push_back(std::move(r));
      anyDelay = std::any_of(delay.begin(), delay.end(),
                             [](int32_t d) { return d != 0; });
    }
    if (anyDelay)
      l.delay = std::move(delay);
    l.bias.resize(pop.size);
    for (uint32_t b = 0; b < pop.size; ++b) {
      const int64_t bias = pop.bias[b];
      if (bias % kBiasUnit != 0 || bias / kBiasUnit < INT16_MIN ||
          bias / kBiasUnit > INT16_MAX)
        return refuse(where,
                      "bias " + std::to_string(bias) + " of neuron " +
                          std::to_string(b) +
                          " is not 64 · an int16 (NetX writes bias_exp 6)");
      l.bias[b] = int32_t(bias / kBiasUnit);
    }
    int32_t iDecay = int32_t(intmath::lava::kMaxIDecay);
    SNNRT_TRY(uniform(pop.iDecay, where, "i_decay", iDecay));
    l.iDecay = iDecay;
    SNNRT_TRY(uniform(pop.vDecay, where, "v_decay", l.vDecay));
    if (readout) {
      // snnc's lava readout is a CUBA neuron with the largest threshold.
      l.vThMant = int32_t(intmath::lava::kMaxThreshold);
    } else {
      SNNRT_TRY(uniform(pop.threshold, where, "threshold", l.vThMant));
    }
    layers.push_back(std::move(l));
  }
  if (visited != net.populations.size())
    for (size_t p = 0; p < net.populations.size(); ++p)
      if (int(p) != input && incoming[p] < 0)
        return refuse("population '" + net.populations[p].name + "'",
                      "not on the chain from the input; NetX layers are a "
                      "chain");
  if (layers.empty())
    return refuse("network '" + net.name + "'", "no layer after the input");
  return layers;
}

Status writeNetx(const std::string &path, const IntNetwork &net) {
  auto layers = netxLayers(net);
  if (!layers)
    return layers.status();
  auto file = h5::File::createAtomic(path);
  if (!file)
    return file.status();
  h5::File &f = *file;
  const uint32_t inputs = (*layers)[0].fanIn;
  SNNRT_TRY(f.createGroup("layer/0"));
  SNNRT_TRY(f.writeString("layer/0/type", "input"));
  SNNRT_TRY(f.write("layer/0/shape", std::vector<int64_t>{inputs}));
  for (size_t i = 0; i < layers->size(); ++i) {
    const NetxLayer &l = (*layers)[i];
    const std::string g = "layer/" + std::to_string(i + 1);
    const std::vector<uint64_t> matrix = {l.size, l.fanIn};
    SNNRT_TRY(f.createGroup(g + "/neuron"));
    SNNRT_TRY(f.writeString(g + "/type", "dense"));
    // `name` is an extension netx ignores; the tools name layers by it.
    SNNRT_TRY(f.writeString(g + "/name", l.name));
    SNNRT_TRY(f.write(g + "/shape", std::vector<int64_t>{l.size}));
    SNNRT_TRY(f.write(g + "/weight", l.weight, matrix));
    if (!l.delay.empty())
      SNNRT_TRY(f.write(g + "/delay", l.delay, matrix));
    SNNRT_TRY(f.write(g + "/bias", l.bias));
    SNNRT_TRY(f.writeString(g + "/neuron/type", "CUBA"));
    SNNRT_TRY(f.writeScalar(g + "/neuron/iDecay", int64_t(l.iDecay)));
    SNNRT_TRY(f.writeScalar(g + "/neuron/vDecay", int64_t(l.vDecay)));
    SNNRT_TRY(f.writeScalar(g + "/neuron/vThMant", int64_t(l.vThMant)));
    // Read by netx_io only; Lava ignores both (SNN-L13).
    SNNRT_TRY(f.writeScalar(g + "/neuron/refDelay", int64_t(1)));
    SNNRT_TRY(f.writeScalar(g + "/neuron/gradedSpike", int64_t(0)));
  }
  return f.commit();
}

} // namespace snnrt
