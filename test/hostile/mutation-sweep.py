#!/usr/bin/env python3
"""mutation-sweep: give corrupted copies of valid inputs to the snnc command
that reads each, and classify what happens.

For every input kind (model.h5, plan.h5, dataset .h5, SHD .h5, NIR, MLIR text,
target JSON, rate profile JSON) and every mutation class (truncate, bit flip,
zeroed block, random block) the sweep makes N mutants of a valid fixture, runs
the kind's commands on each with a time limit, and sorts the outcome into

  refusal      non-zero exit 2/3/5 with an 'error:' line and no output written
  unclean      refused, but without a message or leaving an output file behind
  same         accepted; every compared output equals the original's
  DIFFERENT    accepted; some compared output differs (silent corruption)
  crash        killed by a signal, or a sanitizer / LLVM fatal error report
  hang         ran past the time limit
  internal     exit 70 (an invariant of snnc broke)

The fixtures are made by the project's own tools in WORK/fixtures (plus the
committed SHD file test/hostile/Inputs/shd-small.h5). Mutants are seeded:
`--seed` and the mutant's (kind, class, index) fix its bytes, so a finding is
reproduced by rerunning with the same arguments and `--keep DIR`, which copies
every non-clean mutant there with the command that failed.

Exit status: 0 when no mutant is crash, hang, internal or (for kinds whose
format carries checksums, see PROTECTED) DIFFERENT; 1 otherwise.

    test/hostile/mutation-sweep.py --bin build/bin -n 50     # 200 per kind
    test/hostile/mutation-sweep.py --bin build/bin -n 2 --kinds model,plan
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
CLASSES = ["truncate", "bitflip", "zero", "random"]
KINDS = ["model", "plan", "dataset", "shd", "nir", "mlir", "target", "profile"]
# Kinds whose files snnc writes itself: they carry checksums, so any accepted
# mutant must give the original's result. The others are foreign or text
# formats that offer no integrity check: a changed digit in a weight is a valid
# different input, reported (as DIFFERENT) but not a failure.
PROTECTED = {"model", "plan", "dataset", "nir"}
OUTCOMES = ["refusal", "unclean", "same", "DIFFERENT", "crash", "hang",
            "internal"]


def run(cmd, cwd, timeout):
    """Runs cmd; returns (rc or 'hang', stdout, stderr)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return "hang", out.decode(errors="replace"), err.decode(errors="replace")
    return p.returncode, out.decode(errors="replace"), err.decode(
        errors="replace")


def normalise(text, mutant):
    """Drops what legitimately changes from run to run: timings, paths."""
    text = text.replace(mutant, "INPUT")
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("{") and s.endswith("}"):
            try:
                obj = json.loads(s)
                for k in ("seconds", "synaptic_events_per_second", "input",
                          "timing", "timings_s"):
                    obj.pop(k, None)
                line = json.dumps(obj, sort_keys=True)
            except ValueError:
                pass
        if re.match(r"\s*timing\s", line):
            continue
        lines.append(line)
    return "\n".join(lines)


class Kind:
    """One input kind: its fixture and the commands that read it. Each
    command is a list with {IN} (the mutant), {OUT} (a fresh output folder)
    and {FX} (the fixtures folder); `compare` names files under {OUT} whose
    contents are compared besides stdout; `outputs` must not exist after a
    refusal."""

    def __init__(self, name, fixture, commands, compare=(), outputs=()):
        self.name, self.fixture = name, fixture
        self.commands, self.compare, self.outputs = commands, compare, outputs


def kinds(bindir, fx):
    snnc = os.path.join(bindir, "snnc")
    opt = os.path.join(bindir, "snn-opt")
    run_json = [snnc, "run", "{FX}/model.h5", "--data", "{IN}", "--json",
                "--quiet", "--threads", "1", "--profile", "{OUT}/rates.json"]
    return {
        "model": Kind("model", "model.h5", [
            [snnc, "export", "{IN}", "-o", "{OUT}/net.mlir"],
            [snnc, "run", "{IN}", "--data", "{FX}/digits/test.h5", "--json",
             "--quiet", "--threads", "1", "--profile", "{OUT}/rates.json"]],
            compare=["net.mlir", "rates.json"], outputs=["net.mlir"]),
        "plan": Kind("plan", "c/plan.h5", [
            [snnc, "run", "{IN}", "--data", "{FX}/digits/test.h5", "--json",
             "--quiet", "--threads", "1", "--profile", "{OUT}/rates.json"]],
            compare=["rates.json"], outputs=["rates.json"]),
        "dataset": Kind("dataset", "digits/test.h5", [run_json],
                        compare=["rates.json"], outputs=["rates.json"]),
        "shd": Kind("shd", "shd-small.h5", [
            [snnc, "data", "shd", "{IN}", "--out", "{OUT}/shd.h5",
             "--input-units", "800", "--channel-bin", "20", "--steps", "100"],
            [snnc, "run", "{FX}/model.h5", "--data", "{OUT}/shd.h5", "--json",
             "--quiet", "--threads", "1", "--profile", "{OUT}/rates.json"]],
            compare=["rates.json"], outputs=["shd.h5"]),
        "nir": Kind("nir", "model.nir", [
            [snnc, "import", "{IN}", "-o", "{OUT}/net.mlir", "--dt-ms", "10"]],
            compare=["net.mlir"], outputs=["net.mlir"]),
        "mlir": Kind("mlir", "paper.mlir", [
            [snnc, "compile", "{IN}", "--target", "loihi2", "--out",
             "{OUT}/c", "--quiet"]],
            compare=["c/net.snnhw.mlir"], outputs=["c/plan.h5"]),
        "target": Kind("target", "target.json", [
            [snnc, "targets", "--target", "{IN}", "--json"]]),
        "profile": Kind("profile", "rates.json", [
            [opt, "{FX}/lowered.mlir",
             "--snn-map-to-cores=target=loihi2 profile={IN}",
             "-o", "{OUT}/mapped.mlir"]],
            compare=["mapped.mlir"], outputs=["mapped.mlir"]),
    }


