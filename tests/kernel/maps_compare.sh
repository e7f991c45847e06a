#!/bin/sh
# SPDX-License-Identifier: MIT
# maps_compare.sh - Hermes against the Linux kernel on programs with maps:
# the same source built twice (examples/maps/maps_prog.h), run N times on
# the same input by `hermes run --repeat N --dump-maps --json` and by
# kmaps_run (BPF_PROG_TEST_RUN), maps and r0 compared by maps_json.py.
#
# usage: maps_compare.sh HERMES DEV KMAPS_RUN WORKDIR DIR...
#   env REPEAT (default 3), ENGINE (default 0), PYTHON (default python3)
#
# Every DIR holds NAME.bpf.o (the Hermes build), NAME.kern.bpf.o (the
# -DMAPS_PROG_KERNEL_XDP build) and NAME.in. Hermes runs on engine ENGINE
# of device DEV, the kernel pinned to CPU ENGINE (so get_smp_processor_id
# agrees); per-CPU maps compare that CPU's copy with that engine's. Hash
# maps compare as sets; r0 on its low 32 bits (all the kernel reports).
#
# A hermes that cannot dump maps FAILS this test (it is not skipped): the
# comparison is the point. Exit 77 (skipped) only when bpf(2) is not
# permitted on this machine.
set -u
[ $# -ge 5 ] || { echo "usage: maps_compare.sh HERMES DEV KMAPS_RUN WORKDIR DIR..."; exit 2; }
hermes=$1 dev=$2 run=$3 work=$4
shift 4
here=$(dirname "$0")
py=${PYTHON:-python3} repeat=${REPEAT:-3} engine=${ENGINE:-0}
ncpu=$(getconf _NPROCESSORS_ONLN)
if [ "$engine" -ge "$ncpu" ]; then
	echo "FAIL: ENGINE=$engine, but the kernel side pins to the CPU of the same number and this machine has $ncpu"
	exit 1
fi
[ -x "$hermes" ] || { echo "FAIL: no hermes binary at $hermes"; exit 1; }
mkdir -p "$work" || exit 1
: > "$work/pairs" || exit 1
bad=0 n=0
for dir in "$@"; do
	set -- "$dir"/*.kern.bpf.o
	[ -e "$1" ] || { echo "FAIL: no *.kern.bpf.o in $dir"; bad=$((bad + 1)); continue; }
	for kobj; do
		name=$(basename "$kobj" .kern.bpf.o)
		tag=$(basename "$dir")_$name
		obj=$dir/$name.bpf.o in=$dir/$name.in
		"$run" --data "$in" --repeat "$repeat" --cpu "$engine" "$kobj" > "$work/$tag.kernel.json" 2> "$work/$tag.kernel.err"
		rc=$?
		if [ $rc -eq 77 ]; then cat "$work/$tag.kernel.json"; exit 77; fi
		if [ $rc -ne 0 ]; then
			echo "FAIL $tag: kmaps_run exit $rc:"; cat "$work/$tag.kernel.err"; bad=$((bad + 1)); continue
		fi
		"$hermes" -d "$dev" run "$obj" --data "$in" --engine "$engine" --repeat "$repeat" --dump-maps --json \
			> "$work/$tag.hermes.json" 2> "$work/$tag.hermes.err"
		rc=$?
		if [ $rc -ne 0 ] || ! grep -q '"maps"' "$work/$tag.hermes.json"; then
			echo "FAIL $tag: hermes -d $dev run ... --repeat $repeat --dump-maps --json (exit $rc) printed no maps:"
			cat "$work/$tag.hermes.err" "$work/$tag.hermes.json" | head -20
			if grep -qi 'repeat\|dump-maps\|unknown\|unrecognized' "$work/$tag.hermes.err"; then
				echo "FAIL: this hermes does not support --repeat/--dump-maps (the w5-sw CLI); nothing compared"
				exit 1
			fi
			bad=$((bad + 1)); continue
		fi
		echo "$tag $work/$tag.kernel.json $work/$tag.hermes.json" >> "$work/pairs"
		n=$((n + 1))
	done
done
# - kernel, + hermes
"$py" "$here/maps_json.py" --compare "$work/pairs" > "$work/compare.out"
rc=$?
grep -v '^ok ' "$work/compare.out"
[ $rc -eq 0 ] || bad=$((bad + 1))
echo "maps_compare: $n programs run on the kernel and on hermes -d $dev (engine $engine, $repeat runs), $bad failures"
[ $bad -eq 0 ] && [ $n -gt 0 ]
