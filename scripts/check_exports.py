#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_exports.py LIB.so HEADER... - the shared library exports exactly the
functions the public headers declare (static inline ones excepted): prints
what is exported but not declared, or declared but not exported, and exits 1."""
import re
import subprocess
import sys


def declared(headers):
    names = set()
    for h in headers:
        text = open(h, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for m in re.finditer(r"^([^#\n][^\n;{}]*?)\b(hermes_[a-z0-9_]+)\s*\(", text, flags=re.M):
            if "static" not in m.group(1) and "(" not in m.group(1):
                names.add(m.group(2))
    return names


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    return {l.split()[2].split("@")[0] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "TWDBRV"}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    want, got = declared(sys.argv[2:]), exported(sys.argv[1])
    extra, missing = sorted(got - want), sorted(want - got)
    for s in extra:
        print(f"check_exports: {sys.argv[1]} exports {s}, which no public header declares")
    for s in missing:
        print(f"check_exports: {s} is declared in a public header but not exported")
    if extra or missing:
        return 1
    print(f"check_exports: {len(got)} symbols exported, exactly the public API")
    return 0


if __name__ == "__main__":
    sys.exit(main())