def make_fixtures(bindir, fx):
    """The valid inputs, made by snnc's own tools (fast: a few seconds)."""
    snnc = os.path.join(bindir, "snnc")
    os.makedirs(fx, exist_ok=True)
    steps = [
        [snnc, "data", "digits", "--out", "digits", "--train", "2", "--test",
         "4", "--seed", "3", "--quiet"],
        [sys.executable, os.path.join(SRC, "tools", "snn-gen-network",
                                      "snn-gen-network.py"), "paper",
         "--seed", "2", "-o", "paper.mlir"],
        [snnc, "export", "paper.mlir", "-o", "model.h5"],
        [snnc, "export", "paper.mlir", "-o", "model.nir"],
        [snnc, "compile", "model.h5", "--target", "loihi2", "--out", "c",
         "--quiet", "--emit-lowered", "lowered.mlir"],
        [snnc, "run", "c/plan.h5", "--data", "digits/test.h5", "--quiet",
         "--profile", "rates.json"],
    ]
    for cmd in steps:
        rc, out, err = run(cmd, fx, 300)
        if rc != 0:
            sys.exit("mutation-sweep: making fixtures failed: %s\n%s%s" %
                     (" ".join(cmd), out, err))
    shutil.copy(os.path.join(HERE, "Inputs", "shd-small.h5"), fx)
    shutil.copy(os.path.join(SRC, "test", "Conversion", "Inputs",
                             "small-target.json"),
                os.path.join(fx, "target.json"))


def mutate(data, cls, rng):
    n = len(data)
    b = bytearray(data)
    if cls == "truncate":
        return bytes(b[:rng.randrange(0, n)])
    if cls == "bitflip":
        i = rng.randrange(n)
        b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    size = rng.randint(1, min(256, n))
    start = rng.randrange(0, n - size + 1)
    if cls == "zero":
        b[start:start + size] = bytes(size)
    else:
        b[start:start + size] = bytes(rng.getrandbits(8) for _ in range(size))
    return bytes(b)


def execute(kind, inpath, outdir, fx, timeout):
    """Runs the kind's commands on inpath; returns (outcome, detail,
    normalised result or None)."""
    results = []
    for i, tmpl in enumerate(kind.commands):
        cmd = [a.replace("{IN}", inpath).replace("{OUT}", outdir)
               .replace("{FX}", fx) for a in tmpl]
        rc, out, err = run(cmd, outdir, timeout)
        detail = " ".join(cmd)
        if rc == "hang":
            return "hang", detail, None
        text = out + err
        if rc < 0 or rc >= 128 or re.search(
                r"Sanitizer|runtime error:|Stack dump|LLVM ERROR|Assertion|"
                r"terminate called|PLEASE submit a bug report", text):
            return "crash", "%s (rc %s): %s" % (detail, rc, err[-600:]), None
        if rc == 70:
            return "internal", "%s: %s" % (detail, err[-600:]), None
        if rc != 0:
            left = [o for o in kind.outputs
                    if os.path.exists(os.path.join(outdir, o))]
            if i == 0 and "error" in err and not left:
                return "refusal", err.strip().splitlines()[-1][:300], None
            why = "left %s" % left if left else "no 'error' message"
            if i > 0:
                why = "accepted by the reader, refused by a later step"
            return "unclean", "%s (rc %d, %s): %s" % (detail, rc, why,
                                                      err[-300:]), None
        results.append(normalise(out, inpath))
    for name in kind.compare:
        p = os.path.join(outdir, name)
        with open(p, errors="replace") as f:
            results.append(normalise(f.read(), inpath))
    return "accepted", "", "\n=====\n".join(results)


