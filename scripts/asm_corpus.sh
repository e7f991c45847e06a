#!/bin/sh
# asm_corpus.sh SRCDIR OUTDIR - the fuzz_asm seed corpus, made from the tree
# rather than committed a second time: OUTDIR/conf_NAME.s holds the "-- asm"
# section of each tests/conformance/NAME.data, OUTDIR/tests_DIR_NAME.s a
# copy of each tests/DIR/NAME.s.
set -e
src=$1 out=$2
[ -d "$src/tests/conformance" ] || { echo "asm_corpus.sh: no $src/tests/conformance" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
for f in "$src"/tests/conformance/*.data; do
  name=$(basename "$f" .data)
  awk '/^-- asm/ { on = 1; next } /^-- / { on = 0 } on' "$f" > "$out/conf_$name.s"
done
for f in "$src"/tests/*/*.s; do
  rel=${f#"$src"/}
  cp "$f" "$out/$(printf %s "${rel%.s}" | tr / _).s"
done
