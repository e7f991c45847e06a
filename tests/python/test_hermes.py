# SPDX-License-Identifier: MIT
"""pytest for the hermes Python module, run by `make test` (ctest -R python) over the
libhermes.so of the build (HERMES_LIBRARY) or of an installed tree."""

import errno
import os
import struct
import subprocess

import pytest

import hermes


def insn(op, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", op, (src << 4) | dst, off, imm)


EXIT = insn(0x95)
RET_42 = insn(0xB7, 0, imm=42) + EXIT                        # mov r0, 42; exit
RET_LEN = insn(0xBF, 0, 2) + EXIT                            # mov r0, r2; exit
FIRST_BYTE = insn(0x71, 0, 1) + EXIT                         # ldxb r0, [r1]; exit
STORE_7 = insn(0x72, 1, imm=7) + insn(0xB7, 0, imm=1) + EXIT  # stb [r1], 7; mov r0, 1; exit
NULL_LOAD = insn(0xB7, 0) + insn(0x71, 0, 0) + EXIT          # ldxb r0, [0] -> fault 1
LOOP = insn(0x05, off=-1) + EXIT                             # ja -1: runs out of budget

DEVICES = ["sim", "ref"]


@pytest.fixture(params=DEVICES)
def dev(request):
    with hermes.Device(request.param) as d:
        yield d


def test_library_loaded():
    assert "hermes" in hermes.library_path()


def test_info_sim():
    with hermes.Device("sim") as d:
        info = d.info()
        assert d.kind == "sim"
        assert info.version == 1
        assert info.build.startswith("hermes-")
        assert info.engines >= 1
        assert info.data_slot_size > 0
        assert d.read32(0x00) == 1  # EHVER over BAR0


def test_run_result_fields(dev):
    with hermes.Program.from_bytecode(RET_42) as prog:
        res = dev.run(prog)
        assert res.ok and res.status_str == "success"
        assert res.r0 == 42
        assert res.insns == 2


def test_input_reaches_the_program(dev):
    with hermes.Program.from_bytecode(FIRST_BYTE) as prog:
        assert dev.run(prog, b"\x9c rest").r0 == 0x9C
    with hermes.Program.from_bytecode(RET_LEN) as prog:
        assert dev.run(prog, bytes(300)).r0 == 300
        assert dev.run(prog, b"abc", data_len=2).r0 == 2


def test_output_comes_back():
    with hermes.Device("sim") as d, hermes.Program.from_bytecode(STORE_7) as prog:
        res = d.run(prog, b"\x01\x02\x03", out_len=3)
        assert res.output == b"\x07\x02\x03"


def test_fault_is_a_result_not_an_exception(dev):
    with hermes.Program.from_bytecode(NULL_LOAD) as prog:
        res = dev.run(prog)
        assert res.status == 5 and not res.ok
        assert res.cause == 1 and hermes.FAULT[res.cause] == "load out of bounds"
        assert res.pc == 1


def test_budget(dev):
    with hermes.Program.from_bytecode(LOOP) as prog:
        res = dev.run(prog, max_insns=100)
        assert res.status == 5 and res.cause == 5


def test_bad_bytecode_raises_with_message():
    with pytest.raises(hermes.HermesError) as exc:
        hermes.Program.from_bytecode(b"\x00" * 7)
    assert exc.value.errno == errno.EINVAL
    assert exc.value.strerror  # the library's sentence


def test_missing_file_names_it(tmp_path):
    missing = tmp_path / "nope.o"
    with pytest.raises(hermes.HermesError) as exc:
        hermes.Program.load(missing)
    assert exc.value.errno == errno.ENOENT
    assert "nope.o" in str(exc.value)


def test_bad_device_uri():
    with pytest.raises(hermes.HermesError) as exc:
        hermes.Device("nosuchkind:x")
    assert "nosuchkind" in str(exc.value)


def test_str_input_is_refused():
    with hermes.Device("ref") as d, hermes.Program.from_bytecode(RET_42) as prog:
        with pytest.raises(TypeError):
            d.run(prog, "text")


def test_closed_objects_refuse_use():
    d = hermes.Device("ref")
    d.close()
    with pytest.raises(ValueError):
        d.info()
    p = hermes.Program.from_bytecode(RET_42)
    p.close()
    with pytest.raises(ValueError):
        p.image


def test_program_image_roundtrip():
    with hermes.Program.from_bytecode(RET_42) as prog:
        assert prog.image == RET_42
        assert prog.code_len == len(RET_42)


def test_elf_program(tmp_path):
    src = tmp_path / "sum.c"
    src.write_text(
        "unsigned long sum(unsigned char *p, unsigned long n)\n"
        "{ unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += p[i]; return s; }\n")
    obj = tmp_path / "sum.o"
    subprocess.run(["clang", "-O2", "-target", "bpf", "-ffreestanding", "-c", str(src),
                    "-o", str(obj)], check=True)
    data = bytes(range(200))
    with hermes.Device("sim") as d, hermes.Program.load(obj) as prog:
        assert d.run(prog, data).r0 == sum(data)


def test_queue_batch_matches_single_runs():
    with hermes.Device("sim") as d, hermes.Program.from_bytecode(FIRST_BYTE) as first, \
            hermes.Program.from_bytecode(NULL_LOAD) as bad:
        q = d.queue(depth=32)
        jobs = [hermes.Job(first, bytes([i, 1, 2]), out_len=2, user_data=i) for i in range(20)]
        jobs.append(hermes.Job(bad, b"", user_data=1000))
        done = {c.user_data: c for c in q.run_all(jobs, timeout_ms=60000)}
        assert sorted(done) == list(range(20)) + [1000]
        for i in range(20):
            assert done[i].ok and done[i].r0 == i and done[i].output == bytes([i, 1])
        assert done[1000].res == 0 and done[1000].status == 5 and done[1000].cause == 1
        st = q.stats()
        assert st["submitted"] == 21 and st["completed"] == 21 and st["failed"] == 1
        assert sum(st["eng_jobs"]) == 21
        assert st["hw_jobs"] == 21, "the default card's hardware queue runs them"
        q.close()


def test_queue_register_path_gives_the_same_results():
    with hermes.Device("sim") as d, hermes.Program.from_bytecode(FIRST_BYTE) as first:
        q = d.queue(depth=8, flags=hermes.QUEUE_REGISTER_PATH)
        jobs = [hermes.Job(first, bytes([i, 7]), out_len=2, user_data=i) for i in range(6)]
        done = {c.user_data: c for c in q.run_all(jobs, timeout_ms=60000)}
        for i in range(6):
            assert done[i].ok and done[i].r0 == i and done[i].output == bytes([i, 7])
        assert q.stats()["hw_jobs"] == 0
        q.close()


def test_queue_on_ref_is_refused_with_message():
    with hermes.Device("ref") as d:
        with pytest.raises(hermes.HermesError) as exc:
            d.queue()
        assert exc.value.errno in (errno.ENOTSUP, errno.EOPNOTSUPP)


def test_device_close_closes_its_queues():
    d = hermes.Device("sim")
    q = d.queue()
    d.close()
    with pytest.raises(ValueError):
        q.pending
