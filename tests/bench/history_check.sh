#!/bin/sh
# history_check.sh RENDER RAW FIXTURE [PAGE] - the renderer on a page that
# already exists: it must regenerate only what lies between the
# `<!-- bench-report: NAME begin/end -->` markers and keep every other line.
# FIXTURE is a small page with old figures in its blocks and hand-written
# lines inside and between sections; PAGE (docs/BENCHMARKS.md) is rendered
# too, so that the real page's markers stay sound. Checks, each on a fresh
# copy:
#  (a) every line outside the markers is still there, in order, nothing added
#  (b) the figures in the blocks are RAW's now, the old ones gone
#  (c) rendering twice gives the same page (also for a page made from nothing)
#  (d) markers that do not pair up: refused, status not 0, the page and its
#      plot folder as they were, the error names the section and the line
#  (e) a block whose markers are missing is added (with a note), nothing lost
#  (f) --splice queue changes the queue block and nothing else
set -u
render=$1 raw=$2 fixture=$3 page=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# fresh NAME [FILE]: a docs folder $tmp/NAME/docs holding FILE (the fixture) as the page.
fresh() {
	mkdir -p "$tmp/$1/docs"
	cp "${2:-$fixture}" "$tmp/$1/docs/BENCHMARKS.md"
}
# run NAME [ARGS]: the renderer on $tmp/NAME/docs; its stderr in $tmp/NAME/err.
run() {
	d=$1
	shift
	"$render" "$raw" "$tmp/$d/docs" "$@" > "$tmp/$d/out" 2> "$tmp/$d/err"
}
# outside FILE: the lines outside the markers, and "[NAME]" where a block was.
outside() {
	awk '/^<!-- bench-report: [a-z0-9]+ begin -->$/ { inb = 1; next }
		/^<!-- bench-report: [a-z0-9]+ end -->$/ { inb = 0; print "[" $3 "]"; next }
		!inb' "$1"
}
# without BLOCK FILE: FILE with the lines inside BLOCK's markers left out.
without() {
	awk -v b="$1" '$0 == "<!-- bench-report: " b " end -->" { inb = 0 } !inb { print }
		$0 == "<!-- bench-report: " b " begin -->" { inb = 1 }' "$2"
}
# in_order A B: every line of A is in B, in A's order.
in_order() {
	awk 'NR == FNR { a[++n] = $0; next } i < n && $0 == a[i + 1] { i++ } END { exit i != n }' "$1" "$2"
}
# edit NAME SED: the page of $tmp/NAME edited by SED, kept as $tmp/NAME/before.
edit() {
	sed "$2" "$tmp/$1/docs/BENCHMARKS.md" > "$tmp/$1/before"
	cp "$tmp/$1/before" "$tmp/$1/docs/BENCHMARKS.md"
}
# has FILE LINE: FILE holds LINE (a fixed string) as a whole line.
has() { grep -qxF -- "$2" "$1"; }
# line_of FILE LINE: the number of LINE's first line in FILE.
line_of() { grep -nxF -- "$2" "$1" | head -n 1 | cut -d: -f1; }

# (a), (b), (c) on the fixture.
fresh a
if ! run a; then
	bad "rendering the fixture: status not 0: $(cat "$tmp/a/err")"
