/* SPDX-License-Identifier: MIT */
/* itrace.c - instruction traces from the RTL retire ports or the reference VM. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "dev.h"
#include "hermes_sim.h"
#include "itrace.h"
#include "map_slot.h"
#include "opts.h"
#include "prog.h"

/* ---- formatting ---------------------------------------------------------- */

void hermes_itrace_header(unsigned flags, char *buf, size_t len)
{
	snprintf(buf, len, "#%s eng     pc  %-32s  effect",
		 flags & HERMES_ITRACE_NOCLOCK ? "" : "     clock", "instruction");
}

void hermes_itrace_disasm(const struct hermes_retire *r, const struct hermes_prog *prog,
			  char *buf, size_t len)
{
	struct hermes_insn slots[2];
	size_t n = 1, code_slots = prog ? prog->code_len / 8 : 0;
	char text[HERMES_DISASM_LEN];

	/* The slot the engine executed; lddw's second slot from the program. */
	memcpy(&slots[0], &r->insn, 8);
	if (slots[0].opcode == HERMES_OP_LDDW && (size_t)r->pc + 1 < code_slots) {
		memcpy(&slots[1], prog->image + 8 * ((size_t)r->pc + 1), 8);
		n = 2;
	}
	if (hermes_disasm_insn(slots, n, 0, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), ".quad 0x%016" PRIx64, r->insn);
	snprintf(buf, len, "%s", text);
}

void hermes_itrace_effect(const struct hermes_retire *r, char *buf, size_t len)
{
	static const char *const kinds[] = { "", "load", "store", "atomic" };
	int n = 0;

	buf[0] = '\0';
	if (r->rd != HERMES_RETIRE_NO_REG)
		n = snprintf(buf, len, "r%u=0x%" PRIx64, r->rd, r->rd_value);
	if (r->mem != HERMES_MEM_NONE && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, "%s%s.%u [0x%" PRIx64 "] = 0x%" PRIx64, n ? "  " : "",
			 kinds[r->mem & 3], r->mem_size, r->mem_addr, r->mem_value);
}

void hermes_itrace_line(const struct hermes_itrace_rec *rec, const struct hermes_prog *prog,
			unsigned flags, char *buf, size_t len)
{
	char insn[HERMES_ITRACE_LINE], effect[HERMES_ITRACE_LINE], clock[24] = "";
	int n;

	hermes_itrace_disasm(&rec->r, prog, insn, sizeof(insn));
	hermes_itrace_effect(&rec->r, effect, sizeof(effect));
	if (!(flags & HERMES_ITRACE_NOCLOCK)) {
		if (rec->clock == HERMES_ITRACE_NO_CLOCK)
			snprintf(clock, sizeof(clock), "%11s", "-");
		else
			snprintf(clock, sizeof(clock), "%11" PRIu64, rec->clock);
	}
	n = snprintf(buf, len, "%s %3u %6u  %-32s  %s", clock, rec->engine, rec->r.pc, insn, effect);
	/* No trailing blanks (instructions without an effect). */
	if (n > 0) {
		size_t e = (size_t)n < len ? (size_t)n : len - 1;

		while (e > 0 && buf[e - 1] == ' ')
			buf[--e] = '\0';
	}
}

/* ---- architectural state from a retire stream ------------------------------ */

struct regfile {
	uint64_t r[11];
	uint64_t saved[HERMES_MAX_FRAMES][4]; /* r6-r9 of each caller */
	unsigned depth;
	uint64_t insns;
	size_t nhist, head;                   /* ring of the last records */
	struct hermes_itrace_rec hist[HERMES_ITRACE_HIST];
};

static void regfile_reset(struct regfile *f, uint32_t data_len)
{
	memset(f, 0, sizeof(*f));
	f->r[1] = HERMES_DATA_BASE;
	f->r[2] = data_len;
	f->r[10] = HERMES_STACK_BASE + HERMES_FRAME_SIZE;
}

static void regfile_apply(struct regfile *f, const struct hermes_itrace_rec *rec)
{
	const struct hermes_retire *r = &rec->r;
	uint8_t op = (uint8_t)r->insn;

	if (r->rd == 10 && op == (HERMES_CLS_JMP | HERMES_JMP_CALL)) {
		/* Local call: the callee may change r6-r9, its exit restores them. */
		if (f->depth < HERMES_MAX_FRAMES)
			memcpy(f->saved[f->depth], &f->r[6], sizeof(f->saved[0]));
		f->depth++;
	} else if (r->rd == 10 && op == (HERMES_CLS_JMP | HERMES_JMP_EXIT) && f->depth) {
		f->depth--;
		if (f->depth < HERMES_MAX_FRAMES)
			memcpy(&f->r[6], f->saved[f->depth], sizeof(f->saved[0]));
	}
	if (r->rd <= 10)
		f->r[r->rd] = r->rd_value;
	f->insns++;
	f->hist[f->head] = *rec;
	f->head = (f->head + 1) % HERMES_ITRACE_HIST;
	if (f->nhist < HERMES_ITRACE_HIST)
		f->nhist++;
}

