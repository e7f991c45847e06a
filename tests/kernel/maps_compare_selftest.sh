#!/bin/sh
# SPDX-License-Identifier: MIT
# maps_compare_selftest.sh - tests maps_compare.sh itself, before a hermes
# that dumps maps exists: a stand-in "hermes" answers with the kernel's own
# dump (kmaps_run on the kernel build, "cpu" renamed "engine"), so the
# comparison must pass; then a stand-in that changes r0, and one that
# changes a map value, must make it fail. This compares the kernel with
# itself: it checks the test's plumbing, not Hermes.
#
# usage: maps_compare_selftest.sh KMAPS_RUN WORKDIR DIR
set -u
[ $# -eq 3 ] || { echo "usage: maps_compare_selftest.sh KMAPS_RUN WORKDIR DIR"; exit 2; }
run=$1 work=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" || exit 1
stub=$work/hermes
cat > "$stub" <<STUB
#!/bin/sh
# stand-in: hermes -d DEV run OBJ --data IN --engine E --repeat N --dump-maps --json
obj=\$4 in=\$6 engine=\$8 repeat=\${10}
"$run" --data "\$in" --repeat "\$repeat" --cpu "\$engine" "\${obj%.bpf.o}.kern.bpf.o" > "\$obj.stub.json" || exit 1
case "\${STUB_CORRUPT:-}" in
r0) sed 's/"r0": \([0-9]*\)/"r0": 1\1/' "\$obj.stub.json" ;;
value) sed '0,/"value": "\(.\)/s//"value": "f/' "\$obj.stub.json" ;;
*) sed 's/"cpu"/"engine"/' "\$obj.stub.json" ;;
esac
STUB
chmod +x "$stub" || exit 1
for engine in 0 1; do
	[ "$engine" -lt "$(getconf _NPROCESSORS_ONLN)" ] || continue
	ENGINE=$engine sh "$here/maps_compare.sh" "$stub" ref "$run" "$work/same$engine" "$dir" > "$work/same$engine.log"
	rc=$?
	[ $rc -eq 77 ] && { cat "$work/same$engine.log"; exit 77; }
	[ $rc -eq 0 ] || { cat "$work/same$engine.log"; echo "FAIL: equal dumps (engine $engine) did not compare equal"; exit 1; }
done
for what in r0 value; do
	if STUB_CORRUPT=$what sh "$here/maps_compare.sh" "$stub" ref "$run" "$work/bad_$what" "$dir" > "$work/bad_$what.log"; then
		cat "$work/bad_$what.log"; echo "FAIL: a changed $what was not noticed"; exit 1
	fi
	grep -q "^FAIL" "$work/bad_$what.log" || { cat "$work/bad_$what.log"; echo "FAIL: no FAIL line for a changed $what"; exit 1; }
done
echo "maps_compare_selftest: equal dumps pass, a changed r0 or map value fails"