else
	p=$tmp/a/docs/BENCHMARKS.md
	outside "$fixture" > "$tmp/a/before"
	outside "$p" > "$tmp/a/after"
	if cmp -s "$tmp/a/before" "$tmp/a/after"; then
		ok "(a) every line outside the markers kept, in order"
	else
		bad "(a) the lines outside the markers changed:"
		diff "$tmp/a/before" "$tmp/a/after"
	fi
	bfail=0
	for l in "| alu64 (4 ops) | 0.992 | 4.09 |" \
		"Target: >= 150 M instructions/s on the ALU loop: 328 M, met: yes." \
		"Per-run overhead of going through the device nodes: 1727 us" \
		"| 4 | 32 | 24,826 | 3.985 | 0.996 | 99.4% | 0 |" \
		"Machine: Intel(R) Xeon(R) Processor, 2 cores, 24 GiB, Linux 6.18.44-fc-v657;"; do
		has "$p" "$l" || { bad "(b) no generated line '$l'"; bfail=1; }
	done
	for l in "| alu64 (4 ops) | 0.500 | 8.00 |" "Target: >= 150 M instructions/s on the ALU loop: 1 M, met: **no**." \
		"Per-run overhead of going through the device nodes: 9999 us" "old scale" "old sim" "old pcie" "old area" \
		"Fixed figures: old." "Machine: an old machine, 2026-01-01."; do
		has "$p" "$l" && { bad "(b) the old line '$l' is still there"; bfail=1; }
	done
	[ "$bfail" = 0 ] && ok "(b) the blocks hold RAW's figures, the old ones are gone"
	cp "$p" "$tmp/a/first"
	if run a && cmp -s "$tmp/a/first" "$p"; then
		ok "(c) a second render gives the same page"
	else
		bad "(c) a second render changed the page:"
		diff "$tmp/a/first" "$p"
	fi
fi
mkdir -p "$tmp/new/docs"
if run new && cp "$tmp/new/docs/BENCHMARKS.md" "$tmp/new/first" && run new &&
	cmp -s "$tmp/new/first" "$tmp/new/docs/BENCHMARKS.md"; then
	ok "(c) a page made from nothing renders to itself"
else
	bad "(c) a page made from nothing does not render to itself"
fi
for s in header ipc dma scale ref sim xdma gallery pcie queue area; do
	for e in begin end; do
		[ "$(grep -cxF "<!-- bench-report: $s $e -->" "$tmp/new/first")" = 1 ] ||
			bad "(c) a new page has not one '$s $e' marker"
	done
done

# (d) markers that do not pair up. refused NAME WHAT SECTION LINE SED:
# the fixture edited by SED must be refused with an error naming SECTION and LINE.
refused() {
	fresh "$1"
	sed "$5" "$fixture" > "$tmp/$1/before"
	cp "$tmp/$1/before" "$tmp/$1/docs/BENCHMARKS.md"
	if run "$1"; then
		bad "(d) $2: rendered with status 0"
	elif ! cmp -s "$tmp/$1/before" "$tmp/$1/docs/BENCHMARKS.md"; then
		bad "(d) $2: the page was changed"
	elif [ -e "$tmp/$1/docs/bench" ]; then
		bad "(d) $2: plots were written"
	elif ! grep -q "line $4: .*\"$3\"" "$tmp/$1/err"; then
		bad "(d) $2: the error does not name section $3 and line $4: $(cat "$tmp/$1/err")"
	else
		ok "(d) $2: refused, page untouched: $(cat "$tmp/$1/err")"
	fi
}
area=$(line_of "$fixture" "<!-- bench-report: area begin -->")
dma=$(line_of "$fixture" "<!-- bench-report: dma begin -->")
scale=$(line_of "$fixture" "<!-- bench-report: scale begin -->")
ipc_end=$(line_of "$fixture" "<!-- bench-report: ipc end -->")
refused noend "a begin without its end" area "$area" '/^<!-- bench-report: area end -->$/d'
# With dma's end gone, the scale block begins inside dma's: one line earlier.
refused nested "a block inside another" scale "$((scale - 1))" '/^<!-- bench-report: dma end -->$/d'
refused twice "a block begun twice" ipc "$((ipc_end + 1))" "${ipc_end}p; ${ipc_end}s/end/begin/"
refused stray "an end without its begin" ipc "$((ipc_end - 1))" '/^<!-- bench-report: ipc begin -->$/d'
refused misspelt "a marker with a space after it" dma "$dma" 's/^<!-- bench-report: dma begin -->$/& /'
refused unknown "an unknown section" dmaa "$dma" 's/^<!-- bench-report: dma begin -->$/<!-- bench-report: dmaa begin -->/'

# (e) a block without markers (a page from before them): added, nothing lost.
fresh missing
edit missing '/^<!-- bench-report: scale \(begin\|end\) -->$/d'
if ! run missing; then
	bad "(e) a page without the scale markers: status not 0: $(cat "$tmp/missing/err")"
