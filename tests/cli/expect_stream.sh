#!/bin/sh
# expect_stream.sh STATUS STREAM REGEX CMD...
# Runs CMD and passes when it exits with STATUS, its STREAM (stdout or
# stderr) matches the extended regular expression REGEX, and the other
# stream does not (usage goes to one place only).
want=$1 stream=$2 regex=$3
shift 3
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
got=$?
echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"
case $stream in
  stdout) this=$out other=$err ;;
  stderr) this=$err other=$out ;;
  *) echo "FAIL: stream must be stdout or stderr, not '$stream'"; exit 1 ;;
esac
if [ "$got" -ne "$want" ]; then
  echo "FAIL: exit status $got, expected $want"
  exit 1
fi
if ! grep -Eq -- "$regex" "$this"; then
  echo "FAIL: $stream does not match /$regex/"
  exit 1
fi
if grep -Eq -- "$regex" "$other"; then
  echo "FAIL: the other stream matches /$regex/ too"
  exit 1
fi
echo "ok: exit $got, $stream matches /$regex/"
