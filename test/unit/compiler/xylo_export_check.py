"""XyloSim on the files XyloExportTest writes: DIR/<k>/net.xylo.npz, x.txt, y.txt.

Each case holds a specification written by snnc's C++ writer, the input event
counts of its samples (x.txt: one line per step, Nin counts) and what snnc's plan
executor computed (y.txt: one line per step, the N hidden spike counts then the
Nout Vmem_out values). The spec is loaded the way a Rockpool user loads it,
`XyloSim.from_specification(**np.load(path))`, checked by xylo_spec.load_spec (the
key and dtype rules), run with record=True and compared, every spike count and
every Vmem_out. Prints `xylo-export-check: N networks, S samples, K spikes, all
equal` and exits 0, or names the first difference (case, sample, step, index) and
exits 1. Needs the vendors venv (Rockpool, xylosim).

    python xylo_export_check.py DIR SAMPLES
"""
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "tools", "snn-vendor"))
from xylo_bridge import import_xylosim  # noqa: E402
from xylo_spec import load_spec  # noqa: E402


def main() -> int:
    root, samples = sys.argv[1], int(sys.argv[2])
    XyloSim = import_xylosim()
    cases = sorted((c for c in os.listdir(root) if c.isdigit()), key=int)
    spikes = 0
    for case in cases:
        d = os.path.join(root, case)
        path = os.path.join(d, "net.xylo.npz")
        load_spec(path)
        spec = np.load(path)
        net = XyloSim.from_specification(**spec)
        n_in = spec["weights_in"].shape[0]
        n_hid = spec["weights_rec"].shape[0]
        n_out = spec["weights_out"].shape[1]
        x = np.loadtxt(os.path.join(d, "x.txt"), dtype=np.int64, ndmin=2).reshape(samples, -1, n_in)
        y = np.loadtxt(os.path.join(d, "y.txt"), dtype=np.int64, ndmin=2).reshape(samples, -1, n_hid + n_out)
        for s in range(samples):
            net.reset_state()
            _, _, rec = net(np.minimum(x[s], 15), record=True)
            got = np.concatenate([rec["Spikes"], rec["Vmem_out"]], axis=1).astype(np.int64)
            if not np.array_equal(got, y[s]):
                t, i = np.argwhere(got != y[s])[0]
                what = f"hidden {i} spikes" if i < n_hid else f"Vmem_out {i - n_hid}"
                print(f"xylo-export-check: case {case} sample {s} step {t} {what}: "
                      f"XyloSim {got[t, i]}, plan {y[s][t, i]}")
                return 1
            spikes += int(rec["Spikes"].sum())
    print(f"xylo-export-check: {len(cases)} networks, {len(cases) * samples} samples, "
          f"{spikes} spikes, all equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