else
	p=$tmp/missing/docs/BENCHMARKS.md
	sb=$(line_of "$p" "<!-- bench-report: scale begin -->")
	outside "$tmp/missing/before" > "$tmp/missing/outside_before"
	outside "$p" > "$tmp/missing/outside_after"
	if ! in_order "$tmp/missing/outside_before" "$tmp/missing/outside_after"; then
		bad "(e) a line of the page without the scale markers was lost or moved"
	elif [ "$(grep -cxF "<!-- bench-report: scale begin -->" "$p")" != 1 ] || ! has "$p" "<!-- bench-report: scale end -->" ||
		! has "$p" "| 4 | 32 | 24,826 | 3.985 | 0.996 | 99.4% | 0 |"; then
		bad "(e) the scale block was not added once"
	elif [ "$sb" -le "$(line_of "$p" "Hand: between the scale and ref blocks.")" ] ||
		[ "$sb" -ge "$(line_of "$p" "<!-- bench-report: ref begin -->")" ]; then
		bad "(e) the scale block is not right before the ref block (line $sb)"
	elif ! grep -q 'no markers of section "scale"' "$tmp/missing/err"; then
		bad "(e) no note of the added block on stderr"
	else
		ok "(e) the missing scale block added before ref, every line kept: $(cat "$tmp/missing/err")"
	fi
fi
fresh unmarked
edit unmarked '/^<!-- bench-report: [a-z]* \(begin\|end\) -->$/d'
if run unmarked && in_order "$tmp/unmarked/before" "$tmp/unmarked/docs/BENCHMARKS.md" &&
	[ "$(grep -c 'no markers of section' "$tmp/unmarked/err")" = 11 ] &&
	[ "$(grep -c '^<!-- bench-report: [a-z]* begin -->$' "$tmp/unmarked/docs/BENCHMARKS.md")" = 11 ]; then
	ok "(e) a page without any markers: every block added, every line kept"
else
	bad "(e) a page without any markers: $(cat "$tmp/unmarked/err")"
fi

# (f) --splice queue: the queue block regenerated, every other line as it was.
fresh splice
if ! run splice --splice queue; then
	bad "(f) --splice queue: status not 0: $(cat "$tmp/splice/err")"
else
	p=$tmp/splice/docs/BENCHMARKS.md
	without queue "$fixture" > "$tmp/splice/before"
	without queue "$p" > "$tmp/splice/after"
	if ! cmp -s "$tmp/splice/before" "$tmp/splice/after"; then
		bad "(f) --splice queue changed lines outside the queue block:"
		diff "$tmp/splice/before" "$tmp/splice/after"
	elif has "$p" "Fixed figures: old." || ! has "$p" "Not measured: no result in $raw"; then
		bad "(f) --splice queue did not regenerate the queue block"
	else
		ok "(f) --splice queue: only the queue block changed"
	fi
fi
fresh splice_missing
edit splice_missing '/^<!-- bench-report: queue \(begin\|end\) -->$/d'
p=$tmp/splice_missing/docs/BENCHMARKS.md
if run splice_missing --splice queue && [ "$(line_of "$p" "<!-- bench-report: queue end -->")" -lt "$(line_of "$p" "<!-- bench-report: area begin -->")" ] &&
	has "$p" "Fixed figures: old." && has "$p" "old area"; then
	ok "(f) --splice queue on a page without its markers: added before area, the rest kept"
else
	bad "(f) --splice queue on a page without its markers: $(cat "$tmp/splice_missing/err")"
fi

# The real page: its markers pair up and its hand-written lines survive.
if [ -n "$page" ]; then
	fresh real "$page"
	if ! run real; then
		bad "$page: refused: $(cat "$tmp/real/err")"
	elif outside "$page" > "$tmp/real/before" && outside "$tmp/real/docs/BENCHMARKS.md" > "$tmp/real/after" &&
		cmp -s "$tmp/real/before" "$tmp/real/after"; then
		ok "$page: rendered, every line outside the markers kept"
	else
		bad "$page: lines outside the markers changed:"
		diff "$tmp/real/before" "$tmp/real/after"
	fi
fi
[ "$fail" = 0 ] && echo "ok: history kept"
exit "$fail"
