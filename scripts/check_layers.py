#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_layers.py - libhermes calls only downwards between its layer folders.

Usage: check_layers.py SRC_DIR LAYER,LAYER,... OBJECT_OR_ARCHIVE...
       check_layers.py --self-test

SRC_DIR holds one folder per layer (host/src); the layers are named bottom
first. Each object file belongs to the layer whose folder holds the source
of the same name (errors.c.o -> base/errors.c). A symbol an object needs
(nm: undefined) and another layer's object defines is a call between those
layers, allowed only from a higher layer to a lower one. A quoted #include
of a header in a higher layer's folder is refused the same way. Prints
every edge that goes up (a cycle between folders has one) and exits 1;
0 when none does. --self-test builds a two-layer tree with cc and checks
that a call downwards passes and a call upwards fails.
"""
import os
import re
import subprocess
import sys


def layer_of_sources(src_dir, layers):
    where = {}
    for layer in layers:
        d = os.path.join(src_dir, layer)
        if not os.path.isdir(d):
            sys.exit(f"check_layers: no folder {d} for layer '{layer}'")
        for name in os.listdir(d):
            if name in where:
                sys.exit(f"check_layers: {name} is in both {where[name]}/ and {layer}/")
            where[name] = layer
    return where


def symbols(path):
    """{object name: (defined, needed)} of an object file or a static archive."""
    out = subprocess.run(["nm", "-P", "-A", path], capture_output=True, text=True, check=True).stdout
    objs = {}
    for line in out.splitlines():
        where, _, rest = line.partition(": ")
        parts = rest.split()
        if len(parts) < 2:
            continue
        m = re.search(r"\[([^\]]+)\]$", where)
        obj = m.group(1) if m else os.path.basename(where)
        defined, needed = objs.setdefault(obj, (set(), set()))
        name, kind = parts[0], parts[1]
        if kind == "U":
            needed.add(name)
        elif kind.isupper():
            defined.add(name)
    return objs


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as t:
        src = os.path.join(t, "src")
        for layer, name, text in (("low", "low.c", "int high(void);\nint low(void) { return UP; }\n"),
                                  ("high", "high.c", "int low(void);\nint high(void) { return low(); }\n")):
            os.makedirs(os.path.join(src, layer), exist_ok=True)
            with open(os.path.join(src, layer, name), "w") as f:
                f.write(text)
        rcs = []
        for up in ("0", "high()"):
            objs = []
            for layer, name in (("low", "low.c"), ("high", "high.c")):
                obj = os.path.join(t, name + ".o")
                subprocess.run(["cc", "-c", f"-DUP={up}", os.path.join(src, layer, name), "-o", obj], check=True)
                objs.append(obj)
            rcs.append(main(["check_layers.py", src, "low,high"] + objs))
    if rcs != [0, 1]:
        print(f"check_layers: self-test failed: downward call gave {rcs[0]} (want 0), upward call {rcs[1]} (want 1)")
        return 1
    print("check_layers: self-test passed: a call downwards passes, a call upwards fails")
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) < 4:
        sys.exit(__doc__)
    src_dir, layers, objs = argv[1], argv[2].split(","), argv[3:]
    rank = {l: i for i, l in enumerate(layers)}
    where = layer_of_sources(src_dir, layers)
    owner, needs, count = {}, [], 0
    for path in objs:
        for obj, (defined, needed) in symbols(path).items():
            src = re.sub(r"\.(o|obj)$", "", obj)
            if src not in where:
                sys.exit(f"check_layers: object {obj} of {path} has no source in {src_dir}/LAYER/")
            count += 1
            for s in defined:
                owner[s] = (where[src], src)
            needs.append((where[src], src, needed))
    bad = []
    for layer, src, needed in needs:
        for s in sorted(needed):
            if s in owner and rank[owner[s][0]] > rank[layer]:
                bad.append(f"{layer}/{src} calls {s} of {owner[s][0]}/{owner[s][1]} (a higher layer)")
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for name, layer in sorted(where.items()):
        with open(os.path.join(src_dir, layer, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = inc.match(line)
                if m and m.group(1) in where and rank[where[m.group(1)]] > rank[layer]:
                    bad.append(f"{layer}/{name}:{n} includes {where[m.group(1)]}/{m.group(1)} (a higher layer)")
    for b in bad:
        print("check_layers:", b)
    if bad:
        print(f"check_layers: {len(bad)} upward dependencies; layers, bottom first: {' < '.join(layers)}")
        return 1
    print(f"check_layers: {count} objects, {len(layers)} layers, every call and include goes down")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
