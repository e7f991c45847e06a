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
	timeout 300 "$hermes" -d "$1" run --json --data "$tmp/input.txt" "$tmp/hello.o" > "$tmp/run.json" 2> "$tmp/run.err" || true
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
# First, can the simulated card of this build run a program at all?
printf 'mov r0, 42\nexit\n' > "$tmp/probe.s"
rc=0
probe=$(timeout 60 "$hermes" -d sim run --json "$tmp/probe.s" 2>&1) || rc=$?
case "$probe" in
*'"r0": 42,'*)
	card=$(run_r0 sim)
	if [ -z "$card" ]; then
		echo "hello.o failed on the simulated card, which does run programs:"
		cat "$tmp/run.json" "$tmp/run.err"
		exit 1
	fi
	cat "$tmp/run.json"
	compare "card (sim)" "$card"
	exit $?
	;;
esac
[ "$rc" = 124 ] && probe="no answer within 60 s"
echo "NOT AVAILABLE YET: the simulated card in this build does not run programs"
echo "(a two-instruction program did not return 42 either: $(echo "$probe" | head -n 1))."
echo "Running the same hello.o on the reference VM instead (-d ref; this is not the card):"
ref=$(run_r0 ref)
if [ -z "$ref" ]; then
	cat "$tmp/run.err"
	exit 1
fi
cat "$tmp/run.json"
compare "ref VM" "$ref"
