#!/usr/bin/env python3
"""Run a command and kill it as soon as a file appears (an interrupted run).

    interrupt.py --when-exists FILE [--containing TEXT] [--signal KILL|INT|TERM] -- COMMAND...

Polls every 2 ms; once FILE exists (snnc writes files atomically, so it is
complete), and holds TEXT when --containing is given, the command gets the
signal. Exits 0 when the command was
interrupted, 1 when it ended on its own first (make the run longer), 2 when
FILE did not appear within --timeout seconds (the command is then killed).
"""
import argparse
import os
import signal
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--when-exists", required=True)
ap.add_argument("--containing", default=None)
ap.add_argument("--signal", default="KILL", choices=["KILL", "INT", "TERM"])
ap.add_argument("--timeout", type=float, default=300)
ap.add_argument("command", nargs=argparse.REMAINDER)
args = ap.parse_args()
cmd = args.command[1:] if args.command[:1] == ["--"] else args.command

def ready():
    if not os.path.exists(args.when_exists):
        return False
    if args.containing is None:
        return True
    try:
        with open(args.when_exists, errors="replace") as f:
            return args.containing in f.read()
    except OSError:
        return False



proc = subprocess.Popen(cmd, start_new_session=True)
deadline = time.monotonic() + args.timeout
while True:
    if proc.poll() is not None:
        print("interrupt: the command ended (exit %d) before %s appeared or "
              "before it could be interrupted" % (proc.returncode, args.when_exists))
        sys.exit(1)
    if ready():
        os.killpg(proc.pid, getattr(signal, "SIG" + args.signal))
        proc.wait()
        print("interrupt: sent SIG%s once %s existed" % (args.signal, args.when_exists))
        sys.exit(0)
    if time.monotonic() > deadline:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        print("interrupt: %s did not appear within %g s" % (args.when_exists, args.timeout))
        sys.exit(2)
    time.sleep(0.002)
