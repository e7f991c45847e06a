/* SPDX-License-Identifier: MIT */
/*
 * vm_exec.h - the body of the reference VM's interpreter, included twice by
 * vm.c to generate its two entry points from one description of every
 * instruction:
 *
 *   VM_STEP 0: vm_exec_run(): runs to the end; no retire records; budget and
 *              abort looked at only when a precomputed limit is reached;
 *              threaded dispatch (computed goto) where the compiler has it.
 *   VM_STEP 1: vm_exec_step(): executes at most one instruction and fills
 *              *rec; returns 1 when it retired.
 *
 * Before including, vm.c defines VM_STEP and VM_EXEC_NAME. Either way a
 * fault or the final exit sets vm->done.
 */

#if !VM_STEP && defined(__GNUC__)
#define VM_THREADED 1
#else
#define VM_THREADED 0
#endif

static int VM_EXEC_NAME(struct hermes_vm *vm, struct hermes_retire *rec)
{
	uint64_t *const r = vm->r;
	const struct vm_dinsn *const code = vm->dcode;
	const uint32_t n = vm->n;
	uint32_t pc = vm->pc;
	uint64_t insns = vm->insns;
	uint64_t limit;
	unsigned cause = 0;
	uint64_t fault_addr = 0;
	int retired = 0;
	const struct vm_dinsn *d;

	(void)rec;
	if (vm->done)
		return 0;
	/* Every transfer of control checks its target, so this holds from here
	 * on once a program is loaded (pc 0 < n). */
	if (unlikely(pc >= n)) {
		cause = HERMES_FAULT_FETCH;
		fault_addr = prog_addr(pc);
		goto fault;
	}

#if VM_THREADED
	static const void *const labels[VM_OP_COUNT] = {
#define VM_LABEL(name) [VM_OP_##name] = &&op_##name,
		VM_OP_LIST(VM_LABEL)
#undef VM_LABEL
	};
#define CASE(name) op_##name:
/* Retire and dispatch the next instruction from the end of each handler. */
#define RETIRE() do { \
		if (unlikely(++insns >= limit)) \
			goto check; \
		d = &code[pc]; \
		goto *labels[d->op]; \
	} while (0)
#else
#define CASE(name) case VM_OP_##name:
#define RETIRE() goto retire
#endif

/* Record helpers: compiled out of the run loop. */
#if VM_STEP
#define RD(reg, val) do { rec->rd = (uint8_t)(reg); rec->rd_value = (val); } while (0)
#define MEMREC(kind, addr, size, val) do { rec->mem = (kind); rec->mem_addr = (addr); \
		rec->mem_size = (uint8_t)(size); rec->mem_value = (val); } while (0)
