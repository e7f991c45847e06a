#!/bin/sh
# SPDX-License-Identifier: MIT
# kmaps_examples.sh - run the examples/maps programs in the kernel and
# compare their maps and r0 with the expectations committed in
# tests/kernel/maps_expected/ (canonical form, maps_json.py).
#
# usage: kmaps_examples.sh KMAPS_RUN OBJDIR INPUTDIR EXPECTDIR WORKDIR [--update]
#
# OBJDIR holds NAME.kern.bpf.o (the -DMAPS_PROG_KERNEL_XDP build), INPUTDIR
# NAME.in (examples/maps/make_inputs.py). Every program runs 3 times pinned
# to CPU 0. --update rewrites the expectations from this kernel. Exit 77
# (skipped) when bpf(2) is not permitted here.
set -u
[ $# -ge 5 ] || { echo "usage: kmaps_examples.sh KMAPS_RUN OBJDIR INPUTDIR EXPECTDIR WORKDIR [--update]"; exit 2; }
run=$1 objdir=$2 indir=$3 expdir=$4 work=$5 update=${6:-}
here=$(dirname "$0")
py=${PYTHON:-python3}
mkdir -p "$work" || exit 1
fail=0 n=0
: > "$work/pairs" || exit 1
for obj in "$objdir"/*.kern.bpf.o; do
	[ -e "$obj" ] || { echo "FAIL: no *.kern.bpf.o in $objdir"; exit 1; }
	name=$(basename "$obj" .kern.bpf.o)
	"$run" --data "$indir/$name.in" --repeat 3 --cpu 0 "$obj" > "$work/$name.kernel.json" 2> "$work/$name.err"
	rc=$?
	if [ $rc -eq 77 ]; then cat "$work/$name.kernel.json"; exit 77; fi
	if [ $rc -ne 0 ]; then
		echo "FAIL $name: kmaps_run exit $rc:"; cat "$work/$name.err"; fail=1; continue
	fi
	if [ "$update" = --update ]; then
		"$py" "$here/maps_json.py" "$work/$name.kernel.json" > "$expdir/$name.json" &&
			echo "updated $expdir/$name.json" || fail=1
	else
		echo "$name $expdir/$name.json $work/$name.kernel.json" >> "$work/pairs"
	fi
	n=$((n + 1))
done
if [ "$update" != --update ]; then
	# One Python process for all (- expected, + this kernel).
	"$py" "$here/maps_json.py" --compare "$work/pairs" || fail=1
fi
echo "kmaps_examples: $n programs, $([ $fail -eq 0 ] && echo all as expected || echo FAILURES)"
exit $fail
