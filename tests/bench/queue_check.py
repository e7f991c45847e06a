#!/usr/bin/env python3
# queue_check.py - `hermes bench queue --json` (a small run) against what its
# counts must say: every job completed, the four fixed figures under their
# names, no BAR0 read per job and exactly one BAR0 write per batch on the
# hardware queue. Counts of register accesses are exact on the simulated
# card, whatever the host's load; nothing here is a speed.
import json
import sys

d = json.load(sys.stdin)
bad = []
for name in ("queue_bar0_reads_per_job", "queue_bar0_writes_per_job", "speedup_100_insns", "util_1000_insns"):
    if name not in d:
        bad.append(f"fixed figure {name} missing")
rows = d.get("rows", [])
hw = [r for r in rows if r["path"] == "hwqueue"]
if not hw or not any(r["path"] == "register" for r in rows):
    bad.append("no hardware-queue or no register-path rows")
for r in rows:
    if r["failed"]:
        bad.append(f"{r['failed']} failed jobs in {r}")
for r in hw:
    if r["bar0_reads_per_job"] != 0:
        bad.append(f"BAR0 reads on the hardware queue: {r}")
    if abs(r["bar0_writes_per_batch"] - 1.0) > 1e-9:
        bad.append(f"not one BAR0 write per batch: {r}")
if d.get("queue_bar0_reads_per_job") != 0:
    bad.append(f"queue_bar0_reads_per_job {d.get('queue_bar0_reads_per_job')}")
sp = d.get("speedup_100_insns")
if not isinstance(sp, (int, float)) or sp <= 1:
    bad.append(f"speedup_100_insns {sp}: the hardware queue is not faster than the register path")
for b in bad:
    print("FAIL:", b)
print(f"bench queue: {len(rows)} rows, {len(hw)} on the hardware queue, {len(bad)} problems")
sys.exit(1 if bad else 0)
