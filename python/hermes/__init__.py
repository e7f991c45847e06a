# SPDX-License-Identifier: MIT
"""hermes - drive a Hermes eBPF card from Python, over the installed libhermes.

The module is plain ctypes over libhermes.so (hermes/hermes.h): nothing is
compiled when it is installed. Every failing call raises HermesError, an
OSError carrying the library's errno and its sentence saying what was wrong.

    import hermes
    with hermes.Device("sim") as dev:
        prog = hermes.Program.load("hello.o")
        res = dev.run(prog, b"some input", out_len=16)
        print(res.r0, res.insns, res.output)

The library is looked up as $HERMES_LIBRARY (a path), then as
"libhermes.so.<ABI>" and "libhermes.so" on the dynamic linker's path.
"""

import ctypes
import errno as _errno
import os
import weakref

__all__ = [
    "HermesError", "Device", "Program", "RunResult", "Info", "Queue", "Job",
    "Completion", "STATUS", "FAULT", "QUEUE_ORDERED", "QUEUE_NO_PROG_CACHE", "QUEUE_REGISTER_PATH",
    "JOB_LINK", "JOB_SLOT", "library_path",
]

# The soname's version: bumped with every incompatible change of the structs below.
ABI_VERSION = 0

EHBLD_LEN = 48
QUEUE_MAX_ENGINES = 16

QUEUE_ORDERED = 1 << 0
QUEUE_NO_PROG_CACHE = 1 << 1
QUEUE_REGISTER_PATH = 1 << 2  # command registers only, also on a card with hardware queues
JOB_LINK = 1 << 0
JOB_SLOT = 1 << 1

STATUS = {
    0: "success", 1: "no free slot", 2: "invalid program slot", 3: "invalid data slot",
    4: "invalid address", 5: "eBPF error", 6: "invalid opcode",
}
FAULT = {
    0: "none", 1: "load out of bounds", 2: "store out of bounds or to code",
    3: "jump/fetch outside the program", 4: "illegal instruction",
    5: "instruction budget exhausted", 6: "call depth exceeded", 7: "aborted by host",
    8: "unknown helper", 9: "bad helper argument",
}


class HermesError(OSError):
    """A libhermes call failed: .errno is the (positive) errno, .strerror the library's sentence."""

    def __init__(self, err, message, call=None):
        err = abs(int(err))
        msg = message or os.strerror(err)
        super().__init__(err, msg)
        self.call = call

    def __str__(self):
        name = _errno.errorcode.get(self.errno, str(self.errno))
        where = f"{self.call}: " if self.call else ""
        return f"{where}{self.strerror} ({name})"


# ---------------------------------------------------------------- C structs
size_t = ctypes.c_size_t
u8, u32, u64 = ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint64


class _Info(ctypes.Structure):
    _fields_ = [
        ("version", u32), ("build", ctypes.c_char * (EHBLD_LEN + 1)),
        ("engines", u8), ("prog_slots", u8), ("data_slots", u8),
        ("prog_slot_off", u32), ("prog_slot_size", u32),
        ("data_slot_off", u32), ("data_slot_size", u32),
        ("caps", u32), ("max_insns", u32),
        ("h2c_channels", u8), ("c2h_channels", u8),
    ]


class _ProgOpts(ctypes.Structure):
    _fields_ = [("sz", size_t), ("section", ctypes.c_char_p)]


class _RunOpts(ctypes.Structure):
    _fields_ = [("sz", size_t), ("engine", ctypes.c_int), ("max_insns", u64),
                ("timeout_ms", ctypes.c_uint), ("data_len", u32)]


class _RunResult(ctypes.Structure):
    _fields_ = [("status", ctypes.c_uint), ("r0", u64), ("insns", u64), ("cycles", u64),
                ("engine", ctypes.c_int), ("cause", ctypes.c_uint), ("pc", u32), ("addr", u64)]


