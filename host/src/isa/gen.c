/* SPDX-License-Identifier: MIT */
/*
 * gen.c - seeded random eBPF program generator (see gen.h).
 *
 * Programs are built from structured statements so that every instruction
 * is reachable and every jump goes forward, except the back edge of a
 * counted loop:
 *
 *   simple   one ALU / lddw / stack / atomic / data instruction
 *   if       jcc T; <block>; T:
 *   if/else  jcc E; <block>; ja J; E: <block>; J:
 *   loop     mov rc, N; L: <block>; sub rc, 1; jne rc, 0, L    (rc in r6-r9)
 *   call     call local sub_k; r1-r5 rewritten (the kernel clobbers them)
 *
 * Subprograms (HERMES_GEN_CALL) follow main's exit; sub k only calls
 * subs j > k, so the call graph is acyclic and at most nsubs + 1 deep.
 */
#include <errno.h>
#include <string.h>

#include "gen.h"

/* ---- PRNG --------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void hermes_rng_seed(struct hermes_rng *rng, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t hermes_rng_next(struct hermes_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t r = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* ---- generator state ---------------------------------------------------- */

#define MAX_SUBS 3
#define MAX_CALLS 64

struct call_fixup {
	size_t pc;
	unsigned sub;
};

struct gen {
	struct hermes_rng rng;
	const uint8_t *choices; /* hermes_gen_program_from_bytes(): used before rng */
	size_t nchoices, pos;
	struct hermes_insn *out;
	size_t max, n;
	int overflow;

	unsigned classes;
	unsigned insns;
	unsigned stack_bytes;
	unsigned data_bytes;
	unsigned max_depth;
	unsigned max_loop_iters;
	unsigned data_offset;
	unsigned tickets;      /* ticket records written so far (HERMES_GEN_SHARED) */
	int opaque;

	uint16_t reserved;     /* registers the body must not write */
	unsigned loops;        /* loops around the current statement */
	unsigned cur_sub;      /* 0: main, k: subprogram k */
	unsigned nsubs;
	size_t sub_pc[MAX_SUBS + 1];
	struct call_fixup calls[MAX_CALLS + MAX_SUBS];
	unsigned ncalls;
	uint8_t called[MAX_SUBS + 1];
};

/*
 * A random value of the given width in bytes (1-8): the next bytes of the
 * caller's choices while they last (little-endian; a short tail is
 * zero-extended), then the PRNG.
 */
static uint64_t draw(struct gen *g, unsigned bytes)
{
	uint64_t v = 0;

	if (g->pos >= g->nchoices)
		return hermes_rng_next(&g->rng);
	for (unsigned i = 0; i < bytes && g->pos < g->nchoices; i++)
		v |= (uint64_t)g->choices[g->pos++] << (8 * i);
	return v;
}

static uint32_t rnd(struct gen *g, uint32_t n)
{
	/* Only as many choice bytes as n needs, so that fuzzer inputs stay short. */
	unsigned bytes = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;

	return n ? (uint32_t)(draw(g, bytes) % n) : 0;
}

static int chance(struct gen *g, unsigned percent)
{
	return rnd(g, 100) < percent;
}

static void emit(struct gen *g, uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	if (g->n >= g->max) {
		g->overflow = 1;
		return;
	}
	g->out[g->n].opcode = op;
	g->out[g->n].regs = (uint8_t)((src << 4) | (dst & 0xf));
	g->out[g->n].off = off;
	g->out[g->n].imm = imm;
	g->n++;
}

static void emit_lddw(struct gen *g, unsigned dst, uint64_t v)
{
	emit(g, HERMES_OP_LDDW, dst, 0, 0, (int32_t)(uint32_t)v);
	emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

/* Patch the jump at pc so that it lands on target (a slot index). */
static void patch_off(struct gen *g, size_t pc, size_t target)
{
	if (g->overflow || pc >= g->n)
		return;
	g->out[pc].off = (int16_t)((long)target - (long)pc - 1);
}

static void patch_imm(struct gen *g, size_t pc, size_t target)
{
	if (g->overflow || pc >= g->n)
		return;
	g->out[pc].imm = (int32_t)((long)target - (long)pc - 1);
}

/* A 64-bit value with a bias towards edge cases. */
static uint64_t interesting64(struct gen *g)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 7, 8, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
		0xffffffff80000000ull, 0xffffffff7fffffffull, 0x00000000ffff0000ull,
	};

	switch (rnd(g, 6)) {
	case 0:
	case 1:
		return edge[rnd(g, sizeof(edge) / sizeof(edge[0]))];
	case 2:
		return (uint64_t)(int64_t)(int32_t)(rnd(g, 33) - 16); /* small, signed */
	case 3:
		return (uint64_t)(int64_t)(int32_t)draw(g, 4);
	default:
		return draw(g, 8);
	}
}

