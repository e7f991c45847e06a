/* SPDX-License-Identifier: MIT */
/*
 * stalls.c - charging the clocks without a retire to causes read off the
 * retire stream (stalls.h).
 */
#include <errno.h>

#include "hermes/isa.h"
#include "stalls.h"

/* Fields of an instruction's first slot (little-endian as in memory). */
#define OPCODE(insn) ((unsigned)((insn) & 0xff))
#define CLASS(insn)  (OPCODE(insn) & 0x07)
#define DST(insn)    ((unsigned)(((insn) >> 8) & 0x0f))
#define SRC(insn)    ((unsigned)(((insn) >> 12) & 0x0f))
#define IMM(insn)    ((uint32_t)((insn) >> 32))

enum { CLS_LD, CLS_LDX, CLS_ST, CLS_STX, CLS_ALU, CLS_JMP, CLS_JMP32, CLS_ALU64 };
enum { OP_MUL = 0x20, OP_DIV = 0x30, OP_NEG = 0x80, OP_MOD = 0x90, OP_MOV = 0xb0, OP_END = 0xd0 };
enum { OP_JA = 0x00, OP_CALL = 0x80, OP_EXIT = 0x90 };
enum { SRC_X = 0x08, MODE_ATOMIC = 0xc0, ATOMIC_CMPXCHG = 0xf1 };

static int is_alu(uint64_t insn)
{
	return CLASS(insn) == CLS_ALU || CLASS(insn) == CLS_ALU64;
}

static int is_jmp(uint64_t insn)
{
	return CLASS(insn) == CLS_JMP || CLASS(insn) == CLS_JMP32;
}

static int alu_op_is(uint64_t insn, unsigned op)
{
	return is_alu(insn) && (OPCODE(insn) & 0xf0) == op;
}

static int is_helper_call(uint64_t insn)
{
	return CLASS(insn) == CLS_JMP && (OPCODE(insn) & 0xf0) == OP_CALL && SRC(insn) == 0;
}

static int is_atomic(uint64_t insn)
{
	return CLASS(insn) == CLS_STX && (OPCODE(insn) & 0xe0) == MODE_ATOMIC;
}

static int is_store(uint64_t insn)
{
	return (CLASS(insn) == CLS_ST || CLASS(insn) == CLS_STX) && !is_atomic(insn);
}

/* The registers an instruction reads, as a bit mask (bit n: rn). */
static unsigned regs_read(uint64_t insn)
{
	unsigned dst = 1u << DST(insn), src = 1u << SRC(insn), op = OPCODE(insn) & 0xf0;

	switch (CLASS(insn)) {
	case CLS_LD:
		return 0;
	case CLS_LDX:
		return src;
	case CLS_ST:
		return dst;
	case CLS_STX:
		return dst | src | (is_atomic(insn) && IMM(insn) == ATOMIC_CMPXCHG ? 1u : 0);
	case CLS_ALU:
	case CLS_ALU64:
		if (op == OP_MOV)
			return (OPCODE(insn) & SRC_X) ? src : 0;
		if (op == OP_NEG || op == OP_END)
			return dst;
		return dst | ((OPCODE(insn) & SRC_X) ? src : 0);
	default: /* jumps */
		if (op == OP_JA)
			return 0;
		if (op == OP_CALL)
			return SRC(insn) == 0 ? 0x3e : 0; /* a helper reads r1-r5 */
		if (op == OP_EXIT)
			return 1;
		return dst | ((OPCODE(insn) & SRC_X) ? src : 0);
	}
}

/* P's register write if I reads it; HERMES_RETIRE_NO_REG never matches. */
static int reads_result_of(const struct hermes_retire *i, const struct hermes_retire *p)
{
	return p->rd < 11 && (regs_read(i->insn) & (1u << p->rd));
}

static int is_load(const struct hermes_retire *r)
{
	return r->mem == HERMES_MEM_LOAD;
}

static int on_stack(const struct hermes_retire *r)
{
	return r->mem_addr >= HERMES_STACK_BASE && r->mem_addr < HERMES_STACK_BASE + 0x10000000ull;
}

static enum hermes_stall_cause cause_of(const struct hermes_stalls *s, const struct hermes_retire *i)
{
	const struct hermes_retire *p1 = &s->prev[0], *p2 = &s->prev[1];
	const struct hermes_retire *load = NULL;

	if (is_helper_call(i->insn))
		return HERMES_STALL_HELPER;
	if (alu_op_is(i->insn, OP_DIV) || alu_op_is(i->insn, OP_MOD))
		return HERMES_STALL_DIVIDE;
	if (is_atomic(i->insn))
		return HERMES_STALL_ATOMIC;
	if (is_helper_call(p1->insn))
		return HERMES_STALL_HELPER;
	if (is_jmp(p1->insn)) {
		unsigned op = OPCODE(p1->insn) & 0xf0;

		return op == OP_CALL || op == OP_EXIT ? HERMES_STALL_CALL_EXIT : HERMES_STALL_BRANCH;
	}
	if (is_load(p1) && reads_result_of(i, p1))
		load = p1;
	else if (s->insns >= 2 && is_load(p2) && reads_result_of(i, p2))
		load = p2;
	if (load)
		return on_stack(load) ? HERMES_STALL_STACK_LOAD : HERMES_STALL_SLOT_LOAD;
	if (alu_op_is(p1->insn, OP_MUL) && reads_result_of(i, p1))
		return HERMES_STALL_MUL;
	if (is_store(p1->insn))
		return HERMES_STALL_AFTER_STORE;
	return HERMES_STALL_OTHER;
}

int hermes_stalls_add(struct hermes_stalls *s, const struct hermes_itrace_rec *rec)
{
	if (rec->clock == HERMES_ITRACE_NO_CLOCK || (s->insns && rec->clock <= s->last_clock))
		return -EINVAL;
	if (!s->insns)
		s->first_clock = rec->clock;
	else if (rec->clock > s->last_clock + 1)
		s->lost[cause_of(s, &rec->r)] += rec->clock - s->last_clock - 1;
	s->last_clock = rec->clock;
	s->prev[1] = s->prev[0];
	s->prev[0] = rec->r;
	s->insns++;
	return 0;
}

uint64_t hermes_stalls_total(const struct hermes_stalls *s)
{
	uint64_t sum = 0;

	for (int c = 0; c < HERMES_STALL_CAUSES; c++)
		sum += s->lost[c];
	return sum;
}

const char *hermes_stall_name(enum hermes_stall_cause cause)
{
	static const char *const names[HERMES_STALL_CAUSES] = {
		[HERMES_STALL_SLOT_LOAD] = "slot-load",
		[HERMES_STALL_STACK_LOAD] = "stack-load",
		[HERMES_STALL_BRANCH] = "branch",
		[HERMES_STALL_CALL_EXIT] = "call-exit",
		[HERMES_STALL_MUL] = "mul",
		[HERMES_STALL_DIVIDE] = "divide",
		[HERMES_STALL_ATOMIC] = "atomic",
		[HERMES_STALL_HELPER] = "helper",
		[HERMES_STALL_AFTER_STORE] = "after-store",
		[HERMES_STALL_OTHER] = "other",
	};

	return (unsigned)cause < HERMES_STALL_CAUSES ? names[cause] : "?";
}