class _QueueOpts(ctypes.Structure):
    _fields_ = [("sz", size_t), ("depth", ctypes.c_uint), ("flags", ctypes.c_uint),
                ("engine_mask", u32), ("timeout_ms", ctypes.c_uint), ("prog_cache", ctypes.c_uint)]


class _Job(ctypes.Structure):
    _fields_ = [("prog", ctypes.c_void_p), ("in_", ctypes.c_void_p), ("in_len", size_t),
                ("out", ctypes.c_void_p), ("out_len", size_t), ("data_len", u32),
                ("slot", u32), ("max_insns", u64), ("user_data", u64),
                ("flags", ctypes.c_uint), ("reserved", ctypes.c_uint * 3)]


class _Completion(ctypes.Structure):
    _fields_ = [("user_data", u64), ("res", ctypes.c_int), ("status", ctypes.c_uint),
                ("r0", u64), ("cause", ctypes.c_uint), ("pc", u32), ("addr", u64),
                ("insns", u64), ("cycles", u64), ("engine", ctypes.c_int)]


class _QueueStats(ctypes.Structure):
    _fields_ = [("sz", size_t), ("engines", ctypes.c_uint), ("engine_mask", u32),
                ("submitted", u64), ("completed", u64), ("failed", u64),
                ("clocks", u64), ("wall_ns", u64), ("prog_uploads", u64),
                ("prog_cache_hits", u64), ("bytes_to_card", u64), ("bytes_from_card", u64),
                ("eng_jobs", u64 * QUEUE_MAX_ENGINES), ("eng_cycles", u64 * QUEUE_MAX_ENGINES),
                ("eng_busy_ns", u64 * QUEUE_MAX_ENGINES),
                ("eng_busy_clocks", u64 * QUEUE_MAX_ENGINES), ("hw_jobs", u64)]


# ---------------------------------------------------------------- the library
_lib = None
_lib_path = None


def _candidates():
    env = os.environ.get("HERMES_LIBRARY")
    if env:
        return [env]
    return [f"libhermes.so.{ABI_VERSION}", "libhermes.so"]


def _load():
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    tried = []
    for name in _candidates():
        try:
            lib = ctypes.CDLL(name)
        except OSError as exc:
            tried.append(f"{name}: {exc}")
            continue
        _lib_path = name
        _lib = _declare(lib)
        return _lib
    raise ImportError("hermes: cannot load libhermes (" + "; ".join(tried) +
                      "); install it or set HERMES_LIBRARY to its path")


def library_path():
    """The name or path libhermes was loaded from."""
    _load()
    return _lib_path


