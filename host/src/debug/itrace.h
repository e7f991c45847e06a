/* SPDX-License-Identifier: MIT */
/*
 * itrace.h - instruction traces: every instruction a run retires, from the
 * RTL engines' retire ports ("sim") or from the reference VM stepping the
 * program ("ref"), printed one line per instruction in one format for both
 * devices, so that a plain diff of the two finds the first divergence.
 *
 * A line (HERMES_ITRACE_NOCLOCK drops the first column):
 *
 *       clock eng     pc  instruction                       effect
 *         415   0      1  ldxdw %r2, [%r1+8]                r2=0x2a  load.8 [0x20000008] = 0x2a
 *
 * clock: the card clock of the retire (hermes_sim_cycles(), the numbering
 * of --trace-window), "-" on ref. effect: the register written with its
 * full value, then the memory access: load (the raw loaded value), store
 * (the value stored) or atomic (memory afterwards), each with its size.
 */
#ifndef HERMES_ITRACE_H
#define HERMES_ITRACE_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/hermes.h"
#include "sim_io.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HERMES_ITRACE_NO_CLOCK UINT64_MAX

/* One retired instruction of a traced run. */
struct hermes_itrace_rec {
	uint64_t clock;         /* card clock, HERMES_ITRACE_NO_CLOCK on ref */
	unsigned engine;
	struct hermes_retire r;
};

typedef void (*hermes_itrace_fn)(void *ctx, const struct hermes_itrace_rec *rec);

/* Retired instructions kept for a fault report, the latest last. */
#define HERMES_ITRACE_HIST 8

/*
 * The architectural state of the engine that ran, after the run: on a
 * fault, the registers at the faulting instruction (which changes nothing).
 * On "ref" read from the VM; on "sim" rebuilt from the retire stream: the
 * start state (r1 data base, r2 data length, r10 top of frame 0), every
 * register write in order, and r6-r9 saved by each local call and restored
 * by the callee's exit (whose record carries r10 only).
 */
struct hermes_itrace_state {
	int valid;              /* 0: the device has no retire stream (xdma) */
	const char *source;     /* "RTL retire stream" or "reference VM" */
	uint64_t regs[11];
	unsigned depth;         /* call depth (0: the entry function) */
	uint64_t insns;         /* instructions retired */
	size_t nhist;
	struct hermes_itrace_rec hist[HERMES_ITRACE_HIST];
};

/*
 * hermes_itrace_run - hermes_run() that also reports every retired
 * instruction to fn (may be NULL) and fills *state (may be NULL).
 * "sim": the card's retire ports (this replaces any hermes_sim_on_retire
 * callback for the duration of the run); "ref": the reference VM stepped
 * one instruction at a time, with the "ref" device's results and checks
 * (res->engine is the requested engine, or 0). Other devices: without fn
 * a plain hermes_run() with state->valid 0; with fn -ENOTSUP.
 */
int hermes_itrace_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		      const void *in, size_t in_len, void *out, size_t out_len,
		      const struct hermes_run_opts *opts, struct hermes_run_result *res,
		      hermes_itrace_fn fn, void *ctx, struct hermes_itrace_state *state);

/*
 * The state after records[0..n) of one engine's run that started with
 * r2 = data_len: for retire records collected some other way (e.g.
 * hermes_cosim_records() around a run driven by raw commands).
 */
void hermes_itrace_state_rebuild(const struct hermes_retire *records, size_t n, uint32_t data_len,
				 unsigned engine, struct hermes_itrace_state *state);

/* Formatting flags. */
#define HERMES_ITRACE_NOCLOCK 1u  /* no clock column: identical text on sim and ref */

/* A buffer of this many bytes holds any line below. */
#define HERMES_ITRACE_LINE 256

/* The column header line, starting with '#'. */
void hermes_itrace_header(unsigned flags, char *buf, size_t len);

/*
 * One trace line (no newline). The instruction is disassembled from the
 * record's own first slot (what the engine executed) and, for lddw, the
 * program's next slot.
 */
void hermes_itrace_line(const struct hermes_itrace_rec *rec, const struct hermes_prog *prog,
			unsigned flags, char *buf, size_t len);

/* The instruction of a record as assembly text. */
void hermes_itrace_disasm(const struct hermes_retire *r, const struct hermes_prog *prog,
			  char *buf, size_t len);

/* The effect column of a record ("" when it writes nothing). */
void hermes_itrace_effect(const struct hermes_retire *r, char *buf, size_t len);

/* hermes_trace_window_parse(), the trace=...,trace_window=A:B of "sim:", is in sim_io.h. */

#ifdef __cplusplus
}
#endif
#endif
