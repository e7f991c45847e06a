#!/bin/sh
# render_check.sh RENDER RAW - render the recorded results RAW (a trimmed
# `make bench-report` run: two gallery programs, no 8-engine card, no area
# run) into a scratch folder and check the page line by line: figures
# copied and derived (ratios, targets met or not), the "not measured"
# reasons, and the plots (when gnuplot is installed).
set -u
render=$1 raw=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$render" "$raw" "$tmp/docs"
status=$?
if [ "$status" != 0 ]; then
	echo "FAIL: $render exited with status $status"
	exit 1
fi
page=$tmp/docs/BENCHMARKS.md
fail=0
expect() { # LINE WHAT: the page holds LINE (a fixed string)
	if grep -qxF -- "$1" "$page"; then
		echo "ok: $2"
	else
		echo "FAIL: $2: no line '$1'"
		fail=1
	fi
}
expect "| alu64 (4 ops) | 0.992 | 4.09 |" "IPC table row"
expect "| IPC on straight-line ALU code >= 0.9 | 0.992 | yes |" "IPC target met"
expect "| 64-bit div/mod/sdiv <= 70 clocks | 66.1 | yes |" "division target: the slowest of three"
expect "| h2c | 64 KiB | 1 | 1,284 | 51.04 | 12.76 | 79.8 |" "DMA row"
expect "| c2h | 4 MiB (chain of 64 KiB descriptors) | 64 | 66,437 | 63.13 | 15.78 | 98.6 |" "DMA chain row"
expect "| 4 | 32 | 24,826 | 3.985 | 0.996 | 99.4% | 0 |" "scaling row, mean utilisation"
expect "8-engine card: not measured: no 8-engine card model in this build (BUILD/tests/queue/hermes_e8; HERMES_QUEUE_VARIANTS)" \
	"scaling without the 8-engine model"
expect "| ALU | 128,000,002 | 0.390017 | 328 |" "reference VM row"
expect "Target: >= 150 M instructions/s on the ALU loop: 328 M, met: yes." "reference VM target"
expect "Target: >= 1,000,000 clocks/s with every engine running: 92,055, met: **no**." "simulator target not met"
expect "| trace-enabled model writing an FST, one engine running | 7,819 (21.4 FST bytes per clock) |" "traced model"
expect "| run latency mean, us | 9146.2 | 10872.9 | x1.2 |" "xdma-fuse vs in-process ratio"
expect "| C2H 64 KiB, MB/s | 4.20 | 2.49 | x0.59 |" "xdma DMA row"
expect "Per-run overhead of going through the device nodes: 1727 us" "per-run overhead"
expect "| crc32 | 873 | 29,458 | 35,372 | 0.833 | 141.488 | 437.6 | 157.3 | 2,968 |" "gallery row with the kernel"
expect "| fnv1a | 932 | 10,174 | 13,977 | 0.728 | 55.908 | 177.5 | 100.4 | not measured (1) |" "gallery row, kernel refused"
expect "1. fnv1a in the kernel: the verifier rejects it: BPF program is too large. Processed 1000001 insn" \
	"the verifier's reason"
expect "Not measured: not run: make bench-report AREA=1" "area not run"
if grep -q '| *|' "$page"; then
	echo "FAIL: an empty table cell:"
	grep -n '| *|' "$page"
	fail=1
fi
if command -v gnuplot > /dev/null 2>&1; then
	for p in dma scale gallery; do
		if [ -s "$tmp/docs/bench/$p.png" ] && grep -qxF "![$p](bench/$p.png)" "$page"; then
			echo "ok: plot $p drawn and embedded"
		else
			echo "FAIL: plot $p missing"
			fail=1
		fi
	done
fi
[ "$fail" = 0 ] && echo "ok: page checked"
exit "$fail"
