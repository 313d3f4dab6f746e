"""Rockpool Xylo Audio 2 (SYNS61201) network specifications as `.xylo.npz` files.

A specification is the dict of keyword arguments of Rockpool's
``rockpool.devices.xylo.syns61201.XyloSim.from_specification``. The file is
``np.savez`` of exactly those keywords, every one written explicitly (Rockpool's
defaults are not Xylo's: ``from_specification`` fills missing dashes with 0, which
wipes the state every step, while its docstring says 1). A Rockpool user loads it
with one line::

    net = XyloSim.from_specification(**np.load("net.xylo.npz"))

and, only if the file holds ``aliases`` (a ragged list, stored as a pickled object
array), ``np.load("net.xylo.npz", allow_pickle=True)``. ``save_spec`` omits
``aliases`` when no neuron has one. No other key may be stored: ``**`` would pass it
to ``from_specification``, which takes no extra keywords.

Limits (checked by ``validate_spec``; the rule numbers are docs/semantics.md, "Vendor arithmetic: XyloSim IAF"):

- ``Nin <= 16`` inputs, ``1 <= Nhidden <= 1000``, ``1 <= Nout <= 8``
  (Rockpool ``syns61201/xylo_mapper.py``: ``le_16_input_channels``,
  ``max_hidden_neurons=1000``, ``max_output_neurons=8``; XyloSim itself checks none);
- weights int8 (``XyloSynapse.weight`` is ``int8_t``);
- dashes in ``[0, 15]`` (4-bit registers, ``XyloIAFNeuron.h``);
- thresholds and biases int16 (``BITS_STATE 16``);
- weight shifts in ``[0, 15]`` (shifts above 8 wrap the shifted weight to 16 bits,
  rule SNN-X3);
- at most one alias target per hidden neuron (``ReservoirNeuron.alias_target`` in
  Rockpool's ``config_from_specification``), a valid hidden index.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np

MAX_INPUTS = 16
MAX_HIDDEN = 1000
MAX_OUTPUTS = 8
MAX_DASH = 15
MAX_WEIGHT_SHIFT = 15
INT16_MIN, INT16_MAX = -(2**15), 2**15 - 1

# The keyword arguments of syns61201 XyloSim.from_specification, in its order.
SPEC_KEYS = (
    "weights_in", "weights_out", "weights_rec",
    "dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2", "dash_syn_out",
    "threshold", "threshold_out", "bias", "bias_out",
    "weight_shift_in", "weight_shift_rec", "weight_shift_out",
    "aliases", "dt",
)
HIDDEN_VECTORS = ("dash_mem", "dash_syn", "dash_syn_2", "threshold", "bias")
OUTPUT_VECTORS = ("dash_mem_out", "dash_syn_out", "threshold_out", "bias_out")
SHIFTS = ("weight_shift_in", "weight_shift_rec", "weight_shift_out")


class SpecError(ValueError):
    """A specification outside Xylo's limits or not loadable; the message names the file."""


def _int_array(name: str, value: Any, where: str) -> np.ndarray:
    a = np.asarray(value)
    if a.dtype.kind == "f":
        if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
            raise SpecError(f"{where}: {name} must hold integers")
        a = a.astype(np.int64)
    if a.dtype.kind not in "iub":
        raise SpecError(f"{where}: {name} must be an integer array, found dtype {a.dtype}")
    return a.astype(np.int64)


def _check_range(name: str, a: np.ndarray, lo: int, hi: int, where: str, what: str) -> None:
    if a.size and (a.min() < lo or a.max() > hi):
        bad = a.min() if a.min() < lo else a.max()
        raise SpecError(f"{where}: {name} holds {bad}, outside {what} [{lo}, {hi}]")