static int32_t interesting32(struct gen *g)
{
	return (int32_t)(uint32_t)interesting64(g);
}

/* Registers the current statement may write: r0-r9 minus reserved. */
static unsigned pick_wreg(struct gen *g)
{
	unsigned r;

	do
		r = rnd(g, 10);
	while (g->reserved & (1u << r));
	return r;
}

/* Registers it may read: r0-r9 (all are initialised by the prologue). */
static unsigned pick_rreg(struct gen *g)
{
	return rnd(g, 10);
}

/* ---- simple statements -------------------------------------------------- */

static const uint8_t alu_ops[] = {
	HERMES_ALU_ADD, HERMES_ALU_SUB, HERMES_ALU_MUL, HERMES_ALU_DIV, HERMES_ALU_OR,
	HERMES_ALU_AND, HERMES_ALU_LSH, HERMES_ALU_RSH, HERMES_ALU_NEG, HERMES_ALU_MOD,
	HERMES_ALU_XOR, HERMES_ALU_MOV, HERMES_ALU_ARSH, HERMES_ALU_END,
};

static void gen_alu(struct gen *g, int is64)
{
	uint8_t cls = is64 ? HERMES_CLS_ALU64 : HERMES_CLS_ALU;
	uint8_t op = alu_ops[rnd(g, sizeof(alu_ops))];
	unsigned width = is64 ? 64 : 32;
	unsigned dst = pick_wreg(g);
	int16_t off = 0;
	int32_t imm;

	switch (op) {
	case HERMES_ALU_NEG:
		emit(g, cls | op, dst, 0, 0, 0);
		return;
	case HERMES_ALU_END: {
		static const int32_t widths[] = { 16, 32, 64 };

		imm = widths[rnd(g, 3)];
		/* ALU: le (K bit) or be (X bit); ALU64: bswap (K bit only). */
		emit(g, cls | op | (!is64 && chance(g, 50) ? HERMES_SRC_X : HERMES_SRC_K), dst, 0, 0, imm);
		return;
	}
	case HERMES_ALU_DIV:
	case HERMES_ALU_MOD:
		off = chance(g, 50); /* sdiv / smod */
		break;
	case HERMES_ALU_MOV:
		if (chance(g, 30)) { /* movsx: X form only */
			static const int16_t sx[] = { 8, 16, 32 };

			off = sx[rnd(g, is64 ? 3 : 2)];
			emit(g, cls | op | HERMES_SRC_X, dst, pick_rreg(g), off, 0);
			return;
		}
		break;
	default:
		break;
	}

	if (chance(g, 50)) {
		emit(g, cls | op | HERMES_SRC_X, dst, pick_rreg(g), off, 0);
		return;
	}
	if (op == HERMES_ALU_LSH || op == HERMES_ALU_RSH || op == HERMES_ALU_ARSH) {
		imm = (int32_t)rnd(g, width);
	} else {
		imm = interesting32(g);
		if ((op == HERMES_ALU_DIV || op == HERMES_ALU_MOD) && imm == 0)
			imm = chance(g, 50) ? -1 : 3; /* the kernel rejects an immediate divisor 0 */
	}
	emit(g, cls | op | HERMES_SRC_K, dst, 0, off, imm);
}

static const uint8_t sizes[] = { HERMES_SZ_B, HERMES_SZ_H, HERMES_SZ_W, HERMES_SZ_DW };
static const unsigned size_bytes[] = { 1, 2, 4, 8 };

/* An aligned offset from r10 into the stack window for an access of n bytes. */
static int16_t stack_off(struct gen *g, unsigned n)
{
	unsigned slots = g->stack_bytes / n;

	return (int16_t)(-(int)g->stack_bytes + (int)(rnd(g, slots) * n));
}

static void gen_stack(struct gen *g)
{
	unsigned k = rnd(g, 4);
	uint8_t sz = sizes[k];
	unsigned n = size_bytes[k];
	int16_t off = stack_off(g, n);

	switch (rnd(g, 4)) {
	case 0: /* ldx */
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sz, pick_wreg(g), 10, off, 0);
		break;
	case 1: /* ldxs: B, H, W */
		if (n == 8) {
			k = rnd(g, 3);
			sz = sizes[k];
			off = stack_off(g, size_bytes[k]);
		}
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEMSX | sz, pick_wreg(g), 10, off, 0);
		break;
	case 2: /* st imm */
		emit(g, HERMES_CLS_ST | HERMES_MODE_MEM | sz, 10, 0, off, interesting32(g));
		break;
	default: /* stx */
		emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sz, 10, pick_rreg(g), off, 0);
		break;
	}
}

