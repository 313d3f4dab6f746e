"""Checks that `snnc run --json` outputs (without their timings) and rate
profiles of several runs are identical; prints one summary line."""
import json
import sys

runs = sys.argv[1:]
first = None
for run in runs:
    with open(run + ".json") as f:
        summary = json.load(f)
    for timing in ("seconds", "synaptic_events_per_second", "input"):
        summary.pop(timing, None)
    with open(run + ".rates") as f:
        rates = json.load(f)
    if first is None:
        first = (run, summary, rates)
        continue
    if summary != first[1] or rates != first[2]:
        print("DIFFERENT: %s and %s" % (first[0], run))
        print(json.dumps(first[1], sort_keys=True))
        print(json.dumps(summary, sort_keys=True))
        sys.exit(1)
s = first[1]
hidden = sum(p["spikes"] for p in s["populations"] if p["kind"] == "lif")
print("%d samples, %d hidden spikes, %d synaptic events: the same in every run"
      % (s["samples"], hidden, s["synaptic_events"]))