def normalise_aliases(aliases: Any, n_hidden: int, where: str) -> list[list[int]]:
    """`aliases` as a list of `n_hidden` lists of hidden indices (empty: none)."""
    if aliases is None:
        return [[] for _ in range(n_hidden)]
    rows = list(aliases)
    if len(rows) != n_hidden:
        raise SpecError(f"{where}: aliases has {len(rows)} entries, need one per hidden neuron ({n_hidden})")
    out = []
    for i, row in enumerate(rows):
        r = [int(k) for k in np.atleast_1d(np.asarray(row, dtype=object)).tolist()] if row is not None else []
        if len(r) > 1:
            raise SpecError(f"{where}: hidden neuron {i} has {len(r)} alias targets, Xylo allows 1")
        for k in r:
            if not 0 <= k < n_hidden:
                raise SpecError(f"{where}: alias target {k} of hidden neuron {i} is not a hidden neuron (0..{n_hidden - 1})")
        out.append(r)
    return out


def validate_spec(spec: dict, where: str = "<spec>") -> dict:
    """Check `spec` against Xylo's limits and return a complete copy.

    The copy has every key of SPEC_KEYS (``aliases`` as a list of lists, ``dt`` a
    float), weights as int8 arrays and the per-neuron vectors as int64 arrays; weight
    tensors keep the shapes given (``(Nin, Nin_res[, 1|2])``, ``(Nhidden, Nhidden[, 1|2])``,
    ``(Nout_res, Nout)``). Raises SpecError naming `where` and the limit.
    """
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise SpecError(f"{where}: unknown keys {unknown} (from_specification takes only {list(SPEC_KEYS)})")
    for k in ("weights_in", "weights_out"):
        if k not in spec or spec[k] is None:
            raise SpecError(f"{where}: missing {k}")
    out: dict[str, Any] = {}
    w_in = _int_array("weights_in", spec["weights_in"], where)
    w_out = _int_array("weights_out", spec["weights_out"], where)
    if w_in.ndim not in (2, 3) or (w_in.ndim == 3 and w_in.shape[2] not in (1, 2)):
        raise SpecError(f"{where}: weights_in must be (Nin, Nhidden[, 2]), found {w_in.shape}")
    if w_out.ndim != 2:
        raise SpecError(f"{where}: weights_out must be (Nhidden, Nout), found {w_out.shape}")
    n_in, n_in_res = w_in.shape[:2]
    w_rec = spec.get("weights_rec")
    if w_rec is None:
        n_hidden = n_in_res
        w_rec = np.zeros((n_hidden, n_hidden, 2), np.int64)
    else:
        w_rec = _int_array("weights_rec", w_rec, where)
        if w_rec.ndim not in (2, 3) or w_rec.shape[0] != w_rec.shape[1] or (w_rec.ndim == 3 and w_rec.shape[2] not in (1, 2)):
            raise SpecError(f"{where}: weights_rec must be (Nhidden, Nhidden[, 2]), found {w_rec.shape}")
        n_hidden = w_rec.shape[0]
    n_out_res, n_out = w_out.shape
    if n_in > MAX_INPUTS:
        raise SpecError(f"{where}: {n_in} inputs, Xylo allows at most {MAX_INPUTS}")
    if n_in < 1:
        raise SpecError(f"{where}: no inputs")
    if not 1 <= n_hidden <= MAX_HIDDEN:
        raise SpecError(f"{where}: {n_hidden} hidden neurons, Xylo allows 1..{MAX_HIDDEN}")
    if not 1 <= n_out <= MAX_OUTPUTS:
        raise SpecError(f"{where}: {n_out} output neurons, Xylo allows 1..{MAX_OUTPUTS}")
    if n_in_res > n_hidden:
        raise SpecError(f"{where}: weights_in reaches {n_in_res} hidden neurons, more than Nhidden = {n_hidden}")
    if n_out_res > n_hidden:
        raise SpecError(f"{where}: weights_out has {n_out_res} rows, more than Nhidden = {n_hidden}")
    for name, w in (("weights_in", w_in), ("weights_rec", w_rec), ("weights_out", w_out)):
        _check_range(name, w, -128, 127, where, "int8 weights")
    out["weights_in"] = w_in.astype(np.int8)
    out["weights_out"] = w_out.astype(np.int8)
    out["weights_rec"] = w_rec.astype(np.int8)
    for names, n, what in ((HIDDEN_VECTORS, n_hidden, "Nhidden"), (OUTPUT_VECTORS, n_out, "Nout")):
        for name in names:
            v = spec.get(name)
            if v is None:
                if name.startswith("dash"):
                    raise SpecError(f"{where}: missing {name} (XyloSim's default 0 wipes the state every step: write it)")
                v = np.zeros(n, np.int64)
            a = _int_array(name, v, where).reshape(-1)
            if a.size != n:
                raise SpecError(f"{where}: {name} has {a.size} entries, need {what} = {n}")
            if name.startswith("dash"):
                _check_range(name, a, 0, MAX_DASH, where, "4-bit dash")
            else:
                _check_range(name, a, INT16_MIN, INT16_MAX, where, "int16")
            out[name] = a
    for name in SHIFTS:
        v = spec.get(name, 0)
        a = _int_array(name, v, where)
        if a.size != 1:
            raise SpecError(f"{where}: {name} must be a scalar")
        a = int(a.reshape(-1)[0])
        _check_range(name, np.array([a]), 0, MAX_WEIGHT_SHIFT, where, "weight shift")
        out[name] = a
    out["aliases"] = normalise_aliases(spec.get("aliases"), n_hidden, where)
    dt = spec.get("dt", 1e-3)
    dt = float(np.asarray(dt).reshape(-1)[0])
    if not (np.isfinite(dt) and dt > 0):
        raise SpecError(f"{where}: dt must be a positive number of seconds")
    out["dt"] = dt
    return out


