/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cmds.c - libFuzzer target: random command sequences against the
 * verilated card, checked step by step against a software model of the
 * command processors and the slot allocator (docs/ARCHITECTURE.md "BAR0", commands;
 * docs/REGISTERS.md; rtl/ctrl/hermes_slot_alloc.sv).
 *
 * An input is a list of operations (see enum op): Request/Release Slot,
 * Run Program (good and bad slots, lengths, budgets), invalid opcodes,
 * EHCMDCTRL writes (EXEC, DONE, ABORT, IRQ enable; while idle and while a
 * program runs), raw BAR0 reads and writes anywhere (mapped, unmapped,
 * read-only, misaligned, partial strobes), DMA into and out of BAR4 slots,
 * idle time, waiting, card reset (EHRESET). Every answer the card gives is
 * compared with the model's: bus responses, register values, command
 * results, engine status, user interrupts, slot contents.
 *
 * The model:
 *  - Allocation: the lowest free slot known to be zero; when none is, the
 *    lowest free slot after it is zeroed. The model cannot see the
 *    scrubber, so it knows each free slot as DIRTY (not zero: handed out
 *    only when it is the lowest free slot), CLEAN (zero), MAYBE (being
 *    zeroed: either), WILD (either, for a long time). An answer is right
 *    when it is a free slot, no CLEAN free slot is below it, and it is the
 *    lowest free slot or not DIRTY. Freshly allocated slots read as zero.
 *  - Runs: the reference VM on the model's copy of the slots predicts the
 *    result, the engine status and the data slot afterwards. ABORT and
 *    EXEC/EHCMDREQ writes hit a running engine only while it surely still
 *    runs (fewer clocks since EXEC than the VM's instruction count: an
 *    engine retires at most one instruction a clock); an aborted run must
 *    stop with fault 7 where the VM would after as many instructions.
 *  - A run whose slots are released under it, or which shares its data
 *    slot with another run, is unpredictable: only its status is checked.
 *
 * Any disagreement, and any command that does not complete in time (a
 * hang), aborts with the step, the operation, both answers and the last
 * operations. The card is created once and pin-reset between inputs.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "hermes_sim.h"
#include "map_slot.h"
#include "vm.h"
#include "xdma_drv.h"

#define MAX_OPS 48
#define MAX_SLOTS 32
#define HISTORY 16
#define LINE 64
#define VM_CAP 20000           /* longer runs are "long": they end by ABORT */
#define SURELY_RUNNING_MARGIN 24
#define CMD_CLOCKS 2000000     /* a slot command waiting for zeroing: hang beyond */
#define RESET_CLOCKS 2000000
#define POLL_CLOCKS 8

/* ---- the card ------------------------------------------------------------ */

struct card {
	struct hermes_dev *dev;
	struct hermes_sim *sim;
	struct hermes_info info;
	uint32_t ident[HERMES_EHRESET / 4]; /* identity words 0x00-0x4C */
	struct hermes_vm *vm;
};

/* ---- the model ----------------------------------------------------------- */

enum dirt { DIRTY, MAYBE, WILD, CLEAN };
static const char *const dirt_names[] = { "dirty", "maybe", "wild", "clean" };

struct slot {
	int used;
	enum dirt dirt;
	int touched;             /* zeroed or written since the pin reset, surely */
	unsigned lines;          /* bound on the lines written since it was zeroed */
	int known;               /* shadow holds the slot's contents */
	uint8_t *shadow;         /* slot size bytes */
	/* Program slots: the map slot that goes with it (docs/MAPS.md), zeroed
	 * with it; known while every run on it was predicted. */
	int map_known;
	uint8_t *map;            /* HERMES_DEFAULT_MAP_SLOT_SIZE bytes */
};

struct run {
	int active;
	int predictable;
	int is_long;             /* the VM reached VM_CAP: ends only by ABORT */
	int aborted;
	int full_lines;          /* may write anywhere in the data slot */
	uint64_t start;          /* clock of EXEC */
	unsigned prog, data;
	uint32_t prog_len, data_len;
	uint64_t budget;
	struct hermes_vm_status st;
	uint8_t *before;         /* data slot at the start (for ABORT) */
	uint8_t *map_before;     /* map slot at the start, trace count zeroed */
};

struct engine {
	uint32_t req[8];
	int busy, done, irq_en, last_fault;
	uint16_t res_id;
	uint8_t res_status;
	uint64_t res_data;
	int res_known;
	uint64_t insns;
	uint32_t fault_pc, fault_cause;
	uint64_t fault_addr;
	int stat_known;
	struct run run;
};

struct model {
	struct engine eng[HERMES_MODEL_MAX_ENGINES];
	struct slot slots[2][MAX_SLOTS]; /* [HERMES_SLOT_PROG / _DATA] */
	unsigned nslots[2];
	uint32_t slot_size[2];
	uint32_t slot_off[2];
	unsigned resets;         /* card resets since the pin reset */
};

static struct card card;
static struct model model;

/* ---- reporting ----------------------------------------------------------- */

static char history[HISTORY][160];
static unsigned step;

static int verbose = -1; /* HERMES_FUZZ_VERBOSE=1: print every operation */

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(history[step % HISTORY], sizeof(history[0]), fmt, ap);
	va_end(ap);
	if (verbose < 0)
		verbose = getenv("HERMES_FUZZ_VERBOSE") && atoi(getenv("HERMES_FUZZ_VERBOSE"));
	if (verbose)
		fprintf(stderr, "%3u @%" PRIu64 ": %s\n", step, hermes_sim_cycles(card.sim),
			history[step % HISTORY]);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_cmds: step %u (%s), clock %" PRIu64 ":\n  ", step,
		history[step % HISTORY], hermes_sim_cycles(card.sim));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  last operations:\n");
	for (unsigned i = step >= HISTORY ? step - HISTORY + 1 : 0; i <= step; i++)
		fprintf(stderr, "    %3u: %s\n", i, history[i % HISTORY]);
	abort();
}

/* ---- bus access ---------------------------------------------------------- */

static int bar0_read(uint32_t off, uint32_t *val)
{
	int resp = hermes_sim_bar0_read(card.sim, off, val);

	if (resp < 0)
		fail("BAR0 read at 0x%04x: no response (bus hung)", off);
	return resp;
}

static int bar0_write(uint32_t off, uint32_t val, unsigned strb)
{
	int resp = hermes_sim_bar0_write(card.sim, off, val, strb);

	if (resp < 0)
		fail("BAR0 write at 0x%04x: no response (bus hung)", off);
	return resp;
}

static uint32_t read_ok(uint32_t off)
{
	uint32_t v;
	int resp = bar0_read(off, &v);

	if (resp != HERMES_SIM_OKAY)
		fail("BAR0 read at 0x%04x: RTL answers %d, model expects OKAY", off, resp);
	return v;
}

static void write_ok(uint32_t off, uint32_t val, unsigned strb)
{
	int resp = bar0_write(off, val, strb);

	if (resp != HERMES_SIM_OKAY)
		fail("BAR0 write 0x%08x (strobes 0x%x) at 0x%04x: RTL answers %d, model expects OKAY",
		     val, strb, off, resp);
}

