#!/bin/sh
# load_check.sh BUILD - one round of the figures that must not depend on the
# host's load: the trace tests (a window is exact in card clocks), the card
# timeout tests (timeouts count card time), and the card clocks of a whole
# hermes_run under the PCIe cost model, compared with the first round's.
# Run it N times under busy loops with scripts/under_load.sh (docs/RELIABILITY.md).
set -eu
build=$1
tmp=${TMPDIR:-/tmp}/hermes-load-check
mkdir -p "$tmp"
"$build/tests/debug/test_trace" > "$tmp/trace.log" 2>&1 || { cat "$tmp/trace.log"; exit 1; }
"$build/tests/test_card_abort" > "$tmp/abort.log" 2>&1 || { cat "$tmp/abort.log"; exit 1; }
printf 'mov r0, r2\nexit\n' > "$tmp/len.s"
head -c 300 /dev/zero > "$tmp/in300"
clocks=$("$build/hermes" bench prog "$tmp/len.s" --data "$tmp/in300" --runs 5 --json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["run_clocks_mean"])')
if [ ! -f "$tmp/clocks.first" ]; then echo "$clocks" > "$tmp/clocks.first"; fi
first=$(cat "$tmp/clocks.first")
[ "$clocks" = "$first" ] || { echo "card clocks per run $clocks, first round $first"; exit 1; }
echo "trace, timeouts and card clocks per run ($clocks) as in the first round"
