/* SPDX-License-Identifier: MIT */
/*
 * disasm.c - disassembler producing the assembler's syntax
 * (docs/ASSEMBLY.md).
 *
 * An instruction prints in its canonical text only when every field the
 * text does not mention is zero and every register is r0-r10, so that
 * assembling the text gives back the very same slots. Everything else is a
 * raw `.quad`. hermes_disasm_insn() additionally re-assembles its output and
 * falls back to `.quad` on any difference, so the round trip holds even if
 * the decoder below had a bug (the unit tests check the decoder alone too).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

static const char *const alu_names[16] = {
	"add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
	"neg", "mod", "xor", "mov", "arsh", NULL, NULL, NULL,
};

static const char *const jmp_names[16] = {
	NULL, "jeq", "jgt", "jge", "jset", "jne", "jsgt", "jsge",
	NULL, NULL, "jlt", "jle", "jslt", "jsle", NULL, NULL,
};

/* Disassembly text never exceeds this (longest: a lock or 3-operand jump). */
#define TEXT_MAX 96

static uint64_t slot_value(const struct hermes_insn *i)
{
	return (uint64_t)i->opcode | (uint64_t)i->regs << 8 |
	       (uint64_t)(uint16_t)i->off << 16 | (uint64_t)(uint32_t)i->imm << 32;
}

static void imm32_str(char *buf, size_t len, int32_t v)
{
	if (v >= -65535 && v <= 65535)
		snprintf(buf, len, "%" PRId32, v);
	else
		snprintf(buf, len, "0x%" PRIx32, (uint32_t)v);
}

