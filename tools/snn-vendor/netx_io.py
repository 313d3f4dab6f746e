"""File formats shared by the Lava tools in tools/snn-vendor/.

- NetX network files (lava-dl `netx/hdf5.py` layout), the subset these tools support:
  `/layer/0` of type `input` holding only `shape` (no `neuron` group, rule SNN-L1),
  then 1 or more `dense` layers with a CUBA `neuron` group.
- snnc dataset files (docs/formats/dataset.md), read into integer input arrays.
- snnc spike recordings (docs/formats/spikes.md), written with one population per layer.

Only numpy and h5py; nothing here imports Lava.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile

import h5py
import numpy as np


class VendorError(Exception):
    """An error the tools report as `error: <message>` with a non-zero exit code."""


# --------------------------------------------------------------------------- NetX


@dataclasses.dataclass
class DenseLayer:
    """One `dense` NetX layer with a CUBA neuron, values as stored in the file."""

    name: str
    weight: np.ndarray  # float or int [out, in] as stored
    delay: np.ndarray | None  # [out, in] (or broadcastable, as netx accepts) or None
    bias: np.ndarray | None  # [out] or None
    i_decay: int
    v_decay: int
    v_th_mant: int
    ref_delay: int = 1
    graded_spike: bool = False

    @property
    def size(self) -> int:
        return int(self.weight.shape[0])


@dataclasses.dataclass
class NetxNetwork:
    inputs: int
    layers: list[DenseLayer]
    path: str = "<memory>"


def _scalar(ds) -> int | float:
    value = ds[()]
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0]
    return value.item() if hasattr(value, "item") else value


def _string(ds) -> str:
    value = ds[()]
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0]
    return value.decode("ascii") if isinstance(value, bytes) else str(value)


def read_netx(path: str) -> NetxNetwork:
    """Read and validate a NetX file; errors name the file and the layer."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise VendorError(f"{path}: cannot open as HDF5 ({e})") from None
    with f:
        if "layer" not in f:
            raise VendorError(f"{path}: no /layer group (not a NetX file)")
        group = f["layer"]
        count = len(group)
        for i in range(count):
            if str(i) not in group:
                raise VendorError(f"{path}: layers are not numbered 0..{count - 1} (missing /layer/{i})")
        if count < 2:
            raise VendorError(f"{path}: needs an input layer and at least one dense layer")
        l0 = group["0"]
        where = f"{path}: /layer/0"
        if "type" not in l0 or _string(l0["type"]) != "input":
            raise VendorError(f"{where}: type must be 'input'")
        if "neuron" in l0:
            raise VendorError(
                f"{where}: an input layer with a 'neuron' group is not supported "
                "(Lava cannot feed it: rule SNN-L1); write the input layer with 'shape' only")
        inputs = int(np.prod(l0["shape"][()]))
        layers = []
        fan_in = inputs
        for i in range(1, count):
            g = group[str(i)]
            where = f"{path}: /layer/{i}"
            kind = _string(g["type"]) if "type" in g else "?"
            if kind != "dense":
                raise VendorError(f"{where}: type '{kind}' is not supported (dense only)")
            for key in ("shape", "weight", "neuron"):
                if key not in g:
                    raise VendorError(f"{where}: missing '{key}'")
            n = g["neuron"]
            ntype = _string(n["type"]) if "type" in n else "?"
            if ntype != "CUBA":
                raise VendorError(f"{where}: neuron type '{ntype}' is not supported (CUBA only)")
            for key in ("iDecay", "vDecay", "vThMant"):
                if key not in n:
                    raise VendorError(f"{where}/neuron: missing '{key}'")
            size = int(np.prod(g["shape"][()]))
            weight = np.asarray(g["weight"][()])
            if weight.ndim == 1:
                weight = weight.reshape(size, -1)
            if weight.shape != (size, fan_in):
                raise VendorError(f"{where}: weight has shape {weight.shape}, expected ({size}, {fan_in})")
            if not np.all(np.isfinite(weight)):
                raise VendorError(f"{where}: non-finite weight")
            if not np.any(np.trunc(weight)):
                raise VendorError(f"{where}: all-zero weight matrix (netx cannot load it: log2 of 0)")
            delay = np.asarray(g["delay"][()]) if "delay" in g else None
            if delay is not None and (np.any(delay != np.rint(delay)) or delay.min() < 0
                                      or delay.max() > 62):
                raise VendorError(f"{where}: delays must be integers in [0, 62] "
                                  "(netx clamps larger ones with only a warning)")
            bias = np.asarray(g["bias"][()]).reshape(-1) if "bias" in g else None
            if bias is not None and bias.size != size:
                raise VendorError(f"{where}: bias has {bias.size} values for {size} neurons")
            name = _string(g["name"]) if "name" in g else f"layer{i}"
            layers.append(DenseLayer(
                name=name, weight=weight, delay=delay, bias=bias,
                i_decay=int(_scalar(n["iDecay"])), v_decay=int(_scalar(n["vDecay"])),
                v_th_mant=int(_scalar(n["vThMant"])),
                ref_delay=int(_scalar(n["refDelay"])) if "refDelay" in n else 1,
                graded_spike=bool(_scalar(n["gradedSpike"])) if "gradedSpike" in n else False))
            fan_in = size
        names = [layer.name for layer in layers]
        if len(set(names)) != len(names) or "input" in names:
            raise VendorError(f"{path}: layer names must be unique and not 'input': {names}")
        return NetxNetwork(inputs=inputs, layers=layers, path=path)


