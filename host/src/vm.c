/* SPDX-License-Identifier: MIT */
/*
 * vm.c - the reference eBPF VM, the executable specification of the engine
 * (docs/ISA.md).
 *
 * One interpreter body, vm_exec(), serves both entry points: it is inlined
 * twice with a compile-time `step` flag, once as the run loop (no retire
 * records, budget and abort checked only at chunk boundaries) and once as
 * the single-step function that fills a retire record. Slots are decoded
 * once at load time (vm_decode.c), so the loop never re-checks legality.
 *
 * Arithmetic is done on unsigned types (wrap-around is defined); signed
 * views are taken only where the ISA compares or divides signed, and the
 * two undefined cases of C division (by zero, INT_MIN / -1) are handled
 * before dividing. Memory is accessed with memcpy (unaligned is legal).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hermes/regs.h"
#include "vm.h"
#include "vm_decode.h"

#if defined(__GNUC__)
#define VM_INLINE inline __attribute__((always_inline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#else
#define VM_INLINE inline
#define likely(x) (x)
#define unlikely(x) (x)
#endif

/* Largest region the address map has room for (bases are 256 MiB apart). */
#define VM_REGION_MAX 0x10000000ull

/* Run loop: how many instructions between two looks at the abort flag. */
#define VM_ABORT_CHUNK 65536u

struct vm_frame {
	uint64_t saved[5]; /* r6-r9, r10 */
	uint32_t ret_pc;
};

struct hermes_vm {
	uint64_t r[11];
	uint32_t pc;
	uint32_t n;            /* code slots */
	unsigned depth;        /* 0: the entry frame */
	int done;
	unsigned fault;
	uint32_t fault_pc;
	uint64_t fault_addr;
	uint64_t insns;
	uint64_t max_insns;
	atomic_int abort_req;

	uint8_t *prog;         /* caller's program slot */
	size_t prog_size;
	size_t code_len;
	uint8_t *data;         /* caller's data slot */
	size_t data_size;
	uint32_t data_len;     /* r2 at reset */

	struct vm_dinsn *dcode;
	uint64_t *raw;
	size_t cap;            /* slots allocated in dcode/raw */

	struct vm_frame frames[HERMES_MAX_FRAMES];
	_Alignas(8) uint8_t stack[HERMES_STACK_SIZE];
};

/* Little-endian memory access of n bytes (n a compile-time constant). */
static VM_INLINE uint64_t mem_get(const uint8_t *p, unsigned n)
{
	if (n == 1)
		return p[0];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n == 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
	if (n == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
#else
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
#endif
}

static VM_INLINE void mem_put(uint8_t *p, unsigned n, uint64_t v)
{
	if (n == 1) {
		p[0] = (uint8_t)v;
		return;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n == 2) {
		uint16_t w = (uint16_t)v;
		memcpy(p, &w, 2);
	} else if (n == 4) {
		uint32_t w = (uint32_t)v;
		memcpy(p, &w, 4);
	} else {
		memcpy(p, &v, 8);
	}
#else
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
#endif
}

/* Host pointer for an n-byte load at engine address a, or NULL. */
static VM_INLINE uint8_t *xlate_load(struct hermes_vm *vm, uint64_t a, unsigned n)
{
	uint64_t o;

	o = a - HERMES_DATA_BASE;
	if (o < vm->data_size && vm->data_size - o >= n)
		return vm->data + o;
	o = a - HERMES_STACK_BASE;
	if (o < HERMES_STACK_SIZE && HERMES_STACK_SIZE - o >= n)
		return vm->stack + o;
	o = a - HERMES_PROG_BASE;
	if (o < vm->prog_size && vm->prog_size - o >= n)
		return vm->prog + o;
	return NULL;
}

/* Host pointer for an n-byte store/atomic at a (never into code), or NULL. */
static VM_INLINE uint8_t *xlate_store(struct hermes_vm *vm, uint64_t a, unsigned n)
{
	uint64_t o;

	o = a - HERMES_DATA_BASE;
	if (o < vm->data_size && vm->data_size - o >= n)
		return vm->data + o;
	o = a - HERMES_STACK_BASE;
	if (o < HERMES_STACK_SIZE && HERMES_STACK_SIZE - o >= n)
		return vm->stack + o;
	o = a - HERMES_PROG_BASE;
	if (o >= vm->code_len && o < vm->prog_size && vm->prog_size - o >= n)
		return vm->prog + o;
	return NULL;
}

/* Division and modulo with the ISA's answers for the cases C leaves undefined. */
static VM_INLINE uint64_t udiv64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static VM_INLINE uint64_t umod64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static VM_INLINE uint32_t udiv32(uint32_t a, uint32_t b) { return b ? a / b : 0; }
static VM_INLINE uint32_t umod32(uint32_t a, uint32_t b) { return b ? a % b : a; }

static VM_INLINE uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX) /* x / -1 = -x; INT64_MIN stays INT64_MIN */
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static VM_INLINE uint64_t smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static VM_INLINE uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return 0 - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static VM_INLINE uint32_t smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Arithmetic right shifts (GCC and Clang shift signed values arithmetically). */
static VM_INLINE uint64_t ashr64(uint64_t a, unsigned s) { return (uint64_t)((int64_t)a >> s); }
static VM_INLINE uint32_t ashr32(uint32_t a, unsigned s) { return (uint32_t)((int32_t)a >> s); }

