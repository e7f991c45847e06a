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

/*
 * Internal operations. Lists of names (X-macros) so that the enum, the
 * decoder and the interpreter's dispatch table are generated from one place.
 * Per ALU op the order is 64_K, 64_X, 32_K, 32_X; per conditional jump
 * _K, _X, 32_K, 32_X (the decoder computes offsets from it).
 */
#define VM_ALU_OPS(M, X) \
	M(X, ADD) M(X, SUB) M(X, MUL) M(X, DIV) M(X, SDIV) M(X, OR) M(X, AND) \
	M(X, LSH) M(X, RSH) M(X, MOD) M(X, SMOD) M(X, XOR) M(X, MOV) M(X, ARSH)
#define VM_ALU_FORMS(X, n) X(n##64_K) X(n##64_X) X(n##32_K) X(n##32_X)

#define VM_JCC_OPS(M, X) \
	M(X, JEQ) M(X, JGT) M(X, JGE) M(X, JSET) M(X, JNE) M(X, JSGT) M(X, JSGE) \
	M(X, JLT) M(X, JLE) M(X, JSLT) M(X, JSLE)
#define VM_JCC_FORMS(X, n) X(n##_K) X(n##_X) X(n##32_K) X(n##32_X)

#define VM_ATOMIC_OPS(M, X) \
	M(X, ADD) M(X, OR) M(X, AND) M(X, XOR) M(X, FADD) M(X, FOR) M(X, FAND) \
	M(X, FXOR) M(X, XCHG) M(X, CMPXCHG)
#define VM_ATOMIC_FORMS(X, n) X(A##n##_W) X(A##n##_DW)

#define VM_OP_LIST(X) \
	X(ILLEGAL) \
	VM_ALU_OPS(VM_ALU_FORMS, X) \
	X(NEG64) X(NEG32) \
	X(MOVSX64_8) X(MOVSX64_16) X(MOVSX64_32) X(MOVSX32_8) X(MOVSX32_16) \
	X(LE16) X(LE32) X(LE64)          /* truncate */ \
	X(BSWAP16) X(BSWAP32) X(BSWAP64) /* be* and ALU64 bswap* */ \
	VM_JCC_OPS(VM_JCC_FORMS, X) \
	X(JA)     /* ja (off) and ja32 (imm): target predecoded */ \
	X(CALL)   /* local call */ \
	X(HELPER) /* call src 0: fault 8 */ \
	X(EXIT) \
	X(LDDW) \
	X(LDXB) X(LDXH) X(LDXW) X(LDXDW) X(LDXSB) X(LDXSH) X(LDXSW) \
	X(STB) X(STH) X(STW) X(STDW) X(STXB) X(STXH) X(STXW) X(STXDW) \
	VM_ATOMIC_OPS(VM_ATOMIC_FORMS, X)

enum vm_op {
#define VM_OP_ENUM(n) VM_OP_##n,
	VM_OP_LIST(VM_OP_ENUM)
#undef VM_OP_ENUM
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
