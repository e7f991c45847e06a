#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the inputs of the examples/maps programs into a folder.

usage: make_inputs.py OUTDIR

One file per program, NAME.in, the same bytes on every machine (seeded
generators, standard library only). Each is 14..3,520 bytes: what the
kernel's XDP test run accepts (tests/kernel/kmaps_run).
"""
import os
import random
import struct
import sys


def histogram(r):
    text = b"Hermes runs eBPF programs with maps. " * 6
    return text + bytes(r.choice((0, 1, 2, 255, r.randrange(256))) for _ in range(300))


def flow_table(r):
    # 12 flows, a few of them busy: inserts, updates, expiries at 4 packets,
    # and drops once the 8-entry table is full.
    flows = [(r.getrandbits(32), r.getrandbits(32), r.randrange(65536), r.randrange(65536),
              r.choice((6, 17))) for _ in range(12)]
    out = b""
    for _ in range(60):
        f = flows[min(int(r.expovariate(0.3)), len(flows) - 1)]
        out += struct.pack("<IIHHBBH", *f, r.randrange(40, 256), 0)
    return out


def percpu_count(r):
    return bytes(r.randrange(256) for _ in range(777))


def wordfreq(r):
    vocab = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "eBPF", "map",
             "hash", "array", "internationalization", "internationalisation", "Hermes"]
    vocab += ["w%s" % "".join(r.choice("abcdefgh") for _ in range(r.randrange(1, 5)))
              for _ in range(40)]
    words = [r.choice(vocab) for _ in range(150)]
    return (" ".join(w if r.randrange(4) else w.upper() for w in words) + ".").encode()[:1000]


def kvstore(r):
    ops = [0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 0x10, 0x10, 0x20, 0x20, 0x30, 0x77]
    out = b""
    for _ in range(200):
        out += struct.pack("<BQQ", r.choice(ops), r.randrange(40), r.getrandbits(64))
    return out


def helpers(r):
    return b"Hermes helpers: " + bytes(r.randrange(256) for _ in range(48))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_inputs.py OUTDIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for seed, gen in enumerate((histogram, flow_table, percpu_count, wordfreq, kvstore, helpers), 1):
        data = gen(random.Random(seed))
        assert 14 <= len(data) <= 3520, (gen.__name__, len(data))
        with open(os.path.join(sys.argv[1], gen.__name__ + ".in"), "wb") as f:
            f.write(data)


main()