/* The first four do not fetch; the rest write their source register (or r0). */
#define N_ATOMIC_PLAIN 4
static const int32_t atomic_ops[] = {
	HERMES_ATOMIC_ADD, HERMES_ATOMIC_OR, HERMES_ATOMIC_AND, HERMES_ATOMIC_XOR,
	HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH, HERMES_ATOMIC_OR | HERMES_ATOMIC_FETCH,
	HERMES_ATOMIC_AND | HERMES_ATOMIC_FETCH, HERMES_ATOMIC_XOR | HERMES_ATOMIC_FETCH,
	HERMES_ATOMIC_XCHG, HERMES_ATOMIC_CMPXCHG,
};

/* One atomic on [base+off]; the source register is written by fetch/xchg. */
static void gen_atomic_at(struct gen *g, unsigned base, int16_t off, int dw)
{
	unsigned nops = (g->classes & HERMES_GEN_ATOMIC_FETCH) ?
			sizeof(atomic_ops) / sizeof(atomic_ops[0]) : N_ATOMIC_PLAIN;
	int32_t op = atomic_ops[rnd(g, nops)];
	unsigned src = (op & HERMES_ATOMIC_FETCH) ? pick_wreg(g) : pick_rreg(g);

	emit(g, HERMES_CLS_STX | HERMES_MODE_ATOMIC | (dw ? HERMES_SZ_DW : HERMES_SZ_W),
	     base, src, off, op);
}

static void gen_stack_atomic(struct gen *g)
{
	int dw = chance(g, 50);

	gen_atomic_at(g, 10, stack_off(g, dw ? 8 : 4), dw);
}

/* Data window at r9: any alignment for loads/stores, natural for atomics. */
static void gen_data(struct gen *g)
{
	unsigned k = rnd(g, 4);
	uint8_t sz = sizes[k];
	unsigned n = size_bytes[k];
	int16_t off = (int16_t)rnd(g, g->data_bytes - n + 1);

	switch (rnd(g, 5)) {
	case 0:
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sz, pick_wreg(g), 9, off, 0);
		break;
	case 1:
		if (n == 8) {
			sz = sizes[rnd(g, 3)];
		}
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEMSX | sz, pick_wreg(g), 9, off, 0);
		break;
	case 2:
		emit(g, HERMES_CLS_ST | HERMES_MODE_MEM | sz, 9, 0, off, interesting32(g));
		break;
	case 3:
		emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sz, 9, pick_rreg(g), off, 0);
		break;
	default: {
		int dw = chance(g, 50);
		unsigned a = dw ? 8 : 4;

		gen_atomic_at(g, 9, (int16_t)(rnd(g, g->data_bytes / a) * a), dw);
		break;
	}
	}
}

/*
 * HERMES_GEN_SHARED: one operation on the shared area (gen.h), whose
 * combined effect with every other program's is independent of their order.
 */
static void gen_shared(struct gen *g)
{
	unsigned w = rnd(g, HERMES_GEN_SHARED_TICKET + 1);
	int16_t off = (int16_t)(8 * (int)w - (int)g->data_offset);
	unsigned r = pick_wreg(g);

	if (w == HERMES_GEN_SHARED_TICKET) {
		int16_t rec = (int16_t)(g->data_bytes + 8 * (g->tickets++ % HERMES_GEN_RECORDS));

		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, r, 0, 0, 1);
		emit(g, HERMES_CLS_STX | HERMES_MODE_ATOMIC | HERMES_SZ_DW, 9, r, off,
		     HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH);
		emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | HERMES_SZ_DW, 9, r, rec, 0);
	} else {
		int fetch = chance(g, 30);
		int32_t op = atomic_ops[w % N_ATOMIC_PLAIN] | (fetch ? HERMES_ATOMIC_FETCH : 0);

		if (!fetch)
			r = pick_rreg(g);
		emit(g, HERMES_CLS_STX | HERMES_MODE_ATOMIC | (w < 8 ? HERMES_SZ_DW : HERMES_SZ_W), 9, r,
		     off, op);
		if (!fetch)
			return;
	}
	/* The fetched value depends on the other engines: not to be used. */
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, r, 0, 0, interesting32(g));
}

static void gen_lddw(struct gen *g)
{
	emit_lddw(g, pick_wreg(g), interesting64(g));
}

/* ---- structured statements ---------------------------------------------- */

static const uint8_t jcc_ops[] = {
	HERMES_JMP_JEQ, HERMES_JMP_JGT, HERMES_JMP_JGE, HERMES_JMP_JSET, HERMES_JMP_JNE,
	HERMES_JMP_JSGT, HERMES_JMP_JSGE, HERMES_JMP_JLT, HERMES_JMP_JLE, HERMES_JMP_JSLT,
	HERMES_JMP_JSLE,
};

