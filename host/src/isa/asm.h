/* SPDX-License-Identifier: MIT */
/*
 * asm.h - assembler and disassembler for the ubpf-style text syntax
 * (`mov32 %r0, 0`, `ldxdw %r0, [%r1+2]`, `lock cmpxchg [%r10-8], %r1`, ...).
 */
#ifndef HERMES_ASM_H
#define HERMES_ASM_H

#include <stddef.h>

#include "hermes/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_asm_error {
	unsigned line;  /* 1-based */
	unsigned col;   /* 1-based */
	char msg[256];  /* what was expected / what is wrong */
};

/*
 * Assemble text. Returns 0 and a malloc'd array of *nslots instruction
 * slots (lddw takes two), or -EINVAL with *err naming line, column and
 * what was expected (-ENOMEM on allocation failure).
 */
int hermes_asm(const char *text, struct hermes_insn **insns, size_t *nslots,
	       struct hermes_asm_error *err);

/* A buffer of this many bytes holds any hermes_disasm_insn() text. */
#define HERMES_DISASM_LEN 64

/*
 * Disassemble the instruction at slot pc of insns[0..nslots) into buf.
 * Returns the number of slots it takes (1, or 2 for lddw); text that
 * hermes_asm() turns back into the same slots. Undecodable slots print
 * as a raw `.quad 0x...` directive, which the assembler also accepts.
 * Returns -EINVAL if pc >= nslots (or a pointer is NULL), -ENOSPC if the
 * text does not fit in len bytes (HERMES_DISASM_LEN always suffices).
 */
int hermes_disasm_insn(const struct hermes_insn *insns, size_t nslots, size_t pc,
		       char *buf, size_t len);

/*
 * The decoder behind hermes_disasm_insn() without its re-assembly check
 * (hermes_disasm_insn() prints `.quad` whenever its text would not
 * assemble back to the same slots). For tests.
 */
int hermes__disasm_decode(const struct hermes_insn *insns, size_t nslots, size_t pc,
			  char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
