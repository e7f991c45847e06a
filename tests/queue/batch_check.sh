#!/usr/bin/env bash
# batch_check.sh HERMES DIR DEVICE
#
# `hermes run PROG --jobs N --out-dir OUT IN/` on DEVICE against single
# `hermes -d ref run` runs of every input: outputs byte for byte, the
# summary, a failing batch (exit 1, failures named), inputs given as files
# and as a directory, dot files and subdirectories skipped, duplicate
# output names refused.
set -u
hermes=$1 dir=$2 dev=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/queue-batch.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$tmp/in/sub" "$tmp/out" "$tmp/ref" "$tmp/out2" "$tmp/out3" "$tmp/dup"
n=0
for size in 1 2 15 16 17 63 64 65 100 255 256 1000 1023 1024 1025 2048 3000 4096 5 9 31 200 700 1500 33; do
  n=$((n + 1))
  head -c "$size" /dev/urandom >"$tmp/in/f$(printf %02d $n).bin"
done
echo hidden >"$tmp/in/.hidden"
echo nested >"$tmp/in/sub/nested.bin"
short=$(find "$tmp/in" -maxdepth 1 -name 'f*.bin' -size -16c | wc -l)

# 1. The whole directory, in parallel.
out=$("$hermes" -d "$dev" run "$dir/xor_sum.s" --jobs 6 --out-dir "$tmp/out" "$tmp/in" 2>&1)
rc=$?
echo "$out"
[[ $rc -eq 0 ]] || fail "batch exited $rc"
grep -Eq "^files +$n$" <<<"$out" || fail "summary does not count $n files"
grep -Eq "^failed +0$" <<<"$out" || fail "summary does not say 0 failed"
grep -Eq "jobs/s" <<<"$out" || fail "no jobs/s in the summary"
grep -Eq "engine 0 " <<<"$out" || fail "no per-engine line"
[[ $(ls -A "$tmp/out" | wc -l) -eq $n ]] || fail "expected $n outputs, got $(ls -A "$tmp/out" | wc -l)"
for f in "$tmp"/in/f*.bin; do
  b=$(basename "$f")
  "$hermes" -d ref run "$dir/xor_sum.s" --data "$f" --out "$tmp/ref/$b" >/dev/null || fail "ref run of $b"
  cmp "$tmp/out/$b" "$tmp/ref/$b" || fail "output of $b differs from the single ref run"
done
echo "ok: $n outputs equal single runs on ref"

# 1b. A card with hardware queues runs them all there (at most 4 KiB each);
# --register-path keeps them on the command registers, same outputs.
if [[ $dev != ref ]] && grep -Eq "^path " <<<"$out"; then
  grep -Eq "^path +$n jobs through the hardware queue, 0 through" <<<"$out" || fail "not every job took the hardware queue"
  out=$("$hermes" -d "$dev" run "$dir/xor_sum.s" --jobs 6 --register-path --out-dir "$tmp/out3" "$tmp/in" 2>&1)
  [[ $? -eq 0 ]] || fail "batch --register-path: $out"
  grep -Eq "^path +0 jobs through the hardware queue, $n through" <<<"$out" || fail "--register-path: $out"
  for f in "$tmp"/in/f*.bin; do
    cmp "$tmp/out3/$(basename "$f")" "$tmp/ref/$(basename "$f")" || fail "--register-path output of $f"
  done
  echo "ok: the hardware queue and the register path give the same $n outputs"
fi

# 2. Files named one by one, JSON summary, one job in flight.
out=$("$hermes" -d "$dev" run "$dir/xor_sum.s" --jobs 1 --json --out-dir "$tmp/out2" "$tmp"/in/f0*.bin 2>&1)
rc=$?
echo "$out"
[[ $rc -eq 0 ]] || fail "batch --jobs 1 exited $rc"
grep -q '"files": 9, "failed": 0' <<<"$out" || fail "JSON summary"
for f in "$tmp"/in/f0*.bin; do
  cmp "$tmp/out2/$(basename "$f")" "$tmp/ref/$(basename "$f")" || fail "--jobs 1 output of $f"
done

# 3. Failing jobs: exit 1, each named with its fault, the others still written.
rm -f "$tmp"/out/*
out=$("$hermes" -d "$dev" run "$dir/xor_or_fault.s" --jobs 4 --out-dir "$tmp/out" "$tmp/in" 2>&1)
rc=$?
echo "$out"
[[ $rc -eq 1 ]] || fail "a batch with failures exited $rc, expected 1"
grep -Eq "^failed +$short$" <<<"$out" || fail "summary does not say $short failed"
grep -Eq "f03.bin: eBPF error: load out of bounds at pc 1" <<<"$out" || fail "the fault of f03.bin is not reported"
[[ $(ls -A "$tmp/out" | wc -l) -eq $((n - short)) ]] || fail "outputs of the successful jobs"
cmp "$tmp/out/f17.bin" "$tmp/ref/f17.bin" || fail "output of a successful job in a failing batch"

# 4. Two inputs with the same name would overwrite each other's output.
cp "$tmp/in/f01.bin" "$tmp/dup/f02.bin"
out=$("$hermes" -d "$dev" run "$dir/xor_sum.s" --jobs 2 --out-dir "$tmp/out" "$tmp/in/f02.bin" "$tmp/dup/f02.bin" 2>&1)
rc=$?
echo "$out"
[[ $rc -eq 2 ]] || fail "duplicate output names: exit $rc, expected 2"
grep -q "would write the same output file" <<<"$out" || fail "duplicate names message"
echo "ok: batch on $dev"