/* Emit a conditional jump with offset 0 (patched later); returns its pc. */
static size_t emit_jcc(struct gen *g)
{
	int j32;
	uint8_t op = jcc_ops[rnd(g, sizeof(jcc_ops))];
	size_t pc = g->n;

	if ((g->classes & (HERMES_GEN_JMP | HERMES_GEN_JMP32)) == (HERMES_GEN_JMP | HERMES_GEN_JMP32))
		j32 = chance(g, 50);
	else
		j32 = !(g->classes & HERMES_GEN_JMP);
	op |= j32 ? HERMES_CLS_JMP32 : HERMES_CLS_JMP;
	if (chance(g, 50))
		emit(g, op | HERMES_SRC_X, pick_rreg(g), pick_rreg(g), 0, 0);
	else
		emit(g, op | HERMES_SRC_K, pick_rreg(g), 0, 0, interesting32(g));
	return pc;
}

/* Emit ja with a zero offset (patched later): JMP `ja` or JMP32 `ja32`. */
static size_t emit_ja(struct gen *g, int *is32)
{
	size_t pc = g->n;

	if ((g->classes & HERMES_GEN_JMP32) && (!(g->classes & HERMES_GEN_JMP) || chance(g, 50))) {
		*is32 = 1;
		emit(g, HERMES_CLS_JMP32 | HERMES_JMP_JA, 0, 0, 0, 0);
	} else {
		*is32 = 0;
		emit(g, HERMES_CLS_JMP | HERMES_JMP_JA, 0, 0, 0, 0);
	}
	return pc;
}

static void gen_block(struct gen *g, unsigned budget, unsigned depth);

static void gen_if(struct gen *g, unsigned budget, unsigned depth)
{
	size_t jcc = emit_jcc(g);
	unsigned a, b;

	if (budget >= 4 && chance(g, 50)) {
		size_t ja;
		int ja32;

		a = 1 + rnd(g, budget - 2);
		b = budget - 1 - a;
		if (b == 0)
			b = 1;
		gen_block(g, a, depth + 1);
		ja = emit_ja(g, &ja32);
		patch_off(g, jcc, g->n);
		gen_block(g, b, depth + 1);
		if (ja32)
			patch_imm(g, ja, g->n);
		else
			patch_off(g, ja, g->n);
		return;
	}
	gen_block(g, budget, depth + 1);
	patch_off(g, jcc, g->n);
}

/* A counter register from r6-r9 (callee-saved, so calls keep it). */
static int pick_counter(struct gen *g)
{
	unsigned free_regs[4], nfree = 0;

	for (unsigned r = 6; r <= 9; r++)
		if (!(g->reserved & (1u << r)))
			free_regs[nfree++] = r;
	return nfree ? (int)free_regs[rnd(g, nfree)] : -1;
}

static void gen_loop(struct gen *g, unsigned budget, unsigned depth)
{
	int rc = pick_counter(g);
	size_t top, jne;

	if (rc < 0) {
		gen_block(g, budget, depth + 1);
		return;
	}
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, (unsigned)rc, 0, 0,
	     (int32_t)(1 + rnd(g, g->max_loop_iters)));
	g->reserved |= (uint16_t)(1u << rc);
	g->loops++;
	top = g->n;
	gen_block(g, budget, depth + 1);
	g->loops--;
	g->reserved &= (uint16_t)~(1u << rc);
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_SUB | HERMES_SRC_K, (unsigned)rc, 0, 0, 1);
	jne = g->n;
	emit(g, HERMES_CLS_JMP | HERMES_JMP_JNE | HERMES_SRC_K, (unsigned)rc, 0, 0, 0);
	patch_off(g, jne, top);
}

static void emit_call(struct gen *g, unsigned target)
{
	unsigned r;

	g->called[target] = 1;
	g->calls[g->ncalls].pc = g->n;
	g->calls[g->ncalls].sub = target;
	g->ncalls++;
	emit(g, HERMES_CLS_JMP | HERMES_JMP_CALL, 0, 1, 0, 0);
	/*
	 * HERMES_GEN_OVERLAP: a copy of one of r6-r9 into a scratch register
	 * right behind the call (rewritten below), so that the return target
	 * reads what the exit restores in the clocks it restores it, and its
	 * retire record shows the value read.
	 */
	if (g->classes & HERMES_GEN_OVERLAP)
		for (r = 1; r <= 5; r++)
			if (!(g->reserved & (1u << r))) {
				emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_X, r, 6 + rnd(g, 4), 0, 0);
				break;
			}
	/* The kernel treats r1-r5 as clobbered by a call: rewrite them. */
	for (r = 1; r <= 5; r++)
		if (!(g->reserved & (1u << r)))
			emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, r, 0, 0, interesting32(g));
}

