/* SPDX-License-Identifier: MIT */
/*
 * hermes/isa.h - eBPF instruction encoding (RFC 9669) and the Hermes engine
 * address map and fault causes shared by the reference VM, the assembler,
 * the disassembler and the RTL co-simulation.
 *
 * An instruction is 8 bytes, little-endian:
 *   byte 0   opcode  (class in bits 2:0)
 *   byte 1   dst_reg in bits 3:0, src_reg in bits 7:4
 *   bytes 2-3 signed offset
 *   bytes 4-7 signed immediate
 * lddw (opcode 0x18) occupies two slots; the second holds the upper 32 bits
 * of the immediate in its imm field.
 */
#ifndef HERMES_ISA_H
#define HERMES_ISA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_insn {
	uint8_t opcode;
	uint8_t regs; /* dst in bits 3:0, src in bits 7:4 */
	int16_t off;
	int32_t imm;
};

static inline unsigned hermes_insn_dst(const struct hermes_insn *i) { return i->regs & 0xf; }
static inline unsigned hermes_insn_src(const struct hermes_insn *i) { return i->regs >> 4; }

/* Instruction classes (opcode bits 2:0). */
#define HERMES_CLS_LD    0x00
#define HERMES_CLS_LDX   0x01
#define HERMES_CLS_ST    0x02
#define HERMES_CLS_STX   0x03
#define HERMES_CLS_ALU   0x04
#define HERMES_CLS_JMP   0x05
#define HERMES_CLS_JMP32 0x06
#define HERMES_CLS_ALU64 0x07

/* ALU/JMP source bit (opcode bit 3). */
#define HERMES_SRC_K 0x00
#define HERMES_SRC_X 0x08

/* ALU operations (opcode bits 7:4). */
#define HERMES_ALU_ADD  0x00
#define HERMES_ALU_SUB  0x10
#define HERMES_ALU_MUL  0x20
#define HERMES_ALU_DIV  0x30 /* off 1: sdiv */
#define HERMES_ALU_OR   0x40
#define HERMES_ALU_AND  0x50
#define HERMES_ALU_LSH  0x60
#define HERMES_ALU_RSH  0x70
#define HERMES_ALU_NEG  0x80
#define HERMES_ALU_MOD  0x90 /* off 1: smod */
#define HERMES_ALU_XOR  0xa0
#define HERMES_ALU_MOV  0xb0 /* off 8/16/32: movsx */
#define HERMES_ALU_ARSH 0xc0
#define HERMES_ALU_END  0xd0 /* ALU: src bit 0 le, 1 be; ALU64 src bit 0: bswap */

/* Jump operations (opcode bits 7:4). */
#define HERMES_JMP_JA   0x00 /* JMP: off; JMP32 (ja32): imm */
#define HERMES_JMP_JEQ  0x10
#define HERMES_JMP_JGT  0x20
#define HERMES_JMP_JGE  0x30
#define HERMES_JMP_JSET 0x40
#define HERMES_JMP_JNE  0x50
#define HERMES_JMP_JSGT 0x60
#define HERMES_JMP_JSGE 0x70
#define HERMES_JMP_CALL 0x80 /* JMP only; src 0 helper, src 1 local */
#define HERMES_JMP_EXIT 0x90 /* JMP only */
#define HERMES_JMP_JLT  0xa0
#define HERMES_JMP_JLE  0xb0
#define HERMES_JMP_JSLT 0xc0
#define HERMES_JMP_JSLE 0xd0

/* Load/store size (opcode bits 4:3) and mode (bits 7:5). */
#define HERMES_SZ_W  0x00
#define HERMES_SZ_H  0x08
#define HERMES_SZ_B  0x10
#define HERMES_SZ_DW 0x18
#define HERMES_MODE_IMM    0x00 /* lddw, only with DW */
#define HERMES_MODE_MEM    0x60
#define HERMES_MODE_MEMSX  0x80 /* LDX only: sign-extending loads */
#define HERMES_MODE_ATOMIC 0xc0 /* STX only, W or DW */

/* Atomic operations (imm of a STX|ATOMIC instruction). */
#define HERMES_ATOMIC_FETCH   0x01
#define HERMES_ATOMIC_ADD     0x00
#define HERMES_ATOMIC_OR      0x40
#define HERMES_ATOMIC_AND     0x50
#define HERMES_ATOMIC_XOR     0xa0
#define HERMES_ATOMIC_XCHG    (0xe0 | HERMES_ATOMIC_FETCH)
#define HERMES_ATOMIC_CMPXCHG (0xf0 | HERMES_ATOMIC_FETCH)

#define HERMES_OP_LDDW 0x18

/* Engine address map (docs/ARCHITECTURE.md "Engine address space"). */
#define HERMES_PROG_BASE   0x10000000ull
#define HERMES_DATA_BASE   0x20000000ull
#define HERMES_STACK_BASE  0x30000000ull
#define HERMES_MAP_BASE    0x40000000ull /* the loaded object's map slot (docs/MAPS.md) */
#define HERMES_FRAME_SIZE  512u
#define HERMES_MAX_FRAMES  8u
#define HERMES_STACK_SIZE  (HERMES_FRAME_SIZE * HERMES_MAX_FRAMES)

/* Fault causes reported with status 5 (docs/ARCHITECTURE.md). */
enum hermes_fault {
	HERMES_FAULT_NONE = 0,
	HERMES_FAULT_LOAD = 1,          /* load out of bounds */
	HERMES_FAULT_STORE = 2,         /* store out of bounds or to code */
	HERMES_FAULT_FETCH = 3,         /* jump/fetch outside the program */
	HERMES_FAULT_ILLEGAL = 4,       /* illegal instruction */
	HERMES_FAULT_BUDGET = 5,        /* instruction budget exhausted */
	HERMES_FAULT_CALL_DEPTH = 6,    /* call depth exceeded */
	HERMES_FAULT_ABORTED = 7,       /* aborted by host */
	HERMES_FAULT_UNKNOWN_HELPER = 8, /* call with src 0 and an unknown helper id */
	HERMES_FAULT_BAD_HELPER_ARG = 9  /* helper argument: map pointer or descriptor (docs/MAPS.md) */
};

/* Human-readable name of a fault cause ("load out of bounds", ...). */
const char *hermes_fault_str(unsigned cause);

#ifdef __cplusplus
}
#endif
#endif
