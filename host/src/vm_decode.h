/* SPDX-License-Identifier: MIT */
/*
 * vm_decode.h - internals of the reference VM: the predecoded instruction
 * form produced at load time (vm_decode.c) and executed by vm.c.
 *
 * Every slot of the code is decoded on its own (the second slot of an lddw
 * too: jumping into it executes whatever it encodes). All legality checks of
 * docs/ISA.md "Decoding rules" happen here, so an illegal slot becomes
 * VM_OP_ILLEGAL and the interpreter never re-checks fields.
 */
#ifndef HERMES_VM_DECODE_H
#define HERMES_VM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* ALU operations that exist in K and X forms for both widths. */
#define VM_ALU_OPS(X) \
	X(ADD) X(SUB) X(MUL) X(DIV) X(SDIV) X(OR) X(AND) X(LSH) X(RSH) \
	X(MOD) X(SMOD) X(XOR) X(MOV) X(ARSH)

/* Conditional jumps, K and X forms, JMP and JMP32. */
#define VM_JCC_OPS(X) \
	X(JEQ) X(JGT) X(JGE) X(JSET) X(JNE) X(JSGT) X(JSGE) X(JLT) X(JLE) \
	X(JSLT) X(JSLE)

/* Atomic operations, W and DW. */
#define VM_ATOMIC_OPS(X) \
	X(ADD) X(OR) X(AND) X(XOR) X(FADD) X(FOR) X(FAND) X(FXOR) X(XCHG) X(CMPXCHG)

enum vm_op {
	VM_OP_ILLEGAL = 0,
#define VM_ALU_ENUM(name) VM_OP_##name##64_K, VM_OP_##name##64_X, \
			  VM_OP_##name##32_K, VM_OP_##name##32_X,
	VM_ALU_OPS(VM_ALU_ENUM)
#undef VM_ALU_ENUM
	VM_OP_NEG64, VM_OP_NEG32,
	VM_OP_MOVSX64_8, VM_OP_MOVSX64_16, VM_OP_MOVSX64_32,
	VM_OP_MOVSX32_8, VM_OP_MOVSX32_16,
	VM_OP_LE16, VM_OP_LE32, VM_OP_LE64,          /* truncate */
	VM_OP_BSWAP16, VM_OP_BSWAP32, VM_OP_BSWAP64, /* be* and ALU64 bswap* */
#define VM_JCC_ENUM(name) VM_OP_##name##_K, VM_OP_##name##_X, \
			  VM_OP_##name##32_K, VM_OP_##name##32_X,
	VM_JCC_OPS(VM_JCC_ENUM)
#undef VM_JCC_ENUM
	VM_OP_JA,      /* ja (off) and ja32 (imm): target predecoded */
	VM_OP_CALL,    /* local call */
	VM_OP_HELPER,  /* call src 0: fault 8 */
	VM_OP_EXIT,
	VM_OP_LDDW,
	VM_OP_LDXB, VM_OP_LDXH, VM_OP_LDXW, VM_OP_LDXDW,
	VM_OP_LDXSB, VM_OP_LDXSH, VM_OP_LDXSW,
	VM_OP_STB, VM_OP_STH, VM_OP_STW, VM_OP_STDW,
	VM_OP_STXB, VM_OP_STXH, VM_OP_STXW, VM_OP_STXDW,
#define VM_ATOMIC_ENUM(name) VM_OP_A##name##_W, VM_OP_A##name##_DW,
	VM_ATOMIC_OPS(VM_ATOMIC_ENUM)
#undef VM_ATOMIC_ENUM
	VM_OP_COUNT
};

/* Target value of a jump/call whose target lies outside the program. */
#define VM_BAD_TARGET UINT32_MAX

/*
 * One predecoded slot (16 bytes).
 *   aux: jumps/calls: target index (VM_BAD_TARGET if outside the program);
 *        loads/stores/atomics: the signed offset.
 *   imm: the K operand sign-extended to 64 bits (32-bit ops truncate it
 *        again); lddw: the 64-bit immediate; ST: the value to store.
 */
struct vm_dinsn {
	uint8_t op;
	uint8_t dst;
	uint8_t src;
	uint8_t pad;
	uint32_t aux;
	uint64_t imm;
};

/* The raw 64-bit form of slot i of code (little-endian). */
static inline uint64_t vm_raw_slot(const uint8_t *code, size_t i)
{
	const uint8_t *p = code + 8 * i;
	uint64_t v = 0;

	for (int b = 7; b >= 0; b--)
		v = (v << 8) | p[b];
	return v;
}

/* Decode slot pc of n slots of raw code. */
void vm__decode(const uint8_t *code, uint32_t n, uint32_t pc, struct vm_dinsn *out);

/* Target index of a jump/call/ja32 raw slot at pc (may be out of range). */
int64_t vm__raw_target(uint64_t raw, uint32_t pc);

#endif