static void gen_call(struct gen *g)
{
	if (g->cur_sub >= g->nsubs || g->ncalls >= MAX_CALLS)
		return;
	emit_call(g, g->cur_sub + 1 + rnd(g, g->nsubs - g->cur_sub));
}

/*
 * Every subprogram must be reachable (the kernel rejects unreachable code):
 * only main and subs 1..k can call sub k+1, so when function k ends and
 * nobody has called k+1 yet, k calls it.
 */
static void gen_call_next(struct gen *g)
{
	if (g->cur_sub < g->nsubs && !g->called[g->cur_sub + 1])
		emit_call(g, g->cur_sub + 1);
}

/*
 * HERMES_GEN_OVERLAP: a load into a register and, right after it, a
 * conditional jump on that register: forward over a block (taken or not,
 * by the data), or backward to the load with a condition that is never true
 * (r > r, r < r, r != r: the engine predicts it taken and must recover);
 * or a store followed by a forward jump (a mispredicted branch with a store
 * in flight). Sometimes the loaded value is stored at once (the engine
 * takes a store's value late, in MEM), or used at once before the jump: as
 * an ALU source or destination, then maybe stored. The jump on the loaded
 * value is decided late too (in MEM), with whatever the block after it
 * starts with behind it. Sometimes a second load, into another register,
 * comes between them, and the jump takes the first load's register as
 * its other operand (a data-slot load's value comes to the
 * engine a clock later than a stack load's: the late use must not run on
 * before the first one's value is there).
 */
/* A store of register r, size index k, into the data slot or the stack. */
static void store_reg(struct gen *g, unsigned r, unsigned k, int data, int stack)
{
	if (data && (!stack || chance(g, 50)))
		emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sizes[k], 9, r,
		     (int16_t)rnd(g, g->data_bytes - size_bytes[k] + 1), 0);
	else
		emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sizes[k], 10, r, stack_off(g, size_bytes[k]), 0);
}

static void gen_overlap(struct gen *g, unsigned budget, unsigned depth)
{
	static const uint8_t never[] = { HERMES_JMP_JGT, HERMES_JMP_JLT, HERMES_JMP_JNE,
					 HERMES_JMP_JSGT, HERMES_JMP_JSLT };
	int data = !!(g->classes & HERMES_GEN_DATA);
	int stack = !!(g->classes & (HERMES_GEN_STACK | HERMES_GEN_ATOMIC));
	unsigned r = pick_wreg(g), k = rnd(g, 4), other = 0;
	int pair = 0;
	size_t ld = g->n, jcc;

	if (!data && !stack) {
		gen_if(g, budget, depth);
		return;
	}
	if (chance(g, 25)) {
		/* store, then a jump on any register */
		if (data && (!stack || chance(g, 50)))
			emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sizes[k], 9, pick_rreg(g),
			     (int16_t)rnd(g, g->data_bytes - size_bytes[k] + 1), 0);
		else
			emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | sizes[k], 10, pick_rreg(g),
			     stack_off(g, size_bytes[k]), 0);
		gen_if(g, budget, depth);
		return;
	}
	if (chance(g, 25)) {
		/* the first of a pair of loads: its register is the other operand */
		other = pick_wreg(g);
		pair = other != r;
		if (pair && data && (!stack || chance(g, 70)))
			emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sizes[k], other, 9,
			     (int16_t)rnd(g, g->data_bytes - size_bytes[k] + 1), 0);
		else if (pair)
			emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sizes[k], other, 10,
			     stack_off(g, size_bytes[k]), 0);
		ld = g->n;
	}
	if (data && (!stack || chance(g, 50)))
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sizes[k], r, 9,
		     (int16_t)rnd(g, g->data_bytes - size_bytes[k] + 1), 0);
	else
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | sizes[k], r, 10, stack_off(g, size_bytes[k]), 0);
	if (pair) {
		/* a late jump on r whose other operand is the first load's */
		jcc = g->n;
		emit(g, jcc_ops[rnd(g, sizeof(jcc_ops))] | HERMES_CLS_JMP | HERMES_SRC_X, r, other, 0, 0);
		gen_block(g, budget, depth + 1);
		patch_off(g, jcc, g->n);
		return;
	}
	if (chance(g, 20))
		store_reg(g, r, rnd(g, 4), data, stack);
	if (chance(g, 35)) {
		static const uint8_t fwd_ops[] = { HERMES_ALU_ADD, HERMES_ALU_SUB, HERMES_ALU_XOR,
						   HERMES_ALU_OR, HERMES_ALU_MUL, HERMES_ALU_MOV };
		uint8_t cls = chance(g, 50) ? HERMES_CLS_ALU64 : HERMES_CLS_ALU;
		unsigned ks = rnd(g, 4);

		if (chance(g, 50))
			emit(g, cls | fwd_ops[rnd(g, sizeof(fwd_ops))] | HERMES_SRC_X, pick_wreg(g), r, 0, 0);
		else
			emit(g, cls | HERMES_ALU_XOR | HERMES_SRC_K, r, 0, 0, interesting32(g));
		if (chance(g, 50))
			store_reg(g, r, ks, data, stack);
	}
	if (chance(g, 40)) {
		uint8_t op = never[rnd(g, sizeof(never))] | (chance(g, 50) ? HERMES_CLS_JMP32 : HERMES_CLS_JMP);

		jcc = g->n;
		emit(g, op | HERMES_SRC_X, r, r, 0, 0);
		patch_off(g, jcc, ld);
		gen_block(g, budget, depth + 1);
		return;
	}
	jcc = g->n;
	if (chance(g, 50))
		emit(g, jcc_ops[rnd(g, sizeof(jcc_ops))] | HERMES_CLS_JMP | HERMES_SRC_X, r, pick_rreg(g), 0, 0);
	else
		emit(g, jcc_ops[rnd(g, sizeof(jcc_ops))] | HERMES_CLS_JMP | HERMES_SRC_K, r, 0, 0,
		     interesting32(g));
	gen_block(g, budget, depth + 1);
	patch_off(g, jcc, g->n);
}

