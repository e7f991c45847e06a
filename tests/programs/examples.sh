#!/bin/sh
# examples.sh HERMES DEVICE SRCDIR WORKDIR - the commands of examples/README.md:
# compile each example with clang -target bpf, run it with `hermes run` on
# DEVICE, and check its answer against the same computation by host tools.
set -u
hermes=$1 dev=$2 src=$3 work=$4
clang=${CLANG:-clang}
fail=0
mkdir -p "$work"

for ex in hello wordcount rot13; do
	"$clang" -O2 -target bpf -ffreestanding -Wall -Werror -c "$src/examples/$ex.c" -o "$work/$ex.o" || exit 1
done
# inputs: text that changes with the sources, and random bytes
cat "$src/examples/README.md" "$src/examples/"*.c > "$work/text.txt"
head -c 3000 /dev/urandom > "$work/random.bin"

r0() { # PROG INPUT [run options]: r0 of a run, or "failed"
	prog=$1 in=$2
	shift 2
	"$hermes" -d "$dev" run --json --data "$in" "$@" "$work/$prog.o" > "$work/run.json" || { cat "$work/run.json"; echo failed; return; }
	sed -n 's/.*"r0": \([0-9]*\),.*/\1/p' "$work/run.json"
}

check() { # WHAT CARD HOST
	if [ "$2" = "$3" ]; then
		echo "ok   $1: $dev $2, host $3"
	else
		echo "FAIL $1: $dev $2, host $3"
		fail=1
	fi
}

for in in "$work/text.txt" "$work/random.bin"; do
	name=$(basename "$in")
	host=$(od -An -v -tu1 "$in" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }')
	check "hello $name (sum of bytes)" "$(r0 hello "$in")" "$host"
	# words: runs of bytes other than the six white-space characters
	host=$(LC_ALL=C tr ' \t\v\f\r' '\n\n\n\n\n' < "$in" | LC_ALL=C grep -ac .)
	check "wordcount $name (words)" "$(r0 wordcount "$in")" "$host"
	host=$(LC_ALL=C tr -cd 'A-Za-z' < "$in" | wc -c | tr -d ' ')
	check "rot13 $name (letters)" "$(r0 rot13 "$in" --out "$work/rot13.out")" "$host"
	LC_ALL=C tr 'A-Za-z' 'N-ZA-Mn-za-m' < "$in" > "$work/rot13.host"
	if cmp "$work/rot13.out" "$work/rot13.host"; then
		echo "ok   rot13 $name output equals tr's"
	else
		echo "FAIL rot13 $name output differs from tr's"
		fail=1
	fi
done
exit $fail
