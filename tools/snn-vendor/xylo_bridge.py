"""Run a Xylo specification in Rockpool's XyloSim (syns61201, Xylo Audio 2).

``import rockpool.devices.xylo`` fails without samna (not on PyPI): that package's
``__init__`` imports all Xylo generations and their samna helpers. The subpackage
``rockpool.devices.xylo.syns61201`` imports without samna (its own ``__init__``
wraps the samna parts in try/except), so ``import_xylosim`` registers a bare module
object for ``rockpool.devices.xylo`` (its ``__path__`` set, its ``__init__`` not run)
and then imports the subpackage normally.
"""

from __future__ import annotations

import importlib.util
import sys
import types

import numpy as np

from xylo_spec import from_spec_kwargs

_XYLOSIM = None


class VendorMissing(RuntimeError):
    """Rockpool or xylosim is not installed."""


def import_xylosim():
    """Rockpool's ``syns61201.XyloSim`` class, imported without samna."""
    global _XYLOSIM
    if _XYLOSIM is not None:
        return _XYLOSIM
    try:
        import rockpool.devices  # noqa: F401  (parent packages run their __init__)
        import xylosim.v2  # noqa: F401
    except ImportError as e:
        raise VendorMissing(
            f"XyloSim needs the Python packages rockpool (3.1.0) and xylosim (0.1.3): {e}"
        ) from e
    name = "rockpool.devices.xylo"
    if name not in sys.modules:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.submodule_search_locations is None:
            raise VendorMissing("rockpool.devices.xylo not found in the installed rockpool")
        bare = types.ModuleType(name)
        bare.__path__ = list(spec.submodule_search_locations)
        bare.__spec__ = spec
        sys.modules[name] = bare
    from rockpool.devices.xylo.syns61201 import XyloSim

    if not isinstance(XyloSim, type) or not hasattr(XyloSim, "from_specification"):
        raise VendorMissing("rockpool.devices.xylo.syns61201.XyloSim is a missing-backend shim: xylosim not importable")
    _XYLOSIM = XyloSim
    return XyloSim


def build(spec: dict):
    """A Rockpool XyloSim module for a validated spec (see xylo_spec.validate_spec)."""
    XyloSim = import_xylosim()
    return XyloSim.from_specification(**from_spec_kwargs(spec))


def run_sample(mod, counts: np.ndarray) -> dict:
    """Run one sample (T x Nin input event counts) from a freshly reset state.

    Returns int64 arrays: ``out_spikes`` (T, Nout) and Rockpool's recording
    ``Spikes`` (T, Nhidden, spike counts), ``Vmem``, ``Isyn``, ``Isyn2`` (T, Nhidden),
    ``Vmem_out``, ``Isyn_out`` (T, Nout).
    """
    mod.reset_state()  # XyloLayer.evolve keeps state (and spike buffers) between calls
    counts = np.asarray(counts)
    out, _, rec = mod(counts.astype(np.int64), record=True)
    T = counts.shape[0]
    res = {"out_spikes": np.asarray(out, np.int64).reshape(T, -1)}
    for k in ("Spikes", "Vmem", "Isyn", "Isyn2", "Vmem_out", "Isyn_out"):
        res[k] = np.asarray(rec[k], np.int64).reshape(T, -1)
    return res
