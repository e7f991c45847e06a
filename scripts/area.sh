#!/bin/sh
# area.sh "RTL FILES" LABEL:TOP[:PARAM=VALUE,...]...
#
# Synthesises each module for Xilinx UltraScale+ with yosys and measures
# its netlist with area_netlist.py (docs/AREA.md: the flow, what is counted,
# what a "level" is). Writes to $AREA_OUT (default build/area):
#   LABEL.json         figures of one module
#   LABEL.netlist.json.gz, LABEL.log, LABEL.stat   the synthesis run
#   area.json          {"flow", "yosys", "modules": [LABEL.json...]}
#   area.md            the same as a markdown table (also printed)
# Synthesis is cached: a module is synthesised again only when its key
# changes, a hash of the yosys version and script, the spec, and the
# contents of the package files and of every file defining a module of its
# hierarchy (listed in LABEL.deps by its last run). The netlist is measured
# on every call (seconds). AREA_FORCE=1 ignores the cache. The run fails
# when a module has a path deeper than AREA_MAX_LEVELS (default 8; 0: no
# check), naming it, after writing every result.
set -eu
[ $# -ge 2 ] || { echo "usage: area.sh \"RTL FILES\" LABEL:TOP[:PARAMS]..." >&2; exit 2; }
rtl=$1
shift
out=${AREA_OUT:-build/area}
netlist_py="$(cd "$(dirname "$0")" && pwd)/area_netlist.py"
# One flow for every module (docs/AREA.md says why -abc9). rvfi_* ports
# (retire records for the simulator) are cut: a card leaves them open.
synth="synth_xilinx -family xcup -flatten -abc9 -noiopad -noclkbuf"
cut_ports="rvfi_*"
yosys_version=$(yosys -V)
mkdir -p "$out"
abs_out=$(cd "$out" && pwd)

pkgs=$(for f in $rtl; do case $f in *_pkg.sv) echo "$f";; esac; done)

# cache_key LABEL SCRIPT ROOT: hash of the yosys version and script and of
# the sources (under ROOT) the last run of LABEL depended on.
cache_key() {
  [ -f "$out/$1.deps" ] || { echo none; return; }
  {
    echo "$yosys_version"
    echo "$2"
    for f in $pkgs $(cat "$out/$1.deps"); do
      echo "== $f"
      cat "$3/$f" 2>/dev/null || echo "(missing)"
    done
  } | sha256sum | cut -d' ' -f1
}

# deps_of LOG: files among the RTL that define a module of the hierarchy.
deps_of() {
  # shellcheck disable=SC2016,SC2086
  mods=$(sed -n 's/^Used module: *\\\(\$paramod\\\)\{0,1\}\([A-Za-z0-9_]*\).*/\2/p;
                 s/^Top module: *\\\([A-Za-z0-9_]*\).*/\1/p' "$1" | sort -u)
  for m in $mods; do
    # shellcheck disable=SC2086
    grep -l -E "^[[:space:]]*module[[:space:]]+$m([^A-Za-z0-9_]|\$)" $rtl || true
  done | sort -u
}

ran=0
results=""
for spec in "$@"; do
  label=${spec%%:*}; rest=${spec#*:}; top=${rest%%:*}
  params=""; [ "$rest" = "$top" ] || params=${rest#*:}
  results="$results $out/$label.json"
  chparams=""; macros=""
  for kv in $(echo "$params" | tr ',' ' '); do
    case ${kv%%=*} in
      # macro=MODULE: MODULE stays a black box (a memory that a vendor tool
      # maps to URAM/BRAM; area_netlist.py counts its primitives).
      macro) macros="$macros ${kv#*=}"; chparams="$chparams blackbox ${kv#*=};" ;;
      *) chparams="$chparams chparam -set ${kv%%=*} ${kv#*=} $top;" ;;
    esac
  done
  script="read_verilog -sv $rtl; $chparams hierarchy -top $top; proc;
    delete -port $top/w:$cut_ports; $synth -top $top;
    tee -q -o stat.txt stat; write_json netlist.json"

  key=$(cache_key "$label" "$script" .)
  if [ "${AREA_FORCE:-0}" = 1 ] || [ ! -f "$out/$label.netlist.json.gz" ] ||
     [ ! -f "$out/$label.key" ] || [ "$key" != "$(cat "$out/$label.key")" ]; then
    echo "area: $label: synthesising $top${params:+ ($params)}..." >&2
    rm -f "$out/$label.key" "$out/$label.netlist.json.gz"
    # Synthesise a snapshot of the sources, so that the key stays true to
    # what was synthesised if someone edits the RTL meanwhile.
    snap="$out/$label.src"
    rm -rf "$snap"; mkdir -p "$snap"
    # shellcheck disable=SC2086
    cp --parents $rtl "$snap"
    start=$(date +%s)
    if ! (cd "$snap" && nice yosys -q -l "$abs_out/$label.log" -p "$script") >/dev/null 2>&1; then
      echo "area: yosys failed for $label, see $out/$label.log:" >&2
      grep -m 5 ERROR "$out/$label.log" >&2 || true
      exit 1
    fi
    echo "$(( $(date +%s) - start ))" > "$out/$label.seconds"
    mv "$snap/stat.txt" "$out/$label.stat"
    gzip -c "$snap/netlist.json" > "$out/$label.netlist.json.gz"
    deps_of "$out/$label.log" > "$out/$label.deps"
    cache_key "$label" "$script" "$snap" > "$out/$label.key"
    rm -rf "$snap"
    ran=$((ran + 1))
  else
    echo "area: $label: sources unchanged, measuring the cached netlist" >&2
  fi

  # berkeley-abc 1.01 aborts in &mfs on some designs; yosys's abc9 script
  # writes the mapping before &mfs, so the netlist is the &if mapping alone.
  note=""
  if grep -q 'Warning: ABC: execution .* failed' "$out/$label.log"; then
    note="ABC aborted in its last optimisation (&mfs, $label.log); the mapping before it is used"
  fi
  # shellcheck disable=SC2086
  python3 "$netlist_py" measure "$out/$label.netlist.json.gz" "$top" \
    --label "$label" --params "$params" --seconds "$(cat "$out/$label.seconds")" \
    --note "$note" $(for m in $macros; do echo "--macro $m"; done) > "$out/$label.json.tmp"
  mv "$out/$label.json.tmp" "$out/$label.json"
done

# shellcheck disable=SC2086
python3 "$netlist_py" table --flow "$synth" --yosys "$yosys_version" \
  --json "$out/area.json" $results > "$out/area.md"
cat "$out/area.md"
echo "area: $ran synthesised, results in $out/area.md and $out/area.json" >&2

# The depth check: every register-to-register path at most AREA_MAX_LEVELS
# levels (default 8, about what a 250 MHz clock allows on UltraScale+;
# docs/AREA.md), else fail naming each module's deepest path. 0: no check.
max_levels=${AREA_MAX_LEVELS:-8}
if [ "$max_levels" != 0 ]; then
  # shellcheck disable=SC2086
  python3 - "$max_levels" $results <<'PY'
import json, sys
limit, over = int(sys.argv[1]), 0
for path in sys.argv[2:]:
    m = json.load(open(path))
    if m["levels"] > limit:
        over += 1
        print("area: FAIL: %s: %d levels > %d: %s -> %s" % (m["label"], m["levels"], limit, m["start"], m["end"]),
              file=sys.stderr)
if over:
    print("area: %d module(s) deeper than %d levels (AREA_MAX_LEVELS=0 skips the check)" % (over, limit),
          file=sys.stderr)
sys.exit(1 if over else 0)
PY
fi