static VM_INLINE uint64_t prog_addr(int64_t slot)
{
	return HERMES_PROG_BASE + (uint64_t)slot * 8u;
}

/*
 * The interpreter. With step = true it executes at most one instruction,
 * filling *rec, and returns 1 when it retired; with step = false it runs to
 * the end (rec unused). Either way a fault or the final exit sets vm->done.
 */
static VM_INLINE int vm_exec(struct hermes_vm *vm, struct hermes_retire *rec, const bool step)
{
	uint64_t *const r = vm->r;
	const struct vm_dinsn *const code = vm->dcode;
	const uint32_t n = vm->n;
	uint32_t pc = vm->pc;
	uint64_t insns = vm->insns;
	uint64_t limit = insns; /* forces the budget/abort check first */
	unsigned cause = 0;
	uint64_t fault_addr = 0;
	int retired = 0;

	if (vm->done)
		return 0;
	/* Every transfer of control checks its target, so this holds from here on
	 * once a program is loaded (pc 0 < n). */
	if (unlikely(pc >= n)) {
		cause = HERMES_FAULT_FETCH;
		fault_addr = prog_addr(pc);
		goto fault;
	}

/* Record helpers: compiled out of the run loop. */
#define RD(reg, val) do { if (step) { rec->rd = (uint8_t)(reg); rec->rd_value = (val); } } while (0)
#define MEMREC(kind, addr, size, val) do { if (step) { rec->mem = (kind); rec->mem_addr = (addr); \
	rec->mem_size = (uint8_t)(size); rec->mem_value = (val); } } while (0)
#define FAULT(c, a) do { cause = (c); fault_addr = (a); goto fault; } while (0)
/* An instruction that falls through faults when its next pc is the end. */
#define FALLTHROUGH_CHECK(next) do { if (unlikely((next) >= n)) FAULT(HERMES_FAULT_FETCH, prog_addr(n)); } while (0)
#define NEXT() do { pc++; goto retire; } while (0)

	for (;;) {
		const struct vm_dinsn *d;

		if (unlikely(insns >= limit)) {
			/* Abort first: the host's request wins over everything. */
			if (atomic_load_explicit(&vm->abort_req, memory_order_relaxed))
				FAULT(HERMES_FAULT_ABORTED, 0);
			if (insns >= vm->max_insns)
				FAULT(HERMES_FAULT_BUDGET, 0);
			if (step)
				limit = insns;
			else
				limit = vm->max_insns - insns > VM_ABORT_CHUNK ? insns + VM_ABORT_CHUNK
									     : vm->max_insns;
		}
		d = &code[pc];
		if (step) {
			rec->pc = pc;
			rec->insn = vm->raw[pc];
			rec->rd = HERMES_RETIRE_NO_REG;
			rec->mem = HERMES_MEM_NONE;
			rec->mem_size = 0;
			rec->rd_value = 0;
			rec->mem_addr = 0;
			rec->mem_value = 0;
		}

		switch (d->op) {
		/* ---- ALU ---- */
#define ALU64_CASE(name, expr) \
		case VM_OP_##name##64_K: { \
			const uint64_t a = r[d->dst], b = d->imm; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); } \
		case VM_OP_##name##64_X: { \
			const uint64_t a = r[d->dst], b = r[d->src]; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); }
