#!/bin/sh
# bench_report.sh BUILD [queue] - `make bench-report`: run every benchmark of a
# built tree and regenerate the generated blocks of docs/BENCHMARKS.md (between
# its bench-report markers; every other line is kept) with its plots
# (docs/bench/*.png). With `queue` (`make bench-queue`): run `bench queue`
# alone and regenerate only the page's hardware-queue block.
#
# Measuring is this script; turning the figures into the page is
# bench_report_render.sh. Raw results land in BUILD/bench/: one NAME.json
# per benchmark (`hermes bench NAME --json`), or NAME.err with the reason it
# could not be measured, which the page then shows instead of a number.
#
# Knobs (environment): FULL=1 longer runs (about 3x the default's time);
# AREA=1 runs the yosys area flow when build/area/area.md is missing or
# older than the RTL; HERMES_GALLERY_MAX_IN input size bound of the program
# gallery (default 1024 bytes).
set -u
build=${1:?usage: bench_report.sh BUILD [queue]}
only=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
raw=$build/bench
hermes=$build/hermes
clang=${CLANG:-clang}
full=${FULL:-0}
max_in=${HERMES_GALLERY_MAX_IN:-1024}
gallery="crc32 fnv1a histogram isort strsearch rle ipcsum csvsum lexer exprcalc base64 keywords"

if [ ! -x "$hermes" ]; then
	echo "bench-report: no $hermes: build first (make build)" >&2
	exit 1
fi
case $only in
'' | queue) ;;
*) echo "bench-report: unknown part '$only' (only 'queue' runs alone)" >&2; exit 2 ;;
esac
[ -n "$only" ] || rm -rf "$raw"
mkdir -p "$raw/gallery" || exit 1

if [ "$full" = 1 ]; then
	ref_insns=512000000 xdma_runs=1000 scale_args="--per-engine 16" prog_runs_sim=10 prog_runs_ref=1000
	kernel_repeat=100000
else
	ref_insns=128000000 xdma_runs=200 scale_args="--per-engine 8" prog_runs_sim=3 prog_runs_ref=200
	kernel_repeat=10000
fi

