#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A tour of the hermes Python module, cell by cell, as in a notebook.

    python3 examples/python_walkthrough.py [DEVICE]

DEVICE defaults to "sim" (the simulated card inside libhermes); "ref" is the
reference VM; "xdma:/dev/xdma0" a card (or an xdma-fuse mount). Needs clang
for the C program of cell 3.
"""
import os
import subprocess
import sys
import tempfile

import hermes

uri = sys.argv[1] if len(sys.argv) > 1 else "sim"

# %% 1. Open the device and look at it
dev = hermes.Device(uri)
print("device:", dev.kind, "from", hermes.library_path())
if dev.kind != "ref":
    info = dev.info()
    print(f"  {info.build}: {info.engines} engines, {info.data_slots} data slots of "
          f"{info.data_slot_size} bytes, default budget {info.max_insns} instructions")

# %% 2. A program from raw bytecode: r0 = r2 (the input's length)
length = hermes.Program.from_bytecode(bytes.fromhex("bf20000000000000" "9500000000000000"))
res = dev.run(length, b"twelve bytes")
print("length program:", res.r0, f"({res.insns} instructions, {res.cycles} clocks)")

# %% 3. A C program, compiled for eBPF: count the words of a text
src = r"""
unsigned long words(unsigned char *p, unsigned long n)
{
        unsigned long count = 0, in = 0;
        for (unsigned long i = 0; i < n; i++) {
                int space = p[i] == ' ' || p[i] == '\n' || p[i] == '\t';
                count += !space && !in;
                in = !space;
        }
        return count;
}
"""
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, "words.c"), "w") as f:
    f.write(src)
obj = os.path.join(tmp, "words.o")
subprocess.run(["clang", "-O2", "-target", "bpf", "-ffreestanding", "-c",
                os.path.join(tmp, "words.c"), "-o", obj], check=True)
words = hermes.Program.load(obj)
text = b"the quick brown fox jumps over the lazy dog\n" * 3
res = dev.run(words, text)
print("words on the card:", res.r0, " in Python:", len(text.split()))

# %% 4. A fault is a result, not an exception
crash = hermes.Program.from_bytecode(bytes.fromhex("b700000000000000" "7100000000000000"
                                                   "9500000000000000"))
res = dev.run(crash)
print("fault:", res.status_str, "-", hermes.FAULT[res.cause], "at pc", res.pc,
      "address", hex(res.addr))

# %% 5. An error is an exception carrying the library's sentence
try:
    hermes.Program.load(os.path.join(tmp, "missing.o"))
except hermes.HermesError as exc:
    print("error:", exc)

# %% 6. Many jobs at once on every engine (not on "ref")
if dev.kind != "ref":
    q = dev.queue(depth=64)
    texts = [b"word " * (i + 1) for i in range(40)]
    done = q.run_all([hermes.Job(words, t, user_data=i) for i, t in enumerate(texts)])
    assert all(c.ok and c.r0 == len(texts[c.user_data].split()) for c in done)
    st = q.stats()
    print(f"queue: {st['completed']} jobs, per engine {st['eng_jobs'][:info.engines]}")
    q.close()

dev.close()
__import__("shutil").rmtree(tmp)
