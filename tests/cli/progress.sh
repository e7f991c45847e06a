#!/bin/sh
# progress.sh HERMES TMP - `hermes run --jobs` and `hermes bench scale` draw
# a progress bar on a terminal (a pty made by script(1)) and none when piped;
# with --json on a terminal there is no bar either, so the JSON stays clean.
set -eu
hermes=$1 tmp=$2
rm -rf "$tmp" && mkdir -p "$tmp/in"
printf 'mov r0, r2\nexit\n' > "$tmp/len.s"
for i in 1 2 3 4 5 6 7 8; do head -c $((i * 100)) /dev/zero > "$tmp/in/$i.bin"; done
fail() { echo "FAIL: $*" >&2; exit 1; }
cr=$(printf '\r')

script -qec "'$hermes' run '$tmp/len.s' --jobs 4 '$tmp/in'" /dev/null > "$tmp/tty.out" 2>&1 || true
grep -q "\[.*\] 8/8" "$tmp/tty.out" || { cat -A "$tmp/tty.out"; fail "no progress bar on a terminal"; }

"$hermes" run "$tmp/len.s" --jobs 4 "$tmp/in" > "$tmp/pipe.out" 2> "$tmp/pipe.err" || fail "piped run failed"
if grep -q "$cr" "$tmp/pipe.out" "$tmp/pipe.err"; then fail "progress drawn into a pipe"; fi
grep -qE "^files +8$" "$tmp/pipe.out" || { cat "$tmp/pipe.out" "$tmp/pipe.err"; fail "no summary (files 8) when piped"; }

script -qec "'$hermes' run '$tmp/len.s' --jobs 4 --json '$tmp/in'" /dev/null > "$tmp/json.out" 2>&1 || true
if grep -q "\] [0-9]*/8" "$tmp/json.out"; then cat -A "$tmp/json.out"; fail "progress bar mixed with --json on a terminal"; fi
tr -d '\r' < "$tmp/json.out" | python3 -c 'import json, sys; json.load(sys.stdin)' ||
	{ cat -A "$tmp/json.out"; fail "--json output on a terminal is not one JSON document"; }

# A benchmark: the bar is wiped when it ends, so look for any state of it.
scale="'$hermes' bench scale --per-engine 1 --iters 100"
script -qec "$scale" /dev/null > "$tmp/bench_tty.out" 2>&1 || true
grep -qE "\[[#.]+\] [0-9]+/[0-9]+ " "$tmp/bench_tty.out" || { cat -A "$tmp/bench_tty.out"; fail "bench scale: no progress bar on a terminal"; }
grep -q "efficiency" "$tmp/bench_tty.out" || { cat -A "$tmp/bench_tty.out"; fail "bench scale: no table on a terminal"; }
sh -c "$scale" > "$tmp/bench_pipe.out" 2> "$tmp/bench_pipe.err" || fail "bench scale piped failed"
if grep -q "$cr" "$tmp/bench_pipe.out" "$tmp/bench_pipe.err"; then fail "bench scale: progress drawn into a pipe"; fi
script -qec "$scale --json" /dev/null > "$tmp/bench_json.out" 2>&1 || true
tr -d '\r' < "$tmp/bench_json.out" | python3 -c 'import json, sys; json.load(sys.stdin)' ||
	{ cat -A "$tmp/bench_json.out"; fail "bench scale --json on a terminal is not one JSON document"; }
echo "progress: bar on a terminal, none piped, none beside --json (run --jobs, bench scale)"
