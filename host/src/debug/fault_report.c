/* SPDX-License-Identifier: MIT */
/* fault_report.c - a fault in words: cause, code around it, address, registers. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "fault_report.h"
#include "map_slot.h"
#include "json.h"
#include "prog.h"

/* ---- the faulting instruction and its neighbours ------------------------------ */

struct listing {
	size_t n, fault;          /* entries; index of the faulting one, n if none */
	size_t pc[2 * HERMES_FAULT_CONTEXT + 1];
	char text[2 * HERMES_FAULT_CONTEXT + 1][HERMES_DISASM_LEN];
};

static size_t code_slots(const struct hermes_prog *prog)
{
	return prog->code_len / 8;
}

static void disasm_at(const struct hermes_prog *prog, size_t pc, char *buf, size_t len)
{
	const struct hermes_insn *code = (const struct hermes_insn *)prog->image;

	if (hermes_disasm_insn(code, code_slots(prog), pc, buf, len) < 0)
		snprintf(buf, len, "?");
}

/*
 * Instruction starts around pc: lddw takes two slots, so walk from the
 * first one. A pc inside an lddw (a jump into its second slot) is listed
 * as an instruction of its own, which is how the engine ran it.
 */
static void make_listing(const struct hermes_prog *prog, uint32_t pc, struct listing *l)
{
	const struct hermes_insn *code = (const struct hermes_insn *)prog->image;
	size_t n = code_slots(prog), before[HERMES_FAULT_CONTEXT], nb = 0, s = 0;

	memset(l, 0, sizeof(*l));
	while (s < n && s < pc) {
		before[nb++ % HERMES_FAULT_CONTEXT] = s;
		s += code[s].opcode == HERMES_OP_LDDW && s + 1 < n ? 2 : 1;
	}
	for (size_t i = nb > HERMES_FAULT_CONTEXT ? nb - HERMES_FAULT_CONTEXT : 0; i < nb; i++)
		l->pc[l->n++] = before[i % HERMES_FAULT_CONTEXT];
	l->fault = l->n;
	if (pc >= n) {
		l->fault = 2 * HERMES_FAULT_CONTEXT + 1; /* not in the program: nothing marked */
	} else {
		s = pc;
		for (unsigned k = 0; k <= HERMES_FAULT_CONTEXT && s < n; k++) {
			l->pc[l->n++] = s;
			s += code[s].opcode == HERMES_OP_LDDW && s + 1 < n ? 2 : 1;
		}
	}
	for (size_t i = 0; i < l->n; i++)
		disasm_at(prog, l->pc[i], l->text[i], sizeof(l->text[i]));
}

/* ---- the address ---------------------------------------------------------------- */

/* Bytes accessed by a load, store or atomic instruction. */
static unsigned access_size(uint8_t op)
{
	static const unsigned sizes[4] = { 4, 2, 1, 8 };

	return sizes[(op >> 3) & 3];
}

/* Each region owns a 256 MiB window of the engine address space. */
#define REGION_WINDOW 0x10000000ull

static int in_window(uint64_t addr, uint64_t base, uint64_t *off)
{
	if (addr < base || addr - base >= REGION_WINDOW)
		return 0;
	*off = addr - base;
	return 1;
}

/* "data slot + 0x10: the 8-byte load crosses the end of the slot (0x100000 bytes)". */
static void region_str(char *buf, size_t len, const char *name, uint64_t off, uint64_t size,
		       unsigned access, const char *what)
{
	if (off >= size)
		snprintf(buf, len, "%s + 0x%" PRIx64 ", past its end (the %s is 0x%" PRIx64 " bytes)", name,
			 off, name, size);
	else
		snprintf(buf, len, "%s + 0x%" PRIx64 ": the %u-byte %s crosses its end (the %s is 0x%" PRIx64
			 " bytes)", name, off, access, what, name, size);
}

