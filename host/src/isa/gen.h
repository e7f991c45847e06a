/* SPDX-License-Identifier: MIT */
/*
 * gen.h - seeded random eBPF program generator.
 *
 * hermes_gen_program() writes a valid, terminating program: every register
 * it reads has been written, jumps only go forward (or round a bounded loop
 * with a constant trip count), every instruction is reachable, and the
 * program ends by mixing all registers (and the stack window) into r0 and
 * `exit`. The same options and seed always give the same program.
 *
 * Programs are built to be run both on Hermes devices (reference VM, RTL)
 * and, with the "kernel safe" class set (HERMES_GEN_KERNEL_SAFE), by the
 * Linux kernel's eBPF (BPF_PROG_TEST_RUN): canonical encodings (unused fields
 * zero), no division by an immediate 0, immediate shift counts below the
 * width, stack accesses naturally aligned inside a window that the prologue
 * initialises, no use of r1/r2 as they arrive (the kernel passes a context
 * pointer in r1), no r10 arithmetic.
 *
 * Layout of a generated program:
 *   prologue  every register r0-r9 set from the seed (lddw or mov), with
 *             HERMES_GEN_OPAQUE xored with the word at [r1+0],
 *             stack window initialised (HERMES_GEN_STACK / ATOMIC),
 *             r9 = r1 (data slot base) with HERMES_GEN_DATA;
 *   body      about opts->insns random instructions of the enabled classes;
 *   epilogue  r0 = mix of r0-r9 and the stack window; with HERMES_GEN_FOLD32
 *             also r0 ^= r0 >> 32 (so that a 32-bit return value still
 *             depends on all 64 bits); then exit.
 */
#ifndef HERMES_GEN_H
#define HERMES_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instruction classes the body may use (hermes_gen_opts.classes). */
#define HERMES_GEN_ALU32  (1u << 0)  /* ALU class: all ops, K and X, sdiv/smod, movsx, le/be */
#define HERMES_GEN_ALU64  (1u << 1)  /* ALU64 class: all ops, K and X, sdiv/smod, movsx, bswap */
#define HERMES_GEN_JMP    (1u << 2)  /* JMP conditional jumps (forward), ja */
#define HERMES_GEN_JMP32  (1u << 3)  /* JMP32 conditional jumps (forward), ja32 */
#define HERMES_GEN_LDDW   (1u << 4)  /* 64-bit immediate loads in the body */
#define HERMES_GEN_STACK  (1u << 5)  /* ldx/ldxs/st/stx on the stack window [r10-stack_bytes, r10) */
#define HERMES_GEN_ATOMIC (1u << 6)  /* atomic add/or/and/xor (W/DW, no fetch) on the stack window */
#define HERMES_GEN_LOOP   (1u << 7)  /* bounded loops: counter reg, backward jne, 1..max_loop_iters */
#define HERMES_GEN_DATA   (1u << 8)  /* loads/stores/atomics on the data slot via r9, unaligned too;
                                      * not kernel safe (needs our r1 = data base) */
#define HERMES_GEN_CALL   (1u << 9)  /* local calls to generated subprograms (acyclic, <= 4 deep) */
#define HERMES_GEN_ATOMIC_FETCH (1u << 10) /* with ATOMIC (stack) or DATA: also fetch ops, xchg,
                                            * cmpxchg */
/*
 * What a pipelined engine overlaps, for lockstep runs of the RTL: a load
 * followed at once by a conditional jump on the loaded register (forward,
 * or backward and never taken: mispredicted by a backward-taken rule), a
 * load whose value is stored at once or used at once by an ALU
 * instruction, a store followed by a jump, calls inside loops (one loop level), a copy
 * of one of r6-r9 right behind every call (the return target reads what
 * the exit restores), and writes to r6-r9 right before an exit. Not
 * part of HERMES_GEN_ALL, so that the programs of existing seeds stay the
 * same; combine it with the classes it draws on (STACK, DATA, JMP, LOOP,
 * CALL).
 */
#define HERMES_GEN_OVERLAP (1u << 11)

/*
 * Atomics between engines: programs that run at the same time on several
 * engines against one data slot (a queue slot), each in a window of its
 * own at data_offset (r9 = r1 + data_offset), and all on a shared area of
 * HERMES_GEN_SHARED_BYTES at the start of the slot, reached from r9 with a
 * negative offset. The shared area takes only operations whose combined
 * effect does not depend on their order, so a reference VM running the
 * programs one after another must end with the same slot:
 *   words 0-7    64-bit atomic add, or, and, xor (word w: operation w % 4),
 *   words 8-14   the same on the word's low 32 bits,
 *                each also as a fetch, whose register is overwritten at once
 *                (its value depends on the interleaving);
 *   word 15      a ticket counter: fetch-add 1, the ticket stored into the
 *                program's record area [r9 + data_bytes, + 128) (16 records,
 *                the k-th ticket of a run into record k % 16), the register
 *                then overwritten.
 * Every ticket the engines hand out is different, so the records of all
 * the programs hold distinct values below the final counter (the order, and
 * so which values, differs from the reference). Needs HERMES_GEN_DATA, a
 * data_offset from HERMES_GEN_SHARED_BYTES to 32,768 and a data_bytes of
 * at most HERMES_GEN_SHARED_MAX_DATA, so that every access (the records
 * after the window included) reaches with a 16-bit offset. The
 * slot is then data_offset + data_bytes + 8 * HERMES_GEN_RECORDS bytes at
 * least. Not part of HERMES_GEN_ALL.
 */
