#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Canonical form of a map dump, so two dumps compare with diff.

usage: maps_json.py FILE [--copy N]

FILE holds the JSON that `kmaps_run` or `hermes run --dump-maps --json`
printed (with several JSON documents, one per line, the last one holding
"r0" and the last one holding "maps" count). Prints one JSON document with

  r0     the low 32 bits of r0 (the kernel reports no more)
  maps   map name -> entries sorted by key (hash entries compare as sets;
         array entries are all present anyway), each "KEY VALUE" in hex

A per-CPU (per-engine) entry ("values": [HEX, ...]) keeps only copy N:
--copy N, else the dump's own "cpu" (kmaps_run: the CPU it pinned the runs
to) or "engine" (hermes: the engine that ran). Exits 1 with a sentence on
malformed input.
"""
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


def main():
    args = sys.argv[1:]
    copy = None
    if len(args) == 3 and args[1] == "--copy":
        try:
            copy = int(args[2], 0)
        except ValueError:
            fail("--copy needs a number, got '%s'" % args[2])
        args = args[:1]
    if len(args) != 1:
        fail("usage: maps_json.py FILE [--copy N]")
    path = args[0]
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
    json.dump({"r0": r0 & 0xFFFFFFFF, "maps": out}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main()