static void expect32(const char *what, uint32_t off, uint32_t rtl, uint32_t want)
{
	if (rtl != want)
		fail("%s (0x%04x): RTL 0x%08x, model 0x%08x", what, off, rtl, want);
}

/* Turn the completion interrupts on at the XDMA IRQ block (reset clears them). */
static void enable_user_irqs(void)
{
	if (hermes_sim_bar2_write(card.sim, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xffff, 0xf))
		fail("BAR2 write of the user interrupt enables refused");
}

/* ---- input --------------------------------------------------------------- */

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t word(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)byte(in) << (8 * i);
	return v;
}

static uint64_t dword(struct input *in)
{
	uint64_t lo = word(in);

	return lo | (uint64_t)word(in) << 32;
}

/* ---- model helpers ------------------------------------------------------- */

static unsigned slot_lines(int type)
{
	return model.slot_size[type] / LINE;
}

static uint64_t slot_addr(int type, unsigned s)
{
	return (uint64_t)model.slot_off[type] + (uint64_t)s * model.slot_size[type];
}

static int lowest_free(int type)
{
	for (unsigned s = 0; s < model.nslots[type]; s++)
		if (!model.slots[type][s].used)
			return (int)s;
	return -1;
}

/* An allocated slot, or (1 in 8, or when none is) any byte. */
static unsigned pick_slot(struct input *in, int type)
{
	unsigned b = byte(in), used[MAX_SLOTS], n = 0;

	for (unsigned s = 0; s < model.nslots[type]; s++)
		if (model.slots[type][s].used)
			used[n++] = s;
	if (n && (b & 7))
		return used[(b >> 3) % n];
	return (b & 8) ? b >> 4 : byte(in);
}

static int slot_in_run(int type, unsigned s, int except_engine)
{
	for (unsigned e = 0; e < card.info.engines; e++) {
		const struct run *r = &model.eng[e].run;

		if ((int)e != except_engine && r->active &&
		    (type == HERMES_SLOT_PROG ? r->prog : r->data) == s)
			return 1;
	}
	return 0;
}

/* Clocks the engine surely still runs for (0: it may have ended). */
static int surely_running(unsigned e)
{
	const struct run *r = &model.eng[e].run;
	uint64_t elapsed = hermes_sim_cycles(card.sim) - r->start;

	if (!r->active)
		return 0;
	if (r->is_long)
		return 1;
	return r->predictable && !r->aborted && elapsed + SURELY_RUNNING_MARGIN < r->st.insns;
}

/* ---- command completion -------------------------------------------------- */

static void check_irq(unsigned e)
{
	const struct engine *m = &model.eng[e];
	unsigned rtl = hermes_sim_usr_irq(card.sim) >> e & 1, want = m->done && m->irq_en;

	if (rtl != want)
		fail("engine %u user interrupt: RTL %u, model %u (DONE %d, IRQ enable %d)", e, rtl, want,
		     m->done, m->irq_en);
}

/* Check EHCMDRES and EHENGSTAT of an idle engine against the model. */
static void check_result_regs(unsigned e)
{
	const struct engine *m = &model.eng[e];
	uint32_t res = HERMES_EHCMDRES(e), stat = HERMES_EHENGSTAT(e);
	uint32_t w0 = read_ok(res), lo = read_ok(res + 8), hi = read_ok(res + 12);
	uint64_t data = lo | (uint64_t)hi << 32;

	if (m->res_known) {
		expect32("EHCMDRES word 0 (id, status)", res, w0, m->res_id | (uint32_t)m->res_status << 16);
		if (data != m->res_data)
			fail("engine %u EHCMDRES data: RTL 0x%016" PRIx64 ", model 0x%016" PRIx64, e, data,
			     m->res_data);
	} else {
		expect32("EHCMDRES id", res, w0 & 0xffff, m->res_id);
		if (w0 >> 16 != HERMES_ST_SUCCESS && w0 >> 16 != HERMES_ST_EBPF_ERROR)
			fail("engine %u: unpredictable run ended with status %u, not 0 or 5", e, w0 >> 16);
	}
	expect32("EHCMDRES word 1", res + 4, read_ok(res + 4), 0);
	uint32_t state = read_ok(stat + HERMES_STAT_STATE);
	if (!m->res_known) {
		if (state != ((w0 >> 16) == HERMES_ST_EBPF_ERROR ? HERMES_STATE_FAULT : HERMES_STATE_IDLE))
			fail("engine %u: EHENGSTAT state %u after status %u", e, state, w0 >> 16);
		return;
	}
	expect32("EHENGSTAT state", stat, state, m->last_fault ? HERMES_STATE_FAULT : HERMES_STATE_IDLE);
	if (!m->stat_known)
		return;
	uint64_t insns = read_ok(stat + HERMES_STAT_INSNS) |
			 (uint64_t)read_ok(stat + HERMES_STAT_INSNS + 4) << 32;
	uint64_t cycles = read_ok(stat + HERMES_STAT_CYCLES) |
			  (uint64_t)read_ok(stat + HERMES_STAT_CYCLES + 4) << 32;
	uint64_t addr = read_ok(stat + HERMES_STAT_FAULT_ADDR) |
			(uint64_t)read_ok(stat + HERMES_STAT_FAULT_ADDR + 4) << 32;
	if (insns != m->insns)
		fail("engine %u EHENGSTAT retired instructions: RTL %" PRIu64 ", model %" PRIu64, e, insns,
		     m->insns);
	if (cycles < insns)
		fail("engine %u EHENGSTAT: %" PRIu64 " cycles for %" PRIu64 " instructions", e, cycles, insns);
	expect32("EHENGSTAT fault pc", stat + HERMES_STAT_FAULT_PC, read_ok(stat + HERMES_STAT_FAULT_PC),
		 m->fault_pc);
	expect32("EHENGSTAT fault cause", stat + HERMES_STAT_FAULT_CAUSE,
		 read_ok(stat + HERMES_STAT_FAULT_CAUSE), m->fault_cause);
	if (addr != m->fault_addr)
		fail("engine %u EHENGSTAT fault address: RTL 0x%" PRIx64 ", model 0x%" PRIx64, e, addr,
		     m->fault_addr);
}

/* The model's engine state once a run ended as st says. */
static void run_ended(unsigned e, const struct hermes_vm_status *st)
{
	struct engine *m = &model.eng[e];

	m->res_status = st->fault ? HERMES_ST_EBPF_ERROR : HERMES_ST_SUCCESS;
	m->res_data = st->fault ? (st->fault_pc | (uint64_t)st->fault << 32) : st->r0;
	m->last_fault = st->fault != 0;
	m->insns = st->insns;
	m->fault_pc = st->fault ? st->fault_pc : 0;
	m->fault_cause = st->fault;
	m->fault_addr = st->fault ? st->fault_addr : 0;
	m->res_known = m->stat_known = 1;
}