static void regfile_state(const struct regfile *f, const char *source, struct hermes_itrace_state *st)
{
	size_t first = (f->head + HERMES_ITRACE_HIST - f->nhist) % HERMES_ITRACE_HIST;

	memset(st, 0, sizeof(*st));
	st->valid = 1;
	st->source = source;
	memcpy(st->regs, f->r, sizeof(st->regs));
	st->depth = f->depth;
	st->insns = f->insns;
	st->nhist = f->nhist;
	for (size_t i = 0; i < f->nhist; i++)
		st->hist[i] = f->hist[(first + i) % HERMES_ITRACE_HIST];
}

void hermes_itrace_state_rebuild(const struct hermes_retire *records, size_t n, uint32_t data_len,
				 unsigned engine, struct hermes_itrace_state *state)
{
	struct regfile *f = malloc(sizeof(*f));
	struct hermes_itrace_rec rec;

	memset(state, 0, sizeof(*state));
	if (!f)
		return; /* state->valid stays 0 */
	regfile_reset(f, data_len);
	memset(&rec, 0, sizeof(rec));
	rec.clock = HERMES_ITRACE_NO_CLOCK;
	rec.engine = engine;
	for (size_t i = 0; i < n; i++) {
		rec.r = records[i];
		regfile_apply(f, &rec);
	}
	regfile_state(f, "RTL retire stream", state);
	free(f);
}

/* ---- sim: the retire ports ------------------------------------------------- */

struct sim_tracer {
	hermes_itrace_fn fn;
	void *ctx;
	struct regfile eng[HERMES_MODEL_MAX_ENGINES];
};

static void on_retire(void *ctx, const struct hermes_sim_retire *sr)
{
	struct sim_tracer *t = ctx;
	struct hermes_itrace_rec rec;

	if (sr->engine >= HERMES_MODEL_MAX_ENGINES)
		return;
	memset(&rec, 0, sizeof(rec));
	rec.clock = sr->cycle;
	rec.engine = sr->engine;
	rec.r.pc = sr->rec->pc;
	rec.r.insn = sr->rec->insn;
	rec.r.rd = sr->rec->rd;
	rec.r.rd_value = sr->rec->rd_value;
	rec.r.mem = sr->rec->mem_kind;
	rec.r.mem_size = sr->rec->mem_size;
	rec.r.mem_addr = sr->rec->mem_addr;
	rec.r.mem_value = sr->rec->mem_value;
	regfile_apply(&t->eng[sr->engine], &rec);
	if (t->fn)
		t->fn(t->ctx, &rec);
}

/* opts below: full-size, read by hermes_itrace_run. */
static int sim_run(struct hermes_dev *dev, struct hermes_sim *sim, const struct hermes_prog *prog,
		   const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res,
		   hermes_itrace_fn fn, void *ctx, struct hermes_itrace_state *state)
{
	uint32_t data_len = opts->data_len;
	struct hermes_info info;
	struct sim_tracer *t;
	int err;

	if ((err = hermes_dev_info(dev, &info)))
		return err;
	if (!data_len)
		data_len = in_len ? (uint32_t)in_len : info.data_slot_size;
	t = calloc(1, sizeof(*t));
	if (!t)
		return hermes__err(dev, -ENOMEM, "out of memory");
	t->fn = fn;
	t->ctx = ctx;
	for (unsigned e = 0; e < HERMES_MODEL_MAX_ENGINES; e++)
		regfile_reset(&t->eng[e], data_len);
	hermes_sim_on_retire(sim, on_retire, t);
	err = hermes_run(dev, prog, in, in_len, out, out_len, opts, res);
	hermes_sim_on_retire(sim, NULL, NULL);
	if (!err && state && res->engine >= 0 && res->engine < HERMES_MODEL_MAX_ENGINES)
		regfile_state(&t->eng[res->engine], "RTL retire stream", state);
	free(t);
	return err;
}

/* ---- ref: the reference VM, stepped ------------------------------------------ */