log() { printf '%s bench-report: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# bench NAME CMD...: CMD's stdout to NAME.json, or its stderr to NAME.err.
bench() {
	name=$1
	shift
	log "$name: $*"
	if "$@" > "$raw/$name.json" 2> "$raw/$name.log"; then
		return 0
	fi
	{ grep -v '^$' "$raw/$name.log" | tail -n 1; } > "$raw/$name.err"
	[ -s "$raw/$name.err" ] || echo "'$*' failed" > "$raw/$name.err"
	rm -f "$raw/$name.json"
	log "$name: not measured: $(cat "$raw/$name.err")"
	return 1
}

not_measured() { # NAME REASON
	echo "$2" > "$raw/$1.err"
	log "$1: not measured: $2"
}


# ---- hardware queues against the register path (8 engines where built) -------
# The whole table at 64 jobs a row (the rows include filling and draining
# the engines), then in the same run the rows of the targets in steady
# state, 1,024 jobs each; the fixed figures of the throughput targets come
# from those (about 10 minutes on 2 shared cores).
queue_jobs=${QUEUE_JOBS:-64}
steady_jobs=${QUEUE_STEADY_JOBS:-1024}
bench_queue() {
	e8=$build/tests/queue/hermes_e8
	q=$hermes
	if [ -x "$e8" ]; then q=$e8; fi
	echo "$(basename "$q") -d sim bench queue --jobs $queue_jobs --steady-jobs $steady_jobs --json" > "$raw/queue.cmd"
	rm -f "$raw"/queue_steady_*
	bench queue "$q" -d sim bench queue --jobs "$queue_jobs" --steady-jobs "$steady_jobs" --json
}
if [ "$only" = queue ]; then
	bench_queue
	exec "$top/scripts/bench_report_render.sh" "$raw" "$top/docs" --splice queue
fi

# ---- the machine -------------------------------------------------------------
{
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "cores=$(nproc)"
	echo "memory=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel=$(uname -sr)"
	echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "git=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "full=$full"
	echo "gallery=$gallery"
	echo "max_in=$max_in"
} > "$raw/machine.txt"

# ---- card and VM benchmarks ----------------------------------------------------
bench ipc "$hermes" -d sim bench ipc --json
bench dma "$hermes" -d sim bench dma --json
bench ref "$hermes" bench ref --json --insns "$ref_insns"
bench sim "$hermes" -d sim bench sim --json
if [ -e /dev/fuse ]; then
	bench xdma "$hermes" -d sim bench xdma --json --runs "$xdma_runs"
else
	not_measured xdma "no /dev/fuse on this machine (xdma-fuse needs FUSE)"
fi
# shellcheck disable=SC2086 # scale_args is a list of arguments
bench scale4 "$hermes" -d sim bench scale --json $scale_args
# The PCIe cost model's baseline, and the free bus beside it (section_pcie).
for m in pcie zero; do
	bench "pcie_prog_$m" "$hermes" -d "sim:cost=$m" bench prog "$top/tests/queue/xor_sum.s" \
		--data "$top/tests/bench/hermes.txt" --runs 20 --json
	bench "pcie_scale_default_$m" "$hermes" -d "sim:cost=$m" bench scale --json
	bench "pcie_scale_6000_$m" "$hermes" -d "sim:cost=$m" bench scale --iters 2000 --bytes 64 --json
	bench "pcie_scale_600_$m" "$hermes" -d "sim:cost=$m" bench scale --iters 200 --bytes 64 --json
done
e8=$build/tests/queue/hermes_e8
if [ -x "$e8" ]; then
	# shellcheck disable=SC2086
	bench scale8 "$e8" -d sim bench scale --json $scale_args
else
	not_measured scale8 "no 8-engine card model in this build ($e8; HERMES_QUEUE_VARIANTS)"
fi
bench_queue

# ---- program gallery: card, reference VM, Linux kernel ------------------------
# The kernel side needs bpftool, root and a bpf file system to pin programs in.
kernel_reason=""
bpffs=""
if ! command -v bpftool > /dev/null 2>&1; then
	kernel_reason="bpftool is not installed"
elif [ "$(id -u)" != 0 ]; then
	kernel_reason="needs root (bpf(2) program load)"
else
	bpffs=$(mktemp -d)
	if ! mount -t bpf bpf "$bpffs" 2> "$raw/bpffs.log"; then
		kernel_reason="cannot mount a bpf file system: $(tail -n 1 "$raw/bpffs.log")"
		rmdir "$bpffs"
		bpffs=""
	fi
fi
cleanup() {
	if [ -n "$bpffs" ]; then
		rm -f "$bpffs"/* 2> /dev/null
		umount "$bpffs" && rmdir "$bpffs"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kernel NAME: NAME.kernel.json {"ns_per_run", "retval", "r0_low32"} or NAME.kernel.err.
kernel() {
	p=$1 g=$raw/gallery
	if [ -n "$kernel_reason" ]; then
		not_measured "gallery/$p.kernel" "$kernel_reason"
		return
	fi
	if [ ! -f "$g/$p.ref.json" ]; then
		not_measured "gallery/$p.kernel" "no reference result to check it against"
		return
	fi
	n=$(wc -c < "$g/$p.input" | tr -d ' ')
	if [ "$n" -lt 14 ]; then
		not_measured "gallery/$p.kernel" "input of $n bytes is shorter than an Ethernet header (XDP test run)"
		return
	fi
	if ! "$clang" -O2 -target bpf -ffreestanding -Wall -I"$top/tests/programs" -DGALLERY_SRC="\"$p.c\"" \
		-DGALLERY_FN="$p" -DINPUT_BYTES="$n" -c "$top/scripts/bench_report_xdp.c" -o "$g/$p.xdp.o" \
		2> "$g/$p.xdp.log"; then
		not_measured "gallery/$p.kernel" "clang: $(grep -m 1 error "$g/$p.xdp.log")"
		return
	fi
	if ! bpftool prog load "$g/$p.xdp.o" "$bpffs/$p" type xdp > "$g/$p.load.log" 2>&1; then
		# The verifier's verdict is the line before its "processed N insns" summary.
		why=$(grep -B 1 '^processed [0-9]* insns' "$g/$p.load.log" | head -n 1)
		[ -n "$why" ] || why=$(grep -m 1 '^Error:' "$g/$p.load.log")
		# A verdict may follow the last instruction printed, on its line.
		why=$(printf %s "$why" | sed 's/^[0-9]*: ([0-9a-f]*) .*\(BPF program is too large\)/\1/')
		processed=$(sed -n 's/^processed \([0-9]*\) insns.*/\1/p' "$g/$p.load.log" | tail -n 1)
		case $why in *Processed*) processed="" ;; esac
		not_measured "gallery/$p.kernel" \
			"the verifier rejects it: ${why:-see $g/$p.load.log}${processed:+ (after $processed instructions)}"
		return
	fi
	first=$(bpftool prog run pinned "$bpffs/$p" data_in "$g/$p.input" repeat 1 2>&1)
	many=$(bpftool prog run pinned "$bpffs/$p" data_in "$g/$p.input" repeat "$kernel_repeat" 2>&1)
	rm -f "$bpffs/$p"
	retval=$(echo "$first" | sed -n 's/.*Return value: \([0-9]*\).*/\1/p')
	ns=$(echo "$many" | sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p')
	r0=$(sed -n 's/.*"r0": "0x\([0-9a-f]*\)".*/\1/p' "$g/$p.ref.json")
	low=$(printf %s "$r0" | sed 's/.*\(........\)$/\1/')
	low=$(printf '%u' "0x$low")
	if [ -z "$retval" ] || [ -z "$ns" ]; then
		not_measured "gallery/$p.kernel" "bpftool prog run: $(echo "$first $many" | tail -n 1)"
		return
	fi
	if [ "$retval" != "$low" ]; then
		not_measured "gallery/$p.kernel" "wrong result: the kernel returned $retval, r0 is 0x$r0 (low 32 bits $low)"
		return
	fi
	echo "{\"ns_per_run\": $ns, \"repeat\": $kernel_repeat, \"retval\": $retval, \"input_bytes\": $n}" \
		> "$g/$p.kernel.json"
	log "$p: kernel $ns ns/run"
}

for p in $gallery; do
	g=$raw/gallery
	runner=$build/tests/programs/gallery_$p
	if [ ! -x "$runner" ]; then
		for d in sim ref kernel; do not_measured "gallery/$p.$d" "no $runner in this build"; done
		continue
	fi
	if ! "$clang" -O2 -target bpf -ffreestanding -Wall -Werror -I"$top/tests/programs" \
		-c "$top/tests/programs/$p.c" -o "$g/$p.bpf.o" 2> "$g/$p.clang.log"; then
		for d in sim ref kernel; do not_measured "gallery/$p.$d" "clang failed: $(head -n 1 "$g/$p.clang.log")"; done
		continue
	fi
	# The largest of 8 generated inputs, checked against the native build on the way.
	if ! "$runner" --device ref --seed 1 --iters 8 --max-in "$max_in" --save-input "$g/$p.input" \
		"$g/$p.bpf.o" > "$g/$p.gen.log" 2>&1; then
		for d in sim ref kernel; do not_measured "gallery/$p.$d" "gallery_$p failed: $(tail -n 1 "$g/$p.gen.log")"; done
		continue
	fi
	bench "gallery/$p.sim" "$hermes" -d sim bench prog "$g/$p.bpf.o" --data "$g/$p.input" --runs "$prog_runs_sim" --json
	bench "gallery/$p.ref" "$hermes" -d ref bench prog "$g/$p.bpf.o" --data "$g/$p.input" --runs "$prog_runs_ref" --json
	kernel "$p"
done
cleanup
bpffs=""

# ---- area ------------------------------------------------------------------------
area_dir=${AREA_OUT:-$top/build/area}
area_fresh() {
	[ -f "$area_dir/area.md" ] || return 1
	newer=$(find "$top/rtl" "$top/scripts/area.sh" "$top/scripts/area_netlist.py" "$top/Makefile.verilator" \
		-newer "$area_dir/area.md" 2> /dev/null | head -n 1)
	[ -z "$newer" ]
}
if area_fresh; then
	cp "$area_dir/area.md" "$raw/area.md"
elif [ "${AREA:-0}" = 1 ]; then
	log "area: make -f Makefile.verilator area (yosys, several minutes)"
	if (cd "$top" && make -f Makefile.verilator area AREA_MAX_LEVELS=0) > "$raw/area.log" 2>&1 && [ -f "$area_dir/area.md" ]; then
		cp "$area_dir/area.md" "$raw/area.md"
	else
		not_measured area "make -f Makefile.verilator area failed or wrote no $area_dir/area.md (see $raw/area.log)"
	fi
else
	if [ -f "$area_dir/area.md" ]; then
		not_measured area "not run: $area_dir/area.md is older than the RTL; make bench-report AREA=1"
	else
		not_measured area "not run: make bench-report AREA=1"
	fi
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$raw/machine.txt"
log "rendering docs/BENCHMARKS.md"
exec "$top/scripts/bench_report_render.sh" "$raw" "$top/docs"