static void bind_vm(const struct run *r, unsigned e, uint8_t *data)
{
	struct slot *ps = &model.slots[HERMES_SLOT_PROG][r->prog];

	if (hermes_vm_load(card.vm, ps->shadow, r->prog_len, data, r->data_len))
		fail("the reference VM refuses the run (len %u)", r->prog_len);
	/* The map window (0x4000_0000) is the program slot's map slot, as engine e sees it. */
	memcpy(ps->map, r->map_before, HERMES_DEFAULT_MAP_SLOT_SIZE);
	hermes_vm_set_map_slot(card.vm, ps->map, HERMES_DEFAULT_MAP_SLOT_SIZE, e);
}

/* A run the model saw end: compare, then update the data slot's copy. */
static void finish_run(unsigned e)
{
	struct engine *m = &model.eng[e];
	struct run *r = &m->run;
	struct slot *ds = &model.slots[HERMES_SLOT_DATA][r->data];

	if (!r->predictable) {
		m->res_known = m->stat_known = 0;
		m->last_fault = -1;
		if (ds->used)
			ds->known = 0;
	} else if (r->aborted || r->is_long) {
		/* Where did it stop? The VM from the same start: as many steps (aborted), or to its end. */
		uint32_t stat = HERMES_EHENGSTAT(e);
		uint64_t k = read_ok(stat + HERMES_STAT_INSNS) |
			     (uint64_t)read_ok(stat + HERMES_STAT_INSNS + 4) << 32;
		struct hermes_vm_status st;
		struct hermes_retire rec;

		if (r->aborted && !r->is_long && k >= r->st.insns)
			fail("engine %u: aborted after %" PRIu64 " instructions, the VM finishes in %" PRIu64,
			     e, k, r->st.insns);
		memcpy(ds->shadow, r->before, model.slot_size[HERMES_SLOT_DATA]);
		bind_vm(r, e, ds->shadow);
		hermes_vm_reset(card.vm, r->budget);
		if (r->aborted) {
			for (uint64_t i = 0; i < k; i++)
				if (!hermes_vm_step(card.vm, &rec, &st))
					fail("engine %u: the RTL retired %" PRIu64 " instructions, the VM stops after %" PRIu64
					     " (fault %u)", e, k, i, st.fault);
			hermes_vm_abort(card.vm);
			hermes_vm_step(card.vm, &rec, &st);
		} else {
			/*
			 * A long run the host left alone (idle time) ends by its
			 * budget or by itself: the VM runs it to the end too.
			 */
			hermes_vm_run(card.vm, &st);
			if (st.insns != k)
				fail("engine %u: a long run ended after %" PRIu64 " instructions, the VM after %" PRIu64,
				     e, k, st.insns);
		}
		run_ended(e, &st);
	} else {
		run_ended(e, &r->st);
	}
	note("run on engine %u ended: status %u data 0x%" PRIx64 " after %" PRIu64 " instructions%s", e,
	     m->res_status, m->res_data, m->insns,
	     !r->predictable ? " (unpredictable)" : r->aborted ? " (aborted)" : "");
	free(r->before);
	free(r->map_before);
	memset(r, 0, sizeof(*r));
	m->busy = 0;
	m->done = 1;
	check_result_regs(e);
	check_irq(e);
}

/* Read EHCMDCTRL: busy and DONE as the model expects; completes a run. */
static void observe(unsigned e)
{
	struct engine *m = &model.eng[e];
	uint32_t ctrl = read_ok(HERMES_EHCMDCTRL(e));
	unsigned busy = ctrl & 1, done = ctrl >> 8 & 1, irq_en = ctrl >> 24 & 1;

	if (irq_en != (unsigned)m->irq_en || (ctrl & 0xfefefefe))
		fail("engine %u EHCMDCTRL 0x%08x: IRQ enable %u expected, other bits 0", e, ctrl, m->irq_en);
	if (!m->busy) {
		if (busy || done != (unsigned)m->done)
			fail("engine %u idle: EHCMDCTRL busy %u DONE %u, model busy 0 DONE %d", e, busy, done,
			     m->done);
		check_irq(e);
		return;
	}
	if (busy) {
		if (done)
			fail("engine %u: EHCMDCTRL busy and DONE together (0x%08x)", e, ctrl);
		return;
	}
	if (!done)
		fail("engine %u: the command ended without DONE (EHCMDCTRL 0x%08x)", e, ctrl);
	if (!m->run.active)
		fail("engine %u: model error: busy without a run", e);
	finish_run(e);
}

/*
 * A run the model cannot predict may run for EHMAXI instructions: stop it
 * (the ABORT lane alone, so that a DONE it may have set stays).
 */
static void stop_unpredictable(unsigned e)
{
	struct run *r = &model.eng[e].run;

	if (r->active && !r->predictable && !r->aborted) {
		write_ok(HERMES_EHCMDCTRL(e), 1u << 16, 0x4);
		r->aborted = 1;
	}
}

/* Clock until engine e's run ends (hang: more clocks than it can need). */
static void wait_run(unsigned e)
{
	struct run *r = &model.eng[e].run;
	uint64_t limit;

	if (!r->active)
		return;
	stop_unpredictable(e);
	if (r->is_long && !r->aborted)
		fail("engine %u: model error: waiting for a long run without ABORT", e);
	limit = (r->predictable && !r->is_long ? 64 * r->st.insns : 64 * VM_CAP) + 20000;
	for (uint64_t t = hermes_sim_cycles(card.sim); model.eng[e].busy;) {
		observe(e);
		if (!model.eng[e].busy)
			break;
		if (hermes_sim_cycles(card.sim) - t > limit)
			fail("engine %u: the run has not ended after %" PRIu64 " clocks (hang)", e, limit);
		hermes_sim_run(card.sim, POLL_CLOCKS);
	}
}

/* ---- starting commands --------------------------------------------------- */

/* Clock until a command that ends by itself (slot, invalid, refused run) has. */
static uint32_t wait_command(unsigned e, uint64_t limit)
{
	uint64_t t = hermes_sim_cycles(card.sim);
	uint32_t ctrl;

	while ((ctrl = read_ok(HERMES_EHCMDCTRL(e))) & 1) {
		if (hermes_sim_cycles(card.sim) - t > limit)
			fail("engine %u: command 0x%02x has not completed after %" PRIu64 " clocks (hang)", e,
			     model.eng[e].req[0] & 0xff, limit);
		hermes_sim_run(card.sim, POLL_CLOCKS);
	}
	if (!(ctrl >> 8 & 1))
		fail("engine %u: the command ended without DONE (EHCMDCTRL 0x%08x)", e, ctrl);
	return ctrl;
}

