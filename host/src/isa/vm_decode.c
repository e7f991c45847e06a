/* SPDX-License-Identifier: MIT */
/*
 * vm_decode.c - load-time decoding of eBPF slots for the reference VM:
 * the legality rules of docs/ISA.md "Decoding rules" and the mapping of
 * each legal encoding to one internal operation (vm_decode.h).
 */
#include <string.h>

#include "hermes/isa.h"
#include "vm_decode.h"

/* Internal base operation (64-bit, K form) of each ALU op nibble. */
static const uint8_t alu_base[16] = {
	[HERMES_ALU_ADD >> 4] = VM_OP_ADD64_K,
	[HERMES_ALU_SUB >> 4] = VM_OP_SUB64_K,
	[HERMES_ALU_MUL >> 4] = VM_OP_MUL64_K,
	[HERMES_ALU_DIV >> 4] = VM_OP_DIV64_K,
	[HERMES_ALU_OR >> 4] = VM_OP_OR64_K,
	[HERMES_ALU_AND >> 4] = VM_OP_AND64_K,
	[HERMES_ALU_LSH >> 4] = VM_OP_LSH64_K,
	[HERMES_ALU_RSH >> 4] = VM_OP_RSH64_K,
	[HERMES_ALU_MOD >> 4] = VM_OP_MOD64_K,
	[HERMES_ALU_XOR >> 4] = VM_OP_XOR64_K,
	[HERMES_ALU_MOV >> 4] = VM_OP_MOV64_K,
	[HERMES_ALU_ARSH >> 4] = VM_OP_ARSH64_K,
};

/* Internal base operation (JMP, K form) of each conditional jump nibble. */
static const uint8_t jcc_base[16] = {
	[HERMES_JMP_JEQ >> 4] = VM_OP_JEQ_K,
	[HERMES_JMP_JGT >> 4] = VM_OP_JGT_K,
	[HERMES_JMP_JGE >> 4] = VM_OP_JGE_K,
	[HERMES_JMP_JSET >> 4] = VM_OP_JSET_K,
	[HERMES_JMP_JNE >> 4] = VM_OP_JNE_K,
	[HERMES_JMP_JSGT >> 4] = VM_OP_JSGT_K,
	[HERMES_JMP_JSGE >> 4] = VM_OP_JSGE_K,
	[HERMES_JMP_JLT >> 4] = VM_OP_JLT_K,
	[HERMES_JMP_JLE >> 4] = VM_OP_JLE_K,
	[HERMES_JMP_JSLT >> 4] = VM_OP_JSLT_K,
	[HERMES_JMP_JSLE >> 4] = VM_OP_JSLE_K,
};

int64_t vm__raw_target(uint64_t raw, uint32_t pc)
{
	uint8_t opc = (uint8_t)raw;
	int64_t disp;

	if (opc == (HERMES_CLS_JMP32 | HERMES_JMP_JA) ||
	    opc == (HERMES_CLS_JMP | HERMES_JMP_CALL))
		disp = (int32_t)(uint32_t)(raw >> 32);
	else
		disp = (int16_t)(uint16_t)(raw >> 16);
	return (int64_t)pc + disp + 1;
}

static uint32_t target_of(uint64_t raw, uint32_t pc, uint32_t n)
{
	int64_t t = vm__raw_target(raw, pc);

	return t >= 0 && t < (int64_t)n ? (uint32_t)t : VM_BAD_TARGET;
}

