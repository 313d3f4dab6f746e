#!/usr/bin/env python3
"""The paper's network in PyTorch, for bench/gpu-check.sh's ratio.

40 -> 256 -> 20 delay SNN of Meszaros, Knight & Nowotny (2024) as their code
builds it: each delayed projection is a DCLS kernel (per synapse a weight
spread over Dmax = 25 taps by a normalised Gaussian at its learned position,
sigma shared) applied as a causal conv1d over time; BatchNorm over (batch,
time) per neuron, LIF with beta = 1 - 1/10.05, hard reset detached, arctan
surrogate (alpha 5), dropout 0.4; LI readout; loss = cross-entropy of
sum_t softmax(U[t]); Adam. snnc's float engine computes the same
(docs/semantics.md SNN-F1..F12); this file times one training epoch of it
on the same GPU and data.

--layer dcls uses the authors' layer from the `dcls` package instead
(DCLS.construct.modules.Dcls1d, version "gauss", kernel_count 1,
dilated_kernel_size Dmax, input padded by Dmax - 1 on the left as in their
code) with its sigma held at --sigma; --frozen stops the positions' gradient
(the convolution still runs over all Dmax taps: PyTorch has no cheaper
path). bench/torch-vs-snnc.sh times it against snnc on the CPU.

Data: the raw files gpu-bench --export-raw writes (frames.f32 [N][T][C],
labels.i32, shape.txt "N T C classes") — numpy only, no h5py needed — or, with
--synthetic N, random frames of the same shape.

Prints one JSON line: {"what": "torch-epoch", "seconds": ..., ...}.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the CPU build machine has no PyTorch
    print(json.dumps({"what": "torch-epoch", "error": "missing: %s" % e}))
    sys.exit(0)


class SpikeFn(torch.autograd.Function):
    """Heaviside forward, arctan surrogate backward (SNN-F11)."""

    alpha = 5.0

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        a = SpikeFn.alpha
        return g * (a / 2) / (1 + (math.pi / 2 * a * x) ** 2)


class DclsLinear(torch.nn.Module):
    """SNN-F2/F3: I[b,t] = sum_a sum_k w_ba g_k(p_ba) x_a[t-k]."""

    def __init__(self, n_in, n_out, dmax, sigma):
        super().__init__()
        bound = math.sqrt(2.0) * math.sqrt(3.0 / n_in)
        self.w = torch.nn.Parameter(torch.empty(n_out, n_in).uniform_(-bound, bound))
        h = (dmax - 1) / 2
        self.p = torch.nn.Parameter(torch.empty(n_out, n_in).uniform_(-h - 1, h).clamp(-h, h))
        self.dmax, self.h, self.sigma = dmax, h, sigma

    def kernel(self):
        k = torch.arange(self.dmax, device=self.w.device, dtype=self.w.dtype)
        delta = self.h - self.p  # continuous delay
        width = abs(self.sigma) + 0.27
        g = torch.exp(-0.5 * ((k - delta[..., None]) / width) ** 2)
        g = g / (g.sum(-1, keepdim=True) + 1e-7)
        return self.w[..., None] * g  # [out, in, taps], tap k = delay k

    def forward(self, x):  # x: [B, in, T]
        K = self.kernel().flip(-1)  # conv1d correlates: delay k at index D-1-k
        return F.conv1d(F.pad(x, (self.dmax - 1, 0)), K)

    def positions(self):
        return [self.p]

    def clamp(self):
        self.p.clamp_(-self.h, self.h)


class DclsPackage(torch.nn.Module):
    """The same projection through the authors' layer (the `dcls` package)."""

    def __init__(self, n_in, n_out, dmax, sigma):
        super().__init__()
        from DCLS.construct.modules import Dcls1d
        self.conv = Dcls1d(n_in, n_out, kernel_count=1, groups=1,
                           dilated_kernel_size=dmax, bias=False, version="gauss")
        h = dmax // 2
        with torch.no_grad():  # their initialisation: positions uniform
            torch.nn.init.kaiming_uniform_(self.conv.weight, nonlinearity="relu")
            torch.nn.init.uniform_(self.conv.P, -h, h)
            self.conv.SIG.fill_(sigma)
        self.conv.clamp_parameters()
        self.conv.SIG.requires_grad = False  # annealed by hand, never learned
        self.dmax = dmax

    def forward(self, x):  # x: [B, in, T]; causal: pad Dmax - 1 steps before
        return self.conv(F.pad(x, (self.dmax - 1, 0)))

    def positions(self):
        return [self.conv.P]

    def clamp(self):
        self.conv.clamp_parameters()