static void slot_command(unsigned e, int release, unsigned type, unsigned slot)
{
	struct engine *m = &model.eng[e];
	uint64_t before = hermes_sim_cycles(card.sim);

	wait_command(e, CMD_CLOCKS);
	m->busy = 0;
	m->done = 1;
	m->last_fault = 0;
	m->res_known = 1;
	m->res_data = 0;
	if (type > 1) {
		m->res_status = HERMES_ST_BAD_PROG_SLOT;
	} else if (release) {
		struct slot *s = slot < model.nslots[type] ? &model.slots[type][slot] : NULL;

		if (s && s->used) {
			m->res_status = HERMES_ST_SUCCESS;
			s->used = 0;
			s->touched = 1;
			if (slot_in_run((int)type, slot, -1)) {
				/* Its program may still write it, also after zeroing. */
				s->dirt = WILD;
				for (unsigned k = 0; k < card.info.engines; k++) {
					struct run *r = &model.eng[k].run;

					if (r->active && (type == HERMES_SLOT_PROG ? r->prog : r->data) == slot)
						r->predictable = 0;
				}
			} else {
				s->dirt = MAYBE;
			}
		} else {
			m->res_status = type == HERMES_SLOT_PROG ? HERMES_ST_BAD_PROG_SLOT
								 : HERMES_ST_BAD_DATA_SLOT;
		}
	} else {
		uint32_t w0 = read_ok(HERMES_EHCMDRES(e)), lo = read_ok(HERMES_EHCMDRES(e) + 8);
		int low = lowest_free((int)type);

		if (low < 0) {
			m->res_status = HERMES_ST_NO_SLOT;
		} else {
			unsigned got = lo & 0xff;
			struct slot *s = got < model.nslots[type] ? &model.slots[type][got] : NULL;

			if ((w0 >> 16 & 0xff) != HERMES_ST_SUCCESS || !s || s->used)
				fail("Request Slot type %u: RTL status %u slot %u, model: a free slot (lowest %d)",
				     type, w0 >> 16 & 0xff, got, low);
			for (unsigned t = 0; t < got; t++)
				if (!model.slots[type][t].used && model.slots[type][t].dirt == CLEAN)
					fail("Request Slot type %u: RTL hands out slot %u, free slot %u is known zero",
					     type, got, t);
			if ((int)got != low && s->dirt == DIRTY)
				fail("Request Slot type %u: RTL hands out slot %u, which is not zeroed, over the "
				     "lowest free slot %d (%s)", type, got, low,
				     dirt_names[model.slots[type][low].dirt]);
			if ((int)got != low && model.slots[type][low].dirt == DIRTY) {
				/*
				 * The allocator may have asked for it to be zeroed (when no
				 * slot was clean at first), or not: either, for good.
				 */
				model.slots[type][low].dirt = WILD;
			}
			m->res_status = HERMES_ST_SUCCESS;
			m->res_data = got;
			s->used = 1;
			s->dirt = CLEAN;
			s->touched = 1;
			s->lines = 0;
			/* A program still running on it (released under it) may write it. */
			s->known = !slot_in_run((int)type, got, -1);
			memset(s->shadow, 0, model.slot_size[type]);
			if (type == HERMES_SLOT_PROG) {
				s->map_known = s->known;
				memset(s->map, 0, HERMES_DEFAULT_MAP_SLOT_SIZE);
			}
		}
	}
	note("%s type %u slot %u on engine %u: status %u (%" PRIu64 " clocks)",
	     release ? "Release Slot" : "Request Slot", type, release ? slot : (unsigned)m->res_data, e,
	     m->res_status, hermes_sim_cycles(card.sim) - before);
	check_result_regs(e);
	check_irq(e);
}

/*
 * Run the bound VM to its end; returns lines raised to cover every data
 * slot line the program stores to (for the time zeroing the slot takes).
 */
static unsigned predict(struct hermes_vm_status *st, unsigned lines)
{
	struct hermes_retire rec;

	while (hermes_vm_step(card.vm, &rec, st)) {
		uint64_t line = (rec.mem_addr - HERMES_DATA_BASE) / LINE + 1;

		if ((rec.mem == HERMES_MEM_STORE || rec.mem == HERMES_MEM_ATOMIC) &&
		    rec.mem_addr >= HERMES_DATA_BASE && line > lines)
			lines = line <= slot_lines(HERMES_SLOT_DATA) ? (unsigned)line
								    : slot_lines(HERMES_SLOT_DATA);
	}
	return lines;
}

static void start_run(unsigned e)
{
	struct engine *m = &model.eng[e];
	struct run *r = &m->run;
	unsigned prog = m->req[2] & 0xff, data = m->req[2] >> 8 & 0xff;
	uint32_t prog_len = m->req[3], data_len = m->req[4], budget = m->req[5];
	struct slot *ps = prog < model.nslots[0] ? &model.slots[0][prog] : NULL;
	struct slot *ds = data < model.nslots[1] ? &model.slots[1][data] : NULL;
	int status = -1;

	if (!ps || !ps->used)
		status = HERMES_ST_BAD_PROG_SLOT;
	else if (!ds || !ds->used)
		status = HERMES_ST_BAD_DATA_SLOT;
	else if (!prog_len || prog_len % 8 || prog_len > model.slot_size[0] ||
		 data_len > model.slot_size[1])
		status = HERMES_ST_BAD_ADDR;
	if (status >= 0) {
		wait_command(e, 1000);
		m->busy = 0;
		m->done = 1;
		m->last_fault = 0;
		m->res_known = 1;
		m->res_status = (uint8_t)status;
		m->res_data = 0;
		check_result_regs(e);
		check_irq(e);
		return;
	}
	memset(r, 0, sizeof(*r));
	r->active = 1;
	r->start = hermes_sim_cycles(card.sim);
	r->prog = prog;
	r->data = data;
	r->prog_len = prog_len;
	r->data_len = data_len ? data_len : model.slot_size[1];
	r->budget = budget ? budget : card.info.max_insns;
	r->predictable = ps->known && ds->known && ps->map_known && !slot_in_run(HERMES_SLOT_DATA, data, (int)e) &&
			 !slot_in_run(HERMES_SLOT_PROG, prog, (int)e);
	if (slot_in_run(HERMES_SLOT_DATA, data, (int)e) || slot_in_run(HERMES_SLOT_PROG, prog, (int)e)) {
		/* Two programs on one data slot or one map slot: their order decides. */
		for (unsigned k = 0; k < card.info.engines; k++)
			if (model.eng[k].run.active && (model.eng[k].run.data == data || model.eng[k].run.prog == prog))
				model.eng[k].run.predictable = 0;
	}
	if (!r->predictable)
		ps->map_known = 0; /* it may store into its map slot */
	m->busy = 1;
	if (r->predictable) {
		r->before = malloc(model.slot_size[1]);
		if (!r->before)
			abort();
		memcpy(r->before, ds->shadow, model.slot_size[1]);
		/* Run Program zeroes the engine's trace record count first. */
		r->map_before = malloc(HERMES_DEFAULT_MAP_SLOT_SIZE);
		if (!r->map_before)
			abort();
		memcpy(r->map_before, ps->map, HERMES_DEFAULT_MAP_SLOT_SIZE);
		memset(r->map_before + HERMES_MAP_TRACE_OFF + HERMES_MAP_TRACE_SIZE * e, 0, 4);
		bind_vm(r, e, ds->shadow);
		hermes_vm_reset(card.vm, r->budget < VM_CAP ? r->budget : VM_CAP);
		ds->lines = predict(&r->st, ds->lines);
		r->is_long = r->budget > VM_CAP && r->st.fault == HERMES_FAULT_BUDGET;
		if (r->is_long)
			ds->lines = slot_lines(HERMES_SLOT_DATA); /* it goes on beyond the VM */
	} else {
		/* It may store anywhere in the data slot: zeroing it takes all its lines. */
		ds->lines = slot_lines(HERMES_SLOT_DATA);
	}
}

