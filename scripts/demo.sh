#!/bin/sh
# demo.sh BUILD - what `make demo` shows: the simulated card's identity,
# read over BAR0 from the Verilator model, then a C program (examples/hello.c)
# compiled with clang -target bpf and run on the simulated card, its answer
# checked against the same computation done on the host.
set -e
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
hermes="$build/hermes"
clang=${CLANG:-clang}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== hermes info (simulated card, BAR0 read through AXI-Lite on the Verilator model)"
"$hermes" -d sim info

echo
echo "== examples/hello.c, compiled: $clang -O2 -target bpf -ffreestanding -c hello.c -o hello.o"
"$clang" -O2 -target bpf -ffreestanding -c "$top/examples/hello.c" -o "$tmp/hello.o"
"$hermes" disasm "$tmp/hello.o"

# The input: a sentence and this script itself, so the answer is not fixed.
{ echo "Hello from the host, $(date -u +%Y-%m-%dT%H:%M:%SZ)"; cat "$0"; } > "$tmp/input.txt"
host=$(od -An -v -tu1 "$tmp/input.txt" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }')

# r0 from `hermes run --json`; empty when the run failed.
run_r0() {
	"$hermes" -d "$1" run --json --data "$tmp/input.txt" "$tmp/hello.o" > "$tmp/run.json" 2> "$tmp/run.err" || true
	sed -n 's/.*"r0": \([0-9]*\),.*/\1/p' "$tmp/run.json"
}

compare() { # DEVICE-LABEL R0
	echo "   input:  $(wc -c < "$tmp/input.txt") bytes"
	echo "   $1: r0 = $2"
	echo "   host:   sum of the input's bytes = $host"
	if [ "$2" = "$host" ]; then
		echo "   => equal"
	else
		echo "   => DIFFERENT"
		return 1
	fi
}

echo
echo "== hermes -d sim run --data input.txt hello.o"
card=$(run_r0 sim)
if [ -z "$card" ]; then
	echo "hello.o failed on the simulated card:"
	cat "$tmp/run.json" "$tmp/run.err"
	exit 1
fi
cat "$tmp/run.json"
compare "card (sim)" "$card"
