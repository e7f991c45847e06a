/* SPDX-License-Identifier: MIT */
/*
 * bench_ref.c - hermes bench ref: instructions per second of the reference
 * VM's run path (hermes_vm_run) on an ALU loop, a memory loop over the data
 * slot and a branchy loop, and of the single-step API (hermes_vm_step).
 * The programs are built here as bytecode.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "vm.h"

#define I(op, dst, src, off, imm) \
	{ (uint8_t)(op), (uint8_t)((dst) | ((src) << 4)), (int16_t)(off), (int32_t)(imm) }
/* lddw dst, v: two slots. */
#define LDDW(dst, v) I(0x18, dst, 0, 0, (uint32_t)(v)), I(0, 0, 0, 0, (uint32_t)((uint64_t)(v) >> 32))

/* Iteration counts are patched into the lddw at slot 1 of each program. */
static const struct hermes_insn alu_loop[] = {
	I(0xb7, 0, 0, 0, 0),           /* 0  mov r0, 0 */
	LDDW(1, 0),                    /* 1  lddw r1, iterations */
	I(0xb7, 2, 0, 0, 1),           /* 3  mov r2, 1 */
	I(0x0f, 0, 1, 0, 0),           /* 4  add r0, r1 */
	I(0xa7, 0, 0, 0, 0x5a5a),      /* 5  xor r0, 0x5a5a */
	I(0x27, 2, 0, 0, 3),           /* 6  mul r2, 3 */
	I(0x77, 0, 0, 0, 1),           /* 7  rsh r0, 1 */
	I(0x0c, 3, 2, 0, 0),           /* 8  add32 r3, r2 */
	I(0x17, 1, 0, 0, 1),           /* 9  sub r1, 1 */
	I(0x55, 1, 0, -7, 0),          /* 10 jne r1, 0, -> 4 */
	I(0x95, 0, 0, 0, 0),           /* 11 exit */
};
#define ALU_PER_ITER 7

static const struct hermes_insn mem_loop[] = {
	I(0xb7, 0, 0, 0, 0),           /* 0  mov r0, 0 */
	LDDW(6, 0),                    /* 1  lddw r6, iterations */
	I(0xb7, 4, 0, 0, 0),           /* 3  mov r4, 0 */
	I(0xb7, 9, 0, 0, 0),           /* 4  mov r9, 0 */
	I(0xbf, 3, 1, 0, 0),           /* 5  mov r3, r1 */
	I(0x0f, 3, 4, 0, 0),           /* 6  add r3, r4 */
	I(0x79, 5, 3, 0, 0),           /* 7  ldxdw r5, [r3+0] */
	I(0x0f, 5, 6, 0, 0),           /* 8  add r5, r6 */
	I(0x7b, 3, 5, 0, 0),           /* 9  stxdw [r3+0], r5 */
	I(0x61, 7, 3, 8, 0),           /* 10 ldxw r7, [r3+8] */
	I(0x0f, 0, 7, 0, 0),           /* 11 add r0, r7 */
	I(0x63, 3, 0, 12, 0),          /* 12 stxw [r3+12], r0 */
	I(0x07, 4, 0, 0, 24),          /* 13 add r4, 24 */
	I(0x57, 4, 0, 0, 0xffff),      /* 14 and r4, 0xffff */
	I(0x17, 6, 0, 0, 1),           /* 15 sub r6, 1 */
	I(0x55, 6, 0, -12, 0),         /* 16 jne r6, 0, -> 5 */
	I(0x95, 0, 0, 0, 0),           /* 17 exit */
};
#define MEM_PER_ITER 12

static const struct hermes_insn branch_loop[] = {
	I(0xb7, 0, 0, 0, 0),           /* 0  mov r0, 0 */
	LDDW(6, 0),                    /* 1  lddw r6, iterations */
	I(0xb7, 7, 0, 0, 12345),       /* 3  mov r7, 12345 */
	I(0x27, 7, 0, 0, 1103515245),  /* 4  mul r7, 1103515245 */
	I(0x07, 7, 0, 0, 12345),       /* 5  add r7, 12345 */
	I(0xbf, 8, 7, 0, 0),           /* 6  mov r8, r7 */
	I(0x77, 8, 0, 0, 16),          /* 7  rsh r8, 16 */
	I(0x45, 8, 0, 2, 1),           /* 8  jset r8, 1, -> 11 */
	I(0x07, 0, 0, 0, 1),           /* 9  add r0, 1 */
	I(0x05, 0, 0, 1, 0),           /* 10 ja -> 12 */
	I(0x17, 0, 0, 0, 1),           /* 11 sub r0, 1 */
	I(0xa6, 8, 0, 1, 0x4000),      /* 12 jlt32 r8, 0x4000, -> 14 */
	I(0xaf, 0, 8, 0, 0),           /* 13 xor r0, r8 */
	I(0x17, 6, 0, 0, 1),           /* 14 sub r6, 1 */
	I(0x55, 6, 0, -12, 0),         /* 15 jne r6, 0, -> 4 */
	I(0x95, 0, 0, 0, 0),           /* 16 exit */
};
#define BRANCH_PER_ITER 10 /* 9 or 10 (jset taken skips the ja), ~10 */