static void imm64_str(char *buf, size_t len, uint64_t v)
{
	int64_t s = (int64_t)v;

	if (s >= -65535 && s <= 65535)
		snprintf(buf, len, "%" PRId64, s);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

static void mem_str(char *buf, size_t len, unsigned reg, int16_t off)
{
	if (off == 0)
		snprintf(buf, len, "[%%r%u]", reg);
	else if (off > 0)
		snprintf(buf, len, "[%%r%u+%d]", reg, off);
	else
		snprintf(buf, len, "[%%r%u-%d]", reg, -(int)off);
}

static void target_str(char *buf, size_t len, int64_t off)
{
	snprintf(buf, len, "%s%" PRId64, off >= 0 ? "+" : "", off);
}

/* Returns 1 with text in buf, or 0 when only .quad can express the slot. */
static int decode_alu(const struct hermes_insn *i, char *buf, size_t len)
{
	unsigned cls = i->opcode & 7, op = i->opcode & 0xf0, x = i->opcode & HERMES_SRC_X;
	unsigned dst = hermes_insn_dst(i), src = hermes_insn_src(i);
	const char *sfx = cls == HERMES_CLS_ALU ? "32" : "";
	const char *name = alu_names[op >> 4];
	char num[32];

	switch (op) {
	case HERMES_ALU_NEG:
		if (x || src || i->off || i->imm)
			return 0;
		snprintf(buf, len, "neg%s %%r%u", sfx, dst);
		return 1;
	case HERMES_ALU_END:
		if (src || i->off || (i->imm != 16 && i->imm != 32 && i->imm != 64))
			return 0;
		if (cls == HERMES_CLS_ALU64 && x)
			return 0;
		snprintf(buf, len, "%s%d %%r%u",
			 cls == HERMES_CLS_ALU64 ? "bswap" : x ? "be" : "le", (int)i->imm, dst);
		return 1;
	case HERMES_ALU_DIV:
	case HERMES_ALU_MOD:
		if (i->off == 1)
			name = op == HERMES_ALU_DIV ? "sdiv" : "smod";
		else if (i->off)
			return 0;
		break;
	case HERMES_ALU_MOV:
		if (x && i->off) {
			if (i->imm)
				return 0;
			if (i->off != 8 && i->off != 16 && (i->off != 32 || cls == HERMES_CLS_ALU))
				return 0;
			snprintf(buf, len, "movsx%d%s %%r%u, %%r%u", i->off,
				 cls == HERMES_CLS_ALU ? "32" : "64", dst, src);
			return 1;
		}
		if (i->off)
			return 0;
		break;
	case 0xe0:
	case 0xf0:
		return 0;
	default:
		if (i->off)
			return 0;
		break;
	}
	if (x) {
		if (i->imm)
			return 0;
		snprintf(buf, len, "%s%s %%r%u, %%r%u", name, sfx, dst, src);
	} else {
		if (src)
			return 0;
		imm32_str(num, sizeof(num), i->imm);
		snprintf(buf, len, "%s%s %%r%u, %s", name, sfx, dst, num);
	}
	return 1;
}

static int decode_jmp(const struct hermes_insn *i, char *buf, size_t len)
{
	unsigned cls = i->opcode & 7, op = i->opcode & 0xf0, x = i->opcode & HERMES_SRC_X;
	unsigned dst = hermes_insn_dst(i), src = hermes_insn_src(i);
	const char *sfx = cls == HERMES_CLS_JMP32 ? "32" : "";
	char num[32], tgt[32];

	switch (op) {
	case HERMES_JMP_JA:
		if (x || i->regs)
			return 0;
		if (cls == HERMES_CLS_JMP) {
			if (i->imm)
				return 0;
			target_str(tgt, sizeof(tgt), i->off);
			snprintf(buf, len, "ja %s", tgt);
		} else {
			if (i->off)
				return 0;
			target_str(tgt, sizeof(tgt), i->imm);
			snprintf(buf, len, "ja32 %s", tgt);
		}
		return 1;
	case HERMES_JMP_CALL:
		if (cls == HERMES_CLS_JMP && x && !src && !i->off && !i->imm) {
			snprintf(buf, len, "call %%r%u", dst); /* callx */
			return 1;
		}
		if (cls != HERMES_CLS_JMP || x || dst || i->off || src > 2)
			return 0;
		if (src == 1) {
			target_str(tgt, sizeof(tgt), i->imm);
			snprintf(buf, len, "call local %s", tgt);
		} else {
			imm32_str(num, sizeof(num), i->imm);
			snprintf(buf, len, "call %s%s", src == 2 ? "runtime " : "", num);
		}
		return 1;
	case HERMES_JMP_EXIT:
		if (cls != HERMES_CLS_JMP || x || i->regs || i->off || i->imm)
			return 0;
		snprintf(buf, len, "exit");
		return 1;
	}
	if (!jmp_names[op >> 4])
		return 0;
	target_str(tgt, sizeof(tgt), i->off);
	if (x) {
		if (i->imm)
			return 0;
		snprintf(buf, len, "%s%s %%r%u, %%r%u, %s", jmp_names[op >> 4], sfx, dst, src, tgt);
	} else {
		if (src)
			return 0;
		imm32_str(num, sizeof(num), i->imm);
		snprintf(buf, len, "%s%s %%r%u, %s, %s", jmp_names[op >> 4], sfx, dst, num, tgt);
	}
	return 1;
}

static const char *const size_names[4] = { "w", "h", "b", "dw" };

static int decode_mem(const struct hermes_insn *i, char *buf, size_t len)
{
	unsigned cls = i->opcode & 7, mode = i->opcode & 0xe0, sz = i->opcode & 0x18;
	unsigned dst = hermes_insn_dst(i), src = hermes_insn_src(i);
	const char *szn = size_names[sz >> 3];
	char mem[32], num[32];

	switch (cls) {
	case HERMES_CLS_LDX:
		if (i->imm || (mode != HERMES_MODE_MEM && mode != HERMES_MODE_MEMSX))
			return 0;
		if (mode == HERMES_MODE_MEMSX && sz == HERMES_SZ_DW)
			return 0;
		mem_str(mem, sizeof(mem), src, i->off);
		snprintf(buf, len, "ldx%s%s %%r%u, %s", mode == HERMES_MODE_MEMSX ? "s" : "", szn,
			 dst, mem);
		return 1;
	case HERMES_CLS_ST:
		if (mode != HERMES_MODE_MEM || src)
			return 0;
		mem_str(mem, sizeof(mem), dst, i->off);
		imm32_str(num, sizeof(num), i->imm);
		snprintf(buf, len, "st%s %s, %s", szn, mem, num);
		return 1;
	case HERMES_CLS_STX:
		mem_str(mem, sizeof(mem), dst, i->off);
		if (mode == HERMES_MODE_MEM) {
			if (i->imm)
				return 0;
			snprintf(buf, len, "stx%s %s, %%r%u", szn, mem, src);
			return 1;
		}
		if (mode == HERMES_MODE_ATOMIC && (sz == HERMES_SZ_W || sz == HERMES_SZ_DW)) {
			const char *sfx = sz == HERMES_SZ_W ? "32" : "";
			const char *op;
			int fetch = i->imm & HERMES_ATOMIC_FETCH;

			switch (i->imm & ~HERMES_ATOMIC_FETCH) {
			case HERMES_ATOMIC_ADD: op = "add"; break;
			case HERMES_ATOMIC_OR: op = "or"; break;
			case HERMES_ATOMIC_AND: op = "and"; break;
			case HERMES_ATOMIC_XOR: op = "xor"; break;
			case HERMES_ATOMIC_XCHG & ~HERMES_ATOMIC_FETCH:
				if (!fetch)
					return 0;
				op = "xchg";
				fetch = 0;
				break;
			case HERMES_ATOMIC_CMPXCHG & ~HERMES_ATOMIC_FETCH:
				if (!fetch)
					return 0;
				op = "cmpxchg";
				fetch = 0;
				break;
			default:
				return 0;
			}
			snprintf(buf, len, "lock %s%s%s %s, %%r%u", fetch ? "fetch " : "", op, sfx,
				 mem, src);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* Decode without the re-assembly check; returns slots used (0: .quad). */
static int decode(const struct hermes_insn *insns, size_t nslots, size_t pc, char *buf,
		  size_t len)
{
	const struct hermes_insn *i = &insns[pc];
	unsigned cls = i->opcode & 7;

	/* Registers above r10 have no text form. */
	if (hermes_insn_dst(i) > 10 || hermes_insn_src(i) > 10)
		return 0;
	switch (cls) {
	case HERMES_CLS_LD: {
		const struct hermes_insn *n = &insns[pc + 1];
		char num[32];

		if (i->opcode != HERMES_OP_LDDW || hermes_insn_src(i) || i->off || pc + 1 >= nslots)
			return 0;
		if (n->opcode || n->regs || n->off)
			return 0;
		imm64_str(num, sizeof(num), (uint64_t)(uint32_t)i->imm | (uint64_t)(uint32_t)n->imm << 32);
		snprintf(buf, len, "lddw %%r%u, %s", hermes_insn_dst(i), num);
		return 2;
	}
	case HERMES_CLS_ALU:
	case HERMES_CLS_ALU64:
		return decode_alu(i, buf, len);
	case HERMES_CLS_JMP:
	case HERMES_CLS_JMP32:
		return decode_jmp(i, buf, len);
	default:
		return decode_mem(i, buf, len);
	}
}

static int put(char *buf, size_t len, const char *text, int slots)
{
	if (strlen(text) >= len)
		return -ENOSPC;
	strcpy(buf, text);
	return slots;
}

int hermes__disasm_decode(const struct hermes_insn *insns, size_t nslots, size_t pc,
			  char *buf, size_t len)
{
	char text[TEXT_MAX];
	int n;

	if (!insns || !buf || pc >= nslots)
		return -EINVAL;
	n = decode(insns, nslots, pc, text, sizeof(text));
	if (n == 0) {
		snprintf(text, sizeof(text), ".quad 0x%016" PRIx64, slot_value(&insns[pc]));
		n = 1;
	}
	return put(buf, len, text, n);
}

int hermes_disasm_insn(const struct hermes_insn *insns, size_t nslots, size_t pc,
		       char *buf, size_t len)
{
	struct hermes_asm_error aerr;
	struct hermes_insn *back = NULL;
	char text[TEXT_MAX];
	size_t nback = 0;
	int n;

	if (!insns || !buf || pc >= nslots)
		return -EINVAL;
	n = decode(insns, nslots, pc, text, sizeof(text));
	if (n > 0) {
		/* Belt and braces: the text must assemble to the same slots. */
		int err = hermes_asm(text, &back, &nback, &aerr);

		if (err == -ENOMEM)
			return err;
		if (err || nback != (size_t)n ||
		    memcmp(back, &insns[pc], (size_t)n * sizeof(*back)) != 0)
			n = 0;
		free(back);
	}
	if (n == 0) {
		snprintf(text, sizeof(text), ".quad 0x%016" PRIx64, slot_value(&insns[pc]));
		n = 1;
	}
	return put(buf, len, text, n);
}
