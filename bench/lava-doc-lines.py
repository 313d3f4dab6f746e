#!/usr/bin/env python3
"""Run docs/deploy.md's Lava lines, as printed there, on the first N test samples.

    lava-doc-lines.py COMPILE_DIR DATASET.h5 [N] [--record PLAN_SPIKES.h5] [--relabel OUT.h5]
    (run with the vendors venv's python)

Takes the first ```python block of docs/deploy.md's Loihi 2 section, points its two
paths at COMPILE_DIR (what `snnc compile --target loihi2` wrote) and DATASET.h5, and
runs it once per sample (the block reads sample 0; here sample i). Prints each sample's
label, the class the lines predict and the first hidden layer's spike count over the
dataset's steps (the block's extra last step left out; `snnc run PLAN --record` counts
the same), and the accuracy, so that
the lines a user copies are shown to give what `snnc verify --vendor lava` reports for
Lava on the same samples (bench/lava-paper-network.sh prints that). With --record (what
`snnc run PLAN --data DATASET.h5 --record PLAN_SPIKES.h5` wrote) every sample's count must
equal the plan's for the first hidden population, or it exits 1 naming the sample. With
--relabel, OUT.h5 is the first N samples of DATASET.h5 labelled with the classes the lines
predicted: `snnc run PLAN --data OUT.h5` scores 100 % exactly when the plan predicts the
same class for every sample.
"""
import argparse
import contextlib
import io
import os
import re
import sys
import warnings


def doc_block(doc_path):
    text = open(doc_path, encoding="utf-8").read()
    section = text[text.index("## Loihi 2"):]
    section = section[:section.index("\n## ", 1)]
    m = re.search(r"```python\n(.*?)```", section, re.S)
    if not m:
        raise SystemExit(f"{doc_path}: no python block in the Loihi 2 section")
    return m.group(1)


def plan_counts(record_path, n):
    """Per-sample spike counts of the first lif population of an snnc-spikes file."""
    import h5py
    with h5py.File(record_path) as f:
        for name, group in f["populations"].items():
            kind = group.attrs["kind"]
            if (kind.decode() if isinstance(kind, bytes) else kind) == "lif":
                ptr = group["sample_ptr"][:]
                if len(ptr) <= n:
                    raise SystemExit(f"{record_path}: {len(ptr) - 1} samples recorded, {n} needed")
                return name, [int(ptr[i + 1] - ptr[i]) for i in range(n)]
    raise SystemExit(f"{record_path}: no lif population")


def relabel(data, out, predictions):
    """Copy the first len(predictions) samples of a frames dataset, labels = predictions."""
    import h5py
    import numpy as np
    n = len(predictions)
    with h5py.File(data) as src, h5py.File(out, "w") as dst:
        for key, value in src.attrs.items():
            if key != "snnc_checksums":  # the copy's datasets differ; snnc re-derives them
                dst.attrs[key] = value
        dst["frames"] = src["frames"][:n]
        dst["labels"] = np.asarray(predictions, dtype=np.int32)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", metavar="COMPILE_DIR")
    p.add_argument("data", metavar="DATASET.h5")
    p.add_argument("n", metavar="N", type=int, nargs="?", default=10)
    p.add_argument("--record", metavar="PLAN_SPIKES.h5")
    p.add_argument("--relabel", metavar="OUT.h5")
    a = p.parse_args()
    out, data, n = a.out, a.data, a.n
    expected = plan_counts(a.record, n) if a.record else None
    here = os.path.dirname(os.path.abspath(__file__))
    block = doc_block(os.path.join(here, "..", "docs", "deploy.md"))
    # The block names the README demo's paths and sample 0; each substitution must
    # find its text, or the doc changed and this check would test something else.
    for old in ('out = "out/demo/loihi2"', '"out/demo/digits/test.h5"',
                'f["frames"][0], f["labels"][0]'):
        if old not in block:
            raise SystemExit(f"docs/deploy.md's Lava block no longer contains {old!r}")
    block = block.replace('out = "out/demo/loihi2"', f"out = {out!r}")
    block = block.replace('"out/demo/digits/test.h5"', repr(data))
    block = block.replace('f["frames"][0], f["labels"][0]', 'f["frames"][i], f["labels"][i]')
    code = compile(block, "docs/deploy.md (Lava block)", "exec")
    correct = 0
    predictions = []
    for i in range(n):
        env = {"i": i}
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(code, env)
        correct += env["predicted"] == int(env["label"])
        predictions.append(env["predicted"])
        count = int(env["spikes"][:, :-1].sum())
        print(f"sample {i}: label {int(env['label'])}, predicted {env['predicted']}, "
              f"first hidden layer {count} spikes in the dataset's steps", flush=True)
        if expected and count != expected[1][i]:
            raise SystemExit(f"sample {i}: the docs' lines give {count} spikes of the first "
                             f"hidden layer, the plan's record {expected[1][i]} ({expected[0]})")
    if expected:
        print(f"every sample's spike count equals the plan's ({expected[0]})")
    if a.relabel:
        relabel(data, a.relabel, predictions)
    print(f"docs/deploy.md Lava lines: {correct}/{n} correct ({100 * correct / n:.2f} %)")


if __name__ == "__main__":
    main()
