#!/usr/bin/env python3
"""Resource counts and logic depth of a flat Xilinx netlist (yosys write_json).

area_netlist.py measure NETLIST.json TOP [--label L --params P --seconds S]
                [--ends N] [--net REGEX]
    -> the figures of one module, one JSON object on stdout; with --ends,
       the deepest path into each of the N deepest boundaries ("ends"),
       with --net, how deep the named nets settle ("nets")
area_netlist.py table --flow F --yosys V --json OUT.json RESULT.json...
    -> markdown table on stdout, all results in OUT.json

Logic depth, the timing proxy: the deepest path between timing boundaries
(module ports, flip-flops, block RAM, DSP, the write side and the SRL/LUT RAM
storage), counted in levels:
  - a LUT is one level (it and the route to it cost about the same);
  - a carry chain is one level however long it is: the first carry cell of a
    path costs one, one reached through CI from another costs nothing (the
    dedicated carry route is ~10x faster than a LUT plus a route). yosys 0.23
    emits CARRY4 also for UltraScale+ (Vivado packs two into a CARRY8);
  - MUXF7/F8/F9 cost nothing: the slice's wide-LUT muxes, no route between;
  - a LUT RAM or SRL read (address to data out) is one level.
Block RAM and DSP48E2 are boundaries whatever their internal registers; their
clock-to-out and setup are not counted. "cells" is the number of LUT, MUXF
and carry cells on the same path (the way Vivado counts logic levels).

A memory macro (--macro MODULE: a module the flow kept as a black box, as
the card's slot-memory banks, too large for yosys to map in reasonable time)
is a boundary too, and is counted as the UltraScale+ URAM288 blocks (4K x 72
bits, byte write enables) a vendor tool maps it to: ceil(width / 72) x
ceil(depth / 4096), width from its read-data port, depth from its DEPTH
parameter (else 2^address bits).
"""
import argparse
import gzip
import json
import re
import sys
from collections import defaultdict

FF_TYPES = {"FDRE", "FDSE", "FDCE", "FDPE", "LDCE", "LDPE"}
HARD_TYPES = {"RAMB18E2", "RAMB36E2", "DSP48E2", "URAM288", "URAM288_BASE",
              "BUFG", "BUFGCE", "IBUF", "OBUF", "IOBUF", "OBUFT"}
# LUT RAM primitives and the CLB LUTs each occupies (Vivado's "LUT as Memory").
LUTRAM_LUTS = {"RAM32X1S": 1, "RAM32X1D": 2, "RAM64X1S": 1, "RAM64X1D": 2,
               "RAM128X1S": 2, "RAM128X1D": 4, "RAM256X1S": 4, "RAM256X1D": 8,
               "RAM512X1S": 8, "RAM32M": 4, "RAM64M": 4, "RAM32M16": 8,
               "RAM64M8": 8, "SRL16E": 1, "SRLC16E": 1, "SRLC32E": 1}
CONST_TYPES = {"VCC", "GND"}
LUT_TYPES = {"LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6"}
MUXF_TYPES = {"MUXF7", "MUXF8", "MUXF9"}
CARRY_TYPES = {"CARRY4", "CARRY8"}
LOGIC_TYPES = LUT_TYPES | MUXF_TYPES | CARRY_TYPES | {"INV"}


def die(msg):
    sys.stderr.write("area_netlist: %s\n" % msg)
    sys.exit(1)


def bit_names(module):
    """Readable name for every net bit: a user name over a generated one."""
    names = {}
    for name, net in module["netnames"].items():
        hidden = net.get("hide_name", 0) or name.startswith("$")
        bits = net["bits"]
        for idx, bit in enumerate(bits):
            if isinstance(bit, str):
                continue
            label = name if len(bits) == 1 else "%s[%d]" % (name, idx)
            # A cut port (rvfi_*) names no register: prefer the register.
            rank = (hidden, name.startswith("rvfi_"), len(label), label)
            if bit not in names or rank < names[bit][0]:
                names[bit] = (rank, label)
    return {bit: label for bit, (rank, label) in names.items()}