void hermes_fault_addr_str(const struct hermes_prog *prog, const struct hermes_run_result *res,
			   const struct hermes_info *info, char *buf, size_t len)
{
	uint64_t psize = info ? info->prog_slot_size : HERMES_DEFAULT_PROG_SLOT_SIZE;
	uint64_t dsize = info ? info->data_slot_size : HERMES_DEFAULT_DATA_SLOT_SIZE;
	uint64_t a = res->addr, off;
	size_t n = code_slots(prog);
	unsigned size = 0;

	if (res->pc < n)
		size = access_size(prog->image[8 * (size_t)res->pc]);
	switch (res->cause) {
	case HERMES_FAULT_LOAD:
	case HERMES_FAULT_STORE: {
		const char *what = res->cause == HERMES_FAULT_LOAD ? "load" : "store";

		static const struct { uint64_t base; const char *name; } regions[] = {
			{ HERMES_PROG_BASE, "program slot" },
			{ HERMES_DATA_BASE, "data slot" },
			{ HERMES_STACK_BASE, "stack" },
		};
		size_t below = 0;

		/* Just below a region: a negative offset from its base. */
		for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
			if (a < regions[i].base && regions[i].base - a <= 0x10000)
				below = i + 1;
		if (below) {
			snprintf(buf, len, "0x%" PRIx64 " bytes below the %s (0x%" PRIx64 ")",
				 regions[below - 1].base - a, regions[below - 1].name, regions[below - 1].base);
		} else if (in_window(a, HERMES_PROG_BASE, &off)) {
			if (res->cause == HERMES_FAULT_STORE && off < prog->code_len)
				snprintf(buf, len, "program slot + 0x%" PRIx64 ", inside the code (0x%zx bytes), "
					 "which is read-only", off, prog->code_len);
			else if (res->cause == HERMES_FAULT_STORE && off + size <= psize)
				snprintf(buf, len, "program slot + 0x%" PRIx64 ": the %u-byte store reaches into "
					 "the code (0x%zx bytes), which is read-only", off, size, prog->code_len);
			else
				region_str(buf, len, "program slot", off, psize, size, what);
		} else if (in_window(a, HERMES_DATA_BASE, &off)) {
			region_str(buf, len, "data slot", off, dsize, size, what);
		} else if (in_window(a, HERMES_STACK_BASE, &off)) {
			region_str(buf, len, "stack", off, HERMES_STACK_SIZE, size, what);
		} else if (in_window(a, HERMES_MAP_BASE, &off)) {
			if (res->cause == HERMES_FAULT_STORE && off < HERMES_MAP_STORAGE_OFF)
				snprintf(buf, len, "map slot + 0x%" PRIx64 ", before the map storage (0x%x): map "
					 "descriptors and trace buffers are read-only to programs", off,
					 HERMES_MAP_STORAGE_OFF);
			else
				region_str(buf, len, "map slot", off, HERMES_DEFAULT_MAP_SLOT_SIZE, size, what);
		} else {
			snprintf(buf, len, "outside every region (program slot 0x%llx, data slot 0x%llx, "
				 "stack 0x%llx): a bad pointer or offset",
				 HERMES_PROG_BASE, HERMES_DATA_BASE, HERMES_STACK_BASE);
		}
		break;
	}
	case HERMES_FAULT_FETCH: {
		int64_t target = (int64_t)(a - HERMES_PROG_BASE) / 8;

		snprintf(buf, len, "instruction %" PRId64 " (0x%llx + 8 * %" PRId64 "), outside the program "
			 "(instructions 0 to %zu)", target, HERMES_PROG_BASE, target, n ? n - 1 : 0);
		break;
	}
	case HERMES_FAULT_UNKNOWN_HELPER:
		snprintf(buf, len, "helper id %" PRIu64 " (Hermes has helpers 1-3 and 5-8, docs/MAPS.md)", a);
		break;
	case HERMES_FAULT_BAD_HELPER_ARG:
		snprintf(buf, len, "map argument 0x%" PRIx64 ": not the descriptor of a map of this object "
			 "(0x%llx + 64 x map index), or a corrupt descriptor", a, HERMES_MAP_BASE);
		break;
	case HERMES_FAULT_CALL_DEPTH:
		snprintf(buf, len, "none: the call would open a %uth frame (at most %u)",
			 HERMES_MAX_FRAMES + 1, HERMES_MAX_FRAMES);
		break;
	case HERMES_FAULT_BUDGET:
		snprintf(buf, len, "none: %" PRIu64 " instructions retired, the whole budget (--max-insns)",
			 res->insns);
		break;
	case HERMES_FAULT_ABORTED:
		snprintf(buf, len, "none: the host set ABORT");
		break;
	case HERMES_FAULT_ILLEGAL:
		snprintf(buf, len, "none: the engine does not execute this encoding (docs/ISA.md, "
			 "\"Decoding rules\")");
		break;
	default:
		snprintf(buf, len, "0x%" PRIx64, a);
		break;
	}
}