def one(args):
    kind, cls, idx, seed, fx, work, timeout, original, baseline = args
    rng = random.Random("%d/%s/%s/%d" % (seed, kind.name, cls, idx))
    for _ in range(20):
        data = mutate(original, cls, rng)
        if data != original:
            break
    d = tempfile.mkdtemp(prefix="%s-%s-%d-" % (kind.name, cls, idx), dir=work)
    inpath = os.path.join(d, "in-" + os.path.basename(kind.fixture))
    with open(inpath, "wb") as f:
        f.write(data)
    out = os.path.join(d, "out")
    os.makedirs(out)
    outcome, detail, result = execute(kind, inpath, out, fx, timeout)
    if outcome == "accepted":
        outcome = "same" if result == baseline else "DIFFERENT"
        if outcome == "DIFFERENT":
            detail = "accepted, result differs from the original's"
    return kind.name, cls, idx, outcome, detail, d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="folder with snnc, snn-opt")
    ap.add_argument("-n", type=int, default=50,
                    help="mutants per kind and class [50]")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds per command before it counts as a hang")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", help="scratch folder (default: a temp dir)")
    ap.add_argument("--keep", help="copy non-clean mutants here")
    ap.add_argument("--json", help="write the counts and findings here")
    ap.add_argument("--verbose", action="store_true",
                    help="print every finding, not only the first per cell")
    a = ap.parse_args()

    bindir = os.path.abspath(a.bin)
    work = os.path.abspath(a.work or tempfile.mkdtemp(prefix="snnc-sweep-"))
    fx = os.path.join(work, "fixtures")
    make_fixtures(bindir, fx)
    all_kinds = kinds(bindir, fx)
    chosen = [all_kinds[k] for k in a.kinds.split(",") if k]
    classes = [c for c in a.classes.split(",") if c]
    for c in classes:
        if c not in CLASSES:
            sys.exit("mutation-sweep: unknown class %s" % c)

    jobs = []
    for kind in chosen:
        with open(os.path.join(fx, kind.fixture), "rb") as f:
            original = f.read()
        base_dir = os.path.join(work, "baseline-" + kind.name)
        os.makedirs(os.path.join(base_dir, "out"), exist_ok=True)
        inpath = os.path.join(base_dir, "in-" + os.path.basename(kind.fixture))
        shutil.copy(os.path.join(fx, kind.fixture), inpath)
        outcome, detail, baseline = execute(kind, inpath,
                                            os.path.join(base_dir, "out"), fx,
                                            a.timeout * 3)
        if outcome != "accepted":
            sys.exit("mutation-sweep: the unmutated %s fails: %s %s" %
                     (kind.name, outcome, detail))
        mutmp = os.path.join(work, "mutants")
        os.makedirs(mutmp, exist_ok=True)
        for cls in classes:
            for i in range(a.n):
                jobs.append((kind, cls, i, a.seed, fx, mutmp, a.timeout,
                             original, baseline))

    counts = {k.name: {c: {o: 0 for o in OUTCOMES} for c in classes}
              for k in chosen}
    findings = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for kname, cls, idx, outcome, detail, d in pool.map(one, jobs):
            counts[kname][cls][outcome] += 1
            bad = outcome not in ("refusal", "same")
            if bad:
                findings.append({"kind": kname, "class": cls, "index": idx,
                                 "outcome": outcome, "detail": detail})
                if a.keep:
                    dst = os.path.join(a.keep, os.path.basename(d))
                    shutil.copytree(d, dst, dirs_exist_ok=True)
                    with open(os.path.join(dst, "finding.txt"), "w") as f:
                        f.write("%s\n%s\n" % (outcome, detail))
            shutil.rmtree(d, ignore_errors=True)

    # Report: one row per kind x class, then the findings.
    head = "%-8s %-9s" % ("kind", "class") + "".join(
        "%10s" % o for o in OUTCOMES)
    print(head)
    failed = 0
    for kname in counts:
        tot = {o: 0 for o in OUTCOMES}
        for cls in classes:
            row = counts[kname][cls]
            for o in OUTCOMES:
                tot[o] += row[o]
            print("%-8s %-9s" % (kname, cls) +
                  "".join("%10d" % row[o] for o in OUTCOMES))
        print("%-8s %-9s" % (kname, "ALL") +
              "".join("%10d" % tot[o] for o in OUTCOMES))
        failed += tot["crash"] + tot["hang"] + tot["internal"]
        if kname in PROTECTED:
            failed += tot["DIFFERENT"]
    seen = set()
    for f in findings:
        key = (f["kind"], f["class"], f["outcome"])
        if a.verbose or key not in seen:
            print("%s %s #%d %s: %s" % (f["kind"], f["class"], f["index"],
                                        f["outcome"], f["detail"][:400]))
        seen.add(key)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"n": a.n, "seed": a.seed, "counts": counts,
                       "findings": findings}, f, indent=1)
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    print("mutation-sweep: %d mutants, %d failures (crash, hang, internal, "
          "DIFFERENT in a checksummed format)" % (len(jobs), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