def rtl_src(cell):
    """The design source line a cell came from ("" for library-made cells).
    A flattened cell lists its instances' lines too: take the narrowest."""
    best = None
    for loc in cell.get("attributes", {}).get("src", "").split("|"):
        path, _, span = loc.rpartition(":")
        if not path or "share/yosys" in path:
            continue
        try:
            first, last = (int(p.split(".")[0]) for p in span.split("-"))
        except ValueError:
            continue
        if best is None or last - first <= best[0]:
            best = (last - first, "%s:%d" % (path, first))
    return best[1] if best else ""


def is_macro(ctype, macros):
    """A cell of a black-boxed module: its name, or yosys's $paramod\\NAME\\..."""
    return any(ctype == m or ctype.startswith("$paramod\\%s\\" % m) for m in macros)


def macro_urams(cell):
    """URAM288 blocks for a black-boxed memory (module docstring)."""
    dirs, conns = cell["port_directions"], cell["connections"]
    width = max((len(b) for p, b in conns.items() if dirs.get(p) == "output"), default=0)
    addr = max((len(b) for p, b in conns.items() if dirs.get(p) == "input" and "addr" in p), default=0)
    depth_param = cell.get("parameters", {}).get("DEPTH")
    depth = int(depth_param, 2) if depth_param else 1 << addr
    if not depth_param:
        m = re.search(r"DEPTH=(\d+)", cell["type"])
        depth = int(m.group(1)) if m else depth
    return -(-width // 72) * -(-depth // 4096)


def comb_arcs(cell, macros=()):
    """(input port, output port, weight) arcs through a cell, or None if the
    cell has no combinational path (a boundary)."""
    ctype = cell["type"]
    if is_macro(ctype, macros):
        return None
    dirs = cell["port_directions"]
    ins = [p for p, d in dirs.items() if d == "input"]
    outs = [p for p, d in dirs.items() if d == "output"]
    if ctype in LUT_TYPES or ctype == "INV":
        return [(i, o, 1) for i in ins for o in outs]
    if ctype in MUXF_TYPES:
        return [(i, o, 0) for i in ins for o in outs]
    if ctype in CARRY_TYPES:
        # CI costs nothing when it comes from the chain (decided per bit).
        return [(i, o, 1) for i in ins for o in outs]
    if ctype in LUTRAM_LUTS:
        addr = [p for p in ins if p.startswith("A") or p.startswith("DPRA")]
        data = [p for p in outs if p != "Q31"]  # Q31: the shift-out, a register
        return [(i, o, 1) for i in addr for o in data]
    if ctype in FF_TYPES or ctype in HARD_TYPES or ctype in CONST_TYPES:
        return None
    die("unknown cell type %s (cell %s): teach area_netlist.py its timing"
        % (ctype, cell.get("name", "?")))


def measure(path, top, macros=(), ends=0, nets=None):
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        design = json.load(f)
    if top not in design["modules"]:
        die("%s: no module %s" % (path, top))
    module = design["modules"][top]
    cells = module["cells"]
    names = bit_names(module)

    counts = defaultdict(int)
    for cell in cells.values():
        counts[cell["type"]] += 1
    lut = sum(counts[t] for t in LUT_TYPES) + counts["INV"]  # INV is a LUT1
    lutram = sum(n * counts[t] for t, n in LUTRAM_LUTS.items())
    ff = sum(counts[t] for t in FF_TYPES)
    bram36 = counts["RAMB36E2"] + counts["RAMB18E2"] / 2
    dsp = counts["DSP48E2"]
    uram = counts["URAM288"] + counts["URAM288_BASE"]
    uram += sum(macro_urams(c) for c in cells.values() if is_macro(c["type"], macros))

    # Bit-level timing graph: driver of every bit, arcs of combinational cells.
    driver = {}
    arcs = defaultdict(list)  # output bit -> [(input bit, weight, cell name)]
    sinks = []                # (bit, description) where a path ends
    for cname, cell in cells.items():
        cell["name"] = cname
        conns = cell["connections"]
        dirs = cell["port_directions"]
        for port, bits in conns.items():
            if dirs.get(port) == "output":
                for idx, bit in enumerate(bits):
                    if not isinstance(bit, str):
                        driver[bit] = (cname, port, idx)
    for cname, cell in cells.items():
        conns = cell["connections"]
        table = comb_arcs(cell, macros)
        if table is None:
            for port, bits in conns.items():
                if cell["port_directions"].get(port) == "input":
                    for idx, bit in enumerate(bits):
                        if not isinstance(bit, str):
                            sinks.append((bit, (cname, port, idx)))
            continue
        comb_in = {i for i, o, w in table}
        for port, bits in conns.items():
            if cell["port_directions"].get(port) == "input" and port not in comb_in:
                for idx, bit in enumerate(bits):
                    if not isinstance(bit, str):
                        sinks.append((bit, (cname, port, idx)))
        for iport, oport, weight in table:
            ibits = conns.get(iport, [])
            obits = conns.get(oport, [])
            for oi, obit in enumerate(obits):
                if isinstance(obit, str):
                    continue
                for ii, ibit in enumerate(ibits):
                    if isinstance(ibit, str):
                        continue
                    carry = cell["type"] in CARRY_TYPES
                    # Bit i of S/DI reaches only the carry outputs >= i.
                    if carry and iport in ("S", "DI") and ii > oi:
                        continue
                    w = weight
                    if carry and iport == "CI":
                        src = driver.get(ibit)
                        if src and cells[src[0]]["type"] in CARRY_TYPES:
                            w = 0
                    arcs[obit].append((ibit, w, cname))
    for pname, port in module["ports"].items():
        if port["direction"] in ("output", "inout"):
            for idx, bit in enumerate(port["bits"]):
                if not isinstance(bit, str):
                    sinks.append((bit, ("port", pname, idx)))

    # Longest path over the DAG of combinational arcs, by (levels, cells).
    depth = {}
    pred = {}
    onstack = set()
    loops = 0

    def cost(cname, w):
        t = cells[cname]["type"]
        return (w, 1 if t in LOGIC_TYPES else 0)

    def solve(root):
        nonlocal loops
        stack = [(root, 0)]
        while stack:
            bit, state = stack.pop()
            if state == 0:
                if bit in depth:
                    continue
                onstack.add(bit)
                stack.append((bit, 1))
                for ibit, w, cname in arcs.get(bit, ()):
                    if ibit in onstack:
                        loops += 1
                    elif ibit not in depth:
                        stack.append((ibit, 0))
            else:
                best = (0, 0)
                how = None
                for ibit, w, cname in arcs.get(bit, ()):
                    if ibit not in depth:
                        continue  # a loop edge, already counted
                    c = cost(cname, w)
                    d = (depth[ibit][0] + c[0], depth[ibit][1] + c[1])
                    if d > best:
                        best, how = d, (ibit, cname)
                depth[bit] = best
                if how:
                    pred[bit] = how
                onstack.discard(bit)

    best = None
    for bit, where in sinks:
        solve(bit)
        if best is None or depth[bit] > best[0]:
            best = (depth[bit], bit, where)

    result = {
        "top": top, "lut": lut, "lutram": lutram, "ff": ff, "bram36": bram36,
        "dsp": dsp, "uram": uram, "carry": counts["CARRY4"] + counts["CARRY8"],
        "cells": {t: n for t, n in sorted(counts.items()) if n},
        "levels": 0, "path_cells": 0, "path": [],
        "start": None, "end": None, "comb_loops": loops,
    }
    if best is None:
        return result

    (levels, ncells), bit, where = best
    hops = []
    b = bit
    while b in pred:
        ibit, cname = pred[b]
        hops.append({"cell": cname, "type": cells[cname]["type"],
                     "out": names.get(b, str(b))})
        b = ibit
    hops.reverse()

    def describe(cname, port, idx, net):
        """A register by its Q net, other cells by name; with the RTL line."""
        cell = cells[cname]
        t = cell["type"]
        if t in FF_TYPES:
            name = names.get(net, "")
            what = "%s (%s %s" % (name if not name.startswith("$") else "register", t, port)
        else:
            what = "%s (%s %s[%d]" % (cname, t, port, idx)
        src = rtl_src(cell)
        return what + (", %s)" % src if src else ")")

    def describe_start(b):
        src = driver.get(b)
        if src is None:
            return "input %s" % names.get(b, str(b))
        return describe(src[0], src[1], src[2], b)

    def describe_end(where, b):
        if where[0] == "port":
            return "output %s" % names.get(b, where[1])
        cname, port, idx = where
        q = cells[cname]["connections"].get("Q", [None])[0]
        return describe(cname, port, idx, q)

    result.update(levels=levels, path_cells=ncells, path=hops,
                  start=describe_start(b), end=describe_end(where, bit))

    def origin(bit):
        while bit in pred:
            bit = pred[bit][0]
        return bit

    if ends:
        # The deepest path into each boundary, a boundary being the RTL
        # line of the register (or RAM, DSP, macro) it ends at, or an
        # output port: the paths a change has to shorten, beside the one.
        deepest = {}
        for bit, where in sinks:
            if where[0] == "port":
                key = "output " + where[1]
            else:
                key = rtl_src(cells[where[0]]) or where[0]
            if key not in deepest or depth[bit] > deepest[key][0]:
                deepest[key] = (depth[bit], bit, where)
        rows = sorted(deepest.items(), key=lambda kv: (kv[1][0], kv[0]), reverse=True)
        result["ends"] = [{"levels": d[0], "cells": d[1], "at": key,
                           "start": describe_start(origin(bit)), "end": describe_end(where, bit)}
                          for key, (d, bit, where) in rows[:ends]]
    if nets:
        # How deep named nets settle (the last bit of each), from where.
        found = []
        for nname, net in sorted(module["netnames"].items()):
            if nname.startswith("$") or not re.search(nets, nname):
                continue
            bits = [b_ for b_ in net["bits"] if not isinstance(b_, str)]
            for b_ in bits:
                solve(b_)
            if bits:
                last = max(bits, key=lambda b_: depth[b_])
                found.append({"net": nname, "levels": depth[last][0],
                              "start": describe_start(origin(last))})
        result["nets"] = found
    return result


def table(args):
    rows = []
    for p in args.results:
        with open(p) as f:
            rows.append(json.load(f))
    with open(args.json, "w") as f:
        json.dump({"flow": args.flow, "yosys": args.yosys, "modules": rows}, f, indent=1)
        f.write("\n")
    out = ["| module | top, parameters | LUT | LUTRAM | FF | BRAM36 | URAM | DSP "
           "| levels (cells) | deepest path: start -> end |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        params = r["params"].replace(",", ", ") or "defaults"
        out.append("| %s | %s %s | %s | %s | %s | %g | %d | %d | %d (%d) | %s -> %s |" % (
            r["label"], r["top"], params, format(r["lut"], ","),
            format(r["lutram"], ","), format(r["ff"], ","), r["bram36"], r.get("uram", 0), r["dsp"],
            r["levels"], r["path_cells"], r["start"], r["end"]))
    notes = ["%s: %s." % (r["label"], r["note"]) for r in rows if r.get("note")]
    out.append("")
    out.extend(notes)
    out.append("%s, `%s`; rvfi_* ports cut. LUTRAM in LUTs; levels: LUTs and "
               "carry chains between registers, BRAM, URAM, DSP, memory macros and ports (docs/AREA.md)."
               % (args.yosys.split(" (")[0], args.flow))
    return "\n".join(out) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="figures of one netlist, as JSON")
    m.add_argument("netlist")
    m.add_argument("top")
    m.add_argument("--label", default="")
    m.add_argument("--params", default="")
    m.add_argument("--seconds", type=int, default=0, help="synthesis run time")
    m.add_argument("--note", default="", help="a remark on the run")
    m.add_argument("--macro", action="append", default=[],
                   help="a black-boxed memory module (counted as URAM288)")
    m.add_argument("--ends", type=int, default=0, metavar="N",
                   help="also list the deepest path into each of the N deepest boundaries")
    m.add_argument("--net", default=None, metavar="REGEX",
                   help="also list how many levels deep the nets named so settle")
    t = sub.add_parser("table", help="markdown table (and JSON) of results")
    t.add_argument("--flow", required=True)
    t.add_argument("--yosys", required=True)
    t.add_argument("--json", required=True, help="write the combined JSON here")
    t.add_argument("results", nargs="+")
    args = parser.parse_args(argv[1:])
    if args.cmd == "measure":
        result = {"label": args.label or args.top, "params": args.params,
                  "synth_seconds": args.seconds, "note": args.note}
        result.update(measure(args.netlist, args.top, args.macro, args.ends, args.net))
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table(args))


if __name__ == "__main__":
    main(sys.argv)