enum stmt {
	ST_ALU32, ST_ALU64, ST_LDDW, ST_STACK, ST_ATOMIC, ST_DATA, ST_IF, ST_LOOP, ST_CALL, ST_OVERLAP,
	ST_SHARED, ST_N
};

static const unsigned stmt_class[ST_N] = {
	[ST_ALU32] = HERMES_GEN_ALU32, [ST_ALU64] = HERMES_GEN_ALU64,
	[ST_LDDW] = HERMES_GEN_LDDW, [ST_STACK] = HERMES_GEN_STACK,
	[ST_ATOMIC] = HERMES_GEN_ATOMIC, [ST_DATA] = HERMES_GEN_DATA,
	[ST_IF] = HERMES_GEN_JMP | HERMES_GEN_JMP32, [ST_LOOP] = HERMES_GEN_LOOP,
	[ST_CALL] = HERMES_GEN_CALL, [ST_OVERLAP] = HERMES_GEN_OVERLAP, [ST_SHARED] = HERMES_GEN_SHARED,
};

static const unsigned stmt_weight[ST_N] = {
	[ST_ALU32] = 30, [ST_ALU64] = 30, [ST_LDDW] = 4, [ST_STACK] = 12, [ST_ATOMIC] = 6,
	[ST_DATA] = 12, [ST_IF] = 12, [ST_LOOP] = 3, [ST_CALL] = 3, [ST_OVERLAP] = 12, [ST_SHARED] = 12,
};

static enum stmt pick_stmt(struct gen *g, unsigned budget, unsigned depth)
{
	unsigned total = 0, w[ST_N];

	for (int s = 0; s < ST_N; s++) {
		w[s] = (g->classes & stmt_class[s]) ? stmt_weight[s] : 0;
		if ((s == ST_IF || s == ST_LOOP || s == ST_OVERLAP) && (depth >= g->max_depth || budget < 2))
			w[s] = 0;
		/*
		 * No calls in loops: the run time would multiply with every level
		 * (HERMES_GEN_OVERLAP: one loop level, loops a third as likely).
		 */
		if (s == ST_CALL && (g->cur_sub >= g->nsubs ||
				     g->loops > ((g->classes & HERMES_GEN_OVERLAP) ? 1u : 0u)))
			w[s] = 0;
		total += w[s];
	}
	if (total == 0)
		return ST_N;
	unsigned x = rnd(g, total);
	for (int s = 0; s < ST_N; s++) {
		if (x < w[s])
			return (enum stmt)s;
		x -= w[s];
	}
	return ST_N;
}

static void gen_block(struct gen *g, unsigned budget, unsigned depth)
{
	while (budget > 0 && !g->overflow) {
		enum stmt s = pick_stmt(g, budget, depth);
		unsigned inner;

		switch (s) {
		case ST_ALU32: gen_alu(g, 0); budget--; break;
		case ST_ALU64: gen_alu(g, 1); budget--; break;
		case ST_LDDW: gen_lddw(g); budget--; break;
		case ST_STACK: gen_stack(g); budget--; break;
		case ST_ATOMIC: gen_stack_atomic(g); budget--; break;
		case ST_DATA: gen_data(g); budget--; break;
		case ST_SHARED: gen_shared(g); budget--; break;
		case ST_CALL: gen_call(g); budget--; break;
		case ST_IF:
			inner = 1 + rnd(g, budget - 1 < 16 ? budget - 1 : 16);
			gen_if(g, inner, depth);
			budget -= inner + 1 <= budget ? inner + 1 : budget;
			break;
		case ST_LOOP:
			inner = 1 + rnd(g, budget - 1 < 8 ? budget - 1 : 8);
			gen_loop(g, inner, depth);
			budget -= inner + 1 <= budget ? inner + 1 : budget;
			break;
		case ST_OVERLAP:
			inner = 1 + rnd(g, budget - 1 < 8 ? budget - 1 : 8);
			gen_overlap(g, inner, depth);
			budget -= inner + 1 <= budget ? inner + 1 : budget;
			break;
		default:
			/* No class enabled: a harmless mov keeps the budget moving. */
			emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, pick_wreg(g), 0, 0,
			     interesting32(g));
			budget--;
			break;
		}
	}
}