def _declare(lib):
    P, I, U = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint
    PP = ctypes.POINTER(ctypes.c_void_p)
    sigs = {
        "hermes_dev_open": (I, [ctypes.c_char_p, PP]),
        "hermes_dev_close": (None, [P]),
        "hermes_dev_errmsg": (ctypes.c_char_p, [P]),
        "hermes_dev_kind": (ctypes.c_char_p, [P]),
        "hermes_dev_info": (I, [P, ctypes.POINTER(_Info)]),
        "hermes_dev_read32": (I, [P, u32, ctypes.POINTER(u32)]),
        "hermes_dev_write32": (I, [P, u32, u32]),
        "hermes_dev_reset": (I, [P]),
        "hermes_prog_load": (I, [ctypes.c_char_p, ctypes.POINTER(_ProgOpts), PP]),
        "hermes_prog_from_bytecode": (I, [ctypes.c_char_p, size_t, PP]),
        "hermes_prog_from_image": (I, [ctypes.c_char_p, size_t, size_t, PP]),
        "hermes_prog_free": (None, [P]),
        "hermes_prog_image": (P, [P]),
        "hermes_prog_image_len": (size_t, [P]),
        "hermes_prog_code_len": (size_t, [P]),
        "hermes_run": (I, [P, P, ctypes.c_char_p, size_t, P, size_t,
                           ctypes.POINTER(_RunOpts), ctypes.POINTER(_RunResult)]),
        "hermes_status_str": (ctypes.c_char_p, [U]),
        "hermes_queue_create": (I, [P, ctypes.POINTER(_QueueOpts), PP]),
        "hermes_queue_destroy": (None, [P]),
        "hermes_queue_submit": (I, [P, ctypes.POINTER(_Job), U]),
        "hermes_queue_reap": (I, [P, ctypes.POINTER(_Completion), U]),
        "hermes_queue_wait": (I, [P, U, I]),
        "hermes_queue_pending": (U, [P]),
        "hermes_queue_errmsg": (ctypes.c_char_p, [P]),
        "hermes_queue_slot_create": (I, [P, ctypes.c_char_p, size_t, ctypes.POINTER(u32)]),
        "hermes_queue_slot_read": (I, [P, u32, size_t, P, size_t]),
        "hermes_queue_slot_destroy": (I, [P, u32]),
        "hermes_queue_get_stats": (I, [P, ctypes.POINTER(_QueueStats)]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _text(b):
    return b.decode("utf-8", "replace") if b else ""


def _dev_error(rc, dev_handle, call):
    return HermesError(rc, _text(_load().hermes_dev_errmsg(dev_handle)), call)


def _bytes(data, what):
    if data is None:
        return b""
    if isinstance(data, str):
        raise TypeError(f"{what} must be bytes-like, not str (encode it first)")
    return bytes(data)


# ---------------------------------------------------------------- programs
class Program:
    """A program image (code, then its globals), ready to run on any device."""

    def __init__(self, handle):
        self._h = handle

    @classmethod
    def load(cls, path, section=None):
        """Load an ELF object, assembly (.s) or raw bytecode file."""
        lib = _load()
        opts = _ProgOpts(ctypes.sizeof(_ProgOpts), section.encode() if section else None)
        h = ctypes.c_void_p()
        rc = lib.hermes_prog_load(os.fsencode(path), ctypes.byref(opts), ctypes.byref(h))
        if rc < 0:
            raise _dev_error(rc, None, "hermes_prog_load")
        return cls(h)

    @classmethod
    def from_bytecode(cls, code):
        """Raw eBPF bytecode: a non-zero multiple of 8 bytes."""
        lib = _load()
        code = _bytes(code, "code")
        h = ctypes.c_void_p()
        rc = lib.hermes_prog_from_bytecode(code, len(code), ctypes.byref(h))
        if rc < 0:
            raise _dev_error(rc, None, "hermes_prog_from_bytecode")
        return cls(h)

    @property
    def image(self):
        lib = _load()
        n = lib.hermes_prog_image_len(self._handle())
        return ctypes.string_at(lib.hermes_prog_image(self._handle()), n)

    @property
    def code_len(self):
        return _load().hermes_prog_code_len(self._handle())

    def _handle(self):
        if not self._h:
            raise ValueError("hermes.Program is closed")
        return self._h

    def close(self):
        if self._h:
            _load().hermes_prog_free(self._h)
            self._h = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------- results
class _Record:
    _names = ()

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        body = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._names)
        return f"{type(self).__name__}({body})"


class Info(_Record):
    _names = ("version", "build", "engines", "prog_slots", "data_slots", "prog_slot_off",
              "prog_slot_size", "data_slot_off", "data_slot_size", "caps", "max_insns",
              "h2c_channels", "c2h_channels")


class RunResult(_Record):
    _names = ("status", "status_str", "r0", "insns", "cycles", "engine", "cause", "pc",
              "addr", "output")

    @property
    def ok(self):
        return self.status == 0


class Completion(_Record):
    _names = ("user_data", "res", "status", "r0", "cause", "pc", "addr", "insns", "cycles",
              "engine", "output")

    @property
    def ok(self):
        return self.res == 0 and self.status == 0


def _fields(struct, names):
    return {n: getattr(struct, n) for n in names}


# ---------------------------------------------------------------- devices
class Device:
    """An open device: "sim[:opts]", "xdma:/dev/xdma0" (or an xdma-fuse mount), "ref".
    None opens $HERMES_DEVICE, else "sim"."""

    def __init__(self, uri=None):
        lib = _load()
        h = ctypes.c_void_p()
        rc = lib.hermes_dev_open(uri.encode() if uri is not None else None, ctypes.byref(h))
        if rc < 0:
            raise _dev_error(rc, None, "hermes_dev_open")
        self._h = h
        self._queues = weakref.WeakSet()  # closed before the device

    def _handle(self):
        if not self._h:
            raise ValueError("hermes.Device is closed")
        return self._h

    def _check(self, rc, call):
        if rc < 0:
            raise _dev_error(rc, self._h, call)
        return rc

    @property
    def kind(self):
        return _text(_load().hermes_dev_kind(self._handle()))

    def info(self):
        raw = _Info()
        self._check(_load().hermes_dev_info(self._handle(), ctypes.byref(raw)), "hermes_dev_info")
        names = [n for n in Info._names if n != "build"]
        return Info(build=_text(raw.build), **_fields(raw, names))

    def read32(self, off):
        val = u32()
        self._check(_load().hermes_dev_read32(self._handle(), off, ctypes.byref(val)),
                    "hermes_dev_read32")
        return val.value

    def write32(self, off, val):
        self._check(_load().hermes_dev_write32(self._handle(), off, val), "hermes_dev_write32")

    def reset(self):
        self._check(_load().hermes_dev_reset(self._handle()), "hermes_dev_reset")

    def run(self, prog, input=b"", out_len=0, engine=-1, max_insns=0, timeout_ms=0, data_len=0):
        """Run prog once on a data slot holding input; return a RunResult whose output holds
        the first out_len bytes of the data slot after the run. A fault is a result
        (status 5 with cause and pc), not an exception; an exception means the run could
        not be done."""
        data = _bytes(input, "input")
        out = ctypes.create_string_buffer(out_len) if out_len else None
        opts = _RunOpts(ctypes.sizeof(_RunOpts), engine, max_insns, timeout_ms, data_len)
        res = _RunResult()
        self._check(_load().hermes_run(self._handle(), prog._handle(), data, len(data),
                                       out, out_len, ctypes.byref(opts), ctypes.byref(res)),
                    "hermes_run")
        return RunResult(status_str=_text(_load().hermes_status_str(res.status)),
                         output=out.raw if out is not None else b"",
                         **_fields(res, [n for n in RunResult._names
                                         if n not in ("status_str", "output")]))

    def queue(self, depth=0, flags=0, engine_mask=0, timeout_ms=0, prog_cache=0):
        return Queue(self, depth, flags, engine_mask, timeout_ms, prog_cache)

    def close(self):
        for q in list(getattr(self, "_queues", ())):
            q.close()
        if getattr(self, "_h", None):
            _load().hermes_dev_close(self._h)
            self._h = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------- queues
class Job:
    """One job of a queue: run prog on input, return out_len bytes of the data slot."""

    def __init__(self, prog, input=b"", out_len=0, user_data=0, max_insns=0, data_len=0,
                 flags=0, slot=0):
        self.prog, self.input, self.out_len = prog, _bytes(input, "input"), out_len
        self.user_data, self.max_insns, self.data_len = user_data, max_insns, data_len
        self.flags, self.slot = flags, slot


class Queue:
    """Many jobs on all of a card's engines at once (io_uring style). The queue keeps the
    buffers of jobs in flight alive until their completions are reaped."""

    def __init__(self, dev, depth=0, flags=0, engine_mask=0, timeout_ms=0, prog_cache=0):
        opts = _QueueOpts(ctypes.sizeof(_QueueOpts), depth, flags, engine_mask, timeout_ms,
                          prog_cache)
        h = ctypes.c_void_p()
        rc = _load().hermes_queue_create(dev._handle(), ctypes.byref(opts), ctypes.byref(h))
        if rc < 0:
            raise _dev_error(rc, dev._h, "hermes_queue_create")
        self._dev, self._h = dev, h
        dev._queues.add(self)
        self._inflight = {}   # user_data -> (input buffer, output buffer, program)

    def _handle(self):
        if not self._h:
            raise ValueError("hermes.Queue is closed")
        return self._h

    def _error(self, rc, call):
        return HermesError(rc, _text(_load().hermes_queue_errmsg(self._h)), call)

    def submit(self, jobs):
        """Queue jobs (a list of Job); return how many were accepted (whole chains)."""
        jobs = list(jobs)
        if not jobs:
            return 0
        arr = (_Job * len(jobs))()
        keep = []
        for i, job in enumerate(jobs):
            if job.user_data in self._inflight:
                raise ValueError(f"user_data {job.user_data} is already in flight on this queue")
            inp = ctypes.create_string_buffer(job.input, len(job.input)) if job.input else None
            out = ctypes.create_string_buffer(job.out_len) if job.out_len else None
            keep.append((job.user_data, (inp, out, job.prog)))
            arr[i] = _Job(job.prog._handle(), ctypes.cast(inp, ctypes.c_void_p) if inp else None,
                          len(job.input), ctypes.cast(out, ctypes.c_void_p) if out else None,
                          job.out_len, job.data_len, job.slot, job.max_insns, job.user_data,
                          job.flags)
        rc = _load().hermes_queue_submit(self._handle(), arr, len(jobs))
        if rc < 0:
            raise self._error(rc, "hermes_queue_submit")
        for user_data, bufs in keep[:rc]:
            self._inflight[user_data] = bufs
        return rc

    def reap(self, max=64):
        """Completions ready now (without blocking), as a list of Completion."""
        arr = (_Completion * max)()
        rc = _load().hermes_queue_reap(self._handle(), arr, max)
        if rc < 0:
            raise self._error(rc, "hermes_queue_reap")
        done = []
        for c in arr[:rc]:
            _inp, out, _prog = self._inflight.pop(c.user_data, (None, None, None))
            done.append(Completion(output=out.raw if out is not None else b"",
                                   **_fields(c, [n for n in Completion._names if n != "output"])))
        return done

    def wait(self, min=1, timeout_ms=-1):
        """Block until at least min completions are ready; return how many are."""
        rc = _load().hermes_queue_wait(self._handle(), min, timeout_ms)
        if rc < 0:
            raise self._error(rc, "hermes_queue_wait")
        return rc

    @property
    def pending(self):
        return _load().hermes_queue_pending(self._handle())

    def run_all(self, jobs, timeout_ms=-1):
        """Submit jobs and return all their completions (in completion order)."""
        jobs = list(jobs)
        done, i = [], 0
        while i < len(jobs) or self.pending:
            if i < len(jobs):
                try:
                    i += self.submit(jobs[i:])
                except HermesError as exc:
                    if exc.errno != _errno.EAGAIN:
                        raise
            if self.pending:
                self.wait(1, timeout_ms)
                done.extend(self.reap())
        return done

    def stats(self):
        raw = _QueueStats()
        raw.sz = ctypes.sizeof(_QueueStats)
        rc = _load().hermes_queue_get_stats(self._handle(), ctypes.byref(raw))
        if rc < 0:
            raise self._error(rc, "hermes_queue_get_stats")
        out = {n: getattr(raw, n) for n, _ in _QueueStats._fields_ if n != "sz"}
        for n in ("eng_jobs", "eng_cycles", "eng_busy_ns", "eng_busy_clocks"):
            out[n] = list(out[n])  # indexed by engine number
        return out

    def close(self):
        if getattr(self, "_h", None):
            _load().hermes_queue_destroy(self._h)
            self._h = None
            self._inflight.clear()

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
