#!/bin/sh
# SPDX-License-Identifier: MIT
# run_fuzz.sh BUILD SECONDS JOBS [NAME...] - the long fuzzing runs of
# `make fuzz` (tests/fuzz/README.md).
#
# Runs each fuzzer (default: fuzz_elf fuzz_asm fuzz_lockstep fuzz_cmds and
# rtl_random, the seeded lockstep runner) for SECONDS, JOBS at a time. Each
# writes BUILD/fuzz/NAME.log: the fuzzer's own output (libFuzzer's final
# stats included) and, as its last line, one line for scripts:
#
#   fuzz-summary name=NAME seconds=S execs=N crashes=C corpus=K
#
# Inputs found go to BUILD/fuzz/NAME_corpus (kept between runs, seeded from
# tests/fuzz/corpus_*, or BUILD/tests/fuzz/corpus_asm made by the build), crashes, hangs and leaks to BUILD/fuzz/NAME-*.
# Exits 1 when any fuzzer found something.
set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 BUILD SECONDS JOBS [NAME...]" >&2
	exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=$2
jobs=$3
shift 3
names=${*:-fuzz_elf fuzz_asm fuzz_lockstep fuzz_cmds rtl_random}
src=$(cd "$(dirname "$0")" && pwd)
out=$build/fuzz
mkdir -p "$out"

# rtl_random in batches of fresh seeds until the time is up.
run_rtl_random() {
	log=$1
	start=$(date +%s)
	seed=$start
	execs=0
	fails=0
	: > "$log"
	while [ $(($(date +%s) - start)) -lt "$seconds" ]; do
		"$build/tests/lockstep/rtl_random" -n 500 -s "$seed" -i 128 > "$out/rtl_random.batch" 2>&1
		grep -v '^ok ' "$out/rtl_random.batch" >> "$log"
		line=$(tail -n 1 "$out/rtl_random.batch")
		pass=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		fail=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		if [ -z "$pass" ]; then
			fails=$((fails + 1)) # it did not get to its summary: a crash
			break
		fi
		execs=$((execs + pass + fail))
		fails=$((fails + fail))
		seed=$((seed + 500))
	done
	rm -f "$out/rtl_random.batch"
	echo "fuzz-summary name=rtl_random seconds=$(($(date +%s) - start)) execs=$execs crashes=$fails corpus=0" >> "$log"
}

run_one() {
	name=$1
	log=$out/$name.log
	if [ "$name" = rtl_random ]; then
		run_rtl_random "$log"
	else
		bin=$build/tests/fuzz/$name
		work=$out/${name}_corpus
		seeds=$src/corpus_${name#fuzz_}
		[ -d "$seeds" ] || seeds=$build/tests/fuzz/corpus_${name#fuzz_} # generated (corpus_asm)
		mkdir -p "$work"
		before=$(ls "$out" | grep -c "^$name-")
		start=$(date +%s)
		"$bin" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
			-artifact_prefix="$out/$name-" "$work" "$seeds" > "$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		found=$(($(ls "$out" | grep -c "^$name-") - before))
		if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then
			found=1 # ended abnormally without an artifact
		fi
		echo "fuzz-summary name=$name seconds=$(($(date +%s) - start)) execs=${execs:-0}" \
		     "crashes=$found corpus=$(ls "$work" | wc -l)" >> "$log"
	fi
	tail -n 1 "$log"
}

if [ "$jobs" -gt 1 ]; then
	for name in $names; do echo "$name"; done |
		xargs -P "$jobs" -I{} sh -c '"$0" "$1" "$2" 1 "$3"' "$0" "$build" "$seconds" {} | cat
else
	for name in $names; do
		run_one "$name"
	done
fi

bad=0
for name in $names; do
	if ! tail -n 1 "$out/$name.log" | grep -q ' crashes=0 '; then
		echo "$name found a problem: see $out/$name.log and $out/$name-*" >&2
		bad=1
	fi
done
exit $bad