#define ALU32_CASE(name, expr) \
		case VM_OP_##name##32_K: { \
			const uint32_t a = (uint32_t)r[d->dst], b = (uint32_t)d->imm; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (uint32_t)(expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); } \
		case VM_OP_##name##32_X: { \
			const uint32_t a = (uint32_t)r[d->dst], b = (uint32_t)r[d->src]; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (uint32_t)(expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); }

		ALU64_CASE(ADD, a + b)
		ALU64_CASE(SUB, a - b)
		ALU64_CASE(MUL, a * b)
		ALU64_CASE(DIV, udiv64(a, b))
		ALU64_CASE(SDIV, sdiv64(a, b))
		ALU64_CASE(OR, a | b)
		ALU64_CASE(AND, a & b)
		ALU64_CASE(LSH, a << (b & 63))
		ALU64_CASE(RSH, a >> (b & 63))
		ALU64_CASE(MOD, umod64(a, b))
		ALU64_CASE(SMOD, smod64(a, b))
		ALU64_CASE(XOR, a ^ b)
		ALU64_CASE(MOV, ((void)a, b))
		ALU64_CASE(ARSH, ashr64(a, (unsigned)(b & 63)))

		ALU32_CASE(ADD, a + b)
		ALU32_CASE(SUB, a - b)
		ALU32_CASE(MUL, a * b)
		ALU32_CASE(DIV, udiv32(a, b))
		ALU32_CASE(SDIV, sdiv32(a, b))
		ALU32_CASE(OR, a | b)
		ALU32_CASE(AND, a & b)
		ALU32_CASE(LSH, a << (b & 31))
		ALU32_CASE(RSH, a >> (b & 31))
		ALU32_CASE(MOD, umod32(a, b))
		ALU32_CASE(SMOD, smod32(a, b))
		ALU32_CASE(XOR, a ^ b)
		ALU32_CASE(MOV, ((void)a, b))
		ALU32_CASE(ARSH, ashr32(a, (unsigned)(b & 31)))
#undef ALU64_CASE
#undef ALU32_CASE

#define UNARY_CASE(opname, expr) \
		case opname: { \
			const uint64_t a = r[d->dst]; \
			(void)a; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); }

		UNARY_CASE(VM_OP_NEG64, 0 - a)
		UNARY_CASE(VM_OP_NEG32, (uint32_t)(0 - (uint32_t)a))
		UNARY_CASE(VM_OP_MOVSX64_8, (uint64_t)(int64_t)(int8_t)(uint8_t)r[d->src])
		UNARY_CASE(VM_OP_MOVSX64_16, (uint64_t)(int64_t)(int16_t)(uint16_t)r[d->src])
		UNARY_CASE(VM_OP_MOVSX64_32, (uint64_t)(int64_t)(int32_t)(uint32_t)r[d->src])
		UNARY_CASE(VM_OP_MOVSX32_8, (uint32_t)(int32_t)(int8_t)(uint8_t)r[d->src])
		UNARY_CASE(VM_OP_MOVSX32_16, (uint32_t)(int32_t)(int16_t)(uint16_t)r[d->src])
		UNARY_CASE(VM_OP_LE16, (uint16_t)a)
		UNARY_CASE(VM_OP_LE32, (uint32_t)a)
		UNARY_CASE(VM_OP_LE64, a)
		UNARY_CASE(VM_OP_BSWAP16, __builtin_bswap16((uint16_t)a))
		UNARY_CASE(VM_OP_BSWAP32, __builtin_bswap32((uint32_t)a))
		UNARY_CASE(VM_OP_BSWAP64, __builtin_bswap64(a))
#undef UNARY_CASE

		case VM_OP_LDDW:
			FALLTHROUGH_CHECK(pc + 2);
			r[d->dst] = d->imm;
			RD(d->dst, d->imm);
			pc += 2;
			goto retire;

		/* ---- jumps ---- */
#define TAKE_OR_FALL(cond) do { \
			if (cond) { \
				if (unlikely(d->aux >= n)) \
					FAULT(HERMES_FAULT_FETCH, prog_addr(vm__raw_target(vm->raw[pc], pc))); \
				pc = d->aux; \
			} else { \
				FALLTHROUGH_CHECK(pc + 1); \
				pc++; \
			} \
			goto retire; } while (0)
