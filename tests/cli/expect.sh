#!/bin/sh
# expect.sh STATUS REGEX CMD... [ENV VAR=VAL...]
# Runs CMD, prints its output, and passes when it exits with STATUS and its
# combined output matches the extended regular expression REGEX.
want=$1 regex=$2
shift 2
cmd=""
for a in "$@"; do
  if [ "$a" = ENV ]; then env_mode=1; continue; fi
  if [ -n "$env_mode" ]; then export "$a"; else cmd="$cmd '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"; fi
done
out=$(eval "$cmd" 2>&1)
got=$?
printf '%s\n' "$out"
if [ "$got" -ne "$want" ]; then
  echo "FAIL: exit status $got, expected $want"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
  echo "FAIL: output does not match /$regex/"
  exit 1
fi
echo "ok: exit $got, output matches /$regex/"