#define HERMES_GEN_SHARED (1u << 12)
#define HERMES_GEN_SHARED_BYTES 128u
#define HERMES_GEN_SHARED_TICKET 15u   /* the ticket counter's word */
#define HERMES_GEN_RECORDS 16u         /* ticket records after the data window */
#define HERMES_GEN_SHARED_MAX_DATA 32512u /* data_bytes with HERMES_GEN_SHARED, at most */

/*
 * Everything the Linux kernel runs the same way as Hermes (see tests/kernel).
 * HERMES_GEN_CALL is kernel safe too but kept separate (tests/kernel probes
 * for it). HERMES_GEN_ATOMIC_FETCH is left out: Linux 6.18's verifier loses
 * the precision of a value fetched from a stack slot by an atomic
 * (cmpxchg's r0, xchg's/fetch's src), prunes a path it should explore and
 * removes live code as dead (tests/kernel/README.md has a 19-instruction
 * reproducer), so the kernel's answer would be wrong, not ours.
 */
#define HERMES_GEN_KERNEL_SAFE (HERMES_GEN_ALU32 | HERMES_GEN_ALU64 | HERMES_GEN_JMP | \
				HERMES_GEN_JMP32 | HERMES_GEN_LDDW | HERMES_GEN_STACK | \
				HERMES_GEN_ATOMIC | HERMES_GEN_LOOP)
#define HERMES_GEN_ALL (HERMES_GEN_KERNEL_SAFE | HERMES_GEN_DATA | HERMES_GEN_CALL | \
			HERMES_GEN_ATOMIC_FETCH)

/* Flags (hermes_gen_opts.flags). */
#define HERMES_GEN_FOLD32 (1u << 0)  /* end with r0 ^= r0 >> 32 (64-bit xor) before exit */
/*
 * Start from an opaque value: the prologue loads the 32-bit word at [r1+0]
 * and xors it into r0 and about half of r1-r9. The result then depends on
 * that word, which the caller must make the same on both sides of a
 * comparison (tests/kernel: the data slot's first word = the kernel's
 * __sk_buff.len). A verifier cannot know these values, so the kernel's
 * JIT, not its verifier's constant tracking, decides the branches on them.
 */
#define HERMES_GEN_OPAQUE (1u << 1)

struct hermes_gen_opts {
	size_t sz;              /* sizeof(struct hermes_gen_opts) */
	unsigned insns;         /* body size in instructions (approximate, >= 1); 0: 64 */
	unsigned classes;       /* HERMES_GEN_* class bits; 0: HERMES_GEN_KERNEL_SAFE */
	unsigned flags;         /* HERMES_GEN_FOLD32 */
	unsigned stack_bytes;   /* stack window size, multiple of 8 in [8, 512]; 0: 64 */
	unsigned data_bytes;    /* data window at r9 for HERMES_GEN_DATA, [8, 32768]; 0: 256 */
	unsigned max_depth;     /* nesting of if/else and loops; 0: 3 */
	unsigned max_loop_iters;/* loop trip count bound (HERMES_GEN_LOOP); 0: 4 */
	unsigned data_offset;   /* HERMES_GEN_DATA: r9 = r1 + data_offset (HERMES_GEN_SHARED) */
};

/*
 * hermes_gen_program - generate one program.
 *
 * opts may be NULL (all defaults). Writes at most max_slots instruction
 * slots to out and their number to *nslots. Returns 0, -EINVAL for bad
 * options (size fields out of range, classes 0 after defaults, unknown bits),
 * or -ENOSPC when max_slots is too small (the program needs roughly
 * 2 * insns + 64 slots).
 */
int hermes_gen_program(const struct hermes_gen_opts *opts, uint64_t seed,
		       struct hermes_insn *out, size_t max_slots, size_t *nslots);

/*
 * hermes_gen_program_from_bytes - the same generator with its random
 * choices taken from a byte string (a fuzzer's input) instead of a seed:
 * each choice uses the next 1-8 bytes, and once they run out the choices
 * continue from the PRNG seeded with a hash of the string. Every string
 * gives a valid program and a small edit of it gives a similar program.
 * Returns as hermes_gen_program().
 */
int hermes_gen_program_from_bytes(const struct hermes_gen_opts *opts, const void *choices,
				  size_t len, struct hermes_insn *out, size_t max_slots,
				  size_t *nslots);

/*
 * A small deterministic PRNG (splitmix64 seeding xoshiro256**), exposed so
 * that tests derive their inputs from the same seed the program came from.
 */
struct hermes_rng {
	uint64_t s[4];
};

void hermes_rng_seed(struct hermes_rng *rng, uint64_t seed);
uint64_t hermes_rng_next(struct hermes_rng *rng);

#ifdef __cplusplus
}
#endif
#endif
