#!/bin/sh
# maps.sh HERMES OBJ IN - the exact text of `hermes run --repeat/--dump-maps`
# and `hermes map` on ref for tests/cli/maps_counter.c with input "5"
# (byte 0x35: counts[1], seen[0x35]).
set -u
hermes=$1 obj=$2 in=$3
fail=0
check() { # NAME EXPECTED CMD...
	name=$1 want=$2
	shift 2
	# instruction counts depend on the clang that built OBJ
	got=$("$@" 2>&1 | sed -E 's/^insns +[0-9]+$/insns   N/; s/, [0-9]+ instructions/, N instructions/; s/"insns": [0-9]+/"insns": N/')
	if [ "$got" != "$want" ]; then
		printf 'FAIL %s: %s\n--- expected\n%s\n--- got\n%s\n' "$name" "$*" "$want" "$got"
		fail=1
	else
		echo "ok $name"
	fi
}

check repeat "status  0 (success)
r0      0x3 (3)
insns   N
cycles  0
engine  0
runs    3
trace   run 1: byte 53 count 1 cpu 0
trace   run 2: byte 53 count 2 cpu 0
trace   run 3: byte 53 count 3 cpu 0" "$hermes" -d ref run "$obj" --data "$in" --repeat 3

check dump_table "status  0 (success)
r0      0x1 (1)
insns   N
cycles  0
engine  0
trace   byte 53 count 1 cpu 0

map counts: array, key 4 bytes, value 8 bytes, max_entries 4
  key       value
  00000000  0000000000000000
  01000000  0100000000000000
  02000000  0000000000000000
  03000000  0000000000000000
map seen: hash, key 4 bytes, value 8 bytes, max_entries 16, 1 present
  key       value
  35000000  0100000000000000
map pc: percpu_array, key 4 bytes, value 4 bytes, max_entries 2, a value per engine (0 to 3)
  key       values
  00000000  02000000 00000000 00000000 00000000
  01000000  00000000 00000000 00000000 00000000" "$hermes" -d ref run "$obj" --data "$in" --dump-maps

check map_ops "update counts key 01000000 value 2900000000000000
run 1: status 0 (success), r0 0x2a (42), N instructions
trace byte 53 count 42 cpu 0
lookup counts key 01000000 value 2a00000000000000
next seen key 35000000
delete seen key 35000000
map seen: hash, key 4 bytes, value 8 bytes, max_entries 16, 0 present
  key       value" "$hermes" -d ref map "$obj" --data "$in" update counts 01000000 2900000000000000 run \
	lookup counts 01000000 next seen delete seen 35000000 dump seen

check map_json '{"op": "run", "run": 1, "status": 0, "r0": 1, "insns": N, "trace": ["byte 53 count 1 cpu 0"], "trace_lost": 0}
{"op": "dump", "map": "seen", "entries": [{"key": "35000000", "value": "0100000000000000"}]}
{"op": "update", "map": "pc", "key": "01000000", "values": ["01000000", "02000000", "03000000", "04000000"]}
{"op": "lookup", "map": "pc", "key": "01000000", "values": ["01000000", "02000000", "03000000", "04000000"]}' \
	"$hermes" -d ref map "$obj" --json --data "$in" run dump seen update pc 01000000 01000000020000000300000004000000 lookup pc 01000000

exit $fail