/* ---- prologue / epilogue ------------------------------------------------ */

static void gen_set_reg(struct gen *g, unsigned r)
{
	uint64_t v = interesting64(g);

	if ((g->classes & HERMES_GEN_LDDW) && (int64_t)v != (int64_t)(int32_t)v)
		emit_lddw(g, r, v);
	else if (chance(g, 30))
		emit(g, HERMES_CLS_ALU | HERMES_ALU_MOV | HERMES_SRC_K, r, 0, 0, (int32_t)v);
	else
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, r, 0, 0, (int32_t)v);
}

static int uses_stack(const struct gen *g)
{
	return !!(g->classes & (HERMES_GEN_STACK | HERMES_GEN_ATOMIC));
}

/*
 * Set every register the function may read, and the stack window.
 * Main sets r0-r9 (r9 = data base with DATA); a subprogram sets r0 and
 * r6-r9 (r1-r5 are its arguments; r9 stays the data base with DATA).
 */
static void gen_prologue(struct gen *g, int is_sub)
{
	int opaque = !is_sub && g->opaque;
	unsigned r;

	if (!is_sub && (g->classes & HERMES_GEN_DATA)) {
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_X, 9, 1, 0, 0);
		if (g->data_offset)
			emit(g, HERMES_CLS_ALU64 | HERMES_ALU_ADD | HERMES_SRC_K, 9, 0, 0, (int32_t)g->data_offset);
	}
	if (opaque)
		emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_W, 0, 1, 0, 0);
	for (r = opaque ? 1 : 0; r <= 9; r++) {
		if (is_sub && r >= 1 && r <= 5)
			continue;
		if (r == 9 && (g->classes & HERMES_GEN_DATA))
			continue;
		gen_set_reg(g, r);
		if (opaque && chance(g, 50))
			emit(g, HERMES_CLS_ALU64 | HERMES_ALU_XOR | HERMES_SRC_X, r, 0, 0, 0);
	}
	if (opaque)
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_XOR | HERMES_SRC_K, 0, 0, 0, interesting32(g));
	if (uses_stack(g)) {
		for (unsigned off = 8; off <= g->stack_bytes; off += 8) {
			if (chance(g, 50))
				emit(g, HERMES_CLS_ST | HERMES_MODE_MEM | HERMES_SZ_DW, 10, 0,
				     (int16_t)-(int)off, interesting32(g));
			else
				emit(g, HERMES_CLS_STX | HERMES_MODE_MEM | HERMES_SZ_DW, 10,
				     pick_rreg(g), (int16_t)-(int)off, 0);
		}
	}
}

#define MIX_MUL 0x2545f491 /* odd: multiplication by it is a bijection */

static void mix_into_r0(struct gen *g, unsigned r)
{
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_XOR | HERMES_SRC_X, 0, r, 0, 0);
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MUL | HERMES_SRC_K, 0, 0, 0, MIX_MUL);
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_X, r, 0, 0, 0);
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_RSH | HERMES_SRC_K, r, 0, 0, 29);
	emit(g, HERMES_CLS_ALU64 | HERMES_ALU_XOR | HERMES_SRC_X, 0, r, 0, 0);
}

/* r0 = mix(r0..r9, stack window); scratch r1 once it has been mixed in. */
static void gen_epilogue(struct gen *g, int fold32)
{
	unsigned r;

	for (r = 1; r <= 9; r++)
		mix_into_r0(g, r);
	if (uses_stack(g)) {
		for (unsigned off = 8; off <= g->stack_bytes; off += 8) {
			emit(g, HERMES_CLS_LDX | HERMES_MODE_MEM | HERMES_SZ_DW, 1, 10,
			     (int16_t)-(int)off, 0);
			mix_into_r0(g, 1);
		}
	}
	if (fold32) {
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_X, 1, 0, 0, 0);
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_RSH | HERMES_SRC_K, 1, 0, 0, 32);
		emit(g, HERMES_CLS_ALU64 | HERMES_ALU_XOR | HERMES_SRC_X, 0, 1, 0, 0);
	}
	/*
	 * HERMES_GEN_OVERLAP, in a subprogram: clobber one or two of r6-r9 right
	 * before the exit, which restores them while those writes are in flight.
	 */
	if (g->cur_sub && (g->classes & HERMES_GEN_OVERLAP))
		for (unsigned i = 1 + rnd(g, 2); i > 0; i--)
			emit(g, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K, 6 + rnd(g, 4), 0, 0,
			     interesting32(g));
	emit(g, HERMES_CLS_JMP | HERMES_JMP_EXIT, 0, 0, 0, 0);
}