static int ref_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		   const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res,
		   hermes_itrace_fn fn, void *ctx, struct hermes_itrace_state *state)
{
	const size_t psize = HERMES_DEFAULT_PROG_SLOT_SIZE, dsize = HERMES_DEFAULT_DATA_SLOT_SIZE;
	uint64_t max_insns = opts->max_insns;
	uint32_t data_len = opts->data_len;
	int engine = opts->engine;
	unsigned char *pslot = NULL, *dslot = NULL, *mslot = NULL;
	struct hermes_itrace_rec rec;
	struct hermes_vm_status st;
	struct hermes_vm *vm = NULL;
	struct regfile *f = NULL;
	int err = 0;

	/* The checks of the "ref" device (dev_ref.c), with its words. */
	if (prog->image_len > psize)
		return hermes__err(dev, -E2BIG, "program image of %zu bytes does not fit a %zu-byte program slot",
				   prog->image_len, psize);
	if (in_len > dsize)
		return hermes__err(dev, -E2BIG, "input of %zu bytes does not fit a %zu-byte data slot", in_len,
				   dsize);
	if (out_len > dsize)
		return hermes__err(dev, -E2BIG, "output of %zu bytes requested but a data slot holds %zu bytes",
				   out_len, dsize);
	if (engine < -1 || engine >= (int)HERMES_DEFAULT_ENGINES)
		return hermes__err(dev, -EINVAL, "engine %d does not exist (the device has %u)", engine,
				   HERMES_DEFAULT_ENGINES);
	pslot = calloc(1, psize);
	dslot = calloc(1, dsize);
	mslot = calloc(1, HERMES_DEFAULT_MAP_SLOT_SIZE); /* a plain run's zeroed map slot, as "ref" gives */
	vm = hermes_vm_new(psize, dsize);
	f = malloc(sizeof(*f));
	if (!pslot || !dslot || !mslot || !vm || !f) {
		err = hermes__err(dev, -ENOMEM, "out of memory for the reference VM");
		goto out;
	}
	memcpy(pslot, prog->image, prog->image_len);
	if (in_len)
		memcpy(dslot, in, in_len);
	if (!data_len)
		data_len = in_len ? (uint32_t)in_len : (uint32_t)dsize;
	if ((err = hermes_vm_load(vm, pslot, prog->code_len, dslot, data_len))) {
		err = hermes__err(dev, err, "the reference VM rejected a program of %zu code bytes",
				  prog->code_len);
		goto out;
	}
	hermes_vm_set_map_slot(vm, mslot, HERMES_DEFAULT_MAP_SLOT_SIZE, 0);
	hermes_vm_reset(vm, max_insns ? max_insns : HERMES_DEFAULT_MAX_INSNS);
	regfile_reset(f, data_len);
	memset(&rec, 0, sizeof(rec));
	rec.clock = HERMES_ITRACE_NO_CLOCK;
	rec.engine = engine < 0 ? 0 : (unsigned)engine;
	memset(&st, 0, sizeof(st));
	while (hermes_vm_step(vm, &rec.r, &st)) {
		regfile_apply(f, &rec);
		if (fn)
			fn(ctx, &rec);
		if (st.done)
			break;
	}
	hermes__vm_result(&st, res);
	res->engine = (int)rec.engine;
	if (out_len)
		memcpy(out, dslot, out_len);
	if (state) {
		regfile_state(f, "reference VM", state);
		/* The VM's own registers, not the rebuilt ones. */
		for (unsigned r = 0; r <= 10; r++)
			state->regs[r] = hermes_vm_reg(vm, r);
		state->depth = hermes_vm_depth(vm);
	}
out:
	hermes_vm_free(vm);
	free(pslot);
	free(dslot);
	free(mslot);
	free(f);
	return err;
}

int hermes_itrace_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		      const void *in, size_t in_len, void *out, size_t out_len,
		      const struct hermes_run_opts *opts, struct hermes_run_result *res,
		      hermes_itrace_fn fn, void *ctx, struct hermes_itrace_state *state)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1 };
	struct hermes_sim *sim;
	int err;

	if (state)
		memset(state, 0, sizeof(*state));
	if (!dev)
		return hermes__err(NULL, -EINVAL, "hermes_itrace_run: dev is NULL");
	if (!prog || !res || (in_len && !in) || (out_len && !out))
		return hermes__err(dev, -EINVAL,
				   "hermes_itrace_run: prog and res are required, and buffers for non-zero lengths");
	if ((err = hermes__opts_read(dev, "hermes_itrace_run", opts, &o, sizeof(o))))
		return err;
	memset(res, 0, sizeof(*res));
	if ((sim = hermes__dev_sim(dev)))
		return sim_run(dev, sim, prog, in, in_len, out, out_len, &o, res, fn, ctx, state);
	if (!strcmp(hermes_dev_kind(dev), "ref"))
		return ref_run(dev, prog, in, in_len, out, out_len, &o, res, fn, ctx, state);
	if (fn)
		return hermes__err(dev, -ENOTSUP,
				   "an instruction trace needs the retire stream of the 'sim' or 'ref' device, "
				   "not '%s'", hermes_dev_kind(dev));
	return hermes_run(dev, prog, in, in_len, out, out_len, opts, res);
}