/* EXEC on an idle engine: the command in its request registers starts. */
static void exec_command(unsigned e)
{
	struct engine *m = &model.eng[e];
	unsigned opcode = m->req[0] & 0xff, arg0 = m->req[2] & 0xff, arg1 = m->req[2] >> 8 & 0xff;

	m->done = 0;
	m->res_id = (uint16_t)(m->req[0] >> 16);
	m->res_data = 0;
	switch (opcode) {
	case HERMES_CMD_REQ_SLOT:
	case HERMES_CMD_REL_SLOT:
		m->busy = 1;
		slot_command(e, opcode == HERMES_CMD_REL_SLOT, arg0, arg1);
		break;
	case HERMES_CMD_RUN:
		start_run(e);
		break;
	default:
		wait_command(e, 1000);
		m->busy = 0;
		m->done = 1;
		m->last_fault = 0;
		m->res_known = 1;
		m->res_status = HERMES_ST_BAD_OPCODE;
		check_result_regs(e);
		check_irq(e);
	}
}

/* Make engine e's state certain: idle, or surely running. */
static void settle_engine(unsigned e)
{
	observe(e);
	if (model.eng[e].busy && !surely_running(e))
		wait_run(e);
}

/* The EHCMDCTRL word 0 write semantics (docs/REGISTERS.md), per byte lane. */
static void ctrl_write(unsigned e, uint32_t val, unsigned strb)
{
	struct engine *m = &model.eng[e];
	int exec = (strb & 1) && (val & 1), ack = (strb & 2) && !(val >> 8 & 1);
	int abort_ = (strb & 4) && (val >> 16 & 1);

	settle_engine(e);
	write_ok(HERMES_EHCMDCTRL(e), val, strb);
	if (strb & 8)
		m->irq_en = val >> 24 & 1;
	if (m->busy) {
		/* EXEC is ignored and DONE is 0 already; ABORT stops the program. */
		if (abort_ && m->run.active)
			m->run.aborted = 1;
		if (exec && read_ok(HERMES_EHCMDREQ(e)) != m->req[0])
			fail("engine %u: EHCMDREQ changed by an EXEC while busy", e);
		return;
	}
	if (exec)
		exec_command(e);
	else if (ack)
		m->done = 0;
	observe(e);
}

/* A whole command through the registers, as a host writes it. */
static void command(unsigned e, const uint32_t req[8], int words)
{
	struct engine *m = &model.eng[e];

	settle_engine(e);
	for (int w = 0; w < words; w++) {
		int resp = bar0_write(HERMES_EHCMDREQ(e) + 4 * w, req[w], 0xf);

		if (m->busy) {
			if (resp != HERMES_SIM_SLVERR)
				fail("engine %u busy: EHCMDREQ word %d write answered %d, model SLVERR", e, w, resp);
		} else if (resp != HERMES_SIM_OKAY) {
			fail("engine %u idle: EHCMDREQ word %d write answered %d, model OKAY", e, w, resp);
		} else {
			m->req[w] = req[w];
		}
	}
	ctrl_write(e, (uint32_t)m->irq_en << 24 | 1, 0xf);
}

/* ---- BAR0 anywhere ------------------------------------------------------- */

enum region { R_IDENT, R_RESET, R_REQ, R_RES, R_CTRL, R_STAT, R_NONE };

static enum region decode(uint32_t off, unsigned *e, unsigned *w)
{
	unsigned n = card.info.engines;

	if (off < HERMES_EHRESET) {
		*w = off / 4;
		return R_IDENT;
	}
	if (off == HERMES_EHRESET)
		return R_RESET;
	for (*e = 0; *e < n; (*e)++) {
		if (off >= HERMES_EHCMDREQ(*e) && off < HERMES_EHCMDREQ(*e) + HERMES_EHCMDREQ_LEN) {
			*w = (off - HERMES_EHCMDREQ(*e)) / 4;
			return R_REQ;
		}
		if (off >= HERMES_EHCMDRES(*e) && off < HERMES_EHCMDRES(*e) + HERMES_EHCMDRES_LEN) {
			*w = (off - HERMES_EHCMDRES(*e)) / 4;
			return R_RES;
		}
		if (off >= HERMES_EHCMDCTRL(*e) && off < HERMES_EHCMDCTRL(*e) + HERMES_EHCMDCTRL_STRIDE) {
			*w = (off - HERMES_EHCMDCTRL(*e)) / 4;
			return R_CTRL;
		}
		if (off >= HERMES_EHENGSTAT(*e) && off < HERMES_EHENGSTAT(*e) + HERMES_EHENGSTAT_STRIDE) {
			*w = (off - HERMES_EHENGSTAT(*e)) / 4;
			return R_STAT;
		}
	}
	return R_NONE;
}

/* An offset: mostly inside a register block, sometimes anywhere or misaligned. */
static uint32_t pick_offset(struct input *in)
{
	unsigned b = byte(in), e = byte(in) % (card.info.engines + 1), w = byte(in);
	uint32_t off;

	switch (b % 8) {
	case 0: off = (w % 21) * 4; break;
	case 1: off = HERMES_EHCMDREQ(e) + (w % 12) * 4; break;
	case 2: off = HERMES_EHCMDRES(e) + (w % 4) * 4; break;
	case 3: off = HERMES_EHCMDCTRL(e) + (w % 2) * 4; break;
	case 4: off = HERMES_EHENGSTAT(e) + (w % 16) * 4; break;
	case 5: off = HERMES_EHRESET + (w % 4) * 4; break;
	default: off = (uint32_t)(w | byte(in) << 8) & 0xfffc; break;
	}
	if (b >= 0xe0)
		off += 1 + (b & 1) + (b & 2); /* misaligned */
	return off & 0xffff;
}

static void bar0_read_any(uint32_t off)
{
	uint32_t v;
	int resp;
	unsigned e = 0, w = 0;
	enum region r = off & 3 ? R_NONE : decode(off, &e, &w);

	if (r == R_RES || r == R_STAT)
		settle_engine(e);
	resp = bar0_read(off, &v);
	note("BAR0 read 0x%04x: resp %d value 0x%08x", off, resp, v);
	if (r == R_NONE) {
		if (resp != HERMES_SIM_SLVERR || v)
			fail("BAR0 read of unmapped or misaligned 0x%04x: RTL resp %d value 0x%08x, model "
			     "SLVERR 0", off, resp, v);
		return;
	}
	if (resp != HERMES_SIM_OKAY)
		fail("BAR0 read of 0x%04x: RTL resp %d, model OKAY", off, resp);
	struct engine *m = &model.eng[e];
	switch (r) {
	case R_IDENT:
		expect32("identity register", off, v, card.ident[w]);
		break;
	case R_RESET:
		expect32("EHRESET", off, v, model.resets << HERMES_RESET_COUNT_SHIFT);
		break;
	case R_REQ:
		expect32("EHCMDREQ", off, v, m->req[w]);
		break;
	case R_CTRL:
		if (w == 1)
			expect32("EHCMDCTRL word 1", off, v, 0);
		break;
	case R_RES:
		if (m->res_known) {
			uint32_t want[4] = { m->res_id | (uint32_t)m->res_status << 16, 0,
					     (uint32_t)m->res_data, (uint32_t)(m->res_data >> 32) };

			expect32("EHCMDRES", off, v, want[w]);
		}
		break;
	case R_STAT:
		if (m->busy) {
			/* Running: state 1, the fault fields cleared at the start. */
			if (w == 0 || (w >= 6 && w != 10 && w != 11 && w < 16))
				expect32("EHENGSTAT of a running engine", off, v,
					 w == 0 ? HERMES_STATE_RUNNING : 0);
		} else if (m->stat_known && m->res_known && w != 4 && w != 5) {
			uint32_t want[16] = { m->last_fault ? HERMES_STATE_FAULT : HERMES_STATE_IDLE, 0,
					      (uint32_t)m->insns, (uint32_t)(m->insns >> 32), 0, 0,
					      m->fault_pc, m->fault_cause, (uint32_t)m->fault_addr,
					      (uint32_t)(m->fault_addr >> 32) };

			expect32("EHENGSTAT", off, v, want[w]);
		}
		break;
	default:
		break;
	}
}