#else
#define RD(reg, val) do { } while (0)
#define MEMREC(kind, addr, size, val) do { } while (0)
#endif
#define FAULT(c, a) do { cause = (c); fault_addr = (a); goto fault; } while (0)
/* An instruction that falls through faults when its next pc is the end. */
#define FALLTHROUGH_CHECK(next) do { if (unlikely((next) >= n)) FAULT(HERMES_FAULT_FETCH, prog_addr(n)); } while (0)
#define NEXT() do { pc++; RETIRE(); } while (0)

	limit = insns; /* forces the budget/abort check first */
	for (;;) {
#if VM_THREADED
check:
#endif
		if (unlikely(insns >= limit)) {
			/* Abort first: the host's request wins over everything. */
			if (atomic_load_explicit(&vm->abort_req, memory_order_relaxed))
				FAULT(HERMES_FAULT_ABORTED, 0);
			if (insns >= vm->max_insns)
				FAULT(HERMES_FAULT_BUDGET, 0);
#if VM_STEP
			limit = insns;
#else
			limit = vm->max_insns - insns > VM_ABORT_CHUNK ? insns + VM_ABORT_CHUNK
								     : vm->max_insns;
#endif
		}
		d = &code[pc];
#if VM_STEP
		rec->pc = pc;
		rec->insn = vm->raw[pc];
		rec->rd = HERMES_RETIRE_NO_REG;
		rec->mem = HERMES_MEM_NONE;
		rec->mem_size = 0;
		rec->rd_value = 0;
		rec->mem_addr = 0;
		rec->mem_value = 0;
#endif

#if VM_THREADED
		goto *labels[d->op];
		{
#else
		switch (d->op) {
#endif
		/* ---- ALU ---- */
/* One ALU operation at width W (32 or 64), immediate and register forms;
 * a 32-bit result is zero-extended into the register. */
#define ALU_CASE(W, name, expr) \
		CASE(name##W##_K) { \
			const uint##W##_t a = (uint##W##_t)r[d->dst], b = (uint##W##_t)d->imm; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (uint##W##_t)(expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); } \
		CASE(name##W##_X) { \
			const uint##W##_t a = (uint##W##_t)r[d->dst], b = (uint##W##_t)r[d->src]; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (uint##W##_t)(expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); }
/* The ALU operations, listed once for both widths; shift counts are taken
 * modulo the width. */
#define ALU_OPS(W) \
		ALU_CASE(W, ADD, a + b) \
		ALU_CASE(W, SUB, a - b) \
		ALU_CASE(W, MUL, a * b) \
		ALU_CASE(W, DIV, udiv##W(a, b)) \
		ALU_CASE(W, SDIV, sdiv##W(a, b)) \
		ALU_CASE(W, OR, a | b) \
		ALU_CASE(W, AND, a & b) \
		ALU_CASE(W, LSH, a << (b & (W - 1))) \
		ALU_CASE(W, RSH, a >> (b & (W - 1))) \
		ALU_CASE(W, MOD, umod##W(a, b)) \
		ALU_CASE(W, SMOD, smod##W(a, b)) \
		ALU_CASE(W, XOR, a ^ b) \
		ALU_CASE(W, MOV, ((void)a, b)) \
		ALU_CASE(W, ARSH, ashr##W(a, (unsigned)(b & (W - 1))))

		ALU_OPS(64)
		ALU_OPS(32)
#undef ALU_OPS
#undef ALU_CASE

#define UNARY_CASE(name, expr) \
		CASE(name) { \
			const uint64_t a = r[d->dst]; \
			(void)a; \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (expr); \
			r[d->dst] = v; RD(d->dst, v); NEXT(); }

		UNARY_CASE(NEG64, 0 - a)
		UNARY_CASE(NEG32, (uint32_t)(0 - (uint32_t)a))
		UNARY_CASE(MOVSX64_8, (uint64_t)(int64_t)(int8_t)(uint8_t)r[d->src])
		UNARY_CASE(MOVSX64_16, (uint64_t)(int64_t)(int16_t)(uint16_t)r[d->src])
		UNARY_CASE(MOVSX64_32, (uint64_t)(int64_t)(int32_t)(uint32_t)r[d->src])
		UNARY_CASE(MOVSX32_8, (uint32_t)(int32_t)(int8_t)(uint8_t)r[d->src])
		UNARY_CASE(MOVSX32_16, (uint32_t)(int32_t)(int16_t)(uint16_t)r[d->src])
		UNARY_CASE(LE16, (uint16_t)a)
		UNARY_CASE(LE32, (uint32_t)a)
		UNARY_CASE(LE64, a)
		UNARY_CASE(BSWAP16, vm_bswap16((uint16_t)a))
		UNARY_CASE(BSWAP32, vm_bswap32((uint32_t)a))
		UNARY_CASE(BSWAP64, vm_bswap64(a))
#undef UNARY_CASE

		CASE(LDDW) {
			FALLTHROUGH_CHECK(pc + 2);
			r[d->dst] = d->imm;
			RD(d->dst, d->imm);
			pc += 2;
			RETIRE();
		}

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
			RETIRE(); } while (0)
#define JCC_CASE(name, cmp64, cmp32) \
		CASE(name##_K) { \
			const uint64_t a = r[d->dst], b = d->imm; TAKE_OR_FALL(cmp64); } \
		CASE(name##_X) { \
			const uint64_t a = r[d->dst], b = r[d->src]; TAKE_OR_FALL(cmp64); } \
		CASE(name##32_K) { \
			const uint32_t a = (uint32_t)r[d->dst], b = (uint32_t)d->imm; TAKE_OR_FALL(cmp32); } \
		CASE(name##32_X) { \
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

		CASE(JA) {
			TAKE_OR_FALL(1);
		}
#undef TAKE_OR_FALL

		CASE(CALL) {
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
			RETIRE();
		}
		CASE(HELPER) {
			if (unlikely(!hermes__helper_supported((int32_t)d->imm)))
				FAULT(HERMES_FAULT_UNKNOWN_HELPER, (uint32_t)d->imm);
			/* its own faults (9, 1), then running off the end, then the effect */
			cause = vm__helper(vm, (int32_t)d->imm, insns, &fault_addr, 1);
			if (unlikely(cause))
				goto fault;
			FALLTHROUGH_CHECK(pc + 1);
			vm__helper(vm, (int32_t)d->imm, insns, &fault_addr, 0);
			RD(0, r[0]);
			NEXT();
		}
		CASE(EXIT) {
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
			RETIRE();
		}

		/* ---- loads ---- */
#define LDX_CASE(name, size, ext) \
		CASE(name) { \
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

		LDX_CASE(LDXB, 1, raw)
		LDX_CASE(LDXH, 2, raw)
		LDX_CASE(LDXW, 4, raw)
		LDX_CASE(LDXDW, 8, raw)
		LDX_CASE(LDXSB, 1, (uint64_t)(int64_t)(int8_t)(uint8_t)raw)
		LDX_CASE(LDXSH, 2, (uint64_t)(int64_t)(int16_t)(uint16_t)raw)
		LDX_CASE(LDXSW, 4, (uint64_t)(int64_t)(int32_t)(uint32_t)raw)
#undef LDX_CASE

		/* ---- stores ---- */
#define ST_CASE(name, size, value) \
		CASE(name) { \
			const uint64_t addr = r[d->dst] + (uint64_t)(int64_t)(int32_t)d->aux; \
			uint8_t *p = xlate_store(vm, addr, size); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_STORE, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t v = (value); \
			mem_put(p, size, v); \
			MEMREC(HERMES_MEM_STORE, addr, size, mem_trunc(v, size)); \
			NEXT(); }

		ST_CASE(STB, 1, d->imm)
		ST_CASE(STH, 2, d->imm)
		ST_CASE(STW, 4, d->imm)
		ST_CASE(STDW, 8, d->imm)
		ST_CASE(STXB, 1, r[d->src])
		ST_CASE(STXH, 2, r[d->src])
		ST_CASE(STXW, 4, r[d->src])
		ST_CASE(STXDW, 8, r[d->src])
#undef ST_CASE

		/* ---- atomics ---- */
/* The operand at [dst + off], bits wide: its address, where it is (fault 2
 * when it cannot be written) and the value it holds. */
#define ATOMIC_OPERAND(bits) \
			const unsigned sz = bits / 8; \
			const uint64_t addr = r[d->dst] + (uint64_t)(int64_t)(int32_t)d->aux; \
			uint8_t *p = xlate_store(vm, addr, sz); \
			if (unlikely(!p)) \
				FAULT(HERMES_FAULT_STORE, addr); \
			FALLTHROUGH_CHECK(pc + 1); \
			const uint64_t old = mem_get(p, sz);
#define ATOMIC_CASE(name, size, bits, newval, fetch) \
		CASE(A##name##_##size) { \
			ATOMIC_OPERAND(bits) \
			const uint64_t s = (uint##bits##_t)r[d->src]; \
			const uint64_t v = (uint##bits##_t)(newval); \
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
		CASE(ACMPXCHG_##size) { \
			ATOMIC_OPERAND(bits) \
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
#undef ATOMIC_OPERAND

#if !VM_THREADED
		default:
#endif
		CASE(ILLEGAL) {
			FAULT(HERMES_FAULT_ILLEGAL, 0);
		}
		}
#if !VM_THREADED
retire:
		insns++;
#if VM_STEP
		retired = 1;
		goto out;
#endif
#endif
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
#undef CASE
#undef RETIRE
#undef RD
#undef MEMREC
#undef FAULT
#undef FALLTHROUGH_CHECK
#undef NEXT
}

#undef VM_THREADED