struct bench_result {
	const char *name;
	uint64_t insns;
	double seconds;
	double ips;
	uint64_t r0;
};

/* Run prog once with the given iteration count; 0 or -1 (message printed). */
static int bench_one(const char *name, const struct hermes_insn *prog, size_t nslots,
		     uint64_t iters, int use_step, struct bench_result *res)
{
	size_t prog_size = HERMES_DEFAULT_PROG_SLOT_SIZE, data_size = HERMES_DEFAULT_DATA_SLOT_SIZE;
	uint8_t *slot = calloc(1, prog_size), *data = calloc(1, data_size);
	struct hermes_vm *vm = hermes_vm_new(prog_size, data_size);
	struct hermes_insn *code = (struct hermes_insn *)slot;
	struct hermes_vm_status st;
	struct hermes_retire rec;
	double t0, t1;
	int ret = -1;

	if (!slot || !data || !vm) {
		cli_fail("bench ref", "out of memory");
		goto out;
	}
	memcpy(code, prog, nslots * sizeof(*prog));
	code[1].imm = (int32_t)(uint32_t)iters;
	code[2].imm = (int32_t)(uint32_t)(iters >> 32);
	if (hermes_vm_load(vm, slot, nslots * 8, data, 0)) {
		cli_fail("bench ref", "%s: the VM rejected the program", name);
		goto out;
	}
	hermes_vm_reset(vm, UINT64_MAX);
	t0 = cli_now_s();
	if (use_step) {
		while (hermes_vm_step(vm, &rec, &st) && !st.done)
			;
	} else {
		hermes_vm_run(vm, &st);
	}
	t1 = cli_now_s();
	if (!st.done || st.fault) {
		cli_fail("bench ref", "%s: the program faulted: %s at pc %u", name,
			 hermes_fault_str(st.fault), st.fault_pc);
		goto out;
	}
	res->name = name;
	res->insns = st.insns;
	res->seconds = t1 - t0;
	res->ips = res->seconds > 0 ? (double)st.insns / res->seconds : 0;
	res->r0 = st.r0;
	ret = 0;
out:
	hermes_vm_free(vm);
	free(slot);
	free(data);
	return ret;
}

int bench_ref(const struct cli *cli, int argc, char **argv)
{
	unsigned long long target = 128000000ull; /* instructions per loop */
	int json = 0;
	struct bench_result res[4];
	static const char *const labels[4] = { "alu", "mem", "branch", "step" };
	int nres = 0;

	(void)cli;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--insns") && i + 1 < argc) {
			if (cli_parse_u64(argv[++i], &target) || target < 1000)
				return cli_usage("bench", "--insns needs a number >= 1000, got '%s'", argv[i]);
		} else {
			return cli_usage("bench", "bench ref: unknown argument '%s' (--json, --insns N)",
					 argv[i]);
		}
	}

#define RUN(idx, prog, per_iter, iters, step) \
	do { \
		if (bench_one(labels[idx], prog, sizeof(prog) / sizeof(prog[0]), iters, step, &res[idx])) \
			return CLI_FAIL; \
		nres++; \
	} while (0)
	RUN(0, alu_loop, ALU_PER_ITER, target / ALU_PER_ITER, 0);
	RUN(1, mem_loop, MEM_PER_ITER, target / MEM_PER_ITER, 0);
	RUN(2, branch_loop, BRANCH_PER_ITER, target / BRANCH_PER_ITER, 0);
	/* Stepping is far slower: a tenth of the instructions. */
	RUN(3, alu_loop, ALU_PER_ITER, target / 10 / ALU_PER_ITER + 1, 1);
#undef RUN

	if (json) {
		printf("{\"bench\": \"ref\", \"cost_model\": null");
		for (int i = 0; i < nres; i++)
			printf(", \"%s_insns\": %llu, \"%s_seconds\": %.6f, \"%s_insns_per_s\": %.0f",
			       res[i].name, (unsigned long long)res[i].insns, res[i].name,
			       res[i].seconds, res[i].name, res[i].ips);
		printf("}\n");
	} else {
		printf("reference VM (hermes_vm_run; step = hermes_vm_step)\n");
		for (int i = 0; i < nres; i++)
			printf("  %-7s %12llu insns  %8.3f s  %8.1f M insns/s\n", res[i].name,
			       (unsigned long long)res[i].insns, res[i].seconds, res[i].ips / 1e6);
	}
	return CLI_OK;
}