#define JCC_CASE(name, cmp64, cmp32) \
		case VM_OP_##name##_K: { \
			const uint64_t a = r[d->dst], b = d->imm; TAKE_OR_FALL(cmp64); } \
		case VM_OP_##name##_X: { \
			const uint64_t a = r[d->dst], b = r[d->src]; TAKE_OR_FALL(cmp64); } \
		case VM_OP_##name##32_K: { \
			const uint32_t a = (uint32_t)r[d->dst], b = (uint32_t)d->imm; TAKE_OR_FALL(cmp32); } \
		case VM_OP_##name##32_X: { \
			const uint32_t a = (uint32_t)r[d->dst], b = (uint32_t)r[d->src]; TAKE_OR_FALL(cmp32); }

		JCC_CASE(JEQ, a == b, a == b)
		JCC_CASE(JGT, a > b, a > b)
		JCC_CASE(JGE, a >= b, a >= b)
		JCC_CASE(JSET, (a & b) != 0, (a & b) != 0)
		JCC_CASE(JNE, a != b, a != b)
		JCC_CASE(JSGT, (int64_t)a > (int64_t)b, (int32_t)a > (int32_t)b)
		JCC_CASE(JSGE, (int64_t)a >= (int64_t)b, (int32_t)a >= (int32_t)b)
		JCC_CASE(JLT, a < b, a < b)
		JCC_CASE(JLE, a <= b, a <= b)
		JCC_CASE(JSLT, (int64_t)a < (int64_t)b, (int32_t)a < (int32_t)b)
		JCC_CASE(JSLE, (int64_t)a <= (int64_t)b, (int32_t)a <= (int32_t)b)
#undef JCC_CASE

		case VM_OP_JA:
			TAKE_OR_FALL(1);
#undef TAKE_OR_FALL

		case VM_OP_CALL: {
			struct vm_frame *f;

			if (unlikely(vm->depth + 1 >= HERMES_MAX_FRAMES))
				FAULT(HERMES_FAULT_CALL_DEPTH, 0);
			if (unlikely(d->aux >= n))
				FAULT(HERMES_FAULT_FETCH, prog_addr(vm__raw_target(vm->raw[pc], pc)));
			f = &vm->frames[vm->depth++];
			memcpy(f->saved, &r[6], sizeof(f->saved));
			f->ret_pc = pc + 1;
			r[10] += HERMES_FRAME_SIZE;
			RD(10, r[10]);
			pc = d->aux;
			goto retire;
		}
		case VM_OP_HELPER:
			FAULT(HERMES_FAULT_UNKNOWN_HELPER, (uint32_t)d->imm);
		case VM_OP_EXIT: {
			const struct vm_frame *f;

			if (vm->depth == 0) {
				vm->done = 1;
				insns++;
				retired = 1;
				goto out;
			}
			f = &vm->frames[vm->depth - 1];
			/* Returning past the end: the call was the last slot. */
			if (unlikely(f->ret_pc >= n))
				FAULT(HERMES_FAULT_FETCH, prog_addr(f->ret_pc));
			vm->depth--;
			memcpy(&r[6], f->saved, sizeof(f->saved));
			RD(10, r[10]);
			pc = f->ret_pc;
			goto retire;
		}

		/* ---- loads ---- */
#define LDX_CASE(opname, size, ext) \
		case opname: { \
			const uint64_t addr = r[d->src] + (uint64_t)(int64_t)(int32_t)d->aux; \
			const uint8_t *p = xlate_load(vm, addr, size); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_LOAD, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t raw = mem_get(p, size); \
			const uint64_t v = (ext); \
			r[d->dst] = v; \
			RD(d->dst, v); \
			MEMREC(HERMES_MEM_LOAD, addr, size, raw); \
			NEXT(); }

		LDX_CASE(VM_OP_LDXB, 1, raw)
		LDX_CASE(VM_OP_LDXH, 2, raw)
		LDX_CASE(VM_OP_LDXW, 4, raw)
		LDX_CASE(VM_OP_LDXDW, 8, raw)
		LDX_CASE(VM_OP_LDXSB, 1, (uint64_t)(int64_t)(int8_t)(uint8_t)raw)
		LDX_CASE(VM_OP_LDXSH, 2, (uint64_t)(int64_t)(int16_t)(uint16_t)raw)
		LDX_CASE(VM_OP_LDXSW, 4, (uint64_t)(int64_t)(int32_t)(uint32_t)raw)