def shape_of(spec: dict) -> tuple[int, int, int]:
    """(Nin, Nhidden, Nout) of a validated spec."""
    return spec["weights_in"].shape[0], spec["weights_rec"].shape[0], spec["weights_out"].shape[1]


def to_npz_arrays(spec: dict, where: str = "<spec>") -> dict:
    """The arrays `save_spec` writes: every key explicit, `aliases` only when used."""
    s = validate_spec(spec, where)
    arrays: dict[str, np.ndarray] = {}
    for k in SPEC_KEYS:
        if k == "aliases":
            if any(s["aliases"]):
                a = np.empty(len(s["aliases"]), dtype=object)
                for i, row in enumerate(s["aliases"]):
                    a[i] = list(row)
                arrays[k] = a
        elif k == "dt":
            arrays[k] = np.array(s["dt"], np.float64)
        elif k in SHIFTS:
            arrays[k] = np.array(s[k], np.int64)
        elif k.startswith("weights"):
            arrays[k] = s[k].astype(np.int8)
        else:
            arrays[k] = s[k].astype(np.int16 if k.startswith(("threshold", "bias")) else np.uint8)
    return arrays


def save_spec(path: str, spec: dict) -> None:
    """Validate `spec` and write it atomically to `path` (must end in `.npz`)."""
    if not str(path).endswith(".npz"):
        raise SpecError(f"{path}: a Xylo specification file must end in .npz (np.savez would append it)")
    arrays = to_npz_arrays(spec, str(path))
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".xylo-spec.", suffix=".tmp.npz", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_spec(path: str) -> dict:
    """Read and validate a `.xylo.npz` specification; errors name `path`."""
    try:
        # Object arrays (aliases) need pickle; only SPEC_KEYS members are read.
        with np.load(path, allow_pickle=True) as z:
            keys = list(z.keys())
            unknown = sorted(set(keys) - set(SPEC_KEYS))
            if unknown:
                raise SpecError(f"{path}: unknown keys {unknown} (from_specification takes only {list(SPEC_KEYS)})")
            raw = {k: z[k] for k in keys}
    except SpecError:
        raise
    except (OSError, ValueError) as e:
        raise SpecError(f"{path}: not a readable .npz specification ({e})") from e
    if "aliases" in raw:
        raw["aliases"] = list(raw["aliases"])
    return validate_spec(raw, path)


def from_spec_kwargs(spec: dict) -> dict:
    """Keyword arguments for XyloSim.from_specification from a validated spec."""
    s = dict(spec)
    s["aliases"] = [list(r) for r in s["aliases"]]
    return s
