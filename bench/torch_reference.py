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

Data: the raw files gpu-bench --export-raw writes (frames.f32 [N][T][C],
labels.i32, shape.txt "N T C classes") — numpy only, no h5py needed — or, with
--synthetic N, random frames of the same shape.

Prints one JSON line: {"what": "torch-epoch", "seconds": ..., ...}.
"""
import argparse
import json
import math
import os
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


class Net(torch.nn.Module):
    def __init__(self, c, hidden, classes, dmax, sigma, beta, dropout):
        super().__init__()
        self.fc1 = DclsLinear(c, hidden, dmax, sigma)
        self.bn1 = torch.nn.BatchNorm1d(hidden)
        self.fc2 = DclsLinear(hidden, classes, dmax, sigma)
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
    a = ap.parse_args()
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
    net = Net(C, a.hidden, K, a.max_delay, 12.0, 1 - 1 / 10.05, 0.4).to(dev)
    model = torch.compile(net) if a.compile else net
    opt = torch.optim.Adam([
        {"params": [p for nme, p in net.named_parameters() if not nme.endswith(".p")], "lr": 2e-4},
        {"params": [p for nme, p in net.named_parameters() if nme.endswith(".p")], "lr": 0.1},
    ])

    def epoch():
        perm = torch.randperm(n, device=dev)
        total, batches = 0.0, 0
        for start in range(0, n, a.batch):
            idx = perm[start:start + a.batch]
            m = model(X[idx])
            loss = F.cross_entropy(m, Y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                h = (a.max_delay - 1) / 2
                net.fc1.p.clamp_(-h, h)
                net.fc2.p.clamp_(-h, h)
            total += float(loss)
            batches += 1
        return total / max(batches, 1)

    net.train()
    epoch_warm = time.time()
    if dev.type == "cuda":  # warm-up: kernels, allocator, (compile)
        model(X[: a.batch]).sum().backward()
        opt.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
    warm = time.time() - epoch_warm
    t0 = time.time()
    loss = epoch()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t1 = time.time()
    print(json.dumps({
        "what": "torch-epoch", "device": str(dev),
        "gpu": torch.cuda.get_device_name(0) if dev.type == "cuda" else "",
        "torch": torch.__version__, "samples": n, "batch": a.batch,
        "network": "%d-%d-%d" % (C, a.hidden, K), "steps": T, "max_delay": a.max_delay,
        "seconds": round(t1 - t0, 4), "warmup_seconds": round(warm, 2),
        "loss": round(loss, 6), "compiled": a.compile,
    }))


if __name__ == "__main__":
    main()
