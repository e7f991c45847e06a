#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""public_symbols.py HEADER... : the functions the public headers declare, one per line
(static inline helpers excluded): what an installed libhermes.so must export, no more,
no less (tests/install/check_installed.sh compares it with `nm -D`)."""

import re
import sys

DECL = re.compile(r"(?:^|[;}\s])(?!static\b)[A-Za-z_][\w \t\*]*?\b(hermes_[a-z0-9_]+)\s*\(", re.M)


def declared(paths):
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)    # comments
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"^\s*#.*?(?<!\\)$", " ", text, flags=re.M | re.S)  # preprocessor lines
        # drop static inline function bodies: they are not exported
        text = re.sub(r"static\s+inline[^;{]*\{[^}]*\}", " ", text)
        for stmt in text.split(";"):
            stmt = stmt.strip()
            m = re.match(r"^(?:extern\s+)?(?:const\s+)?[A-Za-z_][\w\s\*]*?\b(hermes_[a-z0-9_]+)\s*\(", stmt,
                         re.S)
            if m and not stmt.startswith(("typedef", "struct", "enum", "union")) or \
                    m and re.match(r"^(?:const\s+)?(?:struct|enum|union)\s+\w+\s*\*", stmt):
                names.add(m.group(1))
    return sorted(names)


def main(argv):
    names = declared(argv[1:])
    if not names:
        sys.exit("public_symbols.py: no hermes_* function declared in " + " ".join(argv[1:]))
    print("\n".join(names))


if __name__ == "__main__":
    main(sys.argv)