static uint8_t decode_alu(uint8_t opc, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	int is64 = (opc & 7) == HERMES_CLS_ALU64;
	int x = (opc & HERMES_SRC_X) != 0;
	unsigned op = opc & 0xf0;
	uint8_t base;

	if (dst >= 10) /* > 10 is no register; 10 is read-only */
		return VM_OP_ILLEGAL;
	switch (op) {
	case HERMES_ALU_NEG:
		if (x)
			return VM_OP_ILLEGAL;
		return is64 ? VM_OP_NEG64 : VM_OP_NEG32;
	case HERMES_ALU_END:
		if (is64 && x)
			return VM_OP_ILLEGAL;
		if (imm != 16 && imm != 32 && imm != 64)
			return VM_OP_ILLEGAL;
		if (is64 || x) /* ALU64 bswap, ALU be: swap on this LE engine */
			return imm == 16 ? VM_OP_BSWAP16 : imm == 32 ? VM_OP_BSWAP32 : VM_OP_BSWAP64;
		return imm == 16 ? VM_OP_LE16 : imm == 32 ? VM_OP_LE32 : VM_OP_LE64;
	case 0xe0:
	case 0xf0:
		return VM_OP_ILLEGAL;
	default:
		break;
	}
	if (x && src > 10)
		return VM_OP_ILLEGAL;
	base = alu_base[op >> 4];
	if (op == HERMES_ALU_DIV || op == HERMES_ALU_MOD) {
		if (off == 1)
			base = op == HERMES_ALU_DIV ? VM_OP_SDIV64_K : VM_OP_SMOD64_K;
		else if (off != 0)
			return VM_OP_ILLEGAL;
	} else if (op == HERMES_ALU_MOV) {
		if (!x && off != 0)
			return VM_OP_ILLEGAL;
		if (x && off != 0) {
			if (off == 8)
				return is64 ? VM_OP_MOVSX64_8 : VM_OP_MOVSX32_8;
			if (off == 16)
				return is64 ? VM_OP_MOVSX64_16 : VM_OP_MOVSX32_16;
			if (off == 32 && is64)
				return VM_OP_MOVSX64_32;
			return VM_OP_ILLEGAL;
		}
	}
	/* Enum order per op: 64_K, 64_X, 32_K, 32_X. */
	return (uint8_t)(base + (is64 ? 0 : 2) + (x ? 1 : 0));
}

static uint8_t decode_jmp(uint64_t raw, uint8_t opc, unsigned dst, unsigned src,
			  uint32_t pc, uint32_t n, uint32_t *aux)
{
	int is32 = (opc & 7) == HERMES_CLS_JMP32;
	int x = (opc & HERMES_SRC_X) != 0;
	unsigned op = opc & 0xf0;

	switch (op) {
	case HERMES_JMP_JA:
		if (x)
			return VM_OP_ILLEGAL;
		*aux = target_of(raw, pc, n);
		return VM_OP_JA;
	case HERMES_JMP_CALL:
		if (is32 || x)
			return VM_OP_ILLEGAL;
		if (src == 0)
			return VM_OP_HELPER;
		if (src != 1)
			return VM_OP_ILLEGAL;
		*aux = target_of(raw, pc, n);
		return VM_OP_CALL;
	case HERMES_JMP_EXIT:
		if (is32 || x)
			return VM_OP_ILLEGAL;
		return VM_OP_EXIT;
	case 0xe0:
	case 0xf0:
		return VM_OP_ILLEGAL;
	default:
		break;
	}
	if (dst > 10 || (x && src > 10))
		return VM_OP_ILLEGAL;
	*aux = target_of(raw, pc, n);
	/* Enum order per op: JMP K, JMP X, JMP32 K, JMP32 X. */
	return (uint8_t)(jcc_base[op >> 4] + (is32 ? 2 : 0) + (x ? 1 : 0));
}

static uint8_t decode_atomic(uint8_t opc, unsigned src, int32_t imm)
{
	int dw;

	if ((opc & 0x18) == HERMES_SZ_DW)
		dw = 1;
	else if ((opc & 0x18) == HERMES_SZ_W)
		dw = 0;
	else
		return VM_OP_ILLEGAL;
	/* Fetching forms write src: r10 is read-only. */
	if ((imm & HERMES_ATOMIC_FETCH) && imm != HERMES_ATOMIC_CMPXCHG && src == 10)
		return VM_OP_ILLEGAL;
	switch (imm) {
	case HERMES_ATOMIC_ADD: return dw ? VM_OP_AADD_DW : VM_OP_AADD_W;
	case HERMES_ATOMIC_OR: return dw ? VM_OP_AOR_DW : VM_OP_AOR_W;
	case HERMES_ATOMIC_AND: return dw ? VM_OP_AAND_DW : VM_OP_AAND_W;
	case HERMES_ATOMIC_XOR: return dw ? VM_OP_AXOR_DW : VM_OP_AXOR_W;
	case HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH: return dw ? VM_OP_AFADD_DW : VM_OP_AFADD_W;
	case HERMES_ATOMIC_OR | HERMES_ATOMIC_FETCH: return dw ? VM_OP_AFOR_DW : VM_OP_AFOR_W;
	case HERMES_ATOMIC_AND | HERMES_ATOMIC_FETCH: return dw ? VM_OP_AFAND_DW : VM_OP_AFAND_W;
	case HERMES_ATOMIC_XOR | HERMES_ATOMIC_FETCH: return dw ? VM_OP_AFXOR_DW : VM_OP_AFXOR_W;
	case HERMES_ATOMIC_XCHG: return dw ? VM_OP_AXCHG_DW : VM_OP_AXCHG_W;
	case HERMES_ATOMIC_CMPXCHG: return dw ? VM_OP_ACMPXCHG_DW : VM_OP_ACMPXCHG_W;
	default: return VM_OP_ILLEGAL;
	}
}