/* ---- entry point -------------------------------------------------------- */

#define KNOWN_CLASSES (HERMES_GEN_ALL | HERMES_GEN_OVERLAP | HERMES_GEN_SHARED)
#define KNOWN_FLAGS (HERMES_GEN_FOLD32 | HERMES_GEN_OPAQUE)

/* g->rng and g->choices are set; everything else is zero. */
static int generate(struct gen *g, const struct hermes_gen_opts *opts,
		    struct hermes_insn *out, size_t max_slots, size_t *nslots)
{
	struct hermes_gen_opts o = { 0 };

	if (!out || !nslots)
		return -EINVAL;
	if (opts) {
		if (opts->sz < sizeof(size_t) || opts->sz > sizeof(o))
			return -EINVAL;
		memcpy(&o, opts, opts->sz);
	}
	g->insns = o.insns ? o.insns : 64;
	g->classes = o.classes ? o.classes : HERMES_GEN_KERNEL_SAFE;
	g->stack_bytes = o.stack_bytes ? o.stack_bytes : 64;
	g->data_bytes = o.data_bytes ? o.data_bytes : 256;
	g->max_depth = o.max_depth ? o.max_depth : 3;
	g->max_loop_iters = o.max_loop_iters ? o.max_loop_iters : 4;
	if ((g->classes & ~KNOWN_CLASSES) || (o.flags & ~KNOWN_FLAGS) ||
	    g->stack_bytes % 8 || g->stack_bytes > 512 || g->data_bytes < 8 ||
	    g->data_bytes > 32768 || g->insns > 1000000 || g->max_loop_iters > 1000)
		return -EINVAL;
	g->data_offset = o.data_offset;
	if (g->data_offset > 32768 ||
	    ((g->classes & HERMES_GEN_SHARED) &&
	     (!(g->classes & HERMES_GEN_DATA) || g->data_offset < HERMES_GEN_SHARED_BYTES ||
	      g->data_bytes > HERMES_GEN_SHARED_MAX_DATA)))
		return -EINVAL;
	g->opaque = !!(o.flags & HERMES_GEN_OPAQUE);
	g->out = out;
	g->max = max_slots;
	if (g->classes & HERMES_GEN_DATA)
		g->reserved |= 1u << 9;
	if (g->classes & HERMES_GEN_CALL)
		g->nsubs = 1 + rnd(g, MAX_SUBS);

	/* main */
	gen_prologue(g, 0);
	gen_block(g, g->insns, 0);
	gen_call_next(g);
	gen_epilogue(g, !!(o.flags & HERMES_GEN_FOLD32));

	/* subprograms, each a quarter of main's size */
	for (unsigned k = 1; k <= g->nsubs; k++) {
		g->cur_sub = k;
		g->sub_pc[k] = g->n;
		gen_prologue(g, 1);
		gen_block(g, g->insns / 4 + 1, 0);
		gen_call_next(g);
		gen_epilogue(g, 0);
	}
	if (g->overflow)
		return -ENOSPC;
	for (unsigned i = 0; i < g->ncalls; i++)
		patch_imm(g, g->calls[i].pc, g->sub_pc[g->calls[i].sub]);
	*nslots = g->n;
	return 0;
}

int hermes_gen_program(const struct hermes_gen_opts *opts, uint64_t seed,
		       struct hermes_insn *out, size_t max_slots, size_t *nslots)
{
	struct gen g = { 0 };

	hermes_rng_seed(&g.rng, seed);
	return generate(&g, opts, out, max_slots, nslots);
}

int hermes_gen_program_from_bytes(const struct hermes_gen_opts *opts, const void *choices,
				  size_t len, struct hermes_insn *out, size_t max_slots,
				  size_t *nslots)
{
	struct gen g = { 0 };
	uint64_t hash = 0xcbf29ce484222325ull; /* FNV-1a */

	if (len && !choices)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		hash = (hash ^ ((const uint8_t *)choices)[i]) * 0x100000001b3ull;
	hermes_rng_seed(&g.rng, hash);
	g.choices = choices;
	g.nchoices = len;
	return generate(&g, opts, out, max_slots, nslots);
}
