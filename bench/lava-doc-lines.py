#!/usr/bin/env python3
"""Run docs/deploy.md's Lava lines, as printed there, on the first N test samples.

    lava-doc-lines.py COMPILE_DIR DATASET.h5 [N]   (run with the vendors venv's python)

Takes the first ```python block of docs/deploy.md's Loihi 2 section, points its two
paths at COMPILE_DIR (what `snnc compile --target loihi2` wrote) and DATASET.h5, and
runs it once per sample (the block reads sample 0; here sample i). Prints each sample's
label, the class the lines predict and the first hidden layer's spike count over the
dataset's steps (the block's extra last step left out; `snnc run PLAN --record` counts
the same), and the accuracy, so that
the lines a user copies are shown to give what `snnc verify --vendor lava` reports for
Lava on the same samples (bench/lava-paper-network.sh prints that).
"""
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


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    out, data = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) == 4 else 10
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
    for i in range(n):
        env = {"i": i}
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(code, env)
        correct += env["predicted"] == int(env["label"])
        print(f"sample {i}: label {int(env['label'])}, predicted {env['predicted']}, "
              f"first hidden layer {int(env['spikes'][:, :-1].sum())} spikes in the dataset's steps", flush=True)
    print(f"docs/deploy.md Lava lines: {correct}/{n} correct ({100 * correct / n:.2f} %)")


if __name__ == "__main__":
    main()