static void bar0_write_any(uint32_t off, uint32_t val, unsigned strb)
{
	unsigned e = 0, w = 0;
	enum region r = off & 3 ? R_NONE : decode(off, &e, &w);
	int want = HERMES_SIM_SLVERR, resp;

	if (r == R_RESET && val == HERMES_RESET_KEY)
		val ^= 1; /* card resets are an operation of their own */
	if (r == R_CTRL && w == 0) {
		note("EHCMDCTRL %u write 0x%08x strobes 0x%x", e, val, strb);
		ctrl_write(e, val, strb);
		return;
	}
	if (r == R_REQ)
		settle_engine(e);
	resp = bar0_write(off, val, strb);
	note("BAR0 write 0x%04x = 0x%08x strobes 0x%x: resp %d", off, val, strb, resp);
	if (r == R_CTRL || (r == R_REQ && !model.eng[e].busy))
		want = HERMES_SIM_OKAY;
	if (resp != want)
		fail("BAR0 write 0x%08x (strobes 0x%x) at 0x%04x: RTL resp %d, model %d", val, strb, off, resp,
		     want);
	if (resp == HERMES_SIM_OKAY && r == R_REQ) {
		for (int b = 0; b < 4; b++)
			if (strb >> b & 1)
				model.eng[e].req[w] = (model.eng[e].req[w] & ~(0xffu << 8 * b)) |
						      (val & 0xffu << 8 * b);
	}
}

/* ---- DMA ----------------------------------------------------------------- */

static void dma_write(int type, unsigned s, uint32_t off, const uint8_t *buf, uint32_t len)
{
	struct slot *sl = &model.slots[type][s];
	struct hermes_bus *bus = card.dev->bus;

	if (bus->ops->dma_to_card(bus, slot_addr(type, s) + off, buf, len))
		fail("DMA of %u bytes to %s slot %u +0x%x failed: %s", len, type ? "data" : "program", s, off,
		     hermes_dev_errmsg(card.dev));
	memcpy(sl->shadow + off, buf, len);
	if (sl->lines < (off + len + LINE - 1) / LINE)
		sl->lines = (off + len + LINE - 1) / LINE;
	sl->touched = 1;
	if (!sl->used) {
		/* Raw DMA into a free slot: not zero until the allocator asks. */
		sl->dirt = sl->dirt == CLEAN || sl->dirt == DIRTY ? DIRTY : WILD;
		sl->known = 0;
	}
}

static void dma_check(int type, unsigned s, uint32_t off, uint32_t len)
{
	struct slot *sl = &model.slots[type][s];
	struct hermes_bus *bus = card.dev->bus;
	uint8_t buf[512];

	if (bus->ops->dma_from_card(bus, slot_addr(type, s) + off, buf, len))
		fail("DMA of %u bytes from %s slot %u +0x%x failed: %s", len, type ? "data" : "program", s,
		     off, hermes_dev_errmsg(card.dev));
	if (!sl->used || !sl->known)
		return;
	for (uint32_t i = 0; i < len; i++)
		if (buf[i] != sl->shadow[off + i])
			fail("%s slot %u byte 0x%x read back 0x%02x, model 0x%02x (zero since allocation "
			     "unless written)", type ? "data" : "program", s, off + i, buf[i],
			     sl->shadow[off + i]);
}

/* ---- programs ------------------------------------------------------------ */

static struct hermes_insn ins(uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	return (struct hermes_insn){ .opcode = op, .regs = (uint8_t)(src << 4 | dst), .off = off, .imm = imm };
}

#define ALU64(op, k) (HERMES_CLS_ALU64 | HERMES_ALU_##op | HERMES_SRC_##k)
#define EXIT ins(HERMES_CLS_JMP | HERMES_JMP_EXIT, 0, 0, 0, 0)

