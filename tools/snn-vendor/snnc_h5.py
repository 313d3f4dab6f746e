"""snnc HDF5 files for the vendor tools: spike datasets (docs/formats/dataset.md) in and
out, spike recordings (docs/formats/spikes.md, format ``snnc-spikes``) out."""

from __future__ import annotations

import os
import tempfile

import h5py
import numpy as np

XYLO_MAX_INPUT_COUNT = 15  # SNN-X4: XyloLayer caps input events per channel and step at 15


class DataError(ValueError):
    """A dataset Xylo cannot run; the message names the file and the limit."""


def _attr_str(v) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class SpikeDataset:
    """A `snnc-dataset` file of kind `spikes`, read as dense (T, C) count arrays."""

    def __init__(self, path: str):
        self.path = path
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise DataError(f"{path}: cannot open as HDF5 ({e})") from e
        with f:
            a = f.attrs
            if _attr_str(a.get("format", "")) != "snnc-dataset":
                raise DataError(f"{path}: not an snnc dataset (attribute format = {a.get('format')!r})")
            if int(a.get("version", -1)) != 1:
                raise DataError(f"{path}: unknown snnc-dataset version {a.get('version')}")
            kind = _attr_str(a.get("kind", ""))
            if kind != "spikes":
                raise DataError(
                    f"{path}: kind is '{kind}'; Xylo takes spike events (at most "
                    f"{XYLO_MAX_INPUT_COUNT} per channel and step), not frames: encode spikes first "
                    f"(e.g. snnc data audio --encode spikes)")
            self.dt = float(a["dt"])
            self.steps = int(a["steps"])
            self.channels = int(a["channels"])
            self.num_classes = int(a.get("num_classes", 0))
            self.labels = np.asarray(f["labels"], np.int64)
            self.offsets = np.asarray(f["events/offsets"], np.uint64).astype(np.int64)
            self.step = np.asarray(f["events/step"], np.int64)
            self.channel = np.asarray(f["events/channel"], np.int64)
            self.count = np.asarray(f["events/count"], np.float64)
        n = self.labels.shape[0]
        if self.offsets.shape != (n + 1,) or self.offsets[-1] != self.step.size:
            raise DataError(f"{path}: /events/offsets does not match {n} samples and {self.step.size} events")
        if self.step.size and (self.step.max() >= self.steps or self.channel.max() >= self.channels):
            raise DataError(f"{path}: an event lies outside steps = {self.steps} or channels = {self.channels}")
        self.samples = n

    def counts(self, s: int, clip: bool = False) -> np.ndarray:
        """Sample `s` as an int64 (T, C) count array; refuses counts Xylo cannot take."""
        lo, hi = self.offsets[s], self.offsets[s + 1]
        c = self.count[lo:hi]
        x = np.zeros((self.steps, self.channels), np.int64)
        if c.size:
            if np.any(c != np.round(c)) or np.any(c < 1):
                i = int(np.nonzero((c != np.round(c)) | (c < 1))[0][0])
                raise DataError(f"{self.path}: sample {s}, step {self.step[lo + i]}, channel "
                                f"{self.channel[lo + i]}: count {c[i]} is not a positive integer")
            if not clip and c.max() > XYLO_MAX_INPUT_COUNT:
                i = int(np.argmax(c))
                raise DataError(
                    f"{self.path}: sample {s}, step {self.step[lo + i]}, channel {self.channel[lo + i]}: "
                    f"{int(c[i])} events, Xylo takes at most {XYLO_MAX_INPUT_COUNT} per channel and step "
                    f"(--clip-counts clips to {XYLO_MAX_INPUT_COUNT} as XyloSim itself does)")
            x[self.step[lo:hi], self.channel[lo:hi]] = np.minimum(c, XYLO_MAX_INPUT_COUNT).astype(np.int64)
        return x


def _atomic_h5(path: str):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".snnc-vendor.", suffix=".tmp.h5", dir=d)
    os.close(fd)
    return tmp


def write_spike_dataset(path: str, samples: list[np.ndarray], labels, dt: float,
                        num_classes: int, source: str) -> None:
    """Write (T, C) count arrays as an snnc-dataset of kind `spikes`."""
    T, C = samples[0].shape
    steps, chans, cnts, offs = [], [], [], [0]
    for x in samples:
        if x.shape != (T, C):
            raise ValueError("all samples need the same (T, C)")
        t, c = np.nonzero(x)  # row-major: sorted by (step, channel)
        steps.append(t); chans.append(c); cnts.append(x[t, c])
        offs.append(offs[-1] + t.size)
    tmp = _atomic_h5(path)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = "snnc-dataset"
            f.attrs["version"] = np.int64(1)
            f.attrs["kind"] = "spikes"
            f.attrs["dt"] = np.float64(dt)
            f.attrs["steps"] = np.int64(T)
            f.attrs["channels"] = np.int64(C)
            f.attrs["num_classes"] = np.int64(num_classes)
            f.attrs["source"] = source
            f["labels"] = np.asarray(labels, np.int32)
            f["events/offsets"] = np.asarray(offs, np.uint64)
            f["events/step"] = np.concatenate(steps).astype(np.uint32)
            f["events/channel"] = np.concatenate(chans).astype(np.uint32)
            f["events/count"] = np.concatenate(cnts).astype(np.float32)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_spike_recording(path: str, dt: float, steps: int, populations: dict,
                          extra: dict | None = None, attrs: dict | None = None) -> None:
    """Write an snnc-spikes file.

    `populations` maps a name to (kind, size, [per-sample (T, size) count arrays]).
    Events are (step, neuron) pairs with a non-zero count, ordered by step, then
    neuron; spiking populations also get `count` (uint32 [E], spikes in that step).
    `extra` maps dataset paths to arrays written as they are.
    """
    samples = len(next(iter(populations.values()))[2])
    tmp = _atomic_h5(path)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = "snnc-spikes"
            f.attrs["version"] = np.int64(1)
            f.attrs["dt"] = np.float64(dt)
            f.attrs["steps"] = np.int64(steps)
            f.attrs["samples"] = np.int64(samples)
            for k, v in (attrs or {}).items():
                f.attrs[k] = v
            for name, (kind, size, per_sample) in populations.items():
                g = f.create_group(f"populations/{name}")
                g.attrs["size"] = np.int64(size)
                g.attrs["kind"] = kind
                ptr, st, ne, ct = [0], [], [], []
                for x in per_sample:
                    t, n = np.nonzero(x)
                    st.append(t); ne.append(n); ct.append(x[t, n])
                    ptr.append(ptr[-1] + t.size)
                g["sample_ptr"] = np.asarray(ptr, np.uint64)
                g["step"] = np.concatenate(st).astype(np.uint32) if st else np.zeros(0, np.uint32)
                g["neuron"] = np.concatenate(ne).astype(np.uint32) if ne else np.zeros(0, np.uint32)
                counts = np.concatenate(ct) if ct else np.zeros(0, np.int64)
                if kind != "input":
                    g["count"] = counts.astype(np.uint32)
            for k, v in (extra or {}).items():
                f.create_dataset(k, data=v, compression="gzip", compression_opts=4)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