def write_netx(path: str, net: NetxNetwork, names: bool = False) -> None:
    """Write a NetX file in the layout lava-dl's netx reads (`/layer/<i>/...`).

    With `names`, each dense layer also gets a `name` string (an extension netx ignores).
    """
    with h5py.File(path, "w") as f:
        group = f.create_group("layer")
        l0 = group.create_group("0")
        l0["type"] = np.bytes_("input")
        l0["shape"] = np.array([net.inputs], dtype=np.int64)
        for i, layer in enumerate(net.layers, start=1):
            g = group.create_group(str(i))
            g["type"] = np.bytes_("dense")
            g["shape"] = np.array([layer.size], dtype=np.int64)
            g["weight"] = layer.weight
            if layer.delay is not None:
                g["delay"] = layer.delay
            if layer.bias is not None:
                g["bias"] = layer.bias
            if names:
                g["name"] = np.bytes_(layer.name)
            n = g.create_group("neuron")
            n["type"] = np.bytes_("CUBA")
            n["iDecay"] = np.int64(layer.i_decay)
            n["vDecay"] = np.int64(layer.v_decay)
            n["vThMant"] = np.int64(layer.v_th_mant)
            n["refDelay"] = np.int64(layer.ref_delay)
            n["gradedSpike"] = np.bool_(layer.graded_spike)


# ------------------------------------------------------------------------ dataset


@dataclasses.dataclass
class Dataset:
    """Input of every sample as integers `x[n, t, c]` (SNN-L2), plus the file's metadata."""

    x: np.ndarray  # int64 [N, T, C]
    dt: float
    kind: str
    path: str


def read_dataset(path: str, samples: int | None = None, steps: int | None = None,
                 input_scale: float = 1.0) -> Dataset:
    """Read an snnc dataset (docs/formats/dataset.md) into integer inputs.

    Spike datasets give `x = count` (counts are integers in any file `snnc data` writes;
    a non-integer count is an error). Frame datasets give
    `x = sat16(rne(input_scale * frame))`, as SNN-I2 does for an integer network.
    """
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise VendorError(f"{path}: cannot open as HDF5 ({e})") from None
    with f:
        fmt = f.attrs.get("format")
        fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
        if fmt != "snnc-dataset":
            raise VendorError(f"{path}: attribute format is {fmt!r}, expected 'snnc-dataset'")
        kind = f.attrs.get("kind")
        kind = kind.decode() if isinstance(kind, bytes) else kind
        T = int(f.attrs["steps"])
        C = int(f.attrs["channels"])
        dt = float(f.attrs.get("dt", 1e-3))
        N = int(f["labels"].shape[0])
        n_use = N if samples is None else min(samples, N)
        t_use = T if steps is None else steps
        if t_use < 1:
            raise VendorError(f"{path}: --steps must be at least 1")
        x = np.zeros((n_use, t_use, C), dtype=np.int64)
        tt = min(T, t_use)
        if kind == "frames":
            frames = np.asarray(f["frames"][:n_use, :tt, :], dtype=np.float64)
            if frames.shape[2] != C:
                raise VendorError(f"{path}: /frames has {frames.shape[2]} channels, attribute says {C}")
            if not np.all(np.isfinite(frames)):
                raise VendorError(f"{path}: /frames holds non-finite values")
            x[:, :tt, :] = np.clip(np.rint(input_scale * frames), -32768, 32767).astype(np.int64)
        elif kind == "spikes":
            offsets = np.asarray(f["events/offsets"][()], dtype=np.int64)
            step = np.asarray(f["events/step"][()], dtype=np.int64)
            chan = np.asarray(f["events/channel"][()], dtype=np.int64)
            count = np.asarray(f["events/count"][()], dtype=np.float64)
            if offsets.shape[0] != N + 1:
                raise VendorError(f"{path}: /events/offsets has {offsets.shape[0]} entries, expected {N + 1}")
            for n in range(n_use):
                sl = slice(offsets[n], offsets[n + 1])
                s, c, k = step[sl], chan[sl], count[sl]
                if np.any(k != np.rint(k)):
                    raise VendorError(f"{path}: sample {n} has a non-integer event count")
                if np.any(c >= C) or np.any(s >= T):
                    raise VendorError(f"{path}: sample {n} has an event outside steps/channels")
                keep = s < t_use
                x[n, s[keep], c[keep]] = np.rint(k[keep]).astype(np.int64)
        else:
            raise VendorError(f"{path}: unknown kind {kind!r} (frames or spikes)")
        return Dataset(x=x, dt=dt, kind=kind, path=path)


