#!/bin/sh
# SPDX-License-Identifier: MIT
# kmaps_gen.sh - random map programs (kmaps_gen) run in the kernel and
# checked against docs/MAPS.md's model of the helpers.
#
# usage: kmaps_gen.sh KMAPS_GEN KMAPS_RUN WORKDIR COUNT FIRST_SEED
#   env CLANG (default clang), BPF_CFLAGS (extra clang flags, e.g. the
#   multiarch include folder), PYTHON (default python3), MAPS_PROG_DIR
#   (examples/maps, for maps_prog.h)
#
# For each seed: WORKDIR/SEED.bpf.c, .in, .expected.json from kmaps_gen;
# SEED.bpf.o (Hermes build) and SEED.kern.bpf.o (kernel build); then the
# kernel's dump after 2 runs (SEED.kernel.json) must equal the model's, in
# canonical form (maps_json.py). The Hermes builds and inputs stay in
# WORKDIR for maps_compare.sh. Exit 77 (skipped) when bpf(2) is not
# permitted here.
set -u
[ $# -eq 5 ] || { echo "usage: kmaps_gen.sh KMAPS_GEN KMAPS_RUN WORKDIR COUNT FIRST_SEED"; exit 2; }
gen=$1 run=$2 work=$3 count=$4 seed=$5
here=$(dirname "$0")
cc=${CLANG:-clang} py=${PYTHON:-python3}
inc=${MAPS_PROG_DIR:-$here/../../examples/maps}
mkdir -p "$work" || exit 1
bad=0 i=0
: > "$work/pairs" || exit 1
while [ $i -lt "$count" ]; do
	s=$((seed + i)); p=$work/$s
	i=$((i + 1))
	"$gen" "$s" "$p" 2 || { echo "FAIL seed $s: kmaps_gen"; bad=$((bad + 1)); continue; }
	# shellcheck disable=SC2086
	if ! "$cc" -g -O2 -target bpf -Wall -Werror ${BPF_CFLAGS:-} -I"$inc" -c "$p.bpf.c" -o "$p.bpf.o" ||
	   ! "$cc" -g -O2 -target bpf -Wall -Werror ${BPF_CFLAGS:-} -I"$inc" -DMAPS_PROG_KERNEL_XDP \
		-c "$p.bpf.c" -o "$p.kern.bpf.o"; then
		echo "FAIL seed $s: clang cannot compile $p.bpf.c"; bad=$((bad + 1)); continue
	fi
	"$run" --data "$p.in" --repeat 2 --cpu 0 "$p.kern.bpf.o" > "$p.kernel.json" 2> "$p.err"
	rc=$?
	if [ $rc -eq 77 ]; then cat "$p.kernel.json"; exit 77; fi
	if [ $rc -ne 0 ]; then
		echo "FAIL seed $s: kmaps_run exit $rc:"; cat "$p.err"; bad=$((bad + 1)); continue
	fi
	echo "seed$s $p.expected.json $p.kernel.json" >> "$work/pairs"
done
# The kernel against the model, all in one Python process.
"$py" "$here/maps_json.py" --compare "$work/pairs" > "$work/compare.out"
rc=$?
grep -v '^ok ' "$work/compare.out"
[ $rc -eq 0 ] || bad=$((bad + 1))
echo "kmaps_gen: $count programs from seed $seed, $bad failures (files in $work; - model, + kernel)"
[ $bad -eq 0 ]