#undef LDX_CASE

		/* ---- stores ---- */
#define ST_CASE(opname, size, value) \
		case opname: { \
			const uint64_t addr = r[d->dst] + (uint64_t)(int64_t)(int32_t)d->aux; \
			uint8_t *p = xlate_store(vm, addr, size); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_STORE, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (value); \
			mem_put(p, size, v); \
			MEMREC(HERMES_MEM_STORE, addr, size, \
			       size == 8 ? v : v & ((UINT64_C(1) << (8 * (size & 7))) - 1)); \
			NEXT(); }

		ST_CASE(VM_OP_STB, 1, d->imm)
		ST_CASE(VM_OP_STH, 2, d->imm)
		ST_CASE(VM_OP_STW, 4, d->imm)
		ST_CASE(VM_OP_STDW, 8, d->imm)
		ST_CASE(VM_OP_STXB, 1, r[d->src])
		ST_CASE(VM_OP_STXH, 2, r[d->src])
		ST_CASE(VM_OP_STXW, 4, r[d->src])
		ST_CASE(VM_OP_STXDW, 8, r[d->src])
#undef ST_CASE

		/* ---- atomics ---- */
#define ATOMIC_CASE(name, size, mask, newval, fetch) \
		case VM_OP_A##name##_##size: { \
			const unsigned sz = sizeof(uint##mask##_t); \
			const uint64_t addr = r[d->dst] + (uint64_t)(int64_t)(int32_t)d->aux; \
			uint8_t *p = xlate_store(vm, addr, sz); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_STORE, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t old = mem_get(p, sz); \
			const uint64_t s = (uint##mask##_t)r[d->src]; \
			const uint64_t v = (uint##mask##_t)(newval); \
			(void)s; \
			mem_put(p, sz, v); \
			if (fetch) { \
				r[d->src] = old; \
				RD(d->src, old); \
			} \
			MEMREC(HERMES_MEM_ATOMIC, addr, sz, v); \
			NEXT(); }
#define ATOMIC_BOTH(name, newval, fetch) \
		ATOMIC_CASE(name, W, 32, newval, fetch) \
		ATOMIC_CASE(name, DW, 64, newval, fetch)

		ATOMIC_BOTH(ADD, old + s, 0)
		ATOMIC_BOTH(OR, old | s, 0)
		ATOMIC_BOTH(AND, old & s, 0)
		ATOMIC_BOTH(XOR, old ^ s, 0)
		ATOMIC_BOTH(FADD, old + s, 1)
		ATOMIC_BOTH(FOR, old | s, 1)
		ATOMIC_BOTH(FAND, old & s, 1)
		ATOMIC_BOTH(FXOR, old ^ s, 1)
		ATOMIC_BOTH(XCHG, s, 1)
#undef ATOMIC_BOTH
#undef ATOMIC_CASE

#define CMPXCHG_CASE(size, bits) \
		case VM_OP_ACMPXCHG_##size: { \
			const unsigned sz = bits / 8; \
			const uint64_t addr = r[d->dst] + (uint64_t)(int64_t)(int32_t)d->aux; \
			uint8_t *p = xlate_store(vm, addr, sz); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_STORE, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t old = mem_get(p, sz); \
			uint64_t v = old; \
			if (old == (uint##bits##_t)r[0]) { \
				v = (uint##bits##_t)r[d->src]; \
				mem_put(p, sz, v); \
			} \
			r[0] = old; \
			RD(0, old); \
			MEMREC(HERMES_MEM_ATOMIC, addr, sz, v); \
			NEXT(); }

		CMPXCHG_CASE(W, 32)
		CMPXCHG_CASE(DW, 64)
#undef CMPXCHG_CASE

		case VM_OP_ILLEGAL:
		default:
			FAULT(HERMES_FAULT_ILLEGAL, 0);
		}
retire:
		insns++;
		if (step) {
			retired = 1;
			goto out;
		}
	}

fault:
	vm->done = 1;
	vm->fault = cause;
	vm->fault_pc = pc;
	vm->fault_addr = fault_addr;
out:
	vm->pc = pc;
	vm->insns = insns;
	return retired;
#undef RD
#undef MEMREC
#undef FAULT
#undef FALLTHROUGH_CHECK
#undef NEXT
}