def write_spike_dataset(path: str, x: np.ndarray, dt: float = 1e-3, num_classes: int = 1,
                        source: str = "lava_random") -> None:
    """Write integer inputs `x[N, T, C] >= 0` as an snnc spike dataset (count = x)."""
    from snnc_h5 import write_spike_dataset as write_counts
    write_counts(path, list(x), np.zeros(x.shape[0], np.int32), dt, num_classes, source)


# ------------------------------------------------------------------------ spikes


@dataclasses.dataclass
class Recording:
    """What one run of a network on a dataset produced.

    spikes[name] is bool [N, T, size] for the input (x != 0) and every layer;
    v_last is int64 [N, T, size_last], the last layer's v after each step (SNN-L12).
    """

    names: list[str]
    kinds: list[str]
    spikes: dict[str, np.ndarray]
    v_last: np.ndarray
    dt: float
    source: str


def write_recording(path: str, rec: Recording) -> None:
    """Write an snnc-spikes file (docs/formats/spikes.md) plus `/readout/v`.

    Written to a temporary file in the same folder and renamed (atomic, like snnc run).
    """
    N, T = rec.v_last.shape[:2]
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = "snnc-spikes"
            f.attrs["version"] = np.int64(1)
            f.attrs["source"] = rec.source
            f.attrs["dt"] = np.float64(rec.dt)
            f.attrs["steps"] = np.int64(T)
            f.attrs["samples"] = np.int64(N)
            pops = f.create_group("populations")
            for name, kind in zip(rec.names, rec.kinds):
                s = rec.spikes[name]
                g = pops.create_group(name)
                g.attrs["size"] = np.int64(s.shape[2])
                g.attrs["kind"] = kind
                ptr = [0]
                steps, neurons = [], []
                for n in range(N):
                    t, i = np.nonzero(s[n])  # sorted by step, then neuron
                    steps.append(t)
                    neurons.append(i)
                    ptr.append(ptr[-1] + t.size)
                g["sample_ptr"] = np.asarray(ptr, dtype=np.uint64)
                g["step"] = np.concatenate(steps).astype(np.uint32) if N else np.zeros(0, np.uint32)
                g["neuron"] = np.concatenate(neurons).astype(np.uint32) if N else np.zeros(0, np.uint32)
            r = f.create_group("readout")
            r.attrs["population"] = rec.names[-1]
            r.attrs["order"] = ",".join(rec.names)  # populations in network order
            r["v"] = rec.v_last.astype(np.int32)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_recording(path: str) -> Recording:
    """Read what write_recording wrote (population order: as stored, input first)."""
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") not in ("snnc-spikes", b"snnc-spikes"):
            raise VendorError(f"{path}: not an snnc-spikes file")
        N = int(f.attrs["samples"])
        T = int(f.attrs["steps"])
        names, kinds, spikes = [], [], {}
        order = sorted(f["populations"].keys(), key=lambda k: (k != "input", k))
        if "readout" in f and "order" in f["readout"].attrs:
            stored = f["readout"].attrs["order"]
            order = (stored if isinstance(stored, str) else stored.decode()).split(",")
        for name in order:
            g = f["populations"][name]
            size = int(g.attrs["size"])
            s = np.zeros((N, T, size), dtype=bool)
            ptr = g["sample_ptr"][()].astype(np.int64)
            st = g["step"][()].astype(np.int64)
            ne = g["neuron"][()].astype(np.int64)
            for n in range(N):
                s[n, st[ptr[n]:ptr[n + 1]], ne[ptr[n]:ptr[n + 1]]] = True
            names.append(name)
            kinds.append(g.attrs["kind"] if isinstance(g.attrs["kind"], str) else g.attrs["kind"].decode())
            spikes[name] = s
        v = f["readout/v"][()].astype(np.int64)
        src = f.attrs["source"]
        return Recording(names=names, kinds=kinds, spikes=spikes, v_last=v,
                         dt=float(f.attrs["dt"]), source=src if isinstance(src, str) else src.decode())