class Net(torch.nn.Module):
    def __init__(self, c, hidden, classes, dmax, sigma, beta, dropout,
                 layer="own"):
        super().__init__()
        Layer = DclsPackage if layer == "dcls" else DclsLinear
        self.fc1 = Layer(c, hidden, dmax, sigma)
        self.bn1 = torch.nn.BatchNorm1d(hidden)
        self.fc2 = Layer(hidden, classes, dmax, sigma)
        self.beta, self.dropout = beta, dropout

    def forward(self, x):  # [B, C, T]
        B, _, T = x.shape
        i1 = self.bn1(self.fc1(x))  # BatchNorm over (batch, time)
        v = torch.zeros(B, i1.shape[1], device=x.device)
        spikes = []
        for t in range(T):  # SNN-F7, hard reset, detached
            s = SpikeFn.apply(v - 1.0)
            spikes.append(s)
            v = (self.beta * v + i1[:, :, t]) * (1 - s.detach())
        s = torch.stack(spikes, -1)
        if self.training and self.dropout > 0:  # SNN-F12: one mask for all steps
            s = s * F.dropout(torch.ones_like(s[..., :1]), self.dropout, True)
        i2 = self.fc2(s)
        u = torch.zeros(B, i2.shape[1], device=x.device)
        m = 0
        for t in range(T):  # SNN-F9, SNN-F10
            u = self.beta * u + i2[:, :, t]
            m = m + F.softmax(u, -1)
        return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", help="folder written by gpu-bench --export-raw")
    ap.add_argument("--synthetic", type=int, default=0, help="N random samples")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--max-delay", type=int, default=25)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--compile", action="store_true", help="torch.compile the model")
    ap.add_argument("--layer", choices=["own", "dcls"], default="own",
                    help="own: this file's DCLS kernel; dcls: the dcls package's Dcls1d")
    ap.add_argument("--sigma", type=float, default=12.0, help="DCLS sigma, held fixed")
    ap.add_argument("--frozen", action="store_true", help="positions not trained")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: default)")
    ap.add_argument("--time-samples", type=int, default=0,
                    help="time only the first N samples of the epoch and scale to the full epoch")
    ap.add_argument("--flush-denormal", action="store_true",
                    help="torch.set_flush_denormal(True): at small sigma the Gaussian's "
                    "tails are denormal floats, which x86 computes slowly")
    a = ap.parse_args()
    if a.flush_denormal:
        torch.set_flush_denormal(True)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
        torch.set_num_interop_threads(1)
    dev = torch.device(a.device if torch.cuda.is_available() or a.device == "cpu" else "cpu")
    if a.raw:
        n, T, C, K = map(int, open(os.path.join(a.raw, "shape.txt")).read().split())
        x = np.fromfile(os.path.join(a.raw, "frames.f32"), dtype=np.float32).reshape(n, T, C)
        y = np.fromfile(os.path.join(a.raw, "labels.i32"), dtype=np.int32)
    else:
        n, T, C, K = a.synthetic or 1024, 100, 40, 20
        rng = np.random.default_rng(1)
        x = (rng.random((n, T, C), dtype=np.float32) * 0.1).astype(np.float32)
        y = rng.integers(0, K, n).astype(np.int32)
    X = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1))).to(dev) * 20.0
    Y = torch.from_numpy(y.astype(np.int64)).to(dev)
    torch.manual_seed(1)
    net = Net(C, a.hidden, K, a.max_delay, a.sigma, 1 - 1 / 10.05, 0.4, a.layer).to(dev)
    model = torch.compile(net) if a.compile else net
    pos = {id(p) for layer in (net.fc1, net.fc2) for p in layer.positions()}
    if a.frozen:
        for layer in (net.fc1, net.fc2):
            for p in layer.positions():
                p.requires_grad = False
    opt = torch.optim.Adam([
        {"params": [p for p in net.parameters() if id(p) not in pos and p.requires_grad], "lr": 2e-4},
        {"params": [p for p in net.parameters() if id(p) in pos and p.requires_grad], "lr": 0.1},
    ])
    timed = min(n, a.time_samples) if a.time_samples > 0 else n

    def epoch():
        perm = torch.randperm(n, device=dev)
        total, batches = 0.0, 0
        for start in range(0, timed, a.batch):
            idx = perm[start:start + a.batch]
            m = model(X[idx])
            loss = F.cross_entropy(m, Y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                net.fc1.clamp()
                net.fc2.clamp()
            total += float(loss)
            batches += 1
        return total / max(batches, 1)

    net.train()
    epoch_warm = time.time()
    # Warm-up (kernels, allocator, compile; on the CPU the first touch of
    # the buffers), untimed like train-bench's.
    model(X[: a.batch]).sum().backward()
    opt.zero_grad(set_to_none=True)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    warm = time.time() - epoch_warm
    t0, c0 = time.time(), time.process_time()
    loss = epoch()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t1, c1 = time.time(), time.process_time()
    scale = n / timed
    print(json.dumps({
        "what": "torch-epoch", "device": str(dev),
        "gpu": torch.cuda.get_device_name(0) if dev.type == "cuda" else "",
        "torch": torch.__version__, "samples": n, "batch": a.batch,
        "network": "%d-%d-%d" % (C, a.hidden, K), "steps": T, "max_delay": a.max_delay,
        "seconds": round((t1 - t0) * scale, 4), "timed_samples": timed,
        "cpu_seconds": round((c1 - c0) * scale, 4),
        "warmup_seconds": round(warm, 2),
        "loss": round(loss, 6), "compiled": a.compile, "layer": a.layer,
        "sigma": a.sigma, "frozen": a.frozen, "flush_denormal": a.flush_denormal, "threads": torch.get_num_threads(),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
