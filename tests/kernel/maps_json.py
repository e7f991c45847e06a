#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Canonical form of a map dump, so two dumps compare with diff.

usage: maps_json.py FILE [--copy N]
       maps_json.py --compare LIST

FILE holds the JSON that `kmaps_run` or `hermes run --dump-maps --json`
printed (with several JSON documents, one per line, the last one holding
"r0" and the last one holding "maps" count). Prints one JSON document with

  r0     the low 32 bits of r0 (the kernel reports no more)
  maps   map name -> entries sorted by key (hash entries compare as sets;
         array entries are all present anyway), each "KEY VALUE" in hex

A per-CPU (per-engine) entry ("values": [HEX, ...]) keeps only copy N:
--copy N, else the dump's own "cpu" (kmaps_run: the CPU it pinned the runs
to) or "engine" (hermes: the engine that ran). A canonical form read back
is unchanged.

--compare LIST: LIST has lines "LABEL A B"; prints "ok LABEL", or a
unified diff of the two canonical forms, per line, and exits 1 when any
pair differs (one process for many pairs: starting Python can cost a
second). Exits 1 with a sentence on malformed input.
"""
import difflib
import json
import sys


def fail(msg):
    sys.stderr.write("maps_json.py: %s\n" % msg)
    sys.exit(1)


def documents(text, path):
    dec = json.JSONDecoder()
    i, docs = 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return docs
        try:
            doc, i = dec.raw_decode(text, i)
        except ValueError as e:
            fail("%s: not JSON at character %d: %s" % (path, i, e))
        docs.append(doc)


def canon(path, copy=None):
    """The canonical form of the dump in path (a dump, or a canonical form)."""
    try:
        with open(path) as f:
            docs = [d for d in documents(f.read(), path) if isinstance(d, dict)]
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    with_r0 = [d for d in docs if "r0" in d]
    with_maps = [d for d in docs if "maps" in d]
    if not with_r0:
        fail("%s: no JSON object with \"r0\"" % path)
    if not with_maps:
        fail("%s: no JSON object with \"maps\" (hermes: needs --dump-maps --json)" % path)
    r0 = with_r0[-1]["r0"]
    if isinstance(r0, str):
        r0 = int(r0, 0)
    if not isinstance(r0, int):
        fail("%s: r0 is not a number: %r" % (path, r0))
    dump = with_maps[-1]
    if copy is None:
        copy = dump.get("cpu", dump.get("engine", with_r0[-1].get("engine")))
    maps = dump["maps"]
    if not isinstance(maps, dict):
        fail("%s: \"maps\" is not an object" % path)
    out = {}
    for name, entries in maps.items():
        if not isinstance(entries, list):
            fail("%s: map %s: not a list of entries" % (path, name))
        lines = []
        for e in entries:
            if isinstance(e, str):  # already canonical
                lines.append(e)
                continue
            if not isinstance(e, dict) or "key" not in e:
                fail("%s: map %s: an entry without \"key\": %r" % (path, name, e))
            if "values" in e:
                if copy is None:
                    fail("%s: map %s is per-CPU but the dump names no cpu or engine (give --copy N)"
                         % (path, name))
                if not 0 <= copy < len(e["values"]):
                    fail("%s: map %s has %d copies, no copy %d" % (path, name, len(e["values"]), copy))
                value = e["values"][copy]
            elif "value" in e:
                value = e["value"]
            else:
                fail("%s: map %s: an entry without \"value\" or \"values\": %r" % (path, name, e))
            lines.append("%s %s" % (e["key"].lower(), value.lower()))
        out[name] = sorted(lines)
    return {"r0": r0 & 0xFFFFFFFF, "maps": out}


def text(c):
    return json.dumps(c, indent=1, sort_keys=True) + "\n"


def compare(listfile):
    """Each line of listfile: LABEL A B. Prints ok or a diff per line."""
    try:
        with open(listfile) as f:
            pairs = [ln.split() for ln in f if ln.strip()]
    except OSError as e:
        fail("cannot read %s: %s" % (listfile, e))
    bad = 0
    for p in pairs:
        if len(p) != 3:
            fail("%s: expected LABEL A B, got %r" % (listfile, " ".join(p)))
        label, a, b = p
        ta, tb = text(canon(a)), text(canon(b))
        if ta == tb:
            print("ok %s" % label)
            continue
        bad += 1
        print("FAIL %s: %s and %s differ (- first, + second):" % (label, a, b))
        sys.stdout.writelines(difflib.unified_diff(ta.splitlines(True), tb.splitlines(True), a, b))
    print("maps_json.py: %d compared, %d differ" % (len(pairs), bad))
    return 1 if bad else 0


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--compare":
        sys.exit(compare(args[1]))
    copy = None
    if len(args) == 3 and args[1] == "--copy":
        try:
            copy = int(args[2], 0)
        except ValueError:
            fail("--copy needs a number, got '%s'" % args[2])
        args = args[:1]
    if len(args) != 1:
        fail("usage: maps_json.py FILE [--copy N] | --compare LIST")
    sys.stdout.write(text(canon(args[0], copy)))


main()
