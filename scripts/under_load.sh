#!/bin/sh
# under_load.sh N HOGS CMD... - run CMD N times while HOGS busy loops keep
# every core loaded; print one line a run and a summary; exit 1 if any run
# failed. For tests whose figures must not depend on the host's load.
n=$1 hogs=$2
shift 2
pids=""
i=0
while [ "$i" -lt "$hogs" ]; do
  sh -c 'while :; do :; done' &
  pids="$pids $!"
  i=$((i + 1))
done
trap 'kill $pids 2>/dev/null' EXIT INT TERM
fails=0
i=1
while [ "$i" -le "$n" ]; do
  start=$(date +%s)
  if "$@" > /tmp/under_load.$$.log 2>&1; then r=ok; else r=FAIL; fails=$((fails + 1)); cat /tmp/under_load.$$.log; fi
  echo "run $i/$n: $r ($(($(date +%s) - start)) s, load $(cut -d' ' -f1 /proc/loadavg))"
  i=$((i + 1))
done
rm -f /tmp/under_load.$$.log
echo "under_load: $((n - fails))/$n runs passed with $hogs busy loops"
[ "$fails" -eq 0 ]
