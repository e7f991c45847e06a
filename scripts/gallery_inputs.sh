#!/bin/sh
# SPDX-License-Identifier: MIT
# gallery_inputs.sh BUILD OUT: the program gallery (tests/programs) as
# `hermes bench prog --gallery OUT` runs it: OUT/NAME.bpf.o compiled by
# clang as the tests compile it, and OUT/NAME.input, the largest of 8 inputs
# from its generator (seed 1, at most MAX_IN bytes, default 1024), checked
# against the native build on the way (as scripts/bench_report.sh does).
set -eu
build=$1 out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
clang=${CLANG:-clang}
max_in=${MAX_IN:-1024}
gallery="crc32 fnv1a histogram isort strsearch rle ipcsum csvsum lexer exprcalc base64 keywords"
mkdir -p "$out"
for p in $gallery; do
	"$clang" -O2 -target bpf -ffreestanding -Wall -Werror -I"$top/tests/programs" \
		-c "$top/tests/programs/$p.c" -o "$out/$p.bpf.o"
	"$build/tests/programs/gallery_$p" --device ref --seed 1 --iters 8 --max-in "$max_in" \
		--save-input "$out/$p.input" "$out/$p.bpf.o" > "$out/$p.gen.log" 2>&1 ||
		{ echo "gallery_$p failed: $(tail -n 1 "$out/$p.gen.log")" >&2; exit 1; }
done
