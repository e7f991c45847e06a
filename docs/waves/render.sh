#!/bin/sh
# render.sh HERMES [OUT.png] - the screenshot in docs/DEBUGGING.md, rendered
# headless from a real trace: runs sum_fault.s on the simulated card with
# --itrace, takes the clock of its last retired instruction, traces the
# clocks around it and has GTKWave (under xvfb-run) draw engine.gtkw there.
# Needs the Debian packages gtkwave, xvfb and imagemagick.
set -eu
hermes=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here/engine-fault.png}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'hello, hermes!' > "$tmp/in.txt"
"$hermes" -d sim run "$here/sum_fault.s" --data "$tmp/in.txt" --itrace > "$tmp/itrace.txt" || true
# The last retire line: "   CLOCK ENG PC ...".
last=$(grep -v '^#' "$tmp/itrace.txt" | awk '$1 ~ /^[0-9]+$/ { c = $1 } END { print c }')
[ -n "$last" ] || { echo "render.sh: no retired instruction in the trace" >&2; exit 1; }
"$hermes" -d sim run "$here/sum_fault.s" --data "$tmp/in.txt" \
	--trace "$tmp/run.fst" --trace-window $((last - 100)):$((last + 40)) > /dev/null 2>&1 || true
# Clock c is at 4c ns: 24 clocks up to a few after the fault, the marker
# on the last retire (the fault itself shows in EX a little earlier).
cat > "$tmp/view.tcl" <<TCL
gtkwave::setZoomRangeTimes $((4 * (last - 16))) $((4 * (last + 8)))
gtkwave::setMarker $((4 * last))
TCL
xvfb-run -a -s "-screen 0 1600x1000x24" sh -c \
	"gtkwave -a '$here/engine.gtkw' -S '$tmp/view.tcl' '$tmp/run.fst' > '$tmp/gtkwave.log' 2>&1 & p=\$!;
	 sleep 6; import -window root '$tmp/shot.png'; kill \$p"
# Drop the hierarchy browser on the left.
convert "$tmp/shot.png" -crop 1320x1000+280+0 +repage "$out"
echo "render.sh: $out (clocks $((last - 16)) to $((last + 8)), marker at clock $last)"