/* A small program of a few kinds, its parameters from the input. */
static size_t make_program(struct input *in, struct hermes_insn *p)
{
	unsigned kind = byte(in) % 9;
	uint64_t v = dword(in);
	int16_t off = (int16_t)(8 * (byte(in) % 511));
	size_t n = 0;

	switch (kind) {
	case 0: /* r0 = a constant */
		p[n++] = ins(HERMES_OP_LDDW, 0, 0, 0, (int32_t)(uint32_t)v);
		p[n++] = ins(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
		break;
	case 1: /* a data word */
		p[n++] = ins(HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_DW, 0, 1, off, 0);
		break;
	case 2: /* store r2 (data length) and a constant, read both back */
		p[n++] = ins(HERMES_CLS_STX | HERMES_MODE_MEM | HERMES_SZ_W, 1, 2, off, 0);
		p[n++] = ins(HERMES_CLS_ST | HERMES_MODE_MEM | HERMES_SZ_W, 1, 0, (int16_t)(off + 4), (int32_t)v);
		p[n++] = ins(HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_DW, 0, 1, off, 0);
		break;
	case 3: /* forever: ends by budget or ABORT */
		p[n++] = ins(HERMES_CLS_JMP | HERMES_JMP_JA, 0, 0, -1, 0);
		break;
	case 4: /* counted loop, 3 instructions a turn */
		p[n++] = ins(ALU64(MOV, K), 0, 0, 0, 1 + (int32_t)(v % 3000));
		p[n++] = ins(ALU64(SUB, K), 0, 0, 0, 1);
		p[n++] = ins(HERMES_CLS_JMP | HERMES_JMP_JNE | HERMES_SRC_K, 0, 0, -2, 0);
		break;
	case 5: /* a byte near the end of the data: in bounds or one past */
		p[n++] = ins(ALU64(MOV, X), 3, 1, 0, 0);
		p[n++] = ins(ALU64(ADD, X), 3, 2, 0, 0);
		p[n++] = ins(HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_B, 0, 3, (int16_t)((int)(v & 3) - 2), 0);
		break;
	case 6: /* a load from an address of the input (out of bounds, mostly) */
		p[n++] = ins(HERMES_OP_LDDW, 3, 0, 0, (int32_t)(uint32_t)v);
		p[n++] = ins(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
		p[n++] = ins(HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_W, 0, 3, 0, 0);
		break;
	case 7: /* illegal instruction, helper call, or unbounded recursion */
		p[n++] = (v & 3) == 0 ? ins((uint8_t)(v >> 8), (v >> 16) & 15, (v >> 20) & 15, 0, (int32_t)(v >> 32))
			: (v & 3) == 1 ? ins(HERMES_CLS_JMP | HERMES_JMP_CALL, 0, 0, 0, (int32_t)(v >> 32))
				       : ins(HERMES_CLS_JMP | HERMES_JMP_CALL, 0, 1, 0, -1);
		break;
	default: /* raw slots from the input */
		for (unsigned k = 1 + byte(in) % 6; k; k--) {
			uint64_t raw = dword(in);

			memcpy(&p[n++], &raw, 8);
		}
		break;
	}
	p[n++] = EXIT;
	return n;
}

/* ---- operations ---------------------------------------------------------- */

enum op {
	OP_REQUEST, OP_RELEASE, OP_RUN, OP_BAD_OPCODE, OP_UPLOAD, OP_DMA_DATA, OP_READ_BACK,
	OP_ABORT, OP_CTRL, OP_READ, OP_WRITE, OP_IDLE, OP_WAIT, OP_SETTLE, OP_CARD_RESET,
	OP_COUNT
};

static uint32_t pick_len(struct input *in, uint32_t image, uint32_t size)
{
	unsigned b = byte(in);

	switch (b % 8) {
	case 0: return 0;
	case 1: return size;
	case 2: return size + 8;
	case 3: return 8 * (b >> 3);
	case 4: return word(in);
	default: return image;
	}
}

static uint32_t pick_budget(struct input *in)
{
	unsigned b = byte(in);

	switch (b % 4) {
	case 0: return 0;
	case 1: return b >> 2;
	case 2: return word(in) % 5000;
	default: return VM_CAP + 1 + word(in) % 100000;
	}
}

static void op_run(struct input *in, unsigned e)
{
	uint32_t req[8] = { 0 };
	unsigned prog = pick_slot(in, HERMES_SLOT_PROG), data = pick_slot(in, HERMES_SLOT_DATA);
	uint32_t image = 8 * (1 + byte(in) % 16); /* about an uploaded program's length */
	req[0] = HERMES_CMD_RUN | (uint32_t)byte(in) << 16;
	req[2] = prog | data << 8;
	req[3] = pick_len(in, image, model.slot_size[0]);
	req[4] = pick_len(in, 64 * (uint32_t)byte(in), model.slot_size[1]);
	req[5] = pick_budget(in);
	note("Run prog %u data %u len %u data_len %u budget %u on engine %u", prog, data, req[3], req[4],
	     req[5], e);
	command(e, req, 6);
}

static void op_upload(struct input *in)
{
	struct hermes_insn p[16];
	unsigned s = pick_slot(in, HERMES_SLOT_PROG) % model.nslots[0];
	size_t n = make_program(in, p);

	note("upload a %zu-slot program to program slot %u", n, s);
	if (slot_in_run(HERMES_SLOT_PROG, s, -1))
		return;
	dma_write(HERMES_SLOT_PROG, s, 0, (const uint8_t *)p, (uint32_t)(n * 8));
}

static void op_dma_data(struct input *in)
{
	unsigned s = pick_slot(in, HERMES_SLOT_DATA) % model.nslots[1];
	uint32_t len = 1 + byte(in) % 64, off = word(in) % (model.slot_size[1] - len);
	uint8_t buf[64];

	if (byte(in) & 1)
		off %= 4096;
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)byte(in);
	note("DMA %u bytes to data slot %u +0x%x", len, s, off);
	if (slot_in_run(HERMES_SLOT_DATA, s, -1))
		return;
	dma_write(HERMES_SLOT_DATA, s, off, buf, len);
}

static void op_read_back(struct input *in)
{
	int type = byte(in) & 1;
	unsigned s = pick_slot(in, type) % model.nslots[type];
	uint32_t len = 1 + byte(in) % 256, off = word(in) % (model.slot_size[type] - len);

	if (byte(in) & 1)
		off %= 4096;
	note("read back %u bytes of %s slot %u +0x%x", len, type ? "data" : "program", s, off);
	if (slot_in_run(type, s, -1))
		return;
	dma_check(type, s, off, len);
}

/* Command processors and engines as reset leaves them (any reset). */
static void engines_power_on(void)
{
	for (unsigned e = 0; e < HERMES_MODEL_MAX_ENGINES; e++) {
		free(model.eng[e].run.before);
		free(model.eng[e].run.map_before);
		memset(&model.eng[e], 0, sizeof(model.eng[e]));
		model.eng[e].irq_en = 1;
		model.eng[e].res_known = model.eng[e].stat_known = 1;
	}
}

static void op_card_reset(void)
{
	uint64_t t = hermes_sim_cycles(card.sim);
	uint32_t v;

	note("card reset");
	write_ok(HERMES_EHRESET, HERMES_RESET_KEY, 0xf);
	while ((v = read_ok(HERMES_EHRESET)) & HERMES_RESET_BUSY) {
		if (hermes_sim_cycles(card.sim) - t > RESET_CLOCKS)
			fail("card reset still busy after %u clocks (0x%08x)", RESET_CLOCKS, v);
		hermes_sim_run(card.sim, 64);
	}
	model.resets = (model.resets + 1) & 0xffff;
	expect32("EHRESET after the reset", HERMES_EHRESET, v, model.resets << HERMES_RESET_COUNT_SHIFT);
	engines_power_on();
	for (int type = 0; type < 2; type++) {
		for (unsigned s = 0; s < model.nslots[type]; s++) {
			struct slot *sl = &model.slots[type][s];

			/*
			 * Everything written since its last zeroing is zeroed now;
			 * a slot never zeroed nor written stays dirty in full.
			 */
			sl->used = 0;
			sl->dirt = sl->touched ? CLEAN : sl->dirt == WILD ? WILD : DIRTY;
			sl->lines = sl->touched ? 0 : slot_lines(type);
		}
	}
	enable_user_irqs();
}

/*
 * Idle until every slot being zeroed surely is. A WILD slot may still be
 * under the scrub its release started, and one written behind the scrub
 * pointer is scrubbed again: both delay the slots queued after it.
 */
static void op_settle(void)
{
	uint64_t lines = 0;

	for (int type = 0; type < 2; type++)
		for (unsigned s = 0; s < model.nslots[type]; s++)
			if (model.slots[type][s].dirt == MAYBE)
				lines += model.slots[type][s].lines + 1;
			else if (model.slots[type][s].dirt == WILD && !model.slots[type][s].used)
				lines += 2 * (model.slots[type][s].lines + 1);
	note("settle: %" PRIu64 " lines to zero at most", lines);
	hermes_sim_run(card.sim, 2 * lines + 1000);
	for (int type = 0; type < 2; type++)
		for (unsigned s = 0; s < model.nslots[type]; s++)
			if (model.slots[type][s].dirt == MAYBE && !model.slots[type][s].used)
				model.slots[type][s].dirt = CLEAN;
}

static void do_op(struct input *in)
{
	unsigned op = byte(in) % OP_COUNT, e = byte(in) % card.info.engines;
	uint32_t req[8] = { 0 };

	switch (op) {
	case OP_REQUEST:
	case OP_RELEASE: {
		unsigned b = byte(in), type = b & 4 ? b >> 4 : b & 1;
		unsigned slot = op == OP_RELEASE ? pick_slot(in, (int)(type & 1)) : 0;

		req[0] = (op == OP_REQUEST ? HERMES_CMD_REQ_SLOT : HERMES_CMD_REL_SLOT) | (uint32_t)byte(in) << 16;
		req[2] = type | slot << 8;
		note("%s type %u slot %u on engine %u", op == OP_REQUEST ? "Request" : "Release", type, slot, e);
		command(e, req, 3);
		break;
	}
	case OP_RUN:
		op_run(in, e);
		break;
	case OP_BAD_OPCODE:
		req[0] = word(in);
		req[2] = word(in);
		note("command word 0x%08x 0x%08x on engine %u", req[0], req[2], e);
		command(e, req, 3);
		break;
	case OP_UPLOAD:
		op_upload(in);
		break;
	case OP_DMA_DATA:
		op_dma_data(in);
		break;
	case OP_READ_BACK:
		op_read_back(in);
		break;
	case OP_ABORT:
		note("ABORT engine %u", e);
		ctrl_write(e, (uint32_t)model.eng[e].irq_en << 24 | 1u << 16, 0xf);
		break;
	case OP_CTRL: {
		uint32_t val = word(in);

		note("EHCMDCTRL %u write 0x%08x", e, val);
		ctrl_write(e, val, byte(in) & 0xf);
		break;
	}
	case OP_READ:
		bar0_read_any(pick_offset(in));
		break;
	case OP_WRITE: {
		uint32_t off = pick_offset(in), val = word(in);

		bar0_write_any(off, val, byte(in) & 0xf);
		break;
	}
	case OP_IDLE: {
		unsigned n = 1 + byte(in) * 16;

		note("idle %u clocks", n);
		hermes_sim_run(card.sim, n);
		break;
	}
	case OP_WAIT:
		note("wait for engine %u", e);
		observe(e);
		if (model.eng[e].run.is_long && !model.eng[e].run.aborted)
			ctrl_write(e, (uint32_t)model.eng[e].irq_en << 24 | 1u << 16, 0xf);
		wait_run(e);
		break;
	case OP_SETTLE:
		op_settle();
		break;
	case OP_CARD_RESET:
		op_card_reset();
		break;
	}
	for (unsigned k = 0; k < card.info.engines; k++)
		observe(k);
}

/* ---- setup and the entry point ------------------------------------------- */

/* The model of a card just out of its pin reset. */
static void pin_reset(void)
{
	hermes_sim_reset(card.sim);
	enable_user_irqs();
	engines_power_on();
	for (int type = 0; type < 2; type++) {
		for (unsigned s = 0; s < model.nslots[type]; s++) {
			struct slot *sl = &model.slots[type][s];

			sl->used = sl->touched = sl->known = 0;
			sl->dirt = DIRTY;
			sl->lines = slot_lines(type);
		}
	}
	model.resets = 0;
}

/*
 * After a pin reset of a card written since it was created every slot is
 * dirty in full, and zeroing a data slot on its first allocation takes
 * 16384 clocks: most of an input's time. (The model takes every slot as
 * DIRTY after any pin reset; on a card nothing wrote yet they are in fact
 * zero, which DIRTY allows: handed out lowest first.)
 * So by default the card is warmed up once (every slot allocated and
 * released, so that all are zero) and the inputs start after a card reset
 * instead, which leaves every slot clean and everything else at its
 * power-on state. HERMES_FUZZ_PIN_RESET=1 pin-resets before every input
 * (slower; for reproducing a failure from a cold card).
 */
static void between_inputs(void)
{
	static int warm;
	uint32_t req[8] = { 0 };

	if (getenv("HERMES_FUZZ_PIN_RESET") && atoi(getenv("HERMES_FUZZ_PIN_RESET"))) {
		pin_reset();
		return;
	}
	if (!warm) {
		pin_reset();
		note("warm-up: allocate and release every slot");
		for (unsigned type = 0; type < 2; type++) {
			for (unsigned s = 0; s < model.nslots[type]; s++) {
				req[0] = HERMES_CMD_REQ_SLOT;
				req[2] = type;
				command(0, req, 3);
			}
			for (unsigned s = 0; s < model.nslots[type]; s++) {
				req[0] = HERMES_CMD_REL_SLOT;
				req[2] = type | s << 8;
				command(0, req, 3);
			}
		}
		warm = 1;
	}
	op_card_reset();
	model.resets = read_ok(HERMES_EHRESET) >> HERMES_RESET_COUNT_SHIFT;
}

static void setup(void)
{
	/* The RTL's answer to every write is compared: no posted writes. */
	if (hermes_dev_open("sim:cost=zero", &card.dev) || hermes_dev_info(card.dev, &card.info) ||
	    !(card.sim = hermes__dev_sim(card.dev))) {
		fprintf(stderr, "fuzz_cmds: cannot set up the card: %s\n", hermes_dev_errmsg(card.dev));
		abort();
	}
	if (!(card.info.caps & HERMES_CAP_RESET) || card.info.engines > HERMES_MODEL_MAX_ENGINES ||
	    card.info.prog_slots > MAX_SLOTS || card.info.data_slots > MAX_SLOTS) {
		fprintf(stderr, "fuzz_cmds: the model does not fit this card\n");
		abort();
	}
	model.nslots[0] = card.info.prog_slots;
	model.nslots[1] = card.info.data_slots;
	model.slot_size[0] = card.info.prog_slot_size;
	model.slot_size[1] = card.info.data_slot_size;
	model.slot_off[0] = card.info.prog_slot_off;
	model.slot_off[1] = card.info.data_slot_off;
	for (int type = 0; type < 2; type++)
		for (unsigned s = 0; s < model.nslots[type]; s++)
			if (!(model.slots[type][s].shadow = calloc(1, model.slot_size[type])) ||
			    (type == HERMES_SLOT_PROG && !(model.slots[type][s].map = calloc(1, HERMES_DEFAULT_MAP_SLOT_SIZE))))
				abort();
	card.vm = hermes_vm_new(model.slot_size[0], model.slot_size[1]);
	if (!card.vm)
		abort();
	hermes_sim_reset(card.sim);
	for (uint32_t off = 0; off < HERMES_EHRESET; off += 4)
		card.ident[off / 4] = read_ok(off);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (!card.sim)
		setup();
	memset(history, 0, sizeof(history));
	step = 0;
	between_inputs();
	for (step = 0; in.n && step < MAX_OPS; step++)
		do_op(&in);
	/* Every run ends: long ones by ABORT, the others by themselves. */
	note("end of input: wait for every engine");
	for (unsigned e = 0; e < card.info.engines; e++) {
		observe(e);
		if (model.eng[e].run.is_long && !model.eng[e].run.aborted)
			ctrl_write(e, (uint32_t)model.eng[e].irq_en << 24 | 1u << 16, 0xf);
		wait_run(e);
	}
	return 0;
}
