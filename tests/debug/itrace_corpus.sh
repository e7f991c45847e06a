#!/bin/sh
# itrace_corpus.sh HERMES CORPUS_DIR [CASE...]
#
# For every conformance case (tests/conformance/*.data, or the named ones),
# runs the program with `hermes -d sim:cost=zero run --itrace=noclock` and
# `hermes -d ref run --itrace=noclock` and compares the two outputs with a
# plain diff: every retired instruction (pc, disassembly, register written,
# memory access), the result and, for faulting cases, the whole fault report
# (the registers the RTL's retire stream rebuilds against the reference
# VM's own). Fails on the first case that differs, printing the diff.
# The case's -- mem goes in with --data and -- budget as --max-insns
# (-- len is left out: both devices then see the same r2).
# The card runs on the free bus (sim:cost=zero): a noclock trace has no bus
# timing in it, and the PCIe model's register latencies would only double
# each run's host time (conformance_plugin_sim runs the corpus under it).
set -u
hermes=$1 dir=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then set -- "$dir"/*.data; fi

# Section NAME of a .data file, without its header line.
section() {
  awk -v want="-- $2" '/^-- /{ on = ($0 == want); next } on' "$1"
}

n=0 fail=0
for f in "$@"; do
  name=$(basename "$f" .data)
  section "$f" asm > "$tmp/p.s"
  set -- 
  # -- mem: hex bytes -> a binary file (octal escapes for printf).
  if section "$f" mem | grep -q .; then
    section "$f" mem | sed 's/#.*//' | tr -s ' \t,' '\n\n\n' | sed -n 's/^0[xX]//; /^[0-9a-fA-F][0-9a-fA-F]$/p' |
      awk 'BEGIN { for (i = 0; i < 256; i++) h[sprintf("%02x", i)] = sprintf("\\%03o", i) }
           { printf "%s", h[tolower($0)] }' > "$tmp/mem.esc"
    printf "$(cat "$tmp/mem.esc")" > "$tmp/mem.bin"
    set -- --data "$tmp/mem.bin"
  fi
  budget=$(section "$f" budget | sed 's/#.*//' | tr -d ' \t')
  if [ -n "$budget" ]; then set -- "$@" --max-insns "$budget"; fi
  "$hermes" -d sim:cost=zero run "$tmp/p.s" --itrace=noclock "$@" > "$tmp/sim.txt" 2>&1
  s_rc=$?
  "$hermes" -d ref run "$tmp/p.s" --itrace=noclock "$@" > "$tmp/ref.txt" 2>&1
  r_rc=$?
  n=$((n + 1))
  if ! diff -u "$tmp/ref.txt" "$tmp/sim.txt" > "$tmp/diff.txt" || [ $s_rc -ne $r_rc ]; then
    echo "FAIL $name: sim (exit $s_rc) and ref (exit $r_rc) traces differ (- ref, + sim):"
    head -40 "$tmp/diff.txt"
    fail=$((fail + 1))
    [ $fail -ge 5 ] && break
  fi
  if [ $n -eq 1 ]; then
    echo "first case ($name), sim:"
    cat "$tmp/sim.txt"
  fi
done
echo "itrace sim vs ref: $n cases compared, $fail differ"
[ $n -gt 0 ] && [ $fail -eq 0 ]
