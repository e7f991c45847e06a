#!/bin/sh
# save_input_check.sh GALLERY_RUNNER OBJ HERMES - `gallery_NAME --save-input`
# keeps the largest input of the cases it ran (as `make bench-report` uses
# it): its size must be the largest one the runner reports (-v), and
# `hermes bench prog` on it must give the r0 of that case and of `hermes run`.
set -u
runner=$1 obj=$2 hermes=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$runner" --device ref --seed 3 --iters 6 --max-in 512 --save-input "$tmp/in" -v "$obj" > "$tmp/log" || {
	cat "$tmp/log"
	echo "FAIL: $runner failed"
	exit 1
}
cat "$tmp/log"
want=$(sed -n 's/^ *case *[0-9]*: input *\([0-9]*\) bytes.*/\1/p' "$tmp/log" | sort -n | tail -n 1)
got=$(wc -c < "$tmp/in" | tr -d ' ')
if [ -z "$want" ] || [ "$got" != "$want" ]; then
	echo "FAIL: saved input has $got bytes, the largest case had '$want'"
	exit 1
fi
run=$("$hermes" -d ref run "$obj" --data "$tmp/in" --json) || { echo "FAIL: hermes run: $run"; exit 1; }
bench=$("$hermes" -d ref bench prog "$obj" --data "$tmp/in" --runs 2 --json) || { echo "FAIL: bench prog: $bench"; exit 1; }
echo "$run"
echo "$bench"
r0_run=$(echo "$run" | sed -n 's/.*"r0": \([0-9]*\).*/\1/p')
r0_bench=$(echo "$bench" | sed -n 's/.*"r0": "0x\([0-9a-f]*\)".*/\1/p')
if [ -z "$r0_run" ] || [ -z "$r0_bench" ] || [ "$(printf '%x' "$r0_run")" != "$r0_bench" ]; then
	echo "FAIL: r0 of hermes run ($r0_run) and of bench prog (0x$r0_bench) differ"
	exit 1
fi
case_r0=$(sed -n "s/^ *case *[0-9]*: input *$want bytes, r0 0x0*\([0-9a-f]*\) both.*/\1/p" "$tmp/log" | head -n 1)
if [ "$case_r0" != "$r0_bench" ]; then
	echo "FAIL: the saved input gives r0 0x$r0_bench, its case gave 0x$case_r0"
	exit 1
fi
echo "ok: $got bytes saved, r0 0x$r0_bench as in its case, both ways"