/* ---- text ------------------------------------------------------------------------- */

static const char *pc_note(unsigned cause)
{
	/* Budget and abort stop before the instruction at pc. */
	return cause == HERMES_FAULT_BUDGET || cause == HERMES_FAULT_ABORTED ? " (next, not executed)" : "";
}

int hermes_fault_report_text(const struct hermes_prog *prog, const struct hermes_run_result *res,
			     const struct hermes_itrace_state *st, const struct hermes_info *info,
			     unsigned flags, char **textp)
{
	char addr[256], line[HERMES_ITRACE_LINE];
	struct listing l;
	size_t size = 0;
	char *text = NULL;
	FILE *f;

	*textp = NULL;
	if (!prog || !res || res->status != HERMES_ST_EBPF_ERROR)
		return -EINVAL;
	f = open_memstream(&text, &size);
	if (!f)
		return -ENOMEM;
	make_listing(prog, res->pc, &l);
	hermes_fault_addr_str(prog, res, info, addr, sizeof(addr));
	fprintf(f, "fault   %s (cause %u)\n", hermes_fault_str(res->cause), res->cause);
	if (l.fault < l.n)
		fprintf(f, "at      pc %" PRIu32 "%s: %s\n", res->pc, pc_note(res->cause), l.text[l.fault]);
	else
		fprintf(f, "at      pc %" PRIu32 ", outside the program (%zu instructions)\n", res->pc,
			code_slots(prog));
	fprintf(f, "address 0x%" PRIx64 ": %s\n", res->addr, addr);
	fprintf(f, "\ncode:\n");
	for (size_t i = 0; i < l.n; i++)
		fprintf(f, "  %s %6zu  %s\n", i == l.fault ? "=>" : "  ", l.pc[i], l.text[i]);
	if (st && st->valid) {
		fprintf(f, "\nregisters at the fault (call depth %u):\n", st->depth);
		for (unsigned r = 0; r <= 10; r++)
			fprintf(f, "%s r%-2u 0x%016" PRIx64 "%s", r % 4 ? "" : " ", r, st->regs[r],
				r % 4 == 3 || r == 10 ? "\n" : "  ");
		if (st->nhist) {
			fprintf(f, "\nlast %zu retired instructions:\n", st->nhist);
			hermes_itrace_header(flags, line, sizeof(line));
			fprintf(f, "%s\n", line);
			for (size_t i = 0; i < st->nhist; i++) {
				hermes_itrace_line(&st->hist[i], prog, flags, line, sizeof(line));
				fprintf(f, "%s\n", line);
			}
		} else {
			fprintf(f, "\nno instruction retired before the fault\n");
		}
		if (!(flags & HERMES_ITRACE_NOCLOCK)) {
			fprintf(f, "(registers from the %s", st->source);
			if (st->nhist && st->hist[st->nhist - 1].clock != HERMES_ITRACE_NO_CLOCK) {
				uint64_t c = st->hist[st->nhist - 1].clock;

				fprintf(f, "; the last instruction retired at clock %" PRIu64 ": waveform around it "
					"with --trace run.fst --trace-window %" PRIu64 ":%" PRIu64,
					c, c > 200 ? c - 200 : 0, c + 50);
			}
			fprintf(f, ")\n");
		}
	} else {
		fprintf(f, "\nregisters: not available (this device has no retire stream; "
			"run on -d sim or -d ref to see them)\n");
	}
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	*textp = text;
	return 0;
}