static uint8_t decode_mem(uint8_t opc, unsigned dst, unsigned src, int32_t imm)
{
	unsigned cls = opc & 7, mode = opc & 0xe0, size = opc & 0x18;
	static const uint8_t ldx[4] = { VM_OP_LDXW, VM_OP_LDXH, VM_OP_LDXB, VM_OP_LDXDW };
	static const uint8_t ldxs[4] = { VM_OP_LDXSW, VM_OP_LDXSH, VM_OP_LDXSB, VM_OP_ILLEGAL };
	static const uint8_t st[4] = { VM_OP_STW, VM_OP_STH, VM_OP_STB, VM_OP_STDW };
	static const uint8_t stx[4] = { VM_OP_STXW, VM_OP_STXH, VM_OP_STXB, VM_OP_STXDW };

	switch (cls) {
	case HERMES_CLS_LDX:
		if (dst >= 10 || src > 10)
			return VM_OP_ILLEGAL;
		if (mode == HERMES_MODE_MEM)
			return ldx[size >> 3];
		if (mode == HERMES_MODE_MEMSX)
			return ldxs[size >> 3];
		return VM_OP_ILLEGAL;
	case HERMES_CLS_ST:
		if (dst > 10 || mode != HERMES_MODE_MEM)
			return VM_OP_ILLEGAL;
		return st[size >> 3];
	case HERMES_CLS_STX:
		if (dst > 10 || src > 10)
			return VM_OP_ILLEGAL;
		if (mode == HERMES_MODE_MEM)
			return stx[size >> 3];
		if (mode == HERMES_MODE_ATOMIC)
			return decode_atomic(opc, src, imm);
		return VM_OP_ILLEGAL;
	default:
		return VM_OP_ILLEGAL;
	}
}

void vm__decode(const uint8_t *code, uint32_t n, uint32_t pc, struct vm_dinsn *d)
{
	uint64_t raw = vm_raw_slot(code, pc);
	uint8_t opc = (uint8_t)raw;
	unsigned dst = (raw >> 8) & 0xf, src = (raw >> 12) & 0xf;
	int16_t off = (int16_t)(uint16_t)(raw >> 16);
	int32_t imm = (int32_t)(uint32_t)(raw >> 32);

	memset(d, 0, sizeof(*d));
	d->dst = (uint8_t)dst;
	d->src = (uint8_t)src;
	d->imm = (uint64_t)(int64_t)imm;
	switch (opc & 7) {
	case HERMES_CLS_ALU:
	case HERMES_CLS_ALU64:
		d->op = decode_alu(opc, dst, src, off, imm);
		break;
	case HERMES_CLS_JMP:
	case HERMES_CLS_JMP32:
		d->op = decode_jmp(raw, opc, dst, src, pc, n, &d->aux);
		break;
	case HERMES_CLS_LD:
		if (opc != HERMES_OP_LDDW || src != 0 || dst >= 10) {
			d->op = VM_OP_ILLEGAL;
			break;
		}
		d->op = VM_OP_LDDW;
		d->imm = (uint32_t)imm;
		if (pc + 1 < n) /* else it faults when executed */
			d->imm |= (vm_raw_slot(code, pc + 1) >> 32) << 32;
		break;
	default:
		d->op = decode_mem(opc, dst, src, imm);
		d->aux = (uint32_t)(int32_t)off;
		break;
	}
}
