#!/usr/bin/env python3
"""make-corpus.py: regenerate the seed corpora of fuzz/corpus/ with snnc's own
tools (fuzz/README.md).

    fuzz/make-corpus.py --bin build/bin [--out fuzz/corpus]

Every seed is a valid input of its reader, made by snn-gen-network, snnc
export/compile/run/data, snn-opt, or copied from the test fixtures; small
networks (hostile, xylo, cuba) keep the seeds a few KiB to a few tens of KiB.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
NETWORKS = ["hostile", "xylo", "cuba"]


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("make-corpus: failed: %s\n%s%s" % (" ".join(cmd), r.stdout,
                                                   r.stderr))


def put(out, target, name, path):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    shutil.copy(path, os.path.join(d, name))


def write_wav(path, rate, channels, width, frames):
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        data = bytearray()
        for i in range(frames):
            for c in range(channels):
                v = ((i * 37 + c * 11) % 200) - 100
                data += (struct.pack("<h", v * 300) if width == 2 else
                         bytes([(v + 128) & 0xFF]))
        w.writeframes(bytes(data))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="folder of snnc and snn-opt")
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    args = ap.parse_args()
    snnc = os.path.abspath(os.path.join(args.bin, "snnc"))
    opt = os.path.abspath(os.path.join(args.bin, "snn-opt"))
    gen = os.path.join(SRC, "tools", "snn-gen-network", "snn-gen-network.py")
    out = os.path.abspath(args.out)
    # Replace the generated seeds only: regression inputs (regress-*), the
    # minimized additions of fuzzing runs (grown/) and the README stay.
    if os.path.isdir(out):
        for target in os.listdir(out):
            folder = os.path.join(out, target)
            if not os.path.isdir(folder):
                continue
            for name in os.listdir(folder):
                if not (name.startswith("regress") or name == "grown"):
                    os.remove(os.path.join(folder, name))
    with tempfile.TemporaryDirectory() as t:
        run([snnc, "data", "digits", "--out", "digits", "--train", "2",
             "--test", "2", "--seed", "3", "--quiet"], t)
        put(out, "dataset", "digits-test.h5", os.path.join(t, "digits/test.h5"))
        shd = os.path.join(SRC, "test", "hostile", "Inputs", "shd-small.h5")
        put(out, "shd", "shd-small.h5", shd)
        # 4 channels: the input of the hostile and xylo networks.
        run([snnc, "data", "shd", shd, "--out", "shd.h5", "--steps", "20",
             "--channel-bin", "175"], t)
        put(out, "dataset", "shd-spikes.h5", os.path.join(t, "shd.h5"))
        for net in NETWORKS:
            run([sys.executable, gen, net, "--seed", "1", "-o", net + ".mlir"], t)
            put(out, "mlir-text", net + ".mlir", os.path.join(t, net + ".mlir"))
            run([opt, net + ".mlir", "--emit-bytecode", "-o", net + ".mlirbc"], t)
            put(out, "mlir-bytecode", net + ".mlirbc",
                os.path.join(t, net + ".mlirbc"))
            run([snnc, "export", net + ".mlir", "-o", net + ".h5"], t)
            put(out, "model", net + ".h5", os.path.join(t, net + ".h5"))
            run([snnc, "export", net + ".mlir", "-o", net + ".nir"], t)
            put(out, "nir", net + "-gzip.nir", os.path.join(t, net + ".nir"))
        for name in ["all_types_plain.nir", "norse_li.nir", "sinabs_iaf.nir"]:
            put(out, "nir", name, os.path.join(SRC, "test", "data", "nir", name))
        for net in ["hostile", "cuba"]:
            run([snnc, "compile", net + ".h5", "--target", "loihi2", "--out",
                 "c-" + net, "--quiet", "--emit-lowered", net + "-low.mlir"], t)
            put(out, "plan", net + "-loihi2.h5",
                os.path.join(t, "c-" + net, "plan.h5"))
        run([snnc, "compile", "xylo.h5", "--target", "spinnaker", "--out",
             "c-xylo", "--quiet"], t)
        put(out, "plan", "xylo-spinnaker.h5", os.path.join(t, "c-xylo", "plan.h5"))
        run([snnc, "run", "c-hostile/plan.h5", "--data", "shd.h5",
             "--quiet", "--profile", "rates.json"], t)
        put(out, "profile-json", "hostile-rates.json",
            os.path.join(t, "rates.json"))
        write_wav(os.path.join(t, "m16.wav"), 16000, 1, 2, 400)
        write_wav(os.path.join(t, "s8.wav"), 8000, 2, 1, 300)
        put(out, "audio", "mono16-16k.wav", os.path.join(t, "m16.wav"))
        put(out, "audio", "stereo8-8k.wav", os.path.join(t, "s8.wav"))
    inputs = os.path.join(SRC, "test", "Conversion", "Inputs")
    for name in ["small-target.json", "tiny-target.json"]:
        put(out, "target-json", name, os.path.join(inputs, name))
    put(out, "profile-json", "tiny-profile.json",
        os.path.join(inputs, "tiny-profile.json"))
    # Argument vectors, NUL-separated (fuzz/targets/FuzzCli.cpp).
    cli = {
        "full": ["in.h5", "--out", "o.h5", "--epochs", "3", "--lr", "0.01",
                 "--json", "--strategy", "sequential", "a", "b"],
        "equals": ["--out=o.h5", "--weight-bits=8", "in.h5"],
        "help": ["--help"],
        "bad": ["--epochs", "x", "--strategy", "none"],
    }
    for name, argv in cli.items():
        d = os.path.join(out, "cli")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(b"\0".join(a.encode() for a in argv))
    for target in sorted(os.listdir(out)):
        files = os.listdir(os.path.join(out, target))
        size = sum(os.path.getsize(os.path.join(out, target, f)) for f in files)
        print("%-14s %2d seeds %8d bytes" % (target, len(files), size))


if __name__ == "__main__":
    main()
