#!/usr/bin/env python3
"""Checks `hermes bench prog ... --stalls --json` (stdin): every run's
clocks are its retired instructions plus the clocks charged to the stall
causes plus its start and finish, exactly; no count is negative; the causes
are the documented ones. With --want CAUSE, that cause is charged at least
one clock in every run (the program is written to cause it)."""
import json
import sys

CAUSES = ["slot-load", "stack-load", "branch", "call-exit", "mul", "divide", "atomic", "helper",
          "after-store", "other", "start-finish"]


def check(run, want):
    name = run.get("program", "?")
    st = run.get("stalls")
    if not isinstance(st, dict):
        sys.exit(f"FAIL: {name}: no stalls object")
    if sorted(st) != sorted(CAUSES):
        sys.exit(f"FAIL: {name}: causes {sorted(st)}, want {sorted(CAUSES)}")
    if any(not isinstance(v, int) or v < 0 for v in st.values()):
        sys.exit(f"FAIL: {name}: a count that is not a non-negative integer: {st}")
    total = run["insns"] + sum(st.values())
    if total != run["cycles"]:
        sys.exit(f"FAIL: {name}: {run['insns']} instructions + {sum(st.values())} stall clocks = {total}, "
                 f"but the run took {run['cycles']} clocks")
    for cause in want:
        if st[cause] < 1:
            sys.exit(f"FAIL: {name}: no clock charged to {cause}: {st}")
    print(f"ok: {name}: {run['cycles']} clocks = {run['insns']} instructions + " +
          ", ".join(f"{k} {v}" for k, v in st.items() if v))


def main():
    want = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--want=")]
    doc = json.load(sys.stdin)
    runs = doc["programs"] if "programs" in doc else [doc]
    if not runs:
        sys.exit("FAIL: no runs")
    for run in runs:
        check(run, want)


main()