/* ---- JSON ------------------------------------------------------------------------- */

int hermes_fault_report_json(const struct hermes_prog *prog, const struct hermes_run_result *res,
			     const struct hermes_itrace_state *st, const struct hermes_info *info,
			     char **jsonp)
{
	char addr[256], text[HERMES_ITRACE_LINE];
	struct listing l;
	size_t size = 0;
	char *json = NULL;
	FILE *f;

	*jsonp = NULL;
	if (!prog || !res || res->status != HERMES_ST_EBPF_ERROR)
		return -EINVAL;
	f = open_memstream(&json, &size);
	if (!f)
		return -ENOMEM;
	make_listing(prog, res->pc, &l);
	hermes_fault_addr_str(prog, res, info, addr, sizeof(addr));
	fprintf(f, "{\"cause\": %u, \"cause_name\": ", res->cause);
	hermes__json_string(f, hermes_fault_str(res->cause));
	fprintf(f, ", \"pc\": %" PRIu32 ", \"executed\": %s, \"insn\": ", res->pc,
		*pc_note(res->cause) ? "false" : "true");
	if (l.fault < l.n)
		hermes__json_string(f, l.text[l.fault]);
	else
		fprintf(f, "null");
	fprintf(f, ", \"addr\": %" PRIu64 ", \"addr_hex\": \"0x%" PRIx64 "\", \"addr_info\": ", res->addr,
		res->addr);
	hermes__json_string(f, addr);
	fprintf(f, ", \"code\": [");
	for (size_t i = 0; i < l.n; i++) {
		fprintf(f, "%s{\"pc\": %zu, \"insn\": ", i ? ", " : "", l.pc[i]);
		hermes__json_string(f, l.text[i]);
		fprintf(f, ", \"fault\": %s}", i == l.fault ? "true" : "false");
	}
	fprintf(f, "]");
	if (st && st->valid) {
		fprintf(f, ", \"regs\": {");
		for (unsigned r = 0; r <= 10; r++)
			fprintf(f, "%s\"r%u\": \"0x%016" PRIx64 "\"", r ? ", " : "", r, st->regs[r]);
		fprintf(f, "}, \"regs_source\": ");
		hermes__json_string(f, st->source);
		fprintf(f, ", \"depth\": %u, \"last\": [", st->depth);
		for (size_t i = 0; i < st->nhist; i++) {
			const struct hermes_itrace_rec *rec = &st->hist[i];

			fprintf(f, "%s{", i ? ", " : "");
			if (rec->clock != HERMES_ITRACE_NO_CLOCK)
				fprintf(f, "\"clock\": %" PRIu64 ", ", rec->clock);
			fprintf(f, "\"engine\": %u, \"pc\": %" PRIu32 ", \"insn\": ", rec->engine, rec->r.pc);
			hermes_itrace_disasm(&rec->r, prog, text, sizeof(text));
			hermes__json_string(f, text);
			fprintf(f, ", \"effect\": ");
			hermes_itrace_effect(&rec->r, text, sizeof(text));
			hermes__json_string(f, text);
			fprintf(f, "}");
		}
		fprintf(f, "]");
	} else {
		fprintf(f, ", \"regs\": null");
	}
	fprintf(f, "}");
	if (fclose(f)) {
		free(json);
		return -ENOMEM;
	}
	*jsonp = json;
	return 0;
}