static void fill_status(const struct hermes_vm *vm, struct hermes_vm_status *st)
{
	if (!st)
		return;
	st->done = vm->done;
	st->fault = vm->fault;
	st->fault_pc = vm->fault ? vm->fault_pc : 0;
	st->fault_addr = vm->fault ? vm->fault_addr : 0;
	st->r0 = vm->r[0];
	st->insns = vm->insns;
}

void hermes_vm_run(struct hermes_vm *vm, struct hermes_vm_status *st)
{
	vm_exec(vm, NULL, false);
	fill_status(vm, st);
}

int hermes_vm_step(struct hermes_vm *vm, struct hermes_retire *rec, struct hermes_vm_status *st)
{
	struct hermes_retire scratch;
	int retired = vm_exec(vm, rec ? rec : &scratch, true);

	fill_status(vm, st);
	return retired;
}

struct hermes_vm *hermes_vm_new(size_t prog_slot_size, size_t data_slot_size)
{
	struct hermes_vm *vm;

	if (prog_slot_size > VM_REGION_MAX || data_slot_size > VM_REGION_MAX) {
		errno = EINVAL;
		return NULL;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->prog_size = prog_slot_size;
	vm->data_size = data_slot_size;
	vm->max_insns = HERMES_DEFAULT_MAX_INSNS;
	atomic_init(&vm->abort_req, 0);
	hermes_vm_reset(vm, vm->max_insns);
	return vm;
}

void hermes_vm_free(struct hermes_vm *vm)
{
	if (!vm)
		return;
	free(vm->dcode);
	free(vm->raw);
	free(vm);
}

int hermes_vm_load(struct hermes_vm *vm, void *prog_slot, size_t code_len,
		   void *data_slot, uint32_t data_len)
{
	size_t n = code_len / 8;

	if (!vm || !prog_slot || code_len == 0 || code_len % 8 || code_len > vm->prog_size ||
	    (!data_slot && vm->data_size))
		return -EINVAL;
	if (n > vm->cap) {
		struct vm_dinsn *dcode = malloc(n * sizeof(*dcode));
		uint64_t *raw = malloc(n * sizeof(*raw));

		if (!dcode || !raw) {
			free(dcode);
			free(raw);
			return -ENOMEM;
		}
		free(vm->dcode);
		free(vm->raw);
		vm->dcode = dcode;
		vm->raw = raw;
		vm->cap = n;
	}
	vm->prog = prog_slot;
	vm->code_len = code_len;
	vm->data = data_slot;
	vm->data_len = data_len;
	vm->n = (uint32_t)n; /* n <= VM_REGION_MAX / 8 */
	for (uint32_t pc = 0; pc < n; pc++) {
		vm->raw[pc] = vm_raw_slot(vm->prog, pc);
		vm__decode(vm->prog, (uint32_t)n, pc, &vm->dcode[pc]);
	}
	hermes_vm_reset(vm, vm->max_insns);
	return 0;
}

void hermes_vm_reset(struct hermes_vm *vm, uint64_t max_insns)
{
	memset(vm->r, 0, sizeof(vm->r));
	vm->r[1] = HERMES_DATA_BASE;
	vm->r[2] = vm->data_len ? vm->data_len : vm->data_size;
	vm->r[10] = HERMES_STACK_BASE + HERMES_FRAME_SIZE;
	vm->pc = 0;
	vm->depth = 0;
	vm->done = 0;
	vm->fault = 0;
	vm->fault_pc = 0;
	vm->fault_addr = 0;
	vm->insns = 0;
	vm->max_insns = max_insns;
	atomic_store_explicit(&vm->abort_req, 0, memory_order_relaxed);
	memset(vm->frames, 0, sizeof(vm->frames));
	memset(vm->stack, 0, sizeof(vm->stack));
}

void hermes_vm_abort(struct hermes_vm *vm)
{
	atomic_store_explicit(&vm->abort_req, 1, memory_order_relaxed);
}

uint64_t hermes_vm_reg(const struct hermes_vm *vm, unsigned r)
{
	return r < 11 ? vm->r[r] : 0;
}

void hermes_vm_set_reg(struct hermes_vm *vm, unsigned r, uint64_t v)
{
	if (r < 11)
		vm->r[r] = v;
}

uint32_t hermes_vm_pc(const struct hermes_vm *vm)
{
	return vm->pc;
}

unsigned hermes_vm_depth(const struct hermes_vm *vm)
{
	return vm->depth;
}
