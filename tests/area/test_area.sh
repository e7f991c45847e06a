#!/bin/sh
# test_area.sh SOURCE_DIR WORK_DIR: scripts/area.sh on designs of known
# depth (area_cases.sv): resource counts, levels, path ends, and the cache
# (reused while the sources are unchanged, synthesised again after an edit).
set -eu
src=$1
work=$2
rm -rf "$work"
mkdir -p "$work/rtl"
cp "$src/tests/area/area_cases.sv" "$work/rtl/"
cd "$work"
area="$src/scripts/area.sh"
specs="add64:area_add64 and36:area_and36 lutram:area_lutram comb:area_comb macro:area_macro:macro=area_bigmem"

# shellcheck disable=SC2086
AREA_OUT=out "$area" rtl/area_cases.sv $specs > table1.md 2> run1.err || { cat run1.err; exit 1; }
cat table1.md

python3 - <<'PY'
import json, sys
mods = {m["label"]: m for m in json.load(open("out/area.json"))["modules"]}
fails = 0
def check(label, key, want):
    global fails
    got = mods[label][key]
    ok = (want(got) if callable(want) else got == want)
    print("%-7s %-10s %-50s %s" % (label, key, got, "ok" if ok else "FAIL"))
    fails += not ok
check("add64", "levels", 2)          # LUT + one carry chain of 16 CARRY4
check("add64", "carry", 16)
check("add64", "lut", 64)
check("add64", "ff", 192)
check("add64", "start", lambda s: "FDRE Q" in s and "_q[" in s)
check("add64", "end", lambda s: "sum_o[" in s and "FDRE D" in s)
check("and36", "levels", lambda n: n in (2, 3))  # a tree of LUTs (ABC's choice)
check("and36", "path_cells", mods["and36"]["levels"])  # one level per LUT
check("lutram", "levels", 1)         # the LUT RAM read alone
check("lutram", "lutram", lambda n: n > 0)
check("lutram", "start", lambda s: "raddr_q" in s)
check("comb", "levels", 1)
check("comb", "start", lambda s: s.startswith("input x_i"))
check("comb", "end", lambda s: s == "output y_o")
check("macro", "uram", 4)            # the black-boxed 8192 x 144 memory
check("macro", "levels", 1)          # macro output -> XOR -> register
check("macro", "start", lambda s: "u_mem" in s)
sys.exit(1 if fails else 0)
PY

# Per boundary and per net (area_netlist.py --ends, --net): add64's sum
# register is 2 levels deep, its output port 0; its a_q register settles
# at once.
python3 "$src/scripts/area_netlist.py" measure out/add64.netlist.json.gz area_add64 \
  --ends 5 --net '^a_q$' > ends.json
python3 - <<'PY' || { echo "FAIL: --ends / --net"; exit 1; }
import json, sys
m = json.load(open("ends.json"))
ends = [(e["levels"], e["at"], e["end"]) for e in m["ends"]]
print("ends:", ends)
print("nets:", m["nets"])
ok = (len(ends) == 2 and ends[0][0] == 2 and "FDRE D" in ends[0][2] and "sum_o[" in ends[0][2]
      and ends[1][:2] == (0, "output sum_o") and
      [(n["net"], n["levels"]) for n in m["nets"]] == [("a_q", 0)])
sys.exit(0 if ok else 1)
PY

# The depth check: add64 (2 levels) fails a limit of 1, naming its path;
# the cases pass the default limit (the run above).
if AREA_MAX_LEVELS=1 AREA_OUT=out "$area" rtl/area_cases.sv add64:area_add64 > /dev/null 2> depth.err; then
  cat depth.err; echo "FAIL: a 2-level path passed AREA_MAX_LEVELS=1"; exit 1
fi
cat depth.err
grep -q '^area: FAIL: add64: 2 levels > 1: .*_q\[.* -> .*sum_o\[' depth.err ||
  { echo "FAIL: the depth check does not name the path"; exit 1; }

# Nothing changed: every result comes from the cache.
# shellcheck disable=SC2086
AREA_OUT=out "$area" rtl/area_cases.sv $specs > table2.md 2> run2.err
cat run2.err
grep -q '^area: 0 synthesised' run2.err || { echo "FAIL: unchanged sources synthesised again"; exit 1; }
cmp table1.md table2.md || { echo "FAIL: the cached table differs"; exit 1; }

# An edit of the RTL: synthesised again, and the figures follow it.
sed 's/sum_o <= a_q + b_q;/sum_o <= a_q ^ b_q;/' rtl/area_cases.sv > rtl/edited.sv
mv rtl/edited.sv rtl/area_cases.sv
AREA_OUT=out "$area" rtl/area_cases.sv add64:area_add64 > table3.md 2> run3.err
cat run3.err
grep -q '^area: 1 synthesised' run3.err || { echo "FAIL: an edited source was not synthesised again"; exit 1; }
python3 -c 'import json,sys; m=json.load(open("out/add64.json")); print("after edit: levels", m["levels"], "carry", m["carry"]); sys.exit(0 if m["levels"] == 1 and m["carry"] == 0 else 1)' ||
  { echo "FAIL: figures after the edit"; exit 1; }
echo "test_area: ok"
