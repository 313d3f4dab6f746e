#!/usr/bin/env python3
"""Checks docs/README.md's index and the per-target pages.

    snnc targets --json | check-docs.py DOCS_DIR

* every page under docs/ (but docs/generated/, which has its own test) is
  linked from docs/README.md;
* every built-in target (read from `snnc targets --json` on stdin) has
  docs/targets/<name>.md, linked from docs/README.md, with a table or text of
  limits and a "## Sources (links)" section holding at least one link.
"""
import json
import os
import re
import sys

docs = sys.argv[1]
index = open(os.path.join(docs, "README.md"), encoding="utf-8").read()
linked = set(os.path.normpath(m) for m in re.findall(r"\]\(([^)#]+)", index))
failures = []
for root, _, files in os.walk(docs):
    rel_root = os.path.relpath(root, docs)
    if rel_root.startswith("generated"):
        continue
    for f in files:
        if not f.endswith(".md") or (rel_root == "." and f == "README.md"):
            continue
        rel = os.path.normpath(os.path.join(rel_root, f))
        folder = os.path.normpath(rel_root)
        if rel not in linked and not (folder == "formats" and "formats" in linked):
            failures.append("docs/README.md does not link %s" % rel)

for target in json.load(sys.stdin):
    name = target["name"]
    page = os.path.join("targets", name + ".md")
    path = os.path.join(docs, page)
    if not os.path.exists(path):
        failures.append("target %s has no page docs/%s" % (name, page))
        continue
    text = open(path, encoding="utf-8").read()
    if os.path.normpath(page) not in linked:
        failures.append("docs/README.md does not link %s" % page)
    if "neurons" not in text:
        failures.append("docs/%s gives no limits (no neurons per core)" % page)
    sources = text.split("## Sources (links)", 1)
    if len(sources) < 2 or not re.search(r"\]\(https?://", sources[1]):
        failures.append("docs/%s has no '## Sources (links)' section with a link" % page)

for f in failures:
    print("check-docs: " + f)
print("check-docs: %s" % ("FAIL" if failures else "OK"))
sys.exit(1 if failures else 0)
