#!/usr/bin/env bash
# scale_check.sh HERMES MIN [BENCH ARGS...]
# Runs `hermes bench scale --json`, prints the table, and passes when every
# engine count reaches an efficiency (throughput / (N x one engine's)) of
# at least MIN and no job failed.
set -u
hermes=$1 min=$2
shift 2
json=$("$hermes" bench scale --json "$@") || exit 1
echo "$json"
echo "$json" | grep -o '"engines": [0-9]*, "jobs": [0-9]*, "failed": [0-9]*\|"efficiency": [0-9.]*' | awk -v min="$min" '
  /"failed"/ { split($0, a, " "); failed = a[6] + 0; engines = a[2] + 0; sub(",", "", engines); if (failed) bad = 1 }
  /"efficiency"/ { split($0, a, " "); e = a[2] + 0; n++;
                   printf "engines %s: efficiency %.3f (min %s)\n", engines, e, min;
                   if (e < min) bad = 1 }
  END { if (!n) { print "FAIL: no runs in the output"; exit 1 }
        if (bad) { print "FAIL: below the target or failed jobs"; exit 1 }
        print "ok" }'
